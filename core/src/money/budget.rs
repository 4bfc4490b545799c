//! The budget of a case.

use super::*;

/// One activity in one year.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BudgetLine {
    pub code: String,
    pub name: Localized,
    pub granted_cents: i64,
    pub used_cents: i64,
    pub committed_cents: i64,
    pub left_cents: i64,
}

/// One calendar year: the activities, their totals and the child's yearly cap.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BudgetYear {
    pub year: i32,
    pub lines: Vec<BudgetLine>,
    pub granted_cents: i64,
    pub used_cents: i64,
    pub committed_cents: i64,
    pub left_cents: i64,
    /// The yearly cost limit per child (None when the settings have none for the year).
    pub cap_cents: Option<i64>,
    /// Accepted for the child this year over all the child's cases (the cap counts these).
    pub child_used_cents: i64,
    pub cap_left_cents: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Budget {
    pub case_id: i64,
    pub decisions: Vec<String>,
    pub years: Vec<BudgetYear>,
}

/// Per (activity, annex year): (accepted on decided invoices, committed by undecided ones).
pub(super) type ActivityUse = HashMap<(String, i32), (i64, i64)>;

/// The annex year a line of a case counts against ([`crate::decisions::annex_year`]): its
/// calendar year, or for a rehabilitation plan in the first period of the referral in force on
/// its date, the year that referral began.
pub(super) fn annex_year_of(grants: &[Grant], code: &str, date: NaiveDate) -> i32 {
    match grants.iter().find(|g| g.covers(date)) {
        Some(g) => crate::decisions::annex_year(code, date, g.valid_from),
        None => date.year(),
    }
}

/// Sums of invoice lines of a case by (activity, annex year): accepted on decided invoices, and
/// committed ("broneeritud") by invoices entered but not decided. `except` leaves one invoice out.
///
/// What an undecided invoice commits: a draft has not been checked, so its full billed amount;
/// a checked invoice the amount its check accepted (the outcome confirms that figure, so the
/// part the check already rejected reserves nothing).
pub(super) fn case_use(
    conn: &Connection,
    case_id: i64,
    except: Option<i64>,
    grants: &[Grant],
) -> Result<ActivityUse> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.activity_code, l.service_date,
                SUM(CASE WHEN i.status IN ('accepted', 'partly_accepted') THEN l.accepted_cents ELSE 0 END),
                SUM(CASE i.status WHEN 'draft' THEN l.amount_cents
                                  WHEN 'checked' THEN l.accepted_cents ELSE 0 END)
         FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
         WHERE l.case_id = ?1 AND i.id <> ?2
         GROUP BY 1, 2",
    )?;
    let mut out: ActivityUse = HashMap::new();
    for row in stmt.query_map(params![case_id, except.unwrap_or(-1)], |r| {
        Ok((
            (r.get::<_, String>(0)?, r.get::<_, NaiveDate>(1)?),
            (r.get::<_, i64>(2)?, r.get::<_, i64>(3)?),
        ))
    })? {
        let ((code, date), (accepted, committed)) = row?;
        let year = annex_year_of(grants, &code, date);
        let sum = out.entry((code, year)).or_default();
        sum.0 += accepted;
        sum.1 += committed;
    }
    Ok(out)
}

/// Accepted money of all a child's cases by year (what the yearly cap counts).
pub(super) fn child_use(
    conn: &Connection,
    child_id: i64,
    except: Option<i64>,
) -> Result<HashMap<i32, i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT CAST(substr(l.service_date, 1, 4) AS INTEGER), SUM(l.accepted_cents)
         FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
         WHERE l.case_id IN (SELECT id FROM srt_case WHERE child_id = ?1)
           AND +i.status IN ('accepted', 'partly_accepted') AND i.id <> ?2
         GROUP BY 1",
    )?;
    // The unary `+` keeps the planner on the child's own lines (invoice_line_case): with the
    // status index it walked every line of every accepted invoice of the desk for each child
    // (seen: the 1 000-line check at minutes with 1.3 million lines).
    let mut out = HashMap::new();
    for row in stmt.query_map(params![child_id, except.unwrap_or(-1)], |r| {
        Ok((r.get::<_, i32>(0)?, r.get::<_, i64>(1)?))
    })? {
        let (k, v) = row?;
        out.insert(k, v);
    }
    Ok(out)
}

pub(super) fn child_of(conn: &Connection, case_id: i64) -> Result<i64> {
    conn.prepare_cached("SELECT child_id FROM srt_case WHERE id = ?1")?
        .query_row([case_id], |r| r.get(0))
        .optional()?
        .ok_or(Error::CaseNotFound(case_id))
}

pub(super) fn activity_name(book: &PriceBook, code: &str) -> Localized {
    book.any(code)
        .map(|p| Localized::new(p.name_et.clone(), p.name_en.clone()))
        .unwrap_or_else(|| Localized::new(code, code))
}

/// The budget of a case per year and activity: granted, used, committed and left, with the cap.
pub fn budget(conn: &Connection, case_id: i64) -> Result<Budget> {
    let child_id = child_of(conn, case_id)?;
    let grants = grants(conn, case_id)?;
    let book = PriceBook::load(conn)?;
    let used = case_use(conn, case_id, None, &grants)?;
    let child = child_use(conn, child_id, None)?;
    let mut granted: BTreeMap<(i32, String), i64> = BTreeMap::new();
    for g in &grants {
        for l in &g.annex {
            for a in &l.amounts {
                *granted.entry((a.year, l.code.clone())).or_default() += a.cents;
            }
        }
        for y in crate::decisions::years_of(g.valid_from, g.valid_to) {
            for l in &g.annex {
                granted.entry((y, l.code.clone())).or_default();
            }
        }
    }
    // Money billed for an activity or year the annex does not name still shows.
    for (code, year) in used.keys() {
        granted.entry((*year, code.clone())).or_default();
    }
    let mut years: Vec<BudgetYear> = Vec::new();
    for ((year, code), g) in granted {
        let (u, c) = used.get(&(code.clone(), year)).copied().unwrap_or((0, 0));
        let line = BudgetLine {
            name: activity_name(&book, &code),
            code,
            granted_cents: g,
            used_cents: u,
            committed_cents: c,
            left_cents: g - u - c,
        };
        match years.last_mut() {
            Some(y) if y.year == year => y.lines.push(line),
            _ => years.push(BudgetYear {
                year,
                lines: vec![line],
                granted_cents: 0,
                used_cents: 0,
                committed_cents: 0,
                left_cents: 0,
                cap_cents: None,
                child_used_cents: 0,
                cap_left_cents: None,
            }),
        }
    }
    for y in &mut years {
        y.granted_cents = y.lines.iter().map(|l| l.granted_cents).sum();
        y.used_cents = y.lines.iter().map(|l| l.used_cents).sum();
        y.committed_cents = y.lines.iter().map(|l| l.committed_cents).sum();
        y.left_cents = y.granted_cents - y.used_cents - y.committed_cents;
        y.cap_cents = crate::prices::yearly_cap(conn, y.year)?.map(|c| c.0);
        y.child_used_cents = child.get(&y.year).copied().unwrap_or(0);
        y.cap_left_cents = y
            .cap_cents
            .map(|c| c - y.child_used_cents - y.committed_cents);
    }
    Ok(Budget {
        case_id,
        decisions: grants.iter().map(|g| g.number.clone()).collect(),
        years,
    })
}
