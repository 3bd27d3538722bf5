// ht-kiosk's configuration: the INI file `ht-admin` writes, plus command-line flags.
// Any bad value is refused with one message naming the file and key; nothing is written.
#pragma once
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "i18n/pack_install.h"
#include "platform/window.h"
#include "ui/screens/screen.h"

namespace htk::app {

inline constexpr int kDefaultIdleTimeoutSeconds = 60;   // then "Do you need more time?"
inline constexpr int kDefaultMoreTimeSeconds = 15;      // its countdown, then the session is wiped
inline constexpr int kDefaultScreenshotFrames = 3;
inline constexpr int kDefaultBenchFrames = 10;         // --bench: frames per screen and language

struct Config {
    std::filesystem::path file;  // the INI file this came from

    // [practice]
    std::string practice_name;
    std::string time_zone_id;                         // IANA, e.g. "Europe/London"
    std::shared_ptr<const core::TimeZone> time_zone;  // never null after LoadConfig
    std::array<std::uint8_t, 32> public_key{};        // X25519: the kiosk seals to it, never holds the secret

    // [kiosk]
    std::string kiosk_id;                             // "kiosk-1": the actor "kiosk:<id>" in the audit log
    std::filesystem::path database;                   // absolute (relative paths resolve against the file's folder)
    std::filesystem::path locales;                    // compiled language packs
    std::vector<std::string> languages;               // pack tags in the picker's order (LoadPacks leaves out what it cannot load)
    int idle_timeout_seconds = kDefaultIdleTimeoutSeconds;
    int more_time_seconds = kDefaultMoreTimeSeconds;
    double pixels_per_mm = 0.0;                       // the panel's density; 0: not stated

    // [packs]
    std::optional<i18n::SignPublicKey> service_key;   // set: packs must carry the service's signature

    // [server]
    std::string server;  // libpq connection string of a shared PostgreSQL database; empty: this machine alone

    // Flags
    std::optional<std::filesystem::path> config_flag; // --config
    std::optional<std::string> lang_flag;             // --lang
    std::string start_language;                       // --lang, else en-GB, else the first language
    std::optional<ui::Screen> screen;                 // --screen: open there instead of attract
    std::optional<std::filesystem::path> screenshot;  // --screenshot FILE.png
    int frames = kDefaultScreenshotFrames;            // --frames N (kDefaultBenchFrames with --bench)
    std::optional<std::filesystem::path> rects_file;  // --rects FILE: widget rects for xdotool tests
    std::optional<platform::WindowSize> window;       // --window WxH; nullopt: the whole display
    platform::RendererChoice renderer = platform::RendererChoice::Auto;
    bool list_screens = false;                        // --list-screens: print names, read no file
    bool bench = false;                               // --bench: time every screen in every language, print, exit
    bool help = false;                                // --help
};

// ParseFlags, then (unless --list-screens or --help) LoadConfigFile. The error's detail is the whole
// message, e.g. "/x/kiosk.conf: [practice] public_key: not 32 bytes of base64".
core::Result<Config> LoadConfig(int argc, const char* const* argv);

// The flags alone; reads nothing.
core::Result<Config> ParseFlags(int argc, const char* const* argv);
// The file named by --config, else $HTK_CONFIG, else DefaultConfigPath(), into `config` (whose
// flags are set), then the flags that depend on it (--lang).
core::Result<void> LoadConfigFile(Config& config);
// Reads the INI file alone into `config`.
core::Result<void> ReadConfigFile(const std::filesystem::path& file, Config& config);

// ${XDG_DATA_HOME:-~/.local/share}/ht-kiosk/kiosk.conf: where the set-up script's demo lives.
std::filesystem::path DefaultConfigPath();

std::string Usage();

}  // namespace htk::app
