// Figures for commissioners and rows for re-keying into the clinical system, each read in one
// deferred transaction (one snapshot; in WAL mode a kiosk's write never waits for it). No text here.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/booking.h"
#include "core/referral.h"
#include "core/result.h"
#include "core/time.h"
#include "store/database.h"
#include "store/sealing.h"

namespace htk::store {

// Requests created in one local week (Monday to Sunday) of the range.
struct WeekFigures {
    core::LocalDate monday;                  // the week's first day, local
    int days = 7;                            // days of this week inside the range (a range may cut a week)
    int requests = 0;
    std::map<core::Reason, int> by_reason;   // a request with two reasons counts under both
    std::map<std::string, int> by_language;  // BCP 47 tag as the patient chose it
    std::map<core::Route, int> by_route;
};

// Requests and bookings of local dates [from, to). Maps hold only keys that occur.
struct ReportFigures {
    core::LocalDate from;
    core::LocalDate to;                                  // exclusive
    std::vector<WeekFigures> weeks;                      // every week the range touches, oldest first, empty ones too
    WeekFigures total;                                   // the whole range; monday = from, days = its length
    std::map<core::BookingStatus, int> bookings_by_status;  // bookings whose slot starts in the range
    int funnel_requests = 0;                             // requests created in the range...
    int funnel_booked = 0;                               // ...of them with any booking (cancelled included)
    int funnel_attended = 0;                             // ...of them with an attended booking
    std::map<std::string, int> interpreter_by_language;  // requests created in the range asking for one

    // Adds `more`'s counts to these: the same range's figures from another source (a desk adds the
    // shared database's to its own file's). InvalidInput when the ranges differ.
    core::Result<void> Add(const ReportFigures& more);

    int Bookings(core::BookingStatus s) const;
    // did_not_attend / (attended + did_not_attend) over bookings whose slot starts in the range;
    // nullopt when no such booking has an outcome yet.
    std::optional<double> DidNotAttendRate() const;
};

// The arithmetic of a report, whichever backend's rows feed it (ReportRepo::Figures here, the desk's
// and the service's figures on the shared database, store/pg/reports.h): one set of rules, so both
// count the same requests the same way. Counts add up, so rows of many practices make their sum.
class FiguresBuilder {
public:
    // InvalidInput when `to` is not after `from`, or the range is longer than ten years. Local dates in
    // `zone`, which must outlive the builder.
    static core::Result<FiguresBuilder> Start(core::LocalDate from, core::LocalDate to, const core::TimeZone& zone);

    core::UnixSeconds BeginAt() const { return m_begin; }  // `from`'s local midnight
    core::UnixSeconds EndAt() const { return m_end; }      // `to`'s: requests and slots in [BeginAt, EndAt)

    // `count` requests (request `id` and any alike) created in the range at `created_at`, their route,
    // reasons and language as stored (keys, reasons comma-separated); NotADatabase for a key this
    // release does not know.
    core::Result<void> AddRequest(std::int64_t id, core::UnixSeconds created_at, std::string_view route, std::string_view reasons,
                                  const std::string& language, bool interpreter, int count = 1);
    // `count` bookings of status `status` (a key) whose slot starts in the range.
    core::Result<void> AddBookings(std::string_view status, int count);
    // Requests created in the range, of them with any booking, of them with an attended one.
    void AddFunnel(int requests, int booked, int attended);

    ReportFigures Take() { return std::move(m_f); }

private:
    explicit FiguresBuilder(const core::TimeZone& zone) : m_zone(&zone) {}
    const core::TimeZone* m_zone;
    ReportFigures m_f;
    core::LocalDate m_first_monday;
    core::UnixSeconds m_begin = 0;
    core::UnixSeconds m_end = 0;
};

struct ExportFilter {
    std::optional<core::UnixSeconds> from;  // created_at, inclusive
    std::optional<core::UnixSeconds> to;    // created_at, exclusive
    std::optional<core::ReferralStatus> status;
};

// One request as the export writes it. References to its fields are valid during the sink call only.
struct ExportRow {
    core::Referral referral;               // patient empty
    std::optional<core::Booking> booking;  // its newest booking (by id), without history
    std::string trainer_name;              // of that booking; empty without one
    SealedBlob sealed;                     // only when asked for
};

// Returns an error to stop the export; ForEachRequest then returns that error.
using ExportSink = std::function<core::Result<void>(const ExportRow& row)>;

class ReportRepo {
public:
    explicit ReportRepo(Database& db) : m_db(db) {}

    // InvalidInput when `to` is not after `from`. Local dates in `zone`, the practice's time zone.
    core::Result<ReportFigures> Figures(core::LocalDate from, core::LocalDate to, const core::TimeZone& zone) const;

    // Calls `sink` for each matching request, oldest first, inside one read transaction that stays
    // open until the last call returns. Returns the number of rows given to the sink.
    core::Result<int> ForEachRequest(const ExportFilter& filter, bool with_sealed, const ExportSink& sink) const;

private:
    Database& m_db;
};

}  // namespace htk::store
