-- Who may change the team-wide data (issue 28): the team lead, or every member when the lead has
-- said so (the server's setting `team_data_writers`, learnt at each sync). On a joined desk
-- whose member may not, a write to a team-wide table is refused in its own transaction with
-- 'srt:team_data_lead_only' (the desk's error says it in the user's language), instead of being
-- saved here and refused by the server later, which would leave this desk's copy different
-- from the team's. Not while a pull is applied (capturing 0) and not on a desk in no team.
-- A later migration that writes team-wide rows sets capturing to 0 around its writes (they are
-- not the member's changes and must not be pushed either).
ALTER TABLE sync_state ADD COLUMN team_data_writers TEXT NOT NULL DEFAULT 'lead'
    CHECK (team_data_writers IN ('lead', 'all'));
CREATE TRIGGER provider_team_writers_insert BEFORE INSERT ON provider
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER provider_team_writers_update BEFORE UPDATE ON provider
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER provider_team_writers_delete BEFORE DELETE ON provider
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER provider_location_team_writers_insert BEFORE INSERT ON provider_location
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER provider_location_team_writers_update BEFORE UPDATE ON provider_location
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER provider_location_team_writers_delete BEFORE DELETE ON provider_location
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER provider_contact_team_writers_insert BEFORE INSERT ON provider_contact
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER provider_contact_team_writers_update BEFORE UPDATE ON provider_contact
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER provider_contact_team_writers_delete BEFORE DELETE ON provider_contact
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER provider_activity_team_writers_insert BEFORE INSERT ON provider_activity
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER provider_activity_team_writers_update BEFORE UPDATE ON provider_activity
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER provider_activity_team_writers_delete BEFORE DELETE ON provider_activity
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER partner_team_writers_insert BEFORE INSERT ON partner
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER partner_team_writers_update BEFORE UPDATE ON partner
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER partner_team_writers_delete BEFORE DELETE ON partner
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER price_list_team_writers_insert BEFORE INSERT ON price_list
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER price_list_team_writers_update BEFORE UPDATE ON price_list
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER price_list_team_writers_delete BEFORE DELETE ON price_list
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER yearly_cap_team_writers_insert BEFORE INSERT ON yearly_cap
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER yearly_cap_team_writers_update BEFORE UPDATE ON yearly_cap
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER yearly_cap_team_writers_delete BEFORE DELETE ON yearly_cap
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER deadline_rule_team_writers_insert BEFORE INSERT ON deadline_rule
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER deadline_rule_team_writers_update BEFORE UPDATE ON deadline_rule
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER deadline_rule_team_writers_delete BEFORE DELETE ON deadline_rule
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER eligibility_rule_team_writers_insert BEFORE INSERT ON eligibility_rule
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER eligibility_rule_team_writers_update BEFORE UPDATE ON eligibility_rule
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER eligibility_rule_team_writers_delete BEFORE DELETE ON eligibility_rule
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER decision_template_team_writers_insert BEFORE INSERT ON decision_template
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER decision_template_team_writers_update BEFORE UPDATE ON decision_template
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER decision_template_team_writers_delete BEFORE DELETE ON decision_template
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER meeting_template_team_writers_insert BEFORE INSERT ON meeting_template
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER meeting_template_team_writers_update BEFORE UPDATE ON meeting_template
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER meeting_template_team_writers_delete BEFORE DELETE ON meeting_template
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER feedback_question_team_writers_insert BEFORE INSERT ON feedback_question
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER feedback_question_team_writers_update BEFORE UPDATE ON feedback_question
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
CREATE TRIGGER feedback_question_team_writers_delete BEFORE DELETE ON feedback_question
WHEN (SELECT joined = 1 AND capturing = 1 AND member_role <> 'lead' AND team_data_writers <> 'all'
      FROM sync_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'srt:team_data_lead_only'); END;
