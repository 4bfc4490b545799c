-- A push is set-based (server/src/api/push.rs): the scope of the cases it names and the rows
-- hidden from the member are asked once per push for the whole batch, not once per change.
-- Both answer only what srt_case_exists, srt_sees_case, srt_box_owner and srt_row_exists
-- answered one by one; row-level security stays the guard of every row read and written.

-- For each case: does it exist, does the member see it, is it a member box (whose).
CREATE FUNCTION srt_push_cases(cs uuid[])
RETURNS TABLE (case_id uuid, known boolean, sees boolean, box_owner bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT c, k.id IS NOT NULL, k.id IS NOT NULL AND srt_sees_case(c), srt_box_owner(c)
    FROM unnest(cs) AS c LEFT JOIN cases k ON k.id = c
$$;

-- Of the rows named (table, id), those that exist, whoever's they are.
CREATE FUNCTION srt_rows_exist(t text[], r uuid[])
RETURNS TABLE (tbl text, id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT s.tbl, s.id FROM unnest(t, r) AS u(t, r) JOIN shared_rows s ON s.tbl = u.t AND s.id = u.r
$$;

REVOKE EXECUTE ON FUNCTION srt_push_cases(uuid[]), srt_rows_exist(text[], uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION srt_push_cases(uuid[]), srt_rows_exist(text[], uuid[]) TO srt_service;
