//! Families' feedback: the questionnaire, answers and their import.

use std::path::Path;

use crate::error::Result;
use crate::Desk;

/// A case's feedback: its responses, the questions and the e-mail text for the family.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseFeedback {
    pub case_id: i64,
    pub responses: Vec<crate::feedback::Response>,
    pub questions: Vec<crate::feedback::Question>,
    pub email: crate::feedback::EmailText,
    pub today: chrono::NaiveDate,
}

impl Desk {
    pub fn feedback_questions(&self) -> Result<Vec<crate::feedback::Question>> {
        crate::feedback::questions(self.store.connection())
    }

    /// Add a question (`id` None) or change one's wording.
    pub fn save_feedback_question(
        &mut self,
        id: Option<i64>,
        input: &crate::feedback::QuestionInput,
    ) -> Result<Vec<crate::feedback::Question>> {
        let key = id.map(|i| i.to_string()).unwrap_or_default();
        let action = if id.is_some() {
            "feedback_question.update"
        } else {
            "feedback_question.create"
        };
        self.write(action, "feedback_question", &key, |tx, now, _| {
            crate::feedback::save_question(tx, id, input, now)
        })?;
        self.feedback_questions()
    }

    /// Retire a question (its answers stay) or ask it again.
    pub fn set_feedback_question_active(
        &mut self,
        id: i64,
        active: bool,
    ) -> Result<Vec<crate::feedback::Question>> {
        let action = if active {
            "feedback_question.restore"
        } else {
            "feedback_question.retire"
        };
        self.write(
            action,
            "feedback_question",
            &id.to_string(),
            |tx, now, _| crate::feedback::set_question_active(tx, id, active, now),
        )?;
        self.feedback_questions()
    }

    pub(crate) fn case_feedback_unaudited(&self, case_id: i64) -> Result<CaseFeedback> {
        let conn = self.store.connection();
        let (case_no, lang, email) = crate::feedback::guardian_contact(conn, case_id)?;
        let asked = crate::feedback::active_questions(conn)?;
        Ok(CaseFeedback {
            case_id,
            responses: crate::feedback::case_responses(conn, case_id)?,
            questions: crate::feedback::questions(conn)?,
            email: crate::feedback::email_text(&asked, &lang, &case_no, &email)?,
            today: self.today(),
        })
    }

    pub fn case_feedback(&self, case_id: i64) -> Result<CaseFeedback> {
        let f = self.case_feedback_unaudited(case_id)?;
        self.audit("feedback.read", "case", &case_id.to_string(), "")?;
        Ok(f)
    }

    /// The family's answers typed in on the case.
    pub fn add_feedback(
        &mut self,
        case_id: i64,
        input: &crate::feedback::ResponseInput,
    ) -> Result<CaseFeedback> {
        self.write(
            "feedback.create",
            "case",
            &case_id.to_string(),
            |tx, now, today| crate::feedback::add_response(tx, case_id, input, today, now),
        )?;
        self.case_feedback_unaudited(case_id)
    }

    pub fn delete_feedback(&mut self, id: i64) -> Result<Option<CaseFeedback>> {
        let case_id = self.write(
            "feedback.delete",
            "feedback",
            &id.to_string(),
            |tx, _, _| crate::feedback::delete_response(tx, id),
        )?;
        case_id.map(|c| self.case_feedback_unaudited(c)).transpose()
    }

    /// The printable questionnaire in `lang`, for a case (its number printed) or blank.
    pub fn feedback_questionnaire(
        &self,
        lang: &str,
        case_id: Option<i64>,
        path: &Path,
    ) -> Result<std::path::PathBuf> {
        super::export_format(path, &["pdf"])?;
        let conn = self.store.connection();
        let case_no = match case_id {
            Some(id) => crate::feedback::guardian_contact(conn, id)?.0,
            None => String::new(),
        };
        let doc = crate::feedback::questionnaire(
            &crate::feedback::active_questions(conn)?,
            lang,
            &case_no,
        )?;
        std::fs::write(path, self.render_pdf(doc)?)?;
        self.audit(
            "feedback.questionnaire",
            "case",
            &case_id.map(|i| i.to_string()).unwrap_or_default(),
            &path.display().to_string(),
        )?;
        Ok(path.to_path_buf())
    }

    pub fn feedback_import_preview(&self, path: &Path) -> Result<crate::feedback::ImportPreview> {
        let text = crate::feedback::read_file(path)?;
        crate::feedback::preview_text(self.store.connection(), &text, self.today())
    }

    /// Import the new answers of the file, or nothing when a row is in error.
    pub fn feedback_import(&mut self, path: &Path) -> Result<crate::feedback::ImportSummary> {
        let text = crate::feedback::read_file(path)?;
        let detail = path.display().to_string();
        self.write_detailed(
            "feedback.import",
            "feedback",
            "",
            &detail,
            |tx, now, today| crate::feedback::import_text(tx, &text, today, now),
        )
    }
}
