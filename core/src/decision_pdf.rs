//! The decision letter as a PDF, in the Board's layout: heading with the Board's name and
//! contacts, the title, number and date, the addressee, the plain-language summary in a frame
//! (in the guardian's language), the child, the body sections, the providers, the signature
//! block, and for a referral the annex table with one column per calendar year.

use crate::decisions::Letter;
use crate::error::Result;
use crate::pdf::{money, Align, Block, PdfDocument, Span, Table};

/// The letter's blocks (also what `srt-admin bench-pdf` renders).
pub fn document(letter: &Letter) -> PdfDocument {
    let number = if letter.number.is_empty() {
        "EELNÕU".to_string()
    } else {
        letter.number.clone()
    };
    let mut doc = PdfDocument::new(format!("{} {number}", letter.title));
    doc.footer_left = format!("{} · otsus {number}", letter.board_name);
    doc.push(Block::heading(letter.board_name.clone(), 1));
    if !letter.board_unit.is_empty() {
        doc.push(Block::text(letter.board_unit.clone()));
    }
    doc.push(Block::small(letter.board_contact.clone()));
    doc.push(Block::Space(0.5));
    doc.push(Block::Columns {
        widths: vec![3, 1],
        align: vec![Align::Left, Align::Right],
        texts: vec![
            letter.addressee.join("\n"),
            format!(
                "Otsuse nr {number}\nKuupäev {}",
                if letter.date.is_empty() {
                    "…"
                } else {
                    &letter.date
                }
            ),
        ],
    });
    if !letter.delivery.is_empty() {
        doc.push(Block::small(format!(
            "Kättetoimetamine: {}",
            letter.delivery
        )));
    }
    doc.push(Block::Space(0.5));
    doc.push(Block::heading(letter.title.clone(), 2));
    doc.push(Block::Framed(vec![
        Block::heading(letter.summary_heading.clone(), 3),
        Block::text(letter.summary.clone()),
    ]));
    doc.push(Block::spans(vec![
        Span::bold("Laps: "),
        Span::normal(letter.child.clone()),
    ]));
    // The providers belong to what was decided: before the challenge clause, which is last.
    let last = letter.sections.len().saturating_sub(1);
    for (i, s) in letter.sections.iter().enumerate() {
        if i == last && !letter.providers.is_empty() {
            doc.push(Block::heading("Sobivad teenuseosutajad", 3));
            doc.push(Block::Bullets(letter.providers.clone()));
        }
        doc.push(Block::heading(s.heading.clone(), 3));
        doc.push(Block::text(s.text.clone()));
    }
    doc.push(Block::Space(1.0));
    doc.push(Block::text("(allkirjastatud digitaalselt)"));
    doc.push(Block::spans(vec![Span::bold(letter.signer_name.clone())]));
    doc.push(Block::text(letter.signer_title.clone()));
    if let Some(annex) = &letter.annex {
        doc.push(Block::PageBreak);
        doc.push(Block::heading(
            format!("Lisa. Otsuse {number} teenuse maksumus"),
            2,
        ));
        doc.push(Block::text(
            "Summad on eurodes tegevuste ja kalendriaastate kaupa; iga aasta summa jääb lapse aastase piirmäära piiresse.",
        ));
        let mut widths = vec![1, 5];
        let mut align = vec![Align::Left, Align::Left];
        let mut header = vec!["Kood".to_string(), "Tegevus".to_string()];
        for y in &annex.years {
            widths.push(2);
            align.push(Align::Right);
            header.push(y.to_string());
        }
        let many = annex.years.len() > 1;
        if many {
            widths.push(2);
            align.push(Align::Right);
            header.push("Kokku".into());
        }
        let rows = annex
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![r.code.clone(), r.name.clone()];
                row.extend(r.cents.iter().map(|c| money(*c)));
                if many {
                    row.push(money(r.total));
                }
                row
            })
            .collect();
        let mut total = vec![String::new(), "Kokku".to_string()];
        total.extend(annex.totals.iter().map(|c| money(*c)));
        if many {
            total.push(money(annex.total));
        }
        let mut cap = vec![String::new(), "Aastane piirmäär".to_string()];
        cap.extend(annex.caps.iter().map(|c| money(*c)));
        if many {
            cap.push(String::new());
        }
        doc.push(Block::Table(Table {
            widths,
            align,
            header,
            rows,
            footer: vec![total, cap],
            font_size: 9,
        }));
    }
    doc
}

pub fn render(letter: &Letter) -> Result<Vec<u8>> {
    crate::pdf::render(&document(letter))
}
