//! The case page in one call (issue 30): `case_view` answers with exactly what the page's dozen
//! commands answered one by one, on a real encrypted file, and reads are audited as before.

mod common;

use common::*;
use serde_json::{json, to_value, Value};
use srt_core::providers::partners::ContactLogFilter;
use srt_core::store::audit::AuditFilter;

const CHILD_CODE: &str = "51405160015";

fn audited_actions(desk: &srt_core::Desk, case_id: i64) -> Vec<String> {
    let page = desk
        .audit_log(&AuditFilter {
            case_id: Some(case_id),
            limit: Some(500),
            ..Default::default()
        })
        .expect("audit");
    let mut actions: Vec<String> = page.rows.iter().map(|r| r.action.clone()).collect();
    actions.sort();
    actions
}

#[test]
fn the_case_view_is_what_the_pages_commands_answered_one_by_one() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _path) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    desk.add_document(case.id, &medical_document())
        .expect("document");

    let before = audited_actions(&desk, case.id);
    let one = to_value(desk.case_view(case.id).expect("case view")).expect("json");
    let after_one = audited_actions(&desk, case.id);

    let filter = ContactLogFilter {
        case_id: Some(case.id),
        ..Default::default()
    };
    let v = |value: serde_json::Result<Value>| value.expect("json");
    let each: Value = json!({
        "case": v(to_value(desk.case(case.id).expect("case"))),
        "assessment": v(to_value(desk.assessment(case.id).expect("assessment"))),
        "decisions": v(to_value(desk.decisions(case.id).expect("decisions"))),
        "documents": v(to_value(desk.documents(case.id).expect("documents"))),
        "meetings": v(to_value(desk.meetings(case.id).expect("meetings"))),
        "choice": v(to_value(desk.case_choice(case.id).expect("choice"))),
        "providerNames": v(to_value(desk.provider_names().expect("providers"))),
        "contacts": v(to_value(desk.contact_log(&filter).expect("contacts"))),
        "budget": desk.case_budget(case.id).ok().map(|b| v(to_value(b))),
        "confirmations": v(to_value(desk.confirmations(case.id).expect("confirmations"))),
        "feedback": v(to_value(desk.case_feedback(case.id).expect("feedback"))),
        "timeline": v(to_value(desk.timeline(case.id).expect("timeline"))),
        "coordinator": v(to_value(desk.team_case_coordinator(case.id).expect("coordinator"))),
        "opening": v(to_value(desk.team_case_opening(case.id).expect("opening"))),
    });
    let after_each = audited_actions(&desk, case.id);

    assert_eq!(
        one, each,
        "the page drawn from one call shows what it showed from a dozen"
    );
    assert_eq!(
        one["documents"][0]["title"], "Puude raskusastme otsus",
        "the document just filed is in the view"
    );
    // The same reads are logged: what one call added equals what the dozen added.
    let added = |from: &[String], to: &[String]| {
        let mut rest = to.to_vec();
        for a in from {
            if let Some(i) = rest.iter().position(|b| b == a) {
                rest.remove(i);
            }
        }
        rest
    };
    assert_eq!(
        added(&before, &after_one),
        added(&after_one, &after_each),
        "opening the case in one call audits the same reads as the dozen calls did"
    );
    assert!(
        !added(&before, &after_one).is_empty(),
        "reading the case is audited"
    );
}

#[test]
fn an_unknown_case_is_refused_with_the_case_errors_code() {
    let dir = tempfile::tempdir().expect("tmp");
    let (desk, _path) = new_desk(dir.path());
    let one = desk.case_view(4242).expect_err("no such case");
    let each = desk.case(4242).expect_err("no such case");
    assert_eq!(one.payload().code, each.payload().code);
}
