//! Statistics and feedback on a real encrypted database: answers typed in on a case and
//! imported from a CSV reach the statistics; the exports and the periodic report are written
//! from the same figures; every read and export is in the audit log.

mod common;

use common::{application, feedback_answer, new_desk, CHILD_CODE};
use srt_core::stats::{PeriodInput, StatsQuery};
use srt_core::store::audit::AuditFilter;

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

#[test]
fn feedback_reaches_the_statistics_and_the_exports_and_everything_is_audited() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("case");
    let typed = desk
        .add_feedback(case.id, &feedback_answer())
        .expect("typed in");
    assert_eq!(typed.responses.len(), 1);
    assert!(typed
        .email
        .body
        .contains("Kui rahul olete teenusega tervikuna?"));

    let csv = dir.path().join("survey.csv");
    std::fs::write(
        &csv,
        format!("id;answered_on;child_code;q1;comment\nx-1;25.11.2026;{CHILD_CODE};4;Hea\n"),
    )
    .expect("csv");
    let preview = desk.feedback_import_preview(&csv).expect("preview");
    assert_eq!((preview.new, preview.errors), (1, 0));
    let done = desk.feedback_import(&csv).expect("import");
    assert_eq!((done.imported, done.skipped), (1, 0));
    let again = desk.feedback_import(&csv).expect("re-import");
    assert_eq!(
        (again.imported, again.skipped),
        (0, 1),
        "nothing is added twice"
    );

    let view = desk.statistics(&november(), "et").expect("stats");
    let t = &view.stats.totals;
    assert_eq!(t.received, 1);
    assert_eq!(t.feedback_responses, 2);
    assert_eq!(t.feedback_average, Some(4.0), "(5 + 3 + 4) / 3");
    assert_eq!(
        view.stats.feedback.questions[0].distribution,
        [0, 0, 0, 1, 1]
    );
    assert!(view.charts.iter().all(|c| c.svg.starts_with("<svg")));

    for name in ["s.xlsx", "s.csv", "s.pdf"] {
        let path = dir.path().join(name);
        desk.stats_export(&november(), &path).expect("export");
        assert!(
            std::fs::metadata(&path).expect("written").len() > 0,
            "{name}"
        );
    }
    let wrong = desk
        .stats_export(&november(), &dir.path().join("s.txt"))
        .expect_err("unknown format");
    assert_eq!(wrong.payload().fields[0].code, "extension");
    // A path without its folder would land in the app's working folder, out of sight.
    let relative = desk
        .stats_export(&november(), std::path::Path::new("s.xlsx"))
        .expect_err("a relative path");
    assert_eq!(relative.payload().fields[0].code, "path.relative");
    assert!(!std::path::Path::new("s.xlsx").exists());

    let mut year = november();
    year.period.kind = "year".into();
    let refused = desk
        .periodic_report(&year, &dir.path().join("r.pdf"))
        .expect_err("a year is not a report period");
    assert_eq!(refused.payload().fields[0].code, "report_period");
    assert!(!dir.path().join("r.pdf").exists());
    desk.periodic_report(&november(), &dir.path().join("r.pdf"))
        .expect("report");
    desk.periodic_report(&november(), &dir.path().join("r.xlsx"))
        .expect("report xlsx");
    desk.feedback_questionnaire("ru", Some(case.id), &dir.path().join("q.pdf"))
        .expect("questionnaire");

    let log = desk
        .audit_log(&AuditFilter {
            limit: Some(500),
            ..Default::default()
        })
        .expect("audit");
    for action in [
        "feedback.create",
        "feedback.import",
        "stats.read",
        "stats.export",
        "report.export",
        "feedback.questionnaire",
    ] {
        assert!(
            log.rows.iter().any(|r| r.action == action),
            "{action} is audited"
        );
    }
}
