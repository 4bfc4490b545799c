//! Join codes, device tokens and the audit chain's hash. Only SHA-256 hashes of codes and tokens
//! are stored; the plain values are shown once (the code to the lead, the token to the desk).

use sha2::{Digest, Sha256};

/// Letters and digits that cannot be mistaken for each other when read aloud or typed
/// (no 0/O, 1/I).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).expect("the operating system's random source");
    buf
}

/// A one-time join code: 16 characters (80 bits) in four groups, e.g. `K7QM-2XHD-PW9A-RT4C`.
pub fn new_join_code() -> String {
    let bytes = random_bytes::<16>();
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| CODE_ALPHABET[(*b as usize) % CODE_ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The code as typed (any case, with or without dashes or spaces) reduced to its characters.
pub fn normalize_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

pub fn code_hash(code: &str) -> String {
    sha256_hex(normalize_code(code).as_bytes())
}

/// A device token: 256 random bits.
pub fn new_device_token() -> String {
    format!("srt1_{}", hex::encode(random_bytes::<32>()))
}

pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// The previous hash of a device's first audit entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One link of a device's audit chain: sha256_hex(prev_hash || payload).
pub fn chain_hash(prev_hash: &str, payload: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(payload.as_bytes());
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalized_before_hashing() {
        let code = new_join_code();
        assert_eq!(code.len(), 19);
        assert_eq!(
            code_hash(&code),
            code_hash(&code.to_lowercase().replace('-', " "))
        );
        assert_ne!(code_hash(&code), code_hash(&new_join_code()));
    }

    #[test]
    fn chain_hash_depends_on_both_parts() {
        let a = chain_hash(GENESIS_HASH, "x");
        assert_ne!(a, chain_hash(GENESIS_HASH, "y"));
        assert_ne!(a, chain_hash(&a, "x"));
    }
}
