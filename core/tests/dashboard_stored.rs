//! The dashboard reads each case's deadlines from a stored table that triggers mark out of date
//! and the dashboard brings up to date (migration 013). Whatever changes — a case's status, a
//! decision, the request for missing documents, a deadline rule, the day itself — it shows
//! exactly what computing every open case's deadlines from its facts shows.

mod common;

use chrono::{Duration, NaiveDate};
use common::*;
use rusqlite::Connection;
use srt_core::clock::Clock;
use srt_core::deadlines::schedule::refresh_deadlines;
use srt_core::overview::dashboard::{dashboard, dashboard_live};

fn same_on(conn: &Connection, day: NaiveDate, what: &str) {
    let stored = serde_json::to_value(dashboard(conn, day).expect("dashboard")).expect("json");
    let live = serde_json::to_value(dashboard_live(conn, day).expect("live")).expect("json");
    assert_eq!(stored, live, "{what}, on {day}");
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).expect(sql)
}

#[test]
fn the_stored_deadlines_follow_every_change_and_every_day() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    desk.load_demo_with_history(300, 11).expect("demo");
    let today = clock().now().date_naive();
    let conn = desk.store().connection();

    // The demo stored its cases' deadlines as it made them: nothing is left to do.
    assert_eq!(refresh_deadlines(conn).expect("refresh"), 0);
    assert!(count(conn, "SELECT count(*) FROM case_deadline") > 0);
    let shown = dashboard(conn, today).expect("dashboard");
    assert!(
        shown.groups.iter().map(|g| g.items.len()).sum::<usize>() > 5,
        "the demo has deadlines to show"
    );
    for days in [-40, -7, 0, 1, 12, 31, 75] {
        same_on(conn, today + Duration::days(days), "after the demo");
    }

    // A case moves on: its deadlines leave (in service) or change (decided).
    let assessing: i64 = count(
        conn,
        "SELECT id FROM srt_case WHERE status = 'in_assessment' ORDER BY id LIMIT 1",
    );
    conn.execute(
        "UPDATE srt_case SET status = 'in_service' WHERE id = ?1",
        [assessing],
    )
    .expect("status");
    same_on(conn, today, "a case went into service");

    // A request for missing documents is answered (done), and a new one is sent.
    let incomplete: i64 = count(
        conn,
        "SELECT id FROM srt_case WHERE status IN ('received', 'in_assessment') ORDER BY id DESC LIMIT 1",
    );
    conn.execute(
        "UPDATE srt_case SET status = 'incomplete' WHERE id = ?1",
        [incomplete],
    )
    .expect("incomplete");
    conn.execute(
        "INSERT INTO document (case_id, direction, doc_type, title, doc_date, due_date, status,
            reg_no, created_at, updated_at)
         VALUES (?1, 'out', 'missing_request', 'Puuduvad dokumendid', ?2, ?3, 'open', 'T-1', ?2, ?2)",
        rusqlite::params![
            incomplete,
            today.to_string(),
            (today + Duration::days(14)).to_string()
        ],
    )
    .expect("request");
    same_on(conn, today, "documents were asked for");
    conn.execute(
        "UPDATE document SET due_date = ?2 WHERE case_id = ?1 AND doc_type = 'missing_request'",
        rusqlite::params![incomplete, (today + Duration::days(3)).to_string()],
    )
    .expect("new due date");
    same_on(
        conn,
        today + Duration::days(1),
        "the request's due date moved",
    );

    // A decision is delivered later than recorded, and another one is deleted.
    let decided: i64 = count(
        conn,
        "SELECT case_id FROM decision WHERE status = 'sent' AND kind = 'referral'
         AND case_id IN (SELECT id FROM srt_case WHERE status = 'decided') ORDER BY id LIMIT 1",
    );
    conn.execute(
        "UPDATE decision SET delivered_on = ?2 WHERE case_id = ?1 AND status = 'sent'",
        rusqlite::params![decided, (today - Duration::days(2)).to_string()],
    )
    .expect("delivered");
    same_on(conn, today, "a decision's delivery moved");

    // A child's name is corrected: the dashboard's row says the new one.
    conn.execute(
        "UPDATE child SET last_name = 'Parandatud' WHERE id =
           (SELECT child_id FROM srt_case WHERE id = (SELECT case_id FROM case_deadline LIMIT 1))",
        [],
    )
    .expect("rename");
    same_on(conn, today, "a child's name was corrected");

    // The rules change: every open case's deadlines move.
    conn.execute(
        "UPDATE deadline_rule SET count = count + 5 WHERE code = 'decision_due'",
        [],
    )
    .expect("rule");
    assert!(
        count(conn, "SELECT count(*) FROM case_deadline_dirty") > 0,
        "a rule change marks the open cases"
    );
    for days in [0, 9, 20] {
        same_on(conn, today + Duration::days(days), "after a rule change");
    }

    // A case is deleted (retention): its stored deadlines go with it.
    let gone: i64 = count(
        conn,
        "SELECT case_id FROM case_deadline ORDER BY case_id LIMIT 1",
    );
    conn.execute("DELETE FROM srt_case WHERE id = ?1", [gone])
        .expect("delete");
    assert_eq!(
        count(
            conn,
            &format!("SELECT count(*) FROM case_deadline WHERE case_id = {gone}")
        ),
        0
    );
    same_on(conn, today, "a case was deleted");
}
