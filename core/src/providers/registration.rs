//! The family's registration with a provider: 60 days counted from the day the referral
//! decision reached the family, met once the family registered. The case view and the dashboard
//! show it in place of the one the deadlines part counts from the status change.

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::deadlines::rules::RuleBook;
use crate::deadlines::schedule::{from_rule, CaseDeadline};
use crate::deadlines::{self, Period, Unit};
use crate::error::{Localized, Result};
use crate::providers::referrals::{current_choice, referral_delivered_on};
use crate::store::cached::CachedSql;

fn fmt(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// The 60-day registration with a provider, counted from the day the referral decision reached
/// the family ([`referral_delivered_on`]); met once the family registered.
pub fn registration_deadline(
    conn: &Connection,
    case_id: i64,
    today: NaiveDate,
) -> Result<Option<CaseDeadline>> {
    let Some(sent) = referral_delivered_on(conn, case_id)? else {
        return Ok(None);
    };
    let status: String = conn.query_row_cached(
        "SELECT status FROM srt_case WHERE id = ?1",
        [case_id],
        |r| r.get(0),
    )?;
    if status == "closed" {
        return Ok(None);
    }
    let registered = current_choice(conn, case_id)?.and_then(|c| c.registered_on);
    let book = RuleBook::load(conn)?;
    let (d, name, legal) = from_rule(
        &book,
        "provider_registration",
        sent,
        Period {
            count: 60,
            unit: Unit::CalendarDays,
        },
    );
    let (state, explanation) = match registered {
        Some(r) => (
            "met",
            Localized::new(
                format!("{} Pere registreerus {}.", d.explanation.et, fmt(r)),
                format!("{} The family registered on {}.", d.explanation.en, fmt(r)),
            ),
        ),
        None => ("running", d.explanation.clone()),
    };
    Ok(Some(CaseDeadline {
        kind: "provider_registration".into(),
        due: d.due,
        days_left: deadlines::days_left(d.due, today),
        state: state.into(),
        title: name,
        explanation,
        legal_ref: legal,
    }))
}

/// Put the registration deadline counted from the decision's delivery in place of the one
/// counted from the status change.
pub fn merge_registration(
    conn: &Connection,
    case_id: i64,
    today: NaiveDate,
    list: &mut Vec<CaseDeadline>,
) -> Result<()> {
    if let Some(d) = registration_deadline(conn, case_id, today)? {
        list.retain(|x| x.kind != "provider_registration");
        list.push(d);
        list.sort_by_key(|d| (d.state != "running", d.due));
    }
    Ok(())
}
