-- A deleted row's data leaves the change log too (a retention deletion, a person's data erased):
-- its earlier changes keep their place (seq), ids and op, not their values. The service may only
-- empty the columns of changes of rows it may write, never put other values there.
GRANT UPDATE (columns) ON changes TO srt_service;
CREATE POLICY changes_wipe ON changes FOR UPDATE
    USING (srt_writes_row(case_id))
    WITH CHECK (srt_writes_row(case_id) AND columns = '{}'::jsonb);
CREATE INDEX changes_row ON changes (tbl, row_id);
CREATE INDEX pull_audit_device ON pull_audit (device_id, next_seq);
