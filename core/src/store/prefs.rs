//! The user's preferences that must be known before the database is unlocked (the UI language),
//! and the coordinator's profile that signs letters, minutes and assessments (name and work
//! contacts, as printed on every letter). Kept in a small plain JSON file beside the database: no
//! case data goes here.

use std::path::Path;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Prefs {
    pub language: String,
    /// The coordinator's name, as it appears on sign-offs; empty = not set yet (never the OS
    /// user name: letters, minutes and assessments are refused until it is set).
    pub coordinator_name: String,
    /// The coordinator's work phone and e-mail (empty: the Board's from the decision settings).
    pub coordinator_phone: String,
    pub coordinator_email: String,
    /// Minutes without activity after which the app locks.
    pub idle_lock_minutes: u32,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            language: "et".into(),
            coordinator_name: String::new(),
            coordinator_phone: String::new(),
            coordinator_email: String::new(),
            idle_lock_minutes: 10,
        }
    }
}

pub const LANGUAGES: [&str; 2] = ["et", "en"];

impl Prefs {
    /// A missing or unreadable file gives the defaults: preferences are never worth an error.
    pub fn load(path: &Path) -> Self {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|s| serde_json::from_str::<Prefs>(&s).ok())
            .filter(|p| LANGUAGES.contains(&p.language.as_str()))
            .map(|mut p| {
                // A hand-edited file cannot switch the lock off.
                p.idle_lock_minutes = p.idle_lock_minutes.clamp(1, 240);
                p
            })
            .unwrap_or_default()
    }

    pub fn save(&self, path: &Path) -> crate::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let json = serde_json::to_string_pretty(self)
            .map_err(|e| crate::Error::Io(std::io::Error::other(e.to_string())))?;
        std::fs::write(path, json)?;
        Ok(())
    }

    pub fn set_idle_lock_minutes(&mut self, minutes: i64) -> crate::Result<()> {
        if !(1..=240).contains(&minutes) {
            return Err(crate::Error::field(
                "minutes",
                "out_of_range",
                "Sisesta 1 kuni 240 minutit.",
                "Enter 1 to 240 minutes.",
            ));
        }
        self.idle_lock_minutes = minutes as u32;
        Ok(())
    }

    /// The coordinator's profile as kept.
    pub fn coordinator(&self) -> Coordinator {
        Coordinator {
            name: self.coordinator_name.clone(),
            phone: self.coordinator_phone.clone(),
            email: self.coordinator_email.clone(),
        }
    }

    /// Set the coordinator's name, phone and e-mail. The name is required (letters are signed
    /// with it); phone and e-mail may stay empty, and then the Board's are printed.
    pub fn set_coordinator(&mut self, name: &str, phone: &str, email: &str) -> crate::Result<()> {
        let c = Coordinator::validated(name, phone, email)?;
        self.coordinator_name = c.name;
        self.coordinator_phone = c.phone;
        self.coordinator_email = c.email;
        Ok(())
    }

    pub fn set_language(&mut self, language: &str) -> crate::Result<()> {
        if !LANGUAGES.contains(&language) {
            return Err(crate::Error::field(
                "language",
                "invalid_choice",
                "Tundmatu keel.",
                "Unknown language.",
            ));
        }
        self.language = language.to_string();
        Ok(())
    }
}

pub use crate::error::{PROFILE_MISSING_EN, PROFILE_MISSING_ET};

/// Who signs letters, minutes and assessments, and how the family reaches them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Coordinator {
    pub name: String,
    pub phone: String,
    pub email: String,
}

impl Coordinator {
    /// A profile as typed, checked: a name (1..=100 characters), a phone with digits and an
    /// e-mail with "@" where given.
    pub fn validated(name: &str, phone: &str, email: &str) -> crate::Result<Self> {
        let (name, phone, email) = (name.trim(), phone.trim(), email.trim());
        let mut e = Vec::new();
        if name.is_empty() {
            e.push(crate::FieldError::new(
                "coordinatorName",
                "required",
                "Kirjuta oma nimi: sellega allkirjastatakse hindamised, otsused ja protokollid.",
                "Enter your name: assessments, decisions and minutes are signed with it.",
            ));
        } else if name.chars().count() > 100 {
            e.push(crate::FieldError::new(
                "coordinatorName",
                "too_long",
                "Nimi on liiga pikk (kuni 100 märki).",
                "The name is too long (at most 100 characters).",
            ));
        }
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        if !phone.is_empty()
            && (digits < 5
                || phone.chars().count() > 40
                || !phone
                    .chars()
                    .all(|c| c.is_ascii_digit() || " +-()".contains(c)))
        {
            e.push(crate::FieldError::new(
                "coordinatorPhone",
                "invalid",
                "Telefoninumber ei ole õige kujuga (nt +372 5555 0101).",
                "The phone number is not valid (e.g. +372 5555 0101).",
            ));
        }
        if !email.is_empty()
            && (email.contains(char::is_whitespace)
                || email.chars().count() > 100
                || !email
                    .split_once('@')
                    .is_some_and(|(a, b)| !a.is_empty() && b.contains('.')))
        {
            e.push(crate::FieldError::new(
                "coordinatorEmail",
                "invalid",
                "E-posti aadress ei ole õige kujuga.",
                "The e-mail address is not valid.",
            ));
        }
        if !e.is_empty() {
            return Err(crate::Error::Validation(e));
        }
        Ok(Self {
            name: name.to_string(),
            phone: phone.to_string(),
            email: email.to_string(),
        })
    }

    /// The profile as letters print it: the Board's phone and e-mail where the coordinator gave
    /// none of their own.
    pub fn with_board_contacts(&self, board_phone: &str, board_email: &str) -> Self {
        let or = |own: &str, board: &str| {
            if own.trim().is_empty() {
                board.trim().to_string()
            } else {
                own.trim().to_string()
            }
        };
        Self {
            name: self.name.trim().to_string(),
            phone: or(&self.phone, board_phone),
            email: or(&self.email, board_email),
        }
    }

    /// What a letter still lacks: "name", "phone", "email".
    pub fn missing(&self) -> Vec<&'static str> {
        [
            ("name", &self.name),
            ("phone", &self.phone),
            ("email", &self.email),
        ]
        .into_iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(k, _)| k)
        .collect()
    }
}
