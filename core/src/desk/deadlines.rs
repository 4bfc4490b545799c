//! Deadlines: the dashboard and the deadline rules.

use crate::error::Result;
use crate::Desk;

impl Desk {
    pub fn dashboard(&self) -> Result<crate::deadlines::schedule::Dashboard> {
        let today = self.clock.today();
        crate::store::in_read_transaction(self.store.connection(), |c| {
            crate::deadlines::schedule::dashboard(c, today)
        })
    }

    pub fn deadline_rules(&self) -> Result<Vec<crate::deadlines::rules::DeadlineRule>> {
        crate::deadlines::rules::deadline_rules(self.store.connection())
    }

    pub fn save_deadline_rule(
        &mut self,
        input: &crate::deadlines::rules::DeadlineRuleInput,
    ) -> Result<Vec<crate::deadlines::rules::DeadlineRule>> {
        let code = input.code.clone();
        self.write("rule.save", "deadline_rule", &code, |tx, now, _| {
            crate::deadlines::rules::save_deadline_rule(tx, input, &crate::clock::ts(now))
        })?;
        crate::deadlines::rules::deadline_rules(self.store.connection())
    }
}
