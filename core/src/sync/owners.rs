//! Who is responsible for the cases this desk holds (`sync_case_owner`, kept by the sync): the
//! coordinators the case list and the dashboard filter by. A case not yet pushed is this desk's
//! member's (the server makes the pushing member its coordinator).

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{Error, Result};

/// A member whose cases this desk holds (and this desk's own member, always first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamCoordinator {
    pub login: String,
    pub name: String,
    /// This desk's own member ("mine").
    pub mine: bool,
    /// How many cases of this member the desk holds.
    pub cases: i64,
}

/// Each case's responsible member id, as the filters count it.
const OWNER_OF_CASE: &str = "SELECT coalesce(o.owner_id, s.member_id) AS owner, c.id AS case_id
     FROM srt_case c JOIN sync_state s ON s.id = 1
     LEFT JOIN sync_case_owner o ON o.case_gid = c.gid";

/// The coordinators of this desk's cases: its own member first, then the others by name. Empty
/// on a desk not in a team.
pub fn coordinators(conn: &Connection) -> Result<Vec<TeamCoordinator>> {
    let me: Option<(i64, String)> = conn
        .query_row(
            "SELECT member_id, member_login FROM sync_state
             WHERE id = 1 AND joined = 1 AND member_id IS NOT NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((me, my_login)) = me else {
        return Ok(Vec::new());
    };
    let mut list = conn
        .prepare(&format!(
            "SELECT k.owner, coalesce(m.login, CASE WHEN k.owner = ?1 THEN ?2 END, '#' || k.owner),
                    coalesce(nullif(m.name, ''), m.login, ?2), count(*)
             FROM ({OWNER_OF_CASE}) k LEFT JOIN sync_member m ON m.id = k.owner
             GROUP BY k.owner"
        ))?
        .query_map(rusqlite::params![me, my_login], |r| {
            Ok(TeamCoordinator {
                mine: r.get::<_, i64>(0)? == me,
                login: r.get(1)?,
                name: r.get(2)?,
                cases: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if !list.iter().any(|c| c.mine) {
        let name: String = conn
            .query_row(
                "SELECT coalesce(nullif(name, ''), login) FROM sync_member WHERE id = ?1",
                [me],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| my_login.clone());
        list.push(TeamCoordinator {
            login: my_login,
            name,
            mine: true,
            cases: 0,
        });
    }
    list.sort_by(|a, b| (!a.mine, &a.name, &a.login).cmp(&(!b.mine, &b.name, &b.login)));
    Ok(list)
}

/// The member id of `login` on this team (this desk's own member or one the server listed);
/// a login the desk does not know, or a desk not in a team, is refused on the field.
pub fn member_id(conn: &Connection, login: &str) -> Result<i64> {
    let login = login.trim();
    let found: Option<i64> = conn
        .query_row(
            "SELECT member_id FROM sync_state
             WHERE id = 1 AND joined = 1 AND member_login = ?1 AND member_id IS NOT NULL
             UNION ALL
             SELECT m.id FROM sync_member m JOIN sync_state s ON s.id = 1 AND s.joined = 1
             WHERE m.login = ?1
             LIMIT 1",
            [login],
            |r| r.get(0),
        )
        .optional()?;
    found.ok_or_else(|| {
        Error::field(
            "coordinator",
            "team.coordinator_unknown",
            "Sellist koordinaatorit selle töölaua meeskonnas ei ole.",
            "There is no such coordinator in this desk's team.",
        )
    })
}

/// The ids of the cases on this desk that member `owner` is responsible for.
pub fn cases_of(conn: &Connection, owner: i64) -> Result<HashSet<i64>> {
    Ok(conn
        .prepare(&format!(
            "SELECT k.case_id FROM ({OWNER_OF_CASE}) k WHERE k.owner = ?1"
        ))?
        .query_map([owner], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<HashSet<_>>>()?)
}
