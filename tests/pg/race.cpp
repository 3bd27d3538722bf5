// htk_pg_race: one racer of tests/pg's double-booking race, as its own process with its own login.
//   htk_pg_race kiosk CONNINFO ATTEMPTS SEED   new requests, each for a random slot of the practice,
//                                              through htk.kiosk_book (the kiosk's booking call)
//   htk_pg_race desk CONNINFO ATTEMPTS SEED    bookings of existing requests through htk.desk_book;
//                                              every other attempt first cancels a random live booking,
//                                              so slots keep coming free and the race never settles
// Every racer picks from ALL slots, not the free list, as a kiosk whose list went stale would.
// Prints "booked N taken M already K" on stdout; exit 1 on any error.
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "store/forward_repo.h"
#include "store/pg/booking.h"
#include "store/pg/connection.h"

using namespace htk;
namespace pg = store::pg;

namespace {

int Fail(const std::string& what, const core::Error& e) {
    std::fprintf(stderr, "htk_pg_race: %s: %s: %s\n", what.c_str(), std::string(core::ErrcName(e.code)).c_str(), e.detail.c_str());
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: htk_pg_race kiosk|desk CONNINFO ATTEMPTS SEED\n");
        return 2;
    }
    const std::string_view mode = argv[1];
    const int attempts = std::stoi(argv[3]);
    std::mt19937_64 random(std::stoull(argv[4]));
    auto db = pg::Connection::Open(argv[2], "htk_pg_race");
    if (!db) return Fail("connect", db.error());
    // The slots as a stale list would have them: every one, booked or not (read by the test's owner beforehand).
    auto all = db->Query("SELECT trainer_id, start_at, end_at FROM htk.slots_for_race");
    if (!all) return Fail("slots", all.error());
    std::vector<core::Slot> slots;
    for (int i = 0; i < all->Count(); ++i) slots.push_back({all->Int(i, 0), all->Int(i, 1), all->Int(i, 2)});
    if (slots.empty()) return Fail("slots", core::Error{core::Errc::NotFound, "none"});
    std::vector<std::int64_t> requests;
    if (mode == "desk") {
        auto rows = db->Query("SELECT id FROM htk.referrals WHERE status = 'new'");
        if (!rows) return Fail("requests", rows.error());
        for (int i = 0; i < rows->Count(); ++i) requests.push_back(rows->Int(i, 0));
        if (requests.empty()) return Fail("requests", core::Error{core::Errc::NotFound, "none"});
    }
    long booked = 0, taken = 0, already = 0;
    const std::string alphabet = "ACEFHJKMNPRTWXY3479";
    for (int n = 0; n < attempts; ++n) {
        const core::Slot slot = slots[random() % slots.size()];
        core::Result<pg::BookOutcome> outcome = core::Error{core::Errc::Internal, ""};
        if (mode == "kiosk") {
            store::Outgoing r;
            r.uid = store::NewUuid();
            r.reference = "";
            for (int c = 0; c < 8; ++c) r.reference += alphabet[random() % alphabet.size()];
            r.route = "self";
            r.reasons = "moving";
            r.language = "ur";
            r.contact = "phone";
            r.best_times = "morning";
            r.consent_version = "race";
            r.created_at = 1'800'000'000 + n;
            r.sealed.assign(64, static_cast<std::uint8_t>(n));
            outcome = pg::KioskBook(*db, slot, r);
        } else {
            if (n % 2 == 0) {
                auto cancelled = db->Query("UPDATE htk.bookings SET status = 'cancelled_by_practice' WHERE id = "
                                           "(SELECT id FROM htk.bookings WHERE status = 'requested' ORDER BY random() LIMIT 1)");
                if (!cancelled) return Fail("cancel", cancelled.error());
            }
            outcome = pg::DeskBook(*db, requests[random() % requests.size()], slot, 1'800'000'000 - 86'400);  // a day before the slots
        }
        if (!outcome) return Fail("book", outcome.error());
        if (*outcome == pg::BookOutcome::Booked) ++booked;
        else if (*outcome == pg::BookOutcome::Taken) ++taken;
        else ++already;
    }
    std::printf("booked %ld taken %ld already %ld\n", booked, taken, already);
    return 0;
}
