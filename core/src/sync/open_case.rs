//! Opening a colleague's case (a colleague asks for help): only with a stated reason, recorded in
//! the server's `case_openings` and in this desk's audit log; the case arrives with the sync that
//! follows and leaves this desk at the first sync of another day (docs/team-protocol.md).

use serde_json::json;

use super::SyncReport;
use crate::error::{Error, Result};
use crate::{Desk, KeyStore};

/// The shortest reason taken (characters, after trimming); the server holds the same rule.
pub const MIN_REASON: usize = 10;

impl Desk {
    /// Opens the team case `case_no`, not in this member's scope, for today with `reason`, then
    /// syncs so that it arrives. Audited (`team.case.open`: the case number and the reason).
    pub fn team_open_case(
        &mut self,
        keys: &dyn KeyStore,
        case_no: &str,
        reason: &str,
    ) -> Result<SyncReport> {
        let case_no = case_no.trim();
        let reason = reason.trim();
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
                &format!(
                    "Kolleegi juhtumi avamiseks kirjuta põhjus (vähemalt {MIN_REASON} märki)."
                ),
                &format!(
                    "To open a colleague's case, state the reason (at least {MIN_REASON} characters)."
                ),
            ));
        }
        let client = self.team_client(keys)?;
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
        self.audit("team.case.open", "case", case_no, reason)?;
        self.team_sync(keys)
    }
}
