//! `srt-bench-sync`: the team sync benchmark of issue 28, printing figures (never a timed test).
//!
//! A team of real encrypted desks (demo data with its decade of history, pushed by each
//! coordinator's own desk through the real sync path) and a real `srt-server` process on
//! 127.0.0.1 over TLS in front of a real PostgreSQL (run it inside `pg_virtualenv -t`, which
//! exports PGHOST/PGPORT/PGUSER/PGPASSWORD; `scripts/bench-sync` does). It measures:
//! - a new member's first pull of a colleague's cases (a substitution begins; the new member's
//!   fresh desk receives every row of the absent coordinator's cases);
//! - a day's work (500 changes) pushed by one desk and pulled by another;
//! - a week offline (5 000 changes) pushed and merged, while the other desk also changed rows;
//! - srt-server's CPU while many desks sync every minute (from /proc/<pid>/stat).
//!
//! An example of srt-core rather than a subcommand of srt-admin: it starts srt-server and psql
//! and makes throw-away desks, which a coordinator's tool should not carry, with the team tests'
//! real parts (`srt-teamkit`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use clap::Parser;
use srt_core::providers::partners::ContactEntryInput;
use srt_core::sync::SyncReport;
use srt_core::{Desk, KdfParams, MemoryKeyStore, NewKey};
use srt_teamkit::{free_port, psql, Certs, Server};

#[derive(Parser, Debug)]
#[command(about = "Team sync benchmark: real desks, a real srt-server and PostgreSQL")]
struct Args {
    /// Coordinators in the team, each with their own desk of demo cases.
    #[arg(long, default_value_t = 20)]
    coordinators: usize,
    /// Demo cases (with their history) on each coordinator's desk.
    #[arg(long, default_value_t = 5000)]
    cases: usize,
    /// Runs of each timed figure (median and p95 over them).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Changes of "a day's work".
    #[arg(long, default_value_t = 500)]
    day: usize,
    /// Changes of "a week offline".
    #[arg(long, default_value_t = 5000)]
    week: usize,
    /// Desks syncing every minute during the CPU measurement (0: skip it).
    #[arg(long, default_value_t = 50)]
    load_desks: usize,
    /// Minutes of the CPU measurement.
    #[arg(long, default_value_t = 3)]
    load_minutes: u64,
    /// Keep each load desk's server-sent-event stream (`/v1/events`) open during the CPU
    /// measurement, as the window does (0: none).
    #[arg(long, default_value_t = 1)]
    load_events: u8,
    /// Demo cases on each of the load desks.
    #[arg(long, default_value_t = 20)]
    load_cases: usize,
    /// The srt-server binary (default: next to this one).
    #[arg(long)]
    server_bin: Option<PathBuf>,
    /// Working folder for desks, certificates and the server's log (default: a new one in /tmp,
    /// removed at the end).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Keep the working folder and the database.
    #[arg(long)]
    keep: bool,
}

type Res<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() {
    let args = Args::parse();
    if let Err(e) = run(&args) {
        eprintln!("bench-sync: {e}");
        std::process::exit(1);
    }
}

fn sh(cmd: &mut Command) -> Res<String> {
    let out = cmd.output()?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).to_string())
}

/// One desk: an encrypted SQLCipher file and its credential store.
struct Laptop {
    desk: Desk,
    keys: MemoryKeyStore,
}

impl Laptop {
    fn new(dir: &Path, name: &str) -> Res<Laptop> {
        let keys = MemoryKeyStore::default();
        let key = NewKey::Passphrase {
            passphrase: "bench-sync passphrase".into(),
            params: KdfParams::fast_for_tests(),
        };
        let desk = Desk::create(&dir.join(format!("{name}.db")), key, &keys, name)?;
        Ok(Laptop { desk, keys })
    }

    fn sync(&mut self) -> Res<(Duration, SyncReport)> {
        let t = Instant::now();
        let r = self.desk.team_sync(&self.keys)?;
        Ok((t.elapsed(), r))
    }

    fn count(&self, sql: &str) -> Res<i64> {
        Ok(self
            .desk
            .store()
            .connection()
            .query_row(sql, [], |r| r.get(0))?)
    }

    /// `n` changes of everyday work through the desk's own write paths (each its own
    /// transaction, as in the window): contact log entries on this desk's cases (inserts) and,
    /// for half of them, the follow-up marked done (updates).
    fn work(&mut self, n: usize, owner_login: Option<&str>, tag: &str) -> Res<()> {
        let sql = match owner_login {
            // The cases of one coordinator (a substitute works on the absent colleague's).
            Some(_) => {
                "SELECT c.id FROM srt_case c JOIN sync_case_owner o ON o.case_gid = c.gid
                 JOIN sync_member m ON m.id = o.owner_id WHERE m.login = ?1 ORDER BY c.id"
            }
            None => "SELECT id FROM srt_case WHERE ?1 IS NULL OR 1 ORDER BY id",
        };
        let cases: Vec<i64> = self
            .desk
            .store()
            .connection()
            .prepare(sql)?
            .query_map([owner_login], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if cases.is_empty() {
            return Err("no cases to work on".into());
        }
        let today = self.desk.today();
        let inserts = n.div_ceil(2);
        let mut ids = Vec::with_capacity(inserts);
        for i in 0..inserts {
            let entry = self.desk.add_contact(&ContactEntryInput {
                case_id: Some(cases[(i * 7919) % cases.len()]),
                contact_date: today.to_string(),
                channel: "phone".into(),
                who: "lapsevanem".into(),
                summary: format!("Kõne {tag} {i}: räägiti teenuse algusest."),
                follow_up_on: (today + chrono::Duration::days(7)).to_string(),
                ..Default::default()
            })?;
            ids.push(entry.id);
        }
        for id in ids.iter().take(n - inserts) {
            self.desk.contact_follow_up_done(*id)?;
        }
        Ok(())
    }
}

/// Median and p95 (nearest rank) of the runs, in seconds.
fn spread(runs: &[Duration]) -> (f64, f64) {
    let mut s: Vec<f64> = runs.iter().map(Duration::as_secs_f64).collect();
    s.sort_by(f64::total_cmp);
    if s.is_empty() {
        return (0.0, 0.0);
    }
    let median = if s.len() % 2 == 1 {
        s[s.len() / 2]
    } else {
        (s[s.len() / 2 - 1] + s[s.len() / 2]) / 2.0
    };
    let rank = ((0.95 * s.len() as f64).ceil() as usize).clamp(1, s.len());
    (median, s[rank - 1])
}

fn figure(name: &str, runs: &[Duration], target_s: f64) {
    let (median, p95) = spread(runs);
    println!(
        "FIGURE {name}: median {median:.2} s, p95 {p95:.2} s over {} runs (target < {target_s} s: {})",
        runs.len(),
        if p95 < target_s { "met" } else { "NOT met" }
    );
}

fn run(a: &Args) -> Res<()> {
    if a.runs == 0 || a.runs > a.coordinators {
        return Err("--runs must be 1..=--coordinators (each run substitutes another one)".into());
    }
    let server_bin = a.server_bin.clone().unwrap_or_else(srt_teamkit::server_bin);
    let dir = a.dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("srt-bench-sync-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir)?;
    // The desks' own log (each sync, push and pull with its duration_ms), beside the server's.
    srt_core::logging::init(&dir.join("logs"))?;
    let certs_dir = dir.join("certs");
    std::fs::create_dir_all(&certs_dir)?;
    let certs = Certs::make(&certs_dir);
    let ca = std::fs::read(&certs.ca)?;
    let ticks: f64 = sh(Command::new("getconf").arg("CLK_TCK"))?.trim().parse()?;

    let db = "srt_bench_sync";
    let team = srt_teamkit::fresh_team(&server_bin, db);
    let url = team.url.clone();
    let invite = |login: &str| -> Res<String> {
        Ok(srt_teamkit::invite(
            &server_bin,
            &url,
            login,
            &format!("Näidis {login}"),
            "coordinator",
        ))
    };
    let port = free_port();
    let base = format!("https://127.0.0.1:{port}");
    let server = Server::start_logging_to(
        &server_bin,
        &url,
        &certs,
        port,
        &dir.join("srt-server.log"),
        |base, ca| {
            std::fs::read(ca)
                .ok()
                .and_then(|pem| srt_core::sync::SyncClient::new(base, &pem).ok())
                .is_some_and(|c| c.health().is_ok())
        },
    );
    let lead_code = team.lead_code;
    println!(
        "bench-sync: {} coordinators x {} demo cases, {} runs; server pid {}, folder {}",
        a.coordinators,
        a.cases,
        a.runs,
        server.pid(),
        dir.display()
    );

    // The lead's desk: the team's data (seeded prices, rules, templates) goes up first.
    let mut lead = Laptop::new(&dir, "lead")?;
    lead.desk
        .team_join(&lead.keys, &base, &ca, &lead_code, "lead laptop")?;
    let (t, r) = lead.sync()?;
    println!(
        "lead joined: pushed {} in {:.2} s",
        r.pushed,
        t.as_secs_f64()
    );

    // The coordinators: each desk loads its demo decade and pushes it at its first sync.
    let mut coords: Vec<(String, Laptop)> = Vec::new();
    let mut seed_push = Vec::new();
    for i in 1..=a.coordinators {
        let login = format!("c{i:02}");
        let code = invite(&login)?;
        let mut l = Laptop::new(&dir, &login)?;
        let t0 = Instant::now();
        let (n, _) = l.desk.load_demo_with_history(a.cases, 1000 + i as u64)?;
        let load = t0.elapsed();
        l.desk
            .team_join(&l.keys, &base, &ca, &code, &format!("{login} laptop"))?;
        let outbox = l.count("SELECT count(*) FROM sync_outbox")?;
        let (t, r) = l.sync()?;
        seed_push.push(t);
        println!(
            "{login}: {n} demo cases loaded in {:.1} s; first push {outbox} rows: pushed {} rejected {} conflicts {} in {:.1} s",
            load.as_secs_f64(),
            r.pushed,
            r.rejected,
            r.conflicts,
            t.as_secs_f64()
        );
        coords.push((login, l));
    }
    let rows: String = psql(
        db,
        "SELECT count(*) || ' rows, ' || count(DISTINCT case_id) || ' cases, '
           || pg_size_pretty(pg_database_size(current_database())) FROM shared_rows",
    );
    println!("server holds {}", rows.trim());
    figure(
        &format!(
            "a coordinator's first push of {} cases with history",
            a.cases
        ),
        &seed_push,
        f64::INFINITY,
    );

    // 1. A new member's first pull: a substitution begins, the new member's desk gets every row
    // of the absent colleague's cases.
    let today = lead.desk.today();
    let mut first_pull = Vec::new();
    let mut subs: Vec<Laptop> = Vec::new();
    for (r, (absent, _)) in coords.iter().enumerate().take(a.runs) {
        let login = format!("new{r}");
        let code = invite(&login)?;
        let mut l = Laptop::new(&dir, &login)?;
        l.desk
            .team_join(&l.keys, &base, &ca, &code, &format!("{login} laptop"))?;
        lead.desk.team_substitute(
            &lead.keys,
            absent,
            &login,
            today,
            today + chrono::Duration::days(30),
        )?;
        let (t, rep) = l.sync()?;
        let cases = l.count("SELECT count(*) FROM srt_case")?;
        let unapplied = l.count("SELECT count(*) FROM sync_unapplied")?;
        println!(
            "run {r}: {login} substitutes {absent}: first pull {} rows, {cases} cases, {unapplied} unapplied, in {:.2} s",
            rep.pulled,
            t.as_secs_f64()
        );
        first_pull.push(t);
        subs.push(l);
    }
    figure(
        &format!("a new member's first pull of {} cases", a.cases),
        &first_pull,
        60.0,
    );

    // 2. A day's work: the coordinator's changes pushed, the substitute pulls them.
    let (owner, sub) = (&mut coords[0], &mut subs[0]);
    let (mut day_push, mut day_pull, mut day_both) = (Vec::new(), Vec::new(), Vec::new());
    for r in 0..a.runs {
        owner.1.work(a.day, None, &format!("day{r}"))?;
        let (tp, rp) = owner.1.sync()?;
        let (tl, rl) = sub.sync()?;
        println!(
            "run {r}: day's work: pushed {} in {:.2} s, pulled {} in {:.2} s",
            rp.pushed,
            tp.as_secs_f64(),
            rl.pulled,
            tl.as_secs_f64()
        );
        day_push.push(tp);
        day_pull.push(tl);
        day_both.push(tp + tl);
    }
    figure(
        &format!("a day's work ({} changes) pushed", a.day),
        &day_push,
        2.0,
    );
    figure(
        &format!("a day's work ({} changes) pulled", a.day),
        &day_pull,
        2.0,
    );
    figure(
        &format!("a day's work ({} changes) pushed and pulled", a.day),
        &day_both,
        2.0,
    );

    // 3. A week offline: the substitute keeps working online on the same cases; the
    // coordinator's desk comes back with a week of changes and both merge.
    let mut week = Vec::new();
    for r in 0..a.runs {
        sub.work(a.week / 100, Some(&owner.0), &format!("sub{r}"))?;
        sub.sync()?;
        owner.1.work(a.week, None, &format!("week{r}"))?;
        let (tp, rp) = owner.1.sync()?;
        let (tl, rl) = sub.sync()?;
        println!(
            "run {r}: week offline: {} pushed and {} pulled in {:.2} s; the other desk pulled {} in {:.2} s; conflicts {}",
            rp.pushed,
            rp.pulled,
            tp.as_secs_f64(),
            rl.pulled,
            tl.as_secs_f64(),
            rp.conflicts
        );
        week.push(tp + tl);
    }
    figure(
        &format!("a week offline ({} changes) merged", a.week),
        &week,
        20.0,
    );
    drop(subs);
    drop(coords);

    // 4. srt-server's CPU while desks sync every minute, each with a change or two.
    if a.load_desks > 0 {
        let mut desks = Vec::new();
        for k in 0..a.load_desks {
            let login = format!("load{k:02}");
            let code = invite(&login)?;
            let mut l = Laptop::new(&dir, &login)?;
            l.desk.load_demo(a.load_cases, 5000 + k as u64)?;
            l.desk
                .team_join(&l.keys, &base, &ca, &code, &format!("{login} laptop"))?;
            l.sync()?;
            desks.push(l);
        }
        println!(
            "{} load desks joined ({} cases each); {} minutes of syncs every minute",
            a.load_desks, a.load_cases, a.load_minutes
        );
        // The window keeps its desk's event stream open (srt_core::sync::events::listen).
        let streaming = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let wakes = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut listeners = Vec::new();
        if a.load_events > 0 {
            for l in &desks {
                let pair = l.desk.team_events_client(&l.keys)?;
                let (go, woken) = (streaming.clone(), wakes.clone());
                listeners.push(std::thread::spawn(move || {
                    srt_core::sync::events::listen(
                        &mut || Some(pair.clone()),
                        &|| go.load(std::sync::atomic::Ordering::Relaxed),
                        &mut |_| {
                            woken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        },
                    )
                }));
            }
            std::thread::sleep(Duration::from_secs(2));
        }
        let cpu0 = server.cpu(ticks);
        let t0 = Instant::now();
        let period = Duration::from_secs(60);
        let mut syncs = Vec::new();
        for minute in 0..a.load_minutes {
            for (k, l) in desks.iter_mut().enumerate() {
                let at = period * minute as u32 + period * k as u32 / a.load_desks as u32;
                if let Some(wait) = at.checked_sub(t0.elapsed()) {
                    std::thread::sleep(wait);
                }
                // About one change a minute: a day's work spread over a working day.
                l.work(1 + (k + minute as usize) % 2, None, &format!("m{minute}"))?;
                syncs.push(l.sync()?.0);
            }
        }
        let end = period * a.load_minutes as u32;
        if let Some(wait) = end.checked_sub(t0.elapsed()) {
            std::thread::sleep(wait);
        }
        let wall = t0.elapsed();
        let cpu = server.cpu(ticks) - cpu0;
        streaming.store(false, std::sync::atomic::Ordering::Relaxed);
        println!(
            "{} event streams open during the measurement; {} wakes",
            listeners.len(),
            wakes.load(std::sync::atomic::Ordering::Relaxed)
        );
        let share = 100.0 * cpu.as_secs_f64() / wall.as_secs_f64();
        let (median, p95) = spread(&syncs);
        println!(
            "FIGURE srt-server CPU, {} desks syncing every minute: {share:.1} % of one core ({:.1} s CPU in {:.0} s; {} syncs, each median {median:.2} s, p95 {p95:.2} s) (target < 10 %: {})",
            a.load_desks,
            cpu.as_secs_f64(),
            wall.as_secs_f64(),
            syncs.len(),
            if share < 10.0 { "met" } else { "NOT met" }
        );
    }
    drop(server);
    if !a.keep {
        psql(
            "postgres",
            &format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"),
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}
