//! A document's file: its bytes travel apart from its row (docs/team-protocol.md, "Files").

use base64::Engine;
use sha2::{Digest, Sha256};

use super::*;

#[derive(Debug, Deserialize)]
pub(super) struct FileUpload {
    pub(super) row_id: Uuid,
    pub(super) content_b64: String,
}

/// `POST /v1/files`: the bytes of an attachment row the server holds and the member may see,
/// checked against the row's SHA-256. Sending them again is harmless.
pub(super) async fn file_upload(
    Member { mut client, who }: Member,
    Json(req): Json<FileUpload>,
) -> ApiResult<Json<Value>> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(req.content_b64.as_bytes())
        .map_err(|_| ApiError::bad("content_b64 is not base64"))?;
    let tx = begin(&mut client, &who).await?;
    // Row-level security: only a row of a case in the member's scope is found.
    let row = tx
        .query_opt(
            "SELECT case_id, data->>'sha256' FROM shared_rows
             WHERE tbl = 'attachment' AND id = $1 AND NOT deleted",
            &[&req.row_id],
        )
        .await?;
    let Some(row) = row else {
        return Err(ApiError::not_found("no such attachment row in scope"));
    };
    let case: Option<Uuid> = row.get(0);
    let sha: Option<String> = row.get(1);
    let (Some(case), Some(sha)) = (case, sha) else {
        return Err(ApiError::bad("the attachment row has no case or no sha256"));
    };
    if hex::encode(Sha256::digest(&bytes)) != sha {
        return Err(ApiError::bad("the bytes do not match the row's sha256"));
    }
    let stored = tx
        .execute(
            "INSERT INTO files (row_id, case_id, sha256, bytes, member_id)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (row_id) DO NOTHING",
            &[&req.row_id, &case, &sha, &bytes, &who.member_id],
        )
        .await?;
    tx.commit().await?;
    info!(
        device_id = who.device_id,
        bytes = bytes.len(),
        stored,
        "file upload"
    );
    Ok(Json(json!({"row_id": req.row_id, "stored": stored == 1})))
}

/// `GET /v1/files/{row_id}`: the bytes, when the member may see the row's case.
pub(super) async fn file_download(
    Member { mut client, who }: Member,
    Path(row_id): Path<Uuid>,
) -> ApiResult<Json<Value>> {
    let tx = begin(&mut client, &who).await?;
    let row = tx
        .query_opt(
            "SELECT sha256, bytes FROM files WHERE row_id = $1",
            &[&row_id],
        )
        .await?;
    tx.commit().await?;
    let Some(row) = row else {
        return Err(ApiError::not_found("no file for this row in scope"));
    };
    let sha: String = row.get(0);
    let bytes: Vec<u8> = row.get(1);
    info!(
        device_id = who.device_id,
        bytes = bytes.len(),
        "file download"
    );
    Ok(Json(json!({
        "row_id": row_id,
        "sha256": sha,
        "content_b64": base64::engine::general_purpose::STANDARD.encode(&bytes),
    })))
}
