//! Counties and municipalities (EHAK), seeded by the first migration. Owns county, municipality.

use crate::store::cached::CachedSql;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::error::Result;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct County {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Municipality {
    pub code: String,
    pub name: String,
    pub county_code: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Places {
    pub counties: Vec<County>,
    pub municipalities: Vec<Municipality>,
}

pub fn all(conn: &Connection) -> Result<Places> {
    let mut stmt = conn.prepare_cached("SELECT ehak_code, name FROM county ORDER BY name")?;
    let counties = stmt
        .query_map([], |r| {
            Ok(County {
                code: r.get(0)?,
                name: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT ehak_code, name, county_code FROM municipality
         WHERE valid_to IS NULL ORDER BY name",
    )?;
    let municipalities = stmt
        .query_map([], |r| {
            Ok(Municipality {
                code: r.get(0)?,
                name: r.get(1)?,
                county_code: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Places {
        counties,
        municipalities,
    })
}

pub fn municipality_name(conn: &Connection, code: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row_cached(
            "SELECT name FROM municipality WHERE ehak_code = ?1",
            [code],
            |r| r.get(0),
        )
        .optional()?)
}

/// All municipality codes, for demo data.
pub fn municipality_codes(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT ehak_code FROM municipality ORDER BY ehak_code")?;
    let codes = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(codes)
}
