//! Signing through srt-admin on a real encrypted desk: `decisions`, `decision sign` with a
//! SoftHSM2 token, `verify-container`; the container filed beside the PDF, the signature state
//! kept, every step audited; a signer who is not the coordinator refused and nothing filed.

mod common;
#[path = "support/pki.rs"]
mod pki;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use srt_core::clock::FixedClock;
use srt_core::store::audit::AuditFilter;
use srt_core::{Desk, Error, MemoryKeyStore};

/// The PKI: a CA, the coordinator's EC token and another person's RSA token.
struct Pki {
    ca_pem: PathBuf,
    conf: PathBuf,
}

/// One PKI for this test binary: SOFTHSM2_CONF is read once per process by the module.
fn pki() -> &'static Pki {
    static PKI: std::sync::OnceLock<Pki> = std::sync::OnceLock::new();
    PKI.get_or_init(make_pki)
}

fn make_pki() -> Pki {
    let dir = tempfile::tempdir().expect("tempdir").keep();
    let ca = pki::make_ca(&dir, "SRT Test CA");
    let (k, c) = pki::make_signer(&dir, &ca, "mari", "TAMM,MARI,48001010000", false);
    let (k2, c2) = pki::make_signer(&dir, &ca, "jaan", "KASK,JAAN,38001010000", true);
    let conf = pki::token_conf(&dir);
    pki::add_token(&conf, "mari", &k, &c);
    pki::add_token(&conf, "jaan", &k2, &c2);
    std::env::set_var("SOFTHSM2_CONF", &conf);
    Pki { ca_pem: ca, conf }
}

/// A desk whose clock is now (the test certificates are valid from now on).
fn desk_now(path: &Path) -> Desk {
    Desk::open(path, &MemoryKeyStore::default(), Some(common::PASS), "test")
        .expect("open")
        .with_clock(Arc::new(FixedClock(chrono::Utc::now())))
}

/// An approved refusal decided by Mari Tamm; returns (desk path, decision id, number).
fn approved_decision(dir: &Path, ca_pem: &Path) -> (PathBuf, i64, String) {
    approved_decision_in(dir, ca_pem, "et", "")
}

/// [`approved_decision`] for a guardian who speaks `lang` and reads mail at `email`.
fn approved_decision_in(
    dir: &Path,
    ca_pem: &Path,
    lang: &str,
    email: &str,
) -> (PathBuf, i64, String) {
    let (desk, path) = common::new_desk(dir);
    drop(desk);
    let mut desk = desk_now(&path);
    desk.set_coordinator(&common::coordinator_named("Mari Tamm"));
    let mut app = common::application(common::CHILD_CODE);
    app.guardians[0].language = lang.into();
    let case = desk.register_application(&app).expect("register");
    desk.change_status(case.id, "in_assessment", "")
        .expect("to assessment");
    desk.save_assessment(case.id, &common::assessment_of(&[("2010", 10.0)]))
        .expect("assessment");
    desk.sign_assessment(case.id, &desk.today().to_string())
        .expect("sign assessment");
    let v = desk.create_decision(case.id, "refusal").expect("draft");
    let mut draft = common::draft_of(&v);
    draft.late_reason = "Taotleja palus lisaaega.".into();
    if !email.is_empty() {
        draft.addressee_email = email.into();
    }
    if draft.addressee_address.trim().is_empty() {
        draft.addressee_address = "Näidise tn 5-12\n50101 Tartu".into();
    }
    let v = desk.save_decision(v.decision.id, &draft).expect("save");
    assert!(v.check.errors.is_empty(), "{:?}", v.check.errors);
    let v = desk.approve_decision(v.decision.id, true).expect("approve");
    let mut s = desk.signing_settings().expect("settings");
    s.trust_anchors = std::fs::read_to_string(ca_pem).expect("ca");
    desk.save_signing_settings(&s).expect("save settings");
    (path, v.decision.id, v.decision.number.expect("number"))
}

fn admin(db: &Path, conf: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_srt-admin"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("SRT_DESK_PASSPHRASE", common::PASS)
        .env("SRT_DESK_PKCS11_PIN", pki::PIN)
        .env("SOFTHSM2_CONF", conf)
        .output()
        .expect("srt-admin runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The slot index of the token whose key signs with `algorithm` (SoftHSM numbers slots itself).
fn slot_of(conf: &Path, algorithm: &str) -> String {
    assert_eq!(
        std::env::var_os("SOFTHSM2_CONF").as_deref(),
        Some(conf.as_os_str())
    );
    for i in 0..2 {
        let s = srt_core::signing::TokenSigner::open(Path::new(pki::SOFTHSM), Some(i), pki::PIN)
            .expect("token");
        if s.algorithm_uri().ends_with(algorithm) {
            return i.to_string();
        }
    }
    panic!("no {algorithm} token");
}

#[test]
fn srt_admin_lists_signs_files_and_verifies_a_decision() {
    let p = pki();
    let dir = tempfile::tempdir().expect("dir");
    let (db, id, number) = approved_decision(dir.path(), &p.ca_pem);
    let mari = slot_of(&p.conf, "ecdsa-sha384");

    let out = admin(&db, &p.conf, &["decisions", "--status", "approved"]);
    assert!(out.status.success(), "{}", text(&out));
    let listed = String::from_utf8_lossy(&out.stdout).into_owned();
    let line: Vec<&str> = listed
        .lines()
        .next()
        .expect("one line")
        .split('\t')
        .collect();
    assert_eq!(line[0], number);
    assert_eq!(&line[2..4], ["refusal", "approved"], "{listed}");
    let out = admin(&db, &p.conf, &["decisions", "--status", "sent"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "",
        "nothing is sent yet"
    );

    let container = dir.path().join("signed.asice");
    let c = container.to_str().expect("path");
    let out = admin(
        &db,
        &p.conf,
        &[
            "decision",
            "sign",
            "--number",
            &number,
            "--pkcs11",
            pki::SOFTHSM,
            "--slot",
            &mari,
            "--out",
            c,
        ],
    );
    assert!(out.status.success(), "signing must succeed: {}", text(&out));
    assert!(
        text(&out).contains("signer\tTAMM,MARI,48001010000"),
        "{}",
        text(&out)
    );
    assert!(container.exists());

    let ca = p.ca_pem.to_str().expect("path");
    let out = Command::new(env!("CARGO_BIN_EXE_srt-admin"))
        .args(["verify-container", c, "--trust", ca])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let shown = text(&out);
    assert!(
        shown.contains(&format!("file\totsus-{number}.pdf\tapplication/pdf")),
        "{shown}"
    );
    assert!(shown.contains("level\tB"), "{shown}");
    let out = Command::new(env!("CARGO_BIN_EXE_srt-admin"))
        .args(["verify-container", c])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "no trust anchor: not accepted");
    assert!(
        text(&out).contains("problem\tsigning.untrusted_signer"),
        "{}",
        text(&out)
    );

    // Filed on the case beside the PDF; the state waits for LT; the audit has it.
    let desk = desk_now(&db);
    let state = desk.decision_signature(id).expect("state").expect("signed");
    assert_eq!(state.level, "B");
    assert_eq!(
        state.state, "needs_confirmation",
        "B level is not ready to send"
    );
    let d = desk.decision(id).expect("decision").decision;
    let docs = desk.documents(d.case_id).expect("docs");
    let doc = docs
        .iter()
        .find(|x| Some(x.id) == d.document_id)
        .expect("decision document");
    let names: Vec<&str> = doc
        .attachments
        .iter()
        .map(|a| a.file_name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            format!("otsus-{number}.pdf"),
            format!("otsus-{number}.asice")
        ]
    );
    let (_, filed) = desk.decision_container(id).expect("container");
    assert_eq!(
        filed,
        std::fs::read(&container).expect("read"),
        "the file written is the one filed"
    );
    let log = desk
        .audit_log(&AuditFilter {
            action: "decision.sign".into(),
            ..Default::default()
        })
        .expect("audit");
    assert_eq!(log.rows.len(), 1, "one audit row for the signing");
    assert!(
        log.rows[0].detail.contains("TAMM,MARI"),
        "{:?}",
        log.rows[0]
    );
    assert!(desk.check().expect("check").all_ok());
}

#[test]
fn a_token_of_someone_else_is_refused_and_nothing_is_filed() {
    let p = pki();
    let dir = tempfile::tempdir().expect("dir");
    let (db, id, number) = approved_decision(dir.path(), &p.ca_pem);
    let jaan = slot_of(&p.conf, "rsa-sha256");
    let out_file = dir.path().join("jaan.asice");
    let out = admin(
        &db,
        &p.conf,
        &[
            "decision",
            "sign",
            "--number",
            &number,
            "--pkcs11",
            pki::SOFTHSM,
            "--slot",
            &jaan,
            "--out",
            out_file.to_str().expect("p"),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("error[signing.signer_not_allowed]"),
        "{}",
        text(&out)
    );
    assert!(!out_file.exists(), "a refused container is not written");
    let desk = desk_now(&db);
    assert!(
        desk.decision_signature(id).expect("state").is_none(),
        "nothing filed"
    );
    let log = desk
        .audit_log(&AuditFilter {
            action: "decision.container_refused".into(),
            ..Default::default()
        })
        .expect("audit");
    assert_eq!(log.rows.len(), 1, "the refusal is audited");

    // A wrong PIN says so.
    let out = Command::new(env!("CARGO_BIN_EXE_srt-admin"))
        .args(["--db"])
        .arg(&db)
        .args([
            "decision",
            "sign",
            "--number",
            &number,
            "--pkcs11",
            pki::SOFTHSM,
            "--out",
        ])
        .arg(dir.path().join("pin.asice"))
        .env("SRT_DESK_PASSPHRASE", common::PASS)
        .env("SRT_DESK_PKCS11_PIN", "0000")
        .env("SOFTHSM2_CONF", &p.conf)
        .output()
        .expect("runs");
    assert!(
        text(&out).contains("error[signing.pin_wrong]"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_container_from_digidoc4_over_another_pdf_is_refused() {
    let p = pki();
    let dir = tempfile::tempdir().expect("dir");
    let (db, id, _) = approved_decision(dir.path(), &p.ca_pem);
    let mari = slot_of(&p.conf, "ecdsa-sha384");
    let signer = srt_core::signing::TokenSigner::open(
        Path::new(pki::SOFTHSM),
        Some(mari.parse().expect("n")),
        pki::PIN,
    )
    .expect("token");
    let other = srt_core::signing::DataFile {
        name: "otsus.pdf".into(),
        mime_type: "application/pdf".into(),
        content: b"%PDF-1.4\n% another decision\n%%EOF\n".to_vec(),
    };
    let bytes =
        srt_core::signing::sign_container(&signer, &[other], chrono::Utc::now()).expect("signed");
    drop(signer);
    let mut desk = desk_now(&db);
    let e = desk.file_signed_container(id, bytes).expect_err("refused");
    assert_eq!(e.code(), "signing.other_document");
    assert!(desk.decision_signature(id).expect("state").is_none());
}

/// A free port on 127.0.0.1 (bound and released; the server binds it next).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// aiosmtpd, a real SMTP server, storing what it receives in a Maildir; ended on drop.
struct SmtpServer {
    child: std::process::Child,
    maildir: PathBuf,
}

impl SmtpServer {
    fn start(port: u16, dir: &Path) -> Self {
        let python = pki::venv(&["aiosmtpd"]);
        let maildir = dir.join("maildir");
        let mut child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .spawn()
            .expect("aiosmtpd starts");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Self { child, maildir };
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not listen on {port}");
    }

    /// What arrived, decoded by Python's email package; attachments written to `out`.
    fn received(&self, out: &Path) -> String {
        let python = pki::venv(&["aiosmtpd"]);
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/read_maildir.py");
        let o = Command::new(python)
            .arg(script)
            .arg(&self.maildir)
            .arg(out)
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", text(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_signed_decision_reaches_a_real_smtp_server_in_the_guardians_language_and_starts_the_challenge_period(
) {
    let p = pki();
    let dir = tempfile::tempdir().expect("dir");
    let (db, id, number) =
        approved_decision_in(dir.path(), &p.ca_pem, "ru", "kadri.naidis@example.org");
    let mari: usize = slot_of(&p.conf, "ecdsa-sha384").parse().expect("n");
    let keys = MemoryKeyStore::default();
    let mut desk = desk_now(&db);
    desk.set_coordinator(&common::coordinator_named("Mari Tamm"));

    // Not signed yet: nothing to send; the dashboard lists it as not sent.
    let e = desk.send_decision_email(id, &keys).expect_err("unsigned");
    assert_eq!(e.code(), "signing.not_signed");
    let waiting = desk.decisions_waiting().expect("waiting");
    assert_eq!(waiting.len(), 1);
    assert_eq!(
        (waiting[0].number.as_str(), waiting[0].reason.as_str()),
        (number.as_str(), "not_sent")
    );
    let signed = desk
        .sign_decision(id, Some(Path::new(pki::SOFTHSM)), Some(mari), pki::PIN)
        .expect("signed");

    // B level waits for LT unless the Board allows sending it: "allkiri vajab kinnitust".
    let e = desk.send_decision_email(id, &keys).expect_err("B level");
    assert_eq!(e.code(), "delivery.signature_not_confirmed");
    let waiting = desk.decisions_waiting().expect("waiting");
    assert_eq!(waiting[0].reason, "needs_confirmation");

    let port = free_port();
    let mut s = desk.signing_settings().expect("settings");
    s.smtp_host = "127.0.0.1".into();
    s.smtp_port = port.into();
    s.smtp_security = "none".into();
    s.smtp_from = "SRT otsused <otsused@example.org>".into();
    s.send_b_level = true;
    desk.save_signing_settings(&s).expect("settings");

    // No server listening: the send fails, says why, and the decision stays not sent.
    let e = desk.send_decision_email(id, &keys).expect_err("no server");
    assert_eq!(e.code(), "delivery.smtp_failed");
    assert!(e.message().et.contains("saatmata"), "{:?}", e.message());
    let d = desk.decision(id).expect("view").decision;
    assert_eq!(d.status, "approved");
    assert_eq!(d.delivered_on, None);
    let tries = desk.decision_deliveries(id).expect("deliveries");
    assert_eq!(tries.len(), 1);
    assert_eq!(tries[0].outcome, "failed");
    assert!(!tries[0].error.is_empty(), "the reason is kept");
    let waiting = desk.decisions_waiting().expect("waiting");
    assert_eq!(
        waiting[0].last_error, tries[0].error,
        "the dashboard says why it did not leave"
    );

    let server = SmtpServer::start(port, dir.path());
    let v = desk.send_decision_email(id, &keys).expect("sent");
    let today = desk.today();
    assert_eq!(v.decision.status, "sent");
    assert_eq!(
        v.decision.delivered_on,
        Some(today),
        "e-mailed today is delivered today"
    );

    let out = dir.path().join("received");
    std::fs::create_dir_all(&out).expect("dir");
    let got = server.received(&out);
    assert!(got.contains("TO kadri.naidis@example.org"), "{got}");
    assert!(got.contains(&format!("SUBJECT Решение {number}")), "{got}");
    assert!(
        got.contains("Здравствуйте"),
        "the body is in the guardian's Russian: {got}"
    );
    assert!(got.contains("DigiDoc4"), "{got}");
    let attachment = format!("otsus-{number}.asice");
    assert!(
        got.contains(&format!(
            "ATTACHMENT {attachment} application/vnd.etsi.asic-e+zip"
        )),
        "{got}"
    );
    let arrived = std::fs::read(out.join(&attachment)).expect("attachment");
    assert_eq!(
        arrived, signed.container,
        "the signed container arrives unchanged"
    );

    // The .eml on the register beside the PDF and the container; the challenge period counts
    // from the delivery date.
    let docs = desk.documents(v.decision.case_id).expect("docs");
    let doc = docs
        .iter()
        .find(|x| Some(x.id) == v.decision.document_id)
        .expect("doc");
    let names: Vec<&str> = doc
        .attachments
        .iter()
        .map(|a| a.file_name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            format!("otsus-{number}.pdf"),
            attachment.clone(),
            format!("otsus-{number}.eml")
        ]
    );
    let case = desk.case(v.decision.case_id).expect("case");
    let challenge = case
        .deadlines
        .iter()
        .find(|x| x.kind == "challenge_period")
        .expect("the challenge period starts at delivery");
    let days = (challenge.due - today).num_days();
    assert!(
        (30..=34).contains(&days),
        "30 days from delivery, moved past rest days: {days}"
    );
    let log = desk
        .audit_log(&AuditFilter {
            case_id: Some(v.decision.case_id),
            ..Default::default()
        })
        .expect("audit");
    let actions: Vec<&str> = log.rows.iter().map(|r| r.action.as_str()).collect();
    for a in ["decision.sign", "decision.send_failed", "decision.send"] {
        assert!(actions.contains(&a), "{a} audited: {actions:?}");
    }
    assert!(
        desk.decisions_waiting().expect("waiting").is_empty(),
        "sent: off the dashboard"
    );
    let e = desk.send_decision_email(id, &keys).expect_err("twice");
    assert_eq!(e.code(), "delivery.already_sent");
}

#[test]
fn a_handover_by_post_is_dated_and_starts_the_period() {
    let p = pki();
    let dir = tempfile::tempdir().expect("dir");
    let (db, id, _) = approved_decision(dir.path(), &p.ca_pem);
    let mut desk = desk_now(&db);
    let e = desk
        .record_decision_handover(id, "pigeon", "")
        .expect_err("way");
    assert_eq!(e.code(), "validation");
    let today = desk.today();
    let v = desk
        .record_decision_handover(id, "post", &today.to_string())
        .expect("handed over");
    assert_eq!(v.decision.delivered_on, Some(today));
    let d = desk.decision_deliveries(id).expect("deliveries");
    assert_eq!((d[0].way.as_str(), d[0].on_date), ("post", Some(today)));
}

#[test]
fn a_failed_extension_to_lt_keeps_the_b_level_container_waiting_for_confirmation() {
    let p = pki();
    let dir = tempfile::tempdir().expect("dir");
    let (db, id, _) = approved_decision(dir.path(), &p.ca_pem);
    let mari: usize = slot_of(&p.conf, "ecdsa-sha384").parse().expect("n");
    let mut desk = desk_now(&db);
    let mut s = desk.signing_settings().expect("settings");
    // A time-stamp service that is not there: the desk is offline.
    s.tsa_url = format!("http://127.0.0.1:{}/ts", free_port());
    desk.save_signing_settings(&s).expect("settings");
    let signed = desk
        .sign_decision(id, Some(Path::new(pki::SOFTHSM)), Some(mari), pki::PIN)
        .expect("the signature is made and kept though the extension fails");
    let why = signed.extension_error.expect("the extension failed");
    assert_eq!(why.code, "signing.lt_unavailable");
    assert_eq!(signed.report.level, Some(srt_core::signing::Level::B));
    let state = desk.decision_signature(id).expect("state").expect("filed");
    assert_eq!(
        (state.level.as_str(), state.state.as_str()),
        ("B", "needs_confirmation")
    );
    assert!(
        state.last_error.contains("signing.lt_unavailable"),
        "{}",
        state.last_error
    );
    let (_, filed) = desk.decision_container(id).expect("container");
    assert_eq!(filed, signed.container, "the B-level container is filed");
    let log = desk
        .audit_log(&AuditFilter {
            action: "decision.lt_failed".into(),
            ..Default::default()
        })
        .expect("audit");
    assert_eq!(log.rows.len(), 1);
}

/// LT needs RIA's time-stamp service, the card issuer's OCSP responder and a real ID-card.
#[test]
#[ignore = "needs the network and a real ID-card: set SRT_DESK_LT_MODULE (OpenSC's module), SRT_DESK_LT_PIN, SRT_DESK_LT_TSA and SRT_DESK_LT_TRUST (the card's CA chain, PEM)"]
fn a_signature_is_extended_to_lt_when_online() {
    let var = |n: &str| std::env::var(n).unwrap_or_else(|_| panic!("{n} is not set"));
    let (module, pin, tsa, trust) = (
        var("SRT_DESK_LT_MODULE"),
        var("SRT_DESK_LT_PIN"),
        var("SRT_DESK_LT_TSA"),
        var("SRT_DESK_LT_TRUST"),
    );
    let signer =
        srt_core::signing::TokenSigner::open(Path::new(&module), None, &pin).expect("card");
    let pem = std::fs::read_to_string(&trust).expect("trust");
    let anchors = srt_core::signing::record::pem_certificates(&pem);
    let file = srt_core::signing::DataFile {
        name: "otsus.pdf".into(),
        mime_type: "application/pdf".into(),
        content: b"%PDF-1.4\n% LT test\n%%EOF\n".to_vec(),
    };
    let out = srt_core::signing::sign_container_extending(
        &signer,
        &[file],
        chrono::Utc::now(),
        Some(&srt_core::signing::LtServices {
            tsa_url: tsa,
            issuer_certs_der: anchors.clone(),
            ocsp_url: None,
        }),
    )
    .expect("signed");
    assert!(out.extension_error.is_none(), "{:?}", out.extension_error);
    let r = srt_core::signing::verify(
        &out.container,
        &srt_core::signing::VerifyOptions {
            trust_anchors_der: anchors,
            ..Default::default()
        },
    );
    assert_eq!(
        r.level,
        Some(srt_core::signing::Level::LT),
        "{:?}",
        r.problems
    );
    assert!(r.is_ok(), "{:?}", r.problems);
}

#[test]
fn srt_admin_sets_the_signing_settings_and_refuses_a_bad_port() {
    let p = pki();
    let dir = tempfile::tempdir().expect("dir");
    let (db, _, _) = approved_decision(dir.path(), &p.ca_pem);
    let ca = p.ca_pem.to_str().expect("path");
    let out = admin(
        &db,
        &p.conf,
        &[
            "signing-settings",
            "--pkcs11",
            pki::SOFTHSM,
            "--trust",
            ca,
            "--allow",
            "Jaan Kask",
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            "2525",
            "--smtp-security",
            "none",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let shown = text(&out);
    assert!(
        shown.contains(&format!("pkcs11\t{}", pki::SOFTHSM)),
        "{shown}"
    );
    assert!(shown.contains("trust\t1 certificate(s)"), "{shown}");
    assert!(shown.contains("allowed\tJaan Kask"), "{shown}");
    assert!(shown.contains("smtp\t127.0.0.1:2525 none"), "{shown}");
    let out = admin(&db, &p.conf, &["signing-settings", "--smtp-port", "70000"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("smtpPort: Port on arv 1–65535."),
        "{}",
        text(&out)
    );
    let desk = desk_now(&db);
    let s = desk.signing_settings().expect("settings");
    assert_eq!(
        s.smtp_port, 2525,
        "a refused change leaves the settings as they were"
    );
    assert_eq!(s.pkcs11_module, pki::SOFTHSM);
}

#[test]
fn the_dashboard_shows_approved_decisions_until_they_have_left() {
    let p = pki();
    let dir = tempfile::tempdir().expect("dir");
    let (db, id, number) = approved_decision(dir.path(), &p.ca_pem);
    let mari: usize = slot_of(&p.conf, "ecdsa-sha384").parse().expect("n");
    let mut desk = desk_now(&db);
    desk.set_coordinator(&common::coordinator_named("Mari Tamm"));

    let shown = |desk: &Desk| {
        desk.dashboard()
            .expect("dashboard")
            .signing
            .iter()
            .map(|w| {
                (
                    w.decision_id,
                    w.number.clone(),
                    w.reason.clone(),
                    w.title.et.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        shown(&desk),
        vec![(
            id,
            number.clone(),
            "not_sent".into(),
            "Allkirjastamata, saatmata".into()
        )],
        "approved and not signed: the coordinator sees it waits"
    );
    let w = &desk.dashboard().expect("dashboard").signing[0];
    assert!(!w.signed);
    assert!(!w.child_name.trim().is_empty(), "the row names the child");
    assert_eq!(w.kind, "refusal");

    desk.sign_decision(id, Some(Path::new(pki::SOFTHSM)), Some(mari), pki::PIN)
        .expect("signed");
    assert_eq!(
        shown(&desk),
        vec![(
            id,
            number.clone(),
            "needs_confirmation".into(),
            "Allkiri vajab kinnitust".into()
        )],
        "B level: the signature waits for the time-stamp and OCSP"
    );
    assert!(desk.dashboard().expect("dashboard").signing[0].signed);

    let today = desk.today();
    desk.record_decision_handover(id, "post", &today.to_string())
        .expect("handed over");
    assert_eq!(shown(&desk), vec![], "delivered: off the dashboard");
}

/// A server certificate for 127.0.0.1 issued by a CA of the test's own (the Board's mail CA).
fn mail_server_cert(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let ca = pki::make_ca(dir, "SRT Mail CA");
    let key = dir.join("mail.key");
    let csr = dir.join("mail.csr");
    let ext = dir.join("mail.ext");
    let cert = dir.join("mail.pem");
    let run = |c: &mut Command| {
        let o = c.output().expect("openssl runs");
        assert!(o.status.success(), "{}", text(&o));
    };
    run(Command::new("openssl")
        .args([
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-noout",
            "-out",
        ])
        .arg(&key));
    run(Command::new("openssl")
        .args(["req", "-new", "-subj", "/CN=127.0.0.1", "-key"])
        .arg(&key)
        .arg("-out")
        .arg(&csr));
    std::fs::write(
        &ext,
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n",
    )
    .expect("ext");
    run(Command::new("openssl")
        .args(["x509", "-req", "-sha256", "-days", "30", "-in"])
        .arg(&csr)
        .arg("-CA")
        .arg(&ca)
        .arg("-CAkey")
        .arg(dir.join("SRT Mail CA.key"))
        .args(["-CAcreateserial", "-extfile"])
        .arg(&ext)
        .arg("-out")
        .arg(&cert));
    (ca, cert, key)
}

/// aiosmtpd wanting a login (and STARTTLS or TLS with `cert`); what it says goes to `log`.
struct AuthSmtpServer {
    child: std::process::Child,
    maildir: PathBuf,
    log: PathBuf,
}

impl AuthSmtpServer {
    fn start(port: u16, dir: &Path, security: &str, tls: Option<(&Path, &Path)>) -> Self {
        let python = pki::venv(&["aiosmtpd"]);
        let maildir = dir.join(format!("maildir-{security}"));
        let log = dir.join(format!("smtp-{security}.log"));
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_auth_server.py");
        let mut cmd = Command::new(python);
        cmd.arg(script).arg(port.to_string()).arg(&maildir).args([
            SMTP_USER,
            SMTP_PASSWORD,
            security,
        ]);
        if let Some((cert, key)) = tls {
            cmd.arg(cert).arg(key);
        }
        let mut child = cmd
            .stdout(std::fs::File::create(&log).expect("log"))
            // The refused handshakes' tracebacks (expected) stay out of the test's output.
            .stderr(std::fs::File::create(log.with_extension("err")).expect("err"))
            .spawn()
            .expect("the SMTP server starts");
        for _ in 0..100 {
            if std::fs::read_to_string(&log)
                .unwrap_or_default()
                .contains("LISTENING")
            {
                return Self {
                    child,
                    maildir,
                    log,
                };
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the SMTP server did not listen on {port}");
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn received(&self, out: &Path) -> String {
        let python = pki::venv(&["aiosmtpd"]);
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/read_maildir.py");
        let o = Command::new(python)
            .arg(script)
            .arg(&self.maildir)
            .arg(out)
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", text(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    }
}

impl Drop for AuthSmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const SMTP_USER: &str = "srt-otsused";
const SMTP_PASSWORD: &str = "Sala-Parool 7 õü";

/// The SMTP password lives in the real Secret Service (gnome-keyring under dbus-run-session:
/// scripts/test runs it so), and the desk logs in with it to a server that wants STARTTLS with a
/// certificate of the Board's own CA, then to one that wants TLS from the first byte.
#[test]
#[ignore = "needs a running Secret Service; run by scripts/test under dbus-run-session"]
fn the_smtp_password_from_the_secret_service_logs_in_over_starttls_and_tls() {
    use srt_core::signing::delivery::SMTP_PASSWORD_ENTRY;
    use srt_core::{KeyStore, KeyringStore};
    let keys = KeyringStore::new(&format!("SRT Desk test smtp {}", std::process::id()));
    assert!(
        keys.available(),
        "the Secret Service is not reachable: is gnome-keyring running?"
    );
    let p = pki();
    let dir = tempfile::tempdir().expect("dir");
    let (db, id, number) =
        approved_decision_in(dir.path(), &p.ca_pem, "et", "kadri.naidis@example.org");
    let mari: usize = slot_of(&p.conf, "ecdsa-sha384").parse().expect("n");
    let mut desk = desk_now(&db);
    desk.set_coordinator(&common::coordinator_named("Mari Tamm"));
    desk.sign_decision(id, Some(Path::new(pki::SOFTHSM)), Some(mari), pki::PIN)
        .expect("signed");
    let (ca, cert, key) = mail_server_cert(dir.path());

    assert!(!desk.smtp_password_saved(&keys), "no password yet");
    let e = desk.save_smtp_password(&keys, "").expect_err("empty");
    assert_eq!(e.code(), "validation");

    let port = free_port();
    let server = AuthSmtpServer::start(port, dir.path(), "starttls", Some((&cert, &key)));
    let mut s = desk.signing_settings().expect("settings");
    s.smtp_host = "127.0.0.1".into();
    s.smtp_port = port.into();
    s.smtp_security = "starttls".into();
    s.smtp_user = SMTP_USER.into();
    s.smtp_from = "SRT otsused <otsused@example.org>".into();
    s.send_b_level = true;
    desk.save_signing_settings(&s).expect("settings");

    // The server's certificate is not from a public root: refused until its CA is set.
    let e = desk.send_decision_email(id, &keys).expect_err("unknown CA");
    assert_eq!(e.code(), "delivery.smtp_failed");
    s.smtp_ca = std::fs::read_to_string(&ca).expect("ca");
    desk.save_signing_settings(&s).expect("settings");

    // A wrong password in the store: the server refuses the login, the decision stays unsent.
    desk.save_smtp_password(&keys, "vale parool")
        .expect("saved");
    let e = desk
        .send_decision_email(id, &keys)
        .expect_err("wrong password");
    assert_eq!(e.code(), "delivery.smtp_failed");
    assert!(
        server.log().contains(&format!("AUTH refused {SMTP_USER}")),
        "{}",
        server.log()
    );
    assert_eq!(desk.decision(id).expect("view").decision.status, "approved");

    // The right one, from the real Secret Service: the login succeeds over STARTTLS.
    desk.save_smtp_password(&keys, SMTP_PASSWORD)
        .expect("saved");
    assert!(desk.smtp_password_saved(&keys));
    assert_eq!(
        keys.get_password(SMTP_PASSWORD_ENTRY)
            .expect("read")
            .expect("kept")
            .as_str(),
        SMTP_PASSWORD,
        "the password is in the OS credential store"
    );
    let v = desk.send_decision_email(id, &keys).expect("sent");
    assert_eq!(v.decision.status, "sent");
    assert!(
        server.log().contains(&format!("AUTH ok {SMTP_USER}")),
        "{}",
        server.log()
    );
    let out = dir.path().join("received");
    std::fs::create_dir_all(&out).expect("out");
    let got = server.received(&out);
    assert!(
        got.contains(&format!("ATTACHMENT otsus-{number}.asice")),
        "{got}"
    );
    drop(server);

    // TLS from the first byte (port 465 style) with the same CA and password.
    let port = free_port();
    let server = AuthSmtpServer::start(port, dir.path(), "tls", Some((&cert, &key)));
    s.smtp_port = port.into();
    s.smtp_security = "tls".into();
    desk.save_signing_settings(&s).expect("settings");
    let m = srt_core::signing::delivery::message(
        &s,
        "kadri.naidis@example.org",
        "Proov",
        "Proov",
        "otsus.asice",
        b"x",
    )
    .expect("message");
    let password = keys.get_password(SMTP_PASSWORD_ENTRY).expect("read");
    srt_core::signing::delivery::send(&s, password.as_ref().map(|p| p.as_str()), &m)
        .expect("sent over TLS");
    assert!(
        server.log().contains(&format!("AUTH ok {SMTP_USER}")),
        "{}",
        server.log()
    );

    // The password never reaches the desk's settings or its audit log.
    let log = desk
        .audit_log(&AuditFilter {
            action: "signing.smtp_password".into(),
            ..Default::default()
        })
        .expect("audit");
    assert_eq!(log.rows.len(), 2, "each save is audited");
    assert!(!format!("{:?}", log.rows).contains(SMTP_PASSWORD));
    assert!(!serde_json::to_string(&desk.signing_settings().expect("s"))
        .expect("json")
        .contains(SMTP_PASSWORD));
    keys.delete(SMTP_PASSWORD_ENTRY).expect("clean up");
}

/// What the settings section of the window sets: a bad slot, service address or sender is
/// refused field by field; a CA file (DER or PEM) is added to the trust anchors; the module and
/// slot set there are the ones the window's "Allkirjasta ID-kaardiga" signs with.
#[test]
fn the_signing_settings_of_the_window_are_checked_and_used() {
    let p = pki();
    let dir = tempfile::tempdir().expect("dir");
    let (db, id, _) = approved_decision(dir.path(), &p.ca_pem);
    let mari: i64 = slot_of(&p.conf, "ecdsa-sha384").parse().expect("n");
    let jaan: i64 = slot_of(&p.conf, "rsa-sha256").parse().expect("n");
    // The token that is not the first: only the slot in the settings reaches it.
    let (slot, who) = if mari == 0 {
        (jaan, "KASK,JAAN,38001010000")
    } else {
        (mari, "TAMM,MARI,48001010000")
    };
    let mut desk = desk_now(&db);
    desk.set_coordinator(&common::coordinator_named("Mari Tamm"));

    let mut s = desk.signing_settings().expect("settings");
    assert_eq!(s.pkcs11_slot, None, "no slot: the first card with a key");
    let mut bad = s.clone();
    bad.pkcs11_slot = Some(-1);
    bad.tsa_url = "tsa.example.org".into();
    bad.smtp_from = "otsused at example".into();
    bad.smtp_ca = "not a certificate".into();
    let e = desk.save_signing_settings(&bad).expect_err("refused");
    let Error::Validation(errors) = &e else {
        panic!("{e:?}")
    };
    let fields: Vec<&str> = errors.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["pkcs11Slot", "tsaUrl", "smtpFrom", "smtpCa"]);
    assert!(errors[1].message.et.contains("http://"));
    assert_eq!(desk.signing_settings().expect("kept"), s, "nothing saved");

    // The CA as a DER file is added as PEM; a file that is not a certificate is refused.
    s.trust_anchors = String::new();
    desk.save_signing_settings(&s).expect("cleared");
    let der = dir.path().join("ca.der");
    let o = Command::new("openssl")
        .args(["x509", "-outform", "DER", "-in"])
        .arg(&p.ca_pem)
        .arg("-out")
        .arg(&der)
        .output()
        .expect("openssl");
    assert!(o.status.success());
    let e = desk
        .add_trust_anchor_file(b"just some text")
        .expect_err("not a certificate");
    assert!(
        matches!(&e, Error::Validation(v) if v[0].code == "signing.trust_file"),
        "{e:?}"
    );
    let s = desk
        .add_trust_anchor_file(&std::fs::read(&der).expect("der"))
        .expect("added");
    assert_eq!(
        srt_core::signing::record::pem_certificates(&s.trust_anchors),
        vec![std::fs::read(&der).expect("der")]
    );

    // The module and slot of the settings sign (the window passes neither).
    let mut s = s;
    s.pkcs11_module = pki::SOFTHSM.into();
    s.pkcs11_slot = Some(slot);
    s.allowed_signers = "Jaan Kask".into();
    desk.save_signing_settings(&s).expect("saved");
    let signed = desk
        .sign_decision(id, None, None, pki::PIN)
        .expect("signed");
    assert_eq!(
        signed.report.signer.as_deref(),
        Some(who),
        "the slot set in the settings signs, not the first token"
    );
}

/// Post or in person: a printable cover page with the addressee's name and address, the
/// decision's number and date and the Board's return address; then a dated "Üle antud". Via
/// eesti.ee: the date it was handed to the portal. Each starts the challenge period from its
/// date, and each is audited.
#[test]
fn a_cover_page_prints_and_a_dated_handover_starts_the_challenge_period() {
    let p = pki();
    let dir = tempfile::tempdir().expect("dir");
    let (db, id, number) = approved_decision(dir.path(), &p.ca_pem);
    let desk = desk_now(&db);
    let d = desk.decision(id).expect("view").decision;

    let (name, pdf) = desk.decision_cover_page(id).expect("cover page");
    assert_eq!(name, format!("otsus-{number}-umbrik.pdf"));
    std::fs::write(dir.path().join(&name), &pdf).expect("write");
    let text = common::pdftotext_bytes(&pdf, false);
    for wanted in [
        d.addressee_name.as_str(),
        d.addressee_address.lines().next().expect("address"),
        &format!("Otsus nr {number}"),
        &d.decision_date
            .expect("date")
            .format("%d.%m.%Y")
            .to_string(),
        "Sotsiaalkindlustusamet",
        "Endla 8, 15092 Tallinn",
    ] {
        assert!(
            text.contains(wanted),
            "{wanted:?} on the cover page:\n{text}"
        );
    }
    let saved = dir.path().join("saved.pdf");
    desk.save_decision_cover_page(id, &saved).expect("saved");
    assert!(std::fs::read(&saved).expect("file").starts_with(b"%PDF"));
    if let Ok(out) = std::env::var("SRT_COVER_PAGE_OUT") {
        std::fs::copy(&saved, out).expect("copy for a look");
    }

    // Five days on, the portal's hand-over of three days ago is recorded: the challenge period
    // counts from that day, not from the decision's date nor from the day it was recorded.
    drop(desk);
    let mut desk = Desk::open(&db, &MemoryKeyStore::default(), Some(common::PASS), "test")
        .expect("open")
        .with_clock(Arc::new(FixedClock(
            chrono::Utc::now() + chrono::Duration::days(5),
        )));
    let today = desk.today();
    let on = today - chrono::Duration::days(3);
    let v = desk
        .record_decision_handover(id, "eesti_ee", &on.to_string())
        .expect("handed over");
    assert_eq!(v.decision.delivered_on, Some(on));
    assert_eq!(v.decision.status, "sent");
    let challenge = desk
        .case(d.case_id)
        .expect("case")
        .deadlines
        .into_iter()
        .find(|x| x.kind == "challenge_period")
        .expect("the challenge period runs");
    let days = (challenge.due - on).num_days();
    assert!(
        (30..=34).contains(&days),
        "30 days from the hand-over to eesti.ee, moved past rest days: {days}"
    );
    let ways = desk.decision_deliveries(id).expect("deliveries");
    assert_eq!(
        (ways[0].way.as_str(), ways[0].on_date),
        ("eesti_ee", Some(on))
    );
    assert!(desk.decisions_waiting().expect("waiting").is_empty());
    let log = desk
        .audit_log(&AuditFilter {
            case_id: Some(d.case_id),
            ..Default::default()
        })
        .expect("audit");
    let rows: Vec<(&str, &str)> = log
        .rows
        .iter()
        .map(|r| (r.action.as_str(), r.detail.as_str()))
        .collect();
    assert!(
        rows.contains(&("decision.cover_page", number.as_str())),
        "{rows:?}"
    );
    assert!(
        rows.contains(&("decision.handover", "eesti_ee")),
        "{rows:?}"
    );
}

/// The DigiDoc4 hand-off: the approved PDF saved for DigiDoc4, signed there (here: libdigidocpp,
/// the library DigiDoc4 is built on, through PKCS#11 on a SoftHSM2 token holding Mari's key),
/// and the signed container taken back: checked and filed. A container whose PDF was changed
/// after signing is refused and nothing is filed.
#[test]
fn a_container_signed_outside_the_app_is_taken_back_and_a_tampered_one_refused() {
    let p = pki();
    let dir = tempfile::tempdir().expect("dir");
    let (db, id, number) = approved_decision(dir.path(), &p.ca_pem);
    let mut desk = desk_now(&db);
    desk.set_coordinator(&common::coordinator_named("Mari Tamm"));

    // What "Allkirjasta DigiDoc4-ga" saves: the approved PDF, byte for byte.
    let pdf_path = dir.path().join(format!("otsus-{number}.pdf"));
    desk.save_decision_for_digidoc(id, &pdf_path)
        .expect("saved");
    let (_, approved) = desk.decision_pdf(id).expect("pdf");
    assert_eq!(std::fs::read(&pdf_path).expect("saved pdf"), approved);

    // Signed outside the app: a token folder of its own with only Mari's key on it.
    let keys = p.ca_pem.parent().expect("pki dir");
    let own = dir.path().join("digidoc-token");
    std::fs::create_dir_all(&own).expect("dir");
    let conf = pki::token_conf(&own);
    pki::add_token(&conf, "mari", &keys.join("mari.p8"), &keys.join("mari.der"));
    // An ID-card also shows the public key: libdigidocpp lists a certificate only with it.
    let public = own.join("mari.pub.der");
    let sh = |script: &str| {
        let o = Command::new("sh")
            .args(["-c", script])
            .env("SOFTHSM2_CONF", &conf)
            .output()
            .expect("sh");
        assert!(o.status.success(), "{}", text(&o));
    };
    sh(&format!(
        "openssl x509 -inform DER -in '{}' -noout -pubkey | openssl pkey -pubin -outform DER -out '{}'",
        keys.join("mari.der").display(),
        public.display()
    ));
    sh(&format!(
        "pkcs11-tool --module {} --token-label mari --login --pin {} --write-object '{}' \
         --type pubkey --id 01 --label signing",
        pki::SOFTHSM,
        pki::PIN,
        public.display()
    ));
    let signed = dir.path().join(format!("otsus-{number}.asice"));
    let work = dir.path().join("digidoc-work");
    std::fs::create_dir_all(&work).expect("dir");
    let o = Command::new(pki::venv(&["pydigidoc"]))
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/digidoc_sign.py"))
        .arg(&signed)
        .arg(&pdf_path)
        .args([pki::SOFTHSM, pki::PIN])
        .arg(&work)
        .env("SOFTHSM2_CONF", &conf)
        .output()
        .expect("python runs");
    assert!(o.status.success(), "{}", text(&o));

    // Tampered: the PDF inside changed after signing (one byte). Refused, nothing filed.
    let bytes = std::fs::read(&signed).expect("signed");
    let tampered = {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).expect("zip");
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).expect("entry");
            let name = f.name().to_string();
            let mut content = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut content).expect("read");
            if name.ends_with(".pdf") {
                let at = content.len() / 2;
                content[at] ^= 0x01;
            }
            let opts = zip::write::SimpleFileOptions::default().compression_method(
                if name == "mimetype" {
                    zip::CompressionMethod::Stored
                } else {
                    zip::CompressionMethod::Deflated
                },
            );
            out.start_file(name, opts).expect("start");
            std::io::Write::write_all(&mut out, &content).expect("write");
        }
        out.finish().expect("finish").into_inner()
    };
    let tampered_path = dir.path().join("tampered.asice");
    std::fs::write(&tampered_path, tampered).expect("write");
    let e = desk
        .file_signed_container_from(id, &tampered_path)
        .expect_err("tampered");
    let Error::Refused {
        details: Some(problems),
        ..
    } = &e
    else {
        panic!("{e:?}")
    };
    let codes: Vec<&str> = problems
        .as_array()
        .expect("the container's problems")
        .iter()
        .map(|p| p["code"].as_str().expect("code"))
        .collect();
    assert!(codes.contains(&"signing.file_changed"), "{codes:?}");
    assert!(desk.decision_signature(id).expect("state").is_none());

    // The container as DigiDoc4 signed it: checked and filed beside the PDF.
    let filed = desk.file_signed_container_from(id, &signed).expect("filed");
    assert_eq!(
        filed.report.signer.as_deref(),
        Some("TAMM,MARI,48001010000")
    );
    let state = desk.decision_signature(id).expect("state").expect("filed");
    assert_eq!(
        state.state, "needs_confirmation",
        "B level from DigiDoc4 offline"
    );
    let (_, kept) = desk.decision_container(id).expect("container");
    assert_eq!(kept, bytes, "filed as it came back");
    let log = desk
        .audit_log(&AuditFilter {
            case_id: Some(desk.decision(id).expect("v").decision.case_id),
            ..Default::default()
        })
        .expect("audit");
    let rows: Vec<(&str, &str)> = log
        .rows
        .iter()
        .map(|r| (r.action.as_str(), r.detail.as_str()))
        .collect();
    assert!(
        rows.iter()
            .any(|(a, d)| *a == "decision.container_refused" && d.contains("signing.file_changed")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|(a, d)| *a == "decision.sign" && d.contains("digidoc4")),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|(a, _)| *a == "decision.digidoc_handoff"),
        "{rows:?}"
    );
}
