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
    counted();
    let st = tx.prepare_cached(sql).await?;
    tx.query_one(&st, p).await
}

pub(super) async fn exec(
    tx: &Tx<'_>,
    sql: &str,
    p: &Params<'_>,
) -> Result<u64, tokio_postgres::Error> {
    counted();
    let st = tx.prepare_cached(sql).await?;
    tx.execute(&st, p).await
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
    let (reply, statements) = STATEMENTS
        .scope(std::cell::Cell::new(0), async {
            let reply = push_in(&state, &tx, &who, &req.changes).await;
            (reply, STATEMENTS.with(|n| n.get()))
        })
        .await;
    let (reply, counts) = reply?;
    tx.commit().await?;
    info!(
        device_id = who.device_id,
        applied = counts[0],
        conflicted = counts[1],
        duplicates = counts[2],
        rejected = counts[3],
        statements,
        "push"
    );
    if state.faults.hold_reply {
        info!(
            device_id = who.device_id,
            "fault injection: push committed, reply held"
        );
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
    Ok(Json(reply))
}

tokio::task_local! {
    /// The statements one push sent to PostgreSQL (logged with it: a push is a fixed number of
    /// set-based statements, whatever its size; `team_server.rs` counts them).
    static STATEMENTS: std::cell::Cell<u32>;
}

fn counted() {
    let _ = STATEMENTS.try_with(|n| n.set(n.get() + 1));
}

pub(super) async fn all(
    tx: &Tx<'_>,
    sql: &str,
    p: &Params<'_>,
) -> Result<Vec<tokio_postgres::Row>, tokio_postgres::Error> {
    counted();
    let st = tx.prepare_cached(sql).await?;
    tx.query(&st, p).await
}

/// A row's state as the push goes: read from the server (under row-level security) or written
/// earlier in this push.
#[derive(Debug, Clone)]
struct RowState {
    case_id: Option<Uuid>,
    data: Map<String, Value>,
    deleted: bool,
    /// The change that set it: a sequence number, or this push's n-th applied change.
    last: Last,
    /// In `shared_rows` before this push (updated), or new (inserted).
    stored: bool,
}

#[derive(Debug, Clone, Copy)]
enum Last {
    Seq(i64),
    Applied(usize),
}

/// What the server says of a case the push names (`srt_push_cases`, one query per push).
#[derive(Debug, Clone, Copy)]
struct CaseInfo {
    known: bool,
    sees: bool,
    box_owner: Option<i64>,
}

/// An applied change waiting for its sequence number.
struct Applied<'c> {
    change: &'c Change,
    case_id: Option<Uuid>,
}

/// A conflict waiting to be recorded.
struct Conflicted<'c> {
    change: &'c Change,
    case_id: Option<Uuid>,
    columns: Map<String, Value>,
    server: Option<Last>,
}

enum Decision {
    Done(Outcome),
    /// A change id repeated inside one push: a duplicate of its first (the n-th decision).
    Repeat(usize),
    Applied(usize),
    Conflicted(usize),
}

/// The push in its transaction, set-based: the receipts, the rows' current values, the hidden
/// rows, the cases' scope and the team-data rights are each read in one query for the whole
/// push; each change is then decided in order in memory (a row written earlier in the push is
/// seen by the later changes); and the cases, the change log, the rows, the conflicts and the
/// receipts are written in one statement each. Row-level security stays the guard: the rows
/// are read and written as the member, and every row written passes the policies' checks.
async fn push_in(
    state: &AppState,
    tx: &Tx<'_>,
    who: &Who,
    changes: &[Change],
) -> ApiResult<(Value, [i64; 4])> {
    exec(tx, "SELECT pg_advisory_xact_lock($1)", &[&CHANGE_LOG_LOCK]).await?;
    exec(
        tx,
        "SELECT set_config('srt.device_id', $1, true)",
        &[&who.device_id.to_string()],
    )
    .await?;
    // The receipts of change ids seen before (a repeated push).
    let ids: Vec<Uuid> = changes.iter().map(|c| c.change_id).collect();
    let seen: std::collections::HashMap<Uuid, (String, Option<i64>, Option<i64>)> = all(
        tx,
        "SELECT change_id, outcome, seq, conflict_id FROM change_receipts WHERE change_id = ANY($1)",
        &[&ids],
    )
    .await?
    .iter()
    .map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3))))
    .collect();

    // The rows' current values, locked, as the member sees them.
    let mut keys: Vec<(&str, Uuid)> = Vec::new();
    let mut key_set: HashSet<(&str, Uuid)> = HashSet::new();
    for c in changes {
        if !seen.contains_key(&c.change_id) && key_set.insert((c.table.as_str(), c.row_id)) {
            keys.push((c.table.as_str(), c.row_id));
        }
    }
    let tbls: Vec<&str> = keys.iter().map(|k| k.0).collect();
    let rids: Vec<Uuid> = keys.iter().map(|k| k.1).collect();
    let mut rows: std::collections::HashMap<(String, Uuid), RowState> = Default::default();
    if !keys.is_empty() {
        for r in all(
            tx,
            "SELECT s.tbl, s.id, s.case_id, s.data, s.deleted, s.last_seq
             FROM unnest($1::text[], $2::uuid[]) AS u(t, i)
             JOIN shared_rows s ON s.tbl = u.t AND s.id = u.i
             FOR UPDATE OF s",
            &[&tbls, &rids],
        )
        .await?
        {
            let data: Value = r.get(3);
            rows.insert(
                (r.get(0), r.get(1)),
                RowState {
                    case_id: r.get(2),
                    data: data.as_object().cloned().unwrap_or_default(),
                    deleted: r.get(4),
                    last: Last::Seq(r.get(5)),
                    stored: true,
                },
            );
        }
    }
    // Rows that exist but not for this member: "not in scope", told apart from new ones.
    let unseen: Vec<(&str, Uuid)> = keys
        .iter()
        .filter(|(t, i)| !rows.contains_key(&(t.to_string(), *i)))
        .copied()
        .collect();
    let mut hidden: HashSet<(String, Uuid)> = HashSet::new();
    if !unseen.is_empty() {
        let t: Vec<&str> = unseen.iter().map(|k| k.0).collect();
        let i: Vec<Uuid> = unseen.iter().map(|k| k.1).collect();
        for r in all(tx, "SELECT tbl, id FROM srt_rows_exist($1, $2)", &[&t, &i]).await? {
            hidden.insert((r.get(0), r.get(1)));
        }
    }
    // The cases the push names: known, in the member's scope, a member box.
    let mut case_ids: Vec<Uuid> = Vec::new();
    let mut case_set: HashSet<Uuid> = HashSet::new();
    let mut team_rows = false;
    for c in changes {
        if seen.contains_key(&c.change_id) {
            continue;
        }
        let case = match rows.get(&(c.table.clone(), c.row_id)) {
            Some(row) => row.case_id,
            None if c.table == "cases" => Some(c.row_id),
            None => c.case_id,
        };
        match case {
            Some(case) => {
                if case_set.insert(case) {
                    case_ids.push(case);
                }
            }
            None => team_rows = true,
        }
    }
    let mut cases: std::collections::HashMap<Uuid, CaseInfo> = Default::default();
    if !case_ids.is_empty() {
        for r in all(
            tx,
            "SELECT case_id, known, sees, box_owner FROM srt_push_cases($1)",
            &[&case_ids],
        )
        .await?
        {
            cases.insert(
                r.get(0),
                CaseInfo {
                    known: r.get(1),
                    sees: r.get(2),
                    box_owner: r.get(3),
                },
            );
        }
    }
    // Team-wide rows: the member's right to write them, and the joining upload's exception.
    let (writes_team, joining) = if team_rows {
        let r = one(tx, "SELECT srt_writes_team_data(), srt_joining()", &[]).await?;
        (r.get::<_, bool>(0), r.get::<_, bool>(1))
    } else {
        (false, false)
    };

    // Each change in order, in memory.
    let mut decided: std::collections::HashMap<Uuid, bool> = Default::default();
    let mut new_cases: Vec<(Uuid, i64)> = Vec::new();
    let mut applied: Vec<Applied> = Vec::new();
    let mut conflicted: Vec<Conflicted> = Vec::new();
    let mut decisions: Vec<Decision> = Vec::with_capacity(changes.len());
    let mut counts = [0i64; 4];
    let mut first: std::collections::HashMap<Uuid, usize> = Default::default();
    for change in changes {
        if let Some(&n) = first.get(&change.change_id) {
            counts[2] += 1;
            decisions.push(Decision::Repeat(n));
            continue;
        }
        if let Some((outcome, seq, conflict_id)) = seen.get(&change.change_id) {
            counts[2] += 1;
            decisions.push(Decision::Done(Outcome {
                change_id: change.change_id,
                outcome: "duplicate",
                seq: *seq,
                conflict_id: *conflict_id,
                reason: Some(if outcome == "applied" {
                    "applied before"
                } else {
                    "conflicted before"
                }),
            }));
            continue;
        }
        let d = decide(
            change,
            who,
            &mut rows,
            &hidden,
            &cases,
            &mut decided,
            &mut new_cases,
            (writes_team, joining),
            &mut applied,
            &mut conflicted,
        );
        match &d {
            Decision::Applied(_) => counts[0] += 1,
            Decision::Conflicted(_) => counts[1] += 1,
            Decision::Done(o) if o.outcome == "applied" => counts[0] += 1,
            Decision::Done(_) => counts[3] += 1,
            Decision::Repeat(_) => counts[2] += 1,
        }
        if !matches!(&d, Decision::Done(o) if o.outcome == "rejected") {
            first.insert(change.change_id, decisions.len());
        }
        decisions.push(d);
    }

    // The new cases (and member boxes) first: the rows' policies look them up.
    if !new_cases.is_empty() {
        let ids: Vec<Uuid> = new_cases.iter().map(|c| c.0).collect();
        let owners: Vec<i64> = new_cases.iter().map(|c| c.1).collect();
        exec(
            tx,
            "INSERT INTO cases (id, owner_id) SELECT * FROM unnest($1::uuid[], $2::bigint[])
             ON CONFLICT DO NOTHING",
            &[&ids, &owners],
        )
        .await?;
        exec(
            tx,
            "INSERT INTO device_cases (device_id, member_id, case_id)
             SELECT $1::bigint, $2::bigint, c FROM unnest($3::uuid[]) AS c ON CONFLICT DO NOTHING",
            &[&who.device_id, &who.member_id, &ids],
        )
        .await?;
    }
    // The applied changes' sequence numbers, in the push's order (under the change log's lock).
    let mut seqs: Vec<i64> = Vec::new();
    if !applied.is_empty() {
        seqs = all(
            tx,
            "SELECT nextval(pg_get_serial_sequence('changes', 'seq')) FROM generate_series(1::bigint, $1::bigint)",
            &[&(applied.len() as i64)],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
        seqs.sort_unstable();
        let change_ids: Vec<Uuid> = applied.iter().map(|a| a.change.change_id).collect();
        let tbls: Vec<&str> = applied.iter().map(|a| a.change.table.as_str()).collect();
        let rids: Vec<Uuid> = applied.iter().map(|a| a.change.row_id).collect();
        let cids: Vec<Option<Uuid>> = applied.iter().map(|a| a.case_id).collect();
        let ops: Vec<&str> = applied.iter().map(|a| a.change.op.as_str()).collect();
        let cols: Vec<Value> = applied
            .iter()
            .map(|a| serde_json::to_value(&a.change.columns).unwrap_or(Value::Null))
            .collect();
        let hlcs: Vec<&str> = applied.iter().map(|a| a.change.hlc.as_str()).collect();
        exec(
            tx,
            "INSERT INTO changes (seq, change_id, tbl, row_id, case_id, op, columns, author_id, device_id, hlc)
             SELECT u.s, u.c, u.t, u.r, u.k, u.o, u.j, $9::bigint, $10::bigint, u.h
             FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::text[],
                         $7::jsonb[], $8::text[]) AS u(s, c, t, r, k, o, j, h)",
            &[
                &seqs,
                &change_ids,
                &tbls,
                &rids,
                &cids,
                &ops,
                &cols,
                &hlcs,
                &who.member_id,
                &who.device_id,
            ],
        )
        .await?;
        write_rows(tx, &rows, &seqs).await?;
        // A deleted row: its document's file goes with it, and its earlier values leave the
        // change log (a deletion by retention leaves no data).
        let deletes: Vec<(usize, &Applied)> = applied
            .iter()
            .enumerate()
            .filter(|(_, a)| a.change.op == Op::Delete)
            .collect();
        if !deletes.is_empty() {
            let files: Vec<Uuid> = deletes
                .iter()
                .filter(|(_, a)| a.change.table == "attachment")
                .map(|(_, a)| a.change.row_id)
                .collect();
            if !files.is_empty() {
                exec(tx, "DELETE FROM files WHERE row_id = ANY($1)", &[&files]).await?;
            }
            let t: Vec<&str> = deletes
                .iter()
                .map(|(_, a)| a.change.table.as_str())
                .collect();
            let r: Vec<Uuid> = deletes.iter().map(|(_, a)| a.change.row_id).collect();
            let s: Vec<i64> = deletes.iter().map(|(n, _)| seqs[*n]).collect();
            exec(
                tx,
                "UPDATE changes c SET columns = '{}'::jsonb
                 FROM unnest($1::text[], $2::uuid[], $3::bigint[]) AS d(t, r, s)
                 WHERE c.tbl = d.t AND c.row_id = d.r AND c.seq < d.s AND c.columns <> '{}'::jsonb",
                &[&t, &r, &s],
            )
            .await?;
        }
    }
    // The conflicts, with who set the server's value.
    let mut conflict_ids: Vec<i64> = Vec::new();
    if !conflicted.is_empty() {
        let earlier: Vec<i64> = conflicted
            .iter()
            .filter_map(|c| match c.server {
                Some(Last::Seq(s)) => Some(s),
                _ => None,
            })
            .collect();
        let mut authors: std::collections::HashMap<i64, i64> = Default::default();
        if !earlier.is_empty() {
            for r in all(
                tx,
                "SELECT seq, author_id FROM changes WHERE seq = ANY($1)",
                &[&earlier],
            )
            .await?
            {
                authors.insert(r.get(0), r.get(1));
            }
        }
        let (mut server_seq, mut server_author) = (Vec::new(), Vec::new());
        for c in &conflicted {
            let (s, a) = match c.server {
                Some(Last::Seq(s)) => (Some(s), authors.get(&s).copied()),
                Some(Last::Applied(n)) => (Some(seqs[n]), Some(who.member_id)),
                None => (None, None),
            };
            server_seq.push(s);
            server_author.push(a);
        }
        let change_ids: Vec<Uuid> = conflicted.iter().map(|c| c.change.change_id).collect();
        let tbls: Vec<&str> = conflicted.iter().map(|c| c.change.table.as_str()).collect();
        let rids: Vec<Uuid> = conflicted.iter().map(|c| c.change.row_id).collect();
        let cids: Vec<Option<Uuid>> = conflicted.iter().map(|c| c.case_id).collect();
        let ops: Vec<&str> = conflicted.iter().map(|c| c.change.op.as_str()).collect();
        let cols: Vec<Value> = conflicted
            .iter()
            .map(|c| Value::Object(c.columns.clone()))
            .collect();
        let hlcs: Vec<&str> = conflicted.iter().map(|c| c.change.hlc.as_str()).collect();
        let mut by_change: std::collections::HashMap<Uuid, i64> = Default::default();
        for r in all(
            tx,
            "INSERT INTO conflicts (change_id, tbl, row_id, case_id, op, columns, server_seq,
                                    server_author_id, author_id, device_id, hlc)
             SELECT u.c, u.t, u.r, u.k, u.o, u.j, u.s, u.a, $10::bigint, $11::bigint, u.h
             FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::jsonb[],
                         $7::bigint[], $8::bigint[], $9::text[]) WITH ORDINALITY AS u(c, t, r, k, o, j, s, a, h, n)
             ORDER BY u.n
             RETURNING change_id, id",
            &[
                &change_ids,
                &tbls,
                &rids,
                &cids,
                &ops,
                &cols,
                &server_seq,
                &server_author,
                &hlcs,
                &who.member_id,
                &who.device_id,
            ],
        )
        .await?
        {
            by_change.insert(r.get(0), r.get(1));
        }
        conflict_ids = conflicted
            .iter()
            .map(|c| by_change.get(&c.change.change_id).copied().unwrap_or(0))
            .collect();
    }

    if let Some(at) = state.faults.pause_push_at.filter(|&at| at < changes.len()) {
        info!(
            device_id = who.device_id,
            at, "fault injection: push paused"
        );
        tokio::time::sleep(Duration::from_secs(60)).await;
    }

    // The answer per change, and this push's receipts in one statement.
    let mut results: Vec<Outcome> = Vec::with_capacity(changes.len());
    let mut receipts: Vec<(Uuid, &str, Option<i64>, Option<i64>)> = Vec::new();
    for d in decisions {
        let o = match d {
            Decision::Done(o) => o,
            Decision::Repeat(n) => {
                let f = &results[n];
                results.push(Outcome {
                    change_id: f.change_id,
                    outcome: "duplicate",
                    seq: f.seq,
                    conflict_id: f.conflict_id,
                    reason: Some(if f.outcome == "applied" {
                        "applied before"
                    } else {
                        "conflicted before"
                    }),
                });
                continue;
            }
            Decision::Applied(n) => Outcome {
                change_id: applied[n].change.change_id,
                outcome: "applied",
                seq: Some(seqs[n]),
                conflict_id: None,
                reason: None,
            },
            Decision::Conflicted(n) => Outcome {
                change_id: conflicted[n].change.change_id,
                outcome: "conflicted",
                seq: None,
                conflict_id: Some(conflict_ids[n]),
                reason: None,
            },
        };
        if o.outcome == "applied" || o.outcome == "conflicted" {
            receipts.push((o.change_id, o.outcome, o.seq, o.conflict_id));
        }
        results.push(o);
    }
    if !receipts.is_empty() {
        let ids: Vec<Uuid> = receipts.iter().map(|r| r.0).collect();
        let outcomes: Vec<&str> = receipts.iter().map(|r| r.1).collect();
        let seqs: Vec<Option<i64>> = receipts.iter().map(|r| r.2).collect();
        let conflict_ids: Vec<Option<i64>> = receipts.iter().map(|r| r.3).collect();
        exec(
            tx,
            "INSERT INTO change_receipts (change_id, member_id, device_id, outcome, seq, conflict_id)
             SELECT u.c, $2, $3, u.o, u.s, u.k
             FROM unnest($1::uuid[], $4::text[], $5::bigint[], $6::bigint[]) AS u(c, o, s, k)",
            &[&ids, &who.member_id, &who.device_id, &outcomes, &seqs, &conflict_ids],
        )
        .await?;
    }
    // Which cases the push touched goes with its notification, so that each open event stream
    // decides in memory whether it concerns its device (events.rs).
    if let Some(note) = pushed(who, &seqs, applied.iter().map(|a| a.case_id), &new_cases) {
        exec(
            tx,
            "SELECT pg_notify('srt_changes', $1)",
            &[&note.payload()],
        )
        .await?;
    }
    Ok((
        json!({
            "results": results,
            "applied": counts[0],
            "conflicted": counts[1],
            "duplicates": counts[2],
            "rejected": counts[3],
        }),
        counts,
    ))
}

/// One change, decided against the rows and cases as they stand at this point of the push:
/// rejected (outside the member's scope), applied (the row's new value kept in `rows`), or a
/// conflict with both values.
#[allow(clippy::too_many_arguments)]
fn decide<'c>(
    change: &'c Change,
    who: &Who,
    rows: &mut std::collections::HashMap<(String, Uuid), RowState>,
    hidden: &HashSet<(String, Uuid)>,
    cases: &std::collections::HashMap<Uuid, CaseInfo>,
    decided: &mut std::collections::HashMap<Uuid, bool>,
    new_cases: &mut Vec<(Uuid, i64)>,
    (writes_team, joining): (bool, bool),
    applied: &mut Vec<Applied<'c>>,
    conflicted: &mut Vec<Conflicted<'c>>,
) -> Decision {
    let key = (change.table.clone(), change.row_id);
    let current = rows.get(&key);
    if current.is_none() && hidden.contains(&key) {
        return Decision::Done(rejected(change, "not_in_scope"));
    }
    // The case a row belongs to is fixed when it is first written.
    let case_id: Option<Uuid> = match current {
        Some(row) => row.case_id,
        None if change.table == "cases" => Some(change.row_id),
        None => change.case_id,
    };
    match case_id {
        Some(case) => match decided.get(&case) {
            Some(true) => {}
            Some(false) => return Decision::Done(rejected(change, "not_in_scope")),
            None => {
                let info = cases.get(&case).copied().unwrap_or(CaseInfo {
                    known: false,
                    sees: false,
                    box_owner: None,
                });
                if !info.known {
                    if change.table == "cases" && change.op == Op::Insert {
                        new_cases.push((case, who.member_id));
                        decided.insert(case, true);
                    } else if let Some(owner) = info.box_owner {
                        // A member box (docs/team-protocol.md): made by its member's first
                        // row, or by the lead giving the member a task.
                        if owner != who.member_id && who.role != "lead" {
                            decided.insert(case, false);
                            return Decision::Done(rejected(change, "not_in_scope"));
                        }
                        new_cases.push((case, owner));
                        decided.insert(case, true);
                    } else {
                        return Decision::Done(rejected(change, "unknown_case"));
                    }
                } else {
                    decided.insert(case, info.sees);
                    if !info.sees {
                        return Decision::Done(rejected(change, "not_in_scope"));
                    }
                }
            }
        },
        None => {
            // A new team-wide row in the device's first upload (a desk joining with providers
            // and partners of its own): taken; a change of an existing one is not.
            let joining_insert = joining && change.op == Op::Insert && current.is_none();
            if !(writes_team || joining_insert) {
                return Decision::Done(rejected(change, "team_data_read_only"));
            }
        }
    }

    let exists = current.is_some_and(|r| !r.deleted);
    // Delete of a row that is gone: nothing to do, and nothing to conflict with.
    if change.op == Op::Delete && !exists {
        return Decision::Done(Outcome {
            change_id: change.change_id,
            outcome: "applied",
            seq: None,
            conflict_id: None,
            reason: Some("already_gone"),
        });
    }
    // The base check: every changed column must still hold its base value (or already hold the
    // new one). An update of a missing row, or an insert over a different existing row, conflicts.
    let server_value = |col: &str| match current {
        Some(r) if exists => r.data.get(col).cloned().unwrap_or(Value::Null),
        _ => Value::Null,
    };
    let holds = |col: &str, cc: &ColumnChange| {
        let cur = server_value(col);
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
            cols.insert(
                c.clone(),
                json!({"base": cc.base, "server": server_value(c), "mine": cc.new}),
            );
        }
        conflicted.push(Conflicted {
            change,
            case_id,
            columns: cols,
            server: current.map(|r| r.last),
        });
        return Decision::Conflicted(conflicted.len() - 1);
    }
    let n = applied.len();
    applied.push(Applied { change, case_id });
    let mut row = current.cloned().unwrap_or(RowState {
        case_id,
        data: Map::new(),
        deleted: false,
        last: Last::Applied(n),
        stored: false,
    });
    if change.op == Op::Delete {
        // Nothing of a deleted row stays on the server but its id.
        row.data = Map::new();
    } else {
        for (c, cc) in &change.columns {
            row.data.insert(c.clone(), cc.new.clone());
        }
    }
    row.deleted = change.op == Op::Delete;
    row.last = Last::Applied(n);
    rows.insert(key, row);
    Decision::Applied(n)
}

/// The rows this push changed, at their last value: those the server had updated, the new ones
/// inserted, one statement each.
async fn write_rows(
    tx: &Tx<'_>,
    rows: &std::collections::HashMap<(String, Uuid), RowState>,
    seqs: &[i64],
) -> ApiResult<()> {
    let (mut upd, mut ins) = (Vec::new(), Vec::new());
    for ((t, i), r) in rows {
        if let Last::Applied(n) = r.last {
            let v = (t.as_str(), *i, r, seqs[n]);
            if r.stored {
                upd.push(v)
            } else {
                ins.push(v)
            }
        }
    }
    if !upd.is_empty() {
        let t: Vec<&str> = upd.iter().map(|v| v.0).collect();
        let i: Vec<Uuid> = upd.iter().map(|v| v.1).collect();
        let d: Vec<Value> = upd
            .iter()
            .map(|v| Value::Object(v.2.data.clone()))
            .collect();
        let x: Vec<bool> = upd.iter().map(|v| v.2.deleted).collect();
        let s: Vec<i64> = upd.iter().map(|v| v.3).collect();
        let n = exec(
            tx,
            "UPDATE shared_rows s SET data = u.d, deleted = u.x, last_seq = u.s
             FROM unnest($1::text[], $2::uuid[], $3::jsonb[], $4::boolean[], $5::bigint[])
                  AS u(t, i, d, x, s)
             WHERE s.tbl = u.t AND s.id = u.i",
            &[&t, &i, &d, &x, &s],
        )
        .await?;
        if n != upd.len() as u64 {
            return Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "push_rows",
                format!("push: {n} of {} rows updated", upd.len()),
            ));
        }
    }
    if !ins.is_empty() {
        let t: Vec<&str> = ins.iter().map(|v| v.0).collect();
        let i: Vec<Uuid> = ins.iter().map(|v| v.1).collect();
        let k: Vec<Option<Uuid>> = ins.iter().map(|v| v.2.case_id).collect();
        let d: Vec<Value> = ins
            .iter()
            .map(|v| Value::Object(v.2.data.clone()))
            .collect();
        let x: Vec<bool> = ins.iter().map(|v| v.2.deleted).collect();
        let s: Vec<i64> = ins.iter().map(|v| v.3).collect();
        exec(
            tx,
            "INSERT INTO shared_rows (tbl, id, case_id, data, deleted, last_seq)
             SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::jsonb[], $5::boolean[],
                                  $6::bigint[])",
            &[&t, &i, &k, &d, &x, &s],
        )
        .await?;
    }
    Ok(())
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
