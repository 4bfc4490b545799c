//! The status.

use super::*;

/// Where a case is in the process. Transitions are enforced here, never in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Received,
    Incomplete,
    InAssessment,
    Decided,
    ProviderChosen,
    InService,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 7] = [
        CaseStatus::Received,
        CaseStatus::Incomplete,
        CaseStatus::InAssessment,
        CaseStatus::Decided,
        CaseStatus::ProviderChosen,
        CaseStatus::InService,
        CaseStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Received => "received",
            CaseStatus::Incomplete => "incomplete",
            CaseStatus::InAssessment => "in_assessment",
            CaseStatus::Decided => "decided",
            CaseStatus::ProviderChosen => "provider_chosen",
            CaseStatus::InService => "in_service",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn label_et(self) -> &'static str {
        match self {
            CaseStatus::Received => "Vastu võetud",
            CaseStatus::Incomplete => "Puudulik, ootab taotlejat",
            CaseStatus::InAssessment => "Hindamisel",
            CaseStatus::Decided => "Otsus tehtud",
            CaseStatus::ProviderChosen => "Teenuseosutaja valitud",
            CaseStatus::InService => "Teenusel",
            CaseStatus::Closed => "Suletud",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            CaseStatus::Received => "Received",
            CaseStatus::Incomplete => "Incomplete, waiting for applicant",
            CaseStatus::InAssessment => "In assessment",
            CaseStatus::Decided => "Decided",
            CaseStatus::ProviderChosen => "Provider chosen",
            CaseStatus::InService => "In service",
            CaseStatus::Closed => "Closed",
        }
    }

    pub fn label_et_of(s: &str) -> String {
        Self::parse(s).map_or_else(|| s.to_string(), |st| st.label_et().to_string())
    }

    pub fn label_en_of(s: &str) -> String {
        Self::parse(s).map_or_else(|| s.to_string(), |st| st.label_en().to_string())
    }

    /// A status's name in both languages (the code itself when it is no status).
    pub fn labels_of(s: &str) -> Localized {
        Localized::new(Self::label_et_of(s), Self::label_en_of(s))
    }

    pub fn is_open(self) -> bool {
        self != CaseStatus::Closed
    }

    /// The statuses a case may move to from this one.
    pub fn next(self) -> &'static [CaseStatus] {
        use CaseStatus::*;
        match self {
            Received => &[Incomplete, InAssessment, Closed],
            Incomplete => &[InAssessment, Closed],
            InAssessment => &[Incomplete, Decided, Closed],
            Decided => &[ProviderChosen, Closed],
            ProviderChosen => &[InService, Closed],
            InService => &[Closed],
            Closed => &[],
        }
    }

    pub fn can_move_to(self, to: CaseStatus) -> bool {
        self.next().contains(&to)
    }

    /// A reason must be written when the applicant is asked to fix the application and when a
    /// case is closed: both are things the family will ask about.
    pub fn reason_required_for(to: CaseStatus) -> bool {
        matches!(to, CaseStatus::Incomplete | CaseStatus::Closed)
    }
}
