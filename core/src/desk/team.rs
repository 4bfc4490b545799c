//! The team desk's filter by responsible coordinator (issue 28): who the case list and the
//! dashboard can be filtered by, and the member a login names. The ownership is the sync
//! part's (`sync::owners`); the lists filter by it in SQL.

use crate::error::Result;
use crate::sync::owners::{self, TeamCoordinator};
use crate::sync::SyncClient;
use crate::{Desk, KeyStore};

impl Desk {
    /// The coordinators whose cases this desk holds (its own member first; a lead or a
    /// substitute sees several); empty on a desk not in a team (no filter is shown).
    pub fn team_coordinators(&self) -> Result<Vec<TeamCoordinator>> {
        owners::coordinators(self.store.connection())
    }

    /// The member id of the coordinator a filter names (None for the empty filter, "all").
    pub(crate) fn coordinator_filter(&self, login: &str) -> Result<Option<i64>> {
        if login.trim().is_empty() {
            return Ok(None);
        }
        owners::member_id(self.store.connection(), login).map(Some)
    }

    /// Whether the member id is this desk's own member.
    pub(crate) fn is_own_member(&self, member: i64) -> Result<bool> {
        Ok(self.store.connection().query_row(
            "SELECT count(*) FROM sync_state WHERE id = 1 AND member_id = ?1",
            [member],
            |r| r.get::<_, i64>(0),
        )? == 1)
    }
}

impl Desk {
    /// The client and this device's id for the server's events stream (a joined desk only;
    /// `sync::events::listen` keeps the stream).
    pub fn team_events_client(&self, keys: &dyn KeyStore) -> Result<(SyncClient, i64)> {
        let client = self.team_client(keys)?;
        let device_id = self.team_device_id()?;
        Ok((client, device_id))
    }
}
