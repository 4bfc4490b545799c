//! `srt-server`: the SRT Desk team server, a stateless sync service in front of the Board's
//! PostgreSQL. Commands: init, invite, serve, check (see docs/team-server.md).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod api;
mod db;
mod pg_tls;
mod secrets;

#[derive(Debug, Parser)]
#[command(name = "srt-server", version, about = "SRT Desk team server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Role {
    Coordinator,
    Lead,
    Manager,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Coordinator => "coordinator",
            Role::Lead => "lead",
            Role::Manager => "manager",
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Creates or migrates the schema; on an empty team prints a join code for the first lead.
    Init {
        #[arg(long, env = "SRT_DATABASE_URL")]
        database_url: String,
        /// Login of the first team lead (only when the team has no members yet).
        #[arg(long, default_value = "lead")]
        lead_login: String,
        /// Name of the first team lead (only when the team has no members yet).
        #[arg(long, default_value = "Team lead")]
        lead_name: String,
    },
    /// Adds a member (or renews one) and prints a one-time join code.
    Invite {
        #[arg(long, env = "SRT_DATABASE_URL")]
        database_url: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        login: String,
        #[arg(long, value_enum)]
        role: Role,
        /// Days the code stays valid.
        #[arg(long, default_value_t = 7)]
        valid_days: i64,
    },
    /// Serves the sync API (HTTPS when a certificate and key are given).
    Serve {
        #[arg(long, env = "SRT_DATABASE_URL")]
        database_url: String,
        #[arg(long, default_value = "127.0.0.1:8443")]
        listen: SocketAddr,
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Database connections in the pool.
        #[arg(long, default_value_t = 16)]
        pool_size: usize,
    },
    /// Verifies every device's audit chain; exit 0 only when all hold.
    Check {
        #[arg(long, env = "SRT_DATABASE_URL")]
        database_url: String,
    },
}

fn init_logs(to_stdout: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SRT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_env_filter(filter);
    if to_stdout {
        builder.with_writer(std::io::stdout).init();
    } else {
        builder.with_writer(std::io::stderr).init();
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The service logs structured lines to standard output (journald, container runtimes); the
    // one-shot commands keep standard output for what they print.
    init_logs(matches!(cli.command, Command::Serve { .. }));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("srt-server: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("srt-server: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<ExitCode, Box<dyn std::error::Error>> {
    match command {
        Command::Init {
            database_url,
            lead_login,
            lead_name,
        } => {
            let mut client = pg_tls::connect(&database_url).await?;
            let applied = db::migrate(&mut client).await?;
            println!(
                "schema version {} ({})",
                db::latest_version(),
                if applied.is_empty() {
                    "already current".to_string()
                } else {
                    format!("applied {applied:?}")
                }
            );
            let tx = client.transaction().await?;
            let members: i64 = tx
                .query_one("SELECT count(*) FROM members", &[])
                .await
                .map_err(db::DbError::from)?
                .get(0);
            if members == 0 {
                let (_, code) = db::create_invite(&tx, &lead_login, &lead_name, "lead", 7)
                    .await
                    .map_err(db::DbError::from)?;
                tx.commit().await?;
                println!("team lead login: {lead_login}");
                println!("join code: {code}");
            } else {
                tx.commit().await?;
                println!("team members: {members}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Invite {
            database_url,
            name,
            login,
            role,
            valid_days,
        } => {
            if login.trim().is_empty() || name.trim().is_empty() {
                return Err("--login and --name must not be empty".into());
            }
            if !(1..=90).contains(&valid_days) {
                return Err("--valid-days must be between 1 and 90".into());
            }
            let mut client = pg_tls::connect(&database_url).await?;
            require_schema(&client).await?;
            let tx = client.transaction().await?;
            let (member_id, code) =
                db::create_invite(&tx, login.trim(), name.trim(), role.as_str(), valid_days)
                    .await
                    .map_err(db::DbError::from)?;
            tx.commit().await?;
            tracing::info!(member_id, "join code issued");
            println!("join code: {code}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            database_url,
            listen,
            tls_cert,
            tls_key,
            pool_size,
        } => {
            let client = pg_tls::connect(&database_url).await?;
            require_schema(&client).await?;
            drop(client);
            let tls = match (tls_cert, tls_key) {
                (Some(c), Some(k)) => Some((c, k)),
                _ => None,
            };
            api::serve(&database_url, listen, tls, pool_size).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { database_url } => {
            let client = pg_tls::connect(&database_url).await?;
            require_schema(&client).await?;
            let (lines, all_hold) = db::check_chains(&client).await?;
            for line in &lines {
                println!("{line}");
            }
            if all_hold {
                println!("all {} audit chains hold", lines.len());
                Ok(ExitCode::SUCCESS)
            } else {
                println!("audit chains broken: see above");
                Ok(ExitCode::from(1))
            }
        }
    }
}

async fn require_schema(client: &tokio_postgres::Client) -> Result<(), db::DbError> {
    let have = db::schema_version(client).await?;
    if have != db::latest_version() {
        return Err(db::DbError(format!(
            "the database has schema version {have}, this srt-server needs {}: run `srt-server init` first",
            db::latest_version()
        )));
    }
    Ok(())
}
