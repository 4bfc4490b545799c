//! The Estonian personal identification code (isikukood): GYYMMDDSSSC.
//! G gives century and sex, YYMMDD the birth date, SSS a serial, C a check digit.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "male" => Some(Sex::Male),
            "female" => Some(Sex::Female),
            _ => None,
        }
    }
}

/// Why a personal code is not valid. Each has a code and a message the coordinator understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonalCodeError {
    Length,
    NotDigits,
    Century,
    Date,
    CheckDigit,
}

impl PersonalCodeError {
    pub fn code(self) -> &'static str {
        match self {
            Self::Length => "personal_code.length",
            Self::NotDigits => "personal_code.not_digits",
            Self::Century => "personal_code.century",
            Self::Date => "personal_code.date",
            Self::CheckDigit => "personal_code.check_digit",
        }
    }

    pub fn messages(self) -> (&'static str, &'static str) {
        match self {
            Self::Length => (
                "Isikukood peab olema 11 numbrit pikk.",
                "A personal code has 11 digits.",
            ),
            Self::NotDigits => (
                "Isikukood koosneb ainult numbritest.",
                "A personal code contains digits only.",
            ),
            Self::Century => (
                "Isikukoodi esimene number peab olema 1–6.",
                "The first digit of a personal code must be 1–6.",
            ),
            Self::Date => (
                "Isikukoodis olev sünnikuupäev ei ole päris kuupäev.",
                "The birth date in the personal code is not a real date.",
            ),
            Self::CheckDigit => (
                "Isikukoodi kontrollnumber ei klapi. Kontrolli, kas kood on õigesti sisestatud.",
                "The check digit of the personal code does not match. Check that the code was typed correctly.",
            ),
        }
    }

    pub fn to_field_error(self, field: &str) -> FieldError {
        let (et, en) = self.messages();
        FieldError::new(field, self.code(), et, en)
    }
}

/// A valid personal code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonalCode {
    digits: String,
    birth_date: NaiveDate,
    sex: Sex,
}

const WEIGHTS_1: [u32; 10] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1];
const WEIGHTS_2: [u32; 10] = [3, 4, 5, 6, 7, 8, 9, 1, 2, 3];

/// The check digit for the first ten digits of a code.
pub fn check_digit(first_ten: &[u32; 10]) -> u32 {
    let sum = |w: &[u32; 10]| first_ten.iter().zip(w).map(|(d, w)| d * w).sum::<u32>() % 11;
    match sum(&WEIGHTS_1) {
        10 => match sum(&WEIGHTS_2) {
            10 => 0,
            c => c,
        },
        c => c,
    }
}

impl PersonalCode {
    /// Parse and validate; surrounding whitespace is ignored.
    pub fn parse(input: &str) -> Result<Self, PersonalCodeError> {
        let s = input.trim();
        if !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(PersonalCodeError::NotDigits);
        }
        if s.len() != 11 {
            return Err(PersonalCodeError::Length);
        }
        let d: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
        let (century, sex) = match d[0] {
            1 => (1800, Sex::Male),
            2 => (1800, Sex::Female),
            3 => (1900, Sex::Male),
            4 => (1900, Sex::Female),
            5 => (2000, Sex::Male),
            6 => (2000, Sex::Female),
            _ => return Err(PersonalCodeError::Century),
        };
        let year = century + (d[1] * 10 + d[2]) as i32;
        let month = d[3] * 10 + d[4];
        let day = d[5] * 10 + d[6];
        let birth_date =
            NaiveDate::from_ymd_opt(year, month, day).ok_or(PersonalCodeError::Date)?;
        let mut first_ten = [0u32; 10];
        first_ten.copy_from_slice(&d[..10]);
        if check_digit(&first_ten) != d[10] {
            return Err(PersonalCodeError::CheckDigit);
        }
        Ok(Self {
            digits: s.to_string(),
            birth_date,
            sex,
        })
    }

    /// Build a valid code from its parts (demo data and tests). `serial` is 0..=999.
    pub fn compose(birth_date: NaiveDate, sex: Sex, serial: u32) -> Self {
        use chrono::Datelike;
        let year = birth_date.year();
        let g = match (year / 100, sex) {
            (18, Sex::Male) => 1,
            (18, Sex::Female) => 2,
            (19, Sex::Male) => 3,
            (19, Sex::Female) => 4,
            (_, Sex::Male) => 5,
            (_, Sex::Female) => 6,
        };
        let ten = format!(
            "{g}{:02}{:02}{:02}{:03}",
            year % 100,
            birth_date.month(),
            birth_date.day(),
            serial % 1000
        );
        let mut first_ten = [0u32; 10];
        for (slot, c) in first_ten.iter_mut().zip(ten.chars()) {
            *slot = c.to_digit(10).unwrap_or(0);
        }
        let c = check_digit(&first_ten);
        Self {
            digits: format!("{ten}{c}"),
            birth_date,
            sex,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.digits
    }
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }
    pub fn sex(&self) -> Sex {
        self.sex
    }
}

impl std::fmt::Display for PersonalCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.digits)
    }
}

/// The answer to "is this code valid?" for the form, as the user types.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonalCodeCheck {
    pub valid: bool,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub error: Option<crate::error::ErrorPayload>,
}

pub fn check_personal_code(code: &str) -> PersonalCodeCheck {
    match PersonalCode::parse(code) {
        Ok(pc) => PersonalCodeCheck {
            valid: true,
            birth_date: Some(pc.birth_date()),
            sex: Some(pc.sex()),
            error: None,
        },
        Err(e) => PersonalCodeCheck {
            valid: false,
            birth_date: None,
            sex: None,
            error: Some(
                crate::error::Error::Validation(vec![e.to_field_error("personalCode")]).payload(),
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date")
    }

    #[test]
    fn public_examples_are_valid_with_birth_date_and_sex() {
        let a = PersonalCode::parse("36805280109").expect("valid");
        assert_eq!(a.birth_date(), date(1968, 5, 28));
        assert_eq!(a.sex(), Sex::Male);
        let b = PersonalCode::parse("37605030299").expect("valid");
        assert_eq!(b.birth_date(), date(1976, 5, 3));
        let c = PersonalCode::parse("47302200234").expect("valid");
        assert_eq!(c.birth_date(), date(1973, 2, 20));
        assert_eq!(c.sex(), Sex::Female);
    }

    #[test]
    fn whitespace_around_is_ignored() {
        assert!(PersonalCode::parse(" 36805280109 ").is_ok());
    }

    #[test]
    fn wrong_check_digit_is_refused() {
        assert_eq!(
            PersonalCode::parse("39112120752"),
            Err(PersonalCodeError::CheckDigit)
        );
        assert_eq!(
            PersonalCode::parse("36805280108"),
            Err(PersonalCodeError::CheckDigit)
        );
    }

    #[test]
    fn shape_errors_are_told_apart() {
        assert_eq!(PersonalCode::parse(""), Err(PersonalCodeError::Length));
        assert_eq!(
            PersonalCode::parse("3680528010"),
            Err(PersonalCodeError::Length)
        );
        assert_eq!(
            PersonalCode::parse("368052801099"),
            Err(PersonalCodeError::Length)
        );
        assert_eq!(
            PersonalCode::parse("3680528O109"),
            Err(PersonalCodeError::NotDigits)
        );
        assert_eq!(
            PersonalCode::parse("-3680528010"),
            Err(PersonalCodeError::NotDigits)
        );
        assert_eq!(
            PersonalCode::parse("76805280109"),
            Err(PersonalCodeError::Century)
        );
        assert_eq!(
            PersonalCode::parse("06805280109"),
            Err(PersonalCodeError::Century)
        );
    }

    #[test]
    fn impossible_dates_are_refused_and_leap_days_accepted() {
        // 30 February never exists; 29 February only in leap years.
        let feb30 = PersonalCode::compose(date(2012, 2, 28), Sex::Female, 1)
            .as_str()
            .replacen("120228", "120230", 1);
        assert_eq!(PersonalCode::parse(&feb30), Err(PersonalCodeError::Date));
        let leap = PersonalCode::compose(date(2012, 2, 29), Sex::Female, 11);
        assert_eq!(
            PersonalCode::parse(leap.as_str()).map(|p| p.birth_date()),
            Ok(date(2012, 2, 29))
        );
        // 2100 is not a leap year in the Gregorian calendar, 2000 is.
        let mut not_leap: Vec<char> = PersonalCode::compose(date(2000, 2, 29), Sex::Male, 5)
            .as_str()
            .chars()
            .collect();
        assert!(PersonalCode::parse(&not_leap.iter().collect::<String>()).is_ok());
        not_leap[0] = '1'; // 1900-02-29 does not exist
        assert_eq!(
            PersonalCode::parse(&not_leap.iter().collect::<String>()),
            Err(PersonalCodeError::Date)
        );
        assert_eq!(
            PersonalCode::parse("51313010000").err(),
            Some(PersonalCodeError::Date)
        );
    }

    #[test]
    fn century_digit_gives_century_and_sex() {
        for (g, year, sex) in [
            (1, 1812, Sex::Male),
            (2, 1812, Sex::Female),
            (3, 1912, Sex::Male),
            (4, 1912, Sex::Female),
            (5, 2012, Sex::Male),
            (6, 2012, Sex::Female),
        ] {
            let pc = PersonalCode::compose(date(year, 7, 1), sex, 123);
            assert!(pc.as_str().starts_with(&g.to_string()));
            let parsed = PersonalCode::parse(pc.as_str()).expect("composed code parses");
            assert_eq!(parsed.birth_date(), date(year, 7, 1));
            assert_eq!(parsed.sex(), sex);
        }
    }

    #[test]
    fn second_weight_round_is_used_when_first_gives_ten() {
        // Find codes where the first round gives 10, and check both rounds are honoured.
        let mut seen_second_round = false;
        for serial in 0..1000 {
            let pc = PersonalCode::compose(date(2015, 3, 14), Sex::Male, serial);
            let d: Vec<u32> = pc.as_str().chars().filter_map(|c| c.to_digit(10)).collect();
            let s1: u32 = d[..10]
                .iter()
                .zip(WEIGHTS_1)
                .map(|(a, w)| a * w)
                .sum::<u32>()
                % 11;
            if s1 == 10 {
                seen_second_round = true;
                let s2: u32 = d[..10]
                    .iter()
                    .zip(WEIGHTS_2)
                    .map(|(a, w)| a * w)
                    .sum::<u32>()
                    % 11;
                assert_eq!(d[10], if s2 == 10 { 0 } else { s2 });
            }
            assert!(PersonalCode::parse(pc.as_str()).is_ok());
        }
        assert!(seen_second_round);
    }
}
