//! The case view and the counts.

use super::*;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChildView {
    pub first_name: String,
    pub last_name: String,
    pub personal_code: Option<String>,
    pub birth_date: NaiveDate,
    pub sex: String,
    pub no_personal_code: bool,
    pub municipality_code: Option<String>,
    pub municipality_name: Option<String>,
    pub address: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GuardianView {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub personal_code: Option<String>,
    pub phone: String,
    pub email: String,
    pub postal_address: String,
    pub language: String,
    pub delivery: String,
    pub relation: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteView {
    pub kind: String,
    pub severity: Option<String>,
    pub municipality_code: Option<String>,
    pub municipality_name: Option<String>,
    pub worker_name: String,
    pub worker_phone: String,
    pub worker_email: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusChange {
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: String,
    pub at: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    pub to: String,
    pub reason_required: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseDetail {
    pub id: i64,
    pub case_no: String,
    pub status: String,
    pub child: ChildView,
    pub guardians: Vec<GuardianView>,
    pub route: RouteView,
    pub application_date: NaiveDate,
    pub channel: String,
    pub notes: String,
    pub created_at: String,
    pub updated_at: String,
    pub history: Vec<StatusChange>,
    pub allowed_transitions: Vec<Transition>,
    pub complete_on: Option<NaiveDate>,
    pub deadlines: Vec<crate::deadlines::schedule::CaseDeadline>,
    pub next_deadline: Option<crate::deadlines::schedule::CaseDeadline>,
}

/// Set the day the application became complete (the decision clock counts from it).
pub fn set_complete_on(conn: &Connection, case_id: i64, on: NaiveDate) -> Result<()> {
    conn.prepare_cached("UPDATE srt_case SET complete_on = ?2 WHERE id = ?1")?
        .execute(params![case_id, on.to_string()])?;
    Ok(())
}

pub fn get(conn: &Connection, case_id: i64, today: NaiveDate) -> Result<CaseDetail> {
    let mut detail = conn
        .prepare_cached(
            "SELECT c.id, c.case_no, c.status, ch.first_name, ch.last_name, ch.personal_code,
                    ch.birth_date, ch.sex, ch.municipality_code, cm.name, ch.address,
                    c.route_kind, c.severity, c.kov_municipality_code, km.name, c.kov_worker_name,
                    c.kov_worker_phone, c.kov_worker_email, c.application_date, c.channel, c.notes,
                    c.created_at, c.updated_at
             FROM srt_case c JOIN child ch ON ch.id = c.child_id
             LEFT JOIN municipality cm ON cm.ehak_code = ch.municipality_code
             LEFT JOIN municipality km ON km.ehak_code = c.kov_municipality_code
             WHERE c.id = ?1",
        )?
        .query_row([case_id], |r| {
            let code: Option<String> = r.get(5)?;
            Ok(CaseDetail {
                id: r.get(0)?,
                case_no: r.get(1)?,
                status: r.get(2)?,
                child: ChildView {
                    first_name: r.get(3)?,
                    last_name: r.get(4)?,
                    no_personal_code: code.is_none(),
                    personal_code: code,
                    birth_date: r.get(6)?,
                    sex: r.get(7)?,
                    municipality_code: r.get(8)?,
                    municipality_name: r.get(9)?,
                    address: r.get(10)?,
                },
                guardians: Vec::new(),
                route: RouteView {
                    kind: r.get(11)?,
                    severity: r.get(12)?,
                    municipality_code: r.get(13)?,
                    municipality_name: r.get(14)?,
                    worker_name: r.get(15)?,
                    worker_phone: r.get(16)?,
                    worker_email: r.get(17)?,
                },
                application_date: r.get(18)?,
                channel: r.get(19)?,
                notes: r.get(20)?,
                created_at: r.get(21)?,
                updated_at: r.get(22)?,
                history: Vec::new(),
                allowed_transitions: Vec::new(),
                complete_on: None,
                deadlines: Vec::new(),
                next_deadline: None,
            })
        })
        .optional()?
        .ok_or(Error::CaseNotFound(case_id))?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, first_name, last_name, personal_code, phone, email, postal_address, language,
                delivery, relation
         FROM guardian WHERE case_id = ?1 ORDER BY position",
    )?;
    detail.guardians = stmt
        .query_map([case_id], |r| {
            Ok(GuardianView {
                id: r.get(0)?,
                first_name: r.get(1)?,
                last_name: r.get(2)?,
                personal_code: r.get(3)?,
                phone: r.get(4)?,
                email: r.get(5)?,
                postal_address: r.get(6)?,
                language: r.get(7)?,
                delivery: r.get(8)?,
                relation: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT from_status, to_status, reason, changed_at FROM case_status_change
         WHERE case_id = ?1 ORDER BY id",
    )?;
    detail.history = stmt
        .query_map([case_id], |r| {
            Ok(StatusChange {
                from_status: r.get(0)?,
                to_status: r.get(1)?,
                reason: r.get(2)?,
                at: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    detail.allowed_transitions = CaseStatus::parse(&detail.status)
        .map(|s| {
            s.next()
                .iter()
                .map(|t| Transition {
                    to: t.as_str().to_string(),
                    reason_required: CaseStatus::reason_required_for(*t),
                })
                .collect()
        })
        .unwrap_or_default();
    let facts = crate::deadlines::schedule::facts(conn, case_id)?;
    detail.complete_on = facts.complete_on;
    let book = crate::deadlines::rules::RuleBook::load(conn)?;
    detail.deadlines = crate::deadlines::schedule::case_deadlines(&book, &facts, today);
    detail.next_deadline = crate::deadlines::schedule::next_deadline(&detail.deadlines);
    Ok(detail)
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseCounts {
    pub total: i64,
    pub by_status: std::collections::BTreeMap<String, i64>,
}

pub fn counts(conn: &Connection) -> Result<CaseCounts> {
    tally(
        conn,
        "SELECT status, count(*) FROM srt_case GROUP BY status",
        [],
    )
}

/// Every status with its count from `sql` (rows of status, count), and the total.
fn tally(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<CaseCounts> {
    let mut by_status: std::collections::BTreeMap<String, i64> = CaseStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), 0))
        .collect();
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut total = 0;
    for row in rows {
        let (s, n) = row?;
        total += n;
        by_status.insert(s, n);
    }
    Ok(CaseCounts { total, by_status })
}

/// The counts of the cases among `ids` only (the dashboard filtered by a coordinator).
pub fn counts_among(conn: &Connection, ids: &std::collections::HashSet<i64>) -> Result<CaseCounts> {
    let ids: Vec<i64> = ids.iter().copied().collect();
    let ids = serde_json::to_string(&ids).map_err(|e| crate::Error::Internal(e.to_string()))?;
    tally(
        conn,
        "SELECT status, count(*) FROM srt_case
         WHERE id IN (SELECT value FROM json_each(?1)) GROUP BY status",
        [ids],
    )
}
