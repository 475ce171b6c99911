//! The unit's receiving account, as stored (an audited setting per unit) and as typed.

use serde::{Deserialize, Serialize};

/// Why a typed account was refused; each message says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("mã ngân hàng (BIN) «{0}» không hợp lệ: chọn ngân hàng hoặc nhập đúng 6 chữ số")]
    Bin(String),
    #[error("nhập số tài khoản")]
    NumberEmpty,
    #[error(
        "số tài khoản «{0}» không hợp lệ: chỉ gồm chữ số và chữ cái không dấu, tối đa 19 ký tự"
    )]
    Number(String),
    #[error("nhập tên chủ tài khoản")]
    HolderEmpty,
    #[error("tên chủ tài khoản dài {0} ký tự, tối đa 100 ký tự, không có ký tự điều khiển")]
    Holder(usize),
}

impl AccountError {
    /// The field the error belongs beside: `bin`, `number` or `holder`.
    pub fn field(&self) -> &'static str {
        match self {
            AccountError::Bin(_) => "bin",
            AccountError::NumberEmpty | AccountError::Number(_) => "number",
            AccountError::HolderEmpty | AccountError::Holder(_) => "holder",
        }
    }
}

/// The longest account number NAPAS carries in tag 38.01.01.
pub const MAX_NUMBER_CHARS: usize = 19;
const MAX_HOLDER_CHARS: usize = 100;

/// A bank account that receives transfers through NAPAS 247.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankAccount {
    /// The bank's BIN (acquirer ID), 6 digits: `970415` for VietinBank.
    pub bin: String,
    /// The account number (số tài khoản), at most 19 ASCII letters or digits.
    pub number: String,
    /// The account holder (chủ tài khoản) as the bank names it, e.g. "UBND XA HO XA".
    pub holder: String,
}

impl BankAccount {
    /// Checks a typed account: spaces and dots inside the number are dropped (people copy
    /// `1130 0012 3456`), the holder is trimmed. Every problem, each with its field.
    pub fn parse(bin: &str, number: &str, holder: &str) -> Result<Self, Vec<AccountError>> {
        let mut errors = Vec::new();
        let bin = bin.trim();
        if bin.len() != 6 || !bin.bytes().all(|b| b.is_ascii_digit()) {
            errors.push(AccountError::Bin(bin.chars().take(20).collect()));
        }
        let number: String = number
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.')
            .collect();
        if number.is_empty() {
            errors.push(AccountError::NumberEmpty);
        } else if number.chars().count() > MAX_NUMBER_CHARS
            || !number.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            errors.push(AccountError::Number(number.chars().take(30).collect()));
        }
        let holder = holder.trim();
        if holder.is_empty() {
            errors.push(AccountError::HolderEmpty);
        } else if crate::freetext::check_line(holder, MAX_HOLDER_CHARS).is_err() {
            errors.push(AccountError::Holder(holder.chars().count()));
        }
        if errors.is_empty() {
            Ok(BankAccount {
                bin: bin.to_owned(),
                number,
                holder: holder.to_owned(),
            })
        } else {
            Err(errors)
        }
    }

    /// The bank's name in Vietnamese, from the list of banks, or its BIN.
    pub fn bank_name(&self) -> String {
        match super::banks::find(&self.bin) {
            Some(b) => format!("{} ({})", b.name, b.short),
            None => format!("Ngân hàng có mã BIN {}", self.bin),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_account_is_cleaned_and_checked() {
        let a = BankAccount::parse(" 970415 ", "1130 0012.3456", " UBND XA HO XA ").unwrap();
        assert_eq!(a.bin, "970415");
        assert_eq!(a.number, "113000123456");
        assert_eq!(a.holder, "UBND XA HO XA");
        assert!(a.bank_name().contains("Công Thương"));
        let errors = BankAccount::parse("97041", "", "").unwrap_err();
        let fields: Vec<_> = errors.iter().map(AccountError::field).collect();
        assert_eq!(fields, ["bin", "number", "holder"]);
        let errors = BankAccount::parse("970415", "12345678901234567890", "A").unwrap_err();
        assert_eq!(
            errors,
            [AccountError::Number("12345678901234567890".into())]
        );
        assert!(BankAccount::parse("970415", "12-34", "A").is_err());
        assert!(BankAccount::parse("970415", "1234", "A\u{7}").is_err());
        assert!(BankAccount::parse("970415", "1234", &"A".repeat(101)).is_err());
    }
}
