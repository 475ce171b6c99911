//! What the pages' lists of dossiers share (the worklist, the dossiers behind a figure): the
//! filter form read from the URL (every error beside its field, in Vietnamese, what was typed
//! kept), the pager's links carrying the keyset cursor, and the CSV and XLSX exports.

use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use motcua_app::lists::ListQuery;
use motcua_core::Timestamp;
use motcua_core::lists::{Cursor, ListFilter, PageAt, SortDir, SortKey};
use motcua_core::procedure::{Procedure, ProcedureCode};
use serde::Deserialize;
use time::Date;

use crate::WebError;

/// The list's part of a page's query string (all text: it is checked here, field by field).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ListParams {
    pub procedure: String,
    pub field: String,
    /// Received from (dd/mm/yyyy).
    pub from: String,
    /// Received until, that day included (dd/mm/yyyy).
    pub to: String,
    pub sort: String,
    pub dir: String,
    pub after: String,
    pub before: String,
    /// `csv` or `xlsx` for an export of the whole list.
    pub format: String,
}

/// What the list's form asks for, once read.
pub struct ReadList {
    pub query: ListQuery,
    pub export: Option<Export>,
}

/// An export's file type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Csv,
    Xlsx,
}

/// The errors of a form, each beside its field.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors(pub Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    /// The message of `field`, empty when it has none.
    pub fn of(&self, field: &str) -> &str {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A choice of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The filter form of a list, as shown.
pub struct FilterForm {
    pub procedures: Vec<Choice>,
    pub fields: Vec<Choice>,
    pub from: String,
    pub to: String,
    pub sorts: Vec<Choice>,
    pub dirs: Vec<Choice>,
}

/// A day typed as `20/05/2024`, `20/5/2024` or `2024-05-20`.
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim();
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (day, month, year) = if a.len() == 4 { (c, b, a) } else { (a, b, c) };
    let month = time::Month::try_from(month.parse::<u8>().ok()?).ok()?;
    let year: i32 = year.parse().ok()?;
    if !(1900..=9999).contains(&year) {
        return None;
    }
    Date::from_calendar_date(year, month, day.parse().ok()?).ok()
}

/// The fields (lĩnh vực) of the catalogue, each once, in the catalogue's order.
fn fields_of(procedures: &[Procedure]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in procedures {
        if !out.contains(&p.field) {
            out.push(p.field.clone());
        }
    }
    out
}

impl ListParams {
    /// Reads the list's fields; `default_sort` when none is asked for.
    pub fn read(
        &self,
        procedures: &[Procedure],
        default_sort: SortKey,
        errors: &mut FieldErrors,
    ) -> ReadList {
        let mut filter = ListFilter::default();
        let procedure = self.procedure.trim();
        if !procedure.is_empty() {
            match ProcedureCode::parse(procedure)
                .filter(|c| procedures.iter().any(|p| &p.code == c))
            {
                Some(c) => filter.procedure = Some(c),
                None => errors.add("procedure", "Chọn một thủ tục trong danh sách."),
            }
        }
        let field = self.field.trim();
        if !field.is_empty() {
            if fields_of(procedures).iter().any(|f| f == field) {
                filter.field = Some(field.to_owned());
            } else {
                errors.add("field", "Chọn một lĩnh vực trong danh sách.");
            }
        }
        let day = |text: &str, name: &'static str, errors: &mut FieldErrors| {
            if text.trim().is_empty() {
                return None;
            }
            let d = parse_date(text);
            if d.is_none() {
                errors.add(
                    name,
                    "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 20/05/2024.",
                );
            }
            d
        };
        let from = day(&self.from, "from", errors);
        let to = day(&self.to, "to", errors);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.add("to", "Ngày kết thúc không được trước ngày bắt đầu.");
        }
        filter.received_from = from.map(Timestamp::local_midnight);
        filter.received_until = to.and_then(Date::next_day).map(Timestamp::local_midnight);
        let sort = if self.sort.trim().is_empty() {
            default_sort
        } else {
            SortKey::from_key(&self.sort).unwrap_or_else(|| {
                errors.add("sort", "Chọn cách sắp xếp trong danh sách.");
                default_sort
            })
        };
        let dir = if self.dir.trim().is_empty() {
            SortDir::Asc
        } else {
            SortDir::from_key(&self.dir).unwrap_or_else(|| {
                errors.add("dir", "Chọn thứ tự trong danh sách.");
                SortDir::Asc
            })
        };
        // A cursor that does not read (an old or edited link) starts from the first page.
        let at = match (Cursor::parse(&self.after), Cursor::parse(&self.before)) {
            (Some(c), _) => PageAt::After(c),
            (None, Some(c)) => PageAt::Before(c),
            (None, None) => PageAt::First,
        };
        let export = match self.format.trim() {
            "" => None,
            "csv" => Some(Export::Csv),
            "xlsx" => Some(Export::Xlsx),
            _ => {
                errors.add("format", "Chọn tệp CSV hoặc Excel (XLSX).");
                None
            }
        };
        ReadList {
            query: ListQuery {
                filter,
                sort,
                dir,
                at,
            },
            export,
        }
    }

    /// The form as shown again, with what was typed.
    pub fn form(&self, procedures: &[Procedure], sort: SortKey) -> FilterForm {
        let dir = SortDir::from_key(&self.dir).unwrap_or_default();
        FilterForm {
            procedures: procedures
                .iter()
                .map(|p| Choice {
                    value: p.code.to_string(),
                    label: p.name.clone(),
                    selected: p.code.as_str() == self.procedure.trim(),
                })
                .collect(),
            fields: fields_of(procedures)
                .into_iter()
                .map(|f| Choice {
                    selected: f == self.field.trim(),
                    label: f.clone(),
                    value: f,
                })
                .collect(),
            from: self.from.clone(),
            to: self.to.clone(),
            sorts: SortKey::ALL
                .into_iter()
                .map(|s| Choice {
                    value: s.key().to_owned(),
                    label: s.name_vi().to_owned(),
                    selected: s == sort,
                })
                .collect(),
            dirs: SortDir::ALL
                .into_iter()
                .map(|d| Choice {
                    value: d.key().to_owned(),
                    label: d.name_vi().to_owned(),
                    selected: d == dir,
                })
                .collect(),
        }
    }

    /// The list's filters as query pairs (no cursor, no format): what every link of the page
    /// carries on.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("procedure", &self.procedure),
            ("field", &self.field),
            ("from", &self.from),
            ("to", &self.to),
            ("sort", &self.sort),
            ("dir", &self.dir),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k, v.trim().to_owned()))
        .collect()
    }
}

/// `path?k=v&…`, the values percent-encoded.
pub fn link(path: &str, pairs: &[(&'static str, String)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The pager's links (empty when there is no such page).
pub struct Pager {
    pub first: String,
    pub prev: String,
    pub next: String,
    pub csv: String,
    pub xlsx: String,
}

impl Pager {
    /// The links of a page of `path` with `pairs` (its filters and scope).
    pub fn new(
        path: &str,
        pairs: &[(&'static str, String)],
        at: &PageAt,
        prev: Option<&Cursor>,
        next: Option<&Cursor>,
    ) -> Self {
        let with = |extra: Option<(&'static str, String)>| {
            let mut all = pairs.to_vec();
            all.extend(extra);
            link(path, &all)
        };
        Self {
            first: if *at == PageAt::First {
                String::new()
            } else {
                with(None)
            },
            prev: prev.map_or_else(String::new, |c| with(Some(("before", c.to_string())))),
            next: next.map_or_else(String::new, |c| with(Some(("after", c.to_string())))),
            csv: with(Some(("format", "csv".to_owned()))),
            xlsx: with(Some(("format", "xlsx".to_owned()))),
        }
    }
}

/// The whole list as a file: CSV (UTF-8 with a byte-order mark, so spreadsheets read the
/// diacritics) or XLSX, headed in Vietnamese.
pub fn export(
    format: Export,
    stem: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<Response, WebError> {
    let (bytes, content_type, ext) = match format {
        Export::Csv => {
            let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
            let csv_err = |e: csv::Error| WebError::Internal(e.to_string());
            out.write_record(headers).map_err(csv_err)?;
            for row in rows {
                out.write_record(row).map_err(csv_err)?;
            }
            let bytes = out
                .into_inner()
                .map_err(|e| WebError::Internal(e.to_string()))?;
            (bytes, "text/csv; charset=utf-8", "csv")
        }
        Export::Xlsx => (
            motcua_report::table_xlsx("Danh sách hồ sơ", headers, rows)
                .map_err(|e| WebError::Internal(e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{stem}.{ext}\""))
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let mut response = bytes.into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
        .headers_mut()
        .insert(CONTENT_DISPOSITION, disposition);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_the_vietnamese_way() {
        let d = |y, m, d| Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok();
        assert_eq!(parse_date("20/05/2024"), d(2024, 5, 20));
        assert_eq!(parse_date(" 1/6/2024 "), d(2024, 6, 1));
        assert_eq!(parse_date("2024-05-20"), d(2024, 5, 20));
        assert_eq!(parse_date("31/02/2024"), None);
        assert_eq!(parse_date("05/2024"), None);
        assert_eq!(parse_date("hôm qua"), None);
    }
}
