//! What people type to be reached and known: a Vietnamese mobile number, an e-mail address,
//! an identification number, each normalised into the one form that is stored and compared
//! ([`Contact`], [`parse_phone`], [`parse_email`], [`parse_id_number`]). Refusals are
//! Vietnamese sentences that say how to fix the text.

use serde::{Deserialize, Serialize};

use crate::outbox::Channel;

/// The longest e-mail address (RFC 5321's path limit), in characters.
pub const MAX_EMAIL_CHARS: usize = 254;
/// The longest full name or organisation name, in characters.
pub const MAX_FULL_NAME_CHARS: usize = 200;
/// The longest identification number (số định danh cá nhân has 12 digits; older papers 9).
pub const MAX_ID_NUMBER_CHARS: usize = 12;

/// The second digit of a Vietnamese mobile number (03x, 05x, 07x, 08x, 09x).
const MOBILE_PREFIXES: [u8; 5] = [b'3', b'5', b'7', b'8', b'9'];

/// How an account is reached: a mobile number or an e-mail address, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Contact {
    /// `0912345678`.
    Phone(String),
    /// Lower case: `an.nguyen@example.vn`.
    Email(String),
}

impl Contact {
    /// Reads what a person typed in a "số điện thoại hoặc email" box: an address when it holds
    /// an `@`, a mobile number otherwise.
    pub fn parse(text: &str) -> Result<Contact, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("Nhập số điện thoại di động hoặc địa chỉ email".to_owned());
        }
        if t.contains('@') {
            parse_email(t).map(Contact::Email)
        } else {
            parse_phone(t).map(Contact::Phone)
        }
    }

    /// The normalised text (what is stored and what messages are sent to).
    pub fn as_str(&self) -> &str {
        match self {
            Contact::Phone(p) | Contact::Email(p) => p,
        }
    }

    /// How a message reaches it.
    pub fn channel(&self) -> Channel {
        match self {
            Contact::Phone(_) => Channel::Sms,
            Contact::Email(_) => Channel::Email,
        }
    }
}

impl std::fmt::Display for Contact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Vietnamese mobile number as stored: `0912 345 678`, `+84 912 345 678`, `84912345678`,
/// `091.234.5678` all read as `0912345678` (10 digits, a mobile prefix 03, 05, 07, 08 or 09).
pub fn parse_phone(text: &str) -> Result<String, String> {
    let t = text.trim();
    let refuse = || {
        Err("Nhập số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (ví dụ 0912 345 678)".to_owned())
    };
    let (plus, rest) = match t.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let mut digits = String::with_capacity(12);
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '.' | '-' | '(' | ')' => {}
            _ => return refuse(),
        }
    }
    let national = if plus {
        // Only Vietnam's country code is a Vietnamese number.
        match digits.strip_prefix("84") {
            Some(n) if !n.starts_with('0') => format!("0{n}"),
            _ => return refuse(),
        }
    } else if digits.len() == 11 && digits.starts_with("84") {
        format!("0{}", &digits[2..])
    } else {
        digits
    };
    let bytes = national.as_bytes();
    if bytes.len() == 10 && bytes[0] == b'0' && MOBILE_PREFIXES.contains(&bytes[1]) {
        Ok(national)
    } else {
        refuse()
    }
}

/// An e-mail address as stored: trimmed, lower case, one `@`, a local part and a domain with
/// a dot, no space, bounded by [`MAX_EMAIL_CHARS`].
pub fn parse_email(text: &str) -> Result<String, String> {
    let t = text.trim().to_lowercase();
    let refuse = || Err("Nhập địa chỉ email đúng dạng, ví dụ ten@example.vn".to_owned());
    if t.chars().count() > MAX_EMAIL_CHARS {
        return Err(format!(
            "Địa chỉ email dài quá {MAX_EMAIL_CHARS} ký tự; hãy kiểm tra lại"
        ));
    }
    if t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return refuse();
    }
    let Some((local, domain)) = t.split_once('@') else {
        return refuse();
    };
    let labels_ok = domain
        .split('.')
        .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
    if local.is_empty()
        || local.chars().count() > 64
        || domain.contains('@')
        || !domain.contains('.')
        || !labels_ok
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
    {
        return refuse();
    }
    Ok(t)
}

/// A personal identification number (số định danh cá nhân, 12 digits; the older identity
/// card's 9 are accepted), spaces removed.
pub fn parse_id_number(text: &str) -> Result<String, String> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if (digits.len() == 12 || digits.len() == 9) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err("Nhập số định danh cá nhân gồm 12 chữ số (in trên thẻ căn cước)".to_owned())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_read_as_ten_digits() {
        for typed in [
            "0912 345 678",
            "0912345678",
            "+84912345678",
            "+84 912 345 678",
            "84912345678",
            "091.234.5678",
            " (091) 234-5678 ",
        ] {
            assert_eq!(parse_phone(typed).as_deref(), Ok("0912345678"), "{typed}");
        }
        for ok in ["0312345678", "0512345678", "0712345678", "0812345678"] {
            assert_eq!(parse_phone(ok).as_deref(), Ok(ok));
        }
    }

    #[test]
    fn other_numbers_are_refused() {
        for bad in [
            "",
            "091234567",
            "09123456789",
            "0212345678",
            "0112345678",
            "1912345678",
            "+1 912 345 678",
            "+840912345678",
            "0912a45678",
            "０９１２３４５６７８",
            "849123456789",
        ] {
            let e = parse_phone(bad).unwrap_err();
            assert!(e.contains("10 chữ số"), "{bad}: {e}");
        }
    }

    #[test]
    fn emails_are_trimmed_and_lower_case() {
        assert_eq!(
            parse_email("  An.Nguyen@Example.VN ").as_deref(),
            Ok("an.nguyen@example.vn")
        );
        for bad in [
            "an",
            "an@",
            "@example.vn",
            "an@example",
            "an@@example.vn",
            "a@b@example.vn",
            "an nguyen@example.vn",
            "an@example..vn",
            "an@.example.vn",
            ".an@example.vn",
            "an..b@example.vn",
            "an@-example.vn",
        ] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
        let long = format!("{}@example.vn", "a".repeat(250));
        assert!(parse_email(&long).unwrap_err().contains("254"));
    }

    #[test]
    fn a_contact_is_a_phone_or_an_email() {
        assert_eq!(
            Contact::parse("+84 912 345 678"),
            Ok(Contact::Phone("0912345678".to_owned()))
        );
        assert_eq!(
            Contact::parse("AN@example.vn"),
            Ok(Contact::Email("an@example.vn".to_owned()))
        );
        assert_eq!(
            Contact::parse("an@example.vn").unwrap().channel(),
            Channel::Email
        );
        assert_eq!(
            Contact::parse("0912345678").unwrap().channel(),
            Channel::Sms
        );
        assert!(Contact::parse("  ").unwrap_err().contains("số điện thoại"));
    }

    #[test]
    fn id_numbers_have_twelve_digits() {
        assert_eq!(
            parse_id_number("0451 2300 1234").as_deref(),
            Ok("045123001234")
        );
        assert_eq!(parse_id_number("123456789").as_deref(), Ok("123456789"));
        for bad in ["12345", "04512300123a", "1234567890123"] {
            assert!(parse_id_number(bad).is_err(), "{bad}");
        }
    }
}
