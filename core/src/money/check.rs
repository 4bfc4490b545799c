//! The check.

use super::*;

/// What the check knows about one case, loaded once per invoice.
pub(super) struct CaseFacts {
    grants: Vec<Grant>,
    child_id: i64,
    confirmations: Vec<(NaiveDate, NaiveDate, Option<i64>)>,
}

/// One line as the check reads it.
#[derive(Debug, Clone)]
pub(super) struct CheckLine {
    id: i64,
    case_id: Option<i64>,
    child_code: String,
    decision_number: String,
    activity_code: String,
    mode: String,
    service_date: NaiveDate,
    quantity_milli: i64,
    unit_price_cents: i64,
    amount_cents: i64,
}

/// The verdict on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineVerdict {
    pub line_id: i64,
    pub reasons: Vec<Reason>,
    pub verdict: &'static str,
    pub accepted_cents: i64,
}

pub(super) fn reason(code: &str, effect: &str, cut: i64, et: String, en: String) -> Reason {
    Reason {
        code: code.into(),
        effect: effect.into(),
        message: Localized::new(et, en),
        cut_cents: cut,
    }
}

/// Run the check on every line of an invoice, in order: each line counts the money accepted on
/// earlier decided invoices and on the lines above it. Returns the verdicts (not saved).
pub fn check_lines(conn: &Connection, invoice_id: i64) -> Result<Vec<LineVerdict>> {
    let provider_id: i64 = conn
        .query_row_cached(
            "SELECT provider_id FROM invoice WHERE id = ?1",
            [invoice_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(Error::InvoiceNotFound(invoice_id))?;
    let book = PriceBook::load(conn)?;
    let lines: Vec<CheckLine> = conn
        .prepare_cached(
            "SELECT id, case_id, child_code, decision_number, activity_code, mode, service_date,
                quantity_milli, unit_price_cents, amount_cents
             FROM invoice_line WHERE invoice_id = ?1 ORDER BY position",
        )?
        .query_map([invoice_id], |r| {
            Ok(CheckLine {
                id: r.get(0)?,
                case_id: r.get(1)?,
                child_code: r.get(2)?,
                decision_number: r.get(3)?,
                activity_code: r.get(4)?,
                mode: r.get(5)?,
                service_date: r.get(6)?,
                quantity_milli: r.get(7)?,
                unit_price_cents: r.get(8)?,
                amount_cents: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut facts: HashMap<i64, CaseFacts> = HashMap::new();
    // Remaining money, filled from the database the first time a case or child is met and
    // then lowered by every line accepted above.
    let mut annex_used: HashMap<i64, ActivityUse> = HashMap::new();
    let mut child_used: HashMap<i64, HashMap<i32, i64>> = HashMap::new();
    let mut above_annex: HashMap<(i64, String, i32), i64> = HashMap::new();
    let mut above_child: HashMap<(i64, i32), i64> = HashMap::new();
    let mut caps: HashMap<i32, Option<i64>> = HashMap::new();
    let mut out = Vec::with_capacity(lines.len());
    for l in &lines {
        let mut reasons = Vec::new();
        let date = fmt(l.service_date);
        let year = l.service_date.year();
        // The case: stored at entry; looked up again when the child was registered later.
        let case_id = match l.case_id {
            Some(c) => Some(c),
            None => case_for(conn, &l.child_code, &l.decision_number)?,
        };
        let Some(case_id) = case_id else {
            reasons.push(reason(
                "child.unknown",
                "reject",
                l.amount_cents,
                format!("Isikukoodiga {} last ei ole registris.", l.child_code),
                format!(
                    "No child with the personal code {} is on the register.",
                    l.child_code
                ),
            ));
            out.push(LineVerdict {
                line_id: l.id,
                reasons,
                verdict: "reject",
                accepted_cents: 0,
            });
            continue;
        };
        if let std::collections::hash_map::Entry::Vacant(e) = facts.entry(case_id) {
            let child_id = child_of(conn, case_id)?;
            let confirmations = confirmations(conn, case_id)?
                .into_iter()
                .map(|c| (c.period_from, c.period_to, c.provider_id))
                .collect();
            e.insert(CaseFacts {
                grants: grants(conn, case_id)?,
                child_id,
                confirmations,
            });
            let grants = &facts[&case_id].grants;
            annex_used.insert(case_id, case_use(conn, case_id, Some(invoice_id), grants)?);
            if let std::collections::hash_map::Entry::Vacant(c) = child_used.entry(child_id) {
                c.insert(child_use(conn, child_id, Some(invoice_id))?);
            }
        }
        let f = &facts[&case_id];
        // The decision in force on the service date.
        let named = if l.decision_number.is_empty() {
            None
        } else {
            Some(l.decision_number.as_str())
        };
        let grant = f
            .grants
            .iter()
            .filter(|g| named.is_none_or(|n| g.number == n))
            .find(|g| g.covers(l.service_date));
        if grant.is_none() {
            let (et, en) = match (
                named,
                f.grants.iter().find(|g| Some(g.number.as_str()) == named),
            ) {
                (Some(n), Some(g)) => (
                    format!(
                        "Otsus {n} kehtib {}–{}; teenuse kuupäev {date} jääb sellest välja.",
                        fmt(g.valid_from),
                        fmt(g.valid_to)
                    ),
                    format!(
                        "Decision {n} is valid {}–{}; the service date {date} is outside it.",
                        fmt(g.valid_from),
                        fmt(g.valid_to)
                    ),
                ),
                (Some(n), None) => (
                    format!("Lapsel ei ole kehtivat suunamisotsust numbriga {n}."),
                    format!("The child has no referral decision in force numbered {n}."),
                ),
                (None, _) => (
                    format!("Lapsel ei ole {date} kehtivat suunamisotsust."),
                    format!("The child has no referral decision in force on {date}."),
                ),
            };
            reasons.push(reason(
                "decision.not_valid",
                "reject",
                l.amount_cents,
                et,
                en,
            ));
        }
        let in_annex = grant.and_then(|g| g.annex.iter().find(|a| a.code == l.activity_code));
        // The annex year the line counts against: its own, or for the rehabilitation plan in
        // the referral's first period the year the referral began.
        let annex_year = grant.map_or(year, |g| {
            crate::decisions::annex_year(&l.activity_code, l.service_date, g.valid_from)
        });
        if let Some(g) = grant {
            if in_annex.is_none_or(|a| a.cents_in(annex_year) == 0) {
                let plan = if l.activity_code == crate::decisions::REHABILITATION_PLAN {
                    (
                        format!(
                            " Rehabilitatsiooniplaan koostatakse otsuse esimese {} päeva jooksul.",
                            crate::decisions::FIRST_PERIOD_DAYS
                        ),
                        format!(
                            " The rehabilitation plan is made within the first {} days of the decision.",
                            crate::decisions::FIRST_PERIOD_DAYS
                        ),
                    )
                } else {
                    (String::new(), String::new())
                };
                reasons.push(reason(
                    "activity.not_in_annex",
                    "reject",
                    l.amount_cents,
                    format!(
                        "Tegevust {} ei ole otsuse {} lisas aastaks {year}.{}",
                        l.activity_code, g.number, plan.0
                    ),
                    format!(
                        "Activity {} is not in the annex of decision {} for {year}.{}",
                        l.activity_code, g.number, plan.1
                    ),
                ));
            }
        }
        if !f.confirmations.iter().any(|(from, to, p)| {
            *from <= l.service_date && l.service_date <= *to && p.is_none_or(|p| p == provider_id)
        }) {
            reasons.push(reason(
                "confirmation.missing",
                "reject",
                l.amount_cents,
                format!("Lapsevanema kinnitust {date} osutatud teenuse kohta ei ole juhtumile märgitud."),
                format!("No parent's confirmation covering the service on {date} is recorded on the case."),
            ));
        }
        // The price list on the service date and the line's own arithmetic.
        let listed = book.on(&l.activity_code, &l.mode, l.service_date);
        let billed = line_amount(l.quantity_milli, l.unit_price_cents);
        let qty = quantity_text(l.quantity_milli, true);
        let qty_en = quantity_text(l.quantity_milli, true);
        let mut payable = l.amount_cents;
        match listed {
            None => reasons.push(reason(
                "price.unknown",
                "reject",
                l.amount_cents,
                format!(
                    "Tegevusel {} ei ole hinnakirjas {date} kehtivat hinda.",
                    l.activity_code
                ),
                format!(
                    "Activity {} has no price in the price list on {date}.",
                    l.activity_code
                ),
            )),
            Some(p) => {
                let list_amount = line_amount(l.quantity_milli, p.price_cents);
                payable = l.amount_cents.min(list_amount);
                if l.unit_price_cents != p.price_cents {
                    let cut = (l.amount_cents.min(billed) - list_amount).max(0);
                    reasons.push(reason(
                        "price.differs",
                        if cut > 0 { "reduce" } else { "note" },
                        cut,
                        format!(
                            "Ühikuhind {} erineb hinnakirja hinnast {} ({date}); arvestatakse {qty} × {} = {}.",
                            money_et(l.unit_price_cents),
                            money_et(p.price_cents),
                            money_et(p.price_cents),
                            money_et(list_amount)
                        ),
                        format!(
                            "The unit price {} differs from the price list's {} ({date}); counted {qty_en} × {} = {}.",
                            money_en(l.unit_price_cents),
                            money_en(p.price_cents),
                            money_en(p.price_cents),
                            money_en(list_amount)
                        ),
                    ));
                }
                if l.amount_cents != billed {
                    let cut = (l.amount_cents - billed.max(list_amount)).max(0);
                    reasons.push(reason(
                        "amount.mismatch",
                        if cut > 0 { "reduce" } else { "note" },
                        cut,
                        format!(
                            "Summa {} ei võrdu kogus × ühikuhind: {qty} × {} = {}.",
                            money_et(l.amount_cents),
                            money_et(l.unit_price_cents),
                            money_et(billed)
                        ),
                        format!(
                            "The amount {} is not quantity × unit price: {qty_en} × {} = {}.",
                            money_en(l.amount_cents),
                            money_en(l.unit_price_cents),
                            money_en(billed)
                        ),
                    ));
                }
            }
        }
        if reasons.iter().any(|r| r.effect == "reject") {
            out.push(LineVerdict {
                line_id: l.id,
                reasons,
                verdict: "reject",
                accepted_cents: 0,
            });
            continue;
        }
        // The annex's amount for the activity and year, and the child's yearly cap.
        if let Some(g) = grant {
            let granted: i64 = f
                .grants
                .iter()
                .flat_map(|g| g.annex.iter())
                .filter(|a| a.code == l.activity_code)
                .map(|a| a.cents_in(annex_year))
                .sum();
            let earlier = annex_used
                .get(&case_id)
                .and_then(|m| m.get(&(l.activity_code.clone(), annex_year)))
                .map(|u| u.0)
                .unwrap_or(0);
            let above = above_annex
                .get(&(case_id, l.activity_code.clone(), annex_year))
                .copied()
                .unwrap_or(0);
            let left = (granted - earlier - above).max(0);
            if payable > left {
                reasons.push(reason(
                    "annex.exceeded",
                    if left > 0 { "reduce" } else { "reject" },
                    payable - left,
                    format!(
                        "Otsuse {} lisas on tegevusele {} aastaks {annex_year} {}; varem aktsepteeritud {}, sellel arvel eespool {}; alles {}.",
                        g.number, l.activity_code, money_et(granted), money_et(earlier), money_et(above), money_et(left)
                    ),
                    format!(
                        "The annex of decision {} grants {} for activity {} in {annex_year}; accepted earlier {}, on the lines above {}; left {}.",
                        g.number, money_en(granted), l.activity_code, money_en(earlier), money_en(above), money_en(left)
                    ),
                ));
                payable = left;
            }
        }
        let cap = match caps.get(&year) {
            Some(c) => *c,
            None => {
                let c = crate::prices::yearly_cap(conn, year)?.map(|c| c.0);
                caps.insert(year, c);
                c
            }
        };
        if let Some(cap) = cap {
            let earlier = child_used
                .get(&f.child_id)
                .and_then(|m| m.get(&year))
                .copied()
                .unwrap_or(0);
            let above = above_child.get(&(f.child_id, year)).copied().unwrap_or(0);
            let left = (cap - earlier - above).max(0);
            if payable > left {
                reasons.push(reason(
                    "cap.exceeded",
                    if left > 0 { "reduce" } else { "reject" },
                    payable - left,
                    format!(
                        "Lapse aasta {year} piirmäär on {}; varem aktsepteeritud {}, sellel arvel eespool {}; alles {}.",
                        money_et(cap), money_et(earlier), money_et(above), money_et(left)
                    ),
                    format!(
                        "The child's yearly cap for {year} is {}; accepted earlier {}, on the lines above {}; left {}.",
                        money_en(cap), money_en(earlier), money_en(above), money_en(left)
                    ),
                ));
                payable = left;
            }
        }
        *above_annex
            .entry((case_id, l.activity_code.clone(), annex_year))
            .or_default() += payable;
        *above_child.entry((f.child_id, year)).or_default() += payable;
        let verdict = if payable == l.amount_cents {
            "ok"
        } else if payable == 0 {
            "reject"
        } else {
            "part"
        };
        out.push(LineVerdict {
            line_id: l.id,
            reasons,
            verdict,
            accepted_cents: payable,
        });
    }
    Ok(out)
}

pub(super) fn write_verdicts(
    tx: &Transaction,
    verdicts: &[LineVerdict],
    now: DateTime<Utc>,
) -> Result<i64> {
    let mut stmt = tx.prepare_cached(
        "UPDATE invoice_line SET check_reasons = ?2, verdict = ?3, accepted_cents = ?4,
            override_note = '', updated_at = ?5 WHERE id = ?1",
    )?;
    let mut accepted = 0;
    for v in verdicts {
        stmt.execute(params![
            v.line_id,
            serde_json::to_string(&v.reasons).unwrap_or_else(|_| "[]".into()),
            v.verdict,
            v.accepted_cents,
            ts(now)
        ])?;
        accepted += v.accepted_cents;
    }
    Ok(accepted)
}

/// Check an invoice not yet decided and keep the verdicts on its lines.
pub fn check(tx: &Transaction, id: i64, now: DateTime<Utc>) -> Result<()> {
    frozen(tx, id)?;
    let verdicts = check_lines(tx, id)?;
    let accepted = write_verdicts(tx, &verdicts, now)?;
    tx.execute_cached(
        "UPDATE invoice SET status = 'checked', accepted_cents = ?2, checked_at = ?3, updated_at = ?3
         WHERE id = ?1",
        params![id, accepted, ts(now)],
    )?;
    Ok(())
}

/// The coordinator's outcome. The check runs again in the same transaction (another invoice
/// may have been decided since), the outcome follows from its figures, and the invoice is frozen.
/// `reject_all` rejects the whole invoice, with a note saying why.
pub fn decide(
    tx: &Transaction,
    id: i64,
    reject_all: bool,
    note: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<String> {
    frozen(tx, id)?;
    if status_of(tx, id)? != "checked" {
        return Err(Error::InvoiceNotChecked);
    }
    if reject_all && note.trim().is_empty() {
        return Err(Error::field(
            "note",
            "required",
            "Kirjuta, miks kogu arve tagasi lükatakse.",
            "Write why the whole invoice is rejected.",
        ));
    }
    let mut verdicts = check_lines(tx, id)?;
    if !reject_all {
        refuse_if_changed(tx, id, &verdicts)?;
    }
    if reject_all {
        for v in &mut verdicts {
            v.verdict = "reject";
            v.accepted_cents = 0;
        }
    }
    let accepted = write_verdicts(tx, &verdicts, now)?;
    if reject_all {
        tx.execute_cached(
            "UPDATE invoice_line SET override_note = ?2 WHERE invoice_id = ?1",
            params![id, note.trim()],
        )?;
    }
    let total: i64 =
        tx.query_row_cached("SELECT total_cents FROM invoice WHERE id = ?1", [id], |r| {
            r.get(0)
        })?;
    let status = outcome_of(total, accepted);
    tx.execute_cached(
        "UPDATE invoice SET status = ?2, accepted_cents = ?3, outcome_note = ?4, checked_at = ?5,
            decided_at = ?5, decided_by = ?6, updated_at = ?5 WHERE id = ?1",
        params![id, status, accepted, note.trim(), ts(now), by],
    )?;
    Ok(status.to_string())
}

/// The outcome confirmed is the one the coordinator saw: when the fresh check differs from the
/// stored one on any line (verdict or accepted cents), e.g. because another invoice using the
/// same child's money was decided meanwhile, nothing is decided and the error names the new
/// figures, so the coordinator looks again and confirms the new outcome knowingly.
pub(super) fn refuse_if_changed(tx: &Transaction, id: i64, fresh: &[LineVerdict]) -> Result<()> {
    let stored: HashMap<i64, (String, i64)> = tx
        .prepare_cached(
            "SELECT id, verdict, accepted_cents FROM invoice_line WHERE invoice_id = ?1",
        )?
        .query_map([id], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
        .collect::<rusqlite::Result<_>>()?;
    let same = fresh.len() == stored.len()
        && fresh.iter().all(|v| {
            stored
                .get(&v.line_id)
                .is_some_and(|(verdict, cents)| verdict == v.verdict && *cents == v.accepted_cents)
        });
    if same {
        return Ok(());
    }
    let (total, before): (i64, i64) = tx.query_row_cached(
        "SELECT total_cents, accepted_cents FROM invoice WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let accepted: i64 = fresh.iter().map(|v| v.accepted_cents).sum();
    let (et, en) = match outcome_of(total, accepted) {
        "accepted" => ("aktsepteeritud", "accepted"),
        "partly_accepted" => ("osaliselt aktsepteeritud", "partly accepted"),
        _ => ("tagasi lükatud", "rejected"),
    };
    Err(Error::field(
        "outcome",
        "invoice.check_changed",
        &format!(
            "Kontrolli tulemus muutus vahepeal: nüüd {et} – aktsepteeritakse {} summast {} (enne {}). Vaata arve uuesti üle ja kinnita uus tulemus.",
            money_et(accepted),
            money_et(total),
            money_et(before)
        ),
        &format!(
            "The check's result changed meanwhile: now {en} – {} of {} accepted (before {}). Look at the invoice again and confirm the new outcome.",
            money_en(accepted),
            money_en(total),
            money_en(before)
        ),
    ))
}

/// The cases an invoice's lines name (for the audit trail of a case).
pub fn cases_of(conn: &Connection, id: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT case_id FROM invoice_line WHERE invoice_id = ?1 AND case_id IS NOT NULL",
    )?;
    let list = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}
