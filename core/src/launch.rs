//! What happens when the app starts: open the database, create it on first start, or say what is
//! needed (a new passphrase, the passphrase) or what went wrong. Never starts over on an error.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::store::key::{KdfParams, KeySourceKind, KeyStore};
use crate::store::{NewKey, Store};
use crate::Desk;

#[derive(Debug)]
pub enum Launch {
    /// Unlocked and ready.
    Open(Box<Desk>),
    /// No database and no credential store: ask for a new passphrase (twice).
    NeedsPassphraseSetup,
    /// A passphrase database: ask for the passphrase.
    Locked,
    /// A database in the credential store whose schema this version upgrades: the window comes
    /// first, and the unlock screen runs the upgrade with its steps shown. Nothing was changed.
    UpgradePending,
    /// The database exists but cannot be opened; the error says why. Nothing was changed.
    Failed(Error),
}

/// Decide what to do with the database at `path`. `passphrase` is the automation passphrase
/// (SRT_DESK_PASSPHRASE), which selects passphrase mode.
pub fn launch(
    path: &Path,
    keys: &dyn KeyStore,
    passphrase: Option<&str>,
    actor: &str,
    params: KdfParams,
) -> Launch {
    if !path.exists() {
        let new_key = match passphrase {
            Some(p) => NewKey::Passphrase {
                passphrase: p.to_string(),
                params,
            },
            None if keys.available() => NewKey::Keyring {
                recovery_params: params,
            },
            None => return Launch::NeedsPassphraseSetup,
        };
        return match Desk::create(path, new_key, keys, actor) {
            Ok(d) => Launch::Open(Box::new(d)),
            Err(e) => Launch::Failed(e),
        };
    }
    match Store::key_source(path) {
        Err(e) => Launch::Failed(e),
        Ok(KeySourceKind::Passphrase) if passphrase.is_none() => Launch::Locked,
        Ok(KeySourceKind::Keyring) => match Desk::open_if_current(path, keys, passphrase, actor) {
            Ok(Some(d)) => Launch::Open(Box::new(d)),
            Ok(None) => Launch::UpgradePending,
            Err(e) => Launch::Failed(e),
        },
        // The automation passphrase (SRT_DESK_PASSPHRASE) opens and upgrades at once.
        Ok(KeySourceKind::Passphrase) => match Desk::open(path, keys, passphrase, actor) {
            Ok(d) => Launch::Open(Box::new(d)),
            Err(e) => Launch::Failed(e),
        },
    }
}

/// The OS user's login name, for the audit log: USER, USERNAME or LOGNAME, else the home folder's
/// name.
pub fn os_user_name() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .or_else(|| {
            directories::BaseDirs::new().and_then(|b| {
                b.home_dir()
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
            })
        })
        .unwrap_or_else(|| "unknown".into())
}

/// The app's identifier; the data folder is named after it, as Tauri names its app-data folder.
pub const APP_IDENTIFIER: &str = "ee.sotsiaalkindlustusamet.srtdesk";

/// The platform's app-data folder for SRT Desk (e.g. ~/.local/share/ee.sotsiaalkindlustusamet.srtdesk,
/// %APPDATA%\ee.sotsiaalkindlustusamet.srtdesk, ~/Library/Application Support/…).
pub fn default_data_dir() -> PathBuf {
    directories::BaseDirs::new()
        .map(|b| b.data_dir().join(APP_IDENTIFIER))
        .unwrap_or_else(|| PathBuf::from(".").join(APP_IDENTIFIER))
}

/// The database path used when SRT_DESK_DB is not set.
pub fn default_db_path() -> PathBuf {
    default_data_dir().join("srt-desk.db")
}

/// The demo desk's file beside a real desk's: `srt-desk.db` → `srt-desk-demo.db`. Demo data lives
/// only there, so a real desk's numbers and statistics are never touched by it.
pub fn demo_path_for(db: &Path) -> PathBuf {
    let stem = db
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "srt-desk".into());
    let name = match db.extension() {
        Some(ext) => format!("{stem}-demo.{}", ext.to_string_lossy()),
        None => format!("{stem}-demo"),
    };
    db.with_file_name(name)
}

/// The preferences file (language), readable before the database is unlocked.
pub fn prefs_path_for(db: &Path) -> PathBuf {
    db.parent()
        .map(|d| d.join("preferences.json"))
        .unwrap_or_else(|| PathBuf::from("preferences.json"))
}

/// The app's session: the database's state (setup, locked, open, failed) and the preferences,
/// driven by the app's commands. All decisions are here, so they are testable without a window.
#[derive(Debug)]
pub struct Session {
    /// The desk open now: the real desk's file, or its demo desk's ([`demo_path_for`]).
    db_path: PathBuf,
    /// The desk the app was started on; "back to the real desk" returns here.
    real_path: PathBuf,
    /// The automation passphrase (SRT_DESK_PASSPHRASE), which also opens the demo desk.
    automation_passphrase: Option<zeroize::Zeroizing<String>>,
    prefs_path: PathBuf,
    keys: Box<dyn KeyStore>,
    params: KdfParams,
    actor: String,
    state: SessionState,
    prefs: crate::store::prefs::Prefs,
    temp_dir: Option<PathBuf>,
    last_activity: Option<Instant>,
    lock_reason: Option<&'static str>,
    /// Failed unlocks since the last successful one: written to the audit log on the next
    /// unlock, since a locked database cannot be written to.
    failed_unlocks: u32,
    /// The recovery code of a database created in this session, until the user has seen it.
    pending_recovery: Option<zeroize::Zeroizing<String>>,
    /// The schema upgrade's steps while an unlock opens an older desk.
    upgrade: crate::WorkProgress,
}

#[derive(Debug)]
enum SessionState {
    Open(Box<Desk>),
    Setup,
    /// Locked: no connection, no key in memory; unlocking needs the key store or the passphrase.
    Locked(KeySourceKind),
    Failed(Error),
}

/// What the UI needs to know to draw its first screen.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionStatus {
    /// "setup", "locked", "open" or "error".
    pub state: &'static str,
    pub db_path: String,
    pub key_source: Option<KeySourceKind>,
    pub language: String,
    /// The name set in Settings (empty when none: letters, minutes and assessments are refused
    /// until it is set; the OS user never signs).
    pub coordinator_name: String,
    pub coordinator_phone: String,
    pub coordinator_email: String,
    pub os_user: String,
    pub idle_lock_minutes: u32,
    /// Why the desk is locked: "idle", "manual", "upgrade" (a credential-store desk waiting for
    /// its schema upgrade, which the unlock screen starts by itself), or none (locked since start).
    pub lock_reason: Option<&'static str>,
    pub error: Option<crate::ErrorPayload>,
    /// The recovery code to show once after setup (or a restore), until acknowledged.
    pub recovery_code: Option<String>,
    /// Whether the database's key file holds a recovery-code wrap (locked and error screens
    /// offer "use the recovery code" only then).
    pub can_recover: bool,
    /// The backend's calendar day (local time): the UI prefills date fields with it, so the app
    /// and its checks never disagree about "today".
    pub today: chrono::NaiveDate,
    // --- First run ---
    /// A new database whose guided setup (name, automatic backups) is not finished yet.
    pub first_run: bool,
    /// A demo desk (its file beside the real one, or a desk flagged by `srt-admin demo`): the
    /// window says "NÄIDISANDMED" on every screen.
    pub demo_desk: bool,
    /// The demo desk's file is open and the real desk can be returned to.
    pub can_return_to_real: bool,
}

impl std::fmt::Debug for dyn KeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Session {
    pub fn start(
        db_path: PathBuf,
        keys: Box<dyn KeyStore>,
        passphrase: Option<&str>,
        actor: &str,
        params: KdfParams,
    ) -> Self {
        let prefs_path = prefs_path_for(&db_path);
        let prefs = crate::store::prefs::Prefs::load(&prefs_path);
        let (state, lock_reason) = match launch(&db_path, keys.as_ref(), passphrase, actor, params)
        {
            Launch::Open(d) => (SessionState::Open(d), None),
            Launch::NeedsPassphraseSetup => (SessionState::Setup, None),
            Launch::Locked => (SessionState::Locked(KeySourceKind::Passphrase), None),
            Launch::UpgradePending => (
                SessionState::Locked(KeySourceKind::Keyring),
                Some("upgrade"),
            ),
            Launch::Failed(e) => (SessionState::Failed(e), None),
        };
        let mut session = Self {
            real_path: db_path.clone(),
            automation_passphrase: passphrase.map(|p| zeroize::Zeroizing::new(p.to_string())),
            db_path,
            prefs_path,
            keys,
            params,
            actor: actor.to_string(),
            state,
            prefs,
            temp_dir: None,
            last_activity: None,
            lock_reason,
            failed_unlocks: 0,
            pending_recovery: None,
            upgrade: crate::WorkProgress::default(),
        };
        session.take_recovery_code();
        session.sign_as_coordinator();
        session
    }

    /// Whether the demo desk's file is the one open now.
    fn on_demo_file(&self) -> bool {
        self.db_path != self.real_path && self.db_path == demo_path_for(&self.real_path)
    }

    /// Keep the recovery code of a database just created, to be shown once.
    fn take_recovery_code(&mut self) {
        if self.on_demo_file() {
            // A demo desk holds only synthetic data made again at will: no recovery code to
            // write down and no guided setup (the name and backups are the real desk's).
            if let SessionState::Open(d) = &mut self.state {
                let _ = d.take_recovery_code();
            }
            return;
        }
        if let SessionState::Open(d) = &mut self.state {
            if let Some(code) = d.take_recovery_code() {
                self.pending_recovery = Some(code);
                // A new database: the guided setup follows the recovery code. Should this write
                // fail, the setup is simply not offered; everything in it is also in Settings.
                let _ = d.mark_first_run_pending();
            }
        }
    }

    /// The user has written the recovery code down: it is dropped from memory.
    pub fn recovery_code_shown(&mut self) -> crate::Result<SessionStatus> {
        if self.pending_recovery.take().is_some() {
            self.desk()?
                .record("desk.recovery_code_shown", "desk", "", "")?;
        }
        Ok(self.status())
    }

    /// Open with the recovery code: when the credential store lost the key, or the passphrase is
    /// forgotten (then `new_passphrase` and its confirmation replace it).
    pub fn recover(
        &mut self,
        recovery_code: &str,
        new_passphrase: &str,
        confirm: &str,
    ) -> crate::Result<SessionStatus> {
        if let SessionState::Open(_) = self.state {
            return Ok(self.status());
        }
        if matches!(self.state, SessionState::Setup) {
            return Err(Error::DbNotFound(self.db_path.clone()));
        }
        let passphrase_db = matches!(
            crate::store::Store::key_source(&self.db_path),
            Ok(KeySourceKind::Passphrase)
        );
        let new_passphrase = if passphrase_db {
            crate::store::key::validate_new_passphrase(new_passphrase, Some(confirm))?;
            Some(new_passphrase)
        } else {
            None
        };
        let opened = Desk::open_with_recovery(
            &self.db_path,
            self.keys.as_ref(),
            recovery_code,
            new_passphrase,
            &self.actor,
        );
        if opened.is_err() {
            self.failed_unlocks += 1;
        }
        let (desk, _keyring_restored) = opened?;
        if self.failed_unlocks > 0 {
            let n = self.failed_unlocks.to_string();
            desk.record("desk.unlock_failed", "desk", "", &n)?;
            self.failed_unlocks = 0;
        }
        self.state = SessionState::Open(Box::new(desk));
        self.lock_reason = None;
        self.sign_as_coordinator();
        Ok(self.status())
    }

    fn sign_as_coordinator(&mut self) {
        let coordinator = self.prefs.coordinator();
        if let SessionState::Open(d) = &mut self.state {
            d.set_coordinator(&coordinator);
        }
    }

    /// Write an attachment to this session's private temporary folder so that the system viewer
    /// can open it. The folder is removed when the session ends ([`Session::remove_temp_files`]),
    /// by the app on a signal ([`remove_own_temp_folders`]), and otherwise by the next start
    /// ([`sweep_leftover_temp_folders`]); its name says which process made it.
    pub fn attachment_to_temp(&mut self, id: i64) -> crate::Result<PathBuf> {
        let dir = match &self.temp_dir {
            Some(d) => d.clone(),
            None => {
                let d = std::env::temp_dir().join(format!(
                    "{TEMP_PREFIX}{}-{}",
                    std::process::id(),
                    hex::encode(
                        crate::store::key::DbKey::random()?
                            .as_bytes()
                            .get(..6)
                            .unwrap_or_default()
                    )
                ));
                create_private_dir(&d)?;
                self.temp_dir = Some(d.clone());
                d
            }
        };
        let sub = dir.join(id.to_string());
        create_private_dir(&sub)?;
        self.desk()?.export_attachment(id, &sub)
    }

    /// Remove the temporary copies of attachments (on lock and on exit).
    pub fn remove_temp_files(&mut self) {
        if let Some(d) = self.temp_dir.take() {
            let _ = std::fs::remove_dir_all(d);
        }
    }

    pub fn status(&self) -> SessionStatus {
        let (state, key_source, error) = match &self.state {
            SessionState::Open(d) => ("open", Some(d.store().key_info().key_source), None),
            SessionState::Setup => ("setup", None, None),
            SessionState::Locked(k) => ("locked", Some(*k), None),
            SessionState::Failed(e) => (
                "error",
                crate::store::key::KeyInfo::load(&self.db_path)
                    .ok()
                    .map(|i| i.key_source),
                Some(e.payload()),
            ),
        };
        let can_recover = state != "open"
            && state != "setup"
            && crate::store::key::KeyInfo::load(&self.db_path)
                .map(|i| i.recovery.is_some())
                .unwrap_or(false);
        // One read of the database's meta for both flags.
        let (first_run, demo_flag) = match &self.state {
            SessionState::Open(d) => d.status_flags().unwrap_or((false, false)),
            _ => (false, false),
        };
        SessionStatus {
            recovery_code: match (&self.state, &self.pending_recovery) {
                (SessionState::Open(_), Some(code)) => Some(code.to_string()),
                _ => None,
            },
            can_recover,
            today: chrono::Local::now().date_naive(),
            state,
            db_path: self.db_path.display().to_string(),
            key_source,
            language: self.prefs.language.clone(),
            coordinator_name: self.prefs.coordinator_name.clone(),
            coordinator_phone: self.prefs.coordinator_phone.clone(),
            coordinator_email: self.prefs.coordinator_email.clone(),
            os_user: self.os_user(),
            idle_lock_minutes: self.prefs.idle_lock_minutes,
            lock_reason: self.lock_reason,
            error,
            first_run,
            demo_desk: self.on_demo_file() || demo_flag,
            can_return_to_real: self.on_demo_file(),
        }
    }

    // --- Demo desk ---

    /// Leave the desk open now for the one at `path`: the open one is closed as a lock closes
    /// it, the other opened (created when it does not exist) as at the app's start.
    fn switch_to(&mut self, path: PathBuf, why: &'static str) {
        if let SessionState::Open(desk) = &self.state {
            let _ = desk.record("desk.close", "desk", "", why);
        }
        // The connection closes before the other file is opened.
        self.state = SessionState::Setup;
        self.remove_temp_files();
        self.pending_recovery = None;
        self.failed_unlocks = 0;
        self.db_path = path;
        let passphrase = self.automation_passphrase.as_ref().map(|p| p.as_str());
        let (state, lock_reason) = match launch(
            &self.db_path,
            self.keys.as_ref(),
            passphrase,
            &self.actor,
            self.params,
        ) {
            Launch::Open(d) => (SessionState::Open(d), None),
            Launch::NeedsPassphraseSetup => (SessionState::Setup, None),
            Launch::Locked => (SessionState::Locked(KeySourceKind::Passphrase), None),
            Launch::UpgradePending => (
                SessionState::Locked(KeySourceKind::Keyring),
                Some("upgrade"),
            ),
            Launch::Failed(e) => (SessionState::Failed(e), None),
        };
        self.state = state;
        self.lock_reason = lock_reason;
        self.take_recovery_code();
        self.sign_as_coordinator();
    }

    /// Open the demo desk, a separate file beside the real desk ([`demo_path_for`]); it is
    /// created on first use (then [`Session::load_demo`] fills it). A passphrase desk without
    /// the automation passphrase asks for the demo desk's own passphrase (setup or unlock).
    pub fn open_demo_desk(&mut self) -> crate::Result<SessionStatus> {
        if !self.on_demo_file() {
            let demo = demo_path_for(&self.real_path);
            self.switch_to(demo, "demo desk opened");
        }
        Ok(self.status())
    }

    /// Back to the real desk the app was started on (its passphrase is asked again when it
    /// has one and the automation passphrase is not set).
    pub fn open_real_desk(&mut self) -> crate::Result<SessionStatus> {
        if self.db_path != self.real_path {
            let real = self.real_path.clone();
            self.switch_to(real, "real desk opened");
        }
        Ok(self.status())
    }

    /// Fill the open demo desk with `n` demo cases and their history, when it is still empty
    /// (0 when it already has its demo). Refused on the real desk: demo data never goes there.
    pub fn load_demo(&mut self, n: usize, seed: u64) -> crate::Result<usize> {
        if !self.on_demo_file() {
            return Err(Error::DemoRealDesk);
        }
        let desk = self.desk()?;
        if desk.is_demo()? {
            return Ok(0);
        }
        desk.load_demo(n, seed)
    }

    /// First start without a credential store: create the database with a new passphrase.
    pub fn create_with_passphrase(
        &mut self,
        passphrase: &str,
        confirm: &str,
    ) -> crate::Result<SessionStatus> {
        if !matches!(self.state, SessionState::Setup) {
            return Err(Error::DbExists(self.db_path.clone()));
        }
        crate::store::key::validate_new_passphrase(passphrase, Some(confirm))?;
        let desk = Desk::create(
            &self.db_path,
            NewKey::Passphrase {
                passphrase: passphrase.to_string(),
                params: self.params,
            },
            self.keys.as_ref(),
            &self.actor,
        )?;
        self.state = SessionState::Open(Box::new(desk));
        self.take_recovery_code();
        self.sign_as_coordinator();
        Ok(self.status())
    }

    // --- Backups ---

    /// A backup now to `out`, under a backup passphrase typed twice.
    pub fn backup_now(
        &mut self,
        out: &str,
        passphrase: &str,
        confirm: &str,
    ) -> crate::Result<crate::store::backup::BackupInfo> {
        let out = out.trim();
        if out.is_empty() || !Path::new(out).is_absolute() {
            return Err(Error::field(
                "out",
                "backup.out_required",
                "Vali fail, kuhu varukoopia salvestatakse.",
                "Choose the file the backup is saved to.",
            ));
        }
        crate::store::key::validate_new_passphrase(passphrase, Some(confirm))?;
        let params = self.params;
        self.desk()?.backup(Path::new(out), passphrase, params)
    }

    pub fn auto_backup_status(
        &mut self,
    ) -> crate::Result<crate::trust::autobackup::AutoBackupStatus> {
        self.desk()?.auto_backup_status()
    }

    pub fn auto_backup_configure(
        &mut self,
        folder: &str,
        keep: i64,
        passphrase: &str,
        confirm: &str,
    ) -> crate::Result<crate::trust::autobackup::AutoBackupStatus> {
        let params = self.params;
        self.desk()?
            .auto_backup_configure(folder, keep, passphrase, confirm, params)
    }

    pub fn auto_backup_disable(
        &mut self,
    ) -> crate::Result<crate::trust::autobackup::AutoBackupStatus> {
        self.desk()?.auto_backup_disable()
    }

    /// The daily backup when one is due and the desk is open (the background check calls this).
    pub fn auto_backup_if_due(
        &mut self,
    ) -> Option<crate::Result<crate::store::backup::BackupInfo>> {
        match &self.state {
            SessionState::Open(d) => d.auto_backup_if_due().transpose(),
            _ => None,
        }
    }

    /// Replace the database with a backup. The backup's passphrase and header are checked while
    /// the current database stays open; then it is closed and kept aside (never overwritten), the
    /// backup is checked whole and put in its place under this computer's key store or a new
    /// passphrase, and opened. Works from every screen: first start on a new laptop (nothing to
    /// keep aside), a lost key, or Settings.
    pub fn restore_from(
        &mut self,
        from: &str,
        backup_passphrase: &str,
        new_passphrase: &str,
        confirm: &str,
    ) -> crate::Result<SessionStatus> {
        let from = PathBuf::from(from.trim());
        if from.as_os_str().is_empty() || !from.is_file() {
            return Err(Error::field(
                "from",
                "backup.file_missing",
                "Vali varukoopia fail (.srtbackup).",
                "Choose the backup file (.srtbackup).",
            ));
        }
        let current_source = crate::store::key::KeyInfo::load(&self.db_path)
            .ok()
            .map(|i| i.key_source);
        let passphrase_mode = match current_source {
            Some(k) => k == KeySourceKind::Passphrase,
            None => !self.keys.available(),
        };
        if passphrase_mode {
            crate::store::key::validate_new_passphrase(new_passphrase, Some(confirm))?;
        }
        crate::store::backup::verify(&from, backup_passphrase).map_err(|e| match e {
            Error::WrongPassphrase => Error::field(
                "backupPassphrase",
                "backup.wrong_passphrase",
                "Varukoopia parool ei sobi.",
                "The backup passphrase does not match.",
            ),
            other => other,
        })?;
        let new_key = if passphrase_mode {
            NewKey::Passphrase {
                passphrase: new_passphrase.to_string(),
                params: self.params,
            }
        } else {
            NewKey::Keyring {
                recovery_params: self.params,
            }
        };
        // Close the current database (its connection must not stay open on a moved file).
        if let SessionState::Open(_) = self.state {
            self.lock("restore");
        }
        self.remove_temp_files();
        let stamp = chrono::Utc::now().format("%Y%m%d%H%M%S").to_string();
        let restored = crate::store::backup::restore(
            &from,
            &self.db_path,
            backup_passphrase,
            &new_key,
            self.keys.as_ref(),
            &stamp,
        )?;
        let mut desk = Desk::open(
            &self.db_path,
            self.keys.as_ref(),
            passphrase_mode.then_some(new_passphrase),
            &self.actor,
        )?;
        let aside = restored
            .aside
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        desk.record(
            "restore",
            "desk",
            "",
            format!("{} {}", from.display(), aside).trim(),
        )?;
        let _ = desk.take_recovery_code();
        self.pending_recovery = Some(restored.recovery_code);
        self.state = SessionState::Open(Box::new(desk));
        self.lock_reason = None;
        self.failed_unlocks = 0;
        self.sign_as_coordinator();
        Ok(self.status())
    }

    /// How far the work running now has come: the open desk's long work (a backup), or while
    /// the desk is locked, an unlock's schema upgrade.
    pub fn work_progress(&self) -> crate::WorkProgress {
        match &self.state {
            SessionState::Open(desk) => desk.work_progress(),
            _ => self.upgrade.clone(),
        }
    }

    /// Unlock a passphrase database. A wrong passphrase leaves the session locked.
    pub fn unlock(&mut self, passphrase: &str) -> crate::Result<SessionStatus> {
        if let SessionState::Open(_) = self.state {
            return Ok(self.status());
        }
        let passphrase = match self.state {
            SessionState::Locked(KeySourceKind::Keyring) => None,
            _ => Some(passphrase),
        };
        // Nothing typed is not a wrong passphrase (and costs no Argon2id run or failed try).
        if passphrase.is_some_and(|p| p.is_empty()) {
            return Err(Error::Validation(vec![crate::FieldError::new(
                "passphrase",
                "required",
                "Kirjuta parool.",
                "Enter the passphrase.",
            )]));
        }
        // A cancelled upgrade before this one is over: this one runs until asked to stop.
        self.upgrade.reset();
        let opened = Desk::open_reporting(
            &self.db_path,
            self.keys.as_ref(),
            passphrase,
            &self.actor,
            Some(&self.upgrade),
        );
        // A cancelled upgrade is not a failed unlock: the key was right.
        if matches!(&opened, Err(e) if !matches!(e, Error::UpgradeCancelled { .. })) {
            self.failed_unlocks += 1;
        }
        let desk = opened.map_err(|e| match e {
            Error::WrongPassphrase => Error::Validation(vec![crate::FieldError::new(
                "passphrase",
                "key.wrong_passphrase",
                "Vale parool.",
                "Wrong passphrase.",
            )]),
            other => other,
        })?;
        if self.failed_unlocks > 0 {
            let n = self.failed_unlocks.to_string();
            desk.record("desk.unlock_failed", "desk", "", &n)?;
            self.failed_unlocks = 0;
        }
        desk.record("desk.unlock", "desk", "", "")?;
        self.state = SessionState::Open(Box::new(desk));
        self.lock_reason = None;
        self.sign_as_coordinator();
        Ok(self.status())
    }

    /// [`Desk::watch_cancel`] on the open desk (an unlock's upgrade watches its own flag).
    pub fn watch_cancel(&self, on: bool) -> crate::Result<()> {
        match &self.state {
            SessionState::Open(desk) => desk.watch_cancel(on),
            _ => Ok(()),
        }
    }

    /// What stops the work running now: the open desk's statement, or while the desk is locked,
    /// an unlock's schema upgrade (between its steps and inside one).
    pub fn work_cancel(&self) -> crate::WorkCancel {
        match &self.state {
            SessionState::Open(desk) => desk.work_cancel(),
            _ => crate::WorkCancel::by_flag(self.upgrade.clone()),
        }
    }

    /// Lock: the database connection is closed (SQLCipher wipes its key), temporary attachment
    /// copies are deleted; from now on every data command answers `desk.locked`.
    pub fn lock(&mut self, reason: &'static str) -> SessionStatus {
        if let SessionState::Open(desk) = &self.state {
            let source = desk.store().key_info().key_source;
            let _ = desk.record("desk.lock", "desk", "", reason);
            self.state = SessionState::Locked(source);
            self.lock_reason = Some(reason);
        }
        self.remove_temp_files();
        self.status()
    }

    /// The user did something (a command, a key press in the window).
    pub fn touch(&mut self, now: Instant) {
        self.last_activity = Some(now);
    }

    /// Lock when there was no activity for the idle time; true when it locked now.
    pub fn lock_if_idle(&mut self, now: Instant) -> bool {
        let idle = Duration::from_secs(u64::from(self.prefs.idle_lock_minutes) * 60);
        let Some(last) = self.last_activity else {
            self.last_activity = Some(now);
            return false;
        };
        if self.is_open() && now.saturating_duration_since(last) >= idle {
            self.lock("idle");
            return true;
        }
        false
    }

    pub fn set_idle_lock_minutes(&mut self, minutes: i64) -> crate::Result<SessionStatus> {
        self.prefs.set_idle_lock_minutes(minutes)?;
        self.prefs.save(&self.prefs_path)?;
        Ok(self.status())
    }

    /// The OS user part of the actor ("app:olga" → "olga").
    fn os_user(&self) -> String {
        self.actor
            .split_once(':')
            .map_or(self.actor.as_str(), |(_, u)| u)
            .to_string()
    }

    /// The coordinator's name, phone and e-mail (Settings, the guided setup): the name is
    /// required, and it signs from now on.
    pub fn set_coordinator(
        &mut self,
        name: &str,
        phone: &str,
        email: &str,
    ) -> crate::Result<SessionStatus> {
        self.prefs.set_coordinator(name, phone, email)?;
        self.prefs.save(&self.prefs_path)?;
        self.sign_as_coordinator();
        Ok(self.status())
    }

    pub fn set_language(&mut self, language: &str) -> crate::Result<SessionStatus> {
        self.prefs.set_language(language)?;
        self.prefs.save(&self.prefs_path)?;
        Ok(self.status())
    }

    // --- First run ---

    /// The guided setup is finished (or skipped): the dashboard follows, and it is not offered again.
    pub fn first_run_done(&mut self) -> crate::Result<SessionStatus> {
        self.desk()?.finish_first_run()?;
        Ok(self.status())
    }

    /// Whether the database is open (not locked, not failed, not waiting for setup).
    pub fn is_open(&self) -> bool {
        matches!(self.state, SessionState::Open(_))
    }

    /// The open desk, or `desk.locked`.
    pub fn desk(&mut self) -> crate::Result<&mut Desk> {
        match &mut self.state {
            SessionState::Open(d) => Ok(d),
            _ => Err(Error::Locked),
        }
    }

    /// The open desk with the credential store (the SMTP password lives there).
    pub fn desk_and_keys(&mut self) -> crate::Result<(&mut Desk, &dyn KeyStore)> {
        match &mut self.state {
            SessionState::Open(d) => Ok((d, self.keys.as_ref())),
            _ => Err(Error::Locked),
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.remove_temp_files();
    }
}

/// The start of the name of a private temporary folder: `srt-desk-<pid>-<12 hex digits>`.
const TEMP_PREFIX: &str = "srt-desk-";

/// The process that made a private temporary folder, read from its name; None for any other name.
fn temp_folder_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?;
    let (pid, tag) = rest.split_once('-')?;
    let hex_tag = tag.len() == 12 && tag.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex_tag || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Remove the private temporary folders (decrypted copies opened in a viewer) that runs of the
/// app left in `temp_root` when they were killed: only those whose process is gone (`alive`
/// says whether a process runs), never this process's or a running instance's. Returns what was
/// removed.
pub fn sweep_leftover_temp_folders(temp_root: &Path, alive: impl Fn(u32) -> bool) -> Vec<PathBuf> {
    let own = std::process::id();
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(temp_root) else {
        return removed;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_folder_pid) else {
            continue;
        };
        // A symlink is not followed: only a real folder of ours is removed.
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if !is_dir || pid == own || alive(pid) {
            continue;
        }
        if std::fs::remove_dir_all(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed
}

/// Remove this process's private temporary folders without waiting for the session (a signal
/// ends the app while a command may hold it). Returns what was removed.
pub fn remove_own_temp_folders(temp_root: &Path) -> Vec<PathBuf> {
    let own = std::process::id();
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(temp_root) else {
        return removed;
    };
    for entry in entries.flatten() {
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        let ours = entry.file_name().to_str().and_then(temp_folder_pid) == Some(own);
        if is_dir && ours && std::fs::remove_dir_all(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed
}

fn create_private_dir(dir: &Path) -> crate::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}
