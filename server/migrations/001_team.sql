-- SRT Desk team server, schema 1: people, devices, shared rows, the change log, conflicts,
-- number blocks and the team audit. Applied by `srt-server init` as the database owner.
-- The service works as the role srt_service (no ownership, no BYPASSRLS): every table below
-- has row-level security, and the policies read the member set per transaction
-- (set_config('srt.member_id', …, true)).

CREATE TABLE members (
    id          bigserial PRIMARY KEY,
    login       text NOT NULL UNIQUE,
    name        text NOT NULL,
    role        text NOT NULL CHECK (role IN ('coordinator', 'lead', 'manager')),
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- One-time join codes: only a SHA-256 of the code is kept.
CREATE TABLE join_codes (
    id          bigserial PRIMARY KEY,
    member_id   bigint NOT NULL REFERENCES members(id),
    code_hash   text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

-- A joined laptop. Only a SHA-256 of its token is kept; revoked_at ends it at once.
CREATE TABLE devices (
    id           bigserial PRIMARY KEY,
    member_id    bigint NOT NULL REFERENCES members(id),
    name         text NOT NULL,
    token_hash   text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    revoked_by   bigint REFERENCES members(id),
    last_seen_at timestamptz
);

-- Who stands in for whom, from..to (both days included); cancelling keeps the row (history).
CREATE TABLE substitutions (
    id            bigserial PRIMARY KEY,
    absent_id     bigint NOT NULL REFERENCES members(id),
    substitute_id bigint NOT NULL REFERENCES members(id),
    from_date     date NOT NULL,
    to_date       date NOT NULL,
    created_by    bigint REFERENCES members(id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    cancelled_at  timestamptz,
    cancelled_by  bigint REFERENCES members(id),
    CHECK (from_date <= to_date),
    CHECK (absent_id <> substitute_id)
);

-- Team settings. team_data_writers: 'lead' (default) or 'all' members may change team-wide data.
CREATE TABLE settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO settings (key, value) VALUES ('team_data_writers', 'lead');

-- Case ownership: the responsible coordinator of each shared case (by the case's global id).
CREATE TABLE cases (
    id          uuid PRIMARY KEY,
    owner_id    bigint NOT NULL REFERENCES members(id),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE case_owner_history (
    id          bigserial PRIMARY KEY,
    case_id     uuid NOT NULL REFERENCES cases(id),
    from_owner  bigint REFERENCES members(id),
    to_owner    bigint NOT NULL REFERENCES members(id),
    changed_by  bigint NOT NULL REFERENCES members(id),
    changed_at  timestamptz NOT NULL DEFAULT now()
);

-- The current value of every shared row: case rows (case_id set) and team-wide rows (case_id NULL).
CREATE TABLE shared_rows (
    tbl        text NOT NULL,
    id         uuid NOT NULL,
    case_id    uuid REFERENCES cases(id),
    data       jsonb NOT NULL DEFAULT '{}',
    deleted    boolean NOT NULL DEFAULT false,
    last_seq   bigint NOT NULL,
    PRIMARY KEY (tbl, id)
);
CREATE INDEX shared_rows_case ON shared_rows (case_id);

-- The change log: every applied change, numbered by the server (seq) in commit order.
CREATE TABLE changes (
    seq         bigserial PRIMARY KEY,
    change_id   uuid NOT NULL UNIQUE,
    tbl         text NOT NULL,
    row_id      uuid NOT NULL,
    case_id     uuid,
    op          text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    columns     jsonb NOT NULL,          -- {"column": {"base": old, "new": new}}
    author_id   bigint NOT NULL REFERENCES members(id),
    device_id   bigint REFERENCES devices(id),
    hlc         text NOT NULL,           -- the desk's hybrid logical clock at the write
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX changes_case ON changes (case_id);

-- Every change id the server has seen, whatever its outcome: a repeated push is answered from here.
CREATE TABLE change_receipts (
    change_id   uuid PRIMARY KEY,
    member_id   bigint NOT NULL REFERENCES members(id),
    device_id   bigint NOT NULL REFERENCES devices(id),
    outcome     text NOT NULL CHECK (outcome IN ('applied', 'conflicted')),
    seq         bigint,
    conflict_id bigint,
    received_at timestamptz NOT NULL DEFAULT now()
);

-- A change that met other values than its base: both values kept, nothing overwritten.
CREATE TABLE conflicts (
    id               bigserial PRIMARY KEY,
    change_id        uuid NOT NULL,
    tbl              text NOT NULL,
    row_id           uuid NOT NULL,
    case_id          uuid,
    op               text NOT NULL,
    columns          jsonb NOT NULL,     -- {"column": {"base": b, "server": current, "mine": pushed}}
    server_seq       bigint,             -- the change that set the server's value
    server_author_id bigint REFERENCES members(id),
    author_id        bigint NOT NULL REFERENCES members(id),
    device_id        bigint REFERENCES devices(id),
    hlc              text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    resolution       text CHECK (resolution IN ('server', 'mine', 'merged')),
    resolved_columns jsonb,
    resolved_by      bigint REFERENCES members(id),
    resolved_at      timestamptz,
    resolved_seq     bigint
);
CREATE INDEX conflicts_case ON conflicts (case_id);

-- Which cases each device holds, so that a pull can send snapshots (access began) and purge
-- records (access ended).
CREATE TABLE device_cases (
    device_id  bigint NOT NULL REFERENCES devices(id),
    member_id  bigint NOT NULL REFERENCES members(id),
    case_id    uuid NOT NULL,
    PRIMARY KEY (device_id, case_id)
);

-- Case and decision numbers: a counter per kind and the blocks reserved per device.
CREATE TABLE number_counters (
    kind        text PRIMARY KEY CHECK (kind IN ('case', 'decision')),
    next_number bigint NOT NULL
);
INSERT INTO number_counters (kind, next_number) VALUES ('case', 1), ('decision', 1);

CREATE TABLE number_blocks (
    id           bigserial PRIMARY KEY,
    kind         text NOT NULL REFERENCES number_counters(kind),
    device_id    bigint NOT NULL REFERENCES devices(id),
    member_id    bigint NOT NULL REFERENCES members(id),
    first_number bigint NOT NULL,
    last_number  bigint NOT NULL,
    reserved_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (first_number <= last_number)
);

-- The team audit: each device's chain, append only (the service role has no UPDATE or DELETE).
-- hash = sha256_hex(prev_hash || payload), prev_hash of a device's first entry is 64 zeros.
CREATE TABLE team_audit (
    device_id   bigint NOT NULL REFERENCES devices(id),
    seq         bigint NOT NULL CHECK (seq >= 1),
    member_id   bigint NOT NULL REFERENCES members(id),
    prev_hash   text NOT NULL,
    hash        text NOT NULL,
    payload     text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, seq)
);

-- One row per pull: who pulled what (counts only), append only.
CREATE TABLE pull_audit (
    id          bigserial PRIMARY KEY,
    device_id   bigint NOT NULL REFERENCES devices(id),
    member_id   bigint NOT NULL REFERENCES members(id),
    after_seq   bigint NOT NULL,
    next_seq    bigint NOT NULL,
    changes     integer NOT NULL,
    snapshots   integer NOT NULL,
    purges      integer NOT NULL,
    pulled_at   timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------------------------------------
-- Who am I, and what may I see. SECURITY DEFINER helpers read members and substitutions as the
-- owner, so the policies do not recurse; with no member set they answer "nobody".

CREATE FUNCTION srt_me() RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('srt.member_id', true), '')::bigint
$$;

-- PL/pgSQL, not SQL: PostgreSQL keeps the plans of a PL/pgSQL function for the session, while
-- a SQL function that cannot be inlined (SECURITY DEFINER) is planned again at every call, and
-- the policies call these for every row (measured: 0.4 ms against 0.03 ms a call).

CREATE FUNCTION srt_is_member() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM members WHERE id = srt_me() AND active);
END
$$;

CREATE FUNCTION srt_is_lead() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM members WHERE id = srt_me() AND role = 'lead' AND active);
END
$$;

-- Mine, or I am the lead, or a current substitution names me for the owner.
CREATE FUNCTION srt_sees_owner(owner bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    me bigint := srt_me();
BEGIN
    RETURN EXISTS (
        SELECT 1 FROM members m
        WHERE m.id = me AND m.active AND (
            owner = me
            OR m.role = 'lead'
            OR EXISTS (
                SELECT 1 FROM substitutions s
                WHERE s.absent_id = owner AND s.substitute_id = me
                  AND s.cancelled_at IS NULL
                  AND current_date BETWEEN s.from_date AND s.to_date)));
END
$$;

CREATE FUNCTION srt_sees_case(c uuid) RETURNS boolean
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
                  AND current_date BETWEEN s.from_date AND s.to_date)));
END
$$;

-- Team-wide rows (case_id NULL): readable by every member, writable per setting.
CREATE FUNCTION srt_writes_team_data() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    RETURN EXISTS (
        SELECT 1 FROM members m
        WHERE m.id = srt_me() AND m.active AND (
            m.role = 'lead'
            OR EXISTS (SELECT 1 FROM settings WHERE key = 'team_data_writers' AND value = 'all')));
END
$$;

-- A shared row (or change, or conflict) of case c, or team-wide when c is NULL.
CREATE FUNCTION srt_sees_row(c uuid) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF c IS NULL THEN
        RETURN srt_is_member();
    END IF;
    RETURN srt_sees_case(c);
END
$$;

CREATE FUNCTION srt_writes_row(c uuid) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF c IS NULL THEN
        RETURN srt_writes_team_data();
    END IF;
    RETURN srt_sees_case(c);
END
$$;

-- The device behind a token (hash), if it is not revoked and its member is active.
CREATE FUNCTION srt_authenticate(p_token_hash text)
RETURNS TABLE (device_id bigint, member_id bigint, role text)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    UPDATE devices d SET last_seen_at = now()
    FROM members m
    WHERE d.token_hash = p_token_hash AND d.revoked_at IS NULL
      AND m.id = d.member_id AND m.active
    RETURNING d.id, m.id, m.role
$$;

-- Spends a join code (hash) and registers the device (token hash); nothing when the code is
-- unknown, used or expired.
CREATE FUNCTION srt_join(p_code_hash text, p_device_name text, p_token_hash text)
RETURNS TABLE (device_id bigint, member_id bigint, login text, name text, role text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
#variable_conflict use_column
DECLARE
    v_member bigint;
    v_device bigint;
BEGIN
    UPDATE join_codes j SET used_at = now()
    WHERE j.code_hash = p_code_hash AND j.used_at IS NULL AND j.expires_at > now()
    RETURNING j.member_id INTO v_member;
    IF v_member IS NULL THEN
        RETURN;
    END IF;
    INSERT INTO devices (member_id, name, token_hash)
    VALUES (v_member, p_device_name, p_token_hash)
    RETURNING id INTO v_device;
    RETURN QUERY SELECT v_device, m.id, m.login, m.name, m.role FROM members m WHERE m.id = v_member;
END
$$;

-- The highest sequence number given so far (not personal: a count).
CREATE FUNCTION srt_max_seq() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT coalesce(max(seq), 0) FROM changes
$$;

-- ---------------------------------------------------------------------------------------------
-- Row-level security on every table the service touches.

ALTER TABLE members ENABLE ROW LEVEL SECURITY;
CREATE POLICY members_read ON members FOR SELECT USING (srt_is_member());
CREATE POLICY members_add ON members FOR INSERT WITH CHECK (srt_is_lead());
CREATE POLICY members_change ON members FOR UPDATE USING (srt_is_lead()) WITH CHECK (srt_is_lead());

ALTER TABLE join_codes ENABLE ROW LEVEL SECURITY;
CREATE POLICY join_codes_lead ON join_codes FOR ALL USING (srt_is_lead()) WITH CHECK (srt_is_lead());

ALTER TABLE devices ENABLE ROW LEVEL SECURITY;
CREATE POLICY devices_read ON devices FOR SELECT USING (member_id = srt_me() OR srt_is_lead());
CREATE POLICY devices_revoke ON devices FOR UPDATE
    USING (srt_is_lead() OR member_id = srt_me()) WITH CHECK (srt_is_lead() OR member_id = srt_me());

ALTER TABLE substitutions ENABLE ROW LEVEL SECURITY;
CREATE POLICY substitutions_read ON substitutions FOR SELECT USING (srt_is_member());
CREATE POLICY substitutions_add ON substitutions FOR INSERT WITH CHECK (srt_is_lead());
CREATE POLICY substitutions_change ON substitutions FOR UPDATE USING (srt_is_lead()) WITH CHECK (srt_is_lead());

ALTER TABLE settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY settings_read ON settings FOR SELECT USING (srt_is_member());
CREATE POLICY settings_change ON settings FOR UPDATE USING (srt_is_lead()) WITH CHECK (srt_is_lead());

ALTER TABLE cases ENABLE ROW LEVEL SECURITY;
CREATE POLICY cases_read ON cases FOR SELECT USING (srt_sees_owner(owner_id));
CREATE POLICY cases_add ON cases FOR INSERT
    WITH CHECK (srt_is_member() AND (owner_id = srt_me() OR srt_is_lead()));
CREATE POLICY cases_reassign ON cases FOR UPDATE USING (srt_is_lead()) WITH CHECK (srt_is_lead());
CREATE POLICY cases_remove ON cases FOR DELETE USING (srt_is_lead());

ALTER TABLE case_owner_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY case_owner_history_read ON case_owner_history FOR SELECT USING (srt_sees_case(case_id));
CREATE POLICY case_owner_history_add ON case_owner_history FOR INSERT WITH CHECK (srt_is_lead());

ALTER TABLE shared_rows ENABLE ROW LEVEL SECURITY;
CREATE POLICY shared_rows_read ON shared_rows FOR SELECT USING (srt_sees_row(case_id));
CREATE POLICY shared_rows_add ON shared_rows FOR INSERT WITH CHECK (srt_writes_row(case_id));
CREATE POLICY shared_rows_change ON shared_rows FOR UPDATE
    USING (srt_writes_row(case_id)) WITH CHECK (srt_writes_row(case_id));

ALTER TABLE changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY changes_read ON changes FOR SELECT USING (srt_sees_row(case_id));
CREATE POLICY changes_add ON changes FOR INSERT
    WITH CHECK (srt_writes_row(case_id) AND author_id = srt_me());

ALTER TABLE change_receipts ENABLE ROW LEVEL SECURITY;
CREATE POLICY change_receipts_mine ON change_receipts FOR ALL
    USING (member_id = srt_me()) WITH CHECK (member_id = srt_me());

ALTER TABLE conflicts ENABLE ROW LEVEL SECURITY;
CREATE POLICY conflicts_read ON conflicts FOR SELECT USING (srt_sees_row(case_id));
CREATE POLICY conflicts_add ON conflicts FOR INSERT WITH CHECK (author_id = srt_me());
CREATE POLICY conflicts_resolve ON conflicts FOR UPDATE
    USING (srt_writes_row(case_id)) WITH CHECK (srt_writes_row(case_id));

ALTER TABLE device_cases ENABLE ROW LEVEL SECURITY;
CREATE POLICY device_cases_mine ON device_cases FOR ALL
    USING (member_id = srt_me()) WITH CHECK (member_id = srt_me());

ALTER TABLE number_counters ENABLE ROW LEVEL SECURITY;
CREATE POLICY number_counters_members ON number_counters FOR ALL
    USING (srt_is_member()) WITH CHECK (srt_is_member());

ALTER TABLE number_blocks ENABLE ROW LEVEL SECURITY;
CREATE POLICY number_blocks_read ON number_blocks FOR SELECT USING (member_id = srt_me() OR srt_is_lead());
CREATE POLICY number_blocks_add ON number_blocks FOR INSERT WITH CHECK (member_id = srt_me());

ALTER TABLE team_audit ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_audit_read ON team_audit FOR SELECT USING (member_id = srt_me() OR srt_is_lead());
CREATE POLICY team_audit_add ON team_audit FOR INSERT WITH CHECK (member_id = srt_me());

ALTER TABLE pull_audit ENABLE ROW LEVEL SECURITY;
CREATE POLICY pull_audit_read ON pull_audit FOR SELECT USING (member_id = srt_me() OR srt_is_lead());
CREATE POLICY pull_audit_add ON pull_audit FOR INSERT WITH CHECK (member_id = srt_me());

-- ---------------------------------------------------------------------------------------------
-- What the service role may do at all (RLS narrows it further). The audit tables: no UPDATE, no
-- DELETE. The join and authentication functions only for the service.

GRANT USAGE ON SCHEMA public TO srt_service;
GRANT SELECT, INSERT, UPDATE ON members, join_codes, substitutions, cases, shared_rows,
    conflicts, number_counters TO srt_service;
GRANT SELECT, UPDATE ON devices, settings TO srt_service;
GRANT DELETE ON cases TO srt_service;
GRANT SELECT, INSERT ON case_owner_history, changes, change_receipts, number_blocks,
    team_audit, pull_audit TO srt_service;
GRANT SELECT, INSERT, DELETE ON device_cases TO srt_service;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO srt_service;
REVOKE EXECUTE ON FUNCTION srt_authenticate(text), srt_join(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION srt_authenticate(text), srt_join(text, text, text) TO srt_service;

-- Existence without contents, for the service to tell "not yours" from "new" before it writes.
CREATE FUNCTION srt_case_exists(c uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT EXISTS (SELECT 1 FROM cases WHERE id = c)
$$;

CREATE FUNCTION srt_row_exists(t text, r uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT EXISTS (SELECT 1 FROM shared_rows WHERE tbl = t AND id = r)
$$;
