//! Signing decisions: the approved decision's PDF in an ASiC-E container (BDOC 2.1) with a
//! XAdES baseline signature made by a key on a PKCS#11 token (the ID-card through OpenSC, a
//! SoftHSM2 token in tests), and the verifier that checks such a container before anything is
//! filed or sent. The XML signature itself (c14n, digests, chain building) is the `xades`
//! crate's; this module owns the container, the token, the checks the Board adds (the PDF is
//! the approved one, the signer may sign) and the plain messages with their stable codes.

pub mod container;
pub(crate) mod cover;
pub mod delivery;
mod desk;
pub(crate) mod extend;
pub mod record;
pub(crate) mod token;
pub mod verify;

use serde::Serialize;

use crate::error::Localized;

pub use container::DataFile;
pub use desk::{Signed, SigningSettingsView};
pub use extend::LtServices;
pub use record::{DecisionLine, SignatureState, SigningSettings};
pub use token::{sign_container, sign_container_extending, SignOutput, TokenSigner};
pub use verify::{verify, Level, Report, VerifyOptions};

/// One thing wrong with a container or a signing attempt, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    pub code: &'static str,
    pub message: Localized,
    /// What the underlying library said, for support (never shown as the message).
    pub detail: String,
}

impl Problem {
    pub fn new(code: &'static str, et: &str, en: &str) -> Self {
        Self {
            code,
            message: Localized::new(et, en),
            detail: String::new(),
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    pub(crate) fn not_a_container() -> Self {
        Self::new(
            "signing.not_a_container",
            "Fail ei ole digiallkirja konteiner (ASiC-E/BDOC): see ei ole loetav ZIP-fail.",
            "The file is not a signature container (ASiC-E/BDOC): it is not a readable ZIP file.",
        )
    }

    pub(crate) fn structure(detail: &str) -> Self {
        Self::new(
            "signing.bad_structure",
            "Konteineri ülesehitus ei vasta ASiC-E nõuetele; see on rikutud või tehtud valesti.",
            "The container's structure does not follow ASiC-E; it is damaged or badly made.",
        )
        .with_detail(detail)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message.en, self.code)
    }
}

/// A container that failed verification: every problem found, the first one as the message.
pub(crate) fn refused(problems: Vec<Problem>) -> crate::Error {
    let first = problems
        .first()
        .map(|p| p.message.clone())
        .unwrap_or_default();
    crate::Error::Refused {
        code: problems.first().map_or("signing.refused", |p| p.code),
        message: first,
        details: serde_json::to_value(&problems).ok(),
    }
}

impl From<Problem> for crate::Error {
    fn from(p: Problem) -> Self {
        crate::Error::Refused {
            code: p.code,
            message: p.message,
            details: None,
        }
    }
}
