// kiosk_autopilot: the real App and SQLite store (test::Kiosk: ht-kiosk's code and database
// settings, without the window) on a database file, completing referral and booking journeys one
// session after another and printing each reference it shows, for the crash test to kill at random.
// It lives in tests, not in ht-kiosk: a production binary must never be able to write fake referrals.
//
//   kiosk_autopilot --database FILE [--count N] [--first I]
//
// Lines on stdout, each flushed at once: OPEN (before the database is opened or created), STORE (it
// is open, migrated and holds the practice), READY (the packs are loaded and attract is drawn), SEND <i> (just before the tap that sends session i), REF <reference>
// (the Sent screen shows it), DONE. Exit codes: 0 done, 1 failure, 2 bad arguments.
#include <charconv>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "i18n/catalog.h"
#include "store/database.h"
#include "store/sealing.h"
#include "tests/support/kiosk.h"
#include "tests/support/patient.h"

namespace {

// Rotated through session by session: right-to-left (ar, ur) and Indic scripts (bn, pa) among them.
const std::vector<std::string> kLanguages = {"en-GB", "ar", "bn", "ur", "pl", "pa", "tr", "so"};

void Say(const std::string& line) {
    std::fputs((line + "\n").c_str(), stdout);
    std::fflush(stdout);  // the test reads what was said before the kill: nothing may wait in a buffer
}

int Usage(const char* why) {
    std::fprintf(stderr, "kiosk_autopilot: %s\nusage: kiosk_autopilot --database FILE [--count N] [--first I]\n", why);
    return 2;
}

bool ParseCount(std::string_view text, long& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size() && out >= 0;
}

// The harness's practice, set up once in the file (one transaction: a kill leaves all or nothing).
void EnsurePractice(const std::filesystem::path& file, const htk::test::KioskOptions& options) {
    auto db = htk::store::Open(file);  // creates the file and runs the migrations, as ht-admin init does
    if (!db) throw std::runtime_error("open: " + db.error().detail);
    auto key = htk::store::PracticePublicKey(*db);
    if (key) return;
    if (key.error().code != htk::core::Errc::NotFound) throw std::runtime_error("practice key: " + key.error().detail);
    htk::test::SetUpPractice(*db, options);
}

}  // namespace

int main(int argc, char** argv) {
    std::filesystem::path database;
    long count = 1000000;
    long first = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (i + 1 >= argc) return Usage("each option takes a value");
        const std::string_view value = argv[++i];
        if (arg == "--database") database = value;
        else if (arg == "--count" && ParseCount(value, count)) continue;
        else if (arg == "--first" && ParseCount(value, first)) continue;
        else return Usage("bad option");
    }
    if (database.empty()) return Usage("--database is required");

    try {
        htk::test::KioskOptions options;
        options.languages = kLanguages;
        options.locales = htk::i18n::DefaultLocalesDir();
        options.database = database;
        Say("OPEN");
        EnsurePractice(database, options);
        Say("STORE");
        htk::test::Kiosk k(options);
        Say("READY");
        for (long n = 0; n < count; ++n) {
            const long i = first + n;
            const std::string& tag = kLanguages[static_cast<std::size_t>(i) % kLanguages.size()];
            htk::test::JourneyOptions journey;
            journey.with_phone = i % 5 != 2;
            journey.before_send = [i] { Say("SEND " + std::to_string(i)); };
            htk::test::StartIn(k, tag);
            const std::string reference = i % 4 == 3 ? htk::test::Book(k, tag, journey) : htk::test::Refer(k, tag, journey);
            Say("REF " + reference);
            k.Tap("sent.finish");
            htk::test::Expect(k, "attract");
        }
        Say("DONE");
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kiosk_autopilot: %s\n", e.what());
        return 1;
    }
}
