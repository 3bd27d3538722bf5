// Schema of the kiosk database. CHECK constraints repeat the domain's rules where they cost nothing,
// and the partial UNIQUE index is what makes a double booking impossible, whatever the code does.
#include "store/migrations.h"

#include <array>

namespace htk::store {

namespace {

constexpr std::string_view kV1 = R"sql(
PRAGMA application_id = 1213483859;

CREATE TABLE practice (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    name               TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    time_zone          TEXT    NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
    public_key         BLOB             CHECK (public_key IS NULL OR length(public_key) = 32),
    session_minutes    INTEGER NOT NULL DEFAULT 60  CHECK (session_minutes BETWEEN 30 AND 60),
    interval_minutes   INTEGER NOT NULL DEFAULT 60  CHECK (interval_minutes BETWEEN session_minutes AND 1440),
    min_notice_minutes INTEGER NOT NULL DEFAULT 120 CHECK (min_notice_minutes BETWEEN 0 AND 20160),
    horizon_days       INTEGER NOT NULL DEFAULT 28  CHECK (horizon_days BETWEEN 1 AND 366),
    retention_days     INTEGER NOT NULL DEFAULT 730 CHECK (retention_days BETWEEN 1 AND 36500)
);

CREATE TABLE trainers (
    id           INTEGER PRIMARY KEY,
    display_name TEXT    NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE trainer_languages (
    trainer_id INTEGER NOT NULL REFERENCES trainers(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL CHECK (position >= 0),
    tag        TEXT    NOT NULL CHECK (length(tag) BETWEEN 2 AND 35),
    PRIMARY KEY (trainer_id, position),
    UNIQUE (trainer_id, tag)
) WITHOUT ROWID;

CREATE TABLE weekly_hours (
    trainer_id INTEGER NOT NULL REFERENCES trainers(id) ON DELETE CASCADE,
    weekday    INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    kind       TEXT    NOT NULL CHECK (kind IN ('open', 'break')),
    start_min  INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
    end_min    INTEGER NOT NULL CHECK (end_min > start_min AND end_min <= 1440),
    PRIMARY KEY (trainer_id, weekday, kind, start_min)
) WITHOUT ROWID;

-- A date exception without exception_hours rows means "not working that day".
CREATE TABLE date_exceptions (
    trainer_id INTEGER NOT NULL REFERENCES trainers(id) ON DELETE CASCADE,
    date       TEXT    NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    PRIMARY KEY (trainer_id, date)
) WITHOUT ROWID;

CREATE TABLE exception_hours (
    trainer_id INTEGER NOT NULL,
    date       TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('open', 'break')),
    start_min  INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
    end_min    INTEGER NOT NULL CHECK (end_min > start_min AND end_min <= 1440),
    PRIMARY KEY (trainer_id, date, kind, start_min),
    FOREIGN KEY (trainer_id, date) REFERENCES date_exceptions(trainer_id, date) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE blocked_days (
    date   TEXT PRIMARY KEY CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 200)
) WITHOUT ROWID;

CREATE TABLE referrals (
    id              INTEGER PRIMARY KEY,
    reference       TEXT    NOT NULL UNIQUE CHECK (length(reference) = 8),
    route           TEXT    NOT NULL CHECK (route IN ('self', 'gp_booked', 'gp_tasked', 'signposted')),
    reasons         TEXT    NOT NULL CHECK (length(reasons) > 0),
    language        TEXT    NOT NULL CHECK (length(language) BETWEEN 2 AND 35),
    interpreter     INTEGER NOT NULL CHECK (interpreter IN (0, 1)),
    contact         TEXT    NOT NULL CHECK (contact IN ('phone', 'letter', 'call_in')),
    best_times      TEXT    NOT NULL,
    consent_version TEXT    NOT NULL CHECK (length(consent_version) BETWEEN 1 AND 40),
    created_at      INTEGER NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'contacted', 'booked', 'closed', 'cancelled')),
    sealed          BLOB    NOT NULL CHECK (length(sealed) > 48)
);
CREATE INDEX referrals_by_status ON referrals(status, created_at);

CREATE TABLE referral_status_history (
    id          INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
    status      TEXT    NOT NULL CHECK (status IN ('new', 'contacted', 'booked', 'closed', 'cancelled')),
    at          INTEGER NOT NULL,
    actor       TEXT    NOT NULL CHECK (length(actor) > 0)
);
CREATE INDEX referral_history_by_referral ON referral_status_history(referral_id, id);

CREATE TABLE bookings (
    id          INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals(id),
    trainer_id  INTEGER NOT NULL REFERENCES trainers(id),
    start_at    INTEGER NOT NULL,
    end_at      INTEGER NOT NULL CHECK (end_at > start_at),
    status      TEXT    NOT NULL DEFAULT 'requested'
                CHECK (status IN ('requested', 'confirmed', 'attended', 'did_not_attend',
                                  'cancelled_by_patient', 'cancelled_by_practice'))
);
-- The database itself refuses a second live booking of one trainer's slot.
CREATE UNIQUE INDEX bookings_one_live_per_slot ON bookings(trainer_id, start_at)
    WHERE status NOT IN ('cancelled_by_patient', 'cancelled_by_practice');
CREATE INDEX bookings_by_referral ON bookings(referral_id);
CREATE INDEX bookings_by_start ON bookings(start_at);

CREATE TABLE booking_status_history (
    id         INTEGER PRIMARY KEY,
    booking_id INTEGER NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
    status     TEXT    NOT NULL
               CHECK (status IN ('requested', 'confirmed', 'attended', 'did_not_attend',
                                 'cancelled_by_patient', 'cancelled_by_practice')),
    at         INTEGER NOT NULL,
    actor      TEXT    NOT NULL CHECK (length(actor) > 0)
);
CREATE INDEX booking_history_by_booking ON booking_status_history(booking_id, id);

-- One hold per slot and one slot per token; a hold past expires_at is simply replaced.
CREATE TABLE slot_holds (
    trainer_id INTEGER NOT NULL REFERENCES trainers(id) ON DELETE CASCADE,
    start_at   INTEGER NOT NULL,
    end_at     INTEGER NOT NULL CHECK (end_at > start_at),
    token      TEXT    NOT NULL UNIQUE CHECK (length(token) BETWEEN 8 AND 128),
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (trainer_id, start_at)
) WITHOUT ROWID;

CREATE TABLE staff_keys (
    staff_name  TEXT    PRIMARY KEY CHECK (length(staff_name) BETWEEN 1 AND 100),
    role        TEXT    NOT NULL CHECK (role IN ('receptionist', 'manager')),
    salt        BLOB    NOT NULL CHECK (length(salt) = 16),
    opslimit    INTEGER NOT NULL CHECK (opslimit > 0),
    memlimit    INTEGER NOT NULL CHECK (memlimit > 0),
    nonce       BLOB    NOT NULL CHECK (length(nonce) = 24),
    wrapped_key BLOB    NOT NULL CHECK (length(wrapped_key) = 48),
    created_at  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    actor   TEXT    NOT NULL CHECK (length(actor) > 0),
    action  TEXT    NOT NULL CHECK (length(action) > 0),
    subject TEXT    NOT NULL DEFAULT '',
    detail  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_time ON audit_log(at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql";

// v2: a patient who found no free slot asks for a call back and a place on the waiting list;
// reception offers them the next slot that frees up.
constexpr std::string_view kV2 = R"sql(
ALTER TABLE referrals ADD COLUMN waiting_list INTEGER NOT NULL DEFAULT 0 CHECK (waiting_list IN (0, 1));
CREATE INDEX referrals_waiting ON referrals(created_at) WHERE waiting_list = 1;
)sql";

// v3: reception's desk. Staff notes on a request (sealed like the details: a note may name the
// patient); who declined which offered slot, so an offer passes down the waiting list and never back;
// the audit trail of one request found without scanning the whole log.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE referral_notes (
    id          INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    actor       TEXT    NOT NULL CHECK (length(actor) > 0),
    sealed      BLOB    NOT NULL CHECK (length(sealed) > 48)
);
CREATE INDEX referral_notes_by_referral ON referral_notes(referral_id, id);

CREATE TABLE offer_declines (
    trainer_id  INTEGER NOT NULL,
    start_at    INTEGER NOT NULL,
    referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    PRIMARY KEY (trainer_id, start_at, referral_id)
) WITHOUT ROWID;
CREATE INDEX offer_declines_by_referral ON offer_declines(referral_id);

CREATE INDEX audit_by_subject ON audit_log(subject, id);
)sql";

// v4: a kiosk that shares a PostgreSQL database keeps each request here until the server confirms it
// (store/forward_repo.h). uid is the request's global id, the server's idempotency key; rejected holds
// the server's reason when it refused the request, which then waits for staff instead of being retried.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE forward_queue (
    referral_id INTEGER PRIMARY KEY REFERENCES referrals(id) ON DELETE CASCADE,
    uid         TEXT    NOT NULL UNIQUE CHECK (length(uid) = 36),
    queued_at   INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_at     INTEGER NOT NULL DEFAULT 0,
    rejected    TEXT
);
CREATE INDEX forward_queue_due ON forward_queue(next_at) WHERE rejected IS NULL;
)sql";

// v5: a practice whose plan was published to a shared PostgreSQL database (`ht-admin db publish`) books
// its times there, where every kiosk and desk meets the one UNIQUE rule. From then on this file takes no
// live booking of its own, whichever tool asks, so none is made behind the kiosks' backs.
constexpr std::string_view kV5 = R"sql(
ALTER TABLE practice ADD COLUMN shared_since INTEGER;  -- unix seconds of the first publish; NULL: this file's slots are the practice's
CREATE TRIGGER bookings_on_the_shared_database BEFORE INSERT ON bookings
WHEN (SELECT shared_since FROM practice WHERE id = 1) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'this practice books its times on its shared database');
END;
)sql";

constexpr std::array<std::string_view, 5> kMigrations{kV1, kV2, kV3, kV4, kV5};

}  // namespace

std::span<const std::string_view> Migrations() { return kMigrations; }
int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

}  // namespace htk::store
