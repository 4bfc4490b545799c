//! Audit upload.

use super::*;

#[derive(Debug, Deserialize)]
pub(super) struct AuditEntry {
    pub(super) seq: i64,
    pub(super) prev_hash: String,
    pub(super) hash: String,
    pub(super) payload: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct AuditRequest {
    pub(super) entries: Vec<AuditEntry>,
}

pub(super) async fn audit_upload(
    Member { mut client, who }: Member,
    Json(req): Json<AuditRequest>,
) -> ApiResult<Json<Value>> {
    let tx = begin(&mut client, &who).await?;
    tx.execute(
        "SELECT pg_advisory_xact_lock(2800002, $1::int)",
        &[&(who.device_id as i32)],
    )
    .await?;
    let last = tx
        .query_opt(
            "SELECT seq, hash FROM team_audit WHERE device_id = $1 ORDER BY seq DESC LIMIT 1",
            &[&who.device_id],
        )
        .await?;
    let (mut last_seq, mut last_hash) = match last {
        Some(r) => (r.get::<_, i64>(0), r.get::<_, String>(1)),
        None => (0, secrets::GENESIS_HASH.to_string()),
    };
    let (mut stored, mut known) = (0, 0);
    for e in &req.entries {
        if e.seq <= last_seq {
            // Sent before (a repeated upload): it must be the same entry.
            let same = tx
                .query_opt(
                    "SELECT 1 FROM team_audit WHERE device_id = $1 AND seq = $2 AND hash = $3",
                    &[&who.device_id, &e.seq, &e.hash],
                )
                .await?
                .is_some();
            if !same {
                return Err(chain_broken(
                    &who,
                    e.seq,
                    "differs from the entry received before",
                ));
            }
            known += 1;
            continue;
        }
        if e.seq != last_seq + 1 {
            return Err(chain_broken(
                &who,
                e.seq,
                "does not follow the last entry received",
            ));
        }
        if e.prev_hash != last_hash {
            return Err(chain_broken(&who, e.seq, "names another previous hash"));
        }
        if secrets::chain_hash(&e.prev_hash, &e.payload) != e.hash {
            return Err(chain_broken(
                &who,
                e.seq,
                "hash does not match its contents",
            ));
        }
        tx.execute(
            "INSERT INTO team_audit (device_id, seq, member_id, prev_hash, hash, payload)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &who.device_id,
                &e.seq,
                &who.member_id,
                &e.prev_hash,
                &e.hash,
                &e.payload,
            ],
        )
        .await?;
        last_seq = e.seq;
        last_hash = e.hash.clone();
        stored += 1;
    }
    tx.commit().await?;
    info!(
        device_id = who.device_id,
        stored, known, last_seq, "audit received"
    );
    Ok(Json(
        json!({"stored": stored, "known": known, "last_seq": last_seq}),
    ))
}

pub(super) fn chain_broken(who: &Who, seq: i64, why: &str) -> ApiError {
    warn!(device_id = who.device_id, seq, "audit chain refused");
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "audit_chain_broken",
        format!("audit entry {seq} {why}"),
    )
}
