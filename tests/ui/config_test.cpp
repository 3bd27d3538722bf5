// ht-kiosk's config: a good file, and each kind of bad file or flag with its one clear message.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/packs.h"
#include "i18n/catalog.h"
#include "i18n/pack_install.h"
#include "tests/support/kiosk.h"

using htk::app::Config;
using htk::app::LoadConfig;

namespace {

const char* const kGoodKey = "YSBtb2NrIFgyNTUxOSBrZXkgZm9yIFVJIHRlc3RzISE=";  // 32 bytes

struct Fixture {
    htk::test::TempDir dir;
    std::filesystem::path file = dir.Path() / "kiosk.conf";

    void Write(const std::string& text) const {
        std::ofstream out(file);
        out << text;
    }

    std::string Good(const std::string& extra_kiosk = "") const {
        return "# Health Trainer Kiosk configuration\n"
               "[practice]\n"
               "name = Chapeltown Health Centre\n"
               "time_zone = Europe/London\n"
               "public_key = " +
               std::string(kGoodKey) +
               "\n"
               "[kiosk]\n"
               "id = kiosk-1\n"
               "database = " +
               (dir.Path() / "kiosk.db").string() + "\nlocales = " + htk::i18n::DefaultLocalesDir().string() + "\n" +
               extra_kiosk;
    }

    htk::core::Result<Config> Load(std::vector<std::string> flags = {}) const {
        std::vector<std::string> args{"ht-kiosk", "--config", file.string()};
        args.insert(args.end(), flags.begin(), flags.end());
        std::vector<const char*> argv;
        for (const auto& a : args) argv.push_back(a.c_str());
        return LoadConfig(static_cast<int>(argv.size()), argv.data());
    }

    // The one message for a bad file: it names the file and says what is wrong.
    std::string Error(const std::string& text, std::vector<std::string> flags = {}) const {
        Write(text);
        auto c = Load(std::move(flags));
        REQUIRE_FALSE(c.ok());
        CHECK(c.error().code == htk::core::Errc::BadConfig);
        CHECK(c.error().detail.find('\n') == std::string::npos);
        return c.error().detail;
    }
};

bool Contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a config as ht-admin writes it loads with defaults for the optional keys") {
    Fixture f;
    f.Write(f.Good());
    auto c = f.Load();
    REQUIRE(c.ok());
    CHECK(c->practice_name == "Chapeltown Health Centre");
    CHECK(c->time_zone_id == "Europe/London");
    REQUIRE(c->time_zone);
    CHECK(c->time_zone->OffsetSecondsAt(1751371200) == 3600);  // 2025-07-01: BST
    CHECK(c->public_key[0] == 'a');
    CHECK(c->public_key[31] == '!');
    CHECK(c->kiosk_id == "kiosk-1");
    CHECK(c->database == f.dir.Path() / "kiosk.db");
    CHECK(c->idle_timeout_seconds == 60);
    CHECK(c->more_time_seconds == 15);
    REQUIRE(c->languages.size() == 15);  // every shipped pack
    CHECK(c->languages.front() == "en-GB");  // English first, then as installed
    CHECK(c->languages[1] == "ar");
    CHECK(c->start_language == "en-GB");
    CHECK(c->file == f.file);
}

TEST_CASE("a listed language without a pack is not a bad config: LoadPacks leaves it out and serves the rest") {
    Fixture f;  // issue 8: a missing pack must not stop the kiosk (tests/faults checks its one log line)
    f.Write(f.Good("languages = en-GB, xh, tr\n"));
    auto c = f.Load();
    REQUIRE(c.ok());
    CHECK(c->languages == std::vector<std::string>{"en-GB", "xh", "tr"});
    auto packs = htk::app::LoadPacks(*c);
    REQUIRE(packs.ok());
    std::vector<std::string> tags;
    for (const auto& p : *packs) tags.push_back(p.Tag());
    CHECK(tags == std::vector<std::string>{"en-GB", "tr"});
}

TEST_CASE("optional keys and flags") {
    Fixture f;
    f.Write(f.Good("languages = ur, en-GB\nidle_timeout_seconds = 45\npixels_per_mm = 3.6\n"));
    auto c = f.Load({"--lang", "ur", "--screen", "home", "--window", "1080x1920", "--renderer=software",
                     "--screenshot", "out.png", "--frames", "7"});
    REQUIRE(c.ok());
    CHECK(c->languages == std::vector<std::string>{"ur", "en-GB"});
    CHECK(c->idle_timeout_seconds == 45);
    CHECK(c->pixels_per_mm == doctest::Approx(3.6));
    CHECK(c->start_language == "ur");
    CHECK(c->screen == htk::ui::Screen::Home);
    REQUIRE(c->window);
    CHECK(c->window->width == 1080);
    CHECK(c->window->height == 1920);
    CHECK(c->renderer == htk::platform::RendererChoice::Software);
    CHECK(c->screenshot == std::filesystem::path("out.png"));
    CHECK(c->frames == 7);
}

TEST_CASE("[server] database names a shared PostgreSQL database; without it the kiosk stands alone") {
    Fixture f;
    f.Write(f.Good());
    CHECK(f.Load()->server.empty());
    f.Write(f.Good() + "[server]\ndatabase = service=htk sslmode=verify-full\n");
    auto c = f.Load();
    REQUIRE(c.ok());
    CHECK(c->server == "service=htk sslmode=verify-full");
    f.Write(f.Good() + "[server]\ndatabase = host=db.example port\n");
    auto bad = f.Load();
    REQUIRE_FALSE(bad);
    CHECK(bad.error().detail.find("[server] database: not a libpq connection string") != std::string::npos);
}

TEST_CASE("--renderer names each renderer; auto is the default") {
    Fixture f;
    f.Write(f.Good(""));
    CHECK(f.Load({})->renderer == htk::platform::RendererChoice::Auto);
    CHECK(f.Load({"--renderer", "auto"})->renderer == htk::platform::RendererChoice::Auto);
    CHECK(f.Load({"--renderer", "gl"})->renderer == htk::platform::RendererChoice::OpenGl);
    CHECK(f.Load({"--renderer", "gles"})->renderer == htk::platform::RendererChoice::Gles);
    CHECK(f.Load({"--renderer", "software"})->renderer == htk::platform::RendererChoice::Software);
}

TEST_CASE("a relative database path is relative to the config file and not to where ht-kiosk runs") {
    Fixture f;
    std::string text = f.Good();
    text.replace(text.find("database = "), text.find('\n', text.find("database = ")) - text.find("database = "),
                 "database = data/kiosk.db");
    f.Write(text);
    auto c = f.Load();
    REQUIRE(c.ok());
    CHECK(c->database == std::filesystem::absolute(f.dir.Path()) / "data" / "kiosk.db");
}

TEST_CASE("the flags --list-screens and --help need no config file") {
    const char* argv[] = {"ht-kiosk", "--config", "/nonexistent/kiosk.conf", "--list-screens"};
    auto c = LoadConfig(4, argv);
    REQUIRE(c.ok());
    CHECK(c->list_screens);
}

TEST_CASE("each bad config gets one message naming the file and the key") {
    Fixture f;
    const std::string file = f.file.string();
    auto replace = [&](const std::string& from, const std::string& to) {
        std::string text = f.Good();
        const auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), to);
        return text;
    };

    SUBCASE("missing file") {
        const char* argv[] = {"ht-kiosk", "--config", "/nonexistent/kiosk.conf"};
        auto c = LoadConfig(3, argv);
        REQUIRE_FALSE(c.ok());
        CHECK(c.error().detail == "/nonexistent/kiosk.conf: cannot read: No such file or directory");
    }
    SUBCASE("a folder") {
        const char* argv[] = {"ht-kiosk", "--config", "/tmp"};
        auto c = LoadConfig(3, argv);
        REQUIRE_FALSE(c.ok());
        CHECK(c.error().detail == "/tmp: is a folder, not a file");
    }
    SUBCASE("public key: not base64") {
        CHECK(f.Error(replace(kGoodKey, "not base64 at all!")) ==
              file + ": [practice] public_key: not 32 bytes of base64");
    }
    SUBCASE("public key: too short") {
        CHECK(f.Error(replace(kGoodKey, "c2hvcnQ=")) == file + ": [practice] public_key: not 32 bytes of base64");
    }
    SUBCASE("public key: too long") {
        CHECK(f.Error(replace(kGoodKey, std::string(kGoodKey) + "AAAA")) ==
              file + ": [practice] public_key: not 32 bytes of base64");
    }
    SUBCASE("public key: URL-safe variant") {
        CHECK(f.Error(replace(kGoodKey, "YSBtb2NrIFgyNTUxOSBrZXkgZm9yIFVJIHRlc3RzISE_-")) ==
              file + ": [practice] public_key: not 32 bytes of base64");
    }
    SUBCASE("unknown time zone") {
        CHECK(f.Error(replace("Europe/London", "Europe/Chapeltown")) ==
              file + ": [practice] time_zone: unknown time zone \"Europe/Chapeltown\"");
    }
    SUBCASE("missing name") {
        CHECK(f.Error(replace("name = Chapeltown Health Centre\n", "")) == file + ": [practice] name: missing");
    }
    SUBCASE("empty name") {
        CHECK(f.Error(replace("name = Chapeltown Health Centre", "name =")) == file + ": [practice] name: empty");
    }
    SUBCASE("missing database") {
        std::string text = f.Good();
        text.erase(text.find("database = "), text.find('\n', text.find("database = ")) - text.find("database = ") + 1);
        CHECK(f.Error(text) == file + ": [kiosk] database: missing");
    }
    SUBCASE("bad kiosk id") {
        CHECK(f.Error(replace("id = kiosk-1", "id = kiosk 1")) ==
              file + ": [kiosk] id: use up to 64 letters, digits, '.', '-' or '_'");
    }
    SUBCASE("idle timeout not a number") {
        CHECK(f.Error(f.Good("idle_timeout_seconds = soon\n")) ==
              file + ": [kiosk] idle_timeout_seconds: not a whole number of seconds from 10 to 3600");
    }
    SUBCASE("idle timeout out of range") {
        CHECK(Contains(f.Error(f.Good("idle_timeout_seconds = 5\n")), "[kiosk] idle_timeout_seconds:"));
    }
    SUBCASE("pixels per millimetre with a unit or out of range") {
        for (const char* bad : {"3.6mm", "0.5", "41", "", "three"}) {
            CAPTURE(bad);
            CHECK(f.Error(f.Good(std::string("pixels_per_mm = ") + bad + "\n")) ==
                  file + ": [kiosk] pixels_per_mm: not a number of pixels per millimetre from 1 to 40");
        }
    }
    SUBCASE("a language listed twice") {
        CHECK(f.Error(f.Good("languages = tr, en-GB, tr\n")) == file + ": [kiosk] languages: \"tr\" listed twice");
    }
    SUBCASE("locales without English") {
        CHECK(Contains(f.Error(replace("locales = " + htk::i18n::DefaultLocalesDir().string(),
                                       "locales = " + f.dir.Path().string())),
                       ": [kiosk] locales: no en-GB language pack in "));
    }
    SUBCASE("unknown key") {
        CHECK(f.Error(f.Good("colour = blue\n")) == file + ":10: [kiosk] colour: unknown key");
    }
    SUBCASE("unknown section") {
        CHECK(f.Error(f.Good("[printer]\n")) == file + ":10: [printer]: unknown section");
    }
    SUBCASE("a key twice") {
        CHECK(f.Error(f.Good("id = kiosk-2\n")) == file + ":10: [kiosk] id: given twice");
    }
    SUBCASE("not key = value") {
        CHECK(f.Error(f.Good("just some words\n")) == file + ":10: expected key = value");
    }
    SUBCASE("a key before any section") {
        CHECK(f.Error("name = x\n" + f.Good()) == file + ":1: name: outside any [section]");
    }
    SUBCASE("--lang not among the languages") {
        CHECK(f.Error(f.Good("languages = en-GB, tr\n"), {"--lang", "ur"}) ==
              "--lang: \"ur\" is not among the kiosk's languages (en-GB, tr)");
    }
}

TEST_CASE("bad flags get one message naming the flag") {
    Fixture f;
    f.Write(f.Good());
    auto error = [&](std::vector<std::string> flags) {
        auto c = f.Load(std::move(flags));
        REQUIRE_FALSE(c.ok());
        return c.error().detail;
    };
    CHECK(error({"--window", "big"}) == "--window: expected WxH such as 1280x800, got \"big\"");
    CHECK(error({"--window", "10x10"}) == "--window: expected WxH such as 1280x800, got \"10x10\"");
    CHECK(error({"--renderer", "vulkan"}) == "--renderer: expected auto, gl, gles or software, got \"vulkan\"");
    CHECK(error({"--screen", "nowhere"}) == "--screen: no screen \"nowhere\" (see --list-screens)");
    CHECK(error({"--frames", "0"}) == "--frames: expected a number of frames from 1 to 1000");
    CHECK(error({"--fullscreen"}) == "--fullscreen: unknown option (see --help)");
    CHECK(error({"--screenshot"}) == "--screenshot: needs a value");
}

TEST_CASE("loading a good or bad config writes nothing") {
    Fixture f;
    f.Write(f.Good("idle_timeout_seconds = never\n"));
    CHECK_FALSE(f.Load().ok());
    f.Write(f.Good());
    CHECK(f.Load().ok());
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(f.dir.Path())) files.push_back(e.path().filename().string());
    CHECK(files == std::vector<std::string>{"kiosk.conf"});
}

TEST_CASE("a kiosk holding the service's key serves only signed, unaltered packs") {
    htk::test::TempDir dir;
    const auto live = dir.Path() / "locales";
    std::filesystem::copy(htk::i18n::DefaultLocalesDir(), live, std::filesystem::copy_options::recursive);
    const auto keys = htk::i18n::MakeSigningKeys();
    REQUIRE(htk::i18n::SignPack(live / "en-GB", keys.secret_key));
    REQUIRE(htk::i18n::SignPack(live / "tr", keys.secret_key));
    REQUIRE(htk::i18n::SignPack(live / "so", keys.secret_key));
    std::ofstream(live / "so" / "manifest.ini", std::ios::app) << "# altered after signing\n";  // ur: never signed

    htk::test::KioskOptions o;
    o.locales = live;
    o.languages = {"en-GB", "tr", "so", "ur"};
    const auto file = htk::test::WriteConfig(dir.Path(), o);
    std::ofstream(file, std::ios::app) << "[packs]\nservice_key = "
                                       << htk::i18n::ToBase64(keys.public_key.data(), keys.public_key.size()) << "\n";
    const std::string arg = file.string();
    const char* argv[] = {"ht-kiosk", "--config", arg.c_str()};
    auto config = htk::app::LoadConfig(3, argv);
    REQUIRE(config);
    auto packs = htk::app::LoadPacks(*config);
    REQUIRE(packs);
    std::vector<std::string> tags;
    for (const auto& p : *packs) tags.push_back(p.Tag());
    CHECK(tags == std::vector<std::string>{"en-GB", "tr"});

    std::ofstream(live / "en-GB" / "manifest.ini", std::ios::app) << "# altered\n";
    auto without_english = htk::app::LoadPacks(*config);
    REQUIRE_FALSE(without_english);
    CHECK(without_english.error().detail.find("en-GB pack is refused") != std::string::npos);

    auto bad_key = htk::test::WriteConfig(dir.Path(), o);
    std::ofstream(bad_key, std::ios::app) << "[packs]\nservice_key = short\n";
    auto refused = htk::app::LoadConfig(3, argv);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().detail == arg + ": [packs] service_key: not the base64 of a 32-byte ed25519 public key");
}
