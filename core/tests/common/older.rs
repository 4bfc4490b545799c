//! A desk as earlier versions of SRT Desk wrote it: an older schema, SQLCipher 4's default page
//! format (HMAC-SHA512), one synthetic case. Shared by the store tests and by
//! `examples/older_desk.rs`, which writes one for the end-to-end test of the upgrade at unlock.

use srt_core::store::key::{DbKey, KeyInfo, KeySourceKind, WrappedKey, KEY_INFO_FORMAT};
use srt_core::store::migrate;

pub const CHILD_CODE: &str = "61303150029";

/// Write the desk at `path` with its key file; the key is `key`, kept as `key_source` says.
pub fn write_older_desk(
    path: &std::path::Path,
    version: usize,
    key: &DbKey,
    key_source: KeySourceKind,
    wrapped: Option<WrappedKey>,
) {
    let keyring = key_source == KeySourceKind::Keyring;
    let info = KeyInfo {
        format: KEY_INFO_FORMAT.into(),
        desk_id: format!("old{version}"),
        key_source,
        keyring_service: keyring.then(|| "srt-desk-tests".into()),
        keyring_entry: keyring.then(|| format!("old{version}")),
        wrapped,
        key_check: key.check_value(),
        recovery: None,
    };
    info.save(path, true).expect("key info");
    let mut conn = rusqlite::Connection::open(path).expect("open");
    conn.pragma_update(None, "key", format!("x'{}'", hex::encode(key.as_bytes())))
        .expect("key");
    // Earlier versions wrote SQLCipher 4's default page format.
    conn.pragma_update(None, "cipher_hmac_algorithm", "HMAC_SHA512")
        .expect("older page format");
    migrate::migrations()
        .to_version(&mut conn, version)
        .expect("old schema");
    conn.execute_batch(&format!(
        "INSERT INTO meta VALUES ('desk_id', 'old{version}', 'x', 'x');
         INSERT INTO child (id, first_name, last_name, personal_code, birth_date, sex, created_at, updated_at)
           VALUES (1, 'Vana', 'Õunapuu', '{CHILD_CODE}', '2013-03-15', 'female', 'x', 'x');
         INSERT INTO srt_case (id, case_no, child_id, status, route_kind, severity, application_date,
           channel, created_at, updated_at)
           VALUES (1, 'SRT-2025-00001', 1, 'received', 'disability', 'severe', '2025-01-10', 'post', 'x', 'x');"
    ))
    .expect("old data");
    if version >= 2 {
        // From version 2 on, the app kept the search index itself.
        conn.execute_batch(&format!(
            "INSERT INTO case_search (rowid, body) VALUES (1, 'Vana Õunapuu {CHILD_CODE} SRT-2025-00001');"
        ))
        .expect("old index");
    }
}
