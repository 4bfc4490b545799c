//! The signing key on a PKCS#11 token: the ID-card through OpenSC's module on a real laptop, a
//! SoftHSM2 token in the tests. The token signs only the digest of the canonical SignedInfo:
//! raw `CKM_ECDSA` (r‖s, what XML-DSig wants) for EC keys, `CKM_RSA_PKCS` over a DigestInfo
//! (PKCS#1 v1.5) for RSA keys. The PIN is passed through and never kept or logged.

use super::extend::LtServices;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, CertificateType, KeyType, ObjectClass};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;

use super::container::{self, DataFile};
use super::Problem;

const P384_OID: &[u8] = &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22];
const P521_OID: &[u8] = &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23];

/// DER prefixes of DigestInfo for PKCS#1 v1.5 (RFC 8017 §9.2 note 1).
const SHA256_DIGEST_INFO: &[u8] = &[
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

fn token_problem(e: &CkError) -> Problem {
    match e {
        CkError::Pkcs11(RvError::PinIncorrect, _) => Problem::new(
            "signing.pin_wrong",
            "PIN-kood on vale. Kaardil on piiratud arv katseid: kontrolli PIN2-te enne uut katset.",
            "The PIN is wrong. The card allows only a few tries: check the signing PIN before trying again.",
        ),
        CkError::Pkcs11(RvError::PinLocked, _) => Problem::new(
            "signing.pin_locked",
            "PIN-kood on lukus (liiga palju valesid katseid). Ava see PUK-koodiga DigiDoc4-s.",
            "The PIN is locked (too many wrong tries). Unblock it with the PUK code in DigiDoc4.",
        ),
        CkError::Pkcs11(RvError::PinLenRange | RvError::PinInvalid, _) => Problem::new(
            "signing.pin_wrong",
            "PIN-kood on vale pikkusega või vigane.",
            "The PIN has a wrong length or is not valid.",
        ),
        other => Problem::new(
            "signing.token_failed",
            "Kaardi või allkirjastamisseadmega suhtlemine ebaõnnestus. Kontrolli, et kaart on lugejas, ja proovi uuesti.",
            "Talking to the card or signing device failed. Check that the card is in the reader and try again.",
        )
        .with_detail(other.to_string()),
    }
}

/// A logged-in session on the token with its signing key and certificate.
pub struct TokenSigner {
    // Fields drop in this order: the session before the module, the lock last.
    session: Session,
    key: cryptoki::object::ObjectHandle,
    cert_der: Vec<u8>,
    key_type: KeyType,
    algorithm_uri: &'static str,
    _ctx: Pkcs11,
    _one_at_a_time: MutexGuard<'static, ()>,
}

/// A PKCS#11 module is initialised once per process: one signing session at a time.
static TOKEN_LOCK: Mutex<()> = Mutex::new(());

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSigner")
            .field("algorithm", &self.algorithm_uri)
            .finish_non_exhaustive()
    }
}

impl TokenSigner {
    /// Open `module`, take the token in `slot` (its index among slots with a token; the first
    /// by default), log in with `pin` and find the signing key and its certificate.
    pub fn open(module: &Path, slot: Option<usize>, pin: &str) -> Result<Self, Problem> {
        let guard = TOKEN_LOCK
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let ctx = Pkcs11::new(module).map_err(|e| {
            Problem::new(
                "signing.module_missing",
                "PKCS#11 moodulit ei saanud laadida (kas ID-kaardi tarkvara OpenSC on paigaldatud ja mooduli asukoht õige?).",
                "The PKCS#11 module could not be loaded (is the ID-card software OpenSC installed and the module path right?).",
            )
            .with_detail(format!("{}: {e}", module.display()))
        })?;
        match ctx.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
            Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
            Err(e) => return Err(token_problem(&e)),
        }
        let slots = ctx.get_slots_with_token().map_err(|e| token_problem(&e))?;
        let slot: Slot =
            match slots.get(slot.unwrap_or(0)) {
                Some(s) => *s,
                None => return Err(Problem::new(
                    "signing.no_token",
                    "Kaarti ei leitud: pane ID-kaart lugejasse (või vali õige pesa).",
                    "No card was found: put the ID-card in the reader (or choose the right slot).",
                )),
            };
        let session = ctx.open_ro_session(slot).map_err(|e| token_problem(&e))?;
        let pin = AuthPin::from(pin.to_string());
        session
            .login(UserType::User, Some(&pin))
            .map_err(|e| token_problem(&e))?;
        let no_key = || {
            Problem::new(
                "signing.no_key",
                "Kaardil ei ole allkirjastamise võtit ega sertifikaati.",
                "The card holds no signing key and certificate.",
            )
        };
        let keys = session
            .find_objects(&[
                Attribute::Class(ObjectClass::PRIVATE_KEY),
                Attribute::Sign(true),
            ])
            .map_err(|e| token_problem(&e))?;
        let certs = session
            .find_objects(&[
                Attribute::Class(ObjectClass::CERTIFICATE),
                Attribute::CertificateType(CertificateType::X_509),
            ])
            .map_err(|e| token_problem(&e))?;
        // The key and its certificate share CKA_ID.
        for key in keys {
            let attrs = session
                .get_attributes(
                    key,
                    &[
                        AttributeType::Id,
                        AttributeType::KeyType,
                        AttributeType::EcParams,
                    ],
                )
                .map_err(|e| token_problem(&e))?;
            let mut id = Vec::new();
            let mut key_type = None;
            let mut ec_params = Vec::new();
            for a in attrs {
                match a {
                    Attribute::Id(v) => id = v,
                    Attribute::KeyType(k) => key_type = Some(k),
                    Attribute::EcParams(p) => ec_params = p,
                    _ => {}
                }
            }
            let Some(key_type) = key_type else { continue };
            let algorithm_uri = if key_type == KeyType::EC {
                if ec_params == P384_OID {
                    xades::ns::ECDSA_SHA384
                } else if ec_params == P521_OID {
                    xades::ns::ECDSA_SHA512
                } else {
                    xades::ns::ECDSA_SHA256
                }
            } else if key_type == KeyType::RSA {
                xades::ns::RSA_SHA256
            } else {
                continue;
            };
            for cert in &certs {
                let attrs = session
                    .get_attributes(*cert, &[AttributeType::Id, AttributeType::Value])
                    .map_err(|e| token_problem(&e))?;
                let mut cert_id = Vec::new();
                let mut value = Vec::new();
                for a in attrs {
                    match a {
                        Attribute::Id(v) => cert_id = v,
                        Attribute::Value(v) => value = v,
                        _ => {}
                    }
                }
                if cert_id == id && !value.is_empty() {
                    return Ok(Self {
                        session,
                        key,
                        cert_der: value,
                        key_type,
                        algorithm_uri,
                        _ctx: ctx,
                        _one_at_a_time: guard,
                    });
                }
            }
        }
        Err(no_key())
    }

    pub fn certificate_der(&self) -> &[u8] {
        &self.cert_der
    }

    pub fn algorithm_uri(&self) -> &'static str {
        self.algorithm_uri
    }

    /// Sign a digest made with the algorithm's hash.
    fn sign_digest(&self, digest: &[u8]) -> Result<Vec<u8>, Problem> {
        if self.key_type == KeyType::EC {
            self.session
                .sign(&Mechanism::Ecdsa, self.key, digest)
                .map_err(|e| token_problem(&e))
        } else {
            let mut info = SHA256_DIGEST_INFO.to_vec();
            info.extend_from_slice(digest);
            self.session
                .sign(&Mechanism::RsaPkcs, self.key, &info)
                .map_err(|e| token_problem(&e))
        }
    }
}

/// Put `files` in an ASiC-E container signed at B level by the token; the claimed signing
/// time is `now`.
pub fn sign_container(
    signer: &TokenSigner,
    files: &[DataFile],
    now: DateTime<Utc>,
) -> Result<Vec<u8>, Problem> {
    sign_container_extending(signer, files, now, None).map(|s| s.container)
}

/// A signed container and, when the extension to LT was tried and failed, why: the B-level
/// container is kept and waits for confirmation.
#[derive(Debug, Clone)]
pub struct SignOutput {
    pub container: Vec<u8>,
    pub extension_error: Option<Problem>,
}

/// [`sign_container`], then extended to LT (time-stamp + OCSP) when `lt` is given. A failed
/// extension never loses the signature: the B-level container is returned with the reason.
pub fn sign_container_extending(
    signer: &TokenSigner,
    files: &[DataFile],
    now: DateTime<Utc>,
    lt: Option<&LtServices>,
) -> Result<SignOutput, Problem> {
    let (objects, options) = super::container::xades_input(files, now);
    let failed = |e: xades::LibError| {
        Problem::new(
            "signing.failed",
            "Allkirja ei saanud koostada.",
            "The signature could not be made.",
        )
        .with_detail(e.to_string())
    };
    let prepared =
        xades::prepare_signature(&objects, &signer.cert_der, signer.algorithm_uri, &options)
            .map_err(failed)?;
    let value = signer.sign_digest(&prepared.digest_to_sign)?;
    let signature = prepared.finalize(&value).map_err(failed)?;
    let b_level = signature.xml().to_string();
    let (xml, extension_error) = match lt {
        None => (b_level, None),
        Some(services) => match super::extend::extend_created(signature, services) {
            Ok(extended) => (extended.into_xml(), None),
            Err(p) => (b_level, Some(p)),
        },
    };
    let container = container::write(files, &xml).map_err(|e| {
        Problem::new(
            "signing.failed",
            "Allkirja konteinerit ei saanud koostada.",
            "The signature container could not be made.",
        )
        .with_detail(e.to_string())
    })?;
    Ok(SignOutput {
        container,
        extension_error,
    })
}
