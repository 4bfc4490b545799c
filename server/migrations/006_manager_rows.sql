-- The service manager's statistics without personal data (issue 28). Row-level security gives a
-- manager no case rows at all (srt_sees_case is false for that role), and that stays so: reading
-- shared_rows or changes directly as a manager returns team-wide rows only. What the manager's
-- desk needs for the statistics (the same `stats` code as every desk) it gets through
-- srt_manager_rows(), which runs as the owner of the tables, answers only a manager, and sends
-- only the tables and columns listed below. Columns not listed are not sent (the desk keeps its
-- default there); a listed column with a mask is sent as the mask, never as its value.

CREATE TABLE manager_columns (
    tbl   text NOT NULL,
    col   text NOT NULL,
    -- NULL: the value as it is. 'row': the row's id (for numbers that must stay unique on the
    -- desk: a case or decision number is replaced, not sent). 'year': a date's year only
    -- (YYYY-01-01). Anything else: that JSON value instead of the row's.
    mask  jsonb,
    PRIMARY KEY (tbl, col)
);

INSERT INTO manager_columns (tbl, col, mask) VALUES
    -- The case: its route, status and dates; never its notes, its local government worker or its number.
    ('cases', 'case_no', '"row"'),
    ('cases', 'child_id', NULL),
    ('cases', 'status', NULL),
    ('cases', 'route_kind', NULL),
    ('cases', 'severity', NULL),
    ('cases', 'kov_municipality_code', NULL),
    ('cases', 'application_date', NULL),
    ('cases', 'channel', NULL),
    ('cases', 'complete_on', NULL),
    ('cases', 'created_at', NULL),
    ('cases', 'updated_at', NULL),
    -- The child: the municipality, sex and year of birth; never the name, code or address.
    ('child', 'first_name', '"–"'),
    ('child', 'last_name', '"–"'),
    ('child', 'birth_date', '"year"'),
    ('child', 'sex', NULL),
    ('child', 'municipality_code', NULL),
    ('child', 'created_at', NULL),
    ('child', 'updated_at', NULL),
    ('case_status_change', 'case_id', NULL),
    ('case_status_change', 'from_status', NULL),
    ('case_status_change', 'to_status', NULL),
    ('case_status_change', 'changed_at', NULL),
    ('case_status_change', 'created_at', NULL),
    ('case_status_change', 'updated_at', NULL),
    ('assessment_activity', 'case_id', NULL),
    ('assessment_activity', 'position', NULL),
    ('assessment_activity', 'code', NULL),
    ('assessment_activity', 'hours', NULL),
    ('assessment_activity', 'created_at', NULL),
    ('assessment_activity', 'updated_at', NULL),
    -- The decision: kind, status, dates, the granted activities and their providers; never the
    -- letter, its addressee or its texts.
    ('decision', 'case_id', NULL),
    ('decision', 'kind', NULL),
    ('decision', 'status', NULL),
    ('decision', 'number', '"row"'),
    ('decision', 'decision_date', NULL),
    ('decision', 'delivery', NULL),
    ('decision', 'summary_language', NULL),
    ('decision', 'valid_from', NULL),
    ('decision', 'valid_to', NULL),
    ('decision', 'annex', NULL),
    ('decision', 'providers', NULL),
    ('decision', 'legal_basis', NULL),
    ('decision', 'approved_at', NULL),
    ('decision', 'delivered_on', NULL),
    ('decision', 'created_at', NULL),
    ('decision', 'updated_at', NULL),
    ('provider_choice', 'case_id', NULL),
    ('provider_choice', 'provider_id', NULL),
    ('provider_choice', 'decision_sent_on', NULL),
    ('provider_choice', 'chosen_on', NULL),
    ('provider_choice', 'registered_on', NULL),
    ('provider_choice', 'service_start', NULL),
    ('provider_choice', 'created_at', NULL),
    ('provider_choice', 'updated_at', NULL),
    ('service_confirmation', 'case_id', NULL),
    ('service_confirmation', 'provider_id', NULL),
    ('service_confirmation', 'period_from', NULL),
    ('service_confirmation', 'period_to', NULL),
    ('service_confirmation', 'confirmed_on', NULL),
    ('service_confirmation', 'channel', NULL),
    ('service_confirmation', 'created_at', NULL),
    ('service_confirmation', 'updated_at', NULL),
    -- The family's feedback: scores and when; never the comment.
    ('feedback_response', 'case_id', NULL),
    ('feedback_response', 'provider_id', NULL),
    ('feedback_response', 'answered_on', NULL),
    ('feedback_response', 'language', NULL),
    ('feedback_response', 'source', NULL),
    ('feedback_response', 'created_at', NULL),
    ('feedback_response', 'updated_at', NULL),
    ('feedback_answer', 'response_id', NULL),
    ('feedback_answer', 'question_id', NULL),
    ('feedback_answer', 'score', NULL),
    -- Invoices: sums per provider and activity; never the child's code, the specialist or texts.
    ('invoice', 'provider_id', NULL),
    ('invoice', 'number', NULL),
    ('invoice', 'invoice_date', NULL),
    ('invoice', 'period_from', NULL),
    ('invoice', 'period_to', NULL),
    ('invoice', 'source', NULL),
    ('invoice', 'status', NULL),
    ('invoice', 'total_cents', NULL),
    ('invoice', 'accepted_cents', NULL),
    ('invoice', 'checked_at', NULL),
    ('invoice', 'decided_at', NULL),
    ('invoice', 'created_at', NULL),
    ('invoice', 'updated_at', NULL),
    ('invoice_line', 'invoice_id', NULL),
    ('invoice_line', 'position', NULL),
    ('invoice_line', 'child_code', '""'),
    ('invoice_line', 'case_id', NULL),
    ('invoice_line', 'activity_code', NULL),
    ('invoice_line', 'mode', NULL),
    ('invoice_line', 'service_date', NULL),
    ('invoice_line', 'quantity_milli', NULL),
    ('invoice_line', 'unit_price_cents', NULL),
    ('invoice_line', 'amount_cents', NULL),
    ('invoice_line', 'verdict', NULL),
    ('invoice_line', 'accepted_cents', NULL),
    ('invoice_line', 'created_at', NULL),
    ('invoice_line', 'updated_at', NULL);

ALTER TABLE manager_columns ENABLE ROW LEVEL SECURITY;
CREATE POLICY manager_columns_read ON manager_columns FOR SELECT USING (srt_is_member());
GRANT SELECT ON manager_columns TO srt_service;

-- The rows of the team's cases changed after `after` (by last_seq, which the change log's lock
-- gives in commit order), each with only its listed columns, masked as listed; the case's
-- responsible coordinator as owner_id. Raises for anyone but an active service manager.
CREATE FUNCTION srt_manager_rows(after bigint, lim integer)
RETURNS TABLE (tbl text, id uuid, case_id uuid, data jsonb, deleted boolean, last_seq bigint, owner_id bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM members m WHERE m.id = srt_me() AND m.active AND m.role = 'manager') THEN
        RAISE EXCEPTION 'only the service manager gets the rows for statistics'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY
    SELECT r.tbl, r.id, r.case_id,
           CASE WHEN r.deleted THEN '{}'::jsonb ELSE coalesce((
               SELECT jsonb_object_agg(mc.col,
                   CASE
                       WHEN mc.mask IS NULL THEN r.data -> mc.col
                       WHEN mc.mask = '"row"' THEN
                           CASE WHEN jsonb_typeof(r.data -> mc.col) = 'string'
                                THEN to_jsonb(r.id::text) ELSE r.data -> mc.col END
                       WHEN mc.mask = '"year"' THEN
                           CASE WHEN jsonb_typeof(r.data -> mc.col) = 'string'
                                THEN to_jsonb(left(r.data ->> mc.col, 4) || '-01-01') ELSE r.data -> mc.col END
                       ELSE mc.mask
                   END)
               FROM manager_columns mc
               WHERE mc.tbl = r.tbl AND r.data ? mc.col), '{}'::jsonb) END,
           r.deleted, r.last_seq, k.owner_id
    FROM shared_rows r
    JOIN cases k ON k.id = r.case_id
    WHERE r.case_id IS NOT NULL AND r.last_seq > after
      AND EXISTS (SELECT 1 FROM manager_columns mc WHERE mc.tbl = r.tbl)
    ORDER BY r.last_seq
    LIMIT lim;
END
$$;
REVOKE EXECUTE ON FUNCTION srt_manager_rows(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION srt_manager_rows(bigint, integer) TO srt_service;

CREATE INDEX shared_rows_seq ON shared_rows (last_seq);
