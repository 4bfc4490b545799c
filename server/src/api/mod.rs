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
use tokio_postgres::{AsyncMessage, Transaction};
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
/// SRT_FAULT_PUSH_PAUSE_AT=N pauses a push of more than N changes once it has written them,
/// before its commit (the set-based push writes the batch at once);
/// SRT_FAULT_PUSH_HOLD_REPLY=1 holds the answer after the commit. Each logs a line first.
#[derive(Debug, Clone, Default)]
struct Faults {
    pause_push_at: Option<usize>,
    hold_reply: bool,
}

#[derive(Debug, Clone)]
pub struct AppState {
    pool: Pool,
    events: broadcast::Sender<Arc<Note>>,
    faults: Arc<Faults>,
}

mod audit;
mod auth;
mod conflicts;
mod errors;
mod events;
mod files;
mod join;
mod manager;
mod notify;
mod numbers;
mod open_case;
mod pull;
mod push;
mod server;
mod team;

use audit::*;
use auth::*;
use conflicts::*;
pub use errors::ApiError;
use errors::*;
use events::*;
use files::*;
use join::*;
use manager::*;
use notify::*;
use numbers::*;
use open_case::*;
use pull::*;
use push::*;
pub use server::serve;
use team::*;
