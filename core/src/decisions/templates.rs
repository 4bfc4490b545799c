//! Templates.

use super::*;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    pub code: String,
    pub lang: String,
    pub category: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub version: i64,
    #[serde(default)]
    pub saved_by: String,
    #[serde(default)]
    pub updated_at: String,
}

pub(super) const TEMPLATE_COLUMNS: &str =
    "code, lang, category, kind, title, body, version, saved_by, updated_at";

pub(super) fn template_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Template> {
    Ok(Template {
        code: r.get(0)?,
        lang: r.get(1)?,
        category: r.get(2)?,
        kind: r.get(3)?,
        title: r.get(4)?,
        body: r.get(5)?,
        version: r.get(6)?,
        saved_by: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

/// The current version of every template.
pub fn templates(conn: &Connection) -> Result<Vec<Template>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TEMPLATE_COLUMNS} FROM decision_template t
         WHERE version = (SELECT max(version) FROM decision_template u WHERE u.code = t.code AND u.lang = t.lang)
         ORDER BY category, code, lang"
    ))?;
    let list = stmt
        .query_map([], template_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

/// Every version of one template, newest first.
pub fn template_versions(conn: &Connection, code: &str, lang: &str) -> Result<Vec<Template>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TEMPLATE_COLUMNS} FROM decision_template WHERE code = ?1 AND lang = ?2 ORDER BY version DESC"
    ))?;
    let list = stmt
        .query_map([code, lang], template_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

pub(super) fn current_template(
    conn: &Connection,
    code: &str,
    lang: &str,
) -> Result<Option<Template>> {
    Ok(template_versions(conn, code, lang)?.into_iter().next())
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TemplateInput {
    pub code: String,
    pub lang: String,
    pub title: String,
    pub body: String,
}

/// Save a new version of a template; an unknown placeholder is refused here, at editing time.
pub fn save_template(
    conn: &Connection,
    input: &TemplateInput,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Template> {
    let Some(current) = current_template(conn, &input.code, &input.lang)? else {
        return Err(Error::field(
            "code",
            "invalid_choice",
            "Tundmatu mall.",
            "Unknown template.",
        ));
    };
    let mut errors = placeholder_errors("body", &input.body);
    if input.body.trim().is_empty() {
        errors.push(FieldError::new(
            "body",
            "required",
            "Malli tekst ei saa olla tühi.",
            "The template text cannot be empty.",
        ));
    }
    if input.title.trim().is_empty() {
        errors.push(FieldError::new(
            "title",
            "required",
            "Kohustuslik väli.",
            "This field is required.",
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    if current.body == input.body.trim_end() && current.title == input.title.trim() {
        return Ok(current);
    }
    conn.execute_cached(
        "INSERT INTO decision_template (code, lang, category, kind, title, body, version, saved_by,
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            current.code,
            current.lang,
            current.category,
            current.kind,
            input.title.trim(),
            input.body.trim_end(),
            current.version + 1,
            by,
            ts(now)
        ],
    )?;
    current_template(conn, &input.code, &input.lang)?.ok_or(Error::field(
        "code",
        "invalid_choice",
        "Tundmatu mall.",
        "Unknown template.",
    ))
}
