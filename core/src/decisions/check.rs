//! The check before approval.

use super::*;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CheckItem {
    pub code: String,
    /// The editor field it is about ("" for the decision as a whole).
    pub field: String,
    pub message: Localized,
}

#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DecisionCheck {
    pub errors: Vec<CheckItem>,
    pub warnings: Vec<CheckItem>,
}

impl DecisionCheck {
    /// The approval's refusal: errors stop it; warnings alone wait for the coordinator's
    /// confirmation. The check goes to the window as the error's details.
    pub(super) fn refusal(&self) -> Error {
        let details = serde_json::to_value(self).ok();
        if self.errors.is_empty() {
            Error::refused(
                "decision.needs_confirmation",
                format!(
                    "Kontroll leidis {} hoiatust: vaata need üle ja kinnita, et otsus on siiski õige.",
                    self.warnings.len()
                ),
                "The check lists warnings: confirm them to approve.",
                details,
            )
        } else {
            Error::refused(
                "decision.check_failed",
                format!(
                    "Otsust ei saa kinnitada: kontroll leidis {} viga. Paranda need ja proovi uuesti.",
                    self.errors.len()
                ),
                "The decision cannot be approved while the check lists errors.",
                details,
            )
        }
    }

    pub(super) fn error(
        &mut self,
        code: &str,
        field: &str,
        et: impl Into<String>,
        en: impl Into<String>,
    ) {
        self.errors.push(CheckItem {
            code: code.into(),
            field: field.into(),
            message: Localized::new(et, en),
        });
    }
    pub(super) fn warning(
        &mut self,
        code: &str,
        field: &str,
        et: impl Into<String>,
        en: impl Into<String>,
    ) {
        self.warnings.push(CheckItem {
            code: code.into(),
            field: field.into(),
            message: Localized::new(et, en),
        });
    }
    pub fn warning_codes(&self) -> String {
        self.warnings
            .iter()
            .map(|w| w.code.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The decision's legal deadline, if it still runs: (due, explanation).
pub(super) fn decision_due(
    conn: &Connection,
    case_id: i64,
    today: NaiveDate,
) -> Result<Option<NaiveDate>> {
    let book = crate::deadlines::rules::RuleBook::load(conn)?;
    let f = crate::deadlines::schedule::facts(conn, case_id)?;
    Ok(crate::deadlines::schedule::case_deadlines(&book, &f, today)
        .into_iter()
        .find(|d| d.kind == "decision_due")
        .map(|d| d.due))
}

/// Everything that is wrong (errors: approval is refused) or worth a second look (warnings:
/// approval needs a confirmation).
pub fn check(
    conn: &Connection,
    d: &Decision,
    f: &Facts,
    today: NaiveDate,
) -> Result<DecisionCheck> {
    let mut c = DecisionCheck::default();
    if !f.coordinator.missing().is_empty() {
        // The letter is signed with the coordinator's name and gives their contacts: never the
        // computer's user name. The UI links this item to Settings.
        c.error(
            "coordinator.profile_missing",
            "",
            crate::store::prefs::PROFILE_MISSING_ET,
            crate::store::prefs::PROFILE_MISSING_EN,
        );
    }
    let referral = d.kind == "referral";
    let first_decision = d.kind == "referral" || d.kind == "refusal";
    let status = f.case.status.as_str();
    if first_decision && status != "in_assessment" {
        c.error(
            "case.status",
            "",
            format!(
                "Juhtumi olek on „{}”: suunamis- või keeldumisotsuse saab kinnitada hindamisel olevale juhtumile. Kui otsus on juba tehtud, koosta muutmisotsus.",
                crate::cases::CaseStatus::label_et_of(status)
            ),
            format!(
                "The case is “{}”: a referral or refusal can be approved for a case in assessment. If a decision was already made, draft an amendment.",
                crate::cases::CaseStatus::label_en_of(status)
            ),
        );
    }
    if !first_decision && !matches!(status, "decided" | "provider_chosen" | "in_service") {
        c.error(
            "case.status",
            "",
            "Muuta või lõpetada saab juhtumit, millel on kehtiv otsus.",
            "Only a case with a decision in force can be amended or ended.",
        );
    }
    if first_decision && f.assessment.signed_on.is_none() {
        c.error(
            "assessment.unsigned",
            "",
            "Hindamine on allkirjastamata: otsus tugineb allkirjastatud hindamisele.",
            "The assessment is not signed: the decision rests on a signed assessment.",
        );
    }
    if d.addressee_name.trim().is_empty() {
        c.error(
            "addressee.missing",
            "addresseeName",
            "Kellele otsus on adresseeritud? Sisesta adressaadi nimi.",
            "Who is the decision addressed to? Enter the addressee's name.",
        );
    }
    match d.delivery.as_str() {
        "" => c.error(
            "delivery.missing",
            "delivery",
            "Vali, kuidas otsus kätte toimetatakse.",
            "Choose how the decision is delivered.",
        ),
        "email" if d.addressee_email.trim().is_empty() => c.error(
            "delivery.email_missing",
            "addresseeEmail",
            "Otsus saadetakse e-postiga, aga e-posti aadress puudub.",
            "The decision goes by e-mail, but there is no e-mail address.",
        ),
        "email" if !d.addressee_email.contains('@') || d.addressee_email.contains(' ') => c.error(
            "delivery.email_invalid",
            "addresseeEmail",
            "E-posti aadress ei ole õige kujuga.",
            "The e-mail address is not valid.",
        ),
        "post" if d.addressee_address.trim().is_empty() => c.error(
            "delivery.address_missing",
            "addresseeAddress",
            "Otsus saadetakse postiga, aga postiaadress puudub.",
            "The decision goes by post, but there is no postal address.",
        ),
        _ => {}
    }
    match d.decision_date {
        None => c.error(
            "date.missing",
            "decisionDate",
            "Sisesta otsuse kuupäev.",
            "Enter the decision date.",
        ),
        Some(date) if date > today => c.error(
            "date.future",
            "decisionDate",
            "Otsuse kuupäev ei saa olla tulevikus.",
            "The decision date cannot be in the future.",
        ),
        Some(date) if date < f.case.application_date => c.error(
            "date.before_application",
            "decisionDate",
            "Otsuse kuupäev on enne taotlust.",
            "The decision date is before the application.",
        ),
        Some(date) => {
            if first_decision {
                if let Some(due) = decision_due(conn, d.case_id, today)? {
                    if date > due {
                        if d.late_reason.trim().is_empty() {
                            c.error(
                                "date.late_reason_missing",
                                "lateReason",
                                format!("Otsuse tähtaeg oli {}. Otsuse võib teha hiljem, aga kirjuta hilinemise põhjus.", fmt(due)),
                                format!("The decision was due on {}. It may be made later, but write the reason for the delay.", fmt(due)),
                            );
                        } else {
                            c.warning(
                                "date.late",
                                "decisionDate",
                                format!("Otsus tehakse pärast tähtaega ({}); põhjus jääb otsuse juurde.", fmt(due)),
                                format!("The decision is made after its deadline ({}); the reason is kept with it.", fmt(due)),
                            );
                        }
                    }
                }
            }
        }
    }
    for (field, text, et, en) in [
        (
            "operative",
            &d.operative,
            "Resolutsioon (mida otsustati) on tühi.",
            "The operative part (what was decided) is empty.",
        ),
        (
            "reasoning",
            &d.reasoning,
            "Põhjendus puudub: otsus peab ütlema, miks nii otsustati (HMS § 56).",
            "The reasoning is missing: a decision must say why (HMS § 56).",
        ),
        (
            "legalBasis",
            &d.legal_basis,
            "Õiguslik alus puudub (HMS § 56).",
            "The legal basis is missing (HMS § 56).",
        ),
        (
            "summary",
            &d.summary,
            "Lapsevanemale mõeldud kokkuvõte on tühi.",
            "The summary for the parent is empty.",
        ),
    ] {
        if text.trim().is_empty() {
            c.error(&format!("{field}.missing"), field, et, en);
        }
    }
    for (field, text) in [
        ("operative", &d.operative),
        ("reasoning", &d.reasoning),
        ("legalBasis", &d.legal_basis),
        ("summary", &d.summary),
    ] {
        for p in check_placeholders(text) {
            let m = p.message();
            c.error(&format!("placeholder.{}", p.code), field, m.et, m.en);
        }
    }
    if !first_decision {
        let exists: bool = conn.query_row_cached(
            "SELECT EXISTS (SELECT 1 FROM decision WHERE case_id = ?1 AND number = ?2)",
            params![d.case_id, d.related_number.trim()],
            |r| r.get(0),
        )?;
        if !exists {
            c.error(
                "related.missing",
                "relatedNumber",
                "Nimeta juhtumi otsus, mida muudetakse või lõpetatakse.",
                "Name the case's decision that is amended or ended.",
            );
        }
    }
    match (d.kind.as_str(), f.assessment.eligibility.eligible) {
        ("referral", Some(true)) | ("refusal", Some(false)) => {}
        ("referral", _) => c.warning(
            "eligibility.mismatch",
            "",
            "Hindamise järgi ei ole kõik tingimused täidetud, aga koostatakse suunamisotsus.",
            "By the assessment not every condition is met, yet this is a referral.",
        ),
        ("refusal", _) => c.warning(
            "eligibility.mismatch",
            "",
            "Hindamise järgi on tingimused täidetud, aga koostatakse keeldumisotsus.",
            "By the assessment every condition is met, yet this is a refusal.",
        ),
        _ => {}
    }
    if referral {
        check_referral(conn, d, f, &mut c)?;
    }
    Ok(c)
}

pub(super) fn check_referral(
    conn: &Connection,
    d: &Decision,
    f: &Facts,
    c: &mut DecisionCheck,
) -> Result<()> {
    let (from, to) = match (d.valid_from, d.valid_to) {
        (Some(a), Some(b)) => (a, b),
        _ => {
            c.error(
                "validity.missing",
                if d.valid_from.is_none() {
                    "validFrom"
                } else {
                    "validTo"
                },
                "Suunamisotsusel peab olema kehtivuse algus ja lõpp.",
                "A referral needs its first and last day.",
            );
            return Ok(());
        }
    };
    if to < from {
        c.error(
            "validity.order",
            "validTo",
            "Kehtivuse lõpp on enne algust.",
            "The last day is before the first day.",
        );
        return Ok(());
    }
    let book = crate::deadlines::rules::RuleBook::load(conn)?;
    let (months, legal) = book
        .rule("referral_max", from)
        .map(|r| (r.count, r.legal_ref.clone()))
        .unwrap_or((24, "SHS § 70".into()));
    let longest = from
        .checked_add_months(chrono::Months::new(months))
        .map(|x| x - chrono::Duration::days(1))
        .unwrap_or(from);
    if to > longest {
        c.error(
            "validity.too_long",
            "validTo",
            format!(
                "Suunamine võib kehtida kuni {months} kuud ({legal}): viimane lubatud päev on {}.",
                fmt(longest)
            ),
            format!(
                "A referral may last up to {months} months ({legal}): the last day allowed is {}.",
                fmt(longest)
            ),
        );
    }
    let case_facts = crate::casework::assessment::case_facts(conn, d.case_id)?;
    let (last_day, limit, legal) = crate::casework::assessment::age_limit(conn, &case_facts)?;
    if to > last_day {
        if case_facts.route_kind == "disability" {
            c.error(
                "validity.after_age_limit",
                "validTo",
                format!(
                    "Kehtivus lõpeb pärast lapse vanusepiiri: puude alusel saab teenust kuni selle aasta lõpuni, mil laps saab {limit}-aastaseks ({legal}), s.o kuni {}. Lõpeta kehtivus hiljemalt sel päeval.",
                    fmt(last_day)
                ),
                format!(
                    "The referral ends after the child's age limit: on the disability route the service is available until the end of the year the child turns {limit} ({legal}), that is until {}. End the referral on that day at the latest.",
                    fmt(last_day)
                ),
            );
        } else {
            c.error(
                "validity.after_age_limit",
                "validTo",
                format!(
                    "Kehtivus lõpeb pärast lapse vanusepiiri: kohaliku omavalitsuse suunamisel saab teenust alla {limit}-aastane laps ({legal}), s.o kuni {}. Lõpeta kehtivus hiljemalt sel päeval.",
                    fmt(last_day)
                ),
                format!(
                    "The referral ends after the child's age limit: on a municipality referral the service is for children under {limit} ({legal}), that is until {}. End the referral on that day at the latest.",
                    fmt(last_day)
                ),
            );
        }
    }
    if d.decision_date.is_some_and(|date| from < date) {
        c.warning(
            "validity.before_decision",
            "validFrom",
            "Kehtivus algab enne otsuse kuupäeva.",
            "The referral starts before the decision date.",
        );
    }
    if d.providers.is_empty() {
        c.warning(
            "providers.empty",
            "providers",
            "Sobivaid teenuseosutajaid pole nimetatud: perel on neid valides abi vaja.",
            "No suitable providers are named: the family needs them to choose.",
        );
    }
    if f.assessment.signed_on.is_some() && f.assessment.activities.is_empty() {
        c.error(
            "assessment.no_activities",
            "",
            "Hindamise järgi ei ole ühtegi tegevust vaja: suunamisotsus tugineb hindamisele, milles on vähemalt üks vajalik tegevus. Kui teenust ei ole vaja, koosta keeldumisotsus.",
            "The assessment found no activities needed: a referral rests on an assessment that lists at least one activity needed. If the service is not needed, draft a refusal.",
        );
    }
    let assessed: Vec<&str> = f
        .assessment
        .activities
        .iter()
        .map(|a| a.code.as_str())
        .collect();
    if d.annex
        .iter()
        .all(|l| l.amounts.iter().all(|a| a.cents == 0))
    {
        c.error(
            "annex.empty",
            "annex",
            "Lisas ei ole ühtegi summat: suunamisotsusel on lisa tegevuste maksumusega.",
            "The annex has no amounts: a referral has an annex with the cost of the activities.",
        );
    }
    let years = years_of(from, to);
    for (i, line) in d.annex.iter().enumerate() {
        if !assessed.contains(&line.code.as_str()) {
            c.error(
                "annex.not_assessed",
                &format!("annex.{i}.code"),
                format!(
                    "Tegevus {} ei ole hindamises vajalike tegevuste hulgas.",
                    line.code
                ),
                format!(
                    "Activity {} is not among the activities the assessment found needed.",
                    line.code
                ),
            );
        }
        for a in &line.amounts {
            if a.cents < 0 {
                c.error(
                    "annex.negative",
                    &format!("annex.{i}.{}", a.year),
                    "Summa ei saa olla negatiivne.",
                    "An amount cannot be negative.",
                );
            }
            if a.cents != 0 && !years.contains(&a.year) {
                c.error(
                    "annex.year_outside",
                    &format!("annex.{i}.{}", a.year),
                    format!("Aasta {} jääb suunamise kehtivusest välja.", a.year),
                    format!("The year {} is outside the referral's period.", a.year),
                );
            }
        }
    }
    for y in years {
        let used: i64 = d.annex.iter().map(|l| l.cents_in(y)).sum();
        match yearly_cap(conn, y)? {
            Some((cap, legal)) if used > cap => c.error(
                "annex.over_cap",
                &format!("annex.total.{y}"),
                format!(
                    "Aasta {y} summa {} ületab lapse aastase piirmäära {} ({legal}) {} võrra.",
                    crate::pdf::money(used),
                    crate::pdf::money(cap),
                    crate::pdf::money(used - cap)
                ),
                format!(
                    "The {y} total {} is over the child's yearly cap {} ({legal}) by {}.",
                    crate::pdf::money(used),
                    crate::pdf::money(cap),
                    crate::pdf::money(used - cap)
                ),
            ),
            None => c.error(
                "annex.no_cap",
                &format!("annex.total.{y}"),
                format!("Aasta {y} piirmäär puudub seadetest."),
                format!("There is no yearly cap for {y} in the settings."),
            ),
            _ => {}
        }
    }
    Ok(())
}
