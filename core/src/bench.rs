//! `srt-admin bench`: the figures that matter to a coordinator, on the real encrypted database and
//! on an unencrypted copy of the same data in the same run, with their ratio. Timing lives here,
//! never in tests (a noisy machine must not fail a build).

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::error::Result;
use crate::store::key::{KeyInfo, KeyStore};

/// One measured figure.
#[derive(Debug, Clone)]
pub struct Figure {
    pub name: String,
    pub encrypted: Stats,
    pub plain: Option<Stats>,
}

#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub median_ms: f64,
    pub p95_ms: f64,
    pub runs: usize,
}

impl Figure {
    pub fn line(&self) -> String {
        match self.plain {
            Some(p) => format!(
                "{:<34} median {:>8.3} ms  p95 {:>8.3} ms   plain median {:>8.3} ms  p95 {:>8.3} ms   ratio {:>5.2}",
                self.name,
                self.encrypted.median_ms,
                self.encrypted.p95_ms,
                p.median_ms,
                p.p95_ms,
                if p.median_ms > 0.0 { self.encrypted.median_ms / p.median_ms } else { 1.0 }
            ),
            None => format!(
                "{:<34} median {:>8.3} ms  p95 {:>8.3} ms",
                self.name, self.encrypted.median_ms, self.encrypted.p95_ms
            ),
        }
    }
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let n = samples.len().max(1);
    Stats {
        median_ms: samples.get(n / 2).copied().map(ms).unwrap_or(0.0),
        p95_ms: samples
            .get((n * 95 / 100).min(n - 1))
            .copied()
            .map(ms)
            .unwrap_or(0.0),
        runs: samples.len(),
    }
}

fn time<T>(runs: usize, mut f: impl FnMut(usize) -> Result<T>) -> Result<Stats> {
    // One warm-up run, as the app's long-lived connection would have.
    f(0)?;
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs {
        let start = Instant::now();
        std::hint::black_box(f(i + 1)?);
        samples.push(start.elapsed());
    }
    Ok(stats(samples))
}

fn configure(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA busy_timeout = 5000;",
    )?;
    Ok(())
}

/// Run every figure. `keys`/`passphrase` unlock the database as the app would.
pub fn run(
    path: &Path,
    keys: &dyn KeyStore,
    passphrase: Option<&str>,
    runs: usize,
    today: chrono::NaiveDate,
    out: &mut dyn FnMut(&Figure),
) -> Result<()> {
    let info = KeyInfo::load(path)?;
    // Key derivation (passphrase mode) is reported on its own.
    let start = Instant::now();
    let key = info.obtain_key(path, keys, passphrase)?;
    let key_time = start.elapsed();
    out(&Figure {
        name: format!("key from {}", info.key_source.as_str()),
        encrypted: stats(vec![key_time]),
        plain: None,
    });
    let open = time(runs, |_| {
        let conn = crate::store::open_raw(path, &key)?;
        let n: i64 = conn.query_row("SELECT count(*) FROM srt_case", [], |r| r.get(0))?;
        Ok(n)
    })?;
    out(&Figure {
        name: "open (raw key) + first query".into(),
        encrypted: open,
        plain: None,
    });

    let enc = crate::store::open_raw(path, &key)?;
    configure(&enc)?;
    let plain_dir = std::env::temp_dir().join(format!("srt-bench-{}", std::process::id()));
    std::fs::create_dir_all(&plain_dir)?;
    let plain_path = plain_dir.join("plain.db");
    let _ = std::fs::remove_file(&plain_path);
    std::fs::File::create(&plain_path)?;
    enc.execute(
        "ATTACH DATABASE ?1 AS plain KEY ''",
        [plain_path.to_string_lossy()],
    )?;
    enc.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()))?;
    enc.execute("DETACH DATABASE plain", [])?;
    let plain = Connection::open(&plain_path)?;
    configure(&plain)?;

    let ids: Vec<i64> = {
        let mut stmt = enc.prepare("SELECT id FROM srt_case ORDER BY id")?;
        let v = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        v
    };
    let code_prefix: String = enc
        .query_row(
            "SELECT substr(personal_code, 1, 7) FROM child WHERE personal_code IS NOT NULL LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|_| "6".into());
    let pick = |i: usize| ids.get((i * 7919) % ids.len().max(1)).copied().unwrap_or(1);

    type Query<'a> = Box<dyn Fn(&Connection, usize) -> Result<usize> + 'a>;
    let queries: Vec<(&str, Query)> = vec![
        (
            "search by name (50 rows)",
            Box::new(|c, _| {
                Ok(crate::cases::list(
                    c,
                    &crate::cases::CaseFilter {
                        text: "näidis mari".into(),
                        ..Default::default()
                    },
                )?
                .items
                .len())
            }),
        ),
        (
            "search by personal code prefix",
            Box::new(|c, _| {
                Ok(crate::cases::list(
                    c,
                    &crate::cases::CaseFilter {
                        text: code_prefix.clone(),
                        ..Default::default()
                    },
                )?
                .items
                .len())
            }),
        ),
        (
            "search everything (FTS5, free text)",
            Box::new(|c, _| Ok(crate::search::search(c, "oun", 50)?.items.len())),
        ),
        (
            "case list page (50, newest first)",
            Box::new(|c, i| {
                Ok(crate::cases::list(
                    c,
                    &crate::cases::CaseFilter {
                        offset: Some((i as u32 % 20) * 50),
                        ..Default::default()
                    },
                )?
                .items
                .len())
            }),
        ),
        (
            "case list filtered by status",
            Box::new(|c, _| {
                Ok(crate::cases::list(
                    c,
                    &crate::cases::CaseFilter {
                        status: "in_assessment".into(),
                        ..Default::default()
                    },
                )?
                .items
                .len())
            }),
        ),
        (
            "dashboard",
            Box::new(|c, _| Ok(crate::schedule::dashboard(c, today)?.groups.len())),
        ),
        (
            "case view with timeline",
            Box::new(|c, i| {
                let id = pick(i);
                let d = crate::cases::get(c, id, today)?;
                Ok(d.history.len() + crate::timeline::timeline(c, id)?.len())
            }),
        ),
        (
            "case counts by status",
            Box::new(|c, _| Ok(crate::cases::counts(c)?.by_status.len())),
        ),
    ];
    for (name, q) in &queries {
        let e = time(runs, |i| q(&enc, i))?;
        let p = time(runs, |i| q(&plain, i))?;
        out(&Figure {
            name: (*name).to_string(),
            encrypted: e,
            plain: Some(p),
        });
    }
    // --- Meetings ---
    meeting_figures(&enc, &plain, &plain_dir, runs, today, pick(0), out)?;
    drop(plain);
    let _ = std::fs::remove_dir_all(&plain_dir);
    Ok(())
}

// --- Meetings ---

/// The meeting page's figures: saving the notes draft durably (synchronous = FULL, as the app
/// does on every keystroke pause) and opening a meeting. Measured on copies, never on the
/// coordinator's database: an encrypted copy under a throwaway key and the plain copy.
fn meeting_figures(
    enc: &Connection,
    plain: &Connection,
    dir: &Path,
    runs: usize,
    today: chrono::NaiveDate,
    case_id: i64,
    out: &mut dyn FnMut(&Figure),
) -> Result<()> {
    let copy_path = dir.join("encrypted-copy.db");
    let _ = std::fs::remove_file(&copy_path);
    std::fs::File::create(&copy_path)?;
    let copy_key = crate::store::key::DbKey::random()?;
    enc.execute(
        "ATTACH DATABASE ?1 AS copy KEY ?2",
        [
            copy_path.to_string_lossy().to_string(),
            copy_key.pragma_value().to_string(),
        ],
    )?;
    enc.query_row("SELECT sqlcipher_export('copy')", [], |_| Ok(()))?;
    enc.execute("DETACH DATABASE copy", [])?;
    let copy = crate::store::open_raw(&copy_path, &copy_key)?;
    configure(&copy)?;
    copy.execute_batch("PRAGMA journal_mode = WAL;")?;
    plain.execute_batch("PRAGMA journal_mode = WAL;")?;
    let now = chrono::Utc::now();
    let meeting = crate::meetings::ValidMeeting {
        kind: "follow_up".into(),
        date: today,
        time: "10:00".into(),
        place: "Bench".into(),
        video_link: String::new(),
    };
    let ids = [
        crate::meetings::create(&copy, case_id, &meeting, now)?,
        crate::meetings::create(plain, case_id, &meeting, now)?,
    ];
    // A meeting's worth of notes: each save adds a line, as typing does.
    let save = |c: &Connection, id: i64, i: usize| -> Result<i64> {
        let mut notes = String::new();
        for n in 0..(40 + i % 60) {
            notes.push_str(&format!("- rida {n}: ema räägib hommikutest ja koolist\n"));
        }
        let draft = crate::meetings::MeetingDraft {
            notes,
            notes_shared: true,
            private_notes: format!("privaatne {i}"),
            ..Default::default()
        };
        c.pragma_update(None, "synchronous", "FULL")?;
        let tx = c.unchecked_transaction()?;
        let saved = crate::meetings::save_draft(&tx, id, &draft, now)?;
        crate::audit::record(&tx, now, "bench", "meeting.save_notes", "case", "0", "")?;
        tx.commit()?;
        c.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(saved.rev)
    };
    let e = time(runs, |i| save(&copy, ids[0], i))?;
    let p = time(runs, |i| save(plain, ids[1], i))?;
    out(&Figure {
        name: "meeting notes save (fsync)".into(),
        encrypted: e,
        plain: Some(p),
    });
    let e = time(runs, |_| {
        Ok(crate::meetings::get(&copy, ids[0], today, "Bench")?
            .notes
            .len())
    })?;
    let p = time(runs, |_| {
        Ok(crate::meetings::get(plain, ids[1], today, "Bench")?
            .notes
            .len())
    })?;
    out(&Figure {
        name: "meeting page load".into(),
        encrypted: e,
        plain: Some(p),
    });
    drop(copy);
    let _ = std::fs::remove_file(&copy_path);
    Ok(())
}
