// Reports on the shared database: see reports.h.
#include "store/pg/reports.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>

namespace htk::store::pg {

using core::Result;

namespace {

// The figures of each practice this login sees, by id, and of them all.
struct Read {
    std::map<std::int64_t, PracticeFigures> practices;  // figures filled in by Take
    std::map<std::int64_t, FiguresBuilder> builders;
    std::optional<FiguresBuilder> all;
};

Result<Read> ReadFigures(Connection& server, core::LocalDate from, core::LocalDate to, const core::TimeZone& zone) {
    auto start = FiguresBuilder::Start(from, to, zone);
    if (!start) return start.error();
    Read out;
    out.all = *start;
    // Every practice, those without a request or booking in the range too: a silent practice is news.
    // Names need not be unique: the id tells two practices apart.
    auto practices = server.Query("SELECT id, name FROM htk.practices");
    if (!practices) return practices.error();
    for (int i = 0; i < practices->Count(); ++i) {
        out.practices[practices->Int(i, 0)].practice = practices->Text(i, 1);
        out.builders.emplace(practices->Int(i, 0), *start);
    }
    const auto both = [&](std::int64_t practice) -> std::array<FiguresBuilder*, 2> {
        return {&out.builders.try_emplace(practice, *start).first->second, &*out.all};
    };
    const Param begin = Int(start->BeginAt());
    const Param end = Int(start->EndAt());

    // Requests alike but for the second they were made are counted on the server, by quarter hour: every
    // zone's offset in use since 1980 (so every local midnight) is a whole number of quarter hours, so a
    // request's quarter falls on the same local date, and in the same week, as the request.
    auto requests = server.Query(
        "SELECT practice_id, min(id), created_at - created_at % 900 AS quarter, route, reasons, language, interpreter, count(*) "
        "FROM htk.referrals WHERE created_at >= $1 AND created_at < $2 "
        "GROUP BY practice_id, quarter, route, reasons, language, interpreter",
        {begin, end});
    if (!requests) return requests.error();
    for (int i = 0; i < requests->Count(); ++i)
        for (FiguresBuilder* b : both(requests->Int(i, 0)))
            if (auto r = b->AddRequest(requests->Int(i, 1), requests->Int(i, 2), requests->Text(i, 3), requests->Text(i, 4),
                                       requests->Text(i, 5), requests->Bool(i, 6), static_cast<int>(requests->Int(i, 7)));
                !r)
                return r.error();

    auto bookings = server.Query(
        "SELECT practice_id, status, count(*) FROM htk.bookings WHERE start_at >= $1 AND start_at < $2 GROUP BY practice_id, status",
        {begin, end});
    if (!bookings) return bookings.error();
    for (int i = 0; i < bookings->Count(); ++i)
        for (FiguresBuilder* b : both(bookings->Int(i, 0)))
            if (auto r = b->AddBookings(bookings->Text(i, 1), static_cast<int>(bookings->Int(i, 2))); !r) return r.error();

    auto funnel = server.Query(
        "SELECT r.practice_id, count(*), "
        "count(*) FILTER (WHERE EXISTS (SELECT FROM htk.bookings b WHERE b.referral_id = r.id)), "
        "count(*) FILTER (WHERE EXISTS (SELECT FROM htk.bookings b WHERE b.referral_id = r.id AND b.status = 'attended')) "
        "FROM htk.referrals r WHERE r.created_at >= $1 AND r.created_at < $2 GROUP BY r.practice_id",
        {begin, end});
    if (!funnel) return funnel.error();
    for (int i = 0; i < funnel->Count(); ++i)
        for (FiguresBuilder* b : both(funnel->Int(i, 0)))
            b->AddFunnel(static_cast<int>(funnel->Int(i, 1)), static_cast<int>(funnel->Int(i, 2)), static_cast<int>(funnel->Int(i, 3)));
    return out;
}

// Read in one snapshot: a kiosk's request forwarded between two of its queries is in all or none.
Result<Read> ReadOnce(Connection& server, core::LocalDate from, core::LocalDate to, const core::TimeZone& zone) {
    // No JIT: compiling these scans cost PostgreSQL 15 over a second at 100,000 requests, five times
    // the queries' own time (tests/bench/RESULTS.md, pg_figures_ms).
    if (auto r = server.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL jit = off"); !r) return r.error();
    auto read = ReadFigures(server, from, to, zone);
    if (!read) {
        (void)server.Exec("ROLLBACK");
        return read;
    }
    if (auto r = server.Exec("COMMIT"); !r) return r.error();
    return read;
}

}  // namespace

Result<std::vector<PracticeFigures>> FiguresByPractice(Connection& server, core::LocalDate from, core::LocalDate to,
                                                       const core::TimeZone& zone) {
    auto read = ReadOnce(server, from, to, zone);
    if (!read) return read.error();
    std::vector<PracticeFigures> out;
    for (auto& [id, builder] : read->builders) {
        PracticeFigures& p = read->practices[id];
        out.push_back({std::move(p.practice), builder.Take()});
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.practice < b.practice; });  // by name, then id
    out.push_back({"", read->all->Take()});
    return out;
}

Result<ReportFigures> Figures(Connection& server, core::LocalDate from, core::LocalDate to, const core::TimeZone& zone) {
    auto read = ReadOnce(server, from, to, zone);
    if (!read) return read.error();
    return read->all->Take();
}

}  // namespace htk::store::pg
