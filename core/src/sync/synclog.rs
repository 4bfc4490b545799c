//! `Desk::team_sync`: the one sync (background.rs, logged there for the Board's IT) run by the
//! desk's owner (srt-admin, the tests), holding its desk for every step.

use std::cell::RefCell;

use super::background::{team_sync_in_steps, LocalSteps};
use super::SyncReport;
use crate::error::Result;
use crate::{Desk, KeyStore};

/// The desk held by its owner for a whole sync (srt-admin, the tests): every step takes it.
pub(super) struct Held<'a> {
    pub(super) desk: RefCell<&'a mut Desk>,
    pub(super) keys: &'a dyn KeyStore,
}

impl LocalSteps for Held<'_> {
    fn local(&self, step: &mut dyn FnMut(&mut Desk, &dyn KeyStore) -> Result<()>) -> Result<()> {
        let mut desk = self.desk.borrow_mut();
        step(&mut desk, self.keys)
    }
}

impl Desk {
    /// Push the outbox (a push cut off is simply sent again: change ids make it idempotent), pull
    /// (snapshots, changes, purges) with capture off, bring the derived tables up to date, then
    /// refresh the members and open conflicts and upload the audit chain. Logged (`sync` or
    /// `sync failed`). The window runs the same sync in steps without holding the desk across a
    /// network call ([`team_sync_in_steps`]).
    pub fn team_sync(&mut self, keys: &dyn KeyStore) -> Result<SyncReport> {
        team_sync_in_steps(&Held {
            desk: RefCell::new(self),
            keys,
        })
    }
}
