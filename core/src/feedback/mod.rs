//! Families' feedback: the questionnaire (editable questions in Estonian, Russian and English,
//! retired rather than deleted so old answers keep their meaning), its printable PDF and e-mail
//! text, answers entered by hand on a case or imported from a survey tool's CSV (checked row by
//! row, imported all or nothing, and the survey's answer id — or a fingerprint of the row — makes
//! a second import of the same file add nothing). Owns feedback_question, feedback_response and
//! feedback_answer; the analysis is part of the statistics (crate::stats).

use crate::store::cached::CachedSql;
use std::collections::HashMap;

use crate::clock::ts;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, FieldError, Localized, Result};
use crate::pdf::{Align, Block, PdfDocument, Span, Table};
use crate::stats::FeedbackFigures;

fn dmy(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// One question of the questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    pub id: i64,
    pub position: i64,
    pub text_et: String,
    pub text_ru: String,
    pub text_en: String,
    pub active: bool,
}

impl Question {
    pub fn text(&self, lang: &str) -> &str {
        match lang {
            "ru" => &self.text_ru,
            "en" => &self.text_en,
            _ => &self.text_et,
        }
    }
}

/// A question as typed in Settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct QuestionInput {
    pub text_et: String,
    pub text_ru: String,
    pub text_en: String,
}

/// All questions, asked ones first in their order, then the retired ones.
pub fn questions(conn: &Connection) -> Result<Vec<Question>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, position, text_et, text_ru, text_en, active FROM feedback_question
         ORDER BY active DESC, position, id",
    )?;
    let list = stmt
        .query_map([], |r| {
            Ok(Question {
                id: r.get(0)?,
                position: r.get(1)?,
                text_et: r.get(2)?,
                text_ru: r.get(3)?,
                text_en: r.get(4)?,
                active: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

/// The questions asked now, in order.
pub fn active_questions(conn: &Connection) -> Result<Vec<Question>> {
    Ok(questions(conn)?.into_iter().filter(|q| q.active).collect())
}

/// Add a question (`id` None, asked last) or change one's wording.
pub fn save_question(
    tx: &Transaction,
    id: Option<i64>,
    input: &QuestionInput,
    now: DateTime<Utc>,
) -> Result<i64> {
    let mut errors = Vec::new();
    for (field, text) in [
        ("textEt", &input.text_et),
        ("textRu", &input.text_ru),
        ("textEn", &input.text_en),
    ] {
        if text.trim().is_empty() {
            errors.push(FieldError::new(
                field,
                "required",
                "Kirjuta küsimus kõigis kolmes keeles.",
                "Write the question in all three languages.",
            ));
        } else if text.chars().count() > 300 {
            errors.push(FieldError::new(
                field,
                "too_long",
                "Küsimus on liiga pikk (kuni 300 märki).",
                "The question is too long (at most 300 characters).",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let (et, ru, en) = (
        input.text_et.trim(),
        input.text_ru.trim(),
        input.text_en.trim(),
    );
    match id {
        Some(id) => {
            let n = tx.execute_cached(
                "UPDATE feedback_question SET text_et = ?2, text_ru = ?3, text_en = ?4, updated_at = ?5
                 WHERE id = ?1",
                params![id, et, ru, en, ts(now)],
            )?;
            if n == 0 {
                return Err(question_not_found(id));
            }
            Ok(id)
        }
        None => {
            tx.execute_cached(
                "INSERT INTO feedback_question (position, text_et, text_ru, text_en, created_at, updated_at)
                 VALUES ((SELECT coalesce(max(position), 0) + 1 FROM feedback_question), ?1, ?2, ?3, ?4, ?4)",
                params![et, ru, en, ts(now)],
            )?;
            Ok(tx.last_insert_rowid())
        }
    }
}

fn question_not_found(id: i64) -> Error {
    Error::ImportFile(Localized::new(
        format!("Küsimust {id} ei leitud."),
        format!("Question {id} was not found."),
    ))
}

/// Retire a question (its answers stay) or ask it again.
pub fn set_question_active(
    tx: &Transaction,
    id: i64,
    active: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let n = tx.execute_cached(
        "UPDATE feedback_question SET active = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, active, ts(now)],
    )?;
    if n == 0 {
        return Err(question_not_found(id));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Answers on a case

/// A score as typed: the question and "1".."5" (empty = not answered).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScoreInput {
    pub question_id: i64,
    pub score: String,
}

/// One family's answers, typed in from a paper or an e-mail.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResponseInput {
    pub answered_on: String,
    pub language: String,
    pub scores: Vec<ScoreInput>,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Score {
    pub question_id: i64,
    pub score: i64,
}

/// A response as the case shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    pub id: i64,
    pub answered_on: NaiveDate,
    pub language: String,
    pub source: String,
    pub provider_name: Option<String>,
    pub scores: Vec<Score>,
    pub comment: String,
}

/// The case's responses, newest first.
pub fn case_responses(conn: &Connection, case_id: i64) -> Result<Vec<Response>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.answered_on, r.language, r.source, p.name, r.comment
         FROM feedback_response r LEFT JOIN provider p ON p.id = r.provider_id
         WHERE r.case_id = ?1 ORDER BY r.answered_on DESC, r.id DESC",
    )?;
    let mut list = stmt
        .query_map([case_id], |r| {
            Ok(Response {
                id: r.get(0)?,
                answered_on: r.get(1)?,
                language: r.get(2)?,
                source: r.get(3)?,
                provider_name: r.get(4)?,
                scores: Vec::new(),
                comment: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut scores = conn.prepare_cached(
        "SELECT a.question_id, a.score FROM feedback_answer a
         JOIN feedback_question q ON q.id = a.question_id
         WHERE a.response_id = ?1 ORDER BY q.position, q.id",
    )?;
    for r in &mut list {
        r.scores = scores
            .query_map([r.id], |row| {
                Ok(Score {
                    question_id: row.get(0)?,
                    score: row.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
    }
    Ok(list)
}

/// The provider the family chose on the case (the newest choice), if any.
fn case_provider(conn: &Connection, case_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row_cached(
            "SELECT provider_id FROM provider_choice WHERE case_id = ?1 ORDER BY id DESC LIMIT 1",
            [case_id],
            |r| r.get::<_, Option<i64>>(0),
        )
        .optional()?
        .flatten())
}

fn parse_score(s: &str) -> Option<i64> {
    match s.trim() {
        "1" => Some(1),
        "2" => Some(2),
        "3" => Some(3),
        "4" => Some(4),
        "5" => Some(5),
        _ => None,
    }
}

/// Check a typed response; every field in error is named.
fn check_response(
    conn: &Connection,
    input: &ResponseInput,
    today: NaiveDate,
) -> Result<(NaiveDate, String, Vec<Score>)> {
    let mut errors = Vec::new();
    let date = crate::values::parse_date(&input.answered_on);
    match date {
        None => errors.push(crate::values::date_error("answeredOn", &input.answered_on)),
        Some(d) if d > today => errors.push(FieldError::new(
            "answeredOn",
            "future",
            "Vastamise kuupäev ei saa olla tulevikus.",
            "The date of the answers cannot be in the future.",
        )),
        _ => {}
    }
    let language = match input.language.as_str() {
        "" => "et".to_string(),
        l @ ("et" | "ru" | "en") => l.to_string(),
        _ => {
            errors.push(FieldError::new(
                "language",
                "invalid",
                "Keel peab olema eesti, vene või inglise.",
                "The language must be Estonian, Russian or English.",
            ));
            String::new()
        }
    };
    let known: HashMap<i64, Question> = questions(conn)?.into_iter().map(|q| (q.id, q)).collect();
    let mut scores = Vec::new();
    for s in &input.scores {
        if s.score.trim().is_empty() {
            continue;
        }
        if !known.contains_key(&s.question_id) {
            return Err(question_not_found(s.question_id));
        }
        match parse_score(&s.score) {
            Some(v) => scores.push(Score {
                question_id: s.question_id,
                score: v,
            }),
            None => errors.push(FieldError::new(
                format!("score.{}", s.question_id),
                "invalid_score",
                "Hinne on täisarv 1 kuni 5.",
                "A score is a whole number from 1 to 5.",
            )),
        }
    }
    if scores.is_empty() && input.comment.trim().is_empty() && errors.is_empty() {
        errors.push(FieldError::new(
            "scores",
            "empty",
            "Sisesta vähemalt üks hinne või kommentaar.",
            "Enter at least one score or a comment.",
        ));
    }
    if input.comment.chars().count() > 4000 {
        errors.push(FieldError::new(
            "comment",
            "too_long",
            "Kommentaar on liiga pikk (kuni 4000 märki).",
            "The comment is too long (at most 4000 characters).",
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    Ok((date.unwrap_or(today), language, scores))
}

#[allow(clippy::too_many_arguments)]
fn insert_response(
    tx: &Transaction,
    case_id: Option<i64>,
    provider_id: Option<i64>,
    answered_on: NaiveDate,
    language: &str,
    source: &str,
    external_id: Option<&str>,
    comment: &str,
    scores: &[Score],
    now: DateTime<Utc>,
) -> Result<i64> {
    tx.execute_cached(
        "INSERT INTO feedback_response (case_id, provider_id, answered_on, language, source,
            external_id, comment, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            case_id,
            provider_id,
            answered_on.to_string(),
            language,
            source,
            external_id,
            comment.trim(),
            ts(now)
        ],
    )?;
    let id = tx.last_insert_rowid();
    for s in scores {
        tx.execute_cached(
            "INSERT INTO feedback_answer (response_id, question_id, score) VALUES (?1, ?2, ?3)",
            params![id, s.question_id, s.score],
        )?;
    }
    Ok(id)
}

/// Record a family's answers on a case, linked to the provider the family chose.
pub fn add_response(
    tx: &Transaction,
    case_id: i64,
    input: &ResponseInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    let exists: bool = tx.query_row_cached(
        "SELECT EXISTS (SELECT 1 FROM srt_case WHERE id = ?1)",
        [case_id],
        |r| r.get(0),
    )?;
    if !exists {
        return Err(Error::CaseNotFound(case_id));
    }
    let (date, language, scores) = check_response(tx, input, today)?;
    let provider = case_provider(tx, case_id)?;
    insert_response(
        tx,
        Some(case_id),
        provider,
        date,
        &language,
        "manual",
        None,
        &input.comment,
        &scores,
        now,
    )
}

/// Remove a response typed in by mistake; returns its case.
pub fn delete_response(tx: &Transaction, id: i64) -> Result<Option<i64>> {
    let case_id: Option<Option<i64>> = tx
        .query_row_cached(
            "SELECT case_id FROM feedback_response WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(case_id) = case_id else {
        return Err(Error::ImportFile(Localized::new(
            format!("Tagasisidet {id} ei leitud."),
            format!("Feedback {id} was not found."),
        )));
    };
    tx.execute_cached("DELETE FROM feedback_response WHERE id = ?1", [id])?;
    Ok(case_id)
}

// ---------------------------------------------------------------------------------------------
// CSV import

/// One row of a survey tool's file as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportRow {
    /// The line in the file (the header is line 1).
    pub line: usize,
    pub external_id: String,
    pub answered_on: String,
    pub case_no: String,
    pub provider: String,
    pub scores: Vec<Score>,
    pub comment: String,
    /// new | duplicate (imported before: skipped) | error
    pub action: String,
    pub errors: Vec<Localized>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub rows: Vec<ImportRow>,
    /// The file's columns as understood: column name → what it was taken for.
    pub columns: Vec<(String, String)>,
    pub new: usize,
    pub duplicates: usize,
    pub errors: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    pub imported: usize,
    pub skipped: usize,
}

fn file_error(et: impl Into<String>, en: impl Into<String>) -> Error {
    Error::ImportFile(Localized::new(et, en))
}

/// What a column of the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,
    Date,
    Case,
    Child,
    Provider,
    Question(usize),
    Comment,
    Language,
    Ignored,
}

fn column_of(header: &str) -> Column {
    let h = header.trim().to_lowercase().replace([' ', '-'], "_");
    match h.as_str() {
        "id" | "external_id" | "response_id" | "vastuse_id" => Column::Id,
        "answered_on" | "answered" | "date" | "kuupäev" | "vastamise_kuupäev" => Column::Date,
        "case" | "case_no" | "case_number" | "juhtum" | "menetlus" => Column::Case,
        "child" | "child_code" | "personal_code" | "isikukood" | "lapse_isikukood" => Column::Child,
        "provider"
        | "registry_code"
        | "provider_registry_code"
        | "registrikood"
        | "teenuseosutaja" => Column::Provider,
        "comment" | "comments" | "kommentaar" => Column::Comment,
        "language" | "keel" => Column::Language,
        _ => h
            .strip_prefix('q')
            .or_else(|| h.strip_prefix("k"))
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n >= 1)
            .map(Column::Question)
            .unwrap_or(Column::Ignored),
    }
}

fn column_name(c: Column, questions: &[Question]) -> String {
    match c {
        Column::Id => "vastuse id / answer id".into(),
        Column::Date => "vastamise kuupäev / date".into(),
        Column::Case => "juhtumi number / case number".into(),
        Column::Child => "lapse isikukood / child's code".into(),
        Column::Provider => "teenuseosutaja registrikood / provider".into(),
        Column::Question(n) => questions
            .get(n - 1)
            .map(|q| format!("{n}. {}", q.text_et))
            .unwrap_or_else(|| format!("{n}. ? (küsimust pole / no such question)")),
        Column::Comment => "kommentaar / comment".into(),
        Column::Language => "keel / language".into(),
        Column::Ignored => "ei kasutata / not used".into(),
    }
}

const MAX_BYTES: u64 = 5 * 1024 * 1024;

/// Read the file (UTF-8, with or without a byte-order mark).
pub fn read_file(path: &std::path::Path) -> Result<String> {
    crate::files::read_file(path)
}

/// A checked row ready to store.
struct Ready {
    external_id: String,
    date: NaiveDate,
    case_id: Option<i64>,
    provider_id: Option<i64>,
    language: String,
    scores: Vec<Score>,
    comment: String,
}

fn check_file(
    conn: &Connection,
    text: &str,
    today: NaiveDate,
) -> Result<(ImportPreview, Vec<Ready>)> {
    if text.len() as u64 > MAX_BYTES {
        return Err(file_error(
            "Fail on liiga suur (kuni 5 MB).",
            "The file is too large (at most 5 MB).",
        ));
    }
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(crate::files::csv_delimiter(text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            file_error(
                format!("Faili päist ei saa lugeda: {e}"),
                format!("The file's header cannot be read: {e}"),
            )
        })?
        .clone();
    let asked = active_questions(conn)?;
    let cols: Vec<Column> = headers.iter().map(column_of).collect();
    if !cols.contains(&Column::Date) {
        return Err(file_error(
            "Failis pole vastamise kuupäeva veergu (answered_on või kuupäev).",
            "The file has no column for the date of the answers (answered_on or date).",
        ));
    }
    if !cols.contains(&Column::Case) && !cols.contains(&Column::Child) {
        return Err(file_error(
            "Failis pole juhtumi numbri ega lapse isikukoodi veergu (case_no või child_code).",
            "The file has no column for the case number or the child's code (case_no or child_code).",
        ));
    }
    if !cols.iter().any(|c| matches!(c, Column::Question(_))) {
        return Err(file_error(
            "Failis pole ühtki hinde veergu (q1, q2, …).",
            "The file has no score columns (q1, q2, …).",
        ));
    }
    let columns: Vec<(String, String)> = headers
        .iter()
        .zip(&cols)
        .map(|(h, c)| (h.to_string(), column_name(*c, &asked)))
        .collect();

    let mut case_by_no = conn.prepare_cached("SELECT id FROM srt_case WHERE case_no = ?1")?;
    let mut case_by_child = conn.prepare_cached(
        "SELECT c.id FROM srt_case c JOIN child ch ON ch.id = c.child_id
         WHERE ch.personal_code = ?1 ORDER BY c.application_date DESC, c.id DESC LIMIT 1",
    )?;
    let mut provider_by_code =
        conn.prepare_cached("SELECT id, name FROM provider WHERE registry_code = ?1")?;
    let mut seen_before = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM feedback_response WHERE source = 'csv' AND external_id = ?1)",
    )?;

    let mut rows = Vec::new();
    let mut ready = Vec::new();
    let mut in_file: HashMap<String, usize> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| {
            file_error(
                format!("Rida {line} ei saa lugeda: {e}"),
                format!("Line {line} cannot be read: {e}"),
            )
        })?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rows.len() >= 5000 {
            return Err(file_error(
                "Failis on üle 5000 vastuse; jaga see osadeks.",
                "The file has more than 5000 answers; split it.",
            ));
        }
        let mut errors = Vec::new();
        let mut row = ImportRow {
            line,
            external_id: String::new(),
            answered_on: String::new(),
            case_no: String::new(),
            provider: String::new(),
            scores: Vec::new(),
            comment: String::new(),
            action: String::new(),
            errors: Vec::new(),
        };
        let (mut case_id, mut provider_id, mut language) = (None, None, "et".to_string());
        let mut child = String::new();
        for (value, col) in record.iter().zip(&cols) {
            let v = value.trim();
            match col {
                Column::Id => row.external_id = v.to_string(),
                Column::Date => row.answered_on = v.to_string(),
                Column::Case => row.case_no = v.to_string(),
                Column::Child => child = v.to_string(),
                Column::Provider => row.provider = v.to_string(),
                Column::Comment => row.comment = v.to_string(),
                Column::Language => {
                    if !v.is_empty() {
                        language = v.to_lowercase();
                    }
                }
                Column::Question(n) => {
                    if v.is_empty() {
                        continue;
                    }
                    match (asked.get(n - 1), parse_score(v)) {
                        (None, _) => errors.push(Localized::new(
                            format!("Küsimust {n} ei küsita (küsimusi on {}).", asked.len()),
                            format!("There is no question {n} (there are {}).", asked.len()),
                        )),
                        (Some(_), None) => errors.push(Localized::new(
                            format!("Küsimuse {n} hinne „{v}” ei ole 1–5."),
                            format!("The score “{v}” of question {n} is not 1 to 5."),
                        )),
                        (Some(q), Some(s)) => row.scores.push(Score {
                            question_id: q.id,
                            score: s,
                        }),
                    }
                }
                Column::Ignored => {}
            }
        }
        let date = crate::values::parse_date(&row.answered_on);
        match date {
            None => {
                let m = crate::values::date_error("answered_on", &row.answered_on).message;
                errors.push(Localized::new(
                    format!("„{}”: {}", row.answered_on, m.et),
                    format!("“{}”: {}", row.answered_on, m.en),
                ));
            }
            Some(d) if d > today => errors.push(Localized::new(
                "Kuupäev on tulevikus.",
                "The date is in the future.",
            )),
            _ => {}
        }
        if !row.case_no.is_empty() {
            case_id = case_by_no
                .query_row([&row.case_no], |r| r.get::<_, i64>(0))
                .optional()?;
            if case_id.is_none() {
                errors.push(Localized::new(
                    format!("Juhtumit {} ei ole.", row.case_no),
                    format!("There is no case {}.", row.case_no),
                ));
            }
        } else if !child.is_empty() {
            case_id = case_by_child
                .query_row([&child], |r| r.get::<_, i64>(0))
                .optional()?;
            if case_id.is_none() {
                errors.push(Localized::new(
                    "Selle isikukoodiga lapsel pole juhtumit.",
                    "No case has a child with this personal code.",
                ));
            }
            if let Some(id) = case_id {
                row.case_no = conn.query_row_cached(
                    "SELECT case_no FROM srt_case WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )?;
            }
        } else {
            errors.push(Localized::new(
                "Juhtumi number või lapse isikukood puudub.",
                "The case number or the child's code is missing.",
            ));
        }
        if !row.provider.is_empty() {
            match provider_by_code
                .query_row([&row.provider], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })
                .optional()?
            {
                Some((id, name)) => {
                    provider_id = Some(id);
                    row.provider = name;
                }
                None => errors.push(Localized::new(
                    format!("Registrikoodiga {} teenuseosutajat ei ole.", row.provider),
                    format!("There is no provider with registry code {}.", row.provider),
                )),
            }
        } else if let Some(id) = case_id {
            provider_id = case_provider(conn, id)?;
        }
        if !matches!(language.as_str(), "et" | "ru" | "en") {
            errors.push(Localized::new(
                format!("Keel „{language}” ei ole et, ru ega en."),
                format!("The language “{language}” is not et, ru or en."),
            ));
        }
        if row.scores.is_empty() && row.comment.is_empty() && errors.is_empty() {
            errors.push(Localized::new(
                "Real pole ühtki hinnet ega kommentaari.",
                "The row has no score and no comment.",
            ));
        }
        // Without the survey's own id, the row's content is its identity.
        if row.external_id.is_empty() {
            let mut h = Sha256::new();
            for f in record.iter() {
                h.update(f.trim().as_bytes());
                h.update([0u8]);
            }
            row.external_id = format!("sha256:{}", &hex::encode(h.finalize())[..16]);
        }
        if let Some(other) = in_file.insert(row.external_id.clone(), line) {
            errors.push(Localized::new(
                format!("Sama vastus on failis ka real {other}."),
                format!("The same answer is also on line {other} of the file."),
            ));
        }
        row.action = if !errors.is_empty() {
            "error".into()
        } else if seen_before.query_row([&row.external_id], |r| r.get::<_, bool>(0))? {
            "duplicate".into()
        } else {
            "new".into()
        };
        if row.action == "new" {
            if let Some(d) = date {
                ready.push(Ready {
                    external_id: row.external_id.clone(),
                    date: d,
                    case_id,
                    provider_id,
                    language: language.clone(),
                    scores: row.scores.clone(),
                    comment: row.comment.clone(),
                });
            }
        }
        row.errors = errors;
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(file_error(
            "Failis pole ühtki vastust.",
            "The file has no answers.",
        ));
    }
    let count = |a: &str| rows.iter().filter(|r| r.action == a).count();
    let preview = ImportPreview {
        new: count("new"),
        duplicates: count("duplicate"),
        errors: count("error"),
        rows,
        columns,
    };
    Ok((preview, ready))
}

/// Every row of the file checked, nothing stored.
pub fn preview_text(conn: &Connection, text: &str, today: NaiveDate) -> Result<ImportPreview> {
    Ok(check_file(conn, text, today)?.0)
}

/// Store the new rows of the file, or nothing when any row is in error.
pub fn import_text(
    tx: &Transaction,
    text: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<ImportSummary> {
    let (preview, ready) = check_file(tx, text, today)?;
    if preview.errors > 0 {
        let first = preview
            .rows
            .iter()
            .find(|r| r.action == "error")
            .map(|r| (r.line, r.errors.first().cloned()))
            .unwrap_or((0, None));
        let why = first.1.unwrap_or_else(|| Localized::new("", ""));
        return Err(file_error(
            format!(
                "Midagi ei imporditud: {} rida on vigased (esimene rida {}: {}). Paranda need ja impordi kogu fail uuesti.",
                preview.errors, first.0, why.et
            ),
            format!(
                "Nothing was imported: {} rows are in error (first, line {}: {}). Fix them and import the whole file again.",
                preview.errors, first.0, why.en
            ),
        ));
    }
    for r in &ready {
        insert_response(
            tx,
            r.case_id,
            r.provider_id,
            r.date,
            &r.language,
            "csv",
            Some(&r.external_id),
            &r.comment,
            &r.scores,
            now,
        )?;
    }
    Ok(ImportSummary {
        imported: ready.len(),
        skipped: preview.duplicates,
    })
}

// ---------------------------------------------------------------------------------------------
// The questionnaire for the family: PDF and e-mail text

struct Words {
    title: &'static str,
    intro: &'static str,
    scale: &'static str,
    comment: &'static str,
    case: &'static str,
    thanks: &'static str,
    subject: &'static str,
    greeting: &'static str,
    reply: &'static str,
}

fn words(lang: &str) -> Words {
    match lang {
        "ru" => Words {
            title: "Отзыв о социальной реабилитации ребёнка",
            intro: "Просим оценить услугу социальной реабилитации, которую получил ваш ребёнок. Ваши ответы помогают Департаменту социального страхования улучшать услугу.",
            scale: "Оценка: 1 – совсем не доволен(льна), 5 – очень доволен(льна).",
            comment: "Что бы вы хотели добавить?",
            case: "Номер дела",
            thanks: "Спасибо!",
            subject: "Отзыв о социальной реабилитации ребёнка",
            greeting: "Здравствуйте!",
            reply: "Пожалуйста, ответьте на это письмо, указав оценку от 1 до 5 для каждого вопроса:",
        },
        "en" => Words {
            title: "Feedback on your child's social rehabilitation",
            intro: "Please rate the social rehabilitation service your child received. Your answers help the Social Insurance Board improve the service.",
            scale: "Score: 1 – not at all satisfied, 5 – very satisfied.",
            comment: "Is there anything you would like to add?",
            case: "Case number",
            thanks: "Thank you!",
            subject: "Feedback on your child's social rehabilitation",
            greeting: "Hello,",
            reply: "Please reply to this e-mail with a score from 1 to 5 for each question:",
        },
        _ => Words {
            title: "Tagasiside lapse sotsiaalse rehabilitatsiooni teenusele",
            intro: "Palun hinnake sotsiaalse rehabilitatsiooni teenust, mida Teie laps sai. Teie vastused aitavad Sotsiaalkindlustusametil teenust paremaks muuta.",
            scale: "Hinne: 1 – üldse ei ole rahul, 5 – väga rahul.",
            comment: "Mida soovite lisada?",
            case: "Juhtumi number",
            thanks: "Aitäh!",
            subject: "Tagasiside lapse sotsiaalse rehabilitatsiooni teenusele",
            greeting: "Tere!",
            reply: "Palun vastake sellele kirjale ja kirjutage iga küsimuse juurde hinne 1 kuni 5:",
        },
    }
}

fn check_lang(lang: &str) -> Result<&str> {
    match lang {
        "et" | "ru" | "en" => Ok(lang),
        _ => Err(Error::field(
            "language",
            "invalid",
            "Keel peab olema eesti, vene või inglise.",
            "The language must be Estonian, Russian or English.",
        )),
    }
}

/// The printable questionnaire in one language; `case_no` is printed when known.
pub fn questionnaire(questions: &[Question], lang: &str, case_no: &str) -> Result<PdfDocument> {
    let lang = check_lang(lang)?;
    let w = words(lang);
    let mut doc = PdfDocument::new(w.title);
    doc.page_label = match lang {
        "ru" => |p, n| format!("стр. {p} / {n}"),
        "en" => |p, n| format!("page {p} / {n}"),
        _ => doc.page_label,
    };
    doc.push(Block::heading(w.title, 1));
    if !case_no.is_empty() {
        doc.push(Block::small(format!("{}: {case_no}", w.case)));
    }
    doc.push(Block::text(w.intro));
    doc.push(Block::spans(vec![Span::italic(w.scale)]));
    doc.push(Block::Space(0.5));
    doc.push(Block::Table(Table {
        widths: vec![7, 1, 1, 1, 1, 1],
        align: vec![
            Align::Left,
            Align::Center,
            Align::Center,
            Align::Center,
            Align::Center,
            Align::Center,
        ],
        header: vec![
            String::new(),
            "1".into(),
            "2".into(),
            "3".into(),
            "4".into(),
            "5".into(),
        ],
        rows: questions
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let mut r = vec![format!("{}. {}", i + 1, q.text(lang))];
                r.extend(std::iter::repeat_n("[   ]".to_string(), 5));
                r
            })
            .collect(),
        footer: vec![],
        font_size: 10,
    }));
    doc.push(Block::Space(1.0));
    doc.push(Block::spans(vec![Span::bold(w.comment)]));
    doc.push(Block::Framed(vec![Block::text("\n\n\n\n\n\n\n\n")]));
    doc.push(Block::Space(1.0));
    doc.push(Block::text(w.thanks));
    Ok(doc)
}

/// An e-mail to the family with the questions, to copy into the mail program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailText {
    pub language: String,
    pub to: String,
    pub subject: String,
    pub body: String,
}

pub fn email_text(
    questions: &[Question],
    lang: &str,
    case_no: &str,
    to: &str,
) -> Result<EmailText> {
    let lang = check_lang(lang)?;
    let w = words(lang);
    let mut body = format!(
        "{}\n\n{}\n\n{}\n{}\n\n",
        w.greeting, w.intro, w.reply, w.scale
    );
    for (i, q) in questions.iter().enumerate() {
        body.push_str(&format!("{}. {} – \n", i + 1, q.text(lang)));
    }
    body.push_str(&format!("\n{}\n\n\n{}\n", w.comment, w.thanks));
    Ok(EmailText {
        language: lang.into(),
        to: to.into(),
        subject: format!("{} ({} {case_no})", w.subject, w.case),
        body,
    })
}

/// The language and e-mail of the case's first guardian (Estonian when none).
pub fn guardian_contact(conn: &Connection, case_id: i64) -> Result<(String, String, String)> {
    let case_no: String = conn
        .query_row_cached(
            "SELECT case_no FROM srt_case WHERE id = ?1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(Error::CaseNotFound(case_id))?;
    let g: Option<(String, String)> = conn
        .query_row_cached(
            "SELECT language, email FROM guardian WHERE case_id = ?1 ORDER BY position LIMIT 1",
            [case_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (lang, email) = g.unwrap_or_else(|| ("et".into(), String::new()));
    Ok((case_no, lang, email))
}

/// The feedback section at the end of the provider report: the same figures as the
/// statistics filtered to the provider over all years.
pub fn report_section(f: &FeedbackFigures) -> Vec<Block> {
    let mut out = vec![Block::heading("Perede tagasiside", 3)];
    if f.responses == 0 {
        out.push(Block::text("Tagasisidet ei ole veel."));
        return out;
    }
    out.push(Block::text(format!("Vastuseid: {}", f.responses)));
    out.push(Block::Table(crate::stats::question_table(f)));
    if !f.comments.is_empty() {
        out.push(Block::spans(vec![Span::bold("Viimased kommentaarid")]));
        out.push(Block::Bullets(
            f.comments
                .iter()
                .take(8)
                .map(|c| format!("{}: {}", dmy(c.answered_on), c.comment))
                .collect(),
        ));
    }
    out
}

/// The tables of this part that hold rows of one case (a `case_id` column).
pub(crate) const CASE_TABLES: &[&str] = &["feedback_response"];

/// Retention: delete the case's rows this part owns — the families' answers of the case. Called by
/// `trust::privacy::delete_due` in its transaction, the parts above first.
pub(crate) fn delete_case_rows(
    conn: &rusqlite::Connection,
    case_id: i64,
) -> crate::error::Result<()> {
    crate::store::delete_case_rows(conn, CASE_TABLES, case_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::fixture;

    fn now() -> DateTime<Utc> {
        "2026-04-15T10:00:00Z".parse().expect("ts")
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, 15).expect("date")
    }

    fn count(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM feedback_response", [], |r| r.get(0))
            .expect("count")
    }

    #[test]
    fn a_csv_from_a_survey_tool_imports_once_and_maps_case_child_and_provider() {
        let mut conn = fixture::march_2026();
        let before = count(&conn);
        let file = "id;answered_on;case_no;child_code;provider;q1;q2;q3;comment\n\
                    s-1;05.04.2026;SRT-2026-0001;;10000002;5;5;4;Suurepärane\n\
                    s-2;2026-04-06;;61303150003;;2;;3;\n";
        let p = preview_text(&conn, file, today()).expect("preview");
        assert_eq!((p.new, p.duplicates, p.errors), (2, 0, 0), "{p:?}");
        assert_eq!(
            p.rows[1].case_no, "SRT-2026-0003",
            "found by the child's code"
        );
        assert_eq!(p.rows[0].provider, "Beeta Keskus MTÜ");
        assert_eq!(p.rows[0].scores.len(), 3);
        let tx = conn.transaction().expect("tx");
        let done = import_text(&tx, file, today(), now()).expect("import");
        tx.commit().expect("commit");
        assert_eq!((done.imported, done.skipped), (2, 0));
        assert_eq!(count(&conn), before + 2);
        let provider: Option<i64> = conn
            .query_row(
                "SELECT provider_id FROM feedback_response WHERE external_id = 's-2'",
                [],
                |r| r.get(0),
            )
            .expect("row");
        assert_eq!(
            provider,
            Some(2),
            "no provider column value: the case's chosen provider"
        );

        let again = preview_text(&conn, file, today()).expect("preview");
        assert_eq!((again.new, again.duplicates), (0, 2));
        let tx = conn.transaction().expect("tx");
        let done = import_text(&tx, file, today(), now()).expect("re-import");
        tx.commit().expect("commit");
        assert_eq!(
            (done.imported, done.skipped),
            (0, 2),
            "a second import adds nothing"
        );
        assert_eq!(count(&conn), before + 2);
    }

    #[test]
    fn without_an_id_column_the_rows_content_makes_the_reimport_add_nothing() {
        let mut conn = fixture::march_2026();
        let file = "kuupäev,juhtum,q1,q2,kommentaar\n01.04.2026,SRT-2026-0005,4,4,Aitäh\n";
        for expected in [1, 0] {
            let tx = conn.transaction().expect("tx");
            let done = import_text(&tx, file, today(), now()).expect("import");
            tx.commit().expect("commit");
            assert_eq!(done.imported, expected);
        }
    }

    #[test]
    fn a_file_with_one_bad_row_imports_nothing_and_every_error_is_said() {
        let mut conn = fixture::march_2026();
        let before = count(&conn);
        let file = "id;answered_on;case_no;provider;q1;q2;q9;comment\n\
                    a;01.04.2026;SRT-2026-0001;;5;4;;ok\n\
                    b;31.04.2026;SRT-2026-0001;;5;;;\n\
                    c;01.04.2026;SRT-9999-0001;;5;;;\n\
                    d;01.04.2026;SRT-2026-0001;99999999;6;;;\n\
                    e;01.05.2026;SRT-2026-0001;;;;3;\n\
                    a;02.04.2026;SRT-2026-0001;;1;;;\n";
        let p = preview_text(&conn, file, today()).expect("preview");
        assert_eq!(p.errors, 5, "{:#?}", p.rows);
        let en = |line: usize| -> String {
            p.rows
                .iter()
                .find(|r| r.line == line)
                .map(|r| {
                    r.errors
                        .iter()
                        .map(|e| e.en.clone())
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .unwrap_or_default()
        };
        assert!(
            en(3).contains("“31.04.2026”: There is no such date"),
            "{}",
            en(3)
        );
        assert!(
            en(4).contains("There is no case SRT-9999-0001"),
            "{}",
            en(4)
        );
        assert!(en(5).contains("registry code 99999999"), "{}", en(5));
        assert!(
            en(5).contains("“6” of question 1 is not 1 to 5"),
            "{}",
            en(5)
        );
        assert!(en(6).contains("no question 9"), "{}", en(6));
        assert!(en(6).contains("in the future"), "{}", en(6));
        assert!(en(7).contains("also on line 2"), "{}", en(7));
        let tx = conn.transaction().expect("tx");
        match import_text(&tx, file, today(), now()) {
            Err(Error::ImportFile(m)) => assert!(m.et.starts_with("Midagi ei imporditud: 5 rida")),
            other => panic!("expected a refusal, got {other:?}"),
        }
        drop(tx);
        assert_eq!(count(&conn), before, "all or nothing");
    }

    #[test]
    fn a_file_without_the_needed_columns_is_refused_with_the_column_named() {
        let conn = fixture::march_2026();
        for (file, word) in [
            ("case_no;q1\nSRT-2026-0001;5\n", "date"),
            ("date;q1\n01.04.2026;5\n", "case number"),
            (
                "date;case_no;comment\n01.04.2026;SRT-2026-0001;x\n",
                "score columns",
            ),
        ] {
            match preview_text(&conn, file, today()) {
                Err(Error::ImportFile(m)) => assert!(m.en.contains(word), "{}", m.en),
                other => panic!("expected a file error, got {other:?}"),
            }
        }
    }

    #[test]
    fn answers_typed_on_a_case_are_checked_and_linked_to_the_chosen_provider() {
        let mut conn = fixture::march_2026();
        let tx = conn.transaction().expect("tx");
        let bad = ResponseInput {
            answered_on: "16.04.2026".into(),
            language: "et".into(),
            scores: vec![ScoreInput {
                question_id: 1,
                score: "7".into(),
            }],
            comment: String::new(),
        };
        match add_response(&tx, 3, &bad, today(), now()) {
            Err(Error::Validation(f)) => {
                let fields: Vec<&str> = f.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["answeredOn", "score.1"]);
            }
            other => panic!("{other:?}"),
        }
        let good = ResponseInput {
            answered_on: "14.04.2026".into(),
            scores: vec![
                ScoreInput {
                    question_id: 1,
                    score: "4".into(),
                },
                ScoreInput {
                    question_id: 2,
                    score: String::new(),
                },
            ],
            comment: "Hea".into(),
            ..bad
        };
        add_response(&tx, 3, &good, today(), now()).expect("saved");
        tx.commit().expect("commit");
        let list = case_responses(&conn, 3).expect("list");
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].provider_name.as_deref(), Some("Beeta Keskus MTÜ"));
        assert_eq!(
            list[0].scores,
            vec![Score {
                question_id: 1,
                score: 4
            }]
        );
    }

    #[test]
    fn a_retired_question_is_not_asked_but_keeps_its_answers() {
        let mut conn = fixture::march_2026();
        let tx = conn.transaction().expect("tx");
        set_question_active(&tx, 2, false, now()).expect("retire");
        let id = save_question(
            &tx,
            None,
            &QuestionInput {
                text_et: "Kas soovitaksite teenust teistele?".into(),
                text_ru: "Порекомендовали бы вы услугу другим?".into(),
                text_en: "Would you recommend the service to others?".into(),
            },
            now(),
        )
        .expect("new question");
        match save_question(&tx, Some(id), &QuestionInput::default(), now()) {
            Err(Error::Validation(f)) => assert_eq!(f.len(), 3),
            other => panic!("{other:?}"),
        }
        tx.commit().expect("commit");
        let asked = active_questions(&conn).expect("asked");
        assert_eq!(asked.len(), 5);
        assert!(asked.iter().all(|q| q.id != 2));
        assert_eq!(asked.last().map(|q| q.id), Some(id));
        let all = questions(&conn).expect("all");
        assert_eq!(all.last().map(|q| (q.id, q.active)), Some((2, false)));
        let answers: i64 = conn
            .query_row(
                "SELECT count(*) FROM feedback_answer WHERE question_id = 2",
                [],
                |r| r.get(0),
            )
            .expect("answers");
        assert_eq!(answers, 2, "the old answers stay");
        let email = email_text(&asked, "ru", "SRT-2026-0001", "ema@example.ee").expect("email");
        assert!(email.body.contains("Порекомендовали бы вы услугу другим?"));
        assert!(
            !email.body.contains("Насколько услуга помогла"),
            "retired: not asked"
        );
    }

    #[test]
    fn the_questionnaire_pdf_is_in_the_familys_language() {
        let conn = fixture::march_2026();
        let asked = active_questions(&conn).expect("asked");
        for (lang, want) in [
            ("et", "Kui rahul olete teenusega tervikuna?"),
            ("ru", "Насколько вы довольны услугой в целом?"),
            ("en", "How satisfied are you with the service overall?"),
        ] {
            let pdf =
                crate::pdf::render(&questionnaire(&asked, lang, "SRT-2026-0001").expect("doc"))
                    .expect("pdf");
            let text = crate::pdf::tests::pdftotext(&pdf);
            assert!(text.contains(want), "{lang}: {text}");
            assert!(text.contains("SRT-2026-0001"));
        }
        assert!(questionnaire(&asked, "de", "").is_err());
    }
}
