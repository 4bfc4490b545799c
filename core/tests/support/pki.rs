//! A test PKI and a SoftHSM2 token, made fresh by each test run: a CA and signers made with the
//! openssl command line, keys imported into a token in a temporary folder with pkcs11-tool. No
//! key is committed.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub const SOFTHSM: &str = "/usr/lib/softhsm/libsofthsm2.so";
pub const PIN: &str = "1234";

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("the tool runs");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA (key and certificate) in `dir`, named `name`.
pub fn make_ca(dir: &Path, name: &str) -> PathBuf {
    let key = dir.join(format!("{name}.key"));
    let cert = dir.join(format!("{name}.pem"));
    run(Command::new("openssl")
        .args(["ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out"])
        .arg(&key));
    run(Command::new("openssl")
        .args(["req", "-x509", "-new", "-sha384", "-days", "3650", "-subj"])
        .arg(format!("/C=EE/O=SRT Desk test/CN={name}"))
        .args([
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-key",
        ])
        .arg(&key)
        .arg("-out")
        .arg(&cert));
    cert
}

/// A signer's key (EC P-384 or RSA-2048) and certificate issued by the CA; the subject's common
/// name is the ID-card form "SURNAME,GIVEN,CODE". Returns (PKCS#8 DER key, DER certificate).
pub fn make_signer(dir: &Path, ca: &Path, id: &str, cn: &str, rsa: bool) -> (PathBuf, PathBuf) {
    let key = dir.join(format!("{id}.key"));
    let csr = dir.join(format!("{id}.csr"));
    let ext = dir.join(format!("{id}.ext"));
    let pem = dir.join(format!("{id}.pem"));
    let key_der = dir.join(format!("{id}.p8"));
    let cert_der = dir.join(format!("{id}.der"));
    if rsa {
        run(Command::new("openssl")
            .args([
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
            ])
            .arg(&key));
    } else {
        run(Command::new("openssl")
            .args([
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-384",
                "-out",
            ])
            .arg(&key));
    }
    run(Command::new("openssl")
        .args(["req", "-new", "-subj"])
        .arg(format!("/C=EE/CN={}", cn.replace(',', "\\,")))
        .arg("-key")
        .arg(&key)
        .arg("-out")
        .arg(&csr));
    std::fs::write(
        &ext,
        "keyUsage=critical,nonRepudiation\nbasicConstraints=CA:FALSE\n",
    )
    .expect("write ext");
    let ca_key = ca.with_extension("key");
    run(Command::new("openssl")
        .args(["x509", "-req", "-sha384", "-days", "365", "-in"])
        .arg(&csr)
        .arg("-CA")
        .arg(ca)
        .arg("-CAkey")
        .arg(&ca_key)
        .arg("-CAcreateserial")
        .arg("-extfile")
        .arg(&ext)
        .arg("-out")
        .arg(&pem));
    run(Command::new("openssl")
        .args(["pkcs8", "-topk8", "-nocrypt", "-outform", "DER", "-in"])
        .arg(&key)
        .arg("-out")
        .arg(&key_der));
    run(Command::new("openssl")
        .args(["x509", "-outform", "DER", "-in"])
        .arg(&pem)
        .arg("-out")
        .arg(&cert_der));
    (key_der, cert_der)
}

/// SoftHSM2 tokens in `dir/tokens`; returns the path of the SOFTHSM2_CONF file, which the
/// test must put in its environment before opening the module.
pub fn token_conf(dir: &Path) -> PathBuf {
    let tokens = dir.join("tokens");
    std::fs::create_dir_all(&tokens).expect("token dir");
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .expect("write conf");
    conf
}

/// A new token labelled `label` holding the signer's key and certificate.
pub fn add_token(conf: &Path, label: &str, key_der: &Path, cert_der: &Path) {
    run(Command::new("softhsm2-util")
        .env("SOFTHSM2_CONF", conf)
        .args([
            "--init-token",
            "--free",
            "--label",
            label,
            "--pin",
            PIN,
            "--so-pin",
            "87654321",
        ]));
    for (file, kind) in [(key_der, "privkey"), (cert_der, "cert")] {
        let mut cmd = Command::new("pkcs11-tool");
        cmd.env("SOFTHSM2_CONF", conf)
            .args([
                "--module",
                SOFTHSM,
                "--token-label",
                label,
                "--login",
                "--pin",
                PIN,
                "--write-object",
            ])
            .arg(file)
            .args(["--type", kind, "--id", "01", "--label", "signing"]);
        if kind == "privkey" {
            cmd.arg("--usage-sign");
        }
        run(&mut cmd);
    }
}

/// A Python virtual environment under target/ with the given PyPI packages, made once.
pub fn venv(packages: &[&str]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("venv-{}", packages.join("-")));
    let python = dir.join("bin/python");
    let marker = dir.join(".installed");
    if !marker.exists() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&dir));
        run(Command::new(dir.join("bin/pip"))
            .args(["install", "--quiet"])
            .args(packages));
        std::fs::write(&marker, "").expect("marker");
    }
    python
}

/// libdigidocpp's verdict on a container: its lines FILE/SIGNER/PROFILE/PROBLEM.
pub fn digidoc_validate(container: &Path, work: &Path) -> String {
    let python = venv(&["pydigidoc"]);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/digidoc_validate.py");
    let out = Command::new(python)
        .arg(script)
        .arg(container)
        .arg(work)
        .output()
        .expect("python runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success() && text.contains("DONE"),
        "libdigidocpp could not check the container: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}
