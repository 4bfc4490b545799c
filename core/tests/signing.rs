//! Signing a decision's PDF into an ASiC-E container through PKCS#11 (a SoftHSM2 token made
//! here), checking it with the app's verifier and with libdigidocpp, and refusing tampered
//! containers, each with its own message.

#[path = "support/pki.rs"]
mod pki;

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::Utc;
use srt_core::signing::{self, container, DataFile, TokenSigner, VerifyOptions};

/// The test PKI and token, made once for this test binary (SOFTHSM2_CONF is process-wide).
struct Setup {
    dir: PathBuf,
    ca_der: Vec<u8>,
    other_ca_der: Vec<u8>,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir").keep();
        let ca = pki::make_ca(&dir, "SRT Test CA");
        let other = pki::make_ca(&dir, "Other Test CA");
        let (ec_key, ec_cert) = pki::make_signer(&dir, &ca, "ec", "TAMM,MARI,48001010000", false);
        let (rsa_key, rsa_cert) = pki::make_signer(&dir, &ca, "rsa", "KASK,JAAN,38001010000", true);
        let conf = pki::token_conf(&dir);
        pki::add_token(&conf, "ec", &ec_key, &ec_cert);
        pki::add_token(&conf, "rsa", &rsa_key, &rsa_cert);
        std::env::set_var("SOFTHSM2_CONF", &conf);
        let der = |pem: &Path| {
            let out = std::process::Command::new("openssl")
                .args(["x509", "-outform", "DER", "-in"])
                .arg(pem)
                .output()
                .expect("openssl");
            out.stdout
        };
        Setup {
            ca_der: der(&ca),
            other_ca_der: der(&other),
            dir,
        }
    })
}

fn now() -> chrono::DateTime<Utc> {
    Utc::now()
}

fn pdf(text: &str) -> DataFile {
    DataFile {
        name: "otsus-K000001.pdf".into(),
        mime_type: "application/pdf".into(),
        content: format!("%PDF-1.4\n% synthetic decision: {text}\n%%EOF\n").into_bytes(),
    }
}

/// The token slot index holding the key with the given algorithm (SoftHSM numbers slots itself).
fn slot_of(algorithm: &str) -> usize {
    for i in 0..2 {
        let s = TokenSigner::open(Path::new(pki::SOFTHSM), Some(i), pki::PIN).expect("token opens");
        if s.algorithm_uri().ends_with(algorithm) {
            return i;
        }
    }
    panic!("no token with {algorithm}");
}

fn sign(algorithm: &str, files: &[DataFile]) -> Vec<u8> {
    let s = TokenSigner::open(Path::new(pki::SOFTHSM), Some(slot_of(algorithm)), pki::PIN)
        .expect("token opens");
    signing::sign_container(&s, files, now()).expect("signed")
}

fn trusting(ca: &[u8]) -> VerifyOptions {
    VerifyOptions {
        trust_anchors_der: vec![ca.to_vec()],
        ..Default::default()
    }
}

fn codes(r: &signing::Report) -> Vec<&'static str> {
    r.problems.iter().map(|p| p.code).collect()
}

/// Rewrite one entry of a ZIP (keeping order and the stored mimetype).
fn rewrite(bytes: &[u8], entry: &str, change: impl Fn(Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut zout = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("entry");
        let name = f.name().to_string();
        let mut content = Vec::new();
        f.read_to_end(&mut content).expect("read");
        let method = f.compression();
        drop(f);
        if name == entry {
            content = change(content);
        }
        zout.start_file(
            name,
            zip::write::SimpleFileOptions::default().compression_method(method),
        )
        .expect("start");
        zout.write_all(&content).expect("write");
    }
    zout.finish().expect("finish").into_inner()
}

#[test]
fn an_ec_p384_signature_from_the_token_verifies_in_the_app() {
    let s = setup();
    let file = pdf("Mari");
    let bytes = sign("ecdsa-sha384", std::slice::from_ref(&file));
    let mut opts = trusting(&s.ca_der);
    opts.expected_pdf = Some(file.content.clone());
    opts.allowed_signers = vec!["Mari Tamm".into()];
    let r = signing::verify(&bytes, &opts);
    assert!(
        r.is_ok(),
        "a fresh container from the token must verify: {:?}",
        r.problems
    );
    assert_eq!(r.signer.as_deref(), Some("TAMM,MARI,48001010000"));
    assert_eq!(
        r.level,
        Some(signing::Level::B),
        "offline signing gives B level"
    );
    assert_eq!(r.files.len(), 1);
    assert_eq!(r.files[0].name, "otsus-K000001.pdf");

    // The container's layout: mimetype first and stored, then the PDF, manifest, signature.
    let mut z = zip::ZipArchive::new(Cursor::new(&bytes)).expect("zip");
    let first = z.by_index(0).expect("first");
    assert_eq!(first.name(), "mimetype");
    assert_eq!(first.compression(), zip::CompressionMethod::Stored);
    drop(first);
    let names: Vec<String> = (0..z.len())
        .map(|i| z.by_index(i).expect("e").name().to_string())
        .collect();
    assert!(names.contains(&container::MANIFEST.to_string()));
    assert!(names.contains(&container::SIGNATURES.to_string()));
}

#[test]
fn an_rsa_signature_uses_pkcs1_v15_and_verifies() {
    let s = setup();
    let file = pdf("Jaan");
    let bytes = sign("rsa-sha256", std::slice::from_ref(&file));
    let r = signing::verify(&bytes, &trusting(&s.ca_der));
    assert!(r.is_ok(), "an RSA container must verify: {:?}", r.problems);
    assert_eq!(r.signer.as_deref(), Some("KASK,JAAN,38001010000"));
}

#[test]
fn libdigidocpp_finds_only_the_two_problems_offline_b_level_explains() {
    let s = setup();
    let file = pdf("Mari digidoc");
    let bytes = sign("ecdsa-sha384", std::slice::from_ref(&file));
    let path = s.dir.join("digidoc-check.asice");
    std::fs::write(&path, &bytes).expect("write");
    let work = s.dir.join("digidoc-good");
    std::fs::create_dir_all(&work).expect("dir");
    let out = pki::digidoc_validate(&path, &work);
    assert!(out.contains("FILE otsus-K000001.pdf"), "{out}");
    assert!(out.contains("TAMM,MARI,48001010000"), "{out}");
    let problems: Vec<&str> = out.lines().filter(|l| l.starts_with("PROBLEM")).collect();
    // libdigidocpp's exception tree, flattened: the heading, then the certificate problem with
    // its OpenSSL cause, then the missing time-stamp and OCSP of B level. Nothing else.
    assert_eq!(
        problems,
        [
            "PROBLEM Signature validation",
            "PROBLEM Unable to verify signing certificate",
            "PROBLEM unable to get local issuer certificate",
            "PROBLEM QualifyingProperties block 'UnsignedProperties' is missing.",
        ],
        "libdigidocpp must find only what the test CA and offline B level explain: {out}"
    );

    // The same checker sees a changed PDF: the cross-check is not blind.
    let bad = rewrite(&bytes, "otsus-K000001.pdf", |mut c| {
        c[12] ^= 1;
        c
    });
    let path = s.dir.join("digidoc-bad.asice");
    std::fs::write(&path, &bad).expect("write");
    let work = s.dir.join("digidoc-bad");
    std::fs::create_dir_all(&work).expect("dir");
    let out = pki::digidoc_validate(&path, &work);
    assert!(
        out.contains("do not match") || out.contains("Reference"),
        "libdigidocpp must see the change: {out}"
    );
}

#[test]
fn a_changed_pdf_inside_is_refused_as_changed_after_signing() {
    let s = setup();
    let bytes = sign("ecdsa-sha384", &[pdf("A")]);
    let bad = rewrite(&bytes, "otsus-K000001.pdf", |mut c| {
        c[12] ^= 1;
        c
    });
    let r = signing::verify(&bad, &trusting(&s.ca_der));
    assert_eq!(codes(&r), vec!["signing.file_changed"], "{:?}", r.problems);
    assert!(r.problems[0].message.et.contains("muudetud"));
}

#[test]
fn a_changed_signature_byte_is_refused_as_an_invalid_signature() {
    let s = setup();
    let bytes = sign("ecdsa-sha384", &[pdf("B")]);
    let bad = rewrite(&bytes, container::SIGNATURES, |c| {
        let xml = String::from_utf8(c).expect("utf8");
        let start = xml.find("<ds:SignatureValue").expect("value");
        let start = xml[start..].find('>').expect(">") + start + 1;
        let mut b = xml.into_bytes();
        // Change one base64 character of the value to another valid one.
        b[start + 5] = if b[start + 5] == b'A' { b'B' } else { b'A' };
        b
    });
    let r = signing::verify(&bad, &trusting(&s.ca_der));
    assert_eq!(
        codes(&r),
        vec!["signing.signature_invalid"],
        "{:?}",
        r.problems
    );
}

#[test]
fn a_container_over_another_decisions_pdf_is_refused() {
    let s = setup();
    let bytes = sign("ecdsa-sha384", &[pdf("the other decision")]);
    let mut opts = trusting(&s.ca_der);
    opts.expected_pdf = Some(pdf("this decision").content);
    let r = signing::verify(&bytes, &opts);
    assert_eq!(
        codes(&r),
        vec!["signing.other_document"],
        "{:?}",
        r.problems
    );
    assert!(r.problems[0].message.en.contains("another document"));
}

#[test]
fn a_signer_the_app_does_not_trust_is_refused() {
    let s = setup();
    let bytes = sign("ecdsa-sha384", &[pdf("C")]);
    let r = signing::verify(&bytes, &trusting(&s.other_ca_der));
    assert_eq!(
        codes(&r),
        vec!["signing.untrusted_signer"],
        "{:?}",
        r.problems
    );
    let none = signing::verify(&bytes, &VerifyOptions::default());
    assert_eq!(
        codes(&none),
        vec!["signing.untrusted_signer"],
        "no anchors trusts nobody"
    );
}

#[test]
fn a_trusted_signer_who_is_not_the_coordinator_is_refused() {
    let s = setup();
    let bytes = sign("ecdsa-sha384", &[pdf("D")]);
    let mut opts = trusting(&s.ca_der);
    opts.allowed_signers = vec!["Jaan Kask".into()];
    let r = signing::verify(&bytes, &opts);
    assert_eq!(
        codes(&r),
        vec!["signing.signer_not_allowed"],
        "{:?}",
        r.problems
    );
}

#[test]
fn a_wrong_pin_and_a_missing_module_say_so() {
    setup();
    let e = TokenSigner::open(Path::new(pki::SOFTHSM), Some(0), "0000").expect_err("wrong pin");
    assert_eq!(e.code, "signing.pin_wrong");
    let e = TokenSigner::open(Path::new("/nonexistent/opensc-pkcs11.so"), None, "1234")
        .expect_err("no module");
    assert_eq!(e.code, "signing.module_missing");
}

#[test]
fn a_file_that_is_not_a_container_is_refused_plainly() {
    let r = signing::verify(b"%PDF-1.4 not a zip", &VerifyOptions::default());
    assert_eq!(codes(&r), vec!["signing.not_a_container"]);
}
