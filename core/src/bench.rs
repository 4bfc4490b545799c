//! `srt-admin bench`: the figures that matter to a coordinator, on the real encrypted database and
//! on an unencrypted copy of the same data in the same run, with their ratio. Timing lives here,
//! never in tests (a noisy machine must not fail a build).

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Datelike;
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
                "{:<44} median {:>8.3} ms  p95 {:>8.3} ms   plain median {:>8.3} ms  p95 {:>8.3} ms   ratio {:>5.2}   runs {}",
                self.name,
                self.encrypted.median_ms,
                self.encrypted.p95_ms,
                p.median_ms,
                p.p95_ms,
                if p.median_ms > 0.0 { self.encrypted.median_ms / p.median_ms } else { 1.0 },
                self.encrypted.runs
            ),
            None => format!(
                "{:<44} median {:>8.3} ms  p95 {:>8.3} ms",
                self.name, self.encrypted.median_ms, self.encrypted.p95_ms
            ),
        }
    }
}

/// The most pairs a figure is run for, however fast it is.
const MAX_PAIRS: usize = 5_000;

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

/// The same figure on the encrypted database and on the plain copy, their runs interleaved (and
/// which of the two goes first alternating) so that a machine that slows down or speeds up during
/// the run — a virtual machine's neighbours, CPU frequency — weighs on both sides alike. Measured
/// one after the other, the same query's ratio swung between 0.8 and 1.4 from run to run here.
///
/// At least `runs` pairs, and more until each side has run for `min_time` (at most
/// [`MAX_PAIRS`]): a figure of half a millisecond over 20 runs is mostly the first cases' cold
/// pages and the machine's noise (the case view's ratio read 1.40 and 1.12 on the same desk over
/// 20 and 2 000 runs).
fn time_pair<T, U>(
    runs: usize,
    min_time: Duration,
    mut encrypted: impl FnMut(usize) -> Result<T>,
    mut plain: impl FnMut(usize) -> Result<U>,
) -> Result<(Stats, Stats)> {
    // One warm-up run each, as the app's long-lived connection would have.
    encrypted(0)?;
    plain(0)?;
    let (mut e, mut p) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    let enough = |e: &[Duration], p: &[Duration]| {
        e.len() >= MAX_PAIRS
            || (e.len() >= runs
                && e.iter().sum::<Duration>() >= min_time
                && p.iter().sum::<Duration>() >= min_time)
    };
    for i in 0.. {
        if enough(&e, &p) {
            break;
        }
        let mut one_e = || -> Result<()> {
            let start = Instant::now();
            std::hint::black_box(encrypted(i + 1)?);
            e.push(start.elapsed());
            Ok(())
        };
        if i % 2 == 0 {
            one_e()?;
        }
        let start = Instant::now();
        std::hint::black_box(plain(i + 1)?);
        p.push(start.elapsed());
        if i % 2 == 1 {
            one_e()?;
        }
    }
    Ok((stats(e), stats(p)))
}

fn time<T>(runs: usize, mut f: impl FnMut(usize) -> Result<T>) -> Result<Stats> {
    // One warm-up run, as the app's long-lived connection would have.
    f(0)?;
    time_warmed(runs, f)
}

/// [`time`] when the caller has already run `f` once (and needed its answer).
fn time_warmed<T>(runs: usize, mut f: impl FnMut(usize) -> Result<T>) -> Result<Stats> {
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs {
        let start = Instant::now();
        std::hint::black_box(f(i + 1)?);
        samples.push(start.elapsed());
    }
    Ok(stats(samples))
}

/// Each figure starts with both sides' page caches emptied, then one warm-up run each. A figure
/// must not depend on what ran before it: after the searches and 2 000 case views had filled the
/// plain copy's 64 MB cache, its statistics took 580 ms against 340–375 ms on a fresh connection
/// and again after emptying its cache, while the encrypted side's did not change (the plain side
/// then read as the slower one, ratios 0.5–0.75). Why a full cache slows only the plain side down
/// was not found inside SQLite.
fn empty_caches(conns: &[&Connection]) -> Result<()> {
    for c in conns {
        c.execute_batch("PRAGMA shrink_memory;")?;
    }
    Ok(())
}

/// How often each figure runs: at least `runs` times, and the figures compared with the plain
/// copy until each side has run for `min_time` (see [`time_pair`]).
#[derive(Debug, Clone, Copy)]
pub struct Repeat {
    pub runs: usize,
    pub min_time: Duration,
}

/// Run every figure. `keys`/`passphrase` unlock the database as the app would.
pub fn run(
    path: &Path,
    keys: &dyn KeyStore,
    passphrase: Option<&str>,
    repeat: Repeat,
    today: chrono::NaiveDate,
    only: Option<&str>,
    out: &mut dyn FnMut(&Figure),
) -> Result<()> {
    let Repeat { runs, min_time } = repeat;
    // Several texts separated by commas: the figures that contain any of them.
    let wanted = |name: &str| only.is_none_or(|o| o.split(',').any(|o| name.contains(o.trim())));
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
    // The app's own opening: the key from its store (the credential store, or the passphrase's
    // derivation again each run), the file keyed, WAL and the connection's settings, the schema
    // checked, then a first query. The target (< 50 ms) is for the credential store; the
    // passphrase's Argon2id time is the figure above, so that side runs a few times only. A desk
    // of an earlier version would be upgraded by that opening: it has no such figure.
    let app_open = |_| -> Result<Option<i64>> {
        let Some(store) = crate::store::Store::open_if_current(path, keys, passphrase)? else {
            return Ok(None);
        };
        let n: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM srt_case", [], |r| r.get(0))?;
        Ok(Some(n))
    };
    // The first opening says whether the desk is of this version, and is the figure's warm-up.
    if app_open(0)?.is_some() {
        let app_runs = match info.key_source {
            crate::store::key::KeySourceKind::Keyring => runs,
            crate::store::key::KeySourceKind::Passphrase => runs.min(3),
        };
        out(&Figure {
            name: format!(
                "open as the app: key from {} + query",
                info.key_source.as_str()
            ),
            encrypted: time_warmed(app_runs, app_open)?,
            plain: None,
        });
    }
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

    let mut enc = crate::store::open_raw(path, &key)?;
    // Set as the app's connection (cache sizes, secure delete, statement cache).
    crate::store::configure(&enc)?;
    // An older desk is brought up to date first, as every opening by the app or srt-admin does,
    // and so are the kept rows (deadlines, the statistics' cases and money) that the app's first
    // screens would bring up to date: the plain copy starts from the same state, and neither side
    // times a whole desk's refresh (after an upgrade every month is marked).
    crate::store::migrate::migrations().to_latest(&mut enc)?;
    crate::store::in_read_transaction(&enc, crate::desk::refresh_kept_rows)?;
    let plain_dir = std::env::temp_dir().join(format!("srt-bench-{}", std::process::id()));
    std::fs::create_dir_all(&plain_dir)?;
    let plain_path = plain_dir.join("plain.db");
    let _ = std::fs::remove_file(&plain_path);
    std::fs::File::create(&plain_path)?;
    enc.execute(
        "ATTACH DATABASE ?1 AS plain KEY ''",
        [plain_path.to_string_lossy()],
    )?;
    crate::store::page_format::export_watched(&enc, "plain", &plain_path, None)?;
    enc.execute("DETACH DATABASE plain", [])?;
    // The copy's ~900 MB are written out before anything is timed: the system writing them
    // back meanwhile slowed whichever side it landed on (the case view's ratio swung between
    // 0.87 and 1.47 from one run to the next).
    settle(&plain_path)?;
    let plain = Connection::open(&plain_path)?;
    crate::store::configure(&plain)?;
    plain.execute_batch("PRAGMA journal_mode = WAL;")?;

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

    // A case with its timeline, in one read transaction as the app reads it.
    let case_view = |c: &Connection, id: i64| -> Result<usize> {
        crate::store::in_read_transaction(c, |c| {
            let d = crate::overview::case::case_detail(c, id, today)?;
            Ok(d.history.len() + crate::desk::case_timeline(c, id)?.len())
        })
    };
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
                    today,
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
                    today,
                )?
                .items
                .len())
            }),
        ),
        (
            "search everything (FTS5, free text)",
            Box::new(|c, _| Ok(crate::cases::search::search(c, "oun", 50)?.items.len())),
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
                    today,
                )?
                .items
                .len())
            }),
        ),
        (
            // The list: by next deadline; the pages reach past the cases with a deadline
            // (~1 500 at 100 000 cases) into the ones without.
            "case list page (50, by next deadline)",
            Box::new(|c, i| {
                Ok(crate::cases::list(
                    c,
                    &crate::cases::CaseFilter {
                        sort: "deadline".into(),
                        offset: Some((i as u32 % 20) * 150),
                        ..Default::default()
                    },
                    today,
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
                    today,
                )?
                .items
                .len())
            }),
        ),
        (
            "dashboard",
            // In one read transaction, as the app reads it (store::in_read_transaction).
            Box::new(|c, _| {
                crate::store::in_read_transaction(c, |c| {
                    Ok(crate::overview::dashboard::dashboard(c, today)?
                        .groups
                        .len())
                })
            }),
        ),
        (
            "case view with timeline",
            Box::new(|c, i| case_view(c, pick(i))),
        ),
        (
            // A coordinator's caseload: the same 150 cases opened again and again, their pages
            // in the page cache after the first time (above, each run is a case not opened
            // before: ~11 pages read from disk, each decrypted and authenticated).
            "case view, one of 150 opened before",
            Box::new(|c, i| case_view(c, pick(i % 150))),
        ),
        (
            "case counts by status",
            Box::new(|c, _| Ok(crate::cases::counts(c)?.by_status.len())),
        ),
        (
            // The "Ootel" screen: every waiting case counted by county and activity against the
            // providers' free places, and the first page of the longest waits.
            "waiting list",
            Box::new(|c, _| {
                let catalog = crate::providers::Catalog::load(c)?;
                let all = crate::providers::referrals::WaitingFilter::default();
                Ok(
                    crate::providers::referrals::waiting(c, &catalog, today, &all)?
                        .cases
                        .len(),
                )
            }),
        ),
    ];
    for (name, q) in &queries {
        if !wanted(name) {
            continue;
        }
        empty_caches(&[&enc, &plain])?;
        let (e, p) = time_pair(runs, min_time, |i| q(&enc, i), |i| q(&plain, i))?;
        out(&Figure {
            name: (*name).to_string(),
            encrypted: e,
            plain: Some(p),
        });
    }
    // --- Statistics: one year and all years, as the statistics screen asks for them ---
    // The municipality with the most children, for the filtered figure.
    let municipality: String = enc
        .query_row(
            "SELECT municipality_code FROM child WHERE municipality_code IS NOT NULL
             GROUP BY municipality_code ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap_or_default();
    for (name, kind, filtered) in [
        ("statistics, one year", "year", false),
        ("statistics, all years", "all", false),
        ("statistics, one year, one municipality", "year", true),
    ] {
        if !wanted(name) {
            continue;
        }
        let query = crate::stats::StatsQuery {
            period: crate::stats::PeriodInput {
                kind: kind.into(),
                year: today.year() - 1,
                ..Default::default()
            },
            filter: crate::stats::StatsFilter {
                municipality: if filtered {
                    municipality.clone()
                } else {
                    String::new()
                },
                ..Default::default()
            },
            ..Default::default()
        };
        let q = |c: &Connection| -> Result<usize> {
            let catalog = crate::providers::Catalog::load(c)?;
            Ok(crate::stats::compute(c, &catalog, &query, today)?
                .totals
                .received as usize)
        };
        let stat_runs = runs.clamp(1, 10);
        empty_caches(&[&enc, &plain])?;
        let (e, p) = time_pair(stat_runs, min_time, |_| q(&enc), |_| q(&plain))?;
        out(&Figure {
            name: name.into(),
            encrypted: e,
            plain: Some(p),
        });
    }
    // Writing figures run on copies, never on the coordinator's database: an encrypted copy under
    // a throwaway key and the plain copy.
    let mut copy: Option<(Connection, std::path::PathBuf)> = None;
    // --- Billing: checking a saved invoice of 1 000 lines (made of demo lines, the newest first,
    // repeated when a small demo has fewer; on the copies) ---
    if wanted("invoice check (1 000 lines)") {
        fn make(c: &Connection, today: chrono::NaiveDate) -> Result<Option<i64>> {
            let tx = c.unchecked_transaction()?;
            let provider: Option<i64> = tx
                .query_row("SELECT id FROM provider ORDER BY id LIMIT 1", [], |r| {
                    r.get(0)
                })
                .ok();
            let Some(provider) = provider else {
                return Ok(None);
            };
            tx.execute(
                "INSERT INTO invoice (provider_id, number, invoice_date, period_from, period_to,
                 created_at, updated_at) VALUES (?1, 'BENCH-1000', ?2, ?2, ?2, ?2, ?2)",
                rusqlite::params![provider, today.to_string()],
            )?;
            let id = tx.last_insert_rowid();
            let n = tx.execute(
                "INSERT INTO invoice_line (invoice_id, position, child_code, case_id, decision_number,
                 activity_code, mode, service_date, quantity_milli, unit_price_cents, amount_cents,
                 created_at, updated_at)
                 SELECT ?1, row_number() OVER (), child_code, case_id, decision_number, activity_code,
                        mode, service_date, quantity_milli, unit_price_cents, amount_cents, created_at, updated_at
                 FROM invoice_line,
                      (WITH RECURSIVE copy(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM copy WHERE n < 50)
                       SELECT n FROM copy)
                 WHERE case_id IS NOT NULL ORDER BY n, id DESC LIMIT 1000",
                [id],
            )?;
            tx.commit()?;
            Ok((n == 1000).then_some(id))
        }
        let (ecopy, epath) = match copy.take() {
            Some(c) => c,
            None => encrypted_copy(&enc, &plain_dir)?,
        };
        if let (Some(eid), Some(pid)) = (make(&ecopy, today)?, make(&plain, today)?) {
            empty_caches(&[&ecopy, &plain])?;
            let (e, p) = time_pair(
                runs.clamp(1, 10),
                min_time,
                |_| Ok(crate::money::check_lines(&ecopy, eid)?.len()),
                |_| Ok(crate::money::check_lines(&plain, pid)?.len()),
            )?;
            out(&Figure {
                name: "invoice check (1 000 lines)".into(),
                encrypted: e,
                plain: Some(p),
            });
        }
        copy = Some((ecopy, epath));
    }
    // --- Backup: the whole database, encrypted under a backup passphrase ---
    if wanted("full backup (incl. Argon2id)") {
        let now = format!("{today}T12:00:00Z");
        let e = time(1, |i| {
            let target = plain_dir.join(format!("bench-{i}.srtbackup"));
            let info = crate::store::backup::write_backup(
                &enc,
                "bench",
                &target,
                "bench backup passphrase 1",
                crate::store::key::KdfParams::default(),
                &now,
            )?;
            let _ = std::fs::remove_file(&target);
            Ok(info.bytes as usize)
        })?;
        out(&Figure {
            name: "full backup (incl. Argon2id)".into(),
            encrypted: e,
            plain: None,
        });
    }
    // --- Meetings ---
    if wanted("meeting") {
        let (ecopy, _) = match copy.take() {
            Some(c) => c,
            None => encrypted_copy(&enc, &plain_dir)?,
        };
        meeting_figures(&ecopy, &plain, runs, min_time, today, pick(0), out)?;
    }
    drop(copy);
    drop(plain);
    let _ = std::fs::remove_dir_all(&plain_dir);
    Ok(())
}

// --- Decisions: `srt-admin bench-pdf` ---

/// Two synthetic decisions as a parent would get them: a referral with a two-year annex and a
/// refusal with its summary in Russian. No database needed; the names are made up.
pub fn sample_letters() -> Vec<(&'static str, crate::decisions::Letter)> {
    use crate::decisions::{kind_title, AnnexRow, AnnexTable, Letter, LetterSection};
    let section = |heading: &str, text: &str| LetterSection {
        heading: heading.into(),
        text: text.into(),
    };
    let challenge = "Kui Te ei ole otsusega nõus, võite esitada vaide Sotsiaalkindlustusametile 30 päeva jooksul arvates päevast, millal saite otsusest teada või oleksite pidanud teada saama (haldusmenetluse seaduse § 71–75), või pöörduda kaebusega halduskohtusse 30 päeva jooksul otsuse teatavaks tegemisest (halduskohtumenetluse seadustiku § 46).";
    let base = Letter {
        kind: "referral".into(),
        title: kind_title("referral").into(),
        board_name: "Sotsiaalkindlustusamet".into(),
        board_unit: "Laste sotsiaalse rehabilitatsiooni talitus".into(),
        board_contact: "Endla 8, 15092 Tallinn · +372 612 1360 · info@sotsiaalkindlustusamet.ee".into(),
        number: "K000123".into(),
        date: "25.11.2026".into(),
        addressee: vec!["Žanna Šults-Äärmaa".into(), "Õie 5".into(), "68605 Tõrva".into()],
        delivery: "posti teel".into(),
        summary_language: "et".into(),
        summary_heading: "Mida see otsus tähendab?".into(),
        summary: "Sotsiaalkindlustusamet otsustas, et Mirtel saab sotsiaalse rehabilitatsiooni teenust 01.12.2026 kuni 30.11.2027.\nMida teha edasi: vali otsuses nimetatud teenuseosutajate seast sobiv ja registreeri laps teenusele hiljemalt 60. päeval pärast otsuse kättesaamist (kui see on puhkepäev, siis järgmisel tööpäeval). Ütle teenuseosutajale otsuse number K000123.\nKüsimuste korral helista: Mari Koordinaator, tel +372 612 1360, või kirjuta info@sotsiaalkindlustusamet.ee.".into(),
        child: "Mirtel Näidis-Õunapuu, isikukood 61303150029".into(),
        sections: vec![
            section("Otsustan", "Suunata Mirtel Näidis-Õunapuu (isikukood 61303150029) sotsiaalse rehabilitatsiooni teenusele ajavahemikuks 01.12.2026 kuni 30.11.2027.\nTeenuse maksumus tegevuste ja kalendriaastate kaupa on toodud otsuse lisas ega ületa lapse teenuse aastast piirmäära.\nTeenuseosutaja valimiseks ja teenusele registreerumiseks on aega 60 päeva otsuse kättesaamisest."),
            section("Põhjendus", "Taotlus suunata laps sotsiaalse rehabilitatsiooni teenusele esitati 20.11.2026 (juhtum SRT-2026-00001). Taotleja: Žanna Šults-Äärmaa. Sotsiaalkindlustusamet hindas lapse teenusevajadust ja allkirjastas hindamise 24.11.2026.\nLapsel on tuvastatud raske puue. Laps on taotluse esitamise päeval (20.11.2026) 13-aastane. Puude alusel saab teenust kuni selle aasta lõpuni, mil laps saab 16-aastaseks (31.12.2029) (SHS § 67). Lapsel on rehabilitatsiooniteenuse vajadus järgmistes valdkondades: psühholoogiline ja emotsionaalne, sotsiaalne.\nEeltoodust lähtudes on lapsel õigus saada sotsiaalse rehabilitatsiooni teenust."),
            section("Õiguslik alus", "Sotsiaalhoolekande seaduse § 67, § 68, § 69 ja § 70; haldusmenetluse seaduse § 51 ja § 56."),
            section("Suunamise kehtivus", "01.12.2026 kuni 30.11.2027"),
            section("Vaidlustamine", challenge),
        ],
        providers: vec!["Näidis Rehabilitatsioonikeskus OÜ, Tartu".into(), "MTÜ Näidis Pere Tugi, Valga".into()],
        signer_name: "Mari Koordinaator".into(),
        signer_title: "Juhtumikorraldaja".into(),
        signer_contact: "tel +372 5555 0100 · mari.koordinaator@example.ee".into(),
        annex: Some(AnnexTable {
            years: vec![2026, 2027],
            rows: vec![
                AnnexRow { code: "2010".into(), name: "Psühholoog".into(), cents: vec![9_987, 107_613], total: 117_600 },
                AnnexRow { code: "2013".into(), name: "Logopeed".into(), cents: vec![7_592, 81_808], total: 89_400 },
                AnnexRow { code: "2003".into(), name: "Tegevusterapeut".into(), cents: vec![5_037, 54_083], total: 59_120 },
            ],
            totals: vec![22_616, 243_504],
            caps: vec![269_500, 269_500],
            total: 266_120,
        }),
    };
    let refusal = Letter {
        kind: "refusal".into(),
        title: kind_title("refusal").into(),
        number: "K000124".into(),
        addressee: vec!["Ирина Näidis".into(), "irina@example.invalid".into()],
        delivery: "e-posti teel".into(),
        summary_language: "ru".into(),
        summary_heading: "Что означает это решение?".into(),
        summary: "Департамент социального страхования решил, что Артём сейчас не получает услугу социальной реабилитации. Причина указана в обосновании решения.\nЧто делать дальше: если вы не согласны с решением, в течение 30 дней после его получения вы можете подать возражение в Департамент социального страхования или жалобу в административный суд. Если положение ребёнка изменится, вы можете подать новое заявление.\nЕсли у вас есть вопросы, позвоните: Mari Koordinaator, тел. +372 612 1360, или напишите: info@sotsiaalkindlustusamet.ee.".into(),
        child: "Artjom Näidis, isikukood 51007080016".into(),
        sections: vec![
            section("Otsustan", "Jätta rahuldamata 20.11.2026 esitatud taotlus suunata laps sotsiaalse rehabilitatsiooni teenusele. Taotleja: Irina Näidis. Laps: Artjom Näidis (isikukood 51007080016)."),
            section("Põhjendus", "Taotlus suunata laps sotsiaalse rehabilitatsiooni teenusele esitati 20.11.2026. Taotleja: Irina Näidis. Kohaliku omavalitsuse suunamisel on teenuse eelduseks oluline puudujääk vähemalt kahes heaolu valdkonnas; hindamisel tuvastati see ühes valdkonnas.\nSeetõttu ei ole teenusele suunamise tingimused täidetud."),
            section("Õiguslik alus", "Sotsiaalhoolekande seaduse § 67 ja § 70; haldusmenetluse seaduse § 54 ja § 56."),
            section("Vaidlustamine", challenge),
        ],
        providers: Vec::new(),
        annex: None,
        ..base.clone()
    };
    vec![("referral", base), ("refusal-ru", refusal)]
}

/// What `srt-admin bench-pdf` prints for one sample.
#[derive(Debug, Clone)]
pub struct PdfFigure {
    pub name: String,
    pub stats: Stats,
    pub bytes: usize,
    pub pdf: Vec<u8>,
}

/// Render each sample decision `runs` times (two passes each, as the app does).
pub fn pdf_figures(runs: usize) -> Result<Vec<PdfFigure>> {
    let mut out = Vec::new();
    for (name, letter) in sample_letters() {
        let mut pdf = Vec::new();
        let stats = time(runs, |_| {
            pdf = crate::decisions::letter_pdf::render(&letter)?;
            Ok(pdf.len())
        })?;
        out.push(PdfFigure {
            name: name.to_string(),
            stats,
            bytes: pdf.len(),
            pdf,
        });
    }
    Ok(out)
}

// --- Meetings ---

/// Wait until a copy just written is on disk, so that its write-back does not run while the
/// figures are taken.
fn settle(path: &Path) -> Result<()> {
    std::fs::File::open(path)?.sync_all()?;
    Ok(())
}

/// An encrypted copy of the database under a throwaway key, in WAL mode as the app keeps it, for
/// the figures that write.
fn encrypted_copy(enc: &Connection, dir: &Path) -> Result<(Connection, std::path::PathBuf)> {
    let copy_path = dir.join("encrypted-copy.db");
    let _ = std::fs::remove_file(&copy_path);
    let copy_key = crate::store::key::DbKey::random()?;
    crate::store::page_format::attach_new(
        enc,
        &copy_path,
        "copy",
        &copy_key,
        crate::store::page_format::PageFormat::Current,
    )?;
    crate::store::page_format::export_watched(enc, "copy", &copy_path, None)?;
    enc.execute("DETACH DATABASE copy", [])?;
    settle(&copy_path)?;
    let copy = crate::store::open_raw(&copy_path, &copy_key)?;
    crate::store::configure(&copy)?;
    copy.execute_batch("PRAGMA journal_mode = WAL;")?;
    Ok((copy, copy_path))
}

/// The meeting page's figures: saving the notes draft durably (synchronous = FULL, as the app
/// does on every keystroke pause) and opening a meeting, on the encrypted and the plain copy.
fn meeting_figures(
    copy: &Connection,
    plain: &Connection,
    runs: usize,
    min_time: Duration,
    today: chrono::NaiveDate,
    case_id: i64,
    out: &mut dyn FnMut(&Figure),
) -> Result<()> {
    let now = chrono::Utc::now();
    let meeting = crate::meetings::ValidMeeting {
        kind: "follow_up".into(),
        date: today,
        time: "10:00".into(),
        place: "Bench".into(),
        video_link: String::new(),
    };
    let ids = [
        crate::meetings::create(copy, case_id, &meeting, now)?,
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
        crate::store::audit::record(&tx, now, "bench", "meeting.save_notes", "case", "0", "")?;
        tx.commit()?;
        c.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(saved.rev)
    };
    empty_caches(&[copy, plain])?;
    let (e, p) = time_pair(
        runs,
        min_time,
        |i| save(copy, ids[0], i),
        |i| save(plain, ids[1], i),
    )?;
    out(&Figure {
        name: "meeting notes save (fsync)".into(),
        encrypted: e,
        plain: Some(p),
    });
    empty_caches(&[copy, plain])?;
    let (e, p) = time_pair(
        runs,
        min_time,
        |_| {
            Ok(crate::meetings::get(copy, ids[0], today, "Bench")?
                .notes
                .len())
        },
        |_| {
            Ok(crate::meetings::get(plain, ids[1], today, "Bench")?
                .notes
                .len())
        },
    )?;
    out(&Figure {
        name: "meeting page load".into(),
        encrypted: e,
        plain: Some(p),
    });
    Ok(())
}
