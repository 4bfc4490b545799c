//! Billing: the dated price list, each case's budget (granted by the referral's annex, used by
//! accepted invoices, committed by invoices not yet decided, left), the parents' confirmations
//! of services received, and providers' invoices with the check line by line and the
//! coordinator's outcome, frozen once given. Owns invoice, invoice_line and
//! service_confirmation. Money is integer cents and quantities are thousandths: no floating
//! point anywhere on the way from what was typed to what is paid.

pub mod invoice_io;

use crate::store::cached::CachedSql;
use std::collections::{BTreeMap, HashMap};

use crate::clock::ts;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::decisions::AnnexLine;
use crate::error::{Error, FieldError, Localized, Result};
use crate::prices::PriceBook;
use crate::values::{money_en, money_et, parse_money, parse_quantity, quantity_text};

fn fmt(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// Quantity (thousandths) × unit price, to the cent, half up.
pub fn line_amount(quantity_milli: i64, unit_price_cents: i64) -> i64 {
    (quantity_milli * unit_price_cents + 500).div_euclid(1000)
}

mod budget;
mod check;
mod confirmations;
mod grants;
mod invoice_entry;
mod invoice_reading;

pub use budget::*;
pub use check::*;
pub use confirmations::*;
pub use grants::*;
pub use invoice_entry::*;
pub use invoice_reading::*;

/// The tables of this part that hold rows of one case (a `case_id` column).
pub(crate) const CASE_TABLES: &[&str] = &["invoice_line", "service_confirmation"];

/// Retention: delete the case's rows this part owns — the invoice lines and the parents'
/// confirmations (an invoice keeps its other children's lines). Called by
/// `trust::privacy::delete_due` in its transaction, the parts above first.
pub(crate) fn delete_case_rows(
    conn: &rusqlite::Connection,
    case_id: i64,
) -> crate::error::Result<()> {
    crate::store::delete_case_rows(conn, CASE_TABLES, case_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_thousandths_and_amounts_round_half_up_to_the_cent() {
        assert_eq!(parse_quantity("1,5"), Some(1500));
        assert_eq!(parse_quantity("2"), Some(2000));
        assert_eq!(parse_quantity("0.25"), Some(250));
        assert_eq!(parse_quantity("1,125"), Some(1125));
        assert_eq!(parse_quantity("1,1255"), None, "no finer than a thousandth");
        assert_eq!(parse_quantity("-1"), None);
        assert_eq!(parse_quantity("kaks"), None);
        assert_eq!(parse_quantity(""), None);
        // 1.5 h of psychology at 29.40 € = 44.10 €, exactly.
        assert_eq!(line_amount(1500, 2940), 4410);
        // 0.333 h × 29.40 € = 9.7902 € → 9.79 €; 0.125 × 0.10 € = 0.0125 € → 0.01 €.
        assert_eq!(line_amount(333, 2940), 979);
        assert_eq!(line_amount(125, 10), 1);
        // 0.5 km at 0.01 € is half a cent: half up.
        assert_eq!(line_amount(500, 1), 1);
        // Big invoices stay exact: 9 999 h × 71.52 €.
        assert_eq!(line_amount(9_999_000, 7152), 71_512_848);
        assert_eq!(quantity_text(1500, true), "1,5");
        assert_eq!(quantity_text(1125, false), "1.125");
        assert_eq!(quantity_text(3000, true), "3");
    }

    #[test]
    fn money_reads_in_both_languages() {
        assert_eq!(money_en(123_456), "1\u{a0}234,56\u{a0}€");
        assert_eq!(money_en(5), "0,05\u{a0}€");
        assert_eq!(money_en(123_456), money_et(123_456), "one notation in both");
        assert_eq!(money_et(123_456), "1\u{a0}234,56\u{a0}€");
    }
}
