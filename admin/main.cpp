// ht-admin's entry point: hands argv to htk::admin::Run and returns its exit code.
#include <iostream>
#include <string>
#include <vector>

#include "admin/admin.h"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    htk::admin::Env env(std::cout, std::cerr);
    const int code = htk::admin::Run(args, env);
    std::cout.flush();
    return code;
}
