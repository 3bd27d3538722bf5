// Reports on the shared database: see reports.h.
#include "store/pg/reports.h"

#include <map>

namespace htk::store::pg {

using core::Result;

namespace {

// The figures of each practice this login sees, by name (ordered), and "" for them all.
Result<std::map<std::string, FiguresBuilder>> Read(Connection& server, core::LocalDate from, core::LocalDate to,
                                                   const core::TimeZone& zone) {
    auto all = FiguresBuilder::Start(from, to, zone);
    if (!all) return all.error();
    std::map<std::string, FiguresBuilder> out;
    out.emplace("", *all);
    auto of = [&](const std::string& practice) -> FiguresBuilder& { return out.try_emplace(practice, *all).first->second; };
    // Every practice, those without a request or booking in the range too: a silent practice is news.
    auto practices = server.Query("SELECT name FROM htk.practices");
    if (!practices) return practices.error();
    for (int i = 0; i < practices->Count(); ++i) of(practices->Text(i, 0));
    const Param begin = Int(all->BeginAt());
    const Param end = Int(all->EndAt());

    // Requests alike but for the second they were made are counted on the server, by quarter hour: every
    // zone's offset in use since 1980 (so every local midnight) is a whole number of quarter hours, so a
    // request's quarter falls on the same local date, and in the same week, as the request.
    auto requests = server.Query(
        "SELECT p.name, min(r.id), r.created_at - r.created_at % 900 AS quarter, r.route, r.reasons, r.language, r.interpreter, count(*) "
        "FROM htk.referrals r JOIN htk.practices p ON p.id = r.practice_id WHERE r.created_at >= $1 AND r.created_at < $2 "
        "GROUP BY p.name, quarter, r.route, r.reasons, r.language, r.interpreter",
        {begin, end});
    if (!requests) return requests.error();
    for (int i = 0; i < requests->Count(); ++i)
        for (FiguresBuilder* b : {&of(requests->Text(i, 0)), &out.at("")})
            if (auto r = b->AddRequest(requests->Int(i, 1), requests->Int(i, 2), requests->Text(i, 3), requests->Text(i, 4),
                                       requests->Text(i, 5), requests->Bool(i, 6), static_cast<int>(requests->Int(i, 7)));
                !r)
                return r.error();

    auto bookings = server.Query(
        "SELECT p.name, b.status, count(*) FROM htk.bookings b JOIN htk.practices p ON p.id = b.practice_id "
        "WHERE b.start_at >= $1 AND b.start_at < $2 GROUP BY p.name, b.status",
        {begin, end});
    if (!bookings) return bookings.error();
    for (int i = 0; i < bookings->Count(); ++i)
        for (FiguresBuilder* b : {&of(bookings->Text(i, 0)), &out.at("")})
            if (auto r = b->AddBookings(bookings->Text(i, 1), static_cast<int>(bookings->Int(i, 2))); !r) return r.error();

    auto funnel = server.Query(
        "SELECT p.name, count(*), "
        "count(*) FILTER (WHERE EXISTS (SELECT FROM htk.bookings b WHERE b.referral_id = r.id)), "
        "count(*) FILTER (WHERE EXISTS (SELECT FROM htk.bookings b WHERE b.referral_id = r.id AND b.status = 'attended')) "
        "FROM htk.referrals r JOIN htk.practices p ON p.id = r.practice_id WHERE r.created_at >= $1 AND r.created_at < $2 "
        "GROUP BY p.name",
        {begin, end});
    if (!funnel) return funnel.error();
    for (int i = 0; i < funnel->Count(); ++i)
        for (FiguresBuilder* b : {&of(funnel->Text(i, 0)), &out.at("")})
            b->AddFunnel(static_cast<int>(funnel->Int(i, 1)), static_cast<int>(funnel->Int(i, 2)), static_cast<int>(funnel->Int(i, 3)));
    return out;
}

// Read in one snapshot: a kiosk's request forwarded between two of its queries is in all or none.
Result<std::map<std::string, FiguresBuilder>> ReadOnce(Connection& server, core::LocalDate from, core::LocalDate to,
                                                       const core::TimeZone& zone) {
    // No JIT: compiling these scans cost PostgreSQL 15 over a second at 100,000 requests, five times
    // the queries' own time (tests/bench/RESULTS.md, pg_figures_ms).
    if (auto r = server.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL jit = off"); !r) return r.error();
    auto read = Read(server, from, to, zone);
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
    for (auto& [practice, builder] : *read)
        if (!practice.empty()) out.push_back({practice, builder.Take()});
    out.push_back({"", read->at("").Take()});
    return out;
}

Result<ReportFigures> Figures(Connection& server, core::LocalDate from, core::LocalDate to, const core::TimeZone& zone) {
    auto read = ReadOnce(server, from, to, zone);
    if (!read) return read.error();
    return read->at("").Take();
}

}  // namespace htk::store::pg
