//! The team desk in the window (issue 28): the sync line's state, "Sünkrooni", joining, the
//! conflicts and their resolution, and the team lead's calls (members, invite, devices, revoke,
//! substitutions, reassignment). The sync runs off the UI thread and holds the session only for
//! its local steps ([`srt_core::sync::background`]); the automatic sync is a thread of its own.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use srt_core::sync::background::{team_sync_in_steps, LocalSteps};
use srt_core::sync::team_open_case_in_steps;
use srt_core::sync::{
    Member, Resolution, SyncReport, TeamConflict, TeamDevice, TeamInvite, TeamMember, TeamState,
    TeamSubstitution,
};
use srt_core::{Desk, ErrorPayload, KeyStore};
use tauri::{Manager, State};

use crate::{AppState, CommandError, CommandResult};

/// What the window's sync line shows besides the desk's own state: a sync running now, and how
/// the last one ended (kept in memory: after a restart the line starts from the desk's state).
#[derive(Debug, Default)]
pub struct TeamLine {
    syncing: AtomicBool,
    /// "Sünkrooni" (or a wake-up) while a sync ran: one more round follows it, so that what was
    /// just recorded (a substitution, a change) does not wait for the next automatic sync.
    again: AtomicBool,
    last_error: Mutex<Option<ErrorPayload>>,
    last_try: Mutex<Option<Instant>>,
}

impl TeamLine {
    fn error(&self) -> Option<ErrorPayload> {
        self.last_error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// The sync line: the desk's team state, whether a sync runs, the last sync's error, the open
/// conflicts.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamStatus {
    #[serde(flatten)]
    pub state: TeamState,
    pub syncing: bool,
    pub error: Option<ErrorPayload>,
    pub conflicts: usize,
    pub device_id: i64,
}

/// The session, taken for one local step at a time.
struct Steps<'a>(&'a AppState);

impl LocalSteps for Steps<'_> {
    fn local(
        &self,
        step: &mut dyn FnMut(&mut Desk, &dyn KeyStore) -> srt_core::Result<()>,
    ) -> srt_core::Result<()> {
        let mut out: srt_core::Result<()> = Ok(());
        let held = self.0.peek(|s| {
            out = match s.desk_and_keys() {
                Ok((desk, keys)) => step(desk, keys),
                Err(e) => Err(e),
            };
            Ok(())
        });
        if held.is_err() {
            return Err(srt_core::Error::Internal("a sync step failed".into()));
        }
        out
    }
}

/// Runs `f` on a thread of its own and waits for it. The team client is blocking (reqwest's
/// blocking client runs a runtime of its own), and it panics when made or dropped on a thread of
/// Tauri's async runtime, where `#[tauri::command(async)]` commands run: found by
/// tests/e2e/team.test.js ("Cannot drop a runtime in a context where blocking is not allowed").
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        s.spawn(f)
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

fn status(state: &AppState, line: &TeamLine) -> CommandResult<TeamStatus> {
    state.peek(|s| {
        let desk = s.desk()?;
        let team = desk.team_state()?;
        let conflicts = if team.joined {
            desk.team_conflict_count()?
        } else {
            0
        };
        Ok(TeamStatus {
            device_id: desk.team_device_id()?,
            state: team,
            syncing: line.syncing.load(Ordering::SeqCst),
            error: line.error(),
            conflicts,
        })
    })
}

/// One sync, unless one is running already — then that one goes round once more when it ends
/// (a press is never lost); its outcome is kept for the sync line.
fn sync_once(state: &AppState, line: &TeamLine) -> Option<srt_core::Result<SyncReport>> {
    coalesced(line, || team_sync_in_steps(&Steps(state)))
}

/// Runs `run` unless a run is going on (then asks that one to go again and answers None); runs
/// again while a request came during the run, as long as the runs succeed.
fn coalesced(
    line: &TeamLine,
    mut run: impl FnMut() -> srt_core::Result<SyncReport>,
) -> Option<srt_core::Result<SyncReport>> {
    if line.syncing.swap(true, Ordering::SeqCst) {
        line.again.store(true, Ordering::SeqCst);
        return None;
    }
    let result = loop {
        line.again.store(false, Ordering::SeqCst);
        *line.last_try.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
        let result = run();
        *line.last_error.lock().unwrap_or_else(|p| p.into_inner()) =
            result.as_ref().err().map(|e| e.payload());
        if result.is_err() || !line.again.load(Ordering::SeqCst) {
            break result;
        }
    };
    line.syncing.store(false, Ordering::SeqCst);
    // A request that came between the last look and the line above: it is run now.
    if result.is_ok() && line.again.swap(false, Ordering::SeqCst) {
        return coalesced(line, run);
    }
    Some(result)
}

#[tauri::command]
pub fn team_state(
    state: State<'_, AppState>,
    line: State<'_, TeamLine>,
) -> CommandResult<TeamStatus> {
    status(&state, &line)
}

/// "Sünkrooni": runs on a worker thread (an async command), never on the window's.
#[tauri::command(async)]
pub fn team_sync_now(
    state: State<'_, AppState>,
    line: State<'_, TeamLine>,
) -> CommandResult<TeamStatus> {
    if let Some(Err(e)) = off_runtime(|| sync_once(&state, &line)) {
        eprintln!("srt-desk: team sync failed: {}", e.code());
    }
    status(&state, &line)
}

/// Joins the team with the server's address, the one-time join code and the CA certificate file
/// picked in the dialog; then the first sync.
#[tauri::command(async)]
pub fn team_join(
    state: State<'_, AppState>,
    line: State<'_, TeamLine>,
    server: String,
    code: String,
    ca_path: PathBuf,
) -> CommandResult<Member> {
    let ca = std::fs::read(&ca_path).map_err(|_| {
        CommandError::from(srt_core::Error::field(
            "ca",
            "team.ca_unreadable",
            "Sertifikaadi faili ei saa lugeda.",
            "The certificate file cannot be read.",
        ))
    })?;
    let device = format!("SRT Desk ({})", srt_core::launch::os_user_name());
    let member = state.with(|s| {
        off_runtime(|| {
            let (desk, keys) = s.desk_and_keys()?;
            desk.team_join(keys, server.trim(), &ca, code.trim(), &device)
        })
    })?;
    let _ = off_runtime(|| sync_once(&state, &line));
    Ok(member)
}

#[tauri::command(async)]
pub fn team_conflicts(state: State<'_, AppState>) -> CommandResult<Vec<TeamConflict>> {
    state.with(|s| s.desk()?.team_conflicts())
}

/// Keep mine, keep theirs, or an edited merge (a value for each field of the conflict).
#[tauri::command(async)]
pub fn team_resolve(
    state: State<'_, AppState>,
    id: i64,
    choice: String,
    columns: Option<BTreeMap<String, serde_json::Value>>,
) -> CommandResult<Vec<TeamConflict>> {
    let choice = match choice.as_str() {
        "mine" => Resolution::Mine,
        "server" => Resolution::Server,
        _ => Resolution::Merged(columns.unwrap_or_default()),
    };
    state.with(|s| {
        off_runtime(|| {
            let (desk, keys) = s.desk_and_keys()?;
            desk.team_resolve(keys, id, choice)?;
            desk.team_conflicts()
        })
    })
}

#[tauri::command(async)]
pub fn team_members(state: State<'_, AppState>) -> CommandResult<Vec<TeamMember>> {
    state.with(|s| {
        off_runtime(|| {
            let (desk, keys) = s.desk_and_keys()?;
            desk.team_members(keys)
        })
    })
}

#[tauri::command(async)]
pub fn team_invite(
    state: State<'_, AppState>,
    login: String,
    name: String,
    role: String,
) -> CommandResult<TeamInvite> {
    state.with(|s| {
        off_runtime(|| {
            let (desk, keys) = s.desk_and_keys()?;
            desk.team_invite(keys, &login, &name, &role)
        })
    })
}

#[tauri::command(async)]
pub fn team_devices(state: State<'_, AppState>) -> CommandResult<Vec<TeamDevice>> {
    state.with(|s| {
        off_runtime(|| {
            let (desk, keys) = s.desk_and_keys()?;
            desk.team_devices(keys)
        })
    })
}

#[tauri::command(async)]
pub fn team_revoke(state: State<'_, AppState>, id: i64) -> CommandResult<Vec<TeamDevice>> {
    state.with(|s| {
        off_runtime(|| {
            let (desk, keys) = s.desk_and_keys()?;
            desk.team_revoke(keys, id)?;
            desk.team_devices(keys)
        })
    })
}

#[tauri::command(async)]
pub fn team_substitutions(state: State<'_, AppState>) -> CommandResult<Vec<TeamSubstitution>> {
    state.with(|s| {
        off_runtime(|| {
            let (desk, keys) = s.desk_and_keys()?;
            desk.team_substitutions(keys)
        })
    })
}

#[tauri::command(async)]
pub fn team_substitute(
    state: State<'_, AppState>,
    absent: String,
    substitute: String,
    from: String,
    to: String,
) -> CommandResult<Vec<TeamSubstitution>> {
    state.with(|s| {
        off_runtime(|| {
            let (desk, keys) = s.desk_and_keys()?;
            desk.team_substitute_as_typed(keys, &absent, &substitute, &from, &to)?;
            desk.team_substitutions(keys)
        })
    })
}

#[tauri::command(async)]
pub fn team_substitution_cancel(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<Vec<TeamSubstitution>> {
    state.with(|s| {
        off_runtime(|| {
            let (desk, keys) = s.desk_and_keys()?;
            desk.team_cancel_substitution(keys, id)?;
            desk.team_substitutions(keys)
        })
    })
}

/// Gives one case or several (by number) to another coordinator.
#[tauri::command(async)]
pub fn team_reassign(
    state: State<'_, AppState>,
    case_nos: Vec<String>,
    to: String,
) -> CommandResult<u64> {
    state.with(|s| {
        off_runtime(|| {
            let (desk, keys) = s.desk_and_keys()?;
            desk.team_reassign(keys, &case_nos, &to)
        })
    })
}

/// The lead says who changes the team-wide data: "lead" or "all" members.
#[tauri::command(async)]
pub fn team_set_data_writers(state: State<'_, AppState>, writers: String) -> CommandResult<()> {
    state.with(|s| {
        off_runtime(|| {
            let (desk, keys) = s.desk_and_keys()?;
            desk.team_set_data_writers(keys, &writers)
        })
    })
}

/// The desk's cases with their responsible coordinator (the reassignment's list, the filter).
#[tauri::command(async)]
pub fn team_cases(state: State<'_, AppState>) -> CommandResult<Vec<srt_core::sync::TeamCaseLine>> {
    state.with(|s| s.desk()?.team_cases())
}

/// The coordinators whose cases this desk holds, for the case list's and the dashboard's filter
/// (none on a desk not in a team).
#[tauri::command(async)]
pub fn team_coordinators(
    state: State<'_, AppState>,
) -> CommandResult<Vec<srt_core::sync::TeamCoordinator>> {
    state.with(|s| s.desk()?.team_coordinators())
}

/// Opens a colleague's case for today with a stated reason (a coordinator's desk): the desk is
/// held only for the local steps, and the sync that brings the case runs as the sync line's
/// (one at a time: when one runs, it goes round once more and this waits for it).
#[tauri::command(async)]
pub fn team_open_case(
    state: State<'_, AppState>,
    line: State<'_, TeamLine>,
    case_no: String,
    reason: String,
) -> CommandResult<srt_core::sync::OpenedCase> {
    let opened = off_runtime(|| {
        team_open_case_in_steps(&Steps(&state), &case_no, &reason, &mut || {
            match sync_once(&state, &line) {
                Some(result) => result,
                None => {
                    // A sync was running: it goes round once more, for this case too.
                    let until = Instant::now() + Duration::from_secs(300);
                    while line.syncing.load(Ordering::SeqCst) && Instant::now() < until {
                        std::thread::sleep(Duration::from_millis(100));
                    }
                    Ok(SyncReport::default())
                }
            }
        })
    })?;
    Ok(opened)
}

/// How often the automatic sync looks: a sync a few seconds after a change when the last one
/// reached the server, or after the team server said a colleague's change concerns this desk
/// (`team_wake`), every few minutes otherwise, and at once after unlocking.
const LOOK: Duration = Duration::from_secs(3);
const EVERY: Duration = Duration::from_secs(180);

/// The automatic sync's thread.
pub fn start_auto_sync<R: tauri::Runtime>(handle: tauri::AppHandle<R>) {
    super::team_wake::start_listener(handle.clone());
    std::thread::spawn(move || {
        let mut was_open = false;
        loop {
            std::thread::sleep(LOOK);
            let (Some(state), Some(line)) = (
                handle.try_state::<AppState>(),
                handle.try_state::<TeamLine>(),
            ) else {
                break;
            };
            let team = state
                .peek(|s| {
                    if !s.is_open() {
                        return Ok(None);
                    }
                    Ok(Some(s.desk()?.team_state()?))
                })
                .ok()
                .flatten();
            let Some(team) = team else {
                was_open = false;
                continue;
            };
            let just_unlocked = !was_open;
            was_open = true;
            if !team.joined {
                continue;
            }
            let since = line
                .last_try
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .map(|t| t.elapsed());
            let connected = line.error().is_none();
            let due = just_unlocked
                || super::team_wake::take_woken()
                || since.is_none_or(|t| t >= EVERY)
                || (team.waiting > 0 && connected);
            if due {
                let _ = sync_once(&state, &line);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::open_state;

    /// A desk not in a team: the line says so, and a sync answers with the desk's own code
    /// (not an internal error), kept for the line; a locked desk's code comes through the steps.
    #[test]
    fn the_sync_line_keeps_the_last_syncs_error_code() {
        let dir = tempfile::tempdir().expect("tmp");
        let state = open_state(&dir.path().join("desk.db"));
        let line = TeamLine::default();
        let before = status(&state, &line).expect("status");
        assert!(!before.state.joined && !before.syncing && before.error.is_none());
        let err = sync_once(&state, &line)
            .expect("ran")
            .expect_err("not joined");
        assert_eq!(err.code(), "sync.not_joined");
        let after = status(&state, &line).expect("status");
        assert_eq!(after.error.expect("kept").code, "sync.not_joined");
        assert!(!after.syncing);
        state.peek(|s| Ok(s.lock("manual"))).expect("lock");
        let locked = sync_once(&state, &line).expect("ran").expect_err("locked");
        assert_eq!(locked.code(), "desk.locked");
    }

    /// "Sünkrooni" pressed while a sync runs is not lost: the running sync goes round once more
    /// (twice pressed, still once more), and a press with nothing running runs at once.
    #[test]
    fn a_press_during_a_sync_makes_it_go_round_once_more() {
        let line = TeamLine::default();
        let runs = std::sync::atomic::AtomicUsize::new(0);
        let out = coalesced(&line, || {
            let n = runs.fetch_add(1, Ordering::SeqCst);
            if n == 0 {
                // Two presses while the first round runs: each answers at once, nothing runs.
                assert!(coalesced(&line, || unreachable!("a second sync at once")).is_none());
                assert!(coalesced(&line, || unreachable!("a second sync at once")).is_none());
            }
            Ok(SyncReport::default())
        });
        assert!(out.expect("ran").is_ok());
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        assert!(!line.syncing.load(Ordering::SeqCst));
        // A failed round does not go again (the line shows the error; the next press retries).
        let failed = std::sync::atomic::AtomicUsize::new(0);
        let out = coalesced(&line, || {
            failed.fetch_add(1, Ordering::SeqCst);
            line.again.store(true, Ordering::SeqCst);
            Err(srt_core::Error::Locked)
        });
        assert!(out.expect("ran").is_err());
        assert_eq!(failed.load(Ordering::SeqCst), 1);
    }
}
