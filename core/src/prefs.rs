//! The user's preferences that must be known before the database is unlocked (the UI language).
//! Kept in a small plain JSON file: nothing personal goes here.

use std::path::Path;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Prefs {
    pub language: String,
    /// The coordinator's name, as it appears on sign-offs; empty = the OS user name.
    pub coordinator_name: String,
    /// Minutes without activity after which the app locks.
    pub idle_lock_minutes: u32,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            language: "et".into(),
            coordinator_name: String::new(),
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

    pub fn set_coordinator_name(&mut self, name: &str) -> crate::Result<()> {
        let name = name.trim();
        if name.chars().count() > 100 {
            return Err(crate::Error::field(
                "coordinatorName",
                "too_long",
                "Nimi on liiga pikk (kuni 100 märki).",
                "The name is too long (at most 100 characters).",
            ));
        }
        self.coordinator_name = name.to_string();
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
