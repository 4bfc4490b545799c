-- 009: families' feedback. A short questionnaire (editable questions, rated 1-5, in et/ru/en) and
-- the answers, entered by hand or imported from a survey tool's CSV, linked to a case and a provider.

CREATE TABLE feedback_question (
    id          INTEGER PRIMARY KEY,
    position    INTEGER NOT NULL,
    text_et     TEXT NOT NULL,
    text_ru     TEXT NOT NULL,
    text_en     TEXT NOT NULL,
    -- A retired question keeps its answers but is no longer asked.
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

INSERT INTO feedback_question (position, text_et, text_ru, text_en, created_at, updated_at) VALUES
 (1, 'Kui rahul olete teenusega tervikuna?', 'Насколько вы довольны услугой в целом?',
  'How satisfied are you with the service overall?', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
 (2, 'Kuivõrd aitas teenus Teie lapsel eesmärkideni jõuda?', 'Насколько услуга помогла вашему ребёнку достичь целей?',
  'How much did the service help your child reach the goals?', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
 (3, 'Kui hästi arvestasid spetsialistid Teie pere soovidega?', 'Насколько специалисты учитывали пожелания вашей семьи?',
  'How well did the specialists take your family''s wishes into account?', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
 (4, 'Kui lihtne oli teenuseni jõuda (asukoht, aeg, ootamine)?', 'Насколько легко было получить услугу (место, время, ожидание)?',
  'How easy was it to get to the service (place, time, waiting)?', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
 (5, 'Kui rahul olete juhtumikorraldaja abiga?', 'Насколько вы довольны помощью координатора?',
  'How satisfied are you with the coordinator''s help?', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');

CREATE TABLE feedback_response (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER REFERENCES srt_case(id) ON DELETE CASCADE,
    provider_id  INTEGER REFERENCES provider(id),
    answered_on  TEXT NOT NULL,
    language     TEXT NOT NULL DEFAULT 'et' CHECK (language IN ('et', 'ru', 'en')),
    source       TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'csv')),
    -- The survey tool's own id of the answer, so that importing the same file twice adds nothing.
    external_id  TEXT,
    comment      TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (source, external_id)
) STRICT;
CREATE INDEX feedback_response_provider ON feedback_response(provider_id, answered_on);
CREATE INDEX feedback_response_case ON feedback_response(case_id);
CREATE INDEX feedback_response_date ON feedback_response(answered_on);

CREATE TABLE feedback_answer (
    response_id  INTEGER NOT NULL REFERENCES feedback_response(id) ON DELETE CASCADE,
    question_id  INTEGER NOT NULL REFERENCES feedback_question(id),
    score        INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (response_id, question_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX feedback_answer_question ON feedback_answer(question_id, score);
