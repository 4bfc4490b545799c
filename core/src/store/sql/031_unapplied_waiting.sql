-- 031: pulled rows waiting for a parent (issue 28). A pull sends a page's new cases whole, a page
-- at a time, so a row can come before the row it refers to: a task's link or an invoice line in
-- the member box pointing at a case on the next page, a case whose child came with an earlier
-- case of the same child on a later page. Such a row is kept with what it takes to apply it
-- (its operation and the case it belongs to on the server) and tried again with every later
-- page until its parent has come; a row that cannot be applied for another reason stays a
-- record for the log, as before (waiting = 0).

ALTER TABLE sync_unapplied ADD COLUMN op TEXT;
ALTER TABLE sync_unapplied ADD COLUMN case_gid TEXT;
ALTER TABLE sync_unapplied ADD COLUMN waiting INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sync_unapplied_waiting ON sync_unapplied (waiting) WHERE waiting = 1;
