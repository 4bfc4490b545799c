//! The desk held one local step at a time: a sync's network calls run with the desk let go, and
//! each local step takes it from its holder (the window's session, or a desk of its own) and
//! gives it back when the step returns. Shared by the stepped sync (`background.rs`), the
//! service manager's rows (`manager.rs`) and the documents' files (`files.rs`).

use super::SyncError;
use crate::error::Result;
use crate::{Desk, KeyStore};

/// Who holds the desk: `local` takes it for one step (e.g. locks the window's mutex) and lets it
/// go when the step returns.
pub trait LocalSteps {
    fn local(&self, step: &mut dyn FnMut(&mut Desk, &dyn KeyStore) -> Result<()>) -> Result<()>;
}

pub(super) fn step<T, L: LocalSteps + ?Sized>(
    l: &L,
    f: impl FnOnce(&mut Desk, &dyn KeyStore) -> Result<T>,
) -> Result<T> {
    let mut f = Some(f);
    let mut out = None;
    l.local(&mut |d, k| {
        if let Some(f) = f.take() {
            out = Some(f(d, k)?);
        }
        Ok(())
    })?;
    out.ok_or_else(|| {
        SyncError::new(
            "sync.internal",
            "Sünkroonimist ei saa alustada",
            "Sync cannot start",
            "step not run",
        )
        .into()
    })
}
