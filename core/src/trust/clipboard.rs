//! Case data copied to the clipboard is cleared after 30 seconds — unless the clipboard holds
//! something else by then (the user copied something newer, which is left alone). The app keeps
//! only a SHA-256 of what was copied, never the text. Locking clears at once.

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// How long copied case data may stay on the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(30);

/// The system clipboard, as far as this needs it.
pub trait Clipboard {
    fn read_text(&mut self) -> Option<String>;
    fn clear(&mut self) -> bool;
}

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// Remembers what the app put on (or let onto) the clipboard, and when to clear it.
#[derive(Debug, Default)]
pub struct ClipboardGuard {
    pending: Option<([u8; 32], Instant)>,
}

impl ClipboardGuard {
    /// Text from a case was copied at `now`.
    pub fn copied(&mut self, text: &str, now: Instant) {
        if text.trim().is_empty() {
            return;
        }
        self.pending = Some((digest(text), now + CLEAR_AFTER));
    }

    /// When the next clearing is due, if any.
    pub fn due_at(&self) -> Option<Instant> {
        self.pending.map(|(_, at)| at)
    }

    /// Clear when due (or at once when `force`, e.g. on lock): only if the clipboard still holds
    /// what was copied. Returns true when it cleared.
    pub fn tick(&mut self, clipboard: &mut dyn Clipboard, now: Instant, force: bool) -> bool {
        let Some((hash, at)) = self.pending else {
            return false;
        };
        if !force && now < at {
            return false;
        }
        self.pending = None;
        match clipboard.read_text() {
            Some(current) if digest(&current) == hash => clipboard.clear(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Fake(Option<String>);
    impl Clipboard for Fake {
        fn read_text(&mut self) -> Option<String> {
            self.0.clone()
        }
        fn clear(&mut self) -> bool {
            self.0 = None;
            true
        }
    }

    #[test]
    fn copied_case_data_is_cleared_after_thirty_seconds() {
        let t0 = Instant::now();
        let mut clip = Fake(Some("61303150029".into()));
        let mut guard = ClipboardGuard::default();
        guard.copied("61303150029", t0);
        assert!(!guard.tick(&mut clip, t0 + Duration::from_secs(29), false));
        assert!(clip.0.is_some(), "not before 30 s");
        assert!(guard.tick(&mut clip, t0 + Duration::from_secs(30), false));
        assert!(clip.0.is_none());
        assert!(guard.due_at().is_none());
    }

    #[test]
    fn something_copied_later_is_left_alone() {
        let t0 = Instant::now();
        let mut clip = Fake(Some("a newer text from another program".into()));
        let mut guard = ClipboardGuard::default();
        guard.copied("Mirtel Testsaar", t0);
        assert!(!guard.tick(&mut clip, t0 + CLEAR_AFTER, false));
        assert_eq!(clip.0.as_deref(), Some("a newer text from another program"));
    }

    #[test]
    fn locking_clears_at_once_and_blank_copies_are_ignored() {
        let t0 = Instant::now();
        let mut clip = Fake(Some("SRT-2026-00001".into()));
        let mut guard = ClipboardGuard::default();
        guard.copied("   ", t0);
        assert!(guard.due_at().is_none());
        guard.copied("SRT-2026-00001", t0);
        assert!(guard.tick(&mut clip, t0, true));
        assert!(clip.0.is_none());
    }
}
