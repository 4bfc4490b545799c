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
    // The chain is checked in memory and written in one statement; the entries sent before (a
    // repeated upload) are compared with the stored ones read in one query.
    let repeated: Vec<i64> = req
        .entries
        .iter()
        .filter(|e| e.seq <= last_seq)
        .map(|e| e.seq)
        .collect();
    let stored_hashes: std::collections::HashMap<i64, String> = if repeated.is_empty() {
        Default::default()
    } else {
        tx.query(
            "SELECT seq, hash FROM team_audit WHERE device_id = $1 AND seq = ANY($2)",
            &[&who.device_id, &repeated],
        )
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
    };
    let (mut stored, mut known) = (0, 0);
    let mut new: Vec<&AuditEntry> = Vec::new();
    for e in &req.entries {
        if e.seq <= last_seq {
            // Sent before (a repeated upload): it must be the same entry.
            let before = stored_hashes
                .get(&e.seq)
                .map(String::as_str)
                .or_else(|| new.iter().find(|n| n.seq == e.seq).map(|n| n.hash.as_str()));
            if before != Some(e.hash.as_str()) {
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
        new.push(e);
        last_seq = e.seq;
        last_hash = e.hash.clone();
        stored += 1;
    }
    if !new.is_empty() {
        let seqs: Vec<i64> = new.iter().map(|e| e.seq).collect();
        let prev: Vec<&str> = new.iter().map(|e| e.prev_hash.as_str()).collect();
        let hashes: Vec<&str> = new.iter().map(|e| e.hash.as_str()).collect();
        let payloads: Vec<&str> = new.iter().map(|e| e.payload.as_str()).collect();
        tx.execute(
            "INSERT INTO team_audit (device_id, seq, member_id, prev_hash, hash, payload)
             SELECT $1::bigint, u.s, $2::bigint, u.p, u.h, u.d
             FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[]) AS u(s, p, h, d)",
            &[
                &who.device_id,
                &who.member_id,
                &seqs,
                &prev,
                &hashes,
                &payloads,
            ],
        )
        .await?;
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
