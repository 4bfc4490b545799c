//! The app keeps one connection all day, so the statements of the screens a coordinator opens
//! again and again are parsed and planned once and then taken from the connection's statement
//! cache. Parsing them afresh each time was half of the case view's time (0.38 → 0.14 ms on the
//! 100 000-case desk): `schedule::facts` alone is a long statement.
//!
//! This test runs those paths once, then again for other rows with rusqlite's trace hook on, and
//! fails for each statement that was prepared anew — SQLite counts a statement's runs, and one
//! taken from the cache has run before. Timing stays in `srt-admin bench`.

mod common;

use std::sync::Mutex;

use common::*;
use rusqlite::trace::{TraceEvent, TraceEventCodes};
use rusqlite::{Connection, StatementStatus};
use srt_core::clock::Clock;

/// Statements seen for the first time while the hook was on.
static FRESH: Mutex<Vec<String>> = Mutex::new(Vec::new());
static TRACED: Mutex<usize> = Mutex::new(0);

fn record(event: TraceEvent<'_>) {
    if let TraceEvent::Stmt(stmt, sql) = event {
        // A trigger's statements are announced as "-- TRIGGER name" with their parent's handle.
        if sql.trim_start().starts_with("--") {
            return;
        }
        *TRACED.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        let text = stmt.sql().to_string();
        // Transaction control names no table and has nothing to plan.
        let control = [
            "BEGIN",
            "COMMIT",
            "ROLLBACK",
            "SAVEPOINT",
            "RELEASE",
            "PRAGMA",
        ]
        .iter()
        .any(|w| text.trim_start().to_uppercase().starts_with(w));
        if stmt.get_status(StatementStatus::Run) == 0 && !control {
            FRESH.lock().unwrap_or_else(|e| e.into_inner()).push(text);
        }
    }
}

/// What a coordinator's day repeats: the dashboard, lists and searches, a case with its
/// timeline and budget, an invoice check, a meeting opened and its notes saved.
fn daily_round(
    conn: &Connection,
    today: chrono::NaiveDate,
    case_id: i64,
    invoice_id: i64,
    meeting_id: i64,
    round: usize,
) {
    let now = clock().now();
    srt_core::store::in_read_transaction(conn, |c| {
        srt_core::overview::dashboard::dashboard(c, today)
    })
    .expect("dashboard");
    srt_core::store::in_read_transaction(conn, |c| {
        srt_core::cases::get(c, case_id, today)?;
        srt_core::desk::case_timeline(c, case_id)
    })
    .expect("case view");
    srt_core::money::budget(conn, case_id).expect("budget");
    srt_core::money::check_lines(conn, invoice_id).expect("invoice check");
    srt_core::cases::search::search(conn, if round == 0 { "mari" } else { "jaan" }, 50)
        .expect("search");
    // The same pages in both rounds: a page past the end, or past the cases with a deadline,
    // runs statements of its own.
    for (status, sort, text, offset) in [
        ("", "", "", 0),
        ("in_assessment", "", "", 0),
        ("", "deadline", "", 400),
        ("", "", "näidis", 0),
    ] {
        srt_core::cases::list(
            conn,
            &srt_core::cases::CaseFilter {
                status: status.into(),
                sort: sort.into(),
                text: text.into(),
                offset: Some(offset),
                ..Default::default()
            },
            today,
        )
        .expect("case list");
    }
    srt_core::meetings::get(conn, meeting_id, today, "Koordinaator").expect("meeting");
    let draft = srt_core::meetings::MeetingDraft {
        notes: format!("- ema räägib hommikutest ({round})\n"),
        notes_shared: true,
        ..Default::default()
    };
    let tx = conn.unchecked_transaction().expect("tx");
    srt_core::meetings::save_draft(&tx, meeting_id, &draft, now).expect("notes save");
    srt_core::store::audit::record(&tx, now, "test", "meeting.save_notes", "case", "0", "")
        .expect("audit");
    tx.commit().expect("commit");
}

#[test]
fn the_daily_screens_take_their_statements_from_the_cache_the_second_time() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    desk.load_demo_with_history(120, 4).expect("demo");
    let today = clock().now().date_naive();
    let conn = desk.store().connection();
    let pick = |sql: &str| -> Vec<i64> {
        conn.prepare(sql)
            .expect(sql)
            .query_map([], |r| r.get(0))
            .expect(sql)
            .collect::<rusqlite::Result<Vec<i64>>>()
            .expect(sql)
    };
    // Cases with meetings, decisions and invoices: the case view runs all of its statements.
    let cases = pick(
        "SELECT m.case_id FROM meeting m
         WHERE EXISTS (SELECT 1 FROM decision d WHERE d.case_id = m.case_id)
           AND EXISTS (SELECT 1 FROM invoice_line l WHERE l.case_id = m.case_id)
         GROUP BY m.case_id ORDER BY m.case_id LIMIT 2",
    );
    let invoices = pick("SELECT DISTINCT invoice_id FROM invoice_line ORDER BY invoice_id LIMIT 2");
    let meetings = pick("SELECT id FROM meeting ORDER BY id LIMIT 2");
    assert!(
        cases.len() == 2 && invoices.len() == 2 && meetings.len() == 2,
        "the demo has what the round needs: {cases:?} {invoices:?} {meetings:?}"
    );

    daily_round(conn, today, cases[0], invoices[0], meetings[0], 0);
    conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(record));
    daily_round(conn, today, cases[1], invoices[1], meetings[1], 1);
    conn.trace_v2(TraceEventCodes::empty(), None);

    let traced = *TRACED.lock().unwrap_or_else(|e| e.into_inner());
    assert!(traced >= 40, "the round ran its statements: {traced}");
    let fresh = FRESH.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert!(
        fresh.is_empty(),
        "{} statements were parsed again instead of taken from the cache:\n\n{}",
        fresh.len(),
        fresh
            .iter()
            .map(|s| s.trim().to_string())
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}
