//! Billing on a real encrypted database: a referral's annex over two calendar years, a
//! provider's invoices checked line by line (every reason, with its figures), the outcome
//! frozen, earlier accepted invoices counted, the budget of the case, the report read back from
//! the PDF (pdftotext) and the XLSX (calamine), a price change that leaves past invoices alone,
//! and a CSV import that is all or nothing.

mod common;

use common::{application, new_desk, CHILD_CODE};
use srt_core::money::invoice_io::ImportHeader;
use srt_core::money::{ConfirmationInput, Invoice, InvoiceFilter, InvoiceInput, LineInput};
use srt_core::Desk;

const OTHER_CHILD: &str = "50801010008";

/// A registered case with an approved referral K000001 valid 01.07.2026–30.06.2027:
/// psychologist (2010) 300 € in 2026 and 200 € in 2027, speech therapist (2013) 100 € in 2026.
/// The parent confirmed the services of 01.07.2026–31.12.2026. Returns (case, provider).
fn setup(desk: &mut Desk) -> (i64, i64) {
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let conn = desk.store().connection();
    conn.execute(
        "INSERT INTO provider (name, registry_code, created_at, updated_at)
         VALUES ('Näidis Rehabilitatsioonikeskus OÜ', '12345678', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        [],
    )
    .expect("provider");
    let provider = conn.last_insert_rowid();
    let annex = r#"[{"code":"2010","amounts":[{"year":2026,"cents":30000},{"year":2027,"cents":20000}]},
                    {"code":"2013","amounts":[{"year":2026,"cents":10000}]}]"#;
    conn.execute(
        "INSERT INTO decision (case_id, kind, status, number, decision_date, valid_from, valid_to,
            annex, created_at, updated_at)
         VALUES (?1, 'referral', 'sent', 'K000001', '2026-06-20', '2026-07-01', '2027-06-30', ?2,
            '2026-06-20T00:00:00Z', '2026-06-20T00:00:00Z')",
        rusqlite::params![case.id, annex],
    )
    .expect("decision");
    desk.add_confirmation(
        case.id,
        &ConfirmationInput {
            provider_id: Some(provider),
            period_from: "01.07.2026".into(),
            period_to: "31.12.2026".into(),
            confirmed_on: "20.11.2026".into(),
            channel: "paper".into(),
            notes: String::new(),
        },
    )
    .expect("confirmation");
    (case.id, provider)
}

fn line(date: &str, code: &str, hours: &str) -> LineInput {
    LineInput {
        child_code: CHILD_CODE.into(),
        decision_number: "K000001".into(),
        activity_code: code.into(),
        service_date: date.into(),
        quantity: hours.into(),
        specialist: "Mari Maasikas".into(),
        content: "Individuaalne sessioon".into(),
        ..Default::default()
    }
}

fn invoice(provider: i64, number: &str, lines: Vec<LineInput>) -> InvoiceInput {
    InvoiceInput {
        provider_id: Some(provider),
        number: number.into(),
        invoice_date: "25.11.2026".into(),
        period_from: "01.06.2026".into(),
        period_to: "31.12.2027".into(),
        notes: String::new(),
        lines,
    }
}

fn codes(inv: &Invoice, position: usize) -> Vec<&str> {
    inv.lines[position]
        .reasons
        .iter()
        .map(|r| r.code.as_str())
        .collect()
}

/// The report's text with no-break spaces (in money) as plain spaces.
fn pdftotext(pdf: &std::path::Path) -> String {
    common::pdftotext(pdf).replace('\u{a0}', " ")
}

#[test]
fn every_reason_of_the_check_is_given_with_its_figures() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let (case_id, provider) = setup(&mut desk);
    desk.register_application(&application(OTHER_CHILD))
        .expect("a child without a referral");
    let mut wrong_price = line("03.11.2026", "2010", "1");
    wrong_price.unit_price = "30,00".into();
    let mut wrong_sum = line("04.11.2026", "2010", "1");
    wrong_sum.amount = "29,50".into();
    let mut unknown_child = line("05.11.2026", "2010", "1");
    unknown_child.child_code = "36805280109".into();
    let mut no_referral = line("05.11.2026", "2010", "1");
    no_referral.child_code = OTHER_CHILD.into();
    no_referral.decision_number = String::new();
    let mut other_number = line("05.11.2026", "2010", "1");
    other_number.decision_number = "K999999".into();
    let lines = vec![
        line("02.11.2026", "2010", "1,5"), // 1: fine, 44.10
        wrong_price,                       // 2: 30.00 billed, 29.40 listed
        wrong_sum,                         // 3: 29.50 for 1 × 29.40
        line("15.06.2026", "2010", "1"),   // 4: before the referral
        line("06.11.2026", "2019", "1"),   // 5: not in the annex
        line("10.11.2026", "2013", "4"),   // 6: 119.20 of 100.00 left
        line("11.11.2026", "2013", "1"),   // 7: nothing left
        line("12.01.2027", "2010", "1"),   // 8: no confirmation for 2027
        unknown_child,                     // 9: not on the register
        no_referral,                       // 10: a child without a referral
        other_number,                      // 11: a decision the child does not have
    ];
    let inv = desk
        .save_invoice(None, &invoice(provider, "A-2026-11", lines))
        .expect("entered");
    assert_eq!(inv.status, "draft");
    assert_eq!(
        inv.lines[0].case_id,
        Some(case_id),
        "the line found its case"
    );
    assert_eq!(
        inv.lines[0].unit_price_cents, 2940,
        "the price list filled the unit price"
    );
    assert_eq!(inv.lines[0].amount_cents, 4410, "1.5 h × 29.40 €");
    let inv = desk.check_invoice(inv.id).expect("checked");
    assert_eq!(inv.status, "checked");

    assert!(codes(&inv, 0).is_empty());
    assert_eq!(
        (inv.lines[0].verdict.as_str(), inv.lines[0].accepted_cents),
        ("ok", 4410)
    );

    assert_eq!(codes(&inv, 1), ["price.differs"]);
    assert_eq!(
        (inv.lines[1].verdict.as_str(), inv.lines[1].accepted_cents),
        ("part", 2940)
    );
    let m = &inv.lines[1].reasons[0].message;
    assert!(m.et.contains("30,00") && m.et.contains("29,40"), "{}", m.et);
    assert!(
        m.en.contains("30,00\u{a0}€") && m.en.contains("29,40\u{a0}€"),
        "{}",
        m.en
    );
    assert_eq!(inv.lines[1].reasons[0].cut_cents, 60);

    assert_eq!(codes(&inv, 2), ["amount.mismatch"]);
    assert_eq!(inv.lines[2].accepted_cents, 2940);
    assert!(inv.lines[2].reasons[0].message.et.contains("29,50"));

    assert_eq!(
        codes(&inv, 3),
        ["decision.not_valid", "confirmation.missing"]
    );
    assert!(inv.lines[3].reasons[0]
        .message
        .et
        .contains("01.07.2026–30.06.2027"));
    assert_eq!(
        (inv.lines[3].verdict.as_str(), inv.lines[3].accepted_cents),
        ("reject", 0)
    );

    assert_eq!(codes(&inv, 4), ["activity.not_in_annex"]);
    assert!(inv.lines[4].reasons[0].message.en.contains("2019"));

    // The annex grants 100.00 € of speech therapy in 2026: 119.20 € is accepted in part.
    assert_eq!(codes(&inv, 5), ["annex.exceeded"]);
    assert_eq!(
        (inv.lines[5].verdict.as_str(), inv.lines[5].accepted_cents),
        ("part", 10_000)
    );
    assert_eq!(inv.lines[5].reasons[0].cut_cents, 1920);
    assert!(inv.lines[5].reasons[0].message.et.contains("alles 100,00"));
    // The line after it counts the line above: nothing is left.
    assert_eq!(codes(&inv, 6), ["annex.exceeded"]);
    assert_eq!(
        (inv.lines[6].verdict.as_str(), inv.lines[6].accepted_cents),
        ("reject", 0)
    );
    assert!(inv.lines[6].reasons[0]
        .message
        .et
        .contains("eespool 100,00"));

    assert_eq!(codes(&inv, 7), ["confirmation.missing"]);
    assert_eq!(codes(&inv, 8), ["child.unknown"]);
    assert_eq!(codes(&inv, 9)[0], "decision.not_valid");
    assert_eq!(codes(&inv, 10)[0], "decision.not_valid");
    assert!(inv.lines[10].reasons[0].message.et.contains("K999999"));

    // Sums reconcile: what is billed is what is accepted plus what the reasons cut.
    let accepted: i64 = inv.lines.iter().map(|l| l.accepted_cents).sum();
    assert_eq!(accepted, 4410 + 2940 + 2940 + 10_000);
    assert_eq!(inv.accepted_cents, accepted);
    assert_eq!(inv.total_cents - inv.accepted_cents, inv.rejected_cents);
    for l in &inv.lines {
        if l.verdict != "reject" {
            let cut: i64 = l.reasons.iter().map(|r| r.cut_cents).sum();
            assert_eq!(
                l.amount_cents - cut,
                l.accepted_cents,
                "line {}",
                l.position
            );
        }
    }
    assert_eq!(inv.proposed_status.as_deref(), Some("partly_accepted"));

    // The same number from the same provider is refused on entry, with a clear message.
    let again = desk
        .save_invoice(
            None,
            &invoice(provider, "A-2026-11", vec![line("02.11.2026", "2010", "1")]),
        )
        .expect_err("a duplicate");
    let srt_core::Error::Validation(fields) = &again else {
        panic!("expected a validation error, got {again:?}");
    };
    assert_eq!(fields[0].field, "number");
    assert_eq!(fields[0].code, "invoice.duplicate");
    assert!(
        fields[0].message.et.contains("A-2026-11")
            && fields[0].message.et.contains("juba sisestatud")
    );
}

#[test]
fn the_yearly_cap_counts_every_line_and_earlier_accepted_invoices() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let (case_id, provider) = setup(&mut desk);
    // A cap of 350 € from 2026 (below the annex's 400 €).
    cap_of_350(&desk);
    // 10 h psychology = 294.00 €: accepted in full; the annex has 6.00 € left.
    let first = desk
        .save_invoice(
            None,
            &invoice(provider, "A-1", vec![line("02.11.2026", "2010", "10")]),
        )
        .expect("first");
    desk.check_invoice(first.id).expect("checked");
    let first = desk.decide_invoice(first.id, false, "").expect("decided");
    assert_eq!(
        (first.status.as_str(), first.accepted_cents),
        ("accepted", 29_400)
    );
    assert!(first.decided);

    // A second invoice: 2 h speech therapy = 59.60 € fits the annex (100 €) but only 56.00 €
    // is left of the cap (350 − 294); then 1 h psychology has nothing left under the cap.
    let second = desk
        .save_invoice(
            None,
            &invoice(
                provider,
                "A-2",
                vec![
                    line("03.11.2026", "2013", "2"),
                    line("04.11.2026", "2010", "0,2"),
                ],
            ),
        )
        .expect("second");
    let second = desk.check_invoice(second.id).expect("checked");
    assert_eq!(codes(&second, 0), ["cap.exceeded"]);
    assert_eq!(second.lines[0].accepted_cents, 5600);
    let m = &second.lines[0].reasons[0].message;
    assert!(
        m.et.contains("350,00") && m.et.contains("294,00") && m.et.contains("alles 56,00"),
        "{}",
        m.et
    );
    assert_eq!(codes(&second, 1), ["cap.exceeded"]);
    assert_eq!(
        (
            second.lines[1].verdict.as_str(),
            second.lines[1].accepted_cents
        ),
        ("reject", 0)
    );

    // While the second is undecided, what its check accepted is committed in the budget (not
    // the 65.48 € billed: the check already rejected 9.48 € of it).
    let budget = desk.case_budget(case_id).expect("budget");
    let y2026 = budget.years.iter().find(|y| y.year == 2026).expect("2026");
    assert_eq!(y2026.used_cents, 29_400);
    assert_eq!(
        y2026.committed_cents, 5600,
        "a checked invoice commits what its check accepted"
    );
    assert_eq!(y2026.cap_cents, Some(35_000));
    assert_eq!(y2026.cap_left_cents, Some(35_000 - 29_400 - 5600));
    assert_eq!(
        y2026.cap_cents.expect("cap") - y2026.child_used_cents - y2026.committed_cents,
        y2026.cap_left_cents.expect("left"),
        "the cap's sentence adds up: cap − used − committed = left"
    );

    let second = desk.decide_invoice(second.id, false, "").expect("decided");
    assert_eq!(
        (second.status.as_str(), second.accepted_cents),
        ("partly_accepted", 5600)
    );
    // Frozen: no change, no second check, no second outcome.
    assert_eq!(
        desk.save_invoice(
            Some(second.id),
            &invoice(provider, "A-2", vec![line("03.11.2026", "2013", "1")])
        )
        .expect_err("frozen")
        .code(),
        "invoice.frozen"
    );
    assert_eq!(
        desk.check_invoice(second.id).expect_err("frozen").code(),
        "invoice.frozen"
    );
    assert_eq!(
        desk.delete_invoice(second.id).expect_err("frozen").code(),
        "invoice.frozen"
    );

    let list = desk.invoice_list(&InvoiceFilter::default()).expect("list");
    assert_eq!(list.items.len(), 2);
    assert_eq!(list.total, 2);
    assert_eq!(list.counts.get("accepted"), Some(&1));
    let only = desk
        .invoice_list(&InvoiceFilter {
            status: "partly_accepted".into(),
            ..Default::default()
        })
        .expect("filtered");
    assert_eq!(only.total, 1);
    assert_eq!(
        only.items
            .iter()
            .map(|i| i.number.as_str())
            .collect::<Vec<_>>(),
        ["A-2"]
    );
}

#[test]
fn the_budget_spans_two_years_and_follows_amendments_and_outcomes() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let (case_id, provider) = setup(&mut desk);
    let before = desk.case_budget(case_id).expect("budget");
    assert_eq!(before.decisions, ["K000001"]);
    let years: Vec<(i32, i64, i64)> = before
        .years
        .iter()
        .map(|y| (y.year, y.granted_cents, y.left_cents))
        .collect();
    assert_eq!(years, [(2026, 40_000, 40_000), (2027, 20_000, 20_000)]);
    assert_eq!(before.years[0].cap_cents, Some(269_500));

    // Services in both years, confirmed for both.
    desk.add_confirmation(
        case_id,
        &ConfirmationInput {
            provider_id: None,
            period_from: "2027-01-01".into(),
            period_to: "2027-06-30".into(),
            confirmed_on: "2026-11-25".into(),
            channel: "email".into(),
            notes: String::new(),
        },
    )
    .expect("confirmation 2027");
    let inv = desk
        .save_invoice(
            None,
            &invoice(
                provider,
                "B-1",
                vec![
                    line("20.12.2026", "2010", "2"),
                    line("05.01.2027", "2010", "3"),
                ],
            ),
        )
        .expect("entered");
    desk.check_invoice(inv.id).expect("checked");
    let mid = desk.case_budget(case_id).expect("budget");
    let psych = |b: &srt_core::money::Budget, year: i32| {
        let y = b.years.iter().find(|y| y.year == year).expect("year");
        let l = y.lines.iter().find(|l| l.code == "2010").expect("2010");
        (
            l.granted_cents,
            l.used_cents,
            l.committed_cents,
            l.left_cents,
        )
    };
    assert_eq!(psych(&mid, 2026), (30_000, 0, 5880, 24_120));
    assert_eq!(psych(&mid, 2027), (20_000, 0, 8820, 11_180));
    desk.decide_invoice(inv.id, false, "").expect("decided");
    let after = desk.case_budget(case_id).expect("budget");
    assert_eq!(psych(&after, 2026), (30_000, 5880, 0, 24_120));
    assert_eq!(psych(&after, 2027), (20_000, 8820, 0, 11_180));

    // An amendment with a new annex replaces the annex; a termination ends the period.
    let conn = desk.store().connection();
    conn.execute(
        "INSERT INTO decision (case_id, kind, status, number, decision_date, valid_from, valid_to,
            annex, related_number, created_at, updated_at)
         VALUES (?1, 'amendment', 'approved', 'K000002', '2026-11-01', NULL, '2027-12-31',
            '[{\"code\":\"2010\",\"amounts\":[{\"year\":2026,\"cents\":30000},{\"year\":2027,\"cents\":50000}]}]',
            'K000001', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')",
        [case_id],
    )
    .expect("amendment");
    let grants = srt_core::money::grants(conn, case_id).expect("grants");
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].valid_to.to_string(), "2027-12-31");
    assert_eq!(
        grants[0].annex.len(),
        1,
        "speech therapy is no longer granted"
    );
    let amended = desk.case_budget(case_id).expect("budget");
    assert_eq!(psych(&amended, 2027), (50_000, 8820, 0, 41_180));
    desk.store()
        .connection()
        .execute(
            "INSERT INTO decision (case_id, kind, status, number, decision_date, related_number,
                created_at, updated_at)
             VALUES (?1, 'termination', 'approved', 'K000003', '2027-03-31', 'K000001',
                '2027-03-31T00:00:00Z', '2027-03-31T00:00:00Z')",
            [case_id],
        )
        .expect("termination");
    let grants = srt_core::money::grants(desk.store().connection(), case_id).expect("grants");
    assert_eq!(grants[0].valid_to.to_string(), "2027-03-31");
}

fn xlsx_cell(range: &calamine::Range<calamine::Data>, row: usize, col: usize) -> calamine::Data {
    range
        .get((row, col))
        .cloned()
        .unwrap_or(calamine::Data::Empty)
}

fn as_i64(d: &calamine::Data) -> i64 {
    match d {
        calamine::Data::Float(f) => {
            assert_eq!(f.fract(), 0.0, "a whole number of cents");
            *f as i64
        }
        calamine::Data::Int(i) => *i,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn the_pdf_and_the_xlsx_carry_the_check_s_figures_exactly() {
    use calamine::Reader;
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let (_, provider) = setup(&mut desk);
    let mut wrong_price = line("03.11.2026", "2010", "1");
    wrong_price.unit_price = "30,00".into();
    let inv = desk
        .save_invoice(
            None,
            &invoice(
                provider,
                "C-7",
                vec![
                    line("02.11.2026", "2010", "1,5"),
                    wrong_price,
                    line("10.11.2026", "2013", "4"),
                ],
            ),
        )
        .expect("entered");
    desk.check_invoice(inv.id).expect("checked");
    let inv = desk
        .decide_invoice(inv.id, false, "Kontrollitud")
        .expect("decided");
    assert_eq!(inv.status, "partly_accepted");
    assert_eq!(
        (inv.total_cents, inv.accepted_cents, inv.rejected_cents),
        (4410 + 3000 + 11_920, 4410 + 2940 + 10_000, 60 + 1920)
    );

    let pdf = dir.path().join("arve.pdf");
    desk.invoice_report(inv.id, &pdf).expect("pdf");
    if let Some(keep) = std::env::var_os("SRT_BILLING_SAMPLE_DIR") {
        std::fs::copy(&pdf, std::path::Path::new(&keep).join("arve-C-7.pdf")).expect("keep");
    }
    let text = pdftotext(&pdf);
    for needle in [
        "Arve kontrolli aruanne",
        "C-7",
        "osaliselt aktsepteeritud",
        "193,30 €",
        "173,50 €",
        "19,80 €",
        "Ühikuhind 30,00 € erineb hinnakirja hinnast 29,40 €",
        "alles 100,00 €",
    ] {
        assert!(text.contains(needle), "the PDF lacks {needle:?}:\n{text}");
    }

    let xlsx = dir.path().join("arve.xlsx");
    desk.invoice_report(inv.id, &xlsx).expect("xlsx");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).expect("open xlsx");
    let range = book.worksheet_range("Arve").expect("sheet");
    let header_row = (0..range.height())
        .find(|r| xlsx_cell(&range, *r, 0) == calamine::Data::String("Rida".into()))
        .expect("header row");
    let mut sums = (0, 0, 0);
    for (i, l) in inv.lines.iter().enumerate() {
        let r = header_row + 1 + i;
        assert_eq!(
            xlsx_cell(&range, r, 2),
            calamine::Data::String(l.child_code.clone())
        );
        assert_eq!(as_i64(&xlsx_cell(&range, r, 9)), l.amount_cents);
        assert_eq!(as_i64(&xlsx_cell(&range, r, 10)), l.accepted_cents);
        assert_eq!(
            as_i64(&xlsx_cell(&range, r, 11)),
            l.amount_cents - l.accepted_cents
        );
        sums.0 += as_i64(&xlsx_cell(&range, r, 9));
        sums.1 += as_i64(&xlsx_cell(&range, r, 10));
        sums.2 += as_i64(&xlsx_cell(&range, r, 11));
    }
    let total_row = header_row + 1 + inv.lines.len();
    assert_eq!(
        xlsx_cell(&range, total_row, 0),
        calamine::Data::String("Kokku".into())
    );
    let totals = (
        as_i64(&xlsx_cell(&range, total_row, 9)),
        as_i64(&xlsx_cell(&range, total_row, 10)),
        as_i64(&xlsx_cell(&range, total_row, 11)),
    );
    assert_eq!(
        totals,
        (inv.total_cents, inv.accepted_cents, inv.rejected_cents)
    );
    assert_eq!(sums, totals, "the rows add up to the totals");

    // The provider report ends with the invoices in figures.
    let report = dir.path().join("to.pdf");
    desk.provider_report(provider, &report)
        .expect("provider report");
    if let Some(keep) = std::env::var_os("SRT_BILLING_SAMPLE_DIR") {
        std::fs::copy(
            &report,
            std::path::Path::new(&keep).join("teenuseosutaja.pdf"),
        )
        .expect("keep");
    }
    let text = pdftotext(&report);
    assert!(text.contains("Arved"), "{text}");
    assert!(
        text.contains("193,30 €") && text.contains("173,50 €"),
        "{text}"
    );
}

#[test]
fn a_new_price_leaves_past_invoices_alone() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let (_, provider) = setup(&mut desk);
    let inv = desk
        .save_invoice(
            None,
            &invoice(provider, "D-1", vec![line("02.11.2026", "2010", "1")]),
        )
        .expect("entered");
    desk.check_invoice(inv.id).expect("checked");
    let inv = desk.decide_invoice(inv.id, false, "").expect("decided");

    let err = desk
        .save_price(&srt_core::prices::PriceInput {
            code: "2010".into(),
            mode: "individual".into(),
            price: "31,00".into(),
            valid_from: "01.01.2023".into(),
            ..Default::default()
        })
        .expect_err("not before the current version");
    assert_eq!(err.code(), "validation");
    let list = desk
        .save_price(&srt_core::prices::PriceInput {
            code: "2010".into(),
            mode: "individual".into(),
            price: "31,00".into(),
            valid_from: "01.01.2027".into(),
            ..Default::default()
        })
        .expect("new price");
    let versions: Vec<_> = list.iter().filter(|p| p.code == "2010").collect();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        versions[0].valid_to.map(|d| d.to_string()).as_deref(),
        Some("2026-12-31")
    );
    assert_eq!(
        (versions[1].price_cents, versions[1].valid_to),
        (3100, None)
    );

    let again = desk.invoice(inv.id).expect("read");
    assert_eq!(
        again.lines[0].unit_price_cents, 2940,
        "the billed price stays"
    );
    assert_eq!(again.accepted_cents, inv.accepted_cents);
    assert_eq!(
        again.lines[0].reasons, inv.lines[0].reasons,
        "the verdict stays"
    );

    // A 2027 line now takes the new price; billed at the old one it is a price difference.
    let mut old_price = line("05.01.2027", "2010", "1");
    old_price.unit_price = "29,40".into();
    let next = desk
        .save_invoice(
            None,
            &invoice(
                provider,
                "D-2",
                vec![line("04.01.2027", "2010", "1"), old_price],
            ),
        )
        .expect("entered");
    assert_eq!(next.lines[0].unit_price_cents, 3100);
    let next = desk.check_invoice(next.id).expect("checked");
    assert_eq!(codes(&next, 1), ["confirmation.missing", "price.differs"]);
    assert_eq!(
        next.lines[1].reasons[1].effect, "note",
        "billing less than the list costs nothing"
    );
}

#[test]
fn a_session_file_becomes_an_invoice_or_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let (case_id, provider) = setup(&mut desk);
    let good = dir.path().join("sessions.csv");
    std::fs::write(
        &good,
        format!(
            "date;child_code;decision_number;activity_code;hours;specialist;content\n\
             02.11.2026;{CHILD_CODE};K000001;2010;1,5;Mari Maasikas;Individuaalne sessioon\n\
             09.11.2026;{CHILD_CODE};K000001;2013;1;Liis Logopeed;Kõne arendamine\n"
        ),
    )
    .expect("write");
    let header = ImportHeader {
        provider_id: Some(provider),
        number: "E-1".into(),
        invoice_date: "25.11.2026".into(),
        ..Default::default()
    };
    let preview = desk.invoice_import_preview(&good).expect("preview");
    assert_eq!(
        (preview.total, preview.invalid, preview.total_cents),
        (2, 0, 4410 + 2980)
    );
    let inv = desk.invoice_import(&good, &header).expect("imported");
    assert_eq!(inv.source, "csv");
    assert_eq!(
        (inv.period_from.to_string(), inv.period_to.to_string()),
        ("2026-11-02".into(), "2026-11-09".into())
    );
    assert_eq!(inv.lines[1].case_id, Some(case_id));
    assert_eq!(inv.total_cents, 7390);
    assert_eq!(
        desk.invoice_import(&good, &header)
            .expect_err("twice")
            .code(),
        "validation",
        "the same file under the same number is refused"
    );

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!(
            "date,child_code,activity_code,hours\n02.11.2026,{CHILD_CODE},2010,1\n30.02.2026,{CHILD_CODE},2010,1\n"
        ),
    )
    .expect("write");
    let err = desk
        .invoice_import(
            &bad,
            &ImportHeader {
                number: "E-2".into(),
                ..header.clone()
            },
        )
        .expect_err("rejected");
    assert_eq!(err.code(), "invoice.import_rejected");
    let details = err.payload().details.expect("rows");
    assert_eq!(details[0]["line"], 3);
    assert_eq!(
        desk.invoice_list(&InvoiceFilter::default())
            .expect("list")
            .items
            .len(),
        1
    );
}

/// A synthetic girl's code born 15.03.2013 with serial `n` and a valid check digit.
fn synthetic_code(n: u32) -> String {
    let first = format!("6130315{n:03}");
    let digits: Vec<u32> = first.chars().filter_map(|c| c.to_digit(10)).collect();
    let ten: [u32; 10] = digits.try_into().expect("ten digits");
    format!("{first}{}", srt_core::cases::ids::check_digit(&ten))
}

/// A 1 000-line invoice over 100 children, each with a referral and a confirmation: entry,
/// check, XLSX and PDF report, timed (run with --ignored --nocapture).
#[test]
#[ignore = "a timing, not a test: cargo test -p srt-core --release --test billing -- --ignored --nocapture"]
fn bench_check_of_a_thousand_lines() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let (_, provider) = setup(&mut desk);
    let mut codes = Vec::new();
    for n in 1..=100 {
        let code = synthetic_code(100 + n);
        let case = desk
            .register_application(&application(&code))
            .expect("register");
        let conn = desk.store().connection();
        conn.execute(
            "INSERT INTO decision (case_id, kind, status, number, decision_date, valid_from, valid_to,
                annex, created_at, updated_at)
             VALUES (?1, 'referral', 'sent', ?2, '2026-06-20', '2026-07-01', '2027-06-30',
                '[{\"code\":\"2010\",\"amounts\":[{\"year\":2026,\"cents\":20000}]}]',
                '2026-06-20T00:00:00Z', '2026-06-20T00:00:00Z')",
            rusqlite::params![case.id, format!("KB{n:05}")],
        )
        .expect("decision");
        conn.execute(
            "INSERT INTO service_confirmation (case_id, period_from, period_to, confirmed_on, channel,
                created_at, updated_at)
             VALUES (?1, '2026-07-01', '2026-12-31', '2026-11-20', 'paper', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z')",
            [case.id],
        )
        .expect("confirmation");
        codes.push((code, format!("KB{n:05}")));
    }
    let lines: Vec<LineInput> = (0..1000)
        .map(|i| {
            let (code, number) = &codes[i % codes.len()];
            LineInput {
                child_code: code.clone(),
                decision_number: number.clone(),
                ..line(
                    &format!("{:02}.{:02}.2026", 1 + i % 28, 7 + (i / 28) % 6),
                    "2010",
                    "1,5",
                )
            }
        })
        .collect();
    let t = std::time::Instant::now();
    let inv = desk
        .save_invoice(None, &invoice(provider, "BENCH", lines))
        .expect("entered");
    let entered = t.elapsed();
    let t = std::time::Instant::now();
    let checked = desk.check_invoice(inv.id).expect("checked");
    let check = t.elapsed();
    let t = std::time::Instant::now();
    desk.decide_invoice(inv.id, false, "").expect("decided");
    let decide = t.elapsed();
    let t = std::time::Instant::now();
    desk.invoice_report(inv.id, &dir.path().join("b.xlsx"))
        .expect("xlsx");
    let xlsx = t.elapsed();
    let t = std::time::Instant::now();
    desk.invoice_report(inv.id, &dir.path().join("b.pdf"))
        .expect("pdf");
    let pdf = t.elapsed();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!(
        "1000-line invoice, 100 children: entry {:.1} ms, check {:.1} ms, check+outcome {:.1} ms, XLSX {:.1} ms, PDF {:.1} ms; accepted {} of {} cents",
        ms(entered),
        ms(check),
        ms(decide),
        ms(xlsx),
        ms(pdf),
        checked.accepted_cents,
        checked.total_cents
    );
}

#[test]
fn a_whole_invoice_is_rejected_only_with_a_note_and_a_change_needs_a_new_check() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let (_, provider) = setup(&mut desk);
    let input = invoice(provider, "F-1", vec![line("02.11.2026", "2010", "1")]);
    let inv = desk.save_invoice(None, &input).expect("entered");
    assert_eq!(
        desk.decide_invoice(inv.id, false, "")
            .expect_err("not checked")
            .code(),
        "invoice.not_checked"
    );
    desk.check_invoice(inv.id).expect("checked");
    // A change after the check makes it a draft again, with the verdicts cleared.
    let mut changed = input.clone();
    changed.lines[0].quantity = "2".into();
    let again = desk.save_invoice(Some(inv.id), &changed).expect("changed");
    assert_eq!(again.status, "draft");
    assert_eq!(again.lines[0].verdict, "");
    assert_eq!(again.total_cents, 5880);
    desk.check_invoice(inv.id).expect("checked again");
    let err = desk.decide_invoice(inv.id, true, " ").expect_err("no note");
    let srt_core::Error::Validation(fields) = &err else {
        panic!("expected a validation error, got {err:?}");
    };
    assert_eq!(fields[0].field, "note");
    let rejected = desk
        .decide_invoice(inv.id, true, "Teenuseosutaja esitab arve uuesti")
        .expect("rejected");
    assert_eq!(
        (rejected.status.as_str(), rejected.accepted_cents),
        ("rejected", 0)
    );
    assert_eq!(rejected.rejected_cents, 5880);
    assert_eq!(
        rejected.lines[0].override_note,
        "Teenuseosutaja esitab arve uuesti"
    );
}

#[test]
fn confirmations_and_prices_say_what_is_wrong() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let (case_id, _) = setup(&mut desk);
    let err = desk
        .add_confirmation(
            case_id,
            &ConfirmationInput {
                period_from: "31.12.2026".into(),
                period_to: "01.12.2026".into(),
                confirmed_on: "01.01.2030".into(),
                channel: "pigeon".into(),
                ..Default::default()
            },
        )
        .expect_err("invalid");
    let srt_core::Error::Validation(fields) = &err else {
        panic!("expected a validation error, got {err:?}");
    };
    let named: Vec<(&str, &str)> = fields
        .iter()
        .map(|f| (f.field.as_str(), f.code.as_str()))
        .collect();
    assert_eq!(
        named,
        [
            ("periodTo", "date.order"),
            ("confirmedOn", "date.future"),
            ("channel", "invalid_choice")
        ]
    );
    assert_eq!(
        desk.confirmations(case_id).expect("list").len(),
        1,
        "nothing was saved"
    );

    // A new activity needs its names and unit; a known one takes them from its last version.
    let err = desk
        .save_price(&srt_core::prices::PriceInput {
            code: "5001".into(),
            mode: "individual".into(),
            price: "12,50".into(),
            valid_from: "01.01.2027".into(),
            ..Default::default()
        })
        .expect_err("no names");
    assert_eq!(err.code(), "validation");
    let list = desk
        .save_price(&srt_core::prices::PriceInput {
            code: "5001".into(),
            mode: "individual".into(),
            price: "12,50".into(),
            valid_from: "01.01.2027".into(),
            name_et: "Näidistegevus".into(),
            name_en: "Sample activity".into(),
            unit: "hour".into(),
        })
        .expect("new activity");
    let added = list.iter().find(|p| p.code == "5001").expect("listed");
    assert_eq!((added.price_cents, added.unit.as_str()), (1250, "hour"));
}

/// A decade of invoices comes a page at a time, the newest first: the pages hold every invoice
/// once in that order, each reports the same total, a status filter's total is its count, and a
/// page past the end is empty with the total still right.
#[test]
fn the_invoice_list_pages_through_every_invoice() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    desk.load_demo_with_history(300, 5).expect("demo");
    let all: Vec<(String, i64)> = desk
        .store()
        .connection()
        .prepare("SELECT invoice_date, id FROM invoice ORDER BY invoice_date DESC, id DESC")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    assert!(all.len() > 20, "the demo has invoices: {}", all.len());
    let page = |status: &str, offset: u32| {
        desk.invoice_list(&InvoiceFilter {
            status: status.into(),
            offset: Some(offset),
            limit: Some(9),
            ..Default::default()
        })
        .expect("page")
    };
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let list = page("", offset);
        assert_eq!(list.total, all.len() as i64);
        if list.items.is_empty() {
            break;
        }
        assert!(list.items.len() <= 9);
        seen.extend(list.items.iter().map(|i| i.id));
        offset += 9;
    }
    assert_eq!(seen, all.iter().map(|(_, id)| *id).collect::<Vec<_>>());
    let counts = page("", 0).counts;
    for (status, n) in &counts {
        assert_eq!(page(status, 0).total, *n, "{status}");
    }
    assert!(page("", 100_000).items.is_empty());
    // Without a page asked for: the newest 50.
    let first = desk
        .invoice_list(&InvoiceFilter::default())
        .expect("default");
    assert_eq!(first.items.len(), all.len().min(50));
}

/// The cap of 350 € and two invoices for the same child, each checked while the other was
/// undecided: each alone fits. One is decided; the other's outcome, confirmed as "accepted",
/// is no longer true and is refused with the new figures, and nothing is written.
#[test]
fn an_outcome_is_refused_when_the_check_changed_since_the_coordinator_saw_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let (case_id, provider) = setup(&mut desk);
    cap_of_350(&desk);
    let first = desk
        .save_invoice(
            None,
            &invoice(provider, "G-1", vec![line("02.11.2026", "2010", "10")]),
        )
        .expect("first");
    let second = desk
        .save_invoice(
            None,
            &invoice(provider, "G-2", vec![line("03.11.2026", "2013", "2")]),
        )
        .expect("second");
    let first = desk.check_invoice(first.id).expect("checked");
    desk.check_invoice(second.id).expect("checked");
    assert_eq!(
        (first.proposed_status.as_deref(), first.accepted_cents),
        (Some("accepted"), 29_400),
        "what the coordinator sees on the first invoice"
    );
    // Meanwhile the second is decided: 59.60 € of the cap is gone, 290.40 € is left.
    desk.decide_invoice(second.id, false, "")
        .expect("second decided");

    let audit_before: i64 = desk
        .store()
        .connection()
        .query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0))
        .expect("audit");
    let err = desk
        .decide_invoice(first.id, false, "")
        .expect_err("the outcome seen is no longer true");
    let srt_core::Error::Validation(fields) = &err else {
        panic!("expected a field error, got {err:?}");
    };
    assert_eq!(fields[0].code, "invoice.check_changed");
    let m = &fields[0].message;
    assert!(
        m.et.contains("osaliselt aktsepteeritud")
            && m.et.contains("290,40")
            && m.et.contains("294,00"),
        "the new figures are named: {}",
        m.et
    );
    assert!(
        m.en.contains("290,40\u{a0}€") && m.en.contains("changed"),
        "{}",
        m.en
    );
    let after = desk.invoice(first.id).expect("read");
    assert_eq!(after.status, "checked", "nothing was decided");
    assert!(!after.decided, "not frozen");
    assert_eq!(
        (after.accepted_cents, after.lines[0].verdict.as_str()),
        (29_400, "ok"),
        "the stored check is untouched"
    );
    let audit_after: i64 = desk
        .store()
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'invoice.decide'",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert!(audit_before > 0);
    assert_eq!(
        audit_after, 1,
        "only the second invoice's outcome is logged"
    );

    // Checked again, the coordinator sees the new outcome and confirms it.
    let seen = desk.check_invoice(first.id).expect("checked again");
    assert_eq!(
        (seen.proposed_status.as_deref(), seen.accepted_cents),
        (Some("partly_accepted"), 29_040)
    );
    let decided = desk.decide_invoice(first.id, false, "").expect("decided");
    assert_eq!(
        (decided.status.as_str(), decided.accepted_cents),
        ("partly_accepted", 29_040)
    );
    let _ = case_id;

    // Rejecting the whole invoice needs no agreement with the stored check.
    let third = desk
        .save_invoice(
            None,
            &invoice(provider, "G-3", vec![line("04.11.2026", "2013", "1")]),
        )
        .expect("third");
    desk.check_invoice(third.id).expect("checked");
    desk.store()
        .connection()
        .execute(
            "UPDATE invoice_line SET accepted_cents = 1 WHERE invoice_id = ?1",
            [third.id],
        )
        .expect("a stale stored check");
    assert_eq!(
        desk.decide_invoice(third.id, true, "Esitatakse uuesti")
            .expect("rejected")
            .status,
        "rejected"
    );
}

/// A confirmation with a mistyped period can be removed (and the removal is in the audit
/// trail); one that a decided invoice's accepted lines relied on cannot, with the invoice named.
#[test]
fn a_mistyped_confirmation_is_removed_unless_a_decided_invoice_relies_on_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let (case_id, provider) = setup(&mut desk);
    // Mistyped: 2027 for 2026, any provider.
    let list = desk
        .add_confirmation(
            case_id,
            &ConfirmationInput {
                provider_id: None,
                period_from: "01.01.2027".into(),
                period_to: "31.12.2027".into(),
                confirmed_on: "20.11.2026".into(),
                channel: "phone".into(),
                notes: String::new(),
            },
        )
        .expect("mistyped");
    assert_eq!(list.len(), 2);
    let mistyped = list
        .iter()
        .find(|c| c.period_from.to_string() == "2027-01-01")
        .expect("listed")
        .id;
    let kept = list.iter().find(|c| c.id != mistyped).expect("kept").id;
    let left = desk
        .remove_confirmation(case_id, mistyped)
        .expect("nothing relies on it");
    assert_eq!(
        left.iter().map(|c| c.id).collect::<Vec<_>>(),
        [kept],
        "only the mistyped one is gone"
    );
    let logged: String = desk
        .store()
        .connection()
        .query_row(
            "SELECT entity || ' ' || entity_id || ' ' || detail FROM audit_log
             WHERE action = 'confirmation.remove'",
            [],
            |r| r.get(0),
        )
        .expect("audited");
    assert_eq!(
        logged,
        format!("case {case_id} confirmation {mistyped} 2027-01-01..2027-12-31")
    );
    // A 2027 line now fails the confirmation rule again.
    let inv = desk
        .save_invoice(
            None,
            &invoice(provider, "H-1", vec![line("12.01.2027", "2010", "1")]),
        )
        .expect("entered");
    let inv = desk.check_invoice(inv.id).expect("checked");
    assert_eq!(codes(&inv, 0), ["confirmation.missing"]);

    // The 2026 confirmation paid a decided invoice: it stays.
    let paid = desk
        .save_invoice(
            None,
            &invoice(provider, "H-2", vec![line("02.11.2026", "2010", "1")]),
        )
        .expect("entered");
    desk.check_invoice(paid.id).expect("checked");
    desk.decide_invoice(paid.id, false, "").expect("accepted");
    let err = desk
        .remove_confirmation(case_id, kept)
        .expect_err("a decided invoice relies on it");
    let srt_core::Error::Validation(fields) = &err else {
        panic!("expected a field error, got {err:?}");
    };
    assert_eq!(fields[0].code, "confirmation.in_use");
    assert!(
        fields[0].message.et.contains("H-2") && fields[0].message.et.contains("02.11.2026"),
        "{}",
        fields[0].message.et
    );
    assert_eq!(desk.confirmations(case_id).expect("list").len(), 1);
    // Once another confirmation covers the same services, the first may go.
    desk.add_confirmation(
        case_id,
        &ConfirmationInput {
            provider_id: Some(provider),
            period_from: "01.11.2026".into(),
            period_to: "30.11.2026".into(),
            confirmed_on: "20.11.2026".into(),
            channel: "email".into(),
            notes: String::new(),
        },
    )
    .expect("the right period");
    let left = desk
        .remove_confirmation(case_id, kept)
        .expect("covered by the new one");
    assert_eq!(left.len(), 1);
    assert_eq!(
        desk.remove_confirmation(case_id, kept)
            .expect_err("gone")
            .code(),
        "validation"
    );
}

/// A provider's file with the Estonian header `vorm` and Estonian forms imports; a wrong form
/// is named in the file's own column, with the accepted values in both languages.
#[test]
fn the_form_column_takes_estonian_values_and_names_the_column_as_the_file_does() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let (_, provider) = setup(&mut desk);
    let good = dir.path().join("vorm.csv");
    std::fs::write(
        &good,
        format!(
            "kuupäev;isikukood;otsus;tegevus;tunnid;vorm\n\
             02.11.2026;{CHILD_CODE};K000001;2010;1;individuaalne\n\
             03.11.2026;{CHILD_CODE};K000001;2010;2;Rühm\n\
             04.11.2026;{CHILD_CODE};K000001;2010;1;grupp\n\
             05.11.2026;{CHILD_CODE};K000001;2010;1;INDIVIDUAL\n\
             06.11.2026;{CHILD_CODE};K000001;2010;1;group\n"
        ),
    )
    .expect("write");
    let preview = desk.invoice_import_preview(&good).expect("preview");
    assert_eq!(preview.invalid, 0, "{:?}", preview.rows[0].errors);
    let inv = desk
        .invoice_import(
            &good,
            &ImportHeader {
                provider_id: Some(provider),
                number: "V-1".into(),
                invoice_date: "25.11.2026".into(),
                ..Default::default()
            },
        )
        .expect("imported");
    let modes: Vec<&str> = inv.lines.iter().map(|l| l.mode.as_str()).collect();
    assert_eq!(
        modes,
        ["individual", "group", "group", "individual", "group"]
    );

    let bad = dir.path().join("vorm-bad.csv");
    std::fs::write(
        &bad,
        format!("kuupäev;isikukood;tegevus;tunnid;vorm\n02.11.2026;{CHILD_CODE};2010;1;paar\n"),
    )
    .expect("write");
    let preview = desk.invoice_import_preview(&bad).expect("preview");
    let e = &preview.rows[0].errors[0];
    assert_eq!(e.field, "vorm", "the column as the file names it");
    assert!(
        e.message.et.contains("„individuaalne” või „rühm”") && !e.message.et.contains("grupp"),
        "{}",
        e.message.et
    );
    assert!(
        e.message.en.contains("“individual” or “group”"),
        "{}",
        e.message.en
    );
}

/// A file that is not there, or is not text, is said plainly in the user's language.
#[test]
fn a_missing_or_binary_import_file_is_named_plainly() {
    let dir = tempfile::tempdir().expect("tmp");
    let (desk, _) = new_desk(dir.path());
    let missing = dir.path().join("x.csv");
    let err = desk.invoice_import_preview(&missing).expect_err("missing");
    let m = err.payload().message;
    assert!(
        m.et.contains(&missing.display().to_string()) && m.et.starts_with("Faili "),
        "{}",
        m.et
    );
    assert!(
        !m.et.contains("os error") && !m.et.contains("No such file"),
        "no English system text in Estonian: {}",
        m.et
    );
    assert!(m.en.contains("There is no file"), "{}", m.en);
    let binary = dir.path().join("arve.xlsx");
    std::fs::write(&binary, b"PK\x03\x04\x00\x00binary").expect("write");
    let m = desk
        .invoice_import_preview(&binary)
        .expect_err("not text")
        .payload()
        .message;
    assert!(m.et.contains("ei ole tekstifail"), "{}", m.et);
    assert!(m.en.contains("not a text file"), "{}", m.en);
}

/// The yearly cap in force set to 350 € (below the test annex's 400 €).
fn cap_of_350(desk: &srt_core::Desk) {
    desk.store()
        .connection()
        .execute(
            "UPDATE yearly_cap SET amount_cents = 35000 WHERE valid_to IS NULL",
            [],
        )
        .expect("cap");
}
