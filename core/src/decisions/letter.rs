//! The letter.

use super::*;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct LetterSection {
    pub heading: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AnnexRow {
    pub code: String,
    pub name: String,
    pub cents: Vec<i64>,
    pub total: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AnnexTable {
    pub years: Vec<i32>,
    pub rows: Vec<AnnexRow>,
    pub totals: Vec<i64>,
    pub caps: Vec<i64>,
    pub total: i64,
}

/// The decision as the parent reads it: what the preview shows and the PDF prints. Frozen
/// (stored) when the decision is approved.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Letter {
    pub kind: String,
    pub title: String,
    pub board_name: String,
    pub board_unit: String,
    pub board_contact: String,
    pub number: String,
    pub date: String,
    pub addressee: Vec<String>,
    pub delivery: String,
    pub summary_language: String,
    pub summary_heading: String,
    pub summary: String,
    pub child: String,
    pub sections: Vec<LetterSection>,
    pub providers: Vec<String>,
    pub signer_name: String,
    pub signer_title: String,
    /// How the family reaches the signer: "tel … · e-post …" (none in letters approved before).
    #[serde(default)]
    pub signer_contact: String,
    pub annex: Option<AnnexTable>,
}

pub fn kind_title(kind: &str) -> &'static str {
    match kind {
        "referral" => "OTSUS sotsiaalse rehabilitatsiooni teenusele suunamise kohta",
        "refusal" => "OTSUS sotsiaalse rehabilitatsiooni teenusele suunamisest keeldumise kohta",
        "amendment" => "OTSUS sotsiaalse rehabilitatsiooni teenuse otsuse muutmise kohta",
        _ => "OTSUS sotsiaalse rehabilitatsiooni teenuse lõpetamise kohta",
    }
}

pub(super) fn delivery_words(delivery: &str) -> &'static str {
    match delivery {
        "email" => "e-posti teel",
        "post" => "posti teel",
        "in_person" => "isiklikult kätte",
        "eesti_ee" => "riigiportaali eesti.ee kaudu",
        _ => "",
    }
}

pub(super) fn summary_heading(lang: &str) -> &'static str {
    match lang {
        "ru" => "Что означает это решение?",
        "en" => "What does this decision mean?",
        _ => "Mida see otsus tähendab?",
    }
}

/// The time to choose a provider and register runs from the day the decision reached the family,
/// which a letter printed at approval cannot know: a date counted from the decision date would be
/// earlier than the law's. So it is a date only once the receipt is known (with the rest-day
/// roll-over); before that it is the rule in words, in `lang`, to follow "hiljemalt" / "by … at
/// the latest" / "не позднее".
pub fn registration_deadline(conn: &Connection, d: &Decision, lang: &str) -> Result<String> {
    let book = crate::deadlines::rules::RuleBook::load(conn)?;
    let on = d.delivered_on.or(d.decision_date).unwrap_or(NaiveDate::MIN);
    let period = book
        .rule("provider_registration", on)
        .map(|r| r.period())
        .unwrap_or(crate::deadlines::Period::calendar_days(60));
    if let Some(received) = d.delivered_on {
        return Ok(fmt(crate::deadlines::deadline(
            received,
            period,
            &Localized::new("", ""),
            "",
        )
        .due));
    }
    let n = period.count;
    let months = period.unit == crate::deadlines::Unit::Months;
    let working = period.unit == crate::deadlines::Unit::WorkingDays;
    Ok(match lang {
        "en" => {
            let suffix = match (n % 100, n % 10) {
                (11..=13, _) => "th",
                (_, 1) => "st",
                (_, 2) => "nd",
                (_, 3) => "rd",
                _ => "th",
            };
            if months {
                format!(
                    "{n} months after you receive it (the next working day if that is a rest day)"
                )
            } else if working {
                format!("the {n}{suffix} working day after you receive it")
            } else {
                format!("the {n}{suffix} day after you receive it (the next working day if that is a rest day)")
            }
        }
        "ru" => {
            if months {
                format!("истечения {n} месяцев после получения решения (если это выходной день — следующего рабочего дня)")
            } else if working {
                format!("{n}-го рабочего дня после получения решения")
            } else {
                format!("{n}-го дня после получения решения (если это выходной день — следующего рабочего дня)")
            }
        }
        _ => {
            if months {
                format!("{n} kuu möödumisel otsuse kättesaamisest (kui see on puhkepäev, siis järgmisel tööpäeval)")
            } else if working {
                format!("{n}. tööpäeval pärast otsuse kättesaamist")
            } else {
                format!("{n}. päeval pärast otsuse kättesaamist (kui see on puhkepäev, siis järgmisel tööpäeval)")
            }
        }
    })
}

/// The values of the placeholders for a decision.
pub fn values(
    conn: &Connection,
    d: &Decision,
    f: &Facts,
    number: Option<&str>,
) -> Result<BTreeMap<&'static str, String>> {
    let child = &f.case.child;
    let mut v: BTreeMap<&'static str, String> = BTreeMap::new();
    v.insert(
        "laps.nimi",
        format!("{} {}", child.first_name, child.last_name),
    );
    v.insert("laps.eesnimi", child.first_name.clone());
    v.insert("laps.perenimi", child.last_name.clone());
    v.insert(
        "laps.isikukood",
        child
            .personal_code
            .clone()
            .unwrap_or_else(|| format!("puudub, sündinud {}", fmt(child.birth_date))),
    );
    v.insert("laps.sünniaeg", fmt(child.birth_date));
    v.insert("esindaja.nimi", d.addressee_name.trim().to_string());
    v.insert("esindaja.aadress", d.addressee_address.trim().to_string());
    v.insert("esindaja.epost", d.addressee_email.trim().to_string());
    v.insert("juhtum.number", f.case.case_no.clone());
    v.insert("taotlus.kuupäev", fmt(f.case.application_date));
    v.insert(
        "hindamine.kuupäev",
        f.assessment
            .signed_on
            .map(fmt)
            .unwrap_or_else(|| "…".into()),
    );
    let criteria = &f.assessment.eligibility.criteria;
    v.insert(
        "hindamine.põhjendus",
        criteria
            .iter()
            .map(|c| c.text.et.clone())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let not_met: Vec<String> = criteria
        .iter()
        .filter(|c| c.met == Some(false))
        .map(|c| c.text.et.clone())
        .collect();
    v.insert(
        "hindamine.puudused",
        if not_met.is_empty() {
            v["hindamine.põhjendus"].clone()
        } else {
            not_met.join(" ")
        },
    );
    let areas: Vec<&str> = f
        .assessment
        .areas
        .iter()
        .filter(|a| matches!(a.level.as_str(), "some" | "significant"))
        .map(|a| crate::casework::assessment::area_name(&a.area).0)
        .collect();
    v.insert(
        "hindamine.valdkonnad",
        if areas.is_empty() {
            "—".into()
        } else {
            areas.join(", ")
        },
    );
    v.insert(
        "otsus.number",
        number.map(str::to_string).unwrap_or_else(|| "…".into()),
    );
    v.insert(
        "otsus.kuupäev",
        d.decision_date.map(fmt).unwrap_or_else(|| "…".into()),
    );
    v.insert(
        "kehtivus.algus",
        d.valid_from.map(fmt).unwrap_or_else(|| "…".into()),
    );
    v.insert(
        "kehtivus.lõpp",
        d.valid_to.map(fmt).unwrap_or_else(|| "…".into()),
    );
    v.insert("valik.tähtaeg", registration_deadline(conn, d, "et")?);
    v.insert(
        "seotud.otsus",
        if d.related_number.trim().is_empty() {
            "…".into()
        } else {
            d.related_number.trim().to_string()
        },
    );
    v.insert("teenuseosutajad", d.providers.join("; "));
    let total: i64 = d
        .annex
        .iter()
        .flat_map(|l| l.amounts.iter())
        .map(|a| a.cents)
        .sum();
    v.insert("lisa.kokku", crate::pdf::money(total));
    let s = &f.settings;
    v.insert("amet.nimi", s.board_name.clone());
    v.insert("amet.aadress", s.board_address.clone());
    v.insert("amet.telefon", s.board_phone.clone());
    v.insert("amet.epost", s.board_email.clone());
    v.insert("koordinaator.nimi", f.signer.clone());
    v.insert("koordinaator.telefon", f.coordinator.phone.clone());
    v.insert("koordinaator.epost", f.coordinator.email.clone());
    Ok(v)
}

/// Build the letter from the draft; placeholders that cannot be filled stay visible as written.
pub fn letter(conn: &Connection, d: &Decision, f: &Facts, number: Option<&str>) -> Result<Letter> {
    let v = values(conn, d, f, number)?;
    let put = |t: &str| fill(t.trim(), &v).0;
    let s = &f.settings;
    let child = &f.case.child;
    let mut addressee = vec![d.addressee_name.trim().to_string()];
    match d.delivery.as_str() {
        "email" => addressee.push(d.addressee_email.trim().to_string()),
        _ => addressee.extend(
            d.addressee_address
                .lines()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty()),
        ),
    }
    addressee.retain(|l| !l.is_empty());
    let mut sections = vec![
        LetterSection {
            heading: "Otsustan".into(),
            text: put(&d.operative),
        },
        LetterSection {
            heading: "Põhjendus".into(),
            text: put(&d.reasoning),
        },
    ];
    if !d.late_reason.trim().is_empty() {
        sections.push(LetterSection {
            heading: "Menetlustähtaeg".into(),
            text: put(&d.late_reason),
        });
    }
    sections.push(LetterSection {
        heading: "Õiguslik alus".into(),
        text: put(&d.legal_basis),
    });
    if d.kind == "referral" {
        sections.push(LetterSection {
            heading: "Suunamise kehtivus".into(),
            text: format!("{} kuni {}", v["kehtivus.algus"], v["kehtivus.lõpp"]),
        });
    }
    sections.push(LetterSection {
        heading: "Vaidlustamine".into(),
        text: put(&s.challenge_text),
    });
    let annex = if d.kind == "referral" {
        let years = match (d.valid_from, d.valid_to) {
            (Some(a), Some(b)) => years_of(a, b),
            _ => {
                let mut ys: Vec<i32> = d
                    .annex
                    .iter()
                    .flat_map(|l| l.amounts.iter().map(|a| a.year))
                    .collect();
                ys.sort_unstable();
                ys.dedup();
                ys
            }
        };
        let names: BTreeMap<&str, String> = f
            .assessment
            .activity_options
            .iter()
            .map(|p| {
                let mode = if p.mode == "group" { " (rühm)" } else { "" };
                (p.code.as_str(), format!("{}{mode}", p.name_et))
            })
            .collect();
        let rows: Vec<AnnexRow> = d
            .annex
            .iter()
            .map(|l| {
                let cents: Vec<i64> = years.iter().map(|y| l.cents_in(*y)).collect();
                AnnexRow {
                    code: l.code.clone(),
                    name: names.get(l.code.as_str()).cloned().unwrap_or_default(),
                    total: cents.iter().sum(),
                    cents,
                }
            })
            .collect();
        let totals: Vec<i64> = years
            .iter()
            .map(|y| d.annex.iter().map(|l| l.cents_in(*y)).sum())
            .collect();
        let mut caps = Vec::new();
        for y in &years {
            caps.push(yearly_cap(conn, *y)?.map(|c| c.0).unwrap_or(0));
        }
        Some(AnnexTable {
            total: totals.iter().sum(),
            years,
            rows,
            totals,
            caps,
        })
    } else {
        None
    };
    Ok(Letter {
        kind: d.kind.clone(),
        title: kind_title(&d.kind).into(),
        board_name: s.board_name.clone(),
        board_unit: s.board_unit.clone(),
        board_contact: [
            s.board_address.as_str(),
            s.board_phone.as_str(),
            s.board_email.as_str(),
        ]
        .into_iter()
        .filter(|x| !x.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" · "),
        number: number.unwrap_or("").to_string(),
        date: d.decision_date.map(fmt).unwrap_or_default(),
        addressee,
        delivery: delivery_words(&d.delivery).to_string(),
        summary_language: d.summary_language.clone(),
        summary_heading: summary_heading(&d.summary_language).into(),
        // The summary is in the family's language: so is the registration deadline in words
        // (`v` has it in Estonian; once the receipt is known it is a date in every language).
        summary: if d.summary_language == "et" || d.delivered_on.is_some() {
            put(&d.summary)
        } else {
            let mut sv = v.clone();
            sv.insert(
                "valik.tähtaeg",
                registration_deadline(conn, d, &d.summary_language)?,
            );
            fill(d.summary.trim(), &sv).0
        },
        child: format!(
            "{} {}, {}",
            child.first_name,
            child.last_name,
            match &child.personal_code {
                Some(code) => format!("isikukood {code}"),
                None => format!("sünniaeg {}", fmt(child.birth_date)),
            }
        ),
        sections,
        providers: if d.kind == "referral" {
            d.providers.clone()
        } else {
            Vec::new()
        },
        signer_name: f.signer.clone(),
        signer_title: s.signer_title.clone(),
        signer_contact: [
            (!f.coordinator.phone.is_empty()).then(|| format!("tel {}", f.coordinator.phone)),
            (!f.coordinator.email.is_empty()).then(|| f.coordinator.email.clone()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · "),
        annex,
    })
}
