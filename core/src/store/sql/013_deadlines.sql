-- 013: the dashboard's deadlines, stored. Each open case's legal deadlines are computed in Rust
-- (schedule::case_deadlines) from its facts; the dashboard used to compute them for every open
-- case each time it was opened. Now they are kept here and computed again only for the cases
-- whose facts changed: these triggers mark such a case, and the dashboard brings the marked ones
-- up to date before it reads (schedule::refresh_deadlines). What depends on the day (days left,
-- a challenge period already over) is worked out when the dashboard reads.

CREATE TABLE case_deadline (
    case_id         INTEGER NOT NULL REFERENCES srt_case(id) ON DELETE CASCADE,
    -- The row as the dashboard shows it, without reading the case and the child again.
    case_no         TEXT NOT NULL,
    child_name      TEXT NOT NULL,
    kind            TEXT NOT NULL,
    due             TEXT NOT NULL,
    state           TEXT NOT NULL,
    title_et        TEXT NOT NULL,
    title_en        TEXT NOT NULL,
    explanation_et  TEXT NOT NULL,
    explanation_en  TEXT NOT NULL,
    legal_ref       TEXT NOT NULL,
    PRIMARY KEY (case_id, kind)
) STRICT;
CREATE INDEX case_deadline_due ON case_deadline(state, due);

-- Cases whose stored deadlines are out of date (no foreign key: a deleted case just drops out).
CREATE TABLE case_deadline_dirty (
    case_id INTEGER PRIMARY KEY
) STRICT;

INSERT INTO case_deadline_dirty (case_id) SELECT id FROM srt_case WHERE status <> 'closed';

CREATE TRIGGER case_deadline_case_insert AFTER INSERT ON srt_case
BEGIN
    INSERT OR IGNORE INTO case_deadline_dirty (case_id) VALUES (NEW.id);
END;
CREATE TRIGGER case_deadline_case_update
AFTER UPDATE OF status, application_date, complete_on ON srt_case
BEGIN
    INSERT OR IGNORE INTO case_deadline_dirty (case_id) VALUES (NEW.id);
END;

CREATE TRIGGER case_deadline_decision_insert AFTER INSERT ON decision
BEGIN
    INSERT OR IGNORE INTO case_deadline_dirty (case_id) VALUES (NEW.case_id);
END;
CREATE TRIGGER case_deadline_decision_update
AFTER UPDATE OF case_id, kind, status, delivered_on ON decision
BEGIN
    INSERT OR IGNORE INTO case_deadline_dirty (case_id) VALUES (OLD.case_id), (NEW.case_id);
END;
CREATE TRIGGER case_deadline_decision_delete AFTER DELETE ON decision
BEGIN
    INSERT OR IGNORE INTO case_deadline_dirty (case_id) VALUES (OLD.case_id);
END;

-- Only the request for missing documents carries a case deadline.
CREATE TRIGGER case_deadline_document_insert AFTER INSERT ON document
WHEN NEW.doc_type = 'missing_request'
BEGIN
    INSERT OR IGNORE INTO case_deadline_dirty (case_id) VALUES (NEW.case_id);
END;
CREATE TRIGGER case_deadline_document_update
AFTER UPDATE OF case_id, doc_type, status, doc_date, due_date ON document
WHEN NEW.doc_type = 'missing_request' OR OLD.doc_type = 'missing_request'
BEGIN
    INSERT OR IGNORE INTO case_deadline_dirty (case_id) VALUES (OLD.case_id), (NEW.case_id);
END;
CREATE TRIGGER case_deadline_document_delete AFTER DELETE ON document
WHEN OLD.doc_type = 'missing_request'
BEGIN
    INSERT OR IGNORE INTO case_deadline_dirty (case_id) VALUES (OLD.case_id);
END;

-- The child's name is on the dashboard's rows.
CREATE TRIGGER case_deadline_child_name AFTER UPDATE OF first_name, last_name ON child
BEGIN
    INSERT OR IGNORE INTO case_deadline_dirty (case_id)
    SELECT id FROM srt_case WHERE child_id = NEW.id AND status <> 'closed';
END;

CREATE TRIGGER case_deadline_status_change AFTER INSERT ON case_status_change
WHEN NEW.to_status = 'decided'
BEGIN
    INSERT OR IGNORE INTO case_deadline_dirty (case_id) VALUES (NEW.case_id);
END;

-- A changed rule moves the deadlines of every open case.
CREATE TRIGGER case_deadline_rule_insert AFTER INSERT ON deadline_rule
BEGIN
    INSERT OR IGNORE INTO case_deadline_dirty (case_id) SELECT id FROM srt_case WHERE status <> 'closed';
END;
CREATE TRIGGER case_deadline_rule_update AFTER UPDATE ON deadline_rule
BEGIN
    INSERT OR IGNORE INTO case_deadline_dirty (case_id) SELECT id FROM srt_case WHERE status <> 'closed';
END;
CREATE TRIGGER case_deadline_rule_delete AFTER DELETE ON deadline_rule
BEGIN
    INSERT OR IGNORE INTO case_deadline_dirty (case_id) SELECT id FROM srt_case WHERE status <> 'closed';
END;
