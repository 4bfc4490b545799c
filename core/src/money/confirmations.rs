//! The parent's confirmations of services received.

use super::*;

pub const CHANNELS: [&str; 5] = ["paper", "email", "phone", "portal", "other"];

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Confirmation {
    pub id: i64,
    pub case_id: i64,
    pub provider_id: Option<i64>,
    pub provider_name: Option<String>,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub confirmed_on: NaiveDate,
    pub channel: String,
    pub notes: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConfirmationInput {
    pub provider_id: Option<i64>,
    pub period_from: String,
    pub period_to: String,
    pub confirmed_on: String,
    pub channel: String,
    pub notes: String,
}

pub fn confirmations(conn: &Connection, case_id: i64) -> Result<Vec<Confirmation>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.case_id, s.provider_id, p.name, s.period_from, s.period_to,
                s.confirmed_on, s.channel, s.notes
         FROM service_confirmation s LEFT JOIN provider p ON p.id = s.provider_id
         WHERE s.case_id = ?1 ORDER BY s.period_from, s.id",
    )?;
    let list = stmt
        .query_map([case_id], |r| {
            Ok(Confirmation {
                id: r.get(0)?,
                case_id: r.get(1)?,
                provider_id: r.get(2)?,
                provider_name: r.get(3)?,
                period_from: r.get(4)?,
                period_to: r.get(5)?,
                confirmed_on: r.get(6)?,
                channel: r.get(7)?,
                notes: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

pub(super) fn date_field(
    errors: &mut Vec<FieldError>,
    field: &str,
    text: &str,
) -> Option<NaiveDate> {
    let d = crate::values::parse_date(text);
    if d.is_none() {
        errors.push(crate::values::date_error(field, text));
    }
    d
}

pub fn add_confirmation(
    tx: &Transaction,
    case_id: i64,
    input: &ConfirmationInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    child_of(tx, case_id)?;
    let mut errors = Vec::new();
    let from = date_field(&mut errors, "periodFrom", &input.period_from);
    let to = date_field(&mut errors, "periodTo", &input.period_to);
    let on = date_field(&mut errors, "confirmedOn", &input.confirmed_on);
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            errors.push(FieldError::new(
                "periodTo",
                "date.order",
                "Perioodi lõpp on enne algust.",
                "The period ends before it starts.",
            ));
        }
    }
    if on.is_some_and(|d| d > today) {
        errors.push(FieldError::new(
            "confirmedOn",
            "date.future",
            "Kinnituse kuupäev ei saa olla tulevikus.",
            "The confirmation date cannot be in the future.",
        ));
    }
    if !CHANNELS.contains(&input.channel.as_str()) {
        errors.push(FieldError::new(
            "channel",
            "invalid_choice",
            "Vali, kuidas kinnitus saadi.",
            "Choose how the confirmation came.",
        ));
    }
    if let Some(p) = input.provider_id {
        let exists: bool = tx.query_row_cached(
            "SELECT EXISTS (SELECT 1 FROM provider WHERE id = ?1)",
            [p],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(Error::ProviderNotFound(p));
        }
    }
    let (Some(from), Some(to), Some(on), true) = (from, to, on, errors.is_empty()) else {
        return Err(Error::Validation(errors));
    };
    tx.execute_cached(
        "INSERT INTO service_confirmation (case_id, provider_id, period_from, period_to,
            confirmed_on, channel, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            case_id,
            input.provider_id,
            from.to_string(),
            to.to_string(),
            on.to_string(),
            input.channel,
            input.notes.trim(),
            ts(now)
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Remove a confirmation recorded by mistake (a mistyped period lets every line of the period
/// pass the confirmation rule). Refused while a decided invoice's accepted line relies on it,
/// i.e. falls in its period (and provider) and no other confirmation of the case covers it:
/// that outcome is frozen and was paid on this confirmation. Undecided invoices need no guard:
/// their outcome is refused until they are checked again (see [`decide`]).
pub fn remove_confirmation(tx: &Transaction, case_id: i64, id: i64) -> Result<Confirmation> {
    let all = confirmations(tx, case_id)?;
    let Some(gone) = all.iter().find(|c| c.id == id).cloned() else {
        return Err(Error::field(
            "confirmation",
            "not_found",
            "Seda kinnitust juhtumil ei ole (see võib olla juba eemaldatud).",
            "The case has no such confirmation (it may have been removed already).",
        ));
    };
    let mut stmt = tx.prepare_cached(
        "SELECT i.number, i.provider_id, l.service_date
         FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
         WHERE (l.case_id = ?1 OR (l.case_id IS NULL AND l.child_code IN
                 (SELECT ch.personal_code FROM srt_case c JOIN child ch ON ch.id = c.child_id
                  WHERE c.id = ?1)))
           AND i.status IN ('accepted', 'partly_accepted') AND l.accepted_cents > 0
           AND l.service_date BETWEEN ?2 AND ?3 AND (?4 IS NULL OR i.provider_id = ?4)
         ORDER BY l.service_date, i.number",
    )?;
    let relying: Vec<(String, NaiveDate)> = stmt
        .query_map(
            params![
                case_id,
                gone.period_from.to_string(),
                gone.period_to.to_string(),
                gone.provider_id
            ],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, NaiveDate>(2)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|(_, provider, day)| {
            !all.iter().any(|c| {
                c.id != id
                    && c.period_from <= *day
                    && *day <= c.period_to
                    && c.provider_id.is_none_or(|p| p == *provider)
            })
        })
        .map(|(number, _, day)| (number, day))
        .collect();
    if !relying.is_empty() {
        let mut numbers: Vec<&str> = relying.iter().map(|(n, _)| n.as_str()).collect();
        numbers.sort_unstable();
        numbers.dedup();
        let numbers = numbers.join(", ");
        let (first, last) = (relying[0].1, relying[relying.len() - 1].1);
        let days = if first == last {
            fmt(first)
        } else {
            format!("{}–{}", fmt(first), fmt(last))
        };
        return Err(Error::field(
            "confirmation",
            "confirmation.in_use",
            &format!(
                "Kinnitust ei saa eemaldada: arve {numbers} otsus on tehtud ja selle aktsepteeritud read ({days}) tuginevad sellele kinnitusele."
            ),
            &format!(
                "The confirmation cannot be removed: invoice {numbers} has its outcome and its accepted lines ({days}) rely on this confirmation."
            ),
        ));
    }
    tx.execute_cached(
        "DELETE FROM service_confirmation WHERE id = ?1 AND case_id = ?2",
        params![id, case_id],
    )?;
    Ok(gone)
}
