// Calls of the server's booking functions (schema v2).
#include "store/pg/booking.h"

namespace htk::store::pg {

using core::Errc;
using core::Fail;
using core::Result;

namespace {

std::vector<std::string> SplitTags(const std::string& list) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from < list.size()) {
        const std::size_t comma = std::min(list.find(',', from), list.size());
        if (comma > from) out.push_back(list.substr(from, comma - from));
        from = comma + 1;
    }
    return out;
}

Result<BookOutcome> Outcome(const Rows& rows) {
    const std::string answer = rows.Count() == 1 ? rows.Text(0, 0) : "";
    if (answer == "booked") return BookOutcome::Booked;
    if (answer == "taken") return BookOutcome::Taken;
    if (answer == "already") return BookOutcome::Already;
    if (answer == "too_soon") return BookOutcome::TooSoon;
    if (answer == "held") return BookOutcome::Held;
    if (answer == "not_found") return Fail(Errc::NotFound, "no such request in this practice");
    if (answer == "none") return Fail(Errc::NotFound, "no slot is offered to this request");
    if (answer == "expired") return Fail(Errc::HoldExpired, "the slot offered was not taken up in time; it is free again");
    return Fail(Errc::Internal, "the server answered '" + answer + "' to a booking");
}

}  // namespace

void SlotCache::Put(std::vector<ServerSlot> slots, double at) {
    std::lock_guard lock(m_mutex);
    m_slots = std::move(slots);
    m_at = at;
}

std::optional<std::vector<ServerSlot>> SlotCache::Get(double now, double max_age) const {
    std::lock_guard lock(m_mutex);
    if (!m_at || now - *m_at > max_age) return std::nullopt;
    return m_slots;
}

namespace {

// Rows of (trainer_id, display_name, languages, start_at, end_at).
std::vector<ServerSlot> SlotsOf(const Rows& rows) {
    std::vector<ServerSlot> out;
    out.reserve(static_cast<std::size_t>(rows.Count()));
    for (int i = 0; i < rows.Count(); ++i)
        out.push_back({{rows.Int(i, 0), rows.Int(i, 3), rows.Int(i, 4)}, rows.Text(i, 1), SplitTags(rows.Text(i, 2))});
    return out;
}

}  // namespace

Result<std::vector<ServerSlot>> KioskFreeSlots(Connection& db, core::UnixSeconds now) {
    auto rows = db.Query("SELECT trainer_id, display_name, languages, start_at, end_at FROM htk.kiosk_free_slots($1)", {Int(now)});
    if (!rows) return rows.error();
    return SlotsOf(*rows);
}

Result<std::vector<ServerSlot>> DeskFreeSlots(Connection& db, std::int64_t referral, core::UnixSeconds now, int limit) {
    // The request's own practice: a manager's login reads every practice's slots.
    auto rows = db.Query(
        "SELECT s.trainer_id, t.display_name, t.languages, s.start_at, s.end_at FROM htk.slots s "
        "JOIN htk.trainers t ON t.practice_id = s.practice_id AND t.id = s.trainer_id AND t.active "
        "JOIN htk.practices p ON p.id = s.practice_id "
        // The practice's minimum notice, as its kiosks and a desk on its own file keep it.
        "WHERE s.practice_id = (SELECT practice_id FROM htk.referrals WHERE id = $1) AND s.start_at >= $2 + 60 * p.min_notice_minutes "
        "AND NOT s.withdrawn "
        "AND NOT EXISTS (SELECT FROM htk.bookings b WHERE b.practice_id = s.practice_id AND b.trainer_id = s.trainer_id "
        "AND b.start_at = s.start_at AND b.status NOT IN ('cancelled_by_patient', 'cancelled_by_practice')) "
        // A slot offered to the waiting list is the waiting request's until the offer ends (schema v7).
        "AND NOT EXISTS (SELECT FROM htk.offers o WHERE o.practice_id = s.practice_id AND o.trainer_id = s.trainer_id "
        "AND o.start_at = s.start_at AND o.expires_at > $2) "
        "ORDER BY s.start_at, s.trainer_id LIMIT $3",
        {Int(referral), Int(now), Int(limit)});
    if (!rows) return rows.error();
    return SlotsOf(*rows);
}

Result<BookOutcome> KioskBook(Connection& db, const core::Slot& slot, const Outgoing& r) {
    auto rows = db.Query("SELECT htk.kiosk_book($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                         {Int(slot.trainer), Int(slot.start), Text(r.uid), Text(r.reference), Text(r.route), Text(r.reasons),
                          Text(r.language), Bool(r.interpreter), Text(r.contact), Text(r.best_times),
                          Text(r.consent_version), Int(r.created_at), Bytea(r.sealed)});
    if (!rows) return rows.error();
    return Outcome(*rows);
}

Result<BookOutcome> DeskBook(Connection& db, std::int64_t referral, const core::Slot& slot, core::UnixSeconds now) {
    auto rows = db.Query("SELECT htk.desk_book($1, $2, $3, $4)", {Int(referral), Int(slot.trainer), Int(slot.start), Int(now)});
    if (!rows) return rows.error();
    return Outcome(*rows);
}

Result<std::vector<ServerOffer>> DeskOffers(Connection& db, core::UnixSeconds now, std::optional<std::int64_t> referral) {
    auto rows = db.Query(
        "SELECT o.referral_id, r.reference, r.origin, r.language, o.trainer_id, o.start_at, o.end_at, t.display_name, "
        "htk.speaks(t.languages, r.language), o.expires_at FROM htk.offers o "
        "JOIN htk.referrals r ON r.id = o.referral_id "
        "JOIN htk.trainers t ON t.practice_id = o.practice_id AND t.id = o.trainer_id "
        "WHERE o.expires_at > $1 AND ($2::bigint IS NULL OR o.referral_id = $2) ORDER BY o.start_at, o.trainer_id",
        {Int(now), referral ? Int(*referral) : Param{}});
    if (!rows) return rows.error();
    std::vector<ServerOffer> out;
    out.reserve(static_cast<std::size_t>(rows->Count()));
    for (int i = 0; i < rows->Count(); ++i)
        out.push_back({rows->Int(i, 0), rows->Text(i, 1), rows->Text(i, 2), rows->Text(i, 3),
                       {rows->Int(i, 4), rows->Int(i, 5), rows->Int(i, 6)}, rows->Text(i, 7), rows->Bool(i, 8), rows->Int(i, 9)});
    return out;
}

Result<BookOutcome> DeskAcceptOffer(Connection& db, std::int64_t referral, core::UnixSeconds now) {
    auto rows = db.Query("SELECT htk.desk_accept_offer($1, $2)", {Int(referral), Int(now)});
    if (!rows) return rows.error();
    return Outcome(*rows);
}

Result<std::optional<std::int64_t>> DeskDeclineOffer(Connection& db, std::int64_t referral, core::UnixSeconds now) {
    auto rows = db.Query("SELECT outcome, next_referral FROM htk.desk_decline_offer($1, $2)", {Int(referral), Int(now)});
    if (!rows) return rows.error();
    if (rows->Count() != 1) return Fail(Errc::Internal, "the server gave no answer to declining an offer");
    if (rows->Text(0, 0) != "declined") {
        auto outcome = Outcome(*rows);  // the same words as a booking's
        if (!outcome) return outcome.error();
        return Fail(Errc::Internal, "the server answered '" + rows->Text(0, 0) + "' to declining an offer");
    }
    if (rows->IsNull(0, 1)) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(rows->Int(0, 1));
}

Result<std::vector<WeekSlot>> DeskWeek(Connection& db, core::UnixSeconds from, core::UnixSeconds to, core::UnixSeconds now) {
    // htk.desk_practice() is a desk's alone: a manager's login is refused here rather than shown every
    // practice's slots in one grid.
    auto rows = db.Query(
        "SELECT s.trainer_id, t.display_name, s.start_at, s.end_at, b.id, b.status, r.reference, r.origin, w.reference "
        "FROM htk.slots s "
        "JOIN htk.trainers t ON t.practice_id = s.practice_id AND t.id = s.trainer_id "
        "LEFT JOIN htk.bookings b ON b.practice_id = s.practice_id AND b.trainer_id = s.trainer_id AND b.start_at = s.start_at "
        "AND b.status NOT IN ('cancelled_by_patient', 'cancelled_by_practice') "
        "LEFT JOIN htk.referrals r ON r.id = b.referral_id "
        "LEFT JOIN htk.offers o ON o.practice_id = s.practice_id AND o.trainer_id = s.trainer_id AND o.start_at = s.start_at "
        "AND o.expires_at > $3 "
        "LEFT JOIN htk.referrals w ON w.id = o.referral_id "
        "WHERE s.practice_id = htk.desk_practice() AND s.start_at >= $1 AND s.start_at < $2 "
        "AND ((t.active AND NOT s.withdrawn) OR b.id IS NOT NULL) ORDER BY s.start_at, s.trainer_id",
        {Int(from), Int(to), Int(now)});
    if (!rows) return rows.error();
    std::vector<WeekSlot> out;
    out.reserve(static_cast<std::size_t>(rows->Count()));
    for (int i = 0; i < rows->Count(); ++i) {
        WeekSlot w;
        w.slot = {rows->Int(i, 0), rows->Int(i, 2), rows->Int(i, 3)};
        w.trainer = rows->Text(i, 1);
        if (!rows->IsNull(i, 4)) {
            const auto status = core::ParseBookingStatus(rows->Text(i, 5));
            if (!status) return Fail(Errc::Internal, "the server holds a booking status '" + rows->Text(i, 5) + "'");
            w.booking = rows->Int(i, 4);
            w.status = *status;
            w.reference = rows->Text(i, 6);
            w.origin = rows->Text(i, 7);
        } else if (!rows->IsNull(i, 8)) {
            w.offered_to = rows->Text(i, 8);
        }
        out.push_back(std::move(w));
    }
    return out;
}

}  // namespace htk::store::pg
