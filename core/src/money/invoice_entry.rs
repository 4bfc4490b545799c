//! Invoices: entry.

use super::*;

pub const STATUSES: [&str; 5] = [
    "draft",
    "checked",
    "accepted",
    "partly_accepted",
    "rejected",
];

pub(super) fn is_decided(status: &str) -> bool {
    matches!(status, "accepted" | "partly_accepted" | "rejected")
}

/// One line as typed (or read from the provider's CSV). An empty unit price is taken from the
/// price list on the service date, an empty amount is quantity × unit price.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct LineInput {
    pub child_code: String,
    pub decision_number: String,
    pub activity_code: String,
    pub mode: String,
    pub service_date: String,
    pub quantity: String,
    pub unit_price: String,
    pub amount: String,
    pub specialist: String,
    pub content: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InvoiceInput {
    pub provider_id: Option<i64>,
    pub number: String,
    pub invoice_date: String,
    pub period_from: String,
    pub period_to: String,
    pub notes: String,
    pub lines: Vec<LineInput>,
}

/// A line that passed the entry checks, with its unit price and amount filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidLine {
    pub child_code: String,
    pub decision_number: String,
    pub activity_code: String,
    pub mode: String,
    pub service_date: NaiveDate,
    pub quantity_milli: i64,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
    pub specialist: String,
    pub content: String,
}

#[derive(Debug, Clone)]
pub struct ValidInvoice {
    pub provider_id: i64,
    pub number: String,
    pub invoice_date: NaiveDate,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub notes: String,
    pub lines: Vec<ValidLine>,
}

pub(super) const MAX_LINES: usize = 5_000;

/// A line's form as typed or read from a provider's file, in either language and any case:
/// Some("") when empty (the price list decides), None when it is not a form.
pub fn mode_of(text: &str) -> Option<&'static str> {
    match text.trim().to_lowercase().as_str() {
        "" => Some(""),
        "individual" | "individuaalne" => Some("individual"),
        "group" | "rühm" | "grupp" => Some("group"),
        _ => None,
    }
}

/// Check one line's shape; errors are named `{prefix}{field}` (e.g. `lines.3.quantity`).
pub fn validate_line(
    book: &PriceBook,
    line: &LineInput,
    period: Option<(NaiveDate, NaiveDate)>,
    prefix: &str,
    errors: &mut Vec<FieldError>,
) -> Option<ValidLine> {
    let before = errors.len();
    let f = |name: &str| format!("{prefix}{name}");
    let child = line.child_code.trim();
    if child.is_empty() {
        errors.push(FieldError::new(
            f("childCode"),
            "required",
            "Sisesta lapse isikukood.",
            "Enter the child's personal code.",
        ));
    } else if let Err(e) = crate::cases::ids::PersonalCode::parse(child) {
        errors.push(e.to_field_error(&f("childCode")));
    }
    let code = line.activity_code.trim();
    if code.is_empty() {
        errors.push(FieldError::new(
            f("activityCode"),
            "required",
            "Sisesta tegevuse kood.",
            "Enter the activity code.",
        ));
    } else if !book.knows(code) {
        errors.push(FieldError::new(
            f("activityCode"),
            "activity.unknown",
            &format!("Tegevuse koodi {code} ei ole hinnakirjas."),
            &format!("The activity code {code} is not in the price list."),
        ));
    }
    let mode_typed = line.mode.trim();
    let mode = mode_of(mode_typed).unwrap_or_default();
    if mode_of(mode_typed).is_none() {
        errors.push(FieldError::new(
            f("mode"),
            "invalid_choice",
            &format!("Vorm „{mode_typed}” ei sobi: kirjuta „individuaalne” või „rühm” (tühja vormi võtab hinnakiri)."),
            &format!("The form “{mode_typed}” is not valid: write “individual” or “group” (an empty form is taken from the price list)."),
        ));
    }
    let date = date_field(errors, &f("serviceDate"), &line.service_date);
    if let (Some(d), Some((from, to))) = (date, period) {
        if d < from || d > to {
            errors.push(FieldError::new(
                f("serviceDate"),
                "date.outside_period",
                &format!(
                    "Teenuse kuupäev {} on väljaspool arve perioodi {}–{}.",
                    fmt(d),
                    fmt(from),
                    fmt(to)
                ),
                &format!(
                    "The service date {} is outside the invoice period {}–{}.",
                    fmt(d),
                    fmt(from),
                    fmt(to)
                ),
            ));
        }
    }
    let quantity = parse_quantity(&line.quantity).filter(|q| *q > 0);
    if quantity.is_none() {
        errors.push(FieldError::new(
            f("quantity"),
            "quantity.invalid",
            "Sisesta kogus (tunnid, päevad või km), nt 1,5.",
            "Enter the quantity (hours, days or km), e.g. 1.5.",
        ));
    }
    let listed = date.and_then(|d| book.on(code, mode, d));
    let unit_price = if line.unit_price.trim().is_empty() {
        match (listed, date, book.knows(code)) {
            (Some(p), _, _) => Some(p.price_cents),
            (None, Some(d), true) => {
                errors.push(FieldError::new(
                    f("unitPrice"),
                    "price.none_on_date",
                    &format!(
                        "Tegevusel {code} ei ole {} kehtivat hinda: sisesta ühikuhind.",
                        fmt(d)
                    ),
                    &format!(
                        "Activity {code} has no price on {}: enter the unit price.",
                        fmt(d)
                    ),
                ));
                None
            }
            _ => None,
        }
    } else {
        let p = parse_money(&line.unit_price);
        if p.is_none() {
            errors.push(FieldError::new(
                f("unitPrice"),
                "money.invalid",
                "Sisesta ühikuhind eurodes (nt 29,40).",
                "Enter the unit price in euros (e.g. 29.40).",
            ));
        }
        p
    };
    let amount = if line.amount.trim().is_empty() {
        quantity.zip(unit_price).map(|(q, p)| line_amount(q, p))
    } else {
        let a = parse_money(&line.amount);
        if a.is_none() {
            errors.push(FieldError::new(
                f("amount"),
                "money.invalid",
                "Sisesta summa eurodes (nt 58,80).",
                "Enter the amount in euros (e.g. 58.80).",
            ));
        }
        a
    };
    if errors.len() > before {
        return None;
    }
    let (Some(date), Some(quantity), Some(unit_price), Some(amount)) =
        (date, quantity, unit_price, amount)
    else {
        return None;
    };
    Some(ValidLine {
        child_code: child.to_string(),
        decision_number: line.decision_number.trim().to_string(),
        activity_code: code.to_string(),
        mode: if mode.is_empty() {
            listed
                .map(|p| p.mode.clone())
                .unwrap_or_else(|| "individual".into())
        } else {
            mode.to_string()
        },
        service_date: date,
        quantity_milli: quantity,
        unit_price_cents: unit_price,
        amount_cents: amount,
        specialist: line.specialist.trim().to_string(),
        content: line.content.trim().to_string(),
    })
}

/// Check an invoice as typed; every field in error is named. The same number from the same
/// provider is refused here, before anything is saved.
pub fn validate(
    conn: &Connection,
    book: &PriceBook,
    id: Option<i64>,
    input: &InvoiceInput,
) -> Result<ValidInvoice> {
    let mut errors = Vec::new();
    let provider = match input.provider_id {
        None => {
            errors.push(FieldError::new(
                "providerId",
                "required",
                "Vali teenuseosutaja.",
                "Choose the provider.",
            ));
            None
        }
        Some(p) => conn
            .query_row_cached("SELECT name FROM provider WHERE id = ?1", [p], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .map(|name| (p, name))
            .or_else(|| {
                errors.push(FieldError::new(
                    "providerId",
                    "provider.not_found",
                    "Sellist teenuseosutajat ei ole.",
                    "There is no such provider.",
                ));
                None
            }),
    };
    let number = input.number.trim();
    if number.is_empty() {
        errors.push(FieldError::new(
            "number",
            "required",
            "Sisesta arve number.",
            "Enter the invoice number.",
        ));
    } else if let Some((p, name)) = &provider {
        let other: Option<(i64, String)> = conn
            .query_row_cached(
                "SELECT id, invoice_date FROM invoice WHERE provider_id = ?1 AND number = ?2 AND id <> ?3",
                params![p, number, id.unwrap_or(-1)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((_, date)) = other {
            let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                .map(fmt)
                .unwrap_or(date);
            errors.push(FieldError::new(
                "number",
                "invoice.duplicate",
                &format!(
                    "Teenuseosutaja {name} arve number {number} ({date}) on juba sisestatud. Sama arvet ei sisestata kaks korda."
                ),
                &format!(
                    "Invoice number {number} ({date}) from {name} is already entered. The same invoice is not entered twice."
                ),
            ));
        }
    }
    let invoice_date = date_field(&mut errors, "invoiceDate", &input.invoice_date);
    let from = date_field(&mut errors, "periodFrom", &input.period_from);
    let to = date_field(&mut errors, "periodTo", &input.period_to);
    let period = match (from, to) {
        (Some(f), Some(t)) if t < f => {
            errors.push(FieldError::new(
                "periodTo",
                "date.order",
                "Perioodi lõpp on enne algust.",
                "The period ends before it starts.",
            ));
            None
        }
        (Some(f), Some(t)) => Some((f, t)),
        _ => None,
    };
    if input.lines.is_empty() {
        errors.push(FieldError::new(
            "lines",
            "required",
            "Arvel peab olema vähemalt üks rida.",
            "An invoice needs at least one line.",
        ));
    }
    if input.lines.len() > MAX_LINES {
        errors.push(FieldError::new(
            "lines",
            "too_many",
            &format!("Arvel võib olla kuni {MAX_LINES} rida."),
            &format!("An invoice may have up to {MAX_LINES} lines."),
        ));
    }
    let mut lines = Vec::new();
    for (i, l) in input.lines.iter().enumerate() {
        if let Some(v) = validate_line(book, l, period, &format!("lines.{i}."), &mut errors) {
            lines.push(v);
        }
    }
    let (Some((provider_id, _)), Some(invoice_date), Some((period_from, period_to)), true) =
        (provider, invoice_date, period, errors.is_empty())
    else {
        return Err(Error::Validation(errors));
    };
    Ok(ValidInvoice {
        provider_id,
        number: number.to_string(),
        invoice_date,
        period_from,
        period_to,
        notes: input.notes.trim().to_string(),
        lines,
    })
}

/// The case a line belongs to: the case of the named decision when it is this child's, else
/// the child's latest case.
pub(super) fn case_for(
    conn: &Connection,
    child_code: &str,
    decision_number: &str,
) -> Result<Option<i64>> {
    if !decision_number.is_empty() {
        let by_decision: Option<i64> = conn
            .prepare_cached(
                "SELECT d.case_id FROM decision d JOIN srt_case c ON c.id = d.case_id
                 JOIN child ch ON ch.id = c.child_id
                 WHERE d.number = ?1 AND ch.personal_code = ?2",
            )?
            .query_row(params![decision_number, child_code], |r| r.get(0))
            .optional()?;
        if by_decision.is_some() {
            return Ok(by_decision);
        }
    }
    Ok(conn
        .prepare_cached(
            "SELECT c.id FROM srt_case c JOIN child ch ON ch.id = c.child_id
             WHERE ch.personal_code = ?1 ORDER BY c.id DESC LIMIT 1",
        )?
        .query_row([child_code], |r| r.get(0))
        .optional()?)
}

pub(super) fn status_of(conn: &Connection, id: i64) -> Result<String> {
    conn.query_row_cached("SELECT status FROM invoice WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or(Error::InvoiceNotFound(id))
}

pub(super) fn frozen(conn: &Connection, id: i64) -> Result<()> {
    let status = status_of(conn, id)?;
    if is_decided(&status) {
        let number: String =
            conn.query_row_cached("SELECT number FROM invoice WHERE id = ?1", [id], |r| {
                r.get(0)
            })?;
        return Err(Error::InvoiceFrozen { number });
    }
    Ok(())
}

/// Save a new invoice (`id` None) or replace a draft's header and lines; the check's verdicts
/// are cleared (the invoice is a draft again until checked).
pub fn save(
    tx: &Transaction,
    id: Option<i64>,
    v: &ValidInvoice,
    source: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let total: i64 = v.lines.iter().map(|l| l.amount_cents).sum();
    let id = match id {
        Some(id) => {
            frozen(tx, id)?;
            tx.execute_cached(
                "UPDATE invoice SET provider_id = ?2, number = ?3, invoice_date = ?4, period_from = ?5,
                    period_to = ?6, notes = ?7, status = 'draft', total_cents = ?8, accepted_cents = 0,
                    checked_at = NULL, updated_at = ?9 WHERE id = ?1",
                params![
                    id,
                    v.provider_id,
                    v.number,
                    v.invoice_date.to_string(),
                    v.period_from.to_string(),
                    v.period_to.to_string(),
                    v.notes,
                    total,
                    ts(now)
                ],
            )?;
            tx.execute_cached("DELETE FROM invoice_line WHERE invoice_id = ?1", [id])?;
            id
        }
        None => {
            tx.execute_cached(
                "INSERT INTO invoice (provider_id, number, invoice_date, period_from, period_to, source,
                    status, total_cents, notes, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'draft', ?7, ?8, ?9, ?9)",
                params![
                    v.provider_id,
                    v.number,
                    v.invoice_date.to_string(),
                    v.period_from.to_string(),
                    v.period_to.to_string(),
                    source,
                    total,
                    v.notes,
                    ts(now)
                ],
            )?;
            tx.last_insert_rowid()
        }
    };
    let mut insert = tx.prepare_cached(
        "INSERT INTO invoice_line (invoice_id, position, child_code, case_id, decision_number,
            activity_code, mode, service_date, quantity_milli, unit_price_cents, amount_cents,
            specialist, content, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
    )?;
    let mut cases: HashMap<(String, String), Option<i64>> = HashMap::new();
    for (i, l) in v.lines.iter().enumerate() {
        let key = (l.child_code.clone(), l.decision_number.clone());
        let case_id = match cases.get(&key) {
            Some(c) => *c,
            None => {
                let c = case_for(tx, &l.child_code, &l.decision_number)?;
                cases.insert(key, c);
                c
            }
        };
        insert.execute(params![
            id,
            i as i64 + 1,
            l.child_code,
            case_id,
            l.decision_number,
            l.activity_code,
            l.mode,
            l.service_date.to_string(),
            l.quantity_milli,
            l.unit_price_cents,
            l.amount_cents,
            l.specialist,
            l.content,
            ts(now)
        ])?;
    }
    Ok(id)
}

/// Delete an invoice entered by mistake (never one with an outcome).
pub fn delete(tx: &Transaction, id: i64) -> Result<()> {
    frozen(tx, id)?;
    tx.execute_cached("DELETE FROM invoice WHERE id = ?1", [id])?;
    Ok(())
}
