//! Conflicts.

use super::*;

pub(super) async fn conflicts(Member { mut client, who }: Member) -> ApiResult<Json<Value>> {
    let tx = begin(&mut client, &who).await?;
    let rows = tx
        .query(
            "SELECT id, change_id, tbl, row_id, case_id, op, columns, server_seq, server_author_id,
                    author_id, hlc, created_at
             FROM conflicts WHERE resolution IS NULL ORDER BY id",
            &[],
        )
        .await?;
    tx.commit().await?;
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "id": r.get::<_, i64>(0),
                "change_id": r.get::<_, Uuid>(1),
                "table": r.get::<_, String>(2),
                "row_id": r.get::<_, Uuid>(3),
                "case_id": r.get::<_, Option<Uuid>>(4),
                "op": r.get::<_, String>(5),
                "columns": r.get::<_, Value>(6),
                "server_seq": r.get::<_, Option<i64>>(7),
                "server_author_id": r.get::<_, Option<i64>>(8),
                "author_id": r.get::<_, i64>(9),
                "hlc": r.get::<_, String>(10),
                "created_at": r.get::<_, chrono::DateTime<chrono::Utc>>(11),
            })
        })
        .collect();
    Ok(Json(json!({"conflicts": list})))
}

#[derive(Debug, Deserialize)]
pub(super) struct ResolveRequest {
    /// server: keep the server's values; mine: the pushed values; merged: the values given.
    pub(super) choice: String,
    #[serde(default)]
    pub(super) columns: Map<String, Value>,
}

pub(super) async fn resolve(
    Member { mut client, who }: Member,
    Path(id): Path<i64>,
    Json(req): Json<ResolveRequest>,
) -> ApiResult<Json<Value>> {
    if !matches!(req.choice.as_str(), "server" | "mine" | "merged") {
        return Err(ApiError::bad("choice must be server, mine or merged"));
    }
    let tx = begin(&mut client, &who).await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CHANGE_LOG_LOCK])
        .await?;
    let row = tx
        .query_opt(
            "SELECT tbl, row_id, case_id, columns, resolution FROM conflicts WHERE id = $1 FOR UPDATE",
            &[&id],
        )
        .await?
        .ok_or_else(|| ApiError::not_found("no such conflict"))?;
    if row.get::<_, Option<String>>(4).is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_resolved",
            "the conflict is already resolved",
        ));
    }
    let table: String = row.get(0);
    let row_id: Uuid = row.get(1);
    let case_id: Option<Uuid> = row.get(2);
    let cols: Value = row.get(3);
    let cols = cols.as_object().cloned().unwrap_or_default();
    let wanted: Map<String, Value> = match req.choice.as_str() {
        "server" => Map::new(),
        "mine" => cols
            .iter()
            .map(|(c, v)| (c.clone(), v.get("mine").cloned().unwrap_or(Value::Null)))
            .collect(),
        _ => {
            if req.columns.keys().any(|c| !cols.contains_key(c)) {
                return Err(ApiError::bad(
                    "a merged value may only name the conflict's columns",
                ));
            }
            req.columns.clone()
        }
    };
    let current = tx
        .query_opt(
            "SELECT data, deleted FROM shared_rows WHERE tbl = $1 AND id = $2 FOR UPDATE",
            &[&table, &row_id],
        )
        .await?;
    let (data, exists) = match &current {
        Some(r) => {
            let d: Value = r.get(0);
            (
                d.as_object().cloned().unwrap_or_default(),
                !r.get::<_, bool>(1),
            )
        }
        None => (Map::new(), false),
    };
    let mut changed = BTreeMap::new();
    for (c, v) in &wanted {
        let cur = if exists {
            data.get(c).cloned().unwrap_or(Value::Null)
        } else {
            Value::Null
        };
        if &cur != v {
            changed.insert(
                c.clone(),
                ColumnChange {
                    base: cur,
                    new: v.clone(),
                },
            );
        }
    }
    let mut seq = None;
    if !changed.is_empty() {
        let op = if exists { Op::Update } else { Op::Insert };
        let s = record_change(
            &tx,
            &who,
            Uuid::now_v7(),
            &table,
            row_id,
            case_id,
            op,
            &changed,
            &format!("server-resolve-{id}"),
            if exists { data } else { Map::new() },
            current.is_some(),
        )
        .await?;
        tx.execute("SELECT pg_notify('srt_changes', $1)", &[&s.to_string()])
            .await?;
        seq = Some(s);
    }
    tx.execute(
        "UPDATE conflicts SET resolution = $2, resolved_columns = $3, resolved_by = $4,
                resolved_at = now(), resolved_seq = $5 WHERE id = $1",
        &[
            &id,
            &req.choice,
            &Value::Object(wanted),
            &who.member_id,
            &seq,
        ],
    )
    .await?;
    tx.commit().await?;
    info!(device_id = who.device_id, conflict_id = id, choice = %req.choice, "conflict resolved");
    Ok(Json(
        json!({"id": id, "resolution": req.choice, "seq": seq}),
    ))
}
