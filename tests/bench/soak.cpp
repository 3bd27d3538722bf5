// soak: simulated patient sessions through the real App and store (test::Kiosk), one kiosk in one
// process as on a waiting-room wall for months: referrals, bookings, sessions abandoned to the idle
// timeout, Start again, language switches, Back, larger text, in every shipped pack. Memory must stay
// flat. Prints RSS and the text engine's caches (stderr) after the first 100 sessions and every
// 1000, then name<TAB>value<TAB>unit lines (stdout) for tests/bench/run. Usage: soak [--sessions N]
// [--seed S]. Never judges a figure; a journey that goes astray stops it with exit code 1.
#include <malloc.h>
#include <sqlite3.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/kiosk.h"
#include "tests/support/patient.h"

namespace {

using htk::test::Kiosk;
using Clock = std::chrono::steady_clock;

constexpr htk::core::UnixSeconds kBetweenSessions = 40 * 60;  // a busy waiting room: slots come and go

// A figure of /proc/self/status in MB: VmRSS, or its parts RssAnon (heap, stacks) and RssFile
// (mapped fonts, libraries: pages of them touched as new scripts are drawn).
double StatusMb(std::string_view field = "VmRSS:") {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with(field)) return std::stod(line.substr(field.size())) / 1024.0;  // kB
    return 0;
}
double RssMb() { return StatusMb(); }

void Print(const char* name, double value, const char* unit) { std::printf("%s\t%.1f\t%s\n", name, value, unit); }

void Report(Kiosk& k, long sessions, double seconds) {
    const auto s = k.Engine().Stats();
    const auto heap = mallinfo2();
    int cache = 0, unused = 0;  // SQLite's page cache fills up to its cache_size as the file grows
    sqlite3_db_status(k.Db().Handle(), SQLITE_DBSTATUS_CACHE_USED, &cache, &unused, 0);
    std::fprintf(stderr,
                 "soak: %6ld sessions %7.1f s  rss %6.1f MB (anon %.1f, file %.1f)  heap in use %.1f MB (SQLite cache "
                 "%.1f MB)  glyphs %zu in %d pages (%.1f MB)  layouts %zu (%.1f MB)  shaped words %zu  fallback lookups %zu\n",
                 sessions, seconds, RssMb(), StatusMb("RssAnon:"), StatusMb("RssFile:"),
                 static_cast<double>(heap.uordblks) / 1048576.0, cache / 1048576.0,
                 s.glyphs_cached, s.glyph_pages,
                 static_cast<double>(s.glyph_texture_bytes) / 1048576.0, s.layouts_cached,
                 static_cast<double>(s.layout_bytes) / 1048576.0, s.shaped_words_cached, s.fallback_lookups);
}

// The patient walks away mid-journey with their name typed: "more time?", then the session ends.
void WalkAway(Kiosk& k, const std::string& tag, bool answer_more_time) {
    htk::test::StartIn(k, tag);
    k.Tap("home.refer");
    htk::test::Expect(k, "reasons");
    htk::test::TapInList(k, "reasons.smoking");
    k.Tap("common.next");
    k.Tap("common.next");  // no note
    htk::test::Expect(k, "name");
    k.Type("name.field", htk::test::NameFor(tag));
    k.Advance(k.Config().idle_timeout_seconds);
    htk::test::Expect(k, "more_time");
    if (answer_more_time) {  // back for a moment, then gone for good
        k.Tap("more_time.yes");
        htk::test::Expect(k, "name");
        k.Advance(k.Config().idle_timeout_seconds);
    }
    k.Advance(k.Config().more_time_seconds);
}

void OneSession(Kiosk& k, long i, const std::string& tag, std::mt19937& rng) {
    auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
    htk::test::JourneyOptions o;
    o.with_phone = !chance(0.2);
    o.note = chance(0.2);
    o.low_mood = chance(0.1);
    o.larger_text = chance(0.15);
    o.switch_language = chance(0.15);
    o.back = chance(0.2);
    o.change_from_review = chance(0.1);
    const int kind = static_cast<int>(i % 20);
    if (kind < 8) {  // a referral; now and then typed key by key on the kiosk's own keyboard
        o.on_screen_keyboard = kind == 0;
        htk::test::StartIn(k, tag);
        htk::test::Refer(k, tag, o);
        if (chance(0.5)) k.Tap("sent.finish");
        else k.Advance(k.Config().idle_timeout_seconds);  // left without tapping Finish
    } else if (kind < 12) {
        htk::test::StartIn(k, tag);
        htk::test::Book(k, tag, o);
        k.Tap("sent.finish");
    } else if (kind < 15) {
        WalkAway(k, tag, kind == 14);
    } else if (kind == 15) {  // looked at home and left
        htk::test::StartIn(k, tag);
        k.Advance(k.Config().idle_timeout_seconds);
    } else if (kind == 16) {  // Start again from the middle of a booking
        htk::test::StartIn(k, tag);
        k.Tap("home.book");
        if (k.Screen() == "slots") k.Tap("booking.slot.0");
        if (k.Screen() == "reasons") k.Tap("common.larger_text");
        k.Tap("common.start_again");
    } else if (kind == 17) {  // reception, help, Back
        htk::test::StartIn(k, tag);
        k.Tap("home.reception");
        k.Tap("common.back");
        k.Tap("home.refer");
        k.Tap("common.help");
        htk::test::Expect(k, "help");
        k.Tap("common.close");
        htk::test::Expect(k, "reasons");
        k.Tap("common.back");
        htk::test::Expect(k, "home");
        k.Tap("common.start_again");
    } else if (kind == 18) {  // changes language at home, twice, then refers
        htk::test::StartIn(k, tag);
        k.Tap("common.language");
        k.Tap("language.en-GB");
        k.Tap("common.language");
        k.Tap("language." + tag);
        htk::test::Refer(k, tag, o);
        k.Tap("sent.finish");
    } else {  // the language picker, then Back: the session ends before it began
        k.Tap("attract.touch");
        htk::test::Expect(k, "language");
        k.Tap("common.back");
    }
    htk::test::Expect(k, "attract");
    if (k.App().CurrentViews() != k.App().FreshViews()) throw std::runtime_error("a session's Views outlived it");
}

bool ParseLong(std::string_view text, long& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size() && out > 0;
}

}  // namespace

int main(int argc, char** argv) {
    long sessions = 10000;
    long seed = 8;
    for (int i = 1; i < argc; i += 2) {
        const std::string_view arg = argv[i];
        const bool ok = i + 1 < argc && ((arg == "--sessions" && ParseLong(argv[i + 1], sessions)) ||
                                         (arg == "--seed" && ParseLong(argv[i + 1], seed)));
        if (!ok) {
            std::fprintf(stderr, "usage: soak [--sessions N] [--seed S]\n");
            return 2;
        }
    }
    try {
        Kiosk k;  // every shipped pack, a temp database with the harness's practice
        const std::vector<std::string> packs = htk::test::ShippedPacks();
        std::mt19937 rng(static_cast<std::mt19937::result_type>(seed));
        const auto t0 = Clock::now();
        auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
        double first = 0;
        for (long i = 0; i < sessions; ++i) {
            // Every pack within any 15 sessions; each kind of session meets each pack within 900.
            const std::string& tag = packs[static_cast<std::size_t>(i + i / 60) % packs.size()];
            try {
                OneSession(k, i, tag, rng);
            } catch (const std::exception& e) {
                throw std::runtime_error("session " + std::to_string(i) + " in " + tag + ": " + e.what());
            }
            k.ShiftWall(kBetweenSessions);
            const long done = i + 1;
            if (done == 100 || done % 1000 == 0 || done == sessions) Report(k, done, elapsed());
            if (done == std::min(100L, sessions)) first = RssMb();
        }
        const double seconds = elapsed();
        Print("soak_rss_first_mb", first, "MB");
        Print("soak_rss_last_mb", RssMb(), "MB");
        std::printf("soak_sessions\t%ld\tsessions\n", sessions);
        Print("soak_s", seconds, "s");
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "soak: %s\n", e.what());
        return 1;
    }
}
