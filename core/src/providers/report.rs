//! The one-page provider report for the service manager: who the provider is, its papers and
//! flags, where and what it offers, availability, the quality figures and the coordinator's
//! quality notes. Built on the shared PDF blocks (crate::pdf).

use chrono::NaiveDate;

use crate::pdf::{Align, Block, PdfDocument, Span, Table};
use crate::providers::{Provider, ProviderQuality};

fn fmt(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_else(|| "—".into())
}

fn or_dash(s: &str) -> String {
    if s.trim().is_empty() {
        "—".into()
    } else {
        s.to_string()
    }
}

fn language_name(code: &str) -> &'static str {
    match code {
        "ru" => "vene",
        "en" => "inglise",
        _ => "eesti",
    }
}

/// The report in Estonian (the language of the Board's documents).
pub fn document(p: &Provider, q: &ProviderQuality, today: NaiveDate) -> PdfDocument {
    let mut doc = PdfDocument::new(format!("Teenuseosutaja ülevaade: {}", p.name));
    doc.footer_left = format!("{} · registrikood {}", p.name, p.registry_code);
    doc.push(Block::heading("Teenuseosutaja ülevaade", 1));
    doc.push(Block::heading(p.name.clone(), 2));
    doc.push(Block::small(format!(
        "Registrikood {} · koostatud {} · {}",
        p.registry_code,
        fmt(Some(today)),
        if p.active {
            "aktiivne"
        } else {
            "mitteaktiivne"
        }
    )));
    doc.push(Block::Space(0.5));
    doc.push(Block::Table(Table {
        widths: vec![2, 2, 2],
        align: vec![Align::Left, Align::Left, Align::Left],
        header: vec!["".into(), "Number".into(), "Kehtib kuni".into()],
        rows: vec![
            vec![
                "Tegevusluba".into(),
                or_dash(&p.licence_no),
                fmt(p.licence_valid_to),
            ],
            vec![
                "Leping Sotsiaalkindlustusametiga".into(),
                or_dash(&p.contract_no),
                fmt(p.contract_valid_to),
            ],
        ],
        footer: vec![],
        font_size: 9,
    }));
    if !p.flags.is_empty() {
        doc.push(Block::Framed(vec![
            Block::spans(vec![Span::bold("Tähelepanu")]),
            Block::Bullets(p.flags.iter().map(|f| f.text.et.clone()).collect()),
        ]));
    }
    doc.push(Block::heading("Asukohad ja teenus", 3));
    doc.push(Block::Table(Table {
        widths: vec![3, 2, 2],
        align: vec![Align::Left, Align::Left, Align::Left],
        header: vec!["Aadress".into(), "Omavalitsus".into(), "Maakond".into()],
        rows: p
            .locations
            .iter()
            .map(|l| {
                vec![
                    or_dash(&l.address),
                    l.municipality_name.clone(),
                    l.county_name.clone(),
                ]
            })
            .collect(),
        footer: vec![],
        font_size: 9,
    }));
    doc.push(Block::spans(vec![
        Span::bold("Tegevused: "),
        Span::normal(
            p.activities
                .iter()
                .map(|a| format!("{} {}", a.code, a.name.et))
                .collect::<Vec<_>>()
                .join("; "),
        ),
    ]));
    doc.push(Block::spans(vec![
        Span::bold("Vanus: "),
        Span::normal(format!("{}–{} a", p.age_min, p.age_max)),
        Span::bold("   Keeled: "),
        Span::normal(
            p.languages
                .iter()
                .map(|l| language_name(l))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ]));
    doc.push(Block::spans(vec![
        Span::bold("Ootejärjekord: "),
        Span::normal(
            p.waiting_days
                .map(|d| format!("{d} päeva"))
                .unwrap_or_else(|| "teadmata".into()),
        ),
        Span::bold("   Vabu kohti: "),
        Span::normal(
            p.free_places
                .map(|n| n.to_string())
                .unwrap_or_else(|| "teadmata".into()),
        ),
        Span::bold("   Kinnitatud: "),
        Span::normal(fmt(p.capacity_confirmed_on)),
    ]));
    if !p.accessibility.trim().is_empty() {
        doc.push(Block::spans(vec![
            Span::bold("Ligipääsetavus: "),
            Span::normal(p.accessibility.clone()),
        ]));
    }
    doc.push(Block::heading("Kvaliteedinäitajad", 3));
    doc.push(Block::Table(Table {
        widths: vec![1, 1, 1, 1, 2],
        align: vec![
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
        header: vec![
            "Suunatud".into(),
            "Registreerunud".into(),
            "Alustanud".into(),
            "Lõpetanud".into(),
            "Keskmine ootamine".into(),
        ],
        rows: vec![vec![
            q.referred.to_string(),
            q.registered.to_string(),
            q.started.to_string(),
            q.ended.to_string(),
            q.average_wait_days
                .map(|d| format!("{} päeva", d.to_string().replace('.', ",")))
                .unwrap_or_else(|| "—".into()),
        ]],
        footer: vec![],
        font_size: 9,
    }));
    doc.push(Block::small(
        "Keskmine ootamine: päevi registreerumisest teenuse alguseni nende juhtumite puhul, kus teenus on alanud. Arvete ja tagasiside näitajad lisanduvad, kui need on rakenduses.",
    ));
    doc.push(Block::heading("Koordinaatori kvaliteedimärkused", 3));
    doc.push(Block::text(or_dash(&p.quality_notes)));
    if !p.contacts.is_empty() {
        doc.push(Block::heading("Kontaktisikud", 3));
        doc.push(Block::Table(Table {
            widths: vec![2, 2, 2, 3],
            align: vec![Align::Left; 4],
            header: vec![
                "Nimi".into(),
                "Roll".into(),
                "Telefon".into(),
                "E-post".into(),
            ],
            rows: p
                .contacts
                .iter()
                .map(|c| {
                    vec![
                        c.name.clone(),
                        or_dash(&c.role),
                        or_dash(&c.phone),
                        or_dash(&c.email),
                    ]
                })
                .collect(),
            footer: vec![],
            font_size: 9,
        }));
    }
    doc
}

// --- Billing ---

/// The provider's invoices in figures, as the report's last section.
pub fn push_invoice_section(doc: &mut PdfDocument, f: &crate::money::ProviderInvoiceFigures) {
    let money = crate::pdf::money;
    doc.push(Block::heading("Arved", 3));
    if f.invoices == 0 {
        doc.push(Block::text("Teenuseosutajalt ei ole arveid sisestatud."));
        return;
    }
    doc.push(Block::Table(Table {
        widths: vec![2, 3, 2, 3, 3, 3, 3],
        align: vec![Align::Right; 7],
        header: vec![
            "Arveid".into(),
            "Aktsepteeritud".into(),
            "Osaliselt".into(),
            "Tagasi lükatud".into(),
            "Arveldatud".into(),
            "Aktsepteeritud summa".into(),
            "Otsuseta".into(),
        ],
        rows: vec![vec![
            f.invoices.to_string(),
            f.accepted.to_string(),
            f.partly_accepted.to_string(),
            f.rejected.to_string(),
            money(f.billed_cents),
            money(f.accepted_cents),
            format!("{} ({})", f.open, money(f.open_cents)),
        ]],
        footer: vec![],
        font_size: 9,
    }));
    doc.push(Block::small(
        "Arveldatud ja aktsepteeritud summa: arved, mille kohta on otsus tehtud; otsuseta arved on eraldi.",
    ));
}
