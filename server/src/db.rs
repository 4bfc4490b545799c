//! PostgreSQL: the numbered migrations, the service's errors, and a transaction as a member
//! under row-level security (connecting, with TLS by the URL's sslmode: pg_tls.rs).

use std::fmt;

use tokio_postgres::{Client, Transaction};

/// The numbered migrations, applied in order by `srt-server init`; never edit an applied one.
pub const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../migrations/001_team.sql")),
    (2, include_str!("../migrations/002_wipe_deleted.sql")),
    (3, include_str!("../migrations/003_case_openings.sql")),
    (4, include_str!("../migrations/004_pull_by_scope.sql")),
    (5, include_str!("../migrations/005_member_boxes_files.sql")),
    (6, include_str!("../migrations/006_manager_rows.sql")),
    (7, include_str!("../migrations/007_push_by_set.sql")),
    (8, include_str!("../migrations/008_pull_scope_set.sql")),
    (9, include_str!("../migrations/009_pull_acks.sql")),
];

pub const SERVICE_ROLE: &str = "srt_service";

#[derive(Debug)]
pub struct DbError(pub String);

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DbError {}

impl From<tokio_postgres::Error> for DbError {
    fn from(e: tokio_postgres::Error) -> Self {
        DbError(describe(&e))
    }
}

/// A database error for a log line: its SQLSTATE and message, never the row's values
/// (PostgreSQL's DETAIL, which can quote them, is left out).
pub fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

/// Creates the service role if missing, then applies every migration not yet applied, each in
/// its own transaction. Returns the versions applied now.
pub async fn migrate(client: &mut Client) -> Result<Vec<i32>, DbError> {
    client
        .batch_execute(&format!(
            "DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{SERVICE_ROLE}') THEN
                    CREATE ROLE {SERVICE_ROLE} NOLOGIN;
                END IF;
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
             END $$;
             CREATE TABLE IF NOT EXISTS srt_schema_migrations (
                version integer PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now());"
        ))
        .await?;
    let mut applied = Vec::new();
    for (version, sql) in MIGRATIONS {
        let tx = client.transaction().await?;
        // One init at a time (several instances may start together).
        tx.execute("SELECT pg_advisory_xact_lock(28, 0)", &[])
            .await?;
        let done = tx
            .query_opt(
                "SELECT 1 FROM srt_schema_migrations WHERE version = $1",
                &[version],
            )
            .await?
            .is_some();
        if !done {
            tx.batch_execute(sql).await?;
            tx.execute(
                "INSERT INTO srt_schema_migrations (version) VALUES ($1)",
                &[version],
            )
            .await?;
            applied.push(*version);
        }
        tx.commit().await?;
    }
    Ok(applied)
}

/// The schema version in the database (0 when `init` never ran).
pub async fn schema_version(client: &Client) -> Result<i32, DbError> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('srt_schema_migrations') IS NOT NULL",
            &[],
        )
        .await?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let v: Option<i32> = client
        .query_one("SELECT max(version) FROM srt_schema_migrations", &[])
        .await?
        .get(0);
    Ok(v.unwrap_or(0))
}

pub fn latest_version() -> i32 {
    MIGRATIONS.last().map(|(v, _)| *v).unwrap_or(0)
}

/// Enters the service role for this transaction and names the member (None: nobody, so every
/// policy answers no). Whatever the connection's login role, row-level security applies from here.
pub async fn act_as(
    tx: &Transaction<'_>,
    member_id: Option<i64>,
) -> Result<(), tokio_postgres::Error> {
    let member = member_id.map(|m| m.to_string()).unwrap_or_default();
    tx.batch_execute(&format!(
        "SET LOCAL ROLE {SERVICE_ROLE}; SELECT set_config('srt.member_id', '{member}', true);"
    ))
    .await
}

/// Creates (or updates) a member and a one-time join code for them; returns (member id, code).
/// Run as the owner (`srt-server invite`) or as the lead under row-level security (the API).
pub async fn create_invite(
    tx: &Transaction<'_>,
    login: &str,
    name: &str,
    role: &str,
    valid_days: i64,
) -> Result<(i64, String), tokio_postgres::Error> {
    let member_id: i64 = tx
        .query_one(
            "INSERT INTO members (login, name, role) VALUES ($1, $2, $3)
             ON CONFLICT (login) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role, active = true
             RETURNING id",
            &[&login, &name, &role],
        )
        .await?
        .get(0);
    let code = crate::secrets::new_join_code();
    tx.execute(
        "INSERT INTO join_codes (member_id, code_hash, expires_at)
         VALUES ($1, $2, now() + make_interval(days => $3::int))",
        &[
            &member_id,
            &crate::secrets::code_hash(&code),
            &(valid_days as i32),
        ],
    )
    .await?;
    Ok((member_id, code))
}

/// Verifies every device's audit chain (as the owner). Returns one line per device and whether
/// all chains hold.
pub async fn check_chains(client: &Client) -> Result<(Vec<String>, bool), DbError> {
    let rows = client
        .query(
            "SELECT device_id, seq, prev_hash, hash, payload FROM team_audit ORDER BY device_id, seq",
            &[],
        )
        .await?;
    let mut lines = Vec::new();
    let mut all_hold = true;
    let mut i = 0;
    while i < rows.len() {
        let device: i64 = rows[i].get(0);
        let mut prev = crate::secrets::GENESIS_HASH.to_string();
        let mut expected_seq = 1i64;
        let mut broken: Option<String> = None;
        let mut count = 0;
        while i < rows.len() && rows[i].get::<_, i64>(0) == device {
            let seq: i64 = rows[i].get(1);
            let prev_hash: String = rows[i].get(2);
            let hash: String = rows[i].get(3);
            let payload: String = rows[i].get(4);
            count += 1;
            if broken.is_none() {
                if seq != expected_seq {
                    broken = Some(format!("entry {expected_seq} is missing"));
                } else if prev_hash != prev {
                    broken = Some(format!("entry {seq} does not follow entry {}", seq - 1));
                } else if crate::secrets::chain_hash(&prev_hash, &payload) != hash {
                    broken = Some(format!("entry {seq} was altered"));
                }
            }
            prev = hash;
            expected_seq = seq + 1;
            i += 1;
        }
        match broken {
            Some(why) => {
                all_hold = false;
                lines.push(format!("device {device}: chain BROKEN: {why}"));
            }
            None => lines.push(format!("device {device}: {count} entries, chain holds")),
        }
    }
    Ok((lines, all_hold))
}
