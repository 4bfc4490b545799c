//! Health, join, me.

use super::*;

pub(super) async fn health(State(state): State<AppState>) -> Response {
    let ok = match state.pool.get().await {
        Ok(client) => client.simple_query("SELECT 1").await.is_ok(),
        Err(_) => false,
    };
    if ok {
        (StatusCode::OK, Json(json!({"status": "ok"}))).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "database unavailable"})),
        )
            .into_response()
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct JoinRequest {
    pub(super) code: String,
    pub(super) device_name: String,
}

pub(super) async fn join(
    State(state): State<AppState>,
    Json(req): Json<JoinRequest>,
) -> ApiResult<Json<Value>> {
    let device_name = req.device_name.trim();
    if device_name.is_empty() || device_name.chars().count() > 100 {
        return Err(ApiError::bad("device_name must be 1 to 100 characters"));
    }
    let token = secrets::new_device_token();
    let mut client = state.pool.get().await?;
    let tx = client.transaction().await?;
    act_as(&tx, None).await?;
    let row = tx
        .query_opt(
            "SELECT device_id, member_id, login, name, role FROM srt_join($1, $2, $3)",
            &[
                &secrets::code_hash(&req.code),
                &device_name,
                &secrets::token_hash(&token),
            ],
        )
        .await?;
    tx.commit().await?;
    let Some(row) = row else {
        info!("join refused");
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "join_code",
            "the join code is unknown, used or expired",
        ));
    };
    let device_id: i64 = row.get(0);
    let member_id: i64 = row.get(1);
    info!(device_id, member_id, "device joined");
    Ok(Json(json!({
        "token": token,
        "device_id": device_id,
        "member": {"id": member_id, "login": row.get::<_, String>(2),
                   "name": row.get::<_, String>(3), "role": row.get::<_, String>(4)},
    })))
}

pub(super) async fn me(Member { mut client, who }: Member) -> ApiResult<Json<Value>> {
    let tx = begin(&mut client, &who).await?;
    let row = tx
        .query_one(
            "SELECT login, name, role FROM members WHERE id = $1",
            &[&who.member_id],
        )
        .await?;
    let max_seq: i64 = tx.query_one("SELECT srt_max_seq()", &[]).await?.get(0);
    // What this device has already been given and has sent: a desk restored from an old backup
    // finds its own state behind these and takes the server's state first (docs/team-protocol.md).
    let pulled_seq: i64 = tx
        .query_one(
            "SELECT coalesce(max(next_seq), 0) FROM pull_audit WHERE device_id = $1",
            &[&who.device_id],
        )
        .await?
        .get(0);
    let audit = tx
        .query_opt(
            "SELECT seq, hash FROM team_audit WHERE device_id = $1 ORDER BY seq DESC LIMIT 1",
            &[&who.device_id],
        )
        .await?;
    let (audit_seq, audit_hash) = match audit {
        Some(r) => (r.get::<_, i64>(0), r.get::<_, String>(1)),
        None => (0, String::new()),
    };
    let writers: String = tx
        .query_opt(
            "SELECT value FROM settings WHERE key = 'team_data_writers'",
            &[],
        )
        .await?
        .map(|r| r.get(0))
        .unwrap_or_else(|| "lead".into());
    tx.commit().await?;
    Ok(Json(json!({
        "team_data_writers": writers,
        "device_id": who.device_id,
        "member": {"id": who.member_id, "login": row.get::<_, String>(0),
                   "name": row.get::<_, String>(1), "role": row.get::<_, String>(2)},
        "max_seq": max_seq,
        "pulled_seq": pulled_seq,
        "audit_seq": audit_seq,
        "audit_hash": audit_hash,
    })))
}
