//! Cases: registering an application, the case view and list, status changes, places, search.

use crate::cases::{ApplicationInput, CaseCounts, CaseDetail, CaseFilter, CaseList};
use crate::error::Result;
use crate::Desk;

impl Desk {
    pub fn places(&self) -> Result<crate::cases::places::Places> {
        crate::cases::places::all(self.store.connection())
    }

    /// Register an application; returns the new case.
    pub fn register_application(&mut self, input: &ApplicationInput) -> Result<CaseDetail> {
        let now = self.clock.now();
        let today = self.clock.today();
        let actor = self.actor.clone();
        let tx = self.store.connection_mut().transaction()?;
        let valid = crate::cases::validate_application(&tx, input, today)?;
        let id = crate::cases::register(&tx, &valid, now)?;
        crate::store::audit::record(&tx, now, &actor, "case.create", "case", &id.to_string(), "")?;
        tx.commit()?;
        crate::overview::case::case_detail(self.store.connection(), id, self.clock.today())
    }

    pub fn case(&self, id: i64) -> Result<CaseDetail> {
        let today = self.clock.today();
        let detail = crate::store::in_read_transaction(self.store.connection(), |c| {
            crate::overview::case::case_detail(c, id, today)
        })?;
        self.audit("case.read", "case", &id.to_string(), "")?;
        Ok(detail)
    }

    pub fn list_cases(&self, filter: &CaseFilter) -> Result<CaseList> {
        // The team desk's filter by responsible coordinator (a login; empty for all).
        let owner = self.coordinator_filter(&filter.coordinator)?;
        let mut list =
            crate::cases::list_owned(self.store.connection(), filter, self.clock.today(), owner)?;
        // On a team desk each row names its responsible coordinator (one query for the page).
        let ids: Vec<i64> = list.items.iter().map(|i| i.id).collect();
        let mut names = self.team_case_coordinators(&ids)?;
        for item in &mut list.items {
            item.coordinator = names.remove(&item.id);
        }
        if !filter.text.trim().is_empty() {
            self.audit("case.search", "case", "", filter.text.trim())?;
        }
        Ok(list)
    }

    pub fn change_status(&mut self, id: i64, to: &str, reason: &str) -> Result<CaseDetail> {
        let now = self.clock.now();
        let actor = self.actor.clone();
        let tx = self.store.connection_mut().transaction()?;
        crate::cases::change_status(&tx, id, to, reason, now)?;
        crate::store::audit::record(&tx, now, &actor, "case.status", "case", &id.to_string(), to)?;
        tx.commit()?;
        crate::overview::case::case_detail(self.store.connection(), id, self.clock.today())
    }

    /// The id of the case numbered `case_no` (srt-admin names cases by number).
    pub fn case_id_by_no(&self, case_no: &str) -> Result<i64> {
        crate::cases::id_by_case_no(self.store.connection(), case_no)
    }

    pub fn case_counts(&self) -> Result<CaseCounts> {
        crate::cases::counts(self.store.connection())
    }

    pub fn search(&self, text: &str) -> Result<crate::cases::search::SearchResults> {
        let r = crate::cases::search::search(self.store.connection(), text, 50)?;
        if !text.trim().is_empty() {
            self.audit("search", "desk", "", text.trim())?;
        }
        Ok(r)
    }
}
