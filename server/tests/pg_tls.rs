//! srt-server to PostgreSQL over TLS, with real parts: the PostgreSQL of `pg_virtualenv -t` with
//! `ssl` turned on (ALTER SYSTEM, a certificate for 127.0.0.1 and localhost made by openssl) or
//! off, and real `srt-server` processes (init, invite, check, serve) given database URLs with
//! each `sslmode`. Ignored by a plain `cargo test`; scripts/test runs them with --ignored.
//!
//! The tests share one cluster and its `ssl` setting, so each holds [`CLUSTER`] while it runs.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use srt_teamkit::{pg_env, psql, Certs, Server};

const BIN: &str = env!("CARGO_BIN_EXE_srt-server");

static CLUSTER: Mutex<()> = Mutex::new(());

fn lock() -> std::sync::MutexGuard<'static, ()> {
    CLUSTER.lock().unwrap_or_else(|p| p.into_inner())
}

/// A CA and a certificate for 127.0.0.1/localhost, readable by the cluster's OS user (PostgreSQL
/// wants its key owned by itself and private).
struct PgCerts {
    _dir: tempfile::TempDir,
    certs: Certs,
}

fn make_certs() -> PgCerts {
    let dir = tempfile::tempdir().expect("temp dir");
    let certs = Certs::make(dir.path());
    let data_dir = psql("postgres", "SHOW data_directory");
    let owner = std::fs::metadata(&data_dir).expect("the cluster's data directory");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
        .expect("open the folder to the cluster");
    for f in [&certs.cert, &certs.key] {
        std::os::unix::fs::chown(f, Some(owner.uid()), Some(owner.gid())).expect("chown");
    }
    std::fs::set_permissions(&certs.key, std::fs::Permissions::from_mode(0o600))
        .expect("make the key private");
    PgCerts { _dir: dir, certs }
}

/// Turns the cluster's TLS on (with `certs`) or off, and waits until a new connection sees it.
fn set_ssl(certs: Option<&Certs>) {
    match certs {
        Some(c) => {
            psql(
                "postgres",
                &format!("ALTER SYSTEM SET ssl_cert_file = '{}'", c.cert.display()),
            );
            psql(
                "postgres",
                &format!("ALTER SYSTEM SET ssl_key_file = '{}'", c.key.display()),
            );
            psql("postgres", "ALTER SYSTEM SET ssl = on");
        }
        None => {
            psql("postgres", "ALTER SYSTEM SET ssl = off");
        }
    }
    psql("postgres", "SELECT pg_reload_conf()");
    let want_cert = certs.map(|c| c.cert.display().to_string());
    let until = Instant::now() + Duration::from_secs(15);
    loop {
        let ssl = psql("postgres", "SHOW ssl");
        let cert = psql("postgres", "SHOW ssl_cert_file");
        let done = match &want_cert {
            Some(w) => ssl == "on" && &cert == w,
            None => ssl == "off",
        };
        if done {
            return;
        }
        assert!(
            Instant::now() < until,
            "PostgreSQL did not take ssl={ssl} cert={cert} (see its log)"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn fresh_db(name: &str) {
    psql(
        "postgres",
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    );
    psql("postgres", &format!("CREATE DATABASE {name}"));
}

/// A URL for database `db` on `host` with the extra settings `tls` (sslmode, sslrootcert…).
fn url(host: &str, db: &str, tls: &str) -> String {
    format!(
        "host={host} port={} user={} password={} dbname={db} {tls}",
        pg_env("PGPORT"),
        pg_env("PGUSER"),
        pg_env("PGPASSWORD"),
    )
}

fn srt(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run srt-server")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// The error output of a command that must fail: one line (no panic, no backtrace, never the
/// password), starting with `srt-server:`; returned for the test to check what it says.
fn refused(o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).trim().to_string();
    assert!(!o.status.success(), "it should have failed: {}", stdout(o));
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("srt-server: "), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    assert!(
        !err.contains(&pg_env("PGPASSWORD")),
        "the password leaked: {err}"
    );
    err
}

/// srt-server's own backends in database `db`: (count, how many over TLS).
fn backends(db: &str) -> (i64, i64) {
    let row = psql(
        "postgres",
        &format!(
            "SELECT count(*), count(*) FILTER (WHERE s.ssl) FROM pg_stat_activity a \
             JOIN pg_stat_ssl s USING (pid) \
             WHERE a.datname = '{db}' AND a.application_name = 'srt-server'"
        ),
    );
    let (n, tls) = row.split_once('|').expect("two columns");
    (n.parse().expect("a count"), tls.parse().expect("a count"))
}

fn health(server: &Server, ca: &Path) -> reqwest::StatusCode {
    let pem = std::fs::read(ca).expect("read CA");
    reqwest::blocking::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).expect("CA pem"))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
        .get(format!("{}/health", server.base))
        .send()
        .expect("GET /health")
        .status()
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv -t (scripts/test does)"]
fn verify_full_with_the_ca_runs_every_command_over_tls() {
    let _cluster = lock();
    let pg = make_certs();
    set_ssl(Some(&pg.certs));
    let db = "srt_tls_full";
    fresh_db(db);
    for host in ["localhost", "127.0.0.1"] {
        let u = url(
            host,
            db,
            &format!("sslmode=verify-full sslrootcert={}", pg.certs.ca.display()),
        );
        let init = srt(&["init", "--database-url", &u]);
        assert!(
            init.status.success(),
            "init over verify-full to {host}: {init:?}"
        );
        let invite = srt(&[
            "invite",
            "--database-url",
            &u,
            "--name",
            "Kati Kask",
            "--login",
            &format!("kati-{}", host.len()),
            "--role",
            "coordinator",
        ]);
        assert!(
            invite.status.success(),
            "invite over verify-full: {invite:?}"
        );
        let check = srt(&["check", "--database-url", &u]);
        assert!(check.status.success(), "check over verify-full: {check:?}");
    }
    assert_eq!(
        psql(db, "SELECT count(*) FROM members"),
        "2",
        "the lead made by init and one coordinator (init ran twice, the second found the team)"
    );
    // The URL form, as docs/team-server.md shows it.
    let u = format!(
        "postgresql://{}:{}@localhost:{}/{db}?sslmode=verify-full&sslrootcert={}",
        pg_env("PGUSER"),
        pg_env("PGPASSWORD"),
        pg_env("PGPORT"),
        pg.certs.ca.display()
    );
    let server = Server::start(Path::new(BIN), &u, &pg.certs, 0, &[]);
    assert_eq!(health(&server, &pg.certs.ca), reqwest::StatusCode::OK);
    // The pool's connection (health) and the LISTEN connection, both over TLS.
    let (n, tls) = backends(db);
    assert!(n >= 2, "srt-server's backends: {n}");
    assert_eq!(tls, n, "every srt-server backend over TLS");
    let log = server.finish();
    assert!(
        !log.contains(&pg_env("PGPASSWORD")),
        "the password is in the log"
    );
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv -t (scripts/test does)"]
fn a_wrong_ca_a_wrong_host_or_a_missing_ca_file_is_refused_with_what_to_fix() {
    let _cluster = lock();
    let pg = make_certs();
    set_ssl(Some(&pg.certs));
    let other = make_certs();
    let db = "srt_tls_wrong";
    fresh_db(db);

    // A CA that did not sign PostgreSQL's certificate: every command, serve included.
    let u = url(
        "localhost",
        db,
        &format!(
            "sslmode=verify-full sslrootcert={}",
            other.certs.ca.display()
        ),
    );
    let err = refused(&srt(&["init", "--database-url", &u]));
    assert!(
        err.contains("certificate is not signed by the CA in")
            && err.contains(&other.certs.ca.display().to_string())
            && err.contains("sslrootcert"),
        "{err}"
    );
    let err = refused(&srt(&["check", "--database-url", &u]));
    assert!(err.contains("not signed by the CA"), "{err}");
    let serve = srt(&["serve", "--database-url", &u, "--listen", "127.0.0.1:0"]);
    let err = refused(&serve);
    assert!(err.contains("not signed by the CA"), "{err}");
    // The right CA, but a host name the certificate does not list (the address is ours).
    let misnamed = |mode: &str| {
        format!(
            "host=db.example.invalid hostaddr=127.0.0.1 port={} user={} password={} dbname={db} sslmode={mode} sslrootcert={}",
            pg_env("PGPORT"),
            pg_env("PGUSER"),
            pg_env("PGPASSWORD"),
            pg.certs.ca.display()
        )
    };
    let err = refused(&srt(&["init", "--database-url", &misnamed("verify-full")]));
    assert!(
        err.contains("does not name the host db.example.invalid") && err.contains("verify-ca"),
        "{err}"
    );
    // verify-ca checks the CA only: the same connection is accepted.
    let ok = srt(&["init", "--database-url", &misnamed("verify-ca")]);
    assert!(ok.status.success(), "verify-ca with the right CA: {ok:?}");

    // A CA file that is not there, or is not a certificate.
    let u = url(
        "localhost",
        db,
        "sslmode=verify-full sslrootcert=/nonexistent/board-ca.pem",
    );
    let err = refused(&srt(&["init", "--database-url", &u]));
    assert!(
        err.contains("cannot read the CA certificate /nonexistent/board-ca.pem"),
        "{err}"
    );
    let u = url(
        "localhost",
        db,
        &format!("sslmode=verify-full sslrootcert={}", pg.certs.key.display()),
    );
    let err = refused(&srt(&["init", "--database-url", &u]));
    assert!(err.contains("holds no PEM certificate"), "{err}");
    // verify-full without any CA given.
    let err = refused(&srt(&[
        "init",
        "--database-url",
        &url("localhost", db, "sslmode=verify-full"),
    ]));
    assert!(err.contains("add sslrootcert="), "{err}");
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv -t (scripts/test does)"]
fn require_is_refused_by_a_server_without_tls_and_disable_still_works() {
    let _cluster = lock();
    set_ssl(None);
    let db = "srt_tls_off";
    fresh_db(db);
    let pg = make_certs();

    let err = refused(&srt(&[
        "init",
        "--database-url",
        &url("localhost", db, "sslmode=require"),
    ]));
    assert!(
        err.contains("does not accept TLS")
            && err.contains("sslmode=require")
            && err.contains("ssl = on"),
        "{err}"
    );
    let err = refused(&srt(&[
        "init",
        "--database-url",
        &url(
            "localhost",
            db,
            &format!("sslmode=verify-full sslrootcert={}", pg.certs.ca.display()),
        ),
    ]));
    assert!(err.contains("does not accept TLS"), "{err}");

    // disable: plain, as before.
    let u = url("localhost", db, "sslmode=disable");
    let init = srt(&["init", "--database-url", &u]);
    assert!(init.status.success(), "init with sslmode=disable: {init:?}");
    let server = Server::start(Path::new(BIN), &u, &pg.certs, 0, &[]);
    assert_eq!(health(&server, &pg.certs.ca), reqwest::StatusCode::OK);
    let (n, tls) = backends(db);
    assert!(n >= 2, "srt-server's backends: {n}");
    assert_eq!(tls, 0, "sslmode=disable: no backend over TLS");
    drop(server);

    // No sslmode (libpq's default, prefer) against a server without TLS: plain, as before.
    let check = srt(&["check", "--database-url", &url("localhost", db, "")]);
    assert!(
        check.status.success(),
        "prefer falls back to plain: {check:?}"
    );
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv -t (scripts/test does)"]
fn no_sslmode_prefers_tls_when_the_server_offers_it() {
    let _cluster = lock();
    let pg = make_certs();
    set_ssl(Some(&pg.certs));
    let db = "srt_tls_prefer";
    fresh_db(db);
    // No sslmode and no CA: libpq's prefer, encrypted without a certificate check.
    let u = url("localhost", db, "");
    let init = srt(&["init", "--database-url", &u]);
    assert!(init.status.success(), "init without sslmode: {init:?}");
    let server = Server::start(Path::new(BIN), &u, &pg.certs, 0, &[]);
    assert_eq!(health(&server, &pg.certs.ca), reqwest::StatusCode::OK);
    let (n, tls) = backends(db);
    assert!(
        n >= 2 && tls == n,
        "srt-server's backends {n}, over TLS {tls}"
    );
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv -t (scripts/test does)"]
fn serve_logs_what_to_fix_when_the_database_certificate_changes_under_it() {
    let _cluster = lock();
    let pg = make_certs();
    set_ssl(Some(&pg.certs));
    let db = "srt_tls_renewed";
    fresh_db(db);
    let u = url(
        "localhost",
        db,
        &format!("sslmode=verify-full sslrootcert={}", pg.certs.ca.display()),
    );
    let init = srt(&["init", "--database-url", &u]);
    assert!(init.status.success(), "init: {init:?}");
    let mut server = Server::start(Path::new(BIN), &u, &pg.certs, 0, &[]);
    assert_eq!(health(&server, &pg.certs.ca), reqwest::StatusCode::OK);

    // PostgreSQL's certificate renewed under another CA, and the service's connections cut.
    let other = make_certs();
    set_ssl(Some(&other.certs));
    psql(
        "postgres",
        &format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = '{db}' AND application_name = 'srt-server'"
        ),
    );
    std::thread::sleep(Duration::from_millis(500));
    let pem = std::fs::read(&pg.certs.ca).expect("read CA");
    let status = reqwest::blocking::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).expect("CA pem"))
        .build()
        .expect("client")
        .get(format!("{}/v1/me", server.base))
        .bearer_auth("no-such-token")
        .send()
        .expect("GET /v1/me")
        .status();
    assert_eq!(status, reqwest::StatusCode::SERVICE_UNAVAILABLE);
    let line = server.wait_for("no database connection");
    assert!(
        line.contains("certificate is not signed by the CA in")
            && line.contains(&pg.certs.ca.display().to_string()),
        "{line}"
    );
    // The LISTEN connection retries every 2 s and says the same.
    std::thread::sleep(Duration::from_secs(3));
    let log = server.finish();
    let line = log
        .lines()
        .find(|l| l.contains("cannot connect for notifications"))
        .unwrap_or_else(|| panic!("no LISTEN retry logged:\n{log}"));
    assert!(line.contains("not signed by the CA"), "{line}");
    assert!(
        !log.contains(&pg_env("PGPASSWORD")),
        "the password is in the log"
    );
}

/// A client certificate for srt-server signed by `certs`' CA (openssl), its key private.
fn client_cert(dir: &Path, certs: &Certs) -> (std::path::PathBuf, std::path::PathBuf) {
    std::fs::write(
        dir.join("client.ext"),
        "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n",
    )
    .expect("extensions");
    let ca_key = certs.ca.with_file_name("ca.key");
    let steps = [
        "req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout client.key -out client.csr -subj /CN=srt-server".to_string(),
        format!(
            "x509 -req -in client.csr -CA {} -CAkey {} -CAcreateserial -out client.pem -days 2 -extfile client.ext",
            certs.ca.display(),
            ca_key.display()
        ),
    ];
    for s in steps {
        let o = Command::new("openssl")
            .args(s.split(' '))
            .current_dir(dir)
            .output()
            .expect("openssl");
        assert!(o.status.success(), "openssl {s}: {o:?}");
    }
    let key = dir.join("client.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    (dir.join("client.pem"), key)
}

#[test]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv -t (scripts/test does)"]
fn a_database_that_wants_a_client_certificate_gets_srt_servers_and_a_missing_one_says_what_to_fix()
{
    let _cluster = lock();
    let pg = make_certs();
    set_ssl(Some(&pg.certs));
    let db = "srt_tls_client";
    fresh_db(db);
    // PostgreSQL asks for a client certificate signed by the CA, for this database only.
    psql(
        "postgres",
        &format!("ALTER SYSTEM SET ssl_ca_file = '{}'", pg.certs.ca.display()),
    );
    let hba = psql("postgres", "SHOW hba_file");
    let before = std::fs::read_to_string(&hba).expect("pg_hba.conf");
    std::fs::write(
        &hba,
        format!("hostssl {db} all all scram-sha-256 clientcert=verify-ca\nhost {db} all all reject\n{before}"),
    )
    .expect("write pg_hba.conf");
    psql("postgres", "SELECT pg_reload_conf()");
    let until = Instant::now() + Duration::from_secs(15);
    while psql("postgres", "SHOW ssl_ca_file") != pg.certs.ca.display().to_string() {
        assert!(
            Instant::now() < until,
            "PostgreSQL did not take ssl_ca_file"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let dir = tempfile::tempdir().expect("tmp");
    let (cert, key) = client_cert(dir.path(), &pg.certs);
    let tls = format!("sslmode=verify-full sslrootcert={}", pg.certs.ca.display());
    // `srt-server init` on this database with these TLS settings: its refusal, in one line.
    let init_refused = |tls: &str| {
        refused(&srt(&[
            "init",
            "--database-url",
            &url("localhost", db, tls),
        ]))
    };
    let outcome = std::panic::catch_unwind(|| {
        // Without a certificate: refused by PostgreSQL, in one line that says what to add.
        let err = init_refused(&tls);
        assert!(
            err.contains("certificate") && err.contains("sslcert=") && err.contains("sslkey="),
            "{err}"
        );
        // A key every user may read is refused before any connection, as libpq does.
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let with_cert = format!("{tls} sslcert={} sslkey={}", cert.display(), key.display());
        let err = init_refused(&with_cert);
        assert!(err.contains("chmod 600"), "{err}");
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        // A certificate without its key.
        let err = init_refused(&format!("{tls} sslcert={}", cert.display()));
        assert!(err.contains("add sslkey="), "{err}");

        // With it: every command, and serve's connections, over TLS with the certificate.
        let u = url("localhost", db, &with_cert);
        let init = srt(&["init", "--database-url", &u]);
        assert!(
            init.status.success(),
            "init with a client certificate: {init:?}"
        );
        let check = srt(&["check", "--database-url", &u]);
        assert!(check.status.success(), "check: {check:?}");
        let server = Server::start(Path::new(BIN), &u, &pg.certs, 0, &[]);
        assert_eq!(health(&server, &pg.certs.ca), reqwest::StatusCode::OK);
        let shown = psql(
            "postgres",
            &format!(
                "SELECT count(*), count(*) FILTER (WHERE s.client_dn = '/CN=srt-server') \
                 FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) \
                 WHERE a.datname = '{db}' AND a.application_name = 'srt-server'"
            ),
        );
        let (n, with) = shown.split_once('|').expect("two columns");
        assert!(n.parse::<i64>().expect("count") >= 2, "{shown}");
        assert_eq!(
            n, with,
            "every backend shows srt-server's certificate: {shown}"
        );
        server.finish();
    });
    std::fs::write(&hba, before).expect("restore pg_hba.conf");
    psql("postgres", "ALTER SYSTEM RESET ssl_ca_file");
    psql("postgres", "SELECT pg_reload_conf()");
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
