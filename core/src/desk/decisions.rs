//! Decisions: drafts, the check, approval, letters, templates and yearly caps.

use crate::error::Result;
use crate::Desk;

impl Desk {
    // --- Decisions ---

    pub fn decisions(&self, case_id: i64) -> Result<Vec<crate::decisions::DecisionListItem>> {
        crate::overview::case::case_detail(self.store.connection(), case_id, self.clock.today())?;
        let list = crate::decisions::list(self.store.connection(), case_id)?;
        self.audit("decision.list", "case", &case_id.to_string(), "")?;
        Ok(list)
    }

    pub fn decision(&self, id: i64) -> Result<crate::decisions::DecisionView> {
        let view = crate::decisions::view(
            self.store.connection(),
            id,
            &self.coordinator,
            self.clock.today(),
        )?;
        self.audit(
            "decision.read",
            "case",
            &view.decision.case_id.to_string(),
            &id.to_string(),
        )?;
        Ok(view)
    }

    /// A new draft of `kind`, prefilled from the case, its assessment and the templates.
    pub fn create_decision(
        &mut self,
        case_id: i64,
        kind: &str,
    ) -> Result<crate::decisions::DecisionView> {
        let id = self.write(
            "decision.create",
            "case",
            &case_id.to_string(),
            |tx, now, today| crate::decisions::create(tx, case_id, kind, today, now),
        )?;
        crate::decisions::view(
            self.store.connection(),
            id,
            &self.coordinator,
            self.clock.today(),
        )
    }

    /// Autosave of the draft; answers with the preview and the check of what was saved.
    pub fn save_decision(
        &mut self,
        id: i64,
        draft: &crate::decisions::DecisionDraft,
    ) -> Result<crate::decisions::DecisionView> {
        let case_id = crate::decisions::get(self.store.connection(), id)?.case_id;
        self.write(
            "decision.save",
            "case",
            &case_id.to_string(),
            |tx, now, _| crate::decisions::save_draft(tx, id, draft, now),
        )?;
        crate::decisions::view(
            self.store.connection(),
            id,
            &self.coordinator,
            self.clock.today(),
        )
    }

    /// Recompute a referral draft's annex from the assessment for its period.
    pub fn refill_decision_annex(&mut self, id: i64) -> Result<crate::decisions::DecisionView> {
        let case_id = crate::decisions::get(self.store.connection(), id)?.case_id;
        self.write(
            "decision.save",
            "case",
            &case_id.to_string(),
            |tx, now, today| crate::decisions::refill_annex(tx, id, today, now),
        )?;
        crate::decisions::view(
            self.store.connection(),
            id,
            &self.coordinator,
            self.clock.today(),
        )
    }

    pub fn delete_decision_draft(
        &mut self,
        id: i64,
    ) -> Result<Vec<crate::decisions::DecisionListItem>> {
        let case_id = self.write(
            "decision.delete",
            "decision",
            &id.to_string(),
            |tx, _, _| crate::decisions::delete_draft(tx, id),
        )?;
        crate::decisions::list(self.store.connection(), case_id)
    }

    /// Approve: number, frozen text, PDF filed on the case's documents, case decided.
    pub fn approve_decision(
        &mut self,
        id: i64,
        confirm_warnings: bool,
    ) -> Result<crate::decisions::DecisionView> {
        let case_id = crate::decisions::get(self.store.connection(), id)?.case_id;
        let signer = self.coordinator.clone();
        self.write(
            "decision.approve",
            "case",
            &case_id.to_string(),
            |tx, now, today| {
                crate::decisions::approve(tx, id, confirm_warnings, &signer, today, now)
            },
        )?;
        crate::decisions::view(
            self.store.connection(),
            id,
            &self.coordinator,
            self.clock.today(),
        )
    }

    /// The decision reached the addressee on `delivered_on`: the challenge period and the
    /// time to choose a provider start.
    pub fn mark_decision_sent(
        &mut self,
        id: i64,
        delivered_on: &str,
    ) -> Result<crate::decisions::DecisionView> {
        let case_id = crate::decisions::get(self.store.connection(), id)?.case_id;
        self.write(
            "decision.sent",
            "case",
            &case_id.to_string(),
            |tx, now, today| crate::decisions::mark_sent(tx, id, delivered_on, today, now),
        )?;
        crate::decisions::view(
            self.store.connection(),
            id,
            &self.coordinator,
            self.clock.today(),
        )
    }

    /// The filed PDF of an approved decision (file name, bytes); reading it is audited.
    pub fn decision_pdf(&self, id: i64) -> Result<(String, Vec<u8>)> {
        let out = crate::decisions::pdf_bytes(self.store.connection(), id)?;
        let case_id = crate::decisions::get(self.store.connection(), id)?.case_id;
        self.audit(
            "decision.pdf",
            "case",
            &case_id.to_string(),
            &id.to_string(),
        )?;
        Ok(out)
    }

    pub fn decision_settings(&self) -> Result<crate::decisions::DecisionSettings> {
        crate::decisions::settings(self.store.connection())
    }

    pub fn save_decision_settings(
        &mut self,
        input: &crate::decisions::DecisionSettings,
    ) -> Result<crate::decisions::DecisionSettings> {
        self.write("decision.settings", "desk", "", |tx, now, _| {
            crate::decisions::save_settings(tx, input, now)
        })?;
        crate::decisions::settings(self.store.connection())
    }

    pub fn decision_templates(&self) -> Result<Vec<crate::decisions::Template>> {
        crate::decisions::templates(self.store.connection())
    }

    pub fn decision_template_versions(
        &self,
        code: &str,
        lang: &str,
    ) -> Result<Vec<crate::decisions::Template>> {
        crate::decisions::template_versions(self.store.connection(), code, lang)
    }

    /// Save a new version of a template (an unknown placeholder is refused).
    pub fn save_decision_template(
        &mut self,
        input: &crate::decisions::TemplateInput,
    ) -> Result<crate::decisions::Template> {
        let by = self.by();
        let id = format!("{}@{}", input.code, input.lang);
        self.write(
            "decision.template",
            "decision_template",
            &id,
            |tx, now, _| crate::decisions::save_template(tx, input, &by, now),
        )
    }

    pub fn yearly_caps(&self) -> Result<Vec<crate::prices::YearlyCapRule>> {
        crate::prices::yearly_caps(self.store.connection())
    }

    /// A new yearly cap per child from a 1 January; the previous one ends the day before.
    pub fn save_yearly_cap(
        &mut self,
        input: &crate::prices::YearlyCapInput,
    ) -> Result<Vec<crate::prices::YearlyCapRule>> {
        self.write("decision.cap", "yearly_cap", "", |tx, now, _| {
            crate::prices::save_yearly_cap(tx, input, now)
        })?;
        crate::prices::yearly_caps(self.store.connection())
    }
}
