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

/// What a receipt collects: a fee for a service (phí) or a charge for a State management act
/// (lệ phí), Law on Fees and Charges 2015; the receipt names one.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    /// Phí.
    Fee,
    /// Lệ phí.
    Charge,
}

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
    pub fee_kind: Option<FeeKind>,
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
    /// Phí or lệ phí; `None` for receipts issued before the kind was recorded.
    #[serde(default)]
    pub fee_kind: Option<FeeKind>,
}

/// Checks a tax code (mã số thuế): 10 digits, or 10 digits, a hyphen and 3 digits for a
/// dependent unit. The code as stored: trimmed.
pub fn parse_tax_code(text: &str) -> Result<String, String> {
    let t = text.trim();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match t.split_once('-') {
        None => digits(t, 10),
        Some((main, branch)) => digits(main, 10) && digits(branch, 3),
    };
    if ok {
        Ok(t.to_owned())
    } else {
        Err(format!(
            "mã số thuế «{t}» không hợp lệ: nhập 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số (đơn vị phụ thuộc)"
        ))
    }
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
            fee_kind: None,
        };
        assert_eq!(r.number_text(), "0000042");
        assert_eq!(format!("{:07}", MAX_RECEIPT_NUMBER).len(), 7);
    }

    #[test]
    fn tax_codes_have_ten_digits_and_maybe_a_branch() {
        assert_eq!(parse_tax_code(" 3200123456 ").unwrap(), "3200123456");
        assert_eq!(parse_tax_code("3200123456-001").unwrap(), "3200123456-001");
        for bad in [
            "",
            "320012345",
            "32001234567",
            "3200123456-01",
            "32001234a6",
        ] {
            assert!(parse_tax_code(bad).is_err(), "{bad}");
        }
    }
}
