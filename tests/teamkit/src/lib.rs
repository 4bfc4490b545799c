//! The real parts of a team, for the tests of the team desk (`core/tests/team_desk.rs`), of the
//! team server (`server/tests/team_server.rs`) and for the sync benchmark (`srt-bench-sync`): a
//! database in the PostgreSQL that `pg_virtualenv` runs (it exports PGHOST, PGPORT, PGUSER and
//! PGPASSWORD), initialised by `srt-server init`; members invited by `srt-server invite`; a CA
//! and a certificate for 127.0.0.1 made by `openssl`; a running `srt-server serve` and its log.
//!
//! Everything here runs a real program, and a program that fails is a broken set-up, not a
//! finding: the functions panic with the program's output, which a test or the benchmark shows.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A variable `pg_virtualenv` exports.
pub fn pg_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run inside pg_virtualenv -t"))
}

/// The libpq URL of database `db` in the PostgreSQL of `pg_virtualenv`.
pub fn db_url(db: &str) -> String {
    format!(
        "host={} port={} user={} password={} dbname={}",
        pg_env("PGHOST"),
        pg_env("PGPORT"),
        pg_env("PGUSER"),
        pg_env("PGPASSWORD"),
        db
    )
}

/// Runs `cmd` and returns its standard output; panics with both outputs when it fails.
fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("run {cmd:?}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// `sql` run by psql in database `db`: its rows unaligned, without headers, trimmed.
pub fn psql(db: &str, sql: &str) -> String {
    run(Command::new("psql").args([
        "-X",
        "-A",
        "-t",
        "-v",
        "ON_ERROR_STOP=1",
        "-d",
        db,
        "-c",
        sql,
    ]))
    .trim()
    .to_string()
}

/// The srt-server binary: SRT_SERVER_BIN, else the one in the target folder of the running
/// program (a test in target/<profile>/deps, a binary in target/<profile>).
pub fn server_bin() -> PathBuf {
    if let Ok(p) = std::env::var("SRT_SERVER_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("the running program's path");
    let near = exe
        .ancestors()
        .skip(1)
        .take(2)
        .map(|d| d.join("srt-server"))
        .find(|p| p.exists());
    near.unwrap_or_else(|| {
        panic!(
            "no srt-server beside {}: cargo build -p srt-server first",
            exe.display()
        )
    })
}

/// The join code a `srt-server init` or `invite` printed.
fn join_code(stdout: &str) -> String {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("join code: "))
        .unwrap_or_else(|| panic!("no join code in {stdout:?}"))
        .to_string()
}

/// A team's database, new and initialised.
#[derive(Debug)]
pub struct TeamDb {
    /// The database's name (for psql).
    pub name: String,
    /// Its URL (for srt-server).
    pub url: String,
    /// The one-time code of the team's first lead.
    pub lead_code: String,
}

/// Database `name` made afresh (dropped first if a run before left it) and initialised by
/// `srt-server init` with `bin`.
pub fn fresh_team(bin: &Path, name: &str) -> TeamDb {
    psql(
        "postgres",
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    );
    psql("postgres", &format!("CREATE DATABASE {name}"));
    let url = db_url(name);
    let out = run(Command::new(bin).args(["init", "--database-url", &url]));
    TeamDb {
        name: name.to_string(),
        lead_code: join_code(&out),
        url,
    }
}

/// A one-time join code for a new member (`role`: coordinator, lead or manager).
pub fn invite(bin: &Path, url: &str, login: &str, name: &str, role: &str) -> String {
    join_code(&run(Command::new(bin).args([
        "invite",
        "--database-url",
        url,
        "--name",
        name,
        "--login",
        login,
        "--role",
        role,
    ])))
}

/// A CA of the run's own and a certificate for 127.0.0.1 and localhost signed by it.
#[derive(Debug)]
pub struct Certs {
    /// The CA's certificate (what a desk pins at join).
    pub ca: PathBuf,
    /// The server's certificate and key.
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl Certs {
    /// Made by openssl in `dir` (EC P-256, valid two days).
    pub fn make(dir: &Path) -> Certs {
        std::fs::write(
            dir.join("server.ext"),
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .expect("write the certificate's extensions");
        let ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
        let steps = [
            format!("req -x509 {ec} -keyout ca.key -out ca.pem -days 2 -subj /CN=SRT-test-CA -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign"),
            format!("req {ec} -keyout server.key -out server.csr -subj /CN=localhost"),
            "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile server.ext".to_string(),
        ];
        for s in steps {
            run(Command::new("openssl").args(s.split(' ')).current_dir(dir));
        }
        Certs {
            ca: dir.join("ca.pem"),
            cert: dir.join("server.pem"),
            key: dir.join("server.key"),
        }
    }
}

/// A free port of 127.0.0.1 (for a server that must keep its address across a restart).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A running `srt-server serve` over TLS on 127.0.0.1, and its log.
#[derive(Debug)]
pub struct Server {
    child: Child,
    lines: Option<mpsc::Receiver<String>>,
    seen: Vec<String>,
    /// `https://127.0.0.1:<port>`.
    pub base: String,
}

impl Server {
    /// Started with `bin` on `port` (0: one of its own), with the extra environment `envs`; its
    /// log lines are read by [`Server::wait_for`] and [`Server::finish`]. Returns once it listens
    /// for requests and for PostgreSQL's notifications.
    pub fn start(bin: &Path, url: &str, certs: &Certs, port: u16, envs: &[(&str, &str)]) -> Server {
        let mut server = Server::spawn(bin, url, certs, port, envs, Stdio::piped());
        let line = server.wait_for("\"message\":\"listening\"");
        let v: serde_json::Value = serde_json::from_str(&line).expect("a JSON log line");
        server.base = format!(
            "https://{}",
            v["addr"].as_str().expect("the address it listens on")
        );
        // Its two tasks start together: the LISTEN line may come first.
        if !server
            .seen
            .iter()
            .any(|l| l.contains("listening for changes"))
        {
            server.wait_for("listening for changes");
        }
        server
    }

    /// Started with `bin` on `port`, its log written to the file `log` (a long run's log is
    /// read afterwards, not kept in memory); returns once `GET /health` answers over TLS, as
    /// `healthy` (given the base address and the CA) tells.
    pub fn start_logging_to(
        bin: &Path,
        url: &str,
        certs: &Certs,
        port: u16,
        log: &Path,
        healthy: impl Fn(&str, &Path) -> bool,
    ) -> Server {
        let file = File::create(log).expect("create the server's log");
        let mut server = Server::spawn(bin, url, certs, port, &[], Stdio::from(file));
        server.base = format!("https://127.0.0.1:{port}");
        let until = Instant::now() + Duration::from_secs(30);
        while !healthy(&server.base, &certs.ca) {
            assert!(
                Instant::now() < until,
                "srt-server did not answer /health in 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    fn spawn(
        bin: &Path,
        url: &str,
        certs: &Certs,
        port: u16,
        envs: &[(&str, &str)],
        stdout: Stdio,
    ) -> Server {
        let mut cmd = Command::new(bin);
        cmd.args(["serve", "--database-url", url, "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("--tls-cert")
            .arg(&certs.cert)
            .arg("--tls-key")
            .arg(&certs.key)
            .stdout(stdout)
            .stderr(Stdio::inherit());
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start srt-server serve");
        let lines = child.stdout.take().map(|out| {
            let (tx, rx) = mpsc::channel();
            std::thread::spawn(move || {
                for line in BufReader::new(out).lines().map_while(Result::ok) {
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
            rx
        });
        Server {
            child,
            lines,
            seen: Vec::new(),
            base: format!("https://127.0.0.1:{port}"),
        }
    }

    /// Waits (at most 60 s) for a log line containing `needle`, and returns it.
    pub fn wait_for(&mut self, needle: &str) -> String {
        let lines = self
            .lines
            .as_ref()
            .expect("a server started with its log read");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(e) => panic!(
                    "no log line with {needle:?} ({e}; the server {}); seen:\n{}",
                    match self.child.try_wait() {
                        Ok(Some(status)) => format!("ended: {status}"),
                        Ok(None) => "still runs".to_string(),
                        Err(e) => format!("unknown: {e}"),
                    },
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Stops the server and returns every line it logged.
    pub fn finish(mut self) -> String {
        self.kill();
        if let Some(lines) = &self.lines {
            while let Ok(line) = lines.recv_timeout(Duration::from_secs(2)) {
                self.seen.push(line);
            }
        }
        self.seen.join("\n")
    }

    /// The server's process id (to stop it with a signal, as a stalled network would).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops the server (a crash, as far as its clients can tell).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The process's CPU time so far (user + system), from /proc/<pid>/stat, with the kernel's
    /// clock ticks per second `ticks_per_s`.
    pub fn cpu(&self, ticks_per_s: f64) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))
            .expect("the server's /proc stat");
        // The fields after the command name (which is in parentheses and may hold spaces):
        // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
        let rest = &stat[stat.rfind(')').expect("a /proc stat line") + 2..];
        let f: Vec<&str> = rest.split(' ').collect();
        let ticks: f64 =
            f[11].parse::<f64>().expect("utime") + f[12].parse::<f64>().expect("stime");
        Duration::from_secs_f64(ticks / ticks_per_s)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}
