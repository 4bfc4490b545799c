//! Providers: the directory, matching, the family's choice, waiting children, partners and contacts.

use std::path::Path;

use crate::error::{Error, Result};
use crate::Desk;

impl Desk {
    // --- Providers ---

    pub(crate) fn catalog(&self) -> Result<crate::providers::Catalog> {
        crate::providers::Catalog::load(self.store.connection())
    }

    /// The activity codes a provider can offer, for the directory's forms and filters.
    pub fn provider_activity_options(&self) -> Result<Vec<crate::providers::Activity>> {
        Ok(self
            .catalog()?
            .activity_codes
            .into_iter()
            .map(|(code, name)| crate::providers::Activity { code, name })
            .collect())
    }

    pub fn provider_list(&self) -> Result<Vec<crate::providers::Provider>> {
        crate::providers::all(self.store.connection(), &self.catalog()?, self.today())
    }

    /// The directory's page as the window draws it: the rows a filter keeps, counted, and the
    /// filters' choices (issue 30, [`crate::providers::directory`]).
    pub fn provider_page(
        &self,
        filter: &crate::providers::directory::DirectoryFilter,
    ) -> Result<crate::providers::directory::DirectoryPage> {
        let catalog = self.catalog()?;
        let all = crate::providers::all(self.store.connection(), &catalog, self.today())?;
        Ok(crate::providers::directory::page(all, &catalog, filter))
    }

    /// The providers' names for a form's list (see [`crate::providers::ProviderName`]).
    pub fn provider_names(&self) -> Result<Vec<crate::providers::ProviderName>> {
        crate::providers::names(self.store.connection())
    }

    pub fn provider(&self, id: i64) -> Result<ProviderDetail> {
        let conn = self.store.connection();
        let provider = crate::providers::get(conn, &self.catalog()?, id, self.today())?;
        Ok(ProviderDetail {
            input: crate::providers::to_input(&provider),
            quality: crate::providers::quality(conn, id, self.today())?,
            log: crate::providers::partners::contact_log(
                conn,
                &crate::providers::partners::ContactLogFilter {
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
        input: &crate::providers::ProviderInput,
    ) -> Result<ProviderDetail> {
        let catalog = self.catalog()?;
        let valid = crate::providers::check(&catalog, input).map_err(Error::Validation)?;
        let action = if id.is_some() {
            "provider.update"
        } else {
            "provider.create"
        };
        let key = id.map(|i| i.to_string()).unwrap_or_default();
        let saved = self.write(action, "provider", &key, |tx, now, _| {
            crate::providers::save(tx, id, &valid, now)
        })?;
        self.provider(saved)
    }

    pub fn provider_import_preview(
        &self,
        path: &Path,
    ) -> Result<crate::providers::io::ImportPreview> {
        let text = crate::files::read_file(path)?;
        crate::providers::io::preview_text(self.store.connection(), &self.catalog()?, &text)
    }

    /// Import the whole file or nothing.
    pub fn provider_import(&mut self, path: &Path) -> Result<crate::providers::io::ImportSummary> {
        let text = crate::files::read_file(path)?;
        let catalog = self.catalog()?;
        let now = self.clock.now();
        let actor = self.actor.clone();
        let tx = self.store.connection_mut().transaction()?;
        let summary = crate::providers::io::import_text(&tx, &catalog, &text, now)?;
        crate::store::audit::record(
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
        crate::files::check_path(path)?;
        let list = self.provider_list()?;
        let xlsx = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        if xlsx {
            crate::providers::io::write_xlsx(&list, path)?;
        } else {
            crate::providers::io::write_csv(&list, path)?;
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
    pub fn match_providers(
        &self,
        case_id: i64,
    ) -> Result<crate::providers::referrals::MatchResult> {
        let conn = self.store.connection();
        let catalog = self.catalog()?;
        let today = self.today();
        let needs = crate::providers::referrals::needs(conn, &catalog, case_id, today)?;
        let list = crate::providers::all(conn, &catalog, today)?;
        let candidates = crate::providers::referrals::rank(&catalog, &needs, &list, today);
        self.audit("case.match", "case", &case_id.to_string(), "")?;
        Ok(crate::providers::referrals::MatchResult {
            case_id,
            needs,
            candidates,
        })
    }

    pub fn case_choice(&self, case_id: i64) -> Result<crate::providers::referrals::CaseChoice> {
        let c = crate::providers::referrals::get_choice(
            self.store.connection(),
            case_id,
            self.today(),
        )?;
        self.audit("choice.read", "case", &case_id.to_string(), "")?;
        Ok(c)
    }

    pub fn save_case_choice(
        &mut self,
        case_id: i64,
        input: &crate::providers::referrals::ChoiceInput,
    ) -> Result<crate::providers::referrals::CaseChoice> {
        self.write(
            "choice.save",
            "case",
            &case_id.to_string(),
            |tx, now, today| {
                crate::providers::referrals::save_choice(tx, case_id, input, today, now)
            },
        )?;
        crate::providers::referrals::get_choice(self.store.connection(), case_id, self.today())
    }

    pub fn waiting(
        &self,
        filter: &crate::providers::referrals::WaitingFilter,
    ) -> Result<crate::providers::referrals::WaitingOverview> {
        // Every waiting case, the groups and the availability kept until a row they read
        // changes (issue 30); the filter's page is taken from them at each visit.
        crate::providers::referrals::check_waiting_filter(filter)?;
        let conn = self.store.connection();
        let today = self.today();
        let all = self.kept.waiting.get_or(conn, &today.to_string(), || {
            Ok(std::sync::Arc::new(
                crate::providers::referrals::waiting_all(conn, &self.catalog()?, today)?,
            ))
        })?;
        let w = crate::providers::referrals::waiting_page(&all, filter);
        self.audit("waiting.read", "desk", "", "")?;
        Ok(w)
    }

    /// The one-page provider report as a PDF file at `path`.
    pub fn provider_report(&self, id: i64, path: &Path) -> Result<std::path::PathBuf> {
        crate::files::check_path(path)?;
        let conn = self.store.connection();
        let today = self.today();
        let provider = crate::providers::get(conn, &self.catalog()?, id, today)?;
        let quality = crate::providers::quality(conn, id, today)?;
        let mut doc = crate::providers::report::document(&provider, &quality, today);
        // --- Billing ---
        crate::providers::report::push_invoice_section(
            &mut doc,
            &crate::money::provider_figures(conn, id)?,
        );
        // --- Statistics and feedback: the provider's feedback over all years ---
        let feedback = crate::stats::compute(
            conn,
            &self.catalog()?,
            &crate::stats::StatsQuery {
                period: crate::stats::PeriodInput {
                    kind: "all".into(),
                    ..Default::default()
                },
                breakdown: String::new(),
                filter: crate::stats::StatsFilter {
                    provider: id.to_string(),
                    ..Default::default()
                },
            },
            today,
        )?
        .feedback;
        doc.blocks
            .extend(crate::feedback::report_section(&feedback));
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

    pub fn partner_list(&self) -> Result<Vec<crate::providers::partners::Partner>> {
        crate::providers::partners::partners(self.store.connection())
    }

    pub fn save_partner(
        &mut self,
        id: Option<i64>,
        input: &crate::providers::partners::PartnerInput,
    ) -> Result<Vec<crate::providers::partners::Partner>> {
        let key = id.map(|i| i.to_string()).unwrap_or_default();
        self.write("partner.save", "partner", &key, |tx, now, _| {
            crate::providers::partners::save_partner(tx, id, input, now)
        })?;
        self.partner_list()
    }

    pub fn contact_log(
        &self,
        filter: &crate::providers::partners::ContactLogFilter,
    ) -> Result<Vec<crate::providers::partners::ContactEntry>> {
        let list = crate::providers::partners::contact_log(self.store.connection(), filter)?;
        if let Some(id) = filter.case_id {
            self.audit("contact.read", "case", &id.to_string(), "")?;
        }
        Ok(list)
    }

    pub fn add_contact(
        &mut self,
        input: &crate::providers::partners::ContactEntryInput,
    ) -> Result<crate::providers::partners::ContactEntry> {
        let (entity, key) = match (input.case_id, input.provider_id, input.partner_id) {
            (Some(c), _, _) => ("case", c.to_string()),
            (_, Some(p), _) => ("provider", p.to_string()),
            (_, _, Some(p)) => ("partner", p.to_string()),
            _ => ("desk", String::new()),
        };
        let id = self.write("contact.create", entity, &key, |tx, now, today| {
            crate::providers::partners::add_contact(tx, input, today, now)
        })?;
        crate::providers::partners::get_contact(self.store.connection(), id)
    }

    pub fn contact_follow_up_done(
        &mut self,
        id: i64,
    ) -> Result<crate::providers::partners::ContactEntry> {
        self.write(
            "contact.follow_up_done",
            "contact",
            &id.to_string(),
            |tx, now, _| crate::providers::partners::follow_up_done(tx, id, now),
        )?;
        crate::providers::partners::get_contact(self.store.connection(), id)
    }
}

// --- Providers ---

/// One provider with what the edit form needs, the quality figures and the contact log.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderDetail {
    pub provider: crate::providers::Provider,
    pub input: crate::providers::ProviderInput,
    pub quality: crate::providers::ProviderQuality,
    pub log: Vec<crate::providers::partners::ContactEntry>,
}
