// Command-line words and options of ht-admin: "--name value", "--name=value" and bare flags,
// in any order around the verbs. Parsing only; what each verb accepts is checked by the verb.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace htk::admin {

struct Args {
    std::vector<std::string> words;               // verb, sub-verb, ...
    std::map<std::string, std::string> options;   // without the leading "--"
    std::set<std::string> flags;                  // "json", "help", "reveal", ...

    bool Flag(std::string_view name) const { return flags.count(std::string(name)) > 0; }
    std::optional<std::string> Option(std::string_view name) const;
    // InvalidInput naming the first option or flag not in `allowed` (global options always allowed).
    core::Result<void> Allow(std::span<const std::string_view> allowed) const;
};

// Flags take no value; every other "--name" takes one. "--passphrase" in any form is refused here,
// before anything else happens: passphrases never travel on the command line.
core::Result<Args> ParseArgs(std::span<const std::string> argv);

}  // namespace htk::admin
