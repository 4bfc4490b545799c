//! Asking the family for documents.

use super::*;

/// A request to the applicant for missing documents.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DocumentRequest {
    pub what: String,
    pub recipient: String,
    pub sent_on: String,
    pub due_date: String,
}

impl DocumentRequest {
    /// Document field names become the request form's names.
    pub fn map_errors(&self, e: Error) -> Error {
        match e {
            Error::Validation(fields) => Error::Validation(
                fields
                    .into_iter()
                    .map(|mut f| {
                        f.field = match f.field.as_str() {
                            "docDate" => "sentOn".into(),
                            "party" => "recipient".into(),
                            other => other.to_string(),
                        };
                        f
                    })
                    .collect(),
            ),
            other => other,
        }
    }

    pub fn check(&self, due: Option<NaiveDate>) -> Result<()> {
        let mut errors = Vec::new();
        if self.what.trim().is_empty() {
            errors.push(FieldError::new(
                "what",
                "required",
                "Kirjuta, mis dokumendid puuduvad: see läheb taotlejale saadetavasse nõudesse.",
                "Write which documents are missing: it goes into the request to the applicant.",
            ));
        }
        if self.recipient.trim().is_empty() {
            errors.push(FieldError::new(
                "recipient",
                "required",
                "Kohustuslik väli.",
                "This field is required.",
            ));
        }
        if due.is_none() {
            errors.push(FieldError::new(
                "dueDate",
                "required",
                "Määra tähtaeg puuduste kõrvaldamiseks.",
                "Set the deadline for fixing the application.",
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(errors))
        }
    }
}

/// The day the missing documents arrived: a real date, not before the request, not in the future.
pub fn parse_received_on(
    input: &str,
    requested_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NaiveDate> {
    let err = |code: &str, et: &str, en: &str| Err(Error::field("receivedOn", code, et, en));
    match parse_date(input) {
        None => Err(Error::Validation(vec![date_error("receivedOn", input)])),
        Some(d) if d > today => err(
            "date.future",
            "Saabumise kuupäev ei saa olla tulevikus.",
            "The arrival date cannot be in the future.",
        ),
        Some(d) if requested_on.is_some_and(|r| d < r) => err(
            "date.before_request",
            "Dokumendid ei saa saabuda enne nende küsimist.",
            "The documents cannot arrive before they were asked for.",
        ),
        Some(d) => Ok(d),
    }
}
