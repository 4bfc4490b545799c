//! What the desk keeps about signing: the settings (module, trust anchors, who may sign, the
//! time-stamp and OCSP services, the SMTP server), each decision's signature state and the
//! container filed beside the decision's PDF on the case's documents register.

use base64::Engine;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::verify::{Level, Report};
use crate::clock::ts;
use crate::error::{Error, FieldError, Result};
use crate::store::cached::CachedSql;

/// The signing and delivery settings.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SigningSettings {
    pub pkcs11_module: String,
    /// PEM certificates the signer must chain to (the ID-card's CA and root on a real desk).
    pub trust_anchors: String,
    /// People allowed to sign besides the coordinator named on the letter, one a line.
    pub allowed_signers: String,
    pub tsa_url: String,
    pub ocsp_url: String,
    pub smtp_host: String,
    pub smtp_port: i64,
    pub smtp_security: String,
    pub smtp_user: String,
    pub smtp_from: String,
    /// Send B-level containers without waiting for LT (Board policy; off by default).
    pub send_b_level: bool,
    /// The token's slot; none: the first token that holds a signing key.
    #[serde(default)]
    pub pkcs11_slot: Option<i64>,
    /// The PEM certificate of the CA of the SMTP server's certificate, when it is the Board's
    /// own CA (empty: the public roots).
    #[serde(default)]
    pub smtp_ca: String,
}

pub fn settings(conn: &Connection) -> Result<SigningSettings> {
    Ok(conn.query_row_cached(
        "SELECT pkcs11_module, trust_anchors, allowed_signers, tsa_url, ocsp_url, smtp_host,
            smtp_port, smtp_security, smtp_user, smtp_from, send_b_level, pkcs11_slot, smtp_ca
         FROM signing_settings
         WHERE id = 1",
        [],
        |r| {
            Ok(SigningSettings {
                pkcs11_module: r.get(0)?,
                trust_anchors: r.get(1)?,
                allowed_signers: r.get(2)?,
                tsa_url: r.get(3)?,
                ocsp_url: r.get(4)?,
                smtp_host: r.get(5)?,
                smtp_port: r.get(6)?,
                smtp_security: r.get(7)?,
                smtp_user: r.get(8)?,
                smtp_from: r.get(9)?,
                send_b_level: r.get(10)?,
                pkcs11_slot: r.get(11)?,
                smtp_ca: r.get(12)?,
            })
        },
    )?)
}

pub fn save_settings(conn: &Connection, s: &SigningSettings, now: DateTime<Utc>) -> Result<()> {
    if !matches!(s.smtp_security.as_str(), "starttls" | "tls" | "none") {
        return Err(Error::field(
            "smtpSecurity",
            "smtp.security",
            "Vali STARTTLS või TLS.",
            "Choose STARTTLS or TLS.",
        ));
    }
    if !(1..=65535).contains(&s.smtp_port) {
        return Err(Error::field(
            "smtpPort",
            "smtp.port",
            "Port on arv 1–65535.",
            "The port is a number from 1 to 65535.",
        ));
    }
    if !s.trust_anchors.trim().is_empty() && pem_certificates(&s.trust_anchors).is_empty() {
        return Err(Error::field(
            "trustAnchors",
            "signing.trust_pem",
            "Usaldatud sertifikaadid peavad olema PEM-kujul (-----BEGIN CERTIFICATE-----).",
            "Trusted certificates must be PEM (-----BEGIN CERTIFICATE-----).",
        ));
    }
    check_more(s)?;
    conn.execute_cached(
        "UPDATE signing_settings SET pkcs11_module = ?1, trust_anchors = ?2, allowed_signers = ?3,
            tsa_url = ?4, ocsp_url = ?5, smtp_host = ?6, smtp_port = ?7, smtp_security = ?8,
            smtp_user = ?9, smtp_from = ?10, updated_at = ?11, send_b_level = ?12,
            pkcs11_slot = ?13, smtp_ca = ?14 WHERE id = 1",
        params![
            s.pkcs11_module.trim(),
            s.trust_anchors,
            s.allowed_signers,
            s.tsa_url.trim(),
            s.ocsp_url.trim(),
            s.smtp_host.trim(),
            s.smtp_port,
            s.smtp_security,
            s.smtp_user.trim(),
            s.smtp_from.trim(),
            ts(now),
            s.send_b_level,
            s.pkcs11_slot,
            s.smtp_ca
        ],
    )?;
    Ok(())
}

/// The checks of the settings the window added (slot, service addresses, sender, SMTP CA).
fn check_more(s: &SigningSettings) -> Result<()> {
    let mut errors = Vec::new();
    if s.pkcs11_slot.is_some_and(|n| n < 0) {
        errors.push(FieldError::new(
            "pkcs11Slot",
            "signing.slot",
            "Pesa number on 0 või suurem (tühi: esimene allkirjastamise võtmega kaart).",
            "The slot is 0 or more (empty: the first card with a signing key).",
        ));
    }
    if s.pkcs11_module.trim().is_empty() {
        errors.push(FieldError::new(
            "pkcs11Module",
            "signing.module_missing",
            "Sisesta PKCS#11 mooduli asukoht (ID-kaardi jaoks OpenSC opensc-pkcs11.so).",
            "Enter the PKCS#11 module's path (for the ID-card, OpenSC's opensc-pkcs11.so).",
        ));
    }
    for (field, url) in [("tsaUrl", &s.tsa_url), ("ocspUrl", &s.ocsp_url)] {
        let url = url.trim();
        if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
            errors.push(FieldError::new(
                field,
                "signing.url",
                "Teenuse aadress algab http:// või https://.",
                "The service's address starts with http:// or https://.",
            ));
        }
    }
    let from = s.smtp_from.trim();
    if !from.is_empty() && from.parse::<lettre::message::Mailbox>().is_err() {
        errors.push(FieldError::new(
            "smtpFrom",
            "smtp.from",
            "Saatja aadress ei ole korrektne (näiteks SRT otsused <otsused@sotsiaalkindlustusamet.ee>).",
            "The sender's address is not valid (for example SRT decisions <decisions@example.org>).",
        ));
    }
    if !s.smtp_ca.trim().is_empty() && pem_certificates(&s.smtp_ca).is_empty() {
        errors.push(FieldError::new(
            "smtpCa",
            "smtp.ca_pem",
            "E-posti serveri sertifikaadi väljaandja peab olema PEM-kujul (-----BEGIN CERTIFICATE-----).",
            "The mail server's certificate issuer must be PEM (-----BEGIN CERTIFICATE-----).",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

/// Whether `b` is one whole DER SEQUENCE (what a DER certificate file is).
fn is_der_sequence(b: &[u8]) -> bool {
    let (Some(&0x30), Some(&first)) = (b.first(), b.get(1)) else {
        return false;
    };
    let (len, head) = if first < 0x80 {
        (first as usize, 2)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || b.len() < 2 + n {
            return false;
        }
        let len = b[2..2 + n]
            .iter()
            .fold(0usize, |acc, &x| (acc << 8) | x as usize);
        (len, 2 + n)
    };
    len > 64 && head + len == b.len()
}

/// A certificate file (PEM or DER) as PEM text, to add to the trust anchors.
pub fn certificate_file_pem(bytes: &[u8]) -> Result<String> {
    let text = String::from_utf8_lossy(bytes);
    if !pem_certificates(&text).is_empty() {
        return Ok(text.trim().to_string() + "\n");
    }
    if is_der_sequence(bytes) {
        let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        let lines: Vec<&str> = b64
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect();
        return Ok(format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            lines.join("\n")
        ));
    }
    Err(Error::field(
        "trustAnchors",
        "signing.trust_file",
        "See fail ei ole sertifikaat (oodati PEM- või DER-kujul CA sertifikaati).",
        "This file is not a certificate (a CA certificate in PEM or DER was expected).",
    ))
}

/// The DER certificates in a PEM text.
pub fn pem_certificates(pem: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = pem;
    while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
        let body_start = start + "-----BEGIN CERTIFICATE-----".len();
        let Some(end) = rest[body_start..].find("-----END CERTIFICATE-----") else {
            break;
        };
        let body: String = rest[body_start..body_start + end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(body) {
            out.push(der);
        }
        rest = &rest[body_start + end..];
    }
    out
}

/// A decision's signature as kept.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureState {
    pub level: String,
    /// `ready` (LT) or `needs_confirmation` (B, waiting for the time-stamp and OCSP).
    pub state: String,
    pub signer: String,
    pub signed_at: String,
    pub attachment_id: i64,
    pub file_name: String,
    pub last_error: String,
}

pub fn signature(conn: &Connection, decision_id: i64) -> Result<Option<SignatureState>> {
    Ok(conn
        .query_row_cached(
            "SELECT s.level, s.state, s.signer, s.signed_at, s.attachment_id, a.file_name, s.last_error
             FROM decision_signature s JOIN attachment a ON a.id = s.attachment_id
             WHERE s.decision_id = ?1",
            [decision_id],
            |r| {
                Ok(SignatureState {
                    level: r.get(0)?,
                    state: r.get(1)?,
                    signer: r.get(2)?,
                    signed_at: r.get(3)?,
                    attachment_id: r.get(4)?,
                    file_name: r.get(5)?,
                    last_error: r.get(6)?,
                })
            },
        )
        .optional()?)
}

/// The signed container's bytes of a decision.
pub fn container_bytes(conn: &Connection, decision_id: i64) -> Result<Option<(String, Vec<u8>)>> {
    Ok(conn
        .query_row_cached(
            "SELECT a.file_name, a.content FROM decision_signature s
             JOIN attachment a ON a.id = s.attachment_id WHERE s.decision_id = ?1",
            [decision_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// File a verified container beside the decision's PDF (the same outgoing document on the
/// case's register) and record its signature state. A new container replaces the old state.
pub fn file_container(
    conn: &Connection,
    decision_id: i64,
    number: &str,
    document_id: i64,
    bytes: &[u8],
    report: &Report,
    now: DateTime<Utc>,
) -> Result<SignatureState> {
    let attachment_id = crate::casework::documents::attach(
        conn,
        document_id,
        &format!("otsus-{number}.asice"),
        super::container::MIMETYPE,
        bytes,
        now,
    )?;
    let level = report.level.unwrap_or(Level::B);
    let state = if level == Level::LT {
        "ready"
    } else {
        "needs_confirmation"
    };
    conn.execute_cached(
        "INSERT INTO decision_signature (decision_id, level, state, signer, signed_at, attachment_id,
            last_error, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', ?7, ?7)
         ON CONFLICT (decision_id) DO UPDATE SET level = excluded.level, state = excluded.state,
            signer = excluded.signer, signed_at = excluded.signed_at,
            attachment_id = excluded.attachment_id, last_error = '', updated_at = excluded.updated_at",
        params![
            decision_id,
            level.as_str(),
            state,
            report.signer.clone().unwrap_or_default(),
            report.signing_time.clone().unwrap_or_else(|| ts(now)),
            attachment_id,
            ts(now)
        ],
    )?;
    signature(conn, decision_id)?.ok_or(Error::DecisionNotApproved)
}

/// Keep why the extension to LT failed; the B-level container and its state stay.
pub fn note_extension_failure(
    conn: &Connection,
    decision_id: i64,
    why: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute_cached(
        "UPDATE decision_signature SET last_error = ?2, updated_at = ?3 WHERE decision_id = ?1",
        params![decision_id, why, ts(now)],
    )?;
    Ok(())
}

/// One line of `srt-admin decisions`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DecisionLine {
    pub id: i64,
    pub number: String,
    pub case_no: String,
    pub kind: String,
    pub status: String,
    pub date: String,
}

/// Decisions with a number (approved or sent), newest first; `status` filters.
pub fn decision_lines(conn: &Connection, status: Option<&str>) -> Result<Vec<DecisionLine>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, COALESCE(d.number, ''), c.case_no, d.kind, d.status,
            COALESCE(d.decision_date, '')
         FROM decision d JOIN srt_case c ON c.id = d.case_id
         WHERE (?1 IS NULL OR d.status = ?1)
         ORDER BY d.decision_date DESC, d.id DESC",
    )?;
    let rows = stmt
        .query_map([status], |r| {
            Ok(DecisionLine {
                id: r.get(0)?,
                number: r.get(1)?,
                case_no: r.get(2)?,
                kind: r.get(3)?,
                status: r.get(4)?,
                date: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The decision with this number.
pub fn decision_by_number(conn: &Connection, number: &str) -> Result<i64> {
    conn.query_row_cached(
        "SELECT id FROM decision WHERE number = ?1",
        [number.trim()],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| {
        Error::field(
            "number",
            "decision.number_unknown",
            &format!("Otsust numbriga {} ei ole.", number.trim()),
            &format!("There is no decision numbered {}.", number.trim()),
        )
    })
}

pub use crate::overview::dashboard::WaitingDecision as Waiting;

fn waiting_title(reason: &str, signed: bool) -> crate::error::Localized {
    use crate::error::Localized;
    match (reason, signed) {
        ("needs_confirmation", _) => {
            Localized::new("Allkiri vajab kinnitust", "Signature needs confirmation")
        }
        (_, true) => Localized::new("Allkirjastatud, saatmata", "Signed, not sent"),
        _ => Localized::new("Allkirjastamata, saatmata", "Not signed, not sent"),
    }
}

pub fn waiting(conn: &Connection) -> Result<Vec<Waiting>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.case_id, c.case_no, d.number,
            CASE WHEN s.state = 'needs_confirmation' THEN 'needs_confirmation' ELSE 'not_sent' END,
            COALESCE(NULLIF(s.last_error, ''),
                (SELECT x.error FROM decision_delivery x WHERE x.decision_id = d.id
                 ORDER BY x.id DESC LIMIT 1), ''),
            ch.first_name || ' ' || ch.last_name, d.kind, d.decision_date,
            s.decision_id IS NOT NULL
         FROM decision d JOIN srt_case c ON c.id = d.case_id
         JOIN child ch ON ch.id = c.child_id
         LEFT JOIN decision_signature s ON s.decision_id = d.id
         WHERE d.status = 'approved'
         ORDER BY d.decision_date, d.id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let reason: String = r.get(4)?;
            let signed: bool = r.get(9)?;
            Ok(Waiting {
                decision_id: r.get(0)?,
                case_id: r.get(1)?,
                case_no: r.get(2)?,
                number: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                child_name: r.get(6)?,
                kind: r.get(7)?,
                decision_date: r.get(8)?,
                title: waiting_title(&reason, signed),
                reason,
                signed,
                last_error: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
