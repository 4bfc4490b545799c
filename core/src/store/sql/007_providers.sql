-- 007: providers and partners: the provider directory (locations, contacts, activities), partners
-- with tags, the coordinator's contact log, the family's choice of provider on a case, and which
-- counties border which (for "nearest first" in matching).

CREATE TABLE provider (
    id                     INTEGER PRIMARY KEY,
    name                   TEXT NOT NULL,
    registry_code          TEXT NOT NULL UNIQUE CHECK (length(registry_code) = 8),
    licence_no             TEXT NOT NULL DEFAULT '',
    licence_valid_to       TEXT,
    contract_no            TEXT NOT NULL DEFAULT '',
    contract_valid_to      TEXT,
    age_min                INTEGER NOT NULL DEFAULT 0 CHECK (age_min >= 0),
    age_max                INTEGER NOT NULL DEFAULT 18 CHECK (age_max >= age_min),
    languages              TEXT NOT NULL DEFAULT 'et',
    waiting_days           INTEGER CHECK (waiting_days >= 0),
    free_places            INTEGER CHECK (free_places >= 0),
    capacity_confirmed_on  TEXT,
    accessibility          TEXT NOT NULL DEFAULT '',
    notes                  TEXT NOT NULL DEFAULT '',
    quality_notes          TEXT NOT NULL DEFAULT '',
    active                 INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
) STRICT;

CREATE TABLE provider_location (
    id                INTEGER PRIMARY KEY,
    provider_id       INTEGER NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    address           TEXT NOT NULL DEFAULT '',
    municipality_code TEXT NOT NULL REFERENCES municipality(ehak_code),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX provider_location_provider ON provider_location(provider_id, position);
CREATE INDEX provider_location_municipality ON provider_location(municipality_code);

CREATE TABLE provider_contact (
    id          INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX provider_contact_provider ON provider_contact(provider_id, position);

CREATE TABLE provider_activity (
    id          INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (provider_id, code)
) STRICT;
CREATE INDEX provider_activity_code ON provider_activity(code);

CREATE TABLE partner (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('kov', 'school', 'health', 'unemployment_fund', 'other')),
    municipality_code TEXT REFERENCES municipality(ehak_code),
    contact_name      TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    email             TEXT NOT NULL DEFAULT '',
    tags              TEXT NOT NULL DEFAULT '',
    notes             TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;

CREATE TABLE contact_log (
    id             INTEGER PRIMARY KEY,
    provider_id    INTEGER REFERENCES provider(id) ON DELETE CASCADE,
    partner_id     INTEGER REFERENCES partner(id) ON DELETE CASCADE,
    case_id        INTEGER REFERENCES srt_case(id) ON DELETE CASCADE,
    contact_date   TEXT NOT NULL,
    channel        TEXT NOT NULL CHECK (channel IN ('phone', 'email', 'meeting', 'letter', 'other')),
    who            TEXT NOT NULL DEFAULT '',
    summary        TEXT NOT NULL,
    follow_up_on   TEXT,
    follow_up_done INTEGER NOT NULL DEFAULT 0 CHECK (follow_up_done IN (0, 1)),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK (provider_id IS NOT NULL OR partner_id IS NOT NULL OR case_id IS NOT NULL)
) STRICT;
CREATE INDEX contact_log_provider ON contact_log(provider_id, contact_date);
CREATE INDEX contact_log_partner ON contact_log(partner_id, contact_date);
CREATE INDEX contact_log_case ON contact_log(case_id, contact_date);
CREATE INDEX contact_log_follow_up ON contact_log(follow_up_done, follow_up_on);

-- The family's choice on a case; a change of provider adds a row (the newest is current).
CREATE TABLE provider_choice (
    id               INTEGER PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES srt_case(id) ON DELETE CASCADE,
    provider_id      INTEGER REFERENCES provider(id),
    decision_sent_on TEXT,
    chosen_on        TEXT,
    registered_on    TEXT,
    service_start    TEXT,
    notes            TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX provider_choice_case ON provider_choice(case_id, id);
CREATE INDEX provider_choice_provider ON provider_choice(provider_id);

CREATE TABLE county_neighbour (
    county_code    TEXT NOT NULL REFERENCES county(ehak_code),
    neighbour_code TEXT NOT NULL REFERENCES county(ehak_code),
    PRIMARY KEY (county_code, neighbour_code)
) STRICT, WITHOUT ROWID;

-- Land borders, and the ferry links the islands live by (Hiiu-Lääne, Saare-Lääne, Saare-Pärnu).
WITH pairs(a, b) AS (VALUES
    ('0037', '0056'), ('0037', '0071'), ('0037', '0052'), ('0037', '0060'),
    ('0039', '0056'), ('0039', '0074'),
    ('0045', '0060'), ('0045', '0050'),
    ('0050', '0060'), ('0050', '0052'), ('0050', '0084'), ('0050', '0079'),
    ('0052', '0071'), ('0052', '0068'), ('0052', '0084'), ('0052', '0060'),
    ('0056', '0071'), ('0056', '0068'), ('0056', '0074'),
    ('0064', '0079'), ('0064', '0081'), ('0064', '0087'),
    ('0068', '0071'), ('0068', '0084'), ('0068', '0074'),
    ('0079', '0084'), ('0079', '0081'),
    ('0081', '0084'), ('0081', '0087'))
INSERT INTO county_neighbour (county_code, neighbour_code)
SELECT a, b FROM pairs UNION SELECT b, a FROM pairs;
