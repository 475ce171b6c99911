//! Fees and e-receipts (biên lai điện tử): a receipt carries the form symbol (ký hiệu mẫu) and
//! series (ký hiệu) the unit registered, and a number of at most seven digits, sequential per
//! unit and year, restarting at 1 each 1 January, without gaps or duplicates.

use serde::{Deserialize, Serialize};

use crate::dossier::{DossierCode, PaymentChannel};
use crate::timestamp::Timestamp;
use crate::unit::UnitCode;

/// The longest form symbol or series of a receipt (characters).
pub const MAX_SYMBOL_CHARS: usize = 20;

/// The largest receipt number: seven digits.
pub const MAX_RECEIPT_NUMBER: i64 = 9_999_999;

/// A receipt to issue; the store gives it its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReceipt {
    pub unit: UnitCode,
    pub dossier: DossierCode,
    /// Ký hiệu mẫu biên lai, e.g. `01BLP0-001`.
    pub form_symbol: String,
    /// Ký hiệu biên lai, e.g. `VL-24E`.
    pub series: String,
    pub amount_vnd: i64,
    pub payment_channel: PaymentChannel,
    pub issued_at: Timestamp,
}

/// An issued receipt.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub unit: UnitCode,
    /// The calendar year (UTC+7) the number belongs to.
    pub year: i32,
    pub number: i64,
    pub form_symbol: String,
    pub series: String,
    pub dossier: DossierCode,
    pub amount_vnd: i64,
    pub payment_channel: PaymentChannel,
    pub issued_at: Timestamp,
    pub issued_by: String,
}

impl Receipt {
    /// The number as printed: seven digits, `0000042`.
    pub fn number_text(&self) -> String {
        format!("{:07}", self.number)
    }
}

impl NewReceipt {
    /// Checks what can be checked before numbering.
    pub fn check(&self) -> Result<(), String> {
        if self.amount_vnd <= 0 {
            return Err("số tiền trên biên lai phải lớn hơn 0".to_owned());
        }
        for (name, value) in [
            ("ký hiệu mẫu", &self.form_symbol),
            ("ký hiệu", &self.series),
        ] {
            let v = value.trim();
            if v.is_empty() || value.chars().count() > MAX_SYMBOL_CHARS {
                return Err(format!(
                    "{name} biên lai phải có từ 1 đến {MAX_SYMBOL_CHARS} ký tự"
                ));
            }
            crate::freetext::check_line(value, MAX_SYMBOL_CHARS)
                .map_err(|e| format!("{name} biên lai {e}"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_with_seven_digits() {
        let r = Receipt {
            unit: UnitCode::parse("vinh-khe").unwrap(),
            year: 2024,
            number: 42,
            form_symbol: "01BLP0-001".into(),
            series: "VK-24E".into(),
            dossier: DossierCode::parse("HO-XA-240401-0001").unwrap(),
            amount_vnd: 50_000,
            payment_channel: PaymentChannel::Offline,
            issued_at: Timestamp::from_micros(0),
            issued_by: "user:x".into(),
        };
        assert_eq!(r.number_text(), "0000042");
        assert_eq!(format!("{:07}", MAX_RECEIPT_NUMBER).len(), 7);
    }
}
