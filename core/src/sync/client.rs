//! The blocking HTTPS client of the team protocol, trusting only the pinned CA.

use std::time::Duration;

use reqwest::blocking::{Client, RequestBuilder};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::{ChangeRecord, Joined, PullPage, PushReply};
use crate::error::Localized;

/// A sync failure with a stable code (for the UI and the log) and words for the coordinator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncError {
    pub code: &'static str,
    pub message: Localized,
    /// For the log: HTTP status or transport error kind, never personal data.
    pub detail: String,
}

impl std::fmt::Display for SyncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.message.en, self.code, self.detail)
    }
}

impl std::error::Error for SyncError {}

impl SyncError {
    /// A desk-side sync problem (not joined, a purge refused) with words for the coordinator.
    pub fn new(code: &'static str, et: &str, en: &str, detail: impl Into<String>) -> SyncError {
        err(code, et, en, detail)
    }
}

impl From<SyncError> for crate::error::Error {
    /// A sync problem reaches the window and srt-admin as a refusal with its stable code
    /// (`sync.offline`, `sync.not_joined`) and its words; the detail (for the log) stays out.
    fn from(e: SyncError) -> Self {
        // The detail goes to the desk's log only: the HTTP status and the server's error code,
        // or the transport's error (never a row's values).
        tracing::warn!(code = e.code, detail = %e.detail, "sync error");
        crate::error::Error::Refused {
            code: e.code,
            message: e.message,
            details: None,
        }
    }
}

fn err(code: &'static str, et: &str, en: &str, detail: impl Into<String>) -> SyncError {
    SyncError {
        code,
        message: Localized::new(et, en),
        detail: detail.into(),
    }
}

#[derive(Debug, Clone)]
pub struct SyncClient {
    http: Client,
    base: String,
    token: Option<String>,
}

impl SyncClient {
    /// A client for `server` (https://host:port) that trusts only the CA (or certificate) in
    /// `ca_pem`.
    pub fn new(server: &str, ca_pem: &[u8]) -> Result<SyncClient, SyncError> {
        let base = server.trim_end_matches('/').to_string();
        if !base.starts_with("https://") {
            return Err(err(
                "sync.not_https",
                "Meeskonna serveri aadress peab algama https://",
                "The team server's address must start with https://",
                base,
            ));
        }
        let ca = reqwest::Certificate::from_pem(ca_pem).map_err(|e| {
            err(
                "sync.bad_ca",
                "Serveri sertifikaadi fail ei ole loetav (oodati PEM-faili)",
                "The server's certificate file cannot be read (a PEM file was expected)",
                e.to_string(),
            )
        })?;
        let http = Client::builder()
            .tls_built_in_root_certs(false)
            .add_root_certificate(ca)
            .https_only(true)
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(|e| {
                err(
                    "sync.internal",
                    "Sünkroonimist ei saa alustada",
                    "Sync cannot start",
                    e.to_string(),
                )
            })?;
        Ok(SyncClient {
            http,
            base,
            token: None,
        })
    }

    /// The same client, speaking for the device whose token is given.
    pub fn with_token(mut self, token: impl Into<String>) -> SyncClient {
        self.token = Some(token.into());
        self
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn authed(&self, req: RequestBuilder) -> RequestBuilder {
        match &self.token {
            Some(t) => req.bearer_auth(t),
            None => req,
        }
    }

    fn send<T: DeserializeOwned>(&self, req: RequestBuilder) -> Result<T, SyncError> {
        let resp = self.authed(req).send().map_err(|e| {
            if e.is_connect() || e.is_timeout() {
                err(
                    "sync.offline",
                    "Meeskonna server ei ole kättesaadav (võrguühendus?)",
                    "The team server cannot be reached (network connection?)",
                    e.to_string(),
                )
            } else {
                err(
                    "sync.transport",
                    "Ühendus meeskonna serveriga katkes",
                    "The connection to the team server broke off",
                    e.to_string(),
                )
            }
        })?;
        let status = resp.status();
        if status == StatusCode::UNAUTHORIZED {
            return Err(err(
                "sync.unauthorized",
                "Server ei tunne seda seadet enam (seade on tühistatud või liitumiskood ei kehti)",
                "The server no longer knows this device (revoked, or the join code is not valid)",
                status.to_string(),
            ));
        }
        if !status.is_success() {
            let body: serde_json::Value = resp.json().unwrap_or_default();
            let code = body["error"]["code"].as_str().unwrap_or("").to_string();
            let detail = format!("{status} {code}");
            match code.as_str() {
                "forbidden" => {
                    return Err(err(
                        "sync.forbidden",
                        "Seda saab teha ainult meeskonna juht",
                        "Only the team lead can do this",
                        detail,
                    ))
                }
                "already_resolved" => {
                    return Err(err(
                        "sync.already_resolved",
                        "Selle konflikti on keegi juba lahendanud",
                        "Somebody has already resolved this conflict",
                        detail,
                    ))
                }
                "not_found" => {
                    return Err(err(
                        "sync.not_found",
                        "Meeskonna serveris seda ei ole (kasutajanimi või konflikt?)",
                        "The team server does not have it (a login or a conflict?)",
                        detail,
                    ))
                }
                "bad_request" => {
                    return Err(err(
                        "sync.bad_request",
                        "Meeskonna server ei võtnud andmeid vastu (kontrolli kuupäevi ja kasutajanimesid)",
                        "The team server did not accept the data (check the dates and logins)",
                        detail,
                    ))
                }
                _ => {}
            }
            return Err(err(
                "sync.server",
                "Meeskonna server keeldus päringust",
                "The team server refused the request",
                detail,
            ));
        }
        resp.json().map_err(|e| {
            err(
                "sync.bad_reply",
                "Meeskonna serveri vastus ei olnud arusaadav",
                "The team server's answer could not be understood",
                e.to_string(),
            )
        })
    }

    pub fn health(&self) -> Result<(), SyncError> {
        let _: serde_json::Value = self.send(self.http.get(self.url("/health")))?;
        Ok(())
    }

    /// Spends a one-time join code; keep the token in the OS credential store.
    pub fn join(&self, code: &str, device_name: &str) -> Result<Joined, SyncError> {
        self.send(
            self.http
                .post(self.url("/v1/join"))
                .json(&json!({"code": code, "device_name": device_name})),
        )
    }

    pub fn push(&self, changes: &[ChangeRecord]) -> Result<PushReply, SyncError> {
        self.send(
            self.http
                .post(self.url("/v1/push"))
                .json(&json!({ "changes": changes })),
        )
    }

    /// A page of what changed after `after`; `ack` is the last page this desk applied (what a
    /// later page sent never arrived, and the server sends it again).
    pub fn pull(&self, after: i64, limit: u32, ack: i64) -> Result<PullPage, SyncError> {
        self.send(
            self.http
                .get(self.url(&format!("/v1/pull?after={after}&limit={limit}&ack={ack}"))),
        )
    }

    /// A pull of a desk restored from an old backup: every case in scope whole again (with
    /// `after` 0), and this device's own changes too.
    pub fn pull_resync(&self, after: i64, limit: u32, ack: i64) -> Result<PullPage, SyncError> {
        self.send(self.http.get(self.url(&format!(
            "/v1/pull?after={after}&limit={limit}&resync=true&ack={ack}"
        ))))
    }

    /// The service manager's rows for statistics, without personal data (a page like a pull's,
    /// snapshots only).
    pub fn manager_rows(&self, after: i64, limit: u32) -> Result<PullPage, SyncError> {
        self.send(
            self.http
                .get(self.url(&format!("/v1/manager/rows?after={after}&limit={limit}"))),
        )
    }

    /// Opens a long-lived stream (the server-sent events of `/v1/events`): the response, to be
    /// read line by line. Each read waits at most the client's timeout (the server sends a
    /// keep-alive every 15 s); the whole stream ends after `for_at_most`, then open it again.
    pub fn open_stream(
        &self,
        path: &str,
        for_at_most: Duration,
    ) -> Result<reqwest::blocking::Response, SyncError> {
        let resp = self
            .authed(self.http.get(self.url(path)).timeout(for_at_most))
            .send()
            .map_err(|e| {
                err(
                    "sync.offline",
                    "Meeskonna server ei ole kättesaadav (võrguühendus?)",
                    "The team server cannot be reached (network connection?)",
                    e.to_string(),
                )
            })?;
        match resp.status() {
            StatusCode::UNAUTHORIZED => Err(err(
                "sync.unauthorized",
                "Server ei tunne seda seadet enam (seade on tühistatud või liitumiskood ei kehti)",
                "The server no longer knows this device (revoked, or the join code is not valid)",
                "401",
            )),
            s if !s.is_success() => Err(err(
                "sync.server",
                "Meeskonna server keeldus päringust",
                "The team server refused the request",
                s.to_string(),
            )),
            _ => Ok(resp),
        }
    }

    /// A GET of the protocol that answers JSON (conflicts, members, substitutions).
    pub fn get_json(&self, path: &str) -> Result<serde_json::Value, SyncError> {
        self.send(self.http.get(self.url(path)))
    }

    /// A POST of the protocol with a JSON body (resolve, substitutions, audit).
    pub fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, SyncError> {
        self.send(self.http.post(self.url(path)).json(body))
    }
}
