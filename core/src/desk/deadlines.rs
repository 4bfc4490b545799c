//! Deadlines: the dashboard and the deadline rules.

use crate::error::Result;
use crate::Desk;

impl Desk {
    pub fn dashboard(&self) -> Result<crate::overview::dashboard::Dashboard> {
        let today = self.clock.today();
        crate::store::in_read_transaction(self.store.connection(), |c| {
            let mut dashboard = crate::overview::dashboard::dashboard(c, today)?;
            dashboard.signing = crate::signing::record::waiting(c)?;
            Ok(dashboard)
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
