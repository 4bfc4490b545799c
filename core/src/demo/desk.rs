//! Whether a desk is a demo desk. Demo data lives only in a desk made for it: a new, empty desk
//! becomes one when the demo is loaded into it (a flag kept in its `meta`, never removed), and a
//! desk that holds anything of real work is refused, so a real desk's number sequences, its
//! directory of providers and its statistics are never touched by a demo. The window shows a
//! demo desk's "NÄIDISANDMED" on every screen and every PDF it writes carries it on every page.

use rusqlite::Connection;

use crate::error::Result;

pub use crate::store::demo_flag::is_demo;

/// Whether nothing of real work (nor an earlier demo) is on the desk: no case, no decision number
/// given, no provider, partner, invoice, task or proposal. Only such a desk may become a demo
/// desk: a real desk whose only case was deleted has still used its numbers, and one that has
/// imported its providers but registered no case yet would get demo providers among the real.
pub fn is_untouched(conn: &Connection) -> Result<bool> {
    if is_demo(conn)? {
        return Ok(false);
    }
    let used: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM (SELECT 1 FROM srt_case LIMIT 1))
              + (SELECT count(*) FROM (SELECT 1 FROM decision LIMIT 1))
              + (SELECT coalesce(max(last_value), 0) FROM decision_sequence)
              + (SELECT count(*) FROM (SELECT 1 FROM provider LIMIT 1))
              + (SELECT count(*) FROM (SELECT 1 FROM partner LIMIT 1))
              + (SELECT count(*) FROM (SELECT 1 FROM invoice LIMIT 1))
              + (SELECT count(*) FROM (SELECT 1 FROM task LIMIT 1))
              + (SELECT count(*) FROM (SELECT 1 FROM proposal LIMIT 1))",
        [],
        |r| r.get(0),
    )?;
    Ok(used == 0)
}
