// Three kiosk processes and a desk process race for the same slots through PostgreSQL (issue 9).
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "pg_fixture.h"

using namespace htk;

namespace {

struct Racer {
    std::string origin;  // "kiosk:race-1", or "desk" for the desk
    FILE* out = nullptr;
    long booked = 0, taken = 0, already = 0;
};

}  // namespace

TEST_CASE("three kiosks and a desk race for 20 slots 10,000 times: never two live bookings of one slot") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown");
    const auto other = server.AddPractice("Harehills");  // its slot at the same times must not matter
    const std::string p = std::to_string(practice);
    server.cluster->Exec("INSERT INTO htk.trainers (practice_id, id, display_name, languages) VALUES (" + p + ", 1, 'Ayşe', 'tr,ku'), (" + p +
                         ", 2, 'Bilal', 'ur,pa'), (" + std::to_string(other) + ", 1, 'Other', 'en');"
                         "INSERT INTO htk.slots SELECT " + p + ", t, 1800000000 + h * 3600, 1800003600 + h * 3600 "
                         "FROM generate_series(1, 2) t, generate_series(0, 9) h;"
                         "INSERT INTO htk.slots VALUES (" + std::to_string(other) + ", 1, 1800000000, 1800003600);"
                         "CREATE VIEW htk.slots_for_race AS SELECT trainer_id, start_at, end_at FROM htk.slots WHERE practice_id = " + p + ";"
                         "GRANT SELECT ON htk.slots_for_race TO htk_kiosk, htk_desk;");
    std::vector<Racer> racers;
    std::vector<std::string> conninfos;
    for (int k = 1; k <= 3; ++k) {
        conninfos.push_back(server.AddKiosk(practice, "race-" + std::to_string(k)));
        racers.push_back({"kiosk:race-" + std::to_string(k)});
    }
    // The desk's requests: forwarded earlier by a kiosk, as in a practice's day.
    server.cluster->Exec("INSERT INTO htk.referrals (uid, practice_id, origin, reference, route, reasons, language, interpreter, waiting_list, "
                         "contact, best_times, consent_version, created_at, sealed) SELECT gen_random_uuid(), " + p +
                         ", 'kiosk:earlier', 'E' || lpad(g::text, 7, '0'), 'self', 'moving', 'pl', false, true, 'phone', '', 'v1', 1, "
                         "decode(repeat('00', 64), 'hex') FROM generate_series(1, 200) g;"
                         "CREATE ROLE race_desk LOGIN PASSWORD '" + std::string(test::kLoginPassword) + "' IN ROLE htk_desk;"
                         "INSERT INTO htk.desks VALUES ('race_desk', " + p + ")");
    conninfos.push_back(server.cluster->ConnInfo("race_desk", test::kLoginPassword));
    racers.push_back({"desk"});

    constexpr int kAttemptsEach = 2500;  // 10,000 in all
    for (std::size_t i = 0; i < racers.size(); ++i) {
        const std::string command = std::string(HTK_PG_RACE) + (i < 3 ? " kiosk '" : " desk '") + conninfos[i] + "' " +
                                    std::to_string(kAttemptsEach) + " " + std::to_string(1000 + i);
        racers[i].out = popen(command.c_str(), "r");
        REQUIRE(racers[i].out);
    }
    long booked = 0, attempts = 0;
    for (Racer& r : racers) {
        char line[200] = {};
        const bool read = std::fgets(line, sizeof line, r.out) != nullptr;
        const int status = pclose(r.out);
        REQUIRE_MESSAGE(read, r.origin << " printed nothing");
        CHECK_MESSAGE(status == 0, r.origin << " failed");
        REQUIRE(std::sscanf(line, "booked %ld taken %ld already %ld", &r.booked, &r.taken, &r.already) == 3);
        booked += r.booked;
        attempts += r.booked + r.taken + r.already;
        MESSAGE(r.origin << ": " << line);
        // Every kiosk request was new; the desk may ask again for a slot its request already holds (Already).
        if (r.origin != "desk") CHECK(r.already == 0);
        CHECK(r.booked > 0);    // each racer won some: the race was real
        CHECK(r.taken > 0);     // and lost some
    }
    CHECK(attempts == 4 * kAttemptsEach);
    // The rule itself: at most one live booking per slot, over the whole race.
    CHECK(server.cluster->Scalar("SELECT count(*) FROM (SELECT 1 FROM htk.bookings WHERE status NOT LIKE 'cancelled%' "
                                 "GROUP BY practice_id, trainer_id, start_at HAVING count(*) > 1) d") == "0");
    // Every "booked" answer is one booking row, and a lost race stored nothing: a kiosk's request exists
    // exactly when its booking does.
    CHECK(std::stol(server.cluster->Scalar("SELECT count(*) FROM htk.bookings")) == booked);
    for (int k = 0; k < 3; ++k) {
        const std::string& origin = racers[static_cast<std::size_t>(k)].origin;
        CHECK(server.Count("origin = '" + origin + "'") == racers[static_cast<std::size_t>(k)].booked);
        CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.referrals r WHERE origin = '" + origin +
                                     "' AND NOT EXISTS (SELECT FROM htk.bookings b WHERE b.referral_id = r.id)") == "0");
    }
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.bookings WHERE practice_id <> " + p) == "0");
    std::printf("race: %ld attempts by 3 kiosks and a desk on 20 slots, %ld booked, no slot booked twice\n", attempts, booked);
}
