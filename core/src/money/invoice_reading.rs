//! Invoices: reading.

use super::*;

/// One of the check's reasons on a line, with its figures in the text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    pub code: String,
    /// "reject": the line is not paid; "reduce": paid in part; "note": paid, but look.
    pub effect: String,
    pub message: Localized,
    /// How much of the line's amount this reason takes off, in cents.
    pub cut_cents: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceLine {
    pub id: i64,
    pub position: i64,
    pub child_code: String,
    pub case_id: Option<i64>,
    pub case_no: Option<String>,
    pub child_name: Option<String>,
    pub decision_number: String,
    pub activity_code: String,
    pub activity_name: Localized,
    pub mode: String,
    pub unit: String,
    pub service_date: NaiveDate,
    pub quantity_milli: i64,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
    pub specialist: String,
    pub content: String,
    pub reasons: Vec<Reason>,
    pub verdict: String,
    pub accepted_cents: i64,
    pub override_note: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Invoice {
    pub id: i64,
    pub provider_id: i64,
    pub provider_name: String,
    pub provider_registry_code: String,
    pub number: String,
    pub invoice_date: NaiveDate,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub source: String,
    pub status: String,
    pub total_cents: i64,
    pub accepted_cents: i64,
    pub rejected_cents: i64,
    pub outcome_note: String,
    pub checked_at: Option<String>,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    pub notes: String,
    pub lines: Vec<InvoiceLine>,
    /// The lines as the edit form takes them back.
    pub input: Vec<LineInput>,
    /// What the check would give now: the outcome the coordinator confirms.
    pub proposed_status: Option<String>,
    pub decided: bool,
}

pub fn get(conn: &Connection, id: i64) -> Result<Invoice> {
    let book = PriceBook::load(conn)?;
    let mut inv = conn
        .query_row_cached(
            "SELECT i.id, i.provider_id, p.name, p.registry_code, i.number, i.invoice_date,
                i.period_from, i.period_to, i.source, i.status, i.total_cents, i.accepted_cents,
                i.outcome_note, i.checked_at, i.decided_at, i.decided_by, i.notes
             FROM invoice i JOIN provider p ON p.id = i.provider_id WHERE i.id = ?1",
            [id],
            |r| {
                let status: String = r.get(9)?;
                Ok(Invoice {
                    id: r.get(0)?,
                    provider_id: r.get(1)?,
                    provider_name: r.get(2)?,
                    provider_registry_code: r.get(3)?,
                    number: r.get(4)?,
                    invoice_date: r.get(5)?,
                    period_from: r.get(6)?,
                    period_to: r.get(7)?,
                    source: r.get(8)?,
                    decided: is_decided(&status),
                    status,
                    total_cents: r.get(10)?,
                    accepted_cents: r.get(11)?,
                    rejected_cents: 0,
                    outcome_note: r.get(12)?,
                    checked_at: r.get(13)?,
                    decided_at: r.get(14)?,
                    decided_by: r.get(15)?,
                    notes: r.get(16)?,
                    lines: Vec::new(),
                    input: Vec::new(),
                    proposed_status: None,
                })
            },
        )
        .optional()?
        .ok_or(Error::InvoiceNotFound(id))?;
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.position, l.child_code, l.case_id, c.case_no,
                ch.first_name || ' ' || ch.last_name, l.decision_number, l.activity_code, l.mode,
                l.service_date, l.quantity_milli, l.unit_price_cents, l.amount_cents, l.specialist,
                l.content, l.check_reasons, l.verdict, l.accepted_cents, l.override_note
         FROM invoice_line l LEFT JOIN srt_case c ON c.id = l.case_id
         LEFT JOIN child ch ON ch.id = c.child_id
         WHERE l.invoice_id = ?1 ORDER BY l.position",
    )?;
    inv.lines = stmt
        .query_map([id], |r| {
            let code: String = r.get(7)?;
            let reasons: String = r.get(15)?;
            Ok(InvoiceLine {
                id: r.get(0)?,
                position: r.get(1)?,
                child_code: r.get(2)?,
                case_id: r.get(3)?,
                case_no: r.get(4)?,
                child_name: r.get(5)?,
                decision_number: r.get(6)?,
                activity_name: activity_name(&book, &code),
                unit: book.any(&code).map(|p| p.unit.clone()).unwrap_or_default(),
                activity_code: code,
                mode: r.get(8)?,
                service_date: r.get(9)?,
                quantity_milli: r.get(10)?,
                unit_price_cents: r.get(11)?,
                amount_cents: r.get(12)?,
                specialist: r.get(13)?,
                content: r.get(14)?,
                reasons: serde_json::from_str(&reasons).unwrap_or_default(),
                verdict: r.get(16)?,
                accepted_cents: r.get(17)?,
                override_note: r.get(18)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    inv.input = inv
        .lines
        .iter()
        .map(|l| LineInput {
            child_code: l.child_code.clone(),
            decision_number: l.decision_number.clone(),
            activity_code: l.activity_code.clone(),
            mode: l.mode.clone(),
            service_date: l.service_date.to_string(),
            quantity: quantity_text(l.quantity_milli, true),
            unit_price: crate::pdf::money(l.unit_price_cents).replace(['\u{a0}', '€'], ""),
            amount: crate::pdf::money(l.amount_cents).replace(['\u{a0}', '€'], ""),
            specialist: l.specialist.clone(),
            content: l.content.clone(),
        })
        .collect();
    if inv.status != "draft" {
        let accepted: i64 = inv.lines.iter().map(|l| l.accepted_cents).sum();
        if !inv.decided {
            inv.accepted_cents = accepted;
            inv.proposed_status = Some(outcome_of(inv.total_cents, accepted).into());
        }
        inv.rejected_cents = inv.total_cents - inv.accepted_cents;
    }
    Ok(inv)
}

pub(super) fn outcome_of(total: i64, accepted: i64) -> &'static str {
    if accepted == 0 {
        "rejected"
    } else if accepted == total {
        "accepted"
    } else {
        "partly_accepted"
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InvoiceFilter {
    pub status: String,
    pub provider_id: Option<i64>,
    /// The page: 50 from the newest unless asked (at most 500). A decade of a national desk has
    /// ~17 000 invoices; the list once showed the newest 500 and no way to the older ones.
    pub offset: Option<u32>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceListItem {
    pub id: i64,
    pub provider_id: i64,
    pub provider_name: String,
    pub number: String,
    pub invoice_date: NaiveDate,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub status: String,
    pub total_cents: i64,
    pub accepted_cents: i64,
    pub line_count: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceList {
    pub items: Vec<InvoiceListItem>,
    /// How many invoices the filter keeps (the page is `items`).
    pub total: i64,
    pub counts: BTreeMap<String, i64>,
}

/// A page of invoices, the newest first, by status and provider; with how many the filter keeps
/// and the count per status.
pub fn list(conn: &Connection, filter: &InvoiceFilter) -> Result<InvoiceList> {
    let status = filter.status.trim();
    if !status.is_empty() && !STATUSES.contains(&status) && status != "open" {
        return Err(Error::field(
            "status",
            "invalid_choice",
            "Tundmatu olek.",
            "Unknown status.",
        ));
    }
    const WHERE: &str =
        "WHERE (?1 = '' OR i.status = ?1 OR (?1 = 'open' AND i.status IN ('draft', 'checked')))
           AND (?2 IS NULL OR i.provider_id = ?2)";
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM invoice i {WHERE}"))?
        .query_row(params![status, filter.provider_id], |r| r.get(0))?;
    let (limit, offset) = crate::values::page_bounds(filter.limit, filter.offset);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT i.id, i.provider_id, p.name, i.number, i.invoice_date, i.period_from, i.period_to,
                i.status, i.total_cents, i.accepted_cents,
                (SELECT COUNT(*) FROM invoice_line l WHERE l.invoice_id = i.id)
         FROM invoice i JOIN provider p ON p.id = i.provider_id
         {WHERE}
         ORDER BY i.invoice_date DESC, i.id DESC LIMIT ?3 OFFSET ?4"
    ))?;
    let items = stmt
        .query_map(params![status, filter.provider_id, limit, offset], |r| {
            Ok(InvoiceListItem {
                id: r.get(0)?,
                provider_id: r.get(1)?,
                provider_name: r.get(2)?,
                number: r.get(3)?,
                invoice_date: r.get(4)?,
                period_from: r.get(5)?,
                period_to: r.get(6)?,
                status: r.get(7)?,
                total_cents: r.get(8)?,
                accepted_cents: r.get(9)?,
                line_count: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut counts = BTreeMap::new();
    let mut stmt = conn.prepare_cached("SELECT status, COUNT(*) FROM invoice GROUP BY status")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (s, n) = row?;
        counts.insert(s, n);
    }
    Ok(InvoiceList {
        items,
        total,
        counts,
    })
}

/// A provider's invoices in figures (for the provider report).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ProviderInvoiceFigures {
    pub invoices: i64,
    pub open: i64,
    pub accepted: i64,
    pub partly_accepted: i64,
    pub rejected: i64,
    /// Billed on decided invoices.
    pub billed_cents: i64,
    pub accepted_cents: i64,
    pub open_cents: i64,
}

pub fn provider_figures(conn: &Connection, provider_id: i64) -> Result<ProviderInvoiceFigures> {
    let mut f = ProviderInvoiceFigures::default();
    let mut stmt = conn.prepare_cached(
        "SELECT status, COUNT(*), SUM(total_cents), SUM(accepted_cents) FROM invoice
         WHERE provider_id = ?1 GROUP BY status",
    )?;
    for row in stmt.query_map([provider_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })? {
        let (status, n, total, accepted) = row?;
        f.invoices += n;
        match status.as_str() {
            "accepted" => f.accepted += n,
            "partly_accepted" => f.partly_accepted += n,
            "rejected" => f.rejected += n,
            _ => {
                f.open += n;
                f.open_cents += total;
                continue;
            }
        }
        f.billed_cents += total;
        f.accepted_cents += accepted;
    }
    Ok(f)
}
