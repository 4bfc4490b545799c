//! Approval and delivery.

use super::*;

pub(super) fn next_number(tx: &Transaction, prefix: &str, now: DateTime<Utc>) -> Result<String> {
    // A desk in a team numbers from the blocks the team server reserved for it.
    if let Some(n) = crate::store::team_numbers::take(tx, "decision")? {
        return Ok(format!("{prefix}{n:06}"));
    }
    let n: i64 = tx.query_row_cached(
        "UPDATE decision_sequence SET last_value = last_value + 1, updated_at = ?1 WHERE id = 1
         RETURNING last_value",
        [ts(now)],
        |r| r.get(0),
    )?;
    Ok(format!("{prefix}{n:06}"))
}

/// Approve a draft: the check must have no errors and its warnings must be confirmed. The number
/// is given, the text frozen, the PDF made and filed on the case's documents, and a referral or
/// refusal moves the case to "decided". All or nothing.
pub fn approve(
    tx: &Transaction,
    id: i64,
    confirm_warnings: bool,
    coordinator: &crate::store::prefs::Coordinator,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<String> {
    let d = get(tx, id)?;
    must_be_draft(&d)?;
    let f = facts(tx, d.case_id, coordinator, today)?;
    let signer = f.signer.as_str();
    let c = check(tx, &d, &f, today)?;
    if !c.errors.is_empty() {
        return Err(c.refusal());
    }
    if !c.warnings.is_empty() && !confirm_warnings {
        return Err(c.refusal());
    }
    let number = next_number(tx, f.settings.number_prefix.trim(), now)?;
    let letter = letter(tx, &d, &f, Some(&number))?;
    let pdf = crate::decisions::letter_pdf::render_stamped(
        &letter,
        &crate::store::demo_flag::pdf_stamp(tx),
    )?;
    let date = d.decision_date.unwrap_or(today);
    let doc = crate::casework::documents::DocumentInput {
        direction: "out".into(),
        doc_type: "decision".into(),
        title: format!("{} {number}", kind_name(&d.kind)),
        doc_date: date.to_string(),
        reg_no: number.clone(),
        party: d.addressee_name.trim().to_string(),
        due_date: String::new(),
        notes: String::new(),
    };
    let doc_id = crate::casework::documents::insert(tx, d.case_id, &doc, date, None, now)?;
    crate::casework::documents::attach(
        tx,
        doc_id,
        &format!("otsus-{number}.pdf"),
        "application/pdf",
        &pdf,
        now,
    )?;
    crate::casework::documents::set_status(tx, doc_id, "done", now)?;
    if d.kind == "referral" || d.kind == "refusal" {
        crate::cases::change_status(
            tx,
            d.case_id,
            "decided",
            &format!("{} {number} kinnitati", kind_name(&d.kind)),
            now,
        )?;
    }
    tx.execute_cached(
        "UPDATE decision SET status = 'approved', number = ?2, decision_date = ?3, letter = ?4,
            approved_at = ?5, approved_by = ?6, warnings_confirmed = ?7, document_id = ?8, updated_at = ?5
         WHERE id = ?1",
        params![
            id,
            number,
            date.to_string(),
            to_json(&letter),
            ts(now),
            signer,
            c.warning_codes(),
            doc_id
        ],
    )?;
    Ok(number)
}

pub fn kind_name(kind: &str) -> &'static str {
    match kind {
        "referral" => "Suunamisotsus",
        "refusal" => "Keeldumisotsus",
        "amendment" => "Muutmisotsus",
        _ => "Lõpetamisotsus",
    }
}

/// Record the day the decision reached the addressee: the challenge period and the time to
/// choose a provider count from it.
pub fn mark_sent(
    tx: &Transaction,
    id: i64,
    delivered_on: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    let d = get(tx, id)?;
    if d.status != "approved" {
        return Err(Error::DecisionNotApproved);
    }
    let err = |code: &str, et: &str, en: &str| Err(Error::field("deliveredOn", code, et, en));
    let on = match crate::values::parse_date(delivered_on) {
        None => {
            return Err(Error::Validation(vec![crate::values::date_error(
                "deliveredOn",
                delivered_on,
            )]))
        }
        Some(x) if x > today => {
            return err(
                "date.future",
                "Kättetoimetamise kuupäev ei saa olla tulevikus.",
                "The delivery date cannot be in the future.",
            )
        }
        Some(x) if d.decision_date.is_some_and(|dd| x < dd) => {
            return err(
                "date.before_decision",
                "Otsust ei saa kätte toimetada enne selle kuupäeva.",
                "A decision cannot be delivered before its date.",
            )
        }
        Some(x) => x,
    };
    tx.execute_cached(
        "UPDATE decision SET status = 'sent', delivered_on = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, on.to_string(), ts(now)],
    )?;
    Ok(())
}

/// The PDF of an approved decision, as filed.
pub fn pdf_bytes(conn: &Connection, id: i64) -> Result<(String, Vec<u8>)> {
    let d = get(conn, id)?;
    let Some(doc) = d.document_id else {
        return Err(Error::DecisionNotApproved);
    };
    conn.query_row_cached(
        "SELECT file_name, content FROM attachment WHERE document_id = ?1 ORDER BY id LIMIT 1",
        [doc],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or(Error::DecisionNotApproved)
}

/// The decision events of a case for its timeline.
pub fn timeline_entries(
    conn: &Connection,
    case_id: i64,
) -> Result<Vec<crate::casework::timeline::TimelineEntry>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT kind, number, created_at, approved_at, approved_by, delivered_on FROM decision WHERE case_id = ?1",
    )?;
    let rows = stmt
        .query_map([case_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (kind, number, created, approved, by, delivered) in rows {
        let name = kind_name(&kind);
        let en = match kind.as_str() {
            "referral" => "Referral",
            "refusal" => "Refusal",
            "amendment" => "Amendment",
            _ => "Termination",
        };
        out.push(crate::casework::timeline::TimelineEntry {
            at: created,
            kind: "decision".into(),
            title: Localized::new(
                format!("Otsuse eelnõu: {}", name.to_lowercase()),
                format!("Decision drafted: {}", en.to_lowercase()),
            ),
            detail: String::new(),
        });
        if let (Some(at), Some(no)) = (approved, number.as_ref()) {
            out.push(crate::casework::timeline::TimelineEntry {
                at,
                kind: "decision".into(),
                title: Localized::new(
                    format!("{name} {no} kinnitati"),
                    format!("{en} {no} approved"),
                ),
                detail: by.unwrap_or_default(),
            });
        }
        if let (Some(on), Some(no)) = (delivered, number.as_ref()) {
            out.push(crate::casework::timeline::TimelineEntry {
                at: on,
                kind: "decision".into(),
                title: Localized::new(
                    format!("Otsus {no} toimetati kätte"),
                    format!("Decision {no} delivered"),
                ),
                detail: String::new(),
            });
        }
    }
    Ok(out)
}
