//! One search box for everything: cases, guardians, documents and notes, accent-insensitive
//! (FTS5 unicode61 remove_diacritics 2: "oun" finds "Õunapuu"). Owns global_search.

use rusqlite::Connection;
use serde::Serialize;

use crate::error::Result;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub kind: String,
    pub case_id: i64,
    pub case_no: String,
    pub title: String,
    pub snippet: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    pub items: Vec<SearchHit>,
}

/// Prefix terms from what was typed; quotes keep FTS5 syntax out of the user's hands.
pub fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| format!("\"{t}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// How many of the newest matches are ranked by relevance.
const RANKED: u32 = 500;

pub fn search(conn: &Connection, text: &str, limit: u32) -> Result<SearchResults> {
    let Some(q) = fts_query(text) else {
        return Ok(SearchResults { items: Vec::new() });
    };
    // Relevance (bm25) is ranked among the newest RANKED matches only: a common prefix ("sa",
    // "oun") matches tens of thousands of rows at national scale, and ranking them all cost
    // 25–115 ms for a list of 50. FTS5 walks its matches by rowid and stops at the limit, and a
    // rowid bound keeps the ranking to those rows (3–14 ms for the same queries).
    let mut stmt = conn.prepare_cached(
        "SELECT s.kind, s.case_id, c.case_no, s.title, snippet(global_search, 4, '', '', '…', 12)
         FROM global_search s JOIN srt_case c ON c.id = s.case_id
         WHERE global_search MATCH ?1
           AND s.rowid >= (SELECT coalesce(min(rowid), 0) FROM (
                 SELECT rowid FROM global_search WHERE global_search MATCH ?1
                 ORDER BY rowid DESC LIMIT ?3))
         ORDER BY rank LIMIT ?2",
    )?;
    let items = stmt
        .query_map(rusqlite::params![q, limit.clamp(1, 200), RANKED], |r| {
            Ok(SearchHit {
                kind: r.get(0)?,
                case_id: r.get(1)?,
                case_no: r.get(2)?,
                title: r.get(3)?,
                snippet: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(SearchResults { items })
}

/// Re-index a case's own rows (child, guardians, notes) after it is written. Rows are addressed
/// by rowid (`ref_id * 4 + kind`), so this never scans the index.
pub fn index_case(conn: &Connection, case_id: i64) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM global_search WHERE rowid IN (?1 * 4, ?1 * 4 + 3)
            OR rowid IN (SELECT id * 4 + 1 FROM guardian WHERE case_id = ?1)",
    )?
    .execute([case_id])?;
    insert_case_rows(conn, case_id, case_id)
}

/// Add the search rows of the cases with ids `first..=last`, their guardians and notes, to an
/// index that holds none of them: one case after it is written, or every case a bulk load
/// added, in one pass at its end (FTS5 writes its pending terms out at every statement that
/// opens a statement journal, so a load that indexes case by case writes a tiny segment each time
/// and merges them again).
pub(crate) fn insert_case_rows(conn: &Connection, first: i64, last: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO global_search (rowid, kind, case_id, ref_id, title, body)
         SELECT c.id * 4, 'case', c.id, c.id, ch.first_name || ' ' || ch.last_name,
                coalesce(ch.personal_code, '') || ' ' || c.case_no
         FROM srt_case c JOIN child ch ON ch.id = c.child_id WHERE c.id BETWEEN ?1 AND ?2",
    )?
    .execute([first, last])?;
    conn.prepare_cached(
        "INSERT INTO global_search (rowid, kind, case_id, ref_id, title, body)
         SELECT g.id * 4 + 1, 'guardian', g.case_id, g.id, g.first_name || ' ' || g.last_name,
                coalesce(g.personal_code, '') || ' ' || g.email || ' ' || g.phone
         FROM guardian g WHERE g.case_id BETWEEN ?1 AND ?2",
    )?
    .execute([first, last])?;
    conn.prepare_cached(
        "INSERT INTO global_search (rowid, kind, case_id, ref_id, title, body)
         SELECT c.id * 4 + 3, 'note', c.id, c.id, c.case_no, c.notes
         FROM srt_case c WHERE c.id BETWEEN ?1 AND ?2 AND c.notes <> ''",
    )?
    .execute([first, last])?;
    Ok(())
}

/// Re-index one document (rowid `id * 4 + 2`).
pub fn index_document(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM global_search WHERE rowid = ?1 * 4 + 2")?
        .execute([id])?;
    insert_document_rows(conn, id, id)
}

/// Add the search rows of the documents with ids `first..=last` (see [`insert_case_rows`]).
pub(crate) fn insert_document_rows(conn: &Connection, first: i64, last: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO global_search (rowid, kind, case_id, ref_id, title, body)
         SELECT id * 4 + 2, 'document', case_id, id, title, reg_no || ' ' || party || ' ' || notes
         FROM document WHERE id BETWEEN ?1 AND ?2",
    )?
    .execute([first, last])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_terms_become_quoted_prefix_queries() {
        assert_eq!(fts_query("  "), None);
        assert_eq!(fts_query("mari tam"), Some("\"mari\"* \"tam\"*".into()));
        assert_eq!(
            fts_query("\"x\" OR y"),
            Some("\"x\"* \"OR\"* \"y\"*".into())
        );
    }
}
