//! Opening a colleague's case (a colleague asks for help): only with a stated reason, recorded in
//! the server's `case_openings` and in this desk's audit log; the case arrives with the sync that
//! follows and leaves this desk at the first sync of another day (docs/team-protocol.md).
//!
//! In steps, as the sync ([`team_open_case_in_steps`]): the desk is held for the local check,
//! for the audit row and for finding the case that arrived, never across the server's call, so
//! the window goes on while the server answers. [`Desk::team_open_case`] (srt-admin, the tests)
//! runs the same steps holding its own desk.

use std::cell::RefCell;

use rusqlite::OptionalExtension;
use serde::Serialize;
use serde_json::json;

use super::background::team_sync_in_steps;
use super::desk::MIN_REASON;
use super::steps::{step, LocalSteps};
use super::synclog::Held;
use super::SyncReport;
use crate::error::{Error, Result};
use crate::{Desk, KeyStore};

/// What opening a case came to: the case on this desk, to be shown.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenedCase {
    pub case_id: i64,
    pub case_no: String,
    /// The case was on this desk already (the member's own, a substitution's, or opened
    /// earlier today): nothing was asked of the server and nothing recorded.
    pub already: bool,
    /// The sync that brought it (empty when it was already here).
    #[serde(skip)]
    pub report: SyncReport,
}

/// Why a colleague's case is on this desk, for its page: opened with a reason (the latest
/// opening recorded on this desk), when the case is not the desk member's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseOpening {
    /// The day it was opened (the coordinator's calendar day).
    pub on: chrono::NaiveDate,
    /// Opened today (it leaves this desk at the first sync of another day).
    pub today: bool,
    pub reason: String,
}

/// The number and reason as typed, checked: trimmed, the number in capitals.
fn checked(case_no: &str, reason: &str) -> Result<(String, String)> {
    let case_no = case_no.trim().to_uppercase();
    let reason = reason.trim().to_string();
    if case_no.is_empty() {
        return Err(Error::field(
            "caseNo",
            "team.open_case_no",
            "Kirjuta juhtumi number.",
            "Enter the case number.",
        ));
    }
    if reason.chars().count() < MIN_REASON {
        return Err(Error::field(
            "reason",
            "team.open_reason",
            &format!("Kolleegi juhtumi avamiseks kirjuta põhjus (vähemalt {MIN_REASON} märki)."),
            &format!(
                "To open a colleague's case, state the reason (at least {MIN_REASON} characters)."
            ),
        ));
    }
    Ok((case_no, reason))
}

/// The case numbered `case_no` on this desk, if it is here.
fn case_here(d: &Desk, case_no: &str) -> Result<Option<i64>> {
    Ok(d.store
        .connection()
        .query_row(
            "SELECT id FROM srt_case WHERE case_no = ?1",
            [case_no],
            |r| r.get(0),
        )
        .optional()?)
}

/// The day of the latest opening of `case_no` recorded on this desk, if any.
fn latest_opening(d: &Desk, case_no: &str) -> Result<Option<(chrono::NaiveDate, String)>> {
    let Some((at, reason)) =
        crate::store::audit::latest(d.store.connection(), "team.case.open", "case", case_no)?
    else {
        return Ok(None);
    };
    let on = chrono::DateTime::parse_from_rfc3339(&at)
        .map(|t| t.with_timezone(&chrono::Local).date_naive())
        .map_err(|e| Error::Internal(format!("audit time {at}: {e}")))?;
    Ok(Some((on, reason)))
}

/// Opens the team case `case_no` for today with `reason`, the desk held one local step at a
/// time: the check (the number, the reason, whether the case is here already), the server's
/// call with the desk let go, the audit row (`team.case.open`: the case number and the reason),
/// then `sync` (the caller's: the window's runs as its sync line does), and the case found.
/// A case this desk opened today already (its sync failed, or the case had not arrived) is not
/// opened again: the server's opening lasts the day, so only the sync is repeated — one
/// opening and one audit row however often the coordinator presses again.
pub fn team_open_case_in_steps<L: LocalSteps + ?Sized>(
    l: &L,
    case_no: &str,
    reason: &str,
    sync: &mut dyn FnMut() -> Result<SyncReport>,
) -> Result<OpenedCase> {
    let (case_no, reason) = checked(case_no, reason)?;
    if let Some(case_id) = step(l, |d, _| case_here(d, &case_no))? {
        return Ok(OpenedCase {
            case_id,
            case_no,
            already: true,
            report: SyncReport::default(),
        });
    }
    let opened_today = step(l, |d, _| {
        Ok(latest_opening(d, &case_no)?.is_some_and(|(on, _)| on == d.clock.today()))
    })?;
    if !opened_today {
        open_on_server(l, &case_no, &reason)?;
    }
    let report = sync()?;
    let Some(case_id) = step(l, |d, _| case_here(d, &case_no))? else {
        return Err(Error::refused(
            "team.open_case_not_arrived",
            "Juhtum avati, kuid see ei ole veel töölauale jõudnud. Sünkrooni ja proovi uuesti.",
            "The case was opened but has not reached this desk yet. Sync and try again.",
            None,
        ));
    };
    Ok(OpenedCase {
        case_id,
        case_no,
        already: false,
        report,
    })
}

/// The server's call (the desk let go), then the audit row.
fn open_on_server<L: LocalSteps + ?Sized>(l: &L, case_no: &str, reason: &str) -> Result<()> {
    let client = step(l, |d, k| d.team_client(k))?;
    client
        .post_json(
            "/v1/cases/open",
            &json!({"case_no": case_no, "reason": reason}),
        )
        .map_err(|e| {
            if e.code == "sync.not_found" {
                Error::field(
                    "caseNo",
                    "team.open_case_unknown",
                    &format!("Meeskonnas ei ole juhtumit numbriga {case_no}."),
                    &format!("The team has no case numbered {case_no}."),
                )
            } else {
                Error::from(e)
            }
        })?;
    step(l, |d, _| d.audit("team.case.open", "case", case_no, reason))
}

impl Desk {
    /// Opens the team case `case_no`, not in this member's scope, for today with `reason`, then
    /// syncs so that it arrives ([`team_open_case_in_steps`], holding this desk). A case already
    /// on this desk is only found. Audited (`team.case.open`: the case number and the reason).
    pub fn team_open_case(
        &mut self,
        keys: &dyn KeyStore,
        case_no: &str,
        reason: &str,
    ) -> Result<OpenedCase> {
        let held = Held {
            desk: RefCell::new(self),
            keys,
        };
        team_open_case_in_steps(&held, case_no, reason, &mut || team_sync_in_steps(&held))
    }

    /// Why this colleague's case is on this desk: its latest opening recorded here, when the
    /// case is not the desk member's own (`None` on a desk not in a team, for one's own case,
    /// or a case not opened).
    pub fn team_case_opening(&self, case_id: i64) -> Result<Option<CaseOpening>> {
        let conn = self.store.connection();
        let colleagues: Option<String> = conn
            .query_row(
                "SELECT c.case_no FROM srt_case c JOIN sync_state s ON s.id = 1 AND s.joined = 1
                 JOIN sync_case_owner o ON o.case_gid = c.gid
                 WHERE c.id = ?1 AND o.owner_id IS NOT s.member_id",
                [case_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(case_no) = colleagues else {
            return Ok(None);
        };
        let Some((on, reason)) = latest_opening(self, &case_no)? else {
            return Ok(None);
        };
        Ok(Some(CaseOpening {
            on,
            today: on == self.clock.today(),
            reason,
        }))
    }
}
