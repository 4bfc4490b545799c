//! Network meetings on a real encrypted file: a meeting gets its template's agenda, the notes
//! draft comes back exactly as typed after reopening, private notes stay private, agreed actions
//! reach the dashboard and the timeline until done, and every read and write is audited.

mod common;

use chrono::NaiveDate;
use common::*;
use srt_core::meetings::{ActionInput, MeetingDraft, MeetingInput, Participant, TemplateInput};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// The clock stands on Wed 25.11.2026; the case's application is from 20.11.2026.
fn meeting_input(day: &str) -> MeetingInput {
    MeetingInput {
        kind: "first".into(),
        date: day.into(),
        time: "10:00".into(),
        place: "Tallinna Lastekeskus, ruum 3".into(),
        video_link: String::new(),
    }
}

fn action(what: &str, owner: &str, due: &str) -> ActionInput {
    ActionInput {
        what: what.into(),
        owner: owner.into(),
        due_date: due.into(),
        confirm_early_due: false,
    }
}

#[test]
fn a_meeting_keeps_its_notes_exactly_and_its_actions_reach_the_dashboard_until_done() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let meeting = desk
        .create_meeting(case.id, &meeting_input("25.11.2026"))
        .expect("create meeting");
    assert!(
        meeting.agenda.contains("Lapse ja pere eesmärgid"),
        "a first meeting starts with the first-meeting agenda: {}",
        meeting.agenda
    );
    let names: Vec<&str> = meeting
        .participant_options
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert!(
        names.contains(&"Kadri Näidis"),
        "the guardian can be picked: {names:?}"
    );

    // Notes with paragraphs, lists, odd spacing and markup-looking text, kept as typed.
    let notes = "Ema: hommikud on rasked.\n\n- kool algab 8.00\n- buss 7.15  \n\t<script>ei ole kood</script>\n";
    let draft = MeetingDraft {
        agenda: meeting.agenda.clone(),
        notes: notes.into(),
        notes_shared: true,
        private_notes: "Isa tundus väsinud; küsida järgmisel korral unest.".into(),
        decisions: "1. Taotleda füsioteraapiat\n2. Järgmine kohtumine jaanuaris".into(),
        participants: vec![
            Participant {
                source: "guardian".into(),
                guardian_id: case.guardians.first().map(|g| g.id),
                name: "Kadri Näidis".into(),
                role: "lapsevanem".into(),
                organisation: String::new(),
                presence: "present".into(),
            },
            Participant {
                source: "provider".into(),
                guardian_id: None,
                name: "Mari Maasikas".into(),
                role: "füsioterapeut".into(),
                organisation: "Näidise Rehabilitatsioonikeskus".into(),
                presence: "absent".into(),
            },
        ],
    };
    let first = desk.save_meeting_draft(meeting.id, &draft).expect("save");
    let second = desk.save_meeting_draft(meeting.id, &draft).expect("save");
    assert_eq!(second.rev, first.rev + 1, "every save is counted");

    // Agreed actions: one due before the meeting needs confirming.
    let err = desk
        .add_meeting_action(
            meeting.id,
            &action("Saata plaan", "Kadri Näidis", "24.11.2026"),
        )
        .expect_err("due before the meeting");
    assert_eq!(err.code(), "validation");
    desk.add_meeting_action(
        meeting.id,
        &action("Saata arsti hinnang", "Kadri Näidis", "27.11.2026"),
    )
    .expect("add action");
    let m = desk
        .add_meeting_action(
            meeting.id,
            &action(
                "Leida füsioterapeut",
                "KOV lastekaitsetöötaja",
                "10.12.2026",
            ),
        )
        .expect("add action");
    assert_eq!(m.actions.len(), 2);
    assert_eq!(
        m.actions[0].what, "Saata arsti hinnang",
        "the earliest due comes first"
    );
    assert_eq!(m.actions[0].urgency, "week");
    drop(desk);

    // Reopen: the draft is exactly what was saved.
    let mut desk = open_desk(&path);
    let again = desk.meeting(meeting.id).expect("reopen meeting");
    assert_eq!(again.notes, notes, "the notes come back byte for byte");
    assert_eq!(again.private_notes, draft.private_notes);
    assert_eq!(again.decisions, draft.decisions);
    assert_eq!(again.participants, draft.participants);
    assert_eq!(again.draft_rev, second.rev);

    // The dashboard lists the open actions with their due dates.
    let dash = desk.dashboard().expect("dashboard");
    let due: Vec<(String, NaiveDate, String)> = dash
        .actions
        .iter()
        .map(|a| (a.what.clone(), a.due, a.urgency.clone()))
        .collect();
    assert_eq!(
        due,
        vec![
            (
                "Saata arsti hinnang".into(),
                date(2026, 11, 27),
                "week".into()
            ),
            (
                "Leida füsioterapeut".into(),
                date(2026, 12, 10),
                "later".into()
            ),
        ]
    );
    assert!(dash.counts.week >= 1 && dash.counts.later >= 1);

    // Done needs a date; once done the action leaves the dashboard but stays on the timeline.
    let first_action = again.actions[0].id;
    let err = desk
        .set_meeting_action_done(first_action, "")
        .expect_err("done without a date");
    assert_eq!(err.payload().fields[0].field, "doneOn");
    let m = desk
        .set_meeting_action_done(first_action, "25.11.2026")
        .expect("done");
    assert_eq!(m.actions.last().map(|a| a.urgency.as_str()), Some("done"));
    let dash = desk.dashboard().expect("dashboard");
    assert_eq!(dash.actions.len(), 1, "a done action leaves the dashboard");
    let timeline = desk.timeline(case.id).expect("timeline");
    let kinds: Vec<(&str, String)> = timeline
        .iter()
        .map(|e| (e.kind.as_str(), e.title.et.clone()))
        .collect();
    assert!(kinds.contains(&("meeting", "Võrgustikukohtumine (esimene kohtumine)".into())));
    assert!(kinds.contains(&("action", "Tegevus tehtud: Saata arsti hinnang".into())));
    assert!(kinds.contains(&("action", "Kokkulepitud tegevus: Leida füsioterapeut".into())));

    // Reopened, it is back on the dashboard.
    desk.reopen_meeting_action(first_action).expect("reopen");
    assert_eq!(desk.dashboard().expect("dashboard").actions.len(), 2);

    // A closed case's actions no longer call for attention.
    desk.change_status(case.id, "closed", "Pere loobus teenusest")
        .expect("close");
    assert!(desk.dashboard().expect("dashboard").actions.is_empty());

    // Every read and write left an audit row about the case, and the chain holds.
    let log = desk
        .audit_log(&srt_core::store::audit::AuditFilter {
            case_id: Some(case.id),
            limit: Some(1000),
            ..Default::default()
        })
        .expect("audit");
    for action in [
        "meeting.create",
        "meeting.save_notes",
        "meeting.read",
        "meeting_action.create",
        "meeting_action.done",
        "meeting_action.reopen",
    ] {
        assert!(
            log.rows.iter().any(|r| r.action == action),
            "{action} is audited"
        );
    }
    assert!(desk.check().expect("check").all_ok());
}

#[test]
fn the_notes_are_not_readable_in_the_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let meeting = desk
        .create_meeting(case.id, &meeting_input("25.11.2026"))
        .expect("create");
    let secret = "Salajane-märge-Õunapuu-4711";
    desk.save_meeting_draft(
        meeting.id,
        &MeetingDraft {
            private_notes: secret.repeat(50),
            notes_shared: true,
            ..Default::default()
        },
    )
    .expect("save");
    drop(desk);
    let bytes = std::fs::read(&path).expect("read");
    let wal = std::fs::read(path.with_extension("db-wal")).unwrap_or_default();
    for hay in [&bytes, &wal] {
        assert!(
            !hay.windows(10).any(|w| w == &secret.as_bytes()[..10]),
            "the notes are encrypted on disk"
        );
    }
}

#[test]
fn meeting_details_are_checked_and_templates_edited_in_settings_apply_to_new_meetings() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _path) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let err = desk
        .create_meeting(
            case.id,
            &MeetingInput {
                kind: "follow_up".into(),
                date: "31.11.2026".into(),
                time: "kell kümme".into(),
                video_link: "teams".into(),
                ..Default::default()
            },
        )
        .expect_err("bad meeting");
    let mut fields: Vec<String> = err.payload().fields.into_iter().map(|f| f.field).collect();
    fields.sort();
    assert_eq!(fields, vec!["date", "time", "videoLink"]);
    assert!(
        desk.meetings(case.id).expect("list").is_empty(),
        "nothing saved"
    );

    let err = desk
        .save_meeting_template(&TemplateInput {
            code: "follow_up".into(),
            agenda: " \n \n".into(),
        })
        .expect_err("an empty template");
    assert_eq!(err.payload().fields[0].field, "agenda");
    let templates = desk
        .save_meeting_template(&TemplateInput {
            code: "follow_up".into(),
            agenda: "1. Mis on muutunud\n2. Uued kokkulepped\n".into(),
        })
        .expect("save template");
    assert_eq!(
        templates[1].agenda,
        vec!["Mis on muutunud", "Uued kokkulepped"]
    );
    let m = desk
        .create_meeting(
            case.id,
            &MeetingInput {
                kind: "follow_up".into(),
                date: "2026-12-02".into(),
                video_link: "https://meet.example.invalid/srt-1".into(),
                ..Default::default()
            },
        )
        .expect("follow-up");
    assert_eq!(m.agenda, "Mis on muutunud\nUued kokkulepped");
    let list = desk.meetings(case.id).expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].video_link, "https://meet.example.invalid/srt-1");
    let moved = desk
        .update_meeting(
            m.id,
            &MeetingInput {
                kind: "follow_up".into(),
                date: "03.12.2026".into(),
                time: "14:30".into(),
                ..Default::default()
            },
        )
        .expect("update");
    assert_eq!(
        (moved.date, moved.time.as_str()),
        (date(2026, 12, 3), "14:30")
    );
    // A meeting created by mistake goes, with its actions.
    desk.add_meeting_action(m.id, &action("Helistada", "KOV", "10.12.2026"))
        .expect("action");
    desk.delete_meeting(m.id).expect("delete");
    assert!(desk.meetings(case.id).expect("list").is_empty());
    assert!(desk.dashboard().expect("dashboard").actions.is_empty());
    assert_eq!(
        desk.meeting(999).expect_err("missing").code(),
        "meeting.not_found"
    );
    assert_eq!(
        desk.set_meeting_action_done(999, "25.11.2026")
            .expect_err("missing")
            .code(),
        "meeting_action.not_found"
    );
}

#[test]
fn the_minutes_are_filed_on_the_register_and_saved_where_chosen() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _path) = new_desk(dir.path());
    desk.set_coordinator(&common::coordinator_named("Olga Koordinaator"));
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let meeting = desk
        .create_meeting(case.id, &meeting_input("25.11.2026"))
        .expect("create");
    // No participants yet: the minutes say what is missing and nothing is filed.
    let err = desk
        .export_minutes(meeting.id, dir.path())
        .expect_err("no participants");
    assert_eq!(err.payload().fields[0].code, "minutes.no_participants");
    assert!(desk.documents(case.id).expect("docs").is_empty());

    desk.save_meeting_draft(
        meeting.id,
        &MeetingDraft {
            agenda: meeting.agenda.clone(),
            notes: "Ema: hommikud on rasked.\n\n- kool algab 8.00\n- buss 7.15".into(),
            notes_shared: true,
            private_notes: "PRIVAATNE: isa tundus väsinud".into(),
            decisions: "1. Taotleda füsioteraapiat\n2. Järgmine kohtumine jaanuaris".into(),
            participants: meeting
                .participant_options
                .iter()
                .map(|o| Participant {
                    source: o.source.clone(),
                    guardian_id: o.guardian_id,
                    name: o.name.clone(),
                    role: o.role.clone(),
                    organisation: o.organisation.clone(),
                    presence: "present".into(),
                })
                .chain([Participant {
                    source: "provider".into(),
                    name: "Mari Maasikas".into(),
                    role: "füsioterapeut".into(),
                    organisation: "Näidise Rehabilitatsioonikeskus".into(),
                    presence: "absent".into(),
                    ..Default::default()
                }])
                .collect(),
        },
    )
    .expect("save");
    desk.add_meeting_action(
        meeting.id,
        &action("Saata arsti hinnang", "Kadri Näidis", "01.12.2026"),
    )
    .expect("action");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("dir");
    let export = desk.export_minutes(meeting.id, &out).expect("export");
    let file = out.join(&export.file_name);
    let pdf = std::fs::read(&file).expect("the PDF is written where chosen");
    assert!(pdf.starts_with(b"%PDF-"));
    if let Ok(sample) = std::env::var("SRT_MINUTES_SAMPLE") {
        std::fs::write(sample, &pdf).expect("sample copy");
    }
    let docs = desk.documents(case.id).expect("docs");
    assert_eq!(docs.len(), 1, "filed on the documents register");
    assert_eq!(docs[0].title, "Võrgustikukohtumise protokoll 25.11.2026");
    assert_eq!(docs[0].direction, "out");
    assert_eq!(docs[0].attachments[0].file_name, export.file_name);
    assert_eq!(docs[0].reg_no, export.reg_no);
    let m = desk.meeting(meeting.id).expect("meeting");
    assert_eq!(m.minutes.map(|x| x.document_id), Some(export.document_id));
    assert_eq!(
        desk.delete_meeting(meeting.id)
            .expect_err("filed minutes keep the meeting")
            .payload()
            .fields[0]
            .code,
        "meeting.minutes_filed"
    );

    let text = String::from_utf8(
        std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8", "-layout"])
            .arg(&file)
            .arg("-")
            .output()
            .expect("pdftotext")
            .stdout,
    )
    .expect("utf-8");
    for expected in [
        "Kadri Näidis",
        "Mari Maasikas",
        "Taotleda füsioteraapiat",
        "Saata arsti hinnang",
        "01.12.2026",
        "Olga Koordinaator",
    ] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }
    assert!(!text.contains("PRIVAATNE"), "private notes leaked:\n{text}");
}

/// Issue 26, item 3: minutes were signed with the computer's user name ("root") when no
/// coordinator's name was set. They are refused until Settings (or srt-admin profile) has a name
/// and contacts, nothing is filed meanwhile, and the coordinator's name is no participant option
/// until it is real.
#[test]
fn the_minutes_are_refused_until_the_coordinator_has_a_name() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _path) = new_desk_without_profile(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let meeting = desk
        .create_meeting(case.id, &meeting_input("25.11.2026"))
        .expect("create");
    assert!(
        meeting
            .participant_options
            .iter()
            .all(|o| o.source != "coordinator"),
        "no coordinator to pick while nobody's name is set: {:?}",
        meeting.participant_options
    );
    desk.save_meeting_draft(
        meeting.id,
        &MeetingDraft {
            agenda: meeting.agenda.clone(),
            notes: "Ema: hommikud on rasked.".into(),
            notes_shared: true,
            decisions: "1. Taotleda füsioteraapiat".into(),
            participants: meeting
                .participant_options
                .iter()
                .map(|o| Participant {
                    source: o.source.clone(),
                    guardian_id: o.guardian_id,
                    name: o.name.clone(),
                    role: o.role.clone(),
                    organisation: o.organisation.clone(),
                    presence: "present".into(),
                })
                .collect(),
            ..Default::default()
        },
    )
    .expect("save");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("dir");
    let err = desk
        .export_minutes(meeting.id, &out)
        .expect_err("no minutes without the coordinator's name");
    assert_eq!(err.code(), "coordinator.profile_missing");
    assert!(
        err.message().et.contains("Seadetes"),
        "{}",
        err.message().et
    );
    assert!(
        err.message().en.contains("Settings"),
        "{}",
        err.message().en
    );
    assert!(
        desk.documents(case.id).expect("docs").is_empty(),
        "nothing filed"
    );
    assert_eq!(std::fs::read_dir(&out).expect("out").count(), 0);

    desk.set_coordinator(&coordinator());
    let export = desk.export_minutes(meeting.id, &out).expect("export");
    let text = pdftotext(&out.join(&export.file_name));
    assert!(text.contains("Mari Näidiskoordinaator"), "{text}");
    assert!(!text.contains("root"), "{text}");
    assert!(
        !text.contains("test"),
        "the OS-level actor never signs: {text}"
    );
}
