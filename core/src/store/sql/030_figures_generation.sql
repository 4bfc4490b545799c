-- 030: the figures' generation (issue 30). The statistics and the waiting children are kept in the
-- session's memory (core/src/desk/figures.rs) until a row they read changes: every insert, update
-- and delete of those tables bumps this one counter, whoever writes (the app, a pull applying a
-- colleague's rows with capture off, retention, srt-admin, another connection), and a kept result
-- computed at another generation is not used. Derived and the desk's own: never synced.

CREATE TABLE figures_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
) STRICT;

INSERT INTO figures_generation (id, n) VALUES (1, 0);

CREATE TRIGGER figures_srt_case_insert AFTER INSERT ON srt_case
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_srt_case_update AFTER UPDATE ON srt_case
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_srt_case_delete AFTER DELETE ON srt_case
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_child_insert AFTER INSERT ON child
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_child_update AFTER UPDATE ON child
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_child_delete AFTER DELETE ON child
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_case_status_change_insert AFTER INSERT ON case_status_change
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_case_status_change_update AFTER UPDATE ON case_status_change
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_case_status_change_delete AFTER DELETE ON case_status_change
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_provider_choice_insert AFTER INSERT ON provider_choice
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_provider_choice_update AFTER UPDATE ON provider_choice
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_provider_choice_delete AFTER DELETE ON provider_choice
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_decision_insert AFTER INSERT ON decision
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_decision_update AFTER UPDATE ON decision
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_decision_delete AFTER DELETE ON decision
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_decision_grant_insert AFTER INSERT ON decision_grant
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_decision_grant_update AFTER UPDATE ON decision_grant
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_decision_grant_delete AFTER DELETE ON decision_grant
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_assessment_insert AFTER INSERT ON assessment
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_assessment_update AFTER UPDATE ON assessment
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_assessment_delete AFTER DELETE ON assessment
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_assessment_activity_insert AFTER INSERT ON assessment_activity
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_assessment_activity_update AFTER UPDATE ON assessment_activity
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_assessment_activity_delete AFTER DELETE ON assessment_activity
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_invoice_insert AFTER INSERT ON invoice
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_invoice_update AFTER UPDATE ON invoice
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_invoice_delete AFTER DELETE ON invoice
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_invoice_line_insert AFTER INSERT ON invoice_line
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_invoice_line_update AFTER UPDATE ON invoice_line
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_invoice_line_delete AFTER DELETE ON invoice_line
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_feedback_response_insert AFTER INSERT ON feedback_response
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_feedback_response_update AFTER UPDATE ON feedback_response
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_feedback_response_delete AFTER DELETE ON feedback_response
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_feedback_answer_insert AFTER INSERT ON feedback_answer
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_feedback_answer_update AFTER UPDATE ON feedback_answer
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_feedback_answer_delete AFTER DELETE ON feedback_answer
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_feedback_question_insert AFTER INSERT ON feedback_question
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_feedback_question_update AFTER UPDATE ON feedback_question
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_feedback_question_delete AFTER DELETE ON feedback_question
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_provider_insert AFTER INSERT ON provider
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_provider_update AFTER UPDATE ON provider
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_provider_delete AFTER DELETE ON provider
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_provider_location_insert AFTER INSERT ON provider_location
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_provider_location_update AFTER UPDATE ON provider_location
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_provider_location_delete AFTER DELETE ON provider_location
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_provider_activity_insert AFTER INSERT ON provider_activity
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_provider_activity_update AFTER UPDATE ON provider_activity
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_provider_activity_delete AFTER DELETE ON provider_activity
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_provider_contact_insert AFTER INSERT ON provider_contact
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_provider_contact_update AFTER UPDATE ON provider_contact
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_provider_contact_delete AFTER DELETE ON provider_contact
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_deadline_rule_insert AFTER INSERT ON deadline_rule
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_deadline_rule_update AFTER UPDATE ON deadline_rule
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_deadline_rule_delete AFTER DELETE ON deadline_rule
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_price_list_insert AFTER INSERT ON price_list
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_price_list_update AFTER UPDATE ON price_list
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_price_list_delete AFTER DELETE ON price_list
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_municipality_insert AFTER INSERT ON municipality
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_municipality_update AFTER UPDATE ON municipality
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_municipality_delete AFTER DELETE ON municipality
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_county_insert AFTER INSERT ON county
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_county_update AFTER UPDATE ON county
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_county_delete AFTER DELETE ON county
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_county_neighbour_insert AFTER INSERT ON county_neighbour
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_county_neighbour_update AFTER UPDATE ON county_neighbour
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
CREATE TRIGGER figures_county_neighbour_delete AFTER DELETE ON county_neighbour
BEGIN
    UPDATE figures_generation SET n = n + 1;
END;
