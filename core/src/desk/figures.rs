//! The statistics and the waiting children kept in the session until a row they read changes
//! (issue 30; see [`crate::store::memo`]): every visit still writes its audit row, only the
//! computing is saved.

use std::sync::Arc;

use crate::providers::referrals::WaitingAll;
use crate::store::memo::Memo;

use super::stats::StatsView;

/// What the desk keeps: the statistics of the last few queries (a query, a language and a day
/// each), and every waiting case with the groups and the availability of one day.
pub(crate) struct KeptFigures {
    pub(crate) stats: Memo<StatsView>,
    pub(crate) waiting: Memo<Arc<WaitingAll>>,
}

impl Default for KeptFigures {
    fn default() -> Self {
        Self {
            stats: Memo::new(8),
            waiting: Memo::new(1),
        }
    }
}

impl std::fmt::Debug for KeptFigures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeptFigures")
    }
}
