//! The verifier: every check a container passes before it is filed or sent. Container
//! structure; each signed file's digest and the signature value (through `xades`); the signer's
//! chain to the configured trust anchors; the PDF inside byte for byte the approved decision's
//! PDF; the signer one of the people allowed to sign. Each failure is its own [`Problem`].

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::container::{self, DataFile};
use super::Problem;

/// The baseline level of a signature: B is offline, LT carries a time-stamp and an OCSP answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Level {
    B,
    T,
    LT,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::B => "B",
            Level::T => "T",
            Level::LT => "LT",
        }
    }
}

/// What the verifier is told.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Trusted CA certificates (DER): the signer must chain to one of them.
    pub trust_anchors_der: Vec<Vec<u8>>,
    /// The approved decision's PDF: the container must hold exactly this file.
    pub expected_pdf: Option<Vec<u8>>,
    /// Names of the people who may sign ("Mari Tamm"); empty: anyone the anchors trust.
    pub allowed_signers: Vec<String>,
    /// The time at which certificates must be valid (B level has no time-stamp).
    pub at: Option<DateTime<Utc>>,
}

/// A signed file as listed in a report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileInfo {
    pub name: String,
    pub mime_type: String,
    pub size: usize,
}

/// What the verifier found.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub files: Vec<FileInfo>,
    /// The signer's common name as on the certificate ("TAMM,MARI,48001010000").
    pub signer: Option<String>,
    pub signer_subject: Option<String>,
    pub signing_time: Option<String>,
    pub level: Option<Level>,
    pub problems: Vec<Problem>,
}

impl Report {
    /// Intact, signed by a trusted and allowed signer, over the expected PDF.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    fn push(&mut self, p: Problem) {
        if !self.problems.iter().any(|q| q.code == p.code) {
            self.problems.push(p);
        } else if let Some(q) = self.problems.iter_mut().find(|q| q.code == p.code) {
            if !p.detail.is_empty() {
                q.detail = format!("{}; {}", q.detail, p.detail);
            }
        }
    }
}

/// The common name in an RFC 4514 subject ("CN=TAMM\,MARI\,480…,SN=…").
pub fn common_name(subject: &str) -> Option<String> {
    let start = subject.find("CN=")? + 3;
    let mut out = String::new();
    let mut chars = subject[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            ',' | '+' => break,
            c => out.push(c),
        }
    }
    Some(out)
}

/// Whether a certificate's common name names the person: every word of the name appears in
/// it, in any order and case ("Mari Tamm" is "TAMM,MARI,48001010000").
pub fn names_person(common_name: &str, person: &str) -> bool {
    let cn: Vec<String> = common_name
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(|w| w.to_lowercase())
        .collect();
    let words: Vec<String> = person
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .collect();
    !words.is_empty() && words.iter().all(|w| cn.contains(w))
}

fn classify(error: &str) -> Problem {
    // A changed file also leaves it "not covered": its reference no longer matches it.
    if error.starts_with("digest mismatch for data file")
        || error.contains("signed file is missing")
        || error.contains("not covered by the signature")
    {
        Problem::new(
            "signing.file_changed",
            "Konteineris olevat faili on pärast allkirjastamist muudetud: allkiri ei kata seda sisu.",
            "A file in the container was changed after signing: the signature does not cover its content.",
        )
        .with_detail(error)
    } else if error.contains("no trust anchors")
        || error.contains("certificate chain")
        || error.contains("validation time")
    {
        Problem::new(
            "signing.untrusted_signer",
            "Allkirjastaja sertifikaat ei ole usaldatud väljaandjalt (või ei kehti): allkirja ei saa aktsepteerida.",
            "The signer's certificate is not from a trusted issuer (or not valid): the signature cannot be accepted.",
        )
        .with_detail(error)
    } else if error.contains("SignatureTimeStamp") || error.contains("OCSP") {
        Problem::new(
            "signing.lt_invalid",
            "Allkirja ajatempel või kehtivuskinnitus ei ole korras.",
            "The signature's time-stamp or validity confirmation is not in order.",
        )
        .with_detail(error)
    } else {
        Problem::new(
            "signing.signature_invalid",
            "Allkiri ei ole korrektne: allkirja andmeid on muudetud või allkiri on vigane.",
            "The signature is not valid: the signature data was changed or the signature is broken.",
        )
        .with_detail(error)
    }
}

/// Verify a container's bytes.
pub fn verify(bytes: &[u8], options: &VerifyOptions) -> Report {
    let mut report = Report {
        files: Vec::new(),
        signer: None,
        signer_subject: None,
        signing_time: None,
        level: None,
        problems: Vec::new(),
    };
    let (c, structural) = match container::read(bytes) {
        Ok(x) => x,
        Err(p) => {
            report.push(p);
            return report;
        }
    };
    for p in structural {
        report.push(p);
    }
    report.files = c
        .files
        .iter()
        .map(|f| FileInfo {
            name: f.name.clone(),
            mime_type: f.mime_type.clone(),
            size: f.content.len(),
        })
        .collect();
    if let Some(expected) = &options.expected_pdf {
        let same = c.files.len() == 1 && c.files[0].content == *expected;
        if !same {
            report.push(Problem::new(
                "signing.other_document",
                "Konteineris ei ole selle otsuse kinnitatud PDF: allkirjastatud on teist dokumenti.",
                "The container does not hold this decision's approved PDF: another document was signed.",
            ));
        }
    }
    let objects: Vec<xades::DataObject<'_>> = c
        .files
        .iter()
        .map(|f: &DataFile| xades::DataObject {
            name: &f.name,
            mime_type: &f.mime_type,
            content: &f.content,
        })
        .collect();
    let xopts = xades::ValidationOptions {
        trusted_certs_der: options.trust_anchors_der.clone(),
        validation_time: options.at,
        required_profile: None,
    };
    for (name, xml) in &c.signatures {
        for f in &c.files {
            if !xml.contains(&format!("URI=\"{}\"", reference_uri(&f.name))) {
                report.push(
                    Problem::new(
                        "signing.file_unsigned",
                        "Konteineris on fail, mida allkiri ei kata.",
                        "The container holds a file that the signature does not cover.",
                    )
                    .with_detail(f.name.clone()),
                );
            }
        }
        let results = match xades::validate(xml, &objects, &xopts) {
            Ok(r) => r,
            Err(e) => {
                report.push(classify(&format!("{name}: {e}")));
                continue;
            }
        };
        for sv in results {
            if report.signer_subject.is_none() {
                report.signer = sv.signer_subject.as_deref().and_then(common_name);
                report.signer_subject = sv.signer_subject.clone();
                report.signing_time = sv.claimed_signing_time.clone();
                report.level = Some(match sv.profile {
                    xades::Profile::B => Level::B,
                    xades::Profile::T => Level::T,
                    xades::Profile::LT => Level::LT,
                });
            }
            for e in &sv.errors {
                report.push(classify(e));
            }
            if !options.allowed_signers.is_empty() {
                let cn = sv
                    .signer_subject
                    .as_deref()
                    .and_then(common_name)
                    .unwrap_or_default();
                if !options.allowed_signers.iter().any(|p| names_person(&cn, p)) {
                    report.push(
                        Problem::new(
                            "signing.signer_not_allowed",
                            "Allkirjastaja ei ole see, kes võib otsuse allkirjastada (kirjale märgitud juhtumikorraldaja või seadetes lubatud isik).",
                            "The signer is not someone allowed to sign the decision (the coordinator named on the letter or a person allowed in the settings).",
                        )
                        .with_detail(cn),
                    );
                }
            }
        }
    }
    report
}

/// A file name as a reference URI (percent-encoding what XML-DSig needs encoded).
fn reference_uri(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_card_name_names_the_coordinator() {
        let cn = common_name("CN=TAMM\\,MARI\\,48001010000,SN=TAMM,C=EE").expect("a CN");
        assert_eq!(cn, "TAMM,MARI,48001010000");
        assert!(names_person(&cn, "Mari Tamm"));
        assert!(
            !names_person(&cn, "Mari Kask"),
            "another surname is another person"
        );
        assert!(!names_person(&cn, ""), "an empty name allows nobody");
    }
}
