// The helpers of verb_util.h.
#include "admin/verb_util.h"

#include <charconv>

namespace htk::admin {

using core::Errc;
using core::Fail;
using core::Result;

Result<std::string> Required(const Session& s, std::string_view name, std::string_view what) {
    auto v = s.args.Option(name);
    if (!v || v->empty()) return Fail(Errc::InvalidInput, "--" + std::string(name) + " is required (" + std::string(what) + ")");
    return *v;
}

Result<std::int64_t> ParsePositive(std::string_view text, std::string_view option) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < 1)
        return Fail(Errc::InvalidInput, "--" + std::string(option) + " must be a positive whole number, not '" +
                                            std::string(text) + "'");
    return value;
}

Result<std::optional<core::LocalDate>> DateOption(const Session& s, std::string_view name) {
    const auto v = s.args.Option(name);
    if (!v) return std::optional<core::LocalDate>();
    const auto d = core::LocalDate::ParseIso(*v);
    if (!d) return Fail(Errc::InvalidInput, "--" + std::string(name) + " must be a date such as 2026-03-02, not '" + *v + "'");
    return std::optional<core::LocalDate>(*d);
}

Result<std::optional<std::int64_t>> OptionalPositive(const Session& s, std::string_view name) {
    auto v = s.args.Option(name);
    if (!v) return std::optional<std::int64_t>();
    auto n = ParsePositive(*v, name);
    if (!n) return n.error();
    return std::optional<std::int64_t>(*n);
}

Result<std::optional<core::ReferralStatus>> StatusOption(const Session& s, bool required) {
    constexpr std::string_view kStatuses = "new, contacted, booked, closed or cancelled";
    auto v = s.args.Option("status");
    if (!v && !required) return std::optional<core::ReferralStatus>();
    if (!v) return Fail(Errc::InvalidInput, "--status is required: " + std::string(kStatuses));
    const auto status = core::ParseReferralStatus(*v);
    if (!status) return Fail(Errc::InvalidInput, "--status must be " + std::string(kStatuses));
    return std::optional<core::ReferralStatus>(*status);
}

Result<std::optional<int>> LimitOption(const Session& s) {
    auto limit = OptionalPositive(s, "limit");
    if (!limit) return limit.error();
    if (!*limit) return std::optional<int>();
    return std::optional<int>(static_cast<int>(std::min<std::int64_t>(**limit, 100000)));
}

std::string Local(core::UnixSeconds t, const core::TimeZone& zone) {
    const auto l = zone.ToLocal(t);
    return l.date.Iso() + " " + core::FormatClock(l.minute_of_day);
}

std::string LocalIso(core::UnixSeconds t, const core::TimeZone& zone) {
    const auto l = zone.ToLocal(t);
    return l.date.Iso() + "T" + core::FormatClock(l.minute_of_day);
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& i : items) {
        if (!out.empty()) out += sep;
        out += i;
    }
    return out;
}

std::string TrainerName(const std::vector<core::Trainer>& trainers, core::TrainerId id) {
    for (const auto& t : trainers)
        if (t.id == id) return t.display_name;
    return "trainer " + std::to_string(id);
}

std::string PublishedText(const store::pg::PracticePublished& done) {
    std::string out = "published " + std::to_string(done.trainers) + " trainers and " + std::to_string(done.slots) +
                      " slots: " + std::to_string(done.published.added) + " new, " + std::to_string(done.published.withdrawn) + " withdrawn";
    if (done.published.kept_booked > 0)
        out += "\n" + std::to_string(done.published.kept_booked) +
               " booked slots are no longer in the plan: they stay booked; move them with the patients";
    return out;
}

}  // namespace htk::admin
