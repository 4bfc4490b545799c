//! The team lead's calls from the window (issue 28): members, invitations, devices and their
//! revocation, substitutions with their history, and the reassignment of cases. Each goes to the
//! team server (which refuses a non-lead) and leaves one audit row on this desk (ids and counts,
//! never names or codes).

use rusqlite::OptionalExtension;
use serde::Serialize;
use serde_json::{json, Value};

use super::SyncError;
use crate::error::Result;
use crate::{Desk, KeyStore};

/// A member of the team as the server lists them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamMember {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: String,
    pub active: bool,
}

/// A new member's one-time join code (shown once to the lead, who hands it over).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamInvite {
    pub member_id: i64,
    pub code: String,
}

/// A device (laptop) of a member.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamDevice {
    pub id: i64,
    pub member_id: i64,
    pub name: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
    pub last_seen_at: Option<String>,
}

/// A substitution, current, to come, past or cancelled (the server keeps them all).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamSubstitution {
    pub id: i64,
    pub absent: String,
    pub substitute: String,
    pub from: String,
    pub to: String,
    pub cancelled: bool,
    pub current: bool,
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or("").to_string()
}

fn opt(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

impl Desk {
    /// A substitution with its dates as typed in the window (pp.kk.aaaa, or ISO): each date read
    /// the house's way, a bad one refused with its field's message before the server is asked.
    pub fn team_substitute_as_typed(
        &mut self,
        keys: &dyn KeyStore,
        absent: &str,
        by: &str,
        from: &str,
        to: &str,
    ) -> Result<i64> {
        let errors: Vec<_> = [("from", from), ("to", to)]
            .into_iter()
            .filter(|(_, v)| crate::values::parse_date(v).is_none())
            .map(|(f, v)| crate::values::date_error(f, v))
            .collect();
        match (
            crate::values::parse_date(from),
            crate::values::parse_date(to),
        ) {
            (Some(from), Some(to)) => self.team_substitute(keys, absent, by, from, to),
            _ => Err(crate::error::Error::Validation(errors)),
        }
    }

    /// The team's members with their roles.
    pub fn team_members(&self, keys: &dyn KeyStore) -> Result<Vec<TeamMember>> {
        let answer = self.team_client(keys)?.get_json("/v1/team/members")?;
        let list: Vec<TeamMember> = answer["members"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|m| TeamMember {
                id: m["id"].as_i64().unwrap_or(0),
                login: s(&m["login"]),
                name: s(&m["name"]),
                role: s(&m["role"]),
                active: m["active"].as_bool().unwrap_or(true),
            })
            .collect();
        self.audit(
            "team.members",
            "team",
            "",
            &format!("members {}", list.len()),
        )?;
        Ok(list)
    }

    /// Invites a member (the lead): the server makes a one-time join code.
    pub fn team_invite(
        &mut self,
        keys: &dyn KeyStore,
        login: &str,
        name: &str,
        role: &str,
    ) -> Result<TeamInvite> {
        let login = login.trim();
        if login.is_empty() || login.chars().any(char::is_whitespace) {
            return Err(crate::error::Error::field(
                "login",
                "team.login_invalid",
                "Kasutajanimi on kohustuslik ja ilma tühikuteta.",
                "A login is required, without spaces.",
            ));
        }
        if name.trim().is_empty() {
            return Err(crate::error::Error::field(
                "name",
                "team.name_required",
                "Nimi on kohustuslik.",
                "A name is required.",
            ));
        }
        if !["coordinator", "lead", "manager"].contains(&role) {
            return Err(crate::error::Error::field(
                "role",
                "team.role_invalid",
                "Vali roll: koordinaator, meeskonna juht või teenuse juht.",
                "Choose a role: coordinator, team lead or service manager.",
            ));
        }
        let answer = self.team_client(keys)?.post_json(
            "/v1/team/invite",
            &json!({"login": login, "name": name.trim(), "role": role}),
        )?;
        let invite = TeamInvite {
            member_id: answer["member_id"].as_i64().unwrap_or(0),
            code: s(&answer["code"]),
        };
        self.audit(
            "team.invite",
            "member",
            &invite.member_id.to_string(),
            &format!("role {role}"),
        )?;
        Ok(invite)
    }

    /// The team's devices (the lead sees all; a member their own).
    pub fn team_devices(&self, keys: &dyn KeyStore) -> Result<Vec<TeamDevice>> {
        let answer = self.team_client(keys)?.get_json("/v1/team/devices")?;
        let list: Vec<TeamDevice> = answer["devices"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| TeamDevice {
                id: d["id"].as_i64().unwrap_or(0),
                member_id: d["member_id"].as_i64().unwrap_or(0),
                name: s(&d["name"]),
                created_at: s(&d["created_at"]),
                revoked_at: opt(&d["revoked_at"]),
                last_seen_at: opt(&d["last_seen_at"]),
            })
            .collect();
        self.audit(
            "team.devices",
            "team",
            "",
            &format!("devices {}", list.len()),
        )?;
        Ok(list)
    }

    /// Revokes a device (a lost laptop): its token stops working at once.
    pub fn team_revoke(&mut self, keys: &dyn KeyStore, device_id: i64) -> Result<()> {
        self.team_client(keys)?
            .post_json(&format!("/v1/team/devices/{device_id}/revoke"), &json!({}))?;
        self.audit("team.revoke", "device", &device_id.to_string(), "")
    }

    /// Every substitution the server keeps: current, to come, past and cancelled.
    pub fn team_substitutions(&self, keys: &dyn KeyStore) -> Result<Vec<TeamSubstitution>> {
        let answer = self.team_client(keys)?.get_json("/v1/team/substitutions")?;
        let list: Vec<TeamSubstitution> = answer["substitutions"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| TeamSubstitution {
                id: x["id"].as_i64().unwrap_or(0),
                absent: s(&x["absent"]),
                substitute: s(&x["substitute"]),
                from: s(&x["from"]),
                to: s(&x["to"]),
                cancelled: x["cancelled"].as_bool().unwrap_or(false),
                current: x["current"].as_bool().unwrap_or(false),
            })
            .collect();
        self.audit(
            "team.substitutions",
            "team",
            "",
            &format!("substitutions {}", list.len()),
        )?;
        Ok(list)
    }

    /// Gives the cases (by their numbers on this desk) to the coordinator `to` (the lead). The
    /// new owner's desk gets them at its next sync; the history stays on the server.
    pub fn team_reassign(
        &mut self,
        keys: &dyn KeyStore,
        case_nos: &[String],
        to: &str,
    ) -> Result<u64> {
        if case_nos.is_empty() {
            return Err(crate::error::Error::field(
                "cases",
                "team.reassign_none",
                "Vali vähemalt üks juhtum.",
                "Choose at least one case.",
            ));
        }
        if to.trim().is_empty() {
            return Err(crate::error::Error::field(
                "to",
                "team.reassign_to",
                "Vali koordinaator, kellele juhtumid lähevad.",
                "Choose the coordinator the cases go to.",
            ));
        }
        let mut gids = Vec::new();
        for no in case_nos {
            let gid: Option<String> = self
                .store
                .connection()
                .query_row("SELECT gid FROM srt_case WHERE case_no = ?1", [no], |r| {
                    r.get(0)
                })
                .optional()?;
            match gid {
                Some(g) => gids.push(g),
                None => {
                    return Err(SyncError::new(
                        "sync.case_unknown",
                        "Seda juhtumit ei ole sellel töölaual",
                        "This desk does not hold that case",
                        "",
                    )
                    .into())
                }
            }
        }
        let answer = self.team_client(keys)?.post_json(
            "/v1/team/reassign",
            &json!({"case_ids": gids, "to": to.trim()}),
        )?;
        let n = answer["reassigned"].as_u64().unwrap_or(0);
        self.audit("team.reassign", "team", "", &format!("cases {n}"))?;
        Ok(n)
    }
}

impl Desk {
    /// The lead says who may change the team-wide data: "lead" (the default) or "all" members.
    /// The members' desks learn it at their next sync; until then they keep the old rule.
    pub fn team_set_data_writers(&mut self, keys: &dyn KeyStore, writers: &str) -> Result<()> {
        if !matches!(writers, "lead" | "all") {
            return Err(crate::error::Error::field(
                "writers",
                "team.data_writers",
                "Vali, kes muudab meeskonna ühiseid andmeid: ainult juht või kõik liikmed.",
                "Choose who changes the team-wide data: the lead only or every member.",
            ));
        }
        self.team_client(keys)?
            .post_json("/v1/team/settings", &json!({"team_data_writers": writers}))?;
        self.write_detailed("team.data_writers", "team", "", writers, |tx, _, _| {
            tx.execute(
                "UPDATE sync_state SET team_data_writers = ?1 WHERE id = 1",
                [writers],
            )?;
            Ok(())
        })
    }
}

impl Desk {
    /// This device's id in the team (0 when not joined), for Settings → Meeskond.
    pub fn team_device_id(&self) -> Result<i64> {
        Ok(self
            .store
            .connection()
            .query_row(
                "SELECT coalesce(device_id, 0) FROM sync_state WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }
}

impl Desk {
    /// The case's responsible coordinator on a desk in a team: the synced owner's name (its login
    /// when the name is not known), or this desk's member for a case not yet pushed. None on a
    /// desk not in a team (the window then shows the desk's coordinator, as before).
    pub fn team_case_coordinator(&self, case_id: i64) -> Result<Option<String>> {
        Ok(self.team_case_coordinators(&[case_id])?.remove(&case_id))
    }

    /// [`Desk::team_case_coordinator`] of several cases in one query (a page of the case list);
    /// empty on a desk not in a team.
    pub fn team_case_coordinators(
        &self,
        case_ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, String>> {
        let ids = serde_json::to_string(case_ids)
            .map_err(|e| crate::error::Error::Internal(format!("case ids: {e}")))?;
        let conn = self.store.connection();
        let mut st = conn.prepare_cached(
            "SELECT c.id, coalesce(nullif(m.name, ''), m.login, nullif(me.name, ''), s.member_login)
             FROM srt_case c JOIN sync_state s ON s.id = 1
             LEFT JOIN sync_case_owner o ON o.case_gid = c.gid
             LEFT JOIN sync_member m ON m.id = o.owner_id
             LEFT JOIN sync_member me ON me.id = s.member_id
             WHERE c.id IN (SELECT value FROM json_each(?1)) AND s.joined = 1",
        )?;
        let rows = st.query_map([ids], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
        })?;
        let mut out = std::collections::HashMap::new();
        for row in rows {
            if let (id, Some(name)) = row? {
                out.insert(id, name);
            }
        }
        Ok(out)
    }
}
