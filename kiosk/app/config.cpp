// INI parsing and flag parsing for ht-kiosk. Strict: an unknown section or key, a duplicate, or a
// malformed value is an error naming the file, line or key, so a typo never passes silently.
#include "app/config.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>

#include "core/strings.h"
#include "core/trainer.h"
#include "i18n/catalog.h"
#include "i18n/pack_install.h"
#include "i18n/time_zone.h"
#include "store/pg/connection.h"

namespace htk::app {

using core::SplitList;
using core::Trim;

namespace {

constexpr std::string_view kEnglish = "en-GB";

std::optional<int> ParseInt(std::string_view s) {
    int value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

struct Entry {
    std::string value;
    int line = 0;
};

using Section = std::map<std::string, Entry, std::less<>>;

const std::map<std::string, std::set<std::string>, std::less<>>& KnownKeys() {
    static const std::map<std::string, std::set<std::string>, std::less<>> keys{
        {"practice", {"name", "time_zone", "public_key"}},
        {"kiosk", {"id", "database", "locales", "languages", "idle_timeout_seconds", "more_time_seconds", "pixels_per_mm"}},
        {"packs", {"service_key"}},
        {"server", {"database"}},
    };
    return keys;
}

class ConfigError {
public:
    explicit ConfigError(const std::filesystem::path& file) : m_file(file.string()) {}
    core::Error Key(std::string_view section, std::string_view key, std::string_view what) const {
        return core::Fail(core::Errc::BadConfig,
                          m_file + ": [" + std::string(section) + "] " + std::string(key) + ": " + std::string(what));
    }
    core::Error Line(int line, std::string_view what) const {
        return core::Fail(core::Errc::BadConfig, m_file + ":" + std::to_string(line) + ": " + std::string(what));
    }
    core::Error File(std::string_view what) const {
        return core::Fail(core::Errc::BadConfig, m_file + ": " + std::string(what));
    }

private:
    std::string m_file;
};

core::Error FlagError(std::string_view flag, std::string_view what) {
    return core::Fail(core::Errc::BadConfig, std::string(flag) + ": " + std::string(what));
}

}  // namespace

std::filesystem::path DefaultConfigPath() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg == '/')  // relative: ignored, per XDG
        return std::filesystem::path(xdg) / "ht-kiosk" / "kiosk.conf";
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home && *home ? home : ".") / ".local" / "share" / "ht-kiosk" / "kiosk.conf";
}

std::string Usage() {
    return "usage: ht-kiosk [--config FILE] [--lang TAG] [--screen NAME] [--window WxH]\n"
           "                [--renderer auto|gl|gles|software] [--screenshot FILE.png [--frames N]]\n"
           "       ht-kiosk [--config FILE] [--window WxH] [--renderer KIND] --bench [--frames N]\n"
           "       ht-kiosk --list-screens\n"
           "  --config FILE      the kiosk's configuration (default $HTK_CONFIG, else " +
           DefaultConfigPath().string() +
           ")\n"
           "  --lang TAG         the language the kiosk opens in and returns to (default en-GB)\n"
           "  --screen NAME      open on that screen (see --list-screens)\n"
           "  --window WxH       a window of that size instead of the whole display\n"
           "  --renderer KIND    gl (OpenGL 3), gles (OpenGL ES 2), software, or auto (GLES on\n"
           "                     Wayland, OpenGL on X11; software if that fails)\n"
           "  --screenshot FILE  render N frames (more while the screen is still settling), write\n"
           "                     the last as PNG and exit\n"
           "  --frames N         frames for --screenshot (default 3), or per screen and language\n"
           "                     for --bench (default " + std::to_string(kDefaultBenchFrames) + ")\n"
           "  --rects FILE       after each frame, write \"key x y w h\" for every widget to FILE\n"
           "                     (tests drive the real window by catalog key with xdotool)\n"
           "  --bench            open every screen in every language in the real window, draw N\n"
           "                     frames of each, print the frame times as name<TAB>value<TAB>unit\n"
           "                     lines and exit (tests/bench/run); sends nothing to the database\n"
           "  --list-screens     print the screen names, one a line\n";
}

core::Result<Config> LoadConfig(int argc, const char* const* argv) {
    auto config = ParseFlags(argc, argv);
    if (!config || config->list_screens || config->help) return config;
    if (auto read = LoadConfigFile(config.value()); !read) return read.error();
    return config;
}

core::Result<Config> ParseFlags(int argc, const char* const* argv) {
    Config config;
    bool frames_given = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        std::string_view inline_value;
        bool has_inline = false;
        if (arg.starts_with("--")) {
            if (const auto eq = arg.find('='); eq != std::string_view::npos) {
                inline_value = arg.substr(eq + 1);
                arg = arg.substr(0, eq);
                has_inline = true;
            }
        }
        auto value = [&]() -> std::optional<std::string> {
            if (has_inline) return std::string(inline_value);
            if (i + 1 < argc) return std::string(argv[++i]);
            return std::nullopt;
        };
        if (arg == "--list-screens" || arg == "--help" || arg == "-h" || arg == "--bench") {
            if (has_inline) return FlagError(arg, "takes no value");
            (arg == "--list-screens" ? config.list_screens : arg == "--bench" ? config.bench : config.help) = true;
            continue;
        }
        const auto v = value();
        if (arg != "--config" && arg != "--lang" && arg != "--screen" && arg != "--window" && arg != "--renderer" &&
            arg != "--screenshot" && arg != "--frames" && arg != "--rects")
            return FlagError(arg, "unknown option (see --help)");
        if (!v || v->empty()) return FlagError(arg, "needs a value");
        if (arg == "--config") {
            config.config_flag = *v;
        } else if (arg == "--lang") {
            config.lang_flag = *v;
        } else if (arg == "--screen") {
            config.screen = ui::ParseScreen(*v);
            if (!config.screen) return FlagError(arg, "no screen \"" + *v + "\" (see --list-screens)");
        } else if (arg == "--window") {
            const auto x = v->find('x');
            const auto w = x == std::string::npos ? std::nullopt : ParseInt(std::string_view(*v).substr(0, x));
            const auto h = x == std::string::npos ? std::nullopt : ParseInt(std::string_view(*v).substr(x + 1));
            if (!w || !h || *w < 320 || *h < 240 || *w > 16384 || *h > 16384)
                return FlagError(arg, "expected WxH such as 1280x800, got \"" + *v + "\"");
            config.window = platform::WindowSize{*w, *h};
        } else if (arg == "--renderer") {
            if (*v == "auto") config.renderer = platform::RendererChoice::Auto;
            else if (*v == "gl") config.renderer = platform::RendererChoice::OpenGl;
            else if (*v == "gles") config.renderer = platform::RendererChoice::Gles;
            else if (*v == "software") config.renderer = platform::RendererChoice::Software;
            else return FlagError(arg, "expected auto, gl, gles or software, got \"" + *v + "\"");
        } else if (arg == "--screenshot") {
            config.screenshot = *v;
        } else if (arg == "--rects") {
            config.rects_file = *v;
        } else if (arg == "--frames") {
            const auto n = ParseInt(*v);
            if (!n || *n < 1 || *n > 1000) return FlagError(arg, "expected a number of frames from 1 to 1000");
            config.frames = *n;
            frames_given = true;
        }
    }
    if (config.bench) {
        // The bench opens every screen itself and never writes a picture.
        if (config.screen) return FlagError("--bench", "cannot be combined with --screen");
        if (config.screenshot) return FlagError("--bench", "cannot be combined with --screenshot");
        if (!frames_given) config.frames = kDefaultBenchFrames;
    }
    return config;
}

core::Result<void> LoadConfigFile(Config& config) {
    std::filesystem::path file;
    if (config.config_flag) {
        file = *config.config_flag;
    } else {
        const char* env = std::getenv("HTK_CONFIG");
        file = env && *env ? std::filesystem::path(env) : DefaultConfigPath();
    }
    if (auto read = ReadConfigFile(file, config); !read) return read;

    if (const auto& lang = config.lang_flag) {
        if (std::find(config.languages.begin(), config.languages.end(), *lang) == config.languages.end()) {
            std::string list;
            for (const auto& l : config.languages) list += (list.empty() ? "" : ", ") + l;
            return FlagError("--lang", "\"" + *lang + "\" is not among the kiosk's languages (" + list + ")");
        }
        config.start_language = *lang;
    } else {
        const bool has_english = std::find(config.languages.begin(), config.languages.end(), kEnglish) != config.languages.end();
        config.start_language = has_english ? std::string(kEnglish) : config.languages.front();
    }
    return {};
}

core::Result<void> ReadConfigFile(const std::filesystem::path& path, Config& config) {
    const ConfigError err(path);
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return err.File("is a folder, not a file");
    std::ifstream in(path);
    if (!in) return err.File(std::string("cannot read: ") + std::strerror(errno));
    config.file = path;

    std::map<std::string, Section, std::less<>> sections;
    std::string current;
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        std::string_view text = line;
        if (line_no == 1 && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a BOM from Windows editors
        const std::string t = Trim(text);
        if (t.empty() || t[0] == '#' || t[0] == ';') continue;
        if (t.front() == '[') {
            if (t.back() != ']') return err.Line(line_no, "expected [section]");
            current = Trim(std::string_view(t).substr(1, t.size() - 2));
            if (!KnownKeys().contains(current)) return err.Line(line_no, "[" + current + "]: unknown section");
            sections[current];
            continue;
        }
        const auto eq = t.find('=');
        if (eq == std::string::npos) return err.Line(line_no, "expected key = value");
        const std::string key = Trim(std::string_view(t).substr(0, eq));
        if (current.empty()) return err.Line(line_no, key + ": outside any [section]");
        if (!KnownKeys().find(current)->second.contains(key))
            return err.Line(line_no, "[" + current + "] " + key + ": unknown key");
        auto [it, inserted] = sections[current].emplace(key, Entry{Trim(std::string_view(t).substr(eq + 1)), line_no});
        if (!inserted) return err.Line(line_no, "[" + current + "] " + key + ": given twice");
    }
    if (in.bad()) return err.File(std::string("cannot read: ") + std::strerror(errno));

    auto get = [&](std::string_view section, std::string_view key) -> const Entry* {
        auto s = sections.find(section);
        if (s == sections.end()) return nullptr;
        auto k = s->second.find(key);
        return k == s->second.end() ? nullptr : &k->second;
    };
    auto required = [&](std::string_view section, std::string_view key) -> core::Result<std::string> {
        const Entry* e = get(section, key);
        if (!e) return err.Key(section, key, "missing");
        if (e->value.empty()) return err.Key(section, key, "empty");
        return e->value;
    };

    auto name = required("practice", "name");
    if (!name) return name.error();
    config.practice_name = *name;

    auto zone = required("practice", "time_zone");
    if (!zone) return zone.error();
    std::shared_ptr<const core::TimeZone> tz = i18n::MakeTimeZone(*zone);
    if (!tz) return err.Key("practice", "time_zone", "unknown time zone \"" + *zone + "\"");
    config.time_zone_id = *zone;
    config.time_zone = std::move(tz);

    auto key = required("practice", "public_key");
    if (!key) return key.error();
    std::size_t key_len = 0;
    const char* end = nullptr;
    std::array<std::uint8_t, 32> bytes{};
    if (sodium_base642bin(bytes.data(), bytes.size(), key->data(), key->size(), nullptr, &key_len, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != key->data() + key->size() || key_len != bytes.size())
        return err.Key("practice", "public_key", "not 32 bytes of base64");
    config.public_key = bytes;

    auto id = required("kiosk", "id");
    if (!id) return id.error();
    if (id->size() > 64 || !std::all_of(id->begin(), id->end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
        }))
        return err.Key("kiosk", "id", "use up to 64 letters, digits, '.', '-' or '_'");
    config.kiosk_id = *id;

    auto database = required("kiosk", "database");
    if (!database) return database.error();
    config.database = std::filesystem::path(*database);
    if (config.database.is_relative()) config.database = std::filesystem::absolute(path).parent_path() / config.database;

    if (const Entry* e = get("kiosk", "locales")) {
        if (e->value.empty()) return err.Key("kiosk", "locales", "empty");
        config.locales = e->value;
        if (config.locales.is_relative()) config.locales = std::filesystem::absolute(path).parent_path() / config.locales;
    } else {
        config.locales = i18n::DefaultLocalesDir();
    }
    if (auto english = i18n::LoadManifest(config.locales / std::string(kEnglish)); !english || english->tag != kEnglish)
        return err.Key("kiosk", "locales",
                       "no en-GB language pack in " + config.locales.string() + " (every pack falls back to it)");

    if (const Entry* e = get("kiosk", "languages")) {
        // A listed pack that is missing or damaged is not refused here: LoadPacks leaves it out of the
        // picker with one line saying why, and the kiosk serves the other languages.
        config.languages.clear();
        for (const auto& tag : SplitList(e->value)) {
            if (tag.empty()) return err.Key("kiosk", "languages", "an empty entry in \"" + e->value + "\"");
            if (std::find(config.languages.begin(), config.languages.end(), tag) != config.languages.end())
                return err.Key("kiosk", "languages", "\"" + tag + "\" listed twice");
            config.languages.push_back(tag);
        }
        if (config.languages.empty()) return err.Key("kiosk", "languages", "empty");
    } else {
        config.languages = {std::string(kEnglish)};  // English first, then the others as installed
        for (const auto& tag : i18n::InstalledPacks(config.locales))
            if (tag != kEnglish) config.languages.push_back(tag);
    }

    if (const Entry* e = get("packs", "service_key")) {
        const auto decoded = i18n::FromBase64(e->value);
        i18n::SignPublicKey service_key{};
        if (!decoded || decoded->size() != service_key.size())
            return err.Key("packs", "service_key", "not the base64 of a 32-byte ed25519 public key");
        std::copy(decoded->begin(), decoded->end(), service_key.begin());
        config.service_key = service_key;
    }

    if (const Entry* e = get("server", "database")) {
        if (auto valid = store::pg::CheckConnInfo(e->value); !valid) return err.Key("server", "database", valid.error().detail);
        config.server = e->value;
    }

    if (const Entry* e = get("kiosk", "idle_timeout_seconds")) {
        const auto n = ParseInt(e->value);
        if (!n || *n < 10 || *n > 3600)
            return err.Key("kiosk", "idle_timeout_seconds", "not a whole number of seconds from 10 to 3600");
        config.idle_timeout_seconds = *n;
    }
    if (const Entry* e = get("kiosk", "pixels_per_mm")) {
        double v = 0;
        const auto [end_ptr, parse_ec] = std::from_chars(e->value.data(), e->value.data() + e->value.size(), v);
        if (parse_ec != std::errc() || end_ptr != e->value.data() + e->value.size() || !(v >= 1.0 && v <= 40.0))
            return err.Key("kiosk", "pixels_per_mm", "not a number of pixels per millimetre from 1 to 40");
        config.pixels_per_mm = v;
    }
    if (const Entry* e = get("kiosk", "more_time_seconds")) {
        const auto n = ParseInt(e->value);
        if (!n || *n < 5 || *n > 300)
            return err.Key("kiosk", "more_time_seconds", "not a whole number of seconds from 5 to 300");
        config.more_time_seconds = *n;
    }
    return {};
}

}  // namespace htk::app
