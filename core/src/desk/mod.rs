//! The unlocked desk: opening, who works on it, the clock, and the one way every write goes (one
//! transaction, one audit row). Each part of the job has its own file of `Desk` methods here,
//! each a few lines over that part's module.

mod cases;
mod casework;
mod deadlines;
mod decisions;
mod demo;
mod feedback;
mod figures;
mod long_work;
mod meetings;
mod money;
mod providers;
mod stats;
mod team;
mod trust;
mod view;
mod work;

pub use crate::store::progress::{WorkCancel, WorkProgress};
pub use casework::case_timeline;
pub use feedback::CaseFeedback;
pub use providers::ProviderDetail;
pub use stats::{StatsOptions, StatsView};
pub use view::{CaseView, DashboardView};
pub use work::MemoExport;

use std::path::Path;
use std::sync::Arc;

use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::store::key::KeyStore;
use crate::store::{IntegrityReport, NewKey, Store};

/// An open, unlocked SRT Desk database and who is working on it.
#[derive(Debug)]
pub struct Desk {
    pub(crate) store: Store,
    pub(crate) actor: String,
    /// Who signs (from the preferences; empty until set: never the OS user).
    pub(crate) coordinator: crate::store::prefs::Coordinator,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) progress: WorkProgress,
    /// The statistics and waiting children kept until a row they read changes (issue 30).
    pub(crate) kept: figures::KeptFigures,
}

/// What `srt-admin check` reports.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckReport {
    pub integrity: IntegrityReport,
    pub audit: crate::store::audit::AuditCheck,
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
        Self::open_reporting(path, keys, passphrase, actor, None)
    }

    /// [`Desk::open`], reporting an upgrade's steps to `progress` (the unlock screen's bar).
    pub fn open_reporting(
        path: &Path,
        keys: &dyn KeyStore,
        passphrase: Option<&str>,
        actor: &str,
        progress: Option<&WorkProgress>,
    ) -> Result<Self> {
        Self::opened(
            Store::open_reporting(path, keys, passphrase, progress)?,
            actor,
        )
    }

    /// An opened store as the desk, its opening audited.
    pub(crate) fn opened(store: Store, actor: &str) -> Result<Self> {
        // A joined desk's capture triggers follow its tables' columns (after an upgrade).
        crate::sync::capture::ensure_triggers(store.connection())?;
        let desk = Self::wrap(store, actor);
        desk.audit("desk.open", "desk", "", "")?;
        Ok(desk)
    }

    /// [`Desk::open`] when the schema is this build's; `Ok(None)` when an upgrade is pending,
    /// with nothing written (see [`Store::open_if_current`]).
    pub fn open_if_current(
        path: &Path,
        keys: &dyn KeyStore,
        passphrase: Option<&str>,
        actor: &str,
    ) -> Result<Option<Self>> {
        Store::open_if_current(path, keys, passphrase)?
            .map(|store| Self::opened(store, actor))
            .transpose()
    }

    /// Open with the recovery code (see [`Store::open_with_recovery`]); audited as a recovery.
    /// Returns whether the key went back into the credential store (keyring databases).
    pub fn open_with_recovery(
        path: &Path,
        keys: &dyn KeyStore,
        recovery_code: &str,
        new_passphrase: Option<&str>,
        actor: &str,
    ) -> Result<(Self, bool)> {
        let (store, keyring_restored) =
            Store::open_with_recovery(path, keys, recovery_code, new_passphrase)?;
        let desk = Self::wrap(store, actor);
        let detail = if keyring_restored {
            "keyring restored"
        } else {
            ""
        };
        desk.audit("desk.recover", "desk", "", detail)?;
        Ok((desk, keyring_restored))
    }

    /// The recovery code of a database created just now, once.
    pub fn take_recovery_code(&mut self) -> Option<zeroize::Zeroizing<String>> {
        self.store.take_recovery_code()
    }

    pub(crate) fn wrap(store: Store, actor: &str) -> Self {
        Self {
            store,
            actor: actor.to_string(),
            coordinator: crate::store::prefs::Coordinator::default(),
            clock: Arc::new(SystemClock),
            progress: WorkProgress::default(),
            kept: figures::KeptFigures::default(),
        }
    }

    /// The coordinator who signs and whose contacts the letters print (the audit log keeps the
    /// OS-level actor).
    pub fn set_coordinator(&mut self, coordinator: &crate::store::prefs::Coordinator) {
        self.coordinator = coordinator.clone();
    }

    /// The coordinator as letters print them (the Board's phone and e-mail where none of their
    /// own), or `coordinator.profile_missing` when a name or a contact is missing.
    pub fn require_coordinator(&self) -> Result<crate::store::prefs::Coordinator> {
        let s = crate::decisions::settings(self.store.connection())?;
        let c = self
            .coordinator
            .with_board_contacts(&s.board_phone, &s.board_email);
        if c.missing().is_empty() {
            Ok(c)
        } else {
            Err(Error::CoordinatorProfileMissing)
        }
    }

    /// Who did it, on records that are no sign-off (a template version, an invoice outcome).
    pub(crate) fn by(&self) -> String {
        if self.coordinator.name.trim().is_empty() {
            self.actor.clone()
        } else {
            self.coordinator.name.clone()
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

    /// Record an event that is not a read or write of its own (a lock, an export by the app).
    pub fn record(&self, action: &str, entity: &str, id: &str, detail: &str) -> Result<()> {
        self.audit(action, entity, id, detail)
    }

    pub(crate) fn audit(&self, action: &str, entity: &str, id: &str, detail: &str) -> Result<()> {
        crate::store::audit::record(
            self.store.connection(),
            self.clock.now(),
            &self.actor,
            action,
            entity,
            id,
            detail,
        )
    }

    // ---- Case work: assessment, documents, deadlines, dashboard, search, timeline ----

    /// Run `f` in one transaction with an audit row; all or nothing.
    pub(crate) fn write<T>(
        &mut self,
        action: &str,
        entity: &str,
        id: &str,
        f: impl FnOnce(
            &rusqlite::Transaction,
            chrono::DateTime<chrono::Utc>,
            chrono::NaiveDate,
        ) -> Result<T>,
    ) -> Result<T> {
        self.write_detailed(action, entity, id, "", f)
    }

    /// [`Desk::write`] with a detail in the audit row.
    pub(crate) fn write_detailed<T>(
        &mut self,
        action: &str,
        entity: &str,
        id: &str,
        detail: &str,
        f: impl FnOnce(
            &rusqlite::Transaction,
            chrono::DateTime<chrono::Utc>,
            chrono::NaiveDate,
        ) -> Result<T>,
    ) -> Result<T> {
        let now = self.clock.now();
        let today = self.clock.today();
        let actor = self.actor.clone();
        let tx = self.store.connection_mut().transaction()?;
        let out = f(&tx, now, today)?;
        crate::store::audit::record(&tx, now, &actor, action, entity, id, detail)?;
        tx.commit()?;
        Ok(out)
    }

    /// Run `f` in one transaction with an audit row about a case; all or nothing.
    pub(crate) fn write_case<T>(
        &mut self,
        action: &str,
        case_id: i64,
        detail: &str,
        f: impl FnOnce(
            &rusqlite::Transaction,
            chrono::DateTime<chrono::Utc>,
            chrono::NaiveDate,
        ) -> Result<T>,
    ) -> Result<T> {
        self.write_detailed(action, "case", &case_id.to_string(), detail, f)
    }
}

/// The export format from the file's extension, one of `allowed`.
pub(crate) fn export_format(path: &Path, allowed: &[&str]) -> Result<String> {
    crate::files::check_path(path)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_default();
    if allowed.contains(&ext.as_str()) {
        Ok(ext)
    } else {
        let list = allowed
            .iter()
            .map(|e| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(", ");
        Err(Error::field(
            "path",
            "extension",
            &format!("Faili nimi peab lõppema laiendiga {list}."),
            &format!("The file name must end in {list}."),
        ))
    }
}

// --- First run ---

/// The meta key that is present from the database's creation until the guided setup is finished.
const FIRST_RUN_PENDING: &str = "first_run.pending";

impl Desk {
    /// A database just created (or restored): the guided setup (name, automatic backups) is
    /// offered until the coordinator finishes or skips it.
    pub fn mark_first_run_pending(&mut self) -> Result<()> {
        let now = self.clock.now().to_rfc3339();
        crate::store::meta::set(self.store.connection(), FIRST_RUN_PENDING, "1", &now)
    }

    /// Whether the guided setup is still to be shown.
    pub fn first_run_pending(&self) -> Result<bool> {
        Ok(crate::store::meta::get(self.store.connection(), FIRST_RUN_PENDING)?.is_some())
    }

    /// What the window's status asks of the database, in one read of `meta` (it asks often):
    /// (the guided setup is pending, this is a demo desk).
    pub fn status_flags(&self) -> Result<(bool, bool)> {
        let keys = self
            .store
            .connection()
            .prepare_cached("SELECT key FROM meta WHERE key IN (?1, ?2)")?
            .query_map(
                [FIRST_RUN_PENDING, crate::store::demo_flag::DEMO_DESK],
                |r| r.get::<_, String>(0),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((
            keys.iter().any(|k| k == FIRST_RUN_PENDING),
            keys.iter().any(|k| k == crate::store::demo_flag::DEMO_DESK),
        ))
    }

    /// The guided setup is done: it is not shown again, and the audit log says when.
    pub fn finish_first_run(&mut self) -> Result<()> {
        self.write("setup.done", "desk", "", |tx, _, _| {
            crate::store::meta::remove(tx, FIRST_RUN_PENDING)
        })
    }
}

/// Bring every table kept from the desk's facts up to date with them (each computes only what
/// its triggers marked): the dashboard's deadlines (migration 013), the statistics' monthly money
/// (014, 016) and case rows (015). The screens refresh their own before they read; the demo load
/// and the benchmark bring all of them up to date at once.
pub(crate) fn refresh_kept_rows(conn: &rusqlite::Connection) -> Result<()> {
    crate::deadlines::schedule::refresh_deadlines(conn)?;
    crate::stats::money::refresh(conn)?;
    crate::stats::cases::refresh(conn)?;
    Ok(())
}
