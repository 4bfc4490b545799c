//! Network meetings: templates, notes, agreed actions and minutes.

use std::path::Path;

use crate::error::Result;
use crate::Desk;

impl Desk {
    pub(crate) fn meeting_now(&self, id: i64) -> Result<crate::meetings::Meeting> {
        crate::meetings::get(
            self.store.connection(),
            id,
            self.clock.today(),
            &self.coordinator.name,
        )
    }

    pub fn meeting_templates(&self) -> Result<Vec<crate::meetings::MeetingTemplate>> {
        crate::meetings::templates(self.store.connection())
    }

    pub fn save_meeting_template(
        &mut self,
        input: &crate::meetings::TemplateInput,
    ) -> Result<Vec<crate::meetings::MeetingTemplate>> {
        let code = input.code.clone();
        self.write(
            "meeting_template.save",
            "meeting_template",
            &code,
            |tx, now, _| crate::meetings::save_template(tx, input, now),
        )?;
        crate::meetings::templates(self.store.connection())
    }

    /// A case's meetings, the latest first.
    pub fn meetings(&self, case_id: i64) -> Result<Vec<crate::meetings::MeetingSummary>> {
        crate::casework::assessment::case_facts(self.store.connection(), case_id)?;
        let list = crate::meetings::list(self.store.connection(), case_id)?;
        self.audit("meeting.list", "case", &case_id.to_string(), "")?;
        Ok(list)
    }

    /// A new meeting; its agenda comes from the template of its kind.
    pub fn create_meeting(
        &mut self,
        case_id: i64,
        input: &crate::meetings::MeetingInput,
    ) -> Result<crate::meetings::Meeting> {
        let id = self.write_case("meeting.create", case_id, "", |tx, now, today| {
            let facts = crate::casework::assessment::case_facts(tx, case_id)?;
            let valid = crate::meetings::validate_meeting(input, facts.application_date, today)?;
            crate::meetings::create(tx, case_id, &valid, now)
        })?;
        self.meeting_now(id)
    }

    pub fn meeting(&self, id: i64) -> Result<crate::meetings::Meeting> {
        let m = self.meeting_now(id)?;
        self.audit(
            "meeting.read",
            "case",
            &m.case_id.to_string(),
            &id.to_string(),
        )?;
        Ok(m)
    }

    pub fn update_meeting(
        &mut self,
        id: i64,
        input: &crate::meetings::MeetingInput,
    ) -> Result<crate::meetings::Meeting> {
        let (case_id, _) = crate::meetings::case_and_date(self.store.connection(), id)?;
        self.write_case(
            "meeting.update",
            case_id,
            &id.to_string(),
            |tx, now, today| {
                let facts = crate::casework::assessment::case_facts(tx, case_id)?;
                let valid =
                    crate::meetings::validate_meeting(input, facts.application_date, today)?;
                crate::meetings::update(tx, id, &valid, now)
            },
        )?;
        self.meeting_now(id)
    }

    /// Save the notes draft as typed. The commit is synced to disk before this returns (not only
    /// to the write-ahead log), so a power cut right after loses nothing that was acknowledged.
    pub fn save_meeting_draft(
        &mut self,
        id: i64,
        draft: &crate::meetings::MeetingDraft,
    ) -> Result<crate::meetings::DraftSaved> {
        let (case_id, _) = crate::meetings::case_and_date(self.store.connection(), id)?;
        self.store
            .connection()
            .pragma_update(None, "synchronous", "FULL")?;
        let saved = self.write_case(
            "meeting.save_notes",
            case_id,
            &id.to_string(),
            |tx, now, _| crate::meetings::save_draft(tx, id, draft, now),
        );
        let normal = self
            .store
            .connection()
            .pragma_update(None, "synchronous", "NORMAL");
        let saved = saved?;
        normal?;
        Ok(saved)
    }

    pub fn add_meeting_action(
        &mut self,
        meeting_id: i64,
        input: &crate::meetings::ActionInput,
    ) -> Result<crate::meetings::Meeting> {
        let (case_id, date) = crate::meetings::case_and_date(self.store.connection(), meeting_id)?;
        self.write_case(
            "meeting_action.create",
            case_id,
            &meeting_id.to_string(),
            |tx, now, _| {
                let valid = crate::meetings::validate_action(input, date)?;
                crate::meetings::add_action(tx, meeting_id, &valid, now)
            },
        )?;
        self.meeting_now(meeting_id)
    }

    /// The meeting, case and meeting date of an agreed action.
    pub(crate) fn action_context(&self, action_id: i64) -> Result<(i64, i64, chrono::NaiveDate)> {
        let meeting_id = crate::meetings::meeting_of_action(self.store.connection(), action_id)?;
        let (case_id, date) = crate::meetings::case_and_date(self.store.connection(), meeting_id)?;
        Ok((meeting_id, case_id, date))
    }

    pub fn update_meeting_action(
        &mut self,
        id: i64,
        input: &crate::meetings::ActionInput,
    ) -> Result<crate::meetings::Meeting> {
        let (meeting_id, case_id, date) = self.action_context(id)?;
        self.write_case(
            "meeting_action.update",
            case_id,
            &id.to_string(),
            |tx, now, _| {
                let valid = crate::meetings::validate_action(input, date)?;
                crate::meetings::update_action(tx, id, &valid, now)
            },
        )?;
        self.meeting_now(meeting_id)
    }

    /// Mark an agreed action done on a date (required: see [`crate::meetings::check_done`]).
    pub fn set_meeting_action_done(
        &mut self,
        id: i64,
        done_on: &str,
    ) -> Result<crate::meetings::Meeting> {
        let (meeting_id, case_id, date) = self.action_context(id)?;
        self.write_case(
            "meeting_action.done",
            case_id,
            &id.to_string(),
            |tx, now, today| {
                let on = crate::meetings::check_done(done_on, date, today)?;
                crate::meetings::set_done(tx, id, Some(on), now)
            },
        )?;
        self.meeting_now(meeting_id)
    }

    pub fn reopen_meeting_action(&mut self, id: i64) -> Result<crate::meetings::Meeting> {
        let (meeting_id, case_id, _) = self.action_context(id)?;
        self.write_case(
            "meeting_action.reopen",
            case_id,
            &id.to_string(),
            |tx, now, _| crate::meetings::set_done(tx, id, None, now),
        )?;
        self.meeting_now(meeting_id)
    }

    pub fn remove_meeting_action(&mut self, id: i64) -> Result<crate::meetings::Meeting> {
        let (meeting_id, case_id, _) = self.action_context(id)?;
        self.write_case(
            "meeting_action.remove",
            case_id,
            &id.to_string(),
            |tx, _, _| crate::meetings::remove_action(tx, id),
        )?;
        self.meeting_now(meeting_id)
    }

    /// Make the minutes PDF of a meeting (in Estonian, without the private notes), file it on
    /// the case's documents register with the PDF attached, and write a copy to `target` (a
    /// file, or a folder to put it in). A failure to write the copy leaves the filed minutes.
    pub fn export_minutes(
        &mut self,
        id: i64,
        target: &Path,
    ) -> Result<crate::meetings::MinutesExport> {
        let today = self.clock.today();
        let m = self.meeting_now(id)?;
        crate::meetings::minutes::check_ready(&m, today)?;
        let coordinator = self.require_coordinator()?;
        let pdf = self.render_pdf(crate::meetings::minutes::document(
            &m,
            &coordinator.name,
            today,
        ))?;
        let name = crate::meetings::minutes::file_name(&m);
        let title = crate::meetings::minutes::register_title(&m);
        let party: String = m
            .participants
            .iter()
            .map(|p| p.name.trim())
            .collect::<Vec<_>>()
            .join(", ")
            .chars()
            .take(300)
            .collect();
        let document_id = self.write_case(
            "meeting.minutes",
            m.case_id,
            &id.to_string(),
            |tx, now, today| {
                let input = crate::casework::documents::DocumentInput {
                    direction: "out".into(),
                    doc_type: "other".into(),
                    title: title.clone(),
                    doc_date: today.to_string(),
                    party: party.clone(),
                    ..Default::default()
                };
                let doc =
                    crate::casework::documents::insert(tx, m.case_id, &input, today, None, now)?;
                crate::casework::documents::attach(tx, doc, &name, "application/pdf", &pdf, now)?;
                crate::meetings::set_minutes_document(tx, id, doc)?;
                Ok(doc)
            },
        )?;
        let path = if target.is_dir() {
            target.join(&name)
        } else {
            target.to_path_buf()
        };
        std::fs::write(&path, &pdf)?;
        self.audit(
            "meeting.minutes_export",
            "case",
            &m.case_id.to_string(),
            &path.display().to_string(),
        )?;
        let doc = crate::casework::documents::get(self.store.connection(), document_id)?;
        Ok(crate::meetings::MinutesExport {
            document_id,
            reg_no: doc.reg_no,
            path: path.display().to_string(),
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or(name),
            bytes: pdf.len(),
        })
    }

    /// Delete a meeting created by mistake (not once its minutes are filed).
    pub fn delete_meeting(&mut self, id: i64) -> Result<()> {
        let (case_id, _) = crate::meetings::case_and_date(self.store.connection(), id)?;
        self.write_case("meeting.delete", case_id, &id.to_string(), |tx, _, _| {
            crate::meetings::delete(tx, id)
        })
    }
}
