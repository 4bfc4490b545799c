//! The provider directory as the window draws it (issue 30): one page of the providers a filter
//! keeps, how many it keeps and how many there are, and the filters' choices — one call per
//! screen. The window drew every provider (160 on the national desk, ~3 200 elements) and filtered
//! them in the page; the filter now runs here over the whole directory, so a search still finds
//! every provider while the page draws 50 rows.
//! Owns no table: it cuts the directory [`super::all`] reads.

use serde::{Deserialize, Serialize};

use super::{Activity, Catalog, Flag, Provider};
use crate::error::Localized;

/// What the directory shows: a text (in the name, registry code or a place's municipality), an
/// activity code and a county code ("" = all), the inactive providers too, and the page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DirectoryFilter {
    pub q: String,
    pub activity: String,
    pub county: String,
    pub inactive: bool,
    pub offset: Option<u32>,
    pub limit: Option<u32>,
}

/// A place of a provider, as a row shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RowPlace {
    pub municipality_name: String,
    pub county_name: String,
}

/// One provider's row: what the table draws, nothing more (no contacts, notes or addresses).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryRow {
    pub id: i64,
    pub name: String,
    pub registry_code: String,
    pub active: bool,
    pub locations: Vec<RowPlace>,
    pub activities: Vec<Activity>,
    pub age_min: i64,
    pub age_max: i64,
    pub waiting_days: Option<i64>,
    pub free_places: Option<i64>,
    pub capacity_confirmed_on: Option<chrono::NaiveDate>,
    pub flags: Vec<Flag>,
}

/// A county for the filter.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CountyChoice {
    pub code: String,
    pub name: String,
}

/// The directory's page.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryPage {
    /// The page's rows, in the directory's order (by name).
    pub rows: Vec<DirectoryRow>,
    /// How many providers the filter keeps, and where the page starts.
    pub total: usize,
    pub offset: usize,
    /// How many providers the directory holds, inactive ones included (0: an empty directory).
    pub all: usize,
    /// The filters' choices: every activity code, every county by name.
    pub activities: Vec<Activity>,
    pub counties: Vec<CountyChoice>,
}

/// Whether `p` passes the filter (the text already trimmed and lowercased).
fn keeps(p: &Provider, filter: &DirectoryFilter, q: &str) -> bool {
    (filter.inactive || p.active)
        && (q.is_empty()
            || p.name.to_lowercase().contains(q)
            || p.registry_code.contains(q)
            || p.locations
                .iter()
                .any(|l| l.municipality_name.to_lowercase().contains(q)))
        && (filter.activity.is_empty() || p.offers(&filter.activity))
        && (filter.county.is_empty() || p.locations.iter().any(|l| l.county_code == filter.county))
}

fn row(p: Provider) -> DirectoryRow {
    DirectoryRow {
        id: p.id,
        name: p.name,
        registry_code: p.registry_code,
        active: p.active,
        locations: p
            .locations
            .into_iter()
            .map(|l| RowPlace {
                municipality_name: l.municipality_name,
                county_name: l.county_name,
            })
            .collect(),
        activities: p.activities,
        age_min: p.age_min,
        age_max: p.age_max,
        waiting_days: p.waiting_days,
        free_places: p.free_places,
        capacity_confirmed_on: p.capacity_confirmed_on,
        flags: p.flags,
    }
}

/// The page of `providers` (the whole directory, in its order) that `filter` asks for.
pub fn page(
    providers: Vec<Provider>,
    catalog: &Catalog,
    filter: &DirectoryFilter,
) -> DirectoryPage {
    let q = filter.q.trim().to_lowercase();
    let all = providers.len();
    let kept: Vec<Provider> = providers
        .into_iter()
        .filter(|p| keeps(p, filter, &q))
        .collect();
    let total = kept.len();
    let (limit, offset) = crate::values::page_bounds(filter.limit, filter.offset);
    let rows = kept
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(row)
        .collect();
    let mut counties: Vec<CountyChoice> = catalog
        .counties
        .iter()
        .map(|(code, name)| CountyChoice {
            code: code.clone(),
            name: name.clone(),
        })
        .collect();
    counties.sort_by(|a, b| a.name.cmp(&b.name));
    DirectoryPage {
        rows,
        total,
        offset: offset as usize,
        all,
        activities: catalog
            .activity_codes
            .iter()
            .map(|(code, name): (&String, &Localized)| Activity {
                code: code.clone(),
                name: name.clone(),
            })
            .collect(),
        counties,
    }
}
