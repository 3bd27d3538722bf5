// Schema of the shared PostgreSQL database. It mirrors the SQLite schema's rules (the same CHECKs) and
// adds what sharing needs: a practice id on every row, the kiosks' last contact and backlog, a global
// unique id per request (the forwarding worker's idempotency key), and roles that grant the least.
#include "store/pg/schema.h"

#include <array>
#include <string>

namespace htk::store::pg {

using core::Errc;
using core::Fail;
using core::Result;

namespace {

constexpr std::string_view kV1 = R"sql(
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'htk_kiosk') THEN CREATE ROLE htk_kiosk NOLOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'htk_desk') THEN CREATE ROLE htk_desk NOLOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'htk_manager') THEN CREATE ROLE htk_manager NOLOGIN; END IF;
END $$;

CREATE TABLE htk.practices (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name      text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    time_zone text NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64)
);

-- One row per kiosk; db_role is the login it connects as, so a kiosk can only ever write as itself.
CREATE TABLE htk.kiosks (
    practice_id    bigint  NOT NULL REFERENCES htk.practices(id),
    kiosk_id       text    NOT NULL CHECK (kiosk_id ~ '^[A-Za-z0-9._-]{1,64}$'),
    db_role        name    NOT NULL UNIQUE,
    last_contact   timestamptz,
    backlog        integer NOT NULL DEFAULT 0 CHECK (backlog >= 0),
    rejected       integer NOT NULL DEFAULT 0 CHECK (rejected >= 0),
    oldest_waiting bigint,  -- unix seconds: when the oldest request not yet forwarded was made
    PRIMARY KEY (practice_id, kiosk_id)
);

-- Desk logins and the practice each works for (row-level security below).
CREATE TABLE htk.desks (
    db_role     name   PRIMARY KEY,
    practice_id bigint NOT NULL REFERENCES htk.practices(id)
);

CREATE TABLE htk.referrals (
    id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uid             uuid    NOT NULL UNIQUE,
    practice_id     bigint  NOT NULL REFERENCES htk.practices(id),
    origin          text    NOT NULL CHECK (length(origin) BETWEEN 1 AND 80),
    reference       text    NOT NULL CHECK (length(reference) = 8),
    route           text    NOT NULL CHECK (route IN ('self', 'gp_booked', 'gp_tasked', 'signposted')),
    reasons         text    NOT NULL CHECK (length(reasons) > 0),
    language        text    NOT NULL CHECK (length(language) BETWEEN 2 AND 35),
    interpreter     boolean NOT NULL,
    waiting_list    boolean NOT NULL,
    contact         text    NOT NULL CHECK (contact IN ('phone', 'letter', 'call_in')),
    best_times      text    NOT NULL,
    consent_version text    NOT NULL CHECK (length(consent_version) BETWEEN 1 AND 40),
    created_at      bigint  NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    status          text    NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'contacted', 'booked', 'closed', 'cancelled')),
    sealed          bytea   NOT NULL CHECK (length(sealed) > 48),
    -- References are drawn on each kiosk; two kiosks may draw the same one, which the origin tells apart.
    UNIQUE (practice_id, origin, reference)
);
CREATE INDEX referrals_by_practice ON htk.referrals(practice_id, status, created_at);

CREATE FUNCTION htk.schema_version() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$ SELECT max(version) FROM htk.schema_migrations $$;

-- The kiosk row of the login calling, or insufficient_privilege: every kiosk function starts here, so a
-- kiosk can only ever act as itself, for its own practice.
CREATE FUNCTION htk.calling_kiosk() RETURNS htk.kiosks
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE k htk.kiosks;
BEGIN
    SELECT * INTO k FROM htk.kiosks WHERE db_role = session_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the login % is not registered as a kiosk (ht-admin db add-kiosk)', session_user
            USING ERRCODE = '42501';
    END IF;
    RETURN k;
END $$;

-- The kiosk's one way in: stores a request under the caller's own practice and kiosk. Idempotent on
-- uid: true when stored now, false when it was already there (a retry after a lost acknowledgement).
CREATE FUNCTION htk.kiosk_forward(p_uid uuid, p_reference text, p_route text, p_reasons text, p_language text,
                                  p_interpreter boolean, p_waiting_list boolean, p_contact text, p_best_times text,
                                  p_consent_version text, p_created_at bigint, p_sealed bytea) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE k htk.kiosks;
BEGIN
    k := htk.calling_kiosk();
    INSERT INTO htk.referrals (uid, practice_id, origin, reference, route, reasons, language, interpreter,
                               waiting_list, contact, best_times, consent_version, created_at, sealed)
    VALUES (p_uid, k.practice_id, 'kiosk:' || k.kiosk_id, p_reference, p_route, p_reasons, p_language,
            p_interpreter, p_waiting_list, p_contact, p_best_times, p_consent_version, p_created_at, p_sealed)
    ON CONFLICT (uid) DO NOTHING;
    RETURN FOUND;
END $$;

-- The kiosk's heartbeat: its backlog, shown on the desk with the time it was last heard from.
CREATE FUNCTION htk.kiosk_contact(p_backlog integer, p_rejected integer, p_oldest_waiting bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE k htk.kiosks := htk.calling_kiosk();
BEGIN
    UPDATE htk.kiosks SET last_contact = now(), backlog = p_backlog, rejected = p_rejected,
                          oldest_waiting = p_oldest_waiting
    WHERE practice_id = k.practice_id AND kiosk_id = k.kiosk_id;
    RETURN k.practice_id;
END $$;

-- Least privilege. Functions are executable by PUBLIC unless revoked.
REVOKE ALL ON SCHEMA htk FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA htk FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA htk FROM PUBLIC;
GRANT USAGE ON SCHEMA htk TO htk_kiosk, htk_desk, htk_manager;
GRANT EXECUTE ON FUNCTION htk.schema_version() TO htk_kiosk, htk_desk, htk_manager;
GRANT EXECUTE ON FUNCTION htk.kiosk_forward(uuid, text, text, text, text, boolean, boolean, text, text, text, bigint, bytea),
                          htk.kiosk_contact(integer, integer, bigint) TO htk_kiosk;

GRANT SELECT ON htk.practices TO htk_desk, htk_manager;
GRANT SELECT ON htk.desks TO htk_manager;
GRANT SELECT ON htk.kiosks, htk.referrals TO htk_desk, htk_manager;
GRANT UPDATE (status) ON htk.referrals TO htk_desk;

-- The desk login's practice, as one STABLE value: the policy then compares with a constant and the
-- (practice_id, status, created_at) index serves the desk's list (a subquery made it a hash join).
CREATE FUNCTION htk.desk_practice() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$ SELECT practice_id FROM htk.desks WHERE db_role = session_user $$;
REVOKE EXECUTE ON FUNCTION htk.desk_practice() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION htk.desk_practice() TO htk_desk;

ALTER TABLE htk.referrals ENABLE ROW LEVEL SECURITY;
ALTER TABLE htk.kiosks ENABLE ROW LEVEL SECURITY;
CREATE POLICY desk_own_practice ON htk.referrals TO htk_desk USING (practice_id = htk.desk_practice());
CREATE POLICY desk_own_practice ON htk.kiosks TO htk_desk USING (practice_id = htk.desk_practice());
CREATE POLICY manager_reads_all ON htk.referrals FOR SELECT TO htk_manager USING (true);
CREATE POLICY manager_reads_all ON htk.kiosks FOR SELECT TO htk_manager USING (true);
)sql";

// v2: slots and bookings on the server, where they are authoritative for every kiosk and desk of a
// practice. The partial UNIQUE index is the same rule as SQLite's: one live booking per trainer's slot,
// whoever books it; a booking and its new request commit together or not at all.
constexpr std::string_view kV2 = R"sql(
CREATE TABLE htk.trainers (
    practice_id  bigint  NOT NULL REFERENCES htk.practices(id),
    id           bigint  NOT NULL,
    display_name text    NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    languages    text    NOT NULL DEFAULT '',  -- BCP 47 tags, comma-separated, as the kiosk matches them
    active       boolean NOT NULL DEFAULT true,
    PRIMARY KEY (practice_id, id)
);

CREATE TABLE htk.slots (
    practice_id bigint NOT NULL,
    trainer_id  bigint NOT NULL,
    start_at    bigint NOT NULL,
    end_at      bigint NOT NULL CHECK (end_at > start_at),
    PRIMARY KEY (practice_id, trainer_id, start_at),
    FOREIGN KEY (practice_id, trainer_id) REFERENCES htk.trainers(practice_id, id)
);

CREATE TABLE htk.bookings (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id bigint NOT NULL,
    trainer_id  bigint NOT NULL,
    start_at    bigint NOT NULL,
    end_at      bigint NOT NULL CHECK (end_at > start_at),
    referral_id bigint NOT NULL REFERENCES htk.referrals(id),
    status      text   NOT NULL DEFAULT 'requested'
                CHECK (status IN ('requested', 'confirmed', 'attended', 'did_not_attend',
                                  'cancelled_by_patient', 'cancelled_by_practice')),
    booked_by   text   NOT NULL CHECK (length(booked_by) BETWEEN 1 AND 80),
    booked_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (practice_id, trainer_id, start_at) REFERENCES htk.slots(practice_id, trainer_id, start_at)
);
CREATE UNIQUE INDEX bookings_one_live_per_slot ON htk.bookings(practice_id, trainer_id, start_at)
    WHERE status NOT IN ('cancelled_by_patient', 'cancelled_by_practice');
CREATE INDEX bookings_by_referral ON htk.bookings(referral_id);

-- Free slots of the calling kiosk's practice from now on, with their trainers.
CREATE FUNCTION htk.kiosk_free_slots(p_now bigint)
RETURNS TABLE (trainer_id bigint, display_name text, languages text, start_at bigint, end_at bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
    SELECT s.trainer_id, t.display_name, t.languages, s.start_at, s.end_at
    FROM htk.slots s
    JOIN htk.trainers t ON t.practice_id = s.practice_id AND t.id = s.trainer_id AND t.active
    WHERE s.practice_id = (SELECT practice_id FROM htk.kiosks WHERE db_role = session_user)
      AND s.start_at >= p_now
      AND NOT EXISTS (SELECT FROM htk.bookings b WHERE b.practice_id = s.practice_id AND b.trainer_id = s.trainer_id
                      AND b.start_at = s.start_at AND b.status NOT IN ('cancelled_by_patient', 'cancelled_by_practice'))
    ORDER BY s.start_at, s.trainer_id
$$;

-- Books a slot for a new request from the calling kiosk, in one transaction: 'booked', 'taken' (another
-- kiosk or the desk has it; nothing is stored) or 'already' (this request was booked before: a retry).
CREATE FUNCTION htk.kiosk_book(p_trainer bigint, p_start bigint, p_uid uuid, p_reference text, p_route text,
                               p_reasons text, p_language text, p_interpreter boolean, p_contact text,
                               p_best_times text, p_consent_version text, p_created_at bigint, p_sealed bytea)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE
    k htk.kiosks;
    slot htk.slots;
    referral bigint;
    violated text;
BEGIN
    k := htk.calling_kiosk();
    IF EXISTS (SELECT FROM htk.referrals WHERE uid = p_uid) THEN
        RETURN 'already';
    END IF;
    SELECT * INTO slot FROM htk.slots WHERE practice_id = k.practice_id AND trainer_id = p_trainer AND start_at = p_start;
    IF NOT FOUND THEN
        RETURN 'taken';  -- withdrawn from the plan meanwhile: gone, as far as the patient is concerned
    END IF;
    BEGIN
        INSERT INTO htk.referrals (uid, practice_id, origin, reference, route, reasons, language, interpreter,
                                   waiting_list, contact, best_times, consent_version, created_at, status, sealed)
        VALUES (p_uid, k.practice_id, 'kiosk:' || k.kiosk_id, p_reference, p_route, p_reasons, p_language,
                p_interpreter, false, p_contact, p_best_times, p_consent_version, p_created_at, 'booked', p_sealed)
        RETURNING id INTO referral;
        INSERT INTO htk.bookings (practice_id, trainer_id, start_at, end_at, referral_id, booked_by)
        VALUES (k.practice_id, p_trainer, p_start, slot.end_at, referral, 'kiosk:' || k.kiosk_id);
    EXCEPTION WHEN unique_violation THEN
        GET STACKED DIAGNOSTICS violated = CONSTRAINT_NAME;
        IF violated = 'bookings_one_live_per_slot' THEN
            RETURN 'taken';  -- the request is rolled back with the booking: the patient picks another time
        END IF;
        RAISE;
    END;
    RETURN 'booked';
END $$;

-- The desk books a slot for one of its practice's requests; 'booked', 'taken' or 'not_found'.
CREATE FUNCTION htk.desk_book(p_referral bigint, p_trainer bigint, p_start bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE
    practice bigint := htk.desk_practice();
    slot htk.slots;
BEGIN
    IF practice IS NULL THEN
        RAISE EXCEPTION 'the login % is not registered as a desk (ht-admin db add-desk)', session_user
            USING ERRCODE = '42501';
    END IF;
    PERFORM FROM htk.referrals WHERE id = p_referral AND practice_id = practice FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 'not_found';
    END IF;
    SELECT * INTO slot FROM htk.slots WHERE practice_id = practice AND trainer_id = p_trainer AND start_at = p_start;
    IF NOT FOUND THEN
        RETURN 'taken';
    END IF;
    BEGIN
        INSERT INTO htk.bookings (practice_id, trainer_id, start_at, end_at, referral_id, booked_by)
        VALUES (practice, p_trainer, p_start, slot.end_at, p_referral, 'desk:' || session_user);
    EXCEPTION WHEN unique_violation THEN
        RETURN 'taken';
    END;
    UPDATE htk.referrals SET status = 'booked' WHERE id = p_referral AND status IN ('new', 'contacted');
    RETURN 'booked';
END $$;

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA htk FROM PUBLIC;
GRANT EXECUTE ON FUNCTION htk.schema_version() TO htk_kiosk, htk_desk, htk_manager;
GRANT EXECUTE ON FUNCTION htk.kiosk_forward(uuid, text, text, text, text, boolean, boolean, text, text, text, bigint, bytea),
                          htk.kiosk_contact(integer, integer, bigint), htk.kiosk_free_slots(bigint),
                          htk.kiosk_book(bigint, bigint, uuid, text, text, text, text, boolean, text, text, text, bigint, bytea)
                          TO htk_kiosk;
GRANT EXECUTE ON FUNCTION htk.desk_practice(), htk.desk_book(bigint, bigint, bigint) TO htk_desk;
GRANT SELECT ON htk.trainers, htk.slots, htk.bookings TO htk_desk, htk_manager;
GRANT UPDATE (status) ON htk.bookings TO htk_desk;
ALTER TABLE htk.trainers ENABLE ROW LEVEL SECURITY;
ALTER TABLE htk.slots ENABLE ROW LEVEL SECURITY;
ALTER TABLE htk.bookings ENABLE ROW LEVEL SECURITY;
CREATE POLICY desk_own_practice ON htk.trainers TO htk_desk USING (practice_id = htk.desk_practice());
CREATE POLICY desk_own_practice ON htk.slots TO htk_desk USING (practice_id = htk.desk_practice());
CREATE POLICY desk_own_practice ON htk.bookings TO htk_desk USING (practice_id = htk.desk_practice());
CREATE POLICY manager_reads_all ON htk.trainers FOR SELECT TO htk_manager USING (true);
CREATE POLICY manager_reads_all ON htk.slots FOR SELECT TO htk_manager USING (true);
CREATE POLICY manager_reads_all ON htk.bookings FOR SELECT TO htk_manager USING (true);
)sql";

// v3: the practice's plan reaches the server from its own tool (ht-admin db publish, store/pg/publish.h)
// instead of by hand, and the minimum notice travels with it: the server applies it, in the kiosks'
// list and again at the moment of booking, so a stale list on a kiosk cannot book inside it.
constexpr std::string_view kV3 = R"sql(
ALTER TABLE htk.practices ADD COLUMN min_notice_minutes integer NOT NULL DEFAULT 120
    CHECK (min_notice_minutes BETWEEN 0 AND 20160);

CREATE OR REPLACE FUNCTION htk.kiosk_free_slots(p_now bigint)
RETURNS TABLE (trainer_id bigint, display_name text, languages text, start_at bigint, end_at bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
    SELECT s.trainer_id, t.display_name, t.languages, s.start_at, s.end_at
    FROM htk.kiosks k
    JOIN htk.practices p ON p.id = k.practice_id
    JOIN htk.slots s ON s.practice_id = k.practice_id
    JOIN htk.trainers t ON t.practice_id = s.practice_id AND t.id = s.trainer_id AND t.active
    WHERE k.db_role = session_user
      AND s.start_at >= p_now + 60 * p.min_notice_minutes
      AND NOT EXISTS (SELECT FROM htk.bookings b WHERE b.practice_id = s.practice_id AND b.trainer_id = s.trainer_id
                      AND b.start_at = s.start_at AND b.status NOT IN ('cancelled_by_patient', 'cancelled_by_practice'))
    ORDER BY s.start_at, s.trainer_id
$$;

CREATE OR REPLACE FUNCTION htk.kiosk_book(p_trainer bigint, p_start bigint, p_uid uuid, p_reference text, p_route text,
                               p_reasons text, p_language text, p_interpreter boolean, p_contact text,
                               p_best_times text, p_consent_version text, p_created_at bigint, p_sealed bytea)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE
    k htk.kiosks;
    slot htk.slots;
    referral bigint;
    violated text;
BEGIN
    k := htk.calling_kiosk();
    IF EXISTS (SELECT FROM htk.referrals WHERE uid = p_uid) THEN
        RETURN 'already';
    END IF;
    SELECT s.* INTO slot FROM htk.slots s JOIN htk.trainers t ON t.practice_id = s.practice_id AND t.id = s.trainer_id AND t.active
    WHERE s.practice_id = k.practice_id AND s.trainer_id = p_trainer AND s.start_at = p_start
      AND s.start_at >= p_created_at + 60 * (SELECT min_notice_minutes FROM htk.practices WHERE id = k.practice_id);
    IF NOT FOUND THEN
        RETURN 'taken';  -- withdrawn from the plan, or now inside the notice: gone, as far as the patient is concerned
    END IF;
    BEGIN
        INSERT INTO htk.referrals (uid, practice_id, origin, reference, route, reasons, language, interpreter,
                                   waiting_list, contact, best_times, consent_version, created_at, status, sealed)
        VALUES (p_uid, k.practice_id, 'kiosk:' || k.kiosk_id, p_reference, p_route, p_reasons, p_language,
                p_interpreter, false, p_contact, p_best_times, p_consent_version, p_created_at, 'booked', p_sealed)
        RETURNING id INTO referral;
        INSERT INTO htk.bookings (practice_id, trainer_id, start_at, end_at, referral_id, booked_by)
        VALUES (k.practice_id, p_trainer, p_start, slot.end_at, referral, 'kiosk:' || k.kiosk_id);
    EXCEPTION WHEN unique_violation THEN
        GET STACKED DIAGNOSTICS violated = CONSTRAINT_NAME;
        IF violated = 'bookings_one_live_per_slot' THEN
            RETURN 'taken';  -- the request is rolled back with the booking: the patient picks another time
        END IF;
        RAISE;
    END;
    RETURN 'booked';
END $$;

-- Replaces a practice's trainers and its slots from p_from on with the plan given, in one transaction:
-- new slots are added, slots that left the plan are withdrawn unless a booking (even a cancelled one)
-- points at them, and those are counted for reception instead. A desk publishes its own practice's
-- plan; a manager any practice's.
CREATE FUNCTION htk.publish_plan(p_practice bigint, p_min_notice integer, p_from bigint,
                                 p_trainers bigint[], p_names text[], p_languages text[], p_active boolean[],
                                 p_slot_trainers bigint[], p_starts bigint[], p_ends bigint[],
                                 OUT added integer, OUT withdrawn integer, OUT kept_booked integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE
    practice bigint := coalesce(p_practice, htk.desk_practice());
BEGIN
    IF practice IS NULL THEN
        RAISE EXCEPTION 'which practice? the login % is not a desk: give --practice', session_user USING ERRCODE = '22023';
    END IF;
    IF NOT (pg_has_role(session_user, 'htk_manager', 'MEMBER') OR htk.desk_practice() IS NOT DISTINCT FROM practice) THEN
        RAISE EXCEPTION 'the login % may not publish the plan of practice %', session_user, practice USING ERRCODE = '42501';
    END IF;
    PERFORM FROM htk.practices WHERE id = practice FOR UPDATE;  -- one publish per practice at a time
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no practice % on the server', practice USING ERRCODE = '22023';
    END IF;
    UPDATE htk.practices SET min_notice_minutes = p_min_notice WHERE id = practice;

    INSERT INTO htk.trainers (practice_id, id, display_name, languages, active)
    SELECT practice, t.id, t.name, t.languages, t.active FROM unnest(p_trainers, p_names, p_languages, p_active) AS t(id, name, languages, active)
    ON CONFLICT (practice_id, id) DO UPDATE
        SET display_name = EXCLUDED.display_name, languages = EXCLUDED.languages, active = EXCLUDED.active;
    UPDATE htk.trainers SET active = false WHERE practice_id = practice AND id <> ALL (p_trainers);

    CREATE TEMP TABLE htk_publish_plan ON COMMIT DROP AS
        SELECT * FROM unnest(p_slot_trainers, p_starts, p_ends) AS p(trainer_id, start_at, end_at);
    -- A slot whose session length changed keeps its start: its end follows the plan.
    UPDATE htk.slots s SET end_at = p.end_at FROM pg_temp.htk_publish_plan p
    WHERE s.practice_id = practice AND s.trainer_id = p.trainer_id AND s.start_at = p.start_at AND s.end_at <> p.end_at;
    INSERT INTO htk.slots (practice_id, trainer_id, start_at, end_at)
    SELECT practice, trainer_id, start_at, end_at FROM pg_temp.htk_publish_plan ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS added = ROW_COUNT;
    DELETE FROM htk.slots s
    WHERE s.practice_id = practice AND s.start_at >= p_from
      AND NOT EXISTS (SELECT FROM pg_temp.htk_publish_plan p WHERE p.trainer_id = s.trainer_id AND p.start_at = s.start_at)
      AND NOT EXISTS (SELECT FROM htk.bookings b WHERE b.practice_id = s.practice_id AND b.trainer_id = s.trainer_id
                      AND b.start_at = s.start_at);
    GET DIAGNOSTICS withdrawn = ROW_COUNT;
    SELECT count(*) INTO kept_booked FROM htk.slots s
    WHERE s.practice_id = practice AND s.start_at >= p_from
      AND NOT EXISTS (SELECT FROM pg_temp.htk_publish_plan p WHERE p.trainer_id = s.trainer_id AND p.start_at = s.start_at)
      AND EXISTS (SELECT FROM htk.bookings b WHERE b.practice_id = s.practice_id AND b.trainer_id = s.trainer_id
                  AND b.start_at = s.start_at AND b.status NOT IN ('cancelled_by_patient', 'cancelled_by_practice'));
    DROP TABLE pg_temp.htk_publish_plan;
END $$;
REVOKE EXECUTE ON FUNCTION htk.publish_plan(bigint, integer, bigint, bigint[], text[], text[], boolean[], bigint[], bigint[], bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION htk.publish_plan(bigint, integer, bigint, bigint[], text[], text[], boolean[], bigint[], bigint[], bigint[])
    TO htk_desk, htk_manager;
)sql";

// v4: the history of each forwarded request's status on the server, beside the request: who (the
// login), when, from and to. A trigger writes it, so no path changes a status without a line there,
// and no login may write, edit or delete a line itself; desks read their practice's, managers all.
// Also: a request is not closed while its booking is live, as in SQLite; and a desk's booking retried
// after a lost answer is told 'already'.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE htk.referral_events (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id bigint      NOT NULL REFERENCES htk.practices(id),
    referral_id bigint      NOT NULL REFERENCES htk.referrals(id) ON DELETE CASCADE,
    at          timestamptz NOT NULL DEFAULT now(),
    by_login    name        NOT NULL,
    from_status text        NOT NULL,
    to_status   text        NOT NULL
);
CREATE INDEX referral_events_by_referral ON htk.referral_events (referral_id, id);

CREATE FUNCTION htk.note_status_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$ BEGIN
    INSERT INTO htk.referral_events (practice_id, referral_id, by_login, from_status, to_status)
    VALUES (NEW.practice_id, NEW.id, session_user, OLD.status, NEW.status);
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION htk.note_status_change() FROM PUBLIC;
CREATE TRIGGER status_history AFTER UPDATE OF status ON htk.referrals
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION htk.note_status_change();

-- A request is not closed or cancelled while a booking of it still holds its slot from everyone: its
-- outcome or cancellation is recorded first (SQLite's ReferralRepo::ChangeStatus keeps the same rule).
CREATE FUNCTION htk.refuse_closing_booked() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$ BEGIN
    IF EXISTS (SELECT FROM htk.bookings WHERE referral_id = NEW.id AND status IN ('requested', 'confirmed')) THEN
        RAISE EXCEPTION 'its booking is still live: record whether it was attended, or cancel it, first' USING ERRCODE = '23514';
    END IF;
    RETURN NEW;
END $$;
REVOKE EXECUTE ON FUNCTION htk.refuse_closing_booked() FROM PUBLIC;
CREATE TRIGGER closing_needs_no_live_booking BEFORE UPDATE OF status ON htk.referrals
    FOR EACH ROW WHEN (NEW.status IN ('closed', 'cancelled') AND OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION htk.refuse_closing_booked();

REVOKE ALL ON htk.referral_events FROM PUBLIC;
GRANT SELECT ON htk.referral_events TO htk_desk, htk_manager;
ALTER TABLE htk.referral_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY desk_own_practice ON htk.referral_events FOR SELECT TO htk_desk USING (practice_id = htk.desk_practice());
CREATE POLICY manager_reads_all ON htk.referral_events FOR SELECT TO htk_manager USING (true);

-- The desk's booking answers 'already' when the request holds that slot already: a retry after a lost
-- answer (the desk books off its UI thread and retries once on a fresh connection), not a loss.
CREATE OR REPLACE FUNCTION htk.desk_book(p_referral bigint, p_trainer bigint, p_start bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE
    practice bigint := htk.desk_practice();
    slot htk.slots;
BEGIN
    IF practice IS NULL THEN
        RAISE EXCEPTION 'the login % is not registered as a desk (ht-admin db add-desk)', session_user
            USING ERRCODE = '42501';
    END IF;
    PERFORM FROM htk.referrals WHERE id = p_referral AND practice_id = practice FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 'not_found';
    END IF;
    IF EXISTS (SELECT FROM htk.bookings WHERE practice_id = practice AND referral_id = p_referral AND trainer_id = p_trainer
               AND start_at = p_start AND status NOT IN ('cancelled_by_patient', 'cancelled_by_practice')) THEN
        RETURN 'already';
    END IF;
    SELECT * INTO slot FROM htk.slots WHERE practice_id = practice AND trainer_id = p_trainer AND start_at = p_start;
    IF NOT FOUND THEN
        RETURN 'taken';
    END IF;
    BEGIN
        INSERT INTO htk.bookings (practice_id, trainer_id, start_at, end_at, referral_id, booked_by)
        VALUES (practice, p_trainer, p_start, slot.end_at, p_referral, 'desk:' || session_user);
    EXCEPTION WHEN unique_violation THEN
        RETURN 'taken';
    END;
    UPDATE htk.referrals SET status = 'booked' WHERE id = p_referral AND status IN ('new', 'contacted');
    RETURN 'booked';
END $$;
)sql";

// v5, in order below:
// - the desk's booking keeps the practice's minimum notice, as the kiosks' does and as SQLite's desk
//   does (the free times a desk listed may have come inside the notice by the time reception books
//   one): the desk passes its clock (p_now), as a kiosk passes its request's, and 'too_soon' answers;
//   a taken slot is still 'taken' first, so both backends name the same reason;
// - a desk's login reads its own practice's row only (reports list practices);
// - an id on each status move, kept with its history line, and a booking's status history, so a move
//   retried after a lost answer is known as made;
// - an index for reports' ranges of creation times;
// - reception's sealed notes on forwarded requests.
constexpr std::string_view kV5 = R"sql(
DROP FUNCTION htk.desk_book(bigint, bigint, bigint);
CREATE FUNCTION htk.desk_book(p_referral bigint, p_trainer bigint, p_start bigint, p_now bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE
    practice bigint := htk.desk_practice();
    slot htk.slots;
BEGIN
    IF practice IS NULL THEN
        RAISE EXCEPTION 'the login % is not registered as a desk (ht-admin db add-desk)', session_user
            USING ERRCODE = '42501';
    END IF;
    PERFORM FROM htk.referrals WHERE id = p_referral AND practice_id = practice FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 'not_found';
    END IF;
    IF EXISTS (SELECT FROM htk.bookings WHERE practice_id = practice AND referral_id = p_referral AND trainer_id = p_trainer
               AND start_at = p_start AND status NOT IN ('cancelled_by_patient', 'cancelled_by_practice')) THEN
        RETURN 'already';
    END IF;
    SELECT * INTO slot FROM htk.slots WHERE practice_id = practice AND trainer_id = p_trainer AND start_at = p_start;
    IF NOT FOUND OR EXISTS (SELECT FROM htk.bookings WHERE practice_id = practice AND trainer_id = p_trainer AND start_at = p_start
                            AND status NOT IN ('cancelled_by_patient', 'cancelled_by_practice')) THEN
        RETURN 'taken';
    END IF;
    IF p_start < p_now + 60 * (SELECT min_notice_minutes FROM htk.practices WHERE id = practice) THEN
        RETURN 'too_soon';
    END IF;
    BEGIN
        INSERT INTO htk.bookings (practice_id, trainer_id, start_at, end_at, referral_id, booked_by)
        VALUES (practice, p_trainer, p_start, slot.end_at, p_referral, 'desk:' || session_user);
    EXCEPTION WHEN unique_violation THEN
        RETURN 'taken';  -- a kiosk or desk booked it since the check above
    END;
    UPDATE htk.referrals SET status = 'booked' WHERE id = p_referral AND status IN ('new', 'contacted');
    RETURN 'booked';
END $$;
REVOKE EXECUTE ON FUNCTION htk.desk_book(bigint, bigint, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION htk.desk_book(bigint, bigint, bigint, bigint) TO htk_desk;

-- A desk's login sees its own practice's row, as with every other table; a manager's every row. (The
-- kiosks' and publishing functions run as the owner, which row-level security does not restrict.)
ALTER TABLE htk.practices ENABLE ROW LEVEL SECURITY;
CREATE POLICY desk_own_practice ON htk.practices FOR SELECT TO htk_desk USING (id = htk.desk_practice());
CREATE POLICY manager_reads_all ON htk.practices FOR SELECT TO htk_manager USING (true);

-- A desk's status move carries an id of its own (set_config('htk.action', ...) in its transaction),
-- kept on its history line: the same move retried after a lost answer is known as made, not refused as
-- another desk's.
ALTER TABLE htk.referral_events ADD COLUMN action uuid;
CREATE UNIQUE INDEX referral_events_by_action ON htk.referral_events (action) WHERE action IS NOT NULL;
CREATE OR REPLACE FUNCTION htk.note_status_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$ BEGIN
    INSERT INTO htk.referral_events (practice_id, referral_id, by_login, from_status, to_status, action)
    VALUES (NEW.practice_id, NEW.id, session_user, OLD.status, NEW.status, nullif(current_setting('htk.action', true), '')::uuid);
    RETURN NULL;
END $$;

-- A booking's status history, as a request's: who, when, from, to, and the move's id for retries.
CREATE TABLE htk.booking_events (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id bigint      NOT NULL REFERENCES htk.practices(id),
    booking_id  bigint      NOT NULL REFERENCES htk.bookings(id) ON DELETE CASCADE,
    at          timestamptz NOT NULL DEFAULT now(),
    by_login    name        NOT NULL,
    from_status text        NOT NULL,
    to_status   text        NOT NULL,
    action      uuid
);
CREATE INDEX booking_events_by_booking ON htk.booking_events (booking_id, id);
CREATE UNIQUE INDEX booking_events_by_action ON htk.booking_events (action) WHERE action IS NOT NULL;
CREATE FUNCTION htk.note_booking_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$ BEGIN
    INSERT INTO htk.booking_events (practice_id, booking_id, by_login, from_status, to_status, action)
    VALUES (NEW.practice_id, NEW.id, session_user, OLD.status, NEW.status, nullif(current_setting('htk.action', true), '')::uuid);
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION htk.note_booking_change() FROM PUBLIC;
CREATE TRIGGER status_history AFTER UPDATE OF status ON htk.bookings
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION htk.note_booking_change();
REVOKE ALL ON htk.booking_events FROM PUBLIC;
GRANT SELECT ON htk.booking_events TO htk_desk, htk_manager;
ALTER TABLE htk.booking_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY desk_own_practice ON htk.booking_events FOR SELECT TO htk_desk USING (practice_id = htk.desk_practice());
CREATE POLICY manager_reads_all ON htk.booking_events FOR SELECT TO htk_manager USING (true);

-- Reports read a range of creation times, of one practice (a desk) or all (a manager).
CREATE INDEX referrals_by_created ON htk.referrals (practice_id, created_at);

-- Reception's notes on a forwarded request, sealed to the practice's key as the request's details are
-- (the text may name the patient): when (the desk's clock), which member of staff, through which login.
-- Added through htk.desk_add_note only, never edited or removed; a desk reads its practice's.
CREATE TABLE htk.referral_notes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id bigint NOT NULL REFERENCES htk.practices(id),
    referral_id bigint NOT NULL REFERENCES htk.referrals(id) ON DELETE CASCADE,
    uid         uuid   NOT NULL UNIQUE,  -- the desk's: a note sent again after a lost answer is not kept twice
    at          bigint NOT NULL,
    actor       text   NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
    by_login    name   NOT NULL DEFAULT session_user,
    sealed      bytea  NOT NULL CHECK (length(sealed) BETWEEN 1 AND 65536)
);
CREATE INDEX referral_notes_by_referral ON htk.referral_notes (referral_id, id);

-- The note's id (the one made before, when `p_uid` was sent already); NULL when the request is not this
-- desk's practice's.
CREATE FUNCTION htk.desk_add_note(p_referral bigint, p_uid uuid, p_actor text, p_at bigint, p_sealed bytea) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE
    practice bigint := htk.desk_practice();
    note bigint;
BEGIN
    IF practice IS NULL THEN
        RAISE EXCEPTION 'the login % is not registered as a desk (ht-admin db add-desk)', session_user
            USING ERRCODE = '42501';
    END IF;
    PERFORM FROM htk.referrals WHERE id = p_referral AND practice_id = practice;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT id INTO note FROM htk.referral_notes WHERE uid = p_uid AND referral_id = p_referral;
    IF FOUND THEN
        RETURN note;
    END IF;
    INSERT INTO htk.referral_notes (practice_id, referral_id, uid, at, actor, sealed)
    VALUES (practice, p_referral, p_uid, p_at, p_actor, p_sealed) RETURNING id INTO note;
    RETURN note;
END $$;
REVOKE EXECUTE ON FUNCTION htk.desk_add_note(bigint, uuid, text, bigint, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION htk.desk_add_note(bigint, uuid, text, bigint, bytea) TO htk_desk;
REVOKE ALL ON htk.referral_notes FROM PUBLIC;
GRANT SELECT ON htk.referral_notes TO htk_desk;
ALTER TABLE htk.referral_notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY desk_own_practice ON htk.referral_notes FOR SELECT TO htk_desk USING (practice_id = htk.desk_practice());
)sql";

// v6: a request taken at a desk reaches the shared database as a kiosk's does: written to the desk's file
// first, then forwarded, keyed by its global id. The desk's slots are the server's, so a desk never books
// in its file behind the kiosks' backs.
constexpr std::string_view kV6 = R"sql(
-- A desk's way in for the requests taken there, under the caller's own practice; origin 'desk:<login>'.
-- Idempotent on uid, as kiosk_forward: true when stored now, false when it was already there.
CREATE FUNCTION htk.desk_forward(p_uid uuid, p_reference text, p_route text, p_reasons text, p_language text,
                                 p_interpreter boolean, p_waiting_list boolean, p_contact text, p_best_times text,
                                 p_consent_version text, p_created_at bigint, p_sealed bytea) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE practice bigint := htk.desk_practice();
BEGIN
    IF practice IS NULL THEN
        RAISE EXCEPTION 'the login % is not registered as a desk (ht-admin db add-desk)', session_user
            USING ERRCODE = '42501';
    END IF;
    INSERT INTO htk.referrals (uid, practice_id, origin, reference, route, reasons, language, interpreter,
                               waiting_list, contact, best_times, consent_version, created_at, sealed)
    VALUES (p_uid, practice, 'desk:' || session_user, p_reference, p_route, p_reasons, p_language,
            p_interpreter, p_waiting_list, p_contact, p_best_times, p_consent_version, p_created_at, p_sealed)
    ON CONFLICT (uid) DO NOTHING;
    RETURN FOUND;
END $$;
REVOKE EXECUTE ON FUNCTION htk.desk_forward(uuid, text, text, text, text, boolean, boolean, text, text, text, bigint, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION htk.desk_forward(uuid, text, text, text, text, boolean, boolean, text, text, text, bigint, bytea) TO htk_desk;
)sql";


// v7: the waiting list on the shared database, by the rules it keeps on one machine (store/waiting_repo.h).
// A slot freed by a cancellation is offered to the practice's oldest waiting request, one whose language
// the trainer speaks first, and kept off every kiosk and desk until reception hears back or the offer
// lapses (a day, or the start less the notice). A request that declines is not offered that slot again,
// and one that is booked, closed or cancelled passes its offer on. Also: a slot that leaves the plan
// while booked is marked withdrawn, so cancelling its booking no longer frees it to the kiosks.
// The desk passes its clock to each transaction (set_config('htk.now', ...)), as it does to desk_book.
constexpr std::string_view kV7 = R"sql(
ALTER TABLE htk.slots ADD COLUMN withdrawn boolean NOT NULL DEFAULT false;

CREATE TABLE htk.offers (
    practice_id bigint NOT NULL,
    trainer_id  bigint NOT NULL,
    start_at    bigint NOT NULL,
    end_at      bigint NOT NULL,
    referral_id bigint NOT NULL UNIQUE REFERENCES htk.referrals(id) ON DELETE CASCADE,
    expires_at  bigint NOT NULL,  -- unix seconds; a lapsed row stays until the slot or request is offered again
    offered_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (practice_id, trainer_id, start_at),
    FOREIGN KEY (practice_id, trainer_id, start_at) REFERENCES htk.slots(practice_id, trainer_id, start_at) ON DELETE CASCADE
);
CREATE TABLE htk.offer_declines (
    practice_id bigint NOT NULL,
    trainer_id  bigint NOT NULL,
    start_at    bigint NOT NULL,
    referral_id bigint NOT NULL REFERENCES htk.referrals(id) ON DELETE CASCADE,
    at          bigint NOT NULL,
    PRIMARY KEY (practice_id, trainer_id, start_at, referral_id)
);

-- The clock the desk passed for this transaction, or the server's.
CREATE FUNCTION htk.clock() RETURNS bigint
LANGUAGE sql STABLE SET search_path = pg_catalog, htk
AS $$ SELECT coalesce(nullif(current_setting('htk.now', true), '')::bigint, extract(epoch FROM now())::bigint) $$;

-- core::Trainer::Speaks: a tag in the comma-separated list with the same primary subtag, in any case.
CREATE FUNCTION htk.speaks(p_languages text, p_language text) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, htk
AS $$
    SELECT EXISTS (SELECT FROM unnest(string_to_array(p_languages, ',')) AS l(tag)
                   WHERE lower(split_part(translate(l.tag, '_', '-'), '-', 1)) = lower(split_part(translate(p_language, '_', '-'), '-', 1)))
$$;

-- Offers a practice's slot, free at p_now, to its next waiting request: the request's id, or NULL when
-- the slot is withdrawn, booked, offered, inside the notice or its trainer's hours ended, or nobody waits.
CREATE FUNCTION htk.offer_freed_slot(p_practice bigint, p_trainer bigint, p_start bigint, p_now bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE
    slot_end bigint;
    languages text;
    latest bigint;
    chosen bigint;
BEGIN
    -- One offer per practice at a time: two cancellations at once must not both pick one request.
    PERFORM FROM htk.practices WHERE id = p_practice FOR NO KEY UPDATE;
    SELECT s.end_at, t.languages INTO slot_end, languages FROM htk.slots s
    JOIN htk.trainers t ON t.practice_id = s.practice_id AND t.id = s.trainer_id AND t.active
    WHERE s.practice_id = p_practice AND s.trainer_id = p_trainer AND s.start_at = p_start AND NOT s.withdrawn;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    latest := p_start - 60 * (SELECT min_notice_minutes FROM htk.practices WHERE id = p_practice);
    IF latest <= p_now
       OR EXISTS (SELECT FROM htk.bookings b WHERE b.practice_id = p_practice AND b.trainer_id = p_trainer AND b.start_at = p_start
                  AND b.status NOT IN ('cancelled_by_patient', 'cancelled_by_practice'))
       OR EXISTS (SELECT FROM htk.offers o WHERE o.practice_id = p_practice AND o.trainer_id = p_trainer AND o.start_at = p_start
                  AND o.expires_at > p_now) THEN
        RETURN NULL;
    END IF;
    SELECT r.id INTO chosen FROM htk.referrals r
    WHERE r.practice_id = p_practice AND r.waiting_list AND r.status IN ('new', 'contacted')
      AND NOT EXISTS (SELECT FROM htk.offers o WHERE o.referral_id = r.id AND o.expires_at > p_now)
      AND NOT EXISTS (SELECT FROM htk.offer_declines d WHERE d.referral_id = r.id AND d.practice_id = p_practice
                      AND d.trainer_id = p_trainer AND d.start_at = p_start)
    ORDER BY htk.speaks(languages, r.language) DESC, r.created_at, r.id
    LIMIT 1;
    IF chosen IS NULL THEN
        RETURN NULL;
    END IF;
    -- A lapsed offer of this slot, or an older lapsed one to this request, makes way.
    DELETE FROM htk.offers WHERE referral_id = chosen OR (practice_id = p_practice AND trainer_id = p_trainer AND start_at = p_start);
    INSERT INTO htk.offers (practice_id, trainer_id, start_at, end_at, referral_id, expires_at)
    VALUES (p_practice, p_trainer, p_start, slot_end, chosen, least(p_now + 86400, latest));
    RETURN chosen;
END $$;

-- Request p_referral waits no more: its standing offer goes to the next waiting request.
CREATE FUNCTION htk.withdraw_offer(p_referral bigint, p_now bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE o htk.offers;
BEGIN
    DELETE FROM htk.offers WHERE referral_id = p_referral RETURNING * INTO o;
    IF FOUND AND o.expires_at > p_now THEN
        PERFORM htk.offer_freed_slot(o.practice_id, o.trainer_id, o.start_at, p_now);
    END IF;
END $$;

-- Triggers, so no path (a desk's move, or psql) frees a slot or ends a wait without the waiting list hearing.
CREATE FUNCTION htk.offer_on_cancel() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$ BEGIN
    PERFORM htk.offer_freed_slot(NEW.practice_id, NEW.trainer_id, NEW.start_at, htk.clock());
    RETURN NULL;
END $$;
CREATE TRIGGER offer_freed_slot AFTER UPDATE OF status ON htk.bookings
    FOR EACH ROW WHEN (OLD.status NOT IN ('cancelled_by_patient', 'cancelled_by_practice')
                       AND NEW.status IN ('cancelled_by_patient', 'cancelled_by_practice'))
    EXECUTE FUNCTION htk.offer_on_cancel();

CREATE FUNCTION htk.withdraw_on_leaving() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$ BEGIN
    PERFORM htk.withdraw_offer(NEW.id, htk.clock());
    RETURN NULL;
END $$;
CREATE TRIGGER waiting_no_more AFTER UPDATE OF status ON htk.referrals
    FOR EACH ROW WHEN (OLD.status IN ('new', 'contacted') AND NEW.status NOT IN ('new', 'contacted'))
    EXECUTE FUNCTION htk.withdraw_on_leaving();

-- Free slots skip withdrawn and offered ones.
CREATE OR REPLACE FUNCTION htk.kiosk_free_slots(p_now bigint)
RETURNS TABLE (trainer_id bigint, display_name text, languages text, start_at bigint, end_at bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
    SELECT s.trainer_id, t.display_name, t.languages, s.start_at, s.end_at
    FROM htk.kiosks k
    JOIN htk.practices p ON p.id = k.practice_id
    JOIN htk.slots s ON s.practice_id = k.practice_id
    JOIN htk.trainers t ON t.practice_id = s.practice_id AND t.id = s.trainer_id AND t.active
    WHERE k.db_role = session_user AND NOT s.withdrawn
      AND s.start_at >= p_now + 60 * p.min_notice_minutes
      AND NOT EXISTS (SELECT FROM htk.bookings b WHERE b.practice_id = s.practice_id AND b.trainer_id = s.trainer_id
                      AND b.start_at = s.start_at AND b.status NOT IN ('cancelled_by_patient', 'cancelled_by_practice'))
      AND NOT EXISTS (SELECT FROM htk.offers o WHERE o.practice_id = s.practice_id AND o.trainer_id = s.trainer_id
                      AND o.start_at = s.start_at AND o.expires_at > p_now)
    ORDER BY s.start_at, s.trainer_id
$$;

CREATE OR REPLACE FUNCTION htk.kiosk_book(p_trainer bigint, p_start bigint, p_uid uuid, p_reference text, p_route text,
                               p_reasons text, p_language text, p_interpreter boolean, p_contact text,
                               p_best_times text, p_consent_version text, p_created_at bigint, p_sealed bytea)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE
    k htk.kiosks;
    slot htk.slots;
    referral bigint;
    violated text;
BEGIN
    k := htk.calling_kiosk();
    IF EXISTS (SELECT FROM htk.referrals WHERE uid = p_uid) THEN
        RETURN 'already';
    END IF;
    SELECT s.* INTO slot FROM htk.slots s JOIN htk.trainers t ON t.practice_id = s.practice_id AND t.id = s.trainer_id AND t.active
    WHERE s.practice_id = k.practice_id AND s.trainer_id = p_trainer AND s.start_at = p_start AND NOT s.withdrawn
      AND s.start_at >= p_created_at + 60 * (SELECT min_notice_minutes FROM htk.practices WHERE id = k.practice_id)
      AND NOT EXISTS (SELECT FROM htk.offers o WHERE o.practice_id = s.practice_id AND o.trainer_id = s.trainer_id
                      AND o.start_at = s.start_at AND o.expires_at > p_created_at);
    IF NOT FOUND THEN
        RETURN 'taken';  -- withdrawn, inside the notice, or offered to the waiting list: gone, as far as the patient is concerned
    END IF;
    BEGIN
        INSERT INTO htk.referrals (uid, practice_id, origin, reference, route, reasons, language, interpreter,
                                   waiting_list, contact, best_times, consent_version, created_at, status, sealed)
        VALUES (p_uid, k.practice_id, 'kiosk:' || k.kiosk_id, p_reference, p_route, p_reasons, p_language,
                p_interpreter, false, p_contact, p_best_times, p_consent_version, p_created_at, 'booked', p_sealed)
        RETURNING id INTO referral;
        INSERT INTO htk.bookings (practice_id, trainer_id, start_at, end_at, referral_id, booked_by)
        VALUES (k.practice_id, p_trainer, p_start, slot.end_at, referral, 'kiosk:' || k.kiosk_id);
    EXCEPTION WHEN unique_violation THEN
        GET STACKED DIAGNOSTICS violated = CONSTRAINT_NAME;
        IF violated = 'bookings_one_live_per_slot' THEN
            RETURN 'taken';  -- the request is rolled back with the booking: the patient picks another time
        END IF;
        RAISE;
    END;
    RETURN 'booked';
END $$;

-- The desk's booking: 'held' when the slot is offered to another waiting request; a request booked
-- leaves the waiting list, and an offer it had elsewhere passes on.
CREATE OR REPLACE FUNCTION htk.desk_book(p_referral bigint, p_trainer bigint, p_start bigint, p_now bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE
    practice bigint := htk.desk_practice();
    slot htk.slots;
BEGIN
    IF practice IS NULL THEN
        RAISE EXCEPTION 'the login % is not registered as a desk (ht-admin db add-desk)', session_user
            USING ERRCODE = '42501';
    END IF;
    PERFORM set_config('htk.now', p_now::text, true);
    PERFORM FROM htk.referrals WHERE id = p_referral AND practice_id = practice FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 'not_found';
    END IF;
    IF EXISTS (SELECT FROM htk.bookings WHERE practice_id = practice AND referral_id = p_referral AND trainer_id = p_trainer
               AND start_at = p_start AND status NOT IN ('cancelled_by_patient', 'cancelled_by_practice')) THEN
        RETURN 'already';
    END IF;
    SELECT * INTO slot FROM htk.slots WHERE practice_id = practice AND trainer_id = p_trainer AND start_at = p_start AND NOT withdrawn;
    IF NOT FOUND OR EXISTS (SELECT FROM htk.bookings WHERE practice_id = practice AND trainer_id = p_trainer AND start_at = p_start
                            AND status NOT IN ('cancelled_by_patient', 'cancelled_by_practice')) THEN
        RETURN 'taken';
    END IF;
    IF EXISTS (SELECT FROM htk.offers WHERE practice_id = practice AND trainer_id = p_trainer AND start_at = p_start
               AND expires_at > p_now AND referral_id <> p_referral) THEN
        RETURN 'held';
    END IF;
    IF p_start < p_now + 60 * (SELECT min_notice_minutes FROM htk.practices WHERE id = practice) THEN
        RETURN 'too_soon';
    END IF;
    BEGIN
        INSERT INTO htk.bookings (practice_id, trainer_id, start_at, end_at, referral_id, booked_by)
        VALUES (practice, p_trainer, p_start, slot.end_at, p_referral, 'desk:' || session_user);
    EXCEPTION WHEN unique_violation THEN
        RETURN 'taken';  -- a kiosk or desk booked it since the check above
    END;
    DELETE FROM htk.offers WHERE referral_id = p_referral AND trainer_id = p_trainer AND start_at = p_start;  -- taken up
    UPDATE htk.referrals SET waiting_list = false WHERE id = p_referral AND waiting_list;
    UPDATE htk.referrals SET status = 'booked' WHERE id = p_referral AND status IN ('new', 'contacted');
    PERFORM htk.withdraw_offer(p_referral, p_now);  -- one it held elsewhere, when it was booked already
    RETURN 'booked';
END $$;

-- The patient takes up the slot offered: desk_book's answers, 'none' when nothing is offered to the
-- request, 'expired' when the offer lapsed (the slot is free to anyone again), 'already' when it holds
-- a slot already.
CREATE FUNCTION htk.desk_accept_offer(p_referral bigint, p_now bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE
    practice bigint := htk.desk_practice();
    o htk.offers;
BEGIN
    IF practice IS NULL THEN
        RAISE EXCEPTION 'the login % is not registered as a desk (ht-admin db add-desk)', session_user
            USING ERRCODE = '42501';
    END IF;
    PERFORM FROM htk.referrals WHERE id = p_referral AND practice_id = practice FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 'not_found';
    END IF;
    SELECT * INTO o FROM htk.offers WHERE referral_id = p_referral;
    IF NOT FOUND THEN
        -- Taken up already (a retry after a lost answer): the request holds a slot and waits no more.
        IF EXISTS (SELECT FROM htk.bookings WHERE referral_id = p_referral AND status IN ('requested', 'confirmed')) THEN
            RETURN 'already';
        END IF;
        RETURN 'none';
    END IF;
    IF o.expires_at <= p_now THEN
        RETURN 'expired';
    END IF;
    RETURN htk.desk_book(p_referral, o.trainer_id, o.start_at, p_now);
END $$;

-- The patient declines: the request is not offered that slot again, and the slot goes to the next
-- waiting request (next_referral; NULL: nobody, and the slot is free to anyone). Outcomes as above.
CREATE FUNCTION htk.desk_decline_offer(p_referral bigint, p_now bigint, OUT outcome text, OUT next_referral bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE
    practice bigint := htk.desk_practice();
    o htk.offers;
BEGIN
    IF practice IS NULL THEN
        RAISE EXCEPTION 'the login % is not registered as a desk (ht-admin db add-desk)', session_user
            USING ERRCODE = '42501';
    END IF;
    PERFORM FROM htk.referrals WHERE id = p_referral AND practice_id = practice FOR UPDATE;
    IF NOT FOUND THEN
        outcome := 'not_found';
        RETURN;
    END IF;
    SELECT * INTO o FROM htk.offers WHERE referral_id = p_referral;
    IF NOT FOUND OR o.expires_at <= p_now THEN
        outcome := CASE WHEN FOUND THEN 'expired' ELSE 'none' END;
        RETURN;
    END IF;
    INSERT INTO htk.offer_declines (practice_id, trainer_id, start_at, referral_id, at)
    VALUES (o.practice_id, o.trainer_id, o.start_at, p_referral, p_now) ON CONFLICT DO NOTHING;
    DELETE FROM htk.offers WHERE referral_id = p_referral;
    next_referral := htk.offer_freed_slot(o.practice_id, o.trainer_id, o.start_at, p_now);
    outcome := 'declined';
END $$;

-- The plan published: a slot that left it but a booking points at is marked withdrawn rather than kept
-- as if planned, and any offer of it ends; one that comes back into the plan is offered again.
CREATE OR REPLACE FUNCTION htk.publish_plan(p_practice bigint, p_min_notice integer, p_from bigint,
                                 p_trainers bigint[], p_names text[], p_languages text[], p_active boolean[],
                                 p_slot_trainers bigint[], p_starts bigint[], p_ends bigint[],
                                 OUT added integer, OUT withdrawn integer, OUT kept_booked integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, htk
AS $$
DECLARE
    practice bigint := coalesce(p_practice, htk.desk_practice());
BEGIN
    IF practice IS NULL THEN
        RAISE EXCEPTION 'which practice? the login % is not a desk: give --practice', session_user USING ERRCODE = '22023';
    END IF;
    IF NOT (pg_has_role(session_user, 'htk_manager', 'MEMBER') OR htk.desk_practice() IS NOT DISTINCT FROM practice) THEN
        RAISE EXCEPTION 'the login % may not publish the plan of practice %', session_user, practice USING ERRCODE = '42501';
    END IF;
    PERFORM FROM htk.practices WHERE id = practice FOR UPDATE;  -- one publish per practice at a time
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no practice % on the server', practice USING ERRCODE = '22023';
    END IF;
    UPDATE htk.practices SET min_notice_minutes = p_min_notice WHERE id = practice;

    INSERT INTO htk.trainers (practice_id, id, display_name, languages, active)
    SELECT practice, t.id, t.name, t.languages, t.active FROM unnest(p_trainers, p_names, p_languages, p_active) AS t(id, name, languages, active)
    ON CONFLICT (practice_id, id) DO UPDATE
        SET display_name = EXCLUDED.display_name, languages = EXCLUDED.languages, active = EXCLUDED.active;
    UPDATE htk.trainers SET active = false WHERE practice_id = practice AND id <> ALL (p_trainers);

    CREATE TEMP TABLE htk_publish_plan ON COMMIT DROP AS
        SELECT * FROM unnest(p_slot_trainers, p_starts, p_ends) AS p(trainer_id, start_at, end_at);
    -- A slot whose session length changed keeps its start: its end follows the plan.
    UPDATE htk.slots s SET end_at = p.end_at FROM pg_temp.htk_publish_plan p
    WHERE s.practice_id = practice AND s.trainer_id = p.trainer_id AND s.start_at = p.start_at AND s.end_at <> p.end_at;
    INSERT INTO htk.slots AS s (practice_id, trainer_id, start_at, end_at)
    SELECT practice, trainer_id, start_at, end_at FROM pg_temp.htk_publish_plan
    ON CONFLICT (practice_id, trainer_id, start_at) DO UPDATE SET withdrawn = false WHERE s.withdrawn;
    GET DIAGNOSTICS added = ROW_COUNT;
    DELETE FROM htk.slots s
    WHERE s.practice_id = practice AND s.start_at >= p_from
      AND NOT EXISTS (SELECT FROM pg_temp.htk_publish_plan p WHERE p.trainer_id = s.trainer_id AND p.start_at = s.start_at)
      AND NOT EXISTS (SELECT FROM htk.bookings b WHERE b.practice_id = s.practice_id AND b.trainer_id = s.trainer_id
                      AND b.start_at = s.start_at);
    GET DIAGNOSTICS withdrawn = ROW_COUNT;
    UPDATE htk.slots s SET withdrawn = true
    WHERE s.practice_id = practice AND s.start_at >= p_from AND NOT s.withdrawn
      AND NOT EXISTS (SELECT FROM pg_temp.htk_publish_plan p WHERE p.trainer_id = s.trainer_id AND p.start_at = s.start_at);
    DELETE FROM htk.offers o USING htk.slots s
    WHERE o.practice_id = practice AND s.practice_id = o.practice_id AND s.trainer_id = o.trainer_id AND s.start_at = o.start_at
      AND s.withdrawn;
    SELECT count(*) INTO kept_booked FROM htk.slots s
    WHERE s.practice_id = practice AND s.start_at >= p_from AND s.withdrawn
      AND EXISTS (SELECT FROM htk.bookings b WHERE b.practice_id = s.practice_id AND b.trainer_id = s.trainer_id
                  AND b.start_at = s.start_at AND b.status NOT IN ('cancelled_by_patient', 'cancelled_by_practice'));
    DROP TABLE pg_temp.htk_publish_plan;
END $$;

-- Revoking from PUBLIC leaves the grants made to the roles above as they were.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA htk FROM PUBLIC;
GRANT EXECUTE ON FUNCTION htk.desk_accept_offer(bigint, bigint), htk.desk_decline_offer(bigint, bigint) TO htk_desk;
GRANT EXECUTE ON FUNCTION htk.speaks(text, text) TO htk_desk, htk_manager;  -- a desk's list of offers says it
REVOKE ALL ON htk.offers, htk.offer_declines FROM PUBLIC;
GRANT SELECT ON htk.offers TO htk_desk, htk_manager;
ALTER TABLE htk.offers ENABLE ROW LEVEL SECURITY;
ALTER TABLE htk.offer_declines ENABLE ROW LEVEL SECURITY;
CREATE POLICY desk_own_practice ON htk.offers FOR SELECT TO htk_desk USING (practice_id = htk.desk_practice());
CREATE POLICY manager_reads_all ON htk.offers FOR SELECT TO htk_manager USING (true);
)sql";
constexpr std::array<std::string_view, 7> kMigrations{kV1, kV2, kV3, kV4, kV5, kV6, kV7};

constexpr std::int64_t kInitLock = 0x68746b5f696e6974;  // "htk_init": one `db init` at a time

}  // namespace

std::span<const std::string_view> Migrations() { return kMigrations; }
int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

Result<int> Init(Connection& db) {
    if (auto r = db.Exec("BEGIN"); !r) return r.error();
    auto run = [&]() -> Result<int> {
        if (auto r = db.Query("SELECT pg_advisory_xact_lock($1)", {Int(kInitLock)}); !r) return r.error();
        if (auto r = db.Exec("CREATE SCHEMA IF NOT EXISTS htk; "
                             "CREATE TABLE IF NOT EXISTS htk.schema_migrations ("
                             " version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
            !r)
            return r.error();
        auto current = db.Query("SELECT coalesce(max(version), 0) FROM htk.schema_migrations");
        if (!current) return current.error();
        const int version = static_cast<int>(current->Int(0, 0));
        if (version > LatestSchemaVersion())
            return Fail(Errc::SchemaTooNew, "the database is at schema version " + std::to_string(version) +
                                                ", newer than this release's " + std::to_string(LatestSchemaVersion()));
        for (int v = version + 1; v <= LatestSchemaVersion(); ++v) {
            if (auto r = db.Exec(kMigrations[static_cast<std::size_t>(v - 1)]); !r) {
                core::Error e = r.error();
                e.detail = "migration " + std::to_string(v) + ": " + e.detail;
                return e;
            }
            if (auto r = db.Query("INSERT INTO htk.schema_migrations (version) VALUES ($1)", {Int(v)}); !r) return r.error();
        }
        return LatestSchemaVersion();
    };
    auto result = run();
    if (!result) {
        (void)db.Exec("ROLLBACK");
        return result;
    }
    if (auto r = db.Exec("COMMIT"); !r) return r.error();
    return result;
}

Result<int> CheckSchema(Connection& db) {
    auto rows = db.Query("SELECT htk.schema_version()");
    if (!rows) {
        const std::string& d = rows.error().detail;
        // 3F000: no schema htk; 42883: no such function: a database `db init` never ran on.
        if (d.find("[3F000]") != std::string::npos || d.find("[42883]") != std::string::npos)
            return Fail(Errc::SchemaTooOld, "the database has no kiosk schema yet: run `ht-admin db init` on it");
        return rows.error();
    }
    const int version = static_cast<int>(rows->Int(0, 0));
    if (version < LatestSchemaVersion())
        return Fail(Errc::SchemaTooOld, "the database is at schema version " + std::to_string(version) + ", older than this release's " +
                                            std::to_string(LatestSchemaVersion()) + ": run `ht-admin db init` on it");
    if (version > LatestSchemaVersion())
        return Fail(Errc::SchemaTooNew, "the database is at schema version " + std::to_string(version) +
                                            ", newer than this release's " + std::to_string(LatestSchemaVersion()) + ": update this machine");
    return version;
}

}  // namespace htk::store::pg
