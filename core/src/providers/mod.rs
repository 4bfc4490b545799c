//! The provider directory: providers with their locations, contact persons and activities, the
//! flags a coordinator must see (expired licence or contract, capacity not confirmed lately), and
//! the one check every provider passes through, typed in a form or read from a CSV row.
//! Owns provider, provider_location, provider_contact, provider_activity.

pub mod directory;
pub mod io;
pub mod partners;
pub mod referrals;
pub mod registration;
pub(crate) mod report;

use crate::store::cached::CachedSql;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::clock::ts;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldError, Localized, Result};
use crate::values::{is_email, is_phone, parse_date};

pub const LANGUAGES: [&str; 3] = ["et", "ru", "en"];
/// Capacity figures older than this are flagged: the coordinator should ask again.
pub const CAPACITY_STALE_DAYS: i64 = 90;
/// A licence or contract ending within this many days is flagged ahead.
pub const EXPIRY_WARNING_DAYS: i64 = 60;

fn fmt(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct LocationInput {
    pub address: String,
    /// An EHAK code or a municipality's name ("Tartu linn", "Rae vald").
    pub municipality: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct ContactInput {
    pub name: String,
    pub role: String,
    pub phone: String,
    pub email: String,
}

/// A provider as typed in the form or read from one CSV row: strings as given, checked by
/// [`check`], which names every field in error.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct ProviderInput {
    pub name: String,
    pub registry_code: String,
    pub licence_no: String,
    pub licence_valid_to: String,
    pub contract_no: String,
    pub contract_valid_to: String,
    pub locations: Vec<LocationInput>,
    pub contacts: Vec<ContactInput>,
    pub activities: Vec<String>,
    pub age_min: String,
    pub age_max: String,
    pub languages: Vec<String>,
    pub waiting_days: String,
    pub free_places: String,
    pub capacity_confirmed_on: String,
    pub accessibility: String,
    pub notes: String,
    pub quality_notes: String,
    pub active: bool,
}

impl Default for ProviderInput {
    fn default() -> Self {
        Self {
            name: String::new(),
            registry_code: String::new(),
            licence_no: String::new(),
            licence_valid_to: String::new(),
            contract_no: String::new(),
            contract_valid_to: String::new(),
            locations: Vec::new(),
            contacts: Vec::new(),
            activities: Vec::new(),
            age_min: String::new(),
            age_max: String::new(),
            languages: Vec::new(),
            waiting_days: String::new(),
            free_places: String::new(),
            capacity_confirmed_on: String::new(),
            accessibility: String::new(),
            notes: String::new(),
            quality_notes: String::new(),
            active: true,
        }
    }
}

/// What the checks look things up in: the activity codes of the price list and the places.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub activity_codes: BTreeMap<String, Localized>,
    /// code -> (name, county code)
    pub municipalities: BTreeMap<String, (String, String)>,
    pub counties: BTreeMap<String, String>,
    pub neighbours: BTreeSet<(String, String)>,
}

impl Catalog {
    pub fn load(conn: &Connection) -> Result<Self> {
        let mut c = Catalog::default();
        let mut stmt = conn.prepare_cached(
            "SELECT code, name_et, name_en, mode FROM price_list WHERE valid_to IS NULL ORDER BY code, valid_from",
        )?;
        for row in stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })? {
            let (code, et, en, mode) = row?;
            let (m_et, m_en) = if mode == "group" {
                ("rühm", "group")
            } else {
                ("individuaalne", "individual")
            };
            c.activity_codes.insert(
                code,
                Localized::new(format!("{et} ({m_et})"), format!("{en} ({m_en})")),
            );
        }
        let mut stmt = conn.prepare_cached(
            "SELECT ehak_code, name, county_code FROM municipality WHERE valid_to IS NULL",
        )?;
        for row in stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })? {
            let (code, name, county) = row?;
            c.municipalities.insert(code, (name, county));
        }
        let mut stmt = conn.prepare_cached("SELECT ehak_code, name FROM county")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (code, name) = row?;
            c.counties.insert(code, name);
        }
        let mut stmt =
            conn.prepare_cached("SELECT county_code, neighbour_code FROM county_neighbour")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            c.neighbours.insert(row?);
        }
        Ok(c)
    }

    /// A municipality by EHAK code or by name (case and surrounding spaces do not matter).
    pub fn municipality(&self, text: &str) -> Option<String> {
        let t = text.trim();
        if self.municipalities.contains_key(t) {
            return Some(t.to_string());
        }
        let lower = t.to_lowercase();
        self.municipalities
            .iter()
            .find(|(_, (name, _))| name.to_lowercase() == lower)
            .map(|(code, _)| code.clone())
    }

    pub fn county_of(&self, municipality: &str) -> Option<&str> {
        self.municipalities
            .get(municipality)
            .map(|(_, c)| c.as_str())
    }

    pub fn activity_name(&self, code: &str) -> Localized {
        self.activity_codes
            .get(code)
            .cloned()
            .unwrap_or_else(|| Localized::new(code, code))
    }
}

/// A checked provider, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidProvider {
    pub name: String,
    pub registry_code: String,
    pub licence_no: String,
    pub licence_valid_to: Option<NaiveDate>,
    pub contract_no: String,
    pub contract_valid_to: Option<NaiveDate>,
    /// (address, municipality code)
    pub locations: Vec<(String, String)>,
    pub contacts: Vec<ContactInput>,
    pub activities: Vec<String>,
    pub age_min: i64,
    pub age_max: i64,
    pub languages: Vec<String>,
    pub waiting_days: Option<i64>,
    pub free_places: Option<i64>,
    pub capacity_confirmed_on: Option<NaiveDate>,
    pub accessibility: String,
    pub notes: String,
    pub quality_notes: String,
    pub active: bool,
}

fn err(errors: &mut Vec<FieldError>, field: &str, code: &str, et: &str, en: &str) {
    errors.push(FieldError::new(field, code, et, en));
}

/// Split a list typed in one cell: "2001 2010", "2001, 2010", "et;ru", "et/ru".
pub fn split_list(s: &str) -> Vec<String> {
    s.split(|c: char| c == ',' || c == ';' || c == '/' || c.is_whitespace())
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

fn opt_date(errors: &mut Vec<FieldError>, field: &str, value: &str) -> Option<NaiveDate> {
    if value.trim().is_empty() {
        return None;
    }
    let d = parse_date(value);
    if d.is_none() {
        errors.push(crate::values::date_error(field, value));
    }
    d
}

fn opt_count(errors: &mut Vec<FieldError>, field: &str, value: &str, max: i64) -> Option<i64> {
    if value.trim().is_empty() {
        return None;
    }
    match value.trim().parse::<i64>() {
        Ok(n) if (0..=max).contains(&n) => Some(n),
        _ => {
            err(
                errors,
                field,
                "number",
                &format!("Kirjuta täisarv 0 kuni {max}."),
                &format!("Write a whole number from 0 to {max}."),
            );
            None
        }
    }
}

/// Registry code of a legal person: exactly 8 digits.
pub fn is_registry_code(s: &str) -> bool {
    s.len() == 8 && s.chars().all(|c| c.is_ascii_digit())
}

/// Check a provider; every field in error is named (`locations.0.municipality`, `activities`).
pub fn check(
    catalog: &Catalog,
    input: &ProviderInput,
) -> std::result::Result<ValidProvider, Vec<FieldError>> {
    let mut e = Vec::new();
    let name = input.name.trim().to_string();
    if name.is_empty() {
        err(
            &mut e,
            "name",
            "required",
            "Kohustuslik väli.",
            "This field is required.",
        );
    } else if name.chars().count() > 200 {
        err(
            &mut e,
            "name",
            "too_long",
            "Nimi on liiga pikk (kuni 200 märki).",
            "The name is too long (at most 200 characters).",
        );
    }
    let registry_code = input.registry_code.trim().to_string();
    if !is_registry_code(&registry_code) {
        err(
            &mut e,
            "registryCode",
            "registry_code",
            "Registrikood on 8 numbrit.",
            "A registry code is 8 digits.",
        );
    }
    let licence_valid_to = opt_date(&mut e, "licenceValidTo", &input.licence_valid_to);
    let contract_valid_to = opt_date(&mut e, "contractValidTo", &input.contract_valid_to);
    let mut locations = Vec::new();
    for (i, l) in input.locations.iter().enumerate() {
        if l.address.trim().is_empty() && l.municipality.trim().is_empty() {
            continue;
        }
        match catalog.municipality(&l.municipality) {
            Some(code) => locations.push((l.address.trim().to_string(), code)),
            None => err(
                &mut e,
                &format!("locations.{i}.municipality"),
                "unknown_municipality",
                &format!(
                    "Tundmatu omavalitsus „{}” (kirjuta nimi nagu EHAK-is, nt „Tartu linn”, „Rae vald”).",
                    l.municipality.trim()
                ),
                &format!(
                    "Unknown municipality “{}” (write the name as in EHAK, e.g. “Tartu linn”, “Rae vald”).",
                    l.municipality.trim()
                ),
            ),
        }
    }
    if locations.is_empty() && !e.iter().any(|f| f.field.starts_with("locations")) {
        err(
            &mut e,
            "locations.0.municipality",
            "required",
            "Lisa vähemalt üks asukoht koos omavalitsusega.",
            "Add at least one location with its municipality.",
        );
    }
    let mut contacts = Vec::new();
    for (i, c) in input.contacts.iter().enumerate() {
        let blank = c.name.trim().is_empty()
            && c.role.trim().is_empty()
            && c.phone.trim().is_empty()
            && c.email.trim().is_empty();
        if blank {
            continue;
        }
        if c.name.trim().is_empty() {
            err(
                &mut e,
                &format!("contacts.{i}.name"),
                "required",
                "Kirjuta kontaktisiku nimi.",
                "Write the contact person's name.",
            );
        }
        if !c.email.trim().is_empty() && !is_email(c.email.trim()) {
            err(
                &mut e,
                &format!("contacts.{i}.email"),
                "email",
                &format!(
                    "E-posti aadress „{}” ei ole õige kujuga (nt nimi@näide.ee).",
                    c.email.trim()
                ),
                &format!(
                    "The e-mail address “{}” is not valid (e.g. name@example.ee).",
                    c.email.trim()
                ),
            );
        }
        if !c.phone.trim().is_empty() && !is_phone(c.phone.trim()) {
            err(
                &mut e,
                &format!("contacts.{i}.phone"),
                "phone",
                &format!(
                    "Telefoninumber „{}” ei ole õige kujuga (numbrid, võib alata +-ga).",
                    c.phone.trim()
                ),
                &format!(
                    "The phone number “{}” is not valid (digits, may start with +).",
                    c.phone.trim()
                ),
            );
        }
        contacts.push(ContactInput {
            name: c.name.trim().into(),
            role: c.role.trim().into(),
            phone: c.phone.trim().into(),
            email: c.email.trim().into(),
        });
    }
    let mut activities: Vec<String> = Vec::new();
    let mut unknown = Vec::new();
    for a in &input.activities {
        let a = a.trim();
        if a.is_empty() {
            continue;
        }
        if catalog.activity_codes.contains_key(a) {
            if !activities.iter().any(|x| x == a) {
                activities.push(a.to_string());
            }
        } else {
            unknown.push(a.to_string());
        }
    }
    if !unknown.is_empty() {
        err(
            &mut e,
            "activities",
            "unknown_activity",
            &format!(
                "Tundmatu tegevuse kood: {} (koodid on hinnakirjas).",
                unknown.join(", ")
            ),
            &format!(
                "Unknown activity code: {} (the codes are in the price list).",
                unknown.join(", ")
            ),
        );
    } else if activities.is_empty() {
        err(
            &mut e,
            "activities",
            "required",
            "Vali vähemalt üks tegevus.",
            "Choose at least one activity.",
        );
    }
    let age_min = if input.age_min.trim().is_empty() {
        Some(0)
    } else {
        opt_count(&mut e, "ageMin", &input.age_min, 26)
    };
    let age_max = if input.age_max.trim().is_empty() {
        Some(18)
    } else {
        opt_count(&mut e, "ageMax", &input.age_max, 26)
    };
    if let (Some(lo), Some(hi)) = (age_min, age_max) {
        if lo > hi {
            err(
                &mut e,
                "ageMax",
                "age_range",
                "Vanuse ülempiir on väiksem kui alampiir.",
                "The upper age is below the lower age.",
            );
        }
    }
    let mut languages: Vec<String> = Vec::new();
    for l in &input.languages {
        let l = l.trim().to_lowercase();
        if l.is_empty() {
            continue;
        }
        if !LANGUAGES.contains(&l.as_str()) {
            err(
                &mut e,
                "languages",
                "language",
                &format!("Tundmatu keel „{l}” (et, ru või en)."),
                &format!("Unknown language “{l}” (et, ru or en)."),
            );
        } else if !languages.contains(&l) {
            languages.push(l);
        }
    }
    if languages.is_empty() && !e.iter().any(|f| f.field == "languages") {
        err(
            &mut e,
            "languages",
            "required",
            "Vali vähemalt üks teeninduskeel.",
            "Choose at least one language of service.",
        );
    }
    let waiting_days = opt_count(&mut e, "waitingDays", &input.waiting_days, 3650);
    let free_places = opt_count(&mut e, "freePlaces", &input.free_places, 10_000);
    let capacity_confirmed_on =
        opt_date(&mut e, "capacityConfirmedOn", &input.capacity_confirmed_on);
    if !e.is_empty() {
        return Err(e);
    }
    Ok(ValidProvider {
        name,
        registry_code,
        licence_no: input.licence_no.trim().into(),
        licence_valid_to,
        contract_no: input.contract_no.trim().into(),
        contract_valid_to,
        locations,
        contacts,
        activities,
        age_min: age_min.unwrap_or(0),
        age_max: age_max.unwrap_or(18),
        languages,
        waiting_days,
        free_places,
        capacity_confirmed_on,
        accessibility: input.accessibility.trim().into(),
        notes: input.notes.trim().into(),
        quality_notes: input.quality_notes.trim().into(),
        active: input.active,
    })
}

/// Insert a provider, or replace the one with the same registry code (`id` when editing).
pub fn save(
    tx: &Transaction,
    id: Option<i64>,
    p: &ValidProvider,
    now: DateTime<Utc>,
) -> Result<i64> {
    let now = ts(now);
    let by_code: Option<i64> = tx
        .query_row_cached(
            "SELECT id FROM provider WHERE registry_code = ?1",
            [&p.registry_code],
            |r| r.get(0),
        )
        .optional()?;
    if let (Some(id), Some(other)) = (id, by_code) {
        if id != other {
            return Err(Error::field(
                "registryCode",
                "provider.duplicate_registry_code",
                "Selle registrikoodiga teenuseosutaja on juba kataloogis.",
                "A provider with this registry code is already in the directory.",
            ));
        }
    }
    let target = id.or(by_code);
    let values = params![
        p.name,
        p.registry_code,
        p.licence_no,
        p.licence_valid_to.map(|d| d.to_string()),
        p.contract_no,
        p.contract_valid_to.map(|d| d.to_string()),
        p.age_min,
        p.age_max,
        p.languages.join(","),
        p.waiting_days,
        p.free_places,
        p.capacity_confirmed_on.map(|d| d.to_string()),
        p.accessibility,
        p.notes,
        p.quality_notes,
        i64::from(p.active),
        now,
    ];
    let id = match target {
        Some(id) => {
            let n = tx.execute_cached(
                "UPDATE provider SET name = ?1, registry_code = ?2, licence_no = ?3, licence_valid_to = ?4,
                 contract_no = ?5, contract_valid_to = ?6, age_min = ?7, age_max = ?8, languages = ?9,
                 waiting_days = ?10, free_places = ?11, capacity_confirmed_on = ?12, accessibility = ?13,
                 notes = ?14, quality_notes = ?15, active = ?16, updated_at = ?17 WHERE id = ?18",
                rusqlite::params_from_iter(values.iter().copied().chain([&id as &dyn rusqlite::ToSql])),
            )?;
            if n == 0 {
                return Err(Error::ProviderNotFound(id));
            }
            for table in ["provider_location", "provider_contact", "provider_activity"] {
                tx.execute_cached(&format!("DELETE FROM {table} WHERE provider_id = ?1"), [id])?;
            }
            id
        }
        None => {
            tx.execute_cached(
                "INSERT INTO provider (name, registry_code, licence_no, licence_valid_to, contract_no,
                 contract_valid_to, age_min, age_max, languages, waiting_days, free_places,
                 capacity_confirmed_on, accessibility, notes, quality_notes, active, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)",
                values,
            )?;
            tx.last_insert_rowid()
        }
    };
    for (i, (address, municipality)) in p.locations.iter().enumerate() {
        tx.execute_cached(
            "INSERT INTO provider_location (provider_id, position, address, municipality_code,
             created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![id, i as i64, address, municipality, now],
        )?;
    }
    for (i, c) in p.contacts.iter().enumerate() {
        tx.execute_cached(
            "INSERT INTO provider_contact (provider_id, position, name, role, phone, email,
             created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![id, i as i64, c.name, c.role, c.phone, c.email, now],
        )?;
    }
    for code in &p.activities {
        tx.execute_cached(
            "INSERT INTO provider_activity (provider_id, code, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?3)",
            params![id, code, now],
        )?;
    }
    Ok(id)
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub address: String,
    pub municipality_code: String,
    pub municipality_name: String,
    pub county_code: String,
    pub county_name: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    pub code: String,
    pub name: Localized,
}

/// Something about a provider the coordinator must see: an expired licence, a contract ending.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    pub code: String,
    /// "error" (expired) or "warning" (soon, or not confirmed lately).
    pub severity: String,
    pub text: Localized,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    pub id: i64,
    pub name: String,
    pub registry_code: String,
    pub licence_no: String,
    pub licence_valid_to: Option<NaiveDate>,
    pub contract_no: String,
    pub contract_valid_to: Option<NaiveDate>,
    pub locations: Vec<Location>,
    pub contacts: Vec<ContactInput>,
    pub activities: Vec<Activity>,
    pub age_min: i64,
    pub age_max: i64,
    pub languages: Vec<String>,
    pub waiting_days: Option<i64>,
    pub free_places: Option<i64>,
    pub capacity_confirmed_on: Option<NaiveDate>,
    pub accessibility: String,
    pub notes: String,
    pub quality_notes: String,
    pub active: bool,
    pub flags: Vec<Flag>,
    pub updated_at: String,
}

impl Provider {
    pub fn offers(&self, code: &str) -> bool {
        self.activities.iter().any(|a| a.code == code)
    }
}

/// The flags of a provider on `today`.
pub fn flags(p: &Provider, today: NaiveDate) -> Vec<Flag> {
    let mut out = Vec::new();
    let mut expiry = |code: &str, what_et: &str, what_en: &str, to: Option<NaiveDate>| {
        let Some(to) = to else {
            out.push(Flag {
                code: format!("{code}_missing"),
                severity: "warning".into(),
                text: Localized::new(
                    format!("{what_et}: kehtivus on märkimata."),
                    format!("{what_en}: validity not recorded."),
                ),
            });
            return;
        };
        let left = (to - today).num_days();
        if left < 0 {
            out.push(Flag {
                code: format!("{code}_expired"),
                severity: "error".into(),
                text: Localized::new(
                    format!("{what_et} on aegunud ({}).", fmt(to)),
                    format!("{what_en} expired ({}).", fmt(to)),
                ),
            });
        } else if left <= EXPIRY_WARNING_DAYS {
            out.push(Flag {
                code: format!("{code}_expiring"),
                severity: "warning".into(),
                text: Localized::new(
                    format!("{what_et} lõpeb {} ({left} päeva pärast).", fmt(to)),
                    format!("{what_en} ends on {} (in {left} days).", fmt(to)),
                ),
            });
        }
    };
    expiry(
        "licence",
        "Tegevusluba",
        "Activity licence",
        p.licence_valid_to,
    );
    expiry(
        "contract",
        "Leping Sotsiaalkindlustusametiga",
        "Contract with the Board",
        p.contract_valid_to,
    );
    match p.capacity_confirmed_on {
        Some(on) if (today - on).num_days() > CAPACITY_STALE_DAYS => out.push(Flag {
            code: "capacity_stale".into(),
            severity: "warning".into(),
            text: Localized::new(
                format!(
                    "Ootejärjekord ja vabad kohad on kinnitatud {} — küsi uuesti.",
                    fmt(on)
                ),
                format!(
                    "Waiting time and free places were confirmed on {} — ask again.",
                    fmt(on)
                ),
            ),
        }),
        None => out.push(Flag {
            code: "capacity_unknown".into(),
            severity: "warning".into(),
            text: Localized::new(
                "Ootejärjekord ja vabad kohad on kinnitamata.",
                "Waiting time and free places are not confirmed.",
            ),
        }),
        _ => {}
    }
    out
}

/// A provider as one choice of a form's list (the case's provider choice and confirmations,
/// invoices, tasks and proposals): the whole directory entry is not needed there. The case view
/// asked for the whole directory twice — 160 providers, 233 KB of JSON and 6–7 ms a call
/// through the app's IPC (1 ms for the names), against 80–90 ms for the whole case view drawn.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProviderName {
    pub id: i64,
    pub name: String,
    pub active: bool,
}

/// Every provider's name, in the directory's order (by name).
pub fn names(conn: &Connection) -> Result<Vec<ProviderName>> {
    let mut stmt = conn
        .prepare_cached("SELECT id, name, active FROM provider ORDER BY name COLLATE NOCASE, id")?;
    let names = stmt
        .query_map([], |r| {
            Ok(ProviderName {
                id: r.get(0)?,
                name: r.get(1)?,
                active: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(names)
}

/// Every provider (active and not), by name, with locations, contacts, activities and flags.
pub fn all(conn: &Connection, catalog: &Catalog, today: NaiveDate) -> Result<Vec<Provider>> {
    load(conn, catalog, today, None)
}

pub fn get(conn: &Connection, catalog: &Catalog, id: i64, today: NaiveDate) -> Result<Provider> {
    load(conn, catalog, today, Some(id))?
        .into_iter()
        .next()
        .ok_or(Error::ProviderNotFound(id))
}

fn load(
    conn: &Connection,
    catalog: &Catalog,
    today: NaiveDate,
    only: Option<i64>,
) -> Result<Vec<Provider>> {
    let filter = if only.is_some() {
        "WHERE id = ?1"
    } else {
        "WHERE ?1 IS NULL"
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, name, registry_code, licence_no, licence_valid_to, contract_no, contract_valid_to,
                age_min, age_max, languages, waiting_days, free_places, capacity_confirmed_on,
                accessibility, notes, quality_notes, active, updated_at
         FROM provider {filter} ORDER BY name COLLATE NOCASE, id"
    ))?;
    let mut providers = stmt
        .query_map([only], |r| {
            let langs: String = r.get(9)?;
            Ok(Provider {
                id: r.get(0)?,
                name: r.get(1)?,
                registry_code: r.get(2)?,
                licence_no: r.get(3)?,
                licence_valid_to: r.get(4)?,
                contract_no: r.get(5)?,
                contract_valid_to: r.get(6)?,
                locations: Vec::new(),
                contacts: Vec::new(),
                activities: Vec::new(),
                age_min: r.get(7)?,
                age_max: r.get(8)?,
                languages: split_list(&langs),
                waiting_days: r.get(10)?,
                free_places: r.get(11)?,
                capacity_confirmed_on: r.get(12)?,
                accessibility: r.get(13)?,
                notes: r.get(14)?,
                quality_notes: r.get(15)?,
                active: r.get::<_, i64>(16)? == 1,
                flags: Vec::new(),
                updated_at: r.get(17)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let index: HashMap<i64, usize> = providers
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i))
        .collect();
    let scope = if only.is_some() {
        "WHERE provider_id = ?1"
    } else {
        "WHERE ?1 IS NULL"
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT provider_id, address, municipality_code FROM provider_location {scope} ORDER BY provider_id, position"
    ))?;
    for row in stmt.query_map([only], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })? {
        let (pid, address, code) = row?;
        if let Some(&i) = index.get(&pid) {
            let (mname, county) = catalog
                .municipalities
                .get(&code)
                .cloned()
                .unwrap_or_else(|| (code.clone(), String::new()));
            providers[i].locations.push(Location {
                address,
                municipality_name: mname,
                county_name: catalog.counties.get(&county).cloned().unwrap_or_default(),
                county_code: county,
                municipality_code: code,
            });
        }
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT provider_id, name, role, phone, email FROM provider_contact {scope} ORDER BY provider_id, position"
    ))?;
    for row in stmt.query_map([only], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            ContactInput {
                name: r.get(1)?,
                role: r.get(2)?,
                phone: r.get(3)?,
                email: r.get(4)?,
            },
        ))
    })? {
        let (pid, c) = row?;
        if let Some(&i) = index.get(&pid) {
            providers[i].contacts.push(c);
        }
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT provider_id, code FROM provider_activity {scope} ORDER BY provider_id, code"
    ))?;
    for row in stmt.query_map([only], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })? {
        let (pid, code) = row?;
        if let Some(&i) = index.get(&pid) {
            providers[i].activities.push(Activity {
                name: catalog.activity_name(&code),
                code,
            });
        }
    }
    for p in &mut providers {
        p.flags = flags(p, today);
    }
    Ok(providers)
}

/// The form's input for an existing provider (to edit it).
pub fn to_input(p: &Provider) -> ProviderInput {
    ProviderInput {
        name: p.name.clone(),
        registry_code: p.registry_code.clone(),
        licence_no: p.licence_no.clone(),
        licence_valid_to: p
            .licence_valid_to
            .map(|d| d.to_string())
            .unwrap_or_default(),
        contract_no: p.contract_no.clone(),
        contract_valid_to: p
            .contract_valid_to
            .map(|d| d.to_string())
            .unwrap_or_default(),
        locations: p
            .locations
            .iter()
            .map(|l| LocationInput {
                address: l.address.clone(),
                municipality: l.municipality_code.clone(),
            })
            .collect(),
        contacts: p.contacts.clone(),
        activities: p.activities.iter().map(|a| a.code.clone()).collect(),
        age_min: p.age_min.to_string(),
        age_max: p.age_max.to_string(),
        languages: p.languages.clone(),
        waiting_days: p.waiting_days.map(|n| n.to_string()).unwrap_or_default(),
        free_places: p.free_places.map(|n| n.to_string()).unwrap_or_default(),
        capacity_confirmed_on: p
            .capacity_confirmed_on
            .map(|d| d.to_string())
            .unwrap_or_default(),
        accessibility: p.accessibility.clone(),
        notes: p.notes.clone(),
        quality_notes: p.quality_notes.clone(),
        active: p.active,
    }
}

/// Quality figures of one provider, for the service manager.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProviderQuality {
    pub provider_id: i64,
    pub referred: i64,
    pub registered: i64,
    pub started: i64,
    pub ended: i64,
    /// Average days from registration to the start of service, over the cases that started.
    pub average_wait_days: Option<f64>,
}

pub fn quality(conn: &Connection, provider_id: i64, today: NaiveDate) -> Result<ProviderQuality> {
    let (referred, registered, started, ended): (i64, i64, i64, i64) = conn.query_row_cached(
        "SELECT count(DISTINCT pc.case_id),
                count(DISTINCT CASE WHEN pc.registered_on IS NOT NULL THEN pc.case_id END),
                count(DISTINCT CASE WHEN pc.service_start <= ?2 THEN pc.case_id END),
                count(DISTINCT CASE WHEN pc.service_start <= ?2 AND c.status = 'closed' THEN pc.case_id END)
         FROM provider_choice pc JOIN srt_case c ON c.id = pc.case_id WHERE pc.provider_id = ?1",
        params![provider_id, today.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let average_wait_days: Option<f64> = conn.query_row_cached(
        "SELECT avg(julianday(service_start) - julianday(registered_on)) FROM provider_choice
         WHERE provider_id = ?1 AND registered_on IS NOT NULL AND service_start <= ?2",
        params![provider_id, today.to_string()],
        |r| r.get(0),
    )?;
    Ok(ProviderQuality {
        provider_id,
        referred,
        registered,
        started,
        ended,
        average_wait_days: average_wait_days.map(|d| (d * 10.0).round() / 10.0),
    })
}

/// The tables of this part that hold rows of one case (a `case_id` column).
pub(crate) const CASE_TABLES: &[&str] = &["contact_log", "provider_choice"];

/// Retention: delete the case's rows this part owns — the family's provider choice and the contact
/// log. Called by `trust::privacy::delete_due` in its transaction, the parts above first.
pub(crate) fn delete_case_rows(
    conn: &rusqlite::Connection,
    case_id: i64,
) -> crate::error::Result<()> {
    crate::store::delete_case_rows(conn, CASE_TABLES, case_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        let mut conn = Connection::open_in_memory().expect("mem");
        crate::store::migrate::migrations()
            .to_latest(&mut conn)
            .expect("migrate");
        Catalog::load(&conn).expect("catalog")
    }

    fn good() -> ProviderInput {
        ProviderInput {
            name: "Näidiskeskus OÜ".into(),
            registry_code: "12345678".into(),
            locations: vec![LocationInput {
                address: "Puiestee 1".into(),
                municipality: "Tartu linn".into(),
            }],
            contacts: vec![ContactInput {
                name: "Mari Näide".into(),
                role: "juht".into(),
                phone: "+372 5555 0000".into(),
                email: "mari@naide.ee".into(),
            }],
            activities: vec!["2001".into(), "2010".into()],
            languages: vec!["et".into(), "RU".into()],
            age_min: "3".into(),
            age_max: "12".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_provider_passes_with_names_resolved() {
        let v = check(&catalog(), &good()).expect("valid");
        assert_eq!(v.locations, vec![("Puiestee 1".into(), "0793".into())]);
        assert_eq!(v.languages, vec!["et", "ru"]);
        assert_eq!((v.age_min, v.age_max), (3, 12));
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut p = good();
        p.registry_code = "1234567".into();
        p.contacts[0].email = "mari.naide.ee".into();
        p.contacts[0].phone = "helista mulle".into();
        p.activities = vec!["2001".into(), "9999".into()];
        p.locations[0].municipality = "Atlantis vald".into();
        p.languages = vec!["fi".into()];
        let errors = check(&catalog(), &p).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "registryCode",
                "locations.0.municipality",
                "contacts.0.email",
                "contacts.0.phone",
                "activities",
                "languages"
            ]
        );
        assert!(
            errors[4].message.et.contains("9999"),
            "the bad code is named"
        );
    }

    #[test]
    fn registry_code_is_exactly_eight_digits() {
        assert!(is_registry_code("80012345"));
        for bad in ["8001234", "800123456", "8001234a", ""] {
            assert!(!is_registry_code(bad), "{bad}");
        }
    }

    #[test]
    fn expired_licence_and_contract_are_flagged() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
        let mut p = Provider {
            id: 1,
            name: "X".into(),
            registry_code: "12345678".into(),
            licence_no: "L-1".into(),
            licence_valid_to: NaiveDate::from_ymd_opt(2026, 2, 28),
            contract_no: "C-1".into(),
            contract_valid_to: NaiveDate::from_ymd_opt(2026, 4, 1),
            locations: vec![],
            contacts: vec![],
            activities: vec![],
            age_min: 0,
            age_max: 18,
            languages: vec!["et".into()],
            waiting_days: Some(10),
            free_places: Some(1),
            capacity_confirmed_on: NaiveDate::from_ymd_opt(2026, 2, 1),
            accessibility: String::new(),
            notes: String::new(),
            quality_notes: String::new(),
            active: true,
            flags: vec![],
            updated_at: String::new(),
        };
        p.flags = flags(&p, today);
        let codes: Vec<&str> = p.flags.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, vec!["licence_expired", "contract_expiring"]);
    }
}
