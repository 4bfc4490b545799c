//! Server-sent events: "new changes up to seq N", fed by LISTEN/NOTIFY.

use super::*;

pub(super) async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let token = bearer(&headers)?;
    let token_hash = secrets::token_hash(&token);
    let (client, who) = session(&state, &headers).await?;
    let max_seq: i64 = client.query_one("SELECT srt_max_seq()", &[]).await?.get(0);
    drop(client);
    let rx = state.events.subscribe();
    info!(device_id = who.device_id, "events stream opened");
    let ready = futures_util::stream::once(async move {
        Ok(Event::default()
            .event("ready")
            .data(json!({"seq": max_seq}).to_string()))
    });
    let changes = futures_util::stream::unfold(
        (rx, state, token_hash),
        |(mut rx, state, token_hash)| async move {
            loop {
                match rx.recv().await {
                    Ok(seq) => {
                        // A device revoked meanwhile gets nothing more.
                        let valid = match state.pool.get().await {
                            Ok(mut c) => authenticate_hash(&mut c, &token_hash).await.is_ok(),
                            Err(_) => false,
                        };
                        if !valid {
                            return None;
                        }
                        let event = Event::default()
                            .event("changes")
                            .data(json!({"seq": seq}).to_string());
                        return Some((Ok(event), (rx, state, token_hash)));
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        },
    );
    Ok(Sse::new(ready.chain(changes)).keep_alive(KeepAlive::default()))
}
