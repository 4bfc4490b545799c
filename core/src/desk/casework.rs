//! Casework on one case: the need assessment, the documents register, the timeline.

use std::path::Path;

use crate::cases::CaseDetail;
use crate::error::Result;
use crate::Desk;

impl Desk {
    pub fn assessment(&self, case_id: i64) -> Result<crate::casework::assessment::Assessment> {
        let a =
            crate::casework::assessment::get(self.store.connection(), case_id, self.clock.today())?;
        self.audit("assessment.read", "case", &case_id.to_string(), "")?;
        Ok(a)
    }

    pub fn save_assessment(
        &mut self,
        case_id: i64,
        draft: &crate::casework::assessment::AssessmentDraft,
    ) -> Result<crate::casework::assessment::Assessment> {
        self.save_assessment_as_typed(case_id, draft, &[])
    }

    /// Save the assessment field by field: what is refused is held (as typed) with its message,
    /// the rest is saved; the answer's `held` lists what is not saved.
    pub fn save_assessment_as_typed(
        &mut self,
        case_id: i64,
        draft: &crate::casework::assessment::AssessmentDraft,
        hours_typed: &[String],
    ) -> Result<crate::casework::assessment::Assessment> {
        self.write(
            "assessment.save",
            "case",
            &case_id.to_string(),
            |tx, now, _| {
                crate::casework::assessment::save_draft(tx, case_id, draft, hours_typed, now)
            },
        )?;
        crate::casework::assessment::get(self.store.connection(), case_id, self.clock.today())
    }

    pub fn sign_assessment(
        &mut self,
        case_id: i64,
        signed_on: &str,
    ) -> Result<crate::casework::assessment::Assessment> {
        let by = self.require_coordinator()?.name;
        self.write(
            "assessment.sign",
            "case",
            &case_id.to_string(),
            |tx, now, today| {
                crate::casework::assessment::sign(tx, case_id, signed_on, &by, today, now)
            },
        )?;
        crate::casework::assessment::get(self.store.connection(), case_id, self.clock.today())
    }

    pub fn documents(&self, case_id: i64) -> Result<Vec<crate::casework::documents::Document>> {
        crate::overview::case::case_detail(self.store.connection(), case_id, self.clock.today())?;
        let docs = crate::casework::documents::list(self.store.connection(), case_id)?;
        self.audit("document.list", "case", &case_id.to_string(), "")?;
        Ok(docs)
    }

    pub fn add_document(
        &mut self,
        case_id: i64,
        input: &crate::casework::documents::DocumentInput,
    ) -> Result<crate::casework::documents::Document> {
        let id = self.write(
            "document.create",
            "case",
            &case_id.to_string(),
            |tx, now, today| {
                let facts = crate::casework::assessment::case_facts(tx, case_id)?;
                let (date, due) =
                    crate::casework::documents::validate(input, facts.application_date, today)?;
                crate::casework::documents::insert(tx, case_id, input, date, due, now)
            },
        )?;
        crate::casework::documents::get(self.store.connection(), id)
    }

    pub fn set_document_status(
        &mut self,
        id: i64,
        status: &str,
    ) -> Result<crate::casework::documents::Document> {
        self.write(
            "document.status",
            "document",
            &id.to_string(),
            |tx, now, _| crate::casework::documents::set_status(tx, id, status, now),
        )?;
        crate::casework::documents::get(self.store.connection(), id)
    }

    /// Attach a file from disk: checked for size and type before it is read; stored whole or not at all.
    pub fn attach_file(
        &mut self,
        document_id: i64,
        path: &Path,
    ) -> Result<crate::casework::documents::Document> {
        use std::io::Read;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "file".into());
        let size = std::fs::metadata(path)?.len();
        let mut head = [0u8; 16];
        let mut f = std::fs::File::open(path)?;
        let n = f.read(&mut head)?;
        let mime = crate::casework::documents::check_file(&name, size, &head[..n])?;
        let content = std::fs::read(path)?;
        // The file may have changed between the checks and the read: check the bytes read.
        crate::casework::documents::check_file(
            &name,
            content.len() as u64,
            &content[..content.len().min(16)],
        )?;
        self.write(
            "attachment.create",
            "document",
            &document_id.to_string(),
            |tx, now, _| {
                crate::casework::documents::attach(tx, document_id, &name, mime, &content, now)
            },
        )?;
        crate::casework::documents::get(self.store.connection(), document_id)
    }

    /// Write an attachment to `dir` (a temporary folder or where the user chose); returns the path.
    pub fn export_attachment(&self, id: i64, target: &Path) -> Result<std::path::PathBuf> {
        let (name, case_id, content) =
            crate::casework::documents::attachment_content(self.store.connection(), id)?;
        let path = if target.is_dir() {
            // Only the file's own name, never a path hidden in it.
            let safe: String = name
                .chars()
                .map(|c| {
                    if c == '/' || c == '\\' || c == ':' {
                        '_'
                    } else {
                        c
                    }
                })
                .collect();
            target.join(safe)
        } else {
            target.to_path_buf()
        };
        std::fs::write(&path, &content)?;
        self.audit(
            "attachment.export",
            "case",
            &case_id.to_string(),
            &id.to_string(),
        )?;
        Ok(path)
    }

    /// Ask the applicant for missing documents: one action that records the outgoing request
    /// with its due date, sets the case to "incomplete" and stops the decision clock.
    pub fn request_documents(
        &mut self,
        case_id: i64,
        req: &crate::cases::DocumentRequest,
    ) -> Result<CaseDetail> {
        self.write(
            "case.request_documents",
            "case",
            &case_id.to_string(),
            |tx, now, today| {
                let facts = crate::casework::assessment::case_facts(tx, case_id)?;
                let input = request_letter(req);
                let (date, due) =
                    crate::casework::documents::validate(&input, facts.application_date, today)
                        .map_err(|e| req.map_errors(e))?;
                req.check(due)?;
                crate::cases::change_status(tx, case_id, "incomplete", req.what.trim(), now)?;
                crate::casework::documents::insert(tx, case_id, &input, date, due, now)?;
                Ok(())
            },
        )?;
        crate::overview::case::case_detail(self.store.connection(), case_id, self.clock.today())
    }

    /// The missing documents arrived: the case goes back to assessment and the decision clock
    /// starts again from the day they arrived.
    pub fn documents_received(
        &mut self,
        case_id: i64,
        received_on: &str,
        note: &str,
    ) -> Result<CaseDetail> {
        self.write(
            "case.documents_received",
            "case",
            &case_id.to_string(),
            |tx, now, today| {
                let request = crate::casework::documents::open_missing_request(tx, case_id)?;
                let sent = match request {
                    Some((id, _)) => Some(crate::casework::documents::get(tx, id)?.doc_date),
                    None => None,
                };
                let on = crate::cases::parse_received_on(received_on, sent, today)?;
                let reason = if note.trim().is_empty() {
                    "Puuduvad dokumendid saabusid"
                } else {
                    note.trim()
                };
                crate::cases::change_status(tx, case_id, "in_assessment", reason, now)?;
                crate::cases::set_complete_on(tx, case_id, on)?;
                if let Some((id, _)) = request {
                    crate::casework::documents::set_status(tx, id, "done", now)?;
                }
                let input = crate::casework::documents::DocumentInput {
                    direction: "in".into(),
                    doc_type: "other".into(),
                    title: "Puuduvad dokumendid".into(),
                    doc_date: on.to_string(),
                    notes: note.trim().to_string(),
                    ..Default::default()
                };
                crate::casework::documents::insert(tx, case_id, &input, on, None, now)?;
                Ok(())
            },
        )?;
        crate::overview::case::case_detail(self.store.connection(), case_id, self.clock.today())
    }

    pub fn timeline(&self, case_id: i64) -> Result<Vec<crate::casework::timeline::TimelineEntry>> {
        let today = self.clock.today();
        crate::store::in_read_transaction(self.store.connection(), |c| {
            crate::overview::case::case_detail(c, case_id, today)?;
            case_timeline(c, case_id)
        })
    }
}

/// A case's timeline: its own entries (status, documents, the assessment) and those of the parts
/// above casework (decisions, meetings, tasks), newest first.
pub fn case_timeline(
    conn: &rusqlite::Connection,
    case_id: i64,
) -> Result<Vec<crate::casework::timeline::TimelineEntry>> {
    let mut out = crate::casework::timeline::case_entries(conn, case_id)?;
    out.extend(crate::decisions::timeline_entries(conn, case_id)?);
    out.extend(crate::meetings::timeline_entries(conn, case_id)?);
    out.extend(crate::work::tasks::timeline_entries(conn, case_id)?);
    Ok(crate::casework::timeline::newest_first(out))
}

/// The outgoing letter a request for documents is recorded as on the documents register.
fn request_letter(
    req: &crate::cases::DocumentRequest,
) -> crate::casework::documents::DocumentInput {
    crate::casework::documents::DocumentInput {
        direction: "out".into(),
        doc_type: "missing_request".into(),
        title: "Puuduvate dokumentide nõue".into(),
        doc_date: req.sent_on.clone(),
        reg_no: String::new(),
        party: req.recipient.clone(),
        due_date: req.due_date.clone(),
        notes: req.what.clone(),
    }
}
