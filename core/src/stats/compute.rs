//! Computing.

use super::*;

/// The earliest application date (the start of "all years").
pub fn first_day(conn: &Connection, today: NaiveDate) -> Result<NaiveDate> {
    let first: Option<NaiveDate> =
        conn.query_row_cached("SELECT min(application_date) FROM srt_case", [], |r| {
            r.get(0)
        })?;
    Ok(first.unwrap_or(today))
}

/// The statistics asked for. `today` bounds the waiting/active count of a period not over yet.
/// Read in one transaction: every figure from the same state of the desk, and the per-statement
/// transaction start (hundreds of small questions about waiting cases) paid once.
pub fn compute(
    conn: &Connection,
    catalog: &Catalog,
    query: &StatsQuery,
    today: NaiveDate,
) -> Result<Statistics> {
    crate::store::in_read_transaction(conn, |c| compute_with(c, catalog, query, today, true))
}

/// [`compute`]; `money_sums` false reads every invoice line even where the monthly sums of
/// [`crate::stats::money`] would do (the tests hold the two equal).
pub(crate) fn compute_with(
    conn: &Connection,
    catalog: &Catalog,
    query: &StatsQuery,
    today: NaiveDate,
    money_sums: bool,
) -> Result<Statistics> {
    let period = resolve_period(&query.period, today, first_day(conn, today)?)?;
    let breakdown = query.breakdown.as_str();
    if !breakdown.is_empty() && !BREAKDOWNS.iter().any(|(k, _, _)| *k == breakdown) {
        return Err(Error::field(
            "breakdown",
            "invalid",
            "Tundmatu jaotus.",
            "Unknown breakdown.",
        ));
    }
    let (from, to) = (period.from, period.to);
    let as_of = to.min(today);
    let (from_s, to_s) = (from.to_string(), to.to_string());

    // The cases the period touches, from their kept rows (migration 015, brought up to date
    // first): one scan of a narrow table instead of every case, child, provider choice and
    // decision of the desk. A case the scan leaves out (closed before the period, yet with a
    // decision, a line or feedback in it) is read by its id when a fact of it is met.
    crate::stats::cases::refresh(conn)?;
    // With an activity filter only that activity matters (a breakdown by activity then has the
    // chosen one as its only group); without it, a breakdown by activity needs them all.
    let activities = if !query.filter.activity.is_empty() {
        Activities::Only(&query.filter.activity)
    } else if breakdown == "activity" {
        Activities::All
    } else {
        Activities::None
    };
    let mut loader = CaseLoader::new(conn, catalog, activities, to, as_of)?;
    let mut cases = CaseTable::default();
    loader.scan(conn, &mut cases, from)?;
    let mut tally = Tally {
        sieve: Sieve {
            breakdown,
            filter: &query.filter,
        },
        totals: Acc::default(),
        groups: BTreeMap::new(),
    };
    let mut months = MonthTable::new(from, to);

    // Applications received.
    for (_, c) in cases.iter() {
        if c.applied >= from
            && c.applied <= to
            && tally.add(&c.keys, None, None, |a| a.f.received += 1)
        {
            if let Some(mf) = months.of(c.applied) {
                mf.received += 1;
            }
        }
    }

    // Decisions: every approved or sent decision of the period (their dates, from the narrow
    // index); a case's first decision is kept with the case.
    let mut stmt = conn.prepare_cached(
        "SELECT case_id, kind, decision_date, id FROM decision INDEXED BY decision_stats
         WHERE status IN ('approved', 'sent') AND decision_date BETWEEN ?1 AND ?2",
    )?;
    let book = RuleBook::load(conn)?;
    let mut dues = DueDates {
        book: &book,
        memo: HashMap::new(),
    };
    let mut late = Vec::new();
    let none = CaseKeys::default();
    /// 0 referral, 1 refusal, 2 amendment, 3 termination (or anything else).
    pub(super) fn kind_no(kind: &str) -> u8 {
        match kind {
            "referral" => 0,
            "refusal" => 1,
            "amendment" => 2,
            _ => 3,
        }
    }
    let mut decisions: Vec<(i64, u8, NaiveDate, i64)> = Vec::new();
    let mut rows = stmt.query([&from_s, &to_s])?;
    while let Some(r) = rows.next()? {
        decisions.push((r.get(0)?, kind_no(text(r, 1)?), some_day(r, 2)?, r.get(3)?));
    }
    // The number and the written reason of a late decision, asked only for those.
    let mut late_text = conn
        .prepare_cached("SELECT coalesce(number, ''), late_reason FROM decision WHERE id = ?1")?;
    let mut case_no = conn.prepare_cached("SELECT case_no FROM srt_case WHERE id = ?1")?;
    // The period's referrals of known cases: their grants are summed below.
    let mut referrals: HashMap<i64, (i64, NaiveDate)> = HashMap::new();
    for (case_id, kind, date, id) in decisions {
        loader.ensure(conn, &mut cases, case_id)?;
        let Some(c) = cases.get(case_id) else {
            continue;
        };
        if kind == 0 {
            referrals.insert(id, (case_id, date));
        }
        let keys = &c.keys;
        let counted = tally.add(keys, None, None, |a| match kind {
            0 => a.f.referrals += 1,
            1 => a.f.refusals += 1,
            2 => a.f.amendments += 1,
            _ => a.f.terminations += 1,
        });
        if counted && kind <= 1 {
            if let Some(mf) = months.of(date) {
                mf.decided += 1;
            }
        }
        if counted && c.first_decision == Some((date, id)) {
            let days = (date - c.complete).num_days().max(0);
            let due = dues.due(c.complete);
            let on_time = date <= due;
            tally.add(keys, None, None, |a| {
                a.to_decision.push(days);
                if on_time {
                    a.f.on_time += 1;
                }
            });
            if !on_time {
                let (number, reason): (String, String) =
                    late_text.query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                late.push(LateDecision {
                    case_no: case_no.query_row([case_id], |r| r.get(0))?,
                    number,
                    decision_date: date,
                    due,
                    days_late: (date - due).num_days(),
                    reason: reason.trim().to_string(),
                });
            }
        }
    }

    // The money of the period's referrals, per activity (decision_grant, kept by migration 012's
    // triggers from the frozen annex). When the referrals fill most of their id range (all
    // years) the table is read in its own order over that range; otherwise (a year, whose
    // referrals' ids lie among the other years') by the period's decisions.
    let (low, high) = (
        referrals.keys().min().copied().unwrap_or(0),
        referrals.keys().max().copied().unwrap_or(-1),
    );
    let mut add_grant = |decision: i64, code: &str, cents: i64| {
        let Some(&(case_id, date)) = referrals.get(&decision) else {
            return;
        };
        let Some(c) = cases.get(case_id) else {
            return;
        };
        if tally.add(&c.keys, None, Some(code), |a| a.f.granted_cents += cents) {
            if let Some(mf) = months.of(date) {
                mf.granted_cents += cents;
            }
        }
    };
    if high - low < 2 * referrals.len() as i64 {
        let mut stmt = conn.prepare_cached(
            "SELECT decision_id, activity_code, cents FROM decision_grant
             WHERE decision_id BETWEEN ?1 AND ?2 AND cents <> 0",
        )?;
        let mut rows = stmt.query(params![low, high])?;
        while let Some(r) = rows.next()? {
            add_grant(r.get(0)?, text(r, 1)?, r.get(2)?);
        }
    } else {
        let mut stmt = conn.prepare_cached(
            "SELECT g.decision_id, g.activity_code, g.cents
             FROM decision d INDEXED BY decision_stats JOIN decision_grant g ON g.decision_id = d.id
             WHERE d.status IN ('approved', 'sent') AND d.decision_date BETWEEN ?1 AND ?2
               AND d.kind = 'referral' AND g.cents <> 0",
        )?;
        let mut rows = stmt.query(params![from_s, to_s])?;
        while let Some(r) = rows.next()? {
            add_grant(r.get(0)?, text(r, 1)?, r.get(2)?);
        }
    }

    // Start of service, waiting and active on the as-of day. A case not closed and not in
    // service is waiting when a referral was in force that day.
    let mut in_force = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM decision INDEXED BY decision_case
                        WHERE case_id = ?1 AND kind = 'referral' AND status IN ('approved', 'sent')
                          AND decision_date <= ?2 AND (valid_to IS NULL OR valid_to >= ?2))",
    )?;
    for (id, c) in cases.iter() {
        if let (Some(start), Some((decided, _))) = (c.service_start, c.first_decision) {
            if start >= from && start <= to {
                let days = (start - decided).num_days().max(0);
                tally.add(&c.keys, None, None, |a| a.to_start.push(days));
            }
        }
        if c.closed {
            continue;
        }
        if c.service_start.is_some_and(|s| s <= as_of) {
            tally.add(&c.keys, None, None, |a| a.f.active += 1);
        } else if in_force.query_row(params![id, loader.as_of_s], |r| r.get::<_, bool>(0))? {
            tally.add(&c.keys, None, None, |a| a.f.waiting += 1);
        }
    }

    // Money invoiced and accepted. For whole months from the monthly sums, brought up to date
    // first: without filters the sums per key (migration 014), with filters the sums per
    // combination of keys (016), which pass the same sieve as the lines would; for other periods
    // from the lines themselves.
    let whole_months = from.day() == 1 && to.succ_opt().is_none_or(|next| next.day() == 1);
    let sums = money_sums && whole_months && crate::stats::money::refresh(conn).is_ok();
    if sums && query.filter != StatsFilter::default() {
        let cells =
            crate::stats::money::read_cells(conn, &month_key(from), &month_key(to), &query.filter)?;
        let keys = &mut loader.keys;
        for cell in cells {
            let cell_keys = CaseKeys {
                route: keys.get(&cell.route),
                municipality: keys.get(&cell.municipality),
                county: keys.get(&cell.county),
                provider: loader.none.clone(),
                activities: Vec::new(),
            };
            let add = |a: &mut Acc| {
                a.f.invoiced_cents += cell.invoiced;
                a.f.accepted_cents += cell.accepted;
            };
            if tally.add(&cell_keys, Some(&cell.provider), Some(&cell.activity), add) {
                if let Some(mf) = months.of_text(&cell.month) {
                    mf.invoiced_cents += cell.invoiced;
                    mf.accepted_cents += cell.accepted;
                }
            }
        }
    } else if sums {
        for sum in crate::stats::money::read(conn, &month_key(from), &month_key(to), breakdown)? {
            let add = |a: &mut Acc| {
                a.f.invoiced_cents += sum.invoiced;
                a.f.accepted_cents += sum.accepted;
            };
            if sum.dim.is_empty() {
                add(&mut tally.totals);
                if let Some(mf) = months.of_text(&sum.month) {
                    mf.invoiced_cents += sum.invoiced;
                    mf.accepted_cents += sum.accepted;
                }
            } else {
                bump(&mut tally.groups, &sum.key, &add);
            }
        }
    } else {
        // Money invoiced and accepted: lines of invoices dated in the period (the narrow
        // invoice_line_money index; a million lines over a decade).
        let mut stmt = conn.prepare_cached(
            "SELECT i.provider_id, substr(i.invoice_date, 1, 7),
                    i.status IN ('accepted', 'partly_accepted', 'rejected'),
                    l.case_id, l.activity_code, l.amount_cents, l.accepted_cents
             FROM invoice i JOIN invoice_line l INDEXED BY invoice_line_money ON l.invoice_id = i.id
             WHERE i.invoice_date BETWEEN ?1 AND ?2 AND i.status <> 'draft'",
        )?;
        let mut rows = stmt.query(params![from_s, to_s])?;
        let mut other_provider: String;
        while let Some(r) = rows.next()? {
            let provider_id: i64 = r.get(0)?;
            let month = text(r, 1)?;
            let decided: bool = r.get(2)?;
            let case_id: Option<i64> = r.get(3)?;
            let activity = text(r, 4)?;
            let amount: i64 = r.get(5)?;
            let accepted: i64 = if decided { r.get(6)? } else { 0 };
            if let Some(id) = case_id {
                loader.ensure(conn, &mut cases, id)?;
            }
            let keys = case_id
                .and_then(|id| cases.get(id))
                .map(|c| &c.keys)
                .unwrap_or(&none);
            let provider = match loader.providers.get(&provider_id) {
                Some(p) => &**p,
                None => {
                    other_provider = provider_id.to_string();
                    other_provider.as_str()
                }
            };
            if tally.add(keys, Some(provider), Some(activity), |a| {
                a.f.invoiced_cents += amount;
                a.f.accepted_cents += accepted;
            }) {
                if let Some(mf) = months.of_text(month) {
                    mf.invoiced_cents += amount;
                    mf.accepted_cents += accepted;
                }
            }
        }
    }

    // Feedback answered in the period, with the cases it is about.
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT case_id FROM feedback_response
         WHERE answered_on BETWEEN ?1 AND ?2 AND case_id IS NOT NULL",
    )?;
    let mut rows = stmt.query([&from_s, &to_s])?;
    while let Some(r) = rows.next()? {
        loader.ensure(conn, &mut cases, r.get(0)?)?;
    }
    let names = names(conn, catalog)?;
    let feedback = feedback_figures(
        conn,
        &cases,
        &names.providers,
        &mut tally,
        &mut months,
        &from_s,
        &to_s,
    )?;

    let Tally { totals, groups, .. } = tally;
    let mut groups: Vec<Group> = groups
        .into_iter()
        .map(|(key, acc)| Group {
            label: names.label(breakdown, &key),
            key,
            figures: acc.finish(),
        })
        .collect();
    groups.sort_by(|a, b| {
        (a.key.is_empty(), a.label.to_lowercase()).cmp(&(b.key.is_empty(), b.label.to_lowercase()))
    });
    late.sort_by(|a, b| (a.decision_date, &a.case_no).cmp(&(b.decision_date, &b.case_no)));
    let f = &query.filter;
    let named = |kind: &str, v: &str| {
        if v.is_empty() {
            String::new()
        } else {
            names.label(kind, v)
        }
    };
    let filter_names = StatsFilter {
        route: named("route", &f.route),
        county: named("county", &f.county),
        municipality: named("municipality", &f.municipality),
        provider: named("provider", &f.provider),
        activity: named("activity", &f.activity),
    };
    Ok(Statistics {
        period,
        as_of,
        breakdown: breakdown.to_string(),
        filter: query.filter.clone(),
        filter_names,
        totals: totals.finish(),
        groups,
        months: months.months,
        late,
        feedback,
    })
}

/// Every provider's id as the grouping key it is (its text), made once per computation.
pub(super) fn provider_keys(conn: &Connection) -> Result<HashMap<i64, Key>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM provider")?;
    let keys = stmt
        .query_map([], |r| r.get::<_, i64>(0))?
        .map(|id| id.map(|id| (id, Key::from(id.to_string()))))
        .collect::<rusqlite::Result<_>>()?;
    Ok(keys)
}

pub(super) fn names(conn: &Connection, catalog: &Catalog) -> Result<Names> {
    let mut providers = HashMap::new();
    let mut stmt = conn.prepare_cached("SELECT id, name FROM provider")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (id, name) = row?;
        providers.insert(id.to_string(), name);
    }
    Ok(Names {
        municipalities: catalog
            .municipalities
            .iter()
            .map(|(k, (n, _))| (k.clone(), n.clone()))
            .collect(),
        counties: catalog.counties.clone(),
        providers,
        activities: catalog.activity_codes.clone(),
    })
}
