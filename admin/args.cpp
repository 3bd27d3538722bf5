// Splits argv into words, options and flags. Knows the flag names so "--json trainers" is not
// read as an option with the value "trainers".
#include "admin/args.h"

#include <algorithm>
#include <array>

namespace htk::admin {

using core::Errc;
using core::Fail;

namespace {
constexpr std::array<std::string_view, 9> kFlags{"json",    "help",       "reveal",      "inactive",    "h",
                                                 "dry-run", "identifying", "interpreter", "waiting-list"};
constexpr std::array<std::string_view, 5> kGlobal{"database", "json", "help", "staff", "passphrase-fd"};

bool IsFlag(std::string_view name) { return std::find(kFlags.begin(), kFlags.end(), name) != kFlags.end(); }
}  // namespace

std::optional<std::string> Args::Option(std::string_view name) const {
    const auto it = options.find(std::string(name));
    if (it == options.end()) return std::nullopt;
    return it->second;
}

core::Result<void> Args::Allow(std::span<const std::string_view> allowed) const {
    auto ok = [&](const std::string& name) {
        return name == "h" || std::find(kGlobal.begin(), kGlobal.end(), name) != kGlobal.end() ||
               std::find(allowed.begin(), allowed.end(), name) != allowed.end();
    };
    for (const auto& [name, value] : options)
        if (!ok(name)) return Fail(Errc::InvalidInput, "no option --" + name + " here");
    for (const auto& name : flags)
        if (!ok(name)) return Fail(Errc::InvalidInput, "no option --" + name + " here");
    return {};
}

core::Result<Args> ParseArgs(std::span<const std::string> argv) {
    Args args;
    bool only_words = false;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (only_words || a.size() < 2 || a[0] != '-') {
            args.words.push_back(a);
            continue;
        }
        if (a == "--") {
            only_words = true;
            continue;
        }
        if (a == "-h") {
            args.flags.insert("help");
            continue;
        }
        if (a.rfind("--", 0) != 0) return Fail(Errc::InvalidInput, "unknown option " + a);
        std::string name = a.substr(2);
        std::optional<std::string> value;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.resize(eq);
        }
        if (name.rfind("passphrase", 0) == 0 && name != "passphrase-fd")
            return Fail(Errc::InvalidInput,
                        "passphrases are never taken on the command line (they would show in ps and shell history); "
                        "type it at the prompt or pass --passphrase-fd N");
        if (IsFlag(name)) {
            if (value) return Fail(Errc::InvalidInput, "--" + name + " takes no value");
            args.flags.insert(name);
            continue;
        }
        if (!value) {
            if (i + 1 >= argv.size()) return Fail(Errc::InvalidInput, "--" + name + " needs a value");
            value = argv[++i];
        }
        if (args.options.count(name)) return Fail(Errc::InvalidInput, "--" + name + " is given twice");
        args.options[name] = *value;
    }
    return args;
}

}  // namespace htk::admin
