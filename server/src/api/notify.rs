//! What a notification on `srt_changes` says (PostgreSQL NOTIFY, so every instance's event
//! streams hear it), and how a push writes it. Ids and numbers only, as the logs.
//!
//! - `N` (a bare sequence number): the team changed without a change of its own (a
//!   substitution, a reassignment, a setting) when `N` is no news to a stream, otherwise changes
//!   up to `N` the stream must ask PostgreSQL about (a conflict's resolution, an older instance).
//! - `p FROM UPTO DEVICE TEAM [cCASE[*COUNT]]… [nCASE.OWNER]…`: a push by DEVICE applied the
//!   changes FROM < seq <= UPTO: TEAM of them team-wide, COUNT (1 when left out) of each case,
//!   and it made the cases (or member boxes) after `n`, each owned by OWNER. Case ids in
//!   URL-safe base64 without padding (22 characters), so that a day's push of ~300 cases fits
//!   NOTIFY's 8 000 bytes; a push of more cases sends `p FROM UPTO DEVICE ?` and the streams ask.
//! - `h DEVICE`: a pull changed which cases DEVICE holds (snapshots or purges): its streams read
//!   them again.
//! - `r DEVICE`: DEVICE was revoked: its streams end at once.

use base64::Engine;

use super::*;

/// Below NOTIFY's limit of 8 000 bytes.
const PAYLOAD_MAX: usize = 7_900;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Note {
    Seq(i64),
    Pushed(Pushed),
    Held(i64),
    Revoked(i64),
}

/// A push's applied changes.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Pushed {
    /// The changes are those with `from < seq <= upto`.
    pub(super) from: i64,
    pub(super) upto: i64,
    pub(super) device: i64,
    /// Which cases they touch; `None` when they did not fit in a notification.
    pub(super) what: Option<Touched>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Touched {
    /// Team-wide changes.
    pub(super) team: i64,
    /// Changes per case (in the order first touched).
    pub(super) cases: Vec<(Uuid, i64)>,
    /// Cases and member boxes the push made, with their owner.
    pub(super) new_cases: Vec<(Uuid, i64)>,
}

impl Pushed {
    /// The notification's payload; without the cases when they do not fit.
    pub(super) fn payload(&self) -> String {
        let head = format!("p {} {} {}", self.from, self.upto, self.device);
        let Some(t) = &self.what else {
            return format!("{head} ?");
        };
        let mut s = format!("{head} {}", t.team);
        for (case, n) in &t.cases {
            s.push_str(" c");
            s.push_str(&B64.encode(case.as_bytes()));
            if *n != 1 {
                s.push_str(&format!("*{n}"));
            }
            if s.len() > PAYLOAD_MAX {
                return format!("{head} ?");
            }
        }
        for (case, owner) in &t.new_cases {
            s.push_str(&format!(" n{}.{owner}", B64.encode(case.as_bytes())));
            if s.len() > PAYLOAD_MAX {
                return format!("{head} ?");
            }
        }
        s
    }
}

fn case_id(b64: &str) -> Option<Uuid> {
    Uuid::from_slice(&B64.decode(b64).ok()?).ok()
}

impl Note {
    /// A notification's payload read; `None` when it is not one of the forms above.
    pub(super) fn parse(payload: &str) -> Option<Note> {
        if let Ok(seq) = payload.parse::<i64>() {
            return Some(Note::Seq(seq));
        }
        let mut words = payload.split(' ');
        match words.next()? {
            "h" => Some(Note::Held(words.next()?.parse().ok()?)),
            "r" => Some(Note::Revoked(words.next()?.parse().ok()?)),
            "p" => {
                let from = words.next()?.parse().ok()?;
                let upto = words.next()?.parse().ok()?;
                let device = words.next()?.parse().ok()?;
                let team = words.next()?;
                let what = if team == "?" {
                    None
                } else {
                    let mut t = Touched {
                        team: team.parse().ok()?,
                        ..Touched::default()
                    };
                    for w in words {
                        if let Some(c) = w.strip_prefix('c') {
                            let (id, n) = match c.split_once('*') {
                                Some((id, n)) => (id, n.parse().ok()?),
                                None => (c, 1),
                            };
                            t.cases.push((case_id(id)?, n));
                        } else if let Some(c) = w.strip_prefix('n') {
                            let (id, owner) = c.split_once('.')?;
                            t.new_cases.push((case_id(id)?, owner.parse().ok()?));
                        } else {
                            return None;
                        }
                    }
                    Some(t)
                };
                Some(Note::Pushed(Pushed {
                    from,
                    upto,
                    device,
                    what,
                }))
            }
            _ => None,
        }
    }
}

/// The notification of a push's applied changes (`case_ids`: each applied change's case, in
/// the push's order; `seqs`: their sequence numbers, ascending).
pub(super) fn pushed(
    who: &Who,
    seqs: &[i64],
    case_ids: impl Iterator<Item = Option<Uuid>>,
    new_cases: &[(Uuid, i64)],
) -> Option<Pushed> {
    let (first, last) = (*seqs.first()?, *seqs.last()?);
    let mut t = Touched {
        new_cases: new_cases.to_vec(),
        ..Touched::default()
    };
    let mut at: std::collections::HashMap<Uuid, usize> = Default::default();
    for case in case_ids {
        match case {
            None => t.team += 1,
            Some(c) => match at.get(&c) {
                Some(&i) => t.cases[i].1 += 1,
                None => {
                    at.insert(c, t.cases.len());
                    t.cases.push((c, 1));
                }
            },
        }
    }
    Some(Pushed {
        from: first - 1,
        upto: last,
        device: who.device_id,
        what: Some(t),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who() -> Who {
        Who {
            member_id: 3,
            device_id: 7,
            role: "coordinator".into(),
        }
    }

    #[test]
    fn a_push_note_reads_back_as_written_and_falls_back_to_asking_when_too_long() {
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let cases = [Some(a), None, Some(b), Some(a), None, Some(a)];
        let p = pushed(
            &who(),
            &[41, 42, 43, 44, 45, 46],
            cases.into_iter(),
            &[(c, 3)],
        )
        .expect("a note");
        assert_eq!((p.from, p.upto, p.device), (40, 46, 7));
        let t = p.what.clone().expect("cases");
        assert_eq!(t.team, 2);
        assert_eq!(t.cases, vec![(a, 3), (b, 1)]);
        let payload = p.payload();
        assert!(payload.len() < 120, "{payload}");
        assert_eq!(Note::parse(&payload), Some(Note::Pushed(p)));

        // 400 cases do not fit: the note says so and the streams ask.
        let many: Vec<Option<Uuid>> = (0..400).map(|_| Some(Uuid::now_v7())).collect();
        let seqs: Vec<i64> = (1..=400).collect();
        let p = pushed(&who(), &seqs, many.into_iter(), &[]).expect("a note");
        let payload = p.payload();
        assert!(payload.len() < 8_000);
        assert_eq!(
            Note::parse(&payload),
            Some(Note::Pushed(Pushed { what: None, ..p }))
        );
        // 250 cases (a day's push) fit.
        let day: Vec<Option<Uuid>> = (0..250).map(|_| Some(Uuid::now_v7())).collect();
        let p = pushed(&who(), &seqs[..250], day.into_iter(), &[]).expect("a note");
        assert!(p.payload().len() <= PAYLOAD_MAX);
        assert_eq!(Note::parse(&p.payload()), Some(Note::Pushed(p)));

        assert_eq!(Note::parse("17"), Some(Note::Seq(17)));
        assert_eq!(Note::parse("h 7"), Some(Note::Held(7)));
        assert_eq!(Note::parse("r 9"), Some(Note::Revoked(9)));
        assert_eq!(Note::parse("x 9"), None);
        assert_eq!(Note::parse("p 1 2 3 4 zz"), None);
        assert!(pushed(&who(), &[], std::iter::empty(), &[]).is_none());
    }
}
