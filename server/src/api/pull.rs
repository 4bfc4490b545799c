//! Pull.

use super::*;

#[derive(Debug, Deserialize)]
pub(super) struct PullQuery {
    #[serde(default)]
    pub(super) after: i64,
    pub(super) limit: Option<i64>,
    /// A desk restored from an old backup: with `after=0` it is sent every case in scope whole
    /// again, and (on every page) its own changes too.
    #[serde(default)]
    pub(super) resync: bool,
}

pub(super) async fn pull(
    Member { mut client, who }: Member,
    Query(q): Query<PullQuery>,
) -> ApiResult<Json<Value>> {
    let limit = q.limit.unwrap_or(1000).clamp(1, MAX_PULL);
    if q.after < 0 {
        return Err(ApiError::bad("after must be 0 or more"));
    }
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .start()
        .await?;
    act_as(&tx, Some(who.member_id)).await?;

    // The cases this device may hold now (row-level security decides) and those it holds.
    let visible: HashSet<Uuid> = tx
        .query("SELECT id FROM cases", &[])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    if q.resync && q.after == 0 {
        tx.execute(
            "DELETE FROM device_cases WHERE device_id = $1",
            &[&who.device_id],
        )
        .await?;
    }
    let held: HashSet<Uuid> = tx
        .query(
            "SELECT case_id FROM device_cases WHERE device_id = $1",
            &[&who.device_id],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut purges: Vec<Uuid> = held.difference(&visible).copied().collect();
    purges.sort();
    let mut new_cases: Vec<Uuid> = visible.difference(&held).copied().collect();
    new_cases.sort();
    if !purges.is_empty() {
        tx.execute(
            "DELETE FROM device_cases WHERE device_id = $1 AND case_id = ANY($2)",
            &[&who.device_id, &purges],
        )
        .await?;
    }
    let mut snapshots = Vec::new();
    if !new_cases.is_empty() {
        tx.execute(
            "INSERT INTO device_cases (device_id, member_id, case_id)
             SELECT $1, $2, unnest($3::uuid[]) ON CONFLICT DO NOTHING",
            &[&who.device_id, &who.member_id, &new_cases],
        )
        .await?;
        for r in tx
            .query(
                "SELECT r.tbl, r.id, r.case_id, r.data, r.deleted, r.last_seq, c.owner_id
                 FROM shared_rows r JOIN cases c ON c.id = r.case_id
                 WHERE r.case_id = ANY($1) ORDER BY r.last_seq",
                &[&new_cases],
            )
            .await?
        {
            snapshots.push(json!({
                "table": r.get::<_, String>(0),
                "row_id": r.get::<_, Uuid>(1),
                "case_id": r.get::<_, Uuid>(2),
                "data": r.get::<_, Value>(3),
                "deleted": r.get::<_, bool>(4),
                "seq": r.get::<_, i64>(5),
                "owner_id": r.get::<_, i64>(6),
            }));
        }
    }
    // Changes after `after`, without this device's own and without those of the cases just sent
    // whole.
    let rows = tx
        .query(
            "SELECT seq, change_id, tbl, row_id, case_id, op, columns, author_id, hlc
             FROM changes
             WHERE seq > $1 AND (device_id IS DISTINCT FROM $2 OR $5)
               AND (case_id IS NULL OR NOT (case_id = ANY($3)))
             ORDER BY seq LIMIT $4",
            &[&q.after, &who.device_id, &new_cases, &limit, &q.resync],
        )
        .await?;
    let more = rows.len() as i64 == limit;
    let changes: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "seq": r.get::<_, i64>(0),
                "change_id": r.get::<_, Uuid>(1),
                "table": r.get::<_, String>(2),
                "row_id": r.get::<_, Uuid>(3),
                "case_id": r.get::<_, Option<Uuid>>(4),
                "op": r.get::<_, String>(5),
                "columns": r.get::<_, Value>(6),
                "author_id": r.get::<_, i64>(7),
                "hlc": r.get::<_, String>(8),
            })
        })
        .collect();
    let next_seq: i64 = if more {
        rows.last().map(|r| r.get(0)).unwrap_or(q.after)
    } else {
        let max: i64 = tx.query_one("SELECT srt_max_seq()", &[]).await?.get(0);
        max.max(q.after)
    };
    tx.execute(
        "INSERT INTO pull_audit (device_id, member_id, after_seq, next_seq, changes, snapshots, purges)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &who.device_id,
            &who.member_id,
            &q.after,
            &next_seq,
            &(changes.len() as i32),
            &(snapshots.len() as i32),
            &(purges.len() as i32),
        ],
    )
    .await?;
    tx.commit().await?;
    info!(
        device_id = who.device_id,
        after = q.after,
        next_seq,
        changes = changes.len(),
        snapshots = snapshots.len(),
        purges = purges.len(),
        resync = q.resync,
        "pull"
    );
    Ok(Json(json!({
        "changes": changes,
        "snapshots": snapshots,
        "purges": purges,
        "next_seq": next_seq,
        "more": more,
    })))
}
