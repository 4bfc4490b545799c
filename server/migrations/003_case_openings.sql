-- A coordinator may open a team case that is not in their scope (a colleague asks for help) for
-- the day, only with a stated reason (purposeful use of personal data). Each opening is kept:
-- who, from which device, which case, why, when; the rows are never changed or removed.
CREATE TABLE case_openings (
    id         bigserial PRIMARY KEY,
    case_id    uuid NOT NULL REFERENCES cases(id),
    member_id  bigint NOT NULL REFERENCES members(id),
    device_id  bigint NOT NULL REFERENCES devices(id),
    reason     text NOT NULL CHECK (length(btrim(reason)) >= 10),
    opened_on  date NOT NULL DEFAULT current_date,
    opened_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_openings_member ON case_openings (member_id, opened_on);

ALTER TABLE case_openings ENABLE ROW LEVEL SECURITY;
CREATE POLICY case_openings_read ON case_openings FOR SELECT USING (member_id = srt_me() OR srt_is_lead());
GRANT SELECT ON case_openings TO srt_service;

-- Finds a case by its number (the case row's data) and records the opening; the caller cannot
-- see the case yet, so this runs as the owner of the tables. NULL when there is no such case.
CREATE FUNCTION srt_open_case(no text, why text, device bigint) RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    me bigint := srt_me();
    c uuid;
BEGIN
    -- The service manager sees no case rows, and opening one does not change that.
    IF me IS NULL OR NOT EXISTS (SELECT 1 FROM members m WHERE m.id = me AND m.active
                                  AND m.role IN ('coordinator', 'lead')) THEN
        RETURN NULL;
    END IF;
    SELECT r.id INTO c FROM shared_rows r
     WHERE r.tbl = 'cases' AND NOT r.deleted AND r.data->>'case_no' = no LIMIT 1;
    IF c IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO case_openings (case_id, member_id, device_id, reason)
    VALUES (c, me, (SELECT d.id FROM devices d WHERE d.id = device AND d.member_id = me), why);
    RETURN c;
END
$$;
GRANT EXECUTE ON FUNCTION srt_open_case(text, text, bigint) TO srt_service;

-- The day's openings widen the scope: the case and its rows exist for that member today.
CREATE FUNCTION srt_opened_today(c uuid) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM case_openings o
                   WHERE o.case_id = c AND o.member_id = srt_me() AND o.opened_on = current_date);
END
$$;

CREATE OR REPLACE FUNCTION srt_sees_case(c uuid) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    me bigint := srt_me();
BEGIN
    RETURN EXISTS (
        SELECT 1 FROM cases k JOIN members m ON m.id = me AND m.active
        WHERE k.id = c AND (
            k.owner_id = me
            OR m.role = 'lead'
            OR EXISTS (
                SELECT 1 FROM substitutions s
                WHERE s.absent_id = k.owner_id AND s.substitute_id = me
                  AND s.cancelled_at IS NULL
                  AND current_date BETWEEN s.from_date AND s.to_date)
            OR EXISTS (
                SELECT 1 FROM case_openings o
                WHERE o.case_id = k.id AND o.member_id = me AND o.opened_on = current_date)));
END
$$;

DROP POLICY cases_read ON cases;
CREATE POLICY cases_read ON cases FOR SELECT USING (srt_sees_owner(owner_id) OR srt_opened_today(id));
