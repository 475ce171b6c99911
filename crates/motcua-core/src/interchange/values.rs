//! The parsers of single cells shared by the three files.

use crate::timestamp::Timestamp;

pub(super) fn choice<T>(
    parse: fn(&str) -> Option<T>,
    spellings: &'static [&'static str],
) -> impl Fn(&str) -> Result<T, String> {
    move |text| {
        parse(text).ok_or_else(|| {
            format!(
                "giá trị «{text}» không hợp lệ; chỉ nhận: {}",
                spellings.join(", ")
            )
        })
    }
}

pub(super) fn timestamp(text: &str) -> Result<Timestamp, String> {
    Timestamp::parse(text).map_err(|e| format!("«{text}»: {e}"))
}

pub(super) fn count(text: &str) -> Result<u32, String> {
    text.parse::<u32>()
        .map_err(|_| format!("«{text}» không phải số nguyên không âm"))
}

pub(super) fn money(text: &str) -> Result<i64, String> {
    match text.parse::<i64>() {
        Ok(v) if v < 0 => Err(format!("phí, lệ phí không được âm ({text})")),
        Ok(v) => Ok(v),
        Err(_) => Err(format!(
            "«{text}» không phải số tiền (đồng, số nguyên, không dấu phân cách)"
        )),
    }
}

pub(super) fn boolean(text: &str) -> Result<bool, String> {
    match text {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!(
            "giá trị «{text}» không hợp lệ; chỉ nhận: true, false"
        )),
    }
}

/// An address on the web a page may link to: `https://` or `http://`, then no space.
pub(super) fn web_address(text: &str) -> Result<String, String> {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.contains(char::is_whitespace) => {
            Ok(text.to_owned())
        }
        _ => Err(format!(
            "«{text}» không phải địa chỉ web (bắt đầu bằng https:// hoặc http://, không có dấu cách)"
        )),
    }
}
