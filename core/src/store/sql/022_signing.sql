-- 024: signing and delivery of decisions (issue 29). The settings for the ID-card module, the
-- trust anchors, who may sign, the time-stamp and OCSP services and the Board's SMTP server (its
-- password lives in the OS credential store, never here); each decision's signature state; each
-- delivery attempt.

CREATE TABLE signing_settings (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    pkcs11_module   TEXT NOT NULL,
    trust_anchors   TEXT NOT NULL DEFAULT '',
    allowed_signers TEXT NOT NULL DEFAULT '',
    tsa_url         TEXT NOT NULL DEFAULT '',
    ocsp_url        TEXT NOT NULL DEFAULT '',
    smtp_host       TEXT NOT NULL DEFAULT '',
    smtp_port       INTEGER NOT NULL DEFAULT 587,
    smtp_security   TEXT NOT NULL DEFAULT 'starttls' CHECK (smtp_security IN ('starttls', 'tls', 'none')),
    smtp_user       TEXT NOT NULL DEFAULT '',
    smtp_from       TEXT NOT NULL DEFAULT '',
    -- Send a B-level container without waiting for LT (only where the Board's policy allows it;
    -- off: a decision waits on the dashboard until its signature is LT).
    send_b_level    INTEGER NOT NULL DEFAULT 0 CHECK (send_b_level IN (0, 1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
INSERT INTO signing_settings (id, pkcs11_module, created_at, updated_at)
VALUES (1, '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z');

-- The signed container of a decision: B until extended to LT; only LT is ready to send.
CREATE TABLE decision_signature (
    decision_id     INTEGER PRIMARY KEY REFERENCES decision(id) ON DELETE CASCADE,
    level           TEXT NOT NULL CHECK (level IN ('B', 'T', 'LT')),
    state           TEXT NOT NULL CHECK (state IN ('needs_confirmation', 'ready')),
    signer          TEXT NOT NULL,
    signed_at       TEXT NOT NULL,
    attachment_id   INTEGER NOT NULL REFERENCES attachment(id),
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX decision_signature_state ON decision_signature(state);

-- Each way a decision was sent or handed over, a failed e-mail too (with why).
CREATE TABLE decision_delivery (
    id              INTEGER PRIMARY KEY,
    decision_id     INTEGER NOT NULL REFERENCES decision(id) ON DELETE CASCADE,
    way             TEXT NOT NULL CHECK (way IN ('email', 'post', 'in_person', 'eesti_ee')),
    outcome         TEXT NOT NULL CHECK (outcome IN ('sent', 'failed')),
    on_date         TEXT,
    address         TEXT NOT NULL DEFAULT '',
    error           TEXT NOT NULL DEFAULT '',
    attachment_id   INTEGER REFERENCES attachment(id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX decision_delivery_decision ON decision_delivery(decision_id, id);
