//! The screens a coordinator opens all day (dashboard, case list, case view, budget, invoice
//! check, global search) ask SQLite by the right index. SQLite has no statistics tables here
//! (nobody runs ANALYZE on a laptop), so its planner guesses — and a new index can turn a lookup
//! of one case into a walk of the whole desk without any test noticing until the data is large
//! (seen twice: the dashboard at 2 s and the invoice check at minutes with 100 000 cases).
//!
//! This test records every statement those paths run on a real encrypted desk (rusqlite's trace
//! hook), asks SQLite for each statement's plan, and fails when a plan walks a large table or
//! reaches for an index made for the statistics. Timing stays in `srt-admin bench`; this checks
//! the shape of the work, which does not depend on how busy the machine is.

mod common;

use std::sync::Mutex;

use common::*;
use rusqlite::trace::{TraceEvent, TraceEventCodes};
use rusqlite::Connection;
use srt_core::clock::Clock;

static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn record(event: TraceEvent<'_>) {
    if let TraceEvent::Stmt(stmt, _) = event {
        let sql = stmt.sql().to_string();
        let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
        if !seen.contains(&sql) {
            seen.push(sql);
        }
    }
}

/// Tables that grow with every case: walking one of them is the desk's size, not the screen's.
const LARGE: [&str; 12] = [
    "srt_case",
    "child",
    "guardian",
    "decision",
    "document",
    "case_status_change",
    "assessment_activity",
    "provider_choice",
    "invoice_line",
    "meeting",
    "feedback_response",
    "audit_log",
];

/// Indexes made for the statistics' scans (migration 012); a per-case question must not use them.
const STATISTICS_INDEXES: [&str; 6] = [
    "srt_case_stats",
    "child_municipality",
    "case_status_change_closed",
    "decision_stats",
    "invoice_line_money",
    "decision_grant",
];

/// Walks that are bounded or measured, with the reason.
const ALLOWED_WALKS: [(&str, &str); 4] = [
    // A partial index of the few choices still without a registration.
    ("provider_choice_unregistered", "partial index"),
    // The case list's page: the newest first in index order, stopped by LIMIT/OFFSET.
    ("srt_case_application_date", "ordered page with LIMIT"),
    // The case list's total and the counts by status: a walk of the narrow status index
    // (4 ms at 100 000 cases in `srt-admin bench`, "case counts by status").
    ("srt_case_status", "covering count"),
    // The whole list's total without a condition: SQLite counts its smallest index page by
    // page (1 ms at 100 000 cases, against 5 ms row by row).
    ("srt_case_child", "count without a condition"),
];

/// SQLite's plan of `sql`, one line a step (none for what cannot be prepared here).
fn plan(conn: &Connection, sql: &str) -> Vec<String> {
    let Ok(mut stmt) = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")) else {
        return Vec::new();
    };
    // Parameters unbound are NULL: the plan does not depend on their values.
    let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
    stmt.query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))
        .expect("plan")
        .collect::<rusqlite::Result<_>>()
        .expect("plan rows")
}

/// The plan lines of `sql` that walk a large table or use a statistics index.
fn bad_plan_lines(conn: &Connection, sql: &str) -> Vec<String> {
    // Aliases: "FROM decision x", "JOIN srt_case c" — the plan names the alias.
    let words: Vec<String> = sql
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let mut large_names: Vec<String> = LARGE.iter().map(|t| t.to_string()).collect();
    for pair in words.windows(2) {
        if LARGE.contains(&pair[0].as_str()) {
            let alias = pair[1].to_lowercase();
            if ![
                "on", "where", "join", "left", "group", "order", "limit", "as", "indexed", "set",
                "using", "natural", "inner", "cross", "union", "values",
            ]
            .contains(&alias.as_str())
            {
                large_names.push(pair[1].clone());
            }
        }
    }
    plan(conn, sql)
        .into_iter()
        .filter(|line| {
            let scans_large = line
                .strip_prefix("SCAN ")
                .and_then(|rest| rest.split_whitespace().next())
                .is_some_and(|name| large_names.iter().any(|n| n == name))
                && !ALLOWED_WALKS
                    .iter()
                    .any(|(ix, _)| line.split_whitespace().any(|w| w == *ix));
            let uses_statistics_index = STATISTICS_INDEXES
                .iter()
                .any(|ix| line.split_whitespace().any(|w| w == *ix));
            scans_large || uses_statistics_index
        })
        .collect()
}

#[test]
fn the_daily_screens_ask_by_index_and_never_walk_the_desk() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    desk.load_demo_with_history(300, 4).expect("demo");
    let today = clock().now().date_naive();
    let conn = desk.store().connection();
    let case_id: i64 = conn
        .query_row(
            "SELECT case_id FROM invoice_line GROUP BY case_id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("a case with invoices");
    let invoice_id: i64 = conn
        .query_row(
            "SELECT invoice_id FROM invoice_line GROUP BY invoice_id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("an invoice");

    // A few cases changed since the dashboard was last shown: it computes theirs again.
    conn.execute(
        "UPDATE srt_case SET complete_on = complete_on WHERE id IN
           (SELECT id FROM srt_case WHERE status <> 'closed' LIMIT 5)",
        [],
    )
    .expect("touch");
    conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(record));
    srt_core::overview::dashboard::dashboard(conn, today).expect("dashboard");
    srt_core::cases::get(conn, case_id, today).expect("case view");
    srt_core::desk::case_timeline(conn, case_id).expect("timeline");
    srt_core::money::budget(conn, case_id).expect("budget");
    srt_core::money::check_lines(conn, invoice_id).expect("invoice check");
    srt_core::cases::search::search(conn, "mari", 50).expect("search");
    // Ootel: its waiting cases once came from a walk over every case (84 ms at 100 000).
    let catalog = srt_core::providers::Catalog::load(conn).expect("catalog");
    srt_core::providers::referrals::waiting(conn, &catalog, today, &Default::default())
        .expect("waiting");
    for (status, sort) in [
        ("", ""),
        ("in_assessment", ""),
        ("", "deadline"),
        ("decided", "deadline"),
    ] {
        srt_core::cases::list(
            conn,
            &srt_core::cases::CaseFilter {
                status: status.into(),
                sort: sort.into(),
                // Past the cases with a deadline: the rest of the list is read too.
                offset: Some(if sort.is_empty() { 0 } else { 400 }),
                ..Default::default()
            },
            today,
        )
        .expect("case list");
    }
    // The audit log's viewer with each filter (the whole log's count and newest page are a
    // walk of an index stopped by LIMIT, allowed below).
    for filter in [
        srt_core::store::audit::AuditFilter {
            case_id: Some(case_id),
            ..Default::default()
        },
        srt_core::store::audit::AuditFilter {
            day: today.to_string(),
            ..Default::default()
        },
        srt_core::store::audit::AuditFilter {
            action: "case.read".into(),
            ..Default::default()
        },
    ] {
        srt_core::store::audit::list(conn, &filter).expect("audit log");
    }
    conn.trace_v2(TraceEventCodes::empty(), None);

    let seen = SEEN.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert!(
        seen.len() >= 10,
        "the paths ran their statements: {}",
        seen.len()
    );
    let mut bad = Vec::new();
    for sql in seen
        .iter()
        .filter(|s| !s.trim_start().starts_with("--") && !s.trim_start().starts_with("PRAGMA"))
    {
        let lines = bad_plan_lines(conn, sql);
        if !lines.is_empty() {
            bad.push(format!("{}\n  -> {}", sql.trim(), lines.join("\n  -> ")));
        }
    }
    assert!(
        bad.is_empty(),
        "{} statements walk the desk or use a statistics index:\n\n{}",
        bad.len(),
        bad.join("\n\n")
    );
}

/// Tables whose rows the case view reads through their by-case index (migration 018).
const CASE_VIEW_COVERED: [&str; 7] = [
    "case_status_change",
    "decision",
    "document",
    "guardian",
    "meeting",
    "meeting_participant",
    "meeting_action",
];

/// Opening a case reads each of these tables from its by-case index alone: the index carries the
/// columns shown, so no page of the table itself is read (on an encrypted desk each page read
/// from disk is decrypted and authenticated; ~13 → ~10 such pages a case at 100 000 cases). A
/// column added to one of these statements and not to its index turns this red.
#[test]
fn the_case_view_reads_its_rows_from_the_by_case_indexes_alone() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    desk.load_demo_with_history(120, 4).expect("demo");
    let today = clock().now().date_naive();
    let conn = desk.store().connection();
    let case_id: i64 = conn
        .query_row(
            "SELECT m.case_id FROM meeting m JOIN decision d ON d.case_id = m.case_id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("a case with meetings and decisions");
    static CASE_VIEW: Mutex<Vec<String>> = Mutex::new(Vec::new());
    fn keep(event: TraceEvent<'_>) {
        if let TraceEvent::Stmt(stmt, _) = event {
            let mut seen = CASE_VIEW.lock().unwrap_or_else(|e| e.into_inner());
            let sql = stmt.sql().to_string();
            if !seen.contains(&sql) {
                seen.push(sql);
            }
        }
    }
    conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(keep));
    srt_core::store::in_read_transaction(conn, |c| {
        srt_core::cases::get(c, case_id, today)?;
        srt_core::desk::case_timeline(c, case_id)
    })
    .expect("case view");
    conn.trace_v2(TraceEventCodes::empty(), None);
    let seen = CASE_VIEW.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let mut reads = 0;
    let mut from_table = Vec::new();
    for sql in seen.iter().filter(|s| s.to_uppercase().contains("SELECT")) {
        let lines = plan(conn, sql);
        for line in lines {
            let Some(rest) = line.strip_prefix("SEARCH ") else {
                continue;
            };
            let table = rest.split_whitespace().next().unwrap_or_default();
            // The plan names the alias: "decision x", "meeting m".
            let covered_table = CASE_VIEW_COVERED.iter().any(|t| {
                *t == table
                    || sql.contains(&format!("{t} {table} "))
                    || sql.contains(&format!("{t} {table}\n"))
            });
            if covered_table {
                reads += 1;
                if !line.contains("COVERING INDEX") {
                    from_table.push(format!("{}\n  -> {line}", sql.trim()));
                }
            }
        }
    }
    assert!(
        reads >= 8,
        "the case view read these tables: {reads} searches"
    );
    assert!(
        from_table.is_empty(),
        "{} searches read the table, not only the index:\n\n{}",
        from_table.len(),
        from_table.join("\n\n")
    );
}
