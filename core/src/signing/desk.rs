//! The Desk's signing methods: sign an approved decision with a token, take back a container
//! signed elsewhere (DigiDoc4), verify a container, the settings. Each checks the container
//! with every check of [`super::verify`] before anything is filed; refusals are audited too.

use std::path::Path;

use super::record::{self, DecisionLine, SignatureState, SigningSettings};
use super::verify::{Report, VerifyOptions};
use super::{container::DataFile, Problem, TokenSigner};
use crate::decisions;
use crate::error::{Error, Result};
use crate::{Desk, KeyStore};

use super::delivery;

/// A signed decision: the container as filed and what the verifier said.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Signed {
    #[serde(skip)]
    pub container: Vec<u8>,
    pub file_name: String,
    pub report: Report,
    pub state: SignatureState,
    /// Why the extension to LT failed (the B-level container is filed all the same).
    pub extension_error: Option<Problem>,
}

impl Desk {
    pub fn signing_settings(&self) -> Result<SigningSettings> {
        record::settings(self.store.connection())
    }

    pub fn save_signing_settings(&mut self, s: &SigningSettings) -> Result<SigningSettings> {
        self.write("signing.settings", "settings", "signing", |tx, now, _| {
            record::save_settings(tx, s, now)
        })?;
        record::settings(self.store.connection())
    }

    /// Numbered decisions, one line each (`srt-admin decisions`).
    pub fn decision_lines(&self, status: Option<&str>) -> Result<Vec<DecisionLine>> {
        let lines = record::decision_lines(self.store.connection(), status)?;
        self.audit("decision.list", "decision", "", status.unwrap_or(""))?;
        Ok(lines)
    }

    pub fn decision_id_by_number(&self, number: &str) -> Result<i64> {
        record::decision_by_number(self.store.connection(), number)
    }

    /// Approved decisions that have not left yet: the dashboard's "allkiri vajab kinnitust"
    /// and "saatmata".
    pub fn decisions_waiting(&self) -> Result<Vec<record::Waiting>> {
        record::waiting(self.store.connection())
    }

    pub fn decision_signature(&self, id: i64) -> Result<Option<SignatureState>> {
        record::signature(self.store.connection(), id)
    }

    /// What the verifier is told for decision `id`: the settings' anchors, the approved PDF,
    /// the coordinator named on the letter and the people the settings allow.
    fn verify_options(&self, id: i64) -> Result<VerifyOptions> {
        let conn = self.store.connection();
        let s = record::settings(conn)?;
        let d = decisions::get(conn, id)?;
        let (_, pdf) = decisions::pdf_bytes(conn, id)?;
        let mut allowed: Vec<String> = s
            .allowed_signers
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        if let Some(by) = d.approved_by.filter(|b| !b.trim().is_empty()) {
            allowed.push(by);
        }
        Ok(VerifyOptions {
            trust_anchors_der: record::pem_certificates(&s.trust_anchors),
            expected_pdf: Some(pdf),
            allowed_signers: allowed,
            at: Some(self.clock.now()),
        })
    }

    /// Check a container for decision `id` and file it beside the PDF; refused with every
    /// problem found, the refusal audited.
    fn check_and_file(&mut self, id: i64, bytes: Vec<u8>, how: &str) -> Result<Signed> {
        let d = decisions::get(self.store.connection(), id)?;
        let (Some(number), Some(doc)) = (d.number.clone(), d.document_id) else {
            return Err(Error::DecisionNotApproved);
        };
        let report = super::verify(&bytes, &self.verify_options(id)?);
        if !report.is_ok() {
            let codes: Vec<&str> = report.problems.iter().map(|p| p.code).collect();
            self.audit(
                "decision.container_refused",
                "case",
                &d.case_id.to_string(),
                &format!("{number} {how}: {}", codes.join(",")),
            )?;
            return Err(super::refused(report.problems));
        }
        let detail = format!(
            "{number} {how} {} {}",
            report.level.map(|l| l.as_str()).unwrap_or("?"),
            report.signer.clone().unwrap_or_default()
        );
        let state = self.write_detailed(
            "decision.sign",
            "case",
            &d.case_id.to_string(),
            &detail,
            |tx, now, _| record::file_container(tx, id, &number, doc, &bytes, &report, now),
        )?;
        Ok(Signed {
            container: bytes,
            file_name: format!("otsus-{number}.asice"),
            report,
            state,
            extension_error: None,
        })
    }

    /// Sign approved decision `id` with the key on a PKCS#11 token (the ID-card), verify the
    /// container and file it. The PIN is used for this login only.
    pub fn sign_decision(
        &mut self,
        id: i64,
        module: Option<&Path>,
        slot: Option<usize>,
        pin: &str,
    ) -> Result<Signed> {
        let conn = self.store.connection();
        let d = decisions::get(conn, id)?;
        if d.status == "draft" {
            return Err(Error::DecisionNotApproved);
        }
        let (file_name, pdf) = decisions::pdf_bytes(conn, id)?;
        let settings = record::settings(conn)?;
        let module = module
            .map(Path::to_path_buf)
            .unwrap_or_else(|| settings.pkcs11_module.clone().into());
        let signed = {
            let signer = TokenSigner::open(&module, slot, pin).inspect_err(|p| {
                let _ = self.audit(
                    "decision.sign_failed",
                    "case",
                    &d.case_id.to_string(),
                    p.code,
                );
            })?;
            let file = DataFile {
                name: file_name,
                mime_type: "application/pdf".into(),
                content: pdf,
            };
            let lt = (!settings.tsa_url.trim().is_empty()).then(|| super::LtServices {
                tsa_url: settings.tsa_url.trim().to_string(),
                issuer_certs_der: record::pem_certificates(&settings.trust_anchors),
            });
            super::sign_container_extending(&signer, &[file], self.clock.now(), lt.as_ref())?
        };
        let mut filed = self.check_and_file(id, signed.container, "pkcs11")?;
        if let Some(p) = signed.extension_error {
            let why = format!("{}: {}", p.code, p.detail);
            self.write_detailed(
                "decision.lt_failed",
                "case",
                &d.case_id.to_string(),
                &why,
                |tx, now, _| record::note_extension_failure(tx, id, &why, now),
            )?;
            filed.state = record::signature(self.store.connection(), id)?.unwrap_or(filed.state);
            filed.extension_error = Some(p);
        }
        Ok(filed)
    }

    /// A container signed elsewhere (DigiDoc4: Mobile-ID, Smart-ID): checked like our own and
    /// filed.
    pub fn file_signed_container(&mut self, id: i64, bytes: Vec<u8>) -> Result<Signed> {
        self.check_and_file(id, bytes, "digidoc4")
    }

    /// Verify any container with the settings' trust anchors and `extra` anchors (DER).
    pub fn verify_container(&self, bytes: &[u8], extra: Vec<Vec<u8>>) -> Result<Report> {
        let s = record::settings(self.store.connection())?;
        let mut anchors = record::pem_certificates(&s.trust_anchors);
        anchors.extend(extra);
        let report = super::verify(
            bytes,
            &VerifyOptions {
                trust_anchors_der: anchors,
                at: Some(self.clock.now()),
                ..Default::default()
            },
        );
        let codes: Vec<&str> = report.problems.iter().map(|p| p.code).collect();
        self.audit("container.verify", "container", "", &codes.join(","))?;
        Ok(report)
    }

    /// The signed container of decision `id` (file name, bytes).
    pub fn decision_container(&self, id: i64) -> Result<(String, Vec<u8>)> {
        let out = record::container_bytes(self.store.connection(), id)?.ok_or_else(|| {
            Error::from(Problem::new(
                "signing.not_signed",
                "Otsus ei ole veel allkirjastatud.",
                "The decision is not signed yet.",
            ))
        })?;
        let case_id = decisions::get(self.store.connection(), id)?.case_id;
        self.audit(
            "decision.container",
            "case",
            &case_id.to_string(),
            &id.to_string(),
        )?;
        Ok(out)
    }

    /// Keep the SMTP password in the OS credential store (never in the database).
    pub fn save_smtp_password(&self, keys: &dyn KeyStore, password: &str) -> Result<()> {
        keys.set_password(delivery::SMTP_PASSWORD_ENTRY, password)?;
        self.audit("signing.smtp_password", "settings", "signing", "")
    }

    pub fn decision_deliveries(&self, id: i64) -> Result<Vec<delivery::Delivery>> {
        delivery::deliveries(self.store.connection(), id)
    }

    /// E-mail the signed container to the addressee through the Board's SMTP server. On success
    /// the .eml is filed beside the PDF and the container and the delivery date (today) starts
    /// the challenge period; a failed send is kept with why and the decision stays not sent.
    pub fn send_decision_email(
        &mut self,
        id: i64,
        keys: &dyn KeyStore,
    ) -> Result<decisions::DecisionView> {
        let conn = self.store.connection();
        let d = decisions::get(conn, id)?;
        let (Some(number), Some(doc)) = (d.number.clone(), d.document_id) else {
            return Err(Error::DecisionNotApproved);
        };
        if d.status != "approved" {
            return Err(Error::from(Problem::new(
                "delivery.already_sent",
                "Otsus on juba kätte toimetatud.",
                "The decision has already been delivered.",
            )));
        }
        let s = record::settings(conn)?;
        let Some(state) = record::signature(conn, id)? else {
            return Err(Error::from(Problem::new(
                "signing.not_signed",
                "Otsus ei ole veel allkirjastatud.",
                "The decision is not signed yet.",
            )));
        };
        if state.state != "ready" && !s.send_b_level {
            return Err(Error::from(Problem::new(
                "delivery.signature_not_confirmed",
                "Allkiri vajab kinnitust (ajatempel ja kehtivuskinnitus): otsust saab saata, kui arvuti on võrgus ja allkiri on kinnitatud.",
                "The signature needs confirming (time-stamp and validity): the decision can be sent once the computer is online and the signature is confirmed.",
            )));
        }
        let to = d.addressee_email.trim().to_string();
        if to.is_empty() {
            return Err(Error::field(
                "addresseeEmail",
                "delivery.no_email",
                "Otsuse saajal ei ole e-posti aadressi.",
                "The addressee has no e-mail address.",
            ));
        }
        let (file_name, container) =
            record::container_bytes(conn, id)?.ok_or(Error::DecisionNotApproved)?;
        let board = decisions::settings(conn)?.board_name;
        let (subject, body) = delivery::letter(&d, &number, &file_name, &board);
        let m = delivery::message(&s, &to, &subject, &body, &file_name, &container)?;
        let password = keys
            .get_password(delivery::SMTP_PASSWORD_ENTRY)
            .ok()
            .flatten();
        let case = d.case_id.to_string();
        if let Err(p) = delivery::send(&s, password.as_ref().map(|p| p.as_str()), &m) {
            let why = p.detail.clone();
            self.write_detailed(
                "decision.send_failed",
                "case",
                &case,
                &number,
                |tx, now, _| {
                    delivery::record(tx, id, "email", "failed", None, &to, &why, None, now)
                },
            )?;
            return Err(Error::from(p));
        }
        let eml = m.formatted();
        self.write_detailed(
            "decision.send",
            "case",
            &case,
            &format!("{number} {to}"),
            |tx, now, today| {
                let att = crate::casework::documents::attach(
                    tx,
                    doc,
                    &format!("otsus-{number}.eml"),
                    "message/rfc822",
                    &eml,
                    now,
                )?;
                delivery::record(
                    tx,
                    id,
                    "email",
                    "sent",
                    Some(today),
                    &to,
                    "",
                    Some(att),
                    now,
                )?;
                decisions::mark_sent(tx, id, &today.to_string(), today, now)
            },
        )?;
        decisions::view(
            self.store.connection(),
            id,
            &self.coordinator,
            self.clock.today(),
        )
    }

    /// A dated hand-over: by post, in person or to the state portal eesti.ee.
    pub fn record_decision_handover(
        &mut self,
        id: i64,
        way: &str,
        on: &str,
    ) -> Result<decisions::DecisionView> {
        delivery::check_way(way)?;
        let case = decisions::get(self.store.connection(), id)?
            .case_id
            .to_string();
        self.write_detailed("decision.handover", "case", &case, way, |tx, now, today| {
            decisions::mark_sent(tx, id, on, today, now)?;
            let on = decisions::get(tx, id)?.delivered_on;
            delivery::record(tx, id, way, "sent", on, "", "", None, now)
        })?;
        decisions::view(
            self.store.connection(),
            id,
            &self.coordinator,
            self.clock.today(),
        )
    }
}
