//! Confirming a signature (B → LT) against real services on 127.0.0.1: an RFC 3161 time-stamp
//! service (`openssl ts -reply` behind a small Python HTTP handler) and an OCSP responder
//! (`openssl ocsp -port`), both with certificates of a test CA made here. A decision signed
//! while the services do not answer waits for confirmation with its B-level container; once they
//! answer, the stored container is extended to LT, checked and filed, and the decision is ready
//! to send. Its own test binary: SoftHSM2 reads SOFTHSM2_CONF once per process.

mod common;
#[path = "support/pki.rs"]
mod pki;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::Arc;

use srt_core::clock::FixedClock;
use srt_core::store::audit::AuditFilter;
use srt_core::{Desk, MemoryKeyStore};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn sh(dir: &Path, script: &str) {
    let o = Command::new("sh")
        .args(["-euc", script])
        .current_dir(dir)
        .output()
        .expect("sh");
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The test CA, a time-stamping certificate, an OCSP responder certificate, and Mari's signing
/// certificate whose AIA names the OCSP responder at `ocsp_port`; Mari's key on a token.
fn make_pki(dir: &Path, ocsp_port: u16) -> PathBuf {
    sh(
        dir,
        &format!(
            r#"
openssl ecparam -name secp384r1 -genkey -noout -out ca.key
openssl req -x509 -new -sha384 -days 3650 -subj "/C=EE/O=SRT Desk test/CN=SRT LT Test CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
  -key ca.key -out ca.pem
issue() {{ # name subject extensions serial
  openssl ecparam -name prime256v1 -genkey -noout -out "$1.key"
  openssl req -new -subj "$2" -key "$1.key" -out "$1.csr"
  printf '%b' "$3" > "$1.ext"
  openssl x509 -req -sha384 -days 365 -in "$1.csr" -CA ca.pem -CAkey ca.key -set_serial "$4" \
    -extfile "$1.ext" -out "$1.pem"
}}
issue tsa "/C=EE/CN=SRT Test TSA" "basicConstraints=CA:FALSE\nextendedKeyUsage=critical,timeStamping\nkeyUsage=critical,digitalSignature\n" 0x2001
issue ocsp "/C=EE/CN=SRT Test OCSP" "basicConstraints=CA:FALSE\nextendedKeyUsage=critical,OCSPSigning\nkeyUsage=critical,digitalSignature\n" 0x2002
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out mari.key
openssl req -new -subj "/C=EE/CN=TAMM\,MARI\,48001010000" -key mari.key -out mari.csr
printf 'keyUsage=critical,nonRepudiation\nbasicConstraints=CA:FALSE\nauthorityInfoAccess=OCSP;URI:http://127.0.0.1:{ocsp_port}/\n' > mari.ext
openssl x509 -req -sha384 -days 365 -in mari.csr -CA ca.pem -CAkey ca.key -set_serial 0x1001 \
  -extfile mari.ext -out mari.pem
openssl pkcs8 -topk8 -nocrypt -outform DER -in mari.key -out mari.p8
openssl x509 -outform DER -in mari.pem -out mari.der
end=$(openssl x509 -in mari.pem -noout -enddate | cut -d= -f2)
printf 'V\t%s\t\t1001\tunknown\t/C=EE/CN=TAMM\\,MARI\\,48001010000\n' "$(date -u -d "$end" +%y%m%d%H%M%SZ)" > index.txt
"#
        ),
    );
    let conf = pki::token_conf(dir);
    pki::add_token(&conf, "mari", &dir.join("mari.p8"), &dir.join("mari.der"));
    conf
}

/// A child process ended on drop.
struct Service(Child);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for(port: u16) {
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("nothing listens on {port}");
}

fn start_ocsp(dir: &Path, port: u16) -> Service {
    let service = Service(
        Command::new("openssl")
            .args(["ocsp", "-index", "index.txt", "-port", &port.to_string()])
            .args([
                "-rsigner", "ocsp.pem", "-rkey", "ocsp.key", "-CA", "ca.pem", "-nmin", "10",
            ])
            .current_dir(dir)
            .stdout(std::fs::File::create(dir.join("ocsp.log")).expect("log"))
            .stderr(std::fs::File::create(dir.join("ocsp.err")).expect("err"))
            .spawn()
            .expect("openssl ocsp starts"),
    );
    // Not a probe connection: the responder serves one client at a time and would wait on it.
    for _ in 0..100 {
        let said = std::fs::read_to_string(dir.join("ocsp.err")).unwrap_or_default()
            + &std::fs::read_to_string(dir.join("ocsp.log")).unwrap_or_default();
        if said.contains("waiting for OCSP client") {
            return service;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    drop(service);
    panic!("openssl ocsp did not listen on {port}");
}

fn start_tsa(dir: &Path, port: u16) -> Service {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/tsa_server.py");
    let child = Command::new("python3")
        .arg(script)
        .arg(port.to_string())
        .arg(dir)
        .args(["tsa.pem", "tsa.key", "ca.pem"].map(|f| dir.join(f)))
        .stdout(std::fs::File::create(dir.join("tsa.log")).expect("log"))
        .stderr(std::fs::File::create(dir.join("tsa.err")).expect("err"))
        .spawn()
        .expect("the TSA starts");
    wait_for(port);
    Service(child)
}

#[test]
fn a_b_level_signature_waits_and_is_extended_to_lt_when_the_services_answer() {
    let dir = tempfile::tempdir().expect("dir");
    let pki_dir = dir.path().join("pki");
    std::fs::create_dir_all(&pki_dir).expect("dir");
    let ocsp_port = free_port();
    let conf = make_pki(&pki_dir, ocsp_port);
    std::env::set_var("SOFTHSM2_CONF", &conf);

    // An approved decision of Mari Tamm's; the settings trust the test CA.
    let (desk, path) = common::new_desk(dir.path());
    drop(desk);
    let mut desk = Desk::open(
        &path,
        &MemoryKeyStore::default(),
        Some(common::PASS),
        "test",
    )
    .expect("open")
    .with_clock(Arc::new(FixedClock(chrono::Utc::now())));
    desk.set_coordinator(&common::coordinator_named("Mari Tamm"));
    let case = desk
        .register_application(&common::application(common::CHILD_CODE))
        .expect("register");
    desk.change_status(case.id, "in_assessment", "")
        .expect("to assessment");
    desk.save_assessment(case.id, &common::assessment_of(&[("2010", 10.0)]))
        .expect("assessment");
    desk.sign_assessment(case.id, &desk.today().to_string())
        .expect("sign assessment");
    let v = desk.create_decision(case.id, "refusal").expect("draft");
    let mut draft = common::draft_of(&v);
    draft.late_reason = "Taotleja palus lisaaega.".into();
    let v = desk.save_decision(v.decision.id, &draft).expect("save");
    let id = desk
        .approve_decision(v.decision.id, true)
        .expect("approve")
        .decision
        .id;
    let e = desk
        .confirm_decision_signature(id)
        .expect_err("no time-stamp service set");
    assert_eq!(
        (
            e.code(),
            e.message().et.contains("Seaded → Allkirjastamine")
        ),
        ("signing.tsa_not_set", true),
        "says where to set it, in words (no field of the case view to point at)"
    );
    let tsa_port = free_port();
    let mut s = desk.signing_settings().expect("settings");
    s.trust_anchors = std::fs::read_to_string(pki_dir.join("ca.pem")).expect("ca");
    s.pkcs11_module = pki::SOFTHSM.into();
    s.tsa_url = format!("http://127.0.0.1:{tsa_port}/");
    desk.save_signing_settings(&s).expect("settings");

    // Offline: signed at B level, kept, waiting for confirmation.
    let signed = desk
        .sign_decision(id, None, None, pki::PIN)
        .expect("signed");
    assert!(
        signed.extension_error.is_some(),
        "the TSA does not answer yet"
    );
    let state = desk.decision_signature(id).expect("state").expect("filed");
    assert_eq!(
        (state.level.as_str(), state.state.as_str()),
        ("B", "needs_confirmation")
    );
    let e = desk
        .confirm_decision_signature(id)
        .expect_err("still offline");
    assert_eq!(e.code(), "signing.lt_unavailable");
    assert_eq!(
        desk.decision_signature(id).expect("s").expect("f").level,
        "B",
        "the B-level container stays"
    );

    // The services answer: the stored container is extended to LT and the decision is ready.
    let _ocsp = start_ocsp(&pki_dir, ocsp_port);
    let _tsa = start_tsa(&pki_dir, tsa_port);
    let confirmed = desk.confirm_decision_signature(id).unwrap_or_else(|e| {
        let log = |f: &str| std::fs::read_to_string(pki_dir.join(f)).unwrap_or_default();
        panic!(
            "{e:?}\nTSA: {}{}\nOCSP: {}{}",
            log("tsa.log"),
            log("tsa.err"),
            log("ocsp.log"),
            log("ocsp.err")
        )
    });
    assert_eq!(
        confirmed.report.level,
        Some(srt_core::signing::Level::LT),
        "{:?}",
        confirmed.report.problems
    );
    let state = desk.decision_signature(id).expect("state").expect("filed");
    assert_eq!(
        (state.level.as_str(), state.state.as_str()),
        ("LT", "ready")
    );
    assert!(
        desk.dashboard()
            .expect("dashboard")
            .signing
            .iter()
            .all(|w| w.reason != "needs_confirmation"),
        "no longer waiting for confirmation"
    );
    let (_, kept) = desk.decision_container(id).expect("container");
    assert_eq!(kept, confirmed.container);
    let tsa_log = std::fs::read_to_string(pki_dir.join("tsa.log")).unwrap_or_default();
    assert!(
        tsa_log.contains("TSA request"),
        "the local TSA was asked: {tsa_log}"
    );

    // The same signature value, the same signed PDF: only the unsigned properties were added.
    let value = |bytes: &[u8]| {
        let (c, _) = srt_core::signing::container::read(bytes).expect("read");
        let xml = c.signatures[0].1.clone();
        let at = xml.find("SignatureValue").expect("value");
        xml[at..at + 200].to_string()
    };
    assert_eq!(value(&kept), value(&signed.container));

    // Signed again while the services answer: LT at once, no waiting.
    let again = desk
        .sign_decision(id, None, None, pki::PIN)
        .expect("signed");
    assert!(
        again.extension_error.is_none(),
        "{:?}",
        again.extension_error
    );
    assert_eq!(again.report.level, Some(srt_core::signing::Level::LT));
    assert_eq!(again.state.state, "ready");

    // libdigidocpp reads the confirmed container: the time-stamp and OCSP are there now.
    let file = dir.path().join("confirmed.asice");
    std::fs::write(&file, &kept).expect("write");
    let work = dir.path().join("digidoc");
    std::fs::create_dir_all(&work).expect("dir");
    let out = pki::digidoc_validate(&file, &work);
    assert!(
        !out.contains("'UnsignedProperties' is missing"),
        "LT has its unsigned properties: {out}"
    );
    let log = desk
        .audit_log(&AuditFilter {
            case_id: Some(case.id),
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
            .any(|(a, d)| *a == "decision.sign" && d.contains(" lt LT")),
        "{rows:?}"
    );
}
