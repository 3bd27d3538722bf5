// Small helpers every verb file of ht-admin shares: reading options, and writing times and lists
// the same way everywhere. Internal to htk_admin.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "admin/verbs.h"
#include "core/referral.h"
#include "core/result.h"
#include "core/time.h"
#include "core/trainer.h"
#include "store/pg/publish.h"
#include "store/report_repo.h"
#include "store/settings_repo.h"

namespace htk::admin {

// --NAME's value; InvalidInput naming the option and `what` it should be when it is missing or empty.
core::Result<std::string> Required(const Session& s, std::string_view name, std::string_view what);
core::Result<std::int64_t> ParsePositive(std::string_view text, std::string_view option);  // 1 or more
core::Result<std::optional<std::int64_t>> OptionalPositive(const Session& s, std::string_view name);
// --status as a request's status: nullopt when not given (Required: InvalidInput then too).
core::Result<std::optional<core::ReferralStatus>> StatusOption(const Session& s, bool required = false);
core::Result<std::optional<int>> LimitOption(const Session& s);  // --limit, at most 100,000 rows
// --NAME as a date, 2026-03-02; nullopt when not given.
core::Result<std::optional<core::LocalDate>> DateOption(const Session& s, std::string_view name);

std::string Local(core::UnixSeconds t, const core::TimeZone& zone);     // "2026-03-27 09:30"
std::string LocalIso(core::UnixSeconds t, const core::TimeZone& zone);  // "2026-03-27T09:30"
std::string Join(const std::vector<std::string>& items, std::string_view sep);
std::string TrainerName(const std::vector<core::Trainer>& trainers, core::TrainerId id);  // "trainer 7" if unknown

// "published 3 trainers and 20 slots: 20 new, 0 withdrawn" and, when booked slots left the plan, a
// second line saying so: `db publish` and the desk's Trainers tab say the same.
std::string PublishedText(const store::pg::PracticePublished& done);

// A request as `requests list` and `db requests` print it: one line, or JSON; the patient's details once opened.
std::string RequestLine(const core::Referral& r, const core::TimeZone& zone);
class JsonObject;
JsonObject RequestJson(const core::Referral& r, const core::TimeZone& zone);
std::string PatientJson(const core::PatientDetails& d);
void PrintPatient(std::ostream& out, const core::PatientDetails& d);
// A staff note from standard input (request_verbs.cpp): up to store::kMaxNoteLength characters, its
// trailing newlines dropped. The caller wipes it.
core::Result<std::string> ReadNote(Session& s);
// A report as `reports show` prints it, whole, and as JSON (report_verbs.cpp).
std::string ReportJson(const store::ReportFigures& f, const store::PracticeSettings& practice);
void PrintReport(std::ostream& out, const store::ReportFigures& f, const store::PracticeSettings& practice);
// A list's end: the JSON array of `items` (wiped after), else "No requests." or the line about --reveal.
void EndRequestList(Session& s, std::vector<std::string>& items, bool empty, bool sealed);

template <class E>
std::vector<std::string> Keys(const std::set<E>& values) {  // core::Key of each, in order
    std::vector<std::string> out;
    for (const auto& v : values) out.emplace_back(core::Key(v));
    return out;
}

}  // namespace htk::admin
