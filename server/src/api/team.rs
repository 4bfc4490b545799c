//! Team administration (the lead).

use super::*;

pub(super) async fn team_members(Member { mut client, who }: Member) -> ApiResult<Json<Value>> {
    let tx = begin(&mut client, &who).await?;
    let rows = tx
        .query(
            "SELECT id, login, name, role, active FROM members ORDER BY id",
            &[],
        )
        .await?;
    tx.commit().await?;
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({"id": r.get::<_, i64>(0), "login": r.get::<_, String>(1),
                   "name": r.get::<_, String>(2), "role": r.get::<_, String>(3),
                   "active": r.get::<_, bool>(4)})
        })
        .collect();
    Ok(Json(json!({"members": list})))
}

#[derive(Debug, Deserialize)]
pub(super) struct InviteRequest {
    pub(super) login: String,
    pub(super) name: String,
    pub(super) role: String,
}

pub(super) async fn team_invite(
    Lead(Member { mut client, who }): Lead,
    Json(req): Json<InviteRequest>,
) -> ApiResult<Json<Value>> {
    if !matches!(req.role.as_str(), "coordinator" | "lead" | "manager") {
        return Err(ApiError::bad("role must be coordinator, lead or manager"));
    }
    let (login, name) = (req.login.trim(), req.name.trim());
    if login.is_empty() || name.is_empty() || login.len() > 64 || name.chars().count() > 200 {
        return Err(ApiError::bad("login and name must not be empty"));
    }
    let tx = begin(&mut client, &who).await?;
    let (member_id, code) = db::create_invite(&tx, login, name, &req.role, 7).await?;
    tx.commit().await?;
    info!(device_id = who.device_id, member_id, "join code issued");
    Ok(Json(json!({"member_id": member_id, "code": code})))
}

pub(super) async fn team_devices(Member { mut client, who }: Member) -> ApiResult<Json<Value>> {
    let tx = begin(&mut client, &who).await?;
    let rows = tx
        .query(
            "SELECT id, member_id, name, created_at, revoked_at, last_seen_at FROM devices ORDER BY id",
            &[],
        )
        .await?;
    tx.commit().await?;
    type Ts = chrono::DateTime<chrono::Utc>;
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({"id": r.get::<_, i64>(0), "member_id": r.get::<_, i64>(1),
                   "name": r.get::<_, String>(2), "created_at": r.get::<_, Ts>(3),
                   "revoked_at": r.get::<_, Option<Ts>>(4),
                   "last_seen_at": r.get::<_, Option<Ts>>(5)})
        })
        .collect();
    Ok(Json(json!({"devices": list})))
}

pub(super) async fn team_revoke(
    Lead(Member { mut client, who }): Lead,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let tx = begin(&mut client, &who).await?;
    let n = tx
        .execute(
            "UPDATE devices SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL",
            &[&id, &who.member_id],
        )
        .await?;
    if n > 0 {
        // Its open event streams end at once, on every instance.
        tx.execute("SELECT pg_notify('srt_changes', $1)", &[&format!("r {id}")])
            .await?;
    }
    tx.commit().await?;
    if n == 0 {
        return Err(ApiError::not_found("no such device, or revoked already"));
    }
    info!(
        device_id = who.device_id,
        revoked_device_id = id,
        "device revoked"
    );
    Ok(Json(json!({"revoked": id})))
}

pub(super) async fn member_id(tx: &Transaction<'_>, login: &str) -> ApiResult<i64> {
    tx.query_opt("SELECT id FROM members WHERE login = $1", &[&login])
        .await?
        .map(|r| r.get(0))
        .ok_or_else(|| ApiError::not_found("no member with that login"))
}

pub(super) async fn team_substitutions(
    Member { mut client, who }: Member,
) -> ApiResult<Json<Value>> {
    let tx = begin(&mut client, &who).await?;
    let rows = tx
        .query(
            "SELECT s.id, a.login, b.login, s.from_date, s.to_date, s.cancelled_at IS NOT NULL,
                    s.cancelled_at IS NULL AND current_date BETWEEN s.from_date AND s.to_date
             FROM substitutions s JOIN members a ON a.id = s.absent_id
                  JOIN members b ON b.id = s.substitute_id
             ORDER BY s.from_date, s.id",
            &[],
        )
        .await?;
    tx.commit().await?;
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({"id": r.get::<_, i64>(0), "absent": r.get::<_, String>(1),
                   "substitute": r.get::<_, String>(2),
                   "from": r.get::<_, chrono::NaiveDate>(3), "to": r.get::<_, chrono::NaiveDate>(4),
                   "cancelled": r.get::<_, bool>(5), "current": r.get::<_, bool>(6)})
        })
        .collect();
    Ok(Json(json!({"substitutions": list})))
}

#[derive(Debug, Deserialize)]
pub(super) struct SubstituteRequest {
    pub(super) absent: String,
    pub(super) substitute: String,
    pub(super) from: chrono::NaiveDate,
    pub(super) to: chrono::NaiveDate,
}

pub(super) async fn team_substitute(
    Lead(Member { mut client, who }): Lead,
    Json(req): Json<SubstituteRequest>,
) -> ApiResult<Json<Value>> {
    if req.from > req.to {
        return Err(ApiError::bad("from must not be after to"));
    }
    let tx = begin(&mut client, &who).await?;
    let absent = member_id(&tx, &req.absent).await?;
    let substitute = member_id(&tx, &req.substitute).await?;
    if absent == substitute {
        return Err(ApiError::bad("a member cannot substitute for themselves"));
    }
    let id: i64 = tx
        .query_one(
            "INSERT INTO substitutions (absent_id, substitute_id, from_date, to_date, created_by)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[&absent, &substitute, &req.from, &req.to, &who.member_id],
        )
        .await?
        .get(0);
    tx.execute("SELECT pg_notify('srt_changes', srt_max_seq()::text)", &[])
        .await?;
    tx.commit().await?;
    info!(
        device_id = who.device_id,
        substitution_id = id,
        "substitution recorded"
    );
    Ok(Json(json!({"id": id})))
}

pub(super) async fn team_cancel_substitution(
    Lead(Member { mut client, who }): Lead,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let tx = begin(&mut client, &who).await?;
    let n = tx
        .execute(
            "UPDATE substitutions SET cancelled_at = now(), cancelled_by = $2
             WHERE id = $1 AND cancelled_at IS NULL",
            &[&id, &who.member_id],
        )
        .await?;
    tx.execute("SELECT pg_notify('srt_changes', srt_max_seq()::text)", &[])
        .await?;
    tx.commit().await?;
    if n == 0 {
        return Err(ApiError::not_found(
            "no such substitution, or cancelled already",
        ));
    }
    info!(
        device_id = who.device_id,
        substitution_id = id,
        "substitution cancelled"
    );
    Ok(Json(json!({"cancelled": id})))
}

#[derive(Debug, Deserialize)]
pub(super) struct ReassignRequest {
    pub(super) case_ids: Vec<Uuid>,
    pub(super) to: String,
}

pub(super) async fn team_reassign(
    Lead(Member { mut client, who }): Lead,
    Json(req): Json<ReassignRequest>,
) -> ApiResult<Json<Value>> {
    let tx = begin(&mut client, &who).await?;
    let to = member_id(&tx, &req.to).await?;
    let rows = tx
        .query(
            "WITH old AS (SELECT id, owner_id FROM cases WHERE id = ANY($1) FOR UPDATE)
             UPDATE cases c SET owner_id = $2 FROM old
             WHERE c.id = old.id AND old.owner_id <> $2
             RETURNING c.id, old.owner_id",
            &[&req.case_ids, &to],
        )
        .await?;
    for r in &rows {
        tx.execute(
            "INSERT INTO case_owner_history (case_id, from_owner, to_owner, changed_by)
             VALUES ($1, $2, $3, $4)",
            &[
                &r.get::<_, Uuid>(0),
                &r.get::<_, i64>(1),
                &to,
                &who.member_id,
            ],
        )
        .await?;
    }
    tx.execute("SELECT pg_notify('srt_changes', srt_max_seq()::text)", &[])
        .await?;
    tx.commit().await?;
    info!(
        device_id = who.device_id,
        cases = rows.len(),
        "cases reassigned"
    );
    Ok(Json(json!({"reassigned": rows.len()})))
}

#[derive(Debug, Deserialize)]
pub(super) struct OwnersQuery {
    #[serde(default)]
    pub(super) after: i64,
}

/// The responsible coordinators changed since `after` (the reassignment history's id), of the
/// cases this member sees (row-level security): a desk that already holds a case learns its new
/// owner, which a pull does not carry (only a case entering the desk's scope comes as a
/// snapshot with its owner).
pub(super) async fn team_owner_changes(
    Member { mut client, who }: Member,
    Query(q): Query<OwnersQuery>,
) -> ApiResult<Json<Value>> {
    let tx = begin(&mut client, &who).await?;
    let rows = tx
        .query(
            "SELECT id, case_id, to_owner FROM case_owner_history WHERE id > $1
             ORDER BY id LIMIT 5000",
            &[&q.after],
        )
        .await?;
    tx.commit().await?;
    let last = rows.last().map(|r| r.get::<_, i64>(0)).unwrap_or(q.after);
    let changes: Vec<Value> = rows
        .iter()
        .map(
            |r| json!({"case_id": r.get::<_, Uuid>(1).to_string(), "owner_id": r.get::<_, i64>(2)}),
        )
        .collect();
    Ok(Json(json!({"changes": changes, "last": last})))
}

#[derive(Debug, Deserialize)]
pub(super) struct SettingsRequest {
    /// lead: only the team lead changes the team-wide data; all: every member may.
    pub(super) team_data_writers: String,
}

/// The lead says who may change the team-wide data (providers, prices, templates…).
pub(super) async fn team_settings(
    Lead(Member { mut client, who }): Lead,
    Json(req): Json<SettingsRequest>,
) -> ApiResult<Json<Value>> {
    if !matches!(req.team_data_writers.as_str(), "lead" | "all") {
        return Err(ApiError::bad("team_data_writers must be lead or all"));
    }
    let tx = begin(&mut client, &who).await?;
    let n = tx
        .execute(
            "UPDATE settings SET value = $1 WHERE key = 'team_data_writers'",
            &[&req.team_data_writers],
        )
        .await?;
    if n != 1 {
        return Err(ApiError::bad("the team has no such setting"));
    }
    tx.execute("SELECT pg_notify('srt_changes', srt_max_seq()::text)", &[])
        .await?;
    tx.commit().await?;
    info!(
        device_id = who.device_id,
        team_data_writers = req.team_data_writers.as_str(),
        "team settings"
    );
    Ok(Json(json!({"team_data_writers": req.team_data_writers})))
}
