//! Whether this file is a demo desk: a flag in `meta`, set once by the demo load and never
//! removed. Every PDF of a demo desk carries the stamp on every page (see `demo::desk` for when
//! a desk may become one).

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::Result;

/// The meta key present on a demo desk.
pub(crate) const DEMO_DESK: &str = "desk.demo";

/// What a demo desk's every screen and PDF page says.
pub const STAMP: &str = "NÄIDISANDMED";

/// Whether the desk at `conn` is a demo desk.
pub fn is_demo(conn: &Connection) -> Result<bool> {
    Ok(crate::store::meta::get(conn, DEMO_DESK)?.is_some())
}

/// Make the desk a demo desk (the demo load does it, in its own transaction).
pub(crate) fn mark(conn: &Connection, now: DateTime<Utc>) -> Result<()> {
    crate::store::meta::set(conn, DEMO_DESK, "1", &crate::clock::ts(now))
}

/// The stamp of this desk's PDFs: "NÄIDISANDMED" on a demo desk, nothing on a real one.
pub fn pdf_stamp(conn: &Connection) -> String {
    if is_demo(conn).unwrap_or(false) {
        STAMP.to_string()
    } else {
        String::new()
    }
}
