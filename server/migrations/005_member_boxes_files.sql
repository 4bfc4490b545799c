-- A member's own rows and documents' files (issue 28: the rest of a case's data).
--
-- Member boxes: a coordinator's invoices, proposals and tasks belong to a member, not to a case.
-- The server keeps them under a case id of their own per member, the member's box
-- 00000000-0000-8000-8000-<member id in 12 hex digits>, a row of `cases` owned by that member
-- (made by the first push into it: by the member, or by the lead giving them a task). So the
-- rules of a case hold for them unchanged: the member, a current substitute and the lead see
-- them (srt_sees_case), a substitution's end purges them from the substitute's desk, and the
-- service manager sees none.
CREATE FUNCTION srt_box_owner(c uuid) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    t text := c::text;
    m bigint;
BEGIN
    IF t NOT LIKE '00000000-0000-8000-8000-%' THEN
        RETURN NULL;
    END IF;
    m := ('x' || lpad(right(t, 12), 16, '0'))::bit(64)::bigint;
    RETURN (SELECT id FROM members WHERE id = m);
END
$$;
GRANT EXECUTE ON FUNCTION srt_box_owner(uuid) TO srt_service;

-- A document's file: its bytes, by the attachment row's id, under the row's case. Sent after
-- the row (POST /v1/files), checked against the row's SHA-256, removed with the row.
CREATE TABLE files (
    row_id      uuid PRIMARY KEY,
    case_id     uuid NOT NULL REFERENCES cases(id),
    sha256      text NOT NULL,
    bytes       bytea NOT NULL,
    member_id   bigint NOT NULL REFERENCES members(id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX files_case ON files (case_id);

ALTER TABLE files ENABLE ROW LEVEL SECURITY;
CREATE POLICY files_read ON files FOR SELECT USING (srt_sees_case(case_id));
CREATE POLICY files_add ON files FOR INSERT
    WITH CHECK (srt_sees_case(case_id) AND member_id = srt_me());
CREATE POLICY files_remove ON files FOR DELETE USING (srt_sees_case(case_id));
GRANT SELECT, INSERT, DELETE ON files TO srt_service;

-- A coordinator's desk joins with providers, partners and partner contacts of its own, made
-- before the join: its first upload (the pushes of a device that has not pulled yet) may insert
-- team-wide rows the server does not have, so its cases' provider choices find their providers
-- and nothing is lost. It may not change or delete a team-wide row, then or later; after its
-- first pull a member changes team-wide data only by the setting (srt_writes_team_data). The
-- service names the device per transaction (srt.device_id) in a push; the policies check that
-- the device is the member's and has no pull.
CREATE FUNCTION srt_joining() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    d bigint := nullif(current_setting('srt.device_id', true), '')::bigint;
BEGIN
    RETURN d IS NOT NULL AND EXISTS (
        SELECT 1 FROM devices v JOIN members m ON m.id = v.member_id AND m.active
        WHERE v.id = d AND v.member_id = srt_me() AND v.revoked_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM pull_audit p WHERE p.device_id = d));
END
$$;
GRANT EXECUTE ON FUNCTION srt_joining() TO srt_service;

DROP POLICY shared_rows_add ON shared_rows;
CREATE POLICY shared_rows_add ON shared_rows FOR INSERT
    WITH CHECK (srt_writes_row(case_id) OR (case_id IS NULL AND srt_joining()));
DROP POLICY changes_add ON changes;
CREATE POLICY changes_add ON changes FOR INSERT
    WITH CHECK ((srt_writes_row(case_id) OR (case_id IS NULL AND op = 'insert' AND srt_joining()))
                AND author_id = srt_me());
