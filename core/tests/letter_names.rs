//! The letters never put a name where Estonian (or Russian) needs a case ending: a typed name
//! cannot be inflected safely, so "esitas … taotluse Mirtel Näidis-Õunapuu … suunamiseks"
//! (Näidis-Õunapuu's genitive) is wrong Estonian on a decision. Each kind of decision is drafted
//! from the seeded templates, its letter is rendered as a PDF and read back with pdftotext
//! (poppler): every name stands after a label ("Taotleja: …", "Laps: …"), as the subject of its
//! clause ("…, et Mirtel saab …"), as the nominative object of "Suunata", or on a line of its own
//! (the address block).

mod common;

use srt_core::Desk;

const CHILD: &str = "Mirtel Näidis-Õunapuu";
const CHILD_FIRST: &str = "Mirtel";
const GUARDIAN: &str = "Žanna Šults-Äärmaa";

/// Where a name may stand in the nominative: what the text before it ends with.
const NOMINATIVE_BEFORE: [&str; 6] = [
    ": ",       // a label: "Laps: …", "Taotleja: …", "Адресат: …"
    "Suunata ", // the total object of an imperative infinitive is nominative
    ", et ",    // the subject of a clause: "…, et Mirtel saab …"
    ", что ",   // the same in Russian: "…, что Mirtel получает …"
    "that ",    // English has no cases; listed so the check reads every summary
    "for ",
];

fn case_with_guardian_language(desk: &mut Desk, code: &str, language: &str) -> i64 {
    let mut app = common::application(code);
    app.guardians[0].first_name = "Žanna".into();
    app.guardians[0].last_name = "Šults-Äärmaa".into();
    app.guardians[0].language = language.into();
    if code.is_empty() {
        app.child.birth_date = "01.05.2014".into();
        app.child.sex = "female".into();
    }
    desk.register_application(&app).expect("register").id
}

/// The letter of a new draft of `kind`, as its PDF reads: lines kept, no-break spaces as spaces.
fn letter_text(desk: &mut Desk, case_id: i64, kind: &str) -> String {
    let v = desk.create_decision(case_id, kind).expect("draft");
    let pdf = srt_core::decisions::letter_pdf::render(&v.letter).expect("pdf");
    // With SRT_DECISION_PDF_DIR set, the letters are also written there to be looked at.
    if let Some(dir) = std::env::var_os("SRT_DECISION_PDF_DIR") {
        let name = format!("{kind}-{}.pdf", v.decision.summary_language);
        std::fs::write(std::path::Path::new(&dir).join(name), &pdf).expect("write sample");
    }
    common::pdftotext_bytes(&pdf, false).replace('\u{a0}', " ")
}

/// Every place a name stands where it would need a case ending, with its line.
fn names_in_a_case_position(text: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    // A paragraph's wrapped lines joined, so "taotluse\nMirtel" is seen as one sentence; a line
    // that is only a name (the address block) stays on its own.
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut joined = String::new();
    for line in &lines {
        let alone = [CHILD, GUARDIAN].contains(line);
        if line.is_empty() || alone {
            joined.push('\n');
        } else if !joined.ends_with('\n') && !joined.is_empty() {
            joined.push(' ');
        }
        if !alone {
            joined.push_str(line);
        }
    }
    for name in [GUARDIAN, CHILD_FIRST] {
        for (at, _) in joined.match_indices(name) {
            let before = &joined[..at];
            let line_start = before.is_empty() || before.ends_with('\n');
            if !line_start && !NOMINATIVE_BEFORE.iter().any(|p| before.ends_with(p)) {
                let from = before
                    .char_indices()
                    .rev()
                    .nth(40)
                    .map(|(i, _)| i)
                    .unwrap_or(0);
                let end = (at + name.len() + 40).min(joined.len());
                let end = (end..=joined.len())
                    .find(|i| joined.is_char_boundary(*i))
                    .unwrap_or(joined.len());
                wrong.push(joined[from..end].to_string());
            }
        }
    }
    wrong
}

#[test]
fn every_decision_letter_puts_the_names_where_no_case_ending_is_needed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut desk, _) = common::new_desk(dir.path());
    desk.set_coordinator(&common::coordinator_named("Mari Koordinaator-Õun"));
    let estonian = case_with_guardian_language(&mut desk, common::CHILD_CODE, "et");
    let russian = case_with_guardian_language(&mut desk, "", "ru");
    let english = case_with_guardian_language(&mut desk, "", "en");

    for kind in ["referral", "refusal", "amendment", "termination"] {
        for (case_id, lang) in [(estonian, "et"), (russian, "ru"), (english, "en")] {
            let text = letter_text(&mut desk, case_id, kind);
            assert!(
                text.contains(CHILD_FIRST),
                "{kind} ({lang}): the letter names the child:\n{text}"
            );
            let wrong = names_in_a_case_position(&text);
            assert!(
                wrong.is_empty(),
                "{kind} ({lang}): a name where a case ending is needed: {wrong:#?}\n---\n{text}"
            );
        }
    }

    // The applicant is named, after a label, where the application is spoken of.
    for kind in ["referral", "refusal"] {
        let text = letter_text(&mut desk, estonian, kind);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(&format!("Taotleja: {GUARDIAN}"))
                && flat.contains(&format!("Laps: {CHILD}")),
            "{kind}: {flat}"
        );
    }
}

/// The seeded sentence is replaced by a new version (the old one stays in the template's history).
#[test]
fn the_seeded_reasoning_is_a_new_version_with_the_names_after_labels() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (desk, _) = common::new_desk(dir.path());
    let seeded = desk
        .decision_templates()
        .expect("templates")
        .into_iter()
        .find(|t| t.code == "referral.reasoning" && t.lang == "et")
        .expect("referral.reasoning");
    assert!(
        seeded.body.contains("Taotleja: {{esindaja.nimi}}"),
        "{}",
        seeded.body
    );
    assert_eq!(seeded.version, 2, "the seeded text, then this migration's");
}

/// The migration replaces a seeded sentence only where the stored text is still the one this app
/// seeded: a template the coordinator rewrote in Settings keeps their wording.
#[test]
fn the_migration_leaves_a_template_the_coordinator_rewrote() {
    use srt_core::store::migrate;
    let mut conn = rusqlite::Connection::open_in_memory().expect("db");
    // The letters' migration is the 20th in the list: the schema before it is version 19.
    let before = 19;
    migrate::migrations()
        .to_version(&mut conn, before)
        .expect("the schema before the letters' migration");
    let own = "Taotlejaks on {{esindaja.nimi}}; laps: {{laps.nimi}}. Minu enda sõnastus.";
    conn.execute(
        "INSERT INTO decision_template (code, lang, category, kind, title, body, version, saved_by, created_at, updated_at)
         SELECT code, lang, category, kind, title, ?1, 2, 'Mari', 'x', 'x' FROM decision_template
         WHERE code = 'refusal.reasoning' AND lang = 'et'",
        [own],
    )
    .expect("the coordinator's version");
    migrate::migrations()
        .to_latest(&mut conn)
        .expect("the letters' migration");
    let current = |code: &str| -> (i64, String) {
        conn.query_row(
            "SELECT version, body FROM decision_template WHERE code = ?1 AND lang = 'et' ORDER BY version DESC LIMIT 1",
            [code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("template")
    };
    assert_eq!(
        current("refusal.reasoning"),
        (2, own.to_string()),
        "the coordinator's wording stays"
    );
    let (version, body) = current("referral.reasoning");
    assert_eq!(version, 2);
    assert!(body.contains("Taotleja: {{esindaja.nimi}}"), "{body}");
    let seeded: i64 = conn
        .query_row(
            "SELECT count(*) FROM decision_template WHERE code = 'referral.reasoning' AND version = 1",
            [],
            |r| r.get(0),
        )
        .expect("history");
    assert_eq!(seeded, 1, "the seeded version stays in the history");
}
