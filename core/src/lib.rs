//! srt-core: the whole SRT Desk domain and its encrypted store, with no GUI in its dependencies.
//! [`Desk`] is the one API surface: the desktop app's commands and `srt-admin` both call it.

pub mod audit;
pub mod cases;
pub mod clock;
pub mod demo;
pub mod error;
pub mod ids;
pub mod launch;
pub mod places;
pub mod prefs;
pub mod store;

use std::path::Path;
use std::sync::Arc;

pub use error::{Error, ErrorPayload, FieldError, Localized, Result};
pub use store::key::{KdfParams, KeySourceKind, KeyStore, KeyringStore, MemoryKeyStore};
pub use store::{IntegrityReport, NewKey, Store};

use cases::{ApplicationInput, CaseCounts, CaseDetail, CaseFilter, CaseList};
use clock::{Clock, SystemClock};

/// An open, unlocked SRT Desk database and who is working on it.
#[derive(Debug)]
pub struct Desk {
    store: Store,
    actor: String,
    clock: Arc<dyn Clock>,
}

/// What `srt-admin check` reports.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckReport {
    pub integrity: IntegrityReport,
    pub audit: audit::AuditCheck,
}

impl CheckReport {
    pub fn all_ok(&self) -> bool {
        self.integrity.all_ok() && self.audit.first_broken_id.is_none()
    }
}

impl Desk {
    pub fn create(path: &Path, new_key: NewKey, keys: &dyn KeyStore, actor: &str) -> Result<Self> {
        let store = Store::create(path, new_key, keys)?;
        let desk = Self::wrap(store, actor);
        desk.audit("desk.create", "desk", "", "")?;
        Ok(desk)
    }

    pub fn open(
        path: &Path,
        keys: &dyn KeyStore,
        passphrase: Option<&str>,
        actor: &str,
    ) -> Result<Self> {
        let store = Store::open(path, keys, passphrase)?;
        let desk = Self::wrap(store, actor);
        desk.audit("desk.open", "desk", "", "")?;
        Ok(desk)
    }

    fn wrap(store: Store, actor: &str) -> Self {
        Self {
            store,
            actor: actor.to_string(),
            clock: Arc::new(SystemClock),
        }
    }

    /// Replace the clock (tests, reproducible demo data).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today()
    }

    fn audit(&self, action: &str, entity: &str, id: &str, detail: &str) -> Result<()> {
        audit::record(
            self.store.connection(),
            self.clock.now(),
            &self.actor,
            action,
            entity,
            id,
            detail,
        )
    }

    pub fn places(&self) -> Result<places::Places> {
        places::all(self.store.connection())
    }

    /// Register an application; returns the new case.
    pub fn register_application(&mut self, input: &ApplicationInput) -> Result<CaseDetail> {
        let now = self.clock.now();
        let today = self.clock.today();
        let actor = self.actor.clone();
        let tx = self.store.connection_mut().transaction()?;
        let valid = cases::validate_application(&tx, input, today)?;
        let id = cases::register(&tx, &valid, now)?;
        audit::record(&tx, now, &actor, "case.create", "case", &id.to_string(), "")?;
        tx.commit()?;
        cases::get(self.store.connection(), id)
    }

    pub fn case(&self, id: i64) -> Result<CaseDetail> {
        let detail = cases::get(self.store.connection(), id)?;
        self.audit("case.read", "case", &id.to_string(), "")?;
        Ok(detail)
    }

    pub fn list_cases(&self, filter: &CaseFilter) -> Result<CaseList> {
        let list = cases::list(self.store.connection(), filter)?;
        if !filter.text.trim().is_empty() {
            self.audit("case.search", "case", "", filter.text.trim())?;
        }
        Ok(list)
    }

    pub fn change_status(&mut self, id: i64, to: &str, reason: &str) -> Result<CaseDetail> {
        let now = self.clock.now();
        let actor = self.actor.clone();
        let tx = self.store.connection_mut().transaction()?;
        cases::change_status(&tx, id, to, reason, now)?;
        audit::record(&tx, now, &actor, "case.status", "case", &id.to_string(), to)?;
        tx.commit()?;
        cases::get(self.store.connection(), id)
    }

    pub fn case_counts(&self) -> Result<CaseCounts> {
        cases::counts(self.store.connection())
    }

    /// Load `n` synthetic cases; only into an empty database, so demo data never mixes with real.
    pub fn load_demo(&mut self, n: usize, seed: u64) -> Result<usize> {
        if self.case_counts()?.total > 0 {
            return Err(Error::DemoNotEmpty);
        }
        let today = self.clock.today();
        let now = self.clock.now();
        let actor = self.actor.clone();
        let municipalities = places::municipality_codes(self.store.connection())?;
        let tx = self.store.connection_mut().transaction()?;
        let ids = demo::generate(&tx, n, seed, today, &municipalities)?;
        audit::record(
            &tx,
            now,
            &actor,
            "demo.load",
            "desk",
            "",
            &ids.len().to_string(),
        )?;
        tx.commit()?;
        Ok(ids.len())
    }

    /// Integrity of the file, the cipher pages and the audit chain.
    pub fn check(&self) -> Result<CheckReport> {
        Ok(CheckReport {
            integrity: self.store.integrity()?,
            audit: audit::verify(self.store.connection())?,
        })
    }
}
