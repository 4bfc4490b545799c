//! The rest of a demo desk's history, after its cases exist ([`crate::demo::generate`]): need
//! assessments, the documents register, decisions with their annexes, a directory of demo
//! providers and the families' choices, network meetings with notes and agreed actions, providers'
//! invoices line by line with the parents' confirmations, and families' feedback. Written with
//! plain prepared statements (no per-row checks or audit rows): this is how 100 000 cases with a
//! decade of history are built in well under a minute, deterministically for a seed.
//!
//! The data follows the rules the desk enforces: an annex stays within the yearly cost limit and
//! spreads its amounts by the annex rule ([`crate::decisions::annex_amounts`]: the plan in the
//! first year), sessions are spread over the validity as planned and a session is written only
//! when the annex year and the child's yearly cap still cover it (no budget goes below zero),
//! units × price is exact to the cent, every invoice waiting for the check passes it except a
//! few seeded faults whose notes say so ([`SEEDED_FAULT`]), and every name is clearly fictitious
//! ("Näidis…", "Proov…").

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rusqlite::{params, Transaction};

use crate::demo::DemoRng;
use crate::error::Result;

/// What was added, for the admin tool's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryCounts {
    pub providers: usize,
    pub assessments: usize,
    pub documents: usize,
    pub decisions: usize,
    pub meetings: usize,
    pub invoices: usize,
    pub invoice_lines: usize,
    pub feedback: usize,
    /// The coordinator's own work ([`crate::demo::work`]).
    pub partners: usize,
    pub contacts: usize,
    pub tasks: usize,
    pub proposals: usize,
}

/// One case as the generator needs it.
struct CaseRow {
    id: i64,
    case_no: String,
    status: String,
    application_date: NaiveDate,
    child_code: String,
    child_name: String,
    municipality: String,
    decided: Option<NaiveDate>,
    chosen: Option<NaiveDate>,
    in_service: Option<NaiveDate>,
    closed: Option<NaiveDate>,
}

const PROVIDER_WORDS: [&str; 8] = [
    "Näidise Rehabilitatsioonikeskus",
    "Proovi Teraapiakeskus",
    "Demo Lastekeskus",
    "Näidis Pereabi",
    "Testi Tugikeskus",
    "Proovimetsa Teraapia",
    "Näidiskase Arenduskeskus",
    "Demotamme Lasteteraapia",
];
/// Days from a provider's invoice to the coordinator's check of it.
const CHECKED_AFTER: i64 = 25;

const SPECIALISTS: [&str; 6] = [
    "Näidis Füsioterapeut",
    "Proov Logopeed",
    "Demo Psühholoog",
    "Testi Tegevusterapeut",
    "Näidis Eripedagoog",
    "Proov Sotsiaaltöötaja",
];
const NOTES: [&str; 5] = [
    "Arutasime lapse edusamme koolis ja kodus; pere hinnangul on suhtlemine paranenud.",
    "Teenuseosutaja tutvustas rehabilitatsiooniplaani eesmärke ja teraapiate ajakava.",
    "Lapsevanem tõi välja, et transport teenusele on keeruline; otsime lahendust koos KOVga.",
    "Kokkulepe: logopeedi tunnid jätkuvad kord nädalas, psühholoog kohtub ka vanemaga.",
    "Kool annab tagasisidet õpetaja kaudu; järgmine kohtumine poole aasta pärast.",
];
const COMMENTS: [&str; 6] = [
    "Spetsialistid olid väga toredad ja laps käis hea meelega.",
    "Ootamine oli pikk, aga teenus ise oli hea.",
    "Sooviksime rohkem tunde logopeedi juures.",
    "Asukoht oli kaugel, bussiga sõit võttis palju aega.",
    "Koordinaator aitas kiiresti ja selgitas kõike arusaadavalt.",
    "Очень довольны, ребёнок стал увереннее.",
];

/// Individual-mode activities the demo assigns, with their hourly price (from the price list).
fn priced_activities(tx: &Transaction) -> Result<Vec<(String, i64)>> {
    let mut stmt = tx.prepare(
        "SELECT code, price_cents FROM price_list
         WHERE mode = 'individual' AND unit = 'hour' AND valid_to IS NULL ORDER BY code",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.get(0..10)?, "%Y-%m-%d").ok()
}

fn load_cases(tx: &Transaction) -> Result<Vec<CaseRow>> {
    let mut changes: HashMap<i64, [Option<NaiveDate>; 4]> = HashMap::new();
    {
        let mut stmt = tx.prepare(
            "SELECT case_id, to_status, changed_at FROM case_status_change
             WHERE to_status IN ('decided', 'provider_chosen', 'in_service', 'closed')",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let to: String = r.get(1)?;
            let slot = match to.as_str() {
                "decided" => 0,
                "provider_chosen" => 1,
                "in_service" => 2,
                _ => 3,
            };
            let at: String = r.get(2)?;
            changes.entry(r.get(0)?).or_default()[slot] = date(&at);
        }
    }
    let mut stmt = tx.prepare(
        "SELECT c.id, c.case_no, c.status, c.application_date, coalesce(ch.personal_code, ''),
                ch.first_name || ' ' || ch.last_name, coalesce(ch.municipality_code, '')
         FROM srt_case c JOIN child ch ON ch.id = c.child_id ORDER BY c.id",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let [decided, chosen, in_service, closed] = changes.get(&id).copied().unwrap_or_default();
        let applied: String = r.get(3)?;
        out.push(CaseRow {
            id,
            case_no: r.get(1)?,
            status: r.get(2)?,
            application_date: date(&applied).unwrap_or_default(),
            child_code: r.get(4)?,
            child_name: r.get(5)?,
            municipality: r.get(6)?,
            decided,
            chosen,
            in_service,
            closed,
        });
    }
    Ok(out)
}

/// A record's time on day `d`: 09:00 UTC, or `now` when that is earlier (a record of today made
/// before nine).
fn stamp_by(d: NaiveDate, now: DateTime<Utc>) -> String {
    let nine = d.and_hms_opt(9, 0, 0).map_or(now, |t| t.and_utc());
    crate::clock::ts(nine.min(now))
}

/// A line of an invoice that waits for the coordinator's check, as a seeded fault copies it.
struct PendingLine {
    position: i64,
    case_id: i64,
    child_code: String,
    decision: String,
    code: String,
    on: NaiveDate,
    quantity: i64,
    price: i64,
    annex_year: i32,
    child_key: String,
}

/// What a seeded fault's invoice says in its notes (and what the demo's test looks for).
pub const SEEDED_FAULT: &str = "NÄIDISANDMED: tahtlik viga harjutamiseks";

/// Every invoice waiting for the check passes it, except a few with a deliberate fault for the
/// coordinator to practise on: one line more that bills a unit price above the price list. The
/// invoice's notes say which line and why; the check reduces that line to the list price. The
/// fault stays within the annex and the cap, so no budget goes below zero.
fn seed_faults(
    tx: &Transaction,
    lines: &mut LineBatch,
    pending: &HashMap<i64, PendingLine>,
    annex_left: &mut HashMap<i64, HashMap<String, HashMap<i32, i64>>>,
    child_year: &mut HashMap<(String, i32), i64>,
    cap_cents: i64,
) -> Result<()> {
    let mut ids: Vec<&i64> = pending.keys().collect();
    ids.sort();
    for (i, id) in ids.into_iter().enumerate() {
        if i % 5 != 0 {
            continue;
        }
        let l = &pending[id];
        // Above the list price, and exact to the cent (quantity × price in thousandths).
        let mut wrong = l.price + 200;
        if (l.quantity * wrong) % 1000 != 0 {
            wrong += 1;
        }
        let amount = l.quantity * wrong / 1000;
        let left = annex_left
            .get_mut(&l.case_id)
            .and_then(|c| c.get_mut(&l.code))
            .and_then(|y| y.get_mut(&l.annex_year));
        let cap_used = child_year
            .entry((l.child_key.clone(), l.on.year()))
            .or_default();
        match left {
            Some(left) if *left >= amount && *cap_used + amount <= cap_cents => {
                *left -= amount;
                *cap_used += amount;
            }
            _ => continue,
        }
        let position = l.position + 1;
        lines.push(
            tx,
            [
                (*id).into(),
                position.into(),
                l.child_code.clone().into(),
                l.case_id.into(),
                l.decision.clone().into(),
                l.code.clone().into(),
                l.on.to_string().into(),
                l.quantity.into(),
                wrong.into(),
                amount.into(),
                SPECIALISTS[0].to_string().into(),
                String::new().into(),
                0_i64.into(),
                crate::clock::ts(
                    l.on.and_hms_opt(9, 0, 0)
                        .map_or_else(chrono::Utc::now, |t| t.and_utc()),
                )
                .into(),
            ],
        )?;
        let note = format!(
            "{SEEDED_FAULT}: real {position} on ühikuhind {} hinnakirja hinna {} asemel, kontroll \
             vähendab rea hinnakirja hinnani. / Demo data, a deliberate fault to practise on: line \
             {position} bills a unit price of {} instead of the price list's {}; the check reduces it.",
            crate::values::money_et(wrong),
            crate::values::money_et(l.price),
            crate::values::money_en(wrong),
            crate::values::money_en(l.price),
        );
        tx.execute(
            "UPDATE invoice SET notes = ?1 WHERE id = ?2",
            params![note, id],
        )?;
    }
    Ok(())
}

/// Invoice lines written many to a statement: a million one-row inserts each set up the statement,
/// its journal and the line's trigger program again.
struct LineBatch {
    values: Vec<rusqlite::types::Value>,
    /// The statement for a full batch, written once (it is the statement cache's key).
    full: String,
}

impl LineBatch {
    const COLUMNS: usize = 14;
    const ROWS: usize = 64;

    fn new() -> Self {
        Self {
            values: Vec::with_capacity(Self::COLUMNS * Self::ROWS),
            full: Self::sql(Self::ROWS),
        }
    }

    fn sql(rows: usize) -> String {
        let tuple = |r: usize| {
            let p = |k: usize| r * Self::COLUMNS + k;
            format!(
                "(?{}, ?{}, ?{}, ?{}, ?{}, ?{}, 'individual', ?{}, ?{}, ?{}, ?{}, ?{}, 'Teraapia (näidis)', ?{}, ?{}, ?{}, ?{})",
                p(1), p(2), p(3), p(4), p(5), p(6), p(7), p(8), p(9), p(10), p(11), p(12), p(13), p(14), p(14)
            )
        };
        format!(
            "INSERT INTO invoice_line (invoice_id, position, child_code, case_id, decision_number,
             activity_code, mode, service_date, quantity_milli, unit_price_cents, amount_cents,
             specialist, content, verdict, accepted_cents, created_at, updated_at) VALUES {}",
            (0..rows).map(tuple).collect::<Vec<_>>().join(", ")
        )
    }

    fn push(
        &mut self,
        tx: &Transaction,
        line: [rusqlite::types::Value; Self::COLUMNS],
    ) -> Result<()> {
        self.values.extend(line);
        if self.values.len() == Self::COLUMNS * Self::ROWS {
            self.flush(tx)?;
        }
        Ok(())
    }

    fn flush(&mut self, tx: &Transaction) -> Result<()> {
        let rows = self.values.len() / Self::COLUMNS;
        if rows == 0 {
            return Ok(());
        }
        // Full batches share one cached statement; the last, shorter one is prepared once.
        let mut stmt = if rows == Self::ROWS {
            tx.prepare_cached(&self.full)?
        } else {
            tx.prepare_cached(&Self::sql(rows))?
        };
        stmt.execute(rusqlite::params_from_iter(self.values.drain(..)))?;
        Ok(())
    }
}

/// Add the history to every case of the (fresh demo) database. `today` anchors the dates.
pub fn generate(
    tx: &Transaction,
    seed: u64,
    (today, now): (NaiveDate, DateTime<Utc>),
) -> Result<HistoryCounts> {
    let stamp = |d: NaiveDate| stamp_by(d, now);
    let mut rng = DemoRng::new(seed ^ 0x005E_ED0F_4157_0121);
    let mut counts = HistoryCounts::default();
    let activities = priced_activities(tx)?;
    let plan = activities
        .iter()
        .find(|(c, _)| c == "1001")
        .cloned()
        .unwrap_or_else(|| ("1001".into(), 7152));
    let therapies: Vec<(String, i64)> = activities
        .iter()
        .filter(|(c, _)| c != "1001")
        .cloned()
        .collect();
    let cap_cents: i64 = tx
        .query_row(
            "SELECT amount_cents FROM yearly_cap WHERE valid_to IS NULL ORDER BY valid_from DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap_or(269_500);
    let cases = load_cases(tx)?;
    let mut lines = LineBatch::new();
    let municipalities: Vec<(String, String)> = {
        let mut stmt = tx.prepare("SELECT ehak_code, county_code FROM municipality")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let county_of: HashMap<&str, &str> = municipalities
        .iter()
        .map(|(m, c)| (m.as_str(), c.as_str()))
        .collect();

    // --- Providers: a national directory, a few in every county ---
    let provider_count = (cases.len() / 400).clamp(15, 160);
    let mut providers_by_county: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    let mut all_providers: Vec<(i64, String)> = Vec::new();
    let start_no: i64 = tx.query_row("SELECT count(*) FROM provider", [], |r| r.get(0))?;
    for p in 0..provider_count {
        let (municipality, county) = municipalities[p % municipalities.len()].clone();
        let registry = format!("9{:07}", 1000 + start_no + p as i64);
        let name = format!(
            "{} {} OÜ",
            PROVIDER_WORDS[p % PROVIDER_WORDS.len()],
            p / PROVIDER_WORDS.len() + 1
        );
        let now = stamp(today - Duration::days(400));
        tx.prepare_cached(
            "INSERT INTO provider (name, registry_code, licence_no, licence_valid_to, contract_no,
             contract_valid_to, age_min, age_max, languages, waiting_days, free_places,
             capacity_confirmed_on, accessibility, notes, quality_notes, active, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 18, ?7, ?8, ?9, ?10, '', 'NÄIDISANDMED', '', 1, ?11, ?11)",
        )?
        .execute(params![
            name,
            registry,
            format!("L-{:05}", 100 + p),
            (today + Duration::days(200 + rng.below(900) as i64)).to_string(),
            format!("SKA-{}-{:04}", today.year() - 1, p + 1),
            (today + Duration::days(rng.below(700) as i64)).to_string(),
            *rng.pick(&["et", "et,ru", "et,en", "et,ru,en"]),
            rng.below(90) as i64,
            rng.below(12) as i64,
            (today - Duration::days(rng.below(60) as i64)).to_string(),
            now,
        ])?;
        let id = tx.last_insert_rowid();
        tx.prepare_cached(
            "INSERT INTO provider_location (provider_id, position, address, municipality_code, created_at, updated_at)
             VALUES (?1, 1, ?2, ?3, ?4, ?4)",
        )?
        .execute(params![id, format!("Näidise tn {}", 1 + p), municipality, now])?;
        tx.prepare_cached(
            "INSERT INTO provider_contact (provider_id, position, name, role, phone, email, created_at, updated_at)
             VALUES (?1, 1, ?2, 'juhataja', ?3, ?4, ?5, ?5)",
        )?
        .execute(params![
            id,
            format!("Näidis Juht {}", p + 1),
            format!("+372 6{:06}", p),
            format!("info{}@teenus.example.invalid", p + 1),
            now
        ])?;
        for (code, _) in std::iter::once(&plan).chain(therapies.iter()) {
            if code == &plan.0 || rng.below(3) > 0 {
                tx.prepare_cached(
                    "INSERT INTO provider_activity (provider_id, code, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                )?
                .execute(params![id, code, now])?;
            }
        }
        providers_by_county
            .entry(county)
            .or_default()
            .push((id, registry.clone()));
        all_providers.push((id, registry));
        counts.providers += 1;
    }

    let first_doc: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM document", [], |r| {
        r.get(0)
    })?;
    let mut decision_no: i64 = tx.query_row(
        "SELECT last_value FROM decision_sequence WHERE id = 1",
        [],
        |r| r.get(0),
    )?;
    // (provider, year*12+month) -> (invoice id, next line position)
    let mut invoices: HashMap<(i64, i32), (i64, i64)> = HashMap::new();
    // Money on a child's lines per calendar year (the yearly cap), over all the child's cases.
    let mut child_year: HashMap<(String, i32), i64> = HashMap::new();
    // The last line of each invoice still waiting for the check, and what its case's annex
    // leaves: the seeded faults are made from them.
    let mut pending_lines: HashMap<i64, PendingLine> = HashMap::new();
    let mut case_annex_left: HashMap<i64, HashMap<String, HashMap<i32, i64>>> = HashMap::new();

    for case in &cases {
        let stage = match case.status.as_str() {
            "received" | "incomplete" => 0,
            "in_assessment" => 1,
            "decided" => 2,
            "provider_chosen" => 3,
            "in_service" => 4,
            _ => 5,
        };
        let mut doc_no: i64 = tx
            .prepare_cached("SELECT count(*) FROM document WHERE case_id = ?1")?
            .query_row([case.id], |r| r.get(0))?;
        let mut add_doc = |direction: &str,
                           doc_type: &str,
                           title: &str,
                           party: &str,
                           on: NaiveDate,
                           status: &str|
         -> Result<i64> {
            doc_no += 1;
            tx.prepare_cached(
                "INSERT INTO document (case_id, direction, doc_type, title, doc_date, reg_no, party,
                 status, notes, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '', ?9, ?9)",
            )?
            .execute(params![
                case.id,
                direction,
                doc_type,
                title,
                on.to_string(),
                format!("{}/{}", case.case_no, doc_no),
                party,
                status,
                stamp(on)
            ])?;
            counts.documents += 1;
            Ok(tx.last_insert_rowid())
        };
        add_doc(
            "in",
            "application",
            "Taotlus sotsiaalse rehabilitatsiooni teenuse saamiseks",
            "Lapsevanem",
            case.application_date,
            "done",
        )?;
        if stage == 0 {
            continue;
        }
        let assessed_on = case
            .decided
            .map(|d| d - Duration::days(2))
            .unwrap_or(case.application_date + Duration::days(5))
            .min(today);
        let report_type = *rng.pick(&["medical", "kov_assessment", "case_plan"]);
        add_doc(
            "in",
            report_type,
            "Arsti / KOV hinnang lapse abivajadusele",
            "Näidise Perearstikeskus",
            (case.application_date + Duration::days(1 + rng.below(4) as i64)).min(today),
            "done",
        )?;

        // --- Assessment: a plan and two or three therapies, within the yearly cost limit ---
        let mut chosen: Vec<(String, i64, i64)> = vec![(plan.0.clone(), plan.1, 2)];
        let mut yearly = plan.1 * 2;
        for _ in 0..2 + rng.below(2) {
            let (code, price) = rng.pick(&therapies).clone();
            if chosen.iter().any(|(c, _, _)| *c == code) {
                continue;
            }
            let hours = 8 + rng.below(20) as i64;
            if yearly + hours * price > cap_cents {
                continue;
            }
            yearly += hours * price;
            chosen.push((code, price, hours));
        }
        let signed = stage >= 2;
        tx.prepare_cached(
            "INSERT INTO assessment (case_id, physical_level, psychological_level, social_level,
             cognitive_level, child_goals, family_goals, signed_on, signed_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
        )?
        .execute(params![
            case.id,
            *rng.pick(&["none", "some", "significant"]),
            *rng.pick(&["some", "significant"]),
            *rng.pick(&["none", "some", "significant"]),
            *rng.pick(&["none", "some"]),
            "Laps suhtleb eakaaslastega julgemalt ja tuleb koolis toime.",
            "Pere oskab last kodus toetada ja teab, kust abi saada.",
            signed.then(|| assessed_on.to_string()),
            signed.then_some("Näidis Koordinaator"),
            stamp(assessed_on)
        ])?;
        for (i, (code, _, hours)) in chosen.iter().enumerate() {
            tx.prepare_cached(
                "INSERT INTO assessment_activity (case_id, position, code, hours, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            )?
            .execute(params![case.id, i as i64 + 1, code, *hours as f64, stamp(assessed_on)])?;
        }
        counts.assessments += 1;
        if stage == 1 {
            continue;
        }

        // --- Decisions ---
        let Some(decided) = case.decided else {
            continue;
        };
        let refusal = stage == 2 && rng.below(6) == 0;
        // What the annex leaves per activity and annex year, lowered by every line written, so
        // that no budget goes below zero and every line passes the desk's own check.
        let mut annex_left: HashMap<String, HashMap<i32, i64>> = HashMap::new();
        let valid_from = decided + Duration::days(7);
        let valid_to = if rng.below(4) == 0 {
            valid_from + Duration::days(2 * 365 - 1)
        } else {
            valid_from + Duration::days(364)
        };
        let annex: Vec<serde_json::Value> = if refusal {
            vec![]
        } else {
            chosen
                .iter()
                .map(|(code, price, hours)| {
                    // The plan is made once; the therapies run every year of the validity.
                    let years = if code == &plan.0 {
                        1
                    } else {
                        (valid_to - valid_from).num_days() / 365 + 1
                    };
                    let parts = crate::decisions::annex_amounts(
                        code,
                        price * hours * years,
                        valid_from,
                        valid_to,
                    );
                    annex_left.insert(
                        code.clone(),
                        parts.iter().map(|a| (a.year, a.cents)).collect(),
                    );
                    serde_json::json!({
                        "code": code,
                        "amounts": parts.iter().map(|a| serde_json::json!({"year": a.year, "cents": a.cents})).collect::<Vec<_>>(),
                    })
                })
                .collect()
        };
        decision_no += 1;
        let number = format!("K{decision_no:06}");
        let kind = if refusal { "refusal" } else { "referral" };
        let doc_id = add_doc(
            "out",
            "decision",
            if refusal {
                "Otsus: keeldumine"
            } else {
                "Otsus: suunamine teenusele"
            },
            "Lapsevanem",
            decided,
            "done",
        )?;
        tx.prepare_cached(
            "INSERT INTO decision (case_id, kind, status, number, decision_date, addressee_name,
             delivery, summary_language, operative, reasoning, legal_basis, summary, valid_from,
             valid_to, annex, providers, approved_at, approved_by, delivered_on, document_id,
             created_at, updated_at)
             VALUES (?1, ?2, 'sent', ?3, ?4, 'Lapsevanem', 'email', 'et', ?5, ?6,
                     'Sotsiaalhoolekande seadus § 66–72', ?7, ?8, ?9, ?10, '[]', ?11, 'Näidis Koordinaator',
                     ?12, ?13, ?11, ?11)",
        )?
        .execute(params![
            case.id,
            kind,
            number,
            decided.to_string(),
            if refusal {
                format!("Jätta {} taotlus rahuldamata.", case.child_name)
            } else {
                format!("Suunata {} sotsiaalse rehabilitatsiooni teenusele.", case.child_name)
            },
            "Lapse abivajadus on hinnatud koos pere ja võrgustikuga (NÄIDISANDMED).",
            "Otsuse kokkuvõte (näidis).",
            (!refusal).then(|| valid_from.to_string()),
            (!refusal).then(|| valid_to.to_string()),
            serde_json::Value::Array(annex).to_string(),
            stamp(decided),
            // Delivered three days later; one sent in the last days is not delivered yet.
            Some(decided + Duration::days(3))
                .filter(|on| *on <= today)
                .map(|on| on.to_string()),
            doc_id,
        ])?;
        counts.decisions += 1;
        if refusal || stage == 2 {
            continue;
        }
        if rng.below(20) == 0 {
            // An amendment half-way: more hours of the first therapy.
            decision_no += 1;
            let on = (valid_from + Duration::days(120)).min(today - Duration::days(1));
            tx.prepare_cached(
                "INSERT INTO decision (case_id, kind, status, number, decision_date, addressee_name,
                 delivery, summary_language, operative, related_number, valid_from, valid_to, annex,
                 approved_at, approved_by, delivered_on, created_at, updated_at)
                 VALUES (?1, 'amendment', 'sent', ?2, ?3, 'Lapsevanem', 'email', 'et',
                         'Muuta otsuse lisa: teraapiatunde lisandub.', ?4, ?5, ?6, '[]', ?7,
                         'Näidis Koordinaator', ?3, ?7, ?7)",
            )?
            .execute(params![
                case.id,
                format!("K{decision_no:06}"),
                on.to_string(),
                number,
                valid_from.to_string(),
                valid_to.to_string(),
                stamp(on),
            ])?;
            counts.decisions += 1;
        }

        // --- The family's choice of provider ---
        let county = county_of
            .get(case.municipality.as_str())
            .copied()
            .unwrap_or("");
        let pool = providers_by_county
            .get(county)
            .filter(|p| !p.is_empty())
            .unwrap_or(&all_providers);
        let (provider_id, provider_code) = rng.pick(pool).clone();
        let chosen_on = case.chosen.unwrap_or(decided + Duration::days(10));
        tx.prepare_cached(
            "INSERT INTO provider_choice (case_id, provider_id, decision_sent_on, chosen_on,
             registered_on, service_start, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?6)",
        )?
        .execute(params![
            case.id,
            provider_id,
            decided.to_string(),
            chosen_on.to_string(),
            case.in_service.map(|d| d.to_string()),
            stamp(chosen_on)
        ])?;
        if stage == 3 {
            continue;
        }
        let Some(started) = case.in_service else {
            continue;
        };

        // --- Network meetings: a first one for most, a follow-up for some ---
        if rng.below(10) < 3 {
            let mut meeting_dates = vec![("first", started - Duration::days(3))];
            if rng.below(4) == 0 {
                meeting_dates.push(("follow_up", started + Duration::days(150)));
            }
            for (kind, on) in meeting_dates {
                if on >= today {
                    continue;
                }
                tx.prepare_cached(
                    "INSERT INTO meeting (case_id, kind, meeting_date, start_time, place, agenda, notes,
                     private_notes, decisions, draft_rev, draft_saved_at, created_at, updated_at)
                     VALUES (?1, ?2, ?3, '10:00', 'Sotsiaalkindlustusameti büroo', ?4, ?5, ?6, ?7, 1, ?8, ?8, ?8)",
                )?
                .execute(params![
                    case.id,
                    kind,
                    on.to_string(),
                    "Lapse ja pere olukord\nEesmärgid\nKokkulepped",
                    *rng.pick(&NOTES),
                    "Koordinaatori märkus (näidis).",
                    "Teenus algab kokkulepitud ajal.",
                    stamp(on),
                ])?;
                let meeting_id = tx.last_insert_rowid();
                for (i, (source, name, role)) in [
                    ("guardian", "Lapsevanem (näidis)", "lapsevanem"),
                    ("kov", "Näidis Lastekaitsetöötaja", "KOV lastekaitse"),
                    ("other", "Näidis Koordinaator", "juhtumikorraldaja"),
                ]
                .iter()
                .enumerate()
                {
                    tx.prepare_cached(
                        "INSERT INTO meeting_participant (meeting_id, position, source, name, role,
                         presence, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'present', ?6, ?6)",
                    )?
                    .execute(params![meeting_id, i as i64 + 1, source, name, role, stamp(on)])?;
                }
                let due = on + Duration::days(21);
                let done = (due < today - Duration::days(14) || rng.below(3) > 0)
                    .then(|| (due - Duration::days(rng.below(10) as i64)).to_string());
                tx.prepare_cached(
                    "INSERT INTO meeting_action (meeting_id, what, owner, due_date, done_on, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                )?
                .execute(params![
                    meeting_id,
                    "Saata teenuseosutajale rehabilitatsiooniplaani kavand",
                    "Näidis Koordinaator",
                    due.to_string(),
                    done,
                    stamp(on)
                ])?;
                counts.meetings += 1;
            }
        }

        // --- Invoice lines: sessions from the start to the end of the validity (or today) ---
        let end = [Some(valid_to), case.closed, Some(today - Duration::days(1))]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(valid_to);
        if end <= started {
            continue;
        }
        // Sessions are spread over the whole validity as planned (those after `end` have not
        // happened yet); the plan is made at the start, in the referral's first period.
        let span = (valid_to - started).num_days().max(1);
        let years = (valid_to - valid_from).num_days() / 365 + 1;
        let child_key = if case.child_code.is_empty() {
            format!("case {}", case.id)
        } else {
            case.child_code.clone()
        };
        for (code, price, hours) in &chosen {
            let (quantity, sessions) = if code == &plan.0 {
                (2000_i64, 1_i64)
            } else {
                // 1.5 h sessions using about 45 % of the hours granted over the validity.
                (1500, hours * years * 1000 * 45 / 100 / 1500)
            };
            let sessions = sessions.min(span);
            for s in 0..sessions {
                let on = started + Duration::days(span * s / sessions.max(1));
                if on > end {
                    break;
                }
                let amount = quantity * price / 1000;
                // Within what the annex grants for the line's annex year and the child's yearly
                // cap: a session the budget would not cover is not written.
                let annex_year = crate::decisions::annex_year(code, on, valid_from);
                let left = annex_left
                    .get_mut(code)
                    .and_then(|years| years.get_mut(&annex_year));
                let cap_used = child_year
                    .entry((child_key.clone(), on.year()))
                    .or_default();
                match left {
                    Some(left) if *left >= amount && *cap_used + amount <= cap_cents => {
                        *left -= amount;
                        *cap_used += amount;
                    }
                    _ => continue,
                }
                let month = on.year() * 12 + on.month0() as i32;
                // A provider invoices a month on the 5th of the next; the coordinator checks it
                // within CHECKED_AFTER days. A month not invoiced yet has no lines on the desk.
                let first = NaiveDate::from_ymd_opt(on.year(), on.month(), 1).unwrap_or(on);
                let last =
                    (first + Duration::days(32)).with_day(1).unwrap_or(first) - Duration::days(1);
                let issued = last + Duration::days(5);
                if issued > today {
                    continue;
                }
                let accepted = issued + Duration::days(CHECKED_AFTER) <= today;
                let key = (provider_id, month);
                let entry = match invoices.get_mut(&key) {
                    Some(e) => e,
                    None => {
                        let status = if accepted { "accepted" } else { "draft" };
                        tx.prepare_cached(
                            "INSERT INTO invoice (provider_id, number, invoice_date, period_from, period_to,
                             source, status, checked_at, decided_at, decided_by, created_at, updated_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, 'csv', ?6, ?7, ?7, ?8, ?9, ?9)",
                        )?
                        .execute(params![
                            provider_id,
                            format!("{}-{:04}{:02}", &provider_code[4..], on.year(), on.month()),
                            issued.to_string(),
                            first.to_string(),
                            last.to_string(),
                            status,
                            accepted.then(|| stamp(issued + Duration::days(CHECKED_AFTER))),
                            (status == "accepted").then_some("Näidis Koordinaator"),
                            stamp(issued),
                        ])?;
                        counts.invoices += 1;
                        invoices.entry(key).or_insert((tx.last_insert_rowid(), 0))
                    }
                };
                entry.1 += 1;
                if !accepted {
                    pending_lines.insert(
                        entry.0,
                        PendingLine {
                            position: entry.1,
                            case_id: case.id,
                            child_code: case.child_code.clone(),
                            decision: number.clone(),
                            code: code.clone(),
                            on,
                            quantity,
                            price: *price,
                            annex_year,
                            child_key: child_key.clone(),
                        },
                    );
                }
                lines.push(
                    tx,
                    [
                        entry.0.into(),
                        entry.1.into(),
                        case.child_code.clone().into(),
                        case.id.into(),
                        number.clone().into(),
                        code.clone().into(),
                        on.to_string().into(),
                        quantity.into(),
                        (*price).into(),
                        amount.into(),
                        rng.pick(&SPECIALISTS).to_string().into(),
                        (if accepted { "ok" } else { "" }).to_string().into(),
                        (if accepted { amount } else { 0 }).into(),
                        stamp(on).into(),
                    ],
                )?;
                counts.invoice_lines += 1;
            }
        }
        case_annex_left.insert(case.id, annex_left);
        tx.prepare_cached(
            "INSERT INTO service_confirmation (case_id, provider_id, period_from, period_to,
             confirmed_on, channel, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?6)",
        )?
        .execute(params![
            case.id,
            provider_id,
            started.to_string(),
            end.to_string(),
            *rng.pick(&["paper", "email", "portal"]),
            stamp(end)
        ])?;

        // --- Feedback from about half of the families whose service ended ---
        if let Some(closed) = case.closed.filter(|_| rng.below(2) == 0) {
            let answered = closed + Duration::days(5 + rng.below(20) as i64);
            if answered < today {
                let comment = if rng.below(3) == 0 {
                    *rng.pick(&COMMENTS)
                } else {
                    ""
                };
                tx.prepare_cached(
                    "INSERT INTO feedback_response (case_id, provider_id, answered_on, language, source,
                     comment, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'manual', ?5, ?6, ?6)",
                )?
                .execute(params![
                    case.id,
                    provider_id,
                    answered.to_string(),
                    *rng.pick(&["et", "et", "et", "ru"]),
                    comment,
                    stamp(answered)
                ])?;
                let response = tx.last_insert_rowid();
                let lean = rng.below(3) as i64; // some providers' families are happier
                for question in 1..=5_i64 {
                    let score = (2 + lean + rng.below(3) as i64).clamp(1, 5);
                    tx.prepare_cached(
                        "INSERT INTO feedback_answer (response_id, question_id, score)
                         SELECT ?1, id, ?3 FROM feedback_question WHERE position = ?2",
                    )?
                    .execute(params![response, question, score])?;
                }
                counts.feedback += 1;
            }
        }
    }
    seed_faults(
        tx,
        &mut lines,
        &pending_lines,
        &mut case_annex_left,
        &mut child_year,
        cap_cents,
    )?;
    lines.flush(tx)?;
    // Invoice totals from their lines, the decision sequence, and the new documents in the search.
    tx.execute_batch(
        "UPDATE invoice SET
           total_cents = (SELECT coalesce(sum(amount_cents), 0) FROM invoice_line l WHERE l.invoice_id = invoice.id),
           accepted_cents = (SELECT coalesce(sum(accepted_cents), 0) FROM invoice_line l WHERE l.invoice_id = invoice.id);",
    )?;
    tx.execute(
        "UPDATE decision_sequence SET last_value = ?1 WHERE id = 1",
        [decision_no],
    )?;
    crate::cases::search::insert_document_rows(tx, first_doc + 1, i64::MAX)?;
    Ok(counts)
}
