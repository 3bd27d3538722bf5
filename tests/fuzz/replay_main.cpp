// Runs a fuzz target without libFuzzer (g++ builds, CI): every file of a corpus folder, then a
// fixed number of deterministic mutations of each, so a crash found once is replayed every run.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR [MUTATIONS_PER_FILE]\n", argv[0]);
        return 2;
    }
    const int mutations = argc > 2 ? std::atoi(argv[2]) : 200;
    std::vector<std::string> inputs;
    for (const auto& e : std::filesystem::directory_iterator(argv[1])) {
        std::ifstream in(e.path(), std::ios::binary);
        inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    std::mt19937 random(12345);
    std::size_t runs = 0;
    for (const auto& input : inputs) {
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
        ++runs;
        for (int m = 0; m < mutations; ++m) {
            std::string s = input;
            const int edits = 1 + static_cast<int>(random() % 4);
            for (int k = 0; k < edits; ++k) {
                const auto pos = s.empty() ? 0 : random() % s.size();
                switch (random() % 4) {
                    case 0: if (!s.empty()) s[pos] = static_cast<char>(random()); break;
                    case 1: s.insert(pos, 1, "{}\"\\,\n=#/*"[random() % 11]); break;
                    case 2: if (!s.empty()) s.erase(pos, 1 + random() % 8); break;
                    case 3: s = s.substr(0, pos); break;
                }
            }
            LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
            ++runs;
        }
    }
    std::printf("%zu inputs from %zu corpus files: no crash\n", runs, inputs.size());
    return inputs.empty() ? 1 : 0;
}
