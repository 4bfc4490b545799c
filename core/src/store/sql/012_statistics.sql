-- 012: statistics at national scale. The statistics read every case, decision and invoice line
-- of the period; these covering indexes let them read narrow index pages instead of the wide rows
-- (letters, notes, check reasons), and decision_grant keeps each approved referral's annex as
-- plain numbers so that the money granted is summed without parsing every annex again.

CREATE INDEX srt_case_stats ON srt_case(application_date, child_id, route_kind, complete_on, status,
                                        kov_municipality_code);
CREATE INDEX child_municipality ON child(municipality_code);
-- Per-case questions about a status change keep to case_status_change_case by writing
-- `+to_status` (see schedule.rs, referrals.rs, privacy.rs).
CREATE INDEX case_status_change_closed ON case_status_change(to_status, changed_at, case_id);
-- The date leads: a leading status would tempt the planner away from decision_case in the many
-- per-case queries that also name a status.
CREATE INDEX decision_stats ON decision(decision_date, status, case_id, kind, valid_to);
-- Replaces provider_choice_case (case_id, id), which it begins with.
CREATE INDEX provider_choice_stats ON provider_choice(case_id, id, provider_id, service_start);
DROP INDEX provider_choice_case;
CREATE INDEX invoice_line_money ON invoice_line(invoice_id, case_id, activity_code, amount_cents,
                                                accepted_cents);

-- The annex of an approved or sent referral, per activity (all its years together). An annex is
-- frozen once the decision is approved; the triggers keep this table equal to it all the same.
CREATE TABLE decision_grant (
    decision_id    INTEGER NOT NULL REFERENCES decision(id) ON DELETE CASCADE,
    activity_code  TEXT NOT NULL,
    cents          INTEGER NOT NULL,
    PRIMARY KEY (decision_id, activity_code)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER decision_grant_insert AFTER INSERT ON decision
WHEN NEW.kind = 'referral' AND NEW.status IN ('approved', 'sent')
BEGIN
    INSERT INTO decision_grant (decision_id, activity_code, cents)
    SELECT NEW.id, json_extract(l.value, '$.code'),
           sum(coalesce((SELECT sum(json_extract(a.value, '$.cents'))
                         FROM json_each(l.value, '$.amounts') a), 0))
    FROM json_each(NEW.annex) l
    WHERE json_extract(l.value, '$.code') IS NOT NULL
    GROUP BY 2;
END;

CREATE TRIGGER decision_grant_update AFTER UPDATE OF kind, status, annex ON decision
WHEN NEW.status IN ('approved', 'sent') OR OLD.status IN ('approved', 'sent')
BEGIN
    DELETE FROM decision_grant WHERE decision_id = NEW.id;
    INSERT INTO decision_grant (decision_id, activity_code, cents)
    SELECT NEW.id, json_extract(l.value, '$.code'),
           sum(coalesce((SELECT sum(json_extract(a.value, '$.cents'))
                         FROM json_each(l.value, '$.amounts') a), 0))
    FROM json_each(NEW.annex) l
    WHERE NEW.kind = 'referral' AND NEW.status IN ('approved', 'sent')
      AND json_extract(l.value, '$.code') IS NOT NULL
    GROUP BY 2;
END;

INSERT INTO decision_grant (decision_id, activity_code, cents)
SELECT d.id, json_extract(l.value, '$.code'),
       sum(coalesce((SELECT sum(json_extract(a.value, '$.cents'))
                     FROM json_each(l.value, '$.amounts') a), 0))
FROM decision d, json_each(d.annex) l
WHERE d.kind = 'referral' AND d.status IN ('approved', 'sent')
  AND json_valid(d.annex) AND json_extract(l.value, '$.code') IS NOT NULL
GROUP BY d.id, 2;
