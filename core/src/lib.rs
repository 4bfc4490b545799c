//! srt-core: the whole SRT Desk domain and its encrypted store, with no GUI in its dependencies.
//! [`Desk`] is the one API surface: the desktop app's commands and `srt-admin` both call it.

// The ground floor: no domain part.
pub mod clock;
pub(crate) mod error;
pub mod files;
pub mod pdf;
pub(crate) mod values;
// The encrypted store, its audit trail and preferences.
pub mod store;
// The service's tariff: prices and the yearly cap.
pub mod prices;
// The parts of the job, from the case up.
pub mod cases;
pub mod casework;
pub mod deadlines;
pub mod decisions;
pub mod feedback;
pub mod meetings;
pub mod money;
pub mod providers;
pub mod stats;
pub mod work;
// What the coordinator sees across the parts: the dashboard, the case page.
pub mod overview;
// Across the parts.
pub mod demo;
pub mod signing;
pub mod sync;
pub mod trust;
// The one way in.
pub mod desk;
// The app around the desk.
pub mod bench;
pub mod launch;
pub mod logging;

pub use error::{Error, ErrorPayload, FieldError, HeldField, Localized, Result};
pub use store::key::{KdfParams, KeySourceKind, KeyStore, KeyringStore, MemoryKeyStore};
pub use store::{IntegrityReport, NewKey, Store};

pub use desk::{
    CaseFeedback, CheckReport, Desk, MemoExport, ProviderDetail, StatsOptions, StatsView,
    WorkCancel, WorkProgress,
};
