//! Long work the window can follow and cancel: the desk's handles on it.

use crate::error::Result;
use crate::store::progress::{WorkCancel, WorkProgress};
use crate::Desk;

impl Desk {
    /// A handle that cancels this desk's running work; cheap, and safe to keep after a lock.
    pub fn work_cancel(&self) -> WorkCancel {
        WorkCancel::by_interrupt(
            self.store.connection().get_interrupt_handle(),
            self.progress.clone(),
        )
    }

    /// While `on`, every statement of this desk's connection watches the cancel flag that
    /// [`WorkCancel::cancel`] raises, so that "Katkesta" also stops work of many short statements
    /// (statistics, the demo load) when it falls between two of them, where SQLite's interrupt
    /// finds nothing running and is lost. The app turns it on for each user action, after
    /// lowering the flag ([`WorkProgress::reset`]), and off after it.
    pub fn watch_cancel(&self, on: bool) -> Result<()> {
        let conn = self.store.connection();
        if on {
            let flag = self.progress.clone();
            conn.progress_handler(1_000, Some(move || flag.is_cancelled()))?;
        } else {
            conn.progress_handler(1_000, None::<fn() -> bool>)?;
        }
        Ok(())
    }

    /// A handle that reads how far this desk's long work has come (a backup), from another
    /// thread while the work runs.
    pub fn work_progress(&self) -> WorkProgress {
        self.progress.clone()
    }
}
