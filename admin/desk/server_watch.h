// What the desk reads from the shared PostgreSQL database (issue 9), off the UI thread: a thread of its
// own connects, makes the status changes and bookings reception asked for, and re-reads each kiosk's
// last contact and backlog, the newest forwarded requests and the followed request's history and notes
// (and free slots, while reception books) every 10 s, at once after an action or "Check now"; and the
// practice's report when asked. The UI takes
// the latest copy under a mutex and never waits on the network. No ImGui here; the requests' details
// stay sealed (the desk opens one at a time).
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "admin/kiosk_contacts.h"
#include "core/referral.h"
#include "core/result.h"
#include "store/database.h"
#include "store/forward_repo.h"
#include "store/pg/booking.h"
#include "store/pg/publish.h"
#include "store/pg/requests.h"
#include "store/report_repo.h"

namespace htk::admin::desk {

inline constexpr std::chrono::seconds kServerReadEvery{10};
inline constexpr int kServerRequestsShown = 500;  // the newest; older ones: ht-admin db requests --status
inline constexpr int kServerSlotsShown = 60;      // the soonest free slots offered for a booking

using ServerRequests = std::vector<store::pg::ServerRequest>;

// What reception asked for on a forwarded request, made on the watcher's thread.
struct MoveRequest {  // a status change of the request
    core::ReferralStatus from = core::ReferralStatus::New;  // as the desk last read it
    core::ReferralStatus to = core::ReferralStatus::New;
};
struct BookSlot {  // a booking of one of its practice's free slots, which moves it to booked
    store::pg::ServerSlot slot;
};
struct MoveBooking {  // a status change of its booking: attended, did not attend, cancelled
    std::int64_t booking = 0;
    core::BookingStatus from = core::BookingStatus::Requested;
    core::BookingStatus to = core::BookingStatus::Requested;
};

struct OfferAccepted {};  // the patient takes up the slot the waiting list offered the request
struct OfferDeclined {};  // the patient declines it: the slot goes to the next request waiting

struct AddNote {  // a note, sealed to the practice's key on the watcher's thread (the text is wiped once made)
    std::string text;
};

struct ServerAction {
    std::int64_t id = 0;  // the request's, the server's
    std::string reference;
    std::string actor;    // who asked ("staff:Tomasz"): the practice file's audit entry names them
    std::variant<MoveRequest, BookSlot, MoveBooking, AddNote, OfferAccepted, OfferDeclined> what;
    std::string uid = store::NewUuid();  // its own id: a move or note retried after a lost answer is made once
};

struct ActionOutcome {
    ServerAction action;
    // Busy: another desk changed the status first; SlotTaken: another kiosk or desk has the slot.
    // The next read, at once, shows what is so. store::kMadeButNotAudited: the server made it, and the
    // practice file could not say so.
    core::Result<void> result;
    std::string offered_next;  // OfferDeclined: the reference the slot is offered to now; empty: nobody
};

// The practice's report, asked of the server (its kiosks' requests are there): local dates [from, to)
// in `zone`, an IANA id.
struct FiguresAsk {
    core::LocalDate from;
    core::LocalDate to;
    std::string zone;
};
struct FiguresAnswer {
    std::uint64_t asked = 0;  // the AskFigures call this answers
    core::Result<store::ReportFigures> figures;  // every practice's the login may read, summed
    std::vector<std::string> practices;          // their names: one for a desk's login
};

// The practice's plan, published from the desk's file by the watcher (the Trainers tab's button).
struct PublishAnswer {
    std::uint64_t asked = 0;  // the AskPublish call this answers
    core::Result<store::pg::PracticePublished> done;
};

// A week of the practice's slots and bookings on the server, for the desk's Week view: [from, to).
struct WeekAsk {
    core::UnixSeconds from = 0;
    core::UnixSeconds to = 0;
    bool operator==(const WeekAsk&) const = default;
};
struct WeekAnswer {
    WeekAsk of;
    core::Result<std::vector<store::pg::WeekSlot>> slots;  // Forbidden for a login that is not a desk's
};

struct ServerSnapshot {
    std::uint64_t reads = 0;              // answers so far, good or failed; 0: the first is on its way
    std::vector<KioskContact> kiosks;     // as of the last good read (kept through a failed one)
    // Newest first; shared, so the copy a frame takes is cheap.
    std::shared_ptr<const ServerRequests> requests = std::make_shared<ServerRequests>();
    std::int64_t history_of = 0;          // the followed request, whose history (and free slots) these are
    std::vector<store::pg::StatusEvent> history;
    std::vector<store::pg::ServerNote> notes;  // its notes, sealed: the desk opens them with the staff's key
    std::optional<std::vector<store::pg::ServerSlot>> free_slots;  // its practice's, when asked for
    std::vector<store::pg::ServerOffer> offers;  // freed slots offered to the waiting list, standing as read
    int actions_pending = 0;              // asked for, not yet answered
    std::optional<FiguresAnswer> figures; // the latest report answered
    std::optional<WeekAnswer> week;       // the week shown, while one is
    std::optional<PublishAnswer> published;  // the latest publish answered
    bool read_ok = false;                 // the lists came from a good read at least once
    std::chrono::steady_clock::time_point read_at;  // of the last good read
    std::optional<core::Error> problem;   // the latest read's failure; nullopt once one succeeds
};

class ServerWatch {
public:
    // Starts the thread; does not connect on the caller's thread. `conninfo`: a libpq string.
    // `practice_file`: the desk's SQLite file, where the thread audits each change it makes (through
    // store::pg::ServerDeskStore, on a connection of its own); none: it reads, and makes no change.
    explicit ServerWatch(std::string conninfo, std::filesystem::path practice_file = {},
                         std::chrono::milliseconds every = kServerReadEvery);
    // Waits for a read in progress, which the connection's own timeouts bound (connect 5 s, statements 10 s).
    ~ServerWatch();
    ServerWatch(const ServerWatch&) = delete;
    ServerWatch& operator=(const ServerWatch&) = delete;

    ServerSnapshot Latest() const;  // a copy, under the mutex only: never waits on the network
    void Wake();                    // read again now ("Check now")
    // Read this request's history too from now on, and with `slots` the free slots it could book; 0: none.
    void Follow(std::int64_t id, bool slots = false);
    void Ask(ServerAction action);              // made in the order asked, then everything is re-read
    std::vector<ActionOutcome> TakeOutcomes();  // the answers since the last call
    // Reads the practice's figures on the thread; the snapshot's `figures` answers it, with the number
    // returned. A newer ask replaces one not yet read.
    std::uint64_t AskFigures(FiguresAsk ask);
    // Publishes the practice file's plan through this desk's login, as `ht-admin db publish` does (the
    // file is marked shared, audited as `actor`); the snapshot's `published` answers the number returned.
    std::uint64_t AskPublish(std::string zone, std::string actor);
    // Read this week's slots and bookings too, from now on (every read); nullopt: no longer.
    void ShowWeek(std::optional<WeekAsk> week);

private:
    void Loop();
    template <class Read>
    auto Connected(Read read) -> decltype(read(std::declval<store::pg::Connection&>()));

    core::Result<void> Make(const ServerAction& action, std::string& offered_next);
    core::Result<store::Database*> File();  // the practice file, opened on the thread at its first use

    const std::string m_conninfo;
    const std::filesystem::path m_practice_file;
    const std::chrono::milliseconds m_every;
    store::pg::Connection m_db;          // the thread's alone
    std::optional<store::Database> m_file;  // the thread's alone, opened at its first change

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    bool m_woken = false;
    std::int64_t m_follow = 0;
    bool m_follow_slots = false;
    std::vector<ServerAction> m_asked;
    std::optional<FiguresAsk> m_figures_ask;
    std::optional<WeekAsk> m_week;
    std::optional<std::pair<std::string, std::string>> m_publish_ask;  // zone, actor
    std::uint64_t m_publish_asked = 0;
    std::uint64_t m_figures_asked = 0;
    std::vector<ActionOutcome> m_answered;
    ServerSnapshot m_latest;
    std::thread m_thread;  // last: starts once everything above exists
};

// What the Kiosks view shows for one kiosk, in plain words; the view draws these and nothing else.
struct KioskLine {
    std::string practice;
    std::string kiosk;
    std::string last_contact;  // "12 s ago", "5 min ago", "never"
    int backlog = 0;           // requests waiting on the kiosk
    int refused = 0;
    bool warn = false;         // not heard from for over 2 minutes, or refused requests
    std::vector<std::string> advice;  // what to do, one sentence each; empty when all is well
};

// `since_read`: seconds since the snapshot was read, added to each age so the view keeps counting.
std::vector<KioskLine> KioskLines(const std::vector<KioskContact>& kiosks, std::int64_t since_read);
std::string Ago(std::int64_t seconds);             // "12 s ago", "5 min ago", "3 h ago", "2 days ago"
std::string ProblemText(const core::Error& error);  // "The shared database cannot be reached: <reason>"

}  // namespace htk::admin::desk
