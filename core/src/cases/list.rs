//! The case list.

use super::*;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CaseFilter {
    pub text: String,
    pub status: String,
    /// "deadline": by the next running deadline, soonest (most overdue) first, then the cases
    /// without one, newest first; anything else (the default): newest application first.
    pub sort: String,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
    /// The team desk's filter by responsible coordinator: empty for all, else a member's login
    /// (`Desk::list_cases` finds the member; the list keeps the cases that member is responsible
    /// for).
    pub coordinator: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseListItem {
    pub id: i64,
    pub case_no: String,
    pub child_name: String,
    pub personal_code: Option<String>,
    pub birth_date: NaiveDate,
    pub no_personal_code: bool,
    pub status: String,
    pub route_kind: String,
    pub application_date: NaiveDate,
    pub municipality_name: Option<String>,
    pub updated_at: String,
    /// The case's next running deadline as the dashboard counts it, if it has one.
    pub next_deadline: Option<ListDeadline>,
    /// On a desk in a team: the case's responsible coordinator (filled by the Desk; absent
    /// otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coordinator: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ListDeadline {
    pub kind: String,
    pub title: crate::Localized,
    pub due: NaiveDate,
    /// Negative: overdue by that many days.
    pub days_left: i64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseList {
    pub total: i64,
    pub items: Vec<CaseListItem>,
}

pub fn list(conn: &Connection, filter: &CaseFilter, today: NaiveDate) -> Result<CaseList> {
    list_owned(conn, filter, today, None)
}

/// The condition that case `c` is the team member `owner`'s: its synced responsible coordinator
/// (`sync_case_owner`, kept by the team desk), or this desk's member for a case not yet pushed
/// (the server makes the pushing member its coordinator). Read in SQL here, not through the sync
/// part, so the list pages and counts in one query.
fn owned_by(owner: i64) -> String {
    format!(
        " AND coalesce((SELECT o.owner_id FROM sync_case_owner o WHERE o.case_gid = c.gid),
                       (SELECT s.member_id FROM sync_state s WHERE s.id = 1)) = {owner}"
    )
}

/// The case list, only the cases of the team member `owner` (a server member id) when given.
pub fn list_owned(
    conn: &Connection,
    filter: &CaseFilter,
    today: NaiveDate,
    owner: Option<i64>,
) -> Result<CaseList> {
    let (limit, offset) = page_bounds(filter.limit, filter.offset);
    let (limit, offset) = (i64::from(limit), i64::from(offset));
    let status = filter.status.trim();
    if !status.is_empty() && CaseStatus::parse(status).is_none() {
        return Err(Error::field(
            "status",
            "invalid_choice",
            "Tundmatu olek.",
            "Unknown status.",
        ));
    }
    let fts = crate::cases::search::fts_query(&filter.text);
    // Two shapes, not `(?1 = '' OR c.status = ?1)`: with the OR the planner cannot search the
    // status index and walks all of it (a status's page 5 -> 0.5 ms at 100 000 cases).
    let mut where_sql = String::from(if status.is_empty() {
        "WHERE ?1 = ''"
    } else {
        "WHERE c.status = ?1"
    });
    if fts.is_some() {
        where_sql
            .push_str(" AND c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?2)");
    } else {
        where_sql.push_str(" AND ?2 = ''");
    }
    if let Some(owner) = owner {
        where_sql.push_str(&owned_by(owner));
    }
    let q = ListQuery {
        where_sql,
        status: status.to_string(),
        fts: fts.unwrap_or_default(),
        owned: owner.is_some(),
        limit,
        offset,
        today: today.to_string(),
    };
    // The stored deadlines (migration 013) brought up to date first, as the dashboard does. On a
    // desk that cannot be written the rows are as the last session left them.
    let _ = crate::deadlines::schedule::refresh_deadlines(conn);
    // The count and the page from one state of the desk, in one transaction (its start is paid
    // once); the statements are kept prepared.
    crate::store::in_read_transaction(conn, |conn| {
        let mut list = if filter.sort == "deadline" {
            q.by_deadline(conn)?
        } else {
            q.newest_first(conn)?
        };
        q.add_next_deadlines(conn, &mut list.items, today)?;
        Ok(list)
    })
}

/// The condition on a stored deadline row `alias` that it is running and still counts on the day
/// in parameter `today` (a challenge period that is over has ended; it is not overdue). The
/// unary `+` keeps the planner on a case's own rows (the primary key): with the (state, due)
/// index it walks every running deadline of the desk for each case.
pub(super) fn counts_on(alias: &str, today: &str) -> String {
    format!(
        "+{alias}.state = 'running' AND NOT ({alias}.kind = 'challenge_period' AND {alias}.due < {today})"
    )
}

/// One page of the case list: the filter's condition (on `c`, with the status as ?1 and the
/// text query as ?2) and the page asked for.
pub(super) struct ListQuery {
    pub(super) where_sql: String,
    pub(super) status: String,
    pub(super) fts: String,
    /// Whether the condition keeps one coordinator's cases (the count cannot skip it).
    pub(super) owned: bool,
    pub(super) limit: i64,
    pub(super) offset: i64,
    pub(super) today: String,
}

/// The columns of a list row, from `srt_case c` joined to its child and municipality.
pub(super) const ITEM_COLUMNS: &str =
    "c.id, c.case_no, ch.first_name || ' ' || ch.last_name, ch.personal_code,
        ch.birth_date, c.status, c.route_kind, c.application_date, m.name, c.updated_at";
pub(super) const ITEM_FROM: &str = "srt_case c JOIN child ch ON ch.id = c.child_id
     LEFT JOIN municipality m ON m.ehak_code = coalesce(c.kov_municipality_code, ch.municipality_code)";

pub(super) fn item_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CaseListItem> {
    let code: Option<String> = r.get(3)?;
    Ok(CaseListItem {
        id: r.get(0)?,
        case_no: r.get(1)?,
        child_name: r.get(2)?,
        no_personal_code: code.is_none(),
        personal_code: code,
        birth_date: r.get(4)?,
        status: r.get(5)?,
        route_kind: r.get(6)?,
        application_date: r.get(7)?,
        municipality_name: r.get(8)?,
        updated_at: r.get(9)?,
        next_deadline: None,
        coordinator: None,
    })
}

impl ListQuery {
    pub(super) fn searching(&self) -> bool {
        !self.fts.is_empty()
    }

    /// Each row's next deadline, from the stored deadlines.
    pub(super) fn add_next_deadlines(
        &self,
        conn: &Connection,
        items: &mut [CaseListItem],
        today: NaiveDate,
    ) -> Result<()> {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT d.kind, d.title_et, d.title_en, d.due FROM case_deadline d
             WHERE d.case_id = ?1 AND {} ORDER BY d.due, d.kind LIMIT 1",
            counts_on("d", "?2")
        ))?;
        for item in items {
            item.next_deadline = stmt
                .query_row(params![item.id, self.today], |r| {
                    let due: NaiveDate = r.get(3)?;
                    Ok(ListDeadline {
                        kind: r.get(0)?,
                        title: crate::Localized::new(
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                        ),
                        due,
                        days_left: crate::values::days_left(due, today),
                    })
                })
                .optional()?;
        }
        Ok(())
    }

    pub(super) fn count(&self, conn: &Connection) -> Result<i64> {
        if self.status.is_empty() && !self.searching() && !self.owned {
            // Without a WHERE, SQLite counts the smallest index page by page instead of row by
            // row (1 against 5 ms at 100 000 cases).
            return Ok(conn
                .prepare_cached("SELECT count(*) FROM srt_case")?
                .query_row([], |r| r.get(0))?);
        }
        let where_sql = &self.where_sql;
        Ok(conn
            .prepare_cached(&format!("SELECT count(*) FROM srt_case c {where_sql}"))?
            .query_row(params![self.status, self.fts], |r| r.get(0))?)
    }

    /// Newest application first, from the date index.
    pub(super) fn newest_first(&self, conn: &Connection) -> Result<CaseList> {
        let where_sql = &self.where_sql;
        if !self.searching() {
            // The whole list pages from the date index and is counted apart.
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} {where_sql}
                 ORDER BY c.application_date DESC, c.id DESC LIMIT ?3 OFFSET ?4"
            ))?;
            let items = stmt
                .query_map(
                    params![self.status, self.fts, self.limit, self.offset],
                    item_from_row,
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            return Ok(CaseList {
                total: self.count(conn)?,
                items,
            });
        }
        // A search sorts all its matches by date: it reads only the case row of each (its date)
        // and counts them in the same statement (a window over the matches, which the page sorts
        // anyway: the text index is searched once); the child and the municipality are read for
        // the page's rows alone. Joined for every match before the sort, "näidis mari" (1 953
        // matches at 100 000 cases) took 11.8 ms; this way 5.7 ms.
        let mut total = None;
        let ids = conn
            .prepare_cached(&format!(
                "SELECT c.id, count(*) OVER () FROM srt_case c {where_sql}
                 ORDER BY c.application_date DESC, c.id DESC LIMIT ?3 OFFSET ?4"
            ))?
            .query_map(
                params![self.status, self.fts, self.limit, self.offset],
                |r| {
                    total.get_or_insert(r.get::<_, i64>(1)?);
                    r.get::<_, i64>(0)
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let items = items_by_id(conn, &ids)?;
        // No row to carry the count (nothing found, or a page past the end): count apart.
        let total = match total {
            Some(n) => n,
            None => self.count(conn)?,
        };
        Ok(CaseList { total, items })
    }

    /// By the next running deadline, soonest first; then the cases without one, newest first.
    /// The first part walks the stored deadlines in date order (their index) and keeps each
    /// case at its earliest deadline, so a page reads about as many rows as it shows.
    pub(super) fn by_deadline(&self, conn: &Connection) -> Result<CaseList> {
        let where_sql = &self.where_sql;
        let (d_counts, e_counts) = (counts_on("d", "?3"), counts_on("e", "?3"));
        let with_deadline = conn
            .prepare_cached(&format!(
                "SELECT d.case_id FROM case_deadline d JOIN srt_case c ON c.id = d.case_id
                 {where_sql} AND d.state = 'running' AND {d_counts}
                   AND NOT EXISTS (SELECT 1 FROM case_deadline e WHERE e.case_id = d.case_id
                     AND {e_counts} AND (e.due, e.kind) < (d.due, d.kind))
                 ORDER BY d.due, d.case_id LIMIT ?4 OFFSET ?5"
            ))?
            .query_map(
                params![self.status, self.fts, self.today, self.limit, self.offset],
                |r| r.get::<_, i64>(0),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut ids = with_deadline;
        let short = self.limit - ids.len() as i64;
        if short > 0 {
            // The page reaches the cases without a deadline. When it starts among them, skip
            // those that earlier pages showed after the first part.
            let skip = if ids.is_empty() {
                let first_part: i64 = conn
                    .prepare_cached(&format!(
                        "SELECT count(DISTINCT d.case_id) FROM case_deadline d
                         JOIN srt_case c ON c.id = d.case_id {where_sql} AND {d_counts}"
                    ))?
                    .query_row(params![self.status, self.fts, self.today], |r| r.get(0))?;
                (self.offset - first_part).max(0)
            } else {
                0
            };
            let rest = conn
                .prepare_cached(&format!(
                    // The few cases with a deadline are set apart once (NOT IN builds them
                    // into a lookup), not asked about for each case the page skips.
                    "SELECT c.id FROM srt_case c {where_sql}
                       AND c.id NOT IN (SELECT d.case_id FROM case_deadline d WHERE {d_counts})
                     ORDER BY c.application_date DESC, c.id DESC LIMIT ?4 OFFSET ?5"
                ))?
                .query_map(
                    params![self.status, self.fts, self.today, short, skip],
                    |r| r.get::<_, i64>(0),
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            ids.extend(rest);
        }
        Ok(CaseList {
            total: self.count(conn)?,
            items: items_by_id(conn, &ids)?,
        })
    }
}

/// The list rows of these cases, in this order.
pub(super) fn items_by_id(conn: &Connection, ids: &[i64]) -> Result<Vec<CaseListItem>> {
    let mut one = conn.prepare_cached(&format!(
        "SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} WHERE c.id = ?1"
    ))?;
    Ok(ids
        .iter()
        .map(|id| one.query_row([id], item_from_row))
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The case with this number on this desk (the command line names cases by number).
pub fn id_by_case_no(conn: &Connection, case_no: &str) -> Result<i64> {
    conn.query_row(
        "SELECT id FROM srt_case WHERE case_no = ?1",
        [case_no.trim()],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| {
        Error::field(
            "case-no",
            "case.unknown_number",
            "Selle numbriga juhtumit sellel töölaual ei ole.",
            "There is no case with this number on this desk.",
        )
    })
}
