//! Server-sent events, fed by LISTEN/NOTIFY: `changes` when changes that concern this device
//! arrived (team-wide ones, those of the cases it holds and a new case in its scope, not its
//! own), `team` when the team changed without a new change (a substitution, a reassignment: the
//! notification repeats the highest seq).
//!
//! Each stream keeps its device's held cases and the colleagues its member substitutes for, so
//! that a push's notification (which names the cases it touched: notify.rs) is decided in memory;
//! only a stream it concerns checks the token (a revoked device gets nothing) before it wakes its
//! desk. PostgreSQL is asked (`srt_changes_for_device`, as the device's member) only when the
//! notification cannot tell: a push of too many cases, a new case of a colleague the member has a
//! substitution for, a conflict's resolution, or notifications this stream missed.

use super::*;

/// What a stream knows of its device between notifications.
struct Watch {
    rx: broadcast::Receiver<Arc<Note>>,
    state: AppState,
    token_hash: String,
    who: Who,
    /// The highest sequence number decided.
    seen: i64,
    /// The cases the device holds (`device_cases`; not kept for the lead, who sees every case).
    held: HashSet<Uuid>,
    /// The members this member substitutes for (not cancelled, any dates).
    absent: HashSet<i64>,
    /// Notifications were missed (the stream lagged): ask, and read the held cases again.
    missed: bool,
}

pub(super) async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let token = bearer(&headers)?;
    let token_hash = secrets::token_hash(&token);
    let (mut client, who) = session(&state, &headers).await?;
    // Subscribed before the highest seq and the held cases are read: a change committed in
    // between comes as an event (at worst a `team` one, a sync more), never lost.
    let rx = state.events.subscribe();
    let max_seq: i64 = client.query_one("SELECT srt_max_seq()", &[]).await?.get(0);
    let (held, absent) = scope(&mut client, &who).await.map_err(|e| {
        warn!(device_id = who.device_id, error = %e.0, "events: scope failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "database",
            "the database refused the request",
        )
    })?;
    drop(client);
    info!(device_id = who.device_id, "events stream opened");
    let ready = futures_util::stream::once(async move {
        Ok(Event::default()
            .event("ready")
            .data(json!({"seq": max_seq}).to_string()))
    });
    let watch = Watch {
        rx,
        state,
        token_hash,
        who,
        seen: max_seq,
        held,
        absent,
        missed: false,
    };
    let changes = futures_util::stream::unfold(watch, |mut w| async move {
        loop {
            let note = match w.rx.recv().await {
                Ok(note) => note,
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    w.missed = true;
                    continue;
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            match w.next(&note).await {
                Next::Quiet => {}
                Next::End => return None,
                Next::Send(event) => return Some((Ok(event), w)),
            }
        }
    });
    Ok(Sse::new(ready.chain(changes)).keep_alive(KeepAlive::default()))
}

enum Next {
    Quiet,
    End,
    Send(Event),
}

impl Watch {
    async fn next(&mut self, note: &Note) -> Next {
        let me = self.who.device_id;
        match note {
            Note::Revoked(d) if *d == me => Next::End,
            Note::Held(d) if *d == me => match self.reload().await {
                Ok(()) => Next::Quiet,
                Err(end) => end,
            },
            Note::Revoked(_) | Note::Held(_) => Next::Quiet,
            Note::Seq(seq) if *seq <= self.seen => self.team(*seq).await,
            Note::Pushed(p) if p.upto <= self.seen => self.team(p.upto).await,
            Note::Seq(seq) => self.ask(*seq).await,
            Note::Pushed(p) => {
                if self.missed || p.from > self.seen {
                    // Notifications missed (or numbers a failed transaction used): PostgreSQL
                    // counts them; after its own push, the cases it made are read too.
                    self.missed |= p.device == me;
                    return self.ask(p.upto).await;
                }
                if p.device == me {
                    // Its own push: the cases it made are held by it now (the push's
                    // `device_cases`); nothing to wake it for.
                    self.seen = p.upto;
                    if let Some(t) = &p.what {
                        self.held.extend(t.new_cases.iter().map(|c| c.0));
                    } else if let Err(end) = self.reload().await {
                        // A push of too many cases to name (a first push): read them.
                        return end;
                    }
                    return Next::Quiet;
                }
                let Some(n) = self.concerns(p) else {
                    return self.ask(p.upto).await;
                };
                if n == 0 {
                    self.seen = p.upto;
                    return Next::Quiet;
                }
                // A revoked device gets nothing more. (Without a connection now, the next
                // notification finds the gap and asks.)
                match self.authenticate().await {
                    Ok(()) => {
                        self.seen = p.upto;
                        Next::Send(changes_event(p.upto, n))
                    }
                    Err(end) => end,
                }
            }
        }
    }

    /// How many of a push's changes concern this device, from the notification alone; `None`
    /// when it cannot tell.
    fn concerns(&self, p: &Pushed) -> Option<i64> {
        let t = p.what.as_ref();
        if self.who.role == "lead" {
            // The lead sees every case: each change is of a case held or sent whole next pull.
            return Some(match t {
                Some(t) => t.team + t.cases.iter().map(|c| c.1).sum::<i64>(),
                None => p.upto - p.from,
            });
        }
        let t = t?;
        let mut n = t.team;
        n += t
            .cases
            .iter()
            .filter(|(c, _)| self.held.contains(c))
            .map(|c| c.1)
            .sum::<i64>();
        for (case, owner) in &t.new_cases {
            if *owner == self.who.member_id {
                n += 1;
            } else if self.absent.contains(owner) && !self.held.contains(case) {
                // A colleague's new case, whom this member substitutes for: today?
                return None;
            }
        }
        Some(n)
    }

    /// The team changed (or a change came before this stream's start): the token checked, the
    /// scope read again, and a `team` event.
    async fn team(&mut self, seq: i64) -> Next {
        match self.reload().await {
            Ok(()) => Next::Send(
                Event::default()
                    .event("team")
                    .data(json!({"seq": seq}).to_string()),
            ),
            Err(end) => end,
        }
    }

    /// PostgreSQL counts the changes in (seen, upto] that concern the device, as its member.
    async fn ask(&mut self, upto: i64) -> Next {
        let Ok(mut c) = self.state.pool.get().await else {
            return Next::Quiet;
        };
        let Ok(who) = authenticate_hash(&mut c, &self.token_hash).await else {
            return Next::End;
        };
        if self.missed {
            match scope(&mut c, &who).await {
                Ok((held, absent)) => (self.held, self.absent) = (held, absent),
                Err(e) => {
                    warn!(device_id = who.device_id, error = %e.0, "events: scope failed");
                    return Next::Quiet;
                }
            }
            self.missed = false;
        }
        let n = match concerning(&mut c, &who, self.seen, upto).await {
            Ok(n) => n,
            Err(e) => {
                warn!(device_id = who.device_id, error = %e.0, "events: count failed");
                return Next::Quiet;
            }
        };
        self.seen = upto;
        if n == 0 {
            Next::Quiet
        } else {
            Next::Send(changes_event(upto, n))
        }
    }

    /// The token checked; a revoked device's stream ends.
    async fn authenticate(&mut self) -> Result<(), Next> {
        let Ok(mut c) = self.state.pool.get().await else {
            return Err(Next::Quiet);
        };
        authenticate_hash(&mut c, &self.token_hash)
            .await
            .map(|_| ())
            .map_err(|_| Next::End)
    }

    /// The token checked and the held cases and substitutions read again.
    async fn reload(&mut self) -> Result<(), Next> {
        let Ok(mut c) = self.state.pool.get().await else {
            return Err(Next::Quiet);
        };
        let Ok(who) = authenticate_hash(&mut c, &self.token_hash).await else {
            return Err(Next::End);
        };
        match scope(&mut c, &who).await {
            Ok((held, absent)) => {
                (self.held, self.absent) = (held, absent);
                self.missed = false;
                Ok(())
            }
            Err(e) => {
                warn!(device_id = who.device_id, error = %e.0, "events: scope failed");
                Err(Next::Quiet)
            }
        }
    }
}

fn changes_event(seq: i64, n: i64) -> Event {
    Event::default()
        .event("changes")
        .data(json!({"seq": seq, "changes": n}).to_string())
}

/// The cases the device holds (none kept for the lead) and the members its member substitutes
/// for, read as the member.
async fn scope(
    c: &mut deadpool_postgres::Object,
    who: &Who,
) -> Result<(HashSet<Uuid>, HashSet<i64>), Describe> {
    let tx = c.transaction().await?;
    act_as(&tx, Some(who.member_id)).await?;
    let held = if who.role == "lead" {
        HashSet::new()
    } else {
        tx.query(
            "SELECT case_id FROM device_cases WHERE device_id = $1",
            &[&who.device_id],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect()
    };
    let absent = tx
        .query(
            "SELECT absent_id FROM substitutions WHERE substitute_id = $1 AND cancelled_at IS NULL",
            &[&who.member_id],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    tx.commit().await?;
    Ok((held, absent))
}

/// How many changes in (after, upto] concern the device, asked as its member.
async fn concerning(
    c: &mut deadpool_postgres::Object,
    who: &Who,
    after: i64,
    upto: i64,
) -> Result<i64, Describe> {
    let tx = c.transaction().await?;
    act_as(&tx, Some(who.member_id)).await?;
    let n: i64 = tx
        .query_one(
            "SELECT srt_changes_for_device($1, $2, $3)",
            &[&who.device_id, &after, &upto],
        )
        .await?
        .get(0);
    tx.commit().await?;
    Ok(n)
}

/// A PostgreSQL error described for the log (no values).
struct Describe(String);

impl From<tokio_postgres::Error> for Describe {
    fn from(e: tokio_postgres::Error) -> Self {
        Describe(describe(&e))
    }
}
