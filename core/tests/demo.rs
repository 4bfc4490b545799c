//! The demo desk's history (decisions, providers, meetings, invoices, feedback) is deterministic,
//! consistent with the rules the desk enforces, and leaves a sound file.

mod common;

use common::*;
use rusqlite::Connection;

fn scalar(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).expect(sql)
}

/// `srt-admin demo` shows where a long load is: each step as it begins, the cases as they are
/// written.
/// Nothing in a demo has happened after today (the desk's clock: 2026-11-25): a month is invoiced
/// on the 5th of the next, so November has no invoice yet.
fn nothing_after_today(conn: &Connection, seed: u64, now: &str) {
    let stamped = |sql: &str| sql.replace("NOW", now);
    for (what, sql) in [
        // A case that came in today has taken its steps by the desk's clock's `now`.
        ("status changes", stamped("SELECT count(*) FROM case_status_change WHERE changed_at > 'NOW'")),
        ("cases", stamped("SELECT count(*) FROM srt_case WHERE created_at > 'NOW'")),
        ("documents' records", stamped("SELECT count(*) FROM document WHERE created_at > 'NOW'")),
        ("decisions' records", stamped("SELECT count(*) FROM decision WHERE created_at > 'NOW'")),
        ("documents", "SELECT count(*) FROM document WHERE doc_date > '2026-11-25'".to_string()),
        ("decisions", "SELECT count(*) FROM decision WHERE decision_date > '2026-11-25' OR delivered_on > '2026-11-25'".to_string()),
        ("invoices", "SELECT count(*) FROM invoice WHERE invoice_date > '2026-11-25' OR period_to >= '2026-11-25'".to_string()),
        ("invoice lines", "SELECT count(*) FROM invoice_line WHERE service_date > '2026-11-25'".to_string()),
        ("feedback", "SELECT count(*) FROM feedback_response WHERE answered_on > '2026-11-25'".to_string()),
        ("contacts", "SELECT count(*) FROM contact_log WHERE contact_date > '2026-11-25'".to_string()),
        ("tasks done", "SELECT count(*) FROM task WHERE done_on > '2026-11-25'".to_string()),
        ("proposals", "SELECT count(*) FROM proposal WHERE sent_on > '2026-11-25' OR outcome_on > '2026-11-25'".to_string()),
    ] {
        assert_eq!(scalar(conn, &sql), 0, "seed {seed}: demo {what} dated after today");
    }
}

#[test]
fn a_demo_load_reports_its_steps_in_order_and_the_cases_as_they_are_written() {
    use srt_core::demo::{cases_report_step, DemoStep};
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(&dir.path().join("d"));
    let mut seen = Vec::new();
    let (n, _) = desk
        .load_demo_reporting(250, 3, &mut |step| seen.push(step))
        .expect("demo");
    assert_eq!(n, 250);
    assert_eq!(
        cases_report_step(250),
        100,
        "small loads report every 100 cases"
    );
    let cases = |done| DemoStep::Cases { done, total: 250 };
    assert_eq!(
        seen,
        [
            cases(0),
            cases(100),
            cases(200),
            cases(250),
            DemoStep::History,
            DemoStep::KeptRows,
            DemoStep::Writing,
        ]
    );
    assert_eq!(
        seen.iter().map(DemoStep::number).collect::<Vec<_>>(),
        [1, 1, 1, 1, 2, 3, 4]
    );
    // A decade: twenty reports of the cases, 5 000 apart.
    assert_eq!(cases_report_step(100_000), 5_000);
    // A load refused (the desk is no longer empty) reports nothing.
    let mut after = Vec::new();
    desk.load_demo_reporting(10, 3, &mut |step| after.push(step))
        .expect_err("not empty");
    assert!(after.is_empty(), "{after:?}");
}

#[test]
fn the_demo_history_is_deterministic_and_keeps_the_rules() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut a, _) = new_desk(&dir.path().join("a"));
    let (mut b, _) = new_desk(&dir.path().join("b"));
    let (na, ha) = a.load_demo_with_history(400, 9).expect("demo a");
    let (nb, hb) = b.load_demo_with_history(400, 9).expect("demo b");
    assert_eq!((na, &ha), (nb, &hb), "same seed, same history");
    for (what, n) in [
        ("providers", ha.providers),
        ("assessments", ha.assessments),
        ("decisions", ha.decisions),
        ("meetings", ha.meetings),
        ("invoices", ha.invoices),
        ("invoice lines", ha.invoice_lines),
        ("feedback", ha.feedback),
        ("partners", ha.partners),
        ("contacts", ha.contacts),
        ("tasks", ha.tasks),
        ("proposals", ha.proposals),
    ] {
        assert!(n > 0, "the demo has {what}: {ha:?}");
    }
    assert!(ha.documents > na, "more than one document per case: {ha:?}");

    let conn = a.store().connection();
    // Money reconciles: an invoice's totals are the sums of its lines; a line is units x price.
    assert_eq!(
        scalar(
            conn,
            "SELECT count(*) FROM invoice i WHERE total_cents <>
               (SELECT sum(amount_cents) FROM invoice_line l WHERE l.invoice_id = i.id)
             OR accepted_cents <> (SELECT sum(accepted_cents) FROM invoice_line l WHERE l.invoice_id = i.id)"
        ),
        0
    );
    assert_eq!(
        scalar(
            conn,
            "SELECT count(*) FROM invoice_line WHERE amount_cents * 1000 <> quantity_milli * unit_price_cents"
        ),
        0,
        "every demo line is exact to the cent"
    );
    // Lines lie within the validity of the decision they name, on the case they belong to.
    assert_eq!(
        scalar(
            conn,
            "SELECT count(*) FROM invoice_line l JOIN decision d ON d.number = l.decision_number
             WHERE d.case_id <> l.case_id OR l.service_date < d.valid_from OR l.service_date > d.valid_to"
        ),
        0
    );
    assert_eq!(
        scalar(
            conn,
            "SELECT count(*) FROM invoice_line l
             WHERE NOT EXISTS (SELECT 1 FROM decision d WHERE d.number = l.decision_number)"
        ),
        0
    );
    // The annex of a referral stays within the yearly cost limit in every calendar year.
    let over_cap = scalar(
        conn,
        "SELECT count(*) FROM (
           SELECT d.id, json_extract(a.value, '$.year') AS y, sum(json_extract(a.value, '$.cents')) AS c
           FROM decision d, json_each(d.annex) l, json_each(l.value, '$.amounts') a
           WHERE d.kind = 'referral' GROUP BY d.id, y)
         WHERE c > (SELECT amount_cents FROM yearly_cap WHERE valid_to IS NULL)",
    );
    assert_eq!(over_cap, 0, "no annex year above the cap");
    // Decision numbers are unique and the sequence continues after them.
    let last = scalar(conn, "SELECT last_value FROM decision_sequence");
    assert_eq!(last, ha.decisions as i64);
    // Every new document can be found through the search index.
    assert_eq!(
        scalar(
            conn,
            "SELECT count(*) FROM document d
             WHERE NOT EXISTS (SELECT 1 FROM global_search s WHERE s.rowid = d.id * 4 + 2)"
        ),
        0
    );
    nothing_after_today(conn, 9, "2026-11-25T10:00:00Z");
    // October's invoices wait for the coordinator's check; older ones are checked.
    assert!(
        scalar(
            conn,
            "SELECT count(*) FROM invoice WHERE status = 'draft' AND period_from = '2026-10-01'"
        ) > 0,
        "October's invoices wait for the coordinator's check"
    );
    assert_eq!(
        scalar(
            conn,
            "SELECT count(*) FROM invoice WHERE status = 'draft' AND period_from < '2026-10-01'"
        ),
        0,
        "older invoices are checked"
    );
    // The coordinator's own work shows on her dashboard: open tasks with a due date, one of them
    // overdue, and a partner's reminder.
    let dashboard = a.dashboard().expect("dashboard");
    let text = format!("{dashboard:?}");
    for wanted in [
        "Koosta kvartali ülevaade",
        "Vaata üle teenuseosutaja vabad kohad",
    ] {
        assert!(
            text.contains(wanted),
            "the dashboard shows the task {wanted}"
        );
    }
    assert!(
        !text.contains("Uuenda KOV lastekaitsetöötajate kontaktid"),
        "a done task is off the dashboard"
    );
    // Every feedback response has its five answers.
    assert_eq!(
        scalar(conn, "SELECT count(*) FROM feedback_answer"),
        5 * ha.feedback as i64
    );
    assert!(
        a.check().expect("check").all_ok(),
        "integrity and audit chain"
    );
}

#[test]
fn retention_deletes_demo_cases_with_their_whole_history() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let (_, h) = desk.load_demo_with_history(400, 3).expect("demo");
    assert!(
        h.invoice_lines > 0 && h.feedback > 0 && h.meetings > 0,
        "{h:?}"
    );
    desk.retention_set_years(1).expect("years");
    let due = desk.retention_list().expect("list");
    assert!(!due.cases.is_empty(), "old closed demo cases are due");
    let ids: Vec<i64> = due.cases.iter().map(|c| c.case_id).collect();
    desk.retention_delete(&ids)
        .expect("deleted with decisions, invoices, feedback");
    let conn = desk.store().connection();
    // Every table with a `case_id` column: a part that forgets its own table fails here.
    let tables: Vec<String> = conn
        .prepare(
            "SELECT m.name FROM sqlite_master m
             WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%'
               AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = 'case_id')",
        )
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("names");
    assert!(tables.len() >= 19, "{tables:?}");
    for table in &tables {
        let left: i64 = conn
            .query_row(
                &format!(
                    "SELECT count(*) FROM {table} WHERE case_id IN (SELECT value FROM json_each(?1))"
                ),
                [serde_json::to_string(&ids).expect("json")],
                |r| r.get(0),
            )
            .expect(table);
        assert_eq!(left, 0, "{table} rows of deleted cases");
    }
    assert!(desk.check().expect("check").all_ok());
}

/// Long work can be cancelled from another thread: the running statement stops with a clear
/// "cancelled" error, nothing is written, and the desk answers again at once.
#[test]
fn long_work_is_cancelled_from_another_thread_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    desk.load_demo(20, 5).expect("demo");
    let before = desk.case_counts().expect("counts").total;
    let cancel = desk.work_cancel();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(200));
        cancel.cancel();
    });
    // Endless work inside a write transaction, as a long import or export would be.
    let conn = desk.store().connection();
    let tx = conn.unchecked_transaction().expect("tx");
    tx.execute("DELETE FROM feedback_answer", [])
        .expect("a write");
    let err: srt_core::Error = tx
        .query_row(
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n",
            [],
            |r| r.get::<_, i64>(0),
        )
        .expect_err("cancelled")
        .into();
    drop(tx);
    canceller.join().expect("thread");
    assert_eq!(err.code(), "work.cancelled");
    assert!(
        err.message().et.contains("katkestati"),
        "{}",
        err.message().et
    );
    assert_eq!(desk.case_counts().expect("answers again").total, before);
    let answers: i64 = desk
        .store()
        .connection()
        .query_row("SELECT count(*) FROM feedback_answer", [], |r| r.get(0))
        .expect("count");
    assert!(answers > 0, "the half-done write was rolled back");
}

/// `srt-admin bench` on a small demo desk: every figure is measured, the queries on both the
/// encrypted desk and its plain copy with the same number of runs, and the coordinator's file is
/// left as it was (the writing figures run on copies). Timing itself is not judged here.
#[test]
fn the_benchmark_measures_every_figure_and_leaves_the_desk_alone() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    desk.load_demo_with_history(120, 3).expect("demo");
    let counts = desk.case_counts().expect("counts").total;
    let audit_rows = scalar(desk.store().connection(), "SELECT count(*) FROM audit_log");
    drop(desk);

    let mut figures = Vec::new();
    srt_core::bench::run(
        &path,
        &srt_core::MemoryKeyStore::default(),
        Some(PASS),
        srt_core::bench::Repeat {
            runs: 3,
            min_time: std::time::Duration::ZERO,
        },
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date"),
        None,
        &mut |f| figures.push(f.clone()),
    )
    .expect("bench runs");
    let names: Vec<&str> = figures.iter().map(|f| f.name.as_str()).collect();
    for wanted in [
        "key from passphrase",
        "open as the app: key from passphrase + query",
        "open (raw key) + first query",
        "search by name (50 rows)",
        "search everything (FTS5, free text)",
        "case list page (50, newest first)",
        "case list page (50, by next deadline)",
        "dashboard",
        "case view with timeline",
        "case view, one of 150 opened before",
        "statistics, one year",
        "statistics, all years",
        "invoice check (1 000 lines)",
        "full backup (incl. Argon2id)",
        "meeting notes save (fsync)",
        "meeting page load",
    ] {
        assert!(names.contains(&wanted), "{wanted} missing from {names:?}");
    }
    for f in &figures {
        assert!(f.encrypted.median_ms > 0.0, "{} was timed", f.name);
        assert!(f.encrypted.p95_ms >= f.encrypted.median_ms, "{}", f.name);
        if let Some(p) = f.plain {
            assert_eq!(p.runs, f.encrypted.runs, "{}: as many plain runs", f.name);
            assert!(p.median_ms > 0.0, "{}", f.name);
            assert!(f.line().contains("ratio"), "{}", f.line());
        }
    }
    let with_plain = figures.iter().filter(|f| f.plain.is_some()).count();
    assert!(
        with_plain >= 10,
        "the queries are compared with the plain copy: {names:?}"
    );

    // With a time to fill, a fast figure runs more than the runs asked for, as many on each side.
    let mut timed = Vec::new();
    srt_core::bench::run(
        &path,
        &srt_core::MemoryKeyStore::default(),
        Some(PASS),
        srt_core::bench::Repeat {
            runs: 3,
            min_time: std::time::Duration::from_millis(30),
        },
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date"),
        Some("case view"),
        &mut |f| timed.push(f.clone()),
    )
    .expect("bench runs");
    let view = timed
        .iter()
        .find(|f| f.name == "case view with timeline")
        .expect("case view timed");
    let plain = view.plain.expect("compared");
    assert!(view.encrypted.runs > 3, "{}", view.line());
    assert_eq!(plain.runs, view.encrypted.runs);
    assert!(view.line().ends_with(&format!("runs {}", plain.runs)));

    let desk = open_desk(&path);
    assert_eq!(desk.case_counts().expect("counts").total, counts);
    assert_eq!(
        scalar(
            desk.store().connection(),
            "SELECT count(*) FROM invoice WHERE number = 'BENCH-1000'"
        ),
        0,
        "the invoice of the check was made on a copy"
    );
    assert_eq!(
        scalar(desk.store().connection(), "SELECT count(*) FROM audit_log"),
        audit_rows + 1,
        "only this test's own opening was logged"
    );
    assert!(
        desk.check().expect("check").all_ok(),
        "file, pages and audit chain sound"
    );
}

/// The search rows of both full-text indexes, in rowid order.
fn search_rows(conn: &Connection) -> Vec<(String, i64, String)> {
    let mut stmt = conn
        .prepare(
            "SELECT 'global', rowid, kind || '|' || case_id || '|' || ref_id || '|' || title || '|' || body
               FROM global_search
             UNION ALL SELECT 'case', rowid, body FROM case_search
             ORDER BY 1, 2",
        )
        .expect("rows");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("read")
}

#[test]
fn the_demo_is_indexed_for_search_as_each_record_would_be_and_has_every_case_asked_for() {
    // The demo indexes what it added in one pass at its end; the app indexes each case and
    // document as it is written. Both must give the same rows.
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let n = desk.load_demo(300, 4).expect("demo");
    let conn = desk.store().connection();
    assert_eq!(n, 300);
    assert_eq!(scalar(conn, "SELECT count(*) FROM srt_case"), 300);
    // Registered as applications come: row ids and each year's case numbers follow the dates.
    assert_eq!(
        scalar(
            conn,
            "SELECT count(*) FROM srt_case a JOIN srt_case b ON b.id > a.id
             WHERE b.application_date < a.application_date
                OR (substr(b.case_no, 5, 4) = substr(a.case_no, 5, 4) AND b.case_no < a.case_no)"
        ),
        0
    );
    for fts in ["global_search", "case_search"] {
        conn.execute_batch(&format!(
            "INSERT INTO {fts}({fts}) VALUES ('integrity-check')"
        ))
        .unwrap_or_else(|e| panic!("{fts} consistent: {e}"));
    }
    let bulk = search_rows(conn);
    for (kind, table) in [
        ("case", "srt_case"),
        ("guardian", "guardian"),
        ("document", "document"),
    ] {
        assert_eq!(
            scalar(
                conn,
                &format!("SELECT count(*) FROM global_search WHERE kind = '{kind}'")
            ),
            scalar(conn, &format!("SELECT count(*) FROM {table}")),
            "every {kind} is in the search"
        );
    }
    assert_eq!(scalar(conn, "SELECT count(*) FROM case_search"), 300);
    let ids = |sql: &str| -> Vec<i64> {
        let mut stmt = conn.prepare(sql).expect("ids");
        stmt.query_map([], |r| r.get(0))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("read")
    };
    for id in ids("SELECT id FROM srt_case") {
        srt_core::cases::search::index_case(conn, id).expect("index case");
        srt_core::cases::refresh_search(conn, id).expect("index case list");
    }
    for id in ids("SELECT id FROM document") {
        srt_core::cases::search::index_document(conn, id).expect("index document");
    }
    assert_eq!(search_rows(conn), bulk, "the same rows, record by record");
}

/// However the draw falls (several seeds; among them cases that came in today and went on to the
/// assessment), nothing in a demo happens after the day it is made.
#[test]
fn no_demo_is_dated_after_its_day() {
    let mut came_in_today = 0;
    for seed in [1, 2, 3] {
        let dir = tempfile::tempdir().expect("tmp");
        // Early in the day (08:00 in Tallinn): before the hours a demo's day is drawn at.
        let early = chrono::DateTime::parse_from_rfc3339("2026-11-25T06:00:00Z")
            .expect("time")
            .to_utc();
        let (desk, _) = new_desk(dir.path());
        let mut desk = desk.with_clock(std::sync::Arc::new(srt_core::clock::FixedClock(early)));
        desk.load_demo(1_500, seed).expect("demo");
        let conn = desk.store().connection();
        came_in_today += scalar(
            conn,
            "SELECT count(*) FROM srt_case WHERE application_date = '2026-11-25' AND status <> 'received'",
        );
        nothing_after_today(conn, seed, "2026-11-25T06:00:00Z");
    }
    assert!(
        came_in_today > 0,
        "the draw has cases that came in today and moved on"
    );
}

/// The app's demo load is long work like any other: the desk's progress follows it (the cases
/// as they are written, then the steps after them) and "Katkesta" from another thread rolls the
/// whole load back — also when it falls between two of the load's many short statements, where
/// SQLite's interrupt alone was lost one time in three; the empty desk takes a demo afterwards.
#[test]
fn the_apps_demo_load_shows_how_far_it_is_and_can_be_cancelled() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    // As the app runs each user action.
    desk.watch_cancel(true).expect("watch");
    let progress = desk.work_progress();
    let cancel = desk.work_cancel();
    let watcher = std::thread::spawn(move || {
        let mut seen = Vec::new();
        let started = std::time::Instant::now();
        while started.elapsed() < std::time::Duration::from_secs(60) {
            let now = progress.get();
            if seen.last() != Some(&now) {
                seen.push(now);
            }
            if now.0 >= 600 {
                cancel.cancel();
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        seen
    });
    let err = desk.load_demo(3_000, 4).expect_err("cancelled");
    let seen = watcher.join().expect("watcher");
    assert_eq!(err.code(), "work.cancelled", "{err:?}");
    assert!(
        seen.iter()
            .any(|(done, total)| *done > 0 && *total == 3_003),
        "the cases written are counted against the whole load: {seen:?}"
    );
    assert!(
        seen.windows(2).all(|w| w[0].0 <= w[1].0 || w[1] == (0, 0)),
        "the bar only moves forward: {seen:?}"
    );
    // The next action starts with the flag lowered.
    desk.work_progress().reset();
    assert_eq!(
        desk.case_counts().expect("counts").total,
        0,
        "nothing of it stays"
    );
    assert_eq!(desk.load_demo(60, 4).expect("a demo afterwards"), 60);
    assert_eq!(
        desk.work_progress().get(),
        (62, 63),
        "its last step: the write"
    );
}
