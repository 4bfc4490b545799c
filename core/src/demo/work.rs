//! The coordinator's own work on a demo desk, after its cases and their history
//! ([`crate::demo::history`]): the partners she works with (the child protection workers of the
//! municipalities most of the children live in, a school, a family health centre, the
//! unemployment fund) with a contact log and its reminders, tasks from the team lead and the
//! service manager, and improvement proposals at each stage. A few dozen rows, made through the
//! same checks as the coordinator's own entries, so that every screen of a demo desk has
//! something to show. Deterministic for a seed; nothing in it happens after today.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::Transaction;

use crate::demo::history::HistoryCounts;
use crate::demo::DemoRng;
use crate::error::Result;
use crate::providers::partners::{self, ContactEntryInput, PartnerInput};
use crate::work::proposals::{self, ProposalInput};
use crate::work::tasks::{self, TaskInput};

const KOV_WORKERS: [&str; 6] = [
    "Kadri Näidislaane",
    "Marko Proovimägi",
    "Jelena Demova",
    "Tiina Testikivi",
    "Rein Näidisorg",
    "Anu Proovilind",
];

const CONTACTS: [&str; 4] = [
    "Arutasime lapse koolipäeva toetamist ja teenuse aegu (NÄIDISANDMED).",
    "KOV saadab hindamisvormi täiendatud versiooni (NÄIDISANDMED).",
    "Pere soovib teenust lähemal kodule; otsime koos sobivat teenuseosutajat (NÄIDISANDMED).",
    "Leppisime kokku järgmise võrgustikukohtumise aja (NÄIDISANDMED).",
];

/// Add the partners, contacts, tasks and proposals; their numbers go into `counts`.
pub fn generate(
    tx: &Transaction,
    seed: u64,
    (today, now): (NaiveDate, DateTime<Utc>),
    counts: &mut HistoryCounts,
) -> Result<()> {
    let mut rng = DemoRng::new(seed ^ 0x0000_0C00_4D11_A70E);
    let day = |back: i64| (today - Duration::days(back)).to_string();
    let ahead = |days: i64| (today + Duration::days(days)).to_string();

    // --- Partners: the municipalities most of the children come from, and a few others ---
    let places: Vec<(String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT m.ehak_code, m.name FROM child c JOIN municipality m ON m.ehak_code = c.municipality_code
             GROUP BY m.ehak_code ORDER BY count(*) DESC, m.ehak_code LIMIT 8",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let mut partner_ids = Vec::new();
    for (i, (code, name)) in places.iter().enumerate() {
        let input = PartnerInput {
            name: format!("{name} – lastekaitse"),
            kind: "kov".into(),
            municipality_code: code.clone(),
            contact_name: KOV_WORKERS[i % KOV_WORKERS.len()].into(),
            phone: format!("+372 6{:03} {:03}", rng.below(1000), rng.below(1000)),
            email: format!("lastekaitse{}@kov.example.invalid", i + 1),
            tags: "lastekaitse".into(),
            notes: "NÄIDISANDMED – väljamõeldud kontakt.".into(),
        };
        partner_ids.push(partners::save_partner(tx, None, &input, now)?);
    }
    for (name, kind, tags) in [
        ("Näidise Põhikool", "school", "kool, tugispetsialistid"),
        ("Proovi Perearstikeskus", "health", "perearst"),
        ("Töötukassa näidisosakond", "unemployment_fund", "noored"),
    ] {
        let input = PartnerInput {
            name: name.into(),
            kind: kind.into(),
            municipality_code: places.first().map(|p| p.0.clone()).unwrap_or_default(),
            contact_name: KOV_WORKERS[partner_ids.len() % KOV_WORKERS.len()].into(),
            phone: format!("+372 7{:03} {:03}", rng.below(1000), rng.below(1000)),
            email: format!("kontakt{}@example.invalid", partner_ids.len() + 1),
            tags: tags.into(),
            notes: "NÄIDISANDMED – väljamõeldud kontakt.".into(),
        };
        partner_ids.push(partners::save_partner(tx, None, &input, now)?);
    }
    counts.partners = partner_ids.len();

    // --- Contact log: one contact with each partner; two reminders, one of them overdue ---
    for (i, partner_id) in partner_ids.iter().enumerate() {
        let back = 5 + rng.below(40) as i64;
        let follow_up_on = match i {
            0 => ahead(3),
            1 => day(2),
            _ => String::new(),
        };
        let input = ContactEntryInput {
            partner_id: Some(*partner_id),
            contact_date: day(back),
            channel: (*rng.pick(&["phone", "email", "meeting"])).into(),
            who: KOV_WORKERS[i % KOV_WORKERS.len()].into(),
            summary: (*rng.pick(&CONTACTS)).into(),
            follow_up_on,
            ..Default::default()
        };
        partners::add_contact(tx, &input, today, now)?;
        counts.contacts += 1;
    }

    // --- Tasks: from the team lead and the service manager, open, overdue and done ---
    let case_waiting: Option<i64> = tx
        .query_row(
            "SELECT id FROM srt_case WHERE status = 'provider_chosen' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .ok();
    let provider: Option<i64> = tx
        .query_row("SELECT min(id) FROM provider", [], |r| r.get(0))
        .ok()
        .flatten();
    let task = |title: &str, from_kind: &str, from_name: &str, due_on: String| TaskInput {
        title: title.into(),
        from_kind: from_kind.into(),
        from_name: from_name.into(),
        due_on,
        notes: "NÄIDISANDMED".into(),
        ..Default::default()
    };
    let task_list: Vec<(TaskInput, Option<i64>)> = vec![
        (
            task(
                "Koosta kvartali ülevaade ootejärjekorrast",
                "team_lead",
                "",
                ahead(5),
            ),
            None,
        ),
        (
            TaskInput {
                provider_ids: provider.into_iter().collect(),
                ..task(
                    "Vaata üle teenuseosutaja vabad kohad ja lepingu tähtaeg",
                    "service_manager",
                    "",
                    day(2),
                )
            },
            None,
        ),
        (
            TaskInput {
                case_ids: case_waiting.into_iter().collect(),
                ..task(
                    "Helista perele ja lepi kokku teenuse algus",
                    "team_lead",
                    "",
                    ahead(1),
                )
            },
            None,
        ),
        (
            task(
                "Osale võrgustikutöö koolitusel",
                "other",
                "Näidise Koolituskeskus",
                String::new(),
            ),
            None,
        ),
        (
            task(
                "Uuenda KOV lastekaitsetöötajate kontaktid",
                "team_lead",
                "",
                day(14),
            ),
            Some(10),
        ),
    ];
    for (input, done_back) in task_list {
        let id = tasks::save(tx, None, &tasks::validate(&input, today)?, now)?;
        if let Some(back) = done_back {
            tasks::set_done(tx, id, Some(&day(back)), today, now)?;
        }
        counts.tasks += 1;
    }

    // --- Proposals: a draft, one sent and one accepted ---
    let proposal_list = [
        (
            "process",
            "Puuduvate dokumentide nõude tüüptekst lihtsamaks",
            "draft",
            String::new(),
            String::new(),
            "",
        ),
        (
            "provider",
            "Teenuseosutajate vabade kohtade kinnitamine kord kuus",
            "sent",
            day(20),
            String::new(),
            "",
        ),
        (
            "guidance",
            "Vanematele arusaadav otsuse kokkuvõte vene keeles",
            "accepted",
            day(90),
            day(60),
            "Juhendit täiendati; kokkuvõtte mall on kasutusel (NÄIDISANDMED).",
        ),
    ];
    for (topic, title, status, sent_on, outcome_on, outcome) in proposal_list {
        let input = ProposalInput {
            topic: topic.into(),
            title: title.into(),
            problem: "Pered ja partnerid on korduvalt küsinud sama asja (NÄIDISANDMED).".into(),
            evidence: "Tagasiside kommentaarid ja ootejärjekorra arvud statistikas.".into(),
            proposal: "Ühtlustada tekst ja kord kõigi koordinaatorite jaoks.".into(),
            sent_to: if status == "draft" {
                String::new()
            } else {
                "Teenusejuht".into()
            },
            sent_on,
            status: status.into(),
            outcome: outcome.into(),
            outcome_on,
            case_ids: vec![],
            provider_ids: provider
                .into_iter()
                .filter(|_| topic == "provider")
                .collect(),
        };
        proposals::save(tx, None, &proposals::validate(&input, None, today)?, now)?;
        counts.proposals += 1;
    }
    Ok(())
}
