//! srt-core: the whole SRT Desk domain and its encrypted store, with no GUI in its dependencies.
//! [`Desk`] is the one API surface: the desktop app's commands and `srt-admin` both call it.

pub mod assessment;
pub mod audit;
pub mod autobackup;
pub mod bench;
pub mod cached;
pub mod cases;
pub mod clipboard;
pub mod clock;
pub mod deadlines;
pub mod demo;
pub mod demo_desk;
pub mod demo_history;
pub mod demo_work;
pub mod desk_view;
pub mod documents;
pub mod error;
pub mod ids;
pub mod launch;
pub mod places;
pub mod prefs;
pub mod privacy;
pub mod rules;
pub mod schedule;
pub mod search;
pub mod signing;
pub mod store;
pub mod sync;
pub mod timeline;
// --- PDF and decisions ---
pub mod decision_pdf;
pub mod decisions;
pub mod pdf;
// --- Meetings ---
pub mod meetings;
pub mod minutes;
// --- Providers ---
pub mod partners;
pub mod provider_io;
pub mod provider_report;
pub mod providers;
pub mod referrals;
// --- Tasks and proposals ---
pub mod proposals;
pub mod tasks;
// --- Billing ---
pub mod billing;
pub mod invoice_io;
// --- Statistics and feedback ---
pub mod charts;
pub mod feedback;
pub mod stats;
pub mod stats_cases;
pub mod stats_export;
pub mod stats_money;

use std::path::Path;
use std::sync::Arc;

pub use error::{Error, ErrorPayload, FieldError, HeldField, Localized, Result};
pub use store::key::{KdfParams, KeySourceKind, KeyStore, KeyringStore, MemoryKeyStore};
pub use store::{IntegrityReport, NewKey, Store};

use cases::{ApplicationInput, CaseCounts, CaseDetail, CaseFilter, CaseList};
use clock::{Clock, SystemClock};

/// An open, unlocked SRT Desk database and who is working on it.
#[derive(Debug)]
pub struct Desk {
    store: Store,
    actor: String,
    /// Who signs (from the preferences; empty until set: never the OS user).
    coordinator: prefs::Coordinator,
    clock: Arc<dyn Clock>,
    progress: WorkProgress,
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
    fn opened(store: Store, actor: &str) -> Result<Self> {
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

    fn wrap(store: Store, actor: &str) -> Self {
        Self {
            store,
            actor: actor.to_string(),
            coordinator: prefs::Coordinator::default(),
            clock: Arc::new(SystemClock),
            progress: WorkProgress::default(),
        }
    }

    /// The coordinator who signs and whose contacts the letters print (the audit log keeps the
    /// OS-level actor).
    pub fn set_coordinator(&mut self, coordinator: &prefs::Coordinator) {
        self.coordinator = coordinator.clone();
    }

    /// The coordinator as letters print them (the Board's phone and e-mail where none of their
    /// own), or `coordinator.profile_missing` when a name or a contact is missing.
    pub fn require_coordinator(&self) -> Result<prefs::Coordinator> {
        let s = decisions::settings(self.store.connection())?;
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
    fn by(&self) -> String {
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
        cases::get(self.store.connection(), id, self.clock.today())
    }

    pub fn case(&self, id: i64) -> Result<CaseDetail> {
        let today = self.clock.today();
        let detail =
            store::in_read_transaction(self.store.connection(), |c| cases::get(c, id, today))?;
        self.audit("case.read", "case", &id.to_string(), "")?;
        Ok(detail)
    }

    pub fn list_cases(&self, filter: &CaseFilter) -> Result<CaseList> {
        let list = cases::list(self.store.connection(), filter, self.clock.today())?;
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
        cases::get(self.store.connection(), id, self.clock.today())
    }

    pub fn case_counts(&self) -> Result<CaseCounts> {
        cases::counts(self.store.connection())
    }

    /// Load `n` synthetic cases; only into an empty database, so demo data never mixes with real.
    pub fn load_demo(&mut self, n: usize, seed: u64) -> Result<usize> {
        self.load_demo_with_history(n, seed).map(|(cases, _)| cases)
    }

    /// [`Desk::load_demo`] with what the cases' history added (decisions, meetings, invoices...).
    /// How far it has come is in [`Desk::work_progress`] (the app's bar): the cases as they are
    /// written, then one unit for each of the three steps after them.
    pub fn load_demo_with_history(
        &mut self,
        n: usize,
        seed: u64,
    ) -> Result<(usize, demo_history::HistoryCounts)> {
        let progress = self.work_progress();
        let (cases, total) = (n as u64, n as u64 + 3);
        self.load_demo_reporting(n, seed, &mut |step| match step {
            demo::DemoStep::Cases { done, .. } => progress.set(done as u64, total),
            demo::DemoStep::History => progress.set(cases, total),
            demo::DemoStep::KeptRows => progress.set(cases + 1, total),
            demo::DemoStep::Writing => progress.set(cases + 2, total),
        })
    }

    /// [`Desk::load_demo_with_history`], telling `report` each step as it begins (and the cases
    /// written as they are): `srt-admin demo` shows them.
    pub fn load_demo_reporting(
        &mut self,
        n: usize,
        seed: u64,
        report: &mut dyn FnMut(demo::DemoStep),
    ) -> Result<(usize, demo_history::HistoryCounts)> {
        // A desk that holds anything of real work (or an earlier demo) is refused: the demo
        // would take its number sequences and count in its statistics.
        if !demo_desk::is_untouched(self.store.connection())? {
            return Err(Error::DemoNotEmpty);
        }
        let today = self.clock.today();
        let now = self.clock.now();
        let actor = self.actor.clone();
        let municipalities = places::municipality_codes(self.store.connection())?;
        // A decade of demo history is one large transaction: a page cache that holds it spares
        // SQLCipher encrypting pages spilled mid-transaction and decrypting them again. And it
        // goes straight into the file with a rollback journal: in WAL mode its ~900 MB would be
        // written twice, to the log and again at the checkpoint (commit 7.6 -> 3.1 s at 100 000
        // cases). The desk is empty, so the journal stays small; a crash rolls the load back.
        // If another connection holds the file, the mode stays WAL and the load is only slower.
        let big = n > 10_000;
        if big {
            let conn = self.store.connection();
            conn.execute_batch("PRAGMA cache_size = -524288;")?;
            let _ = conn.pragma_update(None, "journal_mode", "DELETE");
        }
        let loaded = (|| {
            let tx = self.store.connection_mut().transaction()?;
            let ids = demo::generate_reporting(
                &tx,
                n,
                seed,
                (today, now),
                &municipalities,
                &mut |done| report(demo::DemoStep::Cases { done, total: n }),
            )?;
            // The flag that makes it a demo desk for good, in the same transaction as its data.
            demo_desk::mark(&tx, now)?;
            report(demo::DemoStep::History);
            let mut history = demo_history::generate(&tx, seed, (today, now))?;
            demo_work::generate(&tx, seed, (today, now), &mut history)?;
            // The dashboard's and the statistics' kept rows, ready before they are first opened.
            report(demo::DemoStep::KeptRows);
            refresh_kept_rows(&tx)?;
            audit::record(
                &tx,
                now,
                &actor,
                "demo.load",
                "desk",
                "",
                &ids.len().to_string(),
            )?;
            report(demo::DemoStep::Writing);
            tx.commit()?;
            Ok::<_, Error>((ids, history))
        })();
        if big {
            let conn = self.store.connection();
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.execute_batch("PRAGMA cache_size = -65536;")?;
        }
        let (ids, history) = loaded?;
        Ok((ids.len(), history))
    }

    /// Whether this is a demo desk (made by a demo load on an empty desk): the window shows
    /// "NÄIDISANDMED" on every screen and every PDF it writes says so.
    pub fn is_demo(&self) -> Result<bool> {
        demo_desk::is_demo(self.store.connection())
    }

    /// The stamp a PDF of this desk carries on every page: "NÄIDISANDMED" on a demo desk.
    fn pdf_stamp(&self) -> String {
        demo_desk::pdf_stamp(self.store.connection())
    }

    /// Render a PDF of this desk (stamped on a demo desk).
    fn render_pdf(&self, mut doc: pdf::PdfDocument) -> Result<Vec<u8>> {
        doc.stamp = self.pdf_stamp();
        pdf::render(&doc)
    }

    // ---- Case work: assessment, documents, deadlines, dashboard, search, timeline ----

    /// Run `f` in one transaction with an audit row; all or nothing.
    fn write<T>(
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
    fn write_detailed<T>(
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
        audit::record(&tx, now, &actor, action, entity, id, detail)?;
        tx.commit()?;
        Ok(out)
    }

    pub fn assessment(&self, case_id: i64) -> Result<assessment::Assessment> {
        let a = assessment::get(self.store.connection(), case_id, self.clock.today())?;
        self.audit("assessment.read", "case", &case_id.to_string(), "")?;
        Ok(a)
    }

    pub fn save_assessment(
        &mut self,
        case_id: i64,
        draft: &assessment::AssessmentDraft,
    ) -> Result<assessment::Assessment> {
        self.save_assessment_as_typed(case_id, draft, &[])
    }

    /// Save the assessment field by field: what is refused is held (as typed) with its message,
    /// the rest is saved; the answer's `held` lists what is not saved.
    pub fn save_assessment_as_typed(
        &mut self,
        case_id: i64,
        draft: &assessment::AssessmentDraft,
        hours_typed: &[String],
    ) -> Result<assessment::Assessment> {
        self.write(
            "assessment.save",
            "case",
            &case_id.to_string(),
            |tx, now, _| assessment::save_draft(tx, case_id, draft, hours_typed, now),
        )?;
        assessment::get(self.store.connection(), case_id, self.clock.today())
    }

    pub fn sign_assessment(
        &mut self,
        case_id: i64,
        signed_on: &str,
    ) -> Result<assessment::Assessment> {
        let by = self.require_coordinator()?.name;
        self.write(
            "assessment.sign",
            "case",
            &case_id.to_string(),
            |tx, now, today| assessment::sign(tx, case_id, signed_on, &by, today, now),
        )?;
        assessment::get(self.store.connection(), case_id, self.clock.today())
    }

    pub fn documents(&self, case_id: i64) -> Result<Vec<documents::Document>> {
        cases::get(self.store.connection(), case_id, self.clock.today())?;
        let docs = documents::list(self.store.connection(), case_id)?;
        self.audit("document.list", "case", &case_id.to_string(), "")?;
        Ok(docs)
    }

    pub fn add_document(
        &mut self,
        case_id: i64,
        input: &documents::DocumentInput,
    ) -> Result<documents::Document> {
        let id = self.write(
            "document.create",
            "case",
            &case_id.to_string(),
            |tx, now, today| {
                let facts = assessment::case_facts(tx, case_id)?;
                let (date, due) = documents::validate(input, facts.application_date, today)?;
                documents::insert(tx, case_id, input, date, due, now)
            },
        )?;
        documents::get(self.store.connection(), id)
    }

    pub fn set_document_status(&mut self, id: i64, status: &str) -> Result<documents::Document> {
        self.write(
            "document.status",
            "document",
            &id.to_string(),
            |tx, now, _| documents::set_status(tx, id, status, now),
        )?;
        documents::get(self.store.connection(), id)
    }

    /// Attach a file from disk: checked for size and type before it is read; stored whole or not at all.
    pub fn attach_file(&mut self, document_id: i64, path: &Path) -> Result<documents::Document> {
        use std::io::Read;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "file".into());
        let size = std::fs::metadata(path)?.len();
        let mut head = [0u8; 16];
        let mut f = std::fs::File::open(path)?;
        let n = f.read(&mut head)?;
        let mime = documents::check_file(&name, size, &head[..n])?;
        let content = std::fs::read(path)?;
        // The file may have changed between the checks and the read: check the bytes read.
        documents::check_file(
            &name,
            content.len() as u64,
            &content[..content.len().min(16)],
        )?;
        self.write(
            "attachment.create",
            "document",
            &document_id.to_string(),
            |tx, now, _| documents::attach(tx, document_id, &name, mime, &content, now),
        )?;
        documents::get(self.store.connection(), document_id)
    }

    /// Write an attachment to `dir` (a temporary folder or where the user chose); returns the path.
    pub fn export_attachment(&self, id: i64, target: &Path) -> Result<std::path::PathBuf> {
        let (name, case_id, content) = documents::attachment_content(self.store.connection(), id)?;
        let path = if target.is_dir() {
            // Only the file's own name, never a path hidden in it.
            let safe: String = name
                .chars()
                .map(|c| {
                    if c == '/' || c == '\\' || c == ':' {
                        '_'
                    } else {
                        c
                    }
                })
                .collect();
            target.join(safe)
        } else {
            target.to_path_buf()
        };
        std::fs::write(&path, &content)?;
        self.audit(
            "attachment.export",
            "case",
            &case_id.to_string(),
            &id.to_string(),
        )?;
        Ok(path)
    }

    /// Ask the applicant for missing documents: one action that records the outgoing request
    /// with its due date, sets the case to "incomplete" and stops the decision clock.
    pub fn request_documents(
        &mut self,
        case_id: i64,
        req: &cases::DocumentRequest,
    ) -> Result<CaseDetail> {
        self.write(
            "case.request_documents",
            "case",
            &case_id.to_string(),
            |tx, now, today| {
                let facts = assessment::case_facts(tx, case_id)?;
                let input = req.to_document();
                let (date, due) = documents::validate(&input, facts.application_date, today)
                    .map_err(|e| req.map_errors(e))?;
                req.check(due)?;
                cases::change_status(tx, case_id, "incomplete", req.what.trim(), now)?;
                documents::insert(tx, case_id, &input, date, due, now)?;
                Ok(())
            },
        )?;
        cases::get(self.store.connection(), case_id, self.clock.today())
    }

    /// The missing documents arrived: the case goes back to assessment and the decision clock
    /// starts again from the day they arrived.
    pub fn documents_received(
        &mut self,
        case_id: i64,
        received_on: &str,
        note: &str,
    ) -> Result<CaseDetail> {
        self.write(
            "case.documents_received",
            "case",
            &case_id.to_string(),
            |tx, now, today| {
                let request = documents::open_missing_request(tx, case_id)?;
                let sent = match request {
                    Some((id, _)) => Some(documents::get(tx, id)?.doc_date),
                    None => None,
                };
                let on = cases::parse_received_on(received_on, sent, today)?;
                let reason = if note.trim().is_empty() {
                    "Puuduvad dokumendid saabusid"
                } else {
                    note.trim()
                };
                cases::change_status(tx, case_id, "in_assessment", reason, now)?;
                cases::set_complete_on(tx, case_id, on)?;
                if let Some((id, _)) = request {
                    documents::set_status(tx, id, "done", now)?;
                }
                let input = documents::DocumentInput {
                    direction: "in".into(),
                    doc_type: "other".into(),
                    title: "Puuduvad dokumendid".into(),
                    doc_date: on.to_string(),
                    notes: note.trim().to_string(),
                    ..Default::default()
                };
                documents::insert(tx, case_id, &input, on, None, now)?;
                Ok(())
            },
        )?;
        cases::get(self.store.connection(), case_id, self.clock.today())
    }

    pub fn dashboard(&self) -> Result<schedule::Dashboard> {
        let today = self.clock.today();
        store::in_read_transaction(self.store.connection(), |c| schedule::dashboard(c, today))
    }

    pub fn search(&self, text: &str) -> Result<search::SearchResults> {
        let r = search::search(self.store.connection(), text, 50)?;
        if !text.trim().is_empty() {
            self.audit("search", "desk", "", text.trim())?;
        }
        Ok(r)
    }

    pub fn timeline(&self, case_id: i64) -> Result<Vec<timeline::TimelineEntry>> {
        let today = self.clock.today();
        store::in_read_transaction(self.store.connection(), |c| {
            cases::get(c, case_id, today)?;
            timeline::timeline(c, case_id)
        })
    }

    pub fn deadline_rules(&self) -> Result<Vec<rules::DeadlineRule>> {
        rules::deadline_rules(self.store.connection())
    }

    pub fn save_deadline_rule(
        &mut self,
        input: &rules::DeadlineRuleInput,
    ) -> Result<Vec<rules::DeadlineRule>> {
        let code = input.code.clone();
        self.write("rule.save", "deadline_rule", &code, |tx, now, _| {
            rules::save_deadline_rule(tx, input, &clock::ts(now))
        })?;
        rules::deadline_rules(self.store.connection())
    }

    /// The audit log, filtered; reading it is itself recorded.
    pub fn audit_log(&self, filter: &audit::AuditFilter) -> Result<audit::AuditPage> {
        let page = audit::list(self.store.connection(), filter)?;
        self.audit("audit.read", "desk", "", "")?;
        Ok(page)
    }

    // --- Data protection ---

    pub fn retention_list(&self) -> Result<privacy::RetentionList> {
        privacy::candidates(self.store.connection(), self.clock.today())
    }

    pub fn retention_set_years(&self, years: i64) -> Result<privacy::RetentionList> {
        let now = clock::ts(self.clock.now());
        let years = privacy::set_retention_years(self.store.connection(), years, &now)?;
        self.audit("retention.years", "desk", "", &years.to_string())?;
        self.retention_list()
    }

    /// Delete closed cases past their retention period, all or nothing. The audit log keeps one
    /// row per case with its id and number only.
    pub fn retention_delete(&mut self, case_ids: &[i64]) -> Result<privacy::RetentionList> {
        let now = self.clock.now();
        let today = self.clock.today();
        let actor = self.actor.clone();
        let tx = self.store.connection_mut().transaction()?;
        let deleted = privacy::delete_due(&tx, case_ids, today)?;
        for (id, case_no) in &deleted {
            audit::record(
                &tx,
                now,
                &actor,
                "case.delete_retention",
                "case",
                &id.to_string(),
                case_no,
            )?;
        }
        tx.commit()?;
        self.retention_list()
    }

    /// Everything about one person (a child or a guardian, by personal code) written as JSON to
    /// `out`, which must not exist yet.
    pub fn person_export(&self, personal_code: &str, out: &Path) -> Result<u64> {
        let at = clock::ts(self.clock.now());
        let data = privacy::person_export(self.store.connection(), personal_code, &at)?
            .ok_or_else(|| {
                Error::field(
                    "personalCode",
                    "person.not_found",
                    "Selle isikukoodiga last ega esindajat ei ole.",
                    "There is no child or guardian with this personal code.",
                )
            })?;
        if out.exists() {
            return Err(Error::FileExists(out.to_path_buf()));
        }
        let json = serde_json::to_vec_pretty(&data)
            .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        // A PDF beside the JSON file, for the person to read (same name, .pdf).
        let pdf_path = out.with_extension("pdf");
        if pdf_path.exists() && pdf_path != out {
            return Err(Error::FileExists(pdf_path));
        }
        let pdf = privacy::person_export_pdf(&data, &self.pdf_stamp())?;
        std::fs::write(out, &json)?;
        if pdf_path != out {
            std::fs::write(&pdf_path, &pdf)?;
        }
        let cases: Vec<String> = data["cases"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|c| c["case"]["id"].as_i64().map(|i| i.to_string()))
                    .collect()
            })
            .unwrap_or_default();
        self.audit(
            "export.person",
            "desk",
            &cases.join(","),
            &out.display().to_string(),
        )?;
        Ok(json.len() as u64)
    }

    // --- Automatic backups ---

    pub fn auto_backup_status(&self) -> Result<autobackup::AutoBackupStatus> {
        autobackup::status(self.store.connection(), &self.store.key_info().desk_id)
    }

    /// Switch daily backups on (or change them) and write the first one at once, so that a wrong
    /// folder shows now and not tomorrow.
    pub fn auto_backup_configure(
        &self,
        folder: &str,
        keep: i64,
        passphrase: &str,
        confirm: &str,
        params: KdfParams,
    ) -> Result<autobackup::AutoBackupStatus> {
        let path = autobackup::validate(folder, keep, passphrase, confirm)?;
        let now = self.clock.now();
        let stamp = clock::ts(now);
        let keep = u32::try_from(keep).unwrap_or(autobackup::DEFAULT_KEEP);
        autobackup::configure(
            self.store.connection(),
            &path,
            keep,
            passphrase,
            params,
            &stamp,
        )?;
        self.audit("backup.auto_on", "desk", "", &path.display().to_string())?;
        let info = autobackup::run(self.store.connection(), &self.store.key_info().desk_id, now)?;
        self.audit("backup", "desk", "", &info.path.display().to_string())?;
        self.auto_backup_status()
    }

    pub fn auto_backup_disable(&self) -> Result<autobackup::AutoBackupStatus> {
        autobackup::disable(self.store.connection())?;
        self.audit("backup.auto_off", "desk", "", "")?;
        self.auto_backup_status()
    }

    /// The daily backup, when one is due; `None` when not due. Called by the app's background check.
    pub fn auto_backup_if_due(&self) -> Result<Option<store::backup::BackupInfo>> {
        let now = self.clock.now();
        if !autobackup::is_due(self.store.connection(), now)? {
            return Ok(None);
        }
        let result = autobackup::run(self.store.connection(), &self.store.key_info().desk_id, now);
        match &result {
            Ok(info) => self.audit("backup", "desk", "", &info.path.display().to_string())?,
            Err(e) => self.audit("backup.failed", "desk", "", e.code())?,
        }
        result.map(Some)
    }

    /// An encrypted backup under its own passphrase, consistent while work goes on.
    pub fn backup(
        &self,
        out: &Path,
        passphrase: &str,
        params: KdfParams,
    ) -> Result<store::backup::BackupInfo> {
        let now = clock::ts(self.clock.now());
        let info = store::backup::write_backup_reporting(
            self.store.connection(),
            &self.store.key_info().desk_id,
            out,
            passphrase,
            params,
            &now,
            Some(&self.progress),
        )?;
        self.audit("backup", "desk", "", &out.display().to_string())?;
        Ok(info)
    }

    /// Compact the database file ([`Store::compact`]), with an audit row. Returns the size
    /// before and after, in bytes.
    pub fn compact(&mut self) -> Result<(u64, u64)> {
        self.write("desk.compact", "desk", "", |_, _, _| Ok(()))?;
        self.store.compact()
    }

    /// Integrity of the file, the cipher pages and the audit chain.
    pub fn check(&self) -> Result<CheckReport> {
        Ok(CheckReport {
            integrity: self.store.integrity()?,
            audit: audit::verify(self.store.connection())?,
        })
    }

    // --- Providers ---

    fn catalog(&self) -> Result<providers::Catalog> {
        providers::Catalog::load(self.store.connection())
    }

    /// The activity codes a provider can offer, for the directory's forms and filters.
    pub fn provider_activity_options(&self) -> Result<Vec<providers::Activity>> {
        Ok(self
            .catalog()?
            .activity_codes
            .into_iter()
            .map(|(code, name)| providers::Activity { code, name })
            .collect())
    }

    pub fn provider_list(&self) -> Result<Vec<providers::Provider>> {
        providers::all(self.store.connection(), &self.catalog()?, self.today())
    }

    /// The providers' names for a form's list (see [`providers::ProviderName`]).
    pub fn provider_names(&self) -> Result<Vec<providers::ProviderName>> {
        providers::names(self.store.connection())
    }

    pub fn provider(&self, id: i64) -> Result<ProviderDetail> {
        let conn = self.store.connection();
        let provider = providers::get(conn, &self.catalog()?, id, self.today())?;
        Ok(ProviderDetail {
            input: providers::to_input(&provider),
            quality: providers::quality(conn, id, self.today())?,
            log: partners::contact_log(
                conn,
                &partners::ContactLogFilter {
                    provider_id: Some(id),
                    ..Default::default()
                },
            )?,
            provider,
        })
    }

    /// Add a provider (`id` None) or change one; every field in error is named.
    pub fn save_provider(
        &mut self,
        id: Option<i64>,
        input: &providers::ProviderInput,
    ) -> Result<ProviderDetail> {
        let catalog = self.catalog()?;
        let valid = providers::check(&catalog, input).map_err(Error::Validation)?;
        let action = if id.is_some() {
            "provider.update"
        } else {
            "provider.create"
        };
        let key = id.map(|i| i.to_string()).unwrap_or_default();
        let saved = self.write(action, "provider", &key, |tx, now, _| {
            providers::save(tx, id, &valid, now)
        })?;
        self.provider(saved)
    }

    pub fn provider_import_preview(&self, path: &Path) -> Result<provider_io::ImportPreview> {
        let text = provider_io::read_file(path)?;
        provider_io::preview_text(self.store.connection(), &self.catalog()?, &text)
    }

    /// Import the whole file or nothing.
    pub fn provider_import(&mut self, path: &Path) -> Result<provider_io::ImportSummary> {
        let text = provider_io::read_file(path)?;
        let catalog = self.catalog()?;
        let now = self.clock.now();
        let actor = self.actor.clone();
        let tx = self.store.connection_mut().transaction()?;
        let summary = provider_io::import_text(&tx, &catalog, &text, now)?;
        audit::record(
            &tx,
            now,
            &actor,
            "provider.import",
            "provider",
            "",
            &format!(
                "{} new, {} updated, {}",
                summary.created,
                summary.updated,
                path.display()
            ),
        )?;
        tx.commit()?;
        Ok(summary)
    }

    /// Export the directory as CSV or XLSX (by the file's extension).
    pub fn provider_export(&self, path: &Path) -> Result<std::path::PathBuf> {
        provider_io::check_path(path)?;
        let list = self.provider_list()?;
        let xlsx = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        if xlsx {
            provider_io::write_xlsx(&list, path)?;
        } else {
            provider_io::write_csv(&list, path)?;
        }
        self.audit(
            "provider.export",
            "provider",
            "",
            &path.display().to_string(),
        )?;
        Ok(path.to_path_buf())
    }

    /// Providers for a case, nearest and quickest first, with reasons.
    pub fn match_providers(&self, case_id: i64) -> Result<referrals::MatchResult> {
        let conn = self.store.connection();
        let catalog = self.catalog()?;
        let today = self.today();
        let needs = referrals::needs(conn, &catalog, case_id, today)?;
        let list = providers::all(conn, &catalog, today)?;
        let candidates = referrals::rank(&catalog, &needs, &list, today);
        self.audit("case.match", "case", &case_id.to_string(), "")?;
        Ok(referrals::MatchResult {
            case_id,
            needs,
            candidates,
        })
    }

    pub fn case_choice(&self, case_id: i64) -> Result<referrals::CaseChoice> {
        let c = referrals::get_choice(self.store.connection(), case_id, self.today())?;
        self.audit("choice.read", "case", &case_id.to_string(), "")?;
        Ok(c)
    }

    pub fn save_case_choice(
        &mut self,
        case_id: i64,
        input: &referrals::ChoiceInput,
    ) -> Result<referrals::CaseChoice> {
        self.write(
            "choice.save",
            "case",
            &case_id.to_string(),
            |tx, now, today| referrals::save_choice(tx, case_id, input, today, now),
        )?;
        referrals::get_choice(self.store.connection(), case_id, self.today())
    }

    pub fn waiting(&self, filter: &referrals::WaitingFilter) -> Result<referrals::WaitingOverview> {
        let w = referrals::waiting(
            self.store.connection(),
            &self.catalog()?,
            self.today(),
            filter,
        )?;
        self.audit("waiting.read", "desk", "", "")?;
        Ok(w)
    }

    /// The one-page provider report as a PDF file at `path`.
    pub fn provider_report(&self, id: i64, path: &Path) -> Result<std::path::PathBuf> {
        provider_io::check_path(path)?;
        let conn = self.store.connection();
        let today = self.today();
        let provider = providers::get(conn, &self.catalog()?, id, today)?;
        let quality = providers::quality(conn, id, today)?;
        let mut doc = provider_report::document(&provider, &quality, today);
        // --- Billing ---
        provider_report::push_invoice_section(&mut doc, &billing::provider_figures(conn, id)?);
        // --- Statistics and feedback: the provider's feedback over all years ---
        let feedback = stats::compute(
            conn,
            &self.catalog()?,
            &stats::StatsQuery {
                period: stats::PeriodInput {
                    kind: "all".into(),
                    ..Default::default()
                },
                breakdown: String::new(),
                filter: stats::StatsFilter {
                    provider: id.to_string(),
                    ..Default::default()
                },
            },
            today,
        )?
        .feedback;
        doc.blocks.extend(feedback::report_section(&feedback));
        let bytes = self.render_pdf(doc)?;
        std::fs::write(path, bytes)?;
        self.audit(
            "provider.report",
            "provider",
            &id.to_string(),
            &path.display().to_string(),
        )?;
        Ok(path.to_path_buf())
    }

    pub fn partner_list(&self) -> Result<Vec<partners::Partner>> {
        partners::partners(self.store.connection())
    }

    pub fn save_partner(
        &mut self,
        id: Option<i64>,
        input: &partners::PartnerInput,
    ) -> Result<Vec<partners::Partner>> {
        let key = id.map(|i| i.to_string()).unwrap_or_default();
        self.write("partner.save", "partner", &key, |tx, now, _| {
            partners::save_partner(tx, id, input, now)
        })?;
        self.partner_list()
    }

    pub fn contact_log(
        &self,
        filter: &partners::ContactLogFilter,
    ) -> Result<Vec<partners::ContactEntry>> {
        let list = partners::contact_log(self.store.connection(), filter)?;
        if let Some(id) = filter.case_id {
            self.audit("contact.read", "case", &id.to_string(), "")?;
        }
        Ok(list)
    }

    pub fn add_contact(
        &mut self,
        input: &partners::ContactEntryInput,
    ) -> Result<partners::ContactEntry> {
        let (entity, key) = match (input.case_id, input.provider_id, input.partner_id) {
            (Some(c), _, _) => ("case", c.to_string()),
            (_, Some(p), _) => ("provider", p.to_string()),
            (_, _, Some(p)) => ("partner", p.to_string()),
            _ => ("desk", String::new()),
        };
        let id = self.write("contact.create", entity, &key, |tx, now, today| {
            partners::add_contact(tx, input, today, now)
        })?;
        partners::get_contact(self.store.connection(), id)
    }

    pub fn contact_follow_up_done(&mut self, id: i64) -> Result<partners::ContactEntry> {
        self.write(
            "contact.follow_up_done",
            "contact",
            &id.to_string(),
            |tx, now, _| partners::follow_up_done(tx, id, now),
        )?;
        partners::get_contact(self.store.connection(), id)
    }

    // --- Decisions ---

    pub fn decisions(&self, case_id: i64) -> Result<Vec<decisions::DecisionListItem>> {
        cases::get(self.store.connection(), case_id, self.clock.today())?;
        let list = decisions::list(self.store.connection(), case_id)?;
        self.audit("decision.list", "case", &case_id.to_string(), "")?;
        Ok(list)
    }

    pub fn decision(&self, id: i64) -> Result<decisions::DecisionView> {
        let view = decisions::view(
            self.store.connection(),
            id,
            &self.coordinator,
            self.clock.today(),
        )?;
        self.audit(
            "decision.read",
            "case",
            &view.decision.case_id.to_string(),
            &id.to_string(),
        )?;
        Ok(view)
    }

    /// A new draft of `kind`, prefilled from the case, its assessment and the templates.
    pub fn create_decision(&mut self, case_id: i64, kind: &str) -> Result<decisions::DecisionView> {
        let id = self.write(
            "decision.create",
            "case",
            &case_id.to_string(),
            |tx, now, today| decisions::create(tx, case_id, kind, today, now),
        )?;
        decisions::view(
            self.store.connection(),
            id,
            &self.coordinator,
            self.clock.today(),
        )
    }

    /// Autosave of the draft; answers with the preview and the check of what was saved.
    pub fn save_decision(
        &mut self,
        id: i64,
        draft: &decisions::DecisionDraft,
    ) -> Result<decisions::DecisionView> {
        let case_id = decisions::get(self.store.connection(), id)?.case_id;
        self.write(
            "decision.save",
            "case",
            &case_id.to_string(),
            |tx, now, _| decisions::save_draft(tx, id, draft, now),
        )?;
        decisions::view(
            self.store.connection(),
            id,
            &self.coordinator,
            self.clock.today(),
        )
    }

    /// Recompute a referral draft's annex from the assessment for its period.
    pub fn refill_decision_annex(&mut self, id: i64) -> Result<decisions::DecisionView> {
        let case_id = decisions::get(self.store.connection(), id)?.case_id;
        self.write(
            "decision.save",
            "case",
            &case_id.to_string(),
            |tx, now, today| decisions::refill_annex(tx, id, today, now),
        )?;
        decisions::view(
            self.store.connection(),
            id,
            &self.coordinator,
            self.clock.today(),
        )
    }

    pub fn delete_decision_draft(&mut self, id: i64) -> Result<Vec<decisions::DecisionListItem>> {
        let case_id = self.write(
            "decision.delete",
            "decision",
            &id.to_string(),
            |tx, _, _| decisions::delete_draft(tx, id),
        )?;
        decisions::list(self.store.connection(), case_id)
    }

    /// Approve: number, frozen text, PDF filed on the case's documents, case decided.
    pub fn approve_decision(
        &mut self,
        id: i64,
        confirm_warnings: bool,
    ) -> Result<decisions::DecisionView> {
        let case_id = decisions::get(self.store.connection(), id)?.case_id;
        let signer = self.coordinator.clone();
        self.write(
            "decision.approve",
            "case",
            &case_id.to_string(),
            |tx, now, today| decisions::approve(tx, id, confirm_warnings, &signer, today, now),
        )?;
        decisions::view(
            self.store.connection(),
            id,
            &self.coordinator,
            self.clock.today(),
        )
    }

    /// The decision reached the addressee on `delivered_on`: the challenge period and the
    /// time to choose a provider start.
    pub fn mark_decision_sent(
        &mut self,
        id: i64,
        delivered_on: &str,
    ) -> Result<decisions::DecisionView> {
        let case_id = decisions::get(self.store.connection(), id)?.case_id;
        self.write(
            "decision.sent",
            "case",
            &case_id.to_string(),
            |tx, now, today| decisions::mark_sent(tx, id, delivered_on, today, now),
        )?;
        decisions::view(
            self.store.connection(),
            id,
            &self.coordinator,
            self.clock.today(),
        )
    }

    /// The filed PDF of an approved decision (file name, bytes); reading it is audited.
    pub fn decision_pdf(&self, id: i64) -> Result<(String, Vec<u8>)> {
        let out = decisions::pdf_bytes(self.store.connection(), id)?;
        let case_id = decisions::get(self.store.connection(), id)?.case_id;
        self.audit(
            "decision.pdf",
            "case",
            &case_id.to_string(),
            &id.to_string(),
        )?;
        Ok(out)
    }

    pub fn decision_settings(&self) -> Result<decisions::DecisionSettings> {
        decisions::settings(self.store.connection())
    }

    pub fn save_decision_settings(
        &mut self,
        input: &decisions::DecisionSettings,
    ) -> Result<decisions::DecisionSettings> {
        self.write("decision.settings", "desk", "", |tx, now, _| {
            decisions::save_settings(tx, input, now)
        })?;
        decisions::settings(self.store.connection())
    }

    pub fn decision_templates(&self) -> Result<Vec<decisions::Template>> {
        decisions::templates(self.store.connection())
    }

    pub fn decision_template_versions(
        &self,
        code: &str,
        lang: &str,
    ) -> Result<Vec<decisions::Template>> {
        decisions::template_versions(self.store.connection(), code, lang)
    }

    /// Save a new version of a template (an unknown placeholder is refused).
    pub fn save_decision_template(
        &mut self,
        input: &decisions::TemplateInput,
    ) -> Result<decisions::Template> {
        let by = self.by();
        let id = format!("{}@{}", input.code, input.lang);
        self.write(
            "decision.template",
            "decision_template",
            &id,
            |tx, now, _| decisions::save_template(tx, input, &by, now),
        )
    }

    pub fn yearly_caps(&self) -> Result<Vec<decisions::YearlyCapRule>> {
        decisions::yearly_caps(self.store.connection())
    }

    /// A new yearly cap per child from a 1 January; the previous one ends the day before.
    pub fn save_yearly_cap(
        &mut self,
        input: &decisions::YearlyCapInput,
    ) -> Result<Vec<decisions::YearlyCapRule>> {
        self.write("decision.cap", "yearly_cap", "", |tx, now, _| {
            decisions::save_yearly_cap(tx, input, now)
        })?;
        decisions::yearly_caps(self.store.connection())
    }
}

// --- Meetings ---
impl Desk {
    /// Run `f` in one transaction with an audit row about a case; all or nothing.
    fn write_case<T>(
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

    fn meeting_now(&self, id: i64) -> Result<meetings::Meeting> {
        meetings::get(
            self.store.connection(),
            id,
            self.clock.today(),
            &self.coordinator.name,
        )
    }

    pub fn meeting_templates(&self) -> Result<Vec<meetings::MeetingTemplate>> {
        meetings::templates(self.store.connection())
    }

    pub fn save_meeting_template(
        &mut self,
        input: &meetings::TemplateInput,
    ) -> Result<Vec<meetings::MeetingTemplate>> {
        let code = input.code.clone();
        self.write(
            "meeting_template.save",
            "meeting_template",
            &code,
            |tx, now, _| meetings::save_template(tx, input, now),
        )?;
        meetings::templates(self.store.connection())
    }

    /// A case's meetings, the latest first.
    pub fn meetings(&self, case_id: i64) -> Result<Vec<meetings::MeetingSummary>> {
        assessment::case_facts(self.store.connection(), case_id)?;
        let list = meetings::list(self.store.connection(), case_id)?;
        self.audit("meeting.list", "case", &case_id.to_string(), "")?;
        Ok(list)
    }

    /// A new meeting; its agenda comes from the template of its kind.
    pub fn create_meeting(
        &mut self,
        case_id: i64,
        input: &meetings::MeetingInput,
    ) -> Result<meetings::Meeting> {
        let id = self.write_case("meeting.create", case_id, "", |tx, now, today| {
            let facts = assessment::case_facts(tx, case_id)?;
            let valid = meetings::validate_meeting(input, facts.application_date, today)?;
            meetings::create(tx, case_id, &valid, now)
        })?;
        self.meeting_now(id)
    }

    pub fn meeting(&self, id: i64) -> Result<meetings::Meeting> {
        let m = self.meeting_now(id)?;
        self.audit(
            "meeting.read",
            "case",
            &m.case_id.to_string(),
            &id.to_string(),
        )?;
        Ok(m)
    }

    pub fn update_meeting(
        &mut self,
        id: i64,
        input: &meetings::MeetingInput,
    ) -> Result<meetings::Meeting> {
        let (case_id, _) = meetings::case_and_date(self.store.connection(), id)?;
        self.write_case(
            "meeting.update",
            case_id,
            &id.to_string(),
            |tx, now, today| {
                let facts = assessment::case_facts(tx, case_id)?;
                let valid = meetings::validate_meeting(input, facts.application_date, today)?;
                meetings::update(tx, id, &valid, now)
            },
        )?;
        self.meeting_now(id)
    }

    /// Save the notes draft as typed. The commit is synced to disk before this returns (not only
    /// to the write-ahead log), so a power cut right after loses nothing that was acknowledged.
    pub fn save_meeting_draft(
        &mut self,
        id: i64,
        draft: &meetings::MeetingDraft,
    ) -> Result<meetings::DraftSaved> {
        let (case_id, _) = meetings::case_and_date(self.store.connection(), id)?;
        self.store
            .connection()
            .pragma_update(None, "synchronous", "FULL")?;
        let saved = self.write_case(
            "meeting.save_notes",
            case_id,
            &id.to_string(),
            |tx, now, _| meetings::save_draft(tx, id, draft, now),
        );
        let normal = self
            .store
            .connection()
            .pragma_update(None, "synchronous", "NORMAL");
        let saved = saved?;
        normal?;
        Ok(saved)
    }

    pub fn add_meeting_action(
        &mut self,
        meeting_id: i64,
        input: &meetings::ActionInput,
    ) -> Result<meetings::Meeting> {
        let (case_id, date) = meetings::case_and_date(self.store.connection(), meeting_id)?;
        self.write_case(
            "meeting_action.create",
            case_id,
            &meeting_id.to_string(),
            |tx, now, _| {
                let valid = meetings::validate_action(input, date)?;
                meetings::add_action(tx, meeting_id, &valid, now)
            },
        )?;
        self.meeting_now(meeting_id)
    }

    /// The meeting, case and meeting date of an agreed action.
    fn action_context(&self, action_id: i64) -> Result<(i64, i64, chrono::NaiveDate)> {
        let meeting_id = meetings::meeting_of_action(self.store.connection(), action_id)?;
        let (case_id, date) = meetings::case_and_date(self.store.connection(), meeting_id)?;
        Ok((meeting_id, case_id, date))
    }

    pub fn update_meeting_action(
        &mut self,
        id: i64,
        input: &meetings::ActionInput,
    ) -> Result<meetings::Meeting> {
        let (meeting_id, case_id, date) = self.action_context(id)?;
        self.write_case(
            "meeting_action.update",
            case_id,
            &id.to_string(),
            |tx, now, _| {
                let valid = meetings::validate_action(input, date)?;
                meetings::update_action(tx, id, &valid, now)
            },
        )?;
        self.meeting_now(meeting_id)
    }

    /// Mark an agreed action done on a date (required: see [`meetings::check_done`]).
    pub fn set_meeting_action_done(&mut self, id: i64, done_on: &str) -> Result<meetings::Meeting> {
        let (meeting_id, case_id, date) = self.action_context(id)?;
        self.write_case(
            "meeting_action.done",
            case_id,
            &id.to_string(),
            |tx, now, today| {
                let on = meetings::check_done(done_on, date, today)?;
                meetings::set_done(tx, id, Some(on), now)
            },
        )?;
        self.meeting_now(meeting_id)
    }

    pub fn reopen_meeting_action(&mut self, id: i64) -> Result<meetings::Meeting> {
        let (meeting_id, case_id, _) = self.action_context(id)?;
        self.write_case(
            "meeting_action.reopen",
            case_id,
            &id.to_string(),
            |tx, now, _| meetings::set_done(tx, id, None, now),
        )?;
        self.meeting_now(meeting_id)
    }

    pub fn remove_meeting_action(&mut self, id: i64) -> Result<meetings::Meeting> {
        let (meeting_id, case_id, _) = self.action_context(id)?;
        self.write_case(
            "meeting_action.remove",
            case_id,
            &id.to_string(),
            |tx, _, _| meetings::remove_action(tx, id),
        )?;
        self.meeting_now(meeting_id)
    }

    /// Make the minutes PDF of a meeting (in Estonian, without the private notes), file it on
    /// the case's documents register with the PDF attached, and write a copy to `target` (a
    /// file, or a folder to put it in). A failure to write the copy leaves the filed minutes.
    pub fn export_minutes(&mut self, id: i64, target: &Path) -> Result<meetings::MinutesExport> {
        let today = self.clock.today();
        let m = self.meeting_now(id)?;
        minutes::check_ready(&m, today)?;
        let coordinator = self.require_coordinator()?;
        let pdf = self.render_pdf(minutes::document(&m, &coordinator.name, today))?;
        let name = minutes::file_name(&m);
        let title = minutes::register_title(&m);
        let party: String = m
            .participants
            .iter()
            .map(|p| p.name.trim())
            .collect::<Vec<_>>()
            .join(", ")
            .chars()
            .take(300)
            .collect();
        let document_id = self.write_case(
            "meeting.minutes",
            m.case_id,
            &id.to_string(),
            |tx, now, today| {
                let input = documents::DocumentInput {
                    direction: "out".into(),
                    doc_type: "other".into(),
                    title: title.clone(),
                    doc_date: today.to_string(),
                    party: party.clone(),
                    ..Default::default()
                };
                let doc = documents::insert(tx, m.case_id, &input, today, None, now)?;
                documents::attach(tx, doc, &name, "application/pdf", &pdf, now)?;
                meetings::set_minutes_document(tx, id, doc)?;
                Ok(doc)
            },
        )?;
        let path = if target.is_dir() {
            target.join(&name)
        } else {
            target.to_path_buf()
        };
        std::fs::write(&path, &pdf)?;
        self.audit(
            "meeting.minutes_export",
            "case",
            &m.case_id.to_string(),
            &path.display().to_string(),
        )?;
        let doc = documents::get(self.store.connection(), document_id)?;
        Ok(meetings::MinutesExport {
            document_id,
            reg_no: doc.reg_no,
            path: path.display().to_string(),
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or(name),
            bytes: pdf.len(),
        })
    }

    /// Delete a meeting created by mistake (not once its minutes are filed).
    pub fn delete_meeting(&mut self, id: i64) -> Result<()> {
        let (case_id, _) = meetings::case_and_date(self.store.connection(), id)?;
        self.write_case("meeting.delete", case_id, &id.to_string(), |tx, _, _| {
            meetings::delete(tx, id)
        })
    }
}

// --- Providers ---

/// One provider with what the edit form needs, the quality figures and the contact log.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderDetail {
    pub provider: providers::Provider,
    pub input: providers::ProviderInput,
    pub quality: providers::ProviderQuality,
    pub log: Vec<partners::ContactEntry>,
}

// --- Tasks and proposals ---

/// Where a proposal memo was written.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemoExport {
    pub path: String,
    pub file_name: String,
    pub bytes: usize,
}

impl Desk {
    /// The coordinator's tasks: "open", "overdue", "done" or "all".
    pub fn tasks(&self, filter: &str) -> Result<Vec<tasks::Task>> {
        let list = tasks::list(self.store.connection(), filter, self.today())?;
        self.audit("task.list", "task", "", filter)?;
        Ok(list)
    }

    pub fn task(&self, id: i64) -> Result<tasks::Task> {
        let t = tasks::get(self.store.connection(), id, self.today())?;
        self.audit("task.read", "task", &id.to_string(), "")?;
        Ok(t)
    }

    /// Add a task (`id` None) or change one; every field in error is named.
    pub fn save_task(&mut self, id: Option<i64>, input: &tasks::TaskInput) -> Result<tasks::Task> {
        let valid = tasks::validate(input, self.today())?;
        let action = if id.is_some() {
            "task.update"
        } else {
            "task.create"
        };
        let key = id.map(|i| i.to_string()).unwrap_or_default();
        let saved = self.write(action, "task", &key, |tx, now, _| {
            tasks::save(tx, id, &valid, now)
        })?;
        tasks::get(self.store.connection(), saved, self.today())
    }

    /// Mark a task done on a day (not in the future).
    pub fn set_task_done(&mut self, id: i64, done_on: &str) -> Result<tasks::Task> {
        self.write("task.done", "task", &id.to_string(), |tx, now, today| {
            tasks::set_done(tx, id, Some(done_on), today, now)
        })?;
        tasks::get(self.store.connection(), id, self.today())
    }

    /// Undo "done".
    pub fn reopen_task(&mut self, id: i64) -> Result<tasks::Task> {
        self.write("task.reopen", "task", &id.to_string(), |tx, now, today| {
            tasks::set_done(tx, id, None, today, now)
        })?;
        tasks::get(self.store.connection(), id, self.today())
    }

    pub fn delete_task(&mut self, id: i64) -> Result<()> {
        self.write("task.delete", "task", &id.to_string(), |tx, _, _| {
            tasks::delete(tx, id)
        })
    }

    pub fn proposals(
        &self,
        filter: &proposals::ProposalFilter,
    ) -> Result<Vec<proposals::Proposal>> {
        let list = proposals::list(self.store.connection(), filter)?;
        let detail = match filter.provider_id {
            Some(p) => format!("provider {p}"),
            None => filter.status.clone(),
        };
        self.audit("proposal.list", "proposal", "", &detail)?;
        Ok(list)
    }

    pub fn proposal(&self, id: i64) -> Result<proposals::Proposal> {
        let p = proposals::get(self.store.connection(), id)?;
        self.audit("proposal.read", "proposal", &id.to_string(), "")?;
        Ok(p)
    }

    /// Register a proposal (`id` None) or change one, by the rules of its status.
    pub fn save_proposal(
        &mut self,
        id: Option<i64>,
        input: &proposals::ProposalInput,
    ) -> Result<proposals::Proposal> {
        let from = match id {
            Some(id) => Some(proposals::status_of(self.store.connection(), id)?),
            None => None,
        };
        let valid = proposals::validate(input, from.as_deref(), self.today())?;
        let action = if id.is_some() {
            "proposal.update"
        } else {
            "proposal.create"
        };
        let key = id.map(|i| i.to_string()).unwrap_or_default();
        let status = valid.status.clone();
        let saved = self.write_detailed(action, "proposal", &key, &status, |tx, now, _| {
            proposals::save(tx, id, &valid, now)
        })?;
        proposals::get(self.store.connection(), saved)
    }

    pub fn delete_proposal(&mut self, id: i64) -> Result<()> {
        self.write(
            "proposal.delete",
            "proposal",
            &id.to_string(),
            |tx, _, _| proposals::delete_draft(tx, id),
        )
    }

    /// The proposal as an Estonian PDF memo for the service manager, written to `target` (a
    /// file, or a folder to put it in) and filed nowhere else.
    pub fn export_proposal_memo(&self, id: i64, target: &Path) -> Result<MemoExport> {
        provider_io::check_path(target)?;
        let conn = self.store.connection();
        let today = self.today();
        let p = proposals::get(conn, id)?;
        proposals::check_memo(&p)?;
        let settings = decisions::settings(conn)?;
        let head = proposals::MemoHeader {
            board_name: settings.board_name,
            board_unit: settings.board_unit,
            coordinator: self.coordinator.name.clone(),
        };
        let pdf = self.render_pdf(proposals::memo(&p, &head, today))?;
        let name = proposals::file_name(&p, today);
        let path = if target.is_dir() {
            target.join(&name)
        } else {
            target.to_path_buf()
        };
        std::fs::write(&path, &pdf)?;
        self.audit(
            "proposal.memo",
            "proposal",
            &id.to_string(),
            &path.display().to_string(),
        )?;
        Ok(MemoExport {
            path: path.display().to_string(),
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or(name),
            bytes: pdf.len(),
        })
    }
}

// --- Billing ---
impl Desk {
    /// Every version of every activity's price.
    pub fn price_list(&self) -> Result<Vec<billing::PriceVersion>> {
        billing::price_list(self.store.connection())
    }

    /// A new price of an activity from a date; the previous version ends the day before.
    pub fn save_price(
        &mut self,
        input: &billing::PriceInput,
    ) -> Result<Vec<billing::PriceVersion>> {
        let detail = format!("{} {} {}", input.code.trim(), input.mode, input.valid_from);
        self.write_detailed("price.create", "price_list", "", &detail, |tx, now, _| {
            billing::save_price(tx, input, now)
        })?;
        billing::price_list(self.store.connection())
    }

    /// The case's budget per year and activity: granted, used, committed, left; the cap.
    pub fn case_budget(&self, case_id: i64) -> Result<billing::Budget> {
        let b = billing::budget(self.store.connection(), case_id)?;
        self.audit("budget.read", "case", &case_id.to_string(), "")?;
        Ok(b)
    }

    pub fn confirmations(&self, case_id: i64) -> Result<Vec<billing::Confirmation>> {
        let list = billing::confirmations(self.store.connection(), case_id)?;
        self.audit("confirmation.read", "case", &case_id.to_string(), "")?;
        Ok(list)
    }

    /// Record the parent's confirmation that the services of a period were received.
    pub fn add_confirmation(
        &mut self,
        case_id: i64,
        input: &billing::ConfirmationInput,
    ) -> Result<Vec<billing::Confirmation>> {
        self.write_case("confirmation.add", case_id, "", |tx, now, today| {
            billing::add_confirmation(tx, case_id, input, today, now)
        })?;
        billing::confirmations(self.store.connection(), case_id)
    }

    /// Remove a confirmation recorded by mistake; refused while a decided invoice relies on it.
    pub fn remove_confirmation(
        &mut self,
        case_id: i64,
        id: i64,
    ) -> Result<Vec<billing::Confirmation>> {
        let detail = billing::confirmations(self.store.connection(), case_id)?
            .into_iter()
            .find(|c| c.id == id)
            .map(|c| format!("confirmation {id} {}..{}", c.period_from, c.period_to))
            .unwrap_or_else(|| format!("confirmation {id}"));
        self.write_case("confirmation.remove", case_id, &detail, |tx, _, _| {
            billing::remove_confirmation(tx, case_id, id)
        })?;
        billing::confirmations(self.store.connection(), case_id)
    }

    pub fn invoice_list(&self, filter: &billing::InvoiceFilter) -> Result<billing::InvoiceList> {
        let list = billing::list(self.store.connection(), filter)?;
        self.audit("invoice.list", "invoice", "", filter.status.trim())?;
        Ok(list)
    }

    pub fn invoice(&self, id: i64) -> Result<billing::Invoice> {
        let inv = billing::get(self.store.connection(), id)?;
        self.audit("invoice.read", "invoice", &id.to_string(), "")?;
        Ok(inv)
    }

    /// Enter a new invoice (`id` None) or change one not yet decided; every field in error is
    /// named, and the same number from the same provider is refused.
    pub fn save_invoice(
        &mut self,
        id: Option<i64>,
        input: &billing::InvoiceInput,
    ) -> Result<billing::Invoice> {
        let book = billing::PriceBook::load(self.store.connection())?;
        let valid = billing::validate(self.store.connection(), &book, id, input)?;
        let action = if id.is_some() {
            "invoice.update"
        } else {
            "invoice.create"
        };
        let key = id.map(|i| i.to_string()).unwrap_or_default();
        let detail = format!("{} ({} lines)", valid.number, valid.lines.len());
        let saved = self.write_detailed(action, "invoice", &key, &detail, |tx, now, _| {
            billing::save(tx, id, &valid, "manual", now)
        })?;
        billing::get(self.store.connection(), saved)
    }

    /// Delete an invoice entered by mistake (never one with an outcome).
    pub fn delete_invoice(&mut self, id: i64) -> Result<()> {
        self.write("invoice.delete", "invoice", &id.to_string(), |tx, _, _| {
            billing::delete(tx, id)
        })
    }

    /// Run the check on every line and keep the verdicts.
    pub fn check_invoice(&mut self, id: i64) -> Result<billing::Invoice> {
        self.write("invoice.check", "invoice", &id.to_string(), |tx, now, _| {
            billing::check(tx, id, now)
        })?;
        billing::get(self.store.connection(), id)
    }

    /// The coordinator's outcome (accept, accept in part, or reject); frozen after.
    pub fn decide_invoice(
        &mut self,
        id: i64,
        reject_all: bool,
        note: &str,
    ) -> Result<billing::Invoice> {
        let by = self.by();
        let cases = billing::cases_of(self.store.connection(), id)?;
        let detail = format!(
            "cases {}",
            cases
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(",")
        );
        self.write_detailed(
            "invoice.decide",
            "invoice",
            &id.to_string(),
            &detail,
            |tx, now, _| billing::decide(tx, id, reject_all, note, &by, now),
        )?;
        billing::get(self.store.connection(), id)
    }

    pub fn invoice_import_preview(&self, path: &Path) -> Result<invoice_io::ImportPreview> {
        let text = provider_io::read_file(path)?;
        let book = billing::PriceBook::load(self.store.connection())?;
        invoice_io::preview_text(&book, &text)
    }

    /// A new invoice from the provider's CSV of session records: all lines or none.
    pub fn invoice_import(
        &mut self,
        path: &Path,
        header: &invoice_io::ImportHeader,
    ) -> Result<billing::Invoice> {
        let text = provider_io::read_file(path)?;
        let conn = self.store.connection();
        let book = billing::PriceBook::load(conn)?;
        let input = invoice_io::invoice_input(&book, header, &text)?;
        let valid = billing::validate(conn, &book, None, &input)?;
        let detail = format!(
            "{} ({} lines) {}",
            valid.number,
            valid.lines.len(),
            path.display()
        );
        let id = self.write_detailed("invoice.import", "invoice", "", &detail, |tx, now, _| {
            billing::save(tx, None, &valid, "csv", now)
        })?;
        billing::get(self.store.connection(), id)
    }

    /// The check's report as PDF, or as XLSX when the path ends in .xlsx.
    pub fn invoice_report(&self, id: i64, path: &Path) -> Result<std::path::PathBuf> {
        provider_io::check_path(path)?;
        let inv = billing::get(self.store.connection(), id)?;
        let xlsx = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        if xlsx {
            invoice_io::write_xlsx(&inv, path)?;
        } else {
            std::fs::write(
                path,
                self.render_pdf(invoice_io::document(&inv, self.today()))?,
            )?;
        }
        self.audit(
            "invoice.report",
            "invoice",
            &id.to_string(),
            &path.display().to_string(),
        )?;
        Ok(path.to_path_buf())
    }
}

// --- Statistics and feedback ---

/// The statistics screen: the figures, their charts and what the pickers offer.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatsView {
    pub stats: stats::Statistics,
    pub charts: Vec<charts::Chart>,
    pub options: StatsOptions,
}

/// The choices of the filters: code and name.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatsOptions {
    pub counties: Vec<(String, String)>,
    pub municipalities: Vec<(String, String)>,
    pub providers: Vec<(String, String)>,
    pub activities: Vec<(String, Localized)>,
    pub first_year: i32,
    pub today: chrono::NaiveDate,
}

/// A case's feedback: its responses, the questions and the e-mail text for the family.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseFeedback {
    pub case_id: i64,
    pub responses: Vec<feedback::Response>,
    pub questions: Vec<feedback::Question>,
    pub email: feedback::EmailText,
    pub today: chrono::NaiveDate,
}

impl Desk {
    /// The statistics asked for, with charts labelled in `lang`.
    pub fn statistics(&self, query: &stats::StatsQuery, lang: &str) -> Result<StatsView> {
        let conn = self.store.connection();
        let catalog = self.catalog()?;
        let today = self.today();
        let s = stats::compute(conn, &catalog, query, today)?;
        let charts = charts::all(&s, lang)?;
        let mut providers: Vec<(String, String)> = providers::all(conn, &catalog, today)?
            .into_iter()
            .map(|p| (p.id.to_string(), p.name))
            .collect();
        providers.sort_by_key(|p| p.1.to_lowercase());
        let mut municipalities: Vec<(String, String)> = catalog
            .municipalities
            .iter()
            .map(|(k, (n, _))| (k.clone(), n.clone()))
            .collect();
        municipalities.sort_by(|a, b| a.1.cmp(&b.1));
        let mut counties: Vec<(String, String)> = catalog
            .counties
            .iter()
            .map(|(k, n)| (k.clone(), n.clone()))
            .collect();
        counties.sort_by(|a, b| a.1.cmp(&b.1));
        let options = StatsOptions {
            counties,
            municipalities,
            providers,
            activities: catalog.activity_codes.clone().into_iter().collect(),
            first_year: chrono::Datelike::year(&stats::first_day(conn, today)?),
            today,
        };
        self.audit("stats.read", "desk", "", &s.period.label.en)?;
        Ok(StatsView {
            stats: s,
            charts,
            options,
        })
    }

    fn stats_for_export(&self, query: &stats::StatsQuery) -> Result<stats::Statistics> {
        stats::compute(
            self.store.connection(),
            &self.catalog()?,
            query,
            self.today(),
        )
    }

    /// The statistics as XLSX, CSV or PDF, by the file's extension.
    pub fn stats_export(
        &self,
        query: &stats::StatsQuery,
        path: &Path,
    ) -> Result<stats_export::Exported> {
        let format = export_format(path, &["xlsx", "csv", "pdf"])?;
        let s = self.stats_for_export(query)?;
        match format.as_str() {
            "xlsx" => stats_export::write_xlsx(&s, &[], path)?,
            "csv" => stats_export::write_csv(&s, path)?,
            _ => std::fs::write(path, self.render_pdf(stats_export::statistics_pdf(&s))?)?,
        }
        self.audit(
            "stats.export",
            "desk",
            "",
            &format!("{} {}", s.period.label.en, path.display()),
        )?;
        Ok(stats_export::Exported {
            path: path.display().to_string(),
            format,
        })
    }

    /// The periodic report (month or quarter) as PDF or XLSX, by the file's extension.
    pub fn periodic_report(
        &self,
        query: &stats::StatsQuery,
        path: &Path,
    ) -> Result<stats_export::Exported> {
        let format = export_format(path, &["pdf", "xlsx"])?;
        let s = self.stats_for_export(query)?;
        stats_export::check_report_period(&s)?;
        let proposals = stats_export::open_proposals(self.store.connection())?;
        if format == "xlsx" {
            stats_export::write_xlsx(&s, &[stats_export::proposals_sheet(&proposals)], path)?;
        } else {
            let doc = stats_export::report_pdf(&s, &proposals, &self.coordinator.name);
            std::fs::write(path, self.render_pdf(doc)?)?;
        }
        self.audit(
            "report.export",
            "desk",
            "",
            &format!("{} {}", s.period.label.en, path.display()),
        )?;
        Ok(stats_export::Exported {
            path: path.display().to_string(),
            format,
        })
    }

    pub fn feedback_questions(&self) -> Result<Vec<feedback::Question>> {
        feedback::questions(self.store.connection())
    }

    /// Add a question (`id` None) or change one's wording.
    pub fn save_feedback_question(
        &mut self,
        id: Option<i64>,
        input: &feedback::QuestionInput,
    ) -> Result<Vec<feedback::Question>> {
        let key = id.map(|i| i.to_string()).unwrap_or_default();
        let action = if id.is_some() {
            "feedback_question.update"
        } else {
            "feedback_question.create"
        };
        self.write(action, "feedback_question", &key, |tx, now, _| {
            feedback::save_question(tx, id, input, now)
        })?;
        self.feedback_questions()
    }

    /// Retire a question (its answers stay) or ask it again.
    pub fn set_feedback_question_active(
        &mut self,
        id: i64,
        active: bool,
    ) -> Result<Vec<feedback::Question>> {
        let action = if active {
            "feedback_question.restore"
        } else {
            "feedback_question.retire"
        };
        self.write(
            action,
            "feedback_question",
            &id.to_string(),
            |tx, now, _| feedback::set_question_active(tx, id, active, now),
        )?;
        self.feedback_questions()
    }

    fn case_feedback_unaudited(&self, case_id: i64) -> Result<CaseFeedback> {
        let conn = self.store.connection();
        let (case_no, lang, email) = feedback::guardian_contact(conn, case_id)?;
        let asked = feedback::active_questions(conn)?;
        Ok(CaseFeedback {
            case_id,
            responses: feedback::case_responses(conn, case_id)?,
            questions: feedback::questions(conn)?,
            email: feedback::email_text(&asked, &lang, &case_no, &email)?,
            today: self.today(),
        })
    }

    pub fn case_feedback(&self, case_id: i64) -> Result<CaseFeedback> {
        let f = self.case_feedback_unaudited(case_id)?;
        self.audit("feedback.read", "case", &case_id.to_string(), "")?;
        Ok(f)
    }

    /// The family's answers typed in on the case.
    pub fn add_feedback(
        &mut self,
        case_id: i64,
        input: &feedback::ResponseInput,
    ) -> Result<CaseFeedback> {
        self.write(
            "feedback.create",
            "case",
            &case_id.to_string(),
            |tx, now, today| feedback::add_response(tx, case_id, input, today, now),
        )?;
        self.case_feedback_unaudited(case_id)
    }

    pub fn delete_feedback(&mut self, id: i64) -> Result<Option<CaseFeedback>> {
        let case_id = self.write(
            "feedback.delete",
            "feedback",
            &id.to_string(),
            |tx, _, _| feedback::delete_response(tx, id),
        )?;
        case_id.map(|c| self.case_feedback_unaudited(c)).transpose()
    }

    /// The printable questionnaire in `lang`, for a case (its number printed) or blank.
    pub fn feedback_questionnaire(
        &self,
        lang: &str,
        case_id: Option<i64>,
        path: &Path,
    ) -> Result<std::path::PathBuf> {
        export_format(path, &["pdf"])?;
        let conn = self.store.connection();
        let case_no = match case_id {
            Some(id) => feedback::guardian_contact(conn, id)?.0,
            None => String::new(),
        };
        let doc = feedback::questionnaire(&feedback::active_questions(conn)?, lang, &case_no)?;
        std::fs::write(path, self.render_pdf(doc)?)?;
        self.audit(
            "feedback.questionnaire",
            "case",
            &case_id.map(|i| i.to_string()).unwrap_or_default(),
            &path.display().to_string(),
        )?;
        Ok(path.to_path_buf())
    }

    pub fn feedback_import_preview(&self, path: &Path) -> Result<feedback::ImportPreview> {
        let text = feedback::read_file(path)?;
        feedback::preview_text(self.store.connection(), &text, self.today())
    }

    /// Import the new answers of the file, or nothing when a row is in error.
    pub fn feedback_import(&mut self, path: &Path) -> Result<feedback::ImportSummary> {
        let text = feedback::read_file(path)?;
        let detail = path.display().to_string();
        self.write_detailed(
            "feedback.import",
            "feedback",
            "",
            &detail,
            |tx, now, today| feedback::import_text(tx, &text, today, now),
        )
    }
}

/// The export format from the file's extension, one of `allowed`.
fn export_format(path: &Path, allowed: &[&str]) -> Result<String> {
    provider_io::check_path(path)?;
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
        store::meta::set(self.store.connection(), FIRST_RUN_PENDING, "1", &now)
    }

    /// Whether the guided setup is still to be shown.
    pub fn first_run_pending(&self) -> Result<bool> {
        Ok(store::meta::get(self.store.connection(), FIRST_RUN_PENDING)?.is_some())
    }

    /// What the window's status asks of the database, in one read of `meta` (it asks often):
    /// (the guided setup is pending, this is a demo desk).
    pub fn status_flags(&self) -> Result<(bool, bool)> {
        let keys = self
            .store
            .connection()
            .prepare_cached("SELECT key FROM meta WHERE key IN (?1, ?2)")?
            .query_map([FIRST_RUN_PENDING, demo_desk::DEMO_DESK], |r| {
                r.get::<_, String>(0)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((
            keys.iter().any(|k| k == FIRST_RUN_PENDING),
            keys.iter().any(|k| k == demo_desk::DEMO_DESK),
        ))
    }

    /// The guided setup is done: it is not shown again, and the audit log says when.
    pub fn finish_first_run(&mut self) -> Result<()> {
        self.write("setup.done", "desk", "", |tx, _, _| {
            store::meta::remove(tx, FIRST_RUN_PENDING)
        })
    }
}

/// Bring every table kept from the desk's facts up to date with them (each computes only what
/// its triggers marked): the dashboard's deadlines (migration 013), the statistics' monthly money
/// (014, 016) and case rows (015). The screens refresh their own before they read; the demo load
/// and the benchmark bring all of them up to date at once.
pub(crate) fn refresh_kept_rows(conn: &rusqlite::Connection) -> Result<()> {
    schedule::refresh_deadlines(conn)?;
    stats_money::refresh(conn)?;
    stats_cases::refresh(conn)?;
    Ok(())
}

// --- Cancelling long work ---

/// Stops what the desk's connection is running right now (a long statistics query, an export,
/// a backup) from another thread: the running statement ends with "work.cancelled" and its
/// transaction is rolled back, so nothing is half-written. While the desk is locked it stops an
/// unlock's schema upgrade instead, through the flag the upgrade watches.
pub struct WorkCancel(CancelBy);

enum CancelBy {
    /// The open desk's connection: SQLite stops the running statement; the flag is raised too,
    /// for work of many short statements (the demo load), where a cancel may fall between two.
    Interrupt(rusqlite::InterruptHandle, WorkProgress),
    /// Work without an open desk (an unlock's upgrade) that watches this flag.
    Flag(WorkProgress),
}

impl std::fmt::Debug for WorkCancel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WorkCancel")
    }
}

impl WorkCancel {
    pub fn cancel(&self) {
        match &self.0 {
            CancelBy::Interrupt(handle, progress) => {
                progress.cancel();
                handle.interrupt();
            }
            CancelBy::Flag(progress) => progress.cancel(),
        }
    }

    /// Cancels the work that reports to `progress` and watches its flag.
    pub fn by_flag(progress: WorkProgress) -> Self {
        Self(CancelBy::Flag(progress))
    }
}

impl Desk {
    /// A handle that cancels this desk's running work; cheap, and safe to keep after a lock.
    pub fn work_cancel(&self) -> WorkCancel {
        WorkCancel(CancelBy::Interrupt(
            self.store.connection().get_interrupt_handle(),
            self.progress.clone(),
        ))
    }

    /// While `on`, every statement of this desk's connection watches the cancel flag that
    /// [`WorkCancel::cancel`] raises, so that "Katkesta" also stops work of many short statements
    /// (statistics, the demo load) when it falls between two of them, where SQLite's interrupt
    /// finds nothing running and is lost. The app turns it on for each user action, after
    /// lowering the flag ([`WorkProgress::reset`]), and off after it.
    pub fn watch_cancel(&self, on: bool) -> Result<()> {
        let conn = self.store.connection();
        if on {
            let flag = self.progress.clone();
            conn.progress_handler(1_000, Some(move || flag.is_cancelled()))?;
        } else {
            conn.progress_handler(1_000, None::<fn() -> bool>)?;
        }
        Ok(())
    }

    /// A handle that reads how far this desk's long work has come (a backup), from another
    /// thread while the work runs.
    pub fn work_progress(&self) -> WorkProgress {
        self.progress.clone()
    }
}

/// How far long work has come: `done` of `total` (bytes for a backup), readable from another
/// thread while the work holds the desk. Both are 0 when nothing measurable runs. It also carries
/// a request to stop for work that has no open desk to interrupt (an unlock's upgrade).
#[derive(Debug, Clone, Default)]
pub struct WorkProgress(Arc<ProgressCells>);

#[derive(Debug, Default)]
struct ProgressCells {
    done: std::sync::atomic::AtomicU64,
    total: std::sync::atomic::AtomicU64,
    /// How far the step under way has come, in thousandths (a long step of an upgrade).
    part: std::sync::atomic::AtomicU64,
    cancelled: std::sync::atomic::AtomicBool,
}

impl WorkProgress {
    /// `done` of `total`; the step under way starts from nothing.
    pub fn set(&self, done: u64, total: u64) {
        use std::sync::atomic::Ordering::Relaxed;
        self.0.total.store(total, Relaxed);
        self.0.done.store(done.min(total), Relaxed);
        self.0.part.store(0, Relaxed);
    }

    /// How far the step under way has come, in thousandths (at most 999: done is done by `set`).
    pub fn set_part(&self, thousandths: u64) {
        self.0
            .part
            .store(thousandths.min(999), std::sync::atomic::Ordering::Relaxed);
    }

    /// The step under way, in thousandths.
    pub fn part(&self) -> u64 {
        self.0.part.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// (done, total).
    pub fn get(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.0.done.load(Relaxed), self.0.total.load(Relaxed))
    }

    /// Ready for new work: nothing done, nothing asked to stop.
    pub fn reset(&self) {
        self.set(0, 0);
        self.0
            .cancelled
            .store(false, std::sync::atomic::Ordering::Relaxed);
    }

    /// Ask the work to stop (it checks between its steps and while SQLite runs one).
    pub fn cancel(&self) {
        self.0
            .cancelled
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(std::sync::atomic::Ordering::Relaxed)
    }
}
