-- The case view reads a case's rows of each table through its by-case index and then from the
-- table itself: two pages a table that are seldom in the cache when a case is opened, and on an
-- encrypted desk each page read from disk is decrypted and authenticated. The by-case indexes
-- now also carry the columns the case view and its deadlines read, so these are answered from
-- the index alone (the rows stay next to each other in the index however the table grew). Each
-- index keeps its name and leading columns, so every other use of it is as before.
DROP INDEX case_status_change_case;
CREATE INDEX case_status_change_case
    ON case_status_change(case_id, id, to_status, changed_at, from_status, reason);

DROP INDEX decision_case;
CREATE INDEX decision_case
    ON decision(case_id, id, kind, status, delivered_on, number, created_at, approved_at, approved_by);

DROP INDEX document_case;
CREATE INDEX document_case
    ON document(case_id, doc_date, doc_type, status, due_date, created_at, direction, title, reg_no, party);

DROP INDEX guardian_case;
CREATE INDEX guardian_case
    ON guardian(case_id, position, first_name, last_name, personal_code, phone, email, postal_address,
                language, delivery, relation);

DROP INDEX meeting_case;
CREATE INDEX meeting_case
    ON meeting(case_id, meeting_date, kind, start_time, place, video_link, minutes_document_id);

DROP INDEX meeting_participant_meeting;
CREATE INDEX meeting_participant_meeting ON meeting_participant(meeting_id, position, presence);

DROP INDEX meeting_action_meeting;
CREATE INDEX meeting_action_meeting
    ON meeting_action(meeting_id, created_at, what, owner, due_date, done_on, updated_at);
