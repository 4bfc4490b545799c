//! Time is passed in: logic asks a clock, so that every date rule is testable.

use chrono::{DateTime, NaiveDate, Utc};

/// A stored timestamp: UTC to the second, RFC 3339 ("2026-11-26T09:00:00Z"), as every
/// `created_at` / `updated_at` column holds it.
pub(crate) fn ts(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
    /// The coordinator's calendar day (local time).
    fn today(&self) -> NaiveDate;
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn today(&self) -> NaiveDate {
        chrono::Local::now().date_naive()
    }
}

/// A clock that stands still, for tests and reproducible demo data.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
    fn today(&self) -> NaiveDate {
        self.0.date_naive()
    }
}
