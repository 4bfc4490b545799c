//! The team desk with real parts: real SQLCipher desks on disk, a real `srt-server` process (built
//! from this workspace) on 127.0.0.1 with a certificate made by openssl for the test, and a real
//! PostgreSQL (run inside `pg_virtualenv`, which exports PGHOST/PGPORT/PGUSER/PGPASSWORD; see
//! scripts/test). Ignored by a plain `cargo test`; scripts/test runs them with --ignored.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;
use srt_core::cases::CaseFilter;
use srt_core::sync::Resolution;
use srt_core::{Desk, KeyStore, MemoryKeyStore};
use srt_teamkit::{free_port, psql, Certs, Server};

const OTHER_CHILD: &str = "50801010008";
const THIRD_CHILD: &str = "50001010006";

fn server_bin() -> PathBuf {
    srt_teamkit::server_bin()
}

fn invite(url: &str, login: &str, name: &str) -> String {
    invite_as(url, login, name, "coordinator")
}

fn invite_as(url: &str, login: &str, name: &str, role: &str) -> String {
    srt_teamkit::invite(&server_bin(), url, login, name, role)
}

/// One coordinator's laptop: an encrypted desk file of its own and its credential store.
struct Laptop {
    desk: Desk,
    keys: MemoryKeyStore,
    path: PathBuf,
}

impl Laptop {
    /// The device token this desk keeps in its credential store (a test speaking to the server
    /// as the desk does).
    fn device_token(&self) -> String {
        let desk_id: String = self
            .desk
            .store()
            .connection()
            .query_row("SELECT value FROM meta WHERE key = 'desk_id'", [], |r| {
                r.get(0)
            })
            .expect("desk id");
        self.keys
            .get_password(&format!("team-device-token:{desk_id}"))
            .expect("keys")
            .expect("the device token")
            .as_str()
            .to_owned()
    }

    /// The desk of `backup` (made with the tests' backup passphrase) restored to `target` on a
    /// laptop with the same credential store, opened.
    fn restored(backup: &Path, target: PathBuf, keys: MemoryKeyStore) -> Laptop {
        srt_core::store::backup::restore(
            backup,
            &target,
            "synthetic backup pass",
            &passphrase_key(),
            &keys,
            "t",
        )
        .expect("restore");
        let desk = Desk::open(&target, &keys, Some(PASS), "test")
            .expect("open the restored desk")
            .with_clock(clock());
        Laptop {
            desk,
            keys,
            path: target,
        }
    }

    fn new(dir: &Path, name: &str) -> Laptop {
        let path = dir.join(format!("{name}.db"));
        let keys = MemoryKeyStore::default();
        let mut desk = Desk::create(&path, passphrase_key(), &keys, "test")
            .expect("create desk")
            .with_clock(clock());
        desk.set_coordinator(&coordinator_named(name));
        Laptop { desk, keys, path }
    }

    fn join(&mut self, base: &str, ca: &[u8], code: &str) -> srt_core::sync::Member {
        self.desk
            .team_join(&self.keys, base, ca, code, "test laptop")
            .expect("join")
    }

    fn sync(&mut self) -> srt_core::sync::SyncReport {
        self.desk.team_sync(&self.keys).expect("sync")
    }

    /// (case number, child, status, coordinator) of each case on the desk.
    fn cases(&self) -> Vec<(String, String, String, String)> {
        self.desk
            .team_cases()
            .expect("cases")
            .into_iter()
            .map(|c| (c.case_no, c.child_name, c.status, c.coordinator))
            .collect()
    }

    /// On the lead's laptop: `by` stands in for `absent` from yesterday to tomorrow (the server's
    /// days); the substitution's id.
    fn substitute_today(&mut self, absent: &str, by: &str) -> i64 {
        self.desk
            .team_substitute(
                &self.keys,
                absent,
                by,
                today() - chrono::Days::new(1),
                today() + chrono::Days::new(1),
            )
            .expect("substitute")
    }

    /// The same laptop with its clock set to `clock` (a clock that is wrong, or years later).
    fn reclock(self, clock: std::sync::Arc<srt_core::clock::FixedClock>) -> Laptop {
        let Laptop { desk, keys, path } = self;
        Laptop {
            desk: desk.with_clock(clock),
            keys,
            path,
        }
    }

    fn count(&self, sql: &str) -> i64 {
        self.desk
            .store()
            .connection()
            .query_row(sql, [], |r| r.get(0))
            .expect("count")
    }
}

struct Team {
    _dir: tempfile::TempDir,
    certs: Certs,
    ca: Vec<u8>,
    db: String,
    url: String,
    lead_code: String,
    port: u16,
    base: String,
}

impl Team {
    /// `srt-server serve` for this team on its port (a restart keeps the address the desks
    /// stored at join), with the extra environment `envs`.
    fn serve(&self, envs: &[(&str, &str)]) -> Server {
        Server::start(&server_bin(), &self.url, &self.certs, self.port, envs)
    }

    /// A new desk for `name` in `dir`, joined to this team with `code`.
    fn joined_laptop(&self, dir: &Path, name: &str, code: &str) -> Laptop {
        let mut laptop = Laptop::new(dir, name);
        laptop.join(&self.base, &self.ca, code);
        laptop
    }

    /// Coordinator Kati invited and joined, with one case registered and synced.
    fn kati_with_a_case(&self, dir: &Path) -> (Laptop, srt_core::cases::CaseDetail) {
        let code = invite(&self.url, "kati", "Kati Näidis");
        let mut kati = self.joined_laptop(dir, "kati", &code);
        let case = kati
            .desk
            .register_application(&application(CHILD_CODE))
            .expect("register");
        kati.sync();
        (kati, case)
    }
}

fn team(tag: &str) -> Team {
    let dir = tempfile::tempdir().expect("tmp");
    let certs_dir = dir.path().join("certs");
    std::fs::create_dir_all(&certs_dir).expect("certs dir");
    let certs = Certs::make(&certs_dir);
    let ca = std::fs::read(&certs.ca).expect("ca");
    let db = srt_teamkit::fresh_team(&server_bin(), &format!("srt_desk_test_{tag}"));
    let port = free_port();
    Team {
        _dir: dir,
        certs,
        ca,
        db: db.name,
        url: db.url,
        lead_code: db.lead_code,
        port,
        base: format!("https://127.0.0.1:{port}"),
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_case_reaches_the_lead_and_the_substitute_only_while_the_substitution_lasts() {
    let t = team("scope");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let dir = tempfile::tempdir().expect("tmp");

    // Kati's desk held a case before the team existed: it goes up with the first push.
    let mut kati = Laptop::new(dir.path(), "kati");
    kati.desk
        .register_application(&application(CHILD_CODE))
        .expect("register before joining");
    let member = kati.join(&t.base, &t.ca, &kati_code);
    assert_eq!(member.login, "kati");
    let first = kati.sync();
    assert!(
        first.pushed >= 3,
        "child, case, guardian, status: {first:?}"
    );
    assert_eq!((first.conflicts, first.rejected), (0, 0), "{first:?}");
    // A case registered after joining is captured in the same transaction and goes up too.
    kati.desk
        .register_application(&application(OTHER_CHILD))
        .expect("register after joining");
    assert!(kati.count("SELECT count(*) FROM sync_outbox") >= 3);
    let second = kati.sync();
    assert!(second.pushed >= 3, "{second:?}");
    assert_eq!(kati.count("SELECT count(*) FROM sync_outbox"), 0);
    let on_kati = kati.cases();
    assert_eq!(on_kati.len(), 2);
    assert!(on_kati.iter().all(|c| c.3 == "kati"), "{on_kati:?}");

    // The lead sees the whole team.
    let mut lead = Laptop::new(dir.path(), "lead");
    assert_eq!(lead.join(&t.base, &t.ca, &t.lead_code).role, "lead");
    let pulled = lead.sync();
    assert!(pulled.pulled >= 6, "{pulled:?}");
    let on_lead = lead.cases();
    assert_eq!(on_lead.len(), 2, "{on_lead:?}");
    for (no, child, status, who) in &on_lead {
        assert!(on_kati.iter().any(|k| &k.0 == no && &k.1 == child), "{no}");
        assert_eq!((status.as_str(), who.as_str()), ("received", "kati"));
    }
    // Found by the search index, which the pull made from the synced rows.
    let found = lead
        .desk
        .list_cases(&CaseFilter {
            text: "Õunapuu".into(),
            ..Default::default()
        })
        .expect("search");
    assert_eq!(found.items.len(), 2);
    // The stored deadlines were brought up to date from the synced rows.
    assert!(lead.count("SELECT count(*) FROM case_deadline_dirty") == 0);

    // A colleague outside sees none.
    let mut mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    mari.sync();
    assert!(mari.cases().is_empty());
    assert_eq!(mari.count("SELECT count(*) FROM child"), 0);

    // The lead records a substitution: Mari stands in for Kati; at her next sync she has
    // Kati's cases.
    let sub = lead.substitute_today("kati", "mari");
    let during = mari.sync();
    assert!(during.pulled >= 6, "{during:?}");
    let on_mari = mari.cases();
    assert_eq!(on_mari.len(), 2, "{on_mari:?}");
    assert!(on_mari.iter().all(|c| c.3 == "kati"), "{on_mari:?}");

    // It ends: the cases leave Mari's file, their children, guardians and search rows too.
    lead.desk
        .team_cancel_substitution(&lead.keys, sub)
        .expect("cancel");
    let after = mari.sync();
    assert_eq!(after.pulled, 2, "two purges: {after:?}");
    assert!(mari.cases().is_empty());
    for table in [
        "srt_case",
        "child",
        "guardian",
        "case_status_change",
        "case_search",
        "global_search",
        "case_deadline",
    ] {
        assert_eq!(
            mari.count(&format!("SELECT count(*) FROM {table}")),
            0,
            "{table}"
        );
    }
    // Gone from the file itself: the desk opened again from disk holds none of it either.
    let reopened = Desk::open(&mari.path, &mari.keys, Some(PASS), "test").expect("reopen");
    let left: i64 = reopened
        .store()
        .connection()
        .query_row(
            "SELECT (SELECT count(*) FROM srt_case) + (SELECT count(*) FROM child)",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(left, 0);
    drop(reopened);
    // Kati's and the lead's desks still hold them. (Kati's first pull after the lead joined
    // brings the team's data the lead's desk sent up; then nothing is new.)
    kati.sync();
    assert_eq!(kati.sync().pulled, 0);
    assert_eq!(kati.cases().len(), 2);
    assert_eq!(lead.cases().len(), 2);

    // The audit chains went up and hold.
    let out = Command::new(server_bin())
        .args(["check", "--database-url", &t.url])
        .output()
        .expect("check");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let devices: i64 = psql(&t.db, "SELECT count(DISTINCT device_id) FROM team_audit")
        .parse()
        .expect("n");
    assert_eq!(devices, 3);
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn the_same_field_changed_on_two_desks_is_a_conflict_resolved_and_audited() {
    let t = team("conflict");
    let _server = t.serve(&[]);
    let dir = tempfile::tempdir().expect("tmp");
    let (mut kati, case) = t.kati_with_a_case(dir.path());
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    lead.sync();
    let lead_case = lead.count("SELECT id FROM srt_case");

    // Offline, both change the case's status from "received".
    kati.desk
        .change_status(case.id, "incomplete", "Puudub arstitõend")
        .expect("kati's change");
    lead.desk
        .change_status(lead_case, "in_assessment", "Dokumendid olemas")
        .expect("lead's change");
    let k = kati.sync();
    assert_eq!(k.conflicts, 0, "{k:?}");
    let l = lead.sync();
    assert_eq!(l.conflicts, 1, "{l:?}");

    let conflicts = lead.desk.team_conflicts().expect("conflicts");
    assert_eq!(
        lead.desk.team_conflict_count().expect("count"),
        conflicts.len(),
        "the sync line's count is the list's"
    );
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let c = &conflicts[0];
    assert_eq!(c.table, "cases");
    assert_eq!(c.case_no.as_deref(), Some(case.case_no.as_str()));
    let status = c.columns.get("status").expect("the status column");
    assert_eq!(status.base, Value::from("received"));
    assert_eq!(status.server, Value::from("incomplete"));
    assert_eq!(status.mine, Value::from("in_assessment"));
    assert_eq!(c.server_author.as_deref(), Some("kati"));
    assert_eq!(c.author, "lead");
    // Nothing was overwritten silently: each desk still holds its own value.
    assert_eq!(
        kati.count("SELECT count(*) FROM srt_case WHERE status = 'incomplete'"),
        1
    );

    // A merge must name exactly the conflict's columns.
    let bad = lead.desk.team_resolve(
        &lead.keys,
        c.id,
        Resolution::Merged([("notes".to_string(), Value::from("x"))].into()),
    );
    assert!(bad.is_err());

    // The lead keeps their own value; the choice is audited, and reaches Kati.
    lead.desk
        .team_resolve(&lead.keys, c.id, Resolution::Mine)
        .expect("resolve");
    assert!(lead.desk.team_conflicts().expect("conflicts").is_empty());
    let audited = lead.count(
        "SELECT count(*) FROM audit_log WHERE action = 'team.conflict.resolve'
         AND detail LIKE '%choice mine table cases%columns status%'",
    );
    assert_eq!(audited, 1);
    let again = lead
        .desk
        .team_resolve(&lead.keys, c.id, Resolution::Server)
        .expect_err("resolved before");
    assert_eq!(again.code(), "sync.conflict_unknown");
    kati.sync();
    assert_eq!(
        kati.count("SELECT count(*) FROM srt_case WHERE status = 'in_assessment'"),
        1
    );
    assert_eq!(lead.sync().open_conflicts, 0);

    // Again, and this time the lead keeps the server's value: their desk takes it at once.
    kati.desk
        .change_status(case.id, "incomplete", "Puudub arstitõend")
        .expect("kati's second change");
    lead.desk
        .change_status(lead_case, "closed", "Taotlus võeti tagasi")
        .expect("lead's second change");
    kati.sync();
    assert_eq!(lead.sync().conflicts, 1);
    let c = lead.desk.team_conflicts().expect("conflicts").remove(0);
    lead.desk
        .team_resolve(&lead.keys, c.id, Resolution::Server)
        .expect("resolve");
    assert_eq!(
        lead.count("SELECT count(*) FROM srt_case WHERE status = 'incomplete'"),
        1,
        "the lead's desk holds the kept value"
    );
    assert_eq!(
        lead.count(
            "SELECT count(*) FROM audit_log WHERE action = 'team.conflict.resolve'
             AND detail LIKE '%choice server%'"
        ),
        1
    );
    let server_resolved = psql(
        &t.db,
        "SELECT resolution FROM conflicts WHERE resolution IS NOT NULL ORDER BY id",
    );
    assert_eq!(server_resolved, "mine\nserver");
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_push_cut_off_and_sent_again_applies_each_change_once() {
    let t = team("cutoff");
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut kati = Laptop::new(dir.path(), "kati");
    {
        let _server = t.serve(&[]);
        kati.join(&t.base, &t.ca, &kati_code);
    }
    kati.desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    kati.desk
        .register_application(&application(OTHER_CHILD))
        .expect("register");
    let waiting = kati.count("SELECT count(*) FROM sync_outbox");
    assert!(waiting >= 6);

    // 1. The server dies inside the push's transaction (before its commit).
    let mut server = t.serve(&[("SRT_FAULT_PUSH_PAUSE_AT", "3")]);
    let worker = std::thread::spawn(move || {
        let r = kati.desk.team_sync(&kati.keys);
        (kati, r)
    });
    server.wait_for("fault injection: push paused");
    server.kill();
    let (mut kati, r) = worker.join().expect("worker");
    let e = r.expect_err("the push was cut off");
    assert!(e.code().starts_with("sync."), "{}", e.code());
    assert_eq!(kati.count("SELECT count(*) FROM sync_outbox"), waiting);
    assert_eq!(psql(&t.db, "SELECT count(*) FROM changes"), "0");

    // 2. The server commits and dies before answering.
    let mut server = t.serve(&[("SRT_FAULT_PUSH_HOLD_REPLY", "1")]);
    let worker = std::thread::spawn(move || {
        let r = kati.desk.team_sync(&kati.keys);
        (kati, r)
    });
    server.wait_for("push committed, reply held");
    server.kill();
    let (mut kati, r) = worker.join().expect("worker");
    assert!(r.is_err());
    assert_eq!(kati.count("SELECT count(*) FROM sync_outbox"), waiting);
    let applied: i64 = psql(&t.db, "SELECT count(*) FROM changes")
        .parse()
        .expect("n");
    assert_eq!(applied, waiting);

    // 3. Sent again to a healthy server: every change is answered, none applied twice.
    let _server = t.serve(&[]);
    let r = kati.sync();
    assert_eq!(r.pushed as i64, waiting, "{r:?}");
    assert_eq!(kati.count("SELECT count(*) FROM sync_outbox"), 0);
    assert_eq!(
        psql(&t.db, "SELECT count(*) FROM changes"),
        waiting.to_string()
    );
    assert_eq!(psql(&t.db, "SELECT count(*) FROM cases"), "2");
    // The cases' owner is known from the answers "seen before" too.
    assert_eq!(kati.count("SELECT count(*) FROM sync_case_owner"), 2);
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    lead.sync();
    assert_eq!(lead.cases().len(), 2);
    assert_eq!(lead.count("SELECT count(*) FROM guardian"), 2);
    assert_eq!(lead.count("SELECT count(*) FROM case_status_change"), 2);
    // A third child, registered on the lead's desk, makes three cases there.
    lead.desk
        .register_application(&application(THIRD_CHILD))
        .expect("register on the lead's desk");
    assert!(lead.sync().pushed >= 4);
    kati.sync();
    assert_eq!(kati.cases().len(), 2, "the lead's own case is not Kati's");
}

/// The srt-admin binary next to this test's.
fn admin_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test exe");
    exe.parent()
        .and_then(Path::parent)
        .expect("target dir")
        .join("srt-admin")
}

#[test]
#[ignore = "needs PostgreSQL and a Secret Service: run inside pg_virtualenv (scripts/test)"]
fn srt_admin_joins_syncs_lists_cases_and_records_a_substitution() {
    let t = team("admin");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    // One session bus and one keyring of its own for the whole script: the device tokens live in
    // the real OS credential store (gnome-keyring's Secret Service), as on a laptop.
    let script = format!(
        r#"set -eu
printf %s "srt-desk-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
A="{admin}"
export SRT_DESK_PASSPHRASE="synthetic team passphrase"
"$A" --db "{d}/lead.db" init >/dev/null
"$A" --db "{d}/lead.db" demo --cases 3 >/dev/null 2>&1
"$A" --db "{d}/lead.db" team join --server "{base}" --code "{lead}" --ca-cert "{ca}"
echo "lead sync: $("$A" --db "{d}/lead.db" sync 2>"{d}/lead.err")"
echo "lead again: $("$A" --db "{d}/lead.db" sync)"
"$A" --db "{d}/kati.db" init >/dev/null
"$A" --db "{d}/kati.db" team join --server "{base}" --code "{kati}" --ca-cert "{ca}"
echo "kati sync: $("$A" --db "{d}/kati.db" sync 2>"{d}/kati.err")"
echo "kati cases before: $("$A" --db "{d}/kati.db" cases | wc -l)"
"$A" --db "{d}/kati.db" team status | sed 's/^/kati status: /'
"$A" --db "{d}/lead.db" team substitute --absent lead --by kati --from {from} --to {to}
echo "kati sync 2: $("$A" --db "{d}/kati.db" sync 2>>"{d}/kati.err")"
"$A" --db "{d}/kati.db" cases | sed 's/^/kati case: /'
"$A" --db "{d}/lead.db" cases | sed 's/^/lead case: /'
# Mari's first sync after a substitution: the cases' rows and the team's data (the providers
# they chose) arrive in one pull.
"$A" --db "{d}/lead.db" team substitute --absent lead --by mari --from {from} --to {to} >/dev/null
"$A" --db "{d}/mari.db" init >/dev/null
"$A" --db "{d}/mari.db" team join --server "{base}" --code "{mari}" --ca-cert "{ca}" >/dev/null
echo "mari sync: $("$A" --db "{d}/mari.db" sync 2>"{d}/mari.err")"
"$A" --db "{d}/mari.db" cases | sed 's/^/mari case: /'
if "$A" --db "{d}/kati.db" team substitute --absent kati --by lead --from {from} --to {to} 2>"{d}/forbidden.err"; then
  echo "a coordinator recorded a substitution"; exit 1
fi
"$A" --db "{d}/kati.db" check >/dev/null
"#,
        admin = admin_bin().display(),
        d = d.display(),
        base = t.base,
        lead = t.lead_code,
        kati = kati_code,
        mari = mari_code,
        ca = t.certs.ca.display(),
        from = today() - chrono::Days::new(1),
        to = today() + chrono::Days::new(1),
    );
    let out = Command::new("dbus-run-session")
        .args(["--", "sh", "-c", &script])
        .env("XDG_DATA_HOME", d.join("xdg"))
        .env("HOME", d)
        .output()
        .expect("run dbus-run-session");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{stdout}\n{stderr}");
    println!("{stdout}");
    let line = |prefix: &str| -> String {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no {prefix:?} in {stdout}"))
            .to_string()
    };
    // "pushed N, pulled M, conflicts K", exactly.
    let shape = |s: &str| -> (u64, u64, u64) {
        let nums: Vec<u64> = s
            .strip_prefix("pushed ")
            .and_then(|s| {
                let (p, rest) = s.split_once(", pulled ")?;
                let (m, k) = rest.split_once(", conflicts ")?;
                Some(vec![p.parse().ok()?, m.parse().ok()?, k.parse().ok()?])
            })
            .unwrap_or_else(|| panic!("not the sync line's shape: {s:?}"));
        (nums[0], nums[1], nums[2])
    };
    let (pushed, _, conflicts) = shape(&line("lead sync: "));
    assert!(
        pushed > 100,
        "the demo's cases and the team's data: {pushed}"
    );
    assert_eq!(conflicts, 0);
    assert_eq!(shape(&line("lead again: ")), (0, 0, 0));
    let lead_err = std::fs::read_to_string(d.join("lead.err")).unwrap_or_default();
    assert!(lead_err.is_empty(), "the lead's first sync: {lead_err}");
    let (_, team_rows, _) = shape(&line("kati sync: "));
    assert!(team_rows > 0, "the team's data reaches a new member");
    assert_eq!(line("kati cases before: ").trim(), "0");
    let (_, during, _) = shape(&line("kati sync 2: "));
    assert!(during > 3, "{during}");
    let kati_err = std::fs::read_to_string(d.join("kati.err")).unwrap_or_default();
    assert!(kati_err.is_empty(), "Kati's syncs: {kati_err}");
    let kati_cases: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("kati case: "))
        .collect();
    let lead_cases: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("lead case: "))
        .collect();
    assert_eq!(lead_cases.len(), 3, "{stdout}");
    assert_eq!(kati_cases, lead_cases, "the same cases, the same fields");
    for l in &kati_cases {
        let cols: Vec<&str> = l.split('\t').collect();
        assert_eq!(cols.len(), 4, "{l}");
        assert!(cols[0].starts_with("SRT-"), "{l}");
        assert_eq!(cols[3], "lead", "{l}");
    }
    assert_eq!(line("kati status: member\t"), "kati\tcoordinator");
    assert_eq!(line("kati status: waiting\t"), "0");
    assert!(line("kati status: synced\t").starts_with("20"));
    let (_, first_pull, _) = shape(&line("mari sync: "));
    assert!(
        first_pull > team_rows,
        "the team's data and the cases: {first_pull}"
    );
    let mari_err = std::fs::read_to_string(d.join("mari.err")).unwrap_or_default();
    assert!(mari_err.is_empty(), "Mari's first sync: {mari_err}");
    let mari_cases: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("mari case: "))
        .collect();
    assert_eq!(mari_cases, lead_cases);
    let forbidden = std::fs::read_to_string(d.join("forbidden.err")).unwrap_or_default();
    assert!(forbidden.contains("sync.forbidden"), "{forbidden}");
    assert!(forbidden.contains("meeskonna juht"), "{forbidden}");
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn case_numbers_never_clash_across_desks_and_a_renumbered_case_keeps_its_old_number() {
    let t = team("numbers");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let dir = tempfile::tempdir().expect("tmp");

    // Two desks that worked alone both numbered their first case of 2026 SRT-2026-00001.
    let mut kati = Laptop::new(dir.path(), "kati");
    let k1 = kati
        .desk
        .register_application(&application(CHILD_CODE))
        .expect("kati's case");
    let mut mari = Laptop::new(dir.path(), "mari");
    let m1 = mari
        .desk
        .register_application(&application(OTHER_CHILD))
        .expect("mari's case");
    assert_eq!(k1.case_no, "SRT-2026-00001");
    assert_eq!(m1.case_no, "SRT-2026-00001");

    // Kati joins first and keeps hers (the team's numbers start at 1); Mari's is renumbered,
    // the old number kept and searchable.
    kati.join(&t.base, &t.ca, &kati_code);
    mari.join(&t.base, &t.ca, &mari_code);
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    assert_eq!(
        kati.desk.case(k1.id).expect("case").case_no,
        "SRT-2026-00001"
    );
    let renumbered = mari.desk.case(m1.id).expect("case").case_no;
    assert_ne!(renumbered, "SRT-2026-00001");
    let found = mari
        .desk
        .list_cases(&CaseFilter {
            text: "SRT-2026-00001".into(),
            ..Default::default()
        })
        .expect("search by the old number");
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].case_no, renumbered);

    // New cases come from each desk's reserve: offline too, and never the same.
    let k2 = kati
        .desk
        .register_application(&application("51203030005"))
        .expect("kati's second");
    let m2 = mari
        .desk
        .register_application(&application("61404040002"))
        .expect("mari's second");
    assert_ne!(k2.case_no, m2.case_no);
    kati.sync();
    mari.sync();
    let l = lead.sync();
    assert_eq!(l.unapplied, 0, "{l:?}");
    let on_lead = lead.cases();
    assert_eq!(on_lead.len(), 4, "{on_lead:?}");
    let mut numbers: Vec<&String> = on_lead.iter().map(|c| &c.0).collect();
    numbers.dedup();
    assert_eq!(numbers.len(), 4, "{on_lead:?}");
    assert!(on_lead.iter().any(|c| c.0 == renumbered && c.3 == "mari"));
    // The old number travels with the case.
    assert_eq!(
        lead.count("SELECT count(*) FROM srt_case WHERE former_case_no = 'SRT-2026-00001'"),
        1
    );

    // A desk whose reserve is spent says so, and the next sync brings new numbers.
    kati.desk
        .store()
        .connection()
        .execute(
            "UPDATE sync_number_block SET next_number = last_number + 1",
            [],
        )
        .expect("spend the reserve");
    let e = kati
        .desk
        .register_application(&application(THIRD_CHILD))
        .expect_err("no numbers left");
    assert_eq!(e.code(), "sync.numbers_empty");
    assert!(e.message().et.contains("sünkrooni"), "{}", e.message().et);
    kati.sync();
    kati.desk
        .register_application(&application(THIRD_CHILD))
        .expect("numbers again after a sync");
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_meeting_and_its_agreed_action_reach_the_lead_and_their_deletion_follows() {
    let t = team("meeting");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    let case = kati
        .desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    kati.sync();
    lead.sync();

    // Written after the lead holds the case: it travels as changes, not as a snapshot.
    let meeting = kati
        .desk
        .create_meeting(
            case.id,
            &srt_core::meetings::MeetingInput {
                kind: "first".into(),
                date: "25.11.2026".into(),
                time: "10:00".into(),
                place: "Tallinna Lastekeskus, ruum 3".into(),
                video_link: String::new(),
            },
        )
        .expect("meeting");
    // An agreed action: its case is found through its meeting.
    kati.desk
        .add_meeting_action(
            meeting.id,
            &srt_core::meetings::ActionInput {
                what: "Saata arstitõend".into(),
                owner: "Kadri Näidis".into(),
                due_date: "10.12.2026".into(),
                confirm_early_due: false,
            },
        )
        .expect("action");
    kati.sync();
    let pulled = lead.sync();
    assert_eq!(pulled.unapplied, 0, "{pulled:?}");
    let lead_case = lead.count("SELECT id FROM srt_case");
    let on_lead = lead.desk.meetings(lead_case).expect("meetings");
    assert_eq!(on_lead.len(), 1);
    let m = lead.desk.meeting(on_lead[0].id).expect("meeting");
    assert_eq!(m.place, "Tallinna Lastekeskus, ruum 3");
    assert_eq!(
        lead.count(
            "SELECT count(*) FROM meeting_action a JOIN meeting m ON m.id = a.meeting_id
             WHERE m.case_id = (SELECT id FROM srt_case) AND a.what = 'Saata arstitõend'"
        ),
        1
    );

    kati.desk.delete_meeting(meeting.id).expect("delete");
    kati.sync();
    lead.sync();
    assert!(lead.desk.meetings(lead_case).expect("meetings").is_empty());
    assert_eq!(lead.count("SELECT count(*) FROM meeting_action"), 0);
}

/// A refusal approved on `desk` for a new case of `child`: its number.
fn approved_refusal(desk: &mut Desk, child: &str) -> String {
    let case = desk
        .register_application(&application(child))
        .expect("register");
    desk.change_status(case.id, "in_assessment", "")
        .expect("to assessment");
    desk.save_assessment(case.id, &assessment_of(&[("2010", 20.0)]))
        .expect("assessment");
    desk.sign_assessment(case.id, "2026-11-24").expect("sign");
    let v = desk.create_decision(case.id, "refusal").expect("draft");
    assert!(v.check.errors.is_empty(), "{:?}", v.check.errors);
    let approved = desk.approve_decision(v.decision.id, true).expect("approve");
    approved.decision.number.expect("a number")
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn decisions_approved_on_two_desks_never_share_a_number() {
    let t = team("decisions");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut kati = Laptop::new(dir.path(), "kati");
    let mut mari = Laptop::new(dir.path(), "mari");
    kati.join(&t.base, &t.ca, &kati_code);
    mari.join(&t.base, &t.ca, &mari_code);
    // Both approve offline: each desk's own sequence would give both the same first number.
    let k = approved_refusal(&mut kati.desk, CHILD_CODE);
    let m = approved_refusal(&mut mari.desk, OTHER_CHILD);
    assert_ne!(k, m);
    kati.sync();
    mari.sync();
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    let l = lead.sync();
    assert_eq!(l.unapplied, 0, "{l:?}");
    assert_eq!(
        lead.count("SELECT count(DISTINCT number) FROM decision WHERE number IS NOT NULL"),
        2
    );
}

fn meeting_at(place: &str, time: &str) -> srt_core::meetings::MeetingInput {
    srt_core::meetings::MeetingInput {
        kind: "first".into(),
        date: "15.12.2026".into(),
        time: time.into(),
        place: place.into(),
        video_link: String::new(),
    }
}

/// The id of the meeting with this place on a desk (0 when there is none).
fn meeting_id(l: &Laptop, place: &str) -> i64 {
    l.desk
        .store()
        .connection()
        .query_row(
            "SELECT coalesce(max(id), 0) FROM meeting WHERE place = ?1",
            [place],
            |r| r.get(0),
        )
        .expect("meeting id")
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_server_restart_while_desks_keep_working_loses_nothing() {
    let t = team("restart");
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut server = t.serve(&[]);
    let mut kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    let case = kati
        .desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    kati.sync();
    lead.sync();

    // The server goes down; both desks keep working, and a sync says so without losing anything.
    server.kill();
    kati.desk
        .create_meeting(case.id, &meeting_at("Ruum 1", "10:00"))
        .expect("a meeting while the server is down");
    let lead_case = lead.count("SELECT id FROM srt_case");
    lead.desk
        .change_status(lead_case, "in_assessment", "Dokumendid olemas")
        .expect("the lead works on");
    let waiting = kati.count("SELECT count(*) FROM sync_outbox");
    assert!(waiting >= 1);
    let e = kati
        .desk
        .team_sync(&kati.keys)
        .expect_err("the server is down");
    assert!(e.code().starts_with("sync."), "{}", e.code());
    assert!(!e.message().et.is_empty());
    assert_eq!(kati.count("SELECT count(*) FROM sync_outbox"), waiting);

    // It comes back on the same address: what was made meanwhile goes up, and arrives.
    let _server = t.serve(&[]);
    let k = kati.sync();
    assert_eq!(k.pushed as i64, waiting, "{k:?}");
    assert_eq!(kati.count("SELECT count(*) FROM sync_outbox"), 0);
    let l = lead.sync();
    assert_eq!((l.conflicts, l.unapplied), (0, 0), "{l:?}");
    assert_eq!(
        lead.count("SELECT count(*) FROM meeting WHERE place = 'Ruum 1'"),
        1
    );
    kati.sync();
    assert_eq!(
        kati.count("SELECT count(*) FROM srt_case WHERE status = 'in_assessment'"),
        1
    );
    assert_eq!(psql(&t.db, "SELECT count(*) FROM conflicts"), "0");
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_desk_clock_a_day_wrong_still_applies_detects_conflicts_and_loses_nothing() {
    let t = team("clock");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let now = chrono::Utc::now();
    let day = chrono::Duration::days(1);
    // Kati's laptop runs a day ahead, the lead's a day behind.
    let ahead = std::sync::Arc::new(srt_core::clock::FixedClock(now + day));
    let behind = std::sync::Arc::new(srt_core::clock::FixedClock(now - day));
    let kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    let mut kati = kati.reclock(ahead);
    let lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    let mut lead = lead.reclock(behind);
    let case = kati
        .desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let meeting = kati
        .desk
        .create_meeting(case.id, &meeting_at("Ruum 1", "10:00"))
        .expect("meeting");
    kati.sync();
    assert_eq!(lead.sync().unapplied, 0);
    let lead_meeting = meeting_id(&lead, "Ruum 1");
    assert!(lead_meeting > 0);

    // Different fields of the same row: the lead (a day behind) writes after Kati (a day ahead);
    // both edits apply, whatever the clocks say.
    kati.desk
        .update_meeting(meeting.id, &meeting_at("Ruum 2", "10:00"))
        .expect("kati moves the room");
    kati.sync();
    lead.desk
        .update_meeting(lead_meeting, &meeting_at("Ruum 1", "11:30"))
        .expect("the lead moves the hour");
    let l = lead.sync();
    assert_eq!(l.conflicts, 0, "{l:?}");
    kati.sync();
    for who in [&kati, &lead] {
        assert_eq!(
            who.count(
                "SELECT count(*) FROM meeting WHERE place = 'Ruum 2' AND start_time = '11:30'"
            ),
            1,
            "both edits on each desk"
        );
    }

    // The same field on both, offline: a conflict by base values, not by clocks; the later
    // write (by the lead's wrong clock, the earlier one) is not lost, nor is the other.
    lead.desk
        .update_meeting(lead_meeting, &meeting_at("Ruum 3", "11:30"))
        .expect("lead");
    kati.desk
        .update_meeting(meeting.id, &meeting_at("Ruum 4", "11:30"))
        .expect("kati");
    assert_eq!(lead.sync().conflicts, 0);
    let k = kati.sync();
    assert_eq!(k.conflicts, 1, "{k:?}");
    let c = kati.desk.team_conflicts().expect("conflicts").remove(0);
    let place = c.columns.get("place").expect("the place");
    assert_eq!(place.base, Value::from("Ruum 2"));
    assert_eq!(place.server, Value::from("Ruum 3"));
    assert_eq!(place.mine, Value::from("Ruum 4"));
    // The server ordered by its own sequence and kept the desks' clocks as given.
    let hlcs = psql(
        &t.db,
        "SELECT hlc FROM changes WHERE tbl = 'meeting' ORDER BY seq",
    );
    assert!(hlcs.lines().count() >= 3, "{hlcs}");
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_desk_restored_from_an_old_backup_rejoins_without_resurrecting_or_pushing_stale_values() {
    let t = team("restore");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    let case = kati
        .desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let own = kati
        .desk
        .create_meeting(case.id, &meeting_at("Kati kustutab", "09:00"))
        .expect("meeting");
    kati.desk
        .create_meeting(case.id, &meeting_at("Juht kustutab", "09:30"))
        .expect("meeting");
    let edited = kati
        .desk
        .create_meeting(case.id, &meeting_at("Ruum 1", "10:00"))
        .expect("meeting");
    kati.sync();
    lead.sync();
    // An edit not yet sent when the backup is made.
    kati.desk
        .update_meeting(edited.id, &meeting_at("Ruum 2", "10:00"))
        .expect("edit");
    let backup = dir.path().join("kati.srtbackup");
    kati.desk
        .backup(
            &backup,
            "synthetic backup pass",
            srt_core::KdfParams::fast_for_tests(),
        )
        .expect("backup");

    // After the backup: Kati sends that edit, deletes a meeting, adds one; the lead deletes
    // another and edits the room again.
    kati.desk.delete_meeting(own.id).expect("delete");
    kati.desk
        .create_meeting(case.id, &meeting_at("Uus pärast varukoopiat", "12:00"))
        .expect("a new meeting");
    kati.sync();
    lead.sync();
    lead.desk
        .delete_meeting(meeting_id(&lead, "Juht kustutab"))
        .expect("lead deletes");
    lead.desk
        .update_meeting(meeting_id(&lead, "Ruum 2"), &meeting_at("Ruum 3", "10:00"))
        .expect("lead edits");
    lead.sync();
    kati.sync();
    let changes_before = psql(&t.db, "SELECT count(*) FROM changes");

    // The laptop is lost; the backup is restored on a new one (same desk, same credential store).
    let target = dir.path().join("kati-restored.db");
    let keys = kati.keys;
    drop(kati.desk);
    let mut restored = Laptop::restored(&backup, target, keys);
    assert_eq!(
        restored.count("SELECT count(*) FROM meeting WHERE place = 'Kati kustutab'"),
        1
    );
    let r = restored.sync();
    assert_eq!((r.conflicts, r.rejected, r.unapplied), (0, 0, 0), "{r:?}");
    // Nothing deleted since the backup came back, by Kati or by the lead; what Kati added
    // since is there; every row holds the server's newest value.
    let places: Vec<String> = restored
        .desk
        .store()
        .connection()
        .prepare("SELECT place FROM meeting ORDER BY place")
        .expect("stmt")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("places");
    assert_eq!(places, vec!["Ruum 3", "Uus pärast varukoopiat"]);
    // The server took no stale value and nothing new from the backup.
    assert_eq!(psql(&t.db, "SELECT count(*) FROM changes"), changes_before);
    assert_eq!(psql(&t.db, "SELECT count(*) FROM conflicts"), "0");
    let l = lead.sync();
    assert_eq!(l.pulled, 0, "{l:?}");
    assert_eq!(
        lead.count("SELECT count(*) FROM meeting WHERE place = 'Ruum 3'"),
        1
    );
    // Work goes on from the restored desk, and its audit chain still holds on the server.
    restored
        .desk
        .update_meeting(
            meeting_id(&restored, "Ruum 3"),
            &meeting_at("Ruum 4", "10:00"),
        )
        .expect("edit after restore");
    assert_eq!(restored.sync().pushed, 1);
    lead.sync();
    assert_eq!(
        lead.count("SELECT count(*) FROM meeting WHERE place = 'Ruum 4'"),
        1
    );
    let out = Command::new(server_bin())
        .args(["check", "--database-url", &t.url])
        .output()
        .expect("check");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn retention_deletion_reaches_every_laptop_and_the_server() {
    let t = team("retention");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let juhan_code = invite_as(&t.url, "juhan", "Juhan Teenusejuht", "manager");
    let dir = tempfile::tempdir().expect("tmp");
    let mut kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    let mut mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    // The service manager's desk holds the cases without personal data, for the statistics.
    let mut juhan = t.joined_laptop(dir.path(), "juhan", &juhan_code);
    let closed = kati
        .desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    kati.desk
        .create_meeting(closed.id, &meeting_at("Ruum 1", "10:00"))
        .expect("meeting");
    kati.desk
        .change_status(closed.id, "closed", "Taotlus võeti tagasi")
        .expect("close");
    kati.desk
        .register_application(&application(OTHER_CHILD))
        .expect("a case that stays");
    // Mari substitutes for Kati: her laptop holds the cases too.
    lead.substitute_today("kati", "mari");
    kati.sync();
    lead.sync();
    mari.sync();
    assert_eq!(mari.cases().len(), 2);
    assert_eq!(lead.cases().len(), 2);
    juhan.sync();
    assert_eq!(juhan.count("SELECT count(*) FROM srt_case"), 2);
    let juhan_before = juhan.count("SELECT count(*) FROM case_status_change");
    assert!(juhan_before >= 3, "{juhan_before}");

    // Years later on Kati's laptop: the closed case is past its retention period.
    let later = std::sync::Arc::new(srt_core::clock::FixedClock(
        chrono::Utc::now() + chrono::Duration::days(3 * 366),
    ));
    let mut kati = kati.reclock(later);
    kati.desk.retention_set_years(1).expect("years");
    let due = kati.desk.retention_list().expect("due");
    assert_eq!(due.cases.len(), 1);
    kati.desk
        .retention_delete(&[closed.id])
        .expect("retention delete");
    let k = kati.sync();
    assert_eq!((k.conflicts, k.rejected), (0, 0), "{k:?}");
    lead.sync();
    mari.sync();
    let j = juhan.sync();
    assert_eq!(j.unapplied, 0, "{j:?}");
    assert_eq!(juhan.count("SELECT count(*) FROM srt_case"), 1);
    assert_eq!(
        juhan.count(
            "SELECT count(*) FROM case_status_change WHERE case_id NOT IN (SELECT id FROM srt_case)"
        ),
        0
    );
    assert!(juhan.count("SELECT count(*) FROM case_status_change") < juhan_before);
    assert_eq!(
        juhan.count("SELECT count(*) FROM child WHERE id NOT IN (SELECT child_id FROM srt_case)"),
        0
    );
    for (name, who) in [("kati", &kati), ("lead", &lead), ("mari", &mari)] {
        assert_eq!(who.cases().len(), 1, "{name}");
        assert_eq!(
            who.count(&format!(
                "SELECT count(*) FROM child WHERE personal_code = '{CHILD_CODE}'"
            )),
            0,
            "{name}: {:?}",
            (
                who.count("SELECT count(*) FROM child"),
                who.count("SELECT count(*) FROM sync_unapplied"),
                who.count("SELECT count(*) FROM sync_rejected"),
            )
        );
        assert_eq!(who.count("SELECT count(*) FROM meeting"), 0, "{name}");
        assert_eq!(
            who.count(
                "SELECT count(*) FROM case_search WHERE rowid NOT IN (SELECT id FROM srt_case)"
            ),
            0,
            "{name}"
        );
    }
    // On the server the rows are gone too: only their ids remain, without data, and the change
    // log keeps no personal data of the case either.
    assert_eq!(
        psql(
            &t.db,
            &format!("SELECT count(*) FROM changes WHERE columns::text LIKE '%{CHILD_CODE}%'")
        ),
        "0"
    );
    assert_eq!(
        psql(
            &t.db,
            &format!(
                "SELECT count(*) FROM shared_rows WHERE NOT deleted AND data::text LIKE '%{CHILD_CODE}%'"
            )
        ),
        "0"
    );
    assert_eq!(
        psql(
            &t.db,
            "SELECT count(*) FROM shared_rows WHERE tbl = 'meeting' AND NOT deleted"
        ),
        "0"
    );
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn the_desk_log_has_the_sync_lines_and_no_childs_name_or_personal_code() {
    let logs = tempfile::tempdir().expect("logs");
    // The first subscriber of this test process: every test's syncs log into this file.
    assert!(srt_core::logging::init(logs.path()).expect("log folder"));
    let t = team("log");
    let mut server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    let case = kati
        .desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    kati.desk
        .create_meeting(case.id, &meeting_at("Õunapuu kodu", "10:00"))
        .expect("meeting");
    let r = kati.sync();
    server.kill();
    let e = kati
        .desk
        .team_sync(&kati.keys)
        .expect_err("the server is down");
    let device: i64 = kati.count("SELECT device_id FROM sync_state");

    let log = std::fs::read_to_string(logs.path().join(srt_core::logging::LOG_FILE)).expect("log");
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not a JSON line: {l}")))
        .collect();
    let mine = |msg: &str| -> Vec<&Value> {
        lines
            .iter()
            .filter(|l| l["message"] == msg && l["device_id"].as_i64() == Some(device))
            .collect()
    };
    // (Other tests of this process log too, with device ids of their own teams.)
    assert!(
        mine("sync")
            .iter()
            .any(|l| l["pushed"].as_u64() == Some(r.pushed) && l["duration_ms"].is_u64()),
        "{log}"
    );
    assert!(
        mine("sync failed")
            .iter()
            .any(|l| l["code"].as_str() == Some(e.code())),
        "{log}"
    );
    assert!(lines
        .iter()
        .any(|l| l["message"] == "push" && l["applied"].as_u64().is_some_and(|n| n >= 3)));
    assert!(lines.iter().any(|l| l["message"] == "pull"));
    // Where an applied page's time went on the desk (the rows, the search rows, the derived
    // tables), for a slow sync.
    assert!(lines.iter().any(|l| l["message"] == "pull applied"
        && l["cases"].as_u64().is_some()
        && l["reindex_ms"].as_u64().is_some()
        && l["derived_ms"].as_u64().is_some()));
    // The transport's or the server's own words for a failure are in the log, not in the window.
    assert!(lines.iter().any(|l| l["message"] == "sync error"
        && l["code"].as_str() == Some(e.code())
        && l["detail"].as_str().is_some_and(|d| !d.is_empty())));
    // No child's name, personal code or text of any test's desk.
    let application = application(CHILD_CODE);
    for secret in [
        CHILD_CODE,
        OTHER_CHILD,
        THIRD_CHILD,
        application.child.first_name.as_str(),
        application.child.last_name.as_str(),
        "Õunapuu",
        "Näidis",
        "Ruum",
    ] {
        assert!(!log.contains(secret), "{secret:?} in the log:\n{log}");
    }
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_substitutes_desk_restored_from_a_backup_made_during_the_substitution_drops_the_cases() {
    let t = team("restoresub");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    let mut mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    kati.desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    kati.sync();
    let sub = lead.substitute_today("kati", "mari");
    mari.sync();
    assert_eq!(mari.cases().len(), 1);
    // Mari's desk is backed up while it holds Kati's case; the substitution ends.
    let backup = dir.path().join("mari.srtbackup");
    mari.desk
        .backup(
            &backup,
            "synthetic backup pass",
            srt_core::KdfParams::fast_for_tests(),
        )
        .expect("backup");
    lead.desk
        .team_cancel_substitution(&lead.keys, sub)
        .expect("cancel");
    mari.sync();
    assert!(mari.cases().is_empty());

    // Restored from that backup, her desk must not keep the case it may no longer hold.
    let target = dir.path().join("mari-restored.db");
    let keys = mari.keys;
    drop(mari.desk);
    let mut restored = Laptop::restored(&backup, target, keys);
    assert_eq!(restored.count("SELECT count(*) FROM srt_case"), 1);
    restored.sync();
    assert!(restored.cases().is_empty());
    assert_eq!(
        restored.count(&format!(
            "SELECT count(*) FROM child WHERE personal_code = '{CHILD_CODE}'"
        )),
        0
    );
    assert_eq!(restored.count("SELECT count(*) FROM case_search"), 0);
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_colleagues_case_opens_only_with_a_stated_reason_audited_and_for_the_day() {
    let t = team("opencase");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    let mut mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    let case = kati
        .desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    kati.sync();
    mari.sync();
    assert!(mari.cases().is_empty());

    // Without a reason: refused, in her words, and nothing reaches the server.
    let e = mari
        .desk
        .team_open_case(&mari.keys, &case.case_no, "  abi ")
        .expect_err("no reason");
    assert_eq!(e.payload().fields[0].code, "team.open_reason");
    assert!(
        e.payload().fields[0].message.et.contains("põhjus"),
        "{:?}",
        e.payload()
    );
    let e = mari
        .desk
        .team_open_case(
            &mari.keys,
            "SRT-2026-99999",
            "Kati palus abi vanemaga suhtlemisel",
        )
        .expect_err("no such case");
    assert_eq!(e.payload().fields[0].code, "team.open_case_unknown");
    // The server refuses it without a reason too (a client that skips the desk's check).
    let token = mari.device_token();
    let client = srt_core::sync::SyncClient::new(&t.base, &t.ca)
        .expect("client")
        .with_token(token.as_str());
    let refused = client
        .post_json(
            "/v1/cases/open",
            &serde_json::json!({"case_no": case.case_no, "reason": ""}),
        )
        .expect_err("the server wants a reason");
    assert!(refused.detail.starts_with("400"), "{}", refused.detail);
    assert_eq!(psql(&t.db, "SELECT count(*) FROM case_openings"), "0");
    assert!(mari.sync().pulled == 0 && mari.cases().is_empty());

    // With a reason: recorded on the server and on her desk, and the case arrives.
    let reason = "Kati palus abi vanemaga suhtlemisel";
    let r = mari
        .desk
        .team_open_case(&mari.keys, &case.case_no, reason)
        .expect("open with a reason");
    assert!(!r.already && r.report.pulled >= 3, "{r:?}");
    let on_mari = mari.cases();
    assert_eq!(on_mari.len(), 1);
    assert_eq!(
        (on_mari[0].0.as_str(), on_mari[0].3.as_str()),
        (case.case_no.as_str(), "kati")
    );
    assert_eq!(
        psql(
            &t.db,
            "SELECT m.login || '|' || o.reason FROM case_openings o JOIN members m ON m.id = o.member_id"
        ),
        format!("mari|{reason}")
    );
    assert_eq!(
        mari.count(&format!(
            "SELECT count(*) FROM audit_log WHERE action = 'team.case.open' AND detail = '{reason}'"
        )),
        1
    );
    // The case's page says why it is here: opened today, with the reason; Kati's page of her
    // own case says nothing of the kind.
    assert_eq!(r.case_no, case.case_no);
    assert_eq!(
        r.case_id,
        mari.desk.case_id_by_no(&case.case_no).expect("here")
    );
    let view = mari.desk.case_view(r.case_id).expect("view");
    let opening = view.opening.expect("opened with a reason");
    assert!(opening.today, "{opening:?}");
    assert_eq!(opening.reason, reason);
    assert_eq!(view.coordinator.as_deref(), Some("Kati Näidis"));
    assert!(kati
        .desk
        .case_view(case.id)
        .expect("kati's view")
        .opening
        .is_none());
    // Asked again (typed in small letters): the case is here already, so it is only found;
    // nothing more is recorded on the server or the desk.
    let again = mari
        .desk
        .team_open_case(&mari.keys, &case.case_no.to_lowercase(), reason)
        .expect("already here");
    assert!(again.already && again.case_id == r.case_id, "{again:?}");
    assert_eq!(psql(&t.db, "SELECT count(*) FROM case_openings"), "1");
    assert_eq!(
        mari.count("SELECT count(*) FROM audit_log WHERE action = 'team.case.open'"),
        1
    );
    // Who is offered the way: a coordinator; not the lead (who sees every case).
    assert!(mari.desk.team_state().expect("state").can_open_cases);
    let lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    assert!(!lead.desk.team_state().expect("state").can_open_cases);
    assert!(
        !Laptop::new(dir.path(), "alone")
            .desk
            .team_state()
            .expect("state")
            .can_open_cases
    );
    // The next day it is out of her scope again: it leaves her desk at the next sync.
    psql(
        &t.db,
        "UPDATE case_openings SET opened_on = current_date - 1",
    );
    mari.sync();
    assert!(mari.cases().is_empty());
    assert_eq!(mari.count("SELECT count(*) FROM child"), 0);
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn the_lead_invites_lists_reassigns_and_revokes_from_the_desk_and_each_call_is_audited() {
    let t = team("lead_admin");
    let _server = t.serve(&[]);
    let dir = tempfile::tempdir().expect("tmp");
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);

    // The lead invites from the desk: a one-time code that joins a new laptop.
    let bad = lead
        .desk
        .team_invite(&lead.keys, "has space", "Kati", "coordinator")
        .expect_err("a login with a space");
    assert_eq!(bad.payload().fields[0].field, "login");
    let invite = lead
        .desk
        .team_invite(&lead.keys, "kati", "Kati Näidis", "coordinator")
        .expect("invite kati");
    assert!(!invite.code.is_empty());
    let mari_code = lead
        .desk
        .team_invite(&lead.keys, "mari", "Mari Näidis", "coordinator")
        .expect("invite mari")
        .code;
    let mut kati = t.joined_laptop(dir.path(), "kati", &invite.code);
    let mut mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    let members = lead.desk.team_members(&lead.keys).expect("members");
    let logins: Vec<(&str, &str)> = members
        .iter()
        .map(|m| (m.login.as_str(), m.role.as_str()))
        .collect();
    assert!(logins.contains(&("kati", "coordinator")), "{logins:?}");
    assert!(logins.contains(&("mari", "coordinator")), "{logins:?}");

    // A coordinator cannot invite.
    let refused = kati
        .desk
        .team_invite(&kati.keys, "juku", "Juku", "coordinator")
        .expect_err("not the lead");
    assert_eq!(refused.payload().code, "sync.forbidden");

    // Substitutions: recorded, listed, cancelled and kept in the history.
    let sub = lead
        .desk
        .team_substitute(
            &lead.keys,
            "kati",
            "mari",
            today(),
            today() + chrono::Days::new(3),
        )
        .expect("substitute");
    let listed = lead.desk.team_substitutions(&lead.keys).expect("list");
    let one = listed.iter().find(|s| s.id == sub).expect("listed");
    assert_eq!(
        (one.absent.as_str(), one.substitute.as_str()),
        ("kati", "mari")
    );
    assert!(one.current && !one.cancelled, "{one:?}");
    lead.desk
        .team_cancel_substitution(&lead.keys, sub)
        .expect("cancel");
    let listed = lead.desk.team_substitutions(&lead.keys).expect("list");
    assert!(
        listed.iter().any(|s| s.id == sub && s.cancelled),
        "{listed:?}"
    );

    // Reassignment: Kati's case goes to Mari, by its number on the lead's desk.
    kati.desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    kati.sync();
    lead.sync();
    let case_no = lead.cases()[0].0.clone();
    let n = lead
        .desk
        .team_reassign(&lead.keys, std::slice::from_ref(&case_no), "mari")
        .expect("reassign");
    assert_eq!(n, 1);
    mari.sync();
    let on_mari = mari.cases();
    assert_eq!(on_mari.len(), 1, "{on_mari:?}");
    assert_eq!(
        (on_mari[0].0.as_str(), on_mari[0].3.as_str()),
        (case_no.as_str(), "mari")
    );
    // The case header names the responsible coordinator: Mari now, on her desk and the lead's.
    let id_on_mari = mari
        .desk
        .list_cases(&CaseFilter::default())
        .expect("list")
        .items[0]
        .id;
    assert_eq!(
        mari.desk
            .team_case_coordinator(id_on_mari)
            .expect("owner")
            .as_deref(),
        Some("Mari Näidis")
    );
    // The lead's desk already held the case: after its next sync it names Mari too.
    lead.sync();
    let on_lead = lead.cases();
    assert_eq!(
        (on_lead[0].0.as_str(), on_lead[0].3.as_str()),
        (case_no.as_str(), "mari"),
        "the lead's desk learns the new owner of a case it holds"
    );
    // A desk not in a team: none (the window shows the desk's own coordinator).
    let alone = Laptop::new(dir.path(), "alone");
    assert_eq!(alone.desk.team_case_coordinator(1).expect("none"), None);

    // Revoking Kati's laptop: its next sync is refused at once.
    let devices = lead.desk.team_devices(&lead.keys).expect("devices");
    let kati_id = members.iter().find(|m| m.login == "kati").expect("kati").id;
    let device = devices
        .iter()
        .find(|d| d.member_id == kati_id)
        .expect("kati's device");
    lead.desk
        .team_revoke(&lead.keys, device.id)
        .expect("revoke");
    let gone = kati.desk.team_sync(&kati.keys).expect_err("revoked");
    assert_eq!(gone.payload().code, "sync.unauthorized");
    let devices = lead.desk.team_devices(&lead.keys).expect("devices");
    assert!(devices
        .iter()
        .any(|d| d.id == device.id && d.revoked_at.is_some()));

    // One audit row per call on the lead's desk.
    for action in [
        "team.invite",
        "team.members",
        "team.substitutions",
        "team.reassign",
        "team.devices",
        "team.revoke",
    ] {
        assert!(
            lead.count(&format!(
                "SELECT count(*) FROM audit_log WHERE action = '{action}'"
            )) >= 1,
            "{action}"
        );
    }
}

/// The window's desk: behind a mutex, taken for one local step at a time.
/// Sends `sig` (`-STOP`: the server stops answering, as behind a stalled network; `-CONT`) to
/// process `pid`.
fn signal(pid: &str, sig: &str) {
    assert!(Command::new("kill")
        .args([sig, pid])
        .status()
        .expect("kill")
        .success());
}

struct Held<'a>(&'a std::sync::Mutex<Desk>, &'a MemoryKeyStore);

impl srt_core::sync::background::LocalSteps for Held<'_> {
    fn local(
        &self,
        step: &mut dyn FnMut(&mut Desk, &dyn srt_core::KeyStore) -> srt_core::Result<()>,
    ) -> srt_core::Result<()> {
        let mut desk = self.0.lock().expect("desk");
        step(&mut desk, self.1)
    }
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_sync_waiting_for_a_stalled_server_leaves_the_desk_free_for_the_window() {
    let t = team("stalled");
    let server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    let mut desk = kati.desk;
    desk.register_application(&application(CHILD_CODE))
        .expect("register");
    let keys = kati.keys;
    let desk = std::sync::Mutex::new(desk);
    let pid = server.pid().to_string();
    // The server stops answering (as a server behind a stalled network would).
    signal(&pid, "-STOP");
    let first = std::thread::scope(|s| {
        let syncing =
            s.spawn(|| srt_core::sync::background::team_sync_in_steps(&Held(&desk, &keys)));
        std::thread::sleep(Duration::from_millis(800));
        // While the sync waits for the server, the window reads and writes its desk.
        let started = Instant::now();
        {
            let mut d = desk.lock().expect("desk");
            let listed = d
                .list_cases(&CaseFilter::default())
                .expect("list while syncing");
            assert_eq!(listed.items.len(), 1);
            d.register_application(&application(OTHER_CHILD))
                .expect("register while syncing");
        }
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the window waited {:?} for the desk",
            started.elapsed()
        );
        assert!(!syncing.is_finished(), "the sync waits for the server");
        signal(&pid, "-CONT");
        let report = syncing.join().expect("thread").expect("sync");
        assert!(report.pushed >= 3, "{report:?}");
        report.pushed
    });
    // The case written during the sync goes with the next one; nothing is lost.
    let mut d = desk.into_inner().expect("desk");
    let again = d.team_sync(&keys).expect("sync again");
    assert!(
        first + again.pushed >= 6,
        "both cases went up: {first} {again:?}"
    );
    let waiting: i64 = d
        .store()
        .connection()
        .query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))
        .expect("outbox");
    assert_eq!(waiting, 0);
}

/// Opening a colleague's case in the window's way (the desk behind a mutex, taken for one local
/// step at a time): while the server does not answer, the window reads and writes its desk; when
/// the server answers, the case arrives and is found.
#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn opening_a_colleagues_case_leaves_the_desk_free_while_the_server_answers() {
    let t = team("openstalled");
    let server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    let case = kati
        .desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    kati.sync();
    let mut mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    mari.sync();
    let keys = mari.keys;
    let desk = std::sync::Mutex::new(mari.desk);
    let pid = server.pid().to_string();
    signal(&pid, "-STOP");
    let opened = std::thread::scope(|s| {
        let opening = s.spawn(|| {
            let held = Held(&desk, &keys);
            srt_core::sync::team_open_case_in_steps(
                &held,
                &case.case_no,
                "Kati palus helistada emale",
                &mut || srt_core::sync::background::team_sync_in_steps(&held),
            )
        });
        std::thread::sleep(Duration::from_millis(800));
        let started = Instant::now();
        {
            let mut d = desk.lock().expect("desk");
            assert_eq!(
                d.list_cases(&CaseFilter::default())
                    .expect("list while opening")
                    .total,
                0
            );
            d.register_application(&application(OTHER_CHILD))
                .expect("register while opening");
        }
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the window waited {:?} for the desk",
            started.elapsed()
        );
        assert!(!opening.is_finished(), "the opening waits for the server");
        signal(&pid, "-CONT");
        opening.join().expect("thread").expect("opened")
    });
    let d = desk.into_inner().expect("desk");
    assert!(!opened.already);
    assert_eq!(
        d.case_id_by_no(&case.case_no).expect("arrived"),
        opened.case_id
    );
    assert_eq!(d.list_cases(&CaseFilter::default()).expect("list").total, 2);
}

/// On the lead's desk, which holds two coordinators' cases, every count of the dashboard follows
/// the coordinator filter: the cases by status and the urgency counters.
#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn the_dashboards_counts_follow_the_coordinator_filter_on_the_leads_desk() {
    let t = team("dashcounts");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    for child in [CHILD_CODE, OTHER_CHILD] {
        kati.desk
            .register_application(&application(child))
            .expect("kati's case");
    }
    kati.sync();
    let mut mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    let m = mari
        .desk
        .register_application(&application(THIRD_CHILD))
        .expect("mari's case");
    mari.desk
        .change_status(m.id, "in_assessment", "")
        .expect("in assessment");
    mari.sync();
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    lead.sync();
    assert_eq!(lead.cases().len(), 3);

    let view = |who: &str| lead.desk.dashboard_view_for(who).expect("view");
    let by = |v: &srt_core::desk::DashboardView, s: &str| v.counts.by_status[s];
    let urgent = |v: &srt_core::desk::DashboardView| {
        let c = &v.dashboard.as_ref().expect("rows").counts;
        c.overdue + c.today + c.week + c.later
    };
    let (all, katis, maris, leads) = (view(""), view("kati"), view("mari"), view("lead"));
    assert_eq!(all.counts.total, 3);
    assert_eq!((by(&all, "received"), by(&all, "in_assessment")), (2, 1));
    assert_eq!(katis.counts.total, 2);
    assert_eq!(
        (by(&katis, "received"), by(&katis, "in_assessment")),
        (2, 0)
    );
    assert_eq!(maris.counts.total, 1);
    assert_eq!(
        (by(&maris, "received"), by(&maris, "in_assessment")),
        (0, 1)
    );
    assert_eq!(leads.counts.total, 0);
    assert!(leads.counts.by_status.values().all(|n| *n == 0));
    // The urgency counters are each one's too, and add up to the desk's.
    assert!(
        urgent(&katis) > 0 && urgent(&maris) > 0,
        "deadlines of new cases"
    );
    assert_eq!(
        urgent(&katis) + urgent(&maris) + urgent(&leads),
        urgent(&all)
    );
}

/// The figures of the statistics that come from shared case rows. Not compared: invoiced and
/// accepted sums (invoices are not shared yet), and waiting, in service and days to start, which
/// need the families' provider choices: a coordinator's providers from before the join are not
/// sent (team-wide data goes up only from the lead's desk), so those choices stay unapplied on
/// the lead's desk (a known gap, see docs/performance.md "Team sync").
fn shared_figures(desk: &Desk) -> String {
    let query = srt_core::stats::StatsQuery {
        period: srt_core::stats::PeriodInput {
            kind: "year".into(),
            year: 2026,
            ..Default::default()
        },
        ..Default::default()
    };
    let f = desk
        .statistics(&query, "et")
        .expect("statistics")
        .stats
        .totals;
    format!(
        "received {} referrals {} refusals {} amendments {} terminations {} granted {} to decision {:?} on time {}",
        f.received,
        f.referrals,
        f.refusals,
        f.amendments,
        f.terminations,
        f.granted_cents,
        f.days_to_decision,
        f.on_time,
    )
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn the_leads_statistics_count_the_colleagues_cases() {
    let t = team("leadstats");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    lead.sync();
    let empty = shared_figures(&lead.desk);
    assert!(empty.starts_with("received 0 "), "{empty}");

    // Kati's desk holds years of cases with decisions and service; they go up at her first sync:
    // more than a push batch (1 000) of children and cases, which once left every child whose
    // case insert sat in a later batch refused as `unknown_case`.
    let mut kati = Laptop::new(dir.path(), "kati");
    kati.desk.load_demo(700, 7).expect("demo");
    kati.join(&t.base, &t.ca, &kati_code);
    kati.sync();
    assert_eq!(
        kati.count("SELECT count(*) FROM sync_rejected WHERE reason = 'unknown_case'"),
        0
    );
    let on_kati = shared_figures(&kati.desk);
    assert!(!on_kati.starts_with("received 0 "), "{on_kati}");

    lead.sync();
    assert_eq!(
        lead.count(
            "SELECT count(*) FROM sync_unapplied WHERE tbl IN ('child', 'srt_case', 'cases')"
        ),
        0
    );
    assert_eq!(lead.count("SELECT count(*) FROM srt_case"), 700);
    assert_eq!(shared_figures(&lead.desk), on_kati);
}

/// The service manager's desk gets every team case's rows that the statistics read, without
/// personal data, and its figures are the lead's and the coordinator's; PostgreSQL gives the
/// manager no case row when read directly, and the masked rows to nobody else.
#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn the_service_managers_statistics_are_the_teams_without_personal_data() {
    let t = team("mgrstats");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite_as(&t.url, "mari", "Mari Juht", "manager");
    let dir = tempfile::tempdir().expect("tmp");
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    lead.sync();
    let mut kati = Laptop::new(dir.path(), "kati");
    kati.desk.load_demo(300, 11).expect("demo");
    kati.join(&t.base, &t.ca, &kati_code);
    kati.sync();
    lead.sync();

    let mut mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    let first = mari.sync();
    assert!(first.pulled > 300, "{first:?}");
    assert_eq!(mari.count("SELECT count(*) FROM srt_case"), 300);
    let on_kati = shared_figures(&kati.desk);
    assert!(!on_kati.starts_with("received 0 "), "{on_kati}");
    assert_eq!(shared_figures(&mari.desk), on_kati);
    assert_eq!(shared_figures(&lead.desk), on_kati);

    // Nothing personal on the manager's desk: no guardian, document, meeting or contact row;
    // the children nameless, without codes or addresses; no case number, no letter; and no
    // child's personal code or full name anywhere in any text of any table.
    // (The partners' contact log without a case is team-wide data, on every desk of the team.)
    assert_eq!(
        mari.count("SELECT count(*) FROM contact_log WHERE case_id IS NOT NULL"),
        0
    );
    for table in [
        "guardian",
        "document",
        "meeting",
        "meeting_participant",
        "attachment",
    ] {
        assert_eq!(
            mari.count(&format!("SELECT count(*) FROM {table}")),
            0,
            "{table}"
        );
    }
    assert_eq!(
        mari.count(
            "SELECT count(*) FROM child WHERE first_name <> '–' OR last_name <> '–'
                OR personal_code IS NOT NULL OR address <> '' OR substr(birth_date, 5) <> '-01-01'"
        ),
        0
    );
    assert_eq!(
        mari.count("SELECT count(*) FROM decision WHERE letter <> '' OR addressee_name <> '' OR reasoning <> ''"),
        0
    );
    let kati_conn = kati.desk.store().connection();
    let people: Vec<String> = {
        let mut st = kati_conn
            .prepare(
                "SELECT personal_code FROM child WHERE personal_code IS NOT NULL
                 UNION SELECT first_name || ' ' || last_name FROM child
                 UNION SELECT case_no FROM srt_case
                 UNION SELECT first_name || ' ' || last_name FROM guardian
                 UNION SELECT personal_code FROM guardian WHERE personal_code IS NOT NULL
                 UNION SELECT email FROM guardian WHERE email <> ''",
            )
            .expect("people");
        st.query_map([], |r| r.get(0))
            .expect("rows")
            .map(|r| r.expect("row"))
            .collect()
    };
    assert!(people.len() > 600, "{}", people.len());
    let conn = mari.desk.store().connection();
    let tables: Vec<String> = {
        let mut st = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%search%' AND sql NOT LIKE '%VIRTUAL%'")
            .expect("tables");
        st.query_map([], |r| r.get(0))
            .expect("rows")
            .map(|r| r.expect("row"))
            .collect()
    };
    let mut texts = 0;
    // The team-wide tables are every member's (partners' and providers' contact people, drawn
    // from the same synthetic names as the children): not the cases' data, not scanned.
    let team_wide = [
        "provider",
        "provider_location",
        "provider_contact",
        "provider_activity",
        "partner",
        "contact_log",
    ];
    for table in tables.iter().filter(|t| !team_wide.contains(&t.as_str())) {
        let mut st = conn
            .prepare(&format!("SELECT * FROM \"{table}\""))
            .expect("select");
        let n = st.column_count();
        let mut rows = st.query([]).expect("query");
        while let Some(row) = rows.next().expect("row") {
            for i in 0..n {
                if let Ok(rusqlite::types::ValueRef::Text(b)) = row.get_ref(i) {
                    let text = String::from_utf8_lossy(b);
                    texts += 1;
                    if let Some(p) = people.iter().find(|p| text.contains(p.as_str())) {
                        panic!("{table} holds {p:?} on the manager's desk");
                    }
                }
            }
        }
    }
    assert!(texts > 1000, "{texts}");

    // Under row-level security the manager reads no case row directly; the masked rows are the
    // manager's alone.
    let id_of = |login: &str| {
        psql(
            &t.db,
            &format!("SELECT id FROM members WHERE login = '{login}'"),
        )
    };
    let as_member = |login: &str, sql: &str| {
        psql(
            &t.db,
            &format!(
                "SET ROLE srt_service; SELECT set_config('srt.member_id', '{}', false); {sql}",
                id_of(login)
            ),
        )
        .lines()
        .last()
        .unwrap_or_default()
        .to_string()
    };
    assert_eq!(
        as_member(
            "mari",
            "SELECT count(*) FROM shared_rows WHERE case_id IS NOT NULL"
        ),
        "0"
    );
    assert_eq!(
        as_member(
            "mari",
            "SELECT count(*) FROM changes WHERE case_id IS NOT NULL"
        ),
        "0"
    );
    assert_ne!(
        as_member("mari", "SELECT count(*) FROM srt_manager_rows(0, 100000)"),
        "0"
    );
    let refused = Command::new("psql")
        .args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", &t.db, "-c"])
        .arg(format!(
            "SET ROLE srt_service; SELECT set_config('srt.member_id', '{}', false); SELECT count(*) FROM srt_manager_rows(0, 10)",
            id_of("kati")
        ))
        .output()
        .expect("psql");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("only the service manager"));

    // What changes later comes at the next sync, and only that.
    assert_eq!(mari.sync().pulled, 0);
    approved_refusal(&mut kati.desk, OTHER_CHILD);
    kati.sync();
    let later = mari.sync();
    assert!(later.pulled > 0 && later.pulled < 20, "{later:?}");
    assert_eq!(mari.count("SELECT count(*) FROM srt_case"), 301);
    assert_eq!(shared_figures(&mari.desk), shared_figures(&kati.desk));
}

fn partner(name: &str) -> srt_core::providers::partners::PartnerInput {
    srt_core::providers::partners::PartnerInput {
        name: name.into(),
        kind: "school".into(),
        ..Default::default()
    }
}

/// On a joined desk whose member may not change the team-wide data, a save of it is refused at
/// once in the user's language and nothing is written; the lead, a desk in no team, and every
/// member once the team allows it, may.
#[test]
fn team_wide_data_is_changed_on_a_desk_only_by_whom_the_team_allows() {
    let dir = tempfile::tempdir().expect("tmp");
    let keys = MemoryKeyStore::default();
    let mut desk = Desk::create(&dir.path().join("d.db"), passphrase_key(), &keys, "test")
        .expect("create")
        .with_clock(clock());
    desk.save_partner(None, &partner("Kool A"))
        .expect("a desk in no team");
    let id: i64 = desk
        .store()
        .connection()
        .query_row("SELECT id FROM partner", [], |r| r.get(0))
        .expect("id");
    let set = |desk: &Desk, role: &str, writers: &str| {
        desk.store()
            .connection()
            .execute(
                "UPDATE sync_state SET joined = 1, capturing = 1, member_role = ?1, team_data_writers = ?2 WHERE id = 1",
                [role, writers],
            )
            .expect("state");
    };
    set(&desk, "coordinator", "lead");
    let refused = desk
        .save_partner(Some(id), &partner("Kool B"))
        .expect_err("only the lead");
    assert_eq!(refused.code(), "team.data_lead_only");
    assert!(
        refused
            .payload()
            .message
            .et
            .contains("muudab selles meeskonnas meeskonna juht"),
        "{refused:?}"
    );
    assert!(desk.save_partner(None, &partner("Kool C")).is_err());
    let names = |desk: &Desk| -> Vec<String> {
        let conn = desk.store().connection();
        let mut st = conn
            .prepare("SELECT name FROM partner ORDER BY id")
            .expect("names");
        st.query_map([], |r| r.get(0))
            .expect("rows")
            .map(|r| r.expect("row"))
            .collect()
    };
    assert_eq!(names(&desk), ["Kool A"]);
    set(&desk, "coordinator", "all");
    desk.save_partner(Some(id), &partner("Kool B"))
        .expect("every member may");
    set(&desk, "lead", "lead");
    desk.save_partner(Some(id), &partner("Kool C"))
        .expect("the lead may");
    assert_eq!(names(&desk), ["Kool C"]);
}

/// The lead lets every member change the team-wide data and takes it back; a coordinator's desk
/// follows at its sync: a partner changed while allowed reaches the lead, and afterwards the
/// desk refuses the change itself instead of the server refusing it later.
#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn the_lead_decides_who_changes_team_wide_data_and_the_desks_follow() {
    let t = team("writers");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    lead.desk
        .save_partner(None, &partner("Kool A"))
        .expect("the lead's partner");
    let id = lead.count("SELECT id FROM partner WHERE name = 'Kool A'");
    lead.sync();
    let mut kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    kati.sync();
    assert_eq!(
        kati.desk.team_state().expect("state").team_data_writers,
        "lead"
    );
    let kati_id = kati.count("SELECT id FROM partner WHERE name = 'Kool A'");
    let refused = kati
        .desk
        .save_partner(Some(kati_id), &partner("Kool B"))
        .expect_err("only the lead");
    assert_eq!(refused.code(), "team.data_lead_only");

    let bad = lead
        .desk
        .team_set_data_writers(&lead.keys, "everyone")
        .expect_err("no such rule");
    let fields: Vec<String> = bad.payload().fields.into_iter().map(|f| f.field).collect();
    assert_eq!(fields, ["writers"], "{bad:?}");
    lead.desk
        .team_set_data_writers(&lead.keys, "all")
        .expect("all may");
    assert_eq!(
        lead.count("SELECT count(*) FROM audit_log WHERE action = 'team.data_writers'"),
        1
    );
    kati.sync();
    assert_eq!(
        kati.desk.team_state().expect("state").team_data_writers,
        "all"
    );
    kati.desk
        .save_partner(Some(kati_id), &partner("Kool B"))
        .expect("now allowed");
    let pushed = kati.sync();
    assert_eq!(pushed.rejected, 0, "{pushed:?}");
    lead.sync();
    assert_eq!(
        lead.count(&format!(
            "SELECT count(*) FROM partner WHERE id = {id} AND name = 'Kool B'"
        )),
        1
    );

    lead.desk
        .team_set_data_writers(&lead.keys, "lead")
        .expect("back to the lead");
    kati.sync();
    let again = kati
        .desk
        .save_partner(Some(kati_id), &partner("Kool C"))
        .expect_err("the lead only again");
    assert_eq!(again.code(), "team.data_lead_only");
    assert_eq!(
        kati.count("SELECT count(*) FROM partner WHERE name = 'Kool B'"),
        1
    );
}

/// The window's substitution form sends its dates as typed: pp.kk.aaaa is read the house's way,
/// and a date that is none is refused with its field's message before the server is asked (this
/// desk is in no team: a good pair gets as far as "not joined").
#[test]
fn a_substitutions_dates_as_typed_are_read_or_refused_with_their_field() {
    let dir = tempfile::tempdir().expect("tmp");
    let keys = MemoryKeyStore::default();
    let mut desk = Desk::create(&dir.path().join("d.db"), passphrase_key(), &keys, "test")
        .expect("create")
        .with_clock(clock());
    let bad = desk
        .team_substitute_as_typed(&keys, "kati", "lead", "31.02.2026", "xx")
        .expect_err("no such dates");
    let fields: Vec<String> = bad.payload().fields.into_iter().map(|f| f.field).collect();
    assert_eq!(fields, ["from", "to"], "{bad:?}");
    let not_joined = desk
        .team_substitute_as_typed(&keys, "kati", "lead", "07.12.2026", "14.12.2026")
        .expect_err("this desk is in no team");
    assert!(not_joined.code().starts_with("sync."), "{not_joined:?}");
}

/// A file in tests/data (the providers' sample CSV).
fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(name)
}

/// Rows of the shared tables of a case's remaining data (and documents' files) that `login`
/// reads in PostgreSQL directly, as the service does: its role, the member set for the
/// transaction, row-level security deciding.
fn rows_read_as(db: &str, login: &str) -> String {
    let member = psql(
        db,
        &format!("SELECT id FROM members WHERE login = '{login}'"),
    );
    psql(
        db,
        &format!(
            "BEGIN; SET LOCAL ROLE srt_service;
             SELECT set_config('srt.member_id', '{member}', true);
             SELECT coalesce((SELECT string_agg(tbl || ':' || n, ',' ORDER BY tbl) FROM
                       (SELECT tbl, count(*) AS n FROM shared_rows
                        WHERE tbl IN ('invoice', 'invoice_line', 'proposal', 'proposal_link',
                                      'feedback_answer', 'attachment', 'task', 'task_link')
                        GROUP BY tbl) x), '')
                    || ' files:' || (SELECT count(*) FROM files);
             COMMIT;"
        ),
    )
    .lines()
    .filter(|l| l.contains("files:"))
    .collect::<Vec<_>>()
    .join("")
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_substitute_gets_the_absent_colleagues_invoice_proposal_feedback_and_file_and_an_outsider_none()
{
    use srt_core::money::{InvoiceInput, LineInput};
    use srt_core::work::proposals::ProposalInput;

    let t = team("casedata");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let juta_code = invite(&t.url, "juta", "Juta Näidis");
    let dir = tempfile::tempdir().expect("tmp");

    // The lead's desk keeps the team's provider directory.
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    lead.desk
        .provider_import(&sample("providers-good.csv"))
        .expect("providers");
    lead.sync();

    let mut kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    kati.sync();
    let case = kati
        .desk
        .register_application(&application(CHILD_CODE))
        .expect("case");
    let provider = kati.desk.provider_list().expect("providers")[0].clone();
    // A document with a scanned file (a PDF's header, then bytes of every value).
    let doc = kati
        .desk
        .add_document(case.id, &medical_document())
        .expect("document");
    let mut body = b"%PDF-1.7\n".to_vec();
    body.extend((0..300_000u32).map(|i| (i % 251) as u8));
    let pdf = dir.path().join("otsus.pdf");
    std::fs::write(&pdf, &body).expect("write");
    kati.desk.attach_file(doc.id, &pdf).expect("attach");
    kati.desk
        .add_feedback(case.id, &feedback_answer())
        .expect("feedback");
    kati.desk
        .save_proposal(
            None,
            &ProposalInput {
                topic: "provider".into(),
                title: "Füsioteraapia ootejärjekord".into(),
                problem: "Lapsed ootavad teenuse algust üle 60 päeva.".into(),
                case_ids: vec![case.id],
                provider_ids: vec![provider.id],
                ..Default::default()
            },
        )
        .expect("proposal");
    let line = |date: &str| LineInput {
        child_code: CHILD_CODE.into(),
        decision_number: "K000001".into(),
        activity_code: "2010".into(),
        service_date: date.into(),
        quantity: "1,5".into(),
        specialist: "Mari Maasikas".into(),
        content: "Individuaalne sessioon".into(),
        ..Default::default()
    };
    kati.desk
        .save_invoice(
            None,
            &InvoiceInput {
                provider_id: Some(provider.id),
                number: "A-17".into(),
                invoice_date: "25.11.2026".into(),
                period_from: "01.11.2026".into(),
                period_to: "30.11.2026".into(),
                notes: String::new(),
                lines: vec![line("03.11.2026"), line("10.11.2026")],
            },
        )
        .expect("invoice");
    let pushed = kati.sync();
    assert_eq!((pushed.rejected, pushed.conflicts), (0, 0), "{pushed:?}");
    assert_eq!(kati.count("SELECT count(*) FROM sync_file_upload"), 0);

    // What the absent coordinator's desk holds, table by table.
    let held = |l: &Laptop| -> Vec<i64> {
        [
            "SELECT count(*) FROM invoice WHERE number = 'A-17'",
            "SELECT count(*) FROM invoice_line",
            "SELECT coalesce(sum(amount_cents), 0) FROM invoice_line",
            "SELECT count(*) FROM proposal",
            "SELECT count(*) FROM proposal_link",
            "SELECT count(*) FROM feedback_answer",
            "SELECT coalesce(sum(score), 0) FROM feedback_answer",
            "SELECT count(*) FROM attachment",
        ]
        .iter()
        .map(|sql| l.count(sql))
        .collect()
    };
    let on_kati = held(&kati);
    assert_eq!(on_kati[..2], [1, 2]);
    assert_eq!(on_kati[3..], [1, 2, 2, 8, 1]);

    // A colleague outside sees none of it, on the desk or in PostgreSQL under RLS.
    let mut juta = t.joined_laptop(dir.path(), "juta", &juta_code);
    juta.sync();
    assert_eq!(held(&juta), vec![0; 8]);
    assert_eq!(rows_read_as(&t.db, "juta"), " files:0");

    // The substitute: every kind arrives, the file's bytes identical.
    let mut mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    mari.sync();
    assert_eq!(held(&mari), vec![0; 8]);
    assert_eq!(rows_read_as(&t.db, "mari"), " files:0");
    let sub = lead.substitute_today("kati", "mari");
    let during = mari.sync();
    assert_eq!(during.unapplied, 0, "{during:?}");
    assert_eq!(held(&mari), on_kati);
    let bytes: Vec<u8> = mari
        .desk
        .store()
        .connection()
        .query_row("SELECT content FROM attachment", [], |r| r.get(0))
        .expect("file");
    assert!(bytes == body, "the file's bytes arrived identical");
    assert_eq!(
        rows_read_as(&t.db, "mari"),
        "attachment:1,feedback_answer:2,invoice:1,invoice_line:2,proposal:1,proposal_link:2 files:1"
    );
    // The lead sees the team's, too.
    lead.sync();
    assert_eq!(held(&lead), on_kati);
    assert_eq!(juta.sync().pulled, 0);
    assert_eq!(held(&juta), vec![0; 8]);

    // The substitution ends: the colleague's invoice and proposal leave with her cases.
    lead.desk
        .team_cancel_substitution(&lead.keys, sub)
        .expect("cancel");
    mari.sync();
    assert_eq!(held(&mari), vec![0; 8]);
    assert_eq!(rows_read_as(&t.db, "mari"), " files:0");
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_task_the_lead_gives_reaches_the_coordinators_dashboard_and_comes_back_done() {
    use srt_core::work::tasks::TaskInput;

    let t = team("tasks");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    let mut kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    let mut mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    kati.sync();
    mari.sync();
    lead.sync();

    // Only the lead's desk gives tasks, to the team's members.
    assert!(kati.desk.task_assignees().expect("none").is_empty());
    let members: Vec<String> = lead
        .desk
        .task_assignees()
        .expect("members")
        .into_iter()
        .map(|(login, _)| login)
        .collect();
    assert!(
        members.contains(&"kati".to_string()) && members.contains(&"mari".to_string()),
        "{members:?}"
    );
    let input = |assignee: &str| TaskInput {
        title: "Koosta kvartali ülevaade ootejärjekorrast".into(),
        from_kind: "other".into(),
        from_name: "kes iganes".into(),
        due_on: "27.11.2026".into(),
        assignee: assignee.into(),
        ..Default::default()
    };
    let refused = kati.desk.save_task(None, &input("mari")).expect_err("no");
    assert_eq!(refused.payload().fields[0].field, "assignee");
    let unknown = lead.desk.save_task(None, &input("olga")).expect_err("no");
    assert_eq!(unknown.payload().fields[0].code, "unknown_member");
    let given = lead.desk.save_task(None, &input("kati")).expect("given");
    assert_eq!(given.assignee.as_deref(), Some("kati"));
    assert_eq!(given.from_kind, "team_lead");
    // The lead's own task stays the lead's.
    lead.desk
        .save_task(
            None,
            &TaskInput {
                title: "Juhi enda ülesanne".into(),
                from_kind: "service_manager".into(),
                ..Default::default()
            },
        )
        .expect("own");
    // Given, it is not on the lead's own dashboard, but in the lead's list with whom it went to.
    let titles = |l: &Laptop| -> Vec<String> {
        let d = l.desk.dashboard().expect("dashboard");
        d.tasks
            .iter()
            .chain(d.undated_tasks.iter())
            .map(|t| t.title.clone())
            .collect()
    };
    assert_eq!(titles(&lead), vec!["Juhi enda ülesanne".to_string()]);
    let pushed = lead.sync();
    assert_eq!((pushed.rejected, pushed.conflicts), (0, 0), "{pushed:?}");

    // It arrives on Kati's dashboard, from the lead by name; Mari gets nothing, not even in
    // PostgreSQL read under row-level security.
    kati.sync();
    assert_eq!(
        titles(&kati),
        vec!["Koosta kvartali ülevaade ootejärjekorrast".to_string()]
    );
    let on_kati = kati.desk.tasks("open").expect("list");
    assert_eq!(on_kati.len(), 1);
    let lead_name: String = lead
        .desk
        .store()
        .connection()
        .query_row(
            "SELECT m.name FROM sync_member m JOIN sync_state s ON s.member_id = m.id",
            [],
            |r| r.get(0),
        )
        .expect("the lead's name");
    assert!(!lead_name.is_empty());
    assert_eq!(
        (on_kati[0].from_kind.as_str(), on_kati[0].from_name.as_str()),
        ("team_lead", lead_name.as_str())
    );
    mari.sync();
    assert!(titles(&mari).is_empty());
    assert_eq!(mari.count("SELECT count(*) FROM task"), 0);
    assert_eq!(rows_read_as(&t.db, "mari"), " files:0");
    assert_eq!(rows_read_as(&t.db, "kati"), "task:1 files:0");

    // Kati marks it done; the lead sees it done after the sync.
    kati.desk
        .set_task_done(on_kati[0].id, "25.11.2026")
        .expect("done");
    kati.sync();
    lead.sync();
    let done = lead.desk.tasks("done").expect("done list");
    assert_eq!(done.len(), 1, "{done:?}");
    assert_eq!(done[0].assignee.as_deref(), Some("kati"));
    assert_eq!(
        done[0].done_on.map(|d| d.to_string()).as_deref(),
        Some("2026-11-25")
    );
    assert!(lead.desk.tasks("open").expect("open").len() == 1);
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_coordinator_joining_with_providers_and_partners_of_its_own_loses_nothing_and_rewrites_nothing_later(
) {
    let t = team("ownproviders");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    // The lead's desk had the providers' register before the team: the team's directory.
    let mut lead = Laptop::new(dir.path(), "lead");
    lead.desk
        .provider_import(&sample("providers-good.csv"))
        .expect("the lead's providers");
    lead.join(&t.base, &t.ca, &t.lead_code);
    lead.sync();

    // Kati's desk, before the team: its own provider directory (the same register: the same
    // providers under other ids), a partner with a contact entry (no case), and a case whose
    // family chose one of her providers.
    let mut kati = Laptop::new(dir.path(), "kati");
    kati.desk
        .provider_import(&sample("providers-good.csv"))
        .expect("providers");
    let case = kati
        .desk
        .register_application(&application(CHILD_CODE))
        .expect("case");
    {
        let conn = kati.desk.store().connection();
        let provider: i64 = conn
            .query_row("SELECT min(id) FROM provider", [], |r| r.get(0))
            .expect("provider");
        conn.execute_batch(&format!(
            "INSERT INTO partner (name, kind, contact_name, created_at, updated_at)
             VALUES ('Näidisvalla sotsiaalosakond', 'kov', 'Mari Proov', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z');
             INSERT INTO contact_log (partner_id, contact_date, channel, who, summary, created_at, updated_at)
             VALUES (last_insert_rowid(), '2026-11-02', 'phone', 'Mari Proov', 'Kokkulepe ümarlaua ajas',
                     '2026-11-02T00:00:00Z', '2026-11-02T00:00:00Z');
             INSERT INTO provider_choice (case_id, provider_id, chosen_on, created_at, updated_at)
             VALUES ({}, {provider}, '2026-11-03', '2026-11-03T00:00:00Z', '2026-11-03T00:00:00Z');",
            case.id
        ))
        .expect("own rows");
    }
    let own = |l: &Laptop| -> Vec<i64> {
        [
            "SELECT count(*) FROM provider WHERE registry_code = '10000001'",
            "SELECT count(*) FROM provider_location",
            "SELECT count(*) FROM partner WHERE name = 'Näidisvalla sotsiaalosakond'",
            "SELECT count(*) FROM contact_log WHERE summary = 'Kokkulepe ümarlaua ajas'",
            "SELECT count(*) FROM provider_choice c JOIN provider p ON p.id = c.provider_id
             WHERE p.registry_code = '10000001'",
        ]
        .iter()
        .map(|sql| l.count(sql))
        .collect()
    };
    let before = own(&kati);
    assert!(before.iter().all(|n| *n >= 1), "{before:?}");
    kati.join(&t.base, &t.ca, &kati_code);
    let first = kati.sync();
    assert_eq!((first.rejected, first.conflicts), (0, 0), "{first:?}");
    assert_eq!(kati.count("SELECT count(*) FROM sync_rejected"), 0);

    // The lead's desk takes all of it: nothing left unapplied.
    let pulled = lead.sync();
    assert_eq!(pulled.unapplied, 0, "{pulled:?}");
    assert_eq!(lead.count("SELECT count(*) FROM sync_unapplied"), 0);
    assert_eq!(own(&lead), before);
    // The same provider is one on the lead's desk: Kati's copy stands for the lead's row.
    assert_eq!(
        lead.count("SELECT count(*) FROM provider"),
        kati.count("SELECT count(*) FROM provider")
    );

    // Afterwards Kati's desk changes no team-wide row, and adds none, unless the setting lets it:
    // the desk itself refuses (migration 028) ...
    let refused = kati
        .desk
        .store()
        .connection()
        .execute(
            "UPDATE provider SET name = 'Ümber nimetatud OÜ' WHERE registry_code = '10000001'",
            [],
        )
        .expect_err("the desk refuses");
    assert!(
        refused.to_string().contains("srt:team_data_lead_only"),
        "{refused}"
    );
    // ... and so does the server, for a desk that believes it may (an older build, a bug).
    kati.desk
        .store()
        .connection()
        .execute(
            "UPDATE sync_state SET team_data_writers = 'all' WHERE id = 1",
            [],
        )
        .expect("a desk that believes it may");
    kati.desk
        .store()
        .connection()
        .execute(
            "UPDATE provider SET name = 'Ümber nimetatud OÜ' WHERE registry_code = '10000001'",
            [],
        )
        .expect("rename");
    kati.desk
        .store()
        .connection()
        .execute(
            "INSERT INTO partner (name, kind, created_at, updated_at)
             VALUES ('Hilisem partner', 'school', '2026-11-25T00:00:00Z', '2026-11-25T00:00:00Z')",
            [],
        )
        .expect("a later partner");
    let later = kati.sync();
    assert_eq!(later.rejected, 2, "{later:?}");
    lead.sync();
    assert_eq!(
        lead.count("SELECT count(*) FROM provider WHERE name = 'Ümber nimetatud OÜ'"),
        0
    );
    assert_eq!(
        lead.count("SELECT count(*) FROM partner WHERE name = 'Hilisem partner'"),
        0
    );
    assert_eq!(
        psql(
            &t.db,
            "SELECT count(*) FROM shared_rows WHERE tbl = 'provider' AND data->>'name' = 'Ümber nimetatud OÜ'"
        ),
        "0"
    );
}

/// Every case id a dashboard row points at (the case deadlines' groups, agreed actions, tasks).
fn dashboard_cases(view: &srt_core::desk::DashboardView) -> std::collections::BTreeSet<i64> {
    let dash = view.dashboard.as_ref().expect("the dashboard's rows");
    dash.groups
        .iter()
        .flat_map(|g| g.items.iter().map(|i| i.case_id))
        .chain(dash.actions.iter().map(|a| a.case_id))
        .chain(
            dash.tasks
                .iter()
                .chain(&dash.undated_tasks)
                .flat_map(|t| t.cases.iter().map(|c| c.id)),
        )
        .collect()
}

/// The case list and the dashboard filter by the responsible coordinator, in SQL over the synced
/// owner: a substitute sees their own and the absent colleague's, and the filter keeps each's;
/// a case not yet pushed is this desk's member's; `srt-admin cases` (team_cases) lists all.
#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn the_case_list_and_the_dashboard_filter_by_the_responsible_coordinator() {
    let t = team("coordfilter");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    let k1 = kati
        .desk
        .register_application(&application(CHILD_CODE))
        .expect("kati's first case");
    let k2 = kati
        .desk
        .register_application(&application(OTHER_CHILD))
        .expect("kati's second case");
    kati.sync();
    let mut mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    mari.desk
        .register_application(&application(THIRD_CHILD))
        .expect("mari's case");
    mari.sync();
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    lead.desk
        .team_substitute(
            &lead.keys,
            "kati",
            "mari",
            today() - chrono::Days::new(1),
            today() + chrono::Days::new(3),
        )
        .expect("substitute");
    mari.sync();

    let list = |l: &Laptop, who: &str, sort: &str| -> (i64, Vec<String>) {
        let page = l
            .desk
            .list_cases(&CaseFilter {
                coordinator: who.into(),
                sort: sort.into(),
                ..Default::default()
            })
            .expect("list");
        let mut nos: Vec<String> = page.items.into_iter().map(|i| i.case_no).collect();
        nos.sort();
        (page.total, nos)
    };
    let mut katis = vec![k1.case_no.clone(), k2.case_no.clone()];
    katis.sort();
    for sort in ["", "deadline"] {
        let (total, nos) = list(&mari, "kati", sort);
        assert_eq!((total, &nos), (2, &katis), "sort {sort:?}");
        let (total, nos) = list(&mari, "mari", sort);
        assert_eq!(total, 1, "sort {sort:?}");
        assert!(!katis.contains(&nos[0]), "{nos:?}");
        assert_eq!(list(&mari, "", sort).0, 3, "all, sort {sort:?}");
    }
    // Each row of a team desk's list names its responsible coordinator.
    let named: Vec<(String, Option<String>)> = mari
        .desk
        .list_cases(&CaseFilter::default())
        .expect("list")
        .items
        .into_iter()
        .map(|i| (i.case_no, i.coordinator))
        .collect();
    for (no, who) in &named {
        let who = who.as_deref().unwrap_or_default();
        if katis.contains(no) {
            assert!(who.starts_with("Kati"), "{no}: {who}");
        } else {
            assert!(!who.is_empty() && !who.starts_with("Kati"), "{no}: {who}");
        }
    }
    // With a status and a search too.
    let found = mari
        .desk
        .list_cases(&CaseFilter {
            coordinator: "kati".into(),
            status: "received".into(),
            text: "Õunapuu".into(),
            ..Default::default()
        })
        .expect("search");
    assert_eq!(found.total, 2);
    // The filter offers mine first, then the colleague whose cases the desk holds.
    let offered: Vec<(String, bool, i64)> = mari
        .desk
        .team_coordinators()
        .expect("coordinators")
        .into_iter()
        .map(|c| (c.login, c.mine, c.cases))
        .collect();
    assert_eq!(
        offered,
        [
            ("mari".to_string(), true, 1),
            ("kati".to_string(), false, 2)
        ]
    );
    // The dashboard: each coordinator's rows are their cases' only, counted again.
    let all = mari.desk.dashboard_view().expect("all");
    let only_kati = mari.desk.dashboard_view_for("kati").expect("kati's");
    let only_mari = mari.desk.dashboard_view_for("mari").expect("mari's");
    let (k_ids, m_ids) = (dashboard_cases(&only_kati), dashboard_cases(&only_mari));
    let kati_ids: std::collections::BTreeSet<i64> = mari
        .desk
        .list_cases(&CaseFilter {
            coordinator: "kati".into(),
            ..Default::default()
        })
        .expect("list")
        .items
        .iter()
        .map(|i| i.id)
        .collect();
    assert!(
        !k_ids.is_empty(),
        "a new application has its decision deadline"
    );
    assert!(k_ids.is_subset(&kati_ids), "{k_ids:?} {kati_ids:?}");
    assert!(m_ids.is_disjoint(&kati_ids), "{m_ids:?}");
    assert_eq!(dashboard_cases(&all), &k_ids | &m_ids);
    let total = |v: &srt_core::desk::DashboardView| {
        let c = &v.dashboard.as_ref().expect("rows").counts;
        c.overdue + c.today + c.week + c.later
    };
    assert_eq!(total(&all), total(&only_kati) + total(&only_mari));
    assert!(total(&only_kati) > 0 && total(&only_kati) < total(&all));
    // The desk's own task without a case is the desk's own work: under mine, not under Kati.
    mari.desk
        .save_task(
            None,
            &srt_core::work::tasks::TaskInput {
                title: "Helista vallale".into(),
                from_kind: "team_lead".into(),
                due_on: String::new(),
                ..Default::default()
            },
        )
        .expect("task");
    let undated = |v: srt_core::desk::DashboardView| v.dashboard.expect("rows").undated_tasks.len();
    assert_eq!(
        undated(mari.desk.dashboard_view_for("mari").expect("mine")),
        1
    );
    assert_eq!(
        undated(mari.desk.dashboard_view_for("kati").expect("kati")),
        0
    );

    // A case registered now and not yet pushed is Mari's.
    mari.desk
        .register_application(&application("61501010002"))
        .expect("a new case");
    assert_eq!(list(&mari, "mari", "").0, 2);
    // A login this team does not have is refused on the field, in both languages.
    let unknown = mari
        .desk
        .list_cases(&CaseFilter {
            coordinator: "juku".into(),
            ..Default::default()
        })
        .expect_err("no such member");
    assert_eq!(unknown.code(), "validation");
    let f = &unknown.payload().fields[0];
    assert_eq!(
        (f.field.as_str(), f.code.as_str()),
        ("coordinator", "team.coordinator_unknown")
    );
    assert!(mari.desk.dashboard_view_for("juku").is_err());
    // srt-admin cases (team_cases) is not filtered.
    assert_eq!(mari.cases().len(), 4);

    // The lead sees the whole team and can filter by each.
    lead.sync();
    let offered: Vec<String> = lead
        .desk
        .team_coordinators()
        .expect("coordinators")
        .into_iter()
        .map(|c| c.login)
        .collect();
    assert_eq!(offered, ["lead", "kati", "mari"]);
    assert_eq!(list(&lead, "kati", "").1, katis);
    assert_eq!(list(&lead, "lead", "").0, 0);

    // A desk not in a team offers no filter.
    let alone = Laptop::new(dir.path(), "alone");
    assert!(alone.desk.team_coordinators().expect("none").is_empty());
    assert!(alone
        .desk
        .dashboard_view()
        .expect("view")
        .coordinators
        .is_empty());
}

/// When a substitution ends, a colleague's cases with their whole history (decisions, meetings,
/// providers chosen, confirmations: the demo's) leave the substitute's desk: the purge deletes
/// rows that refer to each other, in whatever order the tables come (found by
/// tests/e2e/team-desks.test.js: "FOREIGN KEY constraint failed" on the sync line).
#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_colleagues_cases_with_their_history_leave_the_substitutes_desk() {
    let t = team("purgehistory");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    lead.sync();
    let mut kati = Laptop::new(dir.path(), "kati");
    kati.desk.load_demo(15, 1).expect("demo");
    kati.join(&t.base, &t.ca, &kati_code);
    kati.sync();
    let mut mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    mari.sync();
    let sub = lead
        .desk
        .team_substitute(
            &lead.keys,
            "kati",
            "mari",
            today() - chrono::Days::new(1),
            today() + chrono::Days::new(3),
        )
        .expect("substitute");
    mari.sync();
    assert_eq!(mari.cases().len(), 15);
    assert!(mari.count("SELECT count(*) FROM decision") > 0);
    lead.desk
        .team_cancel_substitution(&lead.keys, sub)
        .expect("cancel");
    let after = mari
        .desk
        .team_sync(&mari.keys)
        .expect("the purge of the cases and their history");
    // The 15 cases and Kati's member box (her invoices, proposals, tasks) leave.
    assert_eq!(after.pulled, 16, "{after:?}");
    assert!(mari.cases().is_empty());
    for table in [
        "srt_case",
        "child",
        "decision",
        "provider_choice",
        "meeting",
    ] {
        assert_eq!(
            mari.count(&format!("SELECT count(*) FROM {table}")),
            0,
            "{table}"
        );
    }
    assert_eq!(kati.cases().len(), 15);
}

/// A listener of the server's events stream on a thread of its own (as the window's auto-sync
/// runs it): each wake-up comes out of the channel with the time it arrived.
fn listener(l: &Laptop) -> mpsc::Receiver<(srt_core::sync::events::Wake, Instant)> {
    let (client, device_id) = l.desk.team_events_client(&l.keys).expect("events client");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        srt_core::sync::events::listen(
            &mut || Some((client.clone(), device_id)),
            &|| true,
            &mut |w| {
                let _ = tx.send((w, Instant::now()));
            },
        )
    });
    rx
}

/// The desk woken by the server: after Kati's desk pushes a change of her case, the lead's
/// listener (the lead sees every case) is woken within seconds and its sync brings the change;
/// Mari's (the case is not hers) and Kati's own are not woken by it. A substitution wakes Mari's
/// (the team changed), and her sync then brings Kati's case.
#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_colleagues_change_wakes_the_desk_within_seconds_and_only_the_desks_it_concerns() {
    use srt_core::sync::events::Wake;
    let t = team("wake");
    let mut server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    let mut mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    let case = kati
        .desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    kati.sync();
    lead.sync();
    mari.sync();
    assert_eq!(lead.cases().len(), 1);

    let on_kati = listener(&kati);
    let on_lead = listener(&lead);
    let on_mari = listener(&mari);
    for _ in 0..3 {
        server.wait_for("events stream opened");
    }

    kati.desk
        .change_status(case.id, "incomplete", "Puudub arstitõend")
        .expect("kati's change");
    let pushed = kati.sync();
    assert!(pushed.pushed >= 1, "{pushed:?}");
    let at = Instant::now();
    let (wake, when) = on_lead
        .recv_timeout(Duration::from_secs(10))
        .expect("the lead's desk is woken");
    assert!(
        matches!(wake, Wake::Changes { changes, .. } if changes >= 1),
        "{wake:?}"
    );
    let took = when.saturating_duration_since(at);
    assert!(took < Duration::from_secs(5), "woken after {took:?}");
    let synced = lead.sync();
    assert!(synced.pulled >= 1, "{synced:?}");
    assert_eq!(
        lead.count("SELECT count(*) FROM srt_case WHERE status = 'incomplete'"),
        1
    );
    // Neither the desk the change came from nor a colleague it does not concern.
    assert!(
        on_mari.recv_timeout(Duration::from_secs(2)).is_err(),
        "mari's desk woken by a case not hers"
    );
    assert!(
        on_kati.try_recv().is_err(),
        "kati's desk woken by its own change"
    );

    // The team changed: Mari stands in for Kati from today.
    lead.desk
        .team_substitute(
            &lead.keys,
            "kati",
            "mari",
            today(),
            today() + chrono::Days::new(1),
        )
        .expect("substitute");
    let (wake, _) = on_mari
        .recv_timeout(Duration::from_secs(10))
        .expect("mari's desk is woken by the substitution");
    assert!(matches!(wake, Wake::Team { .. }), "{wake:?}");
    mari.sync();
    assert_eq!(mari.cases().len(), 1);
}

/// A contact about no case (a call with a school or a provider) is the coordinator's own: it
/// lives in the member's box, so a coordinator logs it whoever changes the team-wide data, the
/// lead and a substitute (while the substitution lasts) see it, and a colleague outside does not
/// — before, it went up as team-wide data and the server refused it (only the lead writes that).
#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_contact_about_no_case_is_the_members_own_seen_by_the_lead_and_the_substitute_only() {
    let t = team("contactbox");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    lead.desk
        .save_partner(None, &partner("Kool A"))
        .expect("the lead's partner");
    lead.sync();

    let contact = |partner_id: i64, summary: &str, follow_up_on: &str| {
        srt_core::providers::partners::ContactEntryInput {
            partner_id: Some(partner_id),
            contact_date: "2026-11-24".into(),
            channel: "phone".into(),
            who: "õppejuht".into(),
            summary: summary.into(),
            follow_up_on: follow_up_on.into(),
            ..Default::default()
        }
    };
    // Kati's desk had a partner and a contact with it before the team existed.
    let mut kati = Laptop::new(dir.path(), "kati");
    kati.desk
        .save_partner(None, &partner("Kool K"))
        .expect("her own partner");
    let own = kati.count("SELECT id FROM partner WHERE name = 'Kool K'");
    kati.desk
        .add_contact(&contact(own, "Enne meeskonda", ""))
        .expect("contact before joining");
    kati.join(&t.base, &t.ca, &kati_code);
    let first = kati.sync();
    assert_eq!((first.rejected, first.conflicts), (0, 0), "{first:?}");
    assert_eq!(
        kati.desk.team_state().expect("state").team_data_writers,
        "lead"
    );
    // After joining, with the team-wide data the lead's alone: a call with the lead's partner.
    let school = kati.count("SELECT id FROM partner WHERE name = 'Kool A'");
    let entry = kati
        .desk
        .add_contact(&contact(school, "Helistasin koolile", "2026-11-27"))
        .expect("a coordinator logs a contact about no case");
    let pushed = kati.sync();
    assert_eq!((pushed.rejected, pushed.conflicts), (0, 0), "{pushed:?}");
    assert_eq!(kati.count("SELECT count(*) FROM sync_outbox"), 0);
    assert_eq!(
        kati.count("SELECT count(*) FROM contact_log WHERE box LIKE '00000000-0000-8000-8000-%'"),
        2
    );
    assert_eq!(
        psql(
            &t.db,
            "SELECT count(*) FROM shared_rows WHERE tbl = 'contact_log' AND case_id IS NULL"
        ),
        "0",
        "no contact is team-wide on the server"
    );

    let summaries = |l: &Laptop| -> i64 {
        l.count(
            "SELECT count(*) FROM contact_log WHERE summary IN ('Enne meeskonda', 'Helistasin koolile')",
        )
    };
    lead.sync();
    assert_eq!(summaries(&lead), 2, "the lead sees the team's contacts");
    // On the lead's dashboard the follow-up is Kati's: filtered by her, not by the lead.
    let follow_ups_of = |l: &Laptop, login: &str| -> Vec<String> {
        l.desk
            .dashboard_rows(None, Some("contact_follow_up"), 100, login)
            .expect("dashboard rows")
            .groups
            .iter()
            .flat_map(|g| g.items.iter().map(|i| i.title.et.clone()))
            .collect()
    };
    assert_eq!(
        follow_ups_of(&lead, "kati"),
        ["Järeltegevus: Helistasin koolile"]
    );
    assert!(follow_ups_of(&lead, "lead").is_empty());
    assert_eq!(follow_ups_of(&lead, "").len(), 1);
    let mut mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    mari.sync();
    assert_eq!(summaries(&mari), 0, "a colleague outside sees none");
    assert_eq!(
        mari.count("SELECT count(*) FROM partner WHERE name = 'Kool K'"),
        1,
        "Kati's partner itself is team-wide"
    );

    // Mari stands in for Kati: Kati's contacts come, the follow-up on her dashboard; then go.
    let sub = lead.substitute_today("kati", "mari");
    mari.sync();
    assert_eq!(summaries(&mari), 2);
    let dashboard = mari.desk.dashboard().expect("dashboard");
    let follow_ups: Vec<String> = dashboard
        .groups
        .iter()
        .filter(|g| g.kind == "contact_follow_up")
        .flat_map(|g| g.items.iter().map(|i| i.title.et.clone()))
        .collect();
    assert_eq!(follow_ups, ["Järeltegevus: Helistasin koolile"]);
    // Kati marks the follow-up done on her desk: it reaches the lead.
    kati.desk
        .contact_follow_up_done(entry.id)
        .expect("follow-up done");
    assert_eq!(kati.sync().rejected, 0);
    lead.sync();
    assert_eq!(
        lead.count("SELECT count(*) FROM contact_log WHERE summary = 'Helistasin koolile' AND follow_up_done = 1"),
        1
    );
    lead.desk
        .team_cancel_substitution(&lead.keys, sub)
        .expect("cancel");
    mari.sync();
    assert_eq!(summaries(&mari), 0, "the box left with the substitution");
}

/// The opening reached the server but its sync failed (the network went): pressing "Ava
/// juhtum" again only syncs — the server's opening lasts the day — so the case arrives with
/// one opening on the server and one audit row, not two.
#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_colleagues_case_opened_again_after_a_failed_sync_is_opened_once() {
    let t = team("openagain");
    let _server = t.serve(&[]);
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let dir = tempfile::tempdir().expect("tmp");
    let mut kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    let mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    let case = kati
        .desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    kati.sync();
    let keys = mari.keys;
    let desk = std::sync::Mutex::new(mari.desk);
    let held = Held(&desk, &keys);
    let reason = "Kati palus helistada emale";
    let failed = srt_core::sync::team_open_case_in_steps(&held, &case.case_no, reason, &mut || {
        Err(srt_core::Error::Internal("the network went".into()))
    })
    .expect_err("the sync after the opening failed");
    assert!(format!("{failed:?}").contains("the network went"));
    let opened = srt_core::sync::team_open_case_in_steps(&held, &case.case_no, reason, &mut || {
        srt_core::sync::background::team_sync_in_steps(&held)
    })
    .expect("opened on the second press");
    assert!(!opened.already);
    assert_eq!(opened.case_no, case.case_no);
    assert_eq!(
        psql(&t.db, "SELECT count(*) FROM case_openings"),
        "1",
        "one opening on the server"
    );
    let audited: i64 = desk
        .lock()
        .expect("desk")
        .store()
        .connection()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'team.case.open'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(audited, 1, "one audit row");
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_pull_makes_again_only_the_search_rows_of_what_it_brought_that_is_searched() {
    let t = team("searched");
    let _server = t.serve(&[]);
    let dir = tempfile::tempdir().expect("tmp");
    let (mut kati, case) = t.kati_with_a_case(dir.path());
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    lead.sync();
    assert_eq!(lead.cases().len(), 1);
    // The search index's stored pages: making a case's search rows again writes new ones.
    let index =
        "SELECT count(*) * 1000000 + coalesce(sum(length(block)), 0) FROM global_search_data";

    // A meeting is not searched: its pull leaves the case's search rows as they are.
    kati.desk
        .create_meeting(case.id, &meeting_at("Õunapuu kodu", "10:00"))
        .expect("meeting");
    kati.sync();
    let before = lead.count(index);
    let r = lead.sync();
    assert!(r.pulled >= 1, "{r:?}");
    assert!(meeting_id(&lead, "Õunapuu kodu") > 0);
    assert_eq!(lead.count(index), before, "the search rows were made again");

    // A document is: the colleague's new document is found on the lead's desk.
    let mut doc = medical_document();
    doc.title = "Koolipsühholoogi hinnang".into();
    kati.desk.add_document(case.id, &doc).expect("document");
    kati.sync();
    lead.sync();
    let hits = lead.desk.search("koolipsühholoogi").expect("search").items;
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].kind, "document");
    assert_ne!(lead.count(index), before);
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_substitution_of_more_cases_than_a_page_arrives_whole_in_one_sync() {
    use srt_core::cases::ids::{PersonalCode, Sex};
    let t = team("manycases");
    let _server = t.serve(&[]);
    let dir = tempfile::tempdir().expect("tmp");
    let kati_code = invite(&t.url, "kati", "Kati Näidis");
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let mut kati = t.joined_laptop(dir.path(), "kati", &kati_code);
    // More cases than the server sends whole on one page (the desk asks 1 000 a page).
    let born = chrono::NaiveDate::from_ymd_opt(2015, 3, 1).expect("date");
    for i in 0..1001u32 {
        let code = PersonalCode::compose(
            born + chrono::Days::new(u64::from(i / 500)),
            Sex::Female,
            i % 500,
        );
        kati.desk
            .register_application(&application(code.as_str()))
            .expect("register");
        if i % 50 == 49 {
            // A desk keeps 100 case numbers reserved; the sync tops them up.
            kati.sync();
        }
    }
    // Kati's own task (in her member box, which the server sends among the first cases, its id
    // being older than theirs) points at her newest case, which comes on the second page: the
    // task's link waits for it across pages, it is not left behind as unapplied.
    let newest: i64 = kati.count("SELECT max(id) FROM srt_case");
    kati.desk
        .save_task(
            None,
            &srt_core::work::tasks::TaskInput {
                title: "Helista perele".into(),
                from_kind: "team_lead".into(),
                case_ids: vec![newest],
                ..Default::default()
            },
        )
        .expect("task");
    let pushed = kati.sync();
    assert_eq!(pushed.rejected, 0, "{pushed:?}");
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    lead.sync();
    let mut mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    mari.sync();
    assert!(mari.cases().is_empty());
    lead.substitute_today("kati", "mari");

    // Nothing new in the team's change log since Mari's last sync, only her scope wider: the
    // first page of cases leaves her cursor where it was, and the sync goes on to the next.
    let r = mari.sync();
    assert_eq!(mari.cases().len(), 1001, "{r:?}");
    assert_eq!(r.unapplied, 0, "{r:?}");
    assert_eq!(mari.count("SELECT count(*) FROM sync_unapplied"), 0);
    assert_eq!(
        mari.count(
            "SELECT count(*) FROM task_link l JOIN task t ON t.id = l.task_id
             WHERE t.title = 'Helista perele' AND l.case_id IS NOT NULL"
        ),
        1
    );
    let found = mari
        .desk
        .list_cases(&CaseFilter::default())
        .expect("case list");
    assert_eq!(found.total, 1001);
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn cases_a_lost_pull_answer_carried_reach_the_desk_at_its_next_sync() {
    let t = team("lostanswer");
    let _server = t.serve(&[]);
    let dir = tempfile::tempdir().expect("tmp");
    let (mut kati, _case) = t.kati_with_a_case(dir.path());
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    lead.sync();
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let mut mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    mari.sync();
    lead.substitute_today("kati", "mari");

    // Mari's desk asks for its next page, and the answer never arrives (the network cut, the
    // laptop closed): the server has sent her Kati's case whole, the desk has nothing of it.
    let token = mari.device_token();
    let after = mari.count("SELECT last_seq FROM sync_state");
    let ack = mari.count(
        "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta
                          WHERE key = 'team_pull_applied_page'), 0)",
    );
    assert!(ack > 0, "the desk keeps the last page it applied");
    let lost = srt_core::sync::SyncClient::new(&t.base, &t.ca)
        .expect("client")
        .with_token(token.as_str())
        .pull(after, 1000, ack)
        .expect("pull");
    assert!(!lost.snapshots.is_empty(), "{lost:?}");
    assert!(mari.cases().is_empty());

    // Her next sync gets the case all the same, and the one after confirms it and sends nothing.
    let r = mari.sync();
    assert_eq!(mari.cases().len(), 1, "{r:?}");
    let again = mari.sync();
    assert_eq!(again.pulled, 0, "{again:?}");
    assert_eq!(mari.cases().len(), 1);
    kati.sync();
}

/// The desk held for each of a sync's steps, as the window holds it; once the push has emptied
/// the outbox, the coordinator writes in `case` before the next step (the window writing while
/// the sync runs).
struct WritingBetween<'a> {
    desk: &'a std::sync::Mutex<Desk>,
    keys: &'a MemoryKeyStore,
    case: i64,
    written: std::cell::Cell<bool>,
    empty_seen: std::cell::Cell<u32>,
}

impl srt_core::sync::background::LocalSteps for WritingBetween<'_> {
    fn local(
        &self,
        step: &mut dyn FnMut(&mut Desk, &dyn srt_core::KeyStore) -> srt_core::Result<()>,
    ) -> srt_core::Result<()> {
        let mut desk = self.desk.lock().expect("desk");
        let waiting: i64 = desk
            .store()
            .connection()
            .query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))
            .expect("outbox");
        // The push reads the outbox until it finds it empty: the step after that one is past
        // the push.
        if waiting == 0 {
            self.empty_seen.set(self.empty_seen.get() + 1);
        }
        if self.empty_seen.get() == 2 && !self.written.get() {
            self.written.set(true);
            let mut doc = medical_document();
            doc.title = "Kirjutatud sünkroonimise ajal".into();
            desk.add_document(self.case, &doc)
                .expect("write while syncing");
        }
        step(&mut desk, self.keys)
    }
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_purge_refused_for_changes_not_yet_sent_is_done_at_the_next_sync() {
    let t = team("refusedpurge");
    let _server = t.serve(&[]);
    let dir = tempfile::tempdir().expect("tmp");
    let (_kati, _) = t.kati_with_a_case(dir.path());
    let mut lead = t.joined_laptop(dir.path(), "lead", &t.lead_code);
    lead.sync();
    let mari_code = invite(&t.url, "mari", "Mari Näidis");
    let mut mari = t.joined_laptop(dir.path(), "mari", &mari_code);
    let sub = lead.substitute_today("kati", "mari");
    mari.sync();
    assert_eq!(mari.cases().len(), 1);
    let case = mari
        .desk
        .list_cases(&CaseFilter::default())
        .expect("list")
        .items[0]
        .id;
    // The substitution ends while Mari writes in the case: her sync pushes (refused: no longer
    // hers), she writes again before the pull, and the purge must wait for that change.
    lead.desk
        .team_cancel_substitution(&lead.keys, sub)
        .expect("cancel");
    mari.desk
        .add_document(case, &medical_document())
        .expect("write before the sync");
    let keys = mari.keys.clone();
    let desk = std::sync::Mutex::new(mari.desk);
    let e = srt_core::sync::background::team_sync_in_steps(&WritingBetween {
        desk: &desk,
        keys: &keys,
        case,
        written: std::cell::Cell::new(false),
        empty_seen: std::cell::Cell::new(0),
    })
    .expect_err("a purge waits");
    assert_eq!(e.code(), "sync.purge_waiting");
    mari.desk = desk.into_inner().expect("desk");
    assert_eq!(mari.cases().len(), 1, "kept while its change waits");

    // As the message says: the next sync sends the change (refused) and the case goes.
    let r = mari.sync();
    assert!(mari.cases().is_empty(), "{r:?}");
    assert_eq!(mari.count("SELECT count(*) FROM child"), 0);
}

/// A credential store the laptop cannot reach (no Secret Service in the session, a locked
/// keychain): what `KeyringStore` is when D-Bus has no session bus.
struct UnreachableStore;

impl KeyStore for UnreachableStore {
    fn describe(&self) -> String {
        "the OS credential store (no session bus)".into()
    }
    fn get(&self, _: &str) -> srt_core::Result<Option<srt_core::store::key::DbKey>> {
        Err(srt_core::Error::KeyStoreUnavailable(self.describe()))
    }
    fn set(&self, _: &str, _: &srt_core::store::key::DbKey) -> srt_core::Result<()> {
        Err(srt_core::Error::KeyStoreUnavailable(self.describe()))
    }
    fn delete(&self, _: &str) -> srt_core::Result<()> {
        Err(srt_core::Error::KeyStoreUnavailable(self.describe()))
    }
    fn available(&self) -> bool {
        false
    }
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
fn a_join_the_credential_store_cannot_keep_leaves_the_code_for_another_try() {
    // Found trying `scripts/server` as a user: `srt-admin team join` outside a desktop session
    // (no session bus) spent the one-time code on the server and then could not keep the
    // device token, so the next try with a working store was refused.
    let t = team("joinstore");
    let _server = t.serve(&[]);
    let dir = tempfile::tempdir().expect("tmp");
    let code = invite(&t.url, "kati", "Kati Näidis");
    let mut kati = Laptop::new(dir.path(), "kati");
    let e = kati
        .desk
        .team_join(&UnreachableStore, &t.base, &t.ca, &code, "test laptop")
        .expect_err("no store");
    assert_eq!(e.code(), "key.store_unavailable", "{e}");
    assert!(e.message_et().contains("turvahoidla"), "{e}");
    // The same code still joins once the store is there.
    let member = kati.join(&t.base, &t.ca, &code);
    assert_eq!(member.login, "kati");
    assert_eq!(kati.sync().rejected, 0);
}
