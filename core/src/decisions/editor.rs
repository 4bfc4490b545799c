//! What the editor shows.

use super::*;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnnexOption {
    pub code: String,
    pub name: Localized,
    pub mode: String,
    pub price_cents: i64,
    pub hours: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct YearCap {
    pub year: i32,
    pub cap_cents: Option<i64>,
    pub used_cents: i64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlaceholderInfo {
    pub name: String,
    pub description: Localized,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DecisionView {
    pub decision: Decision,
    pub letter: Letter,
    /// The printed letter's own words (labels) for the preview: the PDF's, not the interface's.
    pub letter_labels: crate::decisions::letter_pdf::LetterLabels,
    pub check: DecisionCheck,
    pub annex_years: Vec<i32>,
    pub caps: Vec<YearCap>,
    pub activity_options: Vec<AnnexOption>,
    pub paragraphs: Vec<Template>,
    pub placeholders: Vec<PlaceholderInfo>,
    pub related_options: Vec<String>,
    pub pdf_attachment_id: Option<i64>,
    pub pdf_file_name: Option<String>,
}

pub fn placeholder_list() -> Vec<PlaceholderInfo> {
    PLACEHOLDERS
        .iter()
        .map(|(n, et, en)| PlaceholderInfo {
            name: n.to_string(),
            description: Localized::new(*et, *en),
        })
        .collect()
}

pub fn view(
    conn: &Connection,
    id: i64,
    coordinator: &crate::store::prefs::Coordinator,
    today: NaiveDate,
) -> Result<DecisionView> {
    let d = get(conn, id)?;
    let f = facts(conn, d.case_id, coordinator, today)?;
    let (letter, check) = if d.status == "draft" {
        (letter(conn, &d, &f, None)?, check(conn, &d, &f, today)?)
    } else {
        let frozen: Option<String> =
            conn.query_row_cached("SELECT letter FROM decision WHERE id = ?1", [id], |r| {
                r.get(0)
            })?;
        let l = match frozen.and_then(|s| serde_json::from_str(&s).ok()) {
            Some(l) => l,
            None => letter(conn, &d, &f, d.number.as_deref())?,
        };
        (l, DecisionCheck::default())
    };
    let annex_years = match (d.valid_from, d.valid_to) {
        (Some(a), Some(b)) => years_of(a, b),
        _ => Vec::new(),
    };
    let mut caps = Vec::new();
    for y in &annex_years {
        caps.push(YearCap {
            year: *y,
            cap_cents: yearly_cap(conn, *y)?.map(|c| c.0),
            used_cents: d.annex.iter().map(|l| l.cents_in(*y)).sum(),
        });
    }
    let activity_options = f
        .assessment
        .activity_options
        .iter()
        .map(|p| AnnexOption {
            code: p.code.clone(),
            name: Localized::new(p.name_et.clone(), p.name_en.clone()),
            mode: p.mode.clone(),
            price_cents: p.price_cents,
            hours: f
                .assessment
                .activities
                .iter()
                .find(|a| a.code == p.code)
                .map(|a| a.hours),
        })
        .collect();
    let paragraphs = templates(conn)?
        .into_iter()
        .filter(|t| t.category == "paragraph" && (t.kind.is_empty() || t.kind == d.kind))
        .collect();
    let mut stmt = conn.prepare_cached(
        "SELECT number FROM decision WHERE case_id = ?1 AND number IS NOT NULL AND id <> ?2 ORDER BY id DESC",
    )?;
    let related_options = stmt
        .query_map(params![d.case_id, id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    let pdf: Option<(i64, String)> = match d.document_id {
        Some(doc) => conn
            .query_row_cached(
                "SELECT id, file_name FROM attachment WHERE document_id = ?1 ORDER BY id LIMIT 1",
                [doc],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?,
        None => None,
    };
    Ok(DecisionView {
        decision: d,
        letter_labels: crate::decisions::letter_pdf::labels(&letter),
        letter,
        check,
        annex_years,
        caps,
        activity_options,
        paragraphs,
        placeholders: placeholder_list(),
        related_options,
        pdf_attachment_id: pdf.as_ref().map(|p| p.0),
        pdf_file_name: pdf.map(|p| p.1),
    })
}
