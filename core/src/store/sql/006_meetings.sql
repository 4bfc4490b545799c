-- 006: network meetings (võrgustikukohtumine) of a case: when and where, who took part, the
-- agenda, the notes (shareable and private), the decisions and the agreed actions; and the
-- agenda templates for a first and a follow-up meeting, editable in Settings.

CREATE TABLE meeting_template (
    code        TEXT PRIMARY KEY CHECK (code IN ('first', 'follow_up')),
    name_et     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    -- Agenda items, one per line.
    agenda      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

INSERT INTO meeting_template (code, name_et, name_en, agenda, created_at, updated_at) VALUES
 ('first', 'Esimene kohtumine', 'First meeting',
  'Tutvustus: osalejad ja nende roll
Lapse ja pere olukord ning ootused
Sotsiaalse rehabilitatsiooni teenus: mida see sisaldab ja kuidas see käib
Lapse ja pere eesmärgid
Sobivad teenuseosutajad ja järgmised sammud
Kokkulepped: kes, mida ja millal',
  '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
 ('follow_up', 'Järelkohtumine', 'Follow-up meeting',
  'Eelmisel kohtumisel kokkulepitud tegevuste täitmine
Mis on muutunud lapse ja pere olukorras
Teenuste käik ja rehabilitatsiooniplaani eesmärgid
Mured ja takistused
Uued kokkulepped: kes, mida ja millal
Järgmise kohtumise aeg',
  '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');

CREATE TABLE meeting (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES srt_case(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('first', 'follow_up', 'other')),
    -- Local date and time of the meeting, as the coordinator gives them.
    meeting_date    TEXT NOT NULL,
    start_time      TEXT NOT NULL DEFAULT '',
    place           TEXT NOT NULL DEFAULT '',
    video_link      TEXT NOT NULL DEFAULT '',
    agenda          TEXT NOT NULL DEFAULT '',
    -- Notes for the minutes, when notes_shared = 1.
    notes           TEXT NOT NULL DEFAULT '',
    notes_shared    INTEGER NOT NULL DEFAULT 1 CHECK (notes_shared IN (0, 1)),
    -- The coordinator's own notes: never in the minutes.
    private_notes   TEXT NOT NULL DEFAULT '',
    decisions       TEXT NOT NULL DEFAULT '',
    -- Counts the saves of the draft; the UI shows it and the crash test checks it.
    draft_rev       INTEGER NOT NULL DEFAULT 0,
    draft_saved_at  TEXT,
    -- The last minutes filed on the documents register.
    minutes_document_id INTEGER REFERENCES document(id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX meeting_case ON meeting(case_id, meeting_date);

CREATE TABLE meeting_participant (
    id            INTEGER PRIMARY KEY,
    meeting_id    INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    -- Where the person was picked from: a guardian of the case, the municipality's worker,
    -- a provider's contact, or typed freely.
    source        TEXT NOT NULL CHECK (source IN ('guardian', 'kov', 'provider', 'other')),
    guardian_id   INTEGER REFERENCES guardian(id) ON DELETE SET NULL,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL DEFAULT '',
    organisation  TEXT NOT NULL DEFAULT '',
    presence      TEXT NOT NULL DEFAULT 'present' CHECK (presence IN ('present', 'absent')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX meeting_participant_meeting ON meeting_participant(meeting_id, position);

CREATE TABLE meeting_action (
    id                  INTEGER PRIMARY KEY,
    meeting_id          INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    what                TEXT NOT NULL,
    owner               TEXT NOT NULL,
    due_date            TEXT NOT NULL,
    -- 1 when the coordinator confirmed a due date before the meeting day.
    early_due_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (early_due_confirmed IN (0, 1)),
    done_on             TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;
CREATE INDEX meeting_action_meeting ON meeting_action(meeting_id);
CREATE INDEX meeting_action_open ON meeting_action(done_on, due_date);
