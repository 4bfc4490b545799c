//! Trust: the audit log, data protection (retention, a person's data), backups and checks.

use std::path::Path;

use super::CheckReport;
use crate::error::{Error, Result};
use crate::store::key::KdfParams;
use crate::Desk;

impl Desk {
    /// The audit log, filtered; reading it is itself recorded.
    pub fn audit_log(
        &self,
        filter: &crate::store::audit::AuditFilter,
    ) -> Result<crate::store::audit::AuditPage> {
        let page = crate::store::audit::list(self.store.connection(), filter)?;
        self.audit("audit.read", "desk", "", "")?;
        Ok(page)
    }

    // --- Data protection ---

    pub fn retention_list(&self) -> Result<crate::trust::privacy::RetentionList> {
        crate::trust::privacy::candidates(self.store.connection(), self.clock.today())
    }

    pub fn retention_set_years(&self, years: i64) -> Result<crate::trust::privacy::RetentionList> {
        let now = crate::clock::ts(self.clock.now());
        let years =
            crate::trust::privacy::set_retention_years(self.store.connection(), years, &now)?;
        self.audit("retention.years", "desk", "", &years.to_string())?;
        self.retention_list()
    }

    /// Delete closed cases past their retention period, all or nothing. The audit log keeps one
    /// row per case with its id and number only.
    pub fn retention_delete(
        &mut self,
        case_ids: &[i64],
    ) -> Result<crate::trust::privacy::RetentionList> {
        let now = self.clock.now();
        let today = self.clock.today();
        let actor = self.actor.clone();
        let tx = self.store.connection_mut().transaction()?;
        let deleted = crate::trust::privacy::delete_due(&tx, case_ids, today)?;
        for (id, case_no) in &deleted {
            crate::store::audit::record(
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
        let at = crate::clock::ts(self.clock.now());
        let data =
            crate::trust::privacy::person_export(self.store.connection(), personal_code, &at)?
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
        let pdf = crate::trust::privacy::person_export_pdf(&data, &self.pdf_stamp())?;
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

    pub fn auto_backup_status(&self) -> Result<crate::trust::autobackup::AutoBackupStatus> {
        crate::trust::autobackup::status(self.store.connection(), &self.store.key_info().desk_id)
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
    ) -> Result<crate::trust::autobackup::AutoBackupStatus> {
        let path = crate::trust::autobackup::validate(folder, keep, passphrase, confirm)?;
        let now = self.clock.now();
        let stamp = crate::clock::ts(now);
        let keep = u32::try_from(keep).unwrap_or(crate::trust::autobackup::DEFAULT_KEEP);
        crate::trust::autobackup::configure(
            self.store.connection(),
            &path,
            keep,
            passphrase,
            params,
            &stamp,
        )?;
        self.audit("backup.auto_on", "desk", "", &path.display().to_string())?;
        let info = crate::trust::autobackup::run(
            self.store.connection(),
            &self.store.key_info().desk_id,
            now,
        )?;
        self.audit("backup", "desk", "", &info.path.display().to_string())?;
        self.auto_backup_status()
    }

    pub fn auto_backup_disable(&self) -> Result<crate::trust::autobackup::AutoBackupStatus> {
        crate::trust::autobackup::disable(self.store.connection())?;
        self.audit("backup.auto_off", "desk", "", "")?;
        self.auto_backup_status()
    }

    /// The daily backup, when one is due; `None` when not due. Called by the app's background check.
    pub fn auto_backup_if_due(&self) -> Result<Option<crate::store::backup::BackupInfo>> {
        let now = self.clock.now();
        if !crate::trust::autobackup::is_due(self.store.connection(), now)? {
            return Ok(None);
        }
        let result = crate::trust::autobackup::run(
            self.store.connection(),
            &self.store.key_info().desk_id,
            now,
        );
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
    ) -> Result<crate::store::backup::BackupInfo> {
        let now = crate::clock::ts(self.clock.now());
        let info = crate::store::backup::write_backup_reporting(
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
            audit: crate::store::audit::verify(self.store.connection())?,
        })
    }
}
