-- 015: each case's facts as the statistics count them, in one narrow row. The statistics used to
-- read every case, child, provider choice and decision of the desk to find, for a year, the few
-- thousand cases that year touched; now they scan this table (a hundred thousand short rows) and
-- read the period's decisions, money and feedback themselves. Triggers mark a case whose facts
-- changed; the statistics compute the marked cases again before they read
-- (stats_cases::refresh), as the dashboard does with case_deadline (013).

CREATE TABLE stats_case (
    case_id            INTEGER PRIMARY KEY,  -- srt_case.id; a deleted case is dropped by the refresh
    applied            TEXT NOT NULL,        -- application_date
    complete           TEXT NOT NULL,        -- complete_on, else application_date
    route              TEXT NOT NULL,        -- route_kind
    municipality       TEXT NOT NULL,        -- the child's, else the referring KOV's, else ''
    provider_id        INTEGER,              -- the newest provider choice's provider
    service_start      TEXT,                 -- and its start of service
    first_decision     TEXT,                 -- the first approved or sent referral or refusal: date
    first_decision_id  INTEGER,              -- and id (the earliest date, then the lowest id)
    closed_on          TEXT                  -- NULL unless closed; then the day of the last closing
                                             -- ('' when no closing is recorded: closed all along)
) STRICT;

CREATE TABLE stats_case_dirty (
    case_id INTEGER PRIMARY KEY
) STRICT;

INSERT INTO stats_case_dirty (case_id) SELECT id FROM srt_case;

CREATE TRIGGER stats_case_case_insert AFTER INSERT ON srt_case
BEGIN
    INSERT OR IGNORE INTO stats_case_dirty (case_id) VALUES (NEW.id);
END;
CREATE TRIGGER stats_case_case_update
AFTER UPDATE OF id, application_date, complete_on, route_kind, kov_municipality_code, child_id, status
ON srt_case
BEGIN
    INSERT OR IGNORE INTO stats_case_dirty (case_id) VALUES (OLD.id), (NEW.id);
END;
CREATE TRIGGER stats_case_case_delete AFTER DELETE ON srt_case
BEGIN
    INSERT OR IGNORE INTO stats_case_dirty (case_id) VALUES (OLD.id);
END;

CREATE TRIGGER stats_case_child_update AFTER UPDATE OF municipality_code ON child
BEGIN
    INSERT OR IGNORE INTO stats_case_dirty (case_id) SELECT id FROM srt_case WHERE child_id = NEW.id;
END;

CREATE TRIGGER stats_case_choice_insert AFTER INSERT ON provider_choice
BEGIN
    INSERT OR IGNORE INTO stats_case_dirty (case_id) VALUES (NEW.case_id);
END;
CREATE TRIGGER stats_case_choice_update
AFTER UPDATE OF id, case_id, provider_id, service_start ON provider_choice
BEGIN
    INSERT OR IGNORE INTO stats_case_dirty (case_id) VALUES (OLD.case_id), (NEW.case_id);
END;
CREATE TRIGGER stats_case_choice_delete AFTER DELETE ON provider_choice
BEGIN
    INSERT OR IGNORE INTO stats_case_dirty (case_id) VALUES (OLD.case_id);
END;

-- Only a case's first referral or refusal is kept; any change to its decisions may move it.
CREATE TRIGGER stats_case_decision_insert AFTER INSERT ON decision
BEGIN
    INSERT OR IGNORE INTO stats_case_dirty (case_id) VALUES (NEW.case_id);
END;
CREATE TRIGGER stats_case_decision_update
AFTER UPDATE OF id, case_id, kind, status, decision_date ON decision
BEGIN
    INSERT OR IGNORE INTO stats_case_dirty (case_id) VALUES (OLD.case_id), (NEW.case_id);
END;
CREATE TRIGGER stats_case_decision_delete AFTER DELETE ON decision
BEGIN
    INSERT OR IGNORE INTO stats_case_dirty (case_id) VALUES (OLD.case_id);
END;

CREATE TRIGGER stats_case_status_insert AFTER INSERT ON case_status_change
WHEN NEW.to_status = 'closed'
BEGIN
    INSERT OR IGNORE INTO stats_case_dirty (case_id) VALUES (NEW.case_id);
END;
CREATE TRIGGER stats_case_status_update
AFTER UPDATE OF case_id, to_status, changed_at ON case_status_change
WHEN NEW.to_status = 'closed' OR OLD.to_status = 'closed'
BEGIN
    INSERT OR IGNORE INTO stats_case_dirty (case_id) VALUES (OLD.case_id), (NEW.case_id);
END;
CREATE TRIGGER stats_case_status_delete AFTER DELETE ON case_status_change
WHEN OLD.to_status = 'closed'
BEGIN
    INSERT OR IGNORE INTO stats_case_dirty (case_id) VALUES (OLD.case_id);
END;
