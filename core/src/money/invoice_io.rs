//! Invoices in and out: the provider's CSV of session records (date, child, decision number,
//! activity, hours, specialist, content) read into an invoice's lines with a preview where every
//! line is checked and nothing is imported while one is in error; the checked invoice as a PDF
//! report and as an XLSX for the provider and the Board's accounting, with the same figures.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldError, Localized, Result};
use crate::files::{csv_reader, csv_records};
use crate::money::{self, Invoice, LineInput};
use crate::pdf::{Align, Block, PdfDocument, Span, Table};
use crate::prices::PriceBook;

/// The columns of the provider's file; the first four are required. Estonian names work too.
pub const COLUMNS: [(&str, &str); 10] = [
    ("date", "kuupäev"),
    ("child_code", "isikukood"),
    ("activity_code", "tegevus"),
    ("hours", "tunnid"),
    ("decision_number", "otsus"),
    ("specialist", "spetsialist"),
    ("content", "sisu"),
    ("mode", "vorm"),
    ("unit_price", "ühikuhind"),
    ("amount", "summa"),
];
const REQUIRED: usize = 4;
const MAX_ROWS: usize = 5_000;

/// One session record as the preview shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ImportRow {
    /// The line in the file (the header is line 1).
    pub line: usize,
    pub input: LineInput,
    pub unit_price_cents: Option<i64>,
    pub amount_cents: Option<i64>,
    /// Each error's field is the file's column name.
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub rows: Vec<ImportRow>,
    pub total: usize,
    pub valid: usize,
    pub invalid: usize,
    pub total_cents: i64,
    /// The first and last service date (the invoice's period when none is typed).
    pub first_date: Option<String>,
    pub last_date: Option<String>,
}

/// The invoice's own data for an import (the lines come from the file).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ImportHeader {
    pub provider_id: Option<i64>,
    pub number: String,
    pub invoice_date: String,
    pub period_from: String,
    pub period_to: String,
    pub notes: String,
}

fn file_error(et: impl Into<String>, en: impl Into<String>) -> Error {
    Error::InvoiceImportFile(Localized::new(et, en))
}

/// A line of the file with its line number (the header is line 1).
pub type NumberedLine = (usize, LineInput);

/// Parse the provider's file into lines with their line numbers; a bad file is one error.
pub fn parse(text: &str) -> Result<Vec<NumberedLine>> {
    parse_named(text).map(|(_, rows)| rows)
}

/// [`parse`], with the name the file gives each of [`COLUMNS`] (the English name when the file
/// lacks the column), so that an error names the column as the provider's file does.
pub fn parse_named(text: &str) -> Result<(Vec<String>, Vec<NumberedLine>)> {
    let (mut reader, headers) = csv_reader(text).map_err(|m| file_error(m.et, m.en))?;
    let col = |i: usize| {
        let (en, et) = COLUMNS[i];
        headers.iter().position(|h| h == en || h == et)
    };
    let missing: Vec<&str> = (0..REQUIRED)
        .filter(|i| col(*i).is_none())
        .map(|i| COLUMNS[i].0)
        .collect();
    if !missing.is_empty() {
        return Err(file_error(
            format!(
                "Failis puuduvad veerud: {}. Esimene rida peab olema päis: date, child_code, activity_code, hours, decision_number, specialist, content.",
                missing.join(", ")
            ),
            format!(
                "The file lacks the columns: {}. The first line must be the header: date, child_code, activity_code, hours, decision_number, specialist, content.",
                missing.join(", ")
            ),
        ));
    }
    let cols: Vec<Option<usize>> = (0..COLUMNS.len()).map(col).collect();
    let names: Vec<String> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| c.map_or(COLUMNS[i].0.to_string(), |c| headers[c].clone()))
        .collect();
    let mut rows = Vec::new();
    let records = csv_records(&mut reader, MAX_ROWS).map_err(|m| file_error(m.et, m.en))?;
    for (line, record) in records {
        let get = |i: usize| -> String {
            cols[i]
                .and_then(|c| record.get(c))
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        rows.push((
            line,
            LineInput {
                service_date: get(0),
                child_code: get(1),
                activity_code: get(2),
                quantity: get(3),
                decision_number: get(4),
                specialist: get(5),
                content: get(6),
                mode: get(7),
                unit_price: get(8),
                amount: get(9),
            },
        ));
    }
    if rows.is_empty() {
        return Err(file_error(
            "Failis ei ole ühtegi teenuse rida.",
            "The file has no service rows.",
        ));
    }
    Ok((names, rows))
}

/// The file column a line field comes from, as the file names it (`names` from
/// [`parse_named`]): an error in the form of a file headed `vorm` names `vorm`, not `mode`.
fn column_of(field: &str, names: &[String]) -> String {
    let english = match field {
        "serviceDate" => "date",
        "childCode" => "child_code",
        "activityCode" => "activity_code",
        "quantity" => "hours",
        "decisionNumber" => "decision_number",
        "unitPrice" => "unit_price",
        other => other,
    };
    COLUMNS
        .iter()
        .position(|(en, _)| *en == english)
        .and_then(|i| names.get(i))
        .cloned()
        .unwrap_or_else(|| english.to_string())
}

/// Check every line and fill unit price and amount from the price list.
pub fn preview_text(book: &PriceBook, text: &str) -> Result<ImportPreview> {
    let (names, rows) = parse_named(text)?;
    let mut out = Vec::new();
    for (line, input) in rows {
        let mut errors = Vec::new();
        let valid = money::validate_line(book, &input, None, "", &mut errors);
        out.push(ImportRow {
            line,
            unit_price_cents: valid.as_ref().map(|v| v.unit_price_cents),
            amount_cents: valid.as_ref().map(|v| v.amount_cents),
            input,
            errors: errors
                .into_iter()
                .map(|f| FieldError {
                    field: column_of(&f.field, &names),
                    ..f
                })
                .collect(),
        });
    }
    let invalid = out.iter().filter(|r| !r.errors.is_empty()).count();
    let dates: Vec<chrono::NaiveDate> = out
        .iter()
        .filter_map(|r| crate::values::parse_date(&r.input.service_date))
        .collect();
    Ok(ImportPreview {
        total: out.len(),
        valid: out.len() - invalid,
        invalid,
        total_cents: out.iter().filter_map(|r| r.amount_cents).sum(),
        first_date: dates.iter().min().map(|d| d.to_string()),
        last_date: dates.iter().max().map(|d| d.to_string()),
        rows: out,
    })
}

/// The invoice input an import makes: the header as typed, the period from the file when
/// empty, and every line with its unit price and amount filled in.
pub fn invoice_input(
    book: &PriceBook,
    header: &ImportHeader,
    text: &str,
) -> Result<money::InvoiceInput> {
    let preview = preview_text(book, text)?;
    let bad: Vec<ImportRow> = preview
        .rows
        .iter()
        .filter(|r| !r.errors.is_empty())
        .cloned()
        .collect();
    if !bad.is_empty() {
        return Err(Error::refused(
            "invoice.import_rejected",
            format!(
                "Midagi ei imporditud: {} rida on vigased. Paranda need ja impordi kogu fail uuesti.",
                bad.len()
            ),
            format!(
                "Nothing was imported: {} lines are in error; fix them and import the whole file again.",
                bad.len()
            ),
            serde_json::to_value(&bad).ok(),
        ));
    }
    let or = |typed: &str, from_file: &Option<String>| {
        if typed.trim().is_empty() {
            from_file.clone().unwrap_or_default()
        } else {
            typed.to_string()
        }
    };
    Ok(money::InvoiceInput {
        provider_id: header.provider_id,
        number: header.number.clone(),
        invoice_date: header.invoice_date.clone(),
        period_from: or(&header.period_from, &preview.first_date),
        period_to: or(&header.period_to, &preview.last_date),
        notes: header.notes.clone(),
        lines: preview
            .rows
            .into_iter()
            .map(|r| LineInput {
                unit_price: r
                    .unit_price_cents
                    .map(cents_text)
                    .unwrap_or(r.input.unit_price.clone()),
                amount: r
                    .amount_cents
                    .map(cents_text)
                    .unwrap_or(r.input.amount.clone()),
                ..r.input
            })
            .collect(),
    })
}

/// Cents as a plain amount the money parser reads back exactly: 4410 → "44,10".
fn cents_text(cents: i64) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

// ------------------------------------------------------------------------------------------
// The report
// ------------------------------------------------------------------------------------------

fn d(date: chrono::NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

pub fn status_et(status: &str) -> &'static str {
    match status {
        "draft" => "sisestatud",
        "checked" => "kontrollitud",
        "accepted" => "aktsepteeritud",
        "partly_accepted" => "osaliselt aktsepteeritud",
        "rejected" => "tagasi lükatud",
        _ => "",
    }
}

fn verdict_et(verdict: &str) -> &'static str {
    match verdict {
        "ok" => "jah",
        "part" => "osaliselt",
        "reject" => "ei",
        _ => "—",
    }
}

/// The check's report in Estonian (the language of the Board's documents).
pub fn document(inv: &Invoice, today: chrono::NaiveDate) -> PdfDocument {
    let money = crate::pdf::money;
    let mut doc = PdfDocument::new(format!("Arve {} kontroll", inv.number));
    doc.footer_left = format!("{} · arve {}", inv.provider_name, inv.number);
    doc.push(Block::heading("Arve kontrolli aruanne", 1));
    doc.push(Block::heading(
        format!("{} · arve nr {}", inv.provider_name, inv.number),
        2,
    ));
    doc.push(Block::small(format!(
        "Registrikood {} · arve kuupäev {} · periood {}–{} · koostatud {}",
        inv.provider_registry_code,
        d(inv.invoice_date),
        d(inv.period_from),
        d(inv.period_to),
        d(today)
    )));
    doc.push(Block::spans(vec![
        Span::bold("Otsus: "),
        Span::normal(status_et(&inv.status)),
        Span::normal(match (&inv.decided_at, &inv.decided_by) {
            (Some(at), Some(by)) => {
                let day = at
                    .get(..10)
                    .and_then(|x| chrono::NaiveDate::parse_from_str(x, "%Y-%m-%d").ok())
                    .map(d)
                    .unwrap_or_else(|| at.clone());
                format!(" ({day}, {by})")
            }
            _ => String::new(),
        }),
    ]));
    if !inv.outcome_note.trim().is_empty() {
        doc.push(Block::spans(vec![
            Span::bold("Märkus: "),
            Span::normal(inv.outcome_note.clone()),
        ]));
    }
    doc.push(Block::Space(0.5));
    doc.push(Block::Table(Table {
        widths: vec![1, 3, 3, 3],
        align: vec![Align::Left, Align::Right, Align::Right, Align::Right],
        header: vec![
            "".into(),
            "Arvel".into(),
            "Aktsepteeritud".into(),
            "Tagasi lükatud".into(),
        ],
        rows: vec![vec![
            "Kokku".into(),
            money(inv.total_cents),
            money(inv.accepted_cents),
            money(inv.rejected_cents),
        ]],
        footer: vec![],
        font_size: 10,
    }));
    doc.push(Block::heading("Read", 3));
    doc.push(Block::Table(Table {
        widths: vec![1, 3, 4, 3, 2, 3, 3, 3, 2],
        align: vec![
            Align::Right,
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Left,
        ],
        header: vec![
            "Nr".into(),
            "Kuupäev".into(),
            "Isikukood".into(),
            "Otsus, tegevus".into(),
            "Kogus".into(),
            "Ühikuhind".into(),
            "Summa".into(),
            "Aktsept.".into(),
            "Tasuda".into(),
        ],
        rows: inv
            .lines
            .iter()
            .map(|l| {
                vec![
                    l.position.to_string(),
                    d(l.service_date),
                    l.child_code.clone(),
                    format!("{} {}", l.decision_number, l.activity_code)
                        .trim()
                        .to_string(),
                    crate::values::quantity_text(l.quantity_milli, true),
                    money(l.unit_price_cents),
                    money(l.amount_cents),
                    money(l.accepted_cents),
                    verdict_et(&l.verdict).into(),
                ]
            })
            .collect(),
        footer: vec![vec![
            "".into(),
            "Kokku".into(),
            "".into(),
            "".into(),
            "".into(),
            "".into(),
            money(inv.total_cents),
            money(inv.accepted_cents),
            "".into(),
        ]],
        font_size: 8,
    }));
    let with_reasons: Vec<String> = inv
        .lines
        .iter()
        .filter(|l| !l.reasons.is_empty() || !l.override_note.is_empty())
        .map(|l| {
            let mut text = format!(
                "Rida {} ({}): {}",
                l.position,
                money(l.amount_cents - l.accepted_cents),
                l.reasons
                    .iter()
                    .map(|r| r.message.et.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            if !l.override_note.is_empty() {
                text.push_str(&format!(" Koordinaator: {}", l.override_note));
            }
            text
        })
        .collect();
    doc.push(Block::heading("Põhjused", 3));
    if with_reasons.is_empty() {
        doc.push(Block::text("Kontroll ei leidnud ühelgi real puudusi."));
    } else {
        doc.push(Block::small(
            "Sulgudes on summa, mis real jääb tasumata (arvel − aktsepteeritud).",
        ));
        doc.push(Block::Bullets(with_reasons));
    }
    doc
}

/// The same figures as a spreadsheet: one row per line, money in integer cents (exact), and
/// the totals row computed here, so that what accounting sums is what the check decided.
pub fn write_xlsx(inv: &Invoice, path: &Path) -> Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| match e {
        rust_xlsxwriter::XlsxError::IoError(io) => Error::Io(io),
        other => Error::Internal(other.to_string()),
    };
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("Arve").map_err(fail)?;
    let info: [(&str, String); 7] = [
        ("Teenuseosutaja", inv.provider_name.clone()),
        ("Registrikood", inv.provider_registry_code.clone()),
        ("Arve number", inv.number.clone()),
        ("Arve kuupäev", d(inv.invoice_date)),
        (
            "Periood",
            format!("{}–{}", d(inv.period_from), d(inv.period_to)),
        ),
        ("Olek", status_et(&inv.status).to_string()),
        ("Märkus", inv.outcome_note.clone()),
    ];
    for (i, (k, v)) in info.iter().enumerate() {
        sheet
            .write_string_with_format(i as u32, 0, *k, &bold)
            .map_err(fail)?;
        sheet.write_string(i as u32, 1, v).map_err(fail)?;
    }
    const HEADER: [&str; 15] = [
        "Rida",
        "Kuupäev",
        "Isikukood",
        "Juhtum",
        "Otsus",
        "Tegevus",
        "Vorm",
        "Kogus (tuhandikes)",
        "Ühikuhind (senti)",
        "Summa (senti)",
        "Aktsepteeritud (senti)",
        "Tagasi lükatud (senti)",
        "Tasuda",
        "Spetsialist",
        "Põhjused",
    ];
    let top = info.len() as u32 + 1;
    for (c, h) in HEADER.iter().enumerate() {
        sheet
            .write_string_with_format(top, c as u16, *h, &bold)
            .map_err(fail)?;
    }
    let mut row = top + 1;
    for l in &inv.lines {
        let reasons = l
            .reasons
            .iter()
            .map(|r| format!("[{}] {}", r.code, r.message.et))
            .collect::<Vec<_>>()
            .join(" ");
        sheet
            .write_number(row, 0, l.position as f64)
            .map_err(fail)?;
        sheet
            .write_string(row, 1, d(l.service_date))
            .map_err(fail)?;
        sheet.write_string(row, 2, &l.child_code).map_err(fail)?;
        sheet
            .write_string(row, 3, l.case_no.clone().unwrap_or_default())
            .map_err(fail)?;
        sheet
            .write_string(row, 4, &l.decision_number)
            .map_err(fail)?;
        sheet.write_string(row, 5, &l.activity_code).map_err(fail)?;
        sheet.write_string(row, 6, &l.mode).map_err(fail)?;
        // Integers below 2^53 are stored exactly by the format's numbers.
        for (c, v) in [
            (7u16, l.quantity_milli),
            (8, l.unit_price_cents),
            (9, l.amount_cents),
            (10, l.accepted_cents),
            (11, l.amount_cents - l.accepted_cents),
        ] {
            sheet.write_number(row, c, v as f64).map_err(fail)?;
        }
        sheet
            .write_string(row, 12, verdict_et(&l.verdict))
            .map_err(fail)?;
        sheet.write_string(row, 13, &l.specialist).map_err(fail)?;
        sheet.write_string(row, 14, reasons).map_err(fail)?;
        row += 1;
    }
    sheet
        .write_string_with_format(row, 0, "Kokku", &bold)
        .map_err(fail)?;
    for (c, v) in [
        (9u16, inv.total_cents),
        (10, inv.accepted_cents),
        (11, inv.rejected_cents),
    ] {
        sheet
            .write_number_with_format(row, c, v as f64, &bold)
            .map_err(fail)?;
    }
    sheet.set_column_width(14, 80).map_err(fail)?;
    book.save(path).map_err(fail)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> PriceBook {
        PriceBook::from_list(vec![crate::prices::PriceVersion {
            id: 1,
            code: "2010".into(),
            name_et: "Psühholoog".into(),
            name_en: "Psychologist".into(),
            mode: "individual".into(),
            unit: "hour".into(),
            price_cents: 2940,
            valid_from: chrono::NaiveDate::from_ymd_opt(2023, 1, 1).expect("date"),
            valid_to: None,
        }])
    }

    #[test]
    fn a_session_file_fills_prices_and_amounts_from_the_price_list() {
        let text = "kuupäev;isikukood;otsus;tegevus;tunnid;spetsialist;sisu\n\
                    03.11.2026;61303150029;K000001;2010;1,5;Mari Maasikas;Individuaalne sessioon\n\
                    2026-11-10;61303150029;K000001;2010;2;Mari Maasikas;\n";
        let p = preview_text(&book(), text).expect("preview");
        assert_eq!(p.invalid, 0);
        assert_eq!(p.rows[0].unit_price_cents, Some(2940));
        assert_eq!(p.rows[0].amount_cents, Some(4410), "1.5 h × 29.40 €");
        assert_eq!(p.rows[1].amount_cents, Some(5880));
        assert_eq!(p.total_cents, 10_290);
        assert_eq!(p.first_date.as_deref(), Some("2026-11-03"));
        assert_eq!(p.last_date.as_deref(), Some("2026-11-10"));
    }

    #[test]
    fn every_bad_line_is_named_and_nothing_is_imported() {
        let text = "date,child_code,activity_code,hours\n\
                    31.02.2026,61303150029,2010,1\n\
                    01.11.2026,61303150028,2010,1\n\
                    02.11.2026,61303150029,9999,1\n\
                    03.11.2026,61303150029,2010,poolteist\n\
                    04.11.2026,61303150029,2010,1\n";
        let p = preview_text(&book(), text).expect("preview");
        assert_eq!((p.total, p.valid, p.invalid), (5, 1, 4));
        let fields: Vec<(usize, &str, &str)> = p
            .rows
            .iter()
            .flat_map(|r| {
                r.errors
                    .iter()
                    .map(move |e| (r.line, e.field.as_str(), e.code.as_str()))
            })
            .collect();
        assert!(fields.contains(&(2, "date", "date.invalid")), "{fields:?}");
        assert!(fields.iter().any(|f| f.0 == 3 && f.1 == "child_code"));
        assert!(fields.contains(&(4, "activity_code", "activity.unknown")));
        assert!(fields.contains(&(5, "hours", "quantity.invalid")));
        let header = ImportHeader {
            provider_id: Some(1),
            number: "A-1".into(),
            invoice_date: "2026-11-20".into(),
            ..Default::default()
        };
        match invoice_input(&book(), &header, text) {
            Err(Error::Refused {
                code: "invoice.import_rejected",
                details: Some(rows),
                ..
            }) => {
                let lines: Vec<i64> = rows
                    .as_array()
                    .expect("rows")
                    .iter()
                    .map(|r| r["line"].as_i64().expect("line"))
                    .collect();
                assert_eq!(lines, [2, 3, 4, 5])
            }
            other => panic!("expected a rejected import, got {other:?}"),
        }
    }

    #[test]
    fn a_file_without_the_needed_columns_is_one_clear_error() {
        let e = preview_text(&book(), "date;child;hours\n01.11.2026;x;1\n").expect_err("bad");
        assert_eq!(e.code(), "invoice.import_file");
        assert!(e.message().et.contains("child_code"));
        let e = preview_text(&book(), "date,child_code,activity_code,hours\n").expect_err("empty");
        assert!(e.message().en.contains("no service rows"));
    }
}
