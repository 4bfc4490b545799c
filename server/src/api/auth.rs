//! Authentication.

use super::*;

#[derive(Debug, Clone)]
pub(super) struct Who {
    pub(super) member_id: i64,
    pub(super) device_id: i64,
    pub(super) role: String,
}

impl Who {
    pub(super) fn require_lead(&self) -> ApiResult<()> {
        if self.role == "lead" {
            Ok(())
        } else {
            Err(ApiError::forbidden("only the team lead may do this"))
        }
    }
}

pub(super) fn bearer(headers: &HeaderMap) -> ApiResult<String> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or_else(ApiError::unauthorized)
}

pub(super) async fn authenticate_hash(
    client: &mut deadpool_postgres::Object,
    token_hash: &str,
) -> ApiResult<Who> {
    let tx = client.transaction().await?;
    act_as(&tx, None).await?;
    let row = tx
        .query_opt(
            "SELECT device_id, member_id, role FROM srt_authenticate($1)",
            &[&token_hash],
        )
        .await?;
    tx.commit().await?;
    let row = row.ok_or_else(ApiError::unauthorized)?;
    Ok(Who {
        device_id: row.get(0),
        member_id: row.get(1),
        role: row.get(2),
    })
}

/// A pooled connection and the device behind the request's token (revoked: 401 at once).
pub(super) async fn session(
    state: &AppState,
    headers: &HeaderMap,
) -> ApiResult<(deadpool_postgres::Object, Who)> {
    let token = bearer(headers)?;
    let mut client = state.pool.get().await?;
    let who = authenticate_hash(&mut client, &secrets::token_hash(&token)).await?;
    Ok((client, who))
}

pub(super) async fn begin<'a>(
    client: &'a mut deadpool_postgres::Object,
    who: &Who,
) -> ApiResult<deadpool_postgres::Transaction<'a>> {
    let tx = client.transaction().await?;
    act_as(&tx, Some(who.member_id)).await?;
    Ok(tx)
}

/// The device behind the request's token, with a pooled connection: every call but /health and
/// /v1/join takes it (an unknown or revoked token: 401 at once).
pub(super) struct Member {
    pub(super) client: deadpool_postgres::Object,
    pub(super) who: Who,
}

impl axum::extract::FromRequestParts<AppState> for Member {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> ApiResult<Self> {
        let (client, who) = session(state, &parts.headers).await?;
        Ok(Member { client, who })
    }
}

/// [`Member`], for the team lead's calls only (anyone else: 403).
pub(super) struct Lead(pub(super) Member);

impl axum::extract::FromRequestParts<AppState> for Lead {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> ApiResult<Self> {
        let member = Member::from_request_parts(parts, state).await?;
        member.who.require_lead()?;
        Ok(Lead(member))
    }
}
