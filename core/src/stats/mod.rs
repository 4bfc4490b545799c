//! The service's statistics for any period: applications, decisions, time to decision and the
//! share decided on time, time from decision to the start of service, children waiting and in
//! service, money granted / invoiced / accepted by month, and families' feedback — as totals, by
//! month and broken down by route, county, municipality, provider or activity, with the same five
//! as filters. [`compute`] returns one [`Statistics`] that the screen, the XLSX and CSV exports,
//! the monthly PDF and the periodic report all render, so every exported figure equals the screen.
//!
//! Reads only; the tables belong to cases, decisions, referrals (provider_choice), billing and
//! feedback. The SQL reads each table once over indexed date columns and the grouping is done in
//! one pass in Rust, because the medians need the individual day counts anyway.

pub(crate) mod cases;
pub(crate) mod charts;
pub mod export;
pub(crate) mod money;

use crate::store::cached::CachedSql;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use chrono::{Datelike, Months, NaiveDate};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::deadlines::rules::RuleBook;
use crate::deadlines::{self, Period, Unit};
use crate::error::{Error, Localized, Result};
use crate::providers::Catalog;

mod compute;
mod feedback_figures;
mod figures;
mod period;
mod scan;

pub use compute::*;
pub use feedback_figures::question_table;
use feedback_figures::*;
pub use figures::*;
pub use period::*;
use scan::*;

/// The small hand-checked data set the statistics, export and feedback tests share.
#[cfg(test)]
pub(crate) mod fixture {
    use rusqlite::{params, Connection};

    pub const T: &str = "2026-01-01T00:00:00Z";

    pub fn conn() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::store::migrate::migrations()
            .to_latest(&mut conn)
            .expect("migrate");
        conn
    }

    /// A desk in memory with `cases` demo cases and their history (seed `seed`, as of `today`).
    pub fn demo(cases: usize, seed: u64, today: chrono::NaiveDate) -> Connection {
        let mut conn = conn();
        let tx = conn.transaction().expect("tx");
        crate::demo::generate_as_of(&tx, cases, seed, today);
        tx.commit().expect("commit");
        conn
    }

    pub fn provider(conn: &Connection, id: i64, name: &str, code: &str) {
        conn.execute(
            "INSERT INTO provider (id, name, registry_code, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![id, name, code, T],
        )
        .expect("provider");
    }

    /// A case with its child (personal code 6130315002N style, synthetic).
    #[allow(clippy::too_many_arguments)]
    pub fn case(
        conn: &Connection,
        id: i64,
        route: &str,
        municipality: &str,
        applied: &str,
        complete: &str,
        status: &str,
        activities: &[&str],
    ) {
        conn.execute(
            "INSERT INTO child (id, first_name, last_name, personal_code, birth_date, sex,
                municipality_code, created_at, updated_at)
             VALUES (?1, 'Laps', ?2, ?3, '2013-03-15', 'female', ?4, ?5, ?5)",
            params![
                id,
                format!("Näide{id}"),
                format!("6130315{id:04}"),
                municipality,
                T
            ],
        )
        .expect("child");
        conn.execute(
            "INSERT INTO srt_case (id, case_no, child_id, status, route_kind, severity,
                application_date, complete_on, channel, created_at, updated_at)
             VALUES (?1, ?2, ?1, ?3, ?4, ?5, ?6, ?7, 'email', ?8, ?8)",
            params![
                id,
                format!("SRT-2026-{id:04}"),
                status,
                route,
                if route == "disability" {
                    Some("severe")
                } else {
                    None
                },
                applied,
                complete,
                T
            ],
        )
        .expect("case");
        if !activities.is_empty() {
            conn.execute(
                "INSERT INTO assessment (case_id, created_at, updated_at) VALUES (?1, ?2, ?2)",
                params![id, T],
            )
            .expect("assessment");
            for (i, a) in activities.iter().enumerate() {
                conn.execute(
                    "INSERT INTO assessment_activity (case_id, position, code, hours, created_at, updated_at)
                     VALUES (?1, ?2, ?3, 10, ?4, ?4)",
                    params![id, i as i64, a, T],
                )
                .expect("activity");
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn decision(
        conn: &Connection,
        case_id: i64,
        kind: &str,
        date: &str,
        number: &str,
        annex: &str,
        late_reason: &str,
    ) {
        conn.execute(
            "INSERT INTO decision (case_id, kind, status, number, decision_date, valid_from, valid_to,
                annex, late_reason, created_at, updated_at)
             VALUES (?1, ?2, 'sent', ?3, ?4, ?4, '2027-12-31', ?5, ?6, ?7, ?7)",
            params![case_id, kind, number, date, annex, late_reason, T],
        )
        .expect("decision");
    }

    pub fn choice(conn: &Connection, case_id: i64, provider: i64, start: Option<&str>) {
        conn.execute(
            "INSERT INTO provider_choice (case_id, provider_id, chosen_on, registered_on, service_start,
                created_at, updated_at) VALUES (?1, ?2, '2026-01-01', '2026-01-02', ?3, ?4, ?4)",
            params![case_id, provider, start, T],
        )
        .expect("choice");
    }

    pub fn closed(conn: &Connection, case_id: i64, on: &str) {
        conn.execute(
            "INSERT INTO case_status_change (case_id, from_status, to_status, changed_at, created_at, updated_at)
             VALUES (?1, 'in_service', 'closed', ?2, ?3, ?3)",
            params![case_id, format!("{on}T10:00:00Z"), T],
        )
        .expect("status change");
    }

    /// An invoice with lines (case, activity, amount, accepted).
    pub fn invoice(
        conn: &Connection,
        id: i64,
        provider: i64,
        date: &str,
        status: &str,
        lines: &[(i64, &str, i64, i64)],
    ) {
        conn.execute(
            "INSERT INTO invoice (id, provider_id, number, invoice_date, period_from, period_to, status,
                created_at, updated_at) VALUES (?1, ?2, ?3, ?4, '2026-03-01', '2026-03-31', ?5, ?6, ?6)",
            params![id, provider, format!("A-{id}"), date, status, T],
        )
        .expect("invoice");
        for (i, (case_id, code, amount, accepted)) in lines.iter().enumerate() {
            conn.execute(
                "INSERT INTO invoice_line (invoice_id, position, case_id, activity_code, service_date,
                    quantity_milli, unit_price_cents, amount_cents, accepted_cents, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 1000, ?6, ?6, ?7, ?8, ?8)",
                params![id, i as i64, case_id, code, date, amount, accepted, T],
            )
            .expect("line");
        }
    }

    /// A response with scores for questions 1, 2 (ids of the seeded questions).
    pub fn response(
        conn: &Connection,
        case_id: i64,
        provider: i64,
        on: &str,
        scores: &[(i64, i64)],
        comment: &str,
    ) {
        conn.execute(
            "INSERT INTO feedback_response (case_id, provider_id, answered_on, comment, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![case_id, provider, on, comment, T],
        )
        .expect("response");
        let id = conn.last_insert_rowid();
        for (q, s) in scores {
            conn.execute(
                "INSERT INTO feedback_answer (response_id, question_id, score) VALUES (?1, ?2, ?3)",
                params![id, q, s],
            )
            .expect("answer");
        }
    }

    /// The data set of the March 2026 figures asserted in the tests (see stats::tests).
    pub fn march_2026() -> Connection {
        let c = conn();
        provider(&c, 1, "Alfa Teraapia OÜ", "10000001");
        provider(&c, 2, "Beeta Keskus MTÜ", "10000002");
        // C1: disability, Tallinn; complete 02.03, referral 10.03 (due 16.03): 8 days, on time;
        // service from 20.03 with Alfa: 10 days to start.
        case(
            &c,
            1,
            "disability",
            "0784",
            "2026-03-02",
            "2026-03-02",
            "in_service",
            &["2001", "1001"],
        );
        decision(
            &c,
            1,
            "referral",
            "2026-03-10",
            "K0001",
            r#"[{"code":"1001","amounts":[{"year":2026,"cents":20000}]},{"code":"2001","amounts":[{"year":2026,"cents":30000}]}]"#,
            "",
        );
        choice(&c, 1, 1, Some("2026-03-20"));
        // C2: KOV, Tartu; complete 09.03, refusal 31.03 (due 23.03): 22 days, 8 days late.
        case(
            &c,
            2,
            "kov",
            "0793",
            "2026-03-05",
            "2026-03-09",
            "decided",
            &["2001"],
        );
        decision(
            &c,
            2,
            "refusal",
            "2026-03-31",
            "K0002",
            "[]",
            "Ootasime KOV hinnangut",
        );
        // C3: disability, Tartu; applied in February; complete 20.02, referral 04.03 (due 09.03:
        // 24.02 is a holiday): 12 days, on time; Beeta chosen, not started: waiting.
        case(
            &c,
            3,
            "disability",
            "0793",
            "2026-02-20",
            "2026-02-20",
            "provider_chosen",
            &["2003"],
        );
        decision(
            &c,
            3,
            "referral",
            "2026-03-04",
            "K0003",
            r#"[{"code":"2003","amounts":[{"year":2026,"cents":18000},{"year":2027,"cents":12000}]}]"#,
            "",
        );
        choice(&c, 3, 2, None);
        // C4: KOV, Tallinn; applied 25.03, nothing decided yet.
        case(
            &c,
            4,
            "kov",
            "0784",
            "2026-03-25",
            "2026-03-25",
            "in_assessment",
            &[],
        );
        // C5: decided in 2025, in service since 15.01 with Alfa; amended on 12.03.
        case(
            &c,
            5,
            "disability",
            "0784",
            "2025-12-01",
            "2025-12-01",
            "in_service",
            &["2001"],
        );
        decision(
            &c,
            5,
            "referral",
            "2025-12-10",
            "K0005",
            r#"[{"code":"2001","amounts":[{"year":2026,"cents":99900}]}]"#,
            "",
        );
        decision(&c, 5, "amendment", "2026-03-12", "K0006", "[]", "");
        choice(&c, 5, 1, Some("2026-01-15"));
        // C6: closed on 28.02: neither waiting nor active in March.
        case(
            &c,
            6,
            "disability",
            "0784",
            "2025-11-01",
            "2025-11-01",
            "closed",
            &["2001"],
        );
        decision(&c, 6, "referral", "2025-11-05", "K0007", "[]", "");
        choice(&c, 6, 1, Some("2025-12-01"));
        closed(&c, 6, "2026-02-28");
        // Invoices: Alfa's is partly accepted, Beeta's only checked (nothing accepted yet);
        // a draft and an April invoice do not count.
        invoice(
            &c,
            1,
            1,
            "2026-03-25",
            "partly_accepted",
            &[(1, "2001", 10000, 10000), (5, "2001", 20000, 15000)],
        );
        invoice(
            &c,
            2,
            2,
            "2026-03-28",
            "checked",
            &[(3, "2003", 5000, 5000)],
        );
        invoice(&c, 3, 1, "2026-03-30", "draft", &[(1, "2001", 7000, 0)]);
        invoice(
            &c,
            4,
            1,
            "2026-04-02",
            "accepted",
            &[(1, "2001", 9000, 9000)],
        );
        // Feedback: two answers in March about Alfa, one in April.
        response(&c, 1, 1, "2026-03-21", &[(1, 5), (2, 4)], "Väga hea");
        response(&c, 5, 1, "2026-03-22", &[(1, 3), (2, 2)], "");
        response(&c, 1, 1, "2026-04-01", &[(1, 1)], "Aprillis");
        c
    }
}

/// The tables of this part that hold rows of one case (a `case_id` column).
pub(crate) const CASE_TABLES: &[&str] = &["stats_case", "stats_case_dirty"];

/// Retention: delete the case's rows this part owns — the case's kept statistics row (the monthly
/// money sums are recomputed from the invoices left). Called by `trust::privacy::delete_due` in its
/// transaction after the case itself (each delete before marks the case for recomputing).
pub(crate) fn delete_case_rows(
    conn: &rusqlite::Connection,
    case_id: i64,
) -> crate::error::Result<()> {
    crate::store::delete_case_rows(conn, CASE_TABLES, case_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    /// The statistics from the monthly money sums (per key without filters, per combination of
    /// keys with them) equal the statistics from every line, for every breakdown, filter kind and
    /// whole-month period, and stay equal when lines, invoices, cases and children change (the
    /// triggers mark the months, the statistics compute them again).
    #[test]
    fn the_monthly_money_sums_equal_reading_every_line_through_changes() {
        let today = d(2026, 11, 25);
        let conn = fixture::demo(250, 5, today);
        let catalog = Catalog::load(&conn).expect("catalog");
        let periods = [
            PeriodInput {
                kind: "all".into(),
                ..Default::default()
            },
            PeriodInput {
                kind: "year".into(),
                year: 2025,
                ..Default::default()
            },
            PeriodInput {
                kind: "quarter".into(),
                year: 2026,
                number: 2,
                ..Default::default()
            },
            PeriodInput {
                kind: "month".into(),
                year: 2026,
                number: 10,
                ..Default::default()
            },
        ];
        // A filter of each kind (and two together), with keys that have money in 2025.
        let pick = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
        let of_2025 = "FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
                       JOIN srt_case c ON c.id = l.case_id JOIN child ch ON ch.id = c.child_id
                       JOIN municipality m ON m.ehak_code = ch.municipality_code
                       WHERE i.invoice_date LIKE '2025-%' AND i.status <> 'draft'";
        let municipality = pick(&format!(
            "SELECT ch.municipality_code {of_2025} GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ));
        let activity = pick(&format!(
            "SELECT l.activity_code {of_2025} GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ));
        let filters = [
            StatsFilter::default(),
            StatsFilter {
                route: "kov".into(),
                ..Default::default()
            },
            StatsFilter {
                county: pick(&format!("SELECT m.county_code {of_2025} LIMIT 1")),
                ..Default::default()
            },
            StatsFilter {
                provider: pick(&format!(
                    "SELECT CAST(i.provider_id AS TEXT) {of_2025} LIMIT 1"
                )),
                ..Default::default()
            },
            StatsFilter {
                municipality: municipality.clone(),
                activity: activity.clone(),
                ..Default::default()
            },
        ];
        let same = |conn: &Connection, what: &str| {
            for period in &periods {
                for filter in &filters {
                    for breakdown in crate::stats::money::DIMS {
                        if *filter != StatsFilter::default() && breakdown == "county" {
                            continue;
                        }
                        let query = StatsQuery {
                            period: period.clone(),
                            breakdown: breakdown.into(),
                            filter: filter.clone(),
                        };
                        let sums = compute_with(conn, &catalog, &query, today, true).expect("sums");
                        let lines =
                            compute_with(conn, &catalog, &query, today, false).expect("lines");
                        assert_eq!(
                            sums, lines,
                            "{what}: {} by {breakdown:?}, {filter:?}",
                            period.kind
                        );
                    }
                }
            }
        };
        let money: i64 = conn
            .query_row(
                "SELECT count(*) FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
                 WHERE i.invoice_date LIKE '2025-%' AND i.status <> 'draft'",
                [],
                |r| r.get(0),
            )
            .expect("lines");
        assert!(money > 100, "the demo has invoice lines in 2025: {money}");
        same(&conn, "after the demo");
        assert_eq!(
            crate::stats::money::refresh(&conn).expect("refresh"),
            0,
            "all current"
        );
        // The money granted, whichever way the grants are read (all years: over the id range;
        // one year: by the year's decisions), is the annexes' sum.
        for (period, from, to) in [
            (&periods[0], "2000-01-01", "2100-12-31"),
            (&periods[1], "2025-01-01", "2025-12-31"),
        ] {
            let query = StatsQuery {
                period: period.clone(),
                ..Default::default()
            };
            let granted: i64 = conn
                .query_row(
                    "SELECT coalesce(sum(g.cents), 0) FROM decision_grant g
                     JOIN decision d ON d.id = g.decision_id
                     WHERE d.kind = 'referral' AND d.status IN ('approved', 'sent')
                       AND d.decision_date BETWEEN ?1 AND ?2",
                    [from, to],
                    |r| r.get(0),
                )
                .expect("granted");
            assert!(granted > 0);
            let s = compute(&conn, &catalog, &query, today).expect("stats");
            assert_eq!(s.totals.granted_cents, granted, "{}", period.kind);
        }

        let scalar = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
        let invoice = scalar(
            "SELECT id FROM invoice WHERE status = 'accepted' AND invoice_date LIKE '2025-%' LIMIT 1",
        );
        conn.execute(
            "UPDATE invoice SET status = 'checked' WHERE id = ?1",
            [invoice],
        )
        .expect("reopen");
        same(&conn, "an accepted invoice is checked again");
        conn.execute(
            "DELETE FROM invoice_line WHERE id = (SELECT max(id) FROM invoice_line WHERE invoice_id = ?1)",
            [invoice],
        )
        .expect("line");
        same(&conn, "a line is deleted");
        conn.execute(
            "UPDATE invoice SET invoice_date = '2026-10-03' WHERE id = ?1",
            [invoice],
        )
        .expect("date");
        same(&conn, "an invoice moved to another month");
        let case = scalar("SELECT case_id FROM invoice_line WHERE case_id IS NOT NULL LIMIT 1");
        conn.execute(
            "UPDATE child SET municipality_code = '0784'
             WHERE id = (SELECT child_id FROM srt_case WHERE id = ?1)",
            [case],
        )
        .expect("moved");
        conn.execute(
            "UPDATE srt_case SET route_kind = CASE route_kind WHEN 'kov' THEN 'disability' ELSE 'kov' END
             WHERE id = ?1",
            [case],
        )
        .expect("route");
        same(&conn, "a child moved and a case changed its route");
        conn.execute("DELETE FROM srt_case WHERE id = ?1", [case])
            .expect("delete");
        same(&conn, "a case is deleted");
        // A custom period reads the lines: nothing to compare, but they still count.
        let custom = StatsQuery {
            period: PeriodInput {
                kind: "custom".into(),
                from: "15.01.2025".into(),
                to: "20.03.2025".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(
            compute(&conn, &catalog, &custom, today)
                .expect("custom")
                .totals
                .invoiced_cents
                > 0
        );
    }

    fn march(breakdown: &str, filter: StatsFilter) -> Statistics {
        let conn = fixture::march_2026();
        let catalog = Catalog::load(&conn).expect("catalog");
        compute(
            &conn,
            &catalog,
            &StatsQuery {
                period: PeriodInput {
                    kind: "month".into(),
                    year: 2026,
                    number: 3,
                    ..Default::default()
                },
                breakdown: breakdown.into(),
                filter,
            },
            d(2026, 4, 15),
        )
        .expect("stats")
    }

    #[test]
    fn percentile_is_nearest_rank_and_always_a_value_that_occurred() {
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(percentile(&[7], 50), Some(7));
        assert_eq!(percentile(&[7], 90), Some(7));
        assert_eq!(
            percentile(&[1, 2, 3, 4], 50),
            Some(2),
            "even count: the lower middle value"
        );
        assert_eq!(percentile(&[1, 2, 3], 50), Some(2));
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&ten, 90), Some(9), "rank ⌈0.9 × 10⌉ = 9");
        let eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(percentile(&eleven, 90), Some(10), "rank ⌈9.9⌉ = 10");
        assert_eq!(percentile(&ten, 100), Some(10));
        assert_eq!(percentile(&ten, 0), Some(1));
    }

    #[test]
    fn the_granted_money_table_follows_the_annex_of_approved_referrals_only() {
        let conn = fixture::march_2026();
        let grants = |id: i64| -> Vec<(String, i64)> {
            let mut stmt = conn
                .prepare(
                    "SELECT activity_code, cents FROM decision_grant WHERE decision_id = ?1
                     ORDER BY activity_code",
                )
                .expect("prepare");
            stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .expect("query")
                .collect::<rusqlite::Result<_>>()
                .expect("rows")
        };
        // A draft referral with two years of one activity and a second activity.
        conn.execute(
            "INSERT INTO decision (case_id, kind, status, annex, created_at, updated_at)
             VALUES (1, 'referral', 'draft', ?1, ?2, ?2)",
            params![
                r#"[{"code":"2001","amounts":[{"year":2026,"cents":1000},{"year":2027,"cents":2500}]},
                    {"code":"1001","amounts":[{"year":2026,"cents":700}]}]"#,
                fixture::T
            ],
        )
        .expect("draft");
        let id = conn.last_insert_rowid();
        assert!(grants(id).is_empty(), "a draft grants nothing");
        conn.execute(
            "UPDATE decision SET status = 'approved' WHERE id = ?1",
            [id],
        )
        .expect("approve");
        assert_eq!(
            grants(id),
            vec![("1001".to_string(), 700), ("2001".to_string(), 3500)]
        );
        conn.execute("UPDATE decision SET status = 'sent' WHERE id = ?1", [id])
            .expect("send");
        assert_eq!(grants(id).len(), 2, "sending keeps the grant");
        conn.execute("DELETE FROM decision WHERE id = ?1", [id])
            .expect("delete");
        assert!(
            grants(id).is_empty(),
            "a deleted decision takes its grant along"
        );
        // Refusals and amendments grant nothing.
        let refusal: i64 = conn
            .query_row(
                "SELECT id FROM decision WHERE kind = 'refusal' LIMIT 1",
                [],
                |r| r.get(0),
            )
            .expect("refusal");
        assert!(grants(refusal).is_empty());
    }

    #[test]
    fn a_case_closed_after_the_as_of_day_still_counts_and_closing_day_itself_does_not() {
        let conn = fixture::march_2026();
        let catalog = Catalog::load(&conn).expect("catalog");
        let month = |number: u32| {
            let query = StatsQuery {
                period: PeriodInput {
                    kind: "month".into(),
                    year: 2026,
                    number,
                    ..Default::default()
                },
                ..Default::default()
            };
            compute(&conn, &catalog, &query, d(2026, 4, 15)).expect("stats")
        };
        let (january, february) = (month(1), month(2));
        // C6 started on 01.12.2025 and was closed on 28.02.2026; C5 started on 15.01.2026.
        assert_eq!(january.as_of, d(2026, 1, 31));
        assert_eq!(january.totals.active, 2, "C5 and C6, closed only later");
        assert_eq!(february.as_of, d(2026, 2, 28));
        assert_eq!(
            february.totals.active, 1,
            "C5: C6 was closed on the day itself"
        );
    }

    #[test]
    fn every_total_of_march_2026_is_as_counted_by_hand() {
        let s = march("", StatsFilter::default());
        assert_eq!(
            (s.period.from, s.period.to),
            (d(2026, 3, 1), d(2026, 3, 31))
        );
        assert_eq!(s.period.label.et, "märts 2026");
        assert_eq!(s.as_of, d(2026, 3, 31));
        let t = &s.totals;
        assert_eq!(t.received, 3, "C1, C2 and C4 applied in March");
        assert_eq!(
            (t.referrals, t.refusals, t.amendments, t.terminations),
            (2, 1, 1, 0)
        );
        assert_eq!(
            t.days_to_decision,
            DaySpread {
                count: 3,
                median: Some(12),
                p90: Some(22)
            },
            "8, 12 and 22 days"
        );
        assert_eq!(t.on_time, 2, "C2's refusal was due on 23.03");
        assert_eq!(t.on_time_pct, Some(66.7));
        assert_eq!(
            t.days_to_start,
            DaySpread {
                count: 1,
                median: Some(10),
                p90: Some(10)
            }
        );
        assert_eq!(t.waiting, 1, "C3 chose a provider and has not started");
        assert_eq!(t.active, 2, "C1 and C5; C6 closed in February");
        assert_eq!(
            t.granted_cents, 80_000,
            "C1 500 € + C3 300 € over both years"
        );
        assert_eq!(t.invoiced_cents, 35_000, "no draft, no April invoice");
        assert_eq!(
            t.accepted_cents, 25_000,
            "Beeta's invoice has no outcome yet"
        );
        assert_eq!(t.feedback_responses, 2);
        assert_eq!(t.feedback_average, Some(3.5));
        assert_eq!(
            s.months,
            vec![MonthFigures {
                month: "2026-03".into(),
                received: 3,
                decided: 3,
                granted_cents: 80_000,
                invoiced_cents: 35_000,
                accepted_cents: 25_000,
                feedback_responses: 2,
                feedback_average: Some(3.5),
            }]
        );
        assert_eq!(
            s.late,
            vec![LateDecision {
                case_no: "SRT-2026-0002".into(),
                number: "K0002".into(),
                decision_date: d(2026, 3, 31),
                due: d(2026, 3, 23),
                days_late: 8,
                reason: "Ootasime KOV hinnangut".into(),
            }]
        );
        let q = &s.feedback.questions;
        assert_eq!(q.len(), 5, "the five seeded questions are asked");
        assert_eq!(
            (q[0].count, q[0].average, q[0].distribution),
            (2, Some(4.0), [0, 0, 1, 0, 1])
        );
        assert_eq!(
            (q[1].count, q[1].average, q[1].distribution),
            (2, Some(3.0), [0, 1, 0, 1, 0])
        );
        assert_eq!((q[2].count, q[2].average), (0, None));
        assert_eq!(s.feedback.comments.len(), 1);
        assert_eq!(s.feedback.comments[0].comment, "Väga hea");
        assert_eq!(s.feedback.comments[0].provider, "Alfa Teraapia OÜ");
        assert!(s.groups.is_empty(), "no breakdown asked");
    }

    #[test]
    fn by_route_each_group_has_its_own_figures() {
        let s = march("route", StatsFilter::default());
        let keys: Vec<&str> = s.groups.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(
            keys,
            ["kov", "disability"],
            "sorted by label: KOV tee, puude tee"
        );
        let kov = &s.groups[0].figures;
        assert_eq!((kov.received, kov.refusals, kov.referrals), (2, 1, 0));
        assert_eq!(kov.days_to_decision.median, Some(22));
        assert_eq!((kov.on_time, kov.on_time_pct), (0, Some(0.0)));
        assert_eq!((kov.waiting, kov.active, kov.granted_cents), (0, 0, 0));
        let dis = &s.groups[1].figures;
        assert_eq!((dis.received, dis.referrals, dis.amendments), (1, 2, 1));
        assert_eq!(
            (dis.days_to_decision.median, dis.days_to_decision.p90),
            (Some(8), Some(12))
        );
        assert_eq!((dis.on_time, dis.on_time_pct), (2, Some(100.0)));
        assert_eq!((dis.waiting, dis.active), (1, 2));
        assert_eq!(
            (dis.granted_cents, dis.invoiced_cents, dis.accepted_cents),
            (80_000, 35_000, 25_000)
        );
        assert_eq!(
            (dis.feedback_responses, dis.feedback_average),
            (2, Some(3.5))
        );
    }

    #[test]
    fn by_county_and_municipality_the_groups_add_up_to_the_totals() {
        for b in ["county", "municipality", "provider"] {
            let s = march(b, StatsFilter::default());
            let sum = |f: fn(&Figures) -> i64| s.groups.iter().map(|g| f(&g.figures)).sum::<i64>();
            assert_eq!(sum(|f| f.received), s.totals.received, "{b}");
            assert_eq!(sum(|f| f.granted_cents), s.totals.granted_cents, "{b}");
            assert_eq!(sum(|f| f.invoiced_cents), s.totals.invoiced_cents, "{b}");
            assert_eq!(sum(|f| f.waiting), s.totals.waiting, "{b}");
        }
        let s = march("county", StatsFilter::default());
        let harju = s.groups.iter().find(|g| g.key == "0037").expect("Harju");
        assert_eq!(harju.label, "Harju maakond");
        assert_eq!((harju.figures.received, harju.figures.active), (2, 2));
    }

    #[test]
    fn by_activity_money_follows_the_annex_line_and_a_case_counts_under_each_activity() {
        let s = march("activity", StatsFilter::default());
        let g = |k: &str| {
            s.groups
                .iter()
                .find(|g| g.key == k)
                .map(|g| g.figures.clone())
                .unwrap_or_default()
        };
        assert_eq!(g("1001").granted_cents, 20_000);
        assert_eq!(g("2001").granted_cents, 30_000);
        assert_eq!(g("2003").granted_cents, 30_000);
        assert_eq!(g("2001").received, 2, "C1 and C2 need a physiotherapist");
        assert_eq!(g("1001").received, 1);
        assert_eq!(g("2001").invoiced_cents, 30_000);
        assert_eq!(g("2003").invoiced_cents, 5_000);
    }

    /// Filtering by an activity gives each activity's group of the breakdown by activity, on the
    /// hand-made month and on a demo desk's year (the filter reads only the cases with that
    /// activity; the breakdown reads every case's activities).
    #[test]
    fn an_activity_filter_gives_that_activitys_group_of_the_breakdown() {
        let by_activity = march("activity", StatsFilter::default());
        assert!(by_activity.groups.len() >= 3);
        for g in &by_activity.groups {
            let filter = StatsFilter {
                activity: g.key.clone(),
                ..Default::default()
            };
            if g.key.is_empty() {
                continue;
            }
            assert_eq!(march("", filter.clone()).totals, g.figures, "{}", g.key);
            let both = march("activity", filter);
            assert_eq!(both.groups.len(), 1, "{}: only the chosen group", g.key);
            assert_eq!(both.groups[0].figures, g.figures);
        }

        let today = d(2026, 11, 25);
        let conn = fixture::demo(150, 7, today);
        let catalog = Catalog::load(&conn).expect("catalog");
        let year = |breakdown: &str, activity: &str| {
            let query = StatsQuery {
                period: PeriodInput {
                    kind: "year".into(),
                    year: 2025,
                    ..Default::default()
                },
                breakdown: breakdown.into(),
                filter: StatsFilter {
                    activity: activity.into(),
                    ..Default::default()
                },
            };
            compute(&conn, &catalog, &query, today).expect("stats")
        };
        let by_activity = year("activity", "");
        let named: Vec<&Group> = by_activity
            .groups
            .iter()
            .filter(|g| !g.key.is_empty())
            .collect();
        assert!(named.len() >= 5, "the demo year has many activities");
        for g in named {
            assert_eq!(year("", &g.key).totals, g.figures, "{}", g.key);
        }
    }

    #[test]
    fn a_provider_filter_keeps_its_cases_invoices_and_feedback() {
        let s = march(
            "",
            StatsFilter {
                provider: "2".into(),
                ..Default::default()
            },
        );
        let t = &s.totals;
        assert_eq!((t.received, t.referrals, t.waiting, t.active), (0, 1, 1, 0));
        assert_eq!(
            (t.granted_cents, t.invoiced_cents, t.accepted_cents),
            (30_000, 5_000, 0)
        );
        assert_eq!(t.feedback_responses, 0);
        assert_eq!(s.feedback.responses, 0);
        let s = march(
            "",
            StatsFilter {
                route: "kov".into(),
                ..Default::default()
            },
        );
        assert_eq!((s.totals.received, s.totals.refusals), (2, 1));
        assert_eq!(s.months[0].received, 2, "the months follow the filter");
    }

    #[test]
    fn periods_resolve_to_their_dates_and_bad_ones_are_named() {
        let today = d(2026, 5, 20);
        let first = d(2024, 6, 1);
        let p = |kind: &str, year: i32, number: u32| PeriodInput {
            kind: kind.into(),
            year,
            number,
            ..Default::default()
        };
        let q = resolve_period(&p("quarter", 2026, 1), today, first).expect("q1");
        assert_eq!((q.from, q.to), (d(2026, 1, 1), d(2026, 3, 31)));
        assert_eq!(q.label.et, "2026 1. kvartal");
        let y = resolve_period(&p("year", 2024, 0), today, first).expect("year");
        assert_eq!((y.from, y.to), (d(2024, 1, 1), d(2024, 12, 31)));
        let all = resolve_period(&p("all", 0, 0), today, first).expect("all");
        assert_eq!((all.from, all.to), (d(2024, 1, 1), d(2026, 12, 31)));
        let feb = resolve_period(&p("month", 2028, 2), today, first).expect("feb");
        assert_eq!(feb.to, d(2028, 2, 29), "leap year");
        let custom = PeriodInput {
            kind: "custom".into(),
            from: "01.02.2026".into(),
            to: "15.02.2026".into(),
            ..Default::default()
        };
        let c = resolve_period(&custom, today, first).expect("custom");
        assert_eq!((c.from, c.to), (d(2026, 2, 1), d(2026, 2, 15)));
        let backwards = PeriodInput {
            to: "01.01.2026".into(),
            ..custom
        };
        match resolve_period(&backwards, today, first) {
            Err(Error::Validation(f)) => assert_eq!(f[0].field, "period.to"),
            other => panic!("expected a validation error, got {other:?}"),
        }
        assert!(resolve_period(&p("quarter", 2026, 5), today, first).is_err());
        assert!(resolve_period(&p("month", 2026, 13), today, first).is_err());
    }
}
