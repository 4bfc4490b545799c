//! The minutes of a network meeting (võrgustikukohtumise protokoll) as an Estonian PDF for the
//! participants: when and where, who took part and who did not, the agenda, the notes when they
//! are marked for the minutes, the decisions, and the agreed actions with owners and dates.
//! The coordinator's private notes are never read here. No tables of its own: the meeting comes
//! from [`crate::meetings`], the filing goes to [`crate::casework::documents`].

use chrono::NaiveDate;

use crate::error::{Error, FieldError, Result};
use crate::meetings::{agenda_items, kind_name, Meeting};
use crate::pdf::{Align, Block, PdfDocument, Span, Table};

fn fmt(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// Whether the minutes can be made: the meeting has happened and everyone in it has a name.
pub fn check_ready(m: &Meeting, today: NaiveDate) -> Result<()> {
    let mut errors = Vec::new();
    if m.date > today {
        errors.push(FieldError::new(
            "date",
            "minutes.meeting_ahead",
            &format!(
                "Kohtumine on {}; protokolli saab koostada kohtumise päeval või hiljem.",
                fmt(m.date)
            ),
            &format!(
                "The meeting is on {}; the minutes can be made on the meeting day or later.",
                fmt(m.date)
            ),
        ));
    }
    if m.participants.is_empty() {
        errors.push(FieldError::new(
            "participants",
            "minutes.no_participants",
            "Lisa protokolli jaoks kohtumisel osalejad.",
            "Add the participants of the meeting for the minutes.",
        ));
    }
    for (i, p) in m.participants.iter().enumerate() {
        if p.name.trim().is_empty() {
            errors.push(FieldError::new(
                format!("participants.{i}.name"),
                "minutes.participant_name",
                &format!("Osalejal {} puudub nimi.", i + 1),
                &format!("Participant {} has no name.", i + 1),
            ));
        }
    }
    // The minutes are made from what is saved: not while a refused text waits to be corrected.
    for held in &m.held {
        errors.push(FieldError {
            field: held.field.clone(),
            code: "minutes.text_not_saved".into(),
            message: crate::error::Localized::new(
                format!("Paranda enne protokolli koostamist: {}", held.message.et),
                format!(
                    "Correct this before making the minutes: {}",
                    held.message.en
                ),
            ),
        });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

/// The title the minutes get on the documents register.
pub fn register_title(m: &Meeting) -> String {
    format!("Võrgustikukohtumise protokoll {}", fmt(m.date))
}

/// The file name offered for the minutes.
pub fn file_name(m: &Meeting) -> String {
    let case: String = m
        .case_no
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("protokoll-{case}-{}.pdf", m.date)
}

/// Text as typed, split into paragraphs of lines; empty text gives a dash.
fn text_block(text: &str) -> Block {
    let trimmed = text.trim_end();
    if trimmed.trim().is_empty() {
        Block::text("—")
    } else {
        Block::text(trimmed.trim_start_matches('\n'))
    }
}

/// The minutes as a PDF document. `coordinator` signs them; `today` is the day they are made.
pub fn document(m: &Meeting, coordinator: &str, today: NaiveDate) -> PdfDocument {
    let mut doc = PdfDocument::new(register_title(m));
    doc.footer_left = format!("{} · {}", m.case_no, register_title(m));
    doc.push(Block::small(
        "Sotsiaalkindlustusamet · Laste sotsiaalne rehabilitatsioon",
    ));
    doc.push(Block::heading("Võrgustikukohtumise protokoll", 1));
    let mut when = fmt(m.date);
    if !m.time.is_empty() {
        when.push_str(&format!(" kell {}", m.time));
    }
    let mut facts = vec![
        vec!["Laps".to_string(), m.child_name.clone()],
        vec!["Juhtum".to_string(), m.case_no.clone()],
        vec!["Kohtumine".to_string(), kind_name(&m.kind).0.to_string()],
        vec!["Aeg".to_string(), when],
    ];
    if !m.place.is_empty() {
        facts.push(vec!["Koht".to_string(), m.place.clone()]);
    }
    if !m.video_link.is_empty() {
        facts.push(vec!["Videolink".to_string(), m.video_link.clone()]);
    }
    facts.push(vec!["Protokollis".to_string(), coordinator.to_string()]);
    doc.push(Block::Table(Table {
        widths: vec![1, 3],
        align: vec![Align::Left, Align::Left],
        header: Vec::new(),
        rows: facts,
        footer: Vec::new(),
        font_size: 0,
    }));

    doc.push(Block::heading("Osalejad", 2));
    doc.push(Block::Table(Table {
        widths: vec![4, 4, 4, 1],
        align: vec![Align::Left, Align::Left, Align::Left, Align::Center],
        header: vec![
            "Nimi".into(),
            "Roll".into(),
            "Asutus".into(),
            "Kohal".into(),
        ],
        rows: m
            .participants
            .iter()
            .map(|p| {
                vec![
                    p.name.trim().to_string(),
                    p.role.trim().to_string(),
                    p.organisation.trim().to_string(),
                    if p.presence == "present" { "jah" } else { "ei" }.to_string(),
                ]
            })
            .collect(),
        footer: Vec::new(),
        font_size: 9,
    }));

    let agenda = agenda_items(&m.agenda);
    if !agenda.is_empty() {
        doc.push(Block::heading("Päevakord", 2));
        let numbered: Vec<String> = agenda
            .iter()
            .enumerate()
            .map(|(i, item)| format!("{}. {item}", i + 1))
            .collect();
        doc.push(Block::text(numbered.join("\n")));
    }

    if m.notes_shared && !m.notes.trim().is_empty() {
        doc.push(Block::heading("Arutelu", 2));
        doc.push(text_block(&m.notes));
    }

    doc.push(Block::heading("Otsused", 2));
    doc.push(text_block(&m.decisions));

    doc.push(Block::heading("Kokkulepitud tegevused", 2));
    if m.actions.is_empty() {
        doc.push(Block::text("Tegevusi ei lepitud kokku."));
    } else {
        doc.push(Block::Table(Table {
            widths: vec![6, 3, 2, 2],
            align: vec![Align::Left, Align::Left, Align::Left, Align::Left],
            header: vec![
                "Mis tehakse".into(),
                "Kes".into(),
                "Tähtaeg".into(),
                "Seis".into(),
            ],
            rows: m
                .actions
                .iter()
                .map(|a| {
                    vec![
                        a.what.clone(),
                        a.owner.clone(),
                        fmt(a.due_date),
                        match a.done_on {
                            Some(d) => format!("tehtud {}", fmt(d)),
                            None => "avatud".into(),
                        },
                    ]
                })
                .collect(),
            footer: Vec::new(),
            font_size: 9,
        }));
    }

    doc.push(Block::Space(1.0));
    doc.push(Block::spans(vec![
        Span::normal("Protokolli koostas: "),
        Span::bold(coordinator.to_string()),
        Span::normal(format!(", {}", fmt(today))),
    ]));
    doc.push(Block::small(
        "Parandused ja täiendused palume saata koordinaatorile ühe nädala jooksul.",
    ));
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meetings::{Action, Participant};

    fn meeting() -> Meeting {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).expect("date");
        Meeting {
            id: 1,
            case_id: 1,
            case_no: "SRT-2026-00001".into(),
            child_name: "Mirtel Näidis-Õunapuu".into(),
            kind: "first".into(),
            date: d(2026, 11, 25),
            time: "10:00".into(),
            place: "Tallinna Lastekeskus".into(),
            video_link: String::new(),
            agenda: "Tutvustus\nEesmärgid".into(),
            notes: "Ema: hommikud on rasked.\n\n- kool algab 8.00".into(),
            notes_shared: true,
            private_notes: "PRIVAATNE: isa väsinud".into(),
            decisions: "1. Taotleda füsioteraapiat".into(),
            draft_rev: 3,
            draft_saved_at: None,
            held: Vec::new(),
            participants: vec![
                Participant {
                    source: "guardian".into(),
                    name: "Kadri Näidis".into(),
                    role: "lapsevanem".into(),
                    presence: "present".into(),
                    ..Default::default()
                },
                Participant {
                    source: "provider".into(),
                    name: "Mari Maasikas".into(),
                    role: "füsioterapeut".into(),
                    organisation: "Näidise Keskus".into(),
                    presence: "absent".into(),
                    ..Default::default()
                },
            ],
            actions: vec![Action {
                id: 1,
                meeting_id: 1,
                what: "Saata arsti hinnang".into(),
                owner: "Kadri Näidis".into(),
                due_date: d(2026, 12, 1),
                early_due_confirmed: false,
                done_on: None,
                urgency: "week".into(),
                days_left: 6,
            }],
            participant_options: Vec::new(),
            minutes: None,
            minutes_file_name: String::new(),
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    /// The text of the minutes as poppler's pdftotext reads it.
    fn text_of(m: &Meeting) -> String {
        let d = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
        let pdf = crate::pdf::render(&document(m, "Olga Koordinaator", d)).expect("renders");
        crate::pdf::tests::pdftotext(&pdf)
    }

    #[test]
    fn the_minutes_hold_participants_decisions_and_actions_but_never_private_notes() {
        let text = text_of(&meeting());
        for expected in [
            "Võrgustikukohtumise protokoll",
            "Mirtel Näidis-Õunapuu",
            "25.11.2026 kell 10:00",
            "Kadri Näidis",
            "Mari Maasikas",
            "füsioterapeut",
            "1. Tutvustus",
            "Ema: hommikud on rasked.",
            "Taotleda füsioteraapiat",
            "Saata arsti hinnang",
            "01.12.2026",
            "Olga Koordinaator",
            "lk 1 / 1",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
        assert!(!text.contains("PRIVAATNE"), "private notes leaked:\n{text}");
    }

    #[test]
    fn long_notes_run_over_pages_without_losing_a_line() {
        let mut m = meeting();
        m.notes = (1..=180)
            .map(|i| format!("- rida {i}: ema räägib hommikutest"))
            .collect::<Vec<_>>()
            .join("\n");
        let text = text_of(&m);
        assert!(text.contains("lk 2 / "), "several pages:\n{text}");
        for i in [1, 90, 180] {
            assert!(
                text.contains(&format!("- rida {i}: ema")),
                "line {i} is there"
            );
        }
        assert!(
            text.contains("Saata arsti hinnang"),
            "the actions follow the notes"
        );
    }

    #[test]
    fn notes_not_marked_for_the_minutes_stay_out() {
        let mut m = meeting();
        m.notes_shared = false;
        let text = text_of(&m);
        assert!(!text.contains("hommikud"), "{text}");
        assert!(
            text.contains("Taotleda füsioteraapiat"),
            "decisions stay in"
        );
    }

    #[test]
    fn minutes_need_a_held_meeting_and_named_participants() {
        let mut m = meeting();
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
        assert!(check_ready(&m, today).is_ok());
        m.participants[1].name = "  ".into();
        m.date = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        let Err(Error::Validation(f)) = check_ready(&m, today) else {
            panic!("expected validation errors");
        };
        let codes: Vec<&str> = f.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(
            codes,
            vec!["minutes.meeting_ahead", "minutes.participant_name"]
        );
        assert_eq!(file_name(&m), "protokoll-SRT-2026-00001-2026-11-30.pdf");
    }
}
