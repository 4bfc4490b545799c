//! The app keeps one connection open for the whole session, so a statement is worth preparing
//! once and keeping: parsing and planning `schedule::facts` alone took a third of the case view's
//! time before. `Connection::query_row` and `execute` prepare afresh each time; these do the same
//! through the connection's statement cache (`store::configure` sets its size).
//!
//! For SQL whose text is fixed or takes a few shapes; text that embeds values (a limit, an
//! offset) would fill the cache with statements used once and push the useful ones out.

use rusqlite::{Connection, Params, Row};

pub trait CachedSql {
    /// [`Connection::query_row`] through the statement cache.
    fn query_row_cached<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> rusqlite::Result<T>;

    /// [`Connection::execute`] through the statement cache.
    fn execute_cached<P: Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
}

impl CachedSql for Connection {
    fn query_row_cached<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    fn execute_cached<P: Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }
}
