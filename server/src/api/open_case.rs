//! Opening a colleague's case for the day with a stated reason (docs/team-protocol.md).

use super::*;

#[derive(Debug, Deserialize)]
pub(super) struct OpenCaseRequest {
    pub(super) case_no: String,
    pub(super) reason: String,
}

/// The shortest reason taken (characters, after trimming).
pub(super) const MIN_REASON: usize = 10;

pub(super) async fn open_case(
    Member { mut client, who }: Member,
    Json(req): Json<OpenCaseRequest>,
) -> ApiResult<Json<Value>> {
    let reason = req.reason.trim();
    if reason.chars().count() < MIN_REASON {
        return Err(ApiError::bad(
            "a reason of at least 10 characters is required to open a colleague's case",
        ));
    }
    let tx = begin(&mut client, &who).await?;
    let case: Option<Uuid> = tx
        .query_one(
            "SELECT srt_open_case($1, $2, $3)",
            &[&req.case_no.trim(), &reason, &who.device_id],
        )
        .await?
        .get(0);
    let Some(case) = case else {
        return Err(ApiError::not_found("no team case with this number"));
    };
    tx.commit().await?;
    info!(device_id = who.device_id, member_id = who.member_id, case_id = %case, "case opened with a reason");
    Ok(Json(json!({"case_id": case})))
}
