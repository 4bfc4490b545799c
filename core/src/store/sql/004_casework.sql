-- 004: case work: dated rules (deadlines, eligibility), the price list, the need assessment,
-- the documents register with attachments, and the date an application became complete.

CREATE TABLE deadline_rule (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL,
    name_et     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    count       INTEGER NOT NULL CHECK (count > 0),
    unit        TEXT NOT NULL CHECK (unit IN ('working_days', 'calendar_days', 'months')),
    legal_ref   TEXT NOT NULL,
    valid_from  TEXT NOT NULL,
    valid_to    TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX deadline_rule_code ON deadline_rule(code, valid_from);

INSERT INTO deadline_rule (code, name_et, name_en, count, unit, legal_ref, valid_from, created_at, updated_at) VALUES
 ('decision_due', 'Otsuse tähtaeg', 'Decision due', 10, 'working_days', 'SHS § 70; HMS § 41', '2016-01-01', '2016-01-01T00:00:00Z', '2016-01-01T00:00:00Z'),
 ('missing_documents', 'Puuduste kõrvaldamise tähtaeg', 'Time to fix the application', 14, 'calendar_days', 'HMS § 15 lg 3', '2016-01-01', '2016-01-01T00:00:00Z', '2016-01-01T00:00:00Z'),
 ('provider_registration', 'Teenuseosutaja juurde registreerumine', 'Registration with a provider', 60, 'calendar_days', 'SHS § 70', '2016-01-01', '2016-01-01T00:00:00Z', '2016-01-01T00:00:00Z'),
 ('challenge_period', 'Vaidlustamise tähtaeg', 'Challenge period', 30, 'calendar_days', 'HMS § 75; HKMS § 46', '2016-01-01', '2016-01-01T00:00:00Z', '2016-01-01T00:00:00Z'),
 ('referral_max', 'Suunamise pikim kehtivus', 'Longest referral validity', 24, 'months', 'SHS § 70', '2016-01-01', '2016-01-01T00:00:00Z', '2016-01-01T00:00:00Z');

CREATE TABLE eligibility_rule (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL,
    value       INTEGER NOT NULL,
    legal_ref   TEXT NOT NULL,
    valid_from  TEXT NOT NULL,
    valid_to    TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
INSERT INTO eligibility_rule (code, value, legal_ref, valid_from, created_at, updated_at) VALUES
 ('disability_age_limit_year', 16, 'SHS § 67', '2016-01-01', '2016-01-01T00:00:00Z', '2016-01-01T00:00:00Z'),
 ('kov_max_age', 18, 'SHS § 67; LasteKS § 26', '2016-01-01', '2016-01-01T00:00:00Z', '2016-01-01T00:00:00Z'),
 ('kov_min_significant_areas', 2, 'SHS § 67', '2016-01-01', '2016-01-01T00:00:00Z', '2016-01-01T00:00:00Z');

CREATE TABLE price_list (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL,
    name_et     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    mode        TEXT NOT NULL CHECK (mode IN ('individual', 'group')),
    unit        TEXT NOT NULL CHECK (unit IN ('hour', 'day', 'km')),
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    valid_from  TEXT NOT NULL,
    valid_to    TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX price_list_code ON price_list(code, valid_from);

ALTER TABLE srt_case ADD COLUMN complete_on TEXT;
UPDATE srt_case SET complete_on = application_date WHERE status <> 'incomplete';

CREATE TABLE assessment (
    case_id              INTEGER PRIMARY KEY REFERENCES srt_case(id) ON DELETE CASCADE,
    physical_level       TEXT NOT NULL DEFAULT '' CHECK (physical_level IN ('', 'none', 'some', 'significant')),
    physical_notes       TEXT NOT NULL DEFAULT '',
    psychological_level  TEXT NOT NULL DEFAULT '' CHECK (psychological_level IN ('', 'none', 'some', 'significant')),
    psychological_notes  TEXT NOT NULL DEFAULT '',
    social_level         TEXT NOT NULL DEFAULT '' CHECK (social_level IN ('', 'none', 'some', 'significant')),
    social_notes         TEXT NOT NULL DEFAULT '',
    cognitive_level      TEXT NOT NULL DEFAULT '' CHECK (cognitive_level IN ('', 'none', 'some', 'significant')),
    cognitive_notes      TEXT NOT NULL DEFAULT '',
    child_goals          TEXT NOT NULL DEFAULT '',
    family_goals         TEXT NOT NULL DEFAULT '',
    signed_on            TEXT,
    signed_by            TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
) STRICT;

CREATE TABLE assessment_activity (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES assessment(case_id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    code        TEXT NOT NULL,
    hours       REAL NOT NULL CHECK (hours >= 0),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX assessment_activity_case ON assessment_activity(case_id, position);

CREATE TABLE document (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES srt_case(id) ON DELETE CASCADE,
    direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    doc_type    TEXT NOT NULL CHECK (doc_type IN ('application', 'kov_assessment', 'case_plan', 'medical',
                    'missing_request', 'decision', 'letter', 'provider_report', 'other')),
    title       TEXT NOT NULL,
    doc_date    TEXT NOT NULL,
    reg_no      TEXT NOT NULL,
    party       TEXT NOT NULL DEFAULT '',
    due_date    TEXT,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX document_case ON document(case_id, doc_date);
CREATE INDEX document_due ON document(status, due_date);

CREATE TABLE attachment (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
    file_name   TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    content     BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX attachment_document ON attachment(document_id);

-- One index for the global search: cases, guardians, documents and notes. The rowid is
-- ref_id * 4 + kind (0 case, 1 guardian, 2 document, 3 note), so that one row is found and
-- replaced by its rowid without scanning the index.
CREATE VIRTUAL TABLE global_search USING fts5(
    kind UNINDEXED,
    case_id UNINDEXED,
    ref_id UNINDEXED,
    title,
    body,
    tokenize = "unicode61 remove_diacritics 2"
);
INSERT INTO global_search (rowid, kind, case_id, ref_id, title, body)
SELECT c.id * 4 + 0, 'case', c.id, c.id, ch.first_name || ' ' || ch.last_name,
       coalesce(ch.personal_code, '') || ' ' || c.case_no
FROM srt_case c JOIN child ch ON ch.id = c.child_id;
INSERT INTO global_search (rowid, kind, case_id, ref_id, title, body)
SELECT g.id * 4 + 1, 'guardian', g.case_id, g.id, g.first_name || ' ' || g.last_name,
       coalesce(g.personal_code, '') || ' ' || g.email || ' ' || g.phone
FROM guardian g;
INSERT INTO global_search (rowid, kind, case_id, ref_id, title, body)
SELECT c.id * 4 + 3, 'note', c.id, c.id, c.case_no, c.notes FROM srt_case c WHERE c.notes <> '';
