//! Data protection: retention (closed cases older than the configured number of years are listed
//! and, on confirmation, deleted with everything that hangs on them) and a person's data export
//! (everything about one child, or one guardian, as JSON).
//!
//! Retention asks each part to delete its own rows of a case (`delete_case_rows` in each part;
//! core/tests/demo.rs checks that no table with a `case_id` keeps a row of a deleted case). The
//! export reads every table that has a `case_id` column, so tables added later are in it.

use chrono::{Datelike, NaiveDate};
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};

const RETENTION_KEY: &str = "retention.years";
pub const DEFAULT_RETENTION_YEARS: u32 = 10;
pub const MAX_RETENTION_YEARS: u32 = 75;

pub fn retention_years(conn: &Connection) -> Result<u32> {
    Ok(crate::store::meta::get(conn, RETENTION_KEY)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_RETENTION_YEARS))
}

pub fn set_retention_years(conn: &Connection, years: i64, now: &str) -> Result<u32> {
    let years = u32::try_from(years)
        .ok()
        .filter(|y| (1..=MAX_RETENTION_YEARS).contains(y))
        .ok_or_else(|| {
            Error::field(
                "years",
                "retention.years_range",
                &format!("Säilitustähtaeg peab olema 1 kuni {MAX_RETENTION_YEARS} aastat."),
                &format!("The retention period must be 1 to {MAX_RETENTION_YEARS} years."),
            )
        })?;
    crate::store::meta::set(conn, RETENTION_KEY, &years.to_string(), now)?;
    Ok(years)
}

/// A closed case whose retention period has passed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RetentionCandidate {
    pub case_id: i64,
    pub case_no: String,
    pub child_name: String,
    pub closed_on: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetentionList {
    pub years: u32,
    /// Cases closed on or before this day are due.
    pub closed_before: String,
    pub cases: Vec<RetentionCandidate>,
}

fn cutoff(today: NaiveDate, years: u32) -> NaiveDate {
    let year = today.year() - i32::try_from(years).unwrap_or(0);
    NaiveDate::from_ymd_opt(year, today.month(), today.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, today.month(), 28))
        .unwrap_or(today)
}

pub fn candidates(conn: &Connection, today: NaiveDate) -> Result<RetentionList> {
    let years = retention_years(conn)?;
    let limit = cutoff(today, years);
    let mut stmt = conn.prepare(
        "SELECT c.id, c.case_no, ch.first_name || ' ' || ch.last_name,
                (SELECT max(substr(s.changed_at, 1, 10)) FROM case_status_change s
                  WHERE s.case_id = c.id AND +s.to_status = 'closed') AS closed_on
         FROM srt_case c JOIN child ch ON ch.id = c.child_id
         WHERE c.status = 'closed' AND closed_on IS NOT NULL AND closed_on <= ?1
         ORDER BY closed_on, c.id",
    )?;
    let cases = stmt
        .query_map([limit.to_string()], |r| {
            Ok(RetentionCandidate {
                case_id: r.get(0)?,
                case_no: r.get(1)?,
                child_name: r.get(2)?,
                closed_on: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(RetentionList {
        years,
        closed_before: limit.to_string(),
        cases,
    })
}

/// The tables that hold rows of a case (a `case_id` column), except the search indexes.
fn case_tables(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT m.name FROM sqlite_master m
         WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%'
           AND m.name NOT LIKE '%search%' AND m.name NOT LIKE 'sqlite_%'
           AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = 'case_id')
         ORDER BY m.name",
    )?;
    let names = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(names)
}

/// Delete the given cases, each of which must still be due: each part deletes its rows of the
/// case (attachments through their documents), then the case with its search entries, and the
/// child when no other case refers to it. Returns the case numbers deleted. Call in a transaction.
pub fn delete_due(conn: &Connection, ids: &[i64], today: NaiveDate) -> Result<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Err(Error::field(
            "cases",
            "retention.none_selected",
            "Vali vähemalt üks juhtum.",
            "Choose at least one case.",
        ));
    }
    let due = candidates(conn, today)?;
    let mut deleted = Vec::new();
    for id in ids {
        let Some(c) = due.cases.iter().find(|c| c.case_id == *id) else {
            return Err(Error::field(
                "cases",
                "retention.not_due",
                &format!("Juhtumi {id} säilitustähtaeg ei ole möödas; seda ei kustutata."),
                &format!("Case {id} is not past its retention period; it is not deleted."),
            ));
        };
        // Each part deletes its own rows of the case, from the top floor down, then the case
        // and the child; the derived rows last, since every delete before marks the case for
        // recomputing (stored deadlines, the statistics' row).
        crate::feedback::delete_case_rows(conn, *id)?;
        crate::providers::delete_case_rows(conn, *id)?;
        crate::money::delete_case_rows(conn, *id)?;
        crate::decisions::delete_case_rows(conn, *id)?;
        crate::work::delete_case_rows(conn, *id)?;
        crate::meetings::delete_case_rows(conn, *id)?;
        crate::casework::delete_case_rows(conn, *id)?;
        crate::cases::delete_case_rows(conn, *id)?;
        crate::deadlines::delete_case_rows(conn, *id)?;
        crate::stats::delete_case_rows(conn, *id)?;
        deleted.push((*id, c.case_no.clone()));
    }
    Ok(deleted)
}

// --- A person's data export ---

fn value_of(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).to_string()),
        // File contents are not put into JSON; their size says they exist.
        ValueRef::Blob(b) => serde_json::json!({ "bytes": b.len() }),
    }
}

fn rows_json(conn: &Connection, sql: &str, params: &[&dyn rusqlite::ToSql]) -> Result<Vec<Value>> {
    let mut stmt = conn.prepare(sql)?;
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut obj = Map::new();
        for (i, name) in names.iter().enumerate() {
            obj.insert(name.clone(), value_of(row.get_ref(i)?));
        }
        out.push(Value::Object(obj));
    }
    Ok(out)
}

/// Everything the desk holds about the person with this personal code — a child (all their
/// cases with every row on them) or a guardian (their guardian rows and the cases they are on) —
/// and the audit trail of those cases. `None` when nobody has this code.
pub fn person_export(conn: &Connection, personal_code: &str, at: &str) -> Result<Option<Value>> {
    let code = personal_code.trim();
    crate::cases::ids::PersonalCode::parse(code).map_err(|e| {
        let (et, en) = e.messages();
        Error::field("personalCode", e.code(), et, en)
    })?;
    let child = rows_json(
        conn,
        "SELECT * FROM child WHERE personal_code = ?1",
        &[&code],
    )?;
    let guardian_rows = rows_json(
        conn,
        "SELECT * FROM guardian WHERE personal_code = ?1 ORDER BY case_id",
        &[&code],
    )?;
    if child.is_empty() && guardian_rows.is_empty() {
        return Ok(None);
    }
    let mut case_ids: Vec<i64> = Vec::new();
    if let Some(id) = child.first().and_then(|c| c["id"].as_i64()) {
        let mut stmt = conn.prepare("SELECT id FROM srt_case WHERE child_id = ?1 ORDER BY id")?;
        case_ids.extend(
            stmt.query_map([id], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        );
    }
    for g in &guardian_rows {
        if let Some(id) = g["case_id"].as_i64() {
            if !case_ids.contains(&id) {
                case_ids.push(id);
            }
        }
    }
    let tables = case_tables(conn)?;
    let mut cases = Vec::new();
    for id in &case_ids {
        let mut case = Map::new();
        case.insert(
            "case".into(),
            rows_json(conn, "SELECT * FROM srt_case WHERE id = ?1", &[id])?
                .into_iter()
                .next()
                .unwrap_or(Value::Null),
        );
        for table in &tables {
            let rows = rows_json(
                conn,
                &format!("SELECT * FROM \"{table}\" WHERE case_id = ?1 ORDER BY rowid"),
                &[id],
            )?;
            if table == "document" {
                let mut attachments = Vec::new();
                for d in &rows {
                    if let Some(doc_id) = d["id"].as_i64() {
                        attachments.extend(rows_json(
                            conn,
                            "SELECT * FROM attachment WHERE document_id = ?1 ORDER BY id",
                            &[&doc_id],
                        )?);
                    }
                }
                case.insert("attachment".into(), Value::from(attachments));
            }
            case.insert(table.clone(), Value::from(rows));
        }
        case.insert(
            "audit_log".into(),
            Value::from(rows_json(
                conn,
                "SELECT id, at, actor, action, entity, entity_id, detail FROM audit_log
                 WHERE entity = 'case' AND entity_id = ?1 ORDER BY id",
                &[&id.to_string()],
            )?),
        );
        cases.push(Value::Object(case));
    }
    Ok(Some(serde_json::json!({
        "format": "srt-desk-person-export/1",
        "exportedAt": at,
        "personalCode": code,
        "asChild": child.into_iter().next(),
        "asGuardian": guardian_rows,
        "cases": cases,
    })))
}

/// Estonian names for the tables of an export (others are shown by their table name).
fn table_label(table: &str) -> String {
    match table {
        "guardian" => "Esindajad",
        "case_status_change" => "Olekumuutused",
        "assessment" => "Hindamine",
        "assessment_activity" => "Hinnatud tegevused",
        "document" => "Dokumendid",
        "attachment" => "Manused",
        "decision" => "Otsused",
        "meeting" => "Võrgustikukohtumised",
        "meeting_participant" => "Kohtumiste osalejad",
        "meeting_action" => "Kokkulepitud tegevused",
        "provider_choice" => "Teenuseosutaja valik",
        "contact_log" => "Suhtluslogi",
        "audit_log" => "Auditilogi (kes, millal, mida)",
        other => other,
    }
    .to_string()
}

/// One row as "field: value" lines; internal columns (ids of rows, hashes, timestamps of the
/// row itself) are left out, file contents are given by size.
fn row_text(row: &Value) -> String {
    let Some(obj) = row.as_object() else {
        return String::new();
    };
    obj.iter()
        .filter(|(k, v)| {
            !v.is_null()
                && v.as_str() != Some("")
                && !matches!(
                    k.as_str(),
                    "id" | "case_id" | "prev_hash" | "hash" | "updated_at"
                )
        })
        .map(|(k, v)| match v {
            Value::String(s) => format!("{k}: {s}"),
            Value::Object(o) if o.contains_key("bytes") => {
                format!("{k}: fail, {} baiti", o["bytes"])
            }
            other => format!("{k}: {other}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The same export as a PDF a person can read: every case and every row on it.
pub fn person_export_pdf(export: &Value, stamp: &str) -> Result<Vec<u8>> {
    use crate::pdf::{Block, PdfDocument};
    let code = export["personalCode"].as_str().unwrap_or_default();
    let mut doc = PdfDocument::new(format!("Isikuandmete väljavõte {code}"));
    doc.footer_left = format!("Isikuandmete väljavõte · {code}");
    doc.push(Block::heading("Isikuandmete väljavõte", 1));
    doc.push(Block::text(format!(
        "Isikukood: {code}\nKoostatud: {}\nKõik, mis SRT Desk hoiab selle isiku kohta: juhtumid, iga juhtumi kõik andmed ja auditilogi.",
        export["exportedAt"].as_str().unwrap_or_default()
    )));
    if let Some(child) = export.get("asChild").filter(|c| !c.is_null()) {
        doc.push(Block::heading("Laps", 2));
        doc.push(Block::text(row_text(child)));
    }
    if let Some(rows) = export["asGuardian"].as_array().filter(|r| !r.is_empty()) {
        doc.push(Block::heading("Esindajana", 2));
        for r in rows {
            doc.push(Block::text(row_text(r)));
            doc.push(Block::Space(0.4));
        }
    }
    for case in export["cases"].as_array().into_iter().flatten() {
        let no = case["case"]["case_no"].as_str().unwrap_or_default();
        doc.push(Block::heading(format!("Juhtum {no}"), 2));
        doc.push(Block::text(row_text(&case["case"])));
        if let Some(obj) = case.as_object() {
            for (table, rows) in obj {
                let Some(rows) = rows.as_array().filter(|r| !r.is_empty()) else {
                    continue;
                };
                doc.push(Block::heading(table_label(table), 3));
                for r in rows {
                    doc.push(Block::small(row_text(r)));
                    doc.push(Block::Space(0.3));
                }
            }
        }
    }
    doc.stamp = stamp.to_string();
    crate::pdf::render(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each table with a `case_id` column is owned by exactly one part, which deletes its rows
    /// of a case at retention: a new table that no part names fails here.
    #[test]
    fn every_case_table_is_named_by_exactly_one_part() {
        let mut conn = Connection::open_in_memory().expect("mem");
        crate::store::migrate::upgrade(&mut conn, None).expect("migrate");
        let named: Vec<&str> = [
            crate::cases::CASE_TABLES,
            crate::casework::CASE_TABLES,
            crate::meetings::CASE_TABLES,
            crate::work::CASE_TABLES,
            crate::deadlines::CASE_TABLES,
            crate::decisions::CASE_TABLES,
            crate::money::CASE_TABLES,
            crate::providers::CASE_TABLES,
            crate::stats::CASE_TABLES,
            crate::feedback::CASE_TABLES,
        ]
        .concat();
        let mut sorted = named.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), named.len(), "a table named twice: {named:?}");
        let mut tables: Vec<String> = case_tables(&conn).expect("tables");
        tables.push("global_search".into());
        tables.sort_unstable();
        assert_eq!(sorted, tables);
    }

    #[test]
    fn the_cutoff_is_the_same_day_years_ago_and_survives_leap_days() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).expect("date");
        assert_eq!(cutoff(d(2026, 11, 25), 10), d(2016, 11, 25));
        assert_eq!(cutoff(d(2028, 2, 29), 1), d(2027, 2, 28));
    }
}
