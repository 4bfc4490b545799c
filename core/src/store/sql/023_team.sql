-- 023: the team desk (issue 28). Each shared table gets a global id (`gid`, a UUID; v7 where the
-- desk makes it), the desk's changes are captured into `sync_outbox` by triggers that
-- core/src/sync/capture.rs generates from the tables' columns (they write only while the desk is
-- joined to a team and not while it applies a pull: `sync_state.capturing`), and the desk keeps
-- what it knows of the team (server, members, case owners, open conflicts). Which tables are
-- shared and which are derived and never synced: docs/team-protocol.md, "The desk's tables".

CREATE TABLE sync_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    -- 1 while joined and not applying a pull: the capture triggers' WHEN clause reads it.
    capturing     INTEGER NOT NULL DEFAULT 0 CHECK (capturing IN (0, 1)),
    joined        INTEGER NOT NULL DEFAULT 0 CHECK (joined IN (0, 1)),
    server_url    TEXT NOT NULL DEFAULT '',
    ca_pem        TEXT NOT NULL DEFAULT '',
    device_id     INTEGER,
    member_id     INTEGER,
    member_login  TEXT NOT NULL DEFAULT '',
    member_role   TEXT NOT NULL DEFAULT '',
    -- The last server sequence number pulled.
    last_seq      INTEGER NOT NULL DEFAULT 0,
    -- The audit rows sent (desk audit_log ids 1..audit_sent) and the team chain's last hash.
    audit_sent    INTEGER NOT NULL DEFAULT 0,
    audit_hash    TEXT NOT NULL DEFAULT '',
    -- A digest of the generated capture triggers: they are made again when the columns change.
    triggers_sig  TEXT NOT NULL DEFAULT '',
    synced_at     TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
INSERT INTO sync_state (id, created_at, updated_at)
VALUES (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- Changes written on this desk and not yet answered by the server, in the order written. `old`
-- and `new` hold every column of the row (local ids); the push keeps the changed ones and turns
-- local ids into global ones.
CREATE TABLE sync_outbox (
    id         INTEGER PRIMARY KEY,
    change_id  TEXT NOT NULL UNIQUE,
    tbl        TEXT NOT NULL,
    row_gid    TEXT NOT NULL,
    case_gid   TEXT,
    op         TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    old        TEXT,
    new        TEXT,
    at         TEXT NOT NULL
) STRICT;

-- Changes the server refused (outside this member's scope, team data read-only): kept, not resent.
CREATE TABLE sync_rejected (
    id         INTEGER PRIMARY KEY,
    change_id  TEXT NOT NULL,
    tbl        TEXT NOT NULL,
    row_gid    TEXT NOT NULL,
    reason     TEXT NOT NULL,
    change     TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- Pulled rows this desk could not apply (a constraint of its own refused them), for the log.
CREATE TABLE sync_unapplied (
    id         INTEGER PRIMARY KEY,
    tbl        TEXT NOT NULL,
    row_gid    TEXT NOT NULL,
    error      TEXT NOT NULL,
    change     TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- The team's members as the server lists them (for the responsible coordinator's login).
CREATE TABLE sync_member (
    id     INTEGER PRIMARY KEY,
    login  TEXT NOT NULL,
    name   TEXT NOT NULL,
    role   TEXT NOT NULL
) STRICT;

-- Each shared case's responsible coordinator (server member id).
CREATE TABLE sync_case_owner (
    case_gid  TEXT PRIMARY KEY,
    owner_id  INTEGER NOT NULL
) STRICT;

-- Open conflicts of the rows this desk holds, as the server last listed them.
CREATE TABLE sync_conflict (
    id               INTEGER PRIMARY KEY,
    tbl              TEXT NOT NULL,
    row_gid          TEXT NOT NULL,
    case_gid         TEXT,
    op               TEXT NOT NULL,
    columns          TEXT NOT NULL,
    server_author_id INTEGER,
    author_id        INTEGER NOT NULL,
    created_at       TEXT NOT NULL
) STRICT;

-- Case numbers reserved from the server's blocks: a joined desk numbers new cases from here, so
-- two desks never make the same number, offline too (while the reserve lasts).
CREATE TABLE sync_number_block (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('case', 'decision')),
    next_number INTEGER NOT NULL,
    last_number INTEGER NOT NULL
) STRICT;

-- A case renumbered when its desk joined a team (its number was another desk's): the number it
-- had, still found by the case list's search.
ALTER TABLE srt_case ADD COLUMN former_case_no TEXT;

ALTER TABLE provider ADD COLUMN gid TEXT;
ALTER TABLE provider_location ADD COLUMN gid TEXT;
ALTER TABLE provider_contact ADD COLUMN gid TEXT;
ALTER TABLE provider_activity ADD COLUMN gid TEXT;
ALTER TABLE partner ADD COLUMN gid TEXT;
ALTER TABLE price_list ADD COLUMN gid TEXT;
ALTER TABLE yearly_cap ADD COLUMN gid TEXT;
ALTER TABLE deadline_rule ADD COLUMN gid TEXT;
ALTER TABLE eligibility_rule ADD COLUMN gid TEXT;
ALTER TABLE decision_template ADD COLUMN gid TEXT;
ALTER TABLE meeting_template ADD COLUMN gid TEXT;
ALTER TABLE feedback_question ADD COLUMN gid TEXT;
ALTER TABLE child ADD COLUMN gid TEXT;
ALTER TABLE srt_case ADD COLUMN gid TEXT;
ALTER TABLE guardian ADD COLUMN gid TEXT;
ALTER TABLE case_status_change ADD COLUMN gid TEXT;
ALTER TABLE assessment ADD COLUMN gid TEXT;
ALTER TABLE assessment_activity ADD COLUMN gid TEXT;
ALTER TABLE document ADD COLUMN gid TEXT;
ALTER TABLE decision ADD COLUMN gid TEXT;
ALTER TABLE meeting ADD COLUMN gid TEXT;
ALTER TABLE meeting_participant ADD COLUMN gid TEXT;
ALTER TABLE meeting_action ADD COLUMN gid TEXT;
ALTER TABLE provider_choice ADD COLUMN gid TEXT;
ALTER TABLE service_confirmation ADD COLUMN gid TEXT;
ALTER TABLE contact_log ADD COLUMN gid TEXT;
ALTER TABLE feedback_response ADD COLUMN gid TEXT;

CREATE UNIQUE INDEX provider_gid ON provider(gid);
CREATE UNIQUE INDEX provider_location_gid ON provider_location(gid);
CREATE UNIQUE INDEX provider_contact_gid ON provider_contact(gid);
CREATE UNIQUE INDEX provider_activity_gid ON provider_activity(gid);
CREATE UNIQUE INDEX partner_gid ON partner(gid);
CREATE UNIQUE INDEX price_list_gid ON price_list(gid);
CREATE UNIQUE INDEX yearly_cap_gid ON yearly_cap(gid);
CREATE UNIQUE INDEX deadline_rule_gid ON deadline_rule(gid);
CREATE UNIQUE INDEX eligibility_rule_gid ON eligibility_rule(gid);
CREATE UNIQUE INDEX decision_template_gid ON decision_template(gid);
CREATE UNIQUE INDEX meeting_template_gid ON meeting_template(gid);
CREATE UNIQUE INDEX feedback_question_gid ON feedback_question(gid);
CREATE UNIQUE INDEX child_gid ON child(gid);
CREATE UNIQUE INDEX srt_case_gid ON srt_case(gid);
CREATE UNIQUE INDEX guardian_gid ON guardian(gid);
CREATE UNIQUE INDEX case_status_change_gid ON case_status_change(gid);
CREATE UNIQUE INDEX assessment_gid ON assessment(gid);
CREATE UNIQUE INDEX assessment_activity_gid ON assessment_activity(gid);
CREATE UNIQUE INDEX document_gid ON document(gid);
CREATE UNIQUE INDEX decision_gid ON decision(gid);
CREATE UNIQUE INDEX meeting_gid ON meeting(gid);
CREATE UNIQUE INDEX meeting_participant_gid ON meeting_participant(gid);
CREATE UNIQUE INDEX meeting_action_gid ON meeting_action(gid);
CREATE UNIQUE INDEX provider_choice_gid ON provider_choice(gid);
CREATE UNIQUE INDEX service_confirmation_gid ON service_confirmation(gid);
CREATE UNIQUE INDEX contact_log_gid ON contact_log(gid);
CREATE UNIQUE INDEX feedback_response_gid ON feedback_response(gid);
