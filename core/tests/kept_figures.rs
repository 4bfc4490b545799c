//! The statistics and the waiting children are kept in the session until a row they read changes
//! (issue 30): on a real encrypted demo desk each kind of change the figures count — through the
//! app, written straight into the tables as a pull applies a colleague's rows (capture off), from
//! another connection, by retention — shows at the next visit, equal to computing afresh; a visit
//! that changes nothing uses the kept figures and is still audited; and every table the figures
//! read bumps the generation (migration 030).

mod common;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use common::{application, feedback_answer, new_desk, open_desk, CHILD_CODE};
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use srt_core::providers::referrals::{WaitingFilter, WaitingOverview};
use srt_core::providers::Catalog;
use srt_core::stats::{PeriodInput, Statistics, StatsFilter, StatsQuery};
use srt_core::Desk;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")
}

/// The page's default (this month), a year by municipality with an activity filter, all years
/// by provider.
fn queries() -> Vec<StatsQuery> {
    vec![
        StatsQuery {
            period: PeriodInput {
                kind: "month".into(),
                ..Default::default()
            },
            ..Default::default()
        },
        StatsQuery {
            period: PeriodInput {
                kind: "year".into(),
                year: 2026,
                ..Default::default()
            },
            breakdown: "municipality".into(),
            filter: StatsFilter {
                activity: "2001".into(),
                ..Default::default()
            },
        },
        StatsQuery {
            period: PeriodInput {
                kind: "all".into(),
                ..Default::default()
            },
            breakdown: "provider".into(),
            ..Default::default()
        },
    ]
}

fn filters() -> Vec<WaitingFilter> {
    vec![
        WaitingFilter {
            availability_limit: Some(5),
            ..Default::default()
        },
        WaitingFilter {
            waiting_for: "start".into(),
            limit: Some(10),
            ..Default::default()
        },
    ]
}

type Figures = (Vec<Statistics>, Vec<WaitingOverview>);

/// The figures computed afresh from the desk's rows.
fn fresh(desk: &Desk) -> Figures {
    let conn = desk.store().connection();
    let catalog = Catalog::load(conn).expect("catalog");
    let stats = queries()
        .iter()
        .map(|q| srt_core::stats::compute(conn, &catalog, q, today()).expect("compute"))
        .collect();
    let waiting = filters()
        .iter()
        .map(|f| {
            srt_core::providers::referrals::waiting(conn, &catalog, today(), f).expect("waiting")
        })
        .collect();
    (stats, waiting)
}

/// The figures the desk shows (kept or computed).
fn shown(desk: &Desk) -> Figures {
    let stats = queries()
        .iter()
        .map(|q| desk.statistics(q, "et").expect("statistics").stats)
        .collect();
    let waiting = filters()
        .iter()
        .map(|f| desk.waiting(f).expect("waiting"))
        .collect();
    (stats, waiting)
}

fn generation(desk: &Desk) -> i64 {
    desk.store()
        .connection()
        .query_row("SELECT n FROM figures_generation", [], |r| r.get(0))
        .expect("generation")
}

/// After `change`, the figures differ from before it (so kept ones would be stale), and the desk
/// shows the fresh ones; a visit after that changes nothing.
fn after(desk: &mut Desk, what: &str, change: impl FnOnce(&mut Desk)) {
    let before = fresh(desk);
    assert_eq!(shown(desk), before, "{what}: shown before the change");
    change(desk);
    let now = fresh(desk);
    assert_ne!(now, before, "{what}: the change moves a figure");
    assert_eq!(shown(desk), now, "{what}: shown after the change");
}

fn scalar(desk: &Desk, sql: &str) -> i64 {
    desk.store()
        .connection()
        .query_row(sql, [], |r| r.get(0))
        .expect(sql)
}

fn exec(desk: &Desk, sql: &str) {
    let n = desk.store().connection().execute(sql, []).expect(sql);
    assert!(n > 0, "{sql}");
}

#[test]
fn every_kind_of_change_shows_at_the_next_visit_and_a_visit_alone_keeps_the_figures() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    desk.load_demo(300, 7).expect("demo");

    // Visits that change nothing: the kept figures, each visit audited, the generation still.
    let first = shown(&desk);
    assert_eq!(first, fresh(&desk));
    let generation_before = generation(&desk);
    let reads = |desk: &Desk| {
        scalar(
            desk,
            "SELECT count(*) FROM audit_log WHERE action IN ('stats.read', 'waiting.read')",
        )
    };
    let audited = reads(&desk);
    assert_eq!(shown(&desk), first);
    assert_eq!(
        generation(&desk),
        generation_before,
        "reading (the audit rows, the kept statistics rows) changes no figure"
    );
    assert_eq!(reads(&desk), audited + 5, "every visit is audited");

    // Through the app: a new case, its feedback, a status change.
    let mut case_id = 0;
    after(&mut desk, "a new case", |d| {
        case_id = d
            .register_application(&application(CHILD_CODE))
            .expect("case")
            .id;
    });
    after(&mut desk, "a feedback answer", |d| {
        d.add_feedback(case_id, &feedback_answer())
            .expect("feedback");
    });
    let waiting_case = desk
        .waiting(&WaitingFilter::default())
        .expect("waiting")
        .cases[0]
        .case_id;
    after(&mut desk, "a status change", |d| {
        d.change_status(waiting_case, "closed", "Pere loobus teenusest")
            .expect("closed");
    });

    // Written straight into the tables with capture off, as a pull applies a colleague's rows.
    after(&mut desk, "a pulled decision", |d| {
        exec(
            d,
            &format!(
                "INSERT INTO decision (case_id, kind, status, number, decision_date, valid_from,
                    valid_to, annex, late_reason, created_at, updated_at)
                 VALUES ({case_id}, 'refusal', 'sent', 'K-PULL-1', '2026-11-24', '2026-11-24',
                    '2027-11-24', '[]', '', '2026-11-24T09:00:00Z', '2026-11-24T09:00:00Z')"
            ),
        );
    });
    after(&mut desk, "a pulled invoice", |d| {
        let provider = scalar(d, "SELECT min(id) FROM provider");
        exec(
            d,
            &format!(
                "INSERT INTO invoice (provider_id, number, invoice_date, period_from, period_to,
                    status, created_at, updated_at)
                 VALUES ({provider}, 'PULL-1', '2026-11-05', '2026-10-01', '2026-10-31',
                    'accepted', '2026-11-05T09:00:00Z', '2026-11-05T09:00:00Z')"
            ),
        );
        let invoice = d.store().connection().last_insert_rowid();
        exec(
            d,
            &format!(
                "INSERT INTO invoice_line (invoice_id, position, case_id, activity_code,
                    service_date, quantity_milli, unit_price_cents, amount_cents, accepted_cents,
                    created_at, updated_at)
                 VALUES ({invoice}, 0, {case_id}, '2001', '2026-10-15', 1000, 4321, 4321, 4321,
                    '2026-11-05T09:00:00Z', '2026-11-05T09:00:00Z')"
            ),
        );
    });
    let starting = desk
        .waiting(&WaitingFilter {
            waiting_for: "start".into(),
            ..Default::default()
        })
        .expect("waiting for the start")
        .cases[0]
        .case_id;
    after(&mut desk, "a pulled start of service", |d| {
        exec(
            d,
            &format!(
                "UPDATE provider_choice SET service_start = '2026-11-23'
                 WHERE id = (SELECT max(id) FROM provider_choice WHERE case_id = {starting})"
            ),
        );
    });
    after(
        &mut desk,
        "a pulled change of the directory's free places",
        |d| {
            exec(
            d,
            "UPDATE provider SET free_places = CASE WHEN coalesce(free_places, 0) > 0 THEN 0 ELSE 5 END",
        );
        },
    );

    // From another connection to the same file (srt-admin, a second window).
    after(&mut desk, "a status change from another connection", |d| {
        let case = d.waiting(&WaitingFilter::default()).expect("waiting").cases[0].case_id;
        let mut other = open_desk(&path);
        other
            .change_status(case, "closed", "Pere kolis välismaale")
            .expect("closed elsewhere");
    });

    // Retention: a closed case past its period deleted.
    let due = desk.retention_set_years(1).expect("one year").cases;
    assert!(
        !due.is_empty(),
        "a decade of demo history has cases past retention"
    );
    after(&mut desk, "a deletion by retention", |d| {
        d.retention_delete(&[due[0].case_id]).expect("deleted");
    });
}

/// Every table the statistics and the waiting children read (recorded by SQLite's authorizer on
/// a fresh connection, every breakdown and filter kind) bumps the generation on insert, update
/// and delete — apart from the kept rows computed from those tables.
#[test]
fn every_table_the_figures_read_bumps_the_generation() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    desk.load_demo(60, 3).expect("demo");
    drop(desk);
    let desk = open_desk(&path);
    let conn = desk.store().connection();
    conn.flush_prepared_statement_cache();
    let read = std::sync::Arc::new(std::sync::Mutex::new(BTreeSet::<String>::new()));
    let seen = read.clone();
    conn.authorizer(Some(move |ctx: AuthContext<'_>| {
        if let AuthAction::Read { table_name, .. } = ctx.action {
            seen.lock().expect("lock").insert(table_name.to_string());
        }
        Authorization::Allow
    }))
    .expect("authorizer");
    let mut queries = queries();
    for breakdown in [
        "",
        "route",
        "county",
        "municipality",
        "provider",
        "activity",
    ] {
        for filter in [
            StatsFilter::default(),
            StatsFilter {
                route: "kov".into(),
                county: "37".into(),
                municipality: "0784".into(),
                provider: "1".into(),
                activity: "2001".into(),
            },
        ] {
            queries.push(StatsQuery {
                period: PeriodInput {
                    kind: "custom".into(),
                    from: "01.01.2020".into(),
                    to: "25.11.2026".into(),
                    ..Default::default()
                },
                breakdown: breakdown.into(),
                filter,
            });
        }
    }
    for q in &queries {
        desk.statistics(q, "en").expect("statistics");
    }
    for f in filters() {
        desk.waiting(&f).expect("waiting");
    }
    conn.authorizer(None::<fn(AuthContext<'_>) -> Authorization>)
        .expect("no authorizer");
    let derived = [
        "stats_case",
        "stats_case_dirty",
        "stats_money",
        "stats_money_cell",
        "stats_money_dirty",
        "figures_generation",
        "sqlite_master",
        "audit_log",
        "meta",
    ];
    let read: Vec<String> = read
        .lock()
        .expect("lock")
        .iter()
        .filter(|t| !derived.contains(&t.as_str()) && !t.starts_with("pragma_"))
        .cloned()
        .collect();
    for table in [
        "srt_case",
        "decision",
        "invoice_line",
        "feedback_answer",
        "provider_location",
    ] {
        assert!(read.iter().any(|t| t == table), "{table} is read: {read:?}");
    }
    for table in &read {
        let triggers: Vec<String> = conn
            .prepare(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1
                   AND name LIKE 'figures\\_%' ESCAPE '\\' ORDER BY name",
            )
            .expect("triggers")
            .query_map([table], |r| r.get(0))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("sql");
        for event in ["INSERT", "UPDATE", "DELETE"] {
            assert!(
                triggers
                    .iter()
                    .any(|sql| sql.contains(&format!("AFTER {event} ON {table}\n"))
                        && sql.contains("UPDATE figures_generation SET n = n + 1")),
                "{table}: no figures trigger after {event}"
            );
        }
    }
}
