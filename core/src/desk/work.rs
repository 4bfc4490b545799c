//! The coordinator's own work: tasks and proposals.

use std::path::Path;

use crate::error::Result;
use crate::Desk;

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
    pub fn tasks(&self, filter: &str) -> Result<Vec<crate::work::tasks::Task>> {
        let list = crate::work::tasks::list(self.store.connection(), filter, self.today())?;
        self.audit("task.list", "task", "", filter)?;
        Ok(list)
    }

    pub fn task(&self, id: i64) -> Result<crate::work::tasks::Task> {
        let t = crate::work::tasks::get(self.store.connection(), id, self.today())?;
        self.audit("task.read", "task", &id.to_string(), "")?;
        Ok(t)
    }

    /// Add a task (`id` None) or change one; every field in error is named.
    pub fn save_task(
        &mut self,
        id: Option<i64>,
        input: &crate::work::tasks::TaskInput,
    ) -> Result<crate::work::tasks::Task> {
        let mut valid = crate::work::tasks::validate(input, self.today())?;
        if id.is_none() {
            crate::work::tasks::check_assignee(self.store.connection(), &mut valid)?;
        }
        let action = if id.is_some() {
            "task.update"
        } else {
            "task.create"
        };
        let key = id.map(|i| i.to_string()).unwrap_or_default();
        let saved = self.write(action, "task", &key, |tx, now, _| {
            crate::work::tasks::save(tx, id, &valid, now)
        })?;
        crate::work::tasks::get(self.store.connection(), saved, self.today())
    }

    /// The team's members a task can be given to (login, name): on the team lead's desk only.
    pub fn task_assignees(&self) -> Result<Vec<(String, String)>> {
        crate::work::tasks::assignees(self.store.connection())
    }

    /// Mark a task done on a day (not in the future).
    pub fn set_task_done(&mut self, id: i64, done_on: &str) -> Result<crate::work::tasks::Task> {
        self.write("task.done", "task", &id.to_string(), |tx, now, today| {
            crate::work::tasks::set_done(tx, id, Some(done_on), today, now)
        })?;
        crate::work::tasks::get(self.store.connection(), id, self.today())
    }

    /// Undo "done".
    pub fn reopen_task(&mut self, id: i64) -> Result<crate::work::tasks::Task> {
        self.write("task.reopen", "task", &id.to_string(), |tx, now, today| {
            crate::work::tasks::set_done(tx, id, None, today, now)
        })?;
        crate::work::tasks::get(self.store.connection(), id, self.today())
    }

    pub fn delete_task(&mut self, id: i64) -> Result<()> {
        self.write("task.delete", "task", &id.to_string(), |tx, _, _| {
            crate::work::tasks::delete(tx, id)
        })
    }

    pub fn proposals(
        &self,
        filter: &crate::work::proposals::ProposalFilter,
    ) -> Result<Vec<crate::work::proposals::Proposal>> {
        let list = crate::work::proposals::list(self.store.connection(), filter)?;
        let detail = match filter.provider_id {
            Some(p) => format!("provider {p}"),
            None => filter.status.clone(),
        };
        self.audit("proposal.list", "proposal", "", &detail)?;
        Ok(list)
    }

    pub fn proposal(&self, id: i64) -> Result<crate::work::proposals::Proposal> {
        let p = crate::work::proposals::get(self.store.connection(), id)?;
        self.audit("proposal.read", "proposal", &id.to_string(), "")?;
        Ok(p)
    }

    /// Register a proposal (`id` None) or change one, by the rules of its status.
    pub fn save_proposal(
        &mut self,
        id: Option<i64>,
        input: &crate::work::proposals::ProposalInput,
    ) -> Result<crate::work::proposals::Proposal> {
        let from = match id {
            Some(id) => Some(crate::work::proposals::status_of(
                self.store.connection(),
                id,
            )?),
            None => None,
        };
        let valid = crate::work::proposals::validate(input, from.as_deref(), self.today())?;
        let action = if id.is_some() {
            "proposal.update"
        } else {
            "proposal.create"
        };
        let key = id.map(|i| i.to_string()).unwrap_or_default();
        let status = valid.status.clone();
        let saved = self.write_detailed(action, "proposal", &key, &status, |tx, now, _| {
            crate::work::proposals::save(tx, id, &valid, now)
        })?;
        crate::work::proposals::get(self.store.connection(), saved)
    }

    pub fn delete_proposal(&mut self, id: i64) -> Result<()> {
        self.write(
            "proposal.delete",
            "proposal",
            &id.to_string(),
            |tx, _, _| crate::work::proposals::delete_draft(tx, id),
        )
    }

    /// The proposal as an Estonian PDF memo for the service manager, written to `target` (a
    /// file, or a folder to put it in) and filed nowhere else.
    pub fn export_proposal_memo(&self, id: i64, target: &Path) -> Result<MemoExport> {
        crate::files::check_path(target)?;
        let conn = self.store.connection();
        let today = self.today();
        let p = crate::work::proposals::get(conn, id)?;
        crate::work::proposals::check_memo(&p)?;
        let settings = crate::decisions::settings(conn)?;
        let head = crate::work::proposals::MemoHeader {
            board_name: settings.board_name,
            board_unit: settings.board_unit,
            coordinator: self.coordinator.name.clone(),
        };
        let pdf = self.render_pdf(crate::work::proposals::memo(&p, &head, today))?;
        let name = crate::work::proposals::file_name(&p, today);
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
