-- 001: places, children, cases, guardians, status history, meta.
CREATE TABLE meta (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE county (
    ehak_code   TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE municipality (
    ehak_code   TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    county_code TEXT NOT NULL REFERENCES county(ehak_code),
    kind        TEXT NOT NULL CHECK (kind IN ('town', 'rural')),
    valid_from  TEXT,
    valid_to    TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE child (
    id                INTEGER PRIMARY KEY,
    first_name        TEXT NOT NULL,
    last_name         TEXT NOT NULL,
    personal_code     TEXT,
    birth_date        TEXT NOT NULL,
    sex               TEXT NOT NULL CHECK (sex IN ('male', 'female')),
    municipality_code TEXT REFERENCES municipality(ehak_code),
    address           TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX child_personal_code ON child(personal_code) WHERE personal_code IS NOT NULL;

CREATE TABLE srt_case (
    id                    INTEGER PRIMARY KEY,
    case_no               TEXT NOT NULL UNIQUE,
    child_id              INTEGER NOT NULL REFERENCES child(id),
    status                TEXT NOT NULL CHECK (status IN ('received', 'incomplete', 'in_assessment',
                              'decided', 'provider_chosen', 'in_service', 'closed')),
    route_kind            TEXT NOT NULL CHECK (route_kind IN ('disability', 'kov')),
    severity              TEXT CHECK (severity IN ('moderate', 'severe', 'profound')),
    kov_municipality_code TEXT REFERENCES municipality(ehak_code),
    kov_worker_name       TEXT NOT NULL DEFAULT '',
    kov_worker_phone      TEXT NOT NULL DEFAULT '',
    kov_worker_email      TEXT NOT NULL DEFAULT '',
    application_date      TEXT NOT NULL,
    channel               TEXT NOT NULL CHECK (channel IN ('email', 'post', 'in_person', 'eesti_ee', 'kov')),
    notes                 TEXT NOT NULL DEFAULT '',
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
) STRICT;
CREATE INDEX srt_case_child ON srt_case(child_id);
CREATE INDEX srt_case_status ON srt_case(status, application_date);
CREATE INDEX srt_case_application_date ON srt_case(application_date);

CREATE TABLE guardian (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES srt_case(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    personal_code   TEXT,
    phone           TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    postal_address  TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL CHECK (language IN ('et', 'ru', 'en')),
    delivery        TEXT NOT NULL CHECK (delivery IN ('email', 'post', 'in_person', 'eesti_ee')),
    relation        TEXT NOT NULL CHECK (relation IN ('parent', 'guardian', 'other')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX guardian_case ON guardian(case_id, position);

CREATE TABLE case_status_change (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES srt_case(id) ON DELETE CASCADE,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    changed_at  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX case_status_change_case ON case_status_change(case_id, id);
