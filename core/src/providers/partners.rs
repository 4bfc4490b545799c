//! The coordinator's network: partners (municipalities' child-protection workers, schools,
//! health care, the unemployment insurance fund, others) with tags, and the contact log per
//! provider, partner and case with follow-up dates for the dashboard. Owns partner, contact_log.

use crate::store::cached::CachedSql;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldError, Result};
use crate::values::{is_email, is_phone, parse_date};

pub const PARTNER_KINDS: [&str; 5] = ["kov", "school", "health", "unemployment_fund", "other"];
pub const CHANNELS: [&str; 5] = ["phone", "email", "meeting", "letter", "other"];

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PartnerInput {
    pub name: String,
    pub kind: String,
    pub municipality_code: String,
    pub contact_name: String,
    pub phone: String,
    pub email: String,
    pub tags: String,
    pub notes: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Partner {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub municipality_code: Option<String>,
    pub municipality_name: Option<String>,
    pub contact_name: String,
    pub phone: String,
    pub email: String,
    pub tags: Vec<String>,
    pub notes: String,
}

fn tags_of(s: &str) -> Vec<String> {
    // As typed, without repeats ("Tartu" and "tartu" are one tag).
    let mut out: Vec<String> = Vec::new();
    for t in s.split([',', ';']).map(str::trim) {
        if !t.is_empty() && !out.iter().any(|o| o.to_lowercase() == t.to_lowercase()) {
            out.push(t.to_string());
        }
    }
    out
}

fn required(e: &mut Vec<FieldError>, field: &str, value: &str) {
    if value.trim().is_empty() {
        e.push(FieldError::new(
            field,
            "required",
            "Kohustuslik väli.",
            "This field is required.",
        ));
    }
}

pub fn save_partner(
    tx: &Transaction,
    id: Option<i64>,
    input: &PartnerInput,
    now: DateTime<Utc>,
) -> Result<i64> {
    let mut e = Vec::new();
    required(&mut e, "name", &input.name);
    if !PARTNER_KINDS.contains(&input.kind.as_str()) {
        e.push(FieldError::new(
            "kind",
            "invalid_choice",
            "Vali loetelust.",
            "Choose from the list.",
        ));
    }
    let municipality = input.municipality_code.trim();
    if !municipality.is_empty()
        && crate::cases::places::municipality_name(tx, municipality)?.is_none()
    {
        e.push(FieldError::new(
            "municipalityCode",
            "unknown_municipality",
            "Tundmatu omavalitsus.",
            "Unknown municipality.",
        ));
    }
    if input.kind == "kov" && municipality.is_empty() {
        e.push(FieldError::new(
            "municipalityCode",
            "required",
            "Vali omavalitsus, kelle lastekaitsetöötaja see on.",
            "Choose the municipality this child-protection worker works for.",
        ));
    }
    if !input.email.trim().is_empty() && !is_email(input.email.trim()) {
        e.push(FieldError::new(
            "email",
            "email",
            "E-posti aadress ei ole õige kujuga (nt nimi@näide.ee).",
            "The e-mail address is not valid (e.g. name@example.ee).",
        ));
    }
    if !input.phone.trim().is_empty() && !is_phone(input.phone.trim()) {
        e.push(FieldError::new(
            "phone",
            "phone",
            "Telefoninumber ei ole õige kujuga (numbrid, võib alata +-ga).",
            "The phone number is not valid (digits, may start with +).",
        ));
    }
    if !e.is_empty() {
        return Err(Error::Validation(e));
    }
    let now = crate::clock::ts(now);
    let muni = (!municipality.is_empty()).then_some(municipality);
    let tags = tags_of(&input.tags).join(", ");
    match id {
        Some(id) => {
            let n = tx.execute_cached(
                "UPDATE partner SET name = ?2, kind = ?3, municipality_code = ?4, contact_name = ?5,
                 phone = ?6, email = ?7, tags = ?8, notes = ?9, updated_at = ?10 WHERE id = ?1",
                params![
                    id,
                    input.name.trim(),
                    input.kind,
                    muni,
                    input.contact_name.trim(),
                    input.phone.trim(),
                    input.email.trim(),
                    tags,
                    input.notes.trim(),
                    now
                ],
            )?;
            if n == 0 {
                return Err(Error::PartnerNotFound(id));
            }
            Ok(id)
        }
        None => {
            tx.execute_cached(
                "INSERT INTO partner (name, kind, municipality_code, contact_name, phone, email, tags,
                 notes, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
                params![
                    input.name.trim(),
                    input.kind,
                    muni,
                    input.contact_name.trim(),
                    input.phone.trim(),
                    input.email.trim(),
                    tags,
                    input.notes.trim(),
                    now
                ],
            )?;
            Ok(tx.last_insert_rowid())
        }
    }
}

pub fn partners(conn: &Connection) -> Result<Vec<Partner>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.name, p.kind, p.municipality_code, m.name, p.contact_name, p.phone, p.email,
                p.tags, p.notes
         FROM partner p LEFT JOIN municipality m ON m.ehak_code = p.municipality_code
         ORDER BY p.name COLLATE NOCASE, p.id",
    )?;
    let list = stmt
        .query_map([], |r| {
            let tags: String = r.get(8)?;
            Ok(Partner {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: r.get(2)?,
                municipality_code: r.get(3)?,
                municipality_name: r.get(4)?,
                contact_name: r.get(5)?,
                phone: r.get(6)?,
                email: r.get(7)?,
                tags: tags_of(&tags),
                notes: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

// ---- Contact log ----

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContactEntryInput {
    pub provider_id: Option<i64>,
    pub partner_id: Option<i64>,
    pub case_id: Option<i64>,
    pub contact_date: String,
    pub channel: String,
    pub who: String,
    pub summary: String,
    pub follow_up_on: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ContactEntry {
    pub id: i64,
    pub provider_id: Option<i64>,
    pub provider_name: Option<String>,
    pub partner_id: Option<i64>,
    pub partner_name: Option<String>,
    pub case_id: Option<i64>,
    pub case_no: Option<String>,
    pub contact_date: NaiveDate,
    pub channel: String,
    pub who: String,
    pub summary: String,
    pub follow_up_on: Option<NaiveDate>,
    pub follow_up_done: bool,
}

/// Which log to list: one provider's, one partner's or one case's.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContactLogFilter {
    pub provider_id: Option<i64>,
    pub partner_id: Option<i64>,
    pub case_id: Option<i64>,
}

pub fn add_contact(
    tx: &Transaction,
    input: &ContactEntryInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    let mut e = Vec::new();
    if input.provider_id.is_none() && input.partner_id.is_none() && input.case_id.is_none() {
        e.push(FieldError::new(
            "who",
            "no_subject",
            "Märgi, kellega või millise juhtumi kohta suheldi.",
            "Say whom or which case the contact was about.",
        ));
    }
    let date = match parse_date(&input.contact_date) {
        Some(d) if d > today => {
            e.push(FieldError::new(
                "contactDate",
                "future",
                "Suhtlus ei saa olla tulevikus.",
                "A contact cannot be in the future.",
            ));
            None
        }
        Some(d) => Some(d),
        None => {
            e.push(crate::values::date_error(
                "contactDate",
                &input.contact_date,
            ));
            None
        }
    };
    if !CHANNELS.contains(&input.channel.as_str()) {
        e.push(FieldError::new(
            "channel",
            "invalid_choice",
            "Vali loetelust.",
            "Choose from the list.",
        ));
    }
    required(&mut e, "summary", &input.summary);
    let follow = if input.follow_up_on.trim().is_empty() {
        None
    } else {
        match parse_date(&input.follow_up_on) {
            Some(d) if date.is_some_and(|c| d < c) => {
                e.push(FieldError::new(
                    "followUpOn",
                    "before_contact",
                    "Järeltegevus ei saa olla enne suhtlust.",
                    "The follow-up cannot be before the contact.",
                ));
                None
            }
            Some(d) => Some(d),
            None => {
                e.push(crate::values::date_error("followUpOn", &input.follow_up_on));
                None
            }
        }
    };
    if !e.is_empty() {
        return Err(Error::Validation(e));
    }
    if let Some(id) = input.case_id {
        crate::casework::assessment::case_facts(tx, id)?;
    }
    let now = crate::clock::ts(now);
    tx.execute_cached(
        "INSERT INTO contact_log (provider_id, partner_id, case_id, contact_date, channel, who,
         summary, follow_up_on, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            input.provider_id,
            input.partner_id,
            input.case_id,
            date.map(|d| d.to_string()),
            input.channel,
            input.who.trim(),
            input.summary.trim(),
            follow.map(|d| d.to_string()),
            now
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn follow_up_done(tx: &Transaction, id: i64, now: DateTime<Utc>) -> Result<()> {
    let n = tx.execute_cached(
        "UPDATE contact_log SET follow_up_done = 1, updated_at = ?2 WHERE id = ?1",
        params![id, crate::clock::ts(now)],
    )?;
    if n == 0 {
        return Err(Error::ContactNotFound(id));
    }
    Ok(())
}

const ENTRY_SQL: &str = "
    SELECT l.id, l.provider_id, pr.name, l.partner_id, pa.name, l.case_id, c.case_no, l.contact_date,
           l.channel, l.who, l.summary, l.follow_up_on, l.follow_up_done
    FROM contact_log l LEFT JOIN provider pr ON pr.id = l.provider_id
    LEFT JOIN partner pa ON pa.id = l.partner_id LEFT JOIN srt_case c ON c.id = l.case_id";

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<ContactEntry> {
    Ok(ContactEntry {
        id: r.get(0)?,
        provider_id: r.get(1)?,
        provider_name: r.get(2)?,
        partner_id: r.get(3)?,
        partner_name: r.get(4)?,
        case_id: r.get(5)?,
        case_no: r.get(6)?,
        contact_date: r.get(7)?,
        channel: r.get(8)?,
        who: r.get(9)?,
        summary: r.get(10)?,
        follow_up_on: r.get(11)?,
        follow_up_done: r.get::<_, i64>(12)? == 1,
    })
}

pub fn contact_log(conn: &Connection, f: &ContactLogFilter) -> Result<Vec<ContactEntry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{ENTRY_SQL} WHERE (?1 IS NULL OR l.provider_id = ?1) AND (?2 IS NULL OR l.partner_id = ?2)
           AND (?3 IS NULL OR l.case_id = ?3)
         ORDER BY l.contact_date DESC, l.id DESC LIMIT 500"
    ))?;
    let list = stmt
        .query_map(params![f.provider_id, f.partner_id, f.case_id], entry)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

pub fn get_contact(conn: &Connection, id: i64) -> Result<ContactEntry> {
    conn.query_row_cached(&format!("{ENTRY_SQL} WHERE l.id = ?1"), [id], entry)
        .optional()?
        .ok_or(Error::ContactNotFound(id))
}

/// Open follow-ups due on or before `until`, soonest first (for the dashboard).
pub fn follow_ups_until(conn: &Connection, until: NaiveDate) -> Result<Vec<ContactEntry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{ENTRY_SQL} WHERE l.follow_up_done = 0 AND l.follow_up_on IS NOT NULL AND l.follow_up_on <= ?1
         ORDER BY l.follow_up_on, l.id"
    ))?;
    let list = stmt
        .query_map([until.to_string()], entry)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_keep_their_spelling_without_repeats() {
        assert_eq!(
            tags_of("autism, Tartu; tartu,, ATH "),
            vec!["autism", "Tartu", "ATH"]
        );
    }
}
