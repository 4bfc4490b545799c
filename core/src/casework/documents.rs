//! The documents register of a case: incoming and outgoing documents with type, date,
//! registration number, party, due date and status, and their attachments stored inside the
//! encrypted database. Owns document, attachment.

use crate::clock::ts;
use crate::store::cached::CachedSql;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, FieldError, Result};

/// The largest attachment accepted.
pub const MAX_ATTACHMENT_BYTES: u64 = 25 * 1024 * 1024;

pub const DOC_TYPES: [&str; 9] = [
    "application",
    "kov_assessment",
    "case_plan",
    "medical",
    "missing_request",
    "decision",
    "letter",
    "provider_report",
    "other",
];

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentInfo {
    pub id: i64,
    pub file_name: String,
    pub mime: String,
    pub size: i64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub id: i64,
    pub case_id: i64,
    pub direction: String,
    pub doc_type: String,
    pub title: String,
    pub doc_date: NaiveDate,
    pub reg_no: String,
    pub party: String,
    pub due_date: Option<NaiveDate>,
    pub status: String,
    pub notes: String,
    pub attachments: Vec<AttachmentInfo>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DocumentInput {
    pub direction: String,
    pub doc_type: String,
    pub title: String,
    pub doc_date: String,
    pub reg_no: String,
    pub party: String,
    pub due_date: String,
    pub notes: String,
}

/// Check a document's fields against the case; returns (doc_date, due_date).
pub fn validate(
    input: &DocumentInput,
    application_date: NaiveDate,
    today: NaiveDate,
) -> Result<(NaiveDate, Option<NaiveDate>)> {
    let mut errors = Vec::new();
    let mut err =
        |f: &str, code: &str, et: &str, en: &str| errors.push(FieldError::new(f, code, et, en));
    if !["in", "out"].contains(&input.direction.as_str()) {
        err(
            "direction",
            "invalid_choice",
            "Vali, kas dokument on sissetulev või väljaminev.",
            "Choose incoming or outgoing.",
        );
    }
    if !DOC_TYPES.contains(&input.doc_type.as_str()) {
        err(
            "docType",
            "invalid_choice",
            "Vali dokumendi liik.",
            "Choose the document type.",
        );
    }
    if input.title.trim().is_empty() {
        err(
            "title",
            "required",
            "Kohustuslik väli.",
            "This field is required.",
        );
    } else if input.title.chars().count() > 300 {
        err(
            "title",
            "too_long",
            "Pealkiri on liiga pikk (kuni 300 märki).",
            "The title is too long (at most 300 characters).",
        );
    }
    let doc_date = crate::values::parse_date(&input.doc_date);
    match doc_date {
        None => {
            let e = crate::values::date_error("docDate", &input.doc_date);
            err(&e.field, &e.code, &e.message.et, &e.message.en)
        }
        Some(d) if d > today => err(
            "docDate",
            "date.future",
            "Dokumendi kuupäev ei saa olla tulevikus.",
            "The document date cannot be in the future.",
        ),
        Some(d) if d < application_date - chrono::Duration::days(366) => err(
            "docDate",
            "date.too_early",
            "Dokumendi kuupäev on üle aasta enne taotlust: kontrolli aastat.",
            "The document date is over a year before the application: check the year.",
        ),
        _ => {}
    }
    let due = if input.due_date.trim().is_empty() {
        None
    } else {
        match crate::values::parse_date(&input.due_date) {
            None => {
                let e = crate::values::date_error("dueDate", &input.due_date);
                err(&e.field, &e.code, &e.message.et, &e.message.en);
                None
            }
            Some(d) if doc_date.is_some_and(|dd| d < dd) => {
                err(
                    "dueDate",
                    "date.before_document",
                    "Tähtaeg ei saa olla enne dokumendi kuupäeva.",
                    "The due date cannot be before the document date.",
                );
                None
            }
            Some(d) => Some(d),
        }
    };
    match (doc_date, errors.is_empty()) {
        (Some(d), true) => Ok((d, due)),
        _ => Err(Error::Validation(errors)),
    }
}

/// The next registration number of a case's document: "<case no>/<n>".
fn next_reg_no(conn: &Connection, case_id: i64) -> Result<String> {
    let (case_no, n): (String, i64) = conn.prepare_cached("SELECT c.case_no, (SELECT count(*) FROM document d WHERE d.case_id = c.id) FROM srt_case c WHERE c.id = ?1")?.query_row(
        [case_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(format!("{case_no}/{}", n + 1))
}

/// Add a checked document; an empty registration number is assigned.
pub fn insert(
    conn: &Connection,
    case_id: i64,
    input: &DocumentInput,
    doc_date: NaiveDate,
    due: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let id = insert_unindexed(conn, case_id, input, doc_date, due, now)?;
    crate::cases::search::index_document(conn, id)?;
    Ok(id)
}

/// [`insert`] without the search row, for a bulk load that indexes what it added at its end
/// ([`crate::cases::search::insert_document_rows`]).
pub(crate) fn insert_unindexed(
    conn: &Connection,
    case_id: i64,
    input: &DocumentInput,
    doc_date: NaiveDate,
    due: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let reg_no = if input.reg_no.trim().is_empty() {
        next_reg_no(conn, case_id)?
    } else {
        input.reg_no.trim().to_string()
    };
    let now_s = ts(now);
    conn.prepare_cached("INSERT INTO document (case_id, direction, doc_type, title, doc_date, reg_no, party, due_date,
         status, notes, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', ?9, ?10, ?10)")?.execute(
        params![
            case_id,
            input.direction,
            input.doc_type,
            input.title.trim(),
            doc_date.to_string(),
            reg_no,
            input.party.trim(),
            due.map(|d| d.to_string()),
            input.notes.trim(),
            now_s
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn set_status(conn: &Connection, id: i64, status: &str, now: DateTime<Utc>) -> Result<()> {
    if !["open", "done"].contains(&status) {
        return Err(Error::field(
            "status",
            "invalid_choice",
            "Vali loetelust.",
            "Choose from the list.",
        ));
    }
    let n = conn
        .prepare_cached("UPDATE document SET status = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, status, ts(now)])?;
    if n == 0 {
        return Err(Error::DocumentNotFound(id));
    }
    Ok(())
}

pub fn case_of(conn: &Connection, id: i64) -> Result<i64> {
    conn.prepare_cached("SELECT case_id FROM document WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or(Error::DocumentNotFound(id))
}

fn attachments(conn: &Connection, document_id: i64) -> Result<Vec<AttachmentInfo>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, file_name, mime, size FROM attachment WHERE document_id = ?1 ORDER BY id",
    )?;
    let list = stmt
        .query_map([document_id], |r| {
            Ok(AttachmentInfo {
                id: r.get(0)?,
                file_name: r.get(1)?,
                mime: r.get(2)?,
                size: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

const COLUMNS: &str =
    "id, case_id, direction, doc_type, title, doc_date, reg_no, party, due_date, status, notes";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Document> {
    Ok(Document {
        id: r.get(0)?,
        case_id: r.get(1)?,
        direction: r.get(2)?,
        doc_type: r.get(3)?,
        title: r.get(4)?,
        doc_date: r.get(5)?,
        reg_no: r.get(6)?,
        party: r.get(7)?,
        due_date: r.get(8)?,
        status: r.get(9)?,
        notes: r.get(10)?,
        attachments: Vec::new(),
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Document> {
    let mut doc = conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM document WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?
        .ok_or(Error::DocumentNotFound(id))?;
    doc.attachments = attachments(conn, id)?;
    Ok(doc)
}

/// A case's documents, newest first.
pub fn list(conn: &Connection, case_id: i64) -> Result<Vec<Document>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM document WHERE case_id = ?1 ORDER BY doc_date DESC, id DESC"
    ))?;
    let mut docs = stmt
        .query_map([case_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for d in &mut docs {
        d.attachments = attachments(conn, d.id)?;
    }
    Ok(docs)
}

/// The open request for missing documents of a case, if any: (id, due date).
pub fn open_missing_request(
    conn: &Connection,
    case_id: i64,
) -> Result<Option<(i64, Option<NaiveDate>)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, due_date FROM document WHERE case_id = ?1 AND doc_type = 'missing_request'
             AND status = 'open' ORDER BY id DESC LIMIT 1",
        )?
        .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// The file types accepted, with the bytes their files start with.
fn sniff(ext: &str, head: &[u8]) -> Option<Result<&'static str, ()>> {
    let zip = head.starts_with(b"PK\x03\x04");
    let (mime, ok) = match ext {
        "pdf" => ("application/pdf", head.starts_with(b"%PDF-")),
        "png" => ("image/png", head.starts_with(b"\x89PNG\r\n\x1a\n")),
        "jpg" | "jpeg" => ("image/jpeg", head.starts_with(b"\xFF\xD8\xFF")),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            zip,
        ),
        "odt" => ("application/vnd.oasis.opendocument.text", zip),
        _ => return None,
    };
    Some(if ok { Ok(mime) } else { Err(()) })
}

/// Check a file before it is read into the database: size, type, and that its content is what
/// its extension says. Returns the MIME type.
pub fn check_file(name: &str, size: u64, head: &[u8]) -> Result<&'static str> {
    let ext = std::path::Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let mime = match sniff(&ext, head) {
        None => return Err(Error::AttachmentUnsupported(ext)),
        Some(Err(())) => {
            return Err(Error::AttachmentTypeMismatch {
                name: name.to_string(),
                ext,
            })
        }
        Some(Ok(m)) => m,
    };
    if size > MAX_ATTACHMENT_BYTES {
        return Err(Error::AttachmentTooLarge {
            size_mb: format!("{:.1}", size as f64 / (1024.0 * 1024.0)),
            limit_mb: MAX_ATTACHMENT_BYTES / (1024 * 1024),
        });
    }
    Ok(mime)
}

/// Store a file as an attachment of a document, all or nothing.
pub fn attach(
    conn: &Connection,
    document_id: i64,
    file_name: &str,
    mime: &str,
    content: &[u8],
    now: DateTime<Utc>,
) -> Result<i64> {
    case_of(conn, document_id)?;
    let sha = hex::encode(Sha256::digest(content));
    conn.prepare_cached("INSERT INTO attachment (document_id, file_name, mime, size, sha256, content, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)")?.execute(
        params![document_id, file_name, mime, content.len() as i64, sha, content, ts(now)],
    )?;
    Ok(conn.last_insert_rowid())
}

/// An attachment's name and bytes.
pub fn attachment_content(conn: &Connection, id: i64) -> Result<(String, i64, Vec<u8>)> {
    conn.prepare_cached("SELECT a.file_name, d.case_id, a.content FROM attachment a JOIN document d ON d.id = a.document_id
         WHERE a.id = ?1")?.query_row(
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()?
    .ok_or(Error::AttachmentNotFound(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_checked_by_content_not_only_by_name() {
        assert_eq!(
            check_file("a.pdf", 10, b"%PDF-1.7 ...").ok(),
            Some("application/pdf")
        );
        assert_eq!(
            check_file("scan.JPG", 10, b"\xFF\xD8\xFF\xE0").ok(),
            Some("image/jpeg")
        );
        assert_eq!(
            check_file("x.pdf", 10, b"MZ\x90\x00").map_err(|e| e.code()),
            Err("attachment.type_mismatch")
        );
        assert_eq!(
            check_file("x.exe", 10, b"MZ").map_err(|e| e.code()),
            Err("attachment.unsupported_type")
        );
        assert_eq!(
            check_file("noext", 10, b"%PDF-").map_err(|e| e.code()),
            Err("attachment.unsupported_type")
        );
        assert_eq!(
            check_file("big.pdf", MAX_ATTACHMENT_BYTES + 1, b"%PDF-").map_err(|e| e.code()),
            Err("attachment.too_large")
        );
        assert!(
            check_file("edge.pdf", MAX_ATTACHMENT_BYTES, b"%PDF-").is_ok(),
            "exactly 25 MB is allowed"
        );
    }
}
