//! Reading the cases and tallying.

use super::*;

/// A grouping key shared by every case that has it (a hundred thousand cases, a few hundred keys).
pub(super) type Key = Rc<str>;

/// Hands out one shared [`Key`] per distinct text.
#[derive(Default)]
pub(super) struct Keys(HashSet<Key>);

impl Keys {
    pub(super) fn get(&mut self, text: &str) -> Key {
        match self.0.get(text) {
            Some(k) => k.clone(),
            None => {
                let k: Key = text.into();
                self.0.insert(k.clone());
                k
            }
        }
    }
}

/// One case's keys for grouping and filtering.
#[derive(Debug, Clone, Default)]
pub(super) struct CaseKeys {
    pub(super) route: Key,
    pub(super) municipality: Key,
    pub(super) county: Key,
    pub(super) provider: Key,
    pub(super) activities: Vec<Key>,
}

/// A case as the statistics see it.
#[derive(Debug)]
pub(super) struct CaseRow {
    pub(super) keys: CaseKeys,
    pub(super) applied: NaiveDate,
    pub(super) complete: NaiveDate,
    pub(super) service_start: Option<NaiveDate>,
    /// The first referral or refusal (date, id), when made by the end of the period.
    pub(super) first_decision: Option<(NaiveDate, i64)>,
    /// Closed on or before the as-of day (a closed case stays closed).
    pub(super) closed: bool,
}

/// The kept row's columns (stats_case, migration 015); ?1 is the as-of day.
pub(super) const CASE_COLUMNS: &str =
    "case_id, applied, complete, route, municipality, provider_id,
    service_start, first_decision, first_decision_id,
    closed_on IS NOT NULL AND closed_on <= ?1";

/// Reads cases from their kept rows and gives them their grouping keys.
pub(super) struct CaseLoader<'a> {
    pub(super) catalog: &'a Catalog,
    pub(super) keys: Keys,
    pub(super) counties: HashMap<Key, Key>,
    pub(super) providers: HashMap<i64, Key>,
    /// Each case's assessed activities, read only for an activity breakdown or filter.
    pub(super) activities: Option<HashMap<i64, Vec<Key>>>,
    /// The period's end: a case applied for later does not count.
    pub(super) to: NaiveDate,
    pub(super) to_s: String,
    pub(super) as_of_s: String,
    pub(super) none: Key,
}

/// Which assessed activities of the cases the statistics need.
#[derive(Clone, Copy)]
pub(super) enum Activities<'q> {
    None,
    /// Only whether a case has this one (an activity filter): the cases that have it, from the
    /// index on the code (migration 016).
    Only(&'q str),
    All,
}

impl<'a> CaseLoader<'a> {
    pub(super) fn new(
        conn: &Connection,
        catalog: &'a Catalog,
        activities: Activities<'_>,
        to: NaiveDate,
        as_of: NaiveDate,
    ) -> Result<Self> {
        let mut keys = Keys::default();
        let providers = provider_keys(conn)?;
        let activities = match activities {
            Activities::None => None,
            Activities::Only(code) => {
                let chosen = vec![keys.get(code)];
                let mut stmt = conn.prepare_cached(
                    "SELECT DISTINCT case_id FROM assessment_activity WHERE code = ?1",
                )?;
                let by_case = stmt
                    .query_map([code], |r| Ok((r.get::<_, i64>(0)?, chosen.clone())))?
                    .collect::<rusqlite::Result<HashMap<_, _>>>()?;
                Some(by_case)
            }
            Activities::All => {
                let mut by_case: HashMap<i64, Vec<Key>> = HashMap::new();
                let mut stmt =
                    conn.prepare_cached("SELECT case_id, code FROM assessment_activity")?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    let list = by_case.entry(r.get(0)?).or_default();
                    let code = text(r, 1)?;
                    if !list.iter().any(|a| **a == *code) {
                        list.push(keys.get(code));
                    }
                }
                for list in by_case.values_mut() {
                    list.sort();
                }
                Some(by_case)
            }
        };
        Ok(CaseLoader {
            catalog,
            none: keys.get(""),
            keys,
            counties: HashMap::new(),
            providers,
            activities,
            to,
            to_s: to.to_string(),
            as_of_s: as_of.to_string(),
        })
    }

    /// Every case applied for by the end of the period that the period can touch: applied for,
    /// started or first decided in it or later, or not closed on the as-of day.
    pub(super) fn scan(
        &mut self,
        conn: &Connection,
        cases: &mut CaseTable,
        from: NaiveDate,
    ) -> Result<()> {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {CASE_COLUMNS} FROM stats_case
             WHERE applied <= ?2 AND (applied >= ?3 OR service_start >= ?3
                   OR first_decision >= ?3 OR closed_on IS NULL OR closed_on > ?1)"
        ))?;
        let mut rows = stmt.query(params![self.as_of_s, self.to_s, from.to_string()])?;
        while let Some(r) = rows.next()? {
            let (id, row) = self.row(r)?;
            cases.insert(id, row);
        }
        Ok(())
    }

    /// Read case `id` unless it is known already (or known not to count).
    pub(super) fn ensure(
        &mut self,
        conn: &Connection,
        cases: &mut CaseTable,
        id: i64,
    ) -> Result<()> {
        if cases.get(id).is_some() || cases.absent.contains(&id) {
            return Ok(());
        }
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {CASE_COLUMNS} FROM stats_case WHERE case_id = ?2 AND applied <= ?3"
        ))?;
        let mut rows = stmt.query(params![self.as_of_s, id, self.to_s])?;
        match rows.next()? {
            Some(r) => {
                let (id, row) = self.row(r)?;
                cases.insert(id, row);
            }
            None => {
                cases.absent.insert(id);
            }
        }
        Ok(())
    }

    pub(super) fn row(&mut self, r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, CaseRow)> {
        let id: i64 = r.get(0)?;
        let municipality = self.keys.get(text(r, 4)?);
        let county = match self.counties.get(&municipality) {
            Some(c) => c.clone(),
            None => {
                let c = self
                    .keys
                    .get(self.catalog.county_of(&municipality).unwrap_or(""));
                self.counties.insert(municipality.clone(), c.clone());
                c
            }
        };
        let provider = match r.get::<_, Option<i64>>(5)? {
            Some(p) => match self.providers.get(&p) {
                Some(k) => k.clone(),
                None => self.keys.get(&p.to_string()),
            },
            None => self.none.clone(),
        };
        let first_decision = match (day(r, 7)?, r.get::<_, Option<i64>>(8)?) {
            (Some(date), Some(decision)) if date <= self.to => Some((date, decision)),
            _ => None,
        };
        let activities = match &self.activities {
            Some(by_case) => by_case.get(&id).cloned().unwrap_or_default(),
            None => Vec::new(),
        };
        Ok((
            id,
            CaseRow {
                keys: CaseKeys {
                    route: self.keys.get(text(r, 3)?),
                    county,
                    municipality,
                    provider,
                    activities,
                },
                applied: some_day(r, 1)?,
                complete: some_day(r, 2)?,
                service_start: day(r, 6)?,
                first_decision,
                closed: r.get(9)?,
            },
        ))
    }
}

/// What the grouping keys are named.
pub(super) struct Names {
    pub(super) municipalities: BTreeMap<String, String>,
    pub(super) counties: BTreeMap<String, String>,
    pub(super) providers: HashMap<String, String>,
    pub(super) activities: BTreeMap<String, Localized>,
}

impl Names {
    pub(super) fn label(&self, breakdown: &str, key: &str) -> String {
        if key.is_empty() {
            return "—".into();
        }
        match breakdown {
            "route" => match key {
                "disability" => "puude tee".into(),
                "kov" => "KOV tee".into(),
                _ => key.into(),
            },
            "county" => self.counties.get(key).cloned().unwrap_or(key.into()),
            "municipality" => self.municipalities.get(key).cloned().unwrap_or(key.into()),
            "provider" => self.providers.get(key).cloned().unwrap_or(key.into()),
            "activity" => self
                .activities
                .get(key)
                .map(|l| format!("{key} {}", l.et))
                .unwrap_or(key.into()),
            _ => key.into(),
        }
    }
}

/// Accumulates one group's figures.
#[derive(Debug, Default)]
pub(super) struct Acc {
    pub(super) f: Figures,
    pub(super) to_decision: Vec<i64>,
    pub(super) to_start: Vec<i64>,
    pub(super) score_sum: i64,
    pub(super) score_count: i64,
}

impl Acc {
    pub(super) fn finish(mut self) -> Figures {
        self.f.days_to_decision = DaySpread::of(self.to_decision);
        self.f.on_time_pct = pct(self.f.on_time, self.f.days_to_decision.count);
        self.f.days_to_start = DaySpread::of(self.to_start);
        self.f.feedback_average = mean2(self.score_sum, self.score_count);
        self.f
    }
}

/// Filters applied to keys: whether a fact counts at all.
pub(super) struct Sieve<'a> {
    pub(super) breakdown: &'a str,
    pub(super) filter: &'a StatsFilter,
}

impl Sieve<'_> {
    /// `provider`: the fact's own provider (money, feedback) or the case's current one;
    /// `activity`: the fact's own activity (money lines) or None for "any of the case's".
    pub(super) fn passes(&self, k: &CaseKeys, provider: &str, activity: Option<&str>) -> bool {
        let f = self.filter;
        if (!f.route.is_empty() && f.route != *k.route)
            || (!f.county.is_empty() && f.county != *k.county)
            || (!f.municipality.is_empty() && f.municipality != *k.municipality)
            || (!f.provider.is_empty() && f.provider != provider)
        {
            return false;
        }
        f.activity.is_empty()
            || match activity {
                Some(own) => own == f.activity,
                None => k.activities.iter().any(|x| **x == f.activity),
            }
    }
}

pub(super) struct Tally<'a> {
    pub(super) sieve: Sieve<'a>,
    pub(super) totals: Acc,
    pub(super) groups: BTreeMap<String, Acc>,
}

pub(super) fn bump(groups: &mut BTreeMap<String, Acc>, key: &str, f: &impl Fn(&mut Acc)) {
    match groups.get_mut(key) {
        Some(acc) => f(acc),
        None => f(groups.entry(key.to_string()).or_default()),
    }
}

impl Tally<'_> {
    /// Apply `f` to the totals and to each group the fact belongs to; false when filtered out.
    /// A case with several activities counts once under each of them.
    pub(super) fn add(
        &mut self,
        k: &CaseKeys,
        provider: Option<&str>,
        activity: Option<&str>,
        f: impl Fn(&mut Acc),
    ) -> bool {
        let provider = provider.unwrap_or(&k.provider);
        if !self.sieve.passes(k, provider, activity) {
            return false;
        }
        f(&mut self.totals);
        let groups = &mut self.groups;
        match self.sieve.breakdown {
            "route" => bump(groups, &k.route, &f),
            "county" => bump(groups, &k.county, &f),
            "municipality" => bump(groups, &k.municipality, &f),
            "provider" => bump(groups, provider, &f),
            "activity" => {
                let chosen = self.sieve.filter.activity.as_str();
                if !chosen.is_empty() {
                    bump(groups, chosen, &f)
                } else if let Some(own) = activity {
                    bump(groups, own, &f)
                } else if k.activities.is_empty() {
                    bump(groups, "", &f)
                } else {
                    for a in &k.activities {
                        bump(groups, a, &f)
                    }
                }
            }
            _ => {}
        }
        true
    }
}

/// A text column borrowed from the row, without a copy (the scans above read a million rows).
pub(super) fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// A stored day (yyyy-mm-dd, or a timestamp starting with one) read without chrono's format
/// parser, which the scans above would call hundreds of thousands of times.
pub(super) fn day(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let bad = |i| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            "not a yyyy-mm-dd date".into(),
        )
    };
    let t = match r.get_ref(i)? {
        rusqlite::types::ValueRef::Null => return Ok(None),
        rusqlite::types::ValueRef::Text(t) => t,
        _ => return Err(bad(i)),
    };
    let num = |b: &[u8]| {
        b.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    match (t.get(0..4), t.get(4), t.get(5..7), t.get(7), t.get(8..10)) {
        (Some(y), Some(b'-'), Some(m), Some(b'-'), Some(d)) => match (num(y), num(m), num(d)) {
            (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y as i32, m, d)
                .map(Some)
                .ok_or_else(|| bad(i)),
            _ => Err(bad(i)),
        },
        _ => Err(bad(i)),
    }
}

/// A day that is never empty.
pub(super) fn some_day(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    day(r, i)?.ok_or(rusqlite::Error::InvalidColumnType(
        i,
        "NULL".into(),
        rusqlite::types::Type::Null,
    ))
}

/// The months of the period, found by year and month without building their "yyyy-mm" text
/// for every fact (a decade has a million invoice lines).
pub(super) struct MonthTable {
    pub(super) first: i64,
    pub(super) months: Vec<MonthFigures>,
}

impl MonthTable {
    pub(super) fn new(from: NaiveDate, to: NaiveDate) -> Self {
        let mut months = Vec::new();
        let mut m = from.with_day(1).unwrap_or(from);
        while m <= to {
            months.push(MonthFigures {
                month: month_key(m),
                ..Default::default()
            });
            m = match m.checked_add_months(Months::new(1)) {
                Some(n) => n,
                None => break,
            };
        }
        MonthTable {
            first: month_number(from.year(), from.month()),
            months,
        }
    }

    pub(super) fn slot(&mut self, number: i64) -> Option<&mut MonthFigures> {
        usize::try_from(number - self.first)
            .ok()
            .and_then(|i| self.months.get_mut(i))
    }

    pub(super) fn of(&mut self, d: NaiveDate) -> Option<&mut MonthFigures> {
        self.slot(month_number(d.year(), d.month()))
    }

    /// By a stored "yyyy-mm…" text.
    pub(super) fn of_text(&mut self, t: &str) -> Option<&mut MonthFigures> {
        let b = t.as_bytes();
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            b.get(r)?.iter().try_fold(0i64, |n, c| {
                c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
            })
        };
        self.slot(num(0..4)? * 12 + num(5..7)? - 1)
    }
}

pub(super) fn month_number(year: i32, month: u32) -> i64 {
    i64::from(year) * 12 + i64::from(month) - 1
}

/// The cases by id, in a vector indexed by id: ids are dense, and hashing a hundred thousand of
/// them for every fact costs more than the facts. A far-out id (never made by this app) is kept
/// aside in a map.
#[derive(Default)]
pub(super) struct CaseTable {
    pub(super) dense: Vec<Option<CaseRow>>,
    pub(super) sparse: HashMap<i64, CaseRow>,
    /// Looked for and found not to count (applied for after the period, or deleted).
    pub(super) absent: HashSet<i64>,
}

impl CaseTable {
    const DENSE_UP_TO: i64 = 50_000_000;

    pub(super) fn insert(&mut self, id: i64, c: CaseRow) {
        match usize::try_from(id) {
            Ok(i) if id <= Self::DENSE_UP_TO => {
                if i >= self.dense.len() {
                    self.dense.resize_with(i + 1, || None);
                }
                self.dense[i] = Some(c);
            }
            _ => {
                self.sparse.insert(id, c);
            }
        }
    }

    pub(super) fn get(&self, id: i64) -> Option<&CaseRow> {
        match usize::try_from(id) {
            Ok(i) if id <= Self::DENSE_UP_TO => self.dense.get(i).and_then(Option::as_ref),
            _ => self.sparse.get(&id),
        }
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (i64, &CaseRow)> {
        self.dense
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((i as i64, c.as_ref()?)))
            .chain(self.sparse.iter().map(|(id, c)| (*id, c)))
    }
}

pub(super) fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// The decision deadline of an application complete on `event`, as the rules in force then say.
pub(super) struct DueDates<'a> {
    pub(super) book: &'a RuleBook,
    pub(super) memo: HashMap<NaiveDate, NaiveDate>,
}

impl DueDates<'_> {
    pub(super) fn due(&mut self, event: NaiveDate) -> NaiveDate {
        if let Some(d) = self.memo.get(&event) {
            return *d;
        }
        let period = self
            .book
            .rule("decision_due", event)
            .map(|r| r.period())
            .unwrap_or(Period {
                count: 10,
                unit: Unit::WorkingDays,
            });
        let due = deadlines::deadline(event, period, &Localized::new("", ""), "").due;
        self.memo.insert(event, due);
        due
    }
}
