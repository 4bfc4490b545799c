//! The HTTP API: JSON over HTTPS (see docs/team-protocol.md). Every request but /health and
//! /v1/join carries `Authorization: Bearer <device token>`; each runs in its own transaction as the
//! device's member under row-level security. Logs carry ids and counts only.

use std::collections::{BTreeMap, HashSet};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use futures_util::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use tokio::sync::broadcast;
use tokio_postgres::{AsyncMessage, NoTls, Transaction};
use tracing::{info, warn};
use uuid::Uuid;

use crate::db::{self, act_as, describe};
use crate::secrets;

/// Serialises every write to the change log, so that sequence numbers are given in commit
/// order and a pull never skips a change committed after it (see docs/team-protocol.md).
const CHANGE_LOG_LOCK: i64 = 2_800_001;
const MAX_PUSH: usize = 10_000;
const MAX_PULL: i64 = 5_000;

/// Fault injection for the tests of a push cut off halfway (environment variables, read once):
/// SRT_FAULT_PUSH_PAUSE_AT=N pauses a push before its N-th change (inside the transaction);
/// SRT_FAULT_PUSH_HOLD_REPLY=1 holds the answer after the commit. Each logs a line first.
#[derive(Debug, Clone, Default)]
struct Faults {
    pause_push_at: Option<usize>,
    hold_reply: bool,
}

#[derive(Debug, Clone)]
pub struct AppState {
    pool: Pool,
    events: broadcast::Sender<i64>,
    faults: Arc<Faults>,
}

// ---------------------------------------------------------------------------------------------
// Errors

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
    fn bad(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "unknown or revoked device token",
        )
    }
    fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({"error": {"code": self.code, "message": self.message}})),
        )
            .into_response()
    }
}

impl From<tokio_postgres::Error> for ApiError {
    fn from(e: tokio_postgres::Error) -> Self {
        warn!(error = %describe(&e), "database error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "database",
            "the database refused the request",
        )
    }
}

impl From<deadpool_postgres::PoolError> for ApiError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        warn!(error = %e, "no database connection");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "database_unavailable",
            "the database is not reachable",
        )
    }
}

type ApiResult<T> = Result<T, ApiError>;

// ---------------------------------------------------------------------------------------------
// Authentication

#[derive(Debug, Clone)]
struct Who {
    member_id: i64,
    device_id: i64,
    role: String,
}

impl Who {
    fn require_lead(&self) -> ApiResult<()> {
        if self.role == "lead" {
            Ok(())
        } else {
            Err(ApiError::forbidden("only the team lead may do this"))
        }
    }
}

fn bearer(headers: &HeaderMap) -> ApiResult<String> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or_else(ApiError::unauthorized)
}

async fn authenticate_hash(
    client: &mut deadpool_postgres::Object,
    token_hash: &str,
) -> ApiResult<Who> {
    let tx = client.transaction().await?;
    act_as(&tx, None).await?;
    let row = tx
        .query_opt(
            "SELECT device_id, member_id, role FROM srt_authenticate($1)",
            &[&token_hash],
        )
        .await?;
    tx.commit().await?;
    let row = row.ok_or_else(ApiError::unauthorized)?;
    Ok(Who {
        device_id: row.get(0),
        member_id: row.get(1),
        role: row.get(2),
    })
}

/// A pooled connection and the device behind the request's token (revoked: 401 at once).
async fn session(
    state: &AppState,
    headers: &HeaderMap,
) -> ApiResult<(deadpool_postgres::Object, Who)> {
    let token = bearer(headers)?;
    let mut client = state.pool.get().await?;
    let who = authenticate_hash(&mut client, &secrets::token_hash(&token)).await?;
    Ok((client, who))
}

async fn begin<'a>(
    client: &'a mut deadpool_postgres::Object,
    who: &Who,
) -> ApiResult<deadpool_postgres::Transaction<'a>> {
    let tx = client.transaction().await?;
    act_as(&tx, Some(who.member_id)).await?;
    Ok(tx)
}

// ---------------------------------------------------------------------------------------------
// Router and server

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/v1/join", post(join))
        .route("/v1/me", get(me))
        .route("/v1/push", post(push))
        .route("/v1/pull", get(pull))
        .route("/v1/numbers", post(numbers))
        .route("/v1/conflicts", get(conflicts))
        .route("/v1/conflicts/{id}/resolve", post(resolve))
        .route("/v1/audit", post(audit_upload))
        .route("/v1/events", get(events))
        .route("/v1/team/members", get(team_members))
        .route("/v1/team/invite", post(team_invite))
        .route("/v1/team/devices", get(team_devices))
        .route("/v1/team/devices/{id}/revoke", post(team_revoke))
        .route(
            "/v1/team/substitutions",
            get(team_substitutions).post(team_substitute),
        )
        .route(
            "/v1/team/substitutions/{id}/cancel",
            post(team_cancel_substitution),
        )
        .route("/v1/team/reassign", post(team_reassign))
        .layer(DefaultBodyLimit::max(64 * 1024 * 1024))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// One line per request: method, path (ids only), status, duration.
async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let start = Instant::now();
    let resp = next.run(req).await;
    info!(
        method = %method,
        path = %path,
        status = resp.status().as_u16(),
        ms = start.elapsed().as_millis() as u64,
        "request"
    );
    resp
}

pub async fn serve(
    database_url: &str,
    listen: SocketAddr,
    tls: Option<(PathBuf, PathBuf)>,
    pool_size: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let pg_config = db::parse_url(database_url)?;
    let manager = Manager::from_config(
        pg_config.clone(),
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    let pool = Pool::builder(manager).max_size(pool_size).build()?;
    let (events, _) = broadcast::channel(256);
    let faults = Faults {
        pause_push_at: std::env::var("SRT_FAULT_PUSH_PAUSE_AT")
            .ok()
            .and_then(|v| v.parse().ok()),
        hold_reply: std::env::var("SRT_FAULT_PUSH_HOLD_REPLY").is_ok_and(|v| v == "1"),
    };
    if faults.pause_push_at.is_some() || faults.hold_reply {
        warn!("fault injection is on (a test run)");
    }
    let state = AppState {
        pool,
        events: events.clone(),
        faults: Arc::new(faults),
    };
    tokio::spawn(listen_for_changes(pg_config, events));

    let handle = axum_server::Handle::new();
    {
        let handle = handle.clone();
        tokio::spawn(async move {
            shutdown_signal().await;
            info!("shutting down");
            handle.graceful_shutdown(Some(Duration::from_secs(10)));
        });
    }
    {
        let handle = handle.clone();
        let with_tls = tls.is_some();
        tokio::spawn(async move {
            if let Some(addr) = handle.listening().await {
                info!(addr = %addr, tls = with_tls, "listening");
            }
        });
    }
    let app = router(state).into_make_service();
    match tls {
        Some((cert, key)) => {
            // ring: rustls' provider that builds without cmake or a C toolchain of its own
            // (rustls marks it deprecated for lacking post-quantum key exchange).
            #[allow(deprecated)]
            let _ = rustls::crypto::ring::default_provider().install_default();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key)
                .await
                .map_err(|e| format!("cannot read the TLS certificate or key: {e}"))?;
            axum_server::bind_rustls(listen, config)
                .handle(handle)
                .serve(app)
                .await?;
        }
        None => {
            warn!("TLS is off: only behind a proxy that terminates TLS");
            axum_server::bind(listen).handle(handle).serve(app).await?;
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        let term = async move {
            match term.as_mut() {
                Some(t) => {
                    t.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

/// LISTEN srt_changes on a connection of its own and hand each new sequence number to the
/// server-sent event streams; reconnects after a loss.
async fn listen_for_changes(config: tokio_postgres::Config, events: broadcast::Sender<i64>) {
    loop {
        match config.connect(NoTls).await {
            Ok((client, mut connection)) => {
                let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
                let driver = tokio::spawn(async move {
                    let mut messages =
                        futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                    while let Some(message) = messages.next().await {
                        match message {
                            Ok(AsyncMessage::Notification(n)) => {
                                if tx.send(n.payload().to_string()).is_err() {
                                    break;
                                }
                            }
                            Ok(_) => {}
                            Err(e) => {
                                warn!(error = %describe(&e), "notification connection lost");
                                break;
                            }
                        }
                    }
                });
                match client.batch_execute("LISTEN srt_changes").await {
                    Ok(()) => {
                        info!("listening for changes");
                        while let Some(payload) = rx.recv().await {
                            if let Ok(seq) = payload.parse::<i64>() {
                                let _ = events.send(seq);
                            }
                        }
                    }
                    Err(e) => warn!(error = %describe(&e), "LISTEN failed"),
                }
                driver.abort();
            }
            Err(e) => warn!(error = %describe(&e), "cannot connect for notifications"),
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Health, join, me

async fn health(State(state): State<AppState>) -> Response {
    let ok = match state.pool.get().await {
        Ok(client) => client.simple_query("SELECT 1").await.is_ok(),
        Err(_) => false,
    };
    if ok {
        (StatusCode::OK, Json(json!({"status": "ok"}))).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "database unavailable"})),
        )
            .into_response()
    }
}

#[derive(Debug, Deserialize)]
struct JoinRequest {
    code: String,
    device_name: String,
}

async fn join(
    State(state): State<AppState>,
    Json(req): Json<JoinRequest>,
) -> ApiResult<Json<Value>> {
    let device_name = req.device_name.trim();
    if device_name.is_empty() || device_name.chars().count() > 100 {
        return Err(ApiError::bad("device_name must be 1 to 100 characters"));
    }
    let token = secrets::new_device_token();
    let mut client = state.pool.get().await?;
    let tx = client.transaction().await?;
    act_as(&tx, None).await?;
    let row = tx
        .query_opt(
            "SELECT device_id, member_id, login, name, role FROM srt_join($1, $2, $3)",
            &[
                &secrets::code_hash(&req.code),
                &device_name,
                &secrets::token_hash(&token),
            ],
        )
        .await?;
    tx.commit().await?;
    let Some(row) = row else {
        info!("join refused");
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "join_code",
            "the join code is unknown, used or expired",
        ));
    };
    let device_id: i64 = row.get(0);
    let member_id: i64 = row.get(1);
    info!(device_id, member_id, "device joined");
    Ok(Json(json!({
        "token": token,
        "device_id": device_id,
        "member": {"id": member_id, "login": row.get::<_, String>(2),
                   "name": row.get::<_, String>(3), "role": row.get::<_, String>(4)},
    })))
}

async fn me(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Json<Value>> {
    let (mut client, who) = session(&state, &headers).await?;
    let tx = begin(&mut client, &who).await?;
    let row = tx
        .query_one(
            "SELECT login, name, role FROM members WHERE id = $1",
            &[&who.member_id],
        )
        .await?;
    let max_seq: i64 = tx.query_one("SELECT srt_max_seq()", &[]).await?.get(0);
    tx.commit().await?;
    Ok(Json(json!({
        "device_id": who.device_id,
        "member": {"id": who.member_id, "login": row.get::<_, String>(0),
                   "name": row.get::<_, String>(1), "role": row.get::<_, String>(2)},
        "max_seq": max_seq,
    })))
}

// ---------------------------------------------------------------------------------------------
// Push

type Tx<'a> = deadpool_postgres::Transaction<'a>;
type Params<'a> = [&'a (dyn tokio_postgres::types::ToSql + Sync)];

// Statements prepared once per connection (deadpool's cache): a push of thousands of changes
// then costs one round trip per statement, not two.
async fn one(
    tx: &Tx<'_>,
    sql: &str,
    p: &Params<'_>,
) -> Result<tokio_postgres::Row, tokio_postgres::Error> {
    let st = tx.prepare_cached(sql).await?;
    tx.query_one(&st, p).await
}

async fn opt(
    tx: &Tx<'_>,
    sql: &str,
    p: &Params<'_>,
) -> Result<Option<tokio_postgres::Row>, tokio_postgres::Error> {
    let st = tx.prepare_cached(sql).await?;
    tx.query_opt(&st, p).await
}

async fn exec(tx: &Tx<'_>, sql: &str, p: &Params<'_>) -> Result<u64, tokio_postgres::Error> {
    let st = tx.prepare_cached(sql).await?;
    tx.execute(&st, p).await
}

/// What one push learnt about scopes, so that 50 rows of one case ask once.
#[derive(Debug, Default)]
struct ScopeCache {
    cases: std::collections::HashMap<Uuid, bool>,
    team: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Op {
    Insert,
    Update,
    Delete,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Insert => "insert",
            Op::Update => "update",
            Op::Delete => "delete",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ColumnChange {
    #[serde(default)]
    base: Value,
    #[serde(default)]
    new: Value,
}

#[derive(Debug, Clone, Deserialize)]
struct Change {
    change_id: Uuid,
    table: String,
    row_id: Uuid,
    #[serde(default)]
    case_id: Option<Uuid>,
    op: Op,
    #[serde(default)]
    columns: BTreeMap<String, ColumnChange>,
    hlc: String,
}

#[derive(Debug, Deserialize)]
struct PushRequest {
    changes: Vec<Change>,
}

fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn validate(change: &Change) -> ApiResult<()> {
    if !valid_name(&change.table) {
        return Err(ApiError::bad(
            "table must be a lower-case name (letters, digits, _)",
        ));
    }
    if change.columns.keys().any(|c| !valid_name(c)) {
        return Err(ApiError::bad(
            "column names must be lower-case names (letters, digits, _)",
        ));
    }
    if change.hlc.is_empty() || change.hlc.len() > 64 {
        return Err(ApiError::bad("hlc must be 1 to 64 characters"));
    }
    if change.op != Op::Delete && change.columns.is_empty() {
        return Err(ApiError::bad("an insert or update needs columns"));
    }
    Ok(())
}

#[derive(Debug, Serialize)]
struct Outcome {
    change_id: Uuid,
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    seq: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    conflict_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
}

async fn push(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<PushRequest>,
) -> ApiResult<Json<Value>> {
    if req.changes.len() > MAX_PUSH {
        return Err(ApiError::bad(format!(
            "at most {MAX_PUSH} changes per push"
        )));
    }
    for change in &req.changes {
        validate(change)?;
    }
    let (mut client, who) = session(&state, &headers).await?;
    let tx = begin(&mut client, &who).await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CHANGE_LOG_LOCK])
        .await?;
    let mut results = Vec::with_capacity(req.changes.len());
    let (mut applied, mut conflicted, mut duplicates, mut rejected) = (0, 0, 0, 0);
    let mut max_seq = None;
    let mut scopes = ScopeCache::default();
    // The receipts of change ids seen before (a repeated push), in one query; and this push's
    // receipts, written in one statement at the end.
    let ids: Vec<Uuid> = req.changes.iter().map(|c| c.change_id).collect();
    let mut seen: std::collections::HashMap<Uuid, (String, Option<i64>, Option<i64>)> = tx
        .query(
            "SELECT change_id, outcome, seq, conflict_id FROM change_receipts WHERE change_id = ANY($1)",
            &[&ids],
        )
        .await?
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3))))
        .collect();
    let mut receipts: Vec<(Uuid, &str, Option<i64>, Option<i64>)> = Vec::new();
    for (i, change) in req.changes.iter().enumerate() {
        if state.faults.pause_push_at == Some(i) {
            info!(
                device_id = who.device_id,
                at = i,
                "fault injection: push paused"
            );
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        if let Some((outcome, seq, conflict_id)) = seen.get(&change.change_id) {
            duplicates += 1;
            results.push(Outcome {
                change_id: change.change_id,
                outcome: "duplicate",
                seq: *seq,
                conflict_id: *conflict_id,
                reason: Some(if outcome == "applied" {
                    "applied before"
                } else {
                    "conflicted before"
                }),
            });
            continue;
        }
        let outcome = apply_change(&tx, &who, change, &mut scopes).await?;
        match outcome.outcome {
            "applied" => {
                applied += 1;
                if outcome.seq.is_some() {
                    max_seq = outcome.seq;
                }
            }
            "conflicted" => conflicted += 1,
            _ => rejected += 1,
        }
        if outcome.outcome != "rejected" {
            seen.insert(
                change.change_id,
                (
                    outcome.outcome.to_string(),
                    outcome.seq,
                    outcome.conflict_id,
                ),
            );
            receipts.push((
                change.change_id,
                outcome.outcome,
                outcome.seq,
                outcome.conflict_id,
            ));
        }
        results.push(outcome);
    }
    if !receipts.is_empty() {
        let ids: Vec<Uuid> = receipts.iter().map(|r| r.0).collect();
        let outcomes: Vec<&str> = receipts.iter().map(|r| r.1).collect();
        let seqs: Vec<Option<i64>> = receipts.iter().map(|r| r.2).collect();
        let conflict_ids: Vec<Option<i64>> = receipts.iter().map(|r| r.3).collect();
        tx.execute(
            "INSERT INTO change_receipts (change_id, member_id, device_id, outcome, seq, conflict_id)
             SELECT u.c, $2, $3, u.o, u.s, u.k
             FROM unnest($1::uuid[], $4::text[], $5::bigint[], $6::bigint[]) AS u(c, o, s, k)",
            &[&ids, &who.member_id, &who.device_id, &outcomes, &seqs, &conflict_ids],
        )
        .await?;
    }
    if let Some(seq) = max_seq {
        tx.execute("SELECT pg_notify('srt_changes', $1)", &[&seq.to_string()])
            .await?;
    }
    tx.commit().await?;
    info!(
        device_id = who.device_id,
        applied, conflicted, duplicates, rejected, "push"
    );
    if state.faults.hold_reply {
        info!(
            device_id = who.device_id,
            "fault injection: push committed, reply held"
        );
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
    Ok(Json(json!({
        "results": results,
        "applied": applied,
        "conflicted": conflicted,
        "duplicates": duplicates,
        "rejected": rejected,
    })))
}

fn rejected(change: &Change, reason: &'static str) -> Outcome {
    Outcome {
        change_id: change.change_id,
        outcome: "rejected",
        seq: None,
        conflict_id: None,
        reason: Some(reason),
    }
}

/// Applies one change in the push's transaction, or records a conflict, or rejects it (outside
/// the member's scope).
async fn apply_change(
    tx: &Tx<'_>,
    who: &Who,
    change: &Change,
    scopes: &mut ScopeCache,
) -> ApiResult<Outcome> {
    let current = opt(
        tx,
        "SELECT case_id, data, deleted, last_seq FROM shared_rows
             WHERE tbl = $1 AND id = $2 FOR UPDATE",
        &[&change.table, &change.row_id],
    )
    .await?;
    if current.is_none() {
        let exists: bool = one(
            tx,
            "SELECT srt_row_exists($1, $2)",
            &[&change.table, &change.row_id],
        )
        .await?
        .get(0);
        if exists {
            return Ok(rejected(change, "not_in_scope"));
        }
    }
    // The case a row belongs to is fixed when it is first written.
    let case_id: Option<Uuid> = match &current {
        Some(row) => row.get(0),
        None if change.table == "cases" => Some(change.row_id),
        None => change.case_id,
    };
    match case_id {
        Some(case) => match scopes.cases.get(&case) {
            Some(true) => {}
            Some(false) => return Ok(rejected(change, "not_in_scope")),
            None => {
                let exists: bool = one(tx, "SELECT srt_case_exists($1)", &[&case])
                    .await?
                    .get(0);
                if !exists {
                    if change.table == "cases" && change.op == Op::Insert {
                        exec(
                            tx,
                            "INSERT INTO cases (id, owner_id) VALUES ($1, $2)",
                            &[&case, &who.member_id],
                        )
                        .await?;
                        exec(
                            tx,
                            "INSERT INTO device_cases (device_id, member_id, case_id) VALUES ($1, $2, $3)
                             ON CONFLICT DO NOTHING",
                            &[&who.device_id, &who.member_id, &case],
                        )
                        .await?;
                        scopes.cases.insert(case, true);
                    } else {
                        return Ok(rejected(change, "unknown_case"));
                    }
                } else {
                    let sees: bool = one(tx, "SELECT srt_sees_case($1)", &[&case]).await?.get(0);
                    scopes.cases.insert(case, sees);
                    if !sees {
                        return Ok(rejected(change, "not_in_scope"));
                    }
                }
            }
        },
        None => {
            let may = match scopes.team {
                Some(may) => may,
                None => {
                    let may: bool = one(tx, "SELECT srt_writes_team_data()", &[]).await?.get(0);
                    scopes.team = Some(may);
                    may
                }
            };
            if !may {
                return Ok(rejected(change, "team_data_read_only"));
            }
        }
    }

    let (data, deleted, last_seq): (Map<String, Value>, bool, Option<i64>) = match &current {
        Some(row) => {
            let data: Value = row.get(1);
            (
                data.as_object().cloned().unwrap_or_default(),
                row.get(2),
                Some(row.get(3)),
            )
        }
        None => (Map::new(), false, None),
    };
    let exists = current.is_some() && !deleted;

    // Delete of a row that is gone: nothing to do, and nothing to conflict with.
    if change.op == Op::Delete && !exists {
        return Ok(Outcome {
            change_id: change.change_id,
            outcome: "applied",
            seq: None,
            conflict_id: None,
            reason: Some("already_gone"),
        });
    }
    // The base check: every changed column must still hold its base value (or already hold the
    // new one). An update of a missing row, or an insert over a different existing row, conflicts.
    let holds = |col: &str, cc: &ColumnChange| {
        let cur = if exists {
            data.get(col).cloned().unwrap_or(Value::Null)
        } else {
            Value::Null
        };
        cur == cc.base || cur == cc.new
    };
    let conflict = match change.op {
        Op::Insert => exists && !change.columns.iter().all(|(c, cc)| holds(c, cc)),
        Op::Update => !exists || !change.columns.iter().all(|(c, cc)| holds(c, cc)),
        Op::Delete => !change.columns.iter().all(|(c, cc)| holds(c, cc)),
    };
    if conflict {
        let mut cols = Map::new();
        for (c, cc) in &change.columns {
            let server = if exists {
                data.get(c).cloned().unwrap_or(Value::Null)
            } else {
                Value::Null
            };
            cols.insert(
                c.clone(),
                json!({"base": cc.base, "server": server, "mine": cc.new}),
            );
        }
        let server_author: Option<i64> = match last_seq {
            Some(seq) => opt(tx, "SELECT author_id FROM changes WHERE seq = $1", &[&seq])
                .await?
                .map(|r| r.get(0)),
            None => None,
        };
        let id: i64 = one(
            tx,
            "INSERT INTO conflicts (change_id, tbl, row_id, case_id, op, columns, server_seq,
                                        server_author_id, author_id, device_id, hlc)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            &[
                &change.change_id,
                &change.table,
                &change.row_id,
                &case_id,
                &change.op.as_str(),
                &Value::Object(cols),
                &last_seq,
                &server_author,
                &who.member_id,
                &who.device_id,
                &change.hlc,
            ],
        )
        .await?
        .get(0);
        return Ok(Outcome {
            change_id: change.change_id,
            outcome: "conflicted",
            seq: None,
            conflict_id: Some(id),
            reason: None,
        });
    }
    let seq = record_change(
        tx,
        who,
        change.change_id,
        &change.table,
        change.row_id,
        case_id,
        change.op,
        &change.columns,
        &change.hlc,
        data,
        current.is_some(),
    )
    .await?;
    Ok(Outcome {
        change_id: change.change_id,
        outcome: "applied",
        seq: Some(seq),
        conflict_id: None,
        reason: None,
    })
}

/// Writes an applied change to the log and the row's current value; returns its sequence number.
#[allow(clippy::too_many_arguments)]
async fn record_change(
    tx: &Tx<'_>,
    who: &Who,
    change_id: Uuid,
    table: &str,
    row_id: Uuid,
    case_id: Option<Uuid>,
    op: Op,
    columns: &BTreeMap<String, ColumnChange>,
    hlc: &str,
    mut data: Map<String, Value>,
    row_exists: bool,
) -> ApiResult<i64> {
    let columns_json = serde_json::to_value(columns).unwrap_or(Value::Null);
    let deleted = op == Op::Delete;
    if deleted {
        // Nothing of a deleted row stays on the server but its id.
        data = Map::new();
    } else {
        for (c, cc) in columns {
            data.insert(c.clone(), cc.new.clone());
        }
    }
    let data = Value::Object(data);
    // The log entry and the row's new value in one statement (one round trip).
    let sql = if row_exists {
        "WITH c AS (
            INSERT INTO changes (change_id, tbl, row_id, case_id, op, columns, author_id, device_id, hlc)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING seq)
         UPDATE shared_rows SET data = $10, deleted = $11, last_seq = (SELECT seq FROM c)
         WHERE tbl = $2 AND id = $3 RETURNING last_seq"
    } else {
        "WITH c AS (
            INSERT INTO changes (change_id, tbl, row_id, case_id, op, columns, author_id, device_id, hlc)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING seq)
         INSERT INTO shared_rows (tbl, id, case_id, data, deleted, last_seq)
         SELECT $2, $3, $4, $10, $11, seq FROM c RETURNING last_seq"
    };
    let seq: i64 = one(
        tx,
        sql,
        &[
            &change_id,
            &table,
            &row_id,
            &case_id,
            &op.as_str(),
            &columns_json,
            &who.member_id,
            &who.device_id,
            &hlc,
            &data,
            &deleted,
        ],
    )
    .await?
    .get(0);
    Ok(seq)
}

// ---------------------------------------------------------------------------------------------
// Pull

#[derive(Debug, Deserialize)]
struct PullQuery {
    #[serde(default)]
    after: i64,
    limit: Option<i64>,
}

async fn pull(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PullQuery>,
) -> ApiResult<Json<Value>> {
    let limit = q.limit.unwrap_or(1000).clamp(1, MAX_PULL);
    if q.after < 0 {
        return Err(ApiError::bad("after must be 0 or more"));
    }
    let (mut client, who) = session(&state, &headers).await?;
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .start()
        .await?;
    act_as(&tx, Some(who.member_id)).await?;

    // The cases this device may hold now (row-level security decides) and those it holds.
    let visible: HashSet<Uuid> = tx
        .query("SELECT id FROM cases", &[])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let held: HashSet<Uuid> = tx
        .query(
            "SELECT case_id FROM device_cases WHERE device_id = $1",
            &[&who.device_id],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut purges: Vec<Uuid> = held.difference(&visible).copied().collect();
    purges.sort();
    let mut new_cases: Vec<Uuid> = visible.difference(&held).copied().collect();
    new_cases.sort();
    if !purges.is_empty() {
        tx.execute(
            "DELETE FROM device_cases WHERE device_id = $1 AND case_id = ANY($2)",
            &[&who.device_id, &purges],
        )
        .await?;
    }
    let mut snapshots = Vec::new();
    if !new_cases.is_empty() {
        tx.execute(
            "INSERT INTO device_cases (device_id, member_id, case_id)
             SELECT $1, $2, unnest($3::uuid[]) ON CONFLICT DO NOTHING",
            &[&who.device_id, &who.member_id, &new_cases],
        )
        .await?;
        for r in tx
            .query(
                "SELECT r.tbl, r.id, r.case_id, r.data, r.deleted, r.last_seq, c.owner_id
                 FROM shared_rows r JOIN cases c ON c.id = r.case_id
                 WHERE r.case_id = ANY($1) ORDER BY r.last_seq",
                &[&new_cases],
            )
            .await?
        {
            snapshots.push(json!({
                "table": r.get::<_, String>(0),
                "row_id": r.get::<_, Uuid>(1),
                "case_id": r.get::<_, Uuid>(2),
                "data": r.get::<_, Value>(3),
                "deleted": r.get::<_, bool>(4),
                "seq": r.get::<_, i64>(5),
                "owner_id": r.get::<_, i64>(6),
            }));
        }
    }
    // Changes after `after`, without this device's own and without those of the cases just sent
    // whole.
    let rows = tx
        .query(
            "SELECT seq, change_id, tbl, row_id, case_id, op, columns, author_id, hlc
             FROM changes
             WHERE seq > $1 AND device_id IS DISTINCT FROM $2
               AND (case_id IS NULL OR NOT (case_id = ANY($3)))
             ORDER BY seq LIMIT $4",
            &[&q.after, &who.device_id, &new_cases, &limit],
        )
        .await?;
    let more = rows.len() as i64 == limit;
    let changes: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "seq": r.get::<_, i64>(0),
                "change_id": r.get::<_, Uuid>(1),
                "table": r.get::<_, String>(2),
                "row_id": r.get::<_, Uuid>(3),
                "case_id": r.get::<_, Option<Uuid>>(4),
                "op": r.get::<_, String>(5),
                "columns": r.get::<_, Value>(6),
                "author_id": r.get::<_, i64>(7),
                "hlc": r.get::<_, String>(8),
            })
        })
        .collect();
    let next_seq: i64 = if more {
        rows.last().map(|r| r.get(0)).unwrap_or(q.after)
    } else {
        let max: i64 = tx.query_one("SELECT srt_max_seq()", &[]).await?.get(0);
        max.max(q.after)
    };
    tx.execute(
        "INSERT INTO pull_audit (device_id, member_id, after_seq, next_seq, changes, snapshots, purges)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &who.device_id,
            &who.member_id,
            &q.after,
            &next_seq,
            &(changes.len() as i32),
            &(snapshots.len() as i32),
            &(purges.len() as i32),
        ],
    )
    .await?;
    tx.commit().await?;
    info!(
        device_id = who.device_id,
        after = q.after,
        next_seq,
        changes = changes.len(),
        snapshots = snapshots.len(),
        purges = purges.len(),
        "pull"
    );
    Ok(Json(json!({
        "changes": changes,
        "snapshots": snapshots,
        "purges": purges,
        "next_seq": next_seq,
        "more": more,
    })))
}

// ---------------------------------------------------------------------------------------------
// Number blocks

#[derive(Debug, Deserialize)]
struct NumbersRequest {
    kind: String,
    count: i64,
}

async fn numbers(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<NumbersRequest>,
) -> ApiResult<Json<Value>> {
    if req.kind != "case" && req.kind != "decision" {
        return Err(ApiError::bad("kind must be case or decision"));
    }
    if !(1..=10_000).contains(&req.count) {
        return Err(ApiError::bad("count must be between 1 and 10000"));
    }
    let (mut client, who) = session(&state, &headers).await?;
    let tx = begin(&mut client, &who).await?;
    let first: i64 = tx
        .query_one(
            "UPDATE number_counters SET next_number = next_number + $2 WHERE kind = $1
             RETURNING next_number - $2",
            &[&req.kind, &req.count],
        )
        .await?
        .get(0);
    let last = first + req.count - 1;
    tx.execute(
        "INSERT INTO number_blocks (kind, device_id, member_id, first_number, last_number)
         VALUES ($1, $2, $3, $4, $5)",
        &[&req.kind, &who.device_id, &who.member_id, &first, &last],
    )
    .await?;
    tx.commit().await?;
    info!(device_id = who.device_id, kind = %req.kind, count = req.count, "numbers reserved");
    Ok(Json(
        json!({"kind": req.kind, "first": first, "last": last}),
    ))
}

// ---------------------------------------------------------------------------------------------
// Conflicts

async fn conflicts(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Json<Value>> {
    let (mut client, who) = session(&state, &headers).await?;
    let tx = begin(&mut client, &who).await?;
    let rows = tx
        .query(
            "SELECT id, change_id, tbl, row_id, case_id, op, columns, server_seq, server_author_id,
                    author_id, hlc, created_at
             FROM conflicts WHERE resolution IS NULL ORDER BY id",
            &[],
        )
        .await?;
    tx.commit().await?;
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "id": r.get::<_, i64>(0),
                "change_id": r.get::<_, Uuid>(1),
                "table": r.get::<_, String>(2),
                "row_id": r.get::<_, Uuid>(3),
                "case_id": r.get::<_, Option<Uuid>>(4),
                "op": r.get::<_, String>(5),
                "columns": r.get::<_, Value>(6),
                "server_seq": r.get::<_, Option<i64>>(7),
                "server_author_id": r.get::<_, Option<i64>>(8),
                "author_id": r.get::<_, i64>(9),
                "hlc": r.get::<_, String>(10),
                "created_at": r.get::<_, chrono::DateTime<chrono::Utc>>(11),
            })
        })
        .collect();
    Ok(Json(json!({"conflicts": list})))
}

#[derive(Debug, Deserialize)]
struct ResolveRequest {
    /// server: keep the server's values; mine: the pushed values; merged: the values given.
    choice: String,
    #[serde(default)]
    columns: Map<String, Value>,
}

async fn resolve(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(req): Json<ResolveRequest>,
) -> ApiResult<Json<Value>> {
    if !matches!(req.choice.as_str(), "server" | "mine" | "merged") {
        return Err(ApiError::bad("choice must be server, mine or merged"));
    }
    let (mut client, who) = session(&state, &headers).await?;
    let tx = begin(&mut client, &who).await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CHANGE_LOG_LOCK])
        .await?;
    let row = tx
        .query_opt(
            "SELECT tbl, row_id, case_id, columns, resolution FROM conflicts WHERE id = $1 FOR UPDATE",
            &[&id],
        )
        .await?
        .ok_or_else(|| ApiError::not_found("no such conflict"))?;
    if row.get::<_, Option<String>>(4).is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_resolved",
            "the conflict is already resolved",
        ));
    }
    let table: String = row.get(0);
    let row_id: Uuid = row.get(1);
    let case_id: Option<Uuid> = row.get(2);
    let cols: Value = row.get(3);
    let cols = cols.as_object().cloned().unwrap_or_default();
    let wanted: Map<String, Value> = match req.choice.as_str() {
        "server" => Map::new(),
        "mine" => cols
            .iter()
            .map(|(c, v)| (c.clone(), v.get("mine").cloned().unwrap_or(Value::Null)))
            .collect(),
        _ => {
            if req.columns.keys().any(|c| !cols.contains_key(c)) {
                return Err(ApiError::bad(
                    "a merged value may only name the conflict's columns",
                ));
            }
            req.columns.clone()
        }
    };
    let current = tx
        .query_opt(
            "SELECT data, deleted FROM shared_rows WHERE tbl = $1 AND id = $2 FOR UPDATE",
            &[&table, &row_id],
        )
        .await?;
    let (data, exists) = match &current {
        Some(r) => {
            let d: Value = r.get(0);
            (
                d.as_object().cloned().unwrap_or_default(),
                !r.get::<_, bool>(1),
            )
        }
        None => (Map::new(), false),
    };
    let mut changed = BTreeMap::new();
    for (c, v) in &wanted {
        let cur = if exists {
            data.get(c).cloned().unwrap_or(Value::Null)
        } else {
            Value::Null
        };
        if &cur != v {
            changed.insert(
                c.clone(),
                ColumnChange {
                    base: cur,
                    new: v.clone(),
                },
            );
        }
    }
    let mut seq = None;
    if !changed.is_empty() {
        let op = if exists { Op::Update } else { Op::Insert };
        let s = record_change(
            &tx,
            &who,
            Uuid::now_v7(),
            &table,
            row_id,
            case_id,
            op,
            &changed,
            &format!("server-resolve-{id}"),
            if exists { data } else { Map::new() },
            current.is_some(),
        )
        .await?;
        tx.execute("SELECT pg_notify('srt_changes', $1)", &[&s.to_string()])
            .await?;
        seq = Some(s);
    }
    tx.execute(
        "UPDATE conflicts SET resolution = $2, resolved_columns = $3, resolved_by = $4,
                resolved_at = now(), resolved_seq = $5 WHERE id = $1",
        &[
            &id,
            &req.choice,
            &Value::Object(wanted),
            &who.member_id,
            &seq,
        ],
    )
    .await?;
    tx.commit().await?;
    info!(device_id = who.device_id, conflict_id = id, choice = %req.choice, "conflict resolved");
    Ok(Json(
        json!({"id": id, "resolution": req.choice, "seq": seq}),
    ))
}

// ---------------------------------------------------------------------------------------------
// Audit upload

#[derive(Debug, Deserialize)]
struct AuditEntry {
    seq: i64,
    prev_hash: String,
    hash: String,
    payload: String,
}

#[derive(Debug, Deserialize)]
struct AuditRequest {
    entries: Vec<AuditEntry>,
}

async fn audit_upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<AuditRequest>,
) -> ApiResult<Json<Value>> {
    let (mut client, who) = session(&state, &headers).await?;
    let tx = begin(&mut client, &who).await?;
    tx.execute(
        "SELECT pg_advisory_xact_lock(2800002, $1::int)",
        &[&(who.device_id as i32)],
    )
    .await?;
    let last = tx
        .query_opt(
            "SELECT seq, hash FROM team_audit WHERE device_id = $1 ORDER BY seq DESC LIMIT 1",
            &[&who.device_id],
        )
        .await?;
    let (mut last_seq, mut last_hash) = match last {
        Some(r) => (r.get::<_, i64>(0), r.get::<_, String>(1)),
        None => (0, secrets::GENESIS_HASH.to_string()),
    };
    let (mut stored, mut known) = (0, 0);
    for e in &req.entries {
        if e.seq <= last_seq {
            // Sent before (a repeated upload): it must be the same entry.
            let same = tx
                .query_opt(
                    "SELECT 1 FROM team_audit WHERE device_id = $1 AND seq = $2 AND hash = $3",
                    &[&who.device_id, &e.seq, &e.hash],
                )
                .await?
                .is_some();
            if !same {
                return Err(chain_broken(
                    &who,
                    e.seq,
                    "differs from the entry received before",
                ));
            }
            known += 1;
            continue;
        }
        if e.seq != last_seq + 1 {
            return Err(chain_broken(
                &who,
                e.seq,
                "does not follow the last entry received",
            ));
        }
        if e.prev_hash != last_hash {
            return Err(chain_broken(&who, e.seq, "names another previous hash"));
        }
        if secrets::chain_hash(&e.prev_hash, &e.payload) != e.hash {
            return Err(chain_broken(
                &who,
                e.seq,
                "hash does not match its contents",
            ));
        }
        tx.execute(
            "INSERT INTO team_audit (device_id, seq, member_id, prev_hash, hash, payload)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &who.device_id,
                &e.seq,
                &who.member_id,
                &e.prev_hash,
                &e.hash,
                &e.payload,
            ],
        )
        .await?;
        last_seq = e.seq;
        last_hash = e.hash.clone();
        stored += 1;
    }
    tx.commit().await?;
    info!(
        device_id = who.device_id,
        stored, known, last_seq, "audit received"
    );
    Ok(Json(
        json!({"stored": stored, "known": known, "last_seq": last_seq}),
    ))
}

fn chain_broken(who: &Who, seq: i64, why: &str) -> ApiError {
    warn!(device_id = who.device_id, seq, "audit chain refused");
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "audit_chain_broken",
        format!("audit entry {seq} {why}"),
    )
}

// ---------------------------------------------------------------------------------------------
// Server-sent events: "new changes up to seq N", fed by LISTEN/NOTIFY.

async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let token = bearer(&headers)?;
    let token_hash = secrets::token_hash(&token);
    let (client, who) = session(&state, &headers).await?;
    let max_seq: i64 = client.query_one("SELECT srt_max_seq()", &[]).await?.get(0);
    drop(client);
    let rx = state.events.subscribe();
    info!(device_id = who.device_id, "events stream opened");
    let ready = futures_util::stream::once(async move {
        Ok(Event::default()
            .event("ready")
            .data(json!({"seq": max_seq}).to_string()))
    });
    let changes = futures_util::stream::unfold(
        (rx, state, token_hash),
        |(mut rx, state, token_hash)| async move {
            loop {
                match rx.recv().await {
                    Ok(seq) => {
                        // A device revoked meanwhile gets nothing more.
                        let valid = match state.pool.get().await {
                            Ok(mut c) => authenticate_hash(&mut c, &token_hash).await.is_ok(),
                            Err(_) => false,
                        };
                        if !valid {
                            return None;
                        }
                        let event = Event::default()
                            .event("changes")
                            .data(json!({"seq": seq}).to_string());
                        return Some((Ok(event), (rx, state, token_hash)));
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        },
    );
    Ok(Sse::new(ready.chain(changes)).keep_alive(KeepAlive::default()))
}

// ---------------------------------------------------------------------------------------------
// Team administration (the lead)

async fn team_members(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Json<Value>> {
    let (mut client, who) = session(&state, &headers).await?;
    let tx = begin(&mut client, &who).await?;
    let rows = tx
        .query(
            "SELECT id, login, name, role, active FROM members ORDER BY id",
            &[],
        )
        .await?;
    tx.commit().await?;
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({"id": r.get::<_, i64>(0), "login": r.get::<_, String>(1),
                   "name": r.get::<_, String>(2), "role": r.get::<_, String>(3),
                   "active": r.get::<_, bool>(4)})
        })
        .collect();
    Ok(Json(json!({"members": list})))
}

#[derive(Debug, Deserialize)]
struct InviteRequest {
    login: String,
    name: String,
    role: String,
}

async fn team_invite(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<InviteRequest>,
) -> ApiResult<Json<Value>> {
    let (mut client, who) = session(&state, &headers).await?;
    who.require_lead()?;
    if !matches!(req.role.as_str(), "coordinator" | "lead" | "manager") {
        return Err(ApiError::bad("role must be coordinator, lead or manager"));
    }
    let (login, name) = (req.login.trim(), req.name.trim());
    if login.is_empty() || name.is_empty() || login.len() > 64 || name.chars().count() > 200 {
        return Err(ApiError::bad("login and name must not be empty"));
    }
    let tx = begin(&mut client, &who).await?;
    let (member_id, code) = db::create_invite(&tx, login, name, &req.role, 7).await?;
    tx.commit().await?;
    info!(device_id = who.device_id, member_id, "join code issued");
    Ok(Json(json!({"member_id": member_id, "code": code})))
}

async fn team_devices(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Json<Value>> {
    let (mut client, who) = session(&state, &headers).await?;
    let tx = begin(&mut client, &who).await?;
    let rows = tx
        .query(
            "SELECT id, member_id, name, created_at, revoked_at, last_seen_at FROM devices ORDER BY id",
            &[],
        )
        .await?;
    tx.commit().await?;
    type Ts = chrono::DateTime<chrono::Utc>;
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({"id": r.get::<_, i64>(0), "member_id": r.get::<_, i64>(1),
                   "name": r.get::<_, String>(2), "created_at": r.get::<_, Ts>(3),
                   "revoked_at": r.get::<_, Option<Ts>>(4),
                   "last_seen_at": r.get::<_, Option<Ts>>(5)})
        })
        .collect();
    Ok(Json(json!({"devices": list})))
}

async fn team_revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let (mut client, who) = session(&state, &headers).await?;
    who.require_lead()?;
    let tx = begin(&mut client, &who).await?;
    let n = tx
        .execute(
            "UPDATE devices SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL",
            &[&id, &who.member_id],
        )
        .await?;
    tx.commit().await?;
    if n == 0 {
        return Err(ApiError::not_found("no such device, or revoked already"));
    }
    info!(
        device_id = who.device_id,
        revoked_device_id = id,
        "device revoked"
    );
    Ok(Json(json!({"revoked": id})))
}

async fn member_id(tx: &Transaction<'_>, login: &str) -> ApiResult<i64> {
    tx.query_opt("SELECT id FROM members WHERE login = $1", &[&login])
        .await?
        .map(|r| r.get(0))
        .ok_or_else(|| ApiError::not_found("no member with that login"))
}

async fn team_substitutions(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    let (mut client, who) = session(&state, &headers).await?;
    let tx = begin(&mut client, &who).await?;
    let rows = tx
        .query(
            "SELECT s.id, a.login, b.login, s.from_date, s.to_date, s.cancelled_at IS NOT NULL,
                    s.cancelled_at IS NULL AND current_date BETWEEN s.from_date AND s.to_date
             FROM substitutions s JOIN members a ON a.id = s.absent_id
                  JOIN members b ON b.id = s.substitute_id
             ORDER BY s.from_date, s.id",
            &[],
        )
        .await?;
    tx.commit().await?;
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({"id": r.get::<_, i64>(0), "absent": r.get::<_, String>(1),
                   "substitute": r.get::<_, String>(2),
                   "from": r.get::<_, chrono::NaiveDate>(3), "to": r.get::<_, chrono::NaiveDate>(4),
                   "cancelled": r.get::<_, bool>(5), "current": r.get::<_, bool>(6)})
        })
        .collect();
    Ok(Json(json!({"substitutions": list})))
}

#[derive(Debug, Deserialize)]
struct SubstituteRequest {
    absent: String,
    substitute: String,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
}

async fn team_substitute(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<SubstituteRequest>,
) -> ApiResult<Json<Value>> {
    if req.from > req.to {
        return Err(ApiError::bad("from must not be after to"));
    }
    let (mut client, who) = session(&state, &headers).await?;
    who.require_lead()?;
    let tx = begin(&mut client, &who).await?;
    let absent = member_id(&tx, &req.absent).await?;
    let substitute = member_id(&tx, &req.substitute).await?;
    if absent == substitute {
        return Err(ApiError::bad("a member cannot substitute for themselves"));
    }
    let id: i64 = tx
        .query_one(
            "INSERT INTO substitutions (absent_id, substitute_id, from_date, to_date, created_by)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[&absent, &substitute, &req.from, &req.to, &who.member_id],
        )
        .await?
        .get(0);
    tx.execute("SELECT pg_notify('srt_changes', srt_max_seq()::text)", &[])
        .await?;
    tx.commit().await?;
    info!(
        device_id = who.device_id,
        substitution_id = id,
        "substitution recorded"
    );
    Ok(Json(json!({"id": id})))
}

async fn team_cancel_substitution(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let (mut client, who) = session(&state, &headers).await?;
    who.require_lead()?;
    let tx = begin(&mut client, &who).await?;
    let n = tx
        .execute(
            "UPDATE substitutions SET cancelled_at = now(), cancelled_by = $2
             WHERE id = $1 AND cancelled_at IS NULL",
            &[&id, &who.member_id],
        )
        .await?;
    tx.execute("SELECT pg_notify('srt_changes', srt_max_seq()::text)", &[])
        .await?;
    tx.commit().await?;
    if n == 0 {
        return Err(ApiError::not_found(
            "no such substitution, or cancelled already",
        ));
    }
    info!(
        device_id = who.device_id,
        substitution_id = id,
        "substitution cancelled"
    );
    Ok(Json(json!({"cancelled": id})))
}

#[derive(Debug, Deserialize)]
struct ReassignRequest {
    case_ids: Vec<Uuid>,
    to: String,
}

async fn team_reassign(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<ReassignRequest>,
) -> ApiResult<Json<Value>> {
    let (mut client, who) = session(&state, &headers).await?;
    who.require_lead()?;
    let tx = begin(&mut client, &who).await?;
    let to = member_id(&tx, &req.to).await?;
    let rows = tx
        .query(
            "WITH old AS (SELECT id, owner_id FROM cases WHERE id = ANY($1) FOR UPDATE)
             UPDATE cases c SET owner_id = $2 FROM old
             WHERE c.id = old.id AND old.owner_id <> $2
             RETURNING c.id, old.owner_id",
            &[&req.case_ids, &to],
        )
        .await?;
    for r in &rows {
        tx.execute(
            "INSERT INTO case_owner_history (case_id, from_owner, to_owner, changed_by)
             VALUES ($1, $2, $3, $4)",
            &[
                &r.get::<_, Uuid>(0),
                &r.get::<_, i64>(1),
                &to,
                &who.member_id,
            ],
        )
        .await?;
    }
    tx.execute("SELECT pg_notify('srt_changes', srt_max_seq()::text)", &[])
        .await?;
    tx.commit().await?;
    info!(
        device_id = who.device_id,
        cases = rows.len(),
        "cases reassigned"
    );
    Ok(Json(json!({"reassigned": rows.len()})))
}
