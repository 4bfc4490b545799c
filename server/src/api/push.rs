//! Push.

use super::*;

pub(super) type Tx<'a> = deadpool_postgres::Transaction<'a>;
pub(super) type Params<'a> = [&'a (dyn tokio_postgres::types::ToSql + Sync)];

// Statements prepared once per connection (deadpool's cache): a push of thousands of changes
// then costs one round trip per statement, not two.
pub(super) async fn one(
    tx: &Tx<'_>,
    sql: &str,
    p: &Params<'_>,
) -> Result<tokio_postgres::Row, tokio_postgres::Error> {
    let st = tx.prepare_cached(sql).await?;
    tx.query_one(&st, p).await
}

pub(super) async fn opt(
    tx: &Tx<'_>,
    sql: &str,
    p: &Params<'_>,
) -> Result<Option<tokio_postgres::Row>, tokio_postgres::Error> {
    let st = tx.prepare_cached(sql).await?;
    tx.query_opt(&st, p).await
}

pub(super) async fn exec(
    tx: &Tx<'_>,
    sql: &str,
    p: &Params<'_>,
) -> Result<u64, tokio_postgres::Error> {
    let st = tx.prepare_cached(sql).await?;
    tx.execute(&st, p).await
}

/// What one push learnt about scopes, so that 50 rows of one case ask once.
#[derive(Debug, Default)]
pub(super) struct ScopeCache {
    pub(super) cases: std::collections::HashMap<Uuid, bool>,
    pub(super) team: Option<bool>,
    /// The device's first upload (it has not pulled yet): its own team-wide rows made before
    /// the join may be inserted (server migration 005).
    pub(super) joining: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum Op {
    Insert,
    Update,
    Delete,
}

impl Op {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Op::Insert => "insert",
            Op::Update => "update",
            Op::Delete => "delete",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct ColumnChange {
    #[serde(default)]
    pub(super) base: Value,
    #[serde(default)]
    pub(super) new: Value,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct Change {
    pub(super) change_id: Uuid,
    pub(super) table: String,
    pub(super) row_id: Uuid,
    #[serde(default)]
    pub(super) case_id: Option<Uuid>,
    pub(super) op: Op,
    #[serde(default)]
    pub(super) columns: BTreeMap<String, ColumnChange>,
    pub(super) hlc: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct PushRequest {
    pub(super) changes: Vec<Change>,
}

pub(super) fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub(super) fn validate(change: &Change) -> ApiResult<()> {
    if !valid_name(&change.table) {
        return Err(ApiError::bad(
            "table must be a lower-case name (letters, digits, _)",
        ));
    }
    if change.columns.keys().any(|c| !valid_name(c)) {
        return Err(ApiError::bad(
            "column names must be lower-case names (letters, digits, _)",
        ));
    }
    if change.hlc.is_empty() || change.hlc.len() > 64 {
        return Err(ApiError::bad("hlc must be 1 to 64 characters"));
    }
    if change.op != Op::Delete && change.columns.is_empty() {
        return Err(ApiError::bad("an insert or update needs columns"));
    }
    Ok(())
}

#[derive(Debug, Serialize)]
pub(super) struct Outcome {
    pub(super) change_id: Uuid,
    pub(super) outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) seq: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) conflict_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) reason: Option<&'static str>,
}

pub(super) async fn push(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<PushRequest>,
) -> ApiResult<Json<Value>> {
    if req.changes.len() > MAX_PUSH {
        return Err(ApiError::bad(format!(
            "at most {MAX_PUSH} changes per push"
        )));
    }
    for change in &req.changes {
        validate(change)?;
    }
    let (mut client, who) = session(&state, &headers).await?;
    let tx = begin(&mut client, &who).await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CHANGE_LOG_LOCK])
        .await?;
    tx.execute(
        "SELECT set_config('srt.device_id', $1, true)",
        &[&who.device_id.to_string()],
    )
    .await?;
    let mut results = Vec::with_capacity(req.changes.len());
    let (mut applied, mut conflicted, mut duplicates, mut rejected) = (0, 0, 0, 0);
    let mut max_seq = None;
    let mut scopes = ScopeCache::default();
    // The receipts of change ids seen before (a repeated push), in one query; and this push's
    // receipts, written in one statement at the end.
    let ids: Vec<Uuid> = req.changes.iter().map(|c| c.change_id).collect();
    let mut seen: std::collections::HashMap<Uuid, (String, Option<i64>, Option<i64>)> = tx
        .query(
            "SELECT change_id, outcome, seq, conflict_id FROM change_receipts WHERE change_id = ANY($1)",
            &[&ids],
        )
        .await?
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3))))
        .collect();
    let mut receipts: Vec<(Uuid, &str, Option<i64>, Option<i64>)> = Vec::new();
    for (i, change) in req.changes.iter().enumerate() {
        if state.faults.pause_push_at == Some(i) {
            info!(
                device_id = who.device_id,
                at = i,
                "fault injection: push paused"
            );
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        if let Some((outcome, seq, conflict_id)) = seen.get(&change.change_id) {
            duplicates += 1;
            results.push(Outcome {
                change_id: change.change_id,
                outcome: "duplicate",
                seq: *seq,
                conflict_id: *conflict_id,
                reason: Some(if outcome == "applied" {
                    "applied before"
                } else {
                    "conflicted before"
                }),
            });
            continue;
        }
        let outcome = apply_change(&tx, &who, change, &mut scopes).await?;
        match outcome.outcome {
            "applied" => {
                applied += 1;
                if outcome.seq.is_some() {
                    max_seq = outcome.seq;
                }
            }
            "conflicted" => conflicted += 1,
            _ => rejected += 1,
        }
        if outcome.outcome != "rejected" {
            seen.insert(
                change.change_id,
                (
                    outcome.outcome.to_string(),
                    outcome.seq,
                    outcome.conflict_id,
                ),
            );
            receipts.push((
                change.change_id,
                outcome.outcome,
                outcome.seq,
                outcome.conflict_id,
            ));
        }
        results.push(outcome);
    }
    if !receipts.is_empty() {
        let ids: Vec<Uuid> = receipts.iter().map(|r| r.0).collect();
        let outcomes: Vec<&str> = receipts.iter().map(|r| r.1).collect();
        let seqs: Vec<Option<i64>> = receipts.iter().map(|r| r.2).collect();
        let conflict_ids: Vec<Option<i64>> = receipts.iter().map(|r| r.3).collect();
        tx.execute(
            "INSERT INTO change_receipts (change_id, member_id, device_id, outcome, seq, conflict_id)
             SELECT u.c, $2, $3, u.o, u.s, u.k
             FROM unnest($1::uuid[], $4::text[], $5::bigint[], $6::bigint[]) AS u(c, o, s, k)",
            &[&ids, &who.member_id, &who.device_id, &outcomes, &seqs, &conflict_ids],
        )
        .await?;
    }
    if let Some(seq) = max_seq {
        tx.execute("SELECT pg_notify('srt_changes', $1)", &[&seq.to_string()])
            .await?;
    }
    tx.commit().await?;
    info!(
        device_id = who.device_id,
        applied, conflicted, duplicates, rejected, "push"
    );
    if state.faults.hold_reply {
        info!(
            device_id = who.device_id,
            "fault injection: push committed, reply held"
        );
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
    Ok(Json(json!({
        "results": results,
        "applied": applied,
        "conflicted": conflicted,
        "duplicates": duplicates,
        "rejected": rejected,
    })))
}

pub(super) fn rejected(change: &Change, reason: &'static str) -> Outcome {
    Outcome {
        change_id: change.change_id,
        outcome: "rejected",
        seq: None,
        conflict_id: None,
        reason: Some(reason),
    }
}

/// Applies one change in the push's transaction, or records a conflict, or rejects it (outside
/// the member's scope).
pub(super) async fn apply_change(
    tx: &Tx<'_>,
    who: &Who,
    change: &Change,
    scopes: &mut ScopeCache,
) -> ApiResult<Outcome> {
    let current = opt(
        tx,
        "SELECT case_id, data, deleted, last_seq FROM shared_rows
             WHERE tbl = $1 AND id = $2 FOR UPDATE",
        &[&change.table, &change.row_id],
    )
    .await?;
    if current.is_none() {
        let exists: bool = one(
            tx,
            "SELECT srt_row_exists($1, $2)",
            &[&change.table, &change.row_id],
        )
        .await?
        .get(0);
        if exists {
            return Ok(rejected(change, "not_in_scope"));
        }
    }
    // The case a row belongs to is fixed when it is first written.
    let case_id: Option<Uuid> = match &current {
        Some(row) => row.get(0),
        None if change.table == "cases" => Some(change.row_id),
        None => change.case_id,
    };
    match case_id {
        Some(case) => match scopes.cases.get(&case) {
            Some(true) => {}
            Some(false) => return Ok(rejected(change, "not_in_scope")),
            None => {
                let exists: bool = one(tx, "SELECT srt_case_exists($1)", &[&case])
                    .await?
                    .get(0);
                if !exists {
                    if change.table == "cases" && change.op == Op::Insert {
                        exec(
                            tx,
                            "INSERT INTO cases (id, owner_id) VALUES ($1, $2)",
                            &[&case, &who.member_id],
                        )
                        .await?;
                        exec(
                            tx,
                            "INSERT INTO device_cases (device_id, member_id, case_id) VALUES ($1, $2, $3)
                             ON CONFLICT DO NOTHING",
                            &[&who.device_id, &who.member_id, &case],
                        )
                        .await?;
                        scopes.cases.insert(case, true);
                    } else if let Some(owner) = box_owner(tx, case).await? {
                        // A member box (docs/team-protocol.md): made by its member's first
                        // row, or by the lead giving the member a task.
                        if owner != who.member_id && who.role != "lead" {
                            scopes.cases.insert(case, false);
                            return Ok(rejected(change, "not_in_scope"));
                        }
                        exec(
                            tx,
                            "INSERT INTO cases (id, owner_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                            &[&case, &owner],
                        )
                        .await?;
                        exec(
                            tx,
                            "INSERT INTO device_cases (device_id, member_id, case_id) VALUES ($1, $2, $3)
                             ON CONFLICT DO NOTHING",
                            &[&who.device_id, &who.member_id, &case],
                        )
                        .await?;
                        scopes.cases.insert(case, true);
                    } else {
                        return Ok(rejected(change, "unknown_case"));
                    }
                } else {
                    let sees: bool = one(tx, "SELECT srt_sees_case($1)", &[&case]).await?.get(0);
                    scopes.cases.insert(case, sees);
                    if !sees {
                        return Ok(rejected(change, "not_in_scope"));
                    }
                }
            }
        },
        None => {
            let may = match scopes.team {
                Some(may) => may,
                None => {
                    let may: bool = one(tx, "SELECT srt_writes_team_data()", &[]).await?.get(0);
                    scopes.team = Some(may);
                    may
                }
            };
            // A new team-wide row in the device's first upload (a desk joining with providers
            // and partners of its own): taken; a change of an existing one is not.
            if !may {
                let joining = match scopes.joining {
                    Some(j) => j,
                    None => {
                        let j: bool = one(tx, "SELECT srt_joining()", &[]).await?.get(0);
                        scopes.joining = Some(j);
                        j
                    }
                };
                if !(joining && change.op == Op::Insert && current.is_none()) {
                    return Ok(rejected(change, "team_data_read_only"));
                }
            }
        }
    }

    let (data, deleted, last_seq): (Map<String, Value>, bool, Option<i64>) = match &current {
        Some(row) => {
            let data: Value = row.get(1);
            (
                data.as_object().cloned().unwrap_or_default(),
                row.get(2),
                Some(row.get(3)),
            )
        }
        None => (Map::new(), false, None),
    };
    let exists = current.is_some() && !deleted;

    // Delete of a row that is gone: nothing to do, and nothing to conflict with.
    if change.op == Op::Delete && !exists {
        return Ok(Outcome {
            change_id: change.change_id,
            outcome: "applied",
            seq: None,
            conflict_id: None,
            reason: Some("already_gone"),
        });
    }
    // The base check: every changed column must still hold its base value (or already hold the
    // new one). An update of a missing row, or an insert over a different existing row, conflicts.
    let holds = |col: &str, cc: &ColumnChange| {
        let cur = if exists {
            data.get(col).cloned().unwrap_or(Value::Null)
        } else {
            Value::Null
        };
        cur == cc.base || cur == cc.new
    };
    let conflict = match change.op {
        Op::Insert => exists && !change.columns.iter().all(|(c, cc)| holds(c, cc)),
        Op::Update => !exists || !change.columns.iter().all(|(c, cc)| holds(c, cc)),
        Op::Delete => !change.columns.iter().all(|(c, cc)| holds(c, cc)),
    };
    if conflict {
        let mut cols = Map::new();
        for (c, cc) in &change.columns {
            let server = if exists {
                data.get(c).cloned().unwrap_or(Value::Null)
            } else {
                Value::Null
            };
            cols.insert(
                c.clone(),
                json!({"base": cc.base, "server": server, "mine": cc.new}),
            );
        }
        let server_author: Option<i64> = match last_seq {
            Some(seq) => opt(tx, "SELECT author_id FROM changes WHERE seq = $1", &[&seq])
                .await?
                .map(|r| r.get(0)),
            None => None,
        };
        let id: i64 = one(
            tx,
            "INSERT INTO conflicts (change_id, tbl, row_id, case_id, op, columns, server_seq,
                                        server_author_id, author_id, device_id, hlc)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            &[
                &change.change_id,
                &change.table,
                &change.row_id,
                &case_id,
                &change.op.as_str(),
                &Value::Object(cols),
                &last_seq,
                &server_author,
                &who.member_id,
                &who.device_id,
                &change.hlc,
            ],
        )
        .await?
        .get(0);
        return Ok(Outcome {
            change_id: change.change_id,
            outcome: "conflicted",
            seq: None,
            conflict_id: Some(id),
            reason: None,
        });
    }
    let seq = record_change(
        tx,
        who,
        change.change_id,
        &change.table,
        change.row_id,
        case_id,
        change.op,
        &change.columns,
        &change.hlc,
        data,
        current.is_some(),
    )
    .await?;
    Ok(Outcome {
        change_id: change.change_id,
        outcome: "applied",
        seq: Some(seq),
        conflict_id: None,
        reason: None,
    })
}

/// Writes an applied change to the log and the row's current value; returns its sequence number.
#[allow(clippy::too_many_arguments)]
pub(super) async fn record_change(
    tx: &Tx<'_>,
    who: &Who,
    change_id: Uuid,
    table: &str,
    row_id: Uuid,
    case_id: Option<Uuid>,
    op: Op,
    columns: &BTreeMap<String, ColumnChange>,
    hlc: &str,
    mut data: Map<String, Value>,
    row_exists: bool,
) -> ApiResult<i64> {
    let columns_json = serde_json::to_value(columns).unwrap_or(Value::Null);
    let deleted = op == Op::Delete;
    if deleted {
        // Nothing of a deleted row stays on the server but its id.
        data = Map::new();
    } else {
        for (c, cc) in columns {
            data.insert(c.clone(), cc.new.clone());
        }
    }
    let data = Value::Object(data);
    // The log entry and the row's new value in one statement (one round trip).
    let sql = if row_exists {
        "WITH c AS (
            INSERT INTO changes (change_id, tbl, row_id, case_id, op, columns, author_id, device_id, hlc)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING seq)
         UPDATE shared_rows SET data = $10, deleted = $11, last_seq = (SELECT seq FROM c)
         WHERE tbl = $2 AND id = $3 RETURNING last_seq"
    } else {
        "WITH c AS (
            INSERT INTO changes (change_id, tbl, row_id, case_id, op, columns, author_id, device_id, hlc)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING seq)
         INSERT INTO shared_rows (tbl, id, case_id, data, deleted, last_seq)
         SELECT $2, $3, $4, $10, $11, seq FROM c RETURNING last_seq"
    };
    let seq: i64 = one(
        tx,
        sql,
        &[
            &change_id,
            &table,
            &row_id,
            &case_id,
            &op.as_str(),
            &columns_json,
            &who.member_id,
            &who.device_id,
            &hlc,
            &data,
            &deleted,
        ],
    )
    .await?
    .get(0);
    if deleted && table == "attachment" {
        // A document's file goes with its row.
        exec(tx, "DELETE FROM files WHERE row_id = $1", &[&row_id]).await?;
    }
    if deleted {
        // Its earlier values leave the change log too: a deletion (retention) leaves no data.
        tx.execute(
            "UPDATE changes SET columns = '{}'::jsonb
             WHERE tbl = $1 AND row_id = $2 AND seq < $3 AND columns <> '{}'::jsonb",
            &[&table, &row_id, &seq],
        )
        .await?;
    }
    Ok(seq)
}

/// The member whose box `case` is (docs/team-protocol.md, "Member boxes"), if it is one.
pub(super) async fn box_owner(tx: &Tx<'_>, case: Uuid) -> ApiResult<Option<i64>> {
    Ok(one(tx, "SELECT srt_box_owner($1)", &[&case]).await?.get(0))
}
