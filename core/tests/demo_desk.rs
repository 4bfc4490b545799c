//! Demo data lives only in a demo desk: a real desk's number sequences, providers and statistics
//! are never touched by it, the app opens the demo desk as a separate file beside the real one,
//! and every PDF a demo desk writes says "NÄIDISANDMED".

mod common;

use common::*;
use rusqlite::Connection;
use srt_core::launch::{demo_path_for, Session};
use srt_core::stats::{PeriodInput, StatsQuery};
use srt_core::work::tasks::TaskInput;
use srt_core::{Error, KdfParams, MemoryKeyStore};

fn scalar(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).expect(sql)
}

fn november() -> StatsQuery {
    StatsQuery {
        period: PeriodInput {
            kind: "month".into(),
            year: 2026,
            number: 11,
            ..Default::default()
        },
        ..Default::default()
    }
}

/// What a demo must never change on a real desk: its number sequences and its figures.
fn real_figures(desk: &srt_core::Desk) -> (i64, i64, String, String) {
    let conn = desk.store().connection();
    (
        scalar(conn, "SELECT count(*) FROM srt_case"),
        scalar(conn, "SELECT last_value FROM decision_sequence"),
        desk.store()
            .connection()
            .query_row("SELECT max(case_no) FROM srt_case", [], |r| {
                r.get::<_, Option<String>>(0)
            })
            .expect("case no")
            .unwrap_or_default(),
        format!("{:?}", desk.statistics(&november(), "et").expect("stats")),
    )
}

#[test]
fn a_demo_on_a_desk_with_real_work_is_refused_and_its_numbers_and_statistics_stay() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let case = desk
        .register_application(&application("61303150029"))
        .expect("a real case");
    let before = real_figures(&desk);
    let err = desk.load_demo(60, 2026).expect_err("a real case: refused");
    assert!(matches!(err, Error::DemoNotEmpty), "{err:?}");
    assert_eq!(err.code(), "demo.not_empty");
    assert!(
        err.message_et().contains("näidistöölaud"),
        "the message says where demo data goes: {}",
        err.message_et()
    );
    assert_eq!(real_figures(&desk), before, "the real desk is as it was");
    assert!(!desk.is_demo().expect("flag"), "still a real desk");
    // The next real case takes the next real number: the demo used none.
    let next = desk
        .register_application(&application("50001010006"))
        .expect("next real case");
    assert_eq!(
        next.case_no,
        format!(
            "{}{:05}",
            &case.case_no[..case.case_no.len() - 5],
            case.case_no[case.case_no.len() - 5..]
                .parse::<u32>()
                .expect("number")
                + 1
        )
    );

    // A desk with no case yet but real work on it (a task from the team lead) is not empty
    // either: a demo would put its providers, tasks and decision numbers among the real ones.
    let dir2 = tempfile::tempdir().expect("tmp");
    let (mut started, _) = new_desk(dir2.path());
    started
        .save_task(
            None,
            &TaskInput {
                title: "Koosta kvartali ülevaade".into(),
                from_kind: "team_lead".into(),
                due_on: "05.12.2026".into(),
                ..Default::default()
            },
        )
        .expect("task");
    let before = real_figures(&started);
    let err = started.load_demo(60, 2026).expect_err("real work: refused");
    assert!(matches!(err, Error::DemoNotEmpty), "{err:?}");
    assert_eq!(real_figures(&started), before);
    assert_eq!(
        scalar(
            started.store().connection(),
            "SELECT count(*) FROM provider"
        ),
        0,
        "no demo provider in the real directory"
    );
    assert!(!started.is_demo().expect("flag"));
}

#[test]
fn srt_admin_demo_on_a_new_empty_desk_makes_it_a_demo_desk_and_loads_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    assert!(!desk.is_demo().expect("flag"), "a new desk is a real desk");
    let n = desk.load_demo(30, 7).expect("empty desk: loads");
    assert_eq!(n, 30);
    assert!(desk.is_demo().expect("flag"), "now a demo desk");
    let err = desk.load_demo(30, 7).expect_err("a second demo is refused");
    assert!(matches!(err, Error::DemoNotEmpty), "{err:?}");
}

#[test]
fn the_app_opens_the_demo_desk_beside_the_real_one_and_returns_to_it_untouched() {
    let dir = tempfile::tempdir().expect("tmp");
    let real = dir.path().join("srt-desk.db");
    let mut session = Session::start(
        real.clone(),
        Box::new(MemoryKeyStore::default()),
        Some(PASS),
        "app:test",
        KdfParams::fast_for_tests(),
    );
    session.recovery_code_shown().expect("ack");
    session
        .desk()
        .expect("open")
        .register_application(&application("61303150029"))
        .expect("a real case");
    let status = session.status();
    assert!(!status.demo_desk && !status.can_return_to_real);
    // The real desk never takes demo data, whether it is empty or not.
    let err = session
        .load_demo(60, 2026)
        .expect_err("not on the real desk");
    assert!(matches!(err, Error::DemoRealDesk), "{err:?}");
    let before = {
        let conn = session.desk().expect("open").store().connection();
        (
            scalar(conn, "SELECT count(*) FROM srt_case"),
            scalar(conn, "SELECT last_value FROM decision_sequence"),
            scalar(conn, "SELECT count(*) FROM invoice"),
        )
    };

    let status = session.open_demo_desk().expect("demo desk");
    assert_eq!(status.state, "open");
    assert!(status.demo_desk && status.can_return_to_real);
    assert!(status.recovery_code.is_none() && !status.first_run);
    assert_eq!(
        status.db_path,
        dir.path().join("srt-desk-demo.db").display().to_string()
    );
    assert_eq!(demo_path_for(&real), dir.path().join("srt-desk-demo.db"));
    assert_eq!(session.load_demo(60, 2026).expect("loads"), 60);
    assert_eq!(
        session.load_demo(60, 2026).expect("once"),
        0,
        "the demo desk keeps its demo"
    );
    assert!(session.desk().expect("open").is_demo().expect("flag"));

    let status = session.open_real_desk().expect("back");
    assert_eq!(status.state, "open");
    assert!(!status.demo_desk && !status.can_return_to_real);
    assert_eq!(status.db_path, real.display().to_string());
    let conn = session.desk().expect("open").store().connection();
    let after = (
        scalar(conn, "SELECT count(*) FROM srt_case"),
        scalar(conn, "SELECT last_value FROM decision_sequence"),
        scalar(conn, "SELECT count(*) FROM invoice"),
    );
    assert_eq!(after, before, "the real desk's numbers are as they were");
    // Open again later, the demo desk still holds its demo, and is still marked as one.
    let status = session.open_demo_desk().expect("demo desk again");
    assert!(status.demo_desk);
    let conn = session.desk().expect("open").store().connection();
    assert_eq!(scalar(conn, "SELECT count(*) FROM srt_case"), 60);
}

#[test]
fn every_pdf_of_a_demo_desk_says_naidisandmed_and_a_real_desks_do_not() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut demo, _) = new_desk(&dir.path().join("demo"));
    demo.load_demo(60, 2026).expect("demo");
    let (real, _) = new_desk(&dir.path().join("real"));
    for (desk, stamped) in [(&demo, true), (&real, false)] {
        let out = dir.path().join(format!("stats-{stamped}.pdf"));
        desk.stats_export(&november(), &out).expect("pdf");
        let text = pdftotext(&out);
        assert_eq!(
            text.contains("NÄIDISANDMED"),
            stamped,
            "statistics PDF of a {} desk: {text}",
            if stamped { "demo" } else { "real" }
        );
    }
    // The demo's own decisions were made by the generator; a decision approved on the demo desk
    // is stamped on every page too.
    let pages = demo_decision_pdf(&mut demo);
    if let Some(keep) = std::env::var_os("SRT_KEEP_PDF") {
        std::fs::write(keep, &pages).expect("keep");
    }
    let text = pdftotext_bytes(&pages, false);
    assert!(
        text.matches("NÄIDISANDMED").count() >= 2 * srt_core::pdf::page_count(&pages),
        "every page of the letter carries the stamp (top and footer): {text}"
    );
}

/// A decision approved now on the demo desk, as its filed PDF.
fn demo_decision_pdf(desk: &mut srt_core::Desk) -> Vec<u8> {
    let case = desk
        .register_application(&application("61303150029"))
        .expect("case");
    desk.change_status(case.id, "in_assessment", "")
        .expect("to assessment");
    desk.save_assessment(case.id, &assessment_of(&[("2010", 20.0)]))
        .expect("assessment");
    desk.sign_assessment(case.id, "2026-11-24").expect("sign");
    let view = desk.create_decision(case.id, "referral").expect("draft");
    let mut draft = draft_of(&view);
    if draft.reasoning.trim().is_empty() {
        draft.reasoning = "Taotlus ei vasta tingimustele.".into();
    }
    desk.save_decision(view.decision.id, &draft).expect("save");
    let approved = desk
        .approve_decision(view.decision.id, true)
        .expect("approve");
    let attachment = approved.pdf_attachment_id.expect("filed");
    let out = tempfile::tempdir().expect("tmp");
    let path = desk
        .export_attachment(attachment, out.path())
        .expect("export");
    std::fs::read(path).expect("read")
}

/// A demo desk obeys the billing rules: no budget of any case goes below zero (per activity and
/// year, and the child's yearly cap), and every invoice waiting for the check passes it, except
/// the few seeded faults, whose invoices say which line is wrong and why.
#[test]
fn a_demo_desk_keeps_the_billing_rules_except_its_seeded_faults_which_say_so() {
    use srt_core::demo::history::SEEDED_FAULT;
    for (n, seed) in [(60, 2026), (300, 2026), (300, 5)] {
        let dir = tempfile::tempdir().expect("tmp");
        let (mut desk, _) = new_desk(dir.path());
        desk.load_demo(n, seed).expect("demo");
        let conn = desk.store().connection();
        let case_ids: Vec<i64> = conn
            .prepare("SELECT id FROM srt_case ORDER BY id")
            .expect("sql")
            .query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("ids");
        let mut budgets = 0;
        for id in case_ids {
            let budget = srt_core::money::budget(conn, id).expect("budget");
            for y in &budget.years {
                for l in &y.lines {
                    budgets += 1;
                    assert!(
                        l.left_cents >= 0,
                        "{n} cases, seed {seed}: case {id}, {} {}: granted {}, used {}, committed {}",
                        y.year,
                        l.code,
                        l.granted_cents,
                        l.used_cents,
                        l.committed_cents
                    );
                }
                assert!(
                    y.cap_left_cents.is_none_or(|c| c >= 0),
                    "{n} cases: case {id}, {}: the yearly cap is exceeded",
                    y.year
                );
            }
        }
        assert!(budgets > n / 3, "the demo has budgets: {budgets}");
        let pending: Vec<(i64, String)> = conn
            .prepare("SELECT id, notes FROM invoice WHERE status = 'draft' ORDER BY id")
            .expect("sql")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("pending");
        assert!(
            !pending.is_empty(),
            "{n} cases: invoices wait for the check"
        );
        let (mut faults, mut clean) = (0, 0);
        for (id, notes) in &pending {
            let position_of: std::collections::HashMap<i64, i64> = conn
                .prepare("SELECT id, position FROM invoice_line WHERE invoice_id = ?1")
                .expect("sql")
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .expect("rows")
                .collect::<rusqlite::Result<_>>()
                .expect("lines");
            let positions: Vec<i64> = srt_core::money::check_lines(conn, *id)
                .expect("check")
                .into_iter()
                .filter(|v| v.verdict != "ok")
                .map(|v| position_of[&v.line_id])
                .collect();
            if positions.is_empty() {
                clean += 1;
                assert!(
                    !notes.contains(SEEDED_FAULT),
                    "an invoice that passes says no fault"
                );
                continue;
            }
            faults += 1;
            assert_eq!(positions.len(), 1, "one seeded fault per invoice: {notes}");
            assert!(
                notes.contains(SEEDED_FAULT) && notes.contains(&format!("real {}", positions[0])),
                "{n} cases, seed {seed}: invoice {id} fails line {positions:?} and its notes do not say so: {notes:?}"
            );
        }
        // What the report quotes (`--nocapture`).
        println!(
            "{n} cases, seed {seed}: {} pending invoices, {clean} pass the check, {faults} with a seeded fault; {budgets} budget lines, none negative",
            pending.len()
        );
        assert!(faults >= 1, "{n} cases: a fault to practise on");
        assert!(
            clean > faults,
            "{n} cases: most pending invoices pass ({clean} clean, {faults} faults)"
        );
    }
}
