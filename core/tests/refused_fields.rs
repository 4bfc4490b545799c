//! A field the desk refuses (a 2 MB paste into the meeting notes, "30 h" as hours) must not stop
//! the save of the others (issue 26): every valid field is saved, the refused text is held in the
//! encrypted desk with its message until corrected, a restart brings it back, and nothing is made
//! (minutes) or signed (assessment) from a form whose text is not saved.

mod common;

use common::*;
use srt_core::casework::assessment::AssessmentInput;
use srt_core::meetings::{MeetingDraft, MeetingInput, Participant};

fn meeting_input() -> MeetingInput {
    MeetingInput {
        kind: "first".into(),
        date: "25.11.2026".into(),
        time: "10:00".into(),
        place: "Tallinna Lastekeskus".into(),
        video_link: String::new(),
    }
}

#[test]
fn an_over_long_note_does_not_stop_the_decisions_from_being_saved_and_is_held_across_a_restart() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let meeting = desk
        .create_meeting(case.id, &meeting_input())
        .expect("meeting");
    let first = MeetingDraft {
        agenda: meeting.agenda.clone(),
        notes: "Ema: hommikud on rasked.".into(),
        participants: vec![Participant {
            source: "guardian".into(),
            name: "Kadri Näidis".into(),
            role: "lapsevanem".into(),
            presence: "present".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    desk.save_meeting_draft(meeting.id, &first).expect("save");

    // A 2 MB paste into the notes, then the decisions typed.
    let pasted = "Pikk kleebitud tekst. ".repeat(100_000);
    let typed = MeetingDraft {
        notes: pasted.clone(),
        decisions: "1. Taotleda füsioteraapiat".into(),
        private_notes: "Isa tundus väsinud.".into(),
        ..first.clone()
    };
    let saved = desk
        .save_meeting_draft(meeting.id, &typed)
        .expect("the valid fields are saved whatever the notes hold");
    let refused: Vec<(&str, &str)> = saved
        .refused
        .iter()
        .map(|f| (f.field.as_str(), f.code.as_str()))
        .collect();
    assert_eq!(
        refused,
        vec![("notes", "too_long")],
        "only the notes are refused"
    );
    drop(desk);

    // A restart: the decisions are there, the notes hold what was saved, the paste is held.
    let mut desk = open_desk(&path);
    let again = desk.meeting(meeting.id).expect("reopen");
    assert_eq!(
        again.decisions, "1. Taotleda füsioteraapiat",
        "the decisions typed after the refused paste survive the restart"
    );
    assert_eq!(again.private_notes, "Isa tundus väsinud.");
    assert_eq!(
        again.notes, first.notes,
        "the refused notes keep what was saved"
    );
    assert_eq!(
        again.held.len(),
        1,
        "{:?}",
        again.held.iter().map(|h| &h.field).collect::<Vec<_>>()
    );
    assert_eq!(again.held[0].field, "notes");
    assert_eq!(
        again.held[0].text, pasted,
        "the paste itself is held, not lost"
    );
    assert!(
        again.held[0].message.et.contains("liiga pikk"),
        "{}",
        again.held[0].message.et
    );

    // The minutes are not made from a form whose text is not saved.
    let err = desk
        .export_minutes(meeting.id, dir.path())
        .expect_err("the notes are not saved");
    assert!(
        err.payload()
            .fields
            .iter()
            .any(|f| f.field == "notes" && f.code == "minutes.text_not_saved"),
        "{:?}",
        err.payload().fields
    );

    // Corrected: saved, and held no more.
    let fixed = MeetingDraft {
        notes: "Lühike kokkuvõte.".into(),
        ..typed
    };
    let saved = desk.save_meeting_draft(meeting.id, &fixed).expect("save");
    assert!(saved.refused.is_empty());
    let again = desk.meeting(meeting.id).expect("read");
    assert_eq!(again.notes, "Lühike kokkuvõte.");
    assert!(again.held.is_empty(), "nothing is held once corrected");
}

#[test]
fn hours_that_are_no_number_do_not_stop_the_assessment_and_signing_waits_for_them() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let before: AssessmentInput =
        serde_json::from_str(r#"{"activities":[{"code":"2010","hours":12}],"hoursTyped":["12"]}"#)
            .expect("draft");
    desk.save_assessment_as_typed(case.id, &before.draft, &before.hours_typed)
        .expect("save");

    // What the window sends: "30 h" as typed in the second row, the areas and goals filled in.
    let input: AssessmentInput = serde_json::from_str(
        r#"{
            "areas":[{"area":"physical","level":"some","notes":"Kukub tihti."},
                     {"area":"psychological","level":"significant","notes":""},
                     {"area":"social","level":"none","notes":""},
                     {"area":"cognitive","level":"some","notes":""}],
            "childGoals":"Iseseisvam toimetulek koolis",
            "familyGoals":"Vähem konflikte kodus",
            "activities":[{"code":"2010","hours":"30 h"},{"code":"2013","hours":"6"}],
            "hoursTyped":["30 h","6"]
        }"#,
    )
    .expect("a draft with odd hours still reads");
    let saved = desk
        .save_assessment_as_typed(case.id, &input.draft, &input.hours_typed)
        .expect("the valid fields are saved whatever the hours hold");
    assert_eq!(saved.held.len(), 1);
    assert_eq!(saved.held[0].field, "activities.0.hours");
    assert_eq!(saved.held[0].text, "30 h", "held as typed");
    drop(desk);

    let mut desk = open_desk(&path);
    let again = desk.assessment(case.id).expect("reopen");
    let levels: Vec<&str> = again.areas.iter().map(|a| a.level.as_str()).collect();
    assert_eq!(
        levels,
        ["some", "significant", "none", "some"],
        "the levels are saved"
    );
    assert_eq!(again.areas[0].notes, "Kukub tihti.");
    assert_eq!(again.child_goals, "Iseseisvam toimetulek koolis");
    assert_eq!(again.activities.len(), 2, "both rows are kept");
    assert_eq!(
        again.activities[0].hours, 12.0,
        "the refused hours keep what was saved"
    );
    assert_eq!(
        again.activities[1].hours, 6.0,
        "the other row's hours are saved"
    );
    assert_eq!(again.held.len(), 1);
    assert_eq!(again.held[0].text, "30 h");

    // Signing what is not saved would sign something else than is on screen.
    let err = desk
        .sign_assessment(case.id, "2026-11-25")
        .expect_err("the hours are not saved");
    assert!(
        err.payload()
            .fields
            .iter()
            .any(|f| f.field == "activities.0.hours" && f.code == "assessment.text_not_saved"),
        "{:?}",
        err.payload().fields
    );

    let mut fixed = input.draft.clone();
    fixed.activities[0].hours = 30.0;
    let saved = desk.save_assessment(case.id, &fixed).expect("save");
    assert!(saved.held.is_empty(), "nothing is held once corrected");
    assert_eq!(saved.activities[0].hours, 30.0);
    desk.sign_assessment(case.id, "2026-11-25")
        .expect("signed once saved");
}
