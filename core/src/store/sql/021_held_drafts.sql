-- 023: text the desk refused to save into a field (too long, not a number) is held here, in the
-- encrypted desk, until the field is corrected: the rest of the form is saved as usual, and after
-- a restart the refused text is put back on screen with its message. Gone with its meeting or case.

CREATE TABLE meeting_held_field (
    meeting_id  INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    -- The draft's field path: agenda, notes, privateNotes, decisions, participants.
    field       TEXT NOT NULL,
    -- What was typed (participants: their list as JSON).
    held_text   TEXT NOT NULL,
    code        TEXT NOT NULL,
    message_et  TEXT NOT NULL,
    message_en  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (meeting_id, field)
) STRICT;

CREATE TABLE assessment_held_field (
    case_id     INTEGER NOT NULL REFERENCES srt_case(id) ON DELETE CASCADE,
    -- The draft's field path: areas.physical.level, activities.0.hours, ...
    field       TEXT NOT NULL,
    held_text   TEXT NOT NULL,
    code        TEXT NOT NULL,
    message_et  TEXT NOT NULL,
    message_en  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (case_id, field)
) STRICT;
