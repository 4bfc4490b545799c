-- The audit log over the years (every opening of a case, search and unlock leaves a row: millions
-- at national scale): the viewer's filters search these instead of walking the whole log. Each
-- index also orders by id, so a case's or an action's rows read newest first from it; the
-- actions offered in the filter are found by seeking from one to the next.
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_action ON audit_log(action);
