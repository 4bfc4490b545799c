-- 008: billing. Providers' invoices with their lines, the outcome of the check line by line, and
-- the parent's confirmations of services received. Prices live in price_list (004) and the
-- yearly cost limit per child in yearly_cap (005); both are dated, so a change never alters a past
-- invoice: a line keeps the unit price it was billed at and the check's verdict as it was made.
-- Money is integer cents everywhere.

CREATE TABLE invoice (
    id              INTEGER PRIMARY KEY,
    provider_id     INTEGER NOT NULL REFERENCES provider(id),
    number          TEXT NOT NULL CHECK (length(trim(number)) > 0),
    invoice_date    TEXT NOT NULL,
    period_from     TEXT NOT NULL,
    period_to       TEXT NOT NULL CHECK (period_to >= period_from),
    source          TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'csv')),
    -- draft: being entered; checked: the check has run on the current lines;
    -- accepted / partly_accepted / rejected: the coordinator's outcome, frozen.
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'checked', 'accepted', 'partly_accepted', 'rejected')),
    total_cents     INTEGER NOT NULL DEFAULT 0 CHECK (total_cents >= 0),
    accepted_cents  INTEGER NOT NULL DEFAULT 0 CHECK (accepted_cents >= 0),
    outcome_note    TEXT NOT NULL DEFAULT '',
    checked_at      TEXT,
    decided_at      TEXT,
    decided_by      TEXT,
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (provider_id, number)
) STRICT;
CREATE INDEX invoice_status ON invoice(status, invoice_date);
CREATE INDEX invoice_date ON invoice(invoice_date);

CREATE TABLE invoice_line (
    id                INTEGER PRIMARY KEY,
    invoice_id        INTEGER NOT NULL REFERENCES invoice(id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    -- The child as the provider wrote it, and the case it was matched to (NULL when unknown).
    child_code        TEXT NOT NULL DEFAULT '',
    case_id           INTEGER REFERENCES srt_case(id) ON DELETE CASCADE,
    decision_number   TEXT NOT NULL DEFAULT '',
    activity_code     TEXT NOT NULL,
    mode              TEXT NOT NULL DEFAULT 'individual' CHECK (mode IN ('individual', 'group')),
    service_date      TEXT NOT NULL,
    -- Hours, days or km in thousandths (1.5 h = 1500), so that units x price stays integer.
    quantity_milli    INTEGER NOT NULL CHECK (quantity_milli > 0),
    unit_price_cents  INTEGER NOT NULL CHECK (unit_price_cents >= 0),
    amount_cents      INTEGER NOT NULL CHECK (amount_cents >= 0),
    specialist        TEXT NOT NULL DEFAULT '',
    content           TEXT NOT NULL DEFAULT '',
    -- The check's reasons as a JSON array of {code, ...details}; '[]' = no objection.
    check_reasons     TEXT NOT NULL DEFAULT '[]',
    -- '' until checked; ok / part / reject after the check (the coordinator may override with a note).
    verdict           TEXT NOT NULL DEFAULT '' CHECK (verdict IN ('', 'ok', 'part', 'reject')),
    accepted_cents    INTEGER NOT NULL DEFAULT 0 CHECK (accepted_cents >= 0 AND accepted_cents <= amount_cents),
    override_note     TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX invoice_line_invoice ON invoice_line(invoice_id, position);
-- Budget use: accepted lines of a case per activity and year.
CREATE INDEX invoice_line_case ON invoice_line(case_id, activity_code, service_date);

-- The parent's confirmation that the services of a period were received (DOMAIN step 7).
CREATE TABLE service_confirmation (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES srt_case(id) ON DELETE CASCADE,
    provider_id   INTEGER REFERENCES provider(id),
    period_from   TEXT NOT NULL,
    period_to     TEXT NOT NULL CHECK (period_to >= period_from),
    confirmed_on  TEXT NOT NULL,
    channel       TEXT NOT NULL DEFAULT 'other' CHECK (channel IN ('paper', 'email', 'phone', 'portal', 'other')),
    notes         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX service_confirmation_case ON service_confirmation(case_id, period_from);
