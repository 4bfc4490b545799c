//! The service manager's rows for statistics: every case's rows that `stats` reads, without
//! personal data (the columns and masks are PostgreSQL's `manager_columns`, applied by
//! `srt_manager_rows` under the manager's own member id). Paged by the rows' last change.

use super::*;

#[derive(Debug, Deserialize)]
pub(super) struct ManagerQuery {
    #[serde(default)]
    pub(super) after: i64,
    pub(super) limit: Option<i64>,
}

pub(super) async fn manager_rows(
    Member { mut client, who }: Member,
    Query(q): Query<ManagerQuery>,
) -> ApiResult<Json<Value>> {
    if who.role != "manager" {
        return Err(ApiError::forbidden(
            "only the service manager gets the rows for statistics",
        ));
    }
    if q.after < 0 {
        return Err(ApiError::bad("after must be 0 or more"));
    }
    let limit = q.limit.unwrap_or(1000).clamp(1, MAX_PULL);
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .start()
        .await?;
    act_as(&tx, Some(who.member_id)).await?;
    let rows = tx
        .query(
            "SELECT tbl, id, case_id, data, deleted, last_seq, owner_id
             FROM srt_manager_rows($1, $2::integer)",
            &[&q.after, &(limit as i32)],
        )
        .await?;
    let more = rows.len() as i64 == limit;
    let snapshots: Vec<Value> = rows.iter().map(snapshot_json).collect();
    let next_seq: i64 = if more {
        rows.last().map(|r| r.get(5)).unwrap_or(q.after)
    } else {
        let max: i64 = tx.query_one("SELECT srt_max_seq()", &[]).await?.get(0);
        max.max(q.after)
    };
    audit_pull(&tx, &who, q.after, next_seq, [0, snapshots.len(), 0]).await?;
    tx.commit().await?;
    info!(
        device_id = who.device_id,
        after = q.after,
        next_seq,
        rows = snapshots.len(),
        "manager rows"
    );
    Ok(Json(json!({
        "changes": [],
        "snapshots": snapshots,
        "purges": [],
        "next_seq": next_seq,
        "more": more,
    })))
}
