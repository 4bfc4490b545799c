-- A pull reads only what the device may see (issue 28): the changes of each case in scope by
-- (case_id, seq), the team-wide changes by seq, and a coordinator's cases by owner. Before this a
-- pull walked every change of the team after its cursor, the row-level-security function called
-- on each (a new member's first pull walked the whole history).
CREATE INDEX changes_case_seq ON changes (case_id, seq);
CREATE INDEX changes_team_seq ON changes (seq) WHERE case_id IS NULL;
CREATE INDEX cases_owner ON cases (owner_id);

-- How many changes between two sequence numbers concern a device (the events stream's "wake
-- up"): team-wide ones, those of the cases it holds, and a new case in its scope (the scope
-- checked for new cases only), not its own. A count only, for the
-- device's own member; nothing of the rows leaves. SECURITY DEFINER so that the check costs an
-- index lookup per change rather than the row-level-security function per change.
CREATE FUNCTION srt_changes_for_device(p_device bigint, p_after bigint, p_upto bigint)
RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT count(*) FROM changes c
    WHERE EXISTS (SELECT 1 FROM devices d
                  WHERE d.id = p_device AND d.member_id = srt_me() AND d.revoked_at IS NULL)
      AND c.seq > p_after AND c.seq <= p_upto
      AND c.device_id IS DISTINCT FROM p_device
      AND (c.case_id IS NULL
           OR EXISTS (SELECT 1 FROM device_cases h
                      WHERE h.device_id = p_device AND h.case_id = c.case_id)
           OR (c.tbl = 'cases' AND c.op = 'insert' AND srt_sees_case(c.case_id)))
$$;
REVOKE EXECUTE ON FUNCTION srt_changes_for_device(bigint, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION srt_changes_for_device(bigint, bigint, bigint) TO srt_service;

-- Where a pull's page ends when it reads case by case: the sequence number of the p_limit-th
-- change after p_after among the team-wide ones and those of p_cases (without p_device's own
-- unless p_own), or NULL when there are fewer. A number only, read from the index without the
-- row-level-security function on each change, so that a page reads its own changes and not every
-- change of its cases after the cursor again (paging over R changes read R rows, not R² / limit).
-- The page itself is read under row-level security.
CREATE FUNCTION srt_page_end(p_cases uuid[], p_after bigint, p_limit integer, p_device bigint,
                             p_own boolean)
RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT seq FROM (
        (SELECT c.seq FROM changes c
         WHERE c.case_id IS NULL AND c.seq > p_after
           AND (c.device_id IS DISTINCT FROM p_device OR p_own)
         ORDER BY c.seq LIMIT p_limit)
        UNION ALL
        (SELECT c.seq FROM unnest(p_cases) AS k(id)
         CROSS JOIN LATERAL (
             SELECT seq FROM changes
             WHERE case_id = k.id AND seq > p_after
               AND (device_id IS DISTINCT FROM p_device OR p_own)
             ORDER BY seq LIMIT p_limit) c)
    ) s
    WHERE srt_is_member()
    ORDER BY seq OFFSET p_limit - 1 LIMIT 1
$$;
REVOKE EXECUTE ON FUNCTION srt_page_end(uuid[], bigint, integer, bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION srt_page_end(uuid[], bigint, integer, bigint, boolean) TO srt_service;
