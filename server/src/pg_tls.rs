//! TLS to PostgreSQL: the database URL's `sslmode` and `sslrootcert`, honoured as libpq does, for
//! every connection srt-server makes (the pool, the LISTEN connection, init, invite, check).
//!
//! - `disable`: plain TCP.
//! - `prefer` (libpq's default, and ours when the URL has no sslmode): TLS when the server offers
//!   it, plain when it does not; the certificate is not checked (as libpq).
//! - `require`: TLS or no connection; the certificate is not checked (as libpq without a root
//!   certificate).
//! - `verify-ca`: TLS, the server's certificate must be signed by the CA in `sslrootcert`.
//! - `verify-full`: as verify-ca, and the certificate must name the host connected to.
//!
//! `sslcert` and `sslkey` give srt-server a client certificate of its own, sent when PostgreSQL
//! asks for one (`pg_hba.conf`'s `clientcert=verify-ca|verify-full`, or the `cert` method): the
//! Board's IT may want the service to prove itself with more than a password. As libpq, the key
//! must not be readable by others.
//!
//! tokio-postgres itself knows only disable/prefer/require and none of the files: they are taken
//! out of the URL here, the rest of the URL is left as written. The TLS glue is the
//! `tokio-postgres-rustls` crate over rustls with ring; this module only builds its rustls
//! configuration (which certificate check) and turns a failed connection into one line that
//! says what to fix.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio_postgres::config::{Host, SslMode as PgSslMode};
use tokio_postgres::Config;
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::db::{describe, DbError};

/// libpq's `sslmode` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(v: &str) -> Result<SslMode, DbError> {
        Ok(match v {
            "disable" => SslMode::Disable,
            // libpq's `allow` (plain first, TLS if the server insists) is served as prefer.
            "allow" | "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => {
                return Err(DbError(format!(
                    "the database URL has sslmode={other}: use disable, prefer, require, verify-ca or verify-full"
                )))
            }
        })
    }

    fn verifies(self) -> bool {
        matches!(self, SslMode::VerifyCa | SslMode::VerifyFull)
    }
}

impl fmt::Display for SslMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        })
    }
}

/// Where and how to connect: tokio-postgres' configuration and the TLS connector for it.
#[derive(Clone)]
pub struct Target {
    pub config: Config,
    pub tls: MakeRustlsConnect,
    pub mode: SslMode,
    ca: Option<PathBuf>,
    /// The client certificate sent when PostgreSQL asks for one (`sslcert`).
    client_cert: Option<PathBuf>,
}

impl Target {
    /// From a database URL (`postgresql://…?sslmode=…` or `host=… sslmode=…`). A URL without
    /// `sslmode` gets libpq's default, `prefer`.
    pub fn from_url(url: &str) -> Result<Target, DbError> {
        let (rest, params) = take_tls_params(url);
        let mut config = rest
            .parse::<Config>()
            .map_err(|e| DbError(format!("the database URL is not valid: {e}")))?;
        let mut mode = SslMode::Prefer;
        let (mut ca, mut cert, mut key) = (None, None, None);
        for (name, value) in params {
            match name.as_str() {
                "sslmode" => mode = SslMode::parse(&value)?,
                "sslcert" => cert = Some(PathBuf::from(value)),
                "sslkey" => key = Some(PathBuf::from(value)),
                _ => ca = Some(PathBuf::from(value)),
            }
        }
        let client = match (cert, key) {
            (Some(cert), Some(key)) => Some(ClientCert::load(&cert, &key)?),
            (Some(cert), None) => {
                return Err(DbError(format!(
                    "the database URL gives sslcert={} without its key: add sslkey=/path/to/the/key.pem",
                    cert.display()
                )))
            }
            (None, Some(key)) => {
                return Err(DbError(format!(
                    "the database URL gives sslkey={} without its certificate: add sslcert=/path/to/the/certificate.pem",
                    key.display()
                )))
            }
            (None, None) => None,
        };
        // libpq ignores sslmode on a Unix socket (PostgreSQL offers no TLS there).
        let only_sockets = !config.get_hosts().is_empty()
            && config
                .get_hosts()
                .iter()
                .all(|h| matches!(h, Host::Unix(_)));
        if only_sockets {
            mode = SslMode::Disable;
        }
        config.ssl_mode(match mode {
            SslMode::Disable => PgSslMode::Disable,
            SslMode::Prefer => PgSslMode::Prefer,
            _ => PgSslMode::Require,
        });
        // The Board's IT finds srt-server's connections in pg_stat_activity by this name.
        if config.get_application_name().is_none() {
            config.application_name("srt-server");
        }
        if mode.verifies() && ca.is_none() {
            // libpq's default root certificate file.
            ca = std::env::var_os("HOME")
                .map(|home| Path::new(&home).join(".postgresql/root.crt"))
                .filter(|p| p.exists());
            if ca.is_none() {
                return Err(DbError(format!(
                    "sslmode={mode} needs the CA certificate that signed PostgreSQL's server certificate: add sslrootcert=/path/to/ca.pem to the database URL"
                )));
            }
        }
        let client_cert = client.as_ref().map(|c| c.path.clone());
        let tls = MakeRustlsConnect::new(client_config(mode, ca.as_deref(), client)?);
        Ok(Target {
            config,
            tls,
            mode,
            ca,
            client_cert,
        })
    }

    /// A failed connection in one line that says what to fix (never the password: neither
    /// tokio-postgres' errors nor this line quote the URL).
    pub fn explain(&self, e: &tokio_postgres::Error) -> String {
        let host = self.host();
        let ca = self
            .ca
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        if let Some(tls) = rustls_error(e) {
            return match tls {
                rustls::Error::InvalidCertificate(c) => match c {
                    CertificateError::NotValidForName
                    | CertificateError::NotValidForNameContext { .. } => format!(
                        "the database server's certificate does not name the host {host} (sslmode={}): connect by a host name or address the certificate lists, or use sslmode=verify-ca",
                        self.mode
                    ),
                    CertificateError::Expired
                    | CertificateError::ExpiredContext { .. }
                    | CertificateError::NotValidYet
                    | CertificateError::NotValidYetContext { .. } => format!(
                        "the database server's certificate has expired or is not valid yet (sslmode={}): renew PostgreSQL's ssl_cert_file, or check this machine's clock",
                        self.mode
                    ),
                    CertificateError::UnknownIssuer | CertificateError::BadSignature => format!(
                        "the database server's certificate is not signed by the CA in {ca} (sslmode={}): set sslrootcert to the CA that signed PostgreSQL's ssl_cert_file",
                        self.mode
                    ),
                    other => format!(
                        "the database server's certificate is refused ({other:?}, sslmode={}): check PostgreSQL's ssl_cert_file against the CA in {ca}",
                        self.mode
                    ),
                },
                rustls::Error::AlertReceived(alert) if self.client_cert.is_some() => format!(
                    "the database server at {host} refused the client certificate {} ({alert:?}, sslmode={}): it must be signed by the CA in PostgreSQL's ssl_ca_file and valid today",
                    self.client_cert.as_deref().map(|p| p.display().to_string()).unwrap_or_default(),
                    self.mode
                ),
                other => format!(
                    "TLS with the database server at {host} failed ({other}, sslmode={})",
                    self.mode
                ),
            };
        }
        if let Some(db) = e.as_db_error() {
            // PostgreSQL's pg_hba.conf asks for a certificate (clientcert=…, or `cert`) that the
            // URL did not give, or one whose name is not the user's.
            if db.message().contains("certificate") {
                let hint = if self.client_cert.is_none() {
                    "PostgreSQL wants a client certificate for this connection: add sslcert=… and sslkey=… to the database URL (a certificate signed by the CA in PostgreSQL's ssl_ca_file)".to_string()
                } else {
                    "check the client certificate's name (CN) against the database user, or pg_hba.conf's clientcert and map settings".to_string()
                };
                return format!("{} ({}): {hint}", db.message(), db.code().code());
            }
        }
        if chain(e).any(|s| s.to_string() == "server does not support TLS") {
            return format!(
                "the database server at {host} does not accept TLS, but the database URL asks for sslmode={}: turn TLS on in PostgreSQL (ssl = on, ssl_cert_file, ssl_key_file), or on a trusted network only set sslmode=disable",
                self.mode
            );
        }
        describe(e)
    }

    fn host(&self) -> String {
        match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Unix(p)) => p.display().to_string(),
            None => "localhost".to_string(),
        }
    }
}

/// What `serve` connects to, so that a pooled connection that fails later (a certificate
/// renewed under another CA, TLS turned off) is logged with the same line as at start.
static SERVING: OnceLock<Target> = OnceLock::new();

pub fn serving(target: &Target) {
    let _ = SERVING.set(target.clone());
}

/// A pool's failure to connect, in the line [`Target::explain`] gives.
pub fn explain_pool(e: &deadpool_postgres::PoolError) -> String {
    match (e, SERVING.get()) {
        (deadpool_postgres::PoolError::Backend(pg), Some(target)) => target.explain(pg),
        _ => e.to_string(),
    }
}

/// The error and its causes, looking through an io::Error into the error it carries (its
/// `source()` skips that one).
fn chain<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    let mut next = Some(e);
    std::iter::from_fn(move || {
        let cur = next?;
        next = match cur
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => cur.source(),
        };
        Some(cur)
    })
}

fn rustls_error(e: &tokio_postgres::Error) -> Option<&rustls::Error> {
    chain(e).find_map(|s| s.downcast_ref::<rustls::Error>())
}

/// Takes `sslmode`, `sslrootcert`, `sslcert` and `sslkey` out of a URL (either form) and returns
/// the rest as written, with those as (key, value) in the order given.
fn take_tls_params(url: &str) -> (String, Vec<(String, String)>) {
    let wanted = |k: &str| matches!(k, "sslmode" | "sslrootcert" | "sslcert" | "sslkey");
    let mut taken = Vec::new();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let Some((base, query)) = url.split_once('?') else {
            return (url.to_string(), taken);
        };
        let mut kept = Vec::new();
        for pair in query.split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            if wanted(k) {
                taken.push((k.to_string(), percent_decode(v)));
            } else {
                kept.push(pair);
            }
        }
        let rest = if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        return (rest, taken);
    }
    // key=value pairs, values bare or in single quotes, with backslash escapes (libpq's rules).
    let b = url.as_bytes();
    let mut rest = String::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let key_start = i;
        while i < b.len() && b[i] != b'=' && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let key = &url[key_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = Vec::new();
        if i < b.len() && b[i] == b'\'' {
            i += 1;
            while i < b.len() && b[i] != b'\'' {
                if b[i] == b'\\' && i + 1 < b.len() {
                    i += 1;
                }
                value.push(b[i]);
                i += 1;
            }
            i += 1;
        } else {
            while i < b.len() && !b[i].is_ascii_whitespace() {
                if b[i] == b'\\' && i + 1 < b.len() {
                    i += 1;
                }
                value.push(b[i]);
                i += 1;
            }
        }
        let end = i.min(b.len());
        if wanted(key) {
            taken.push((
                key.to_string(),
                String::from_utf8_lossy(&value).into_owned(),
            ));
        } else {
            rest.push_str(&url[start..end]);
        }
    }
    (rest, taken)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn provider() -> Arc<CryptoProvider> {
    // ring: rustls' provider that builds without cmake or a C toolchain of its own.
    #[allow(deprecated)]
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The CA certificates in a PEM file, or a line that says what is wrong with the file.
fn load_ca(path: &Path, mode: SslMode) -> Result<RootCertStore, DbError> {
    let shown = path.display();
    let pem = std::fs::read(path).map_err(|e| {
        DbError(format!(
            "sslmode={mode}: cannot read the CA certificate {shown} given by sslrootcert ({e}): put the CA that signed PostgreSQL's server certificate there, or fix the path"
        ))
    })?;
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert.map_err(|e| {
            DbError(format!(
                "sslmode={mode}: the CA file {shown} is not a PEM certificate ({e})"
            ))
        })?;
        roots.add(cert).map_err(|e| {
            DbError(format!(
                "sslmode={mode}: the CA file {shown} holds a certificate rustls cannot use ({e})"
            ))
        })?;
    }
    if roots.is_empty() {
        return Err(DbError(format!(
            "sslmode={mode}: the CA file {shown} holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
        )));
    }
    Ok(roots)
}

/// srt-server's own certificate (its chain) and key, read at start.
struct ClientCert {
    path: PathBuf,
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

impl ClientCert {
    fn load(cert: &Path, key: &Path) -> Result<ClientCert, DbError> {
        let (shown, shown_key) = (cert.display(), key.display());
        let pem = std::fs::read(cert).map_err(|e| {
            DbError(format!(
                "cannot read the client certificate {shown} given by sslcert ({e}): fix the path"
            ))
        })?;
        let chain = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                DbError(format!(
                    "the client certificate {shown} (sslcert) is not a PEM certificate ({e})"
                ))
            })?;
        if chain.is_empty() {
            return Err(DbError(format!(
                "the client certificate {shown} (sslcert) holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
            )));
        }
        // As libpq: a key others may read is refused (it is the service's identity).
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(key).map_err(|e| {
            DbError(format!(
                "cannot read the client key {shown_key} given by sslkey ({e}): fix the path"
            ))
        })?;
        if meta.permissions().mode() & 0o007 != 0 {
            return Err(DbError(format!(
                "the client key {shown_key} (sslkey) can be read by every user of this machine: chmod 600 it (or 640 with the service's group)"
            )));
        }
        let key_pem = std::fs::read(key).map_err(|e| {
            DbError(format!(
                "cannot read the client key {shown_key} given by sslkey ({e}): fix the path or its owner"
            ))
        })?;
        let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
            DbError(format!(
                "the client key {shown_key} (sslkey) is not an unencrypted PEM private key ({e})"
            ))
        })?;
        Ok(ClientCert {
            path: cert.to_path_buf(),
            chain,
            key,
        })
    }
}

fn client_config(
    mode: SslMode,
    ca: Option<&Path>,
    client: Option<ClientCert>,
) -> Result<ClientConfig, DbError> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| DbError(format!("TLS set-up: {e}")))?;
    let verifier: Arc<dyn ServerCertVerifier> = match (mode, ca) {
        (SslMode::VerifyCa | SslMode::VerifyFull, Some(ca)) => {
            let webpki = WebPkiServerVerifier::builder_with_provider(
                Arc::new(load_ca(ca, mode)?),
                provider.clone(),
            )
            .build()
            .map_err(|e| DbError(format!("TLS set-up: {e}")))?;
            if mode == SslMode::VerifyFull {
                webpki
            } else {
                Arc::new(CaOnly(webpki))
            }
        }
        _ => Arc::new(Unchecked(provider)),
    };
    let builder = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    match client {
        None => Ok(builder.with_no_client_auth()),
        Some(c) => {
            let shown = c.path.display().to_string();
            builder.with_client_auth_cert(c.chain, c.key).map_err(|e| {
                DbError(format!(
                    "the client key (sslkey) does not belong to the certificate {shown} (sslcert), or rustls cannot use it ({e})"
                ))
            })
        }
    }
}

/// verify-ca: the chain must lead to the CA; the host name is not checked.
#[derive(Debug)]
struct CaOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for CaOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// prefer and require: encrypted, the certificate not checked (libpq's behaviour for these
/// modes); the handshake's signatures are still verified.
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// Connects as the URL says, with TLS by its `sslmode`; a failure comes back as one line that
/// says what to fix.
pub async fn connect(url: &str) -> Result<tokio_postgres::Client, DbError> {
    let target = Target::from_url(url)?;
    let (client, connection) = target
        .config
        .connect(target.tls.clone())
        .await
        .map_err(|e| DbError(target.explain(&e)))?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::warn!(error = %describe(&e), "database connection ended");
        }
    });
    Ok(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_params_leave_the_url_and_come_out_decoded() {
        let (rest, p) = take_tls_params(
            "postgresql://srt:pw@db.example:5432/srt?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&connect_timeout=5",
        );
        assert_eq!(
            rest,
            "postgresql://srt:pw@db.example:5432/srt?connect_timeout=5"
        );
        assert_eq!(
            p,
            vec![
                ("sslmode".to_string(), "verify-full".to_string()),
                ("sslrootcert".to_string(), "/etc/ca.pem".to_string())
            ]
        );
        let (rest, p) = take_tls_params(
            "host=db.example user=srt password='a b\\'c' sslmode = require sslrootcert='/my dir/ca.pem' dbname=srt",
        );
        assert_eq!(
            rest,
            "host=db.example user=srt password='a b\\'c' dbname=srt"
        );
        assert_eq!(p[0].1, "require");
        assert_eq!(p[1].1, "/my dir/ca.pem");
        let (rest, p) = take_tls_params("postgresql://localhost/srt?sslmode=disable");
        assert_eq!(rest, "postgresql://localhost/srt");
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn modes_map_to_tokio_postgres_and_a_missing_ca_says_what_to_fix() {
        let t = Target::from_url("host=db.example user=srt").expect("a valid URL");
        assert_eq!(t.mode, SslMode::Prefer);
        assert_eq!(t.config.get_ssl_mode(), PgSslMode::Prefer);
        assert_eq!(t.config.get_application_name(), Some("srt-server"));
        let t = Target::from_url("host=db.example sslmode=disable").expect("a valid URL");
        assert_eq!(t.config.get_ssl_mode(), PgSslMode::Disable);
        let t =
            Target::from_url("postgresql://db.example/srt?sslmode=require").expect("a valid URL");
        assert_eq!(t.config.get_ssl_mode(), PgSslMode::Require);
        // A Unix socket has no TLS: libpq ignores sslmode there.
        let t = Target::from_url("host=/run/postgresql sslmode=require").expect("a valid URL");
        assert_eq!(t.config.get_ssl_mode(), PgSslMode::Disable);
        let e =
            Target::from_url("host=db.example sslmode=verify-full sslrootcert=/nonexistent/ca.pem")
                .err()
                .expect("refused")
                .0;
        assert!(
            e.contains("cannot read the CA certificate /nonexistent/ca.pem"),
            "{e}"
        );
        let e = Target::from_url("host=db.example sslmode=verify-everything")
            .err()
            .expect("refused")
            .0;
        assert!(
            e.contains("use disable, prefer, require, verify-ca or verify-full"),
            "{e}"
        );
    }
}
