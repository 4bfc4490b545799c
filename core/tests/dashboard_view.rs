//! The dashboard in one call (issue 30): `dashboard_view` answers with exactly what the page's
//! commands (`case_counts`, `dashboard`, `team_conflicts`) answered, on a real encrypted file.

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
    let each = json!({
        "counts": to_value(desk.case_counts().expect("counts")).expect("json"),
        "dashboard": to_value(desk.dashboard().expect("dashboard")).expect("json"),
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
