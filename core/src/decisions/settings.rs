//! Settings.

use super::*;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct DecisionSettings {
    pub board_name: String,
    pub board_unit: String,
    pub board_address: String,
    pub board_phone: String,
    pub board_email: String,
    pub number_prefix: String,
    pub signer_title: String,
    pub challenge_text: String,
}

pub fn settings(conn: &Connection) -> Result<DecisionSettings> {
    Ok(conn.query_row_cached(
        "SELECT board_name, board_unit, board_address, board_phone, board_email, number_prefix,
                signer_title, challenge_text FROM decision_settings WHERE id = 1",
        [],
        |r| {
            Ok(DecisionSettings {
                board_name: r.get(0)?,
                board_unit: r.get(1)?,
                board_address: r.get(2)?,
                board_phone: r.get(3)?,
                board_email: r.get(4)?,
                number_prefix: r.get(5)?,
                signer_title: r.get(6)?,
                challenge_text: r.get(7)?,
            })
        },
    )?)
}

pub fn save_settings(conn: &Connection, s: &DecisionSettings, now: DateTime<Utc>) -> Result<()> {
    let mut errors = Vec::new();
    let required = "Kohustuslik väli: see on iga otsuse päises.";
    let required_en = "This field is required: it is on every decision.";
    for (field, value) in [
        ("boardName", &s.board_name),
        ("boardAddress", &s.board_address),
        ("signerTitle", &s.signer_title),
        ("challengeText", &s.challenge_text),
    ] {
        if value.trim().is_empty() {
            errors.push(FieldError::new(field, "required", required, required_en));
        }
    }
    let prefix = s.number_prefix.trim();
    if prefix.is_empty()
        || prefix.chars().count() > 6
        || !prefix
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '/')
    {
        errors.push(FieldError::new(
            "numberPrefix",
            "invalid",
            "Eesliide on 1–6 tähte, numbrit, „-” või „/” (nt K).",
            "The prefix is 1–6 letters, digits, “-” or “/” (e.g. K).",
        ));
    }
    if !s.board_email.trim().is_empty() && !s.board_email.contains('@') {
        errors.push(FieldError::new(
            "boardEmail",
            "email",
            "E-posti aadress ei ole õige kujuga.",
            "The e-mail address is not valid.",
        ));
    }
    errors.extend(placeholder_errors("challengeText", &s.challenge_text));
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    conn.execute_cached(
        "UPDATE decision_settings SET board_name = ?1, board_unit = ?2, board_address = ?3,
         board_phone = ?4, board_email = ?5, number_prefix = ?6, signer_title = ?7,
         challenge_text = ?8, updated_at = ?9 WHERE id = 1",
        params![
            s.board_name.trim(),
            s.board_unit.trim(),
            s.board_address.trim(),
            s.board_phone.trim(),
            s.board_email.trim(),
            prefix,
            s.signer_title.trim(),
            s.challenge_text.trim(),
            ts(now)
        ],
    )?;
    Ok(())
}
