//! What the QR code of a form holds.

use super::Form;
use super::slips::Slip;
use crate::details::Applicant;

/// What the QR code holds (Circular 01/2023: the dossier code, the procedure code, the
/// applicant's identifier and the document's name): the tracking address with them as
/// parameters when there is one, else the same as lines of text.
pub(super) fn text(slip: &Slip<'_>, form: Form, a: &Applicant) -> String {
    let c = slip.circular();
    let d = slip.dossier;
    if let Some(url) = slip.tracking {
        let mut text = format!("{url}&tthc={}", query_value(d.procedure_code.as_str()));
        if !a.id_number.is_empty() {
            text.push_str(&format!("&dinh-danh={}", query_value(&a.id_number)));
        }
        text.push_str(&format!("&giay-to={}", query_value(form.title(c))));
        return text;
    }
    let mut lines = vec![
        format!("Mã hồ sơ: {}", d.code),
        format!("Mã TTHC: {}", d.procedure_code),
    ];
    if !a.id_number.is_empty() {
        lines.push(format!("Số định danh: {}", a.id_number));
    }
    lines.push(format!("Giấy tờ: {}", form.title(c)));
    if form == Form::Reception {
        lines.push(format!("Hẹn trả: {}", crate::display::local_time(d.due_at)));
    }
    lines.join("\n")
}

/// `text` as a URL query value: unreserved ASCII kept, every other byte of its UTF-8 as `%XX`.
fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_values_escape_all_but_unreserved_ascii() {
        assert_eq!(super::query_value("1.001193"), "1.001193");
        assert_eq!(super::query_value("Giấy tờ"), "Gi%E1%BA%A5y%20t%E1%BB%9D");
        assert_eq!(super::query_value("a&b=c"), "a%26b%3Dc");
    }
}
