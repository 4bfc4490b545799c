-- 027: the rest of a case's data goes to the team, and the lead's tasks reach a coordinator
-- (issue 28). Global ids for the tables that join the shared list (core/src/sync/capture.rs);
-- the member "box" of the rows that belong to a member rather than to a case (a coordinator's
-- invoices, proposals and tasks: the server keeps them under a case id of its own per member,
-- docs/team-protocol.md "Member boxes"); a task's assignee (a member's login; NULL on a desk
-- that has not joined a team, and for the desk's own tasks); the attachments whose bytes still
-- have to go up to the team server (/v1/files).

ALTER TABLE task ADD COLUMN gid TEXT;
ALTER TABLE task ADD COLUMN box TEXT;
ALTER TABLE task ADD COLUMN assignee TEXT;
ALTER TABLE task_link ADD COLUMN gid TEXT;
ALTER TABLE proposal ADD COLUMN gid TEXT;
ALTER TABLE proposal ADD COLUMN box TEXT;
ALTER TABLE proposal_link ADD COLUMN gid TEXT;
ALTER TABLE invoice ADD COLUMN gid TEXT;
ALTER TABLE invoice ADD COLUMN box TEXT;
ALTER TABLE invoice_line ADD COLUMN gid TEXT;
ALTER TABLE attachment ADD COLUMN gid TEXT;
ALTER TABLE decision_delivery ADD COLUMN gid TEXT;
ALTER TABLE decision_signature ADD COLUMN gid TEXT;

CREATE UNIQUE INDEX task_gid ON task(gid);
CREATE INDEX task_box ON task(box);
CREATE UNIQUE INDEX task_link_gid ON task_link(gid);
CREATE UNIQUE INDEX proposal_gid ON proposal(gid);
CREATE INDEX proposal_box ON proposal(box);
CREATE UNIQUE INDEX proposal_link_gid ON proposal_link(gid);
CREATE UNIQUE INDEX invoice_gid ON invoice(gid);
CREATE INDEX invoice_box ON invoice(box);
CREATE UNIQUE INDEX invoice_line_gid ON invoice_line(gid);
CREATE UNIQUE INDEX attachment_gid ON attachment(gid);
CREATE UNIQUE INDEX decision_delivery_gid ON decision_delivery(gid);
CREATE UNIQUE INDEX decision_signature_gid ON decision_signature(gid);

-- A feedback answer was a row without a rowid (its key: response and question); a shared row
-- needs one for its global id. The same table with a rowid, the same key kept unique.
CREATE TABLE feedback_answer_new (
    id           INTEGER PRIMARY KEY,
    response_id  INTEGER NOT NULL REFERENCES feedback_response(id) ON DELETE CASCADE,
    question_id  INTEGER NOT NULL REFERENCES feedback_question(id),
    score        INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    gid          TEXT,
    UNIQUE (response_id, question_id)
) STRICT;
INSERT INTO feedback_answer_new (response_id, question_id, score)
SELECT response_id, question_id, score FROM feedback_answer ORDER BY response_id, question_id;
DROP TABLE feedback_answer;
ALTER TABLE feedback_answer_new RENAME TO feedback_answer;
CREATE INDEX feedback_answer_question ON feedback_answer(question_id, score);
CREATE UNIQUE INDEX feedback_answer_gid ON feedback_answer(gid);

-- Attachments written on this desk whose bytes the team server does not have yet (filled by the
-- capture trigger of `attachment` and at join; emptied by the upload after a push).
CREATE TABLE sync_file_upload (
    row_gid  TEXT PRIMARY KEY
) STRICT;

-- A team-wide row pulled from another desk that is one this desk already has under another
-- global id (a provider with the same registry code: both desks had it before they joined): the
-- pulled id stands for the local row, so the rows that name it (a family's choice, an invoice)
-- find it. See docs/team-protocol.md, "Join".
CREATE TABLE sync_alias (
    tbl       TEXT NOT NULL,
    gid       TEXT NOT NULL,
    local_id  INTEGER NOT NULL,
    PRIMARY KEY (tbl, gid)
) STRICT;
