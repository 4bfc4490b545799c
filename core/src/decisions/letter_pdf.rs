//! The decision letter as a PDF, in the Board's layout: heading with the Board's name and
//! contacts, the title, number and date, the addressee, the plain-language summary in a frame
//! (in the guardian's language), the child, the body sections, the providers, the signature
//! block, and for a referral the annex table with one column per calendar year.

use crate::decisions::Letter;
use crate::error::Result;
use crate::pdf::{money, Align, Block, PdfDocument, Span, Table};
use serde::Serialize;

/// The words the letter prints around its content, in the letter's language (Estonian). The
/// editor's preview shows the same words, whatever the language of the interface.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct LetterLabels {
    /// The number as printed: the decision number, or "EELNÕU" for a draft.
    pub number: String,
    pub number_label: String,
    pub date_label: String,
    pub delivery_label: String,
    pub child_label: String,
    pub providers: String,
    pub signed: String,
    pub annex_title: String,
    pub annex_note: String,
    pub annex_code: String,
    pub annex_activity: String,
    pub annex_total: String,
    pub annex_cap: String,
}

pub fn labels(letter: &Letter) -> LetterLabels {
    let number = if letter.number.is_empty() {
        "EELNÕU".to_string()
    } else {
        letter.number.clone()
    };
    LetterLabels {
        annex_title: format!("Lisa. Otsuse {number} teenuse maksumus"),
        number,
        number_label: "Otsuse nr".into(),
        date_label: "Kuupäev".into(),
        delivery_label: "Kättetoimetamine".into(),
        child_label: "Laps".into(),
        providers: "Sobivad teenuseosutajad".into(),
        signed: "(allkirjastatud digitaalselt)".into(),
        annex_note: format!(
            "Summad on eurodes tegevuste ja kalendriaastate kaupa; iga aasta summa jääb lapse aastase piirmäära piiresse. \
             Aastate summad järgivad tegevuste kava: rehabilitatsiooniplaan (1001) koostatakse teenuse alguses, \
             seega on kogu selle summa otsuse esimese aasta veerus ja plaani võib arveldada otsuse esimese {} päeva \
             jooksul ka siis, kui see jääb järgmisse kalendriaastasse. Teiste tegevuste summa on jaotatud aastate \
             vahel otsuse kehtivuspäevade arvu järgi.",
            crate::decisions::FIRST_PERIOD_DAYS
        ),
        annex_code: "Kood".into(),
        annex_activity: "Tegevus".into(),
        annex_total: "Kokku".into(),
        annex_cap: "Aastane piirmäär".into(),
    }
}

/// The letter's blocks (also what `srt-admin bench-pdf` renders).
pub fn document(letter: &Letter) -> PdfDocument {
    let l = labels(letter);
    let number = l.number.clone();
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
                "{} {number}\n{} {}",
                l.number_label,
                l.date_label,
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
            "{}: {}",
            l.delivery_label, letter.delivery
        )));
    }
    doc.push(Block::Space(0.5));
    doc.push(Block::heading(letter.title.clone(), 2));
    doc.push(Block::Framed(vec![
        Block::heading(letter.summary_heading.clone(), 3),
        Block::text(letter.summary.clone()),
    ]));
    doc.push(Block::spans(vec![
        Span::bold(format!("{}: ", l.child_label)),
        Span::normal(letter.child.clone()),
    ]));
    // The providers belong to what was decided: before the challenge clause, which is last.
    let last = letter.sections.len().saturating_sub(1);
    // The signature never stands alone on a page: it is kept together with the last section
    // (the challenge clause) before it.
    let mut closing = Vec::new();
    for (i, s) in letter.sections.iter().enumerate() {
        if i == last && !letter.providers.is_empty() {
            doc.push(Block::heading(l.providers.clone(), 3));
            doc.push(Block::Bullets(letter.providers.clone()));
        }
        let blocks = [
            Block::heading(s.heading.clone(), 3),
            Block::text(s.text.clone()),
        ];
        if i == last {
            closing.extend(blocks);
        } else {
            blocks.into_iter().for_each(|b| doc.push(b));
        }
    }
    closing.push(Block::Space(1.0));
    closing.push(Block::text(l.signed.clone()));
    closing.push(Block::spans(vec![Span::bold(letter.signer_name.clone())]));
    closing.push(Block::text(letter.signer_title.clone()));
    if !letter.signer_contact.is_empty() {
        closing.push(Block::text(letter.signer_contact.clone()));
    }
    doc.push(Block::KeepTogether(closing));
    if let Some(annex) = &letter.annex {
        doc.push(Block::PageBreak);
        doc.push(Block::heading(l.annex_title.clone(), 2));
        doc.push(Block::text(l.annex_note.clone()));
        let mut widths = vec![1, 5];
        let mut align = vec![Align::Left, Align::Left];
        let mut header = vec![l.annex_code.clone(), l.annex_activity.clone()];
        for y in &annex.years {
            widths.push(2);
            align.push(Align::Right);
            header.push(y.to_string());
        }
        let many = annex.years.len() > 1;
        if many {
            widths.push(2);
            align.push(Align::Right);
            header.push(l.annex_total.clone());
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
        let mut total = vec![String::new(), l.annex_total.clone()];
        total.extend(annex.totals.iter().map(|c| money(*c)));
        if many {
            total.push(money(annex.total));
        }
        let mut cap = vec![String::new(), l.annex_cap.clone()];
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
    render_stamped(letter, "")
}

/// [`render`] with a stamp on every page ("NÄIDISANDMED" on a demo desk).
pub fn render_stamped(letter: &Letter, stamp: &str) -> Result<Vec<u8>> {
    let mut doc = document(letter);
    doc.stamp = stamp.to_string();
    crate::pdf::render(&doc)
}
