//! Delivery of a signed decision: by e-mail through the Board's SMTP server (the container
//! attached, a short letter in the guardian's language, the .eml kept on the register), or as a
//! dated hand-over (post, in person, eesti.ee). The delivery date starts the challenge period
//! that the case already counts (decisions' `delivered_on`).

use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use rusqlite::{params, Connection};
use serde::Serialize;

use super::record::SigningSettings;
use super::Problem;
use crate::clock::ts;
use crate::decisions::Decision;
use crate::error::{Error, Result};
use crate::store::cached::CachedSql;

/// The credential-store entry of the SMTP password.
pub const SMTP_PASSWORD_ENTRY: &str = "srt-desk-smtp-password";

fn kind_words(kind: &str, lang: &str) -> &'static str {
    match (lang, kind) {
        ("ru", "referral") => "решение о направлении на услугу",
        ("ru", "refusal") => "решение об отказе",
        ("ru", "amendment") => "решение об изменении",
        ("ru", _) => "решение о прекращении",
        ("en", "referral") => "referral decision",
        ("en", "refusal") => "refusal decision",
        ("en", "amendment") => "amendment decision",
        ("en", _) => "termination decision",
        (_, "referral") => "suunamisotsus",
        (_, "refusal") => "keeldumisotsus",
        (_, "amendment") => "muutmisotsus",
        _ => "lõpetamisotsus",
    }
}

/// The subject and body of the e-mail in the guardian's language (et, ru, en).
pub fn letter(d: &Decision, number: &str, file_name: &str, board: &str) -> (String, String) {
    let lang = d.summary_language.as_str();
    let kind = kind_words(&d.kind, lang);
    let date = d
        .decision_date
        .map(|x| x.format("%d.%m.%Y").to_string())
        .unwrap_or_default();
    let name = d.addressee_name.trim();
    match lang {
        "ru" => (
            format!("Решение {number} ({board})"),
            format!(
                "Здравствуйте, {name}!\n\n{board} направляет Вам {kind} № {number} от {date}.\n\
                 Решение подписано цифровой подписью и приложено к письму файлом {file_name}.\n\n\
                 Файл открывается программой DigiDoc4 (бесплатно, www.id.ee): в нём находится \
                 решение в формате PDF и подпись, подтверждающая его подлинность.\n\n\
                 Срок для подачи возражения (30 дней) исчисляется со дня получения решения.\n\n\
                 С уважением,\n{board}\n"
            ),
        ),
        "en" => (
            format!("Decision {number} ({board})"),
            format!(
                "Dear {name},\n\n{board} sends you its {kind} No {number} of {date}.\n\
                 The decision is digitally signed and attached to this message as {file_name}.\n\n\
                 Open the file with DigiDoc4 (free, www.id.ee): it holds the decision as a PDF and \
                 the signature that proves it genuine.\n\n\
                 The 30 days to challenge the decision count from the day you receive it.\n\n\
                 Kind regards,\n{board}\n"
            ),
        ),
        _ => (
            format!("Otsus {number} ({board})"),
            format!(
                "Tere, {name}!\n\n{board} saadab Teile {kind}e nr {number} ({date}).\n\
                 Otsus on digitaalselt allkirjastatud ja lisatud kirjale failina {file_name}.\n\n\
                 Faili saab avada rakendusega DigiDoc4 (tasuta, www.id.ee): selles on otsus \
                 PDF-failina ja allkiri, mis tõendab selle ehtsust.\n\n\
                 Vaide esitamise 30 päeva arvestatakse otsuse kättesaamisest.\n\n\
                 Lugupidamisega\n{board}\n"
            ),
        ),
    }
}

fn smtp_problem(detail: String) -> Problem {
    Problem::new(
        "delivery.smtp_failed",
        "E-kirja ei saanud saata: e-posti server ei võtnud kirja vastu. Otsus jääb töölauale saatmata otsuste alla.",
        "The e-mail could not be sent: the mail server did not accept it. The decision stays on the dashboard as not sent.",
    )
    .with_detail(detail)
}

/// The message as sent (also kept as the .eml).
pub fn message(
    s: &SigningSettings,
    to: &str,
    subject: &str,
    body: &str,
    container_name: &str,
    container: &[u8],
) -> std::result::Result<Message, Problem> {
    let bad_address = |field: &str, value: &str| {
        Problem::new(
            "delivery.bad_address",
            "E-posti aadress ei ole korrektne (saatja seadetes või saaja otsuses).",
            "An e-mail address is not valid (the sender in the settings or the addressee on the decision).",
        )
        .with_detail(format!("{field}: {value}"))
    };
    let from: Mailbox = s
        .smtp_from
        .parse()
        .map_err(|_| bad_address("from", &s.smtp_from))?;
    let to_box: Mailbox = to.parse().map_err(|_| bad_address("to", to))?;
    let asice =
        ContentType::parse(super::container::MIMETYPE).map_err(|e| smtp_problem(e.to_string()))?;
    Message::builder()
        .from(from)
        .to(to_box)
        .subject(subject)
        .multipart(
            MultiPart::mixed()
                .singlepart(SinglePart::plain(body.to_string()))
                .singlepart(
                    Attachment::new(container_name.to_string()).body(container.to_vec(), asice),
                ),
        )
        .map_err(|e| smtp_problem(e.to_string()))
}

/// Send through the configured server; `password` from the OS credential store.
pub fn send(
    s: &SigningSettings,
    password: Option<&str>,
    m: &Message,
) -> std::result::Result<(), Problem> {
    if s.smtp_host.trim().is_empty() {
        return Err(Problem::new(
            "delivery.smtp_not_set",
            "E-posti server ei ole seadistatud (Seaded → Allkirjastamine ja saatmine).",
            "The mail server is not set up (Settings → Signing and delivery).",
        ));
    }
    let port = u16::try_from(s.smtp_port).unwrap_or(587);
    let builder = match s.smtp_security.as_str() {
        "tls" => SmtpTransport::relay(&s.smtp_host),
        "starttls" => SmtpTransport::starttls_relay(&s.smtp_host),
        _ => Ok(SmtpTransport::builder_dangerous(&s.smtp_host)),
    }
    .map_err(|e| smtp_problem(e.to_string()))?
    .port(port)
    .timeout(Some(Duration::from_secs(30)));
    let builder = match (s.smtp_user.trim(), password) {
        ("", _) => builder,
        (user, Some(pw)) => builder.credentials(Credentials::new(user.into(), pw.into())),
        (user, None) => builder.credentials(Credentials::new(user.into(), String::new())),
    };
    builder
        .build()
        .send(m)
        .map(|_| ())
        .map_err(|e| smtp_problem(e.to_string()))
}

/// One delivery attempt as kept.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub way: String,
    pub outcome: String,
    pub on_date: Option<NaiveDate>,
    pub address: String,
    pub error: String,
    pub attachment_id: Option<i64>,
}

#[allow(clippy::too_many_arguments)]
pub fn record(
    conn: &Connection,
    decision_id: i64,
    way: &str,
    outcome: &str,
    on: Option<NaiveDate>,
    address: &str,
    error: &str,
    attachment_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute_cached(
        "INSERT INTO decision_delivery (decision_id, way, outcome, on_date, address, error,
            attachment_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            decision_id,
            way,
            outcome,
            on.map(|d| d.to_string()),
            address,
            error,
            attachment_id,
            ts(now)
        ],
    )?;
    Ok(())
}

pub fn deliveries(conn: &Connection, decision_id: i64) -> Result<Vec<Delivery>> {
    let mut stmt = conn.prepare_cached(
        "SELECT way, outcome, on_date, address, error, attachment_id FROM decision_delivery
         WHERE decision_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([decision_id], |r| {
            Ok(Delivery {
                way: r.get(0)?,
                outcome: r.get(1)?,
                on_date: r.get(2)?,
                address: r.get(3)?,
                error: r.get(4)?,
                attachment_id: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The ways of a dated hand-over.
pub fn check_way(way: &str) -> Result<()> {
    if matches!(way, "post" | "in_person" | "eesti_ee") {
        Ok(())
    } else {
        Err(Error::field(
            "way",
            "delivery.way",
            "Vali kättetoimetamise viis: post, isiklikult või eesti.ee.",
            "Choose how it was delivered: post, in person or eesti.ee.",
        ))
    }
}
