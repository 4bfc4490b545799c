-- 005: decisions: the Board's letter settings, the decision number sequence, the yearly cost
-- limit per child, the versioned template library and the decisions themselves.

CREATE TABLE decision_settings (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    board_name      TEXT NOT NULL,
    board_unit      TEXT NOT NULL,
    board_address   TEXT NOT NULL,
    board_phone     TEXT NOT NULL,
    board_email     TEXT NOT NULL,
    number_prefix   TEXT NOT NULL,
    signer_title    TEXT NOT NULL,
    challenge_text  TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

INSERT INTO decision_settings (id, board_name, board_unit, board_address, board_phone, board_email,
    number_prefix, signer_title, challenge_text, created_at, updated_at) VALUES
 (1, 'Sotsiaalkindlustusamet', 'Laste sotsiaalse rehabilitatsiooni talitus',
  'Endla 8, 15092 Tallinn', '+372 612 1360', 'info@sotsiaalkindlustusamet.ee', 'K',
  'Juhtumikorraldaja',
  'Kui Te ei ole otsusega nõus, võite esitada vaide Sotsiaalkindlustusametile 30 päeva jooksul arvates päevast, millal saite otsusest teada või oleksite pidanud teada saama (haldusmenetluse seaduse § 71–75), või pöörduda kaebusega halduskohtusse 30 päeva jooksul otsuse teatavaks tegemisest (halduskohtumenetluse seadustiku § 46). Vaide võib esitada kirjalikult aadressil {{amet.aadress}} või e-posti teel {{amet.epost}}.',
  '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');

-- One sequence for every prefix: a number is given once, at approval, and never again.
CREATE TABLE decision_sequence (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_value  INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
INSERT INTO decision_sequence (id, last_value, created_at, updated_at)
VALUES (1, 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');

-- The yearly cost limit of the service per child (configurable; the published figures).
CREATE TABLE yearly_cap (
    id           INTEGER PRIMARY KEY,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    legal_ref    TEXT NOT NULL,
    valid_from   TEXT NOT NULL,
    valid_to     TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;
INSERT INTO yearly_cap (amount_cents, legal_ref, valid_from, valid_to, created_at, updated_at) VALUES
 (258000, 'SHS § 69', '2016-01-01', '2022-12-31', '2016-01-01T00:00:00Z', '2016-01-01T00:00:00Z'),
 (266000, 'SHS § 69', '2023-01-01', '2023-12-31', '2023-01-01T00:00:00Z', '2023-01-01T00:00:00Z'),
 (269500, 'SHS § 69', '2024-01-01', NULL, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');

-- Standard texts with placeholders ({{laps.nimi}}). Each save is a new version; a decision
-- records the versions it was drafted from. Seeded by the migration's hook.
CREATE TABLE decision_template (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL,
    lang        TEXT NOT NULL CHECK (lang IN ('et', 'ru', 'en')),
    category    TEXT NOT NULL CHECK (category IN ('operative', 'reasoning', 'legal_basis', 'summary', 'paragraph')),
    kind        TEXT NOT NULL CHECK (kind IN ('', 'referral', 'refusal', 'amendment', 'termination')),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    version     INTEGER NOT NULL CHECK (version > 0),
    saved_by    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (code, lang, version)
) STRICT;

CREATE TABLE decision (
    id                INTEGER PRIMARY KEY,
    case_id           INTEGER NOT NULL REFERENCES srt_case(id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('referral', 'refusal', 'amendment', 'termination')),
    status            TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'sent')),
    number            TEXT UNIQUE,
    decision_date     TEXT,
    addressee_name    TEXT NOT NULL DEFAULT '',
    addressee_address TEXT NOT NULL DEFAULT '',
    addressee_email   TEXT NOT NULL DEFAULT '',
    delivery          TEXT NOT NULL DEFAULT '',
    summary_language  TEXT NOT NULL DEFAULT 'et' CHECK (summary_language IN ('et', 'ru', 'en')),
    operative         TEXT NOT NULL DEFAULT '',
    reasoning         TEXT NOT NULL DEFAULT '',
    legal_basis       TEXT NOT NULL DEFAULT '',
    summary           TEXT NOT NULL DEFAULT '',
    valid_from        TEXT,
    valid_to          TEXT,
    annex             TEXT NOT NULL DEFAULT '[]',
    providers         TEXT NOT NULL DEFAULT '[]',
    late_reason       TEXT NOT NULL DEFAULT '',
    related_number    TEXT NOT NULL DEFAULT '',
    templates_used    TEXT NOT NULL DEFAULT '{}',
    letter            TEXT,
    approved_at       TEXT,
    approved_by       TEXT,
    warnings_confirmed TEXT NOT NULL DEFAULT '',
    delivered_on      TEXT,
    document_id       INTEGER REFERENCES document(id),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX decision_case ON decision(case_id, id);
CREATE INDEX decision_delivered ON decision(status, delivered_on);
