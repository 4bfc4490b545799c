//! The figures.

use super::*;

/// How the coordinator picks the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PeriodInput {
    /// month | quarter | year | custom | all
    pub kind: String,
    pub year: i32,
    /// 1-12 for a month, 1-4 for a quarter.
    pub number: u32,
    /// dd.mm.yyyy or yyyy-mm-dd, for a custom period.
    pub from: String,
    pub to: String,
}

/// What to compute: the period, the breakdown and the filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StatsQuery {
    pub period: PeriodInput,
    /// route | county | municipality | provider | activity | "" (none)
    pub breakdown: String,
    pub filter: StatsFilter,
}

/// Only the cases (and money, and feedback) that match every filter set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StatsFilter {
    pub route: String,
    pub county: String,
    pub municipality: String,
    pub provider: String,
    pub activity: String,
}

/// The period that was computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatsPeriod {
    pub kind: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub label: Localized,
}

/// A spread of whole days: how many, the median and the 90th percentile (see [`percentile`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DaySpread {
    pub count: i64,
    pub median: Option<i64>,
    pub p90: Option<i64>,
}

impl DaySpread {
    pub(super) fn of(mut days: Vec<i64>) -> Self {
        days.sort_unstable();
        DaySpread {
            count: days.len() as i64,
            median: percentile(&days, 50),
            p90: percentile(&days, 90),
        }
    }
}

/// The figures of one group (or of everything).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    /// Applications with an application date in the period.
    pub received: i64,
    /// Approved or sent decisions dated in the period, by kind.
    pub referrals: i64,
    pub refusals: i64,
    pub amendments: i64,
    pub terminations: i64,
    /// Calendar days from the complete application to the first decision (referral or refusal)
    /// dated in the period.
    pub days_to_decision: DaySpread,
    /// Of those first decisions, how many were dated on or before the decision deadline.
    pub on_time: i64,
    /// on_time / days_to_decision.count in percent, one decimal; None when nothing was decided.
    pub on_time_pct: Option<f64>,
    /// Calendar days from the first decision to the start of service, for services that started
    /// in the period.
    pub days_to_start: DaySpread,
    /// At the end of the period (or today, if sooner): a valid referral whose service has not
    /// started (provider not chosen yet, or chosen and not started).
    pub waiting: i64,
    /// At the same day: the service has started and the case is not closed.
    pub active: i64,
    /// The annexes of referral decisions dated in the period (all their years).
    pub granted_cents: i64,
    /// Invoice lines of invoices dated in the period (drafts excluded).
    pub invoiced_cents: i64,
    /// What was accepted of those lines (invoices with an outcome).
    pub accepted_cents: i64,
    /// Feedback answered in the period: responses and the mean of all their scores (2 decimals).
    pub feedback_responses: i64,
    pub feedback_average: Option<f64>,
}

/// One row of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub key: String,
    pub label: String,
    pub figures: Figures,
}

/// One calendar month of the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MonthFigures {
    /// yyyy-mm
    pub month: String,
    pub received: i64,
    pub decided: i64,
    pub granted_cents: i64,
    pub invoiced_cents: i64,
    pub accepted_cents: i64,
    /// Feedback answered in the month: responses and the mean of their scores (2 decimals).
    pub feedback_responses: i64,
    pub feedback_average: Option<f64>,
}

/// A first decision dated after its deadline, with the reason written on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LateDecision {
    pub case_no: String,
    pub number: String,
    pub decision_date: NaiveDate,
    pub due: NaiveDate,
    pub days_late: i64,
    pub reason: String,
}

/// One question's answers in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuestionFigures {
    pub question_id: i64,
    pub position: i64,
    pub text: Localized,
    pub active: bool,
    pub count: i64,
    /// Mean score, 2 decimals.
    pub average: Option<f64>,
    /// How many answered 1, 2, 3, 4 and 5.
    pub distribution: [i64; 5],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackComment {
    pub answered_on: NaiveDate,
    pub provider: String,
    pub comment: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackFigures {
    pub responses: i64,
    pub questions: Vec<QuestionFigures>,
    /// Newest first.
    pub comments: Vec<FeedbackComment>,
}

/// Everything the statistics screen and its exports show.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Statistics {
    pub period: StatsPeriod,
    /// The day waiting and active cases are counted on.
    pub as_of: NaiveDate,
    pub breakdown: String,
    pub filter: StatsFilter,
    /// The filter as a reader names it (county, municipality and provider names, the activity's
    /// code and name): exports and reports say what was counted in words, not codes.
    pub filter_names: StatsFilter,
    pub totals: Figures,
    pub groups: Vec<Group>,
    pub months: Vec<MonthFigures>,
    pub late: Vec<LateDecision>,
    pub feedback: FeedbackFigures,
}
