//! The statistics out of the app: XLSX (rust_xlsxwriter) and CSV (csv) of the same tables the
//! screen shows, the monthly statistics PDF, and the periodic report for the team lead and the
//! service manager (month or quarter; PDF and XLSX) with the open improvement proposals. Every
//! file is written from one [`Statistics`], so each figure equals the screen's.

use std::path::Path;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::pdf::{money, Align, Block, PdfDocument, Span, Table};
use crate::stats::{Figures, Statistics, BREAKDOWNS};
use crate::values::decimal_et;

fn dmy(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn opt_days(v: Option<i64>) -> String {
    v.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// None is an empty cell (nothing to compute from).
    OptInt(Option<i64>),
    Decimal(Option<f64>),
    Cents(i64),
}

impl Cell {
    /// As the CSV and the PDF write it (Estonian: decimal comma, euros with cents).
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::OptInt(v) => v.map(|n| n.to_string()).unwrap_or_default(),
            Cell::Decimal(v) => v
                .map(|x| format!("{x}").replace('.', ","))
                .unwrap_or_default(),
            Cell::Cents(c) => {
                let sign = if *c < 0 { "-" } else { "" };
                format!(
                    "{sign}{},{:02}",
                    c.unsigned_abs() / 100,
                    c.unsigned_abs() % 100
                )
            }
        }
    }
}

/// A titled table of the export.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: &'static str,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The figure columns, in the order of the screen's table.
pub const FIGURE_COLUMNS: [&str; 19] = [
    "Taotlusi",
    "Suunamisotsuseid",
    "Keeldumisi",
    "Muutmisi",
    "Lõpetamisi",
    "Päevi otsuseni, mediaan",
    "Päevi otsuseni, 90. protsentiil",
    "Tähtajaks otsustatud",
    "Tähtajaks, %",
    "Päevi teenuse alguseni, mediaan",
    "Päevi teenuse alguseni, 90. protsentiil",
    "Ootel",
    "Teenusel",
    "Määratud, €",
    "Arveldatud, €",
    "Aktsepteeritud, €",
    "Tagasisideid",
    "Keskmine hinne",
    "Otsuseid ajaarvestuses",
];

pub fn figure_cells(f: &Figures) -> Vec<Cell> {
    vec![
        Cell::Int(f.received),
        Cell::Int(f.referrals),
        Cell::Int(f.refusals),
        Cell::Int(f.amendments),
        Cell::Int(f.terminations),
        Cell::OptInt(f.days_to_decision.median),
        Cell::OptInt(f.days_to_decision.p90),
        Cell::Int(f.on_time),
        Cell::Decimal(f.on_time_pct),
        Cell::OptInt(f.days_to_start.median),
        Cell::OptInt(f.days_to_start.p90),
        Cell::Int(f.waiting),
        Cell::Int(f.active),
        Cell::Cents(f.granted_cents),
        Cell::Cents(f.invoiced_cents),
        Cell::Cents(f.accepted_cents),
        Cell::Int(f.feedback_responses),
        Cell::Decimal(f.feedback_average),
        Cell::Int(f.days_to_decision.count),
    ]
}

fn breakdown_name(b: &str) -> &'static str {
    BREAKDOWNS
        .iter()
        .find(|(k, _, _)| *k == b)
        .map(|(_, et, _)| *et)
        .unwrap_or("Kokku")
}

/// The summary table: the totals first, then one row per group of the breakdown.
pub fn summary_sheet(s: &Statistics) -> Sheet {
    let mut header = vec![breakdown_name(&s.breakdown).to_string()];
    header.extend(FIGURE_COLUMNS.iter().map(|c| c.to_string()));
    let mut rows = Vec::new();
    let mut total = vec![Cell::Text("Kokku".into())];
    total.extend(figure_cells(&s.totals));
    rows.push(total);
    for g in &s.groups {
        let mut r = vec![Cell::Text(g.label.clone())];
        r.extend(figure_cells(&g.figures));
        rows.push(r);
    }
    Sheet {
        name: "Kokkuvõte",
        header,
        rows,
    }
}

pub fn sheets(s: &Statistics) -> Vec<Sheet> {
    let months = Sheet {
        name: "Kuud",
        header: [
            "Kuu",
            "Taotlusi",
            "Otsuseid",
            "Määratud, €",
            "Arveldatud, €",
            "Aktsepteeritud, €",
            "Tagasisideid",
            "Keskmine hinne",
        ]
        .map(String::from)
        .to_vec(),
        rows: s
            .months
            .iter()
            .map(|m| {
                vec![
                    Cell::Text(m.month.clone()),
                    Cell::Int(m.received),
                    Cell::Int(m.decided),
                    Cell::Cents(m.granted_cents),
                    Cell::Cents(m.invoiced_cents),
                    Cell::Cents(m.accepted_cents),
                    Cell::Int(m.feedback_responses),
                    Cell::Decimal(m.feedback_average),
                ]
            })
            .collect(),
    };
    let late = Sheet {
        name: "Hilinenud otsused",
        header: [
            "Juhtum",
            "Otsus",
            "Otsuse kuupäev",
            "Tähtaeg",
            "Hilinenud päevi",
            "Põhjus",
        ]
        .map(String::from)
        .to_vec(),
        rows: s
            .late
            .iter()
            .map(|l| {
                vec![
                    Cell::Text(l.case_no.clone()),
                    Cell::Text(l.number.clone()),
                    Cell::Text(dmy(l.decision_date)),
                    Cell::Text(dmy(l.due)),
                    Cell::Int(l.days_late),
                    Cell::Text(l.reason.clone()),
                ]
            })
            .collect(),
    };
    let feedback = Sheet {
        name: "Tagasiside",
        header: [
            "Küsimus",
            "Vastuseid",
            "Keskmine",
            "Hinne 1",
            "Hinne 2",
            "Hinne 3",
            "Hinne 4",
            "Hinne 5",
        ]
        .map(String::from)
        .to_vec(),
        rows: s
            .feedback
            .questions
            .iter()
            .map(|q| {
                let mut r = vec![
                    Cell::Text(q.text.et.clone()),
                    Cell::Int(q.count),
                    Cell::Decimal(q.average),
                ];
                r.extend(q.distribution.iter().map(|n| Cell::Int(*n)));
                r
            })
            .collect(),
    };
    let comments = Sheet {
        name: "Kommentaarid",
        header: ["Kuupäev", "Teenuseosutaja", "Kommentaar"]
            .map(String::from)
            .to_vec(),
        rows: s
            .feedback
            .comments
            .iter()
            .map(|c| {
                vec![
                    Cell::Text(dmy(c.answered_on)),
                    Cell::Text(c.provider.clone()),
                    Cell::Text(c.comment.clone()),
                ]
            })
            .collect(),
    };
    vec![summary_sheet(s), months, late, feedback, comments]
}

/// The lines above each sheet's table: what was counted.
pub fn caption(s: &Statistics) -> Vec<String> {
    vec![
        format!("SRT statistika: {}", s.period.label.et),
        format!(
            "Periood {} – {}; ootel ja teenusel seisuga {}",
            dmy(s.period.from),
            dmy(s.period.to),
            dmy(s.as_of)
        ),
        filter_line(s),
    ]
}

/// "Filtrid: maakond Harju maakond, tegevus 2010 …": by name, as the screen shows them (the
/// codes alone once stood here: "maakond 0037").
pub fn filter_line(s: &Statistics) -> String {
    let f = &s.filter_names;
    let filters: Vec<String> = [
        ("tee", &f.route),
        ("maakond", &f.county),
        ("omavalitsus", &f.municipality),
        ("teenuseosutaja", &f.provider),
        ("tegevus", &f.activity),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(name, v)| format!("{name} {v}"))
    .collect();
    if filters.is_empty() {
        "Filtrid: puuduvad".into()
    } else {
        format!("Filtrid: {}", filters.join(", "))
    }
}

/// Rows above the header in every sheet of the XLSX (the caption and a blank line).
pub const XLSX_HEADER_ROW: u32 = 4;

fn xlsx_fail(e: rust_xlsxwriter::XlsxError) -> Error {
    match e {
        rust_xlsxwriter::XlsxError::IoError(io) => Error::Io(io),
        other => Error::Internal(other.to_string()),
    }
}

/// The workbook: the caption, then the table, on each sheet. Money is written as euros with two
/// decimals (the number is cents / 100 exactly as the screen shows it).
pub fn write_xlsx(s: &Statistics, extra: &[Sheet], path: &Path) -> Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let euros = Format::new().set_num_format("# ##0.00");
    let decimal = Format::new().set_num_format("0.0#");
    let caption = caption(s);
    for sheet in sheets(s).iter().chain(extra) {
        let ws = book.add_worksheet();
        ws.set_name(sheet.name).map_err(xlsx_fail)?;
        for (i, line) in caption.iter().enumerate() {
            let f = if i == 0 { &bold } else { &Format::new() };
            ws.write_string_with_format(i as u32, 0, line, f)
                .map_err(xlsx_fail)?;
        }
        for (c, h) in sheet.header.iter().enumerate() {
            ws.write_string_with_format(XLSX_HEADER_ROW, c as u16, h, &bold)
                .map_err(xlsx_fail)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = XLSX_HEADER_ROW + 1 + r as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) => ws.write_string(r, c, t).map(|_| ()),
                    Cell::Int(n) => ws.write_number(r, c, *n as f64).map(|_| ()),
                    Cell::OptInt(Some(n)) => ws.write_number(r, c, *n as f64).map(|_| ()),
                    Cell::Decimal(Some(x)) => {
                        ws.write_number_with_format(r, c, *x, &decimal).map(|_| ())
                    }
                    Cell::OptInt(None) | Cell::Decimal(None) => Ok(()),
                    Cell::Cents(cents) => ws
                        .write_number_with_format(r, c, *cents as f64 / 100.0, &euros)
                        .map(|_| ()),
                }
                .map_err(xlsx_fail)?;
            }
        }
        ws.set_freeze_panes(XLSX_HEADER_ROW + 1, 1)
            .map_err(xlsx_fail)?;
        ws.autofit();
        ws.set_column_width(0, 28).map_err(xlsx_fail)?;
    }
    book.save(path).map_err(xlsx_fail)?;
    Ok(())
}

/// The summary table as CSV (semicolon-separated, decimal comma, as Estonian spreadsheets read
/// it): the caption lines, a blank line, the header, the totals row, one row per group.
pub fn write_csv(s: &Statistics, path: &Path) -> Result<()> {
    let sheet = summary_sheet(s);
    // What was counted first (title, period, filters), as the workbook's sheets have it, then a
    // blank line and the table; with the byte-order mark Excel reads õ, ä, ö, ü right.
    let rows = caption(s)
        .into_iter()
        .map(|line| vec![line])
        .chain(std::iter::once(vec![String::new()]))
        .chain(std::iter::once(sheet.header.clone()))
        .chain(
            sheet
                .rows
                .iter()
                .map(|row| row.iter().map(Cell::text).collect()),
        );
    let mut builder = csv::WriterBuilder::new();
    builder.delimiter(b';').flexible(true);
    crate::files::write_excel_csv(path, &builder, rows)
}

fn pdf_table(sheet: &Sheet, widths: Vec<usize>, size: u8) -> Table {
    let n = sheet.header.len();
    Table {
        align: (0..n)
            .map(|i| match sheet.rows.first().and_then(|r| r.get(i)) {
                Some(Cell::Text(_)) | None => Align::Left,
                _ => Align::Right,
            })
            .collect(),
        widths,
        header: sheet.header.clone(),
        rows: sheet
            .rows
            .iter()
            .map(|r| r.iter().map(pdf_text).collect())
            .collect(),
        footer: vec![],
        font_size: size,
    }
}

fn pdf_text(c: &Cell) -> String {
    match c {
        Cell::Cents(cents) => money(*cents),
        Cell::Decimal(v) => decimal_et(*v, 1),
        Cell::OptInt(None) => "—".into(),
        other => other.text(),
    }
}

/// The headline figures as label–value pairs (PDF and the periodic report).
fn headline(f: &Figures) -> Vec<Vec<String>> {
    vec![
        vec!["Taotlusi saabunud".into(), f.received.to_string()],
        vec![
            "Otsuseid (suunamine / keeldumine / muutmine / lõpetamine)".into(),
            format!(
                "{} / {} / {} / {}",
                f.referrals, f.refusals, f.amendments, f.terminations
            ),
        ],
        vec![
            "Päevi täielikust taotlusest otsuseni (mediaan / 90. protsentiil)".into(),
            format!(
                "{} / {}",
                opt_days(f.days_to_decision.median),
                opt_days(f.days_to_decision.p90)
            ),
        ],
        vec![
            "Tähtajaks otsustatud".into(),
            format!(
                "{} / {} ({} %)",
                f.on_time,
                f.days_to_decision.count,
                decimal_et(f.on_time_pct, 1)
            ),
        ],
        vec![
            "Päevi otsusest teenuse alguseni (mediaan / 90. protsentiil)".into(),
            format!(
                "{} / {}",
                opt_days(f.days_to_start.median),
                opt_days(f.days_to_start.p90)
            ),
        ],
        vec!["Ootel lapsi".into(), f.waiting.to_string()],
        vec!["Teenusel lapsi".into(), f.active.to_string()],
        vec!["Määratud raha".into(), money(f.granted_cents)],
        vec!["Arveldatud".into(), money(f.invoiced_cents)],
        vec!["Aktsepteeritud".into(), money(f.accepted_cents)],
        vec![
            "Tagasiside (vastuseid / keskmine hinne)".into(),
            format!(
                "{} / {}",
                f.feedback_responses,
                decimal_et(f.feedback_average, 2)
            ),
        ],
    ]
}

fn headline_table(f: &Figures) -> Table {
    Table {
        widths: vec![5, 2],
        align: vec![Align::Left, Align::Right],
        header: vec!["Näitaja".into(), "Väärtus".into()],
        rows: headline(f),
        footer: vec![],
        font_size: 9,
    }
}

fn definitions() -> Block {
    Block::small(
        "Mediaan ja 90. protsentiil: lähima astaku meetodil (väärtus järjestatud loendi kohal p/100 × n, \
         ülespoole ümardatud), seega alati tegelikult esinenud päevade arv. Tähtajaks: esimene otsus on tehtud hiljemalt \
         otsuse tähtaja päeval (täielikust taotlusest, kehtiva tähtajareegli järgi). Raha: sendi täpsusega.",
    )
}

/// The statistics as a PDF (the "monthly report" of the statistics screen, for any period).
pub fn statistics_pdf(s: &Statistics) -> PdfDocument {
    let mut doc = PdfDocument::new(format!("SRT statistika: {}", s.period.label.et));
    doc.footer_left = format!("SRT statistika · {}", s.period.label.et);
    doc.push(Block::heading(
        format!("SRT statistika: {}", s.period.label.et),
        1,
    ));
    for line in caption(s).iter().skip(1) {
        doc.push(Block::small(line.clone()));
    }
    doc.push(Block::Space(0.5));
    doc.push(Block::Table(headline_table(&s.totals)));
    doc.push(definitions());
    month_and_group_blocks(&mut doc, s);
    feedback_blocks(&mut doc, s);
    doc
}

fn month_and_group_blocks(doc: &mut PdfDocument, s: &Statistics) {
    let all = sheets(s);
    if s.months.len() > 1 {
        doc.push(Block::heading("Kuude kaupa", 3));
        let mut months = all[1].clone();
        months.header = [
            "Kuu",
            "Taotlusi",
            "Otsuseid",
            "Määratud",
            "Arveldatud",
            "Aktsept.",
            "Vastuseid",
            "Keskmine",
        ]
        .map(String::from)
        .to_vec();
        doc.push(Block::Table(pdf_table(
            &months,
            vec![2, 2, 2, 3, 3, 3, 2, 2],
            8,
        )));
    }
    if !s.groups.is_empty() {
        doc.push(Block::heading(
            format!("Jaotus: {}", breakdown_name(&s.breakdown).to_lowercase()),
            3,
        ));
        let g = &all[0];
        // The PDF shows the main columns of the breakdown; the XLSX has all of them.
        let keep = [0usize, 1, 2, 3, 6, 9, 12, 13, 14, 16];
        // Short headers: genpdf does not break a word that is wider than its column.
        let short = [
            g.header[0].as_str(),
            "Taotl.",
            "Suun.",
            "Keeld.",
            "Päevi (med.)",
            "Tähtaj. %",
            "Ootel",
            "Teenusel",
            "Määratud",
            "Aktsept.",
        ];
        let slim = Sheet {
            name: "Jaotus",
            header: short.iter().map(|h| h.to_string()).collect(),
            rows: g
                .rows
                .iter()
                .map(|r| keep.iter().map(|i| r[*i].clone()).collect())
                .collect(),
        };
        doc.push(Block::Table(pdf_table(
            &slim,
            vec![4, 2, 2, 2, 2, 3, 2, 3, 3, 3],
            7,
        )));
    }
}

fn feedback_blocks(doc: &mut PdfDocument, s: &Statistics) {
    doc.push(Block::heading("Perede tagasiside", 3));
    if s.feedback.responses == 0 {
        doc.push(Block::text("Perioodil tagasisidet ei tulnud."));
        return;
    }
    doc.push(Block::text(format!("Vastuseid: {}", s.feedback.responses)));
    doc.push(Block::Table(crate::stats::question_table(&s.feedback)));
    if !s.feedback.comments.is_empty() {
        doc.push(Block::spans(vec![Span::bold("Kommentaarid")]));
        doc.push(Block::Bullets(
            s.feedback
                .comments
                .iter()
                .take(10)
                .map(|c| {
                    if c.provider.is_empty() {
                        format!("{}: {}", dmy(c.answered_on), c.comment)
                    } else {
                        format!("{} ({}): {}", dmy(c.answered_on), c.provider, c.comment)
                    }
                })
                .collect(),
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// The periodic report (month or quarter)

/// An improvement proposal still open (draft or sent), for the periodic report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenProposal {
    pub title: String,
    pub topic: String,
    pub status: String,
    pub sent_to: String,
    pub sent_on: Option<NaiveDate>,
}

pub fn open_proposals(conn: &Connection) -> Result<Vec<OpenProposal>> {
    let mut stmt = conn.prepare_cached(
        "SELECT title, topic, status, sent_to, sent_on FROM proposal
         WHERE status IN ('draft', 'sent') ORDER BY status DESC, coalesce(sent_on, created_at), id",
    )?;
    let list = stmt
        .query_map([], |r| {
            Ok(OpenProposal {
                title: r.get(0)?,
                topic: r.get(1)?,
                status: r.get(2)?,
                sent_to: r.get(3)?,
                sent_on: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

fn topic_et(t: &str) -> &'static str {
    match t {
        "guidance" => "juhendmaterjalid",
        "process" => "tööprotsess",
        "provider" => "teenuseosutaja",
        _ => "teenussüsteem",
    }
}

fn status_et(s: &str) -> &'static str {
    match s {
        "sent" => "saadetud",
        _ => "mustand",
    }
}

pub fn proposals_sheet(list: &[OpenProposal]) -> Sheet {
    Sheet {
        name: "Ettepanekud",
        header: ["Ettepanek", "Teema", "Seis", "Kellele", "Saadetud"]
            .map(String::from)
            .to_vec(),
        rows: list
            .iter()
            .map(|p| {
                vec![
                    Cell::Text(p.title.clone()),
                    Cell::Text(topic_et(&p.topic).into()),
                    Cell::Text(status_et(&p.status).into()),
                    Cell::Text(p.sent_to.clone()),
                    Cell::Text(p.sent_on.map(dmy).unwrap_or_default()),
                ]
            })
            .collect(),
    }
}

/// The report must be a month or a quarter.
pub fn check_report_period(s: &Statistics) -> Result<()> {
    if matches!(s.period.kind.as_str(), "month" | "quarter") {
        Ok(())
    } else {
        Err(Error::field(
            "period",
            "report_period",
            "Perioodiline aruanne tehakse kuu või kvartali kohta: vali periood „Kuu” või „Kvartal”.",
            "The periodic report is for a month or a quarter: pick the period “Month” or “Quarter”.",
        ))
    }
}

/// The periodic report for the team lead and the service manager.
pub fn report_pdf(s: &Statistics, proposals: &[OpenProposal], signer: &str) -> PdfDocument {
    let f = &s.totals;
    let mut doc = PdfDocument::new(format!("Perioodiline aruanne: {}", s.period.label.et));
    doc.footer_left = format!("SRT perioodiline aruanne · {}", s.period.label.et);
    doc.push(Block::heading(
        "Laste sotsiaalse rehabilitatsiooni perioodiline aruanne",
        1,
    ));
    doc.push(Block::heading(s.period.label.et.clone(), 2));
    let mut who = format!(
        "Periood {} – {} · ootel ja teenusel seisuga {}",
        dmy(s.period.from),
        dmy(s.period.to),
        dmy(s.as_of)
    );
    if !signer.trim().is_empty() {
        who.push_str(&format!(" · koostaja {}", signer.trim()));
    }
    doc.push(Block::small(who));
    // A report filtered to a county or a provider says so: its figures are not the country's.
    doc.push(Block::small(filter_line(s)));
    doc.push(Block::Space(0.5));

    doc.push(Block::heading("Taotlused ja otsused", 3));
    doc.push(Block::Table(headline_table(f)));
    doc.push(definitions());

    doc.push(Block::heading("Tähtajad", 3));
    doc.push(Block::text(format!(
        "Tähtajaks otsustati {} juhtumit {}-st ({} %), hiljem {}.",
        f.on_time,
        f.days_to_decision.count,
        decimal_et(f.on_time_pct, 1),
        s.late.len()
    )));
    if !s.late.is_empty() {
        let mut late = sheets(s).swap_remove(2);
        late.header[4] = "Hiljem (p)".into();
        doc.push(Block::Table(pdf_table(&late, vec![3, 2, 2, 2, 2, 5], 8)));
    }

    doc.push(Block::heading("Ootel ja teenusel", 3));
    doc.push(Block::text(format!(
        "Seisuga {}: ootel {} last (suunamine kehtib, teenus pole alanud), teenusel {} last. Otsusest teenuse alguseni kulus mediaanina {} päeva (90. protsentiil {}).",
        dmy(s.as_of),
        f.waiting,
        f.active,
        opt_days(f.days_to_start.median),
        opt_days(f.days_to_start.p90)
    )));

    doc.push(Block::heading("Raha", 3));
    doc.push(Block::Table(Table {
        widths: vec![4, 2],
        align: vec![Align::Left, Align::Right],
        header: vec!["".into(), "Summa".into()],
        rows: vec![
            vec![
                "Määratud (suunamisotsuste lisad)".into(),
                money(f.granted_cents),
            ],
            vec!["Arveldatud".into(), money(f.invoiced_cents)],
            vec!["Aktsepteeritud".into(), money(f.accepted_cents)],
        ],
        footer: vec![],
        font_size: 9,
    }));
    month_and_group_blocks(&mut doc, s);

    doc.push(Block::heading("Tagasiside esiletõstud", 3));
    if s.feedback.responses == 0 {
        doc.push(Block::text("Perioodil tagasisidet ei tulnud."));
    } else {
        let rated: Vec<_> = s
            .feedback
            .questions
            .iter()
            .filter(|q| q.average.is_some())
            .collect();
        let best = rated.iter().max_by(|a, b| {
            a.average
                .partial_cmp(&b.average)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let worst = rated.iter().min_by(|a, b| {
            a.average
                .partial_cmp(&b.average)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut items = vec![format!(
            "Vastuseid {}, keskmine hinne {}.",
            s.feedback.responses,
            decimal_et(f.feedback_average, 2)
        )];
        if let Some(b) = best {
            items.push(format!(
                "Kõrgeim: „{}” – {}.",
                b.text.et,
                decimal_et(b.average, 2)
            ));
        }
        if let (Some(w), Some(b)) = (worst, best) {
            if w.question_id != b.question_id {
                items.push(format!(
                    "Madalaim: „{}” – {}.",
                    w.text.et,
                    decimal_et(w.average, 2)
                ));
            }
        }
        for c in s.feedback.comments.iter().take(3) {
            items.push(format!("„{}” ({})", c.comment, dmy(c.answered_on)));
        }
        doc.push(Block::Bullets(items));
    }

    doc.push(Block::heading("Avatud parendusettepanekud", 3));
    if proposals.is_empty() {
        doc.push(Block::text("Avatud ettepanekuid ei ole."));
    } else {
        doc.push(Block::Table(pdf_table(
            &proposals_sheet(proposals),
            vec![5, 2, 2, 3, 2],
            8,
        )));
    }
    doc
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    pub path: String,
    pub format: String,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::pdf::tests::pdftotext;
    use crate::stats::{compute, fixture, PeriodInput, StatsFilter, StatsQuery};

    fn march(breakdown: &str) -> (Statistics, Connection) {
        let conn = fixture::march_2026();
        (march_of(&conn, breakdown, StatsFilter::default()), conn)
    }

    /// March 2026 of the fixture, by `breakdown`, filtered by `filter`.
    fn march_of(conn: &Connection, breakdown: &str, filter: StatsFilter) -> Statistics {
        let catalog = crate::providers::Catalog::load(conn).expect("catalog");
        compute(
            conn,
            &catalog,
            &StatsQuery {
                period: PeriodInput {
                    kind: "month".into(),
                    year: 2026,
                    number: 3,
                    ..Default::default()
                },
                breakdown: breakdown.into(),
                filter,
            },
            NaiveDate::from_ymd_opt(2026, 4, 15).expect("date"),
        )
        .expect("stats")
    }

    /// A filtered export or report names its filter in words ("maakond 0037" once stood there),
    /// and the periodic report names it at all (it once gave a county's figures unlabelled).
    #[test]
    fn a_filter_is_named_by_name_in_the_caption_and_the_report() {
        let (all, conn) = march("county");
        let group = all
            .groups
            .iter()
            .find(|g| !g.key.is_empty())
            .expect("a county");
        let s = march_of(
            &conn,
            "route",
            StatsFilter {
                county: group.key.clone(),
                route: "kov".into(),
                ..Default::default()
            },
        );
        let line = format!("Filtrid: tee KOV tee, maakond {}", group.label);
        assert_eq!(caption(&s)[2], line);
        assert!(!caption(&s)[2].contains(&group.key), "{line}");
        let text =
            pdftotext(&crate::pdf::render(&report_pdf(&s, &[], "Mari Koordinaator")).expect("pdf"));
        assert!(
            text.contains(&format!("maakond {}", group.label)),
            "the report names its filter: {text}"
        );
    }

    #[test]
    fn the_xlsx_read_back_equals_the_statistics_cell_by_cell() {
        use calamine::{open_workbook, Data, Reader, Xlsx};
        let (s, _c) = march("route");
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("stats.xlsx");
        write_xlsx(&s, &[], &path).expect("xlsx");
        let mut book: Xlsx<_> = open_workbook(&path).expect("open");
        for sheet in sheets(&s) {
            let range = book.worksheet_range(sheet.name).expect("sheet");
            assert_eq!(
                range.get_value((0, 0)),
                Some(&Data::String("SRT statistika: märts 2026".into()))
            );
            let h = XLSX_HEADER_ROW;
            for (c, name) in sheet.header.iter().enumerate() {
                assert_eq!(
                    range.get_value((h, c as u32)),
                    Some(&Data::String(name.clone())),
                    "{} header {c}",
                    sheet.name
                );
            }
            for (r, row) in sheet.rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let got = range.get_value((h + 1 + r as u32, c as u32));
                    let ok = match (cell, got) {
                        (Cell::Text(t), Some(Data::String(g))) => t == g,
                        (Cell::Int(n) | Cell::OptInt(Some(n)), Some(Data::Float(g))) => {
                            *n as f64 == *g
                        }
                        (Cell::Decimal(Some(x)), Some(Data::Float(g))) => x == g,
                        (Cell::Cents(cents), Some(Data::Float(g))) => {
                            (g * 100.0).round() as i64 == *cents
                        }
                        (Cell::OptInt(None) | Cell::Decimal(None), None | Some(Data::Empty)) => {
                            true
                        }
                        _ => false,
                    };
                    assert!(ok, "{} row {r} col {c}: {cell:?} vs {got:?}", sheet.name);
                }
            }
        }
        // And the summary's figures are those of the struct, not just of the sheet model.
        let range = book.worksheet_range("Kokkuvõte").expect("summary");
        let total = |c: u32| range.get_value((XLSX_HEADER_ROW + 1, c)).cloned();
        assert_eq!(total(1), Some(Data::Float(3.0)), "received");
        assert_eq!(total(6), Some(Data::Float(12.0)), "median days");
        assert_eq!(total(9), Some(Data::Float(66.7)), "on time %");
        assert_eq!(total(14), Some(Data::Float(800.0)), "granted €");
        assert_eq!(total(16), Some(Data::Float(250.0)), "accepted €");
    }

    #[test]
    fn the_csv_read_back_equals_the_statistics() {
        let (s, _c) = march("route");
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("stats.csv");
        write_csv(&s, &path).expect("csv");
        let bytes = std::fs::read(&path).expect("read");
        assert!(
            bytes.starts_with("\u{feff}".as_bytes()),
            "a byte-order mark, for Excel"
        );
        let text = String::from_utf8(bytes).expect("utf-8");
        let text = text.trim_start_matches('\u{feff}');
        // What was counted comes first, then a blank line, then the table.
        let top: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .take(4)
            .map(|x| x.expect("line").iter().map(String::from).collect())
            .collect();
        let want: Vec<Vec<String>> = caption(&s).into_iter().map(|l| vec![l]).collect();
        assert_eq!(top[..3], want[..]);
        assert_eq!(top[3], vec![String::new()]);
        let table = text.splitn(5, '\n').nth(4).expect("the table");
        let mut r = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(table.as_bytes());
        let header: Vec<String> = r
            .headers()
            .expect("header")
            .iter()
            .map(String::from)
            .collect();
        assert_eq!(header[0], "Suunamise tee");
        assert_eq!(&header[1..], FIGURE_COLUMNS.map(String::from).as_slice());
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|x| x.expect("row").iter().map(String::from).collect())
            .collect();
        assert_eq!(rows.len(), 1 + s.groups.len());
        assert_eq!(rows[0][0], "Kokku");
        assert_eq!(rows[0][1], s.totals.received.to_string());
        assert_eq!(rows[0][9], "66,7");
        assert_eq!(rows[0][14], "800,00");
        assert_eq!(rows[0][15], "350,00");
        assert_eq!(rows[0][18], "3,5");
        assert_eq!(rows[1][0], s.groups[0].label);
        for (row, want) in rows.iter().zip(summary_sheet(&s).rows) {
            let want: Vec<String> = want.iter().map(Cell::text).collect();
            assert_eq!(row, &want);
        }
    }

    #[test]
    fn the_pdfs_carry_the_same_figures_and_the_report_its_reasons_and_proposals() {
        let (s, conn) = march("route");
        let text = pdftotext(&crate::pdf::render(&statistics_pdf(&s)).expect("pdf"))
            .replace('\u{a0}', " ");
        for want in [
            "SRT statistika: märts 2026",
            "Taotlusi saabunud",
            "2 / 3 (66,7 %)",
            "12 / 22",
            "800,00 €",
            "350,00 €",
            "250,00 €",
            "Väga hea",
            // Every column header survives (genpdf drops a word wider than its column).
            "Tähtaj. %",
            "Teenusel",
            "Aktsept.",
            "Vastuseid",
            "Keskmine",
        ] {
            assert!(text.contains(want), "statistics PDF lacks {want}:\n{text}");
        }
        conn.execute(
            "INSERT INTO proposal (topic, title, status, sent_to, sent_on, created_at, updated_at) VALUES
             ('process', 'Lühem tähtaeg KOV hinnangule', 'sent', 'Teenusejuht', '2026-03-15', 'x', 'x'),
             ('guidance', 'Uus juhend vanematele', 'draft', '', NULL, 'x', 'x'),
             ('system', 'Tehtud asi', 'implemented', '', NULL, 'x', 'x')",
            [],
        )
        .expect("proposals");
        let proposals = open_proposals(&conn).expect("open");
        assert_eq!(proposals.len(), 2, "implemented proposals are not open");
        let text = pdftotext(
            &crate::pdf::render(&report_pdf(&s, &proposals, "Mari Maasikas")).expect("pdf"),
        )
        .replace('\u{a0}', " ");
        for want in [
            "perioodiline aruanne",
            "märts 2026",
            "koostaja Mari Maasikas",
            "Tähtajaks otsustati 2 juhtumit 3-st (66,7 %), hiljem 1.",
            "SRT-2026-0002",
            "Ootasime KOV hinnangut",
            "ootel 1 last",
            "teenusel 2 last",
            "800,00 €",
            "Lühem tähtaeg KOV hinnangule",
            "Uus juhend vanematele",
            "Kõrgeim:",
            "Hiljem (p)",
            "Tähtaj. %",
        ] {
            assert!(text.contains(want), "report PDF lacks {want}:\n{text}");
        }
        assert!(!text.contains("Tehtud asi"));
    }

    #[test]
    fn the_periodic_report_is_for_a_month_or_a_quarter() {
        let (mut s, _c) = march("");
        assert!(check_report_period(&s).is_ok());
        s.period.kind = "year".into();
        match check_report_period(&s) {
            Err(Error::Validation(f)) => assert_eq!(f[0].code, "report_period"),
            other => panic!("{other:?}"),
        }
    }
}
