//! Statistics: the view, exports and the periodic report.

use std::path::Path;

use crate::error::{Localized, Result};
use crate::Desk;

// --- Statistics and feedback ---

/// The statistics screen: the figures, their charts and what the pickers offer.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatsView {
    pub stats: crate::stats::Statistics,
    pub charts: Vec<crate::stats::charts::Chart>,
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

impl Desk {
    /// The statistics asked for, with charts labelled in `lang`.
    /// Kept until a row the statistics read changes (issue 30); every visit is audited.
    pub fn statistics(&self, query: &crate::stats::StatsQuery, lang: &str) -> Result<StatsView> {
        let today = self.today();
        // Every field of the query, the language of the charts and the day.
        let key = format!("{today} {lang} {query:?}");
        let view = self.kept.stats.get_or(self.store.connection(), &key, || {
            self.compute_statistics(query, lang, today)
        })?;
        self.audit("stats.read", "desk", "", &view.stats.period.label.en)?;
        Ok(view)
    }

    /// The statistics' view computed.
    fn compute_statistics(
        &self,
        query: &crate::stats::StatsQuery,
        lang: &str,
        today: chrono::NaiveDate,
    ) -> Result<StatsView> {
        let conn = self.store.connection();
        let catalog = self.catalog()?;
        let s = crate::stats::compute(conn, &catalog, query, today)?;
        let charts = crate::stats::charts::all(&s, lang)?;
        // The names only (issue 30): the whole directory with its places, contacts and flags
        // was read here for the provider filter's names.
        let mut providers: Vec<(String, String)> = crate::providers::names(conn)?
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
            first_year: chrono::Datelike::year(&crate::stats::first_day(conn, today)?),
            today,
        };
        Ok(StatsView {
            stats: s,
            charts,
            options,
        })
    }

    pub(crate) fn stats_for_export(
        &self,
        query: &crate::stats::StatsQuery,
    ) -> Result<crate::stats::Statistics> {
        crate::stats::compute(
            self.store.connection(),
            &self.catalog()?,
            query,
            self.today(),
        )
    }

    /// The statistics as XLSX, CSV or PDF, by the file's extension.
    pub fn stats_export(
        &self,
        query: &crate::stats::StatsQuery,
        path: &Path,
    ) -> Result<crate::stats::export::Exported> {
        let format = super::export_format(path, &["xlsx", "csv", "pdf"])?;
        let s = self.stats_for_export(query)?;
        match format.as_str() {
            "xlsx" => crate::stats::export::write_xlsx(&s, &[], path)?,
            "csv" => crate::stats::export::write_csv(&s, path)?,
            _ => std::fs::write(
                path,
                self.render_pdf(crate::stats::export::statistics_pdf(&s))?,
            )?,
        }
        self.audit(
            "stats.export",
            "desk",
            "",
            &format!("{} {}", s.period.label.en, path.display()),
        )?;
        Ok(crate::stats::export::Exported {
            path: path.display().to_string(),
            format,
        })
    }

    /// The periodic report (month or quarter) as PDF or XLSX, by the file's extension.
    pub fn periodic_report(
        &self,
        query: &crate::stats::StatsQuery,
        path: &Path,
    ) -> Result<crate::stats::export::Exported> {
        let format = super::export_format(path, &["pdf", "xlsx"])?;
        let s = self.stats_for_export(query)?;
        crate::stats::export::check_report_period(&s)?;
        let proposals = crate::stats::export::open_proposals(self.store.connection())?;
        if format == "xlsx" {
            crate::stats::export::write_xlsx(
                &s,
                &[crate::stats::export::proposals_sheet(&proposals)],
                path,
            )?;
        } else {
            let doc = crate::stats::export::report_pdf(&s, &proposals, &self.coordinator.name);
            std::fs::write(path, self.render_pdf(doc)?)?;
        }
        self.audit(
            "report.export",
            "desk",
            "",
            &format!("{} {}", s.period.label.en, path.display()),
        )?;
        Ok(crate::stats::export::Exported {
            path: path.display().to_string(),
            format,
        })
    }
}
