//! The register of improvement proposals the coordinator makes to the service manager: about
//! guidance materials, work processes, a provider's services or the service system; the problem,
//! the evidence (linked cases and providers, figures and feedback typed in), the proposal, to whom
//! it went and when, and what became of it. Exported as an Estonian PDF memo. Owns proposal and
//! proposal_link (migration 010).
//!
//! Status meanings (migration 010, read by the periodic report): draft -> sent -> accepted /
//! rejected / implemented; withdrawn at any time. Sent and later need the addressee and the day
//! it went; a final status (accepted, rejected, implemented, withdrawn) needs what became of it
//! and the day.

use crate::clock::ts;
use crate::store::cached::CachedSql;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, Transaction};
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldError, Localized, Result};
use crate::pdf::{Align, Block, PdfDocument, Span, Table};
use crate::work::tasks::{check_links, optional_date, unique, LinkedProvider};

pub const TOPICS: [&str; 4] = ["guidance", "process", "provider", "system"];
pub const STATUSES: [&str; 6] = [
    "draft",
    "sent",
    "accepted",
    "rejected",
    "implemented",
    "withdrawn",
];

/// Statuses after which the proposal needs its outcome.
pub fn is_final(status: &str) -> bool {
    matches!(
        status,
        "accepted" | "rejected" | "implemented" | "withdrawn"
    )
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProposalInput {
    pub topic: String,
    pub title: String,
    pub problem: String,
    pub evidence: String,
    pub proposal: String,
    pub sent_to: String,
    pub sent_on: String,
    pub status: String,
    pub outcome: String,
    pub outcome_on: String,
    pub case_ids: Vec<i64>,
    pub provider_ids: Vec<i64>,
}

/// A linked case by its number only: a proposal is about the service, not about a child.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CaseRef {
    pub id: i64,
    pub case_no: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Proposal {
    pub id: i64,
    pub topic: String,
    pub title: String,
    pub problem: String,
    pub evidence: String,
    pub proposal: String,
    pub sent_to: String,
    pub sent_on: Option<NaiveDate>,
    pub status: String,
    pub outcome: String,
    pub outcome_on: Option<NaiveDate>,
    pub cases: Vec<CaseRef>,
    pub providers: Vec<LinkedProvider>,
    /// Things to look at before sending (a personal code in the text); never blocking.
    pub warnings: Vec<Localized>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone)]
pub struct ValidProposal {
    pub topic: String,
    pub title: String,
    pub problem: String,
    pub evidence: String,
    pub proposal: String,
    pub sent_to: String,
    pub sent_on: Option<NaiveDate>,
    pub status: String,
    pub outcome: String,
    pub outcome_on: Option<NaiveDate>,
    pub case_ids: Vec<i64>,
    pub provider_ids: Vec<i64>,
}

fn fmt(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn status_et(s: &str) -> &'static str {
    match s {
        "draft" => "mustand",
        "sent" => "saadetud",
        "accepted" => "heaks kiidetud",
        "rejected" => "tagasi lükatud",
        "implemented" => "ellu viidud",
        "withdrawn" => "tagasi võetud",
        _ => "tundmatu",
    }
}

fn status_en(s: &str) -> &'static str {
    match s {
        "draft" => "draft",
        "sent" => "sent",
        "accepted" => "accepted",
        "rejected" => "rejected",
        "implemented" => "implemented",
        "withdrawn" => "withdrawn",
        _ => "unknown",
    }
}

pub fn topic_et(t: &str) -> &'static str {
    match t {
        "guidance" => "juhendmaterjalid",
        "process" => "tööprotsessid",
        "provider" => "teenuseosutaja teenused",
        "system" => "teenuse korraldus",
        _ => "muu",
    }
}

/// Whether a proposal may move from one status to another: never back to a draft, nothing after
/// a final status except an accepted proposal becoming implemented.
pub fn may_move(from: &str, to: &str) -> bool {
    if from == to {
        return true;
    }
    match from {
        "draft" | "sent" => to != "draft",
        "accepted" => to == "implemented" || to == "withdrawn",
        _ => false,
    }
}

/// Check a proposal as typed against its rules; `from` is the stored status of an existing one.
pub fn validate(
    input: &ProposalInput,
    from: Option<&str>,
    today: NaiveDate,
) -> Result<ValidProposal> {
    let mut e = Vec::new();
    if !TOPICS.contains(&input.topic.as_str()) {
        e.push(FieldError::new(
            "topic",
            "invalid_choice",
            "Vali, mida ettepanek puudutab.",
            "Choose what the proposal is about.",
        ));
    }
    if input.title.trim().is_empty() {
        e.push(FieldError::new(
            "title",
            "required",
            "Kirjuta ettepaneku pealkiri.",
            "Give the proposal a title.",
        ));
    }
    let status = if input.status.trim().is_empty() {
        "draft"
    } else {
        input.status.trim()
    };
    if !STATUSES.contains(&status) {
        e.push(FieldError::new(
            "status",
            "invalid_choice",
            "Vali olek loetelust.",
            "Choose a status from the list.",
        ));
    } else if let Some(from) = from {
        if !may_move(from, status) {
            e.push(FieldError::new(
                "status",
                "illegal_transition",
                &format!(
                    "Ettepanekut ei saa viia olekust „{}” olekusse „{}”.",
                    status_et(from),
                    status_et(status)
                ),
                &format!(
                    "A proposal cannot move from “{}” to “{}”.",
                    status_en(from),
                    status_en(status)
                ),
            ));
        }
    }
    let sent_on = optional_date("sentOn", &input.sent_on, &mut e);
    let outcome_on = optional_date("outcomeOn", &input.outcome_on, &mut e);
    if let Some(d) = sent_on.filter(|d| *d > today) {
        e.push(FieldError::new(
            "sentOn",
            "future",
            &format!("Saatmise kuupäev {} on tulevikus.", fmt(d)),
            &format!("The day it was sent, {}, is in the future.", fmt(d)),
        ));
    }
    if let Some(d) = outcome_on.filter(|d| *d > today) {
        e.push(FieldError::new(
            "outcomeOn",
            "future",
            &format!("Tulemuse kuupäev {} on tulevikus.", fmt(d)),
            &format!("The outcome date {} is in the future.", fmt(d)),
        ));
    }
    if let (Some(s), Some(o)) = (sent_on, outcome_on) {
        if o < s {
            e.push(FieldError::new(
                "outcomeOn",
                "before_sent",
                "Tulemus ei saa olla enne ettepaneku saatmist.",
                "The outcome cannot be before the proposal was sent.",
            ));
        }
    }
    // Sent and later (a withdrawn draft never went anywhere).
    let went = matches!(status, "sent" | "accepted" | "rejected" | "implemented");
    if went && input.sent_to.trim().is_empty() {
        e.push(FieldError::new(
            "sentTo",
            "required",
            "Kirjuta, kellele ettepanek saadeti.",
            "Say whom the proposal was sent to.",
        ));
    }
    if went && sent_on.is_none() && input.sent_on.trim().is_empty() {
        e.push(FieldError::new(
            "sentOn",
            "required",
            "Kirjuta, millal ettepanek saadeti.",
            "Say when the proposal was sent.",
        ));
    }
    if is_final(status) {
        if input.outcome.trim().is_empty() {
            e.push(FieldError::new(
                "outcome",
                "required",
                "Kirjuta, mis ettepanekust sai.",
                "Say what became of the proposal.",
            ));
        }
        if outcome_on.is_none() && input.outcome_on.trim().is_empty() {
            e.push(FieldError::new(
                "outcomeOn",
                "required",
                "Kirjuta tulemuse kuupäev.",
                "Give the date of the outcome.",
            ));
        }
    }
    if input.topic == "provider" && input.provider_ids.is_empty() {
        e.push(FieldError::new(
            "providerIds",
            "required",
            "Ettepanek teenuseosutaja teenuste kohta vajab seotud teenuseosutajat.",
            "A proposal about a provider's services needs the provider linked.",
        ));
    }
    if !e.is_empty() {
        return Err(Error::Validation(e));
    }
    Ok(ValidProposal {
        topic: input.topic.clone(),
        title: input.title.trim().to_string(),
        problem: input.problem.trim_end().to_string(),
        evidence: input.evidence.trim_end().to_string(),
        proposal: input.proposal.trim_end().to_string(),
        sent_to: input.sent_to.trim().to_string(),
        sent_on,
        status: status.to_string(),
        outcome: input.outcome.trim_end().to_string(),
        outcome_on,
        case_ids: unique(&input.case_ids),
        provider_ids: unique(&input.provider_ids),
    })
}

/// The stored status of a proposal.
pub fn status_of(conn: &Connection, id: i64) -> Result<String> {
    conn.query_row_cached("SELECT status FROM proposal WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .map_err(|e| match e {
        rusqlite::Error::QueryReturnedNoRows => Error::ProposalNotFound(id),
        other => other.into(),
    })
}

pub fn save(
    tx: &Transaction,
    id: Option<i64>,
    v: &ValidProposal,
    now: DateTime<Utc>,
) -> Result<i64> {
    check_links(tx, &v.case_ids, &v.provider_ids)?;
    let now = ts(now);
    let values = params![
        v.topic,
        v.title,
        v.problem,
        v.evidence,
        v.proposal,
        v.sent_to,
        v.sent_on.map(|d| d.to_string()),
        v.status,
        v.outcome,
        v.outcome_on.map(|d| d.to_string()),
        now,
    ];
    let id = match id {
        Some(id) => {
            let mut stmt = tx.prepare_cached(
                "UPDATE proposal SET topic = ?1, title = ?2, problem = ?3, evidence = ?4,
                 proposal = ?5, sent_to = ?6, sent_on = ?7, status = ?8, outcome = ?9,
                 outcome_on = ?10, updated_at = ?11 WHERE id = ?12",
            )?;
            let mut all: Vec<&dyn rusqlite::ToSql> = values.to_vec();
            all.push(&id);
            if stmt.execute(all.as_slice())? == 0 {
                return Err(Error::ProposalNotFound(id));
            }
            id
        }
        None => {
            tx.execute_cached(
                "INSERT INTO proposal (topic, title, problem, evidence, proposal, sent_to, sent_on,
                 status, outcome, outcome_on, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
                values,
            )?;
            tx.last_insert_rowid()
        }
    };
    tx.execute_cached("DELETE FROM proposal_link WHERE proposal_id = ?1", [id])?;
    for c in &v.case_ids {
        tx.execute_cached(
            "INSERT INTO proposal_link (proposal_id, case_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            params![id, c, now],
        )?;
    }
    for p in &v.provider_ids {
        tx.execute_cached(
            "INSERT INTO proposal_link (proposal_id, provider_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            params![id, p, now],
        )?;
    }
    Ok(id)
}

/// A draft may be deleted; anything that went out stays on the register.
pub fn delete_draft(tx: &Transaction, id: i64) -> Result<()> {
    if status_of(tx, id)? != "draft" {
        return Err(Error::field(
            "status",
            "not_draft",
            "Kustutada saab ainult mustandit; saadetud ettepaneku võid tagasi võtta.",
            "Only a draft can be deleted; a proposal that was sent can be withdrawn.",
        ));
    }
    tx.execute_cached("DELETE FROM proposal WHERE id = ?1", [id])?;
    Ok(())
}

/// A valid Estonian personal code anywhere in the text (11 digits not part of a longer number).
pub fn has_personal_code(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 11 {
                let run: String = chars[start..i].iter().collect();
                if crate::cases::ids::PersonalCode::parse(&run).is_ok() {
                    return true;
                }
            }
        } else {
            i += 1;
        }
    }
    false
}

fn warnings(p: &Proposal) -> Vec<Localized> {
    let mut out = Vec::new();
    if [&p.problem, &p.evidence, &p.proposal]
        .iter()
        .any(|t| has_personal_code(t))
    {
        out.push(Localized::new(
            "Tekstis on isikukood. Lapse isikuandmed kuuluvad ettepanekusse ainult siis, kui see on vältimatu; viita juhtumile selle numbriga.",
            "The text contains a personal code. A child's personal data belongs in a proposal only when it cannot be avoided; refer to a case by its number.",
        ));
    }
    out
}

const PROPOSAL_SQL: &str = "SELECT id, topic, title, problem, evidence, proposal, sent_to, sent_on,
    status, outcome, outcome_on, created_at, updated_at FROM proposal";

fn load(conn: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<Vec<Proposal>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let list = stmt
        .query_map(p, |r| {
            Ok(Proposal {
                id: r.get(0)?,
                topic: r.get(1)?,
                title: r.get(2)?,
                problem: r.get(3)?,
                evidence: r.get(4)?,
                proposal: r.get(5)?,
                sent_to: r.get(6)?,
                sent_on: r.get(7)?,
                status: r.get(8)?,
                outcome: r.get(9)?,
                outcome_on: r.get(10)?,
                cases: Vec::new(),
                providers: Vec::new(),
                warnings: Vec::new(),
                created_at: r.get(11)?,
                updated_at: r.get(12)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut cases = conn.prepare_cached(
        "SELECT c.id, c.case_no FROM proposal_link l JOIN srt_case c ON c.id = l.case_id
         WHERE l.proposal_id = ?1 ORDER BY l.id",
    )?;
    let mut providers = conn.prepare_cached(
        "SELECT p.id, p.name FROM proposal_link l JOIN provider p ON p.id = l.provider_id
         WHERE l.proposal_id = ?1 ORDER BY l.id",
    )?;
    let mut out = Vec::with_capacity(list.len());
    for mut p in list {
        p.cases = cases
            .query_map([p.id], |r| {
                Ok(CaseRef {
                    id: r.get(0)?,
                    case_no: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        p.providers = providers
            .query_map([p.id], |r| {
                Ok(LinkedProvider {
                    id: r.get(0)?,
                    name: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        p.warnings = warnings(&p);
        out.push(p);
    }
    Ok(out)
}

pub fn get(conn: &Connection, id: i64) -> Result<Proposal> {
    load(conn, &format!("{PROPOSAL_SQL} WHERE id = ?1"), [id])?
        .into_iter()
        .next()
        .ok_or(Error::ProposalNotFound(id))
}

/// Which proposals to list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProposalFilter {
    /// "" for all, or one status; "open" for draft and sent.
    pub status: String,
    pub provider_id: Option<i64>,
}

/// The register, newest first; open ones (draft, sent) first.
pub fn list(conn: &Connection, f: &ProposalFilter) -> Result<Vec<Proposal>> {
    let status = f.status.trim();
    if !status.is_empty() && status != "open" && !STATUSES.contains(&status) {
        return Err(Error::field(
            "status",
            "invalid_choice",
            "Tundmatu olek.",
            "Unknown status.",
        ));
    }
    load(
        conn,
        &format!(
            "{PROPOSAL_SQL} WHERE (?1 = '' OR status = ?1 OR (?1 = 'open' AND status IN ('draft', 'sent')))
               AND (?2 IS NULL OR id IN (SELECT proposal_id FROM proposal_link WHERE provider_id = ?2))
             ORDER BY status NOT IN ('draft', 'sent'), coalesce(sent_on, substr(created_at, 1, 10)) DESC, id DESC
             LIMIT 1000"
        ),
        params![status, f.provider_id],
    )
}

/// What the memo needs beyond a title: the problem and the proposal.
pub fn check_memo(p: &Proposal) -> Result<()> {
    let mut e = Vec::new();
    if p.problem.trim().is_empty() {
        e.push(FieldError::new(
            "problem",
            "memo.required",
            "Memo jaoks kirjuta, milles probleem on.",
            "For the memo, describe the problem.",
        ));
    }
    if p.proposal.trim().is_empty() {
        e.push(FieldError::new(
            "proposal",
            "memo.required",
            "Memo jaoks kirjuta ettepanek.",
            "For the memo, write the proposal.",
        ));
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(e))
    }
}

/// The file name offered for a memo.
pub fn file_name(p: &Proposal, today: NaiveDate) -> String {
    format!("ettepanek-{}-{}.pdf", p.id, today)
}

/// Text as typed; empty text gives a dash.
fn text_block(text: &str) -> Block {
    if text.trim().is_empty() {
        Block::text("—")
    } else {
        Block::text(text.trim_end().trim_start_matches('\n'))
    }
}

/// Who sends the memo and from where.
#[derive(Debug, Clone)]
pub struct MemoHeader {
    pub board_name: String,
    pub board_unit: String,
    pub coordinator: String,
}

/// The memo for the service manager, in Estonian. Linked cases appear by their number only.
pub fn memo(p: &Proposal, head: &MemoHeader, today: NaiveDate) -> PdfDocument {
    let mut doc = PdfDocument::new(format!("Ettepanek: {}", p.title));
    doc.footer_left = format!("Ettepanek · {}", fmt(today));
    doc.push(Block::spans(vec![Span::bold(head.board_name.clone())]));
    if !head.board_unit.trim().is_empty() {
        doc.push(Block::small(head.board_unit.clone()));
    }
    doc.push(Block::Space(0.5));
    doc.push(Block::heading("Memo", 1));
    let to = if p.sent_to.trim().is_empty() {
        "Teenusejuht".to_string()
    } else {
        p.sent_to.clone()
    };
    let coordinator = if head.coordinator.trim().is_empty() {
        "Koordinaator".to_string()
    } else {
        head.coordinator.clone()
    };
    doc.push(Block::Table(Table {
        widths: vec![1, 4],
        align: vec![Align::Left, Align::Left],
        header: Vec::new(),
        rows: vec![
            vec!["Kuupäev".into(), fmt(today)],
            vec!["Kellele".into(), to],
            vec!["Kellelt".into(), format!("{coordinator}, koordinaator")],
            vec!["Teema".into(), topic_et(&p.topic).into()],
        ],
        footer: Vec::new(),
        font_size: 0,
    }));
    doc.push(Block::Space(0.5));
    doc.push(Block::heading(p.title.clone(), 2));
    doc.push(Block::heading("Probleem", 3));
    doc.push(text_block(&p.problem));
    doc.push(Block::heading("Tõendid", 3));
    if !p.cases.is_empty() {
        doc.push(Block::spans(vec![
            Span::bold("Seotud juhtumid: "),
            Span::normal(
                p.cases
                    .iter()
                    .map(|c| c.case_no.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ]));
    }
    if !p.providers.is_empty() {
        doc.push(Block::spans(vec![
            Span::bold("Seotud teenuseosutajad: "),
            Span::normal(
                p.providers
                    .iter()
                    .map(|x| x.name.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ]));
    }
    if !p.evidence.trim().is_empty() || (p.cases.is_empty() && p.providers.is_empty()) {
        doc.push(text_block(&p.evidence));
    }
    doc.push(Block::heading("Ettepanek", 3));
    doc.push(text_block(&p.proposal));
    doc.push(Block::Space(1.0));
    doc.push(Block::spans(vec![
        Span::normal("Koostas: "),
        Span::bold(coordinator),
        Span::normal(format!(", {}", fmt(today))),
    ]));
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).expect("date")
    }

    fn input() -> ProposalInput {
        ProposalInput {
            topic: "guidance".into(),
            title: "Juhendisse näide KOV suunamisest".into(),
            problem: "Vanemad ei mõista suunamiskirja.".into(),
            proposal: "Lisada juhendisse lihtsa keele näide.".into(),
            ..Default::default()
        }
    }

    fn codes(r: Result<ValidProposal>) -> Vec<(String, String)> {
        match r {
            Err(Error::Validation(f)) => f.into_iter().map(|f| (f.field, f.code)).collect(),
            other => panic!("expected validation errors, got {other:?}"),
        }
    }

    #[test]
    fn a_new_proposal_is_a_draft_with_a_title_and_topic() {
        let today = d(2026, 11, 26);
        assert_eq!(
            validate(&input(), None, today).expect("valid").status,
            "draft"
        );
        let mut bad = input();
        bad.title = " ".into();
        bad.topic = "weather".into();
        assert_eq!(
            codes(validate(&bad, None, today)),
            vec![
                ("topic".into(), "invalid_choice".into()),
                ("title".into(), "required".into())
            ]
        );
    }

    #[test]
    fn sent_needs_the_addressee_and_the_day() {
        let today = d(2026, 11, 26);
        let mut p = input();
        p.status = "sent".into();
        assert_eq!(
            codes(validate(&p, Some("draft"), today)),
            vec![
                ("sentTo".into(), "required".into()),
                ("sentOn".into(), "required".into())
            ]
        );
        p.sent_to = "Teenusejuht Mari Mets".into();
        p.sent_on = "27.11.2026".into();
        assert_eq!(
            codes(validate(&p, Some("draft"), today)),
            vec![("sentOn".into(), "future".into())],
            "a proposal cannot have gone tomorrow"
        );
        p.sent_on = "25.11.2026".into();
        assert_eq!(
            validate(&p, Some("draft"), today).expect("valid").sent_on,
            Some(d(2026, 11, 25))
        );
    }

    #[test]
    fn a_final_status_needs_the_outcome_and_its_date_not_before_sending() {
        let today = d(2026, 11, 26);
        let mut p = input();
        p.sent_to = "Teenusejuht".into();
        p.sent_on = "20.11.2026".into();
        p.status = "accepted".into();
        assert_eq!(
            codes(validate(&p, Some("sent"), today)),
            vec![
                ("outcome".into(), "required".into()),
                ("outcomeOn".into(), "required".into())
            ]
        );
        p.outcome = "Juhend täiendatakse jaanuaris.".into();
        p.outcome_on = "19.11.2026".into();
        assert_eq!(
            codes(validate(&p, Some("sent"), today)),
            vec![("outcomeOn".into(), "before_sent".into())]
        );
        p.outcome_on = "24.11.2026".into();
        assert!(validate(&p, Some("sent"), today).is_ok());
        // A draft withdrawn never went anywhere: no addressee needed, but what became of it is.
        let mut w = input();
        w.status = "withdrawn".into();
        w.outcome = "Teema lahenes ise.".into();
        w.outcome_on = "26.11.2026".into();
        assert!(validate(&w, Some("draft"), today).is_ok());
    }

    #[test]
    fn statuses_never_go_back() {
        assert!(may_move("draft", "sent"));
        assert!(may_move("sent", "rejected"));
        assert!(may_move("accepted", "implemented"));
        assert!(may_move("draft", "withdrawn"));
        assert!(
            !may_move("sent", "draft"),
            "a sent proposal is never a draft again"
        );
        assert!(!may_move("rejected", "accepted"));
        assert!(!may_move("implemented", "withdrawn"));
        let mut p = input();
        p.status = "draft".into();
        assert_eq!(
            codes(validate(&p, Some("sent"), d(2026, 11, 26))),
            vec![("status".into(), "illegal_transition".into())]
        );
    }

    #[test]
    fn a_proposal_about_a_providers_services_names_the_provider() {
        let mut p = input();
        p.topic = "provider".into();
        assert_eq!(
            codes(validate(&p, None, d(2026, 11, 26))),
            vec![("providerIds".into(), "required".into())]
        );
        p.provider_ids = vec![4, 4];
        assert_eq!(
            validate(&p, None, d(2026, 11, 26))
                .expect("valid")
                .provider_ids,
            vec![4]
        );
    }

    #[test]
    fn a_personal_code_in_the_text_is_spotted() {
        assert!(has_personal_code("Laps 61303150029 ootas kaua"));
        assert!(
            !has_personal_code("Arve 613031500291 ja 61303150028"),
            "longer number, wrong check digit"
        );
        assert!(!has_personal_code("Keskmine ootamine 45 päeva"));
    }

    fn memo_text(p: &Proposal) -> String {
        let head = MemoHeader {
            board_name: "Sotsiaalkindlustusamet".into(),
            board_unit: "Rehabilitatsiooniteenuste osakond".into(),
            coordinator: "Olga Koordinaator".into(),
        };
        let pdf = crate::pdf::render(&memo(p, &head, d(2026, 11, 26))).expect("renders");
        crate::pdf::tests::pdftotext(&pdf)
    }

    #[test]
    fn the_memo_names_cases_by_number_and_holds_problem_evidence_and_proposal() {
        let p = Proposal {
            id: 7,
            topic: "provider".into(),
            title: "Füsioteraapia ootejärjekord Tartus".into(),
            problem: "Lapsed ootavad füsioteraapiat üle 90 päeva.".into(),
            evidence: "Keskmine ootamine 94 päeva (statistika, III kvartal).\nTagasiside: „ootasime liiga kaua”.".into(),
            proposal: "Sõlmida leping veel ühe teenuseosutajaga Tartumaal.".into(),
            sent_to: "Teenusejuht Mari Mets".into(),
            sent_on: None,
            status: "draft".into(),
            outcome: String::new(),
            outcome_on: None,
            cases: vec![CaseRef {
                id: 1,
                case_no: "SRT-2026-00001".into(),
            }],
            providers: vec![LinkedProvider {
                id: 4,
                name: "Tartu Näidiskeskus OÜ".into(),
            }],
            warnings: Vec::new(),
            created_at: String::new(),
            updated_at: String::new(),
        };
        let text = memo_text(&p);
        for expected in [
            "Sotsiaalkindlustusamet",
            "Rehabilitatsiooniteenuste osakond",
            "26.11.2026",
            "Teenusejuht Mari Mets",
            "Olga Koordinaator, koordinaator",
            "teenuseosutaja teenused",
            "Füsioteraapia ootejärjekord Tartus",
            "Lapsed ootavad füsioteraapiat",
            "SRT-2026-00001",
            "Tartu Näidiskeskus OÜ",
            "Keskmine ootamine 94 päeva",
            "ootasime liiga kaua",
            "Sõlmida leping",
            "lk 1 / 1",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
    }
}
