//! The money invoiced and accepted, summed per month and grouping key (migration 014), for the
//! statistics without filters, and per month and combination of keys (migration 016), for the
//! statistics with filters. A month whose lines, invoices or cases changed is marked by the
//! triggers and computed again here from its lines before the statistics read; the sums follow
//! the same rules as the statistics' own reading of the lines ([`crate::stats::compute`]): an
//! invoice counts from its date, drafts do not count, what was accepted counts once the invoice
//! has an outcome, and a line counts under its invoice's provider, its own activity and its case's
//! route, county and municipality ("" when the child is not known).

use crate::store::cached::CachedSql;
use std::collections::HashMap;

use rusqlite::{params, Connection};

use crate::error::Result;

/// The grouping dimensions kept; "" is the month's total.
pub const DIMS: [&str; 6] = [
    "",
    "route",
    "county",
    "municipality",
    "provider",
    "activity",
];

/// Compute again the months the triggers marked, in one savepoint. Returns how many.
pub fn refresh(conn: &Connection) -> Result<usize> {
    let months: Vec<String> = conn
        .prepare_cached("SELECT month FROM stats_money_dirty")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if months.is_empty() {
        return Ok(0);
    }
    crate::store::in_savepoint(conn, "stats_money_refresh", || {
        let mut lines = conn.prepare_cached(
            "SELECT i.provider_id, i.status IN ('accepted', 'partly_accepted', 'rejected'),
                    l.activity_code, coalesce(c.route_kind, ''),
                    coalesce(ch.municipality_code, c.kov_municipality_code, ''),
                    coalesce(m.county_code, ''), l.amount_cents, l.accepted_cents
             FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id
             LEFT JOIN srt_case c ON c.id = l.case_id
             LEFT JOIN child ch ON ch.id = c.child_id
             LEFT JOIN municipality m
                    ON m.ehak_code = coalesce(ch.municipality_code, c.kov_municipality_code)
                   AND m.valid_to IS NULL
             WHERE i.invoice_date >= ?1 AND i.invoice_date < ?2 AND i.status <> 'draft'",
        )?;
        let mut clear = conn.prepare_cached("DELETE FROM stats_money WHERE month = ?1")?;
        let mut clear_cells =
            conn.prepare_cached("DELETE FROM stats_money_cell WHERE month = ?1")?;
        let mut insert = conn.prepare_cached(
            "INSERT INTO stats_money (month, dim, key, invoiced, accepted)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut insert_cell = conn.prepare_cached(
            "INSERT INTO stats_money_cell
               (month, route, county, municipality, provider, activity, invoiced, accepted)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for month in &months {
            clear.execute([month])?;
            clear_cells.execute([month])?;
            // Every day of the month: yyyy-mm-01 <= date < yyyy-mm-99 (dates are yyyy-mm-dd).
            let upper = format!("{month}-99");
            // Keyed by the line's keys in the order of DIMS after "" (route, county,
            // municipality, provider, activity).
            let mut cells: HashMap<[String; 5], (i64, i64)> = HashMap::new();
            let mut rows = lines.query(params![format!("{month}-01"), upper])?;
            while let Some(r) = rows.next()? {
                let provider: i64 = r.get(0)?;
                let decided: bool = r.get(1)?;
                let amount: i64 = r.get(6)?;
                let accepted: i64 = if decided { r.get(7)? } else { 0 };
                let keys = [
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(4)?,
                    provider.to_string(),
                    r.get::<_, String>(2)?,
                ];
                let e = cells.entry(keys).or_default();
                e.0 += amount;
                e.1 += accepted;
            }
            // The sums per single key are the cells added up along the other keys.
            let mut sums: HashMap<(usize, &str), (i64, i64)> = HashMap::new();
            for (keys, (invoiced, accepted)) in &cells {
                let along = std::iter::once("").chain(keys.iter().map(String::as_str));
                for (dim, key) in along.enumerate() {
                    let e = sums.entry((dim, key)).or_default();
                    e.0 += invoiced;
                    e.1 += accepted;
                }
                insert_cell.execute(params![
                    month, keys[0], keys[1], keys[2], keys[3], keys[4], invoiced, accepted
                ])?;
            }
            for ((dim, key), (invoiced, accepted)) in sums {
                insert.execute(params![month, DIMS[dim], key, invoiced, accepted])?;
            }
        }
        conn.execute_cached("DELETE FROM stats_money_dirty", [])?;
        Ok(months.len())
    })
}

/// One stored sum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthSum {
    /// yyyy-mm
    pub month: String,
    pub dim: String,
    pub key: String,
    pub invoiced: i64,
    pub accepted: i64,
}

/// The sums of the months `from`..=`to` (yyyy-mm) for the totals ("") and for `breakdown`.
pub fn read(conn: &Connection, from: &str, to: &str, breakdown: &str) -> Result<Vec<MonthSum>> {
    let mut stmt = conn.prepare_cached(
        "SELECT month, dim, key, invoiced, accepted FROM stats_money
         WHERE month BETWEEN ?1 AND ?2 AND dim IN ('', ?3)",
    )?;
    let rows = stmt
        .query_map(params![from, to, breakdown], |r| {
            Ok(MonthSum {
                month: r.get(0)?,
                dim: r.get(1)?,
                key: r.get(2)?,
                invoiced: r.get(3)?,
                accepted: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The money of one month and one combination of keys (migration 016).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthCell {
    /// yyyy-mm
    pub month: String,
    pub route: String,
    pub county: String,
    pub municipality: String,
    pub provider: String,
    pub activity: String,
    pub invoiced: i64,
    pub accepted: i64,
}

/// The cells of the months `from`..=`to` (yyyy-mm) that pass `filter` (an empty field passes
/// every key).
pub fn read_cells(
    conn: &Connection,
    from: &str,
    to: &str,
    filter: &crate::stats::StatsFilter,
) -> Result<Vec<MonthCell>> {
    let mut stmt = conn.prepare_cached(
        "SELECT month, route, county, municipality, provider, activity, invoiced, accepted
         FROM stats_money_cell
         WHERE month BETWEEN ?1 AND ?2
           AND (?3 = '' OR route = ?3) AND (?4 = '' OR county = ?4)
           AND (?5 = '' OR municipality = ?5) AND (?6 = '' OR provider = ?6)
           AND (?7 = '' OR activity = ?7)",
    )?;
    let rows = stmt
        .query_map(
            params![
                from,
                to,
                filter.route,
                filter.county,
                filter.municipality,
                filter.provider,
                filter.activity
            ],
            |r| {
                Ok(MonthCell {
                    month: r.get(0)?,
                    route: r.get(1)?,
                    county: r.get(2)?,
                    municipality: r.get(3)?,
                    provider: r.get(4)?,
                    activity: r.get(5)?,
                    invoiced: r.get(6)?,
                    accepted: r.get(7)?,
                })
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
