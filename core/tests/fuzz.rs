//! Property tests (proptest) of the parsers that take what people type or paste: the personal
//! code, the recovery code, the decision templates' placeholder engine, the provider CSV importer
//! and the search box. Whatever comes in, they return a value or an
//! error — never a panic — and valid input round-trips.

use proptest::prelude::*;
use srt_core::cases::ids::{PersonalCode, Sex};
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
    fn the_placeholder_engine_never_panics_and_never_leaves_a_known_name_unfilled(
        text in any::<String>(),
        value in any::<String>(),
    ) {
        let _ = srt_core::decisions::check_placeholders(&text);
        let mut values = std::collections::BTreeMap::new();
        values.insert("laps.nimi", value.clone());
        let (out, problems) = srt_core::decisions::fill(&text, &values);
        if problems.is_empty() && !value.contains("{{") {
            prop_assert!(!out.contains("{{laps.nimi}}"));
        }
    }

    #[test]
    fn placeholder_like_text_is_filled_or_reported(
        before in "[a-zõäöü ]{0,20}",
        name in "[a-z.{}]{0,12}",
        after in "[a-zõäöü ]{0,20}",
    ) {
        let text = format!("{before}{{{{{name}}}}}{after}");
        let mut values = std::collections::BTreeMap::new();
        values.insert("laps.nimi", "Mirtel".to_string());
        let (out, problems) = srt_core::decisions::fill(&text, &values);
        if problems.is_empty() {
            prop_assert!(!out.contains("{{"), "{out}");
        }
    }

    #[test]
    fn the_provider_csv_parser_never_panics(text in any::<String>()) {
        let _ = srt_core::providers::io::parse(&text);
    }

    #[test]
    fn csv_like_input_never_panics(
        rows in proptest::collection::vec("[a-zA-Z0-9õäöü@.+ ;,\"-]{0,60}", 0..8),
    ) {
        let text = format!("nimi;registrikood;e-post\n{}", rows.join("\n"));
        let _ = srt_core::providers::io::parse(&text);
        let _ = srt_core::files::decode(text.as_bytes());
    }

    #[test]
    fn search_text_never_breaks_the_query(input in any::<String>()) {
        if let Some(q) = srt_core::cases::search::fts_query(&input) {
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
