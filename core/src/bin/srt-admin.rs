//! srt-admin: the administrator's command line. It calls the same `Desk` as the app and reports
//! errors with the same codes and messages (Estonian, then English) on stderr.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use srt_core::{Desk, Error, KdfParams, KeySourceKind, KeyringStore, NewKey, Store};
use zeroize::Zeroizing;

#[derive(Parser, Debug)]
#[command(
    name = "srt-admin",
    version,
    about = "SRT Desk administration: create, fill, check databases"
)]
struct Cli {
    /// Database file (default: the app's own database in the platform's app-data folder).
    #[arg(long, env = "SRT_DESK_DB", global = true)]
    db: Option<PathBuf>,
    /// Where the key is kept when a database is created. Opening reads it from the key file.
    #[arg(long, value_enum, global = true)]
    key_source: Option<KeySource>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
enum KeySource {
    Keyring,
    Passphrase,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Create a new encrypted database (refuses an existing path).
    Init,
    /// Set the coordinator who signs letters, minutes and assessments, and how families reach
    /// them (kept beside the database, as Settings keeps it). The app refuses those documents
    /// until a name is set; phone and e-mail left out are the Board's from the decision settings.
    Profile {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        phone: String,
        #[arg(long, default_value = "")]
        email: String,
    },
    /// Add deterministic synthetic demo cases to a new, empty database, which becomes a demo desk
    /// ("NÄIDISANDMED" on every screen and PDF); refused on a desk that holds real work.
    Demo {
        #[arg(long, default_value_t = 50)]
        cases: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// integrity_check, cipher_integrity_check, schema version and audit chain; exit 0 only if all pass.
    Check,
    /// Rewrite the database file compactly (VACUUM, still encrypted): each table's pages together,
    /// fewer pages to decrypt. Needs free space for a second copy while it runs.
    Compact,
    /// Change the passphrase of a passphrase database (re-wraps the key; data is not re-encrypted).
    Passphrase,
    /// Measure the passphrase key derivation with the default parameters.
    BenchKdf,
    /// Time what the coordinator waits for, encrypted and on a plain copy (use a release build).
    Bench {
        #[arg(long, default_value_t = 30)]
        runs: usize,
        /// Each figure compared with the plain copy runs at least this long on each side, with
        /// more runs than --runs when it is fast (at most 5 000): fast figures over few runs are
        /// mostly noise. 0: exactly --runs.
        #[arg(long, default_value_t = 300)]
        min_time_ms: u64,
        /// Only the figures whose name contains this text (e.g. "statistics", "dashboard"), or any
        /// of several separated by commas ("case view,statistics").
        #[arg(long)]
        only: Option<String>,
    },
    /// Write an encrypted backup (backup passphrase from SRT_DESK_BACKUP_PASSPHRASE, else asked).
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup as the database at --db; an existing database there is moved aside.
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    /// Open with the recovery code shown at setup (SRT_DESK_RECOVERY_CODE, else asked): puts a lost
    /// key back into the credential store, or sets a new passphrase (SRT_DESK_NEW_PASSPHRASE,
    /// else asked) when the old one is forgotten.
    Recover,
    /// Time the decision PDF (two sample letters, no database); --out also writes them there.
    BenchPdf {
        #[arg(long, default_value_t = 30)]
        runs: usize,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Numbered decisions, one a line: number, case number, kind, status, date (tab-separated).
    Decisions {
        /// Only decisions with this status (approved, sent).
        #[arg(long)]
        status: Option<String>,
    },
    /// Work on one decision.
    Decision {
        #[command(subcommand)]
        action: DecisionAction,
    },
    /// Show the signing and delivery settings, or change the ones given.
    SigningSettings {
        /// The PKCS#11 module (OpenSC's opensc-pkcs11.so for the ID-card).
        #[arg(long)]
        pkcs11: Option<PathBuf>,
        /// The trusted CA certificates (PEM file; replaces the ones set).
        #[arg(long)]
        trust: Option<PathBuf>,
        /// A person allowed to sign besides the coordinator on the letter; repeat for several
        /// (replaces the ones set).
        #[arg(long)]
        allow: Vec<String>,
        /// The time-stamp service for the extension to LT.
        #[arg(long)]
        tsa_url: Option<String>,
        #[arg(long)]
        smtp_host: Option<String>,
        #[arg(long)]
        smtp_port: Option<i64>,
        /// starttls, tls or none.
        #[arg(long)]
        smtp_security: Option<String>,
        #[arg(long)]
        smtp_user: Option<String>,
        #[arg(long)]
        smtp_from: Option<String>,
        /// Send B-level containers without waiting for LT (Board policy).
        #[arg(long)]
        send_b_level: Option<bool>,
    },
    /// The team desk: join a team, record a substitution, conflicts.
    Team {
        #[command(subcommand)]
        action: TeamAction,
    },
    /// Push this desk's changes to the team server, then pull the team's; prints
    /// `pushed N, pulled M, conflicts K` and exits 0 when the exchange completed.
    Sync,
    /// The cases on this desk, one a line: case number, child's name, status, responsible
    /// coordinator's login (tab-separated).
    Cases,
    /// Change a case's status as the case page does (the same Desk method: checked, audited and,
    /// on a team desk, sent at the next sync); prints the case number and its new status.
    CaseStatus {
        #[arg(long)]
        case_no: String,
        /// received, incomplete, in_assessment, decided, provider_chosen, in_service, closed
        #[arg(long)]
        to: String,
        #[arg(long)]
        reason: String,
    },
    /// Check a signature container (.asice/.bdoc): prints the files, the signer, the level and
    /// every problem; exit 0 only when it is intact and its signer chains to a --trust anchor.
    VerifyContainer {
        file: PathBuf,
        /// A trusted CA certificate (PEM); repeat for several.
        #[arg(long)]
        trust: Vec<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum TeamAction {
    /// Join the team with a one-time join code; the device token goes into the OS credential
    /// store, the server's address and CA into the desk, and the desk's cases up at the next sync.
    Join {
        /// The team server, https://host:port
        #[arg(long)]
        server: String,
        #[arg(long)]
        code: String,
        /// The team's CA certificate (PEM) to pin; the server's certificate must chain to it.
        #[arg(long)]
        ca_cert: Option<PathBuf>,
        /// This device's name on the server (default: the computer's user).
        #[arg(long)]
        device_name: Option<String>,
    },
    /// Record a substitution (the team lead's desk): --by stands in for --absent from --from to
    /// --to (YYYY-MM-DD, whole days); takes effect at each desk's next sync.
    Substitute {
        #[arg(long)]
        absent: String,
        #[arg(long)]
        by: String,
        #[arg(long)]
        from: chrono::NaiveDate,
        #[arg(long)]
        to: chrono::NaiveDate,
    },
    /// Cancel a substitution (the team lead's desk; kept in the history): the substitute's desk
    /// lets the colleague's cases go at its next sync.
    CancelSubstitution {
        /// The id `team substitute` printed.
        #[arg(long)]
        id: i64,
    },
    /// Open a colleague's case for today (they asked for help): only with a stated reason,
    /// recorded in the server's and this desk's audit; the case arrives with the sync that follows.
    OpenCase {
        #[arg(long)]
        case_no: String,
        #[arg(long)]
        reason: String,
    },
    /// Who changes the team-wide data (providers, prices, templates…): `lead` (the default) or
    /// `all` members (the team lead's desk); each desk follows at its next sync.
    DataWriters {
        /// lead or all
        writers: String,
    },
    /// This desk's team state: server, member, role, changes waiting, last sync.
    Status,
    /// The open conflicts as of the last sync, one column a line: id, table, case number,
    /// column, base, server's value, pushed value (tab-separated).
    Conflicts,
    /// Resolve a conflict: keep the server's values or the pushed ones.
    Resolve {
        #[arg(long)]
        id: i64,
        /// server or mine
        #[arg(long)]
        choice: String,
    },
}

#[derive(Subcommand, Debug)]
enum DecisionAction {
    /// Sign the approved decision's PDF into an ASiC-E container with the token's signing key
    /// (PIN from SRT_DESK_PKCS11_PIN, else asked), verify it, file it on the case and write it
    /// to --out.
    Sign {
        #[arg(long)]
        number: String,
        /// The PKCS#11 module (OpenSC's opensc-pkcs11.so for the ID-card).
        #[arg(long)]
        pkcs11: PathBuf,
        /// The token's index among the slots with a token (0 = the first).
        #[arg(long)]
        slot: Option<usize>,
        #[arg(long)]
        out: PathBuf,
    },
}

fn pkcs11_pin() -> Result<Zeroizing<String>, Error> {
    if let Ok(p) = std::env::var("SRT_DESK_PKCS11_PIN") {
        return Ok(Zeroizing::new(p));
    }
    rpassword::prompt_password("PIN2 (allkirjastamise PIN / signing PIN): ")
        .map(Zeroizing::new)
        .map_err(Error::Io)
}

fn print_report(report: &srt_core::signing::Report) {
    for f in &report.files {
        println!("file\t{}\t{}\t{}", f.name, f.mime_type, f.size);
    }
    println!("signer\t{}", report.signer.as_deref().unwrap_or("-"));
    println!("level\t{}", report.level.map(|l| l.as_str()).unwrap_or("-"));
    for p in &report.problems {
        println!("problem\t{}\t{} / {}", p.code, p.message.et, p.message.en);
    }
    if report.is_ok() {
        println!("ok\tkonteiner on terve ja allkirjastaja usaldatud / the container is intact and its signer trusted");
    }
}

/// Write a new file; an existing one is never overwritten.
fn write_new(path: &std::path::Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::FileExists(path.to_path_buf()),
            _ => Error::Io(e),
        })?;
    f.write_all(bytes)?;
    Ok(())
}

fn print_recovery_code(code: &str) {
    println!();
    println!("TAASTEKOOD / RECOVERY CODE:  {code}");
    println!(
        "Kirjuta see üles ja hoia turvalises kohas: sellega saab andmebaasi avada, kui parool"
    );
    println!("ununeb või arvuti võtmehoidla kaotab võtme. Seda ei näidata enam.");
    println!(
        "Write it down and keep it safe: it opens the database when the passphrase is forgotten"
    );
    println!("or the credential store loses the key. It is not shown again.");
}

fn actor() -> String {
    let user = srt_core::launch::os_user_name();
    format!("srt-admin:{user}")
}

fn passphrase(prompt: &str) -> Result<Zeroizing<String>, Error> {
    if let Ok(p) = std::env::var("SRT_DESK_PASSPHRASE") {
        return Ok(Zeroizing::new(p));
    }
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(Error::Io)
}

fn backup_passphrase(confirm: bool) -> Result<Zeroizing<String>, Error> {
    if let Ok(p) = std::env::var("SRT_DESK_BACKUP_PASSPHRASE") {
        return Ok(Zeroizing::new(p));
    }
    let p = Zeroizing::new(
        rpassword::prompt_password("Varukoopia parool / backup passphrase: ").map_err(Error::Io)?,
    );
    if confirm {
        let again =
            Zeroizing::new(rpassword::prompt_password("Korda / repeat: ").map_err(Error::Io)?);
        srt_core::store::key::validate_new_passphrase(&p, Some(&again))?;
    }
    Ok(p)
}

fn new_key_source(cli_choice: Option<KeySource>) -> Result<NewKey, Error> {
    let from_env = std::env::var_os("SRT_DESK_PASSPHRASE").is_some();
    let source = cli_choice.unwrap_or(if from_env {
        KeySource::Passphrase
    } else {
        KeySource::Keyring
    });
    Ok(match source {
        KeySource::Keyring => NewKey::Keyring {
            recovery_params: KdfParams::default(),
        },
        KeySource::Passphrase => {
            let p = passphrase("Uus parool / new passphrase: ")?;
            if !from_env {
                let again = passphrase("Korda parooli / repeat passphrase: ")?;
                srt_core::store::key::validate_new_passphrase(&p, Some(&again))?;
            }
            NewKey::Passphrase {
                passphrase: p.to_string(),
                params: KdfParams::default(),
            }
        }
    })
}

fn default_db() -> PathBuf {
    srt_core::launch::default_db_path()
}

fn open(db: &std::path::Path) -> Result<Desk, Error> {
    let pw = match Store::key_source(db)? {
        KeySourceKind::Passphrase => Some(passphrase("Parool / passphrase: ")?),
        KeySourceKind::Keyring => None,
    };
    Desk::open(
        db,
        &KeyringStore::default(),
        pw.as_ref().map(|p| p.as_str()),
        &actor(),
    )
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    let db = cli.db.clone().unwrap_or_else(default_db);
    match cli.command {
        Command::Init => {
            let new_key = new_key_source(cli.key_source)?;
            let mut desk = Desk::create(&db, new_key, &KeyringStore::default(), &actor())?;
            println!(
                "Loodud / created: {} (key: {})",
                db.display(),
                desk.store().key_info().key_source.as_str()
            );
            if let Some(code) = desk.take_recovery_code() {
                print_recovery_code(&code);
                desk.record("desk.recovery_code_shown", "desk", "", "srt-admin")?;
            }
            println!(
                "Koordinaatori nimi / the coordinator's name: srt-admin --db {} profile --name \"…\" --phone \"…\" --email \"…\"",
                db.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Profile { name, phone, email } => {
            // Opening proves the right to change this desk, and the change is in its audit log.
            let desk = open(&db)?;
            let path = srt_core::launch::prefs_path_for(&db);
            let mut prefs = srt_core::store::prefs::Prefs::load(&path);
            prefs.set_coordinator(&name, &phone, &email)?;
            prefs.save(&path)?;
            desk.record("coordinator.profile", "desk", "", "srt-admin")?;
            println!(
                "Koordinaator / coordinator: {} ({})",
                prefs.coordinator_name,
                path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { cases, seed } => {
            let mut desk = open(&db)?;
            let started = std::time::Instant::now();
            // Where the load is, on standard error: a decade of cases takes most of a minute.
            // Ctrl+C stops it; the load is one transaction, so nothing of it stays.
            let (n, h) = desk.load_demo_reporting(cases, seed, &mut |step| {
                let at = format!(
                    "{}/{} {}",
                    step.number(),
                    srt_core::demo::DemoStep::STEPS,
                    step.label()
                );
                match step {
                    srt_core::demo::DemoStep::Cases { done, total } => {
                        eprintln!(
                            "  {at}: {done} / {total}  ({:.1} s)",
                            started.elapsed().as_secs_f64()
                        )
                    }
                    _ => eprintln!("  {at}  ({:.1} s)", started.elapsed().as_secs_f64()),
                }
            })?;
            println!("Näidisjuhtumeid lisatud / demo cases added: {n}");
            println!("  See on nüüd näidistöölaud (NÄIDISANDMED) / this is now a demo desk");
            println!(
                "  teenuseosutajaid / providers {}, hindamisi / assessments {}, dokumente / documents {}, \
                 otsuseid / decisions {}, kohtumisi / meetings {}, arveid / invoices {}, \
                 arveridu / invoice lines {}, tagasisidet / feedback {}",
                h.providers, h.assessments, h.documents, h.decisions, h.meetings, h.invoices,
                h.invoice_lines, h.feedback
            );
            println!(
                "  partnereid / partners {}, suhtlusi / contacts {}, ülesandeid / tasks {}, \
                 ettepanekuid / proposals {}",
                h.partners, h.contacts, h.tasks, h.proposals
            );
            println!("  {:.1} s", started.elapsed().as_secs_f64());
            Ok(ExitCode::SUCCESS)
        }
        Command::Compact => {
            let mut desk = open(&db)?;
            let start = std::time::Instant::now();
            let (before, after) = desk.compact()?;
            let mb = |b: u64| b as f64 / 1_048_576.0;
            println!(
                "Tihendatud / compacted: {:.0} MB -> {:.0} MB in {:.1} s",
                mb(before),
                mb(after),
                start.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            let desk = open(&db)?;
            let r = desk.check()?;
            let mark = |ok: bool| if ok { "ok" } else { "FAIL" };
            println!("integrity_check:        {}", mark(r.integrity.sqlite_ok));
            for m in r.integrity.sqlite_messages.iter().filter(|m| *m != "ok") {
                println!("  {m}");
            }
            println!("cipher_integrity_check: {}", mark(r.integrity.cipher_ok));
            for m in &r.integrity.cipher_messages {
                println!("  {m}");
            }
            println!(
                "schema version:         {} (latest {}) {}",
                r.integrity.schema_version,
                r.integrity.latest_version,
                mark(r.integrity.schema_version == r.integrity.latest_version)
            );
            match r.audit.first_broken_id {
                None => println!("audit chain:            ok ({} rows)", r.audit.rows),
                Some(id) => println!("audit chain:            FAIL (broken at row {id})"),
            }
            Ok(if r.all_ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Passphrase => {
            let old = Zeroizing::new(
                rpassword::prompt_password("Praegune parool / current passphrase: ")
                    .map_err(Error::Io)?,
            );
            let new = Zeroizing::new(
                rpassword::prompt_password("Uus parool / new passphrase: ").map_err(Error::Io)?,
            );
            let again =
                Zeroizing::new(rpassword::prompt_password("Korda / repeat: ").map_err(Error::Io)?);
            srt_core::store::key::validate_new_passphrase(&new, Some(&again))?;
            Store::change_passphrase(&db, &old, &new, KdfParams::default())?;
            println!("Parool muudetud / passphrase changed");
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { out } => {
            let desk = open(&db)?;
            let pw = backup_passphrase(true)?;
            let info = desk.backup(&out, &pw, KdfParams::default())?;
            println!(
                "Varukoopia / backup: {} ({} bytes, schema {})",
                info.path.display(),
                info.bytes,
                info.schema_version
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { from } => {
            let pw = backup_passphrase(false)?;
            let new_key = new_key_source(cli.key_source)?;
            let stamp = chrono::Utc::now().format("%Y%m%d%H%M%S").to_string();
            let restored = srt_core::store::backup::restore(
                &from,
                &db,
                &pw,
                &new_key,
                &KeyringStore::default(),
                &stamp,
            )?;
            if let Some(old) = &restored.aside {
                println!(
                    "Endine andmebaas tõsteti kõrvale / previous database kept as: {}",
                    old.display()
                );
            }
            let desk = open(&db)?;
            desk.record("restore", "desk", "", &from.display().to_string())?;
            println!("Taastatud / restored: {}", db.display());
            print_recovery_code(&restored.recovery_code);
            desk.record("desk.recovery_code_shown", "desk", "", "srt-admin")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Recover => {
            let code = match std::env::var("SRT_DESK_RECOVERY_CODE") {
                Ok(c) => Zeroizing::new(c),
                Err(_) => rpassword::prompt_password("Taastekood / recovery code: ")
                    .map(Zeroizing::new)
                    .map_err(Error::Io)?,
            };
            let new_pw = match Store::key_source(&db)? {
                KeySourceKind::Passphrase => Some(match std::env::var("SRT_DESK_NEW_PASSPHRASE") {
                    Ok(p) => Zeroizing::new(p),
                    Err(_) => {
                        let p = rpassword::prompt_password("Uus parool / new passphrase: ")
                            .map(Zeroizing::new)
                            .map_err(Error::Io)?;
                        let again =
                            rpassword::prompt_password("Korda parooli / repeat passphrase: ")
                                .map_err(Error::Io)?;
                        srt_core::store::key::validate_new_passphrase(&p, Some(&again))?;
                        p
                    }
                }),
                KeySourceKind::Keyring => None,
            };
            let (_desk, keyring_restored) = Desk::open_with_recovery(
                &db,
                &KeyringStore::default(),
                &code,
                new_pw.as_ref().map(|p| p.as_str()),
                &actor(),
            )?;
            match (new_pw.is_some(), keyring_restored) {
                (true, _) => println!("Uus parool on seatud / the new passphrase is set."),
                (false, true) => println!(
                    "Võti on taas arvuti võtmehoidlas / the key is back in the credential store."
                ),
                (false, false) => {
                    println!("Andmebaas avanes, kuid võtit ei saanud võtmehoidlasse panna / the database opened, but the key could not be put back into the credential store.");
                    return Ok(ExitCode::FAILURE);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            runs,
            min_time_ms,
            only,
        } => {
            let pw = match Store::key_source(&db)? {
                KeySourceKind::Passphrase => Some(passphrase("Parool / passphrase: ")?),
                KeySourceKind::Keyring => None,
            };
            let today = chrono::Local::now().date_naive();
            println!(
                "srt-admin bench: {} (at least {} runs each; figures compared with the plain copy run for at least {} ms a side)",
                db.display(),
                runs,
                min_time_ms
            );
            srt_core::bench::run(
                &db,
                &KeyringStore::default(),
                pw.as_ref().map(|p| p.as_str()),
                srt_core::bench::Repeat {
                    runs: runs.max(1),
                    min_time: std::time::Duration::from_millis(min_time_ms),
                },
                today,
                only.as_deref(),
                &mut |f| println!("{}", f.line()),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::BenchKdf => {
            let p = KdfParams::default();
            let key = srt_core::store::key::DbKey::random()?;
            let start = Instant::now();
            let w = srt_core::store::key::WrappedKey::wrap(&key, "benchmark passphrase", p)?;
            let wrap = start.elapsed();
            let start = Instant::now();
            w.unwrap_key("benchmark passphrase", std::path::Path::new("bench"))?;
            let unwrap = start.elapsed();
            println!(
                "argon2id m={} KiB t={} p={}: wrap {:.3} s, unlock {:.3} s",
                p.memory_kib,
                p.iterations,
                p.parallelism,
                wrap.as_secs_f64(),
                unwrap.as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::BenchPdf { runs, out } => {
            println!(
                "srt-admin bench-pdf: decision letters ({} runs each)",
                runs.max(1)
            );
            for f in srt_core::bench::pdf_figures(runs.max(1))? {
                let pages = String::from_utf8_lossy(&f.pdf)
                    .matches("/Type/Page/")
                    .count()
                    + String::from_utf8_lossy(&f.pdf)
                        .matches("/Type /Page\n")
                        .count();
                println!(
                    "decision {:<12} median {:>8.3} ms  p95 {:>8.3} ms   size {:>7} bytes ({:.1} KB), {} pages",
                    f.name,
                    f.stats.median_ms,
                    f.stats.p95_ms,
                    f.bytes,
                    f.bytes as f64 / 1024.0,
                    pages
                );
                if let Some(dir) = &out {
                    std::fs::create_dir_all(dir)?;
                    let path = dir.join(format!("{}.pdf", f.name));
                    std::fs::write(&path, &f.pdf)?;
                    println!("  → {}", path.display());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Decisions { status } => {
            let desk = open(&db)?;
            for l in desk.decision_lines(status.as_deref())? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    l.number, l.case_no, l.kind, l.status, l.date
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Decision {
            action:
                DecisionAction::Sign {
                    number,
                    pkcs11,
                    slot,
                    out,
                },
        } => {
            if out.exists() {
                return Err(Error::FileExists(out));
            }
            let mut desk = open(&db)?;
            let id = desk.decision_id_by_number(&number)?;
            let pin = pkcs11_pin()?;
            let signed = desk.sign_decision(id, Some(&pkcs11), slot, &pin)?;
            write_new(&out, &signed.container)?;
            print_report(&signed.report);
            println!("filed\t{}\t{}", signed.file_name, signed.state.state);
            Ok(ExitCode::SUCCESS)
        }
        Command::VerifyContainer { file, trust } => verify_container(&file, &trust),
        Command::Team { action } => team(&db, action),
        Command::Sync => {
            let mut desk = open(&db)?;
            let r = desk.team_sync(&KeyringStore::default())?;
            println!(
                "pushed {}, pulled {}, conflicts {}",
                r.pushed, r.pulled, r.conflicts
            );
            if r.rejected > 0 || r.unapplied > 0 {
                eprintln!(
                    "tagasi lükatud / refused by the server: {}, rakendamata / not applied here: {}",
                    r.rejected, r.unapplied
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Cases => {
            let desk = open(&db)?;
            for c in desk.team_cases()? {
                let who = if c.coordinator.is_empty() {
                    "-"
                } else {
                    c.coordinator.as_str()
                };
                println!("{}\t{}\t{}\t{}", c.case_no, c.child_name, c.status, who);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::CaseStatus {
            case_no,
            to,
            reason,
        } => {
            let mut desk = open(&db)?;
            let id = desk.case_id_by_no(&case_no)?;
            let case = desk.change_status(id, &to, &reason)?;
            println!("{}\t{}", case.case_no, case.status);
            Ok(ExitCode::SUCCESS)
        }
        Command::SigningSettings {
            pkcs11,
            trust,
            allow,
            tsa_url,
            smtp_host,
            smtp_port,
            smtp_security,
            smtp_user,
            smtp_from,
            send_b_level,
        } => {
            let mut desk = open(&db)?;
            let mut s = desk.signing_settings()?;
            let before = s.clone();
            if let Some(m) = pkcs11 {
                s.pkcs11_module = m.display().to_string();
            }
            if let Some(t) = trust {
                s.trust_anchors = std::fs::read_to_string(t)?;
            }
            if !allow.is_empty() {
                s.allowed_signers = allow.join("\n");
            }
            s.tsa_url = tsa_url.unwrap_or(s.tsa_url);
            s.smtp_host = smtp_host.unwrap_or(s.smtp_host);
            s.smtp_port = smtp_port.unwrap_or(s.smtp_port);
            s.smtp_security = smtp_security.unwrap_or(s.smtp_security);
            s.smtp_user = smtp_user.unwrap_or(s.smtp_user);
            s.smtp_from = smtp_from.unwrap_or(s.smtp_from);
            s.send_b_level = send_b_level.unwrap_or(s.send_b_level);
            if s != before {
                s = desk.save_signing_settings(&s)?;
            }
            let anchors = srt_core::signing::record::pem_certificates(&s.trust_anchors).len();
            println!("pkcs11\t{}", s.pkcs11_module);
            println!("trust\t{anchors} certificate(s)");
            println!("allowed\t{}", s.allowed_signers.replace('\n', "; "));
            println!("tsa\t{}", s.tsa_url);
            println!(
                "smtp\t{}:{} {} user={} from={}",
                s.smtp_host, s.smtp_port, s.smtp_security, s.smtp_user, s.smtp_from
            );
            println!("send_b_level\t{}", s.send_b_level);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn team(db: &std::path::Path, action: TeamAction) -> Result<ExitCode, Error> {
    let keys = KeyringStore::default();
    match action {
        TeamAction::Join {
            server,
            code,
            ca_cert,
            device_name,
        } => {
            let Some(ca_cert) = ca_cert else {
                return Err(Error::field(
                    "ca-cert",
                    "sync.ca_required",
                    "Anna meeskonna CA sertifikaat (--ca-cert FAIL): töölaud usaldab ainult seda.",
                    "Give the team's CA certificate (--ca-cert FILE): the desk trusts only that.",
                ));
            };
            let pem = std::fs::read(&ca_cert)?;
            let mut desk = open(db)?;
            let name = device_name.unwrap_or_else(srt_core::launch::os_user_name);
            let member = desk.team_join(&keys, &server, &pem, &code, &name)?;
            println!(
                "Liitutud / joined: {} ({}, {})",
                member.login, member.name, member.role
            );
            Ok(ExitCode::SUCCESS)
        }
        TeamAction::Substitute {
            absent,
            by,
            from,
            to,
        } => {
            let mut desk = open(db)?;
            let id = desk.team_substitute(&keys, &absent, &by, from, to)?;
            println!("Asendamine / substitution {id}: {by} -> {absent} {from}..{to}");
            Ok(ExitCode::SUCCESS)
        }
        TeamAction::CancelSubstitution { id } => {
            let mut desk = open(db)?;
            desk.team_cancel_substitution(&keys, id)?;
            println!("Asendamine tühistatud / substitution cancelled: {id}");
            Ok(ExitCode::SUCCESS)
        }
        TeamAction::OpenCase { case_no, reason } => {
            let mut desk = open(db)?;
            let r = desk.team_open_case(&keys, &case_no, &reason)?.report;
            println!(
                "pushed {}, pulled {}, conflicts {}",
                r.pushed, r.pulled, r.conflicts
            );
            Ok(ExitCode::SUCCESS)
        }
        TeamAction::DataWriters { writers } => {
            let mut desk = open(db)?;
            desk.team_set_data_writers(&keys, &writers)?;
            println!("meeskonna ühisandmeid muudab / team-wide data changed by: {writers}");
            Ok(ExitCode::SUCCESS)
        }
        TeamAction::Status => {
            let desk = open(db)?;
            let s = desk.team_state()?;
            if !s.joined {
                println!("meeskonnaga liitumata / not in a team");
                return Ok(ExitCode::SUCCESS);
            }
            println!("server\t{}", s.server);
            println!("member\t{}\t{}", s.login, s.role);
            println!("waiting\t{}", s.waiting);
            println!("synced\t{}", s.synced_at.as_deref().unwrap_or("-"));
            println!("team data\t{}", s.team_data_writers);
            Ok(ExitCode::SUCCESS)
        }
        TeamAction::Conflicts => {
            let desk = open(db)?;
            for c in desk.team_conflicts()? {
                for (col, v) in &c.columns {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        c.id,
                        c.table,
                        c.case_no.as_deref().unwrap_or("-"),
                        col,
                        v.base,
                        v.server,
                        v.mine
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        TeamAction::Resolve { id, choice } => {
            let choice =
                match choice.as_str() {
                    "server" => srt_core::sync::Resolution::Server,
                    "mine" => srt_core::sync::Resolution::Mine,
                    _ => return Err(Error::field(
                        "choice",
                        "sync.choice",
                        "Vali --choice server (serveri väärtus) või mine (saadetud väärtus).",
                        "Choose --choice server (the server's value) or mine (the pushed value).",
                    )),
                };
            let mut desk = open(db)?;
            desk.team_resolve(&keys, id, choice)?;
            println!("Lahendatud / resolved: {id}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn verify_container(file: &std::path::Path, trust: &[PathBuf]) -> Result<ExitCode, Error> {
    let bytes = std::fs::read(file)?;
    let mut anchors = Vec::new();
    for t in trust {
        let pem = std::fs::read_to_string(t)?;
        let found = srt_core::signing::record::pem_certificates(&pem);
        if found.is_empty() {
            return Err(Error::field(
                "trust",
                "signing.trust_pem",
                &format!("{} ei sisalda PEM-sertifikaati.", t.display()),
                &format!("{} holds no PEM certificate.", t.display()),
            ));
        }
        anchors.extend(found);
    }
    let report = srt_core::signing::verify(
        &bytes,
        &srt_core::signing::VerifyOptions {
            trust_anchors_der: anchors,
            ..Default::default()
        },
    );
    print_report(&report);
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The desk's log (ids, counts, durations, error codes): a folder that cannot be written
    // leaves the command working without it.
    let db = cli.db.clone().unwrap_or_else(default_db);
    let _ = srt_core::logging::init(&srt_core::logging::log_dir_for(&db));
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            let p = e.payload();
            eprintln!("error[{}]: {}", p.code, p.message.et);
            eprintln!("error[{}]: {}", p.code, p.message.en);
            for f in &p.fields {
                eprintln!("  {}: {} / {}", f.field, f.message.et, f.message.en);
            }
            ExitCode::from(2)
        }
    }
}
