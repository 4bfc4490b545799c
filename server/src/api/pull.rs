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

    // The cases this device may hold now and those it holds. Row-level security decides which
    // cases exist for the member; the query asks only for those that can be in scope (the
    // member's own cases, those of colleagues a substitution names them for, at any dates, and
    // those opened today with a reason: wider than the policy, which narrows it), so that the
    // policy is checked on those cases only and not on every case of the team. The lead sees
    // every case.
    let visible: HashSet<Uuid> = if who.role == "lead" {
        tx.query("SELECT id FROM cases", &[]).await?
    } else {
        tx.query(
            // A UNION, not OR: each part reads by an index (an OR of subqueries made PostgreSQL
            // scan every case of the team with the policy on each: ~1 s a pull at 50 000).
            "SELECT id FROM cases WHERE owner_id = $1
             UNION
             SELECT id FROM cases
             WHERE owner_id IN (SELECT absent_id FROM substitutions
                                WHERE substitute_id = $1 AND cancelled_at IS NULL)
             UNION
             SELECT id FROM cases
             WHERE id IN (SELECT case_id FROM case_openings
                          WHERE member_id = $1 AND opened_on = current_date)",
            &[&who.member_id],
        )
        .await?
    }
    .iter()
    .map(|r| r.get(0))
    .collect();
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
    let held: HashSet<Uuid> = tx
        .query(
            "SELECT case_id FROM device_cases WHERE device_id = $1",
            &[&who.device_id],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    // A purge sent before and not confirmed is sent again while the case stays out of scope;
    // one back in scope is not held for sure, so it comes whole (below).
    let mut purges: Vec<Uuid> = held
        .difference(&visible)
        .chain(unconfirmed_purges.iter().filter(|c| !visible.contains(c)))
        .copied()
        .collect::<HashSet<Uuid>>()
        .into_iter()
        .collect();
    purges.sort();
    let mut new_cases: Vec<Uuid> = visible.difference(&held).copied().collect();
    new_cases.sort();
    // The cases new to the device, every one: their changes are not sent (each comes whole).
    let new_set: HashSet<Uuid> = new_cases.iter().copied().collect();
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
    // Changes after `after`, without this device's own and without those of the cases just sent
    // whole: the team-wide changes and those of the cases in scope, never a walk over the
    // colleagues' changes. Row-level security stays on `changes` as the guard: a case id here
    // that the member may not see gives no row. Sequence numbers are given under
    // CHANGE_LOG_LOCK, so in commit order: what this snapshot does not see gets a higher seq
    // than any it sees, and `next_seq` never passes a change committed late.
    let max_seq: i64 = tx.query_one("SELECT srt_max_seq()", &[]).await?.get(0);
    let mut scope: Vec<Uuid> = visible.difference(&new_set).copied().collect();
    scope.sort();
    // Case by case, a page ends at `page_end` (Some: `limit` changes were there) whatever the
    // rows read give; in seq order, at its last row when it is full.
    let mut page_end: Option<Option<i64>> = None;
    let rows = if by_case(max_seq - q.after, scope.len()) {
        // The page's last seq first (a number, from the index), so that each case is read only
        // up to it: every page reads its own rows, not all of the scope's after the cursor.
        let end: Option<i64> = tx
            .query_one(
                "SELECT srt_page_end($1, $2, $3, $4, $5)",
                &[&scope, &q.after, &(limit as i32), &who.device_id, &q.resync],
            )
            .await?
            .get(0);
        page_end = Some(end);
        let end = end.unwrap_or(max_seq);
        tx.query(
            "SELECT seq, change_id, tbl, row_id, case_id, op, columns, author_id, hlc FROM (
               (SELECT seq, change_id, tbl, row_id, case_id, op, columns, author_id, hlc
                FROM changes
                WHERE case_id IS NULL AND seq > $1 AND seq <= $6
                  AND (device_id IS DISTINCT FROM $2 OR $5)
                ORDER BY seq LIMIT $4)
               UNION ALL
               (SELECT c.seq, c.change_id, c.tbl, c.row_id, c.case_id, c.op, c.columns,
                       c.author_id, c.hlc
                FROM unnest($3::uuid[]) AS k(id)
                CROSS JOIN LATERAL (
                    SELECT * FROM changes
                    WHERE case_id = k.id AND seq > $1 AND seq <= $6
                      AND (device_id IS DISTINCT FROM $2 OR $5)
                    ORDER BY seq LIMIT $4) c)
             ) page ORDER BY seq LIMIT $4",
            &[&q.after, &who.device_id, &scope, &limit, &q.resync, &end],
        )
        .await?
    } else {
        tx.query(
            "SELECT seq, change_id, tbl, row_id, case_id, op, columns, author_id, hlc
             FROM changes
             WHERE seq > $1 AND (device_id IS DISTINCT FROM $2 OR $5)
               AND (case_id IS NULL OR case_id = ANY($3))
             ORDER BY seq LIMIT $4",
            &[&q.after, &who.device_id, &scope, &limit, &q.resync],
        )
        .await?
    };
    let more = deferred > 0
        || match page_end {
            Some(end) => end.is_some(),
            None => rows.len() as i64 == limit,
        };
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
    let next_seq: i64 = if let Some(Some(end)) = page_end {
        end
    } else if rows.len() as i64 == limit && page_end.is_none() {
        rows.last().map(|r| r.get(0)).unwrap_or(q.after)
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
        scope = scope.len(),
        by_case = by_case(max_seq - q.after, scope.len()),
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
