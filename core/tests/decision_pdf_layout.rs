//! The printed letter as poppler reads it: nothing typed is ever left out (a word wider than
//! its column is broken, not dropped), and the signature is never cut off from the letter.

mod common;

use common::pdftotext_bytes as pdftotext;
use srt_core::decisions::{Letter, LetterSection};

/// The text with all whitespace removed: a broken word reads back whole.
fn joined(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect()
}

fn letter(reasoning: String) -> Letter {
    let section = |h: &str, t: &str| LetterSection {
        heading: h.into(),
        text: t.into(),
    };
    Letter {
        kind: "refusal".into(),
        title: "OTSUS sotsiaalse rehabilitatsiooni teenusele suunamisest keeldumise kohta".into(),
        board_name: "Sotsiaalkindlustusamet".into(),
        board_unit: "Laste sotsiaalse rehabilitatsiooni talitus".into(),
        board_contact: "Endla 8, 15092 Tallinn · +372 612 1360".into(),
        number: "K000042".into(),
        date: "25.11.2026".into(),
        addressee: vec!["Anu Näidis".into()],
        delivery: "e-posti teel".into(),
        summary_language: "et".into(),
        summary_heading: "Mida see otsus tähendab?".into(),
        summary: "Lühike kokkuvõte.".into(),
        child: "Mirtel Näidis, isikukood 61303150029".into(),
        sections: vec![
            section("Otsustan", "Keelduda."),
            section("Põhjendus", &reasoning),
            section("Õiguslik alus", "SHS § 67."),
            section(
                "Vaidlustamine",
                "Kui Te ei ole otsusega nõus, võite esitada vaide Sotsiaalkindlustusametile 30 päeva jooksul.",
            ),
        ],
        providers: Vec::new(),
        signer_name: "Mari Koordinaator".into(),
        signer_title: "Juhtumikorraldaja".into(),
        signer_contact: String::new(),
        annex: None,
    }
}

#[test]
fn an_over_long_email_and_word_are_printed_whole() {
    let email = "anu.kristiina.ounapuu.jarvelainen.smidt.muursepp@tervisekeskus-naidis.example.ee";
    let long_word =
        "Sotsiaalrehabilitatsiooniteenuseosutajavõrgustikukohtumisteprotokollikoostamiskohustus"
            .repeat(2);
    let mut l = letter(format!("Põhjus: {long_word} ja veel {email} lõpus."));
    l.addressee = vec!["Anu Kristiina Õunapuu".into(), email.into()];
    let text = pdftotext(
        &srt_core::decisions::letter_pdf::render(&l).expect("renders"),
        false,
    );
    let all = joined(&text);
    assert!(
        all.matches(email).count() >= 2,
        "the e-mail is in the address block and in the body:\n{text}"
    );
    assert!(
        all.contains(&long_word),
        "the long word is all there:\n{text}"
    );
    assert!(all.contains("lõpus."), "the text after it is there too");
}

#[test]
fn the_signature_stays_on_the_page_of_the_last_lines_before_it() {
    // Grow the letter one line at a time so that the page ends at every point of the closing.
    for n in 20..75 {
        let reasoning = (1..=n)
            .map(|i| format!("Rida {i}."))
            .collect::<Vec<_>>()
            .join("\n");
        let pdf = srt_core::decisions::letter_pdf::render(&letter(reasoning)).expect("renders");
        let text = pdftotext(&pdf, true);
        let page = text
            .split('\u{c}')
            .find(|p| p.contains("(allkirjastatud digitaalselt)"))
            .expect("a page with the signature");
        for part in [
            "Vaidlustamine",
            "võite esitada vaide",
            "Mari Koordinaator",
            "Juhtumikorraldaja",
        ] {
            assert!(
                page.contains(part),
                "{n} lines: the signature is split from {part:?}:\n{text}"
            );
        }
    }
}
