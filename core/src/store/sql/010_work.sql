-- 010: the coordinator's own work: tasks from the team lead and others that belong to no case,
-- and the register of improvement proposals with their evidence and what became of them.

CREATE TABLE task (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL CHECK (length(trim(title)) > 0),
    from_kind   TEXT NOT NULL CHECK (from_kind IN ('team_lead', 'service_manager', 'other')),
    from_name   TEXT NOT NULL DEFAULT '',
    due_on      TEXT,
    notes       TEXT NOT NULL DEFAULT '',
    done_on     TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX task_open ON task(done_on, due_on);

-- A task or a proposal may point at cases and providers (one of the two per row).
CREATE TABLE task_link (
    id           INTEGER PRIMARY KEY,
    task_id      INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
    case_id      INTEGER REFERENCES srt_case(id) ON DELETE CASCADE,
    provider_id  INTEGER REFERENCES provider(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK ((case_id IS NULL) <> (provider_id IS NULL))
) STRICT;
CREATE INDEX task_link_task ON task_link(task_id);
CREATE INDEX task_link_case ON task_link(case_id);

CREATE TABLE proposal (
    id            INTEGER PRIMARY KEY,
    topic         TEXT NOT NULL CHECK (topic IN ('guidance', 'process', 'provider', 'system')),
    title         TEXT NOT NULL CHECK (length(trim(title)) > 0),
    problem       TEXT NOT NULL DEFAULT '',
    -- Figures from the statistics and feedback comments quoted as evidence (free text).
    evidence      TEXT NOT NULL DEFAULT '',
    proposal      TEXT NOT NULL DEFAULT '',
    sent_to       TEXT NOT NULL DEFAULT '',
    sent_on       TEXT,
    -- draft -> sent -> accepted / rejected / implemented; withdrawn at any time.
    status        TEXT NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'sent', 'accepted', 'rejected', 'implemented', 'withdrawn')),
    outcome       TEXT NOT NULL DEFAULT '',
    outcome_on    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX proposal_status ON proposal(status, sent_on);

CREATE TABLE proposal_link (
    id           INTEGER PRIMARY KEY,
    proposal_id  INTEGER NOT NULL REFERENCES proposal(id) ON DELETE CASCADE,
    case_id      INTEGER REFERENCES srt_case(id) ON DELETE CASCADE,
    provider_id  INTEGER REFERENCES provider(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK ((case_id IS NULL) <> (provider_id IS NULL))
) STRICT;
CREATE INDEX proposal_link_proposal ON proposal_link(proposal_id);
CREATE INDEX proposal_link_case ON proposal_link(case_id);
CREATE INDEX proposal_link_provider ON proposal_link(provider_id);
