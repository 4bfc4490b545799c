-- A pull's scope as a set (issue 28): the cases the member may see now are found once per pull
-- by index reads, and the changes after the cursor are matched against the device's held cases
-- by a join, instead of the cases policy (srt_sees_owner, PL/pgSQL) once per case of the scope
-- and a linear `= ANY` over every case id per change. These functions only find candidates:
-- the rows and changes a pull sends are still read by the service under row-level security,
-- so a bug here cannot send a row beyond the member's scope.

-- The cases the member (srt_me()) may see now: the same rule as srt_sees_case — the member
-- active, and the lead every case; else the member's own, those of colleagues a current
-- substitution names them for, and those opened today with a reason.
CREATE FUNCTION srt_scope_cases()
RETURNS TABLE (case_id uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    me bigint := srt_me();
    r text;
BEGIN
    SELECT m.role INTO r FROM members m WHERE m.id = me AND m.active;
    IF r IS NULL THEN
        RETURN;
    END IF;
    IF r = 'lead' THEN
        RETURN QUERY SELECT k.id FROM cases k;
        RETURN;
    END IF;
    -- A UNION of index reads (cases_owner, case_openings_member), as the pull asked before.
    RETURN QUERY
        SELECT k.id FROM cases k WHERE k.owner_id = me
        UNION
        SELECT k.id FROM substitutions s JOIN cases k ON k.owner_id = s.absent_id
        WHERE s.substitute_id = me AND s.cancelled_at IS NULL
          AND current_date BETWEEN s.from_date AND s.to_date
        UNION
        SELECT o.case_id FROM case_openings o
        WHERE o.member_id = me AND o.opened_on = current_date;
END
$$;

-- The sequence numbers of a pull's page: the first p_limit changes after p_after that are
-- team-wide or of a case the device holds (device_cases, the member's own device only), without
-- the device's own unless p_own. Read either case by case (an index range `changes (case_id,
-- seq)` per held case: many changes since the cursor) or in seq order with each change looked
-- up among the held cases by the primary key (few changes since). Numbers only: the service
-- then reads these changes under row-level security.
CREATE FUNCTION srt_pull_seqs(p_device bigint, p_after bigint, p_limit integer, p_own boolean,
                              p_by_case boolean)
RETURNS TABLE (seq bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM devices d JOIN members m ON m.id = d.member_id AND m.active
                   WHERE d.id = p_device AND d.member_id = srt_me() AND d.revoked_at IS NULL) THEN
        RETURN;
    END IF;
    IF p_by_case THEN
        RETURN QUERY
        SELECT s.seq FROM (
            (SELECT c.seq FROM changes c
             WHERE c.case_id IS NULL AND c.seq > p_after
               AND (c.device_id IS DISTINCT FROM p_device OR p_own)
             ORDER BY c.seq LIMIT p_limit)
            UNION ALL
            (SELECT c.seq FROM device_cases h
             CROSS JOIN LATERAL (
                 SELECT x.seq FROM changes x
                 WHERE x.case_id = h.case_id AND x.seq > p_after
                   AND (x.device_id IS DISTINCT FROM p_device OR p_own)
                 ORDER BY x.seq LIMIT p_limit) c
             WHERE h.device_id = p_device)
        ) s ORDER BY s.seq LIMIT p_limit;
    ELSE
        RETURN QUERY
        SELECT c.seq FROM changes c
        WHERE c.seq > p_after
          AND (c.device_id IS DISTINCT FROM p_device OR p_own)
          AND (c.case_id IS NULL
               OR EXISTS (SELECT 1 FROM device_cases h
                          WHERE h.device_id = p_device AND h.case_id = c.case_id))
        ORDER BY c.seq LIMIT p_limit;
    END IF;
END
$$;

REVOKE EXECUTE ON FUNCTION srt_scope_cases(), srt_pull_seqs(bigint, bigint, integer, boolean, boolean)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION srt_scope_cases(), srt_pull_seqs(bigint, bigint, integer, boolean, boolean)
    TO srt_service;
