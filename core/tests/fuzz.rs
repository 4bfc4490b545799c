//! Property tests (proptest) of the parsers that take what people type or paste: the personal
//! code, the recovery code, dates and the search box. Whatever comes in, they return a value or an
//! error — never a panic — and valid input round-trips.

use proptest::prelude::*;
use srt_core::ids::{PersonalCode, Sex};
use srt_core::store::key::normalize_recovery_code;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn the_personal_code_parser_never_panics(input in any::<String>()) {
        let _ = PersonalCode::parse(&input);
    }

    #[test]
    fn eleven_digits_parse_or_fail_cleanly(digits in "[0-9]{11}") {
        if let Ok(code) = PersonalCode::parse(&digits) {
            prop_assert_eq!(code.as_str(), digits.as_str());
        }
    }

    #[test]
    fn composed_codes_parse_back_to_their_birth_date_and_sex(
        days in 0i64..(200 * 365),
        female in any::<bool>(),
        serial in 0u32..1000,
    ) {
        let birth = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).expect("date")
            + chrono::Duration::days(days);
        let sex = if female { Sex::Female } else { Sex::Male };
        let code = PersonalCode::compose(birth, sex, serial);
        let parsed = PersonalCode::parse(code.as_str()).expect("a composed code is valid");
        prop_assert_eq!(parsed.birth_date(), birth);
        prop_assert_eq!(parsed.sex(), sex);
    }

    #[test]
    fn the_recovery_code_normalizer_never_panics(input in any::<String>()) {
        if let Some(c) = normalize_recovery_code(&input) {
            prop_assert_eq!(c.len(), 20);
        }
    }

    #[test]
    fn search_text_never_breaks_the_query(input in any::<String>()) {
        if let Some(q) = srt_core::search::fts_query(&input) {
            prop_assert!(!q.is_empty());
        }
    }
}

/// The full-text query built from anything typed runs against a real index without an error.
#[test]
fn typed_search_text_runs_against_a_real_index() {
    let dir = tempfile::tempdir().expect("tmp");
    let desk = srt_core::Desk::create(
        &dir.path().join("f.db"),
        srt_core::NewKey::Passphrase {
            passphrase: "fuzzing passphrase".into(),
            params: srt_core::KdfParams::fast_for_tests(),
        },
        &srt_core::MemoryKeyStore::default(),
        "t",
    )
    .expect("create");
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(500));
    runner
        .run(&any::<String>(), |text| {
            desk.search(&text).expect("search answers");
            desk.list_cases(&srt_core::cases::CaseFilter {
                text: text.clone(),
                ..Default::default()
            })
            .expect("list answers");
            Ok(())
        })
        .expect("no failure");
}
