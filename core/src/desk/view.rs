//! The case page's whole view model in one call (issue 30): the window drew a case from a dozen
//! commands, each an IPC round trip with its JSON built and parsed; `case_view` answers with all
//! of it at once. It only calls the Desk's own methods, in the order the page asked for them, so
//! every read is audited exactly as before. A part that fails is left out (`None`): the page then
//! asks for that part alone and shows its error where that part is, as it always did.

use crate::casework::{assessment, documents, timeline};
use crate::error::Result;

use crate::providers::{self, partners, referrals};
use crate::{cases, decisions, meetings, CaseFeedback, Desk};

/// Everything the case page draws when it opens.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseView {
    pub case: cases::CaseDetail,
    pub assessment: Option<assessment::Assessment>,
    pub decisions: Option<Vec<decisions::DecisionListItem>>,
    pub documents: Option<Vec<documents::Document>>,
    pub meetings: Option<Vec<meetings::MeetingSummary>>,
    pub choice: Option<referrals::CaseChoice>,
    pub provider_names: Option<Vec<providers::ProviderName>>,
    pub contacts: Option<Vec<partners::ContactEntry>>,
    pub budget: Option<crate::money::Budget>,
    pub confirmations: Option<Vec<crate::money::Confirmation>>,
    pub feedback: Option<CaseFeedback>,
    pub timeline: Option<Vec<timeline::TimelineEntry>>,
    /// The case's responsible coordinator on a desk in a team (the synced owner); `None` on a
    /// desk not in a team, where the header names the desk's own coordinator.
    pub coordinator: Option<String>,
    /// A colleague's case opened on this desk with a reason: when, and why (`None` otherwise).
    pub opening: Option<crate::sync::CaseOpening>,
}

impl Desk {
    /// The case and all its parts; an unknown case is an error (as `case`), a part that fails
    /// is `None`.
    pub fn case_view(&self, case_id: i64) -> Result<CaseView> {
        let case = self.case(case_id)?;
        let contacts = partners::ContactLogFilter {
            case_id: Some(case_id),
            ..Default::default()
        };
        Ok(CaseView {
            case,
            assessment: self.assessment(case_id).ok(),
            decisions: self.decisions(case_id).ok(),
            documents: self.documents(case_id).ok(),
            meetings: self.meetings(case_id).ok(),
            choice: self.case_choice(case_id).ok(),
            provider_names: self.provider_names().ok(),
            contacts: self.contact_log(&contacts).ok(),
            budget: self.case_budget(case_id).ok(),
            confirmations: self.confirmations(case_id).ok(),
            feedback: self.case_feedback(case_id).ok(),
            timeline: self.timeline(case_id).ok(),
            coordinator: self.team_case_coordinator(case_id).ok().flatten(),
            opening: self.team_case_opening(case_id).ok().flatten(),
        })
    }
}

/// Everything the dashboard draws when it opens: the case counts and what needs the
/// coordinator (issue 30: one IPC call instead of two).
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DashboardView {
    pub counts: cases::CaseCounts,
    /// `None` when it could not be read: the page asks for it alone and shows its error.
    pub dashboard: Option<crate::overview::dashboard::Dashboard>,
    /// The team's open conflicts of this desk's rows (none on a desk not in a team): the
    /// dashboard shows them first.
    pub conflicts: Vec<crate::sync::TeamConflict>,
    /// The coordinators whose cases this desk holds, for the filter (none on a desk not in a
    /// team: no filter is shown).
    pub coordinators: Vec<crate::sync::TeamCoordinator>,
}

impl Desk {
    /// The dashboard's counts (an error stops the page, as `case_counts`) and its rows (a
    /// failure is `None`).
    pub fn dashboard_view(&self) -> Result<DashboardView> {
        self.dashboard_view_for("")
    }

    /// The dashboard filtered by responsible coordinator (a login on a team desk; empty for
    /// all): only the rows of that coordinator's cases, and every count (by status, by
    /// urgency) of those cases only.
    pub fn dashboard_view_for(&self, coordinator: &str) -> Result<DashboardView> {
        let owner = self.coordinator_filter(coordinator)?;
        let mut dashboard = self.dashboard().ok();
        let mut counts = None;
        if let Some(owner) = owner {
            let cases = self.keep_coordinator(dashboard.as_mut(), owner)?;
            counts = Some(crate::cases::counts_among(self.store.connection(), &cases)?);
        }
        Ok(DashboardView {
            counts: match counts {
                Some(c) => c,
                None => self.case_counts()?,
            },
            // The rows the page draws and the counts of all (issue 30), not every row.
            dashboard: dashboard.map(|d| {
                crate::overview::dashboard_page::page(
                    d,
                    None,
                    None,
                    crate::overview::dashboard_page::FIRST_ROWS,
                )
            }),
            conflicts: self.team_conflicts()?,
            coordinators: self.team_coordinators()?,
        })
    }
}

impl Desk {
    /// The dashboard's "show more": of `urgency` and `kind` (each `None`: all), the first
    /// `limit` rows of each kind and urgency, and the counts of all rows; only the rows of
    /// `coordinator`'s cases when one is given (as [`Desk::dashboard_view_for`]).
    pub fn dashboard_rows(
        &self,
        urgency: Option<&str>,
        kind: Option<&str>,
        limit: usize,
        coordinator: &str,
    ) -> Result<crate::overview::dashboard::Dashboard> {
        let owner = self.coordinator_filter(coordinator)?;
        let mut dash = self.dashboard()?;
        if let Some(owner) = owner {
            self.keep_coordinator(Some(&mut dash), owner)?;
        }
        Ok(crate::overview::dashboard_page::page(
            dash, urgency, kind, limit,
        ))
    }
}

impl Desk {
    /// Keeps on `dash` only what is member `owner`'s: the rows of their cases and their work
    /// about no case (`keep_cases`); returns the ids of their cases on this desk.
    fn keep_coordinator(
        &self,
        dash: Option<&mut crate::overview::dashboard::Dashboard>,
        owner: i64,
    ) -> Result<std::collections::HashSet<i64>> {
        let cases = crate::sync::owners::cases_of(self.store.connection(), owner)?;
        if let Some(dash) = dash {
            crate::overview::dashboard::keep_cases(
                dash,
                &cases,
                self.is_own_member(owner)?,
                &crate::sync::capture::member_box(owner),
            );
        }
        Ok(cases)
    }
}
