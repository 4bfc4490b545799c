-- A contact with a provider or partner about no case is the member's own (issue 28): on a team
-- it lives in the member's box, as invoices, proposals and tasks do (027, docs/team-protocol.md
-- "Member boxes"), so that a coordinator may log a call with a school or a provider whoever
-- changes the team-wide data, and the lead and a substitute see it while a colleague does not.
-- Before, such a row went up as team-wide data: refused by the server when only the lead changes
-- that data, and on every colleague's desk (and dashboard) otherwise. A contact about a case
-- stays the case's. Rows not yet sent move into this desk's box now; rows the team already holds
-- as team-wide stay so.
ALTER TABLE contact_log ADD COLUMN box TEXT;
CREATE INDEX contact_log_box ON contact_log(box) WHERE box IS NOT NULL;

-- Not a change of the member's: capture is off while the rows move (and back as it was).
CREATE TEMP TABLE m029_capturing AS SELECT capturing FROM sync_state WHERE id = 1;
UPDATE sync_state SET capturing = 0 WHERE id = 1;
UPDATE contact_log
SET box = (SELECT '00000000-0000-8000-8000-' || printf('%012x', member_id)
           FROM sync_state WHERE id = 1 AND member_id IS NOT NULL)
WHERE case_id IS NULL AND box IS NULL
  AND gid IN (SELECT row_gid FROM sync_outbox WHERE tbl = 'contact_log' AND op = 'insert');
UPDATE sync_outbox
SET case_gid = (SELECT l.box FROM contact_log l WHERE l.gid = sync_outbox.row_gid)
WHERE tbl = 'contact_log' AND case_gid IS NULL
  AND row_gid IN (SELECT gid FROM contact_log WHERE box IS NOT NULL);
UPDATE sync_state SET capturing = (SELECT capturing FROM m029_capturing) WHERE id = 1;
DROP TABLE m029_capturing;
