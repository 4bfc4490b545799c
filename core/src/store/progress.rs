//! Long work the window can follow and cancel: how far it has come, and a way to stop it from
//! another thread (the open desk's connection is interrupted; an upgrade watches a flag). The
//! store's upgrade and backup report through it; the desk hands it to the window.

use std::sync::Arc;

/// Stops what the desk's connection is running right now (a long statistics query, an export,
/// a backup) from another thread: the running statement ends with "work.cancelled" and its
/// transaction is rolled back, so nothing is half-written. While the desk is locked it stops an
/// unlock's schema upgrade instead, through the flag the upgrade watches.
pub struct WorkCancel(CancelBy);

enum CancelBy {
    /// The open desk's connection: SQLite stops the running statement; the flag is raised too,
    /// for work of many short statements (the demo load), where a cancel may fall between two.
    Interrupt(rusqlite::InterruptHandle, WorkProgress),
    /// Work without an open desk (an unlock's upgrade) that watches this flag.
    Flag(WorkProgress),
}

impl std::fmt::Debug for WorkCancel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WorkCancel")
    }
}

impl WorkCancel {
    pub fn cancel(&self) {
        match &self.0 {
            CancelBy::Interrupt(handle, progress) => {
                progress.cancel();
                handle.interrupt();
            }
            CancelBy::Flag(progress) => progress.cancel(),
        }
    }

    /// Cancels the work that reports to `progress` and watches its flag.
    /// Cancels the work of an open connection: its running statement, and the flag.
    pub(crate) fn by_interrupt(handle: rusqlite::InterruptHandle, progress: WorkProgress) -> Self {
        WorkCancel(CancelBy::Interrupt(handle, progress))
    }

    pub fn by_flag(progress: WorkProgress) -> Self {
        Self(CancelBy::Flag(progress))
    }
}

/// How far long work has come: `done` of `total` (bytes for a backup), readable from another
/// thread while the work holds the desk. Both are 0 when nothing measurable runs. It also carries
/// a request to stop for work that has no open desk to interrupt (an unlock's upgrade).
#[derive(Debug, Clone, Default)]
pub struct WorkProgress(Arc<ProgressCells>);

#[derive(Debug, Default)]
struct ProgressCells {
    done: std::sync::atomic::AtomicU64,
    total: std::sync::atomic::AtomicU64,
    /// How far the step under way has come, in thousandths (a long step of an upgrade).
    part: std::sync::atomic::AtomicU64,
    cancelled: std::sync::atomic::AtomicBool,
}

impl WorkProgress {
    /// `done` of `total`; the step under way starts from nothing.
    pub fn set(&self, done: u64, total: u64) {
        use std::sync::atomic::Ordering::Relaxed;
        self.0.total.store(total, Relaxed);
        self.0.done.store(done.min(total), Relaxed);
        self.0.part.store(0, Relaxed);
    }

    /// How far the step under way has come, in thousandths (at most 999: done is done by `set`).
    pub fn set_part(&self, thousandths: u64) {
        self.0
            .part
            .store(thousandths.min(999), std::sync::atomic::Ordering::Relaxed);
    }

    /// The step under way, in thousandths.
    pub fn part(&self) -> u64 {
        self.0.part.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// (done, total).
    pub fn get(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.0.done.load(Relaxed), self.0.total.load(Relaxed))
    }

    /// Ready for new work: nothing done, nothing asked to stop.
    pub fn reset(&self) {
        self.set(0, 0);
        self.0
            .cancelled
            .store(false, std::sync::atomic::Ordering::Relaxed);
    }

    /// Ask the work to stop (it checks between its steps and while SQLite runs one).
    pub fn cancel(&self) {
        self.0
            .cancelled
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(std::sync::atomic::Ordering::Relaxed)
    }
}
