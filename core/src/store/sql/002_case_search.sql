-- 002: full-text search over the child's name, personal code and case number.
-- remove_diacritics 2 lets "oun" find "Õunapuu". rowid is the case id.
CREATE VIRTUAL TABLE case_search USING fts5(
    body,
    tokenize = "unicode61 remove_diacritics 2"
);
INSERT INTO case_search (rowid, body)
SELECT c.id, ch.first_name || ' ' || ch.last_name || ' ' || coalesce(ch.personal_code, '') || ' ' || c.case_no
FROM srt_case c JOIN child ch ON ch.id = c.child_id;
