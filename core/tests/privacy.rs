//! Data protection on a real encrypted file: closed cases past the retention period are listed
//! and deleted with everything on them (search entries included) while the audit chain stays
//! whole, and a person's data export holds everything about one child or guardian.

mod common;

use std::sync::Arc;

use chrono::TimeZone;
use common::*;
use srt_core::clock::FixedClock;

const OLD_CHILD: &str = "50001010006"; // a boy born 01.01.2000 (synthetic)
const GUARDIAN_CODE: &str = "37605030299";

fn at(year: i32, month: u32, day: u32) -> Arc<FixedClock> {
    Arc::new(FixedClock(
        chrono::Utc
            .with_ymd_and_hms(year, month, day, 10, 0, 0)
            .single()
            .expect("time"),
    ))
}

#[test]
fn closed_cases_past_retention_are_deleted_with_everything_on_them() {
    let dir = tempfile::tempdir().expect("tmp");
    let (desk, path) = new_desk(dir.path());
    let mut desk = desk.with_clock(at(2012, 3, 1));
    let mut old_app = application(OLD_CHILD);
    old_app.child.first_name = "Vanaaeg".into();
    old_app.child.last_name = "Säilik".into();
    old_app.application_date = "2012-02-20".into();
    let old = desk.register_application(&old_app).expect("old case");
    desk.change_status(old.id, "closed", "Teenus lõppes")
        .expect("close");

    let mut desk = desk.with_clock(at(2026, 11, 25));
    let current = desk
        .register_application(&application(CHILD_CODE))
        .expect("current case");

    let list = desk.retention_list().expect("list");
    assert_eq!(list.years, 10);
    assert_eq!(list.closed_before, "2016-11-25");
    let ids: Vec<i64> = list.cases.iter().map(|c| c.case_id).collect();
    assert_eq!(ids, vec![old.id], "only the old closed case is due");

    let err = desk.retention_delete(&[current.id]).expect_err("not due");
    assert_eq!(err.payload().fields[0].code, "retention.not_due");
    let err = desk
        .retention_delete(&[old.id, current.id])
        .expect_err("all or nothing");
    assert_eq!(err.payload().fields[0].code, "retention.not_due");
    assert!(
        desk.case(old.id).is_ok(),
        "nothing was deleted by a refused request"
    );

    let err = desk.retention_set_years(0).expect_err("range");
    assert_eq!(err.payload().fields[0].code, "retention.years_range");
    let list = desk.retention_set_years(20).expect("20 years");
    assert!(list.cases.is_empty(), "with 20 years the 2012 case is kept");
    desk.retention_set_years(10).expect("back to 10");

    let list = desk.retention_delete(&[old.id]).expect("delete");
    assert!(list.cases.is_empty());
    assert_eq!(
        desk.case(old.id).expect_err("gone").code(),
        "case.not_found"
    );
    let found = desk.search("Säilik").expect("search");
    assert!(found.items.is_empty(), "no search entry is left");
    assert!(
        !desk
            .list_cases(&Default::default())
            .expect("list")
            .items
            .is_empty(),
        "the list still works"
    );
    assert!(desk.case(current.id).is_ok(), "the other case is untouched");
    let log = desk.audit_log(&Default::default()).expect("audit");
    let row = log
        .rows
        .iter()
        .find(|r| r.action == "case.delete_retention")
        .expect("an audit row remains");
    assert!(
        !format!("{row:?}").contains("Säilik"),
        "without personal data"
    );
    assert!(
        desk.check().expect("check").all_ok(),
        "the audit chain and the file are whole"
    );
    drop(desk);

    // secure_delete: the name is not left in the file's free pages (the file is encrypted anyway,
    // so this only checks that nothing is readable in clear).
    let bytes = std::fs::read(&path).expect("read");
    assert!(!bytes.windows(6).any(|w| w == "Säilik".as_bytes()));
}

#[test]
fn a_persons_export_holds_everything_about_them() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let mut app = application(CHILD_CODE);
    app.guardians[0].personal_code = GUARDIAN_CODE.into();
    let case = desk.register_application(&app).expect("register");
    desk.change_status(case.id, "in_assessment", "Täielik")
        .expect("status");

    let out = dir.path().join("laps.json");
    desk.person_export(CHILD_CODE, &out).expect("export child");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("json");
    assert_eq!(json["asChild"]["personal_code"], CHILD_CODE);
    let c = &json["cases"][0];
    assert_eq!(c["case"]["id"], case.id);
    assert_eq!(c["guardian"][0]["personal_code"], GUARDIAN_CODE);
    assert!(c["case_status_change"].as_array().expect("changes").len() >= 2);
    assert!(c["audit_log"]
        .as_array()
        .expect("audit")
        .iter()
        .any(|r| r["action"] == "case.status"));
    // The PDF beside it, read back as text.
    let pdf = dir.path().join("laps.pdf");
    assert!(pdf.exists(), "a PDF is written beside the JSON");
    let text = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    for expected in [
        CHILD_CODE,
        GUARDIAN_CODE,
        "Näidis-Õunapuu",
        "Olekumuutused",
        "Auditilogi",
        case.case_no.as_str(),
    ] {
        assert!(text.contains(expected), "{expected} in the PDF:\n{text}");
    }
    assert_eq!(
        desk.person_export(CHILD_CODE, &out)
            .expect_err("exists")
            .code(),
        "file.exists",
        "an existing file is never overwritten"
    );

    let out = dir.path().join("esindaja.json");
    desk.person_export(GUARDIAN_CODE, &out)
        .expect("export guardian");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("json");
    assert!(json["asChild"].is_null());
    assert_eq!(json["asGuardian"][0]["case_id"], case.id);

    let err = desk
        .person_export("50001010006", &dir.path().join("x.json"))
        .expect_err("nobody");
    assert_eq!(err.payload().fields[0].code, "person.not_found");
    let err = desk
        .person_export("12345", &dir.path().join("y.json"))
        .expect_err("invalid");
    assert_eq!(err.payload().fields[0].field, "personalCode");
    let log = desk.audit_log(&Default::default()).expect("audit");
    assert_eq!(
        log.rows
            .iter()
            .filter(|r| r.action == "export.person")
            .count(),
        2
    );
}
