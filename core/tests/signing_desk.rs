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
use srt_core::{Desk, MemoryKeyStore};

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
