// Reports and export rows. Every read of one call shares one deferred transaction, so the figures
// agree with each other; nothing here writes, so a kiosk's BEGIN IMMEDIATE never waits for it.
#include "store/report_repo.h"

#include <algorithm>

#include "core/strings.h"
#include "store/referral_repo.h"

namespace htk::store {

using core::Errc;
using core::Fail;
using core::Result;

namespace {

constexpr int kMaxReportDays = 3660;  // ten years: a bigger range is a typo, not a report

core::LocalDate MondayOf(core::LocalDate d) { return d.AddDays(-d.Weekday()); }

core::Error Unknown(core::ReferralId id) {
    return Fail(Errc::NotADatabase, "referral " + std::to_string(id) + " holds a value this release does not know");
}

// Adds `n` requests alike to a week's (or the range's) figures.
Result<void> Count(WeekFigures& w, core::ReferralId id, core::Route route, const std::vector<std::string>& reasons,
                   const std::string& language, int n) {
    w.requests += n;
    for (const auto& key : reasons) {
        const auto reason = core::ParseReason(key);
        if (!reason) return Unknown(id);
        w.by_reason[*reason] += n;
    }
    w.by_language[language] += n;
    w.by_route[route] += n;
    return {};
}

void AddWeek(WeekFigures& into, const WeekFigures& more) {
    into.requests += more.requests;
    for (const auto& [k, n] : more.by_reason) into.by_reason[k] += n;
    for (const auto& [k, n] : more.by_language) into.by_language[k] += n;
    for (const auto& [k, n] : more.by_route) into.by_route[k] += n;
}

}  // namespace

Result<void> ReportFigures::Add(const ReportFigures& more) {
    if (more.from != from || more.to != to || more.weeks.size() != weeks.size())
        return Fail(Errc::InvalidInput, "figures of two different ranges do not add up");
    for (std::size_t i = 0; i < weeks.size(); ++i) AddWeek(weeks[i], more.weeks[i]);
    AddWeek(total, more.total);
    for (const auto& [k, n] : more.bookings_by_status) bookings_by_status[k] += n;
    funnel_requests += more.funnel_requests;
    funnel_booked += more.funnel_booked;
    funnel_attended += more.funnel_attended;
    for (const auto& [k, n] : more.interpreter_by_language) interpreter_by_language[k] += n;
    return {};
}

int ReportFigures::Bookings(core::BookingStatus s) const {
    const auto it = bookings_by_status.find(s);
    return it == bookings_by_status.end() ? 0 : it->second;
}

std::optional<double> ReportFigures::DidNotAttendRate() const {
    const int dna = Bookings(core::BookingStatus::DidNotAttend);
    const int outcomes = dna + Bookings(core::BookingStatus::Attended);
    if (outcomes == 0) return std::nullopt;
    return static_cast<double>(dna) / outcomes;
}

Result<FiguresBuilder> FiguresBuilder::Start(core::LocalDate from, core::LocalDate to, const core::TimeZone& zone) {
    if (!from.Valid() || !to.Valid()) return Fail(Errc::InvalidInput, "a report needs two valid dates");
    const auto length = to.DaysSinceEpoch() - from.DaysSinceEpoch();
    if (length < 1) return Fail(Errc::InvalidInput, "the report's end (" + to.Iso() + ") must be after its start (" + from.Iso() + ")");
    if (length > kMaxReportDays) return Fail(Errc::InvalidInput, "a report covers at most ten years");

    FiguresBuilder b(zone);
    ReportFigures& f = b.m_f;
    f.from = from;
    f.to = to;
    f.total.monday = from;
    f.total.days = static_cast<int>(length);
    b.m_first_monday = MondayOf(from);
    for (auto monday = b.m_first_monday; monday < to; monday = monday.AddDays(7)) {
        WeekFigures w;
        w.monday = monday;
        const auto first = std::max(monday, from);
        const auto end = std::min(monday.AddDays(7), to);
        w.days = static_cast<int>(end.DaysSinceEpoch() - first.DaysSinceEpoch());
        f.weeks.push_back(std::move(w));
    }
    b.m_begin = core::LocalDayStart(zone, from);
    b.m_end = core::LocalDayStart(zone, to);
    return b;
}

Result<void> FiguresBuilder::AddRequest(std::int64_t id, core::UnixSeconds created_at, std::string_view route_key,
                                        std::string_view reasons_csv, const std::string& language, bool interpreter, int count) {
    const auto route = core::ParseRoute(route_key);
    if (!route) return Unknown(id);
    const auto reasons = core::SplitNonEmpty(reasons_csv);
    const auto week = (MondayOf(m_zone->ToLocal(created_at).date).DaysSinceEpoch() - m_first_monday.DaysSinceEpoch()) / 7;
    if (created_at < m_begin || created_at >= m_end || week < 0 || week >= static_cast<std::int64_t>(m_f.weeks.size()))
        return Fail(Errc::Internal, "referral " + std::to_string(id) + " falls outside the report's weeks");
    if (auto r = Count(m_f.weeks[static_cast<std::size_t>(week)], id, *route, reasons, language, count); !r) return r.error();
    if (auto r = Count(m_f.total, id, *route, reasons, language, count); !r) return r.error();
    if (interpreter) m_f.interpreter_by_language[language] += count;
    return {};
}

Result<void> FiguresBuilder::AddBookings(std::string_view status_key, int count) {
    const auto status = core::ParseBookingStatus(status_key);
    if (!status) return Fail(Errc::NotADatabase, "a booking holds a status this release does not know");
    m_f.bookings_by_status[*status] += count;
    return {};
}

void FiguresBuilder::AddFunnel(int requests, int booked, int attended) {
    m_f.funnel_requests += requests;
    m_f.funnel_booked += booked;
    m_f.funnel_attended += attended;
}

Result<ReportFigures> ReportRepo::Figures(core::LocalDate from, core::LocalDate to, const core::TimeZone& zone) const {
    auto builder = FiguresBuilder::Start(from, to, zone);
    if (!builder) return builder.error();

    auto tx = Transaction::Begin(m_db, Transaction::Kind::Deferred);
    if (!tx) return tx.error();

    auto requests = Statement::Prepare(m_db,
                                       "SELECT id, created_at, route, reasons, language, interpreter FROM referrals "
                                       "WHERE created_at >= ?1 AND created_at < ?2");
    if (!requests) return requests.error();
    requests->Bind(1, builder->BeginAt()).Bind(2, builder->EndAt());
    for (;;) {
        auto row = requests->Step();
        if (!row) return row.error();
        if (!*row) break;
        if (auto r = builder->AddRequest(requests->Int(0), requests->Int(1), requests->Text(2), requests->Text(3), requests->Text(4),
                                         requests->Int(5) != 0);
            !r)
            return r.error();
    }

    auto bookings = Statement::Prepare(m_db,
                                       "SELECT status, count(*) FROM bookings WHERE start_at >= ?1 AND start_at < ?2 "
                                       "GROUP BY status");
    if (!bookings) return bookings.error();
    bookings->Bind(1, builder->BeginAt()).Bind(2, builder->EndAt());
    for (;;) {
        auto row = bookings->Step();
        if (!row) return row.error();
        if (!*row) break;
        if (auto r = builder->AddBookings(bookings->Text(0), static_cast<int>(bookings->Int(1))); !r) return r.error();
    }

    auto funnel = Statement::Prepare(
        m_db,
        "SELECT count(*), "
        "coalesce(sum(EXISTS (SELECT 1 FROM bookings b WHERE b.referral_id = r.id)), 0), "
        "coalesce(sum(EXISTS (SELECT 1 FROM bookings b WHERE b.referral_id = r.id AND b.status = 'attended')), 0) "
        "FROM referrals r WHERE r.created_at >= ?1 AND r.created_at < ?2");
    if (!funnel) return funnel.error();
    funnel->Bind(1, builder->BeginAt()).Bind(2, builder->EndAt());
    auto row = funnel->Step();
    if (!row) return row.error();
    if (!*row) return Fail(Errc::Internal, "the funnel query returned no row");
    builder->AddFunnel(static_cast<int>(funnel->Int(0)), static_cast<int>(funnel->Int(1)), static_cast<int>(funnel->Int(2)));
    funnel->Reset();

    if (auto c = tx->Commit(); !c) return c.error();
    return builder->Take();
}

Result<int> ReportRepo::ForEachRequest(const ExportFilter& filter, bool with_sealed, const ExportSink& sink) const {
    std::string sql =
        "SELECT r.id, b.id, b.trainer_id, b.start_at, b.end_at, b.status, t.display_name, "
        "CASE WHEN ?4 THEN r.sealed END FROM referrals r "
        "LEFT JOIN bookings b ON b.id = (SELECT max(id) FROM bookings WHERE referral_id = r.id) "
        "LEFT JOIN trainers t ON t.id = b.trainer_id WHERE 1";
    if (filter.from) sql += " AND r.created_at >= ?1";
    if (filter.to) sql += " AND r.created_at < ?2";
    if (filter.status) sql += " AND r.status = ?3";
    sql += " ORDER BY r.created_at, r.id";

    auto tx = Transaction::Begin(m_db, Transaction::Kind::Deferred);
    if (!tx) return tx.error();
    auto stmt = Statement::Prepare(m_db, sql);
    if (!stmt) return stmt.error();
    if (filter.from) stmt->Bind(1, *filter.from);
    if (filter.to) stmt->Bind(2, *filter.to);
    if (filter.status) stmt->Bind(3, core::Key(*filter.status));
    stmt->Bind(4, with_sealed);

    ReferralRepo referrals(m_db);
    int rows = 0;
    for (;;) {
        auto step = stmt->Step();
        if (!step) return step.error();
        if (!*step) break;
        ExportRow row;
        auto r = referrals.Get(stmt->Int(0));  // same snapshot: we are inside the transaction
        if (!r) return r.error();
        row.referral = std::move(*r);
        if (!stmt->IsNull(1)) {
            core::Booking b;
            b.id = stmt->Int(1);
            b.referral = row.referral.id;
            b.slot = {stmt->Int(2), stmt->Int(3), stmt->Int(4)};
            const auto status = core::ParseBookingStatus(stmt->Text(5));
            if (!status) return Fail(Errc::NotADatabase, "booking " + std::to_string(b.id) + " has an unknown status");
            b.status = *status;
            row.booking = std::move(b);
            row.trainer_name = stmt->Text(6);
        }
        if (with_sealed) row.sealed = stmt->Blob(7);
        if (auto s = sink(row); !s) return s.error();
        ++rows;
    }
    if (auto c = tx->Commit(); !c) return c.error();
    return rows;
}

}  // namespace htk::store
