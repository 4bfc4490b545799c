//! Shared helpers for the workflow tests on real encrypted files.
#![allow(dead_code)]

pub mod older;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::TimeZone;
use srt_core::cases::{ApplicationInput, ChildInput, GuardianInput, RouteInput};
use srt_core::casework::assessment::{ActivityNeed, AreaAssessment, AssessmentDraft};
use srt_core::clock::FixedClock;
use srt_core::decisions::{AnnexLineInput, DecisionDraft, DecisionView, YearAmountInput};
use srt_core::{Desk, KdfParams, MemoryKeyStore, NewKey};

pub const PASS: &str = "correct horse battery staple";

pub fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 25, 10, 0, 0)
            .single()
            .expect("valid time"),
    ))
}

pub fn passphrase_key() -> NewKey {
    NewKey::Passphrase {
        passphrase: PASS.into(),
        params: KdfParams::fast_for_tests(),
    }
}

/// The synthetic coordinator who signs in the workflow tests (Settings sets one in the app).
pub fn coordinator() -> srt_core::store::prefs::Coordinator {
    srt_core::store::prefs::Coordinator {
        name: "Mari Näidiskoordinaator".into(),
        phone: "+372 5555 0100".into(),
        email: "mari.naidis@example.invalid".into(),
    }
}

/// The synthetic coordinator under another name.
pub fn coordinator_named(name: &str) -> srt_core::store::prefs::Coordinator {
    srt_core::store::prefs::Coordinator {
        name: name.into(),
        ..coordinator()
    }
}

/// A new desk with the coordinator's profile set, as after the guided setup.
pub fn new_desk(dir: &Path) -> (Desk, PathBuf) {
    let (mut desk, path) = new_desk_without_profile(dir);
    desk.set_coordinator(&coordinator());
    (desk, path)
}

/// A new desk as `srt-admin init` leaves it: nobody's name and contacts set.
pub fn new_desk_without_profile(dir: &Path) -> (Desk, PathBuf) {
    let path = dir.join("desk.db");
    let desk = Desk::create(&path, passphrase_key(), &MemoryKeyStore::default(), "test")
        .expect("create desk")
        .with_clock(clock());
    (desk, path)
}

pub fn open_desk(path: &Path) -> Desk {
    let mut desk = Desk::open(path, &MemoryKeyStore::default(), Some(PASS), "test")
        .expect("reopen desk")
        .with_clock(clock());
    desk.set_coordinator(&coordinator());
    desk
}

/// A complete, valid application for a synthetic child (born 15.03.2013).
pub fn application(child_code: &str) -> ApplicationInput {
    ApplicationInput {
        child: ChildInput {
            first_name: "Mirtel".into(),
            last_name: "Näidis-Õunapuu".into(),
            personal_code: child_code.into(),
            municipality_code: "0784".into(),
            ..Default::default()
        },
        guardians: vec![GuardianInput {
            first_name: "Kadri".into(),
            last_name: "Näidis".into(),
            phone: "+372 5555 0101".into(),
            email: "kadri@example.invalid".into(),
            language: "et".into(),
            delivery: "email".into(),
            relation: "parent".into(),
            ..Default::default()
        }],
        route: RouteInput {
            kind: "disability".into(),
            severity: "severe".into(),
            ..Default::default()
        },
        application_date: "2026-11-20".into(),
        channel: "email".into(),
        notes: "Synthetic test data".into(),
    }
}

pub const CHILD_CODE: &str = older::CHILD_CODE;

pub fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read file")
}

/// The text of a PDF file as poppler's `pdftotext -layout` reads it.
pub fn pdftotext(path: &Path) -> String {
    pdftotext_file(path, true)
}

/// The text of a PDF in memory as poppler reads it. `layout`: keep the page's columns side by
/// side; without it poppler reads each column (e.g. the address block) on its own.
pub fn pdftotext_bytes(pdf: &[u8], layout: bool) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).expect("write");
    pdftotext_file(&path, layout)
}

fn pdftotext_file(path: &Path, layout: bool) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .args(layout.then_some("-layout"))
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The draft as the editor would send it back, from what the view shows.
pub fn draft_of(v: &DecisionView) -> DecisionDraft {
    let d = &v.decision;
    let s = |x: &Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
    DecisionDraft {
        decision_date: s(&d.decision_date),
        addressee_name: d.addressee_name.clone(),
        addressee_address: d.addressee_address.clone(),
        addressee_email: d.addressee_email.clone(),
        delivery: d.delivery.clone(),
        summary_language: d.summary_language.clone(),
        operative: d.operative.clone(),
        reasoning: d.reasoning.clone(),
        legal_basis: d.legal_basis.clone(),
        summary: d.summary.clone(),
        valid_from: s(&d.valid_from),
        valid_to: s(&d.valid_to),
        annex: d
            .annex
            .iter()
            .map(|l| AnnexLineInput {
                code: l.code.clone(),
                amounts: l
                    .amounts
                    .iter()
                    .map(|a| YearAmountInput {
                        year: a.year,
                        amount: format!("{},{:02}", a.cents / 100, a.cents % 100),
                    })
                    .collect(),
            })
            .collect(),
        providers: d.providers.clone(),
        late_reason: d.late_reason.clone(),
        related_number: d.related_number.clone(),
    }
}

/// A need assessment with some shortfall in each of the four areas, the child's goal and these
/// activities (price-list code, hours).
pub fn assessment_of(activities: &[(&str, f64)]) -> AssessmentDraft {
    AssessmentDraft {
        areas: ["physical", "psychological", "social", "cognitive"]
            .iter()
            .map(|a| AreaAssessment {
                area: a.to_string(),
                level: "some".into(),
                notes: String::new(),
            })
            .collect(),
        child_goals: "Suhtleb eakaaslastega".into(),
        family_goals: String::new(),
        activities: activities
            .iter()
            .map(|(code, hours)| ActivityNeed {
                code: code.to_string(),
                hours: *hours,
            })
            .collect(),
    }
}

/// The medical document an application usually brings (the disability degree's decision).
pub fn medical_document() -> srt_core::casework::documents::DocumentInput {
    srt_core::casework::documents::DocumentInput {
        direction: "in".into(),
        doc_type: "medical".into(),
        title: "Puude raskusastme otsus".into(),
        doc_date: "2026-11-20".into(),
        party: "Sotsiaalkindlustusamet".into(),
        ..Default::default()
    }
}

/// A family's answer to the questionnaire: 5 and 3 for the first two questions, a thank-you.
pub fn feedback_answer() -> srt_core::feedback::ResponseInput {
    use srt_core::feedback::{ResponseInput, ScoreInput};
    ResponseInput {
        answered_on: "24.11.2026".into(),
        language: "et".into(),
        scores: vec![
            ScoreInput {
                question_id: 1,
                score: "5".into(),
            },
            ScoreInput {
                question_id: 2,
                score: "3".into(),
            },
        ],
        comment: "Aitäh".into(),
    }
}
