//! Number blocks.

use super::*;

#[derive(Debug, Deserialize)]
pub(super) struct NumbersRequest {
    pub(super) kind: String,
    pub(super) count: i64,
}

pub(super) async fn numbers(
    Member { mut client, who }: Member,
    Json(req): Json<NumbersRequest>,
) -> ApiResult<Json<Value>> {
    if req.kind != "case" && req.kind != "decision" {
        return Err(ApiError::bad("kind must be case or decision"));
    }
    if !(1..=10_000).contains(&req.count) {
        return Err(ApiError::bad("count must be between 1 and 10000"));
    }
    let tx = begin(&mut client, &who).await?;
    let first: i64 = tx
        .query_one(
            "UPDATE number_counters SET next_number = next_number + $2 WHERE kind = $1
             RETURNING next_number - $2",
            &[&req.kind, &req.count],
        )
        .await?
        .get(0);
    let last = first + req.count - 1;
    tx.execute(
        "INSERT INTO number_blocks (kind, device_id, member_id, first_number, last_number)
         VALUES ($1, $2, $3, $4, $5)",
        &[&req.kind, &who.device_id, &who.member_id, &first, &last],
    )
    .await?;
    tx.commit().await?;
    info!(device_id = who.device_id, kind = %req.kind, count = req.count, "numbers reserved");
    Ok(Json(
        json!({"kind": req.kind, "first": first, "last": last}),
    ))
}
