//! Feedback in the period.

use super::*;
use crate::pdf::{Align, Table};

/// Feedback answered in the period: per question (after the filters), per group, the comments.
pub(super) fn feedback_figures(
    conn: &Connection,
    cases: &CaseTable,
    provider_names: &HashMap<String, String>,
    tally: &mut Tally,
    months: &mut MonthTable,
    from: &str,
    to: &str,
) -> Result<FeedbackFigures> {
    let mut by_month: HashMap<i64, (i64, i64)> = HashMap::new();
    let mut questions: Vec<QuestionFigures> = Vec::new();
    let mut index: HashMap<i64, usize> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT id, position, text_et, text_en, active FROM feedback_question ORDER BY position, id",
    )?;
    for row in stmt.query_map([], |r| {
        Ok(QuestionFigures {
            question_id: r.get(0)?,
            position: r.get(1)?,
            text: Localized::new(r.get::<_, String>(2)?, r.get::<_, String>(3)?),
            active: r.get(4)?,
            count: 0,
            average: None,
            distribution: [0; 5],
        })
    })? {
        let q = row?;
        index.insert(q.question_id, questions.len());
        questions.push(q);
    }
    // One row per answer, a response's answers one after the other (the join walks each
    // response's answers in turn): a response is filtered once, when its last answer is read.
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.case_id, r.provider_id, r.answered_on, r.comment, a.question_id, a.score
         FROM feedback_response r LEFT JOIN feedback_answer a ON a.response_id = r.id
         WHERE r.answered_on BETWEEN ?1 AND ?2",
    )?;
    let none = CaseKeys::default();
    let mut responses = 0;
    let mut comments: Vec<(NaiveDate, i64, FeedbackComment)> = Vec::new();
    let mut sums: HashMap<i64, i64> = HashMap::new();
    struct Response {
        id: i64,
        case_id: Option<i64>,
        provider: Option<i64>,
        answered: NaiveDate,
        comment: String,
        scores: Vec<(i64, i64)>,
    }
    let mut finish = |r: Response| {
        let keys = r
            .case_id
            .and_then(|id| cases.get(id))
            .map(|c| &c.keys)
            .unwrap_or(&none);
        let sum: i64 = r.scores.iter().map(|(_, s)| s).sum();
        let n = r.scores.len() as i64;
        let provider = r.provider.map(|p| p.to_string()).unwrap_or_default();
        if !tally.add(keys, Some(&provider), None, |a| {
            a.f.feedback_responses += 1;
            a.score_sum += sum;
            a.score_count += n;
        }) {
            return;
        }
        responses += 1;
        let month = month_number(r.answered.year(), r.answered.month());
        if let Some(mf) = months.slot(month) {
            mf.feedback_responses += 1;
            let e = by_month.entry(month).or_default();
            e.0 += sum;
            e.1 += n;
        }
        for (q, s) in r.scores {
            if let (Some(&i), Ok(bucket)) = (index.get(&q), usize::try_from(s - 1)) {
                if let Some(slot) = questions[i].distribution.get_mut(bucket) {
                    *slot += 1;
                    questions[i].count += 1;
                    *sums.entry(q).or_default() += s;
                }
            }
        }
        if !r.comment.trim().is_empty() {
            let provider_name = r
                .provider
                .and_then(|p| provider_names.get(&p.to_string()))
                .cloned()
                .unwrap_or_default();
            comments.push((
                r.answered,
                r.id,
                FeedbackComment {
                    answered_on: r.answered,
                    provider: provider_name,
                    comment: r.comment.trim().to_string(),
                },
            ));
        }
    };
    let mut current: Option<Response> = None;
    let mut rows = stmt.query(params![from, to])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if current.as_ref().is_none_or(|c| c.id != id) {
            if let Some(done) = current.take() {
                finish(done);
            }
            current = Some(Response {
                id,
                case_id: row.get(1)?,
                provider: row.get(2)?,
                answered: some_day(row, 3)?,
                comment: row.get(4)?,
                scores: Vec::new(),
            });
        }
        if let (Some(c), Some(q), Some(score)) = (
            current.as_mut(),
            row.get::<_, Option<i64>>(5)?,
            row.get::<_, Option<i64>>(6)?,
        ) {
            c.scores.push((q, score));
        }
    }
    if let Some(done) = current.take() {
        finish(done);
    }
    // Newest first.
    comments.sort_by_key(|c| std::cmp::Reverse((c.0, c.1)));
    let comments: Vec<FeedbackComment> = comments.into_iter().map(|(_, _, c)| c).collect();
    for q in &mut questions {
        q.average = mean2(sums.get(&q.question_id).copied().unwrap_or(0), q.count);
    }
    for (month, (sum, count)) in by_month {
        if let Some(mf) = months.slot(month) {
            mf.feedback_average = mean2(sum, count);
        }
    }
    // A retired question stays in the figures only while it has answers in the period.
    questions.retain(|q| q.active || q.count > 0);
    Ok(FeedbackFigures {
        responses,
        questions,
        comments,
    })
}

/// Questions with count, mean and the distribution of scores, as a PDF table.
pub fn question_table(f: &FeedbackFigures) -> Table {
    Table {
        widths: vec![9, 3, 3, 1, 1, 1, 1, 1],
        align: std::iter::once(Align::Left)
            .chain(std::iter::repeat_n(Align::Right, 7))
            .collect(),
        header: vec![
            "Küsimus".into(),
            "Vastuseid".into(),
            "Keskmine".into(),
            "1".into(),
            "2".into(),
            "3".into(),
            "4".into(),
            "5".into(),
        ],
        rows: f
            .questions
            .iter()
            .map(|q| {
                let mut r = vec![
                    format!(
                        "{}{}",
                        q.text.et,
                        if q.active { "" } else { " (ei küsita enam)" }
                    ),
                    q.count.to_string(),
                    crate::values::decimal_et(q.average, 2),
                ];
                r.extend(q.distribution.iter().map(|n| n.to_string()));
                r
            })
            .collect(),
        footer: vec![],
        font_size: 8,
    }
}
