//! The bytes of a document's file (`attachment.content`) travel apart from its row: the row goes
//! up and down with the other changes (name, type, size, SHA-256), the bytes through
//! `POST /v1/files` after the push and `GET /v1/files/{row id}` after the pull, one file per
//! request (at most 25 MiB each, base64 in JSON). A pull page of a 5 000-case first pull stays
//! the size of its rows whatever the files weigh, and a file whose bytes have not arrived yet is
//! fetched at the next sync (its row waits with empty bytes). See docs/team-protocol.md, "Files".

use base64::Engine;
use rusqlite::OptionalExtension;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::steps::{step, LocalSteps};
use super::SyncClient;
use crate::error::Result;

/// What the file transfer of one sync did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FileCounts {
    pub uploaded: usize,
    pub downloaded: usize,
    /// Files whose bytes the server does not have (yet): fetched at a later sync.
    pub waiting: usize,
}

/// Sends the bytes of every attachment this desk wrote whose row the server took.
pub(crate) fn upload<L: LocalSteps + ?Sized>(l: &L, client: &SyncClient) -> Result<usize> {
    let mut sent = 0;
    loop {
        let next: Option<(String, Option<Vec<u8>>)> = step(l, |d, _| {
            let conn = d.store.connection();
            Ok(conn
                .query_row(
                    "SELECT u.row_gid, a.content FROM sync_file_upload u
                     LEFT JOIN attachment a ON a.gid = u.row_gid ORDER BY u.row_gid LIMIT 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?)
        })?;
        let Some((gid, content)) = next else {
            return Ok(sent);
        };
        if let Some(bytes) = content {
            let body = json!({
                "row_id": gid,
                "content_b64": base64::engine::general_purpose::STANDARD.encode(&bytes),
            });
            match client.post_json("/v1/files", &body) {
                Ok(_) => sent += 1,
                // The server does not hold the row (the push of it was refused): nothing to
                // send it with; the refusal is in sync_rejected.
                Err(e) if e.code == "sync.not_found" => {
                    tracing::warn!(
                        code = e.code,
                        "file not taken: its row is not on the server"
                    )
                }
                Err(e) => return Err(e.into()),
            }
        }
        step(l, |d, _| {
            d.store
                .connection()
                .execute("DELETE FROM sync_file_upload WHERE row_gid = ?1", [&gid])?;
            Ok(())
        })?;
    }
}

/// Fetches the bytes of every attachment on this desk that came without them, checks each
/// against its SHA-256 and stores it (capture off: the bytes are not a change of this desk).
pub(crate) fn download<L: LocalSteps + ?Sized>(l: &L, client: &SyncClient) -> Result<FileCounts> {
    let mut counts = FileCounts::default();
    let missing: Vec<(String, String)> = step(l, |d, _| {
        Ok(d.store
            .connection()
            .prepare(
                "SELECT gid, sha256 FROM attachment
                 WHERE gid IS NOT NULL AND size > 0 AND length(content) = 0 ORDER BY id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    })?;
    for (gid, sha) in missing {
        let reply = match client.get_json(&format!("/v1/files/{gid}")) {
            Ok(reply) => reply,
            Err(e) if e.code == "sync.not_found" => {
                counts.waiting += 1;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(reply["content_b64"].as_str().unwrap_or(""))
            .unwrap_or_default();
        if hex::encode(Sha256::digest(&bytes)) != sha {
            tracing::warn!("a file's bytes did not match its SHA-256: left for the next sync");
            counts.waiting += 1;
            continue;
        }
        step(l, |d, _| {
            let tx = d.store.connection_mut().transaction()?;
            tx.execute("UPDATE sync_state SET capturing = 0 WHERE id = 1", [])?;
            tx.execute(
                "UPDATE attachment SET content = ?1 WHERE gid = ?2 AND length(content) = 0",
                rusqlite::params![bytes, gid],
            )?;
            tx.execute("UPDATE sync_state SET capturing = 1 WHERE id = 1", [])?;
            tx.commit()?;
            Ok(())
        })?;
        counts.downloaded += 1;
    }
    Ok(counts)
}
