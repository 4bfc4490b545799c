//! The dashboard in one call (issue 30): `dashboard_view` answers with what the page's commands
//! (`case_counts`, `dashboard`, `team_conflicts`) answered — of the rows, the ones the page draws
//! and the counts of all — on a real encrypted file.

mod common;

use common::*;
use serde_json::{json, to_value};

#[test]
fn the_dashboard_view_is_what_the_pages_two_commands_answered() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _path) = new_desk(dir.path());
    for code in ["51405160015", "61303150029"] {
        desk.register_application(&application(code))
            .expect("register");
    }

    let one = to_value(desk.dashboard_view().expect("dashboard view")).expect("json");
    // Two cases: every row is given, with the counts by kind the window reads.
    let mut dashboard = to_value(desk.dashboard().expect("dashboard")).expect("json");
    dashboard["page"] = one["dashboard"]["page"].clone();
    assert!(one["dashboard"]["page"]["byKind"].is_object(), "{one}");
    let each = json!({
        "counts": to_value(desk.case_counts().expect("counts")).expect("json"),
        "dashboard": dashboard,
        "conflicts": to_value(desk.team_conflicts().expect("conflicts")).expect("json"),
        "coordinators": to_value(desk.team_coordinators().expect("coordinators")).expect("json"),
    });
    assert_eq!(
        one, each,
        "the dashboard drawn from one call shows what it showed from two"
    );
    assert_eq!(one["counts"]["total"], 2, "both cases are counted");
    let rows: usize = one["dashboard"]["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["items"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(
        rows >= 2,
        "each new application has a deadline on the dashboard: {one}"
    );
}

/// A synthetic boy's code born 16.05.2014 with serial `n` and a valid check digit.
fn synthetic_code(n: u32) -> String {
    let first = format!("5140516{n:03}");
    let digits: Vec<u32> = first.chars().filter_map(|c| c.to_digit(10)).collect();
    let ten: [u32; 10] = digits.try_into().expect("ten digits");
    format!("{first}{}", srt_core::cases::ids::check_digit(&ten))
}

/// The rows of a dashboard's JSON by kind, each as the list of its rows (in order).
fn rows_by_kind(dash: &serde_json::Value) -> Vec<(String, Vec<serde_json::Value>)> {
    let mut out: Vec<(String, Vec<serde_json::Value>)> = dash["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            (
                g["kind"].as_str().expect("kind").to_string(),
                g["items"].as_array().expect("items").clone(),
            )
        })
        .collect();
    out.push((
        "meeting_action".into(),
        dash["actions"].as_array().expect("actions").clone(),
    ));
    out.push((
        "task".into(),
        dash["tasks"].as_array().expect("tasks").clone(),
    ));
    out
}

/// Issue 30: the view holds the rows drawn (the first 25 of each kind and urgency) and the counts
/// of all, not every running deadline; "show more" (`dashboard_rows`) gives the next ones.
#[test]
fn the_dashboard_view_holds_the_first_rows_and_counts_them_all() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _path) = new_desk(dir.path());
    // 70 applications on three dates: more rows of one kind and urgency than the page draws.
    for n in 0..70u32 {
        let mut input = application(&synthetic_code(n));
        input.application_date = ["2026-11-20", "2026-11-24", "2026-10-01"][n as usize % 3].into();
        desk.register_application(&input).expect("register");
    }
    let full = to_value(desk.dashboard().expect("dashboard")).expect("json");
    let view = to_value(desk.dashboard_view().expect("dashboard view")).expect("json");
    let view = &view["dashboard"];
    assert_eq!(
        view["counts"], full["counts"],
        "the counters are the whole dashboard's"
    );
    assert_eq!(view["signing"], full["signing"]);
    assert_eq!(view["undatedTasks"], full["undatedTasks"]);
    assert_eq!(view["page"]["per"], 25);

    let urgencies = ["overdue", "today", "week", "later"];
    let mut cut_somewhere = false;
    let mut total = 0;
    for (kind, rows) in rows_by_kind(&full) {
        let given = rows_by_kind(view)
            .into_iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, r)| r)
            .unwrap_or_default();
        for u in urgencies {
            let all: Vec<_> = rows.iter().filter(|r| r["urgency"] == u).cloned().collect();
            let shown: Vec<_> = given
                .iter()
                .filter(|r| r["urgency"] == u)
                .cloned()
                .collect();
            let first: Vec<_> = all.iter().take(25).cloned().collect();
            assert_eq!(
                shown, first,
                "{kind} {u}: the view gives the first 25 rows, in order"
            );
            assert_eq!(
                view["page"]["byKind"][&kind][u].as_u64().unwrap_or(0) as usize,
                all.len(),
                "{kind} {u}: counted whole"
            );
            cut_somewhere |= all.len() > 25;
            total += all.len();
        }
    }
    assert!(
        cut_somewhere,
        "some kind and urgency has more than 25 rows: {full}"
    );
    let c = &full["counts"];
    let counted: u64 = urgencies
        .iter()
        .map(|u| c[*u].as_u64().expect("count"))
        .sum();
    assert_eq!(
        counted as usize, total,
        "the counts by kind add up to the counters"
    );

    // "Show more" of one kind: its first 50 of each urgency, only that kind.
    let more = to_value(
        desk.dashboard_rows(None, Some("decision_due"), 50, "")
            .expect("rows"),
    )
    .expect("json");
    for (kind, rows) in rows_by_kind(&more) {
        if kind != "decision_due" {
            assert!(rows.is_empty(), "only the kind asked for: {kind}");
            continue;
        }
        let all = rows_by_kind(&full)
            .into_iter()
            .find(|(k, _)| *k == kind)
            .expect("the kind")
            .1;
        for u in urgencies {
            let want: Vec<_> = all
                .iter()
                .filter(|r| r["urgency"] == u)
                .take(50)
                .cloned()
                .collect();
            let got: Vec<_> = rows.iter().filter(|r| r["urgency"] == u).cloned().collect();
            assert_eq!(got, want, "{u}: the first 50");
        }
    }
    // "Show more" of one urgency across the kinds: only that urgency.
    let week = to_value(
        desk.dashboard_rows(Some("week"), None, 100, "")
            .expect("rows"),
    )
    .expect("json");
    for (_, rows) in rows_by_kind(&week) {
        assert!(rows.iter().all(|r| r["urgency"] == "week"));
    }
    assert_eq!(week["page"]["urgency"], "week");

    // The point of it: fewer rows built, sent and parsed.
    let (small, big) = (view.to_string().len(), full.to_string().len());
    assert!(
        small < big,
        "the view's {small} bytes against the dashboard's {big}"
    );
}
