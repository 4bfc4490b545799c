//! Decisions on a real encrypted database: draft a referral from an assessed case, see the check
//! refuse it, fix it, approve it, read the filed PDF back with pdftotext (poppler), deliver it
//! and see the deadlines it starts; a refusal with its summary in Russian.

mod common;

use std::sync::Arc;

use chrono::TimeZone;
use srt_core::casework::assessment::{ActivityNeed, AreaAssessment, AssessmentDraft};
use srt_core::clock::FixedClock;
use srt_core::{Desk, MemoryKeyStore};

fn at(y: i32, m: u32, d: u32) -> Arc<FixedClock> {
    Arc::new(FixedClock(
        chrono::Utc
            .with_ymd_and_hms(y, m, d, 10, 0, 0)
            .single()
            .expect("valid time"),
    ))
}

fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// With SRT_DECISION_PDF_DIR set, the PDFs are also written there to be looked at.
fn keep(name: &str, pdf: &[u8]) {
    if let Some(dir) = std::env::var_os("SRT_DECISION_PDF_DIR") {
        std::fs::write(std::path::Path::new(&dir).join(name), pdf).expect("write sample");
    }
}

/// All whitespace (line breaks from wrapping, no-break spaces) as one space.
fn flat(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A case in assessment with a signed assessment: psychologist 40 h, speech therapist 30 h.
fn assessed_case(desk: &mut Desk, code: &str, language: &str) -> i64 {
    let case_id = assessed_case_unsigned(desk, code, language);
    desk.sign_assessment(case_id, "2026-11-24").expect("sign");
    case_id
}

/// [`assessed_case`] before the assessment is signed.
fn assessed_case_unsigned(desk: &mut Desk, code: &str, language: &str) -> i64 {
    let mut app = common::application(code);
    app.guardians[0].first_name = "Žanna".into();
    app.guardians[0].last_name = "Šults-Äärmaa".into();
    app.guardians[0].language = language.into();
    app.guardians[0].postal_address = "Õie 5, Tõrva".into();
    let case = desk.register_application(&app).expect("register");
    desk.change_status(case.id, "in_assessment", "")
        .expect("to assessment");
    let areas = ["physical", "psychological", "social", "cognitive"]
        .iter()
        .map(|a| AreaAssessment {
            area: a.to_string(),
            level: if *a == "psychological" {
                "significant"
            } else {
                "some"
            }
            .into(),
            notes: String::new(),
        })
        .collect();
    desk.save_assessment(
        case.id,
        &AssessmentDraft {
            areas,
            child_goals: "Suhtleb eakaaslastega".into(),
            family_goals: String::new(),
            activities: vec![
                ActivityNeed {
                    code: "2010".into(),
                    hours: 40.0,
                },
                ActivityNeed {
                    code: "2013".into(),
                    hours: 30.0,
                },
            ],
        },
    )
    .expect("save assessment");
    case.id
}

fn codes(items: &[srt_core::decisions::CheckItem]) -> Vec<&str> {
    items.iter().map(|i| i.code.as_str()).collect()
}

#[test]
fn a_referral_is_checked_approved_numbered_filed_as_a_pdf_and_starts_its_deadlines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut desk, path) = common::new_desk(dir.path());
    desk.set_coordinator(&common::coordinator_named("Mari Koordinaator-Õun"));
    let case_id = assessed_case(&mut desk, common::CHILD_CODE, "ru");

    let v = desk.create_decision(case_id, "referral").expect("draft");
    let d = &v.decision;
    assert_eq!(d.status, "draft");
    assert_eq!(d.number, None, "no number before approval");
    assert_eq!(d.addressee_name, "Žanna Šults-Äärmaa");
    assert_eq!(d.summary_language, "ru", "the guardian's language");
    assert!(d.summary.contains("Департамент социального страхования"));
    assert!(d.templates_used.contains_key("referral.operative@et"));
    // The verdict's words are the reasoning.
    assert!(
        v.letter.sections[1]
            .text
            .contains("Lapsel on tuvastatud raske puue."),
        "{}",
        v.letter.sections[1].text
    );
    assert_eq!(d.annex.len(), 2, "prefilled from the assessment");

    // A one-year period from 01.12.2026 spans two calendar years: two columns.
    let mut draft = common::draft_of(&v);
    draft.valid_from = "01.12.2026".into();
    draft.valid_to = "30.11.2027".into();
    desk.save_decision(v.decision.id, &draft).expect("save");
    let v = desk.refill_decision_annex(v.decision.id).expect("refill");
    assert_eq!(v.annex_years, [2026, 2027]);
    // 40 h × 29.40 € = 1176.00 €; 31 of 365 days in 2026.
    let psych = v
        .decision
        .annex
        .iter()
        .find(|l| l.code == "2010")
        .expect("2010");
    assert_eq!(psych.cents_in(2026), 117_600 * 31 / 365);
    assert_eq!(psych.cents_in(2026) + psych.cents_in(2027), 117_600);

    // Problems: no reasoning, a misspelt placeholder, an annex over the cap, no providers.
    let mut draft = common::draft_of(&v);
    draft.reasoning = "  ".into();
    draft.operative = format!("{} Lapse nimi: {{{{laps.nimmi}}}}.", draft.operative);
    draft.annex[0].amounts[1].amount = "2700,00".into();
    let v = desk
        .save_decision(v.decision.id, &draft)
        .expect("a draft with problems is saved");
    let errors = codes(&v.check.errors);
    assert!(errors.contains(&"reasoning.missing"), "{errors:?}");
    assert!(errors.contains(&"placeholder.unknown"), "{errors:?}");
    assert!(errors.contains(&"annex.over_cap"), "{errors:?}");
    assert!(codes(&v.check.warnings).contains(&"providers.empty"));
    assert!(
        v.letter.sections[0].text.contains("{{laps.nimmi}}"),
        "the preview shows the unknown placeholder, not a blank"
    );
    let refused = desk
        .approve_decision(v.decision.id, true)
        .expect_err("errors block");
    assert_eq!(refused.code(), "decision.check_failed");
    assert_eq!(
        refused.payload().details.expect("the check")["errors"]
            .as_array()
            .map(|a| a.len()),
        Some(v.check.errors.len())
    );
    assert_eq!(
        desk.decision(v.decision.id).expect("read").decision.number,
        None
    );

    // Fixed; the warning about providers still needs a confirmation.
    let v = desk.refill_decision_annex(v.decision.id).expect("refill");
    let mut draft = common::draft_of(&v);
    draft.reasoning = desk
        .create_decision(case_id, "referral")
        .map(|other| {
            let text = other.decision.reasoning.clone();
            desk.delete_decision_draft(other.decision.id)
                .expect("delete");
            text
        })
        .expect("the standard reasoning");
    draft.operative = draft.operative.replace(" Lapse nimi: {{laps.nimmi}}.", "");
    let v = desk.save_decision(v.decision.id, &draft).expect("save");
    assert!(v.check.errors.is_empty(), "{:?}", v.check.errors);
    let unconfirmed = desk
        .approve_decision(v.decision.id, false)
        .expect_err("warnings");
    assert_eq!(unconfirmed.code(), "decision.needs_confirmation");
    let mut draft = common::draft_of(&v);
    draft.providers = vec![
        "Tallinna Lastehaigla rehabilitatsioonikeskus".into(),
        "  ".into(),
        "OÜ Näidis Teraapia, Tõrva".into(),
    ];
    let v = desk.save_decision(v.decision.id, &draft).expect("save");
    assert_eq!(v.decision.providers.len(), 2, "empty entries dropped");
    assert!(v.check.warnings.is_empty(), "{:?}", v.check.warnings);
    let approved = desk
        .approve_decision(v.decision.id, false)
        .expect("approve");
    let d = &approved.decision;
    assert_eq!(d.status, "approved");
    assert_eq!(d.number.as_deref(), Some("K000001"));
    assert_eq!(d.approved_by.as_deref(), Some("Mari Koordinaator-Õun"));
    assert_eq!(desk.case(case_id).expect("case").status, "decided");

    // Frozen: no more edits.
    let frozen = desk
        .save_decision(d.id, &common::draft_of(&approved))
        .expect_err("frozen");
    assert_eq!(frozen.code(), "decision.frozen");

    // Filed on the case's documents with the PDF.
    let docs = desk.documents(case_id).expect("documents");
    let filed = docs
        .iter()
        .find(|x| x.doc_type == "decision")
        .expect("filed");
    assert_eq!(filed.reg_no, "K000001");
    assert_eq!(filed.direction, "out");
    assert_eq!(filed.attachments[0].file_name, "otsus-K000001.pdf");
    assert_eq!(approved.pdf_attachment_id, Some(filed.attachments[0].id));
    let (name, pdf) = desk.decision_pdf(d.id).expect("pdf");
    assert_eq!(name, "otsus-K000001.pdf");
    assert!(
        pdf.len() <= 200 * 1024,
        "two pages in at most 200 KB: {} bytes",
        pdf.len()
    );

    keep("referral.pdf", &pdf);
    let text = common::pdftotext_bytes(&pdf, false);
    let flat_text = flat(&text);
    for expected in [
        "Sotsiaalkindlustusamet",
        "Otsuse nr K000001",
        "Kuupäev 25.11.2026",
        "Žanna Šults-Äärmaa",
        "kadri@example.invalid",
        "Mirtel Näidis-Õunapuu, isikukood 61303150029",
        "01.12.2026 kuni 30.11.2027",
        "Tallinna Lastehaigla rehabilitatsioonikeskus",
        "OÜ Näidis Teraapia, Tõrva",
        "(allkirjastatud digitaalselt)",
        "Mari Koordinaator-Õun",
        "Что означает это решение?",
        "Psühholoog",
        "Logopeed",
        "2 695,00 €",
    ] {
        assert!(
            flat_text.contains(&flat(expected)),
            "the PDF lacks {expected:?}:\n{text}"
        );
    }
    // Every page says which of how many; the signature is on the page of the challenge clause.
    let pages = srt_core::pdf::page_count(&pdf);
    assert!((2..=3).contains(&pages), "{pages} pages");
    for n in 1..=pages {
        let label = format!("lk {n} / {pages}");
        assert!(
            flat_text.contains(&label),
            "the PDF lacks {label:?}:\n{text}"
        );
    }
    let signed_page = text
        .split('\u{c}')
        .find(|p| p.contains("(allkirjastatud digitaalselt)"))
        .expect("the signature");
    for part in [
        "Vaidlustamine",
        "Mari Koordinaator-Õun",
        "Juhtumikorraldaja",
    ] {
        assert!(
            signed_page.contains(part),
            "the signature is split from {part:?}:\n{text}"
        );
    }
    // Amounts to the cent: each year's psychology sum and the totals.
    let psych = approved
        .decision
        .annex
        .iter()
        .find(|l| l.code == "2010")
        .expect("2010");
    for cents in [psych.cents_in(2026), psych.cents_in(2027), 117_600] {
        let m = srt_core::pdf::money(cents);
        assert!(flat_text.contains(&flat(&m)), "amount {m} missing:\n{text}");
    }
    // The Russian summary, exactly as filled in: the 60 days to choose a provider run from
    // receipt, which the letter cannot know, so no date counted from the decision date.
    let summary = &approved.letter.summary;
    assert!(
        summary.contains("не позднее 60-го дня после получения решения"),
        "{summary}"
    );
    assert!(!summary.contains("25.01.2027"), "{summary}");
    assert!(summary.contains("номер решения K000001"), "{summary}");
    assert!(
        flat_text.contains(&flat(summary)),
        "summary not intact:\n{summary}\n---\n{text}"
    );

    // Not yet delivered: nothing to count from.
    let case = desk.case(case_id).expect("case");
    assert!(!case
        .deadlines
        .iter()
        .any(|x| x.kind == "provider_registration"));
    let early = desk
        .mark_decision_sent(d.id, "2026-11-24")
        .expect_err("before the decision");
    assert_eq!(early.code(), "validation");
    let sent = desk.mark_decision_sent(d.id, "25.11.2026").expect("sent");
    assert_eq!(sent.decision.status, "sent");
    assert_eq!(sent.decision.delivered_on, Some(date(2026, 11, 25)));

    let case = desk.case(case_id).expect("case");
    let due = |kind: &str| {
        case.deadlines
            .iter()
            .find(|x| x.kind == kind)
            .map(|x| x.due)
    };
    assert_eq!(
        due("provider_registration"),
        Some(date(2027, 1, 25)),
        "60 days from 25.11.2026 is Sunday 24.01.2027: the next working day"
    );
    assert_eq!(
        due("challenge_period"),
        Some(date(2026, 12, 28)),
        "30 days is 25.12 (Christmas); 26.12 and 27.12 are rest days too"
    );
    let timeline = desk.timeline(case_id).expect("timeline");
    assert!(timeline
        .iter()
        .any(|e| e.title.et == "Suunamisotsus K000001 kinnitati"));
    drop(desk);

    // On 28.12.2026 the dashboard shows both: the challenge period ends today, the provider
    // must be chosen within 28 days.
    let desk = Desk::open(
        &path,
        &MemoryKeyStore::default(),
        Some(common::PASS),
        "test",
    )
    .expect("reopen")
    .with_clock(at(2026, 12, 28));
    let board = desk.dashboard().expect("dashboard");
    let item = |kind: &str| {
        board
            .groups
            .iter()
            .find(|g| g.kind == kind)
            .and_then(|g| g.items.iter().find(|i| i.case_id == case_id))
            .map(|i| (i.due, i.days_left))
    };
    assert_eq!(item("challenge_period"), Some((date(2026, 12, 28), 0)));
    assert_eq!(item("provider_registration"), Some((date(2027, 1, 25), 28)));
    // The frozen text survives a reopen; the number is never given again.
    let again = desk.decision(d.id).expect("read");
    assert_eq!(again.letter, approved.letter);
    assert!(
        desk.check().expect("check").all_ok(),
        "audit chain and file intact"
    );
}

#[test]
fn a_refusal_in_russian_a_late_decision_with_its_reason_and_numbers_never_reused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (desk, path) = common::new_desk(dir.path());
    drop(desk);
    // Decided well after the 10 working days.
    let mut desk = Desk::open(
        &path,
        &MemoryKeyStore::default(),
        Some(common::PASS),
        "test",
    )
    .expect("reopen")
    .with_clock(at(2026, 12, 15));
    desk.set_coordinator(&common::coordinator_named("Mari Koordinaator"));
    let case_id = assessed_case(&mut desk, common::CHILD_CODE, "ru");
    let v = desk.create_decision(case_id, "refusal").expect("draft");
    assert_eq!(v.letter.annex, None, "a refusal has no annex");
    let errors = codes(&v.check.errors);
    assert!(errors.contains(&"date.late_reason_missing"), "{errors:?}");
    let mut draft = common::draft_of(&v);
    draft.late_reason = "Taotleja palus lisaaega arsti hinnangu esitamiseks.".into();
    let v = desk.save_decision(v.decision.id, &draft).expect("save");
    assert!(v.check.errors.is_empty(), "{:?}", v.check.errors);
    let warnings = codes(&v.check.warnings);
    assert!(warnings.contains(&"date.late"), "{warnings:?}");
    assert!(
        warnings.contains(&"eligibility.mismatch"),
        "the child is eligible: {warnings:?}"
    );
    let approved = desk.approve_decision(v.decision.id, true).expect("approve");
    assert_eq!(approved.decision.number.as_deref(), Some("K000001"));
    assert_eq!(
        approved.decision.warnings_confirmed,
        "date.late,eligibility.mismatch"
    );
    let (_, pdf) = desk.decision_pdf(approved.decision.id).expect("pdf");
    keep("refusal-ru.pdf", &pdf);
    let text = flat(&common::pdftotext_bytes(&pdf, false));
    assert!(text.contains(&flat(&approved.letter.summary)), "{text}");
    assert!(text.contains("сейчас не получает услугу социальной реабилитации"));
    assert!(text.contains("Taotleja palus lisaaega"));
    assert!(text.contains("lk 1 / 1"), "{text}");

    // A refused case has no provider to choose; its challenge period starts at delivery.
    desk.mark_decision_sent(approved.decision.id, "2026-12-15")
        .expect("sent");
    let case = desk.case(case_id).expect("case");
    assert!(!case
        .deadlines
        .iter()
        .any(|d| d.kind == "provider_registration"));
    assert!(case.deadlines.iter().any(|d| d.kind == "challenge_period"));

    // An amendment gets the next number; a deleted draft never had one.
    let amend = desk
        .create_decision(case_id, "amendment")
        .expect("amendment");
    assert_eq!(amend.decision.related_number, "K000001");
    let throwaway = desk
        .create_decision(case_id, "termination")
        .expect("termination");
    desk.delete_decision_draft(throwaway.decision.id)
        .expect("delete draft");
    let mut draft = common::draft_of(&amend);
    draft.operative.push_str("kehtivuse algus on 01.01.2027.");
    draft.reasoning.push_str("pere kolis.");
    draft.delivery = "post".into();
    let v = desk.save_decision(amend.decision.id, &draft).expect("save");
    assert!(v.check.errors.is_empty(), "{:?}", v.check.errors);
    let v = desk
        .approve_decision(v.decision.id, true)
        .expect("approve amendment");
    assert_eq!(v.decision.number.as_deref(), Some("K000002"));
    let list = desk.decisions(case_id).expect("list");
    assert_eq!(list.len(), 2);
}

#[test]
fn templates_are_versioned_and_an_unknown_placeholder_is_refused_when_editing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut desk, _) = common::new_desk(dir.path());
    let bad = desk
        .save_decision_template(&srt_core::decisions::TemplateInput {
            code: "referral.legal_basis".into(),
            lang: "et".into(),
            title: "Alus".into(),
            body: "SHS § 70 {{lapse.nimi}}".into(),
        })
        .expect_err("unknown placeholder");
    assert_eq!(bad.payload().fields[0].code, "placeholder.unknown");
    let saved = desk
        .save_decision_template(&srt_core::decisions::TemplateInput {
            code: "referral.legal_basis".into(),
            lang: "et".into(),
            title: "Alus".into(),
            body: "Sotsiaalhoolekande seaduse § 70.".into(),
        })
        .expect("saved");
    assert_eq!(saved.version, 2);
    let versions = desk
        .decision_template_versions("referral.legal_basis", "et")
        .expect("versions");
    assert_eq!(versions.len(), 2);
    // A new draft uses the new version and says so.
    let case_id = assessed_case(&mut desk, common::CHILD_CODE, "et");
    let v = desk.create_decision(case_id, "referral").expect("draft");
    assert_eq!(v.decision.legal_basis, "Sotsiaalhoolekande seaduse § 70.");
    assert_eq!(v.decision.templates_used["referral.legal_basis@et"], 2);

    // Choosing English for the parent brings the English summary; an edited one is kept.
    let mut draft = common::draft_of(&v);
    draft.summary_language = "en".into();
    let en = desk.save_decision(v.decision.id, &draft).expect("save");
    assert!(en
        .decision
        .summary
        .starts_with("The Social Insurance Board has decided"));
    assert_eq!(en.letter.summary_heading, "What does this decision mean?");
    assert!(en
        .decision
        .templates_used
        .contains_key("summary.referral@en"));
    assert!(!en
        .decision
        .templates_used
        .contains_key("summary.referral@et"));
    let mut draft = common::draft_of(&en);
    draft.summary = "Oma sõnadega kokkuvõte.".into();
    draft.summary_language = "ru".into();
    let kept = desk.save_decision(v.decision.id, &draft).expect("save");
    assert_eq!(
        kept.decision.summary, "Oma sõnadega kokkuvõte.",
        "nothing typed is lost"
    );

    let mut s = desk.decision_settings().expect("settings");
    s.number_prefix = "SKA-".into();
    s.challenge_text = "Vaie {{amet.nimmi}}".into();
    let err = desk
        .save_decision_settings(&s)
        .expect_err("bad placeholder");
    assert_eq!(err.payload().fields[0].field, "challengeText");
    s.challenge_text = "Vaide võib esitada 30 päeva jooksul: {{amet.aadress}}.".into();
    let s = desk.save_decision_settings(&s).expect("saved");
    assert_eq!(s.number_prefix, "SKA-");

    // The yearly cap is a dated setting: a new one from a 1 January closes the old one.
    let cap = |amount: &str, from: &str| srt_core::prices::YearlyCapInput {
        amount: amount.into(),
        legal_ref: "SHS § 69".into(),
        valid_from: from.into(),
    };
    let err = desk
        .save_yearly_cap(&cap("2800", "2027-03-01"))
        .expect_err("not 1 January");
    assert_eq!(err.payload().fields[0].code, "date.not_year_start");
    let err = desk
        .save_yearly_cap(&cap("2800,123", "2027-01-01"))
        .expect_err("bad amount");
    assert_eq!(err.payload().fields[0].field, "amount");
    let caps = desk
        .save_yearly_cap(&cap("2 800,00", "01.01.2027"))
        .expect("saved");
    let n = caps.len();
    assert_eq!(caps[n - 1].amount_cents, 280_000);
    assert_eq!(caps[n - 2].valid_to, Some(date(2026, 12, 31)));
    assert_eq!(
        srt_core::prices::yearly_cap(desk.store().connection(), 2027)
            .expect("cap")
            .map(|c| c.0),
        Some(280_000)
    );
    assert_eq!(
        srt_core::prices::yearly_cap(desk.store().connection(), 2026)
            .expect("cap")
            .map(|c| c.0),
        Some(269_500)
    );
}

/// Issue 26, item 3: a desk made by `srt-admin init` had nobody's name, and the computer's user
/// name ("root") signed the assessment, the letter and the Russian summary ("позвоните: root").
/// Without the coordinator's name and contacts the assessment is not signed and the check before
/// approval refuses, with a message that says where to set them; with them, the letter carries
/// the name and contacts and never the OS user.
#[test]
fn no_signature_or_letter_without_the_coordinators_name_and_contacts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut desk, _path) = common::new_desk_without_profile(dir.path());
    let case_id = assessed_case_unsigned(&mut desk, common::CHILD_CODE, "ru");
    let err = desk
        .sign_assessment(case_id, "2026-11-24")
        .expect_err("no name");
    assert_eq!(err.code(), "coordinator.profile_missing");
    assert!(err.message().et.contains("Seadetes"));
    assert!(desk.assessment(case_id).expect("read").signed_on.is_none());

    // Signed once a name is set (the Board's phone and e-mail stand in for the contacts).
    desk.set_coordinator(&srt_core::store::prefs::Coordinator {
        name: "Olga Näidis".into(),
        ..Default::default()
    });
    let signed = desk.sign_assessment(case_id, "2026-11-24").expect("sign");
    assert_eq!(signed.signed_by.as_deref(), Some("Olga Näidis"));

    // The draft's check refuses approval while the name is missing …
    desk.set_coordinator(&srt_core::store::prefs::Coordinator::default());
    let v = desk.create_decision(case_id, "referral").expect("draft");
    let mut draft = common::draft_of(&v);
    draft.valid_from = "01.12.2026".into();
    draft.valid_to = "30.11.2027".into();
    draft.providers = vec!["Näidis Rehabilitatsioonikeskus OÜ".into()];
    let v = desk.save_decision(v.decision.id, &draft).expect("save");
    let v = desk.refill_decision_annex(v.decision.id).expect("refill");
    let item = v
        .check
        .errors
        .iter()
        .find(|c| c.code == "coordinator.profile_missing")
        .expect("the check names the missing name");
    assert!(item.message.et.contains("Seadetes"), "{:?}", item.message);
    assert_eq!(
        desk.approve_decision(v.decision.id, true)
            .expect_err("blocked")
            .code(),
        "decision.check_failed"
    );
    // … and while a contact is missing (no own phone, and the Board's removed from Settings).
    let mut settings = desk.decision_settings().expect("settings");
    settings.board_phone = String::new();
    desk.save_decision_settings(&settings)
        .expect("no board phone");
    desk.set_coordinator(&srt_core::store::prefs::Coordinator {
        name: "Olga Näidis".into(),
        ..Default::default()
    });
    let v = desk.decision(v.decision.id).expect("read");
    assert!(
        codes(&v.check.errors).contains(&"coordinator.profile_missing"),
        "a name without a phone is not enough: {:?}",
        codes(&v.check.errors)
    );

    // With the name, phone and e-mail the letter is approved, and carries them.
    desk.set_coordinator(&srt_core::store::prefs::Coordinator {
        name: "Olga Näidis".into(),
        phone: "+372 5555 0177".into(),
        email: "olga.naidis@example.invalid".into(),
    });
    let v = desk.decision(v.decision.id).expect("read");
    assert!(
        !codes(&v.check.errors).contains(&"coordinator.profile_missing"),
        "{:?}",
        codes(&v.check.errors)
    );
    let mut draft = common::draft_of(&v);
    draft.summary = format!(
        "{} Позвоните: {{{{koordinaator.nimi}}}}, тел. {{{{koordinaator.telefon}}}}, {{{{koordinaator.epost}}}}.",
        draft.summary
    );
    desk.save_decision(v.decision.id, &draft).expect("save");
    let approved = desk
        .approve_decision(v.decision.id, true)
        .expect("approved");
    let (_, pdf) = desk.decision_pdf(approved.decision.id).expect("pdf");
    keep("coordinator-signed.pdf", &pdf);
    let text = flat(&common::pdftotext_bytes(&pdf, false));
    assert!(
        text.contains("Позвоните: Olga Näidis, тел. +372 5555 0177, olga.naidis@example.invalid."),
        "{text}"
    );
    assert!(
        text.contains("tel +372 5555 0177 · olga.naidis@example.invalid"),
        "{text}"
    );
    let user = srt_core::launch::os_user_name();
    for never in ["root", "test", user.as_str()] {
        if never.len() > 2 {
            assert!(
                !text.contains(never),
                "the letter names the OS user {never:?}:\n{text}"
            );
        }
    }
}

/// Issue 26, item 7: once the referral decision is marked delivered, the 60 days to choose a
/// provider count from that day, and recording the family's choice does not ask for it again.
#[test]
fn the_choice_does_not_ask_again_for_the_delivery_of_a_delivered_decision() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut desk, _path) = common::new_desk(dir.path());
    let case_id = assessed_case(&mut desk, common::CHILD_CODE, "et");
    let v = desk.create_decision(case_id, "referral").expect("draft");
    let mut draft = common::draft_of(&v);
    draft.valid_from = "01.12.2026".into();
    draft.valid_to = "30.11.2027".into();
    draft.providers = vec!["Näidiskeskus Päikesekiir OÜ".into()];
    desk.save_decision(v.decision.id, &draft).expect("save");
    let v = desk.refill_decision_annex(v.decision.id).expect("refill");
    assert!(v.check.errors.is_empty(), "{:?}", codes(&v.check.errors));
    let id = v.decision.id;
    desk.approve_decision(id, true).expect("approved");

    // Not delivered yet: the choice asks for the day.
    assert_eq!(
        desk.case_choice(case_id)
            .expect("choice")
            .decision_delivered_on,
        None
    );
    let asked = desk
        .save_case_choice(case_id, &Default::default())
        .expect_err("the day is needed");
    assert_eq!(asked.payload().fields[0].field, "decisionSentOn");

    desk.mark_decision_sent(id, "25.11.2026").expect("sent");
    let choice = desk.case_choice(case_id).expect("choice");
    assert_eq!(choice.decision_delivered_on, Some(date(2026, 11, 25)));
    let due = choice.registration_deadline.expect("the 60 days run").due;

    let providers =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/providers-good.csv");
    desk.provider_import(&providers).expect("providers");
    let provider = desk
        .provider_list()
        .expect("providers")
        .into_iter()
        .find(|p| p.name == "Näidiskeskus Päikesekiir OÜ")
        .expect("provider");
    let saved = desk
        .save_case_choice(
            case_id,
            &srt_core::providers::referrals::ChoiceInput {
                provider_id: Some(provider.id),
                chosen_on: "25.11.2026".into(),
                ..Default::default()
            },
        )
        .expect("no second ask for the delivery day");
    let current = saved.current.expect("the choice");
    assert_eq!(current.decision_sent_on, Some(date(2026, 11, 25)));
    assert_eq!(
        saved.registration_deadline.expect("still running").due,
        due,
        "the 60 days still count from the delivery"
    );
    assert_eq!(desk.case(case_id).expect("case").status, "provider_chosen");
}
