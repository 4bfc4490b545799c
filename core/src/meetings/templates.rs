//! Templates.

use super::*;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingTemplate {
    pub code: String,
    pub name: Localized,
    pub agenda: Vec<String>,
    pub updated_at: String,
    /// False while the template is as shipped.
    pub edited: bool,
}

/// A template as edited in Settings: its agenda items, one per line.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TemplateInput {
    pub code: String,
    pub agenda: String,
}

/// The agenda items of a text: one per line, bullets and numbers dropped, empty lines skipped.
pub fn agenda_items(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            let l = l.trim();
            let l = l
                .strip_prefix("- ")
                .or_else(|| l.strip_prefix("* "))
                .or_else(|| l.strip_prefix("• "))
                .unwrap_or(l);
            // "1. Item" or "1) Item" (a year like "2026. aasta" is text)
            let digits = l.chars().take_while(|c| c.is_ascii_digit()).count();
            let rest = &l[digits..];
            let l = if (1..=2).contains(&digits)
                && (rest.starts_with(". ") || rest.starts_with(") "))
            {
                &rest[2..]
            } else {
                l
            };
            l.trim().to_string()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

pub fn templates(conn: &Connection) -> Result<Vec<MeetingTemplate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT code, name_et, name_en, agenda, updated_at, updated_at <> created_at FROM meeting_template
         ORDER BY CASE code WHEN 'first' THEN 0 ELSE 1 END",
    )?;
    let list = stmt
        .query_map([], |r| {
            Ok(MeetingTemplate {
                code: r.get(0)?,
                name: Localized::new(r.get::<_, String>(1)?, r.get::<_, String>(2)?),
                agenda: agenda_items(&r.get::<_, String>(3)?),
                updated_at: r.get(4)?,
                edited: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

pub fn save_template(conn: &Connection, input: &TemplateInput, now: DateTime<Utc>) -> Result<()> {
    if !TEMPLATE_CODES.contains(&input.code.as_str()) {
        return Err(Error::field(
            "code",
            "invalid_choice",
            "Tundmatu mall.",
            "Unknown template.",
        ));
    }
    let items = agenda_items(&input.agenda);
    if items.is_empty() {
        return Err(Error::field(
            "agenda",
            "required",
            "Mallis peab olema vähemalt üks päevakorrapunkt.",
            "A template needs at least one agenda item.",
        ));
    }
    if items.len() > MAX_AGENDA_ITEMS || items.iter().any(|i| too_long(i, MAX_SHORT)) {
        return Err(Error::field(
            "agenda",
            "too_long",
            "Kuni 40 päevakorrapunkti, igaüks kuni 200 märki.",
            "At most 40 agenda items of at most 200 characters each.",
        ));
    }
    conn.execute_cached(
        "UPDATE meeting_template SET agenda = ?2, updated_at = ?3 WHERE code = ?1",
        params![input.code, items.join("\n"), ts(now)],
    )?;
    Ok(())
}

pub(super) fn template_agenda(conn: &Connection, kind: &str) -> Result<String> {
    Ok(conn
        .query_row_cached(
            "SELECT agenda FROM meeting_template WHERE code = ?1",
            [kind],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .unwrap_or_default())
}
