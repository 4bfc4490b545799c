//! The case timeline: everything that happened to a case, newest first, gathered from the parts
//! that own it (status history, documents, assessment). No tables of its own.

use crate::store::cached::CachedSql;
use rusqlite::Connection;
use serde::Serialize;

use crate::cases::CaseStatus;
use crate::error::{Localized, Result};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    /// An RFC3339 timestamp or a date (YYYY-MM-DD).
    pub at: String,
    pub kind: String,
    pub title: Localized,
    pub detail: String,
}

pub fn case_entries(conn: &Connection, case_id: i64) -> Result<Vec<TimelineEntry>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT changed_at, from_status, to_status, reason FROM case_status_change WHERE case_id = ?1",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for row in rows {
        let (at, from, to, reason) = row?;
        let title = match from {
            None => Localized::new("Taotlus registreeriti", "Application registered"),
            Some(_) => Localized::new(
                format!("Olek: {}", CaseStatus::label_et_of(&to)),
                format!("Status: {}", CaseStatus::label_en_of(&to)),
            ),
        };
        out.push(TimelineEntry {
            at,
            kind: "status".into(),
            title,
            detail: reason,
        });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT created_at, direction, title, reg_no, party FROM document WHERE case_id = ?1",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    for row in rows {
        let (at, direction, title, reg_no, party) = row?;
        let (et, en) = if direction == "in" {
            ("Saabus dokument", "Document received")
        } else {
            ("Saadeti dokument", "Document sent")
        };
        out.push(TimelineEntry {
            at,
            kind: "document".into(),
            title: Localized::new(format!("{et}: {title}"), format!("{en}: {title}")),
            detail: [reg_no, party]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
        });
    }
    let signed: Option<(String, String)> = conn
        .query_row_cached(
            "SELECT signed_on, coalesce(signed_by, '') FROM assessment WHERE case_id = ?1 AND signed_on IS NOT NULL",
            [case_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok();
    if let Some((on, by)) = signed {
        out.push(TimelineEntry {
            at: on,
            kind: "assessment".into(),
            title: Localized::new("Hindamine allkirjastati", "Assessment signed"),
            detail: by,
        });
    }
    Ok(out)
}

/// The whole timeline, newest first, from this part's entries and the other parts' (decisions,
/// meetings, tasks: each part gives its own through its `timeline_entries`). Dates sort as the
/// start of their day; timestamps carry their time.
pub fn newest_first(mut entries: Vec<TimelineEntry>) -> Vec<TimelineEntry> {
    entries.sort_by(|a, b| b.at.cmp(&a.at));
    entries
}
