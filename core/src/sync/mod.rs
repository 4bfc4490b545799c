//! The desk's side of the team protocol (docs/team-protocol.md): the wire types and an HTTPS
//! client that trusts only the team's CA pinned at join (no system roots, no plain HTTP).
//!
//! The client is blocking (the desk's domain code is synchronous); call it from a worker thread,
//! never from an async runtime's thread. Changes are captured in the desk's own transactions by
//! triggers ([`capture`]), pulled rows applied with capture off (`apply`), and the Desk's team
//! methods (join, sync, cases, substitutions, conflicts) are in `desk`.

mod admin;
mod apply;
pub mod background;
pub(crate) mod capture;
mod client;
mod desk;
pub mod events;
mod files;
mod manager;
pub(crate) mod numbers;
mod open_case;
pub mod owners;
mod rejoin;
mod steps;
mod synclog;

pub use admin::{TeamDevice, TeamInvite, TeamMember, TeamSubstitution};
pub use client::{SyncClient, SyncError};
pub use desk::{ConflictColumn, Resolution, SyncReport, TeamCaseLine, TeamConflict, TeamState};
pub use open_case::{team_open_case_in_steps, CaseOpening, OpenedCase};
pub use owners::TeamCoordinator;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Insert,
    Update,
    Delete,
}

/// One column of a change: the value the desk's edit started from, and its new value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnChange {
    #[serde(default)]
    pub base: Value,
    #[serde(default)]
    pub new: Value,
}

/// A change as the desk pushes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeRecord {
    /// Made once per change (UUID) and kept until the server answered: a repeat is harmless.
    pub change_id: String,
    pub table: String,
    pub row_id: String,
    /// The case the row belongs to; None for team-wide rows.
    pub case_id: Option<String>,
    pub op: Op,
    pub columns: BTreeMap<String, ColumnChange>,
    /// The desk's hybrid logical clock at the write.
    pub hlc: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: String,
}

/// What a join gives: the device token (for the OS credential store), the device and member.
#[derive(Debug, Clone, Deserialize)]
pub struct Joined {
    pub token: String,
    pub device_id: i64,
    pub member: Member,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PushOutcome {
    pub change_id: String,
    /// applied, conflicted, duplicate or rejected.
    pub outcome: String,
    pub seq: Option<i64>,
    pub conflict_id: Option<i64>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PushReply {
    pub results: Vec<PushOutcome>,
    pub applied: u64,
    pub conflicted: u64,
    pub duplicates: u64,
    pub rejected: u64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PulledChange {
    pub seq: i64,
    pub change_id: String,
    pub table: String,
    pub row_id: String,
    pub case_id: Option<String>,
    pub op: Op,
    pub columns: BTreeMap<String, ColumnChange>,
    pub author_id: i64,
    pub hlc: String,
}

/// The current values of a row of a case this desk did not hold.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Snapshot {
    pub table: String,
    pub row_id: String,
    pub case_id: String,
    pub data: Map<String, Value>,
    pub deleted: bool,
    pub seq: i64,
    pub owner_id: i64,
}

/// One page of a pull: apply snapshots, then changes; delete the purged cases; store next_seq.
#[derive(Debug, Clone, Deserialize)]
pub struct PullPage {
    pub changes: Vec<PulledChange>,
    pub snapshots: Vec<Snapshot>,
    pub purges: Vec<String>,
    pub next_seq: i64,
    pub more: bool,
    /// The page's number, which the desk confirms at its next pull once it has applied the page
    /// (None from a server before page numbers, and on the manager's pages).
    #[serde(default)]
    pub page: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_record_has_the_protocols_shape() {
        let mut columns = BTreeMap::new();
        columns.insert(
            "text".to_string(),
            ColumnChange {
                base: Value::Null,
                new: Value::String("a".into()),
            },
        );
        let change = ChangeRecord {
            change_id: "c".into(),
            table: "notes".into(),
            row_id: "r".into(),
            case_id: None,
            op: Op::Insert,
            columns,
            hlc: "h".into(),
        };
        let json = serde_json::to_value(&change).expect("json");
        assert_eq!(json["op"], "insert");
        assert_eq!(json["case_id"], Value::Null);
        assert_eq!(json["columns"]["text"]["new"], "a");
    }
}
