//! The family's choice of a provider as recorded, the day the referral decision reached them, and
//! the registration with the provider: 60 days counted from that day, met once the family
//! registered. The case page and the dashboard show it in place of the one the deadlines part
//! counts from the status change.

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use crate::deadlines::rules::RuleBook;
use crate::deadlines::schedule::{from_rule, CaseDeadline};
use crate::deadlines::{self, Period, Unit};
use crate::error::{Localized, Result};
use crate::store::cached::CachedSql;

fn fmt(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    pub id: i64,
    pub provider_id: Option<i64>,
    pub provider_name: Option<String>,
    pub decision_sent_on: Option<NaiveDate>,
    pub chosen_on: Option<NaiveDate>,
    pub registered_on: Option<NaiveDate>,
    pub service_start: Option<NaiveDate>,
    pub notes: String,
    pub updated_at: String,
}

pub(crate) fn choices(conn: &Connection, case_id: i64) -> Result<Vec<Choice>> {
    let mut stmt = conn.prepare_cached(
        "SELECT pc.id, pc.provider_id, p.name, pc.decision_sent_on, pc.chosen_on, pc.registered_on,
                pc.service_start, pc.notes, pc.updated_at
         FROM provider_choice pc LEFT JOIN provider p ON p.id = pc.provider_id
         WHERE pc.case_id = ?1 ORDER BY pc.id DESC",
    )?;
    let list = stmt
        .query_map([case_id], |r| {
            Ok(Choice {
                id: r.get(0)?,
                provider_id: r.get(1)?,
                provider_name: r.get(2)?,
                decision_sent_on: r.get(3)?,
                chosen_on: r.get(4)?,
                registered_on: r.get(5)?,
                service_start: r.get(6)?,
                notes: r.get(7)?,
                updated_at: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

pub fn current_choice(conn: &Connection, case_id: i64) -> Result<Option<Choice>> {
    Ok(choices(conn, case_id)?.into_iter().next())
}

/// The day the referral decision reached the family, which the 60-day registration counts from.
/// Decisions are not in the desk yet: until they are, it is the date the coordinator entered
/// with the choice. This is the one place to read the decision's delivery date from later.
pub fn referral_delivered_on(conn: &Connection, case_id: i64) -> Result<Option<NaiveDate>> {
    // The referral decision's recorded delivery wins; the date typed with the choice is for
    // cases decided before decisions were kept in the app.
    if let Some(d) = recorded_delivery(conn, case_id)? {
        return Ok(Some(d));
    }
    Ok(current_choice(conn, case_id)?.and_then(|c| c.decision_sent_on))
}

/// The day the case's referral decision was marked delivered in the app, if it was.
pub(crate) fn recorded_delivery(conn: &Connection, case_id: i64) -> Result<Option<NaiveDate>> {
    let delivered: Option<String> = conn.query_row_cached(
        "SELECT max(delivered_on) FROM decision
         WHERE case_id = ?1 AND kind = 'referral' AND +status = 'sent'",
        [case_id],
        |r| r.get(0),
    )?;
    Ok(delivered.and_then(|d| crate::values::parse_date(&d)))
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
