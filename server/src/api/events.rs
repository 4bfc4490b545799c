//! Server-sent events, fed by LISTEN/NOTIFY: `changes` when changes that concern this device
//! arrived (team-wide ones and those of the cases it holds, not its own: counted by
//! `srt_changes_for_device` as the device's member), `team` when the team changed without a new
//! change (a substitution, a reassignment: the notification repeats the highest seq).

use super::*;

pub(super) async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let token = bearer(&headers)?;
    let token_hash = secrets::token_hash(&token);
    let (client, who) = session(&state, &headers).await?;
    // Subscribed before the highest seq is read: a change committed in between comes as an
    // event (at worst a `team` one, a sync more), never lost.
    let rx = state.events.subscribe();
    let max_seq: i64 = client.query_one("SELECT srt_max_seq()", &[]).await?.get(0);
    drop(client);
    info!(device_id = who.device_id, "events stream opened");
    let ready = futures_util::stream::once(async move {
        Ok(Event::default()
            .event("ready")
            .data(json!({"seq": max_seq}).to_string()))
    });
    let changes = futures_util::stream::unfold(
        (rx, state, token_hash, max_seq),
        |(mut rx, state, token_hash, mut seen)| async move {
            loop {
                let seq = match rx.recv().await {
                    Ok(seq) => seq,
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                };
                let Ok(mut c) = state.pool.get().await else {
                    continue;
                };
                // A device revoked meanwhile gets nothing more.
                let Ok(who) = authenticate_hash(&mut c, &token_hash).await else {
                    return None;
                };
                let event = if seq <= seen {
                    Event::default()
                        .event("team")
                        .data(json!({"seq": seq}).to_string())
                } else {
                    let n = match concerning(&mut c, &who, seen, seq).await {
                        Ok(n) => n,
                        Err(e) => {
                            warn!(device_id = who.device_id, error = %e.0, "events: count failed");
                            continue;
                        }
                    };
                    seen = seq;
                    if n == 0 {
                        continue;
                    }
                    Event::default()
                        .event("changes")
                        .data(json!({"seq": seq, "changes": n}).to_string())
                };
                return Some((Ok(event), (rx, state, token_hash, seen)));
            }
        },
    );
    Ok(Sse::new(ready.chain(changes)).keep_alive(KeepAlive::default()))
}

/// How many changes in (after, upto] concern the device, asked as its member.
async fn concerning(
    c: &mut deadpool_postgres::Object,
    who: &Who,
    after: i64,
    upto: i64,
) -> Result<i64, Describe> {
    let tx = c.transaction().await.map_err(Describe::from)?;
    act_as(&tx, Some(who.member_id))
        .await
        .map_err(Describe::from)?;
    let n: i64 = tx
        .query_one(
            "SELECT srt_changes_for_device($1, $2, $3)",
            &[&who.device_id, &after, &upto],
        )
        .await
        .map_err(Describe::from)?
        .get(0);
    tx.commit().await.map_err(Describe::from)?;
    Ok(n)
}

/// A PostgreSQL error described for the log (no values).
struct Describe(String);

impl From<tokio_postgres::Error> for Describe {
    fn from(e: tokio_postgres::Error) -> Self {
        Describe(describe(&e))
    }
}
