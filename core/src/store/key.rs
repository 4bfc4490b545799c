//! The database key: 32 random bytes, kept in the OS credential store or wrapped by a passphrase
//! (Argon2id + XChaCha20-Poly1305). The key information file beside the database says which.

use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Error, Result};

/// The service name under which SRT Desk keeps keys in the OS credential store.
pub const KEYRING_SERVICE: &str = "SRT Desk";
/// The shortest passphrase accepted.
pub const MIN_PASSPHRASE_LEN: usize = 10;

/// A 256-bit SQLCipher key; wiped from memory when dropped.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DbKey([u8; 32]);

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(..)")
    }
}

impl DbKey {
    pub fn random() -> Result<Self> {
        let mut k = [0u8; 32];
        getrandom::fill(&mut k).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        Ok(Self(k))
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let arr: [u8; 32] = bytes.try_into().ok()?;
        Some(Self(arr))
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// `PRAGMA key` argument for a raw key, so SQLCipher runs no key derivation at open.
    pub(crate) fn pragma_value(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex::encode(self.0)))
    }

    /// A public fingerprint that tells whether a key belongs to a database without trying it.
    pub fn check_value(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"srt-desk/key-check/v1");
        h.update(self.0);
        hex::encode(&h.finalize()[..16])
    }
}

/// Where database keys are kept. The app uses the OS credential store; tests of the same path
/// use the real Secret Service, and [`MemoryKeyStore`] where no store is wanted.
pub trait KeyStore: Send + Sync {
    /// A name for messages, e.g. "OS credential store".
    fn describe(&self) -> String;
    fn get(&self, entry: &str) -> Result<Option<DbKey>>;
    fn set(&self, entry: &str, key: &DbKey) -> Result<()>;
    fn delete(&self, entry: &str) -> Result<()>;
    /// Whether the store can be used at all on this machine right now.
    fn available(&self) -> bool;
    /// A password kept for the desk (the SMTP server's); stores that keep only keys have none.
    fn get_password(&self, _entry: &str) -> Result<Option<Zeroizing<String>>> {
        Ok(None)
    }
    fn set_password(&self, _entry: &str, _password: &str) -> Result<()> {
        Err(Error::KeyStoreUnavailable(self.describe()))
    }
}

/// The OS credential store through `keyring`: Windows Credential Manager, macOS Keychain,
/// Secret Service on Linux.
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self {
            service: KEYRING_SERVICE.to_string(),
        }
    }
}

impl KeyringStore {
    pub fn new(service: &str) -> Self {
        Self {
            service: service.to_string(),
        }
    }

    fn entry(&self, entry: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, entry).map_err(map_keyring_error)
    }
}

fn map_keyring_error(e: keyring::Error) -> Error {
    Error::KeyStoreUnavailable(e.to_string())
}

impl KeyStore for KeyringStore {
    fn describe(&self) -> String {
        format!("OS credential store, service \"{}\"", self.service)
    }

    fn get(&self, entry: &str) -> Result<Option<DbKey>> {
        match self.entry(entry)?.get_secret() {
            Ok(secret) => {
                let secret = Zeroizing::new(secret);
                DbKey::from_bytes(&secret).map(Some).ok_or(Error::WrongKey)
            }
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring_error(e)),
        }
    }

    fn set(&self, entry: &str, key: &DbKey) -> Result<()> {
        self.entry(entry)?
            .set_secret(key.as_bytes())
            .map_err(map_keyring_error)
    }

    fn delete(&self, entry: &str) -> Result<()> {
        match self.entry(entry)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring_error(e)),
        }
    }

    fn get_password(&self, entry: &str) -> Result<Option<Zeroizing<String>>> {
        match self.entry(entry)?.get_password() {
            Ok(p) => Ok(Some(Zeroizing::new(p))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring_error(e)),
        }
    }

    fn set_password(&self, entry: &str, password: &str) -> Result<()> {
        self.entry(entry)?
            .set_password(password)
            .map_err(map_keyring_error)
    }

    fn available(&self) -> bool {
        match self.entry("srt-desk-availability-probe") {
            Ok(e) => matches!(e.get_secret(), Ok(_) | Err(keyring::Error::NoEntry)),
            Err(_) => false,
        }
    }
}

/// An in-process key store, for tests that are not about the credential store itself. Clones
/// share their entries, like two handles on one credential store.
#[derive(Debug, Default, Clone)]
pub struct MemoryKeyStore {
    keys: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, DbKey>>>,
    passwords: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, String>>>,
}

impl KeyStore for MemoryKeyStore {
    fn describe(&self) -> String {
        "in-memory key store".into()
    }
    fn get(&self, entry: &str) -> Result<Option<DbKey>> {
        Ok(self
            .keys
            .lock()
            .map(|k| k.get(entry).cloned())
            .unwrap_or(None))
    }
    fn set(&self, entry: &str, key: &DbKey) -> Result<()> {
        if let Ok(mut k) = self.keys.lock() {
            k.insert(entry.to_string(), key.clone());
        }
        Ok(())
    }
    fn delete(&self, entry: &str) -> Result<()> {
        if let Ok(mut k) = self.keys.lock() {
            k.remove(entry);
        }
        Ok(())
    }
    fn available(&self) -> bool {
        true
    }
    fn get_password(&self, entry: &str) -> Result<Option<Zeroizing<String>>> {
        Ok(self
            .passwords
            .lock()
            .map(|k| k.get(entry).cloned().map(Zeroizing::new))
            .unwrap_or(None))
    }
    fn set_password(&self, entry: &str, password: &str) -> Result<()> {
        if let Ok(mut k) = self.passwords.lock() {
            k.insert(entry.to_string(), password.to_string());
        }
        Ok(())
    }
}

/// Argon2id cost parameters, stored with the salt so that they can be raised later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for KdfParams {
    /// Tuned to about half a second on the project's 2-core machines (`srt-admin bench-kdf`,
    /// release build: 128 MiB and 3 passes took 0.34 s, so 5 passes give about 0.5 s).
    fn default() -> Self {
        Self {
            memory_kib: 128 * 1024,
            iterations: 5,
            parallelism: 1,
        }
    }
}

impl KdfParams {
    /// Cheap parameters for tests that are not about the key derivation's cost.
    pub fn fast_for_tests() -> Self {
        Self {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
        }
    }

    fn derive(&self, passphrase: &str, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
        let params =
            argon2::Params::new(self.memory_kib, self.iterations, self.parallelism, Some(32))
                .map_err(|e| Error::Migration(format!("bad KDF parameters: {e}")))?;
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut out = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
            .map_err(|e| Error::Migration(format!("key derivation failed: {e}")))?;
        Ok(out)
    }
}

/// The key wrapped by a passphrase.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WrappedKey {
    pub kdf: String,
    pub params: KdfParams,
    pub salt: String,
    pub cipher: String,
    pub nonce: String,
    pub ciphertext: String,
}

/// A key-encryption key derived from a passphrase, kept (zeroized on drop) so that many keys can
/// be wrapped without deriving again — the daily automatic backups use one.
#[derive(Clone, Serialize, Deserialize)]
pub struct Kek {
    pub params: KdfParams,
    pub salt: String,
    key: String,
}

impl Drop for Kek {
    fn drop(&mut self) {
        self.key.zeroize();
    }
}

impl std::fmt::Debug for Kek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Kek(…)")
    }
}

impl Kek {
    /// Derive with a new random salt.
    pub fn derive(passphrase: &str, params: KdfParams) -> Result<Self> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        let key = params.derive(passphrase, &salt)?;
        Ok(Self {
            params,
            salt: hex::encode(salt),
            key: hex::encode(key.as_ref()),
        })
    }

    fn bytes(&self) -> Result<Zeroizing<[u8; 32]>> {
        let mut out = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(&self.key, out.as_mut())
            .map_err(|_| Error::Io(std::io::Error::other("damaged key-encryption key")))?;
        Ok(out)
    }
}

impl WrappedKey {
    pub fn wrap(key: &DbKey, passphrase: &str, params: KdfParams) -> Result<Self> {
        Self::wrap_with(key, &Kek::derive(passphrase, params)?)
    }

    /// Wrap under an already derived key-encryption key (a fresh nonce each time).
    pub fn wrap_with(key: &DbKey, kek: &Kek) -> Result<Self> {
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        let kek_bytes = kek.bytes()?;
        let cipher = XChaCha20Poly1305::new(kek_bytes.as_ref().into());
        let ct = cipher
            .encrypt(XNonce::from_slice(&nonce), key.as_bytes().as_slice())
            .map_err(|_| Error::WrongPassphrase)?;
        Ok(Self {
            kdf: "argon2id-v19".into(),
            params: kek.params,
            salt: kek.salt.clone(),
            cipher: "xchacha20poly1305".into(),
            nonce: hex::encode(nonce),
            ciphertext: hex::encode(ct),
        })
    }

    /// Unwrap with the passphrase; a wrong passphrase fails the authentication tag.
    pub fn unwrap_key(&self, passphrase: &str, path: &Path) -> Result<DbKey> {
        let corrupt = || Error::KeyInfoCorrupt(path.to_path_buf());
        if self.kdf != "argon2id-v19" || self.cipher != "xchacha20poly1305" {
            return Err(corrupt());
        }
        let salt = hex::decode(&self.salt).map_err(|_| corrupt())?;
        let nonce = hex::decode(&self.nonce).map_err(|_| corrupt())?;
        let ct = hex::decode(&self.ciphertext).map_err(|_| corrupt())?;
        if nonce.len() != 24 {
            return Err(corrupt());
        }
        let kek = self.params.derive(passphrase, &salt)?;
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let plain = Zeroizing::new(
            cipher
                .decrypt(XNonce::from_slice(&nonce), ct.as_slice())
                .map_err(|_| Error::WrongPassphrase)?,
        );
        DbKey::from_bytes(&plain).ok_or_else(corrupt)
    }
}

/// How the key of a database is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeySourceKind {
    Keyring,
    Passphrase,
}

impl KeySourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            KeySourceKind::Keyring => "keyring",
            KeySourceKind::Passphrase => "passphrase",
        }
    }
}

/// The key information file (`<database>.key`), written beside the database. It holds no secret:
/// the name of the credential-store entry, or the passphrase-wrapped key, and a key fingerprint.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyInfo {
    pub format: String,
    pub desk_id: String,
    pub key_source: KeySourceKind,
    pub keyring_service: Option<String>,
    pub keyring_entry: Option<String>,
    pub wrapped: Option<WrappedKey>,
    pub key_check: String,
    /// The key wrapped by the recovery code shown once at setup; absent in files from before
    /// recovery codes existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<WrappedKey>,
}

pub const KEY_INFO_FORMAT: &str = "srt-desk-key/1";

impl KeyInfo {
    pub fn path_for(db: &Path) -> PathBuf {
        super::with_suffix(db, ".key")
    }

    pub fn load(db: &Path) -> Result<Self> {
        let path = Self::path_for(db);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::KeyInfoMissing(path))
            }
            Err(e) => return Err(Error::Io(e)),
        };
        let info: KeyInfo =
            serde_json::from_str(&text).map_err(|_| Error::KeyInfoCorrupt(path.clone()))?;
        if info.format != KEY_INFO_FORMAT {
            return Err(Error::KeyInfoCorrupt(path));
        }
        Ok(info)
    }

    /// Write atomically (temporary file, then rename), so a crash never leaves half a file.
    pub fn save(&self, db: &Path, create_new: bool) -> Result<()> {
        use std::io::Write;
        let path = Self::path_for(db);
        let json = serde_json::to_string_pretty(self)
            .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        let tmp = super::with_suffix(&path, ".tmp");
        {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(json.as_bytes())?;
            f.sync_all()?;
        }
        if create_new && path.exists() {
            let _ = std::fs::remove_file(&tmp);
            return Err(Error::DbExists(path));
        }
        std::fs::rename(&tmp, &path)?;
        Ok(())
    }

    /// Obtain the key from its store or by the passphrase, and check that it is this database's.
    pub fn obtain_key(
        &self,
        db: &Path,
        store: &dyn KeyStore,
        passphrase: Option<&str>,
    ) -> Result<DbKey> {
        let key = match self.key_source {
            KeySourceKind::Keyring => {
                let entry = self
                    .keyring_entry
                    .as_deref()
                    .ok_or_else(|| Error::KeyInfoCorrupt(Self::path_for(db)))?;
                store.get(entry)?.ok_or_else(|| Error::KeyNotFound {
                    store: store.describe(),
                    entry: entry.to_string(),
                })?
            }
            KeySourceKind::Passphrase => {
                let pw = passphrase.ok_or(Error::PassphraseRequired)?;
                self.wrapped
                    .as_ref()
                    .ok_or_else(|| Error::KeyInfoCorrupt(Self::path_for(db)))?
                    .unwrap_key(pw, &Self::path_for(db))?
            }
        };
        if key.check_value() != self.key_check {
            return Err(Error::WrongKey);
        }
        Ok(key)
    }
}

pub fn validate_new_passphrase(passphrase: &str, confirm: Option<&str>) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE_LEN {
        return Err(Error::Validation(vec![crate::error::FieldError::new(
            "passphrase",
            "key.passphrase_too_short",
            &format!("Parool peab olema vähemalt {MIN_PASSPHRASE_LEN} märki pikk."),
            &format!("The passphrase must be at least {MIN_PASSPHRASE_LEN} characters long."),
        )]));
    }
    if let Some(c) = confirm {
        if c != passphrase {
            return Err(Error::Validation(vec![crate::error::FieldError::new(
                "confirm",
                "key.passphrase_mismatch",
                "Paroolid ei ühti.",
                "The passphrases do not match.",
            )]));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_key_opens_only_with_its_passphrase() {
        let key = DbKey::random().expect("rng");
        let w = WrappedKey::wrap(&key, "correct horse battery", KdfParams::fast_for_tests())
            .expect("wrap");
        let p = Path::new("x.key");
        let back = w.unwrap_key("correct horse battery", p).expect("unwrap");
        assert_eq!(back.as_bytes(), key.as_bytes());
        assert!(matches!(
            w.unwrap_key("wrong horse battery", p),
            Err(Error::WrongPassphrase)
        ));
    }

    #[test]
    fn key_fingerprint_differs_between_keys_and_hides_the_key() {
        let a = DbKey::random().expect("rng");
        let b = DbKey::random().expect("rng");
        assert_ne!(a.check_value(), b.check_value());
        assert!(!a.check_value().contains(&hex::encode(&a.as_bytes()[..8])));
    }

    #[test]
    fn short_or_unmatched_passphrases_are_refused_with_field_errors() {
        assert!(
            matches!(validate_new_passphrase("short", None), Err(Error::Validation(f)) if f[0].field == "passphrase")
        );
        assert!(
            matches!(validate_new_passphrase("long enough pass", Some("other")), Err(Error::Validation(f)) if f[0].field == "confirm")
        );
        assert!(validate_new_passphrase("long enough pass", Some("long enough pass")).is_ok());
    }
}

// --- Recovery codes ---

/// Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or copied by hand survives.
const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a recovery code: 20 × 5 bits = 100 bits, behind Argon2id.
const RECOVERY_LEN: usize = 20;

/// A new recovery code, shown as five groups of four ("7K2M-…").
pub fn new_recovery_code() -> Result<Zeroizing<String>> {
    let mut bytes = Zeroizing::new([0u8; RECOVERY_LEN]);
    getrandom::fill(bytes.as_mut()).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    let mut code = Zeroizing::new(String::with_capacity(RECOVERY_LEN + 4));
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        code.push(char::from(RECOVERY_ALPHABET[usize::from(b & 31)]));
    }
    Ok(code)
}

/// A typed recovery code in its canonical form (upper case, no separators, O→0, I/L→1), or None
/// when it cannot be one.
pub fn normalize_recovery_code(typed: &str) -> Option<Zeroizing<String>> {
    let mut out = Zeroizing::new(String::with_capacity(RECOVERY_LEN));
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' | '\t' | '\u{a0}' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !RECOVERY_ALPHABET.contains(&(c as u8)) {
            return None;
        }
        out.push(c);
    }
    (out.len() == RECOVERY_LEN).then_some(out)
}

/// The error for a recovery code that is malformed or does not unwrap the key.
pub fn wrong_recovery_code() -> Error {
    Error::Validation(vec![crate::error::FieldError::new(
        "recoveryCode",
        "key.wrong_recovery_code",
        "Taastekood ei sobi. Kontrolli koodi (20 märki, näiteks 7K2M-…) ja proovi uuesti.",
        "The recovery code does not match. Check the code (20 characters, e.g. 7K2M-…) and try again.",
    )])
}

impl KeyInfo {
    /// The key information for a new database (or a restored one) under `new_key`, with a new
    /// recovery code; the code is returned once and never stored in clear.
    pub fn for_new_key(
        desk_id: &str,
        key: &DbKey,
        new_key: &super::NewKey,
        keys: &dyn KeyStore,
    ) -> Result<(Self, Zeroizing<String>)> {
        let code = new_recovery_code()?;
        let canonical = normalize_recovery_code(&code).ok_or_else(wrong_recovery_code)?;
        let (params, info) = match new_key {
            super::NewKey::Keyring { recovery_params } => {
                let entry = format!("database-key-{desk_id}");
                keys.set(&entry, key)?;
                (
                    *recovery_params,
                    KeyInfo {
                        format: KEY_INFO_FORMAT.into(),
                        desk_id: desk_id.to_string(),
                        key_source: KeySourceKind::Keyring,
                        keyring_service: Some(keys.describe()),
                        keyring_entry: Some(entry),
                        wrapped: None,
                        key_check: key.check_value(),
                        recovery: None,
                    },
                )
            }
            super::NewKey::Passphrase { passphrase, params } => {
                validate_new_passphrase(passphrase, None)?;
                (
                    *params,
                    KeyInfo {
                        format: KEY_INFO_FORMAT.into(),
                        desk_id: desk_id.to_string(),
                        key_source: KeySourceKind::Passphrase,
                        keyring_service: None,
                        keyring_entry: None,
                        wrapped: Some(WrappedKey::wrap(key, passphrase, *params)?),
                        key_check: key.check_value(),
                        recovery: None,
                    },
                )
            }
        };
        let info = KeyInfo {
            recovery: Some(WrappedKey::wrap(key, &canonical, params)?),
            ..info
        };
        Ok((info, code))
    }

    /// The key unwrapped by the recovery code, checked against this database's fingerprint.
    pub fn key_from_recovery(&self, db: &Path, typed: &str) -> Result<DbKey> {
        let wrapped = self.recovery.as_ref().ok_or(Error::NoRecoveryCode)?;
        let canonical = normalize_recovery_code(typed).ok_or_else(wrong_recovery_code)?;
        let key = wrapped
            .unwrap_key(&canonical, &Self::path_for(db))
            .map_err(|e| match e {
                Error::WrongPassphrase => wrong_recovery_code(),
                other => other,
            })?;
        if key.check_value() != self.key_check {
            return Err(Error::WrongKey);
        }
        Ok(key)
    }
}

#[cfg(test)]
mod recovery_tests {
    use super::*;

    #[test]
    fn codes_are_twenty_crockford_characters_in_groups() {
        let code = new_recovery_code().expect("code");
        assert_eq!(code.len(), 24);
        assert_eq!(code.matches('-').count(), 4);
        let canonical = normalize_recovery_code(&code).expect("normalizes");
        assert_eq!(canonical.len(), 20);
        assert_ne!(
            *new_recovery_code().expect("code"),
            *code,
            "codes are random"
        );
    }

    #[test]
    fn typing_variants_are_forgiven_and_garbage_is_refused() {
        let canonical = normalize_recovery_code("0123-4567-89AB-CDEF-GHJK").expect("ok");
        for typed in [
            "0123 4567 89ab cdef ghjk",
            "O123-4567-89AB-CDEF-GHJK",
            "0123456789abcdefghjk",
            " 0123-4567-89AB-CDEF-GHJK\t",
        ] {
            assert_eq!(*normalize_recovery_code(typed).expect(typed), *canonical);
        }
        assert_eq!(
            *normalize_recovery_code("I1L1-0000-0000-0000-0000").expect("ok"),
            "11110000000000000000"
        );
        for bad in [
            "",
            "0123-4567",
            "0123-4567-89AB-CDEF-GHJKM",
            "0123-4567-89AB-CDEF-GHJU",
            "õõõõ-4567-89AB-CDEF-GHJK",
        ] {
            assert!(normalize_recovery_code(bad).is_none(), "{bad}");
        }
    }
}
