//! The one error type of srt-core. Every error has a stable code (the UI and scripts match on it,
//! never on text) and a message in Estonian and English.

use serde::Serialize;
use std::path::PathBuf;

/// A text in both UI languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Localized {
    pub et: String,
    pub en: String,
}

impl Localized {
    pub fn new(et: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            et: et.into(),
            en: en.into(),
        }
    }
}

/// One invalid field of a form, named by its path in the submitted payload (`child.personalCode`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: Localized,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str, et: &str, en: &str) -> Self {
        Self {
            field: field.into(),
            code: code.to_string(),
            message: Localized::new(et, en),
        }
    }
}

/// Text the desk refused to save into a field (too long, not a number): held in the encrypted
/// desk beside the saved form until it is corrected, and put back on screen with its message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeldField {
    pub field: String,
    /// What was typed.
    pub text: String,
    pub code: String,
    pub message: Localized,
}

impl HeldField {
    /// A held field from a row of `field, held_text, code, message_et, message_en` (the columns
    /// of each part's held-field table).
    pub(crate) fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(HeldField {
            field: r.get(0)?,
            text: r.get(1)?,
            code: r.get(2)?,
            message: Localized::new(r.get::<_, String>(3)?, r.get::<_, String>(4)?),
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the database key was not found in the credential store ({store}, entry {entry})")]
    KeyNotFound { store: String, entry: String },
    #[error("the OS credential store is not available: {0}")]
    KeyStoreUnavailable(String),
    #[error("the key does not open this database")]
    WrongKey,
    #[error("wrong passphrase")]
    WrongPassphrase,
    #[error("this database is protected by a passphrase")]
    PassphraseRequired,
    #[error("this database has no recovery code")]
    NoRecoveryCode,
    #[error("internal error: {0}")]
    Internal(String),
    #[error("the backup folder {0} cannot be reached (is the USB stick or network share connected?); the next try is in an hour")]
    BackupFolderUnreachable(PathBuf),
    #[error("the passphrase must be at least {0} characters long")]
    PassphraseTooShort(usize),
    #[error("the passphrases do not match")]
    PassphraseMismatch,
    #[error("the file is a plain, unencrypted SQLite database, not an SRT Desk database")]
    NotEncrypted,
    #[error("the file is not an SRT Desk database or it is damaged")]
    NotADesk,
    #[error("the key information file {0} is missing")]
    KeyInfoMissing(PathBuf),
    #[error("the key information file {0} is damaged")]
    KeyInfoCorrupt(PathBuf),
    #[error("the database was written by a newer version of SRT Desk (schema {found}, this version knows {supported})")]
    NewerVersion { found: usize, supported: usize },
    #[error("a file already exists at {0}; a new database is never created over it")]
    DbExists(PathBuf),
    /// The system found no program to show a file (the launcher's own words stay in the log).
    #[error("the file could not be opened: no program to show it was found on this computer; save the file and open it yourself")]
    NoViewer(String),
    /// A backup or an export is never written over a file that is there.
    #[error("there is already a file at {0}; it is not overwritten: choose another name")]
    FileExists(PathBuf),
    #[error("no database at {0}")]
    DbNotFound(PathBuf),
    #[error("the data is not valid")]
    Validation(Vec<FieldError>),
    #[error("case {0} was not found")]
    CaseNotFound(i64),
    #[error("a case cannot move from {} to {}", .from.en, .to.en)]
    IllegalTransition { from: Localized, to: Localized },
    #[error("a reason is required for this status change")]
    ReasonRequired,
    #[error("the database upgrade was cancelled after {done} of {total} steps")]
    UpgradeCancelled { done: u64, total: u64 },
    #[error("this child already has an open case {case_no}")]
    DuplicateOpenCase { case_id: i64, case_no: String },
    #[error("the assessment is signed and can no longer be changed")]
    AssessmentSigned,
    #[error("your name and contacts are not set: letters, minutes and assessments carry them. Set them in Settings, under \"Coordinator\"")]
    CoordinatorProfileMissing,
    #[error("document {0} was not found")]
    DocumentNotFound(i64),
    #[error("attachment {0} was not found")]
    AttachmentNotFound(i64),
    #[error("the file is {size_mb} MB; an attachment may be at most {limit_mb} MB")]
    AttachmentTooLarge { size_mb: String, limit_mb: u64 },
    #[error("the file {name} is not what its extension says ({ext})")]
    AttachmentTypeMismatch { name: String, ext: String },
    #[error("files of type .{0} cannot be attached (PDF, PNG, JPEG, DOCX and ODT can)")]
    AttachmentUnsupported(String),
    #[error("the backup file {0} is damaged or not an SRT Desk backup")]
    BackupCorrupt(PathBuf),
    #[error("the database is locked; unlock it first")]
    Locked,
    #[error("demo data goes only into a new, empty desk, which then becomes a demo desk; this desk already holds data (cases, decisions, providers or invoices). Open a separate demo desk instead (Settings → Demo desk)")]
    DemoNotEmpty,
    #[error("demo data goes only into the demo desk, a separate file beside the real desk; the real desk is left as it is")]
    DemoRealDesk,
    #[error("database error: {0}")]
    Storage(#[from] rusqlite::Error),
    #[error("schema migration failed: {0}")]
    Migration(String),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    // --- Decisions and PDF ---
    #[error("the PDF could not be made: {0}")]
    Pdf(String),
    #[error("decision {0} was not found")]
    DecisionNotFound(i64),
    #[error("decision {number} is approved and its text is frozen; a correction is a new amendment decision")]
    DecisionFrozen { number: String },
    #[error("the decision is not approved yet")]
    DecisionNotApproved,
    // --- Meetings ---
    #[error("meeting {0} was not found")]
    MeetingNotFound(i64),
    #[error("agreed action {0} was not found")]
    ActionNotFound(i64),
    // --- Providers ---
    #[error("provider {0} was not found")]
    ProviderNotFound(i64),
    #[error("partner {0} was not found")]
    PartnerNotFound(i64),
    #[error("contact log entry {0} was not found")]
    ContactNotFound(i64),
    #[error("{}", .0.en)]
    ImportFile(Localized),
    #[error("the family already chose {from}; a change of provider needs a new application")]
    ProviderChangeNeedsApplication { from: String },
    // --- Tasks and proposals ---
    #[error("task {0} was not found")]
    TaskNotFound(i64),
    #[error("proposal {0} was not found")]
    ProposalNotFound(i64),
    // --- Billing ---
    #[error("invoice {0} was not found")]
    InvoiceNotFound(i64),
    #[error("invoice {number} has its outcome and is frozen")]
    InvoiceFrozen { number: String },
    #[error("the invoice must be checked before its outcome is given")]
    InvoiceNotChecked,
    #[error("{}", .0.en)]
    InvoiceImportFile(Localized),
    /// A refusal a part words itself, with what it found for the window (a decision check's
    /// errors and warnings, the rows of an import in error, a container's problems) as JSON.
    /// The part makes it (see `Error::refused`); this floor names no domain type.
    #[error("{}", .message.en)]
    Refused {
        code: &'static str,
        message: Localized,
        details: Option<serde_json::Value>,
    },
}

/// Why a letter, minutes or an assessment cannot be signed yet: the coordinator's profile is unset.
pub const PROFILE_MISSING_ET: &str = "Sinu nimi ja kontaktid on seadistamata: kirjad, protokollid ja hindamised kannavad neid. Lisa need Seadetes jaotises „Koordinaator”.";
pub const PROFILE_MISSING_EN: &str = "Your name and contacts are not set: letters, minutes and assessments carry them. Set them in Settings, under \"Coordinator\".";

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What crosses to the UI and to srt-admin's stderr: `{code, message: {et, en}, fields, details}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorPayload {
    pub code: String,
    pub message: Localized,
    pub fields: Vec<FieldError>,
    pub details: Option<serde_json::Value>,
}

impl Error {
    /// The stable code; scripts and the UI match on it.
    pub fn code(&self) -> &'static str {
        match self {
            Error::KeyNotFound { .. } => "key.not_found",
            Error::KeyStoreUnavailable(_) => "key.store_unavailable",
            Error::WrongKey => "key.wrong_key",
            Error::WrongPassphrase => "key.wrong_passphrase",
            Error::PassphraseRequired => "key.passphrase_required",
            Error::NoRecoveryCode => "key.no_recovery_code",
            Error::Internal(_) => "internal",
            Error::BackupFolderUnreachable(_) => "backup.folder_unreachable",
            Error::PassphraseTooShort(_) => "key.passphrase_too_short",
            Error::PassphraseMismatch => "key.passphrase_mismatch",
            Error::NotEncrypted => "db.not_encrypted",
            Error::NotADesk => "db.not_srt_desk",
            Error::KeyInfoMissing(_) => "db.key_info_missing",
            Error::KeyInfoCorrupt(_) => "db.key_info_corrupt",
            Error::NewerVersion { .. } => "db.newer_version",
            Error::DbExists(_) => "db.exists",
            Error::FileExists(_) => "file.exists",
            Error::NoViewer(_) => "file.no_viewer",
            Error::DbNotFound(_) => "db.not_found",
            Error::Validation(_) => "validation",
            Error::CaseNotFound(_) => "case.not_found",
            Error::IllegalTransition { .. } => "case.illegal_transition",
            Error::ReasonRequired => "case.reason_required",
            Error::UpgradeCancelled { .. } => "work.cancelled",
            Error::DuplicateOpenCase { .. } => "case.duplicate_open",
            Error::AssessmentSigned => "assessment.signed",
            Error::CoordinatorProfileMissing => "coordinator.profile_missing",
            Error::DocumentNotFound(_) => "document.not_found",
            Error::AttachmentNotFound(_) => "attachment.not_found",
            Error::AttachmentTooLarge { .. } => "attachment.too_large",
            Error::AttachmentTypeMismatch { .. } => "attachment.type_mismatch",
            Error::AttachmentUnsupported(_) => "attachment.unsupported_type",
            Error::BackupCorrupt(_) => "backup.corrupt",
            Error::Locked => "desk.locked",
            Error::DemoNotEmpty => "demo.not_empty",
            Error::DemoRealDesk => "demo.real_desk",
            Error::Storage(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::SystemIoFailure)
                ) =>
            {
                "db.disk_full"
            }
            Error::Storage(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted) =>
            {
                "work.cancelled"
            }
            Error::Storage(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly) => {
                "db.read_only"
            }
            Error::Storage(e) if team_data_refused(e) => "team.data_lead_only",
            Error::Storage(_) => "db.storage",
            Error::Migration(_) => "db.migration",
            Error::Io(e) if io_denied(e) => "io.read_only",
            Error::Io(e) if io_full(e) => "io.disk_full",
            Error::Io(_) => "io.error",
            // --- Decisions and PDF ---
            Error::Pdf(_) => "pdf.render",
            Error::DecisionNotFound(_) => "decision.not_found",
            Error::DecisionFrozen { .. } => "decision.frozen",
            Error::DecisionNotApproved => "decision.not_approved",
            // --- Meetings ---
            Error::MeetingNotFound(_) => "meeting.not_found",
            Error::ActionNotFound(_) => "meeting_action.not_found",
            // --- Providers ---
            Error::ProviderNotFound(_) => "provider.not_found",
            Error::PartnerNotFound(_) => "partner.not_found",
            Error::ContactNotFound(_) => "contact.not_found",
            Error::ImportFile(_) => "provider.import_file",
            Error::ProviderChangeNeedsApplication { .. } => "provider.change_needs_application",
            // --- Tasks and proposals ---
            Error::TaskNotFound(_) => "task.not_found",
            Error::ProposalNotFound(_) => "proposal.not_found",
            // --- Billing ---
            Error::InvoiceNotFound(_) => "invoice.not_found",
            Error::InvoiceFrozen { .. } => "invoice.frozen",
            Error::InvoiceNotChecked => "invoice.not_checked",
            Error::InvoiceImportFile(_) => "invoice.import_file",
            // --- Signing ---
            Error::Refused { code, .. } => code,
        }
    }

    /// The message in Estonian; English is the `Display` text.
    pub fn message_et(&self) -> String {
        match self {
            Error::KeyNotFound { store, entry } => format!(
                "Andmebaasi võtit ei leitud arvuti turvahoidlast ({store}, kirje {entry}). Andmeid ei saa avada ilma selle võtmeta."
            ),
            Error::KeyStoreUnavailable(why) => {
                format!("Arvuti turvahoidla (võtmehoidja) ei ole kättesaadav: {why}")
            }
            Error::WrongKey => "Võti ei ava seda andmebaasi.".into(),
            Error::WrongPassphrase => "Vale parool.".into(),
            Error::PassphraseRequired => "See andmebaas on kaitstud parooliga. Sisesta parool.".into(),
            Error::BackupFolderUnreachable(p) => format!(
                "Varukoopiate kaust {} ei ole kättesaadav (kas mälupulk või võrgukaust on ühendatud?). Järgmine katse on tunni aja pärast.",
                p.display()
            ),
            Error::Internal(_) => {
                "Rakenduses tekkis sisemine viga. Salvestatud andmed on alles; proovi uuesti ja teata veast IT-toele.".into()
            }
            Error::NoRecoveryCode => {
                "Selle andmebaasi jaoks ei loodud taastekoodi. Kasuta parooli või taasta varukoopiast.".into()
            }
            Error::PassphraseTooShort(n) => format!("Parool peab olema vähemalt {n} märki pikk."),
            Error::PassphraseMismatch => "Paroolid ei ühti.".into(),
            Error::NotEncrypted => {
                "Fail on krüpteerimata SQLite andmebaas, mitte SRT Desk andmebaas. Seda ei avata.".into()
            }
            Error::NotADesk => "Fail ei ole SRT Desk andmebaas või on see rikutud.".into(),
            Error::KeyInfoMissing(p) => format!(
                "Andmebaasi võtmeteabe fail {} puudub. Ilma selleta andmebaasi avada ei saa.",
                p.display()
            ),
            Error::KeyInfoCorrupt(p) => {
                format!("Andmebaasi võtmeteabe fail {} on rikutud.", p.display())
            }
            Error::NewerVersion { found, supported } => format!(
                "Andmebaas on loodud SRT Desk uuema versiooniga (skeem {found}, see versioon tunneb kuni {supported}). Uuenda rakendust."
            ),
            Error::DbExists(p) => format!(
                "Failis {} on juba andmed; uut andmebaasi selle peale ei looda.",
                p.display()
            ),
            Error::NoViewer(_) => "Faili ei saanud avada: arvutis ei leitud programmi, mis seda näitaks. Salvesta fail ja ava see ise.".into(),
            Error::FileExists(p) => format!(
                "Failis {} on juba fail; seda üle ei kirjutata: vali teine nimi.",
                p.display()
            ),
            Error::DbNotFound(p) => format!("Andmebaasi ei leitud: {}", p.display()),
            Error::Validation(_) => "Palun paranda märgitud väljad.".into(),
            Error::CaseNotFound(id) => format!("Juhtumit {id} ei leitud."),
            Error::IllegalTransition { from, to } => format!(
                "Juhtumi olekut ei saa muuta olekust „{}” olekusse „{}”.",
                from.et, to.et
            ),
            Error::ReasonRequired => "Selle olekumuutuse jaoks on põhjus kohustuslik.".into(),
            Error::UpgradeCancelled { done, total } => format!(
                "Andmebaasi uuendamine katkestati ({done}/{total} sammu tehtud). Andmed on alles; \
                 uuendamine jätkub järgmisel avamisel."
            ),
            Error::DuplicateOpenCase { case_no, .. } => {
                format!("Selle isikukoodiga lapsel on juba avatud juhtum {case_no}.")
            }
            Error::AssessmentSigned => {
                "Hindamine on allkirjastatud ja seda ei saa enam muuta.".into()
            }
            Error::CoordinatorProfileMissing => PROFILE_MISSING_ET.into(),
            Error::DocumentNotFound(id) => format!("Dokumenti {id} ei leitud."),
            Error::AttachmentNotFound(id) => format!("Manust {id} ei leitud."),
            Error::AttachmentTooLarge { size_mb, limit_mb } => format!(
                "Fail on {size_mb} MB; manus võib olla kuni {limit_mb} MB. Midagi ei salvestatud."
            ),
            Error::AttachmentTypeMismatch { name, ext } => format!(
                "Fail {name} ei ole see, mida laiend (.{ext}) väidab. Midagi ei salvestatud."
            ),
            Error::AttachmentUnsupported(ext) => format!(
                "Faili tüüpi .{ext} ei saa lisada (saab PDF, PNG, JPEG, DOCX ja ODT)."
            ),
            Error::BackupCorrupt(p) => format!(
                "Varukoopia fail {} on rikutud või ei ole SRT Desk varukoopia.",
                p.display()
            ),
            Error::Locked => "Andmebaas on lukus. Ava see parooliga.".into(),
            Error::DemoRealDesk => "Näidisandmed lähevad ainult näidistöölauale, eraldi faili päris töölaua kõrval; päris töölauda ei muudeta.".into(),
            Error::DemoNotEmpty => "Näidisandmed lähevad ainult uude, tühja töölauda, millest saab siis näidistöölaud; selles töölauas on juba andmeid (juhtumeid, otsuseid, teenuseosutajaid või arveid). Ava selle asemel eraldi näidistöölaud (Seaded → Näidistöölaud).".into(),
            Error::Storage(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::SystemIoFailure)
                ) =>
            {
                "Andmebaasi ei õnnestunud kirjutada (ketas on täis või kättesaamatu): muudatust ei salvestatud ja varem salvestatu on terve. Sisestatu on aknas alles – vabasta kettaruumi ja salvesta uuesti.".into()
            }
            Error::Storage(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted) =>
            {
                "Töö katkestati. Midagi ei muudetud.".into()
            }
            Error::Storage(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly) => {
                "Andmebaasi ei saa kirjutada (kaust või fail on kirjutuskaitstud): muudatust ei salvestatud. Sisestatu on aknas alles.".into()
            }
            Error::Storage(e) if team_data_refused(e) => TEAM_DATA_ET.into(),
            Error::Storage(e) => format!("Andmebaasi viga: {e}"),
            Error::Migration(e) => format!("Andmebaasi uuendamine ebaõnnestus: {e}"),
            Error::Io(e) if io_denied(e) => "Faili ei saa sinna kirjutada: kaust või fail on kirjutuskaitstud või puudub selleks õigus. Midagi ei muudetud – vali teine koht.".into(),
            Error::Io(e) if io_full(e) => "Faili ei saa kirjutada: ketas on täis. Midagi ei muudetud – vabasta kettaruumi või vali teine koht.".into(),
            Error::Io(e) if e.kind() == std::io::ErrorKind::NotFound => "Faili või kausta ei ole (kas tee on õige?). Midagi ei muudetud.".into(),
            Error::Io(e) => format!("Faili viga: {e}"),
            // --- Decisions and PDF ---
            Error::Pdf(e) => format!("PDF-faili ei õnnestunud koostada: {e}"),
            Error::DecisionNotFound(id) => format!("Otsust {id} ei leitud."),
            Error::DecisionFrozen { number } => format!(
                "Otsus {number} on kinnitatud ja selle tekst on lukus; paranduseks koosta muutmisotsus."
            ),
            Error::DecisionNotApproved => "Otsus ei ole veel kinnitatud.".into(),
            // --- Meetings ---
            Error::MeetingNotFound(id) => format!("Kohtumist {id} ei leitud."),
            Error::ActionNotFound(id) => format!("Kokkulepitud tegevust {id} ei leitud."),
            // --- Providers ---
            Error::ProviderNotFound(id) => format!("Teenuseosutajat {id} ei leitud."),
            Error::PartnerNotFound(id) => format!("Partnerit {id} ei leitud."),
            Error::ContactNotFound(id) => format!("Suhtluse kirjet {id} ei leitud."),
            Error::ImportFile(m) => m.et.clone(),
            Error::ProviderChangeNeedsApplication { from } => format!(
                "Pere on juba valinud teenuseosutaja {from}. Teenuseosutaja vahetamiseks on vaja uut taotlust."
            ),
            // --- Tasks and proposals ---
            Error::TaskNotFound(id) => format!("Ülesannet {id} ei leitud."),
            Error::ProposalNotFound(id) => format!("Ettepanekut {id} ei leitud."),
            // --- Billing ---
            Error::InvoiceNotFound(id) => format!("Arvet {id} ei leitud."),
            Error::InvoiceFrozen { number } => {
                format!("Arve {number} otsus on tehtud ja arve on lukus; seda ei saa enam muuta.")
            }
            Error::InvoiceNotChecked => {
                "Enne otsust tuleb arve kontrollida (nupp „Kontrolli”).".into()
            }
            Error::InvoiceImportFile(m) => m.et.clone(),
            Error::Refused { message, .. } => message.et.clone(),
        }
    }

    pub fn message(&self) -> Localized {
        let en = match self {
            Error::IllegalTransition { from, to } => format!(
                "A case cannot move from “{}” to “{}”.",
                from.en, to.en
            ),
            Error::Validation(_) => "Please correct the marked fields.".into(),
            Error::CoordinatorProfileMissing => PROFILE_MISSING_EN.into(),
            Error::UpgradeCancelled { done, total } => format!(
                "The database upgrade was cancelled ({done} of {total} steps done). The data is \
                 intact; the upgrade continues the next time it is opened."
            ),
            Error::Storage(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::SystemIoFailure)
                ) =>
            {
                "The database could not be written (the disk is full or unreachable): the change was not saved and what was saved before is intact. What you typed is still in the window – free some disk space and save again.".into()
            }
            Error::Storage(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted) =>
            {
                "The work was cancelled. Nothing was changed.".into()
            }
            Error::Storage(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly) => {
                "The database cannot be written to (a read-only folder or file): the change was not saved. What you typed is still in the window.".into()
            }
            Error::Storage(e) if team_data_refused(e) => TEAM_DATA_EN.into(),
            Error::Io(e) if io_denied(e) => "The file cannot be written there: the folder or file is read-only or you lack the permission. Nothing was changed – choose another place.".into(),
            Error::Io(e) if io_full(e) => "The file cannot be written: the disk is full. Nothing was changed – free some space or choose another place.".into(),
            Error::Io(e) if e.kind() == std::io::ErrorKind::NotFound => "The file or folder does not exist (is the path right?). Nothing was changed.".into(),
            other => {
                let mut s = other.to_string();
                if let Some(first) = s.get(0..1) {
                    let upper = first.to_uppercase();
                    s.replace_range(0..1, &upper);
                }
                if !s.ends_with('.') {
                    s.push('.');
                }
                s
            }
        };
        Localized::new(self.message_et(), en)
    }

    pub fn payload(&self) -> ErrorPayload {
        let fields = match self {
            Error::Validation(f) => f.clone(),
            _ => Vec::new(),
        };
        let details = match self {
            Error::DuplicateOpenCase { case_id, case_no } => {
                Some(serde_json::json!({ "caseId": case_id, "caseNo": case_no }))
            }
            Error::NewerVersion { found, supported } => {
                Some(serde_json::json!({ "found": found, "supported": supported }))
            }
            // A part's findings: a decision check, the rows of an import, a container's problems.
            Error::Refused { details, .. } => details.clone(),
            _ => None,
        };
        ErrorPayload {
            code: self.code().to_string(),
            message: self.message(),
            fields,
            details,
        }
    }

    /// A part's refusal in its own words, with its findings for the window.
    pub fn refused(
        code: &'static str,
        et: impl Into<String>,
        en: impl Into<String>,
        details: Option<serde_json::Value>,
    ) -> Self {
        Error::Refused {
            code,
            message: Localized::new(et, en),
            details,
        }
    }

    /// A validation error on a single field.
    pub fn field(field: &str, code: &str, et: &str, en: &str) -> Self {
        Error::Validation(vec![FieldError::new(field, code, et, en)])
    }
}

impl From<rusqlite_migration::Error> for Error {
    fn from(e: rusqlite_migration::Error) -> Self {
        match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => Error::Storage(err),
            other => Error::Migration(other.to_string()),
        }
    }
}

/// A file operation refused for lack of permission or a read-only file system.
const TEAM_DATA_ET: &str = "Meeskonna ühiseid andmeid (teenuseosutajad, partnerid, hinnad, tähtajad, mallid, tagasiside küsimused) muudab selles meeskonnas meeskonna juht. Midagi ei muudetud; sisestatu on aknas alles – anna muudatus juhile edasi.";
const TEAM_DATA_EN: &str = "In this team the team-wide data (providers, partners, prices, deadlines, templates, feedback questions) is changed by the team lead. Nothing was changed; what you typed is still in the window – pass the change on to the lead.";

/// A write to team-wide data refused on a desk whose member may not change it (migration 028's
/// triggers; the team's setting `team_data_writers`).
fn team_data_refused(e: &rusqlite::Error) -> bool {
    e.to_string().contains("srt:team_data_lead_only")
}

fn io_denied(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

/// A file operation that ran out of space or quota.
fn io_full(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    )
}
