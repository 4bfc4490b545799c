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
    /// The last page this desk applied (the `page` of an earlier answer): what that page and the
    /// pages before it sent is confirmed; what a later page sent never arrived and is sent again.
    /// A desk that names none (an older desk) confirms everything sent before.
    pub(super) ack: Option<i64>,
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

    // The device's scope against what it holds, as sets in PostgreSQL: the cases the member may
    // see now come from `srt_scope_cases()` (one set of index reads: own, substituted now, opened
    // today; the lead every case), compared with `device_cases` in SQL, so only the differences
    // come back (before: every case in scope read under the cases policy, PL/pgSQL once per case,
    // and every held case shipped here to compare). Finding candidates is all it does: what the
    // pull sends below is read under row-level security.
    let page: i64 = tx
        .query_one("SELECT nextval('pull_pages')", &[])
        .await?
        .get(0);
    if q.resync && q.after == 0 {
        for table in ["device_cases", "device_purges"] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE device_id = $1"),
                &[&who.device_id],
            )
            .await?;
        }
    }
    let unconfirmed_purges = settle_acks(&tx, who.device_id, q.ack).await?;
    let diff = tx
        .query(
            "WITH scope AS MATERIALIZED (SELECT case_id FROM srt_scope_cases()),
                  held AS MATERIALIZED (SELECT case_id FROM device_cases WHERE device_id = $1)
             SELECT s.case_id, true FROM scope s
             WHERE NOT EXISTS (SELECT 1 FROM held h WHERE h.case_id = s.case_id)
             UNION ALL
             SELECT h.case_id, false FROM held h
             WHERE NOT EXISTS (SELECT 1 FROM scope s WHERE s.case_id = h.case_id)",
            &[&who.device_id],
        )
        .await?;
    let (mut new_cases, mut purges): (Vec<Uuid>, Vec<Uuid>) = (Vec::new(), Vec::new());
    for r in &diff {
        if r.get::<_, bool>(1) {
            new_cases.push(r.get(0));
        } else {
            purges.push(r.get(0));
        }
    }
    // A purge sent before and not confirmed is sent again while the case stays out of scope;
    // one back in scope is not held for sure, so it came whole above (it is not in device_cases).
    if !unconfirmed_purges.is_empty() {
        let back: HashSet<Uuid> = tx
            .query(
                "SELECT case_id FROM srt_scope_cases() WHERE case_id = ANY($1)",
                &[&unconfirmed_purges],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for c in unconfirmed_purges {
            if !back.contains(&c) && !purges.contains(&c) {
                purges.push(c);
            }
        }
    }
    purges.sort();
    new_cases.sort();
    // At most `limit` of them whole on this page; the rest stay new to the device and come on
    // the next pages (a lead's new laptop in a team of 100 000 cases would otherwise get ~2.4
    // million rows in one answer, built in the server's memory and applied in one transaction).
    let deferred = new_cases.len().saturating_sub(limit as usize);
    new_cases.truncate(limit as usize);
    if !purges.is_empty() {
        tx.execute(
            "DELETE FROM device_cases WHERE device_id = $1 AND case_id = ANY($2)",
            &[&who.device_id, &purges],
        )
        .await?;
        tx.execute(
            "INSERT INTO device_purges (device_id, member_id, case_id, page)
             SELECT $1, $2, unnest($3::uuid[]), $4",
            &[&who.device_id, &who.member_id, &purges, &page],
        )
        .await?;
    }
    // The cases held from before and still in scope: those whose changes this pull sends.
    let scope: i64 = tx
        .query_one(
            "SELECT count(*) FROM device_cases WHERE device_id = $1",
            &[&who.device_id],
        )
        .await?
        .get(0);
    // Changes after `after`, without this device's own and without those of the cases about to
    // be sent whole (they are not in `device_cases` yet): the team-wide changes and those of
    // the cases held, never a walk over the colleagues' changes. `srt_pull_seqs` gives only the
    // page's sequence numbers; the changes themselves are read under row-level security, so a
    // case id the member may not see gives no row. Sequence numbers are given under
    // CHANGE_LOG_LOCK, so in commit order: what this snapshot does not see gets a higher seq
    // than any it sees, and `next_seq` never passes a change committed late.
    let max_seq: i64 = tx.query_one("SELECT srt_max_seq()", &[]).await?.get(0);
    let by_case = by_case(max_seq - q.after, scope as usize);
    let seqs: Vec<i64> = tx
        .query(
            "SELECT seq FROM srt_pull_seqs($1, $2, $3, $4, $5)",
            &[
                &who.device_id,
                &q.after,
                &(limit as i32),
                &q.resync,
                &by_case,
            ],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut snapshots = Vec::new();
    if !new_cases.is_empty() {
        tx.execute(
            "INSERT INTO device_cases (device_id, member_id, case_id, sent_page)
             SELECT $1, $2, unnest($3::uuid[]), $4 ON CONFLICT DO NOTHING",
            &[&who.device_id, &who.member_id, &new_cases, &page],
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
            snapshots.push(snapshot_json(&r));
        }
    }
    if !purges.is_empty() || !new_cases.is_empty() || q.resync {
        // The device's event streams (on any instance) keep its held cases: read them again.
        tx.execute(
            "SELECT pg_notify('srt_changes', $1)",
            &[&format!("h {}", who.device_id)],
        )
        .await?;
    }
    let rows = if seqs.is_empty() {
        Vec::new()
    } else {
        tx.query(
            "SELECT seq, change_id, tbl, row_id, case_id, op, columns, author_id, hlc
             FROM changes WHERE seq = ANY($1) ORDER BY seq",
            &[&seqs],
        )
        .await?
    };
    // The page is the first `limit` changes of the scope; the rows read under the policies can
    // only be fewer, never others. Cases new to the device and left for later make more pages.
    let more = seqs.len() as i64 == limit || deferred > 0;
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
    // A deferred case's changes up to here are not sent: it comes whole later, as it is then.
    let next_seq: i64 = if seqs.len() as i64 == limit {
        seqs.last().copied().unwrap_or(q.after)
    } else {
        max_seq.max(q.after)
    };
    audit_pull(
        &tx,
        &who,
        q.after,
        next_seq,
        [changes.len(), snapshots.len(), purges.len()],
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
        deferred,
        resync = q.resync,
        scope,
        by_case,
        "pull"
    );
    Ok(Json(json!({
        "changes": changes,
        "snapshots": snapshots,
        "purges": purges,
        "next_seq": next_seq,
        "more": more,
        "page": page,
    })))
}

/// What the desk confirmed by `ack` is held (cases sent whole) or let go (purges); what it did not
/// confirm never arrived: the cases sent whole are taken as not held, so they come whole again,
/// and the purges are answered (to send again while the case stays out of scope).
async fn settle_acks(
    tx: &Transaction<'_>,
    device_id: i64,
    ack: Option<i64>,
) -> ApiResult<Vec<Uuid>> {
    // An older desk names no page: everything sent before counts as arrived, as it did.
    let ack = ack.unwrap_or(i64::MAX);
    tx.execute(
        "UPDATE device_cases SET sent_page = NULL
         WHERE device_id = $1 AND sent_page IS NOT NULL AND sent_page <= $2",
        &[&device_id, &ack],
    )
    .await?;
    tx.execute(
        "DELETE FROM device_cases WHERE device_id = $1 AND sent_page IS NOT NULL",
        &[&device_id],
    )
    .await?;
    Ok(tx
        .query(
            "DELETE FROM device_purges WHERE device_id = $1 RETURNING case_id, page",
            &[&device_id],
        )
        .await?
        .iter()
        .filter(|r| r.get::<_, i64>(1) > ack)
        .map(|r| r.get(0))
        .collect())
}

/// Which way a pull reads the changes after its cursor: case by case (an index range per case in
/// scope, and the team-wide changes by seq) when more changes were made since the cursor than the
/// device has cases (a desk back after a while, a colleague's first push meanwhile); otherwise
/// the few changes since are walked in order, each checked against the scope. Both give the same
/// rows in the same order (the test `pull_reads_only_the_devices_scope_and_pages_exactly_once`).
fn by_case(changes_since: i64, cases_in_scope: usize) -> bool {
    changes_since > cases_in_scope as i64
}

/// A shared row as a pull sends it whole, from a row of `tbl, id, case_id, data, deleted,
/// last_seq, owner_id` (a new case's snapshot, the service manager's masked rows).
pub(super) fn snapshot_json(r: &tokio_postgres::Row) -> Value {
    json!({
        "table": r.get::<_, String>(0),
        "row_id": r.get::<_, Uuid>(1),
        "case_id": r.get::<_, Uuid>(2),
        "data": r.get::<_, Value>(3),
        "deleted": r.get::<_, bool>(4),
        "seq": r.get::<_, i64>(5),
        "owner_id": r.get::<_, i64>(6),
    })
}

/// Every pull is audited on the server: who, from where, the cursor and what was sent
/// (`[changes, snapshots, purges]`).
pub(super) async fn audit_pull(
    tx: &Transaction<'_>,
    who: &Who,
    after: i64,
    next_seq: i64,
    [changes, snapshots, purges]: [usize; 3],
) -> ApiResult<()> {
    tx.execute(
        "INSERT INTO pull_audit (device_id, member_id, after_seq, next_seq, changes, snapshots, purges)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &who.device_id,
            &who.member_id,
            &after,
            &next_seq,
            &(changes as i32),
            &(snapshots as i32),
            &(purges as i32),
        ],
    )
    .await?;
    Ok(())
}
