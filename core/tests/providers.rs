//! Providers on a real encrypted database: a CSV import is all or nothing, matching a case
//! puts the nearest fitting provider first, and the family's choice starts the 60-day
//! registration deadline that the case and the dashboard show.

mod common;

use std::path::PathBuf;

use common::{application, new_desk, open_desk, CHILD_CODE};
use srt_core::casework::assessment::{ActivityNeed, AssessmentDraft};
use srt_core::providers::referrals::{ChoiceInput, WaitingFilter};

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(name)
}

#[test]
fn an_import_with_bad_rows_imports_nothing_and_names_every_bad_row() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    let preview = desk
        .provider_import_preview(&sample("providers-bad.csv"))
        .expect("preview");
    assert_eq!((preview.total, preview.invalid), (3, 2));
    let err = desk
        .provider_import(&sample("providers-bad.csv"))
        .expect_err("rejected");
    assert_eq!(err.code(), "provider.import_rejected");
    let details = err.payload().details.expect("rows in error");
    let lines: Vec<u64> = details
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["line"].as_u64().expect("line"))
        .collect();
    assert_eq!(
        lines,
        vec![3, 4],
        "the two bad rows, by their line in the file"
    );
    assert!(
        desk.provider_list().expect("list").is_empty(),
        "the good first row was not imported either"
    );
    drop(desk);

    // After reopening the encrypted file: still nothing, then the fixed file imports whole.
    let mut desk = open_desk(&path);
    assert!(desk.provider_list().expect("list").is_empty());
    let summary = desk
        .provider_import(&sample("providers-good.csv"))
        .expect("import");
    assert_eq!((summary.created, summary.updated), (4, 0));
    let list = desk.provider_list().expect("list");
    assert_eq!(list.len(), 4);
    let viru = list
        .iter()
        .find(|p| p.registry_code == "30000003")
        .expect("viru");
    assert_eq!(viru.locations.len(), 2);
    assert_eq!(viru.locations[1].county_name, "Harju maakond");
    let harju = list
        .iter()
        .find(|p| p.registry_code == "40000004")
        .expect("harju");
    assert!(
        harju.flags.iter().any(|f| f.code == "licence_expired"),
        "an expired licence is flagged: {:?}",
        harju.flags
    );
    // The same file again updates, never duplicates.
    let again = desk
        .provider_import(&sample("providers-good.csv"))
        .expect("again");
    assert_eq!((again.created, again.updated), (0, 4));
    assert_eq!(desk.provider_list().expect("list").len(), 4);

    // The names for a form's list are the directory's, in its order, with whether each is
    // active: one set inactive shows as such.
    let first = desk.provider_list().expect("list").remove(0);
    let mut input = srt_core::providers::to_input(&first);
    input.active = false;
    desk.save_provider(Some(first.id), &input)
        .expect("deactivate");
    let list = desk.provider_list().expect("list");
    let names = desk.provider_names().expect("names");
    let expected: Vec<(i64, String, bool)> = list
        .iter()
        .map(|p| (p.id, p.name.clone(), p.active))
        .collect();
    let got: Vec<(i64, String, bool)> = names
        .iter()
        .map(|p| (p.id, p.name.clone(), p.active))
        .collect();
    assert_eq!(got, expected);
    assert!(names.iter().any(|p| p.id == first.id && !p.active));
}

#[test]
fn export_round_trips_and_xlsx_is_written() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    desk.provider_import(&sample("providers-good.csv"))
        .expect("import");
    let csv = dir.path().join("out.csv");
    desk.provider_export(&csv).expect("csv");
    let preview = desk.provider_import_preview(&csv).expect("preview");
    assert_eq!((preview.total, preview.invalid, preview.updated), (4, 0, 4));
    let xlsx = dir.path().join("out.xlsx");
    desk.provider_export(&xlsx).expect("xlsx");
    let bytes = std::fs::read(&xlsx).expect("read");
    assert_eq!(&bytes[..2], b"PK", "an XLSX is a zip file");
}

#[test]
fn the_provider_report_is_one_page_with_the_flags() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    desk.provider_import(&sample("providers-good.csv"))
        .expect("import");
    let harju = desk
        .provider_list()
        .expect("list")
        .into_iter()
        .find(|p| p.registry_code == "40000004")
        .expect("harju");
    let out = std::env::var("SRT_PROVIDER_REPORT_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| dir.path().join("report.pdf"));
    desk.provider_report(harju.id, &out).expect("report");
    let bytes = std::fs::read(&out).expect("read");
    assert!(bytes.starts_with(b"%PDF"));
    let pages = lopdf::Document::load_mem(&bytes)
        .expect("pdf")
        .get_pages()
        .len();
    assert_eq!(pages, 1, "the report fits one page");
    let text = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&out)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Harju Näidisabi OÜ"), "{text}");
    assert!(
        text.contains("Tegevusluba on aegunud (01.01.2026)."),
        "the expired licence is in the report: {text}"
    );
    assert!(text.contains("Kvaliteedinäitajad"));
}

#[test]
fn matching_choice_and_the_registration_deadline() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    desk.provider_import(&sample("providers-good.csv"))
        .expect("import");
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("case");
    needs_psychology(&mut desk, case.id);
    let m = desk.match_providers(case.id).expect("match");
    let names: Vec<&str> = m.candidates.iter().map(|c| c.name.as_str()).collect();
    // Child in Tallinn, Estonian-speaking, 13: Päikesekiir (Tallinn) first; the Rae ones are in
    // the county; the Harju one with an expired licence falls short and goes last; Tartu does
    // not offer 2010.
    assert_eq!(
        names,
        vec![
            "Näidiskeskus Päikesekiir OÜ",
            "Virumaa Proovikeskus OÜ",
            "Harju Näidisabi OÜ"
        ]
    );
    assert!(!m.candidates[2].full_match);

    let first = m.candidates[0].provider_id;
    let choice = desk
        .save_case_choice(
            case.id,
            &ChoiceInput {
                provider_id: Some(first),
                decision_sent_on: "2026-11-21".into(),
                chosen_on: "2026-11-24".into(),
                ..Default::default()
            },
        )
        .expect("choice");
    let d = choice.registration_deadline.expect("deadline");
    // 21.11.2026 + 60 days = 20.01.2027 (a Wednesday).
    assert_eq!(d.due.to_string(), "2027-01-20");
    assert_eq!(d.state, "running");
    let detail = desk.case(case.id).expect("case");
    assert!(detail
        .deadlines
        .iter()
        .any(|x| x.kind == "provider_registration" && x.due == d.due));

    // A different provider needs a new application: refused until confirmed.
    let other = m.candidates[1].provider_id;
    let change = ChoiceInput {
        provider_id: Some(other),
        decision_sent_on: "2026-11-21".into(),
        ..Default::default()
    };
    let err = desk
        .save_case_choice(case.id, &change)
        .expect_err("needs confirmation");
    assert_eq!(err.code(), "provider.change_needs_application");
    let changed = desk
        .save_case_choice(
            case.id,
            &ChoiceInput {
                confirm_change: true,
                ..change
            },
        )
        .expect("changed");
    assert_eq!(
        changed.earlier.len(),
        1,
        "the first choice is kept in history"
    );

    let waiting = desk.waiting(&Default::default()).expect("waiting");
    assert_eq!(waiting.cases.len(), 1);
    assert_eq!(waiting.cases[0].waiting_for, "provider");
    assert_eq!(waiting.cases[0].days_waited, 4);
}

/// A provider whose contract with the Board ends within the warning time still fits, and the
/// match says so beside its reasons (the directory flagged it; the match once said nothing).
#[test]
fn the_match_names_a_contract_ending_soon() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let text = std::fs::read_to_string(sample("providers-good.csv")).expect("sample");
    // Its licence ends soon; it has a free place (with none it would not fit at all).
    let text = text
        .replace(
            "Virumaa Proovikeskus OÜ;30000003;L-103;31.12.2027;",
            "Virumaa Proovikeskus OÜ;30000003;L-103;13.12.2026;",
        )
        .replace("ru et;45;0;10.10.2026", "ru et;45;2;10.10.2026");
    assert!(
        text.contains("13.12.2026"),
        "the sample's Virumaa row changed"
    );
    let file = dir.path().join("providers.csv");
    std::fs::write(&file, text).expect("write");
    desk.provider_import(&file).expect("import");
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("case");
    needs_psychology(&mut desk, case.id);
    let m = desk.match_providers(case.id).expect("match");
    let viru = m
        .candidates
        .iter()
        .find(|c| c.name == "Virumaa Proovikeskus OÜ")
        .expect("Virumaa");
    assert!(viru.full_match, "a licence ending in 18 days still fits");
    let warned: Vec<&str> = viru
        .reasons
        .iter()
        .filter(|r| r.warning)
        .map(|r| r.code.as_str())
        .collect();
    assert_eq!(warned, vec!["licence_expiring"]);
    let first = &m.candidates[0];
    assert!(first.reasons.iter().all(|r| !r.warning), "{first:?}");
}

/// The waiting list of a national desk is long: it comes a page at a time, the longest waits
/// first, filtered by county, activity or what the child waits for, while the groups and the
/// availability still count every waiting case. The cases are the ones a walk over every case of
/// the desk finds (the query reads the open statuses from their index instead).
#[test]
fn the_waiting_list_comes_a_page_at_a_time_and_filtered() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    desk.load_demo_with_history(400, 11).expect("demo");
    let all = |filter: WaitingFilter| {
        let mut cases = Vec::new();
        let mut offset = 0;
        loop {
            let page = desk
                .waiting(&WaitingFilter {
                    offset: Some(offset),
                    limit: Some(7),
                    ..filter.clone()
                })
                .expect("waiting");
            assert_eq!(page.offset, offset as usize);
            assert!(page.cases.len() <= 7);
            let done = page.cases.is_empty();
            cases.extend(page.cases.iter().cloned());
            if done {
                assert_eq!(cases.len(), page.total, "the pages hold the total");
                return (cases, page);
            }
            offset += 7;
        }
    };
    let (cases, overview) = all(WaitingFilter::default());
    assert!(
        cases.len() > 14,
        "more than two pages wait: {}",
        cases.len()
    );
    assert!(cases
        .windows(2)
        .all(|w| (std::cmp::Reverse(w[0].days_waited), w[0].case_id)
            < (std::cmp::Reverse(w[1].days_waited), w[1].case_id)));
    // The same cases as the rule says over every case of the desk: open, not in service, and
    // decided or with a provider chosen (whose service has not started).
    let conn = desk.store().connection();
    let mut expected: Vec<i64> = conn
        .prepare(
            "SELECT c.id FROM srt_case c
             LEFT JOIN provider_choice pc
                    ON pc.id = (SELECT max(id) FROM provider_choice WHERE case_id = c.id)
             WHERE c.status NOT IN ('closed', 'in_service')
               AND (c.status IN ('decided', 'provider_chosen') OR pc.id IS NOT NULL)
               AND (pc.service_start IS NULL OR pc.service_start > ?1)",
        )
        .expect("prepare")
        .query_map([desk.today().to_string()], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    let mut got: Vec<i64> = cases.iter().map(|c| c.case_id).collect();
    expected.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, expected);
    assert_eq!(
        overview.by_county.iter().map(|g| g.waiting).sum::<usize>(),
        cases.len(),
        "the groups count every waiting case"
    );

    // A county, an activity, and what they wait for: each page holds only those, and the total
    // is the group's count.
    let county = overview.by_county[0].clone();
    let (in_county, page) = all(WaitingFilter {
        county: county.key.clone(),
        ..Default::default()
    });
    assert_eq!(in_county.len(), county.waiting);
    assert!(in_county
        .iter()
        .all(|c| c.county_code.as_deref() == Some(county.key.as_str())));
    assert_eq!(
        page.by_county, overview.by_county,
        "the groups do not follow the filter"
    );
    let activity = overview.by_activity[0].clone();
    let (with_activity, _) = all(WaitingFilter {
        activity: activity.key.clone(),
        ..Default::default()
    });
    assert_eq!(with_activity.len(), activity.waiting);
    assert!(with_activity
        .iter()
        .all(|c| c.activities.contains(&activity.key)));
    let (for_provider, _) = all(WaitingFilter {
        waiting_for: "provider".into(),
        ..Default::default()
    });
    assert_eq!(
        for_provider.len(),
        cases.iter().filter(|c| c.waiting_for == "provider").count()
    );
    assert!(for_provider.iter().all(|c| c.waiting_for == "provider"));
    // A page past the end is empty, with the total still right.
    let past = desk
        .waiting(&WaitingFilter {
            offset: Some(10_000),
            ..Default::default()
        })
        .expect("past the end");
    assert!(past.cases.is_empty());
    assert_eq!(past.total, cases.len());
    let err = desk
        .waiting(&WaitingFilter {
            waiting_for: "everything".into(),
            ..Default::default()
        })
        .expect_err("unknown choice");
    assert_eq!(err.payload().fields[0].code, "invalid_choice");
}

/// The case's assessment finds 10 h of psychology (2010) needed.
fn needs_psychology(desk: &mut srt_core::Desk, case_id: i64) {
    desk.save_assessment(
        case_id,
        &AssessmentDraft {
            activities: vec![ActivityNeed {
                code: "2010".into(),
                hours: 10.0,
            }],
            ..Default::default()
        },
    )
    .expect("assessment");
}

/// Issue 26, item 9: a child in Narva was shown a green "sobib" first while every provider listed
/// was in Harju county ("✗ Kaugemal"). The badge is what the reasons say: a provider with any ✗
/// among them (further than the next county, no free place, a missing activity, an expired
/// licence) is not "sobib", and those that fit come first.
#[test]
fn the_match_badge_and_rank_agree_with_the_reasons() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let sample_text = std::fs::read_to_string(sample("providers-good.csv")).expect("sample");
    // Only providers in Harju county (Tallinn, Rae vald) and Tartu: none near Narva.
    let harju_only: String = sample_text
        .lines()
        .filter(|l| !l.starts_with("Virumaa"))
        .map(|l| format!("{l}\n"))
        .collect();
    let file = dir.path().join("harju.csv");
    std::fs::write(&file, harju_only).expect("write");
    desk.provider_import(&file).expect("import");
    let mut app = application(CHILD_CODE);
    app.child.municipality_code = "0511".into(); // Narva linn, Ida-Viru county
    let case = desk.register_application(&app).expect("case");
    needs_psychology(&mut desk, case.id);

    let badge_agrees = |m: &srt_core::providers::referrals::MatchResult| {
        for c in &m.candidates {
            let short: Vec<&str> = c
                .reasons
                .iter()
                .filter(|r| !r.ok && !r.warning)
                .map(|r| r.code.as_str())
                .collect();
            assert_eq!(
                c.full_match,
                short.is_empty(),
                "{}: the badge says {} while the reasons fall short in {short:?}",
                c.name,
                if c.full_match { "sobib" } else { "osaliselt" }
            );
            assert_eq!(c.shortfalls, short.len());
        }
        // Those that fit come before those that do not.
        let fits: Vec<bool> = m.candidates.iter().map(|c| c.full_match).collect();
        let mut sorted = fits.clone();
        sorted.sort_by_key(|f| !f);
        assert_eq!(fits, sorted, "a provider that fits is ranked first");
    };

    let m = desk.match_providers(case.id).expect("match");
    assert_eq!(m.needs.county_code.as_deref(), Some("0045"));
    assert!(!m.candidates.is_empty(), "the Harju providers are listed");
    for c in &m.candidates {
        let distance = c
            .reasons
            .iter()
            .find(|r| r.code == "distance")
            .expect("distance");
        assert!(
            !distance.ok && !distance.warning,
            "{}: {:?}",
            c.name,
            distance.text
        );
        assert!(
            distance.text.et.starts_with("Kaugemal"),
            "{:?}",
            distance.text
        );
        assert!(
            !c.full_match,
            "{} in Harju county is not \"sobib\" for a child in Narva",
            c.name
        );
    }
    badge_agrees(&m);

    // A provider in Narva with a free place fits and comes first; the Harju ones stay partial.
    let with_place = sample_text.replace("ru et;45;0;10.10.2026", "ru et;45;2;10.10.2026");
    assert_ne!(with_place, sample_text, "the sample's Virumaa row changed");
    std::fs::write(&file, &with_place).expect("write");
    desk.provider_import(&file).expect("import");
    let m = desk.match_providers(case.id).expect("match");
    assert_eq!(m.candidates[0].name, "Virumaa Proovikeskus OÜ");
    assert!(m.candidates[0].full_match, "{:?}", m.candidates[0].reasons);
    assert_eq!(m.candidates.iter().filter(|c| c.full_match).count(), 1);
    badge_agrees(&m);

    // Without a free place it does not fit either (✗ at the capacity).
    std::fs::write(&file, &sample_text).expect("write");
    desk.provider_import(&file).expect("import");
    let m = desk.match_providers(case.id).expect("match");
    let viru = m
        .candidates
        .iter()
        .find(|c| c.name == "Virumaa Proovikeskus OÜ")
        .expect("Virumaa");
    assert!(!viru.full_match, "no free place: not \"sobib\"");
    assert!(viru.reasons.iter().any(|r| r.code == "capacity" && !r.ok));
    assert!(m.candidates.iter().all(|c| !c.full_match));
    badge_agrees(&m);
}

/// Issue 30: the directory's page is the whole directory filtered in the backend and cut into
/// pages; every filter (a text in the name, registry code or a municipality; an activity; a
/// county; the inactive too) keeps exactly the providers the rule keeps, over every page.
#[test]
fn the_directory_page_filters_every_provider_and_counts_them() {
    use srt_core::providers::directory::DirectoryFilter;
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    desk.load_demo_with_history(300, 5).expect("demo");
    let every = desk.provider_list().expect("list");
    assert!(every.len() > 14, "more than two pages: {}", every.len());
    // One inactive provider, so that the checkbox matters.
    let gone = every[3].clone();
    desk.store()
        .connection()
        .execute("UPDATE provider SET active = 0 WHERE id = ?1", [gone.id])
        .expect("deactivate");
    let every = desk.provider_list().expect("list");
    let pages = |filter: DirectoryFilter| {
        let mut ids = Vec::new();
        let mut offset = 0;
        loop {
            let page = desk
                .provider_page(&DirectoryFilter {
                    offset: Some(offset),
                    limit: Some(7),
                    ..filter.clone()
                })
                .expect("page");
            assert_eq!(page.offset, offset as usize);
            assert_eq!(page.all, every.len(), "the directory is counted whole");
            assert!(page.rows.len() <= 7);
            if page.rows.is_empty() {
                assert_eq!(ids.len(), page.total, "the pages hold the total");
                return ids;
            }
            ids.extend(page.rows.iter().map(|r| r.id));
            offset += 7;
        }
    };
    let expect = |keep: &dyn Fn(&srt_core::providers::Provider) -> bool| -> Vec<i64> {
        every.iter().filter(|p| keep(p)).map(|p| p.id).collect()
    };
    let all_active = pages(DirectoryFilter::default());
    assert_eq!(
        all_active,
        expect(&|p| p.active),
        "active ones, in the directory's order"
    );
    assert!(!all_active.contains(&gone.id));
    let with_inactive = pages(DirectoryFilter {
        inactive: true,
        ..Default::default()
    });
    assert_eq!(with_inactive, expect(&|_| true));

    // A text: part of a name in another case, a registry code's digits, a municipality's name.
    let word: String = every[7]
        .name
        .split_whitespace()
        .next()
        .expect("a word")
        .to_uppercase();
    let lower = word.to_lowercase();
    let by_name = pages(DirectoryFilter {
        q: format!("  {word} "),
        ..Default::default()
    });
    assert!(!by_name.is_empty());
    assert_eq!(
        by_name,
        expect(&|p| p.active
            && (p.name.to_lowercase().contains(&lower)
                || p.registry_code.contains(&lower)
                || p.locations
                    .iter()
                    .any(|l| l.municipality_name.to_lowercase().contains(&lower))))
    );
    let code = every[9].registry_code[2..6].to_string();
    assert_eq!(
        pages(DirectoryFilter {
            q: code.clone(),
            inactive: true,
            ..Default::default()
        }),
        expect(&|p| p.registry_code.contains(&code)
            || p.name.to_lowercase().contains(&code)
            || p.locations
                .iter()
                .any(|l| l.municipality_name.contains(&code)))
    );
    let place = every[11].locations[0].municipality_name.clone();
    let by_place = pages(DirectoryFilter {
        q: place.to_lowercase(),
        inactive: true,
        ..Default::default()
    });
    assert!(
        by_place.contains(&every[11].id),
        "found by its municipality"
    );

    // An activity and a county, each against the rule over every provider.
    let activity = every[5].activities[0].code.clone();
    assert_eq!(
        pages(DirectoryFilter {
            activity: activity.clone(),
            ..Default::default()
        }),
        expect(&|p| p.active && p.offers(&activity))
    );
    let county = every[6].locations[0].county_code.clone();
    let in_county = pages(DirectoryFilter {
        county: county.clone(),
        inactive: true,
        ..Default::default()
    });
    assert_eq!(
        in_county,
        expect(&|p| p.locations.iter().any(|l| l.county_code == county))
    );
    assert!(
        in_county.contains(&every[6].id),
        "a provider of the county is in it"
    );

    // The filters' choices come with the page: every activity code and county.
    let page = desk
        .provider_page(&DirectoryFilter::default())
        .expect("page");
    let codes: Vec<String> = page.activities.iter().map(|a| a.code.clone()).collect();
    let options: Vec<String> = desk
        .provider_activity_options()
        .expect("options")
        .into_iter()
        .map(|a| a.code)
        .collect();
    assert_eq!(codes, options);
    let counties: Vec<(String, String)> = page
        .counties
        .iter()
        .map(|c| (c.code.clone(), c.name.clone()))
        .collect();
    let places: Vec<(String, String)> = desk
        .places()
        .expect("places")
        .counties
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect();
    assert_eq!(
        counties, places,
        "the counties as the places list gives them"
    );
    // Nothing found: an empty page, counted 0, the directory still counted.
    let none = desk
        .provider_page(&DirectoryFilter {
            q: "no such provider anywhere".into(),
            ..Default::default()
        })
        .expect("page");
    assert_eq!((none.rows.len(), none.total, none.all), (0, 0, every.len()));
}

/// Issue 30: the waiting page asks for the availability's first rows; they are the whole
/// list's first, scarce first, and it is counted whole.
#[test]
fn the_waiting_availability_comes_first_rows_and_counted() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    desk.load_demo_with_history(400, 11).expect("demo");
    let whole = desk.waiting(&WaitingFilter::default()).expect("whole");
    assert!(whole.availability.len() > 4, "{}", whole.availability.len());
    assert_eq!(whole.availability_total, whole.availability.len());
    assert_eq!(
        whole.availability_scarce,
        whole.availability.iter().filter(|a| a.scarce).count()
    );
    let first = desk
        .waiting(&WaitingFilter {
            availability_limit: Some(3),
            ..Default::default()
        })
        .expect("first");
    assert_eq!(first.availability, whole.availability[..3].to_vec());
    assert_eq!(first.availability_total, whole.availability.len());
    assert_eq!(first.availability_scarce, whole.availability_scarce);
    assert_eq!(first.cases, whole.cases, "the cases' page is the same");
    let none = desk
        .waiting(&WaitingFilter {
            availability_limit: Some(0),
            ..Default::default()
        })
        .expect("none");
    assert!(none.availability.is_empty());
    assert_eq!(none.availability_total, whole.availability.len());
}
