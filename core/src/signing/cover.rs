//! The printable cover page of a decision sent by post or handed over in person: the Board's
//! return address, the addressee's name and address where an envelope's window shows them, and
//! a short covering note with the decision's number and date and when the challenge period
//! starts. Made with the app's PDF writer; the decision itself is printed from its own PDF.

use crate::decisions::{Decision, DecisionSettings};
use crate::error::{Error, Result};
use crate::pdf::{self, Align, Block, PdfDocument, Span};

/// The cover page's file name for decision `number`.
pub fn file_name(number: &str) -> String {
    format!("otsus-{number}-umbrik.pdf")
}

/// The cover page as PDF bytes; `stamp` marks a demo desk's pages.
pub fn render(
    d: &Decision,
    number: &str,
    board: &DecisionSettings,
    stamp: &str,
) -> Result<Vec<u8>> {
    let name = d.addressee_name.trim();
    let address = d.addressee_address.trim();
    if name.is_empty() || address.is_empty() {
        return Err(Error::field(
            "addresseeAddress",
            "delivery.no_postal_address",
            "Ümbrikulehte ei saa teha: otsuse saaja nimi või postiaadress puudub.",
            "The cover page cannot be made: the addressee's name or postal address is missing.",
        ));
    }
    let date = d
        .decision_date
        .map(|x| x.format("%d.%m.%Y").to_string())
        .unwrap_or_default();
    let mut doc = PdfDocument::new(format!("Ümbrikuleht {number}"));
    doc.stamp = stamp.to_string();
    doc.footer_left = format!("Otsus nr {number}");
    let sender = [
        board.board_name.trim(),
        board.board_unit.trim(),
        board.board_address.trim(),
    ]
    .into_iter()
    .filter(|l| !l.is_empty())
    .collect::<Vec<_>>()
    .join("\n");
    doc.push(Block::Paragraph {
        spans: vec![Span::normal(format!("Saatja:\n{sender}"))],
        align: Align::Left,
        size: Some(8),
    });
    doc.push(Block::Space(4.0));
    // Where a C5/DL window envelope shows the address: the left half, a few lines down.
    doc.push(Block::Columns {
        widths: vec![1, 1],
        align: vec![Align::Left, Align::Left],
        texts: vec![format!("{name}\n{address}"), String::new()],
    });
    doc.push(Block::Space(6.0));
    doc.push(Block::heading(format!("Otsus nr {number} ({date})"), 2));
    doc.push(Block::text(format!(
        "Lugupeetud {name}\n\nSaadame Teile otsuse nr {number}, tehtud {date}. Otsus on \
         ümbrikus selle lehe all.\n\nKui Te ei ole otsusega nõus, võite esitada vaide 30 päeva \
         jooksul otsuse kättesaamisest; vaide esitamise kord on kirjas otsuses."
    )));
    doc.push(Block::Space(2.0));
    doc.push(Block::text(format!(
        "Küsimuste korral: {}",
        [board.board_phone.trim(), board.board_email.trim()]
            .into_iter()
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    )));
    pdf::render(&doc)
}
