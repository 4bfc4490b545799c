//! Provider lists in and out: CSV import with a preview where every row is checked, imported all
//! or nothing; CSV and XLSX export in the same columns, so an exported file imports back.
//! Several locations or contact persons of one provider go in one cell, separated by " | ".

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, Transaction};
use serde::Serialize;

use crate::error::{Error, FieldError, Result};
use crate::files::{csv_reader, csv_records, file_error, write_excel_csv};
use crate::providers::{self, Catalog, ContactInput, LocationInput, Provider, ProviderInput};

/// The columns, in order, of an exported file and of the file the import expects.
pub const COLUMNS: [&str; 22] = [
    "name",
    "registry_code",
    "licence_no",
    "licence_valid_to",
    "contract_no",
    "contract_valid_to",
    "address",
    "municipality",
    "activities",
    "age_min",
    "age_max",
    "languages",
    "waiting_days",
    "free_places",
    "capacity_confirmed_on",
    "contact_name",
    "contact_role",
    "contact_phone",
    "contact_email",
    "accessibility",
    "notes",
    "active",
];
const REQUIRED: [&str; 4] = ["name", "registry_code", "municipality", "activities"];
const MAX_ROWS: usize = 5_000;

/// One row of the file as the preview shows it, with what is wrong in it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    /// The line in the file (the header is line 1).
    pub line: usize,
    pub name: String,
    pub registry_code: String,
    pub municipalities: String,
    pub activities: String,
    /// "new", "update" (same registry code in the directory) or "error".
    pub action: String,
    /// Each error's field is the file's column name.
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub rows: Vec<PreviewRow>,
    pub total: usize,
    pub valid: usize,
    pub invalid: usize,
    pub new: usize,
    pub updated: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
}

/// Parse the text into provider inputs with their line numbers; a bad file is one error.
pub fn parse(text: &str) -> Result<Vec<(usize, ProviderInput)>> {
    let (mut reader, headers) = csv_reader(text).map_err(|m| file_error(m.et, m.en))?;
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(file_error(
            format!(
                "Failis puuduvad veerud: {}. Esimene rida peab olema päis (vt eksporditud faili).",
                missing.join(", ")
            ),
            format!(
                "The file lacks the columns: {}. The first line must be the header (see an exported file).",
                missing.join(", ")
            ),
        ));
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    let mut rows = Vec::new();
    let records = csv_records(&mut reader, MAX_ROWS).map_err(|m| file_error(m.et, m.en))?;
    for (line, record) in records {
        let get = |name: &str| -> String {
            col(name)
                .and_then(|i| record.get(i))
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        let pieces = |name: &str| -> Vec<String> {
            let v = get(name);
            if v.is_empty() {
                return Vec::new();
            }
            v.split('|').map(|s| s.trim().to_string()).collect()
        };
        let addresses = pieces("address");
        let municipalities = pieces("municipality");
        let n = addresses.len().max(municipalities.len());
        let locations = (0..n)
            .map(|i| LocationInput {
                address: addresses.get(i).cloned().unwrap_or_default(),
                municipality: municipalities.get(i).cloned().unwrap_or_default(),
            })
            .collect();
        let (names, roles, phones, emails) = (
            pieces("contact_name"),
            pieces("contact_role"),
            pieces("contact_phone"),
            pieces("contact_email"),
        );
        let n = names
            .len()
            .max(roles.len())
            .max(phones.len())
            .max(emails.len());
        let contacts = (0..n)
            .map(|i| ContactInput {
                name: names.get(i).cloned().unwrap_or_default(),
                role: roles.get(i).cloned().unwrap_or_default(),
                phone: phones.get(i).cloned().unwrap_or_default(),
                email: emails.get(i).cloned().unwrap_or_default(),
            })
            .collect();
        let active = get("active").to_lowercase();
        let input = ProviderInput {
            name: get("name"),
            registry_code: get("registry_code"),
            licence_no: get("licence_no"),
            licence_valid_to: get("licence_valid_to"),
            contract_no: get("contract_no"),
            contract_valid_to: get("contract_valid_to"),
            locations,
            contacts,
            activities: providers::split_list(&get("activities")),
            age_min: get("age_min"),
            age_max: get("age_max"),
            languages: providers::split_list(&get("languages")),
            waiting_days: get("waiting_days"),
            free_places: get("free_places"),
            capacity_confirmed_on: get("capacity_confirmed_on"),
            accessibility: get("accessibility"),
            notes: get("notes"),
            quality_notes: String::new(),
            active: !matches!(active.as_str(), "0" | "ei" | "no" | "false"),
        };
        rows.push((line, input));
    }
    if rows.is_empty() {
        return Err(file_error(
            "Failis ei ole ühtegi teenuseosutaja rida.",
            "The file has no provider rows.",
        ));
    }
    Ok(rows)
}

/// The column a form field comes from, so that the preview names what the user sees in the file.
fn column_of(field: &str) -> String {
    let last = field.rsplit('.').next().unwrap_or(field);
    let mapped = match (field.split('.').next().unwrap_or(field), last) {
        ("locations", "municipality") => "municipality",
        ("contacts", "name") => "contact_name",
        ("contacts", "email") => "contact_email",
        ("contacts", "phone") => "contact_phone",
        (_, "registryCode") => "registry_code",
        (_, "licenceValidTo") => "licence_valid_to",
        (_, "contractValidTo") => "contract_valid_to",
        (_, "ageMin") => "age_min",
        (_, "ageMax") => "age_max",
        (_, "waitingDays") => "waiting_days",
        (_, "freePlaces") => "free_places",
        (_, "capacityConfirmedOn") => "capacity_confirmed_on",
        (_, other) => other,
    };
    mapped.to_string()
}

/// Check every row (also registry codes repeated within the file) and say what the import would do.
pub fn preview_text(conn: &Connection, catalog: &Catalog, text: &str) -> Result<ImportPreview> {
    let rows = parse(text)?;
    let mut existing = std::collections::HashSet::new();
    {
        let mut stmt = conn.prepare_cached("SELECT registry_code FROM provider")?;
        for code in stmt.query_map([], |r| r.get::<_, String>(0))? {
            existing.insert(code?);
        }
    }
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    let mut out = Vec::new();
    for (line, input) in &rows {
        let mut errors = match providers::check(catalog, input) {
            Ok(_) => Vec::new(),
            Err(e) => e
                .into_iter()
                .map(|f| FieldError {
                    field: column_of(&f.field),
                    ..f
                })
                .collect(),
        };
        let code = input.registry_code.trim().to_string();
        if !code.is_empty() {
            if let Some(first) = seen.get(&code) {
                errors.push(FieldError::new(
                    "registry_code",
                    "duplicate_in_file",
                    &format!("Sama registrikood on juba real {first}."),
                    &format!("The same registry code is already on line {first}."),
                ));
            } else {
                seen.insert(code.clone(), *line);
            }
        }
        let action = if !errors.is_empty() {
            "error"
        } else if existing.contains(&code) {
            "update"
        } else {
            "new"
        };
        out.push(PreviewRow {
            line: *line,
            name: input.name.trim().to_string(),
            registry_code: code,
            municipalities: input
                .locations
                .iter()
                .map(|l| l.municipality.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            activities: input.activities.join(" "),
            action: action.into(),
            errors,
        });
    }
    let invalid = out.iter().filter(|r| r.action == "error").count();
    Ok(ImportPreview {
        total: out.len(),
        valid: out.len() - invalid,
        invalid,
        new: out.iter().filter(|r| r.action == "new").count(),
        updated: out.iter().filter(|r| r.action == "update").count(),
        rows: out,
    })
}

/// Import all rows or none: any row in error rejects the whole file with the rows in error.
pub fn import_text(
    tx: &Transaction,
    catalog: &Catalog,
    text: &str,
    now: DateTime<Utc>,
) -> Result<ImportSummary> {
    let preview = preview_text(tx, catalog, text)?;
    let bad: Vec<PreviewRow> = preview
        .rows
        .iter()
        .filter(|r| !r.errors.is_empty())
        .cloned()
        .collect();
    if !bad.is_empty() {
        return Err(Error::refused(
            "provider.import_rejected",
            format!(
                "Midagi ei imporditud: {} rida on vigased. Paranda need ja impordi kogu fail uuesti.",
                bad.len()
            ),
            format!(
                "Nothing was imported: {} rows are in error; fix them and import the whole file again.",
                bad.len()
            ),
            serde_json::to_value(&bad).ok(),
        ));
    }
    for (_, input) in parse(text)? {
        let valid = providers::check(catalog, &input).map_err(Error::Validation)?;
        providers::save(tx, None, &valid, now)?;
    }
    Ok(ImportSummary {
        created: preview.new,
        updated: preview.updated,
    })
}

fn row_of(p: &Provider) -> Vec<String> {
    let join = |v: Vec<&str>| v.join(" | ");
    let d = |x: Option<NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
    vec![
        p.name.clone(),
        p.registry_code.clone(),
        p.licence_no.clone(),
        d(p.licence_valid_to),
        p.contract_no.clone(),
        d(p.contract_valid_to),
        join(p.locations.iter().map(|l| l.address.as_str()).collect()),
        join(
            p.locations
                .iter()
                .map(|l| l.municipality_name.as_str())
                .collect(),
        ),
        p.activities
            .iter()
            .map(|a| a.code.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        p.age_min.to_string(),
        p.age_max.to_string(),
        p.languages.join(" "),
        p.waiting_days.map(|n| n.to_string()).unwrap_or_default(),
        p.free_places.map(|n| n.to_string()).unwrap_or_default(),
        d(p.capacity_confirmed_on),
        join(p.contacts.iter().map(|c| c.name.as_str()).collect()),
        join(p.contacts.iter().map(|c| c.role.as_str()).collect()),
        join(p.contacts.iter().map(|c| c.phone.as_str()).collect()),
        join(p.contacts.iter().map(|c| c.email.as_str()).collect()),
        p.accessibility.clone(),
        p.notes.clone(),
        if p.active { "1" } else { "0" }.into(),
    ]
}

/// Write the providers as CSV (UTF-8 with a BOM, so that Excel shows õ, ä, ö, ü right).
pub fn write_csv(providers: &[Provider], path: &Path) -> Result<()> {
    let header = COLUMNS.iter().map(|c| c.to_string()).collect();
    let rows = std::iter::once(header).chain(providers.iter().map(row_of));
    write_excel_csv(path, &csv::WriterBuilder::new(), rows)
}

/// Write the providers as an Excel workbook with the same columns.
pub fn write_xlsx(providers: &[Provider], path: &Path) -> Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| Error::Internal(e.to_string());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Teenuseosutajad").map_err(fail)?;
    let bold = Format::new().set_bold();
    for (c, name) in COLUMNS.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *name, &bold)
            .map_err(fail)?;
    }
    for (r, p) in providers.iter().enumerate() {
        for (c, value) in row_of(p).iter().enumerate() {
            sheet
                .write_string((r + 1) as u32, c as u16, value)
                .map_err(fail)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    sheet.autofit();
    book.save(path).map_err(|e| match e {
        rust_xlsxwriter::XlsxError::IoError(io) => Error::Io(io),
        other => Error::Internal(other.to_string()),
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::decode;

    fn conn() -> Connection {
        let mut conn = Connection::open_in_memory().expect("mem");
        crate::store::migrate::migrations()
            .to_latest(&mut conn)
            .expect("migrate");
        conn
    }

    const HEADER: &str = "name;registry_code;address;municipality;activities;languages;age_min;age_max;contact_name;contact_phone;contact_email\n";

    #[test]
    fn semicolons_windows_1252_and_several_locations_are_read() {
        let mut bytes = HEADER.as_bytes().to_vec();
        // "Õnne" in Windows-1252
        bytes.extend_from_slice(b"\xD5nne Keskus O\xDC;12345678;Pikk 1 | Lai 2;Tartu linn | Elva vald;2001 2010;et ru;0;18;Mari;5551234;mari@onne.ee\n");
        let rows = parse(&decode(&bytes)).expect("parsed");
        assert_eq!(rows.len(), 1);
        let (line, p) = &rows[0];
        assert_eq!(*line, 2);
        assert_eq!(p.name, "Õnne Keskus OÜ");
        assert_eq!(p.locations.len(), 2);
        assert_eq!(p.locations[1].municipality, "Elva vald");
        assert_eq!(p.activities, vec!["2001", "2010"]);
    }

    #[test]
    fn preview_names_each_bad_row_and_column() {
        let c = conn();
        let catalog = Catalog::load(&c).expect("catalog");
        let text = format!(
            "{HEADER}A OÜ;12345678;Pikk 1;Tartu linn;2001;et;0;18;Mari;5551234;mari@a.ee\n\
             B OÜ;1234;Pikk 2;Tartu linn;2001;et;0;18;Jaan;5551234;jaan@b.ee\n\
             C OÜ;87654321;Pikk 3;Kuuvald;7777;et;0;18;Juku;abc;juku.c.ee\n\
             D OÜ;12345678;Pikk 4;Tallinn;2010;ru;0;18;;;\n"
        );
        let p = preview_text(&c, &catalog, &text).expect("preview");
        assert_eq!((p.total, p.valid, p.invalid), (4, 1, 3));
        let cols = |i: usize| -> Vec<String> {
            p.rows[i].errors.iter().map(|e| e.field.clone()).collect()
        };
        assert_eq!(cols(1), vec!["registry_code"]);
        assert_eq!(
            cols(2),
            vec![
                "municipality",
                "contact_email",
                "contact_phone",
                "activities"
            ]
        );
        assert_eq!(cols(3), vec!["registry_code"], "repeated code in the file");
        assert_eq!(p.rows[3].errors[0].code, "duplicate_in_file");
    }

    #[test]
    fn a_file_without_the_needed_columns_is_one_clear_error() {
        let e = parse("nimi,kood\nA,1\n").expect_err("bad header");
        assert_eq!(e.code(), "provider.import_file");
        assert!(e.message().et.contains("registry_code"));
    }
}
