// Reception's verbs on requests, bookings and the waiting list: list and show, take a request at
// the desk, note, book, and answer the waiting list's offers. All run after Run() has unlocked the
// key (Access::Staff); what identifies a patient is read from standard input, never from argv.
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <iostream>
#include <iterator>
#include <ostream>
#include <set>

#include "admin/json.h"
#include "admin/patient_input.h"
#include "admin/verb_util.h"
#include "admin/verbs.h"
#include "core/booking.h"
#include "core/strings.h"
#include "core/trainer.h"
#include "store/booking_repo.h"
#include "store/desk_repo.h"
#include "store/referral_repo.h"
#include "store/trainer_repo.h"
#include "store/waiting_repo.h"

namespace htk::admin {

using core::Errc;
using core::Fail;
using core::Result;

namespace {

// ---- input -----------------------------------------------------------------------------------------




Result<core::Referral> ByReference(const Session& s, store::Database& db) {
    auto reference = Required(s, "reference", "the code the patient was given, e.g. ACE-FHJK");
    if (!reference) return reference.error();
    return store::ReferralRepo(db).GetByReference(*reference);
}

// "YYYY-MM-DD HH:MM" (or with a 'T') in the practice's zone, as a UTC instant.
Result<core::UnixSeconds> ParseLocalStart(std::string_view text, const core::TimeZone& zone) {
    const auto bad = Fail(Errc::InvalidInput, "--start must be a local date and time such as \"2026-03-31 10:00\", not '" +
                                                  std::string(text) + "'");
    const auto cut = text.find_first_of(" T");
    if (cut == std::string_view::npos) return bad;
    const auto date = core::LocalDate::ParseIso(text.substr(0, cut));
    const auto minute = core::ParseClock(core::Trim(text.substr(cut + 1)));
    if (!date || !minute || *minute >= 24 * 60) return bad;
    const auto utc = zone.ToUtc({*date, *minute});
    if (!utc)
        return Fail(Errc::InvalidInput, "--start " + std::string(text) + " does not exist in " + zone.Id() +
                                            " (the clocks go forward)");
    return *utc;
}

// --trainer N and --start together, or neither.
Result<std::optional<store::SlotStart>> OptionalSlot(const Session& s, const core::TimeZone& zone) {
    const auto trainer = s.args.Option("trainer");
    const auto start = s.args.Option("start");
    if (!trainer && !start) return std::optional<store::SlotStart>();
    if (!trainer || !start)
        return Fail(Errc::InvalidInput, "--trainer N and --start \"YYYY-MM-DD HH:MM\" go together (see ht-admin slots list)");
    auto id = ParsePositive(*trainer, "trainer");
    if (!id) return id.error();
    auto utc = ParseLocalStart(*start, zone);
    if (!utc) return utc.error();
    return std::optional<store::SlotStart>(store::SlotStart{*id, *utc});
}

template <class E, class Parse>
Result<std::set<E>> ParseKeys(std::string_view text, std::string_view option, Parse parse, std::string_view allowed) {
    std::set<E> out;
    for (const auto& item : core::SplitList(text)) {
        const auto value = parse(item);
        if (!value)
            return Fail(Errc::InvalidInput, "--" + std::string(option) + ": '" + item + "' is not one of " + std::string(allowed));
        out.insert(*value);
    }
    return out;
}

constexpr std::string_view kRouteKeys = "self, gp_booked, gp_tasked, signposted";
constexpr std::string_view kReasonKeys =
    "long_term_condition, chronic_pain, low_mood, eating, moving, weight, drinking, smoking, other";

std::istream& PatientInput(Session& s) { return s.env.in ? *s.env.in : std::cin; }

bool InputIsTerminal(Session& s) { return !s.env.in && ::isatty(STDIN_FILENO) == 1; }

// ---- output -----------------------------------------------------------------------------------------



std::string Clock(core::UnixSeconds t, const core::TimeZone& zone) { return core::FormatClock(zone.ToLocal(t).minute_of_day); }





}  // namespace

// "ABC-DEFG  new  2026-03-27 07:00  self  smoking  tr +interpreter +waiting-list  phone (morning)"
std::string RequestLine(const core::Referral& r, const core::TimeZone& zone) {
    std::string out = r.reference + "  " + std::string(core::Key(r.status)) + "  " + Local(r.created_at, zone) + "  " +
                      std::string(core::Key(r.route)) + "  " + Join(Keys(r.reasons), ",") + "  " + r.preferred_language +
                      (r.interpreter ? " +interpreter" : "") + (r.waiting_list ? " +waiting-list" : "") + "  " +
                      std::string(core::Key(r.contact));
    if (!r.best_times.empty()) out += " (" + Join(Keys(r.best_times), ",") + ")";
    return out;
}

JsonObject RequestJson(const core::Referral& r, const core::TimeZone& zone) {
    JsonObject j;
    j.Add("id", r.id)
        .Add("reference", r.reference)
        .Add("status", core::Key(r.status))
        .Add("created", LocalIso(r.created_at, zone))
        .Add("route", core::Key(r.route))
        .AddRaw("reasons", JsonStringArray(Keys(r.reasons)))
        .Add("language", r.preferred_language)
        .Add("interpreter", r.interpreter)
        .Add("waiting_list", r.waiting_list)
        .Add("contact", core::Key(r.contact))
        .AddRaw("best_times", JsonStringArray(Keys(r.best_times)))
        .Add("consent_version", r.consent_version);
    return j;
}

std::string PatientJson(const core::PatientDetails& d) {
    return JsonObject()
        .Add("name", d.name)
        .Add("date_of_birth", d.date_of_birth ? d.date_of_birth->Iso() : "")
        .Add("phone", d.phone)
        .Add("email", d.email)
        .Add("address", d.address)
        .Add("note", d.note)
        .Str();
}

void PrintPatient(std::ostream& out, const core::PatientDetails& d) {
    out << "    name: " << d.name;
    if (d.date_of_birth) out << "  born: " << d.date_of_birth->Iso();
    if (!d.phone.empty()) out << "  phone: " << d.phone;
    if (!d.email.empty()) out << "  email: " << d.email;
    out << "\n";
    if (!d.address.empty()) out << "    address: " << d.address << "\n";
    if (!d.note.empty()) out << "    note: " << d.note << "\n";
}

void EndRequestList(Session& s, std::vector<std::string>& items, bool empty, bool sealed) {
    if (s.json) {
        s.env.out << JsonArray(items) << "\n";
        for (auto& item : items) core::Wipe(item);
        return;
    }
    if (empty) s.env.out << "No requests.\n";
    else if (sealed) s.env.out << "(Names and contact details are sealed: add --reveal to unlock them; each reveal is audited.)\n";
}

namespace {

std::string BookingJson(const core::Booking& b, const std::vector<core::Trainer>& trainers, const core::TimeZone& zone,
                        bool with_history = false) {
    JsonObject j;
    j.Add("id", b.id)
        .Add("trainer", b.slot.trainer)
        .Add("trainer_name", TrainerName(trainers, b.slot.trainer))
        .Add("start", LocalIso(b.slot.start, zone))
        .Add("end", LocalIso(b.slot.end, zone))
        .Add("status", core::Key(b.status));
    if (with_history) {
        std::vector<std::string> changes;
        for (const auto& h : b.history)
            changes.push_back(JsonObject().Add("status", core::Key(h.to)).Add("at", LocalIso(h.at, zone)).Add("actor", h.actor).Str());
        j.AddRaw("history", JsonArray(changes));
    }
    return j.Str();
}

std::string OfferJson(const store::WaitingOffer& o, const std::vector<core::Trainer>& trainers, const core::TimeZone& zone) {
    return JsonObject()
        .Add("reference", o.reference)
        .Add("language", o.language)
        .Add("trainer", o.slot.trainer)
        .Add("trainer_name", TrainerName(trainers, o.slot.trainer))
        .Add("start", LocalIso(o.slot.start, zone))
        .Add("end", LocalIso(o.slot.end, zone))
        .Add("expires", LocalIso(o.expires_at, zone))
        .Add("interpreter_needed", !o.trainer_speaks)
        .Str();
}

// "2026-03-31 10:00-11:00 with Hodan Warsame"
std::string SlotText(const core::Slot& slot, const std::vector<core::Trainer>& trainers, const core::TimeZone& zone) {
    return Local(slot.start, zone) + "-" + Clock(slot.end, zone) + " with " + TrainerName(trainers, slot.trainer);
}

// "offered to ABC-DEFG (ur) until 2026-03-28 09:00, an interpreter needed"
std::string OfferedTo(const store::WaitingOffer& o, const core::TimeZone& zone) {
    return "offered to " + o.reference + " (" + o.language + ") until " + Local(o.expires_at, zone) +
           (o.trainer_speaks ? "" : ", an interpreter needed");
}

Result<std::vector<core::Trainer>> Trainers(store::Database& db) { return store::TrainerRepo(db).List(); }

}  // namespace

// ---- requests ---------------------------------------------------------------------------------------

Result<void> VerbRequestsList(Session& s) {
    store::ReferralFilter filter;
    auto status = StatusOption(s);
    if (!status) return status.error();
    filter.status = *status;
    auto limit = LimitOption(s);
    if (!limit) return limit.error();
    if (*limit) filter.limit = **limit;
    if (auto v = s.args.Option("route")) {
        filter.route = core::ParseRoute(*v);
        if (!filter.route) return Fail(Errc::InvalidInput, "--route must be one of " + std::string(kRouteKeys));
    }
    if (auto v = s.args.Option("reason")) {
        filter.reason = core::ParseReason(*v);
        if (!filter.reason) return Fail(Errc::InvalidInput, "--reason must be one of " + std::string(kReasonKeys));
    }
    if (auto v = s.args.Option("language")) {
        if (!core::LooksLikeLanguageTag(*v))
            return Fail(Errc::InvalidInput, "--language must be a language tag such as ur, so or pa-Guru, not '" + *v + "'");
        filter.language = *v;
    }
    if (s.args.Flag("interpreter")) filter.interpreter = true;
    if (s.args.Flag("waiting-list")) filter.waiting_list = true;
    auto zone = s.Zone();
    if (!zone) return zone.error();
    const std::string period = s.args.Option("period").value_or("all");
    const auto today = (*zone)->ToLocal(s.env.now()).date;
    if (period == "today") {
        filter.from = core::LocalDayStart(**zone, today);
        filter.to = core::LocalDayStart(**zone, today.AddDays(1));
    } else if (period == "week") {  // Monday to Sunday, in the practice's zone
        const auto monday = today.AddDays(-today.Weekday());
        filter.from = core::LocalDayStart(**zone, monday);
        filter.to = core::LocalDayStart(**zone, monday.AddDays(7));
    } else if (period != "all") {
        return Fail(Errc::InvalidInput, "--period must be today, week or all, not '" + period + "'");
    }
    auto db = s.Db();
    if (!db) return db.error();
    const store::UnlockedKey* key = s.args.Flag("reveal") ? &s.Key() : nullptr;
    auto referrals = store::ReferralRepo(**db).List(filter);
    if (!referrals) return referrals.error();
    auto trainers = Trainers(**db);
    if (!trainers) return trainers.error();

    std::vector<std::string> items;
    for (const auto& r : *referrals) {
        store::BookingFilter bf;
        bf.referral = r.id;
        auto bookings = store::BookingRepo(**db).List(bf);
        if (!bookings) return bookings.error();
        std::optional<core::PatientDetails> details;
        if (key) {
            auto d = store::ReferralRepo(**db).Reveal(r.id, *key, s.env.now());
            if (!d) return d.error();
            details = std::move(*d);
        }
        if (s.json) {
            std::vector<std::string> booking_items;
            for (const auto& b : *bookings) booking_items.push_back(BookingJson(b, *trainers, **zone));
            auto j = RequestJson(r, **zone);
            j.AddRaw("bookings", JsonArray(booking_items));
            if (details) j.AddRaw("patient", PatientJson(*details));
            items.push_back(j.Str());
        } else {
            auto& out = s.env.out;
            out << RequestLine(r, **zone) << "\n";
            if (details) PrintPatient(out, *details);
            for (const auto& b : *bookings)
                out << "    booking " << b.id << ": " << Local(b.slot.start, **zone) << " with "
                    << TrainerName(*trainers, b.slot.trainer) << ", " << core::Key(b.status) << "\n";
        }
        if (details) core::Wipe(*details);
    }
    EndRequestList(s, items, referrals->empty(), key == nullptr);
    return {};
}

Result<void> VerbRequestsShow(Session& s) {
    auto zone = s.Zone();
    if (!zone) return zone.error();
    auto db = s.Db();
    if (!db) return db.error();
    auto r = ByReference(s, **db);
    if (!r) return r.error();
    auto d = store::DeskRepo(**db).Detail(r->id, s.Key(), s.env.now());
    if (!d) return d.error();
    auto trainers = Trainers(**db);
    if (!trainers) return trainers.error();
    const auto& z = **zone;
    auto wipe = [&] {
        core::Wipe(d->referral.patient);
        for (auto& n : d->notes) core::Wipe(n.text);
    };

    if (s.json) {
        std::vector<std::string> history, bookings, notes, audit;
        for (const auto& h : d->history)
            history.push_back(JsonObject().Add("status", core::Key(h.to)).Add("at", LocalIso(h.at, z)).Add("actor", h.actor).Str());
        for (const auto& b : d->bookings) bookings.push_back(BookingJson(b, *trainers, z, true));
        for (const auto& n : d->notes)
            notes.push_back(JsonObject().Add("id", n.id).Add("at", LocalIso(n.at, z)).Add("actor", n.actor).Add("text", n.text).Str());
        for (const auto& e : d->audit)
            audit.push_back(JsonObject().Add("at", LocalIso(e.at, z)).Add("actor", e.actor).Add("action", e.action)
                                .Add("subject", e.subject).Add("detail", e.detail).Str());
        auto j = RequestJson(d->referral, z);
        j.AddRaw("patient", PatientJson(d->referral.patient))
            .AddRaw("history", JsonArray(history))
            .AddRaw("bookings", JsonArray(bookings))
            .AddRaw("notes", JsonArray(notes))
            .AddRaw("audit", JsonArray(audit));
        if (d->offer) j.AddRaw("offer", OfferJson(*d->offer, *trainers, z));
        else j.AddNull("offer");
        std::string text = j.Str();
        s.env.out << text << "\n";
        core::Wipe(text);
        for (auto& n : notes) core::Wipe(n);
        wipe();
        return {};
    }
    auto& out = s.env.out;
    out << RequestLine(d->referral, z) << "\n";
    out << "    consent: " << d->referral.consent_version
        << (d->referral.consent_version == store::kDeskConsent ? " (taken by word at the desk)" : "") << "\n";
    PrintPatient(out, d->referral.patient);
    out << "History:\n";
    for (const auto& h : d->history) out << "  " << Local(h.at, z) << "  " << core::Key(h.to) << "  " << h.actor << "\n";
    out << "Bookings:" << (d->bookings.empty() ? " none" : "") << "\n";
    for (const auto& b : d->bookings) {
        out << "  booking " << b.id << ": " << SlotText(b.slot, *trainers, z) << ", " << core::Key(b.status) << "\n";
        for (const auto& h : b.history) out << "    " << Local(h.at, z) << "  " << core::Key(h.to) << "  " << h.actor << "\n";
    }
    if (d->offer) out << "Offer: " << SlotText(d->offer->slot, *trainers, z) << ", " << OfferedTo(*d->offer, z) << "\n";
    out << "Notes:" << (d->notes.empty() ? " none" : "") << "\n";
    for (const auto& n : d->notes) {
        out << "  " << Local(n.at, z) << "  " << n.actor << "\n";
        for (const auto& line : core::SplitList(n.text, '\n')) out << "    " << line << "\n";
    }
    out << "Audit:\n";
    for (const auto& e : d->audit)
        out << "  " << Local(e.at, z) << "  " << e.actor << "  " << e.action << "  " << e.subject
            << (e.detail.empty() ? "" : "  " + e.detail) << "\n";
    wipe();
    return {};
}

Result<void> VerbRequestsAdd(Session& s) {
    core::Referral r;
    auto route = Required(s, "route", kRouteKeys);
    if (!route) return route.error();
    const auto parsed_route = core::ParseRoute(*route);
    if (!parsed_route) return Fail(Errc::InvalidInput, "--route must be one of " + std::string(kRouteKeys));
    r.route = *parsed_route;
    auto reasons_text = Required(s, "reasons", kReasonKeys);
    if (!reasons_text) return reasons_text.error();
    auto reasons = ParseKeys<core::Reason>(*reasons_text, "reasons", core::ParseReason, kReasonKeys);
    if (!reasons) return reasons.error();
    r.reasons = std::move(*reasons);
    auto language = Required(s, "language", "the patient's language, a tag such as ur, so or pa-Guru");
    if (!language) return language.error();
    if (!core::LooksLikeLanguageTag(*language))
        return Fail(Errc::InvalidInput, "--language must be a language tag such as ur, so or pa-Guru, not '" + *language + "'");
    r.preferred_language = *language;
    r.interpreter = s.args.Flag("interpreter");
    if (auto v = s.args.Option("contact")) {
        const auto contact = core::ParseContactMethod(*v);
        if (!contact) return Fail(Errc::InvalidInput, "--contact must be phone, letter or call_in");
        r.contact = *contact;
    }
    if (auto v = s.args.Option("best-times")) {
        auto times = ParseKeys<core::BestTime>(*v, "best-times", core::ParseBestTime, "morning, afternoon, evening");
        if (!times) return times.error();
        r.best_times = std::move(*times);
    }
    r.consent_version = std::string(store::kDeskConsent);
    auto zone = s.Zone();
    if (!zone) return zone.error();
    auto slot = OptionalSlot(s, **zone);
    if (!slot) return slot.error();
    auto db = s.Db();
    if (!db) return db.error();

    if (InputIsTerminal(s))
        s.env.err << "Type the patient's details, one a line (name: ..., date_of_birth: YYYY-MM-DD, phone: ..., "
                     "email: ..., address: ..., note: ...), then Ctrl-D.\n";
    auto details = ReadPatientLines(PatientInput(s));
    if (!details) return details.error();
    r.patient = std::move(*details);
    if (auto c = CheckPatient(r.patient, r.contact, (*zone)->ToLocal(s.env.now()).date); !c) {
        core::Wipe(r.patient);
        return c.error();
    }
    auto made = store::DeskRepo(**db).Create(r, s.Key().Public(), *slot, **zone, s.actor, s.env.now());
    core::Wipe(r.patient);
    if (!made) return made.error();
    auto trainers = Trainers(**db);
    if (!trainers) return trainers.error();
    if (s.json) {
        auto j = RequestJson(made->referral, **zone);
        if (made->booking) j.AddRaw("booking", BookingJson(*made->booking, *trainers, **zone));
        else j.AddNull("booking");
        s.env.out << j.Str() << "\n";
        return {};
    }
    s.env.out << "Request " << made->referral.reference << " taken (" << core::Key(r.route) << ", consent by word)";
    if (made->booking)
        s.env.out << " and booked: " << SlotText(made->booking->slot, *trainers, **zone) << " (booking "
                  << made->booking->id << ")\n";
    else if (made->queued)
        s.env.out << ": queued for the shared database, where it is worked on (ht-admin db send --server ..., or the desk app "
                     "with --server, sends it)\n";
    else
        s.env.out << ": waiting for the trainer's call\n";
    return {};
}

Result<std::string> ReadNote(Session& s) {
    if (InputIsTerminal(s)) s.env.err << "Type the note, then Ctrl-D on a line of its own.\n";
    // Read no more than a note can hold (and one byte over, so too long is seen): never all of a pipe.
    const std::size_t limit = store::kMaxNoteLength * 4 + 1;
    std::string text(limit, '\0');
    PatientInput(s).read(text.data(), static_cast<std::streamsize>(limit));
    text.resize(static_cast<std::size_t>(PatientInput(s).gcount()));
    if (text.size() == limit) {
        core::Wipe(text);
        return Fail(Errc::InvalidInput, "the note is longer than " + std::to_string(store::kMaxNoteLength) + " characters");
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

Result<void> VerbRequestsNote(Session& s) {
    auto db = s.Db();
    if (!db) return db.error();
    auto r = ByReference(s, **db);
    if (!r) return r.error();
    auto text = ReadNote(s);
    if (!text) return text.error();
    auto note = store::ReferralRepo(**db).AddNote(r->id, *text, s.Key().Public(), s.actor, s.env.now());
    core::Wipe(*text);
    if (!note) return note.error();
    if (s.json)
        s.env.out << JsonObject().Add("reference", r->reference).Add("note", *note).Str() << "\n";
    else
        s.env.out << "Note " << *note << " added to " << r->reference << " (sealed)\n";
    return {};
}

Result<void> VerbRequestsSetStatus(Session& s) {
    auto status_option = StatusOption(s, true);
    if (!status_option) return status_option.error();
    const auto& status = *status_option;
    auto db = s.Db();
    if (!db) return db.error();
    auto r = ByReference(s, **db);
    if (!r) return r.error();
    const auto from = r->status;
    auto changed = store::ReferralRepo(**db).ChangeStatus(r->id, *status, s.actor, s.env.now());
    if (!changed) return changed.error();
    if (s.json)
        s.env.out << JsonObject().Add("reference", changed->reference).Add("from", core::Key(from))
                         .Add("status", core::Key(changed->status)).Str() << "\n";
    else
        s.env.out << changed->reference << ": " << core::Key(from) << " -> " << core::Key(changed->status) << "\n";
    return {};
}

// ---- bookings ---------------------------------------------------------------------------------------

Result<void> VerbBookingsAdd(Session& s) {
    auto zone = s.Zone();
    if (!zone) return zone.error();
    if (!s.args.Option("trainer") || !s.args.Option("start"))
        return Fail(Errc::InvalidInput, "--trainer N and --start \"YYYY-MM-DD HH:MM\" are required (see ht-admin slots list)");
    auto slot = OptionalSlot(s, **zone);
    if (!slot) return slot.error();
    auto db = s.Db();
    if (!db) return db.error();
    auto r = ByReference(s, **db);
    if (!r) return r.error();
    auto booking = store::DeskRepo(**db).Book(r->id, **slot, **zone, s.actor, s.env.now());
    if (!booking) return Fail(booking.error().code, r->reference + ": " + booking.error().detail + "; nothing was changed");
    auto trainers = Trainers(**db);
    if (!trainers) return trainers.error();
    if (s.json) {
        s.env.out << JsonObject().Add("reference", r->reference).AddRaw("booking", BookingJson(*booking, *trainers, **zone)).Str()
                  << "\n";
        return {};
    }
    s.env.out << "Booked " << r->reference << ": " << SlotText(booking->slot, *trainers, **zone) << " (booking "
              << booking->id << ")\n";
    return {};
}

Result<void> VerbBookingsSetStatus(Session& s) {
    auto id_text = Required(s, "booking", "a booking id from 'ht-admin bookings list'");
    if (!id_text) return id_text.error();
    auto id = ParsePositive(*id_text, "booking");
    if (!id) return id.error();
    auto status_text = Required(s, "status", "confirmed, attended, did_not_attend, cancelled_by_patient or cancelled_by_practice");
    if (!status_text) return status_text.error();
    const auto status = core::ParseBookingStatus(*status_text);
    if (!status) return Fail(Errc::InvalidInput, "--status must be one of requested, confirmed, attended, "
                                                 "did_not_attend, cancelled_by_patient, cancelled_by_practice");
    auto zone = s.Zone();
    if (!zone) return zone.error();
    auto db = s.Db();
    if (!db) return db.error();
    store::BookingRepo repo(**db);
    auto before = repo.Get(*id);
    if (!before) return before.error();
    auto changed = repo.ChangeStatusAndOffer(*id, *status, s.actor, s.env.now(), zone->get());
    if (!changed) return changed.error();
    auto trainers = Trainers(**db);
    if (!trainers) return trainers.error();
    const auto& offer = changed->offer;
    if (s.json) {
        JsonObject j;
        j.Add("id", *id).Add("from", core::Key(before->status)).Add("status", core::Key(changed->booking.status));
        if (offer) j.AddRaw("offer", OfferJson(*offer, *trainers, **zone));
        else j.AddNull("offer");
        s.env.out << j.Str() << "\n";
        return {};
    }
    s.env.out << "Booking " << *id << ": " << core::Key(before->status) << " -> " << core::Key(changed->booking.status) << "\n";
    if (offer) s.env.out << "Slot freed and " << OfferedTo(*offer, **zone) << "\n";
    return {};
}

// ---- waiting list -----------------------------------------------------------------------------------

Result<void> VerbWaitingList(Session& s) {
    auto zone = s.Zone();
    if (!zone) return zone.error();
    auto db = s.Db();
    if (!db) return db.error();
    store::WaitingRepo waiting(**db);
    auto list = waiting.List();
    if (!list) return list.error();
    auto offers = waiting.Offers(s.env.now());
    if (!offers) return offers.error();
    auto trainers = Trainers(**db);
    if (!trainers) return trainers.error();
    std::vector<std::string> items;
    for (const auto& r : *list) {
        const auto offer = std::find_if(offers->begin(), offers->end(),
                                        [&](const store::WaitingOffer& o) { return o.referral == r.id; });
        if (s.json) {
            auto j = RequestJson(r, **zone);
            if (offer != offers->end()) j.AddRaw("offer", OfferJson(*offer, *trainers, **zone));
            else j.AddNull("offer");
            items.push_back(j.Str());
            continue;
        }
        s.env.out << RequestLine(r, **zone) << "\n";
        if (offer != offers->end())
            s.env.out << "    offered: " << SlotText(offer->slot, *trainers, **zone) << " until "
                      << Local(offer->expires_at, **zone) << "\n";
    }
    if (s.json) s.env.out << JsonArray(items) << "\n";
    else if (list->empty()) s.env.out << "Nobody is on the waiting list.\n";
    return {};
}

Result<void> VerbWaitingOffers(Session& s) {
    auto zone = s.Zone();
    if (!zone) return zone.error();
    auto db = s.Db();
    if (!db) return db.error();
    auto offers = store::WaitingRepo(**db).Offers(s.env.now());
    if (!offers) return offers.error();
    auto trainers = Trainers(**db);
    if (!trainers) return trainers.error();
    if (s.json) {
        std::vector<std::string> items;
        for (const auto& o : *offers) items.push_back(OfferJson(o, *trainers, **zone));
        s.env.out << JsonArray(items) << "\n";
        return {};
    }
    for (const auto& o : *offers)
        s.env.out << SlotText(o.slot, *trainers, **zone) << "  " << OfferedTo(o, **zone) << "\n";
    if (offers->empty()) s.env.out << "No slots are on offer to the waiting list.\n";
    return {};
}

Result<void> VerbWaitingAccept(Session& s) {
    auto zone = s.Zone();
    if (!zone) return zone.error();
    auto db = s.Db();
    if (!db) return db.error();
    auto r = ByReference(s, **db);
    if (!r) return r.error();
    auto booking = store::WaitingRepo(**db).Accept(r->id, s.actor, s.env.now());
    if (!booking) return booking.error();
    auto trainers = Trainers(**db);
    if (!trainers) return trainers.error();
    if (s.json)
        s.env.out << JsonObject().Add("reference", r->reference).AddRaw("booking", BookingJson(*booking, *trainers, **zone)).Str()
                  << "\n";
    else
        s.env.out << "Booked " << r->reference << " into the offered slot: " << SlotText(booking->slot, *trainers, **zone)
                  << " (booking " << booking->id << ")\n";
    return {};
}

Result<void> VerbWaitingDecline(Session& s) {
    auto zone = s.Zone();
    if (!zone) return zone.error();
    auto db = s.Db();
    if (!db) return db.error();
    auto r = ByReference(s, **db);
    if (!r) return r.error();
    store::WaitingRepo waiting(**db);
    auto before = waiting.OfferFor(r->id, s.env.now());
    if (!before) return before.error();
    auto next = waiting.Decline(r->id, s.actor, s.env.now());
    if (!next) return next.error();
    auto trainers = Trainers(**db);
    if (!trainers) return trainers.error();
    if (s.json) {
        JsonObject j;
        j.Add("reference", r->reference);
        if (*next) j.AddRaw("next_offer", OfferJson(**next, *trainers, **zone));
        else j.AddNull("next_offer");
        s.env.out << j.Str() << "\n";
        return {};
    }
    s.env.out << r->reference << " declined";
    if (*before) s.env.out << " " << SlotText((*before)->slot, *trainers, **zone);
    if (*next) s.env.out << "; " << OfferedTo(**next, **zone) << "\n";
    else s.env.out << "; nobody else is waiting for it: the slot is free again\n";
    return {};
}

}  // namespace htk::admin
