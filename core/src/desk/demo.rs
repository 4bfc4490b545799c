//! The demo desk: loading synthetic data, and the stamp every PDF of a demo desk carries.

use crate::error::{Error, Result};
use crate::Desk;

impl Desk {
    /// Load `n` synthetic cases; only into an empty database, so demo data never mixes with real.
    pub fn load_demo(&mut self, n: usize, seed: u64) -> Result<usize> {
        self.load_demo_with_history(n, seed).map(|(cases, _)| cases)
    }

    /// [`Desk::load_demo`] with what the cases' history added (decisions, meetings, invoices...).
    /// How far it has come is in [`Desk::work_progress`] (the app's bar): the cases as they are
    /// written, then one unit for each of the three steps after them.
    pub fn load_demo_with_history(
        &mut self,
        n: usize,
        seed: u64,
    ) -> Result<(usize, crate::demo::history::HistoryCounts)> {
        let progress = self.work_progress();
        let (cases, total) = (n as u64, n as u64 + 3);
        self.load_demo_reporting(n, seed, &mut |step| match step {
            crate::demo::DemoStep::Cases { done, .. } => progress.set(done as u64, total),
            crate::demo::DemoStep::History => progress.set(cases, total),
            crate::demo::DemoStep::KeptRows => progress.set(cases + 1, total),
            crate::demo::DemoStep::Writing => progress.set(cases + 2, total),
        })
    }

    /// [`Desk::load_demo_with_history`], telling `report` each step as it begins (and the cases
    /// written as they are): `srt-admin demo` shows them.
    pub fn load_demo_reporting(
        &mut self,
        n: usize,
        seed: u64,
        report: &mut dyn FnMut(crate::demo::DemoStep),
    ) -> Result<(usize, crate::demo::history::HistoryCounts)> {
        // A desk that holds anything of real work (or an earlier demo) is refused: the demo
        // would take its number sequences and count in its statistics.
        if !crate::demo::desk::is_untouched(self.store.connection())? {
            return Err(Error::DemoNotEmpty);
        }
        let today = self.clock.today();
        let now = self.clock.now();
        let actor = self.actor.clone();
        let municipalities = crate::cases::places::municipality_codes(self.store.connection())?;
        // A decade of demo history is one large transaction: a page cache that holds it spares
        // SQLCipher encrypting pages spilled mid-transaction and decrypting them again. And it
        // goes straight into the file with a rollback journal: in WAL mode its ~900 MB would be
        // written twice, to the log and again at the checkpoint (commit 7.6 -> 3.1 s at 100 000
        // cases). The desk is empty, so the journal stays small; a crash rolls the load back.
        // If another connection holds the file, the mode stays WAL and the load is only slower.
        let big = n > 10_000;
        if big {
            let conn = self.store.connection();
            conn.execute_batch("PRAGMA cache_size = -524288;")?;
            let _ = conn.pragma_update(None, "journal_mode", "DELETE");
        }
        let loaded = (|| {
            let tx = self.store.connection_mut().transaction()?;
            let ids = crate::demo::generate_reporting(
                &tx,
                n,
                seed,
                (today, now),
                &municipalities,
                &mut |done| report(crate::demo::DemoStep::Cases { done, total: n }),
            )?;
            // The flag that makes it a demo desk for good, in the same transaction as its data.
            crate::store::demo_flag::mark(&tx, now)?;
            report(crate::demo::DemoStep::History);
            let mut history = crate::demo::history::generate(&tx, seed, (today, now))?;
            crate::demo::work::generate(&tx, seed, (today, now), &mut history)?;
            // The dashboard's and the statistics' kept rows, ready before they are first opened.
            report(crate::demo::DemoStep::KeptRows);
            super::refresh_kept_rows(&tx)?;
            crate::store::audit::record(
                &tx,
                now,
                &actor,
                "demo.load",
                "desk",
                "",
                &ids.len().to_string(),
            )?;
            report(crate::demo::DemoStep::Writing);
            tx.commit()?;
            Ok::<_, Error>((ids, history))
        })();
        if big {
            let conn = self.store.connection();
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.execute_batch("PRAGMA cache_size = -65536;")?;
        }
        let (ids, history) = loaded?;
        Ok((ids.len(), history))
    }

    /// Whether this is a demo desk (made by a demo load on an empty desk): the window shows
    /// "NÄIDISANDMED" on every screen and every PDF it writes says so.
    pub fn is_demo(&self) -> Result<bool> {
        crate::store::demo_flag::is_demo(self.store.connection())
    }

    /// The stamp a PDF of this desk carries on every page: "NÄIDISANDMED" on a demo desk.
    pub(crate) fn pdf_stamp(&self) -> String {
        crate::store::demo_flag::pdf_stamp(self.store.connection())
    }

    /// Render a PDF of this desk (stamped on a demo desk).
    pub(crate) fn render_pdf(&self, mut doc: crate::pdf::PdfDocument) -> Result<Vec<u8>> {
        doc.stamp = self.pdf_stamp();
        crate::pdf::render(&doc)
    }
}
