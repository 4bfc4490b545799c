//! The decision.

use super::*;

/// A decision as stored.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub status: String,
    pub number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub addressee_name: String,
    pub addressee_address: String,
    pub addressee_email: String,
    pub delivery: String,
    pub summary_language: String,
    pub operative: String,
    pub reasoning: String,
    pub legal_basis: String,
    pub summary: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub annex: Vec<AnnexLine>,
    pub providers: Vec<String>,
    pub late_reason: String,
    pub related_number: String,
    pub templates_used: BTreeMap<String, i64>,
    pub approved_at: Option<String>,
    pub approved_by: Option<String>,
    pub warnings_confirmed: String,
    pub delivered_on: Option<NaiveDate>,
    pub document_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

pub(super) const DECISION_COLUMNS: &str =
    "id, case_id, kind, status, number, decision_date, addressee_name,
    addressee_address, addressee_email, delivery, summary_language, operative, reasoning,
    legal_basis, summary, valid_from, valid_to, annex, providers, late_reason, related_number,
    templates_used, approved_at, approved_by, warnings_confirmed, delivered_on, document_id,
    created_at, updated_at";

pub(super) fn decision_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Decision> {
    let json = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    Ok(Decision {
        id: r.get(0)?,
        case_id: r.get(1)?,
        kind: r.get(2)?,
        status: r.get(3)?,
        number: r.get(4)?,
        decision_date: r.get(5)?,
        addressee_name: r.get(6)?,
        addressee_address: r.get(7)?,
        addressee_email: r.get(8)?,
        delivery: r.get(9)?,
        summary_language: r.get(10)?,
        operative: r.get(11)?,
        reasoning: r.get(12)?,
        legal_basis: r.get(13)?,
        summary: r.get(14)?,
        valid_from: r.get(15)?,
        valid_to: r.get(16)?,
        annex: serde_json::from_str(&json(17)?).unwrap_or_default(),
        providers: serde_json::from_str(&json(18)?).unwrap_or_default(),
        late_reason: r.get(19)?,
        related_number: r.get(20)?,
        templates_used: serde_json::from_str(&json(21)?).unwrap_or_default(),
        approved_at: r.get(22)?,
        approved_by: r.get(23)?,
        warnings_confirmed: r.get(24)?,
        delivered_on: r.get(25)?,
        document_id: r.get(26)?,
        created_at: r.get(27)?,
        updated_at: r.get(28)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Decision> {
    conn.query_row_cached(
        &format!("SELECT {DECISION_COLUMNS} FROM decision WHERE id = ?1"),
        [id],
        decision_row,
    )
    .optional()?
    .ok_or(Error::DecisionNotFound(id))
}

/// A line of a case's list of decisions.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DecisionListItem {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub delivered_on: Option<NaiveDate>,
    pub updated_at: String,
}

pub fn list(conn: &Connection, case_id: i64) -> Result<Vec<DecisionListItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, status, number, decision_date, delivered_on, updated_at FROM decision
         WHERE case_id = ?1 ORDER BY id DESC",
    )?;
    let list = stmt
        .query_map([case_id], |r| {
            Ok(DecisionListItem {
                id: r.get(0)?,
                kind: r.get(1)?,
                status: r.get(2)?,
                number: r.get(3)?,
                decision_date: r.get(4)?,
                delivered_on: r.get(5)?,
                updated_at: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

/// What the editor autosaves (the kind is fixed when the draft is made).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DecisionDraft {
    pub decision_date: String,
    pub addressee_name: String,
    pub addressee_address: String,
    pub addressee_email: String,
    pub delivery: String,
    pub summary_language: String,
    pub operative: String,
    pub reasoning: String,
    pub legal_basis: String,
    pub summary: String,
    pub valid_from: String,
    pub valid_to: String,
    pub annex: Vec<AnnexLineInput>,
    pub providers: Vec<String>,
    pub late_reason: String,
    pub related_number: String,
}

/// An annex line as typed: euros per year as text ("1 234,56").
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AnnexLineInput {
    pub code: String,
    pub amounts: Vec<YearAmountInput>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct YearAmountInput {
    pub year: i32,
    pub amount: String,
}

pub(super) fn optional_date(
    field: &str,
    text: &str,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        return None;
    }
    let d = crate::values::parse_date(text);
    if d.is_none() {
        errors.push(crate::values::date_error(field, text));
    }
    d
}

pub(super) fn must_be_draft(d: &Decision) -> Result<()> {
    if d.status != "draft" {
        return Err(Error::DecisionFrozen {
            number: d.number.clone().unwrap_or_default(),
        });
    }
    Ok(())
}

/// The facts a decision is drafted from.
#[derive(Debug, Clone)]
pub struct Facts {
    pub case: crate::cases::CaseDetail,
    pub assessment: crate::casework::assessment::Assessment,
    pub settings: DecisionSettings,
    /// The coordinator's name (empty while not set: the check then refuses approval).
    pub signer: String,
    /// The coordinator as the letter prints them: the Board's phone and e-mail where none of
    /// their own.
    pub coordinator: crate::store::prefs::Coordinator,
}

pub fn facts(
    conn: &Connection,
    case_id: i64,
    coordinator: &crate::store::prefs::Coordinator,
    today: NaiveDate,
) -> Result<Facts> {
    let settings = settings(conn)?;
    let coordinator = coordinator.with_board_contacts(&settings.board_phone, &settings.board_email);
    Ok(Facts {
        case: crate::cases::get(conn, case_id, today)?,
        assessment: crate::casework::assessment::get(conn, case_id, today)?,
        signer: coordinator.name.clone(),
        coordinator,
        settings,
    })
}

pub(super) fn template_or_empty(
    conn: &Connection,
    code: &str,
    lang: &str,
    used: &mut BTreeMap<String, i64>,
) -> Result<String> {
    Ok(match current_template(conn, code, lang)? {
        Some(t) => {
            used.insert(format!("{code}@{lang}"), t.version);
            t.body
        }
        None => String::new(),
    })
}

/// The annex prefilled from the assessment: hours × hourly price, spread over the calendar
/// years of the period by [`annex_amounts`] (the plan in the first year, the rest by days).
pub fn annex_from_assessment(
    assessment: &crate::casework::assessment::Assessment,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<AnnexLine> {
    assessment
        .activities
        .iter()
        .filter_map(|a| {
            let price = assessment
                .activity_options
                .iter()
                .find(|p| p.code == a.code)?;
            let total = cost_cents(a.hours, price.price_cents);
            Some(AnnexLine {
                code: a.code.clone(),
                amounts: annex_amounts(&a.code, total, from, to),
            })
        })
        .collect()
}

/// The default referral period: from the day after the decision, as long as the rule allows and
/// no later than the child's age limit on the case's route.
pub(super) fn default_period(
    conn: &Connection,
    case_id: i64,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate)> {
    let book = crate::deadlines::rules::RuleBook::load(conn)?;
    let months = book
        .rule("referral_max", today)
        .map(|r| r.count)
        .unwrap_or(24);
    let from = today + chrono::Duration::days(1);
    let to = from
        .checked_add_months(chrono::Months::new(months))
        .map(|d| d - chrono::Duration::days(1))
        .unwrap_or(from);
    let facts = crate::casework::assessment::case_facts(conn, case_id)?;
    let (last_day, _, _) = crate::casework::assessment::age_limit(conn, &facts)?;
    Ok((from, to.min(last_day)))
}

/// Make a new draft of `kind`, prefilled from the case, its assessment and the templates.
pub fn create(
    tx: &Transaction,
    case_id: i64,
    kind: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    if !KINDS.contains(&kind) {
        return Err(Error::field(
            "kind",
            "invalid_choice",
            "Vali otsuse liik.",
            "Choose the kind of decision.",
        ));
    }
    let f = facts(
        tx,
        case_id,
        &crate::store::prefs::Coordinator::default(),
        today,
    )?;
    let guardian = f.case.guardians.first();
    let lang = guardian
        .map(|g| g.language.clone())
        .filter(|l| LANGUAGES.contains(&l.as_str()))
        .unwrap_or_else(|| "et".into());
    let mut used = BTreeMap::new();
    let operative = template_or_empty(tx, &format!("{kind}.operative"), "et", &mut used)?;
    let reasoning = template_or_empty(tx, &format!("{kind}.reasoning"), "et", &mut used)?;
    let legal_basis = template_or_empty(tx, &format!("{kind}.legal_basis"), "et", &mut used)?;
    let summary = template_or_empty(tx, &format!("summary.{kind}"), &lang, &mut used)?;
    let (from, to, annex) = if kind == "referral" {
        let (from, to) = default_period(tx, case_id, today)?;
        (
            Some(from),
            Some(to),
            annex_from_assessment(&f.assessment, from, to),
        )
    } else {
        (None, None, Vec::new())
    };
    // An amendment or a termination is about the case's latest approved decision.
    let related: String = if kind == "amendment" || kind == "termination" {
        tx.query_row_cached(
            "SELECT number FROM decision WHERE case_id = ?1 AND number IS NOT NULL ORDER BY id DESC LIMIT 1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default()
    } else {
        String::new()
    };
    tx.execute_cached(
        "INSERT INTO decision (case_id, kind, status, decision_date, addressee_name, addressee_address,
            addressee_email, delivery, summary_language, operative, reasoning, legal_basis, summary,
            valid_from, valid_to, annex, providers, related_number, templates_used, created_at, updated_at)
         VALUES (?1, ?2, 'draft', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, '[]', ?16, ?17, ?18, ?18)",
        params![
            case_id,
            kind,
            today.to_string(),
            guardian
                .map(|g| format!("{} {}", g.first_name, g.last_name))
                .unwrap_or_default(),
            guardian.map(|g| g.postal_address.clone()).unwrap_or_default(),
            guardian.map(|g| g.email.clone()).unwrap_or_default(),
            guardian.map(|g| g.delivery.clone()).unwrap_or_default(),
            lang,
            operative,
            reasoning,
            legal_basis,
            summary,
            from.map(|d| d.to_string()),
            to.map(|d| d.to_string()),
            to_json(&annex),
            related,
            to_json(&used),
            ts(now)
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// What is stored as JSON text (these types always serialise).
pub(super) fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// Save the draft as typed. Only shapes are checked here (an incomplete draft is fine); what
/// blocks approval is in [`check`].
pub fn save_draft(
    tx: &Transaction,
    id: i64,
    draft: &DecisionDraft,
    now: DateTime<Utc>,
) -> Result<()> {
    let current = get(tx, id)?;
    must_be_draft(&current)?;
    let mut errors = Vec::new();
    let date = optional_date("decisionDate", &draft.decision_date, &mut errors);
    let from = optional_date("validFrom", &draft.valid_from, &mut errors);
    let to = optional_date("validTo", &draft.valid_to, &mut errors);
    if !draft.delivery.is_empty() && !DELIVERIES.contains(&draft.delivery.as_str()) {
        errors.push(FieldError::new(
            "delivery",
            "invalid_choice",
            "Vali loetelust.",
            "Choose from the list.",
        ));
    }
    let lang = if draft.summary_language.is_empty() {
        current.summary_language.clone()
    } else {
        draft.summary_language.clone()
    };
    if !LANGUAGES.contains(&lang.as_str()) {
        errors.push(FieldError::new(
            "summaryLanguage",
            "invalid_choice",
            "Vali loetelust.",
            "Choose from the list.",
        ));
    }
    let mut annex = Vec::new();
    for (i, line) in draft.annex.iter().enumerate() {
        let mut amounts = Vec::new();
        for a in &line.amounts {
            match parse_money(&a.amount) {
                Some(c) => amounts.push(YearAmount {
                    year: a.year,
                    cents: c,
                }),
                None => errors.push(FieldError::new(
                    format!("annex.{i}.{}", a.year),
                    "money.invalid",
                    "Sisesta summa eurodes ja sentides (nt 1234,56).",
                    "Enter the amount in euros and cents (e.g. 1234.56).",
                )),
            }
        }
        annex.push(AnnexLine {
            code: line.code.trim().to_string(),
            amounts,
        });
    }
    let providers: Vec<String> = draft
        .providers
        .iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    // A new summary language brings its standard text, unless the summary was edited.
    let mut summary = draft.summary.clone();
    let mut used = current.templates_used.clone();
    if lang != current.summary_language {
        let code = format!("summary.{}", current.kind);
        let old = current_template(tx, &code, &current.summary_language)?.map(|t| t.body);
        if summary.trim().is_empty() || old.as_deref().map(str::trim) == Some(summary.trim()) {
            used.remove(&format!("{code}@{}", current.summary_language));
            summary = template_or_empty(tx, &code, &lang, &mut used)?;
        }
    }
    tx.execute_cached(
        "UPDATE decision SET decision_date = ?2, addressee_name = ?3, addressee_address = ?4,
            addressee_email = ?5, delivery = ?6, summary_language = ?7, operative = ?8,
            reasoning = ?9, legal_basis = ?10, summary = ?11, valid_from = ?12, valid_to = ?13,
            annex = ?14, providers = ?15, late_reason = ?16, related_number = ?17,
            templates_used = ?18, updated_at = ?19
         WHERE id = ?1",
        params![
            id,
            date.map(|d| d.to_string()),
            draft.addressee_name.trim(),
            draft.addressee_address.trim(),
            draft.addressee_email.trim(),
            draft.delivery,
            lang,
            draft.operative,
            draft.reasoning,
            draft.legal_basis,
            summary,
            from.map(|d| d.to_string()),
            to.map(|d| d.to_string()),
            to_json(&annex),
            to_json(&providers),
            draft.late_reason,
            draft.related_number.trim(),
            to_json(&used),
            ts(now)
        ],
    )?;
    Ok(())
}

/// Recompute the annex of a referral draft from the assessment for its current period.
pub fn refill_annex(tx: &Transaction, id: i64, today: NaiveDate, now: DateTime<Utc>) -> Result<()> {
    let d = get(tx, id)?;
    must_be_draft(&d)?;
    let (Some(from), Some(to)) = (d.valid_from, d.valid_to) else {
        return Err(Error::field(
            "validFrom",
            "required",
            "Määra enne kehtivuse algus ja lõpp.",
            "Set the first and last day of the referral first.",
        ));
    };
    let a = crate::casework::assessment::get(tx, d.case_id, today)?;
    let annex = annex_from_assessment(&a, from, to);
    tx.execute_cached(
        "UPDATE decision SET annex = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, to_json(&annex), ts(now)],
    )?;
    Ok(())
}

pub fn delete_draft(tx: &Transaction, id: i64) -> Result<i64> {
    let d = get(tx, id)?;
    must_be_draft(&d)?;
    tx.execute_cached("DELETE FROM decision WHERE id = ?1", [id])?;
    Ok(d.case_id)
}
