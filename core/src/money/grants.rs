//! What the referral grants.

use super::*;

/// A referral in force as amended: its number, its period and its annex.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    pub number: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub annex: Vec<AnnexLine>,
}

impl Grant {
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && day <= self.valid_to
    }
}

/// The case's approved or sent referrals, each as its amendments left it: an amendment with an
/// annex replaces the annex, one with a period replaces the period; a termination ends the
/// period on its own last day (or its decision date).
pub fn grants(conn: &Connection, case_id: i64) -> Result<Vec<Grant>> {
    type Row = (
        String,
        Option<String>,
        Option<NaiveDate>,
        Option<NaiveDate>,
        String,
        String,
        Option<NaiveDate>,
    );
    let mut stmt = conn.prepare_cached(
        "SELECT kind, number, valid_from, valid_to, annex, related_number, decision_date
         FROM decision WHERE case_id = ?1 AND status IN ('approved', 'sent') ORDER BY id",
    )?;
    let rows: Vec<Row> = stmt
        .query_map([case_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out: Vec<Grant> = Vec::new();
    for (kind, number, from, to, annex, related, decided) in rows {
        let annex: Vec<AnnexLine> = serde_json::from_str(&annex).unwrap_or_default();
        match kind.as_str() {
            "referral" => {
                if let (Some(number), Some(from), Some(to)) = (number, from, to) {
                    out.push(Grant {
                        number,
                        valid_from: from,
                        valid_to: to,
                        annex,
                    });
                }
            }
            "amendment" => {
                if let Some(g) = out.iter_mut().find(|g| g.number == related.trim()) {
                    if annex.iter().any(|l| l.amounts.iter().any(|a| a.cents != 0)) {
                        g.annex = annex;
                    }
                    if let Some(f) = from {
                        g.valid_from = f;
                    }
                    if let Some(t) = to {
                        g.valid_to = t;
                    }
                }
            }
            "termination" => {
                if let Some(g) = out.iter_mut().find(|g| g.number == related.trim()) {
                    if let Some(end) = to.or(decided) {
                        g.valid_to = g.valid_to.min(end);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}
