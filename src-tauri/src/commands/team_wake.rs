//! The automatic sync woken by the team server (issue 28): a thread of its own keeps the server's
//! events stream open ([`srt_core::sync::events::listen`], the blocking client, reconnecting with
//! backoff) while the desk is open and joined, and raises a flag that the automatic sync's thread
//! ([`super::team::start_auto_sync`]) reads every few seconds. The session is taken only for a
//! moment (to make the client, to ask whether the desk is still open); never while it waits.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use srt_core::sync::events;
use tauri::Manager;

use crate::AppState;

static WOKEN: AtomicBool = AtomicBool::new(false);

/// Whether the server said a colleague's change (or the team) concerns this desk since the last
/// call.
pub fn take_woken() -> bool {
    WOKEN.swap(false, Ordering::SeqCst)
}

fn open_and_joined<R: tauri::Runtime>(handle: &tauri::AppHandle<R>) -> bool {
    let Some(state) = handle.try_state::<AppState>() else {
        return false;
    };
    state
        .peek(|s| {
            if !s.is_open() {
                return Ok(false);
            }
            Ok(s.desk()?.team_state()?.joined)
        })
        .unwrap_or(false)
}

/// The listener's thread.
pub fn start_listener<R: tauri::Runtime>(handle: tauri::AppHandle<R>) {
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(3));
        if handle.try_state::<AppState>().is_none() {
            break;
        }
        if !open_and_joined(&handle) {
            continue;
        }
        events::listen(
            &mut || {
                handle
                    .try_state::<AppState>()?
                    .peek(|s| {
                        let (desk, keys) = s.desk_and_keys()?;
                        desk.team_events_client(keys)
                    })
                    .ok()
            },
            &|| open_and_joined(&handle),
            &mut |_| WOKEN.store(true, Ordering::SeqCst),
        );
    });
}
