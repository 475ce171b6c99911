//! The reception form as typed: every field kept as text (so that a refusal gives it all
//! back), the component lines with the scans already accepted (by their SHA-256 in the
//! content-addressed scan store, carried in hidden fields), and the checks that turn it into
//! a [`Reception`] or into every problem at once, each beside its field.

use std::collections::BTreeMap;

use motcua_app::desk::Reception;
use motcua_core::details::{Applicant, Component, MAX_TEXT_CHARS};
use motcua_core::dossier::{Channel, SubmissionLevel};
use motcua_core::procedure::Procedure;

use crate::upload::UploadForm;

/// The most component lines a form carries.
pub const MAX_LINES: usize = 30;
/// The empty lines a fresh form offers when the procedure lists no components.
pub const BLANK_LINES: usize = 3;

/// A scan accepted earlier and stored: the clerk need not pick it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptScan {
    pub sha256: String,
    pub file_name: String,
}

/// A component line as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    pub name: String,
    pub originals: String,
    pub copies: String,
    pub scan: Option<KeptScan>,
}

/// The whole form as typed.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    /// The form's one-time token: one dossier per form, however often it is sent.
    pub token: String,
    pub procedure: String,
    pub unit: String,
    pub channel: String,
    pub online_level: String,
    pub fee: String,
    pub applicant_name: String,
    pub applicant_id: String,
    pub applicant_address: String,
    pub applicant_phone: String,
    pub applicant_email: String,
    pub request: String,
    pub lines: Vec<Line>,
}

/// The problems of a form: field name → message, in Vietnamese.
pub type Errors = BTreeMap<String, String>;

impl Typed {
    /// Reads the text fields of a sent form (the files are the caller's).
    pub fn read(form: &UploadForm) -> Self {
        let text = |name: &str| form.text(name).trim().to_owned();
        // The lines the form says it has, or as many as its fields show.
        let stated: usize = form.text("lines").trim().parse().unwrap_or(0);
        let seen = (0..MAX_LINES)
            .rev()
            .find(|i| {
                form.fields.contains_key(&format!("component_{i}"))
                    || form.file(&format!("scan_{i}")).is_some()
            })
            .map_or(0, |i| i + 1);
        let lines = (0..stated.max(seen).min(MAX_LINES))
            .map(|i| Line {
                name: text(&format!("component_{i}")),
                originals: text(&format!("originals_{i}")),
                copies: text(&format!("copies_{i}")),
                scan: kept_scan(
                    form.text(&format!("scan_hash_{i}")),
                    form.text(&format!("scan_name_{i}")),
                ),
            })
            .collect();
        Typed {
            token: text("token"),
            procedure: text("procedure"),
            unit: text("unit"),
            channel: text("channel"),
            online_level: text("online_level"),
            fee: text("fee_vnd"),
            applicant_name: text("applicant_name"),
            applicant_id: text("applicant_id"),
            applicant_address: text("applicant_address"),
            applicant_phone: text("applicant_phone"),
            applicant_email: text("applicant_email"),
            request: text("request"),
            lines,
        }
    }

    /// Whether no component line has a name.
    pub fn lines_blank(&self) -> bool {
        self.lines
            .iter()
            .all(|l| l.name.is_empty() && l.scan.is_none())
    }

    /// The component lines of `procedure`'s own list (its blank lines otherwise).
    pub fn fill_from(&mut self, procedure: &Procedure) {
        self.lines = procedure
            .component_list
            .iter()
            .map(|c| Line {
                name: c.name.clone(),
                originals: c.originals.to_string(),
                copies: c.copies.to_string(),
                scan: None,
            })
            .collect();
        if self.lines.is_empty() {
            self.lines = vec![Line::default(); BLANK_LINES];
        }
    }

    /// The reception this form asks for, or every problem found (`procedure` is the chosen
    /// procedure when the unit offers it).
    pub fn check(&self, procedure: Option<&Procedure>) -> Result<Reception, Errors> {
        let mut errors = Errors::new();
        let mut fail = |field: &str, message: &str| {
            errors.entry(field.to_owned()).or_insert(message.to_owned());
        };
        if self.procedure.is_empty() {
            fail("procedure", "Chọn thủ tục hành chính của hồ sơ.");
        } else if procedure.is_none() {
            fail(
                "procedure",
                "Đơn vị tiếp nhận đã chọn không giải quyết thủ tục này; chọn lại thủ tục hoặc đơn vị.",
            );
        }
        let channel = match self.channel.as_str() {
            "direct" => Some(Channel::Direct),
            "postal" => Some(Channel::Postal),
            "online" => Some(Channel::Online),
            _ => {
                fail("channel", "Chọn kênh tiếp nhận.");
                None
            }
        };
        let online_level = match (channel, self.online_level.as_str()) {
            (Some(Channel::Online), "full") => Some(SubmissionLevel::Full),
            (Some(Channel::Online), "partial") => Some(SubmissionLevel::Partial),
            (Some(Channel::Online), _) => {
                fail(
                    "online_level",
                    "Chọn mức độ của hồ sơ trực tuyến (toàn trình hoặc một phần).",
                );
                None
            }
            _ => None,
        };
        let fee = match parse_vnd(&self.fee) {
            Ok(v) => v,
            Err(m) => {
                fail("fee_vnd", &m);
                0
            }
        };
        if self.applicant_name.is_empty() {
            fail(
                "applicant_name",
                "Nhập họ tên người nộp hồ sơ hoặc tên tổ chức.",
            );
        }
        if !self.applicant_phone.is_empty() && !phone_ok(&self.applicant_phone) {
            fail(
                "applicant_phone",
                "Số điện thoại gồm 10 chữ số, ví dụ 0912345678.",
            );
        }
        if !self.applicant_email.is_empty() && !email_ok(&self.applicant_email) {
            fail(
                "applicant_email",
                "Thư điện tử chưa đúng dạng: cần có tên, dấu @ và tên miền.",
            );
        }
        for (field, label, value) in [
            ("applicant_name", "Họ tên người nộp", &self.applicant_name),
            ("applicant_id", "Số định danh", &self.applicant_id),
            ("applicant_address", "Địa chỉ", &self.applicant_address),
            ("applicant_phone", "Số điện thoại", &self.applicant_phone),
            ("applicant_email", "Thư điện tử", &self.applicant_email),
            ("request", "Nội dung yêu cầu", &self.request),
        ] {
            if let Some(m) = too_long(label, value) {
                fail(field, &m);
            }
        }
        let mut components = Vec::new();
        for (i, line) in self.lines.iter().enumerate() {
            let field = format!("component_{i}");
            if line.name.is_empty() {
                if line.scan.is_some() {
                    fail(&field, "Dòng này có bản quét nhưng chưa có tên giấy tờ.");
                }
                continue;
            }
            if let Some(m) = too_long("Tên giấy tờ", &line.name) {
                fail(&field, &m);
            }
            let originals = parse_count(&line.originals)
                .map_err(|m| fail(&format!("originals_{i}"), &m))
                .unwrap_or(0);
            let copies = parse_count(&line.copies)
                .map_err(|m| fail(&format!("copies_{i}"), &m))
                .unwrap_or(0);
            components.push(Component {
                name: line.name.clone(),
                originals,
                copies,
                scan: None,
            });
        }
        if components.is_empty() {
            fail(
                "components",
                "Ghi ít nhất một thành phần hồ sơ (tên giấy tờ).",
            );
        }
        let (Some(channel), true) = (channel, errors.is_empty()) else {
            return Err(errors);
        };
        Ok(Reception {
            procedure: self.procedure.clone(),
            unit: self.unit.clone(),
            channel,
            online_level,
            components_total: components.len() as u32,
            components_digitized: 0,
            fee_vnd: fee,
            applicant: Applicant {
                name: self.applicant_name.clone(),
                id_number: self.applicant_id.clone(),
                address: self.applicant_address.clone(),
                phone: self.applicant_phone.clone(),
                email: self.applicant_email.clone(),
            },
            request: self.request.clone(),
            components,
        })
    }
}

/// `Họ tên người nộp dài 301 ký tự, quá mức tối đa 300 ký tự.`
fn too_long(label: &str, value: &str) -> Option<String> {
    let n = value.chars().count();
    (n > MAX_TEXT_CHARS)
        .then(|| format!("{label} dài {n} ký tự, quá mức tối đa {MAX_TEXT_CHARS} ký tự."))
}

fn kept_scan(sha256: &str, file_name: &str) -> Option<KeptScan> {
    let sha256 = sha256.trim();
    let hex = sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    hex.then(|| KeptScan {
        sha256: sha256.to_owned(),
        file_name: motcua_core::details::clean_file_name(file_name),
    })
}

/// An amount in đồng as clerks type it: `15000`, `15.000`, `15,000`, `15 000` (groups of
/// three digits), optionally followed by `đ`, `đồng` or `VNĐ`; empty is 0.
pub fn parse_vnd(text: &str) -> Result<i64, String> {
    let refuse = || {
        format!(
            "Phí, lệ phí là số đồng nguyên, ví dụ 15.000 hoặc 15000 (đã nhập «{}»).",
            text.trim()
        )
    };
    let mut t = text.trim().to_lowercase();
    for suffix in ["vnđ", "vnd", "đồng", "đ"] {
        if let Some(rest) = t.strip_suffix(suffix) {
            t = rest.trim_end().to_owned();
            break;
        }
    }
    if t.is_empty() {
        return Ok(0);
    }
    let groups: Vec<&str> = t.split(['.', ',', ' ', '\u{a0}', '\u{202f}']).collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let grouped = groups.len() == 1
        || (groups[0].len() <= 3
            && groups.iter().all(|g| digits(g))
            && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped || !groups.iter().all(|g| digits(g)) {
        return Err(refuse());
    }
    let joined: String = groups.concat();
    match joined.parse::<i64>() {
        Ok(v) if v <= 1_000_000_000_000 => Ok(v),
        _ => Err(refuse()),
    }
}

/// A number of originals or copies: empty is 0, at most 99.
fn parse_count(text: &str) -> Result<u32, String> {
    if text.is_empty() {
        return Ok(0);
    }
    match text.parse::<u32>() {
        Ok(n) if n <= 99 => Ok(n),
        _ => Err(format!("Số bản là số từ 0 đến 99 (đã nhập «{text}»).")),
    }
}

/// Ten digits (spaces and dots between them allowed), or +84 and nine digits.
fn phone_ok(text: &str) -> bool {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    let national = match digits.strip_prefix("+84") {
        Some(rest) => format!("0{rest}"),
        None => digits,
    };
    national.len() == 10
        && national.starts_with('0')
        && national.bytes().all(|b| b.is_ascii_digit())
}

fn email_ok(text: &str) -> bool {
    match text.split_once('@') {
        Some((name, domain)) => {
            !name.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.contains(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fees_are_read_as_clerks_type_them() {
        for (text, value) in [
            ("15000", 15_000),
            ("15.000", 15_000),
            ("15,000", 15_000),
            ("15 000", 15_000),
            ("15\u{a0}000", 15_000),
            ("1.500.000", 1_500_000),
            ("15.000 đồng", 15_000),
            ("15.000đ", 15_000),
            ("", 0),
            ("0", 0),
        ] {
            assert_eq!(parse_vnd(text), Ok(value), "{text}");
        }
        for text in ["15,5", "1.50", "abc", "-5", "15.000,00", "1.5000"] {
            let refused = parse_vnd(text);
            assert!(
                refused.as_ref().is_err_and(|m| m.contains("ví dụ 15.000")),
                "{text}: {refused:?}"
            );
        }
    }

    #[test]
    fn phones_and_addresses() {
        assert!(phone_ok("0912345678"));
        assert!(phone_ok("0912 345 678"));
        assert!(phone_ok("+84912345678"));
        assert!(!phone_ok("091234567"));
        assert!(email_ok("hoa@gmail.vn"));
        assert!(!email_ok("hoa.gmail.vn"));
    }
}
