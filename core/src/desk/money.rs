//! Money: prices, budgets, parents' confirmations and providers' invoices.

use std::path::Path;

use crate::error::Result;
use crate::Desk;

impl Desk {
    /// Every version of every activity's price.
    pub fn price_list(&self) -> Result<Vec<crate::prices::PriceVersion>> {
        crate::prices::price_versions(self.store.connection())
    }

    /// A new price of an activity from a date; the previous version ends the day before.
    pub fn save_price(
        &mut self,
        input: &crate::prices::PriceInput,
    ) -> Result<Vec<crate::prices::PriceVersion>> {
        let detail = format!("{} {} {}", input.code.trim(), input.mode, input.valid_from);
        self.write_detailed("price.create", "price_list", "", &detail, |tx, now, _| {
            crate::prices::save_price(tx, input, now)
        })?;
        crate::prices::price_versions(self.store.connection())
    }

    /// The case's budget per year and activity: granted, used, committed, left; the cap.
    pub fn case_budget(&self, case_id: i64) -> Result<crate::money::Budget> {
        let b = crate::money::budget(self.store.connection(), case_id)?;
        self.audit("budget.read", "case", &case_id.to_string(), "")?;
        Ok(b)
    }

    pub fn confirmations(&self, case_id: i64) -> Result<Vec<crate::money::Confirmation>> {
        let list = crate::money::confirmations(self.store.connection(), case_id)?;
        self.audit("confirmation.read", "case", &case_id.to_string(), "")?;
        Ok(list)
    }

    /// Record the parent's confirmation that the services of a period were received.
    pub fn add_confirmation(
        &mut self,
        case_id: i64,
        input: &crate::money::ConfirmationInput,
    ) -> Result<Vec<crate::money::Confirmation>> {
        self.write_case("confirmation.add", case_id, "", |tx, now, today| {
            crate::money::add_confirmation(tx, case_id, input, today, now)
        })?;
        crate::money::confirmations(self.store.connection(), case_id)
    }

    /// Remove a confirmation recorded by mistake; refused while a decided invoice relies on it.
    pub fn remove_confirmation(
        &mut self,
        case_id: i64,
        id: i64,
    ) -> Result<Vec<crate::money::Confirmation>> {
        let detail = crate::money::confirmations(self.store.connection(), case_id)?
            .into_iter()
            .find(|c| c.id == id)
            .map(|c| format!("confirmation {id} {}..{}", c.period_from, c.period_to))
            .unwrap_or_else(|| format!("confirmation {id}"));
        self.write_case("confirmation.remove", case_id, &detail, |tx, _, _| {
            crate::money::remove_confirmation(tx, case_id, id)
        })?;
        crate::money::confirmations(self.store.connection(), case_id)
    }

    pub fn invoice_list(
        &self,
        filter: &crate::money::InvoiceFilter,
    ) -> Result<crate::money::InvoiceList> {
        let list = crate::money::list(self.store.connection(), filter)?;
        self.audit("invoice.list", "invoice", "", filter.status.trim())?;
        Ok(list)
    }

    pub fn invoice(&self, id: i64) -> Result<crate::money::Invoice> {
        let inv = crate::money::get(self.store.connection(), id)?;
        self.audit("invoice.read", "invoice", &id.to_string(), "")?;
        Ok(inv)
    }

    /// Enter a new invoice (`id` None) or change one not yet decided; every field in error is
    /// named, and the same number from the same provider is refused.
    pub fn save_invoice(
        &mut self,
        id: Option<i64>,
        input: &crate::money::InvoiceInput,
    ) -> Result<crate::money::Invoice> {
        let book = crate::prices::PriceBook::load(self.store.connection())?;
        let valid = crate::money::validate(self.store.connection(), &book, id, input)?;
        let action = if id.is_some() {
            "invoice.update"
        } else {
            "invoice.create"
        };
        let key = id.map(|i| i.to_string()).unwrap_or_default();
        let detail = format!("{} ({} lines)", valid.number, valid.lines.len());
        let saved = self.write_detailed(action, "invoice", &key, &detail, |tx, now, _| {
            crate::money::save(tx, id, &valid, "manual", now)
        })?;
        crate::money::get(self.store.connection(), saved)
    }

    /// Delete an invoice entered by mistake (never one with an outcome).
    pub fn delete_invoice(&mut self, id: i64) -> Result<()> {
        self.write("invoice.delete", "invoice", &id.to_string(), |tx, _, _| {
            crate::money::delete(tx, id)
        })
    }

    /// Run the check on every line and keep the verdicts.
    pub fn check_invoice(&mut self, id: i64) -> Result<crate::money::Invoice> {
        self.write("invoice.check", "invoice", &id.to_string(), |tx, now, _| {
            crate::money::check(tx, id, now)
        })?;
        crate::money::get(self.store.connection(), id)
    }

    /// The coordinator's outcome (accept, accept in part, or reject); frozen after.
    pub fn decide_invoice(
        &mut self,
        id: i64,
        reject_all: bool,
        note: &str,
    ) -> Result<crate::money::Invoice> {
        let by = self.by();
        let cases = crate::money::cases_of(self.store.connection(), id)?;
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
            |tx, now, _| crate::money::decide(tx, id, reject_all, note, &by, now),
        )?;
        crate::money::get(self.store.connection(), id)
    }

    pub fn invoice_import_preview(
        &self,
        path: &Path,
    ) -> Result<crate::money::invoice_io::ImportPreview> {
        let text = crate::files::read_file(path)?;
        let book = crate::prices::PriceBook::load(self.store.connection())?;
        crate::money::invoice_io::preview_text(&book, &text)
    }

    /// A new invoice from the provider's CSV of session records: all lines or none.
    pub fn invoice_import(
        &mut self,
        path: &Path,
        header: &crate::money::invoice_io::ImportHeader,
    ) -> Result<crate::money::Invoice> {
        let text = crate::files::read_file(path)?;
        let conn = self.store.connection();
        let book = crate::prices::PriceBook::load(conn)?;
        let input = crate::money::invoice_io::invoice_input(&book, header, &text)?;
        let valid = crate::money::validate(conn, &book, None, &input)?;
        let detail = format!(
            "{} ({} lines) {}",
            valid.number,
            valid.lines.len(),
            path.display()
        );
        let id = self.write_detailed("invoice.import", "invoice", "", &detail, |tx, now, _| {
            crate::money::save(tx, None, &valid, "csv", now)
        })?;
        crate::money::get(self.store.connection(), id)
    }

    /// The check's report as PDF, or as XLSX when the path ends in .xlsx.
    pub fn invoice_report(&self, id: i64, path: &Path) -> Result<std::path::PathBuf> {
        crate::files::check_path(path)?;
        let inv = crate::money::get(self.store.connection(), id)?;
        let xlsx = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        if xlsx {
            crate::money::invoice_io::write_xlsx(&inv, path)?;
        } else {
            std::fs::write(
                path,
                self.render_pdf(crate::money::invoice_io::document(&inv, self.today()))?,
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
