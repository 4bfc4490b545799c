//! The numbered schema migrations. A migration is never edited once released: add a new one.

use std::sync::LazyLock;

use rusqlite::{Connection, Transaction};
use rusqlite_migration::{HookResult, Migrations, M};

static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up_with_hook(include_str!("sql/001_cases.sql"), seed_places),
        M::up(include_str!("sql/002_case_search.sql")),
        M::up(include_str!("sql/003_audit.sql")),
        M::up_with_hook(include_str!("sql/004_casework.sql"), seed_prices),
        // --- Decisions ---
        M::up_with_hook(include_str!("sql/005_decisions.sql"), seed_templates),
        // --- Meetings ---
        M::up(include_str!("sql/006_meetings.sql")),
        // --- Providers ---
        M::up(include_str!("sql/007_providers.sql")),
        // --- Billing (invoices, confirmations) ---
        M::up(include_str!("sql/008_billing.sql")),
        // --- Feedback ---
        M::up(include_str!("sql/009_feedback.sql")),
        // --- The coordinator's own work (tasks, proposals) ---
        M::up(include_str!("sql/010_work.sql")),
        // --- Performance (dashboard at national scale) ---
        M::up(include_str!("sql/011_performance.sql")),
        // --- Statistics at national scale (covering indexes, granted money per decision) ---
        M::up(include_str!("sql/012_statistics.sql")),
        // --- The dashboard's deadlines, stored and kept up to date per case ---
        M::up(include_str!("sql/013_deadlines.sql")),
        // --- Money per month for the statistics, kept current per month ---
        M::up(include_str!("sql/014_money_months.sql")),
        // --- Each case's facts as the statistics count them, kept current per case ---
        M::up(include_str!("sql/015_case_figures.sql")),
        // --- Money per month and combination of keys, for the statistics with filters ---
        M::up(include_str!("sql/016_money_cells.sql")),
        M::up(include_str!("sql/017_audit_indexes.sql")),
        // --- The case view answered from its by-case indexes ---
        M::up(include_str!("sql/018_case_view_indexes.sql")),
        // --- The referral's summary: the time to register said once ---
        M::up(include_str!("sql/019_summary_registration.sql")),
        // --- Letters: a name only where it needs no case ending ("Taotleja: …") ---
        M::up(include_str!("sql/020_letter_names.sql")),
        // --- Refused field text held in the desk until corrected (issue 26) ---
        M::up(include_str!("sql/021_held_drafts.sql")),
        // --- Signed and delivered decisions (issue 29) ---
        M::up(include_str!("sql/022_signing.sql")),
        // --- The team desk: global ids, the change outbox, sync state (issue 28) ---
        M::up(include_str!("sql/023_team.sql")),
        // --- Signing settings in the window: the token's slot, the SMTP server's CA ---
        M::up(include_str!("sql/024_signing_slot_smtp_ca.sql")),
        // --- The team desk restored from an old backup: its audit chain continues (issue 28) ---
        M::up(include_str!("sql/026_team_restore.sql")),
        // --- The team desk: the rest of a case's data, the lead's tasks (issue 28) ---
        M::up(include_str!("sql/027_team_case_data.sql")),
        // --- Team-wide data changed only by whom the team allows (issue 28) ---
        M::up(include_str!("sql/028_team_data_writers.sql")),
        // --- A contact about no case is the member's own, in the member's box (issue 28) ---
        M::up(include_str!("sql/029_contact_log_box.sql")),
        // --- The statistics and waiting children kept until a row they read changes (issue 30) ---
        M::up(include_str!("sql/030_figures_generation.sql")),
        // --- A pulled row whose parent comes on a later page waits for it (issue 28) ---
        M::up(include_str!("sql/031_unapplied_waiting.sql")),
    ])
});

pub fn migrations() -> &'static Migrations<'static> {
    &MIGRATIONS
}

/// How many migrations this build knows (the last one's number in the list, not its file name).
const MIGRATIONS_COUNT: usize = 30;

/// The schema version this build writes.
pub fn latest_version() -> usize {
    MIGRATIONS_COUNT
}

/// Bring an existing desk's schema up to date one migration at a time, reporting the steps done
/// out of those pending to `progress` (the unlock screen shows them: on a national desk an
/// upgrade that builds indexes takes tens of seconds). Each migration commits on its own, so a
/// desk left half-way by a crash continues from the last finished step at the next opening.
///
/// `progress` can also ask the upgrade to stop ("Katkesta" on the unlock screen): between steps,
/// and inside one, where SQLite is interrupted and the step rolled back. The desk then stays at
/// the last finished step, intact, and the answer is [`crate::Error::UpgradeCancelled`].
pub fn upgrade(
    conn: &mut Connection,
    progress: Option<&crate::store::progress::WorkProgress>,
) -> crate::Result<()> {
    upgrade_after(conn, progress, 0)
}

/// The desk's schema version as its file records it.
fn current_version(conn: &Connection) -> crate::Result<usize> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(usize::try_from(current).unwrap_or(0))
}

/// How many schema steps an opening of this desk has to run.
pub(crate) fn pending_steps(conn: &Connection) -> crate::Result<u64> {
    Ok(latest_version().saturating_sub(current_version(conn)?) as u64)
}

/// [`upgrade`] after `before` steps of the same opening were done (the rewrite of an older
/// file format, [`super::page_format::rewrite`]): they count in the steps reported.
pub(crate) fn upgrade_after(
    conn: &mut Connection,
    progress: Option<&crate::store::progress::WorkProgress>,
    before: u64,
) -> crate::Result<()> {
    let current = current_version(conn)?;
    let latest = latest_version();
    if current >= latest {
        // Nothing pending (a newer desk is refused before this).
        if let (Some(p), true) = (progress, before > 0) {
            p.set(before, before);
        }
        return Ok(migrations().to_latest(conn)?);
    }
    let total = before + (latest - current) as u64;
    let cancelled = |done: usize| crate::Error::UpgradeCancelled {
        done: before + done as u64,
        total,
    };
    for (done, version) in (current + 1..=latest).enumerate() {
        if let Some(p) = progress {
            if p.is_cancelled() {
                return Err(cancelled(done));
            }
            p.set(before + done as u64, total);
        }
        if let Err(e) = step(conn, version, progress) {
            return Err(match progress {
                Some(p) if p.is_cancelled() => cancelled(done),
                _ => e,
            });
        }
    }
    if let Some(p) = progress {
        p.set(total, total);
    }
    Ok(())
}

/// One migration in its own transaction; while it runs, SQLite asks every few thousand
/// instructions whether `progress` wants it stopped.
fn step(
    conn: &mut Connection,
    version: usize,
    progress: Option<&crate::store::progress::WorkProgress>,
) -> crate::Result<()> {
    if let Some(p) = progress {
        let p = p.clone();
        conn.progress_handler(10_000, Some(move || p.is_cancelled()))?;
    }
    let result = migrations().to_version(conn, version);
    conn.progress_handler(10_000, None::<fn() -> bool>)?;
    Ok(result?)
}

const PRICES_CSV: &str = include_str!("../../data/prices-2023.csv");

/// Seed the hourly prices of the activities (ministerial regulation, annex 1, from 2023).
fn seed_prices(tx: &Transaction) -> HookResult {
    let now = "2023-01-01T00:00:00Z";
    for line in PRICES_CSV.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        let [code, name_et, name_en, mode, unit, cents, valid_from] = f.as_slice() else {
            return Err(rusqlite_migration::HookError::Hook(format!(
                "bad price row {line}"
            )));
        };
        let cents: i64 = cents
            .parse()
            .map_err(|_| rusqlite_migration::HookError::Hook(format!("bad price {line}")))?;
        tx.execute(
            "INSERT INTO price_list (code, name_et, name_en, mode, unit, price_cents, valid_from,
             created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            rusqlite::params![code, name_et, name_en, mode, unit, cents, valid_from, now],
        )?;
    }
    Ok(())
}

/// The standard decision texts shipped in core/data (the decisions part's tests check that
/// every placeholder in them is known).
pub(crate) const DECISION_TEMPLATES_JSON: &str = include_str!("../../data/decision-templates.json");

/// One standard text as shipped.
#[derive(serde::Deserialize)]
struct SeedTemplate {
    code: String,
    lang: String,
    category: String,
    kind: String,
    title: String,
    body: String,
}

/// Seed the standard decision texts (migration 005's hook), version 1 of each.
fn seed_templates(tx: &Transaction) -> HookResult {
    let list: Vec<SeedTemplate> = serde_json::from_str(DECISION_TEMPLATES_JSON)
        .map_err(|e| rusqlite_migration::HookError::Hook(format!("decision templates: {e}")))?;
    for t in list {
        tx.execute(
            "INSERT INTO decision_template (code, lang, category, kind, title, body, version,
             saved_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, 'SRT Desk', ?7, ?7)",
            rusqlite::params![t.code, t.lang, t.category, t.kind, t.title, t.body, "2026-01-01T00:00:00Z"],
        )?;
    }
    Ok(())
}

const COUNTIES_CSV: &str = include_str!("../../data/ehak-counties.csv");
const MUNICIPALITIES_CSV: &str = include_str!("../../data/ehak-municipalities.csv");

/// Seed the 15 counties and 79 municipalities (EHAK) shipped in core/data.
fn seed_places(tx: &Transaction) -> HookResult {
    let now = "2017-10-24T00:00:00Z";
    for line in COUNTIES_CSV
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
    {
        let mut parts = line.split(',');
        let (Some(code), Some(name)) = (parts.next(), parts.next()) else {
            return Err(rusqlite_migration::HookError::Hook(format!(
                "bad county row {line}"
            )));
        };
        tx.execute(
            "INSERT INTO county (ehak_code, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            (code.trim(), name.trim(), now),
        )?;
    }
    for line in MUNICIPALITIES_CSV
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
    {
        let mut parts = line.split(',');
        let (Some(code), Some(name), Some(county)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(rusqlite_migration::HookError::Hook(format!(
                "bad municipality row {line}"
            )));
        };
        let kind = if name.trim().ends_with(" vald") {
            "rural"
        } else {
            "town"
        };
        tx.execute(
            "INSERT INTO municipality (ehak_code, name, county_code, kind, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            (code.trim(), name.trim(), county.trim(), kind, now),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_counted() {
        migrations().validate().expect("valid migrations");
        let mut conn = rusqlite::Connection::open_in_memory().expect("mem");
        migrations().to_latest(&mut conn).expect("migrate");
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version");
        assert_eq!(v as usize, latest_version());
    }

    /// "Katkesta" while a step runs: SQLite is interrupted inside the step (here, building 017's
    /// indexes over 60 000 audit rows), the step is rolled back whole, and the same step then
    /// runs to its end when nobody asks it to stop.
    #[test]
    fn a_step_asked_to_stop_is_interrupted_and_rolled_back_whole() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("mem");
        migrations().to_version(&mut conn, 16).expect("v16");
        conn.execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
             INSERT INTO audit_log (at, actor, action, entity, entity_id, detail, prev_hash, hash,
                                    created_at, updated_at)
             SELECT printf('2026-01-01T00:00:%05dZ', i), 't', 'case.view', 'case', i % 997, '',
                    '', '', 'x', 'x' FROM n;",
        )
        .expect("rows");
        let indexes = |conn: &rusqlite::Connection| -> i64 {
            conn.query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'audit_log_%'",
                [],
                |r| r.get(0),
            )
            .expect("count")
        };
        let version = |conn: &rusqlite::Connection| -> i64 {
            conn.query_row("PRAGMA user_version", [], |r| r.get(0))
                .expect("version")
        };
        let progress = crate::store::progress::WorkProgress::default();
        progress.cancel();
        let err = step(&mut conn, 17, Some(&progress)).expect_err("interrupted");
        assert_eq!(err.code(), "work.cancelled", "{err}");
        assert_eq!((version(&conn), indexes(&conn)), (16, 0), "nothing of 017");
        progress.reset();
        step(&mut conn, 17, Some(&progress)).expect("017");
        assert_eq!((version(&conn), indexes(&conn)), (17, 3));
        // The handler is gone after the step: later statements are not stopped by the flag.
        progress.cancel();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
            .expect("count");
        assert_eq!(n, 60_000);
    }

    /// A desk from before migrations 012 and 013 (with a demo history in it) is upgraded: every
    /// approved referral's annex is in decision_grant, every open case is marked for the
    /// dashboard, and the dashboard then shows what computing every case's deadlines shows.
    #[test]
    fn an_older_desk_gets_its_granted_money_and_stored_deadlines_on_upgrade() {
        use std::collections::BTreeMap;
        let mut conn = rusqlite::Connection::open_in_memory().expect("mem");
        migrations().to_version(&mut conn, 11).expect("version 11");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("day");
        let tx = conn.transaction().expect("tx");
        crate::demo::generate_as_of(&tx, 200, 7, today);
        tx.commit().expect("commit");
        let progress = crate::store::progress::WorkProgress::default();
        upgrade(&mut conn, Some(&progress)).expect("upgrade");
        let pending = (latest_version() - 11) as u64;
        assert_eq!(progress.get(), (pending, pending), "every step reported");
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(version as usize, latest_version());

        let mut expected: BTreeMap<(i64, String), i64> = BTreeMap::new();
        let mut stmt = conn
            .prepare(
                "SELECT id, annex FROM decision
                 WHERE kind = 'referral' AND status IN ('approved', 'sent')",
            )
            .expect("prepare");
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .expect("query");
        for row in rows {
            let (id, annex) = row.expect("row");
            let lines: Vec<crate::decisions::AnnexLine> =
                serde_json::from_str(&annex).expect("annex");
            for l in lines {
                *expected.entry((id, l.code)).or_default() +=
                    l.amounts.iter().map(|a| a.cents).sum::<i64>();
            }
        }
        assert!(
            expected.len() > 50,
            "the demo has referrals: {}",
            expected.len()
        );
        let mut stmt = conn
            .prepare("SELECT decision_id, activity_code, cents FROM decision_grant")
            .expect("prepare");
        let stored: BTreeMap<(i64, String), i64> = stmt
            .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert_eq!(stored, expected);

        let open: i64 = conn
            .query_row(
                "SELECT count(*) FROM srt_case WHERE status <> 'closed'",
                [],
                |r| r.get(0),
            )
            .expect("open");
        let marked: i64 = conn
            .query_row("SELECT count(*) FROM case_deadline_dirty", [], |r| r.get(0))
            .expect("marked");
        assert_eq!(marked, open);
        let stored = crate::overview::dashboard::dashboard(&conn, today).expect("dashboard");
        let live = crate::overview::dashboard::dashboard_live(&conn, today).expect("live");
        assert_eq!(
            serde_json::to_value(stored).expect("json"),
            serde_json::to_value(live).expect("json")
        );
    }

    #[test]
    fn places_are_seeded_15_counties_79_municipalities() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("mem");
        migrations().to_latest(&mut conn).expect("migrate");
        let c: i64 = conn
            .query_row("SELECT count(*) FROM county", [], |r| r.get(0))
            .expect("count");
        let m: i64 = conn
            .query_row("SELECT count(*) FROM municipality", [], |r| r.get(0))
            .expect("count");
        let towns: i64 = conn
            .query_row(
                "SELECT count(*) FROM municipality WHERE kind = 'town'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!((c, m, towns), (15, 79, 15));
    }
}
