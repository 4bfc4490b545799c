//! Deterministic synthetic demo data: clearly fake names ("Näidis", "Proov"…), valid synthetic
//! personal codes, cases spread over every status. Never a real person's data.

pub(crate) mod desk;
pub mod history;
pub(crate) mod work;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::Transaction;

use crate::cases::ids::{PersonalCode, Sex};
use crate::cases::{
    self, ApplicationInput, CaseStatus, ChildInput, GuardianInput, RouteInput, ValidApplication,
};
use crate::error::Result;

/// A small, seedable generator (SplitMix64): the same seed gives the same data everywhere.
#[derive(Debug, Clone)]
pub struct DemoRng(u64);

impl DemoRng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const GIRLS: [&str; 10] = [
    "Mari", "Liis", "Anna", "Eliise", "Sofia", "Polina", "Lisete", "Emma", "Mia", "Darja",
];
const BOYS: [&str; 10] = [
    "Jaan", "Karl", "Oskar", "Rasmus", "Mark", "Artjom", "Robin", "Henri", "Sander", "Maksim",
];
const ADULTS: [&str; 8] = [
    "Kadri", "Tiina", "Anneli", "Olga", "Margus", "Priit", "Andrei", "Kristi",
];
const SURNAMES: [&str; 10] = [
    "Näidis",
    "Proov",
    "Näidis-Õunapuu",
    "Proovimets",
    "Näidiskask",
    "Demotamm",
    "Testisaar",
    "Proovikivi",
    "Näidismägi",
    "Demolepp",
];
const WORKERS: [&str; 4] = [
    "Kati Näidistöötaja",
    "Peeter Proovitöötaja",
    "Svetlana Demotöötaja",
    "Urmas Testitöötaja",
];

/// Path of statuses a demo case walks through, chosen so every status is represented.
fn walk_to(target: CaseStatus) -> Vec<(CaseStatus, &'static str)> {
    use CaseStatus::*;
    let mut path = vec![];
    match target {
        Received => {}
        Incomplete => path.push((
            Incomplete,
            "Puudub arsti hinnang; tähtaeg parandamiseks 14 päeva",
        )),
        Closed => {
            path.push((InAssessment, ""));
            path.push((Decided, ""));
            path.push((ProviderChosen, ""));
            path.push((InService, ""));
            path.push((Closed, "Suunamisotsuse kehtivus lõppes"));
        }
        other => {
            for s in [InAssessment, Decided, ProviderChosen, InService] {
                path.push((s, ""));
                if s == other {
                    break;
                }
            }
        }
    }
    path
}

/// How far a demo load has come: a decade of cases takes most of a minute, and `srt-admin demo`
/// shows where it is. Reported in this order: the cases (from 0, every [`cases_report_step`]
/// cases and at `total`), their history, the kept rows, the commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoStep {
    Cases { done: usize, total: usize },
    History,
    KeptRows,
    Writing,
}

impl DemoStep {
    pub const STEPS: usize = 4;

    /// 1 to [`DemoStep::STEPS`].
    pub fn number(&self) -> usize {
        match self {
            DemoStep::Cases { .. } => 1,
            DemoStep::History => 2,
            DemoStep::KeptRows => 3,
            DemoStep::Writing => 4,
        }
    }

    /// What the step does, in Estonian and English.
    pub fn label(&self) -> &'static str {
        match self {
            DemoStep::Cases { .. } => "juhtumid / cases",
            DemoStep::History => {
                "otsused, kohtumised, arved, tagasiside / decisions, meetings, invoices, feedback"
            }
            DemoStep::KeptRows => {
                "töölaua ja statistika read / the dashboard's and statistics' rows"
            }
            DemoStep::Writing => "kirjutamine faili / writing the file",
        }
    }
}

/// Every how many cases the case step reports: twenty reports for any `n`, at least 100 cases apart.
pub fn cases_report_step(n: usize) -> usize {
    (n / 20).max(100)
}

/// A demo's cases and their history in `tx` as of `today` (its last second as `now`), for the
/// tests that build a desk in memory.
#[cfg(test)]
pub(crate) fn generate_as_of(tx: &Transaction, n: usize, seed: u64, today: NaiveDate) {
    let municipalities = crate::cases::places::municipality_codes(tx).expect("places");
    let end_of_day = today
        .and_hms_opt(23, 59, 59)
        .map_or_else(Utc::now, |t| t.and_utc());
    generate(tx, n, seed, (today, end_of_day), &municipalities).expect("cases");
    crate::demo::history::generate(tx, seed, (today, end_of_day)).expect("history");
}

/// Create `n` demo cases. `today` anchors the dates so that a seed reproduces the same data;
/// nothing is stamped after `now` (a case that came in today has taken its steps by now).
pub fn generate(
    tx: &Transaction,
    n: usize,
    seed: u64,
    (today, now): (NaiveDate, DateTime<Utc>),
    municipalities: &[String],
) -> Result<Vec<i64>> {
    generate_reporting(tx, n, seed, (today, now), municipalities, &mut |_| {})
}

/// [`generate`], telling `report` how many cases are written: at 0, every
/// [`cases_report_step`] cases, and at `n`.
pub fn generate_reporting(
    tx: &Transaction,
    n: usize,
    seed: u64,
    (today, now): (NaiveDate, DateTime<Utc>),
    municipalities: &[String],
    report: &mut dyn FnMut(usize),
) -> Result<Vec<i64>> {
    report(0);
    let every = cases_report_step(n);
    let mut rng = DemoRng::new(seed);
    let mut ids = Vec::with_capacity(n);
    // What this load adds is indexed for search in one pass at the end.
    let first_case: i64 =
        tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM srt_case", [], |r| {
            r.get(0)
        })?;
    let first_doc: i64 =
        tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM document", [], |r| {
            r.get(0)
        })?;
    // First every case is drawn, then they are registered in the order of their application
    // dates, as a desk registers applications as they come: case numbers and row ids then follow
    // the dates (the newest cases sit together at the end of the table, as in real use).
    let mut drafts = Vec::with_capacity(n);
    for i in 0..n {
        let girl = rng.below(2) == 0;
        let sex = if girl { Sex::Female } else { Sex::Male };
        let first = if girl {
            *rng.pick(&GIRLS)
        } else {
            *rng.pick(&BOYS)
        };
        let last = *rng.pick(&SURNAMES);
        let age_days = 365 + rng.below(365 * 15) as i64;
        // A desk's history: about 30 applications a working day across the country spread over
        // the years the data covers, recent ones still in the early steps, old ones closed. A
        // small demo keeps a larger share of recent cases so that the dashboard has something
        // to show.
        let span_days = (n as u64 / 30).max(700);
        let recent_permille = (30 * 70 * 1000 / (n as u64).max(1)).min(350);
        let age_of_case = if rng.below(1000) < recent_permille {
            rng.below(70)
        } else {
            70 + rng.below(span_days - 70)
        };
        let target = match age_of_case {
            0..=15 => *rng.pick(&[
                CaseStatus::Received,
                CaseStatus::Incomplete,
                CaseStatus::InAssessment,
            ]),
            16..=69 => *rng.pick(&[
                CaseStatus::Decided,
                CaseStatus::Decided,
                CaseStatus::ProviderChosen,
            ]),
            70..=799 => *rng.pick(&[
                CaseStatus::InService,
                CaseStatus::InService,
                CaseStatus::Closed,
            ]),
            _ => CaseStatus::Closed,
        };
        let application_date = today - Duration::days(age_of_case as i64);
        let birth = application_date - Duration::days(age_days);
        // Serials 900-999 keep demo codes apart from the low serials used first in real life.
        let code = PersonalCode::compose(birth, sex, 900 + (i as u32 % 100));
        let no_code = rng.below(25) == 0;
        let municipality = rng.pick(municipalities).clone();
        let kov = rng.below(3) == 0;
        let guardians = (0..1 + rng.below(2))
            .map(|g| {
                let gfirst = *rng.pick(&ADULTS);
                let language = *rng.pick(&["et", "et", "et", "ru", "en"]);
                let delivery = *rng.pick(&["email", "email", "post", "eesti_ee", "in_person"]);
                GuardianInput {
                    first_name: gfirst.into(),
                    last_name: last.into(),
                    personal_code: String::new(),
                    phone: format!("+372 5{:03} {:04}", rng.below(1000), rng.below(10_000)),
                    email: format!("{}.{}{}@example.invalid", gfirst.to_lowercase(), i, g),
                    postal_address: format!("Näidise tn {}, {}", 1 + rng.below(90), "Demolinn"),
                    language: language.into(),
                    delivery: delivery.into(),
                    relation: if g == 0 {
                        "parent".into()
                    } else {
                        "guardian".into()
                    },
                }
            })
            .collect();
        let route = if kov {
            RouteInput {
                kind: "kov".into(),
                severity: String::new(),
                municipality_code: municipality.clone(),
                worker_name: (*rng.pick(&WORKERS)).into(),
                worker_phone: format!("+372 6{:03} {:03}", rng.below(1000), rng.below(1000)),
                worker_email: format!("lastekaitse{}@kov.example.invalid", rng.below(50)),
            }
        } else {
            RouteInput {
                kind: "disability".into(),
                severity: (*rng.pick(&["moderate", "severe", "severe", "profound"])).into(),
                ..Default::default()
            }
        };
        let input = ApplicationInput {
            child: ChildInput {
                first_name: first.into(),
                last_name: last.into(),
                personal_code: if no_code {
                    String::new()
                } else {
                    code.as_str().into()
                },
                birth_date: birth.to_string(),
                sex: sex.as_str().into(),
                municipality_code: municipality,
                address: String::new(),
            },
            guardians,
            route,
            application_date: application_date.to_string(),
            channel: if kov {
                "kov".into()
            } else {
                (*rng.pick(&["email", "eesti_ee", "post", "in_person"])).into()
            },
            notes: "NÄIDISANDMED – väljamõeldud isik.".into(),
        };
        let valid_guardian_first = input.guardians[0].first_name.clone();
        let valid = ValidApplication {
            child_code: (!no_code).then_some(code),
            birth_date: birth,
            sex,
            application_date,
            input,
        };
        drafts.push((valid, target, last, valid_guardian_first, i));
    }
    // Stable: the cases of one day keep the order they were drawn in.
    drafts.sort_by_key(|d| d.0.application_date);
    let at = |d: NaiveDate, hour: i64| -> DateTime<Utc> {
        (d.and_hms_opt(8, 0, 0).map_or(now, |t| t.and_utc()) + Duration::hours(hour)).min(now)
    };
    for (mut valid, target, last, valid_guardian_first, i) in drafts {
        let application_date = valid.application_date;
        // Exactly `n` cases: a child drawn twice (the same birth date, sex and serial) while its
        // first case is still open gets the next serial instead.
        let mut serial = 0;
        let case_id = loop {
            match cases::register_unindexed(tx, &valid, at(application_date, 1)) {
                Ok(id) => break id,
                Err(crate::Error::DuplicateOpenCase { .. }) if serial < 100 => {
                    serial += 1;
                    let code = PersonalCode::compose(
                        valid.birth_date,
                        valid.sex,
                        900 + ((i + serial) as u32 % 100),
                    );
                    valid.input.child.personal_code = code.as_str().into();
                    valid.child_code = Some(code);
                }
                Err(e) => return Err(e),
            }
        };
        // A case that came in today takes its steps today, after its registration (09:00).
        let days_since = (today - application_date).num_days().max(0);
        // The walk in one call: each step is checked and kept in the history, the case row is
        // written once.
        let walk = walk_to(target);
        let day_of = |step: usize| {
            application_date + Duration::days(((step as i64 + 1) * 5).min(days_since))
        };
        let steps: Vec<(&str, &str, DateTime<Utc>)> = walk
            .iter()
            .enumerate()
            .map(|(step, (status, reason))| {
                (status.as_str(), *reason, at(day_of(step), 2 + step as i64))
            })
            .collect();
        cases::change_status_steps(tx, case_id, &steps)?;
        for (step, (status, reason)) in walk.iter().enumerate() {
            if *status == CaseStatus::Incomplete {
                let day = day_of(step);
                let request = crate::casework::documents::DocumentInput {
                    direction: "out".into(),
                    doc_type: "missing_request".into(),
                    title: "Puuduvate dokumentide nõue".into(),
                    party: format!("{} {}", valid_guardian_first, last),
                    notes: (*reason).into(),
                    ..Default::default()
                };
                crate::casework::documents::insert_unindexed(
                    tx,
                    case_id,
                    &request,
                    day,
                    Some(day + Duration::days(14)),
                    at(day, 3),
                )?;
            }
        }
        ids.push(case_id);
        if ids.len() % every == 0 && ids.len() < n {
            report(ids.len());
        }
    }
    cases::index_cases_in_bulk(tx, first_case)?;
    crate::cases::search::insert_document_rows(tx, first_doc, i64::MAX)?;
    report(ids.len());
    Ok(ids)
}
