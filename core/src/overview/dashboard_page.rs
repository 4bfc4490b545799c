//! The dashboard as the window draws it (issue 30): the rows it shows and the counts, not every
//! running deadline. On the 100 000-case desk the dashboard holds ~1 100 rows within the horizon
//! and the page shows 25 a section; building, sending and parsing the JSON of all of them was
//! most of the page's time. So the view keeps, of each kind and urgency, the first rows (the
//! window's "show more" asks for more with [`page`] again) and counts them all, by kind and
//! urgency, so every section's count and every "show more" tell the whole.
//! Owns no table and decides nothing: it cuts a [`Dashboard`] built as always.

use std::collections::BTreeMap;

use super::dashboard::{Dashboard, DashboardPage, UrgencyCounts};

/// Rows of each kind and urgency the dashboard gives at first: the page shows 25 a section
/// (ui/views/paged-list.js, `DASHBOARD_PAGE`).
pub const FIRST_ROWS: usize = 25;

/// The most rows of one kind and urgency one call gives (a "show more" far down a long list).
pub const MOST_ROWS: usize = 5_000;

fn add(counts: &mut UrgencyCounts, urgency: &str) {
    match urgency {
        "overdue" => counts.overdue += 1,
        "today" => counts.today += 1,
        "week" => counts.week += 1,
        _ => counts.later += 1,
    }
}

/// Counts every item under `kind` and keeps, in their order, the first `per` of each urgency
/// among those of `urgency` (all when `None`) — none when `wanted` is false.
fn cut<T>(
    items: Vec<T>,
    urgency_of: impl Fn(&T) -> &str,
    kind: &str,
    wanted: bool,
    urgency: Option<&str>,
    per: usize,
    by_kind: &mut BTreeMap<String, UrgencyCounts>,
) -> Vec<T> {
    let counts = by_kind.entry(kind.to_string()).or_default();
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    let mut kept = Vec::new();
    for item in items {
        let u = urgency_of(&item).to_string();
        add(counts, &u);
        if !wanted || urgency.is_some_and(|only| only != u) {
            continue;
        }
        let n = taken.entry(u).or_default();
        if *n < per {
            *n += 1;
            kept.push(item);
        }
    }
    kept
}

/// The dashboard with, of each kind and urgency, only its first `per` rows (in the dashboard's
/// order, most urgent first); only rows of `urgency` and of `kind` when given; and the counts of
/// every row by kind and urgency. The counters, the undated tasks and the decisions waiting to
/// leave are kept whole (a handful, drawn whole). A group with no row left is kept (empty) when
/// its kind has rows, so its count and place are known.
pub fn page(dash: Dashboard, urgency: Option<&str>, kind: Option<&str>, per: usize) -> Dashboard {
    let per = per.clamp(1, MOST_ROWS);
    let wanted = |k: &str| kind.is_none_or(|only| only == k);
    let mut by_kind = BTreeMap::new();
    let Dashboard {
        today,
        counts,
        groups,
        actions,
        tasks,
        undated_tasks,
        signing,
        ..
    } = dash;
    let groups = groups
        .into_iter()
        .map(|mut g| {
            let keep = wanted(&g.kind);
            g.items = cut(
                g.items,
                |i| i.urgency.as_str(),
                &g.kind,
                keep,
                urgency,
                per,
                &mut by_kind,
            );
            g
        })
        .filter(|g| !g.items.is_empty() || wanted(&g.kind))
        .collect();
    let actions = cut(
        actions,
        |a| a.urgency.as_str(),
        "meeting_action",
        wanted("meeting_action"),
        urgency,
        per,
        &mut by_kind,
    );
    let tasks = cut(
        tasks,
        |t| t.urgency.as_str(),
        "task",
        wanted("task"),
        urgency,
        per,
        &mut by_kind,
    );
    Dashboard {
        today,
        counts,
        groups,
        actions,
        tasks,
        undated_tasks,
        signing,
        page: Some(DashboardPage {
            per,
            by_kind,
            urgency: urgency.map(str::to_string),
            kind: kind.map(str::to_string),
        }),
    }
}
