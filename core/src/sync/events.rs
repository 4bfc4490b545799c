//! The desk woken by the server: srt-server streams `/v1/events` (server-sent events fed by
//! PostgreSQL's LISTEN/NOTIFY) and says when changes that concern this device arrived (team-wide
//! ones and those of the cases it holds, not its own) or when the team changed (a substitution,
//! a reassignment). [`listen`] keeps that stream open on a thread of its own with the blocking
//! client — reconnecting after 1, 2, 4 … 60 s when it breaks — and hands each wake-up to the
//! caller, which then syncs as usual ([`super::background::team_sync_in_steps`]). The desk is
//! never held while the stream waits: `connect` takes it only to make the client. The periodic
//! sync stays the fallback (a stream can break without notice until the next keep-alive).
//! Logged for the Board's IT with ids and counts only.

use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{SyncClient, SyncError};

/// What the server's events stream said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// `changes` changes up to `seq` concern this desk: pull them.
    Changes { seq: i64, changes: i64 },
    /// The team changed (a substitution, a reassignment): the desk's scope may have too.
    Team { seq: i64 },
}

/// The longest a stream stays open before it is opened again (a quiet way to notice a
/// connection that died without a word, besides the read timeout).
const STREAM_FOR: Duration = Duration::from_secs(600);
const BACKOFF_FIRST: Duration = Duration::from_secs(1);
const BACKOFF_MAX: Duration = Duration::from_secs(60);

/// Reads one events stream until it ends, `keep_going` says stop (asked at every line: at
/// least every keep-alive, 15 s) or it breaks (Err). Each `changes` or `team` event goes to
/// `on_wake`.
pub fn read_events(
    client: &SyncClient,
    keep_going: &dyn Fn() -> bool,
    on_wake: &mut dyn FnMut(Wake),
) -> std::result::Result<(), SyncError> {
    let resp = client.open_stream("/v1/events", STREAM_FOR)?;
    let mut reader = BufReader::new(resp);
    let (mut event, mut data) = (String::new(), String::new());
    let mut line = String::new();
    while keep_going() {
        line.clear();
        let n = reader.read_line(&mut line).map_err(|e| {
            SyncError::new(
                "sync.transport",
                "Ühendus meeskonna serveriga katkes",
                "The connection to the team server broke off",
                e.to_string(),
            )
        })?;
        if n == 0 {
            return Ok(()); // the server closed the stream (a restart, a revoked device)
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if let Some(v) = l.strip_prefix("event:") {
            event = v.trim().to_string();
        } else if let Some(v) = l.strip_prefix("data:") {
            data.push_str(v.trim());
        } else if l.is_empty() {
            let v: Value = serde_json::from_str(&data).unwrap_or_default();
            let seq = v["seq"].as_i64().unwrap_or(0);
            match event.as_str() {
                "changes" => on_wake(Wake::Changes {
                    seq,
                    changes: v["changes"].as_i64().unwrap_or(0),
                }),
                "team" => on_wake(Wake::Team { seq }),
                _ => {} // "ready", keep-alive comments
            }
            event.clear();
            data.clear();
        }
    }
    Ok(())
}

/// Keeps the events stream open while `keep_going` says so: `connect` gives a client (None: not
/// now — locked, not joined — asked again after the backoff), each wake-up goes to `on_wake`, and
/// a broken stream is opened again after 1, 2, 4 … 60 s (back to 1 s after a stream that
/// lasted half a minute).
/// Logged: `events stream open` (device), `sync woken` (device, seq, changes), `events stream
/// lost` (device, the error's code, the wait).
pub fn listen(
    connect: &mut dyn FnMut() -> Option<(SyncClient, i64)>,
    keep_going: &dyn Fn() -> bool,
    on_wake: &mut dyn FnMut(Wake),
) {
    let mut wait = BACKOFF_FIRST;
    while keep_going() {
        if let Some((client, device_id)) = connect() {
            let opened = Instant::now();
            tracing::info!(device_id, "events stream open");
            let result = read_events(&client, keep_going, &mut |w| {
                match w {
                    Wake::Changes { seq, changes } => {
                        tracing::info!(device_id, seq, changes, "sync woken")
                    }
                    Wake::Team { seq } => tracing::info!(device_id, seq, "sync woken by the team"),
                }
                on_wake(w)
            });
            if opened.elapsed() > Duration::from_secs(30) {
                wait = BACKOFF_FIRST;
            }
            match result {
                Ok(()) => tracing::info!(device_id, "events stream closed"),
                Err(e) => tracing::warn!(
                    device_id,
                    code = e.code,
                    retry_s = wait.as_secs(),
                    "events stream lost"
                ),
            }
        }
        let until = Instant::now() + wait;
        while Instant::now() < until && keep_going() {
            std::thread::sleep(
                Duration::from_millis(200).min(until.saturating_duration_since(Instant::now())),
            );
        }
        wait = (wait * 2).min(BACKOFF_MAX);
    }
}
