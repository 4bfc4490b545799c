//! The coordinator's own work on a real encrypted database: tasks from the team lead reach the
//! dashboard in the deadlines' bands (overdue ones counted as overdue) until done, show on a
//! linked case's timeline, and undated ones sit in their own list; proposals keep their status
//! rules, are found from their provider, and the memo names a linked case by its number only.
//! Every read and write is audited.

mod common;

use std::path::PathBuf;

use common::*;
use srt_core::store::audit::AuditFilter;
use srt_core::work::proposals::{ProposalFilter, ProposalInput};
use srt_core::work::tasks::TaskInput;
use srt_core::Error;

fn task(title: &str, due: &str) -> TaskInput {
    TaskInput {
        title: title.into(),
        from_kind: "team_lead".into(),
        due_on: due.into(),
        ..Default::default()
    }
}

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(name)
}

fn audited(desk: &srt_core::Desk, action: &str) -> usize {
    desk.audit_log(&AuditFilter {
        action: action.into(),
        limit: Some(500),
        ..Default::default()
    })
    .expect("audit log")
    .rows
    .len()
}

#[test]
fn tasks_reach_the_dashboard_in_the_deadline_bands_until_done() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut desk, _) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("case");
    let before = desk.dashboard().expect("dashboard").counts;

    // Today is 25.11.2026 (the test clock).
    let mut late = task("Saata ootejärjekorra ülevaade", "24.11.2026");
    late.case_ids = vec![case.id, case.id];
    late.notes = "Meeskonnajuht küsis koosolekul.".into();
    let late = desk.save_task(None, &late).expect("overdue task");
    assert_eq!(late.urgency, "overdue");
    assert_eq!(late.cases.len(), 1, "a case is linked once");
    desk.save_task(None, &task("Kommenteerida juhendi mustandit", "25.11.2026"))
        .expect("today");
    desk.save_task(None, &task("Koolitusele registreerumine", "05.12.2026"))
        .expect("later");
    desk.save_task(None, &task("Aastaaruande ettevalmistus", "20.01.2027"))
        .expect("beyond the horizon");
    desk.save_task(None, &task("Lugeda uus määrus läbi", ""))
        .expect("undated");

    let dash = desk.dashboard().expect("dashboard");
    let titles: Vec<&str> = dash.tasks.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(
        titles,
        vec![
            "Saata ootejärjekorra ülevaade",
            "Kommenteerida juhendi mustandit",
            "Koolitusele registreerumine"
        ],
        "tasks within 30 days, the overdue one first; the one in January is not yet shown"
    );
    assert_eq!(
        dash.tasks[0].urgency, "overdue",
        "the overdue task stands out"
    );
    assert_eq!(dash.tasks[0].days_left, Some(-1));
    assert_eq!(dash.counts.overdue, before.overdue + 1);
    assert_eq!(dash.counts.today, before.today + 1);
    assert_eq!(dash.counts.later, before.later + 1);
    assert_eq!(
        dash.undated_tasks.len(),
        1,
        "undated tasks sit in their own list"
    );
    assert_eq!(dash.undated_tasks[0].urgency, "undated");

    // On the linked case's timeline.
    let timeline = desk.timeline(case.id).expect("timeline");
    assert!(
        timeline
            .iter()
            .any(|e| e.kind == "task" && e.title.et == "Ülesanne: Saata ootejärjekorra ülevaade"),
        "{timeline:?}"
    );

    // Done: off the dashboard, on the done list and the timeline; undo puts it back.
    let err = desk
        .set_task_done(late.id, "26.11.2026")
        .expect_err("refused");
    assert_eq!(err.code(), "validation", "not done tomorrow");
    desk.set_task_done(late.id, "25.11.2026").expect("done");
    let dash = desk.dashboard().expect("dashboard");
    assert_eq!(dash.tasks.len(), 2);
    assert_eq!(dash.counts.overdue, before.overdue);
    assert_eq!(desk.tasks("done").expect("done list").len(), 1);
    assert!(desk
        .timeline(case.id)
        .expect("timeline")
        .iter()
        .any(|e| e.title.et.starts_with("Ülesanne tehtud")));
    desk.reopen_task(late.id).expect("undo");
    assert_eq!(desk.tasks("overdue").expect("overdue").len(), 1);
    assert_eq!(desk.dashboard().expect("dashboard").tasks.len(), 3);

    // Bad input is named field by field and nothing is stored.
    let mut bad = task(" ", "30.02.2026");
    bad.from_kind = "other".into();
    let Err(Error::Validation(fields)) = desk.save_task(None, &bad) else {
        panic!("expected validation errors");
    };
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, vec!["title", "fromName", "dueOn"]);
    let mut ghost = task("Vale link", "");
    ghost.case_ids = vec![9999];
    assert_eq!(
        desk.save_task(None, &ghost).expect_err("refused").code(),
        "validation"
    );
    assert_eq!(
        desk.tasks("all").expect("all").len(),
        5,
        "nothing more stored"
    );

    desk.delete_task(late.id).expect("delete");
    assert_eq!(desk.tasks("all").expect("all").len(), 4);
    for action in [
        "task.create",
        "task.done",
        "task.reopen",
        "task.delete",
        "task.list",
    ] {
        assert!(audited(&desk, action) > 0, "{action} is audited");
    }
}

#[test]
fn proposals_keep_their_rules_and_the_memo_names_cases_by_number_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut desk, _) = new_desk(dir.path());
    desk.set_coordinator(&common::coordinator_named("Olga Koordinaator"));
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("case");
    desk.provider_import(&sample("providers-good.csv"))
        .expect("providers");
    let provider = desk.provider_list().expect("providers")[0].clone();

    let mut input = ProposalInput {
        topic: "provider".into(),
        title: "Füsioteraapia ootejärjekord".into(),
        problem: "Lapsed ootavad teenuse algust üle 60 päeva.".into(),
        evidence: "Keskmine ootamine 64 päeva. Pere tagasiside: „liiga kaua”.".into(),
        proposal: "Leida piirkonda teine teenuseosutaja.".into(),
        case_ids: vec![case.id],
        ..Default::default()
    };
    let err = desk.save_proposal(None, &input).expect_err("refused");
    assert_eq!(err.payload().fields[0].field, "providerIds");
    input.provider_ids = vec![provider.id];
    let p = desk.save_proposal(None, &input).expect("draft");
    assert_eq!(p.status, "draft");
    assert!(p.warnings.is_empty());

    // Sent needs to whom and when; nothing changes while it is refused.
    input.status = "sent".into();
    let err = desk.save_proposal(Some(p.id), &input).expect_err("refused");
    let fields: Vec<String> = err.payload().fields.into_iter().map(|f| f.field).collect();
    assert_eq!(fields, vec!["sentTo", "sentOn"]);
    assert_eq!(desk.proposal(p.id).expect("read").status, "draft");
    input.sent_to = "Teenusejuht Mari Mets".into();
    input.sent_on = "24.11.2026".into();
    desk.save_proposal(Some(p.id), &input).expect("sent");

    // Back to a draft is refused; a final status needs its outcome.
    input.status = "draft".into();
    assert_eq!(
        desk.save_proposal(Some(p.id), &input)
            .expect_err("refused")
            .payload()
            .fields[0]
            .code,
        "illegal_transition"
    );
    input.status = "accepted".into();
    assert_eq!(
        desk.save_proposal(Some(p.id), &input)
            .expect_err("refused")
            .payload()
            .fields
            .len(),
        2
    );
    input.outcome = "Teenusejuht alustab läbirääkimisi.".into();
    input.outcome_on = "25.11.2026".into();
    let p = desk.save_proposal(Some(p.id), &input).expect("accepted");
    assert_eq!(p.status, "accepted");
    assert_eq!(
        desk.delete_proposal(p.id).expect_err("refused").code(),
        "validation",
        "only a draft can be deleted"
    );

    // Found from its provider's page; open ones are the draft and sent ones.
    let for_provider = desk
        .proposals(&ProposalFilter {
            provider_id: Some(provider.id),
            ..Default::default()
        })
        .expect("by provider");
    assert_eq!(for_provider.len(), 1);
    assert!(desk
        .proposals(&ProposalFilter {
            status: "open".into(),
            ..Default::default()
        })
        .expect("open")
        .is_empty());

    // A personal code typed into the evidence is pointed out, not refused.
    let other = ProposalInput {
        topic: "guidance".into(),
        title: "Juhend".into(),
        evidence: format!("Näide: laps {CHILD_CODE}"),
        ..Default::default()
    };
    let w = desk.save_proposal(None, &other).expect("saved");
    assert_eq!(w.warnings.len(), 1);
    // The memo needs the problem and the proposal.
    let err = desk
        .export_proposal_memo(w.id, dir.path())
        .expect_err("refused");
    let fields: Vec<String> = err.payload().fields.into_iter().map(|f| f.field).collect();
    assert_eq!(fields, vec!["problem", "proposal"]);

    // The memo: saved where asked (a folder gets the offered name), read back with pdftotext.
    let out = dir.path().join("memo.pdf");
    let written = desk.export_proposal_memo(p.id, &out).expect("memo");
    assert_eq!(written.path, out.display().to_string());
    let text = pdftotext(&out);
    for expected in [
        "Sotsiaalkindlustusamet",
        "Memo",
        "25.11.2026",
        "Teenusejuht Mari Mets",
        "Olga Koordinaator",
        "Füsioteraapia ootejärjekord",
        "Lapsed ootavad teenuse algust",
        &case.case_no,
        &provider.name,
        "Keskmine ootamine 64 päeva",
        "Leida piirkonda teine teenuseosutaja",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    for child in ["Mirtel", "Õunapuu", CHILD_CODE] {
        assert!(!text.contains(child), "the child's {child} leaked:\n{text}");
    }
    let in_folder = desk
        .export_proposal_memo(p.id, dir.path())
        .expect("memo in a folder");
    assert!(in_folder.file_name.starts_with("ettepanek-"));
    assert_eq!(
        desk.export_proposal_memo(p.id, std::path::Path::new(""))
            .expect_err("refused")
            .payload()
            .fields[0]
            .field,
        "path"
    );
    // Filed nowhere else: no document on the case.
    assert!(desk.documents(case.id).expect("documents").is_empty());

    for action in [
        "proposal.create",
        "proposal.update",
        "proposal.read",
        "proposal.list",
        "proposal.memo",
    ] {
        assert!(audited(&desk, action) > 0, "{action} is audited");
    }
}
