//! Placeholders.

use super::*;

/// Every placeholder a text may use, with what it becomes.
pub const PLACEHOLDERS: [(&str, &str, &str); 29] = [
    (
        "laps.nimi",
        "lapse ees- ja perekonnanimi",
        "the child's full name",
    ),
    ("laps.eesnimi", "lapse eesnimi", "the child's first name"),
    (
        "laps.perenimi",
        "lapse perekonnanimi",
        "the child's last name",
    ),
    (
        "laps.isikukood",
        "lapse isikukood (või sünniaeg)",
        "the child's personal code (or birth date)",
    ),
    ("laps.sünniaeg", "lapse sünniaeg", "the child's birth date"),
    (
        "esindaja.nimi",
        "adressaadi (lapse esindaja) nimi",
        "the addressee's (guardian's) name",
    ),
    (
        "esindaja.aadress",
        "adressaadi postiaadress",
        "the addressee's postal address",
    ),
    (
        "esindaja.epost",
        "adressaadi e-post",
        "the addressee's e-mail",
    ),
    ("juhtum.number", "juhtumi number", "the case number"),
    (
        "taotlus.kuupäev",
        "taotluse kuupäev",
        "the application date",
    ),
    (
        "hindamine.kuupäev",
        "hindamise allkirjastamise kuupäev",
        "the date the assessment was signed",
    ),
    (
        "hindamine.põhjendus",
        "hindamise tingimused sõnadega",
        "the assessment's criteria in words",
    ),
    (
        "hindamine.puudused",
        "täitmata tingimused sõnadega",
        "the criteria not met, in words",
    ),
    (
        "hindamine.valdkonnad",
        "valdkonnad, kus on teenusevajadus",
        "the areas with a need",
    ),
    (
        "otsus.number",
        "otsuse number (antakse kinnitamisel)",
        "the decision number (given at approval)",
    ),
    ("otsus.kuupäev", "otsuse kuupäev", "the decision date"),
    (
        "kehtivus.algus",
        "suunamise kehtivuse algus",
        "the referral's first day",
    ),
    (
        "kehtivus.lõpp",
        "suunamise kehtivuse lõpp",
        "the referral's last day",
    ),
    (
        "valik.tähtaeg",
        "teenuseosutaja valimise tähtaeg: 60. päev otsuse kättesaamisest (kuupäev vaid siis, kui kättesaamise päev on teada)",
        "the provider choice deadline: the 60th day after receipt (a date only when the receipt day is known)",
    ),
    (
        "seotud.otsus",
        "muudetava või lõpetatava otsuse number",
        "the number of the decision amended or ended",
    ),
    (
        "teenuseosutajad",
        "sobivad teenuseosutajad",
        "the suitable providers",
    ),
    ("lisa.kokku", "lisa summa kokku", "the annex total"),
    ("amet.nimi", "asutuse nimi", "the Board's name"),
    ("amet.aadress", "asutuse aadress", "the Board's address"),
    ("amet.telefon", "asutuse telefon", "the Board's phone"),
    ("amet.epost", "asutuse e-post", "the Board's e-mail"),
    (
        "koordinaator.nimi",
        "juhtumikorraldaja nimi",
        "the coordinator's name",
    ),
    (
        "koordinaator.telefon",
        "juhtumikorraldaja telefon (kui seadetes pole, siis asutuse oma)",
        "the coordinator's phone (the Board's when none is set)",
    ),
    (
        "koordinaator.epost",
        "juhtumikorraldaja e-post (kui seadetes pole, siis asutuse oma)",
        "the coordinator's e-mail (the Board's when none is set)",
    ),
];

pub fn is_placeholder(name: &str) -> bool {
    PLACEHOLDERS.iter().any(|(n, _, _)| *n == name)
}

/// What is wrong with a placeholder in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlaceholderProblem {
    /// "unknown", "unclosed" or "empty".
    pub code: String,
    pub name: String,
    /// Character offset of the "{{" in the text.
    pub offset: usize,
}

impl PlaceholderProblem {
    pub fn message(&self) -> Localized {
        match self.code.as_str() {
            "unknown" => Localized::new(
                format!("Tundmatu kohatäide {{{{{}}}}}: kontrolli kirjapilti (nt {{{{laps.nimi}}}}).", self.name),
                format!("Unknown placeholder {{{{{}}}}}: check the spelling (e.g. {{{{laps.nimi}}}}).", self.name),
            ),
            "unclosed" => Localized::new(
                "Kohatäide on lõpetamata: „{{” järel puudub „}}”. Kui soovid kirjutada „{{”, kirjuta „\\{{”.",
                "A placeholder is not closed: “{{” has no “}}”. To write “{{” itself, type “\\{{”.",
            ),
            _ => Localized::new(
                "Tühi kohatäide {{}}: kirjuta selle sisse nimi või eemalda see.",
                "Empty placeholder {{}}: write a name in it or remove it.",
            ),
        }
    }
}

/// A text split into literal parts and placeholder names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Piece {
    Text(String),
    Name(String),
}

/// Parse `{{name}}` placeholders; `\{{` is a literal "{{". Every problem is reported.
pub(super) fn parse(text: &str) -> (Vec<Piece>, Vec<PlaceholderProblem>) {
    let mut pieces = Vec::new();
    let mut problems = Vec::new();
    let mut literal = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' && chars.get(i + 1) == Some(&'{') && chars.get(i + 2) == Some(&'{') {
            literal.push_str("{{");
            i += 3;
            continue;
        }
        if chars[i] == '{' && chars.get(i + 1) == Some(&'{') {
            let start = i;
            let mut j = i + 2;
            let mut found = None;
            while j + 1 < chars.len() {
                if chars[j] == '}' && chars[j + 1] == '}' {
                    found = Some(j);
                    break;
                }
                if chars[j] == '{' && chars[j + 1] == '{' {
                    break;
                }
                j += 1;
            }
            match found {
                None => {
                    problems.push(PlaceholderProblem {
                        code: "unclosed".into(),
                        name: String::new(),
                        offset: start,
                    });
                    literal.push_str("{{");
                    i += 2;
                }
                Some(end) => {
                    let name: String = chars[i + 2..end]
                        .iter()
                        .collect::<String>()
                        .trim()
                        .to_string();
                    if name.is_empty() {
                        problems.push(PlaceholderProblem {
                            code: "empty".into(),
                            name: String::new(),
                            offset: start,
                        });
                    } else if !is_placeholder(&name) {
                        problems.push(PlaceholderProblem {
                            code: "unknown".into(),
                            name: name.clone(),
                            offset: start,
                        });
                    }
                    if !literal.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut literal)));
                    }
                    pieces.push(Piece::Name(name));
                    i = end + 2;
                }
            }
            continue;
        }
        literal.push(chars[i]);
        i += 1;
    }
    if !literal.is_empty() {
        pieces.push(Piece::Text(literal));
    }
    (pieces, problems)
}

/// The problems of a text's placeholders (none: every placeholder is known and closed).
pub fn check_placeholders(text: &str) -> Vec<PlaceholderProblem> {
    parse(text).1
}

/// Fill a text's placeholders with `values`. Values go in as they are (never read again as
/// placeholders). A problem leaves the placeholder as written, so a preview shows where it is;
/// the problems are returned too and block approval.
pub fn fill(text: &str, values: &BTreeMap<&str, String>) -> (String, Vec<PlaceholderProblem>) {
    let (pieces, problems) = parse(text);
    let mut out = String::with_capacity(text.len() + 64);
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(&t),
            Piece::Name(n) => match values.get(n.as_str()) {
                Some(v) => out.push_str(v),
                None => {
                    out.push_str("{{");
                    out.push_str(&n);
                    out.push_str("}}");
                }
            },
        }
    }
    (out, problems)
}

pub(super) fn placeholder_errors(field: &str, text: &str) -> Vec<FieldError> {
    check_placeholders(text)
        .into_iter()
        .map(|p| {
            let m = p.message();
            FieldError::new(field, &format!("placeholder.{}", p.code), &m.et, &m.en)
        })
        .collect()
}
