//! What the desk records of a dossier beyond the interchange fields: the applicant, the
//! request, the component checklist (thành phần hồ sơ) with the scan of each component, and
//! the scan of the result document.
//!
//! A component is *digitized* (số hóa) when its scan is stored; the dossier's
//! `components_digitized` is the count of such components. Scans are stored by their SHA-256
//! (content-addressed); only the file types of [`ScanType`] are accepted, recognised by their
//! first bytes and not by the name or type the browser claims.

use serde::{Deserialize, Serialize};

use crate::freetext::check_line;

/// The longest text accepted in a field of the applicant, the request or a component name
/// (characters; the API's schemas say the same, `max_length = 300`). Checked when the JSON
/// is parsed and, for the pages' forms, by [`Details::check`].
pub const MAX_TEXT_CHARS: usize = 300;
/// The most components a dossier may list.
pub const MAX_COMPONENTS: usize = 50;

/// The person or organisation that submits the dossier.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Applicant {
    /// Họ tên / tên tổ chức.
    #[serde(deserialize_with = "crate::freetext::line::<_, 300>")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 300, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")
    )]
    pub name: String,
    /// Số định danh cá nhân / mã số doanh nghiệp.
    #[serde(deserialize_with = "crate::freetext::line::<_, 300>")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 300, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")
    )]
    pub id_number: String,
    #[serde(deserialize_with = "crate::freetext::line::<_, 300>")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 300, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")
    )]
    pub address: String,
    #[serde(deserialize_with = "crate::freetext::line::<_, 300>")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 300, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")
    )]
    pub phone: String,
    #[serde(deserialize_with = "crate::freetext::line::<_, 300>")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 300, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")
    )]
    pub email: String,
}

/// A stored file: its SHA-256 in lowercase hex, its size, its type and the name it came with.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scan {
    pub sha256: String,
    pub size: u64,
    pub media_type: String,
    pub file_name: String,
}

/// One line of the component checklist.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// Tên giấy tờ.
    #[serde(deserialize_with = "crate::freetext::line::<_, 300>")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 300, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")
    )]
    pub name: String,
    /// Số bản chính.
    #[serde(default)]
    pub originals: u32,
    /// Số bản sao.
    #[serde(default)]
    pub copies: u32,
    /// The scan, once stored: the component is digitized.
    #[serde(default)]
    pub scan: Option<Scan>,
}

/// The desk's record of a dossier.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Details {
    pub applicant: Applicant,
    /// Nội dung yêu cầu giải quyết (the procedure's name when left empty).
    #[serde(deserialize_with = "crate::freetext::line::<_, 300>")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 300, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")
    )]
    pub request: String,
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub components: Vec<Component>,
    /// The scan of the result document (kết quả giải quyết).
    pub result_scan: Option<Scan>,
    /// Who submitted the dossier for the applicant under an authorisation paper (người nộp
    /// thay theo giấy ủy quyền); none when the applicant submitted it themselves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub representative: Option<Applicant>,
}

/// Where a scan goes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "slot", content = "index")]
pub enum Slot {
    /// The component at this index (from 0) of the checklist.
    Component(usize),
    /// The result document.
    Result,
}

impl Details {
    /// Checks what was entered at reception; the first problem, in Vietnamese.
    pub fn check(&self) -> Result<(), String> {
        let a = &self.applicant;
        for (what, value) in [
            ("họ tên người nộp", &a.name),
            ("số định danh", &a.id_number),
            ("địa chỉ", &a.address),
            ("số điện thoại", &a.phone),
            ("thư điện tử", &a.email),
            ("nội dung yêu cầu", &self.request),
        ] {
            check_line(value, MAX_TEXT_CHARS).map_err(|e| format!("{what} {e}"))?;
        }
        if let Some(r) = &self.representative {
            for (what, value) in [
                ("họ tên người nộp thay", &r.name),
                ("số định danh người nộp thay", &r.id_number),
                ("số điện thoại người nộp thay", &r.phone),
            ] {
                check_line(value, MAX_TEXT_CHARS).map_err(|e| format!("{what} {e}"))?;
            }
        }
        if self.components.len() > MAX_COMPONENTS {
            return Err(format!(
                "hồ sơ có {} thành phần, nhiều hơn mức tối đa {MAX_COMPONENTS}",
                self.components.len()
            ));
        }
        for (i, c) in self.components.iter().enumerate() {
            let name = c.name.trim();
            if name.is_empty() {
                return Err(format!("thành phần thứ {} chưa có tên giấy tờ", i + 1));
            }
            check_line(&c.name, MAX_TEXT_CHARS)
                .map_err(|e| format!("tên giấy tờ của thành phần thứ {}: {e}", i + 1))?;
        }
        Ok(())
    }

    /// How many components are digitized.
    pub fn digitized(&self) -> u32 {
        self.components.iter().filter(|c| c.scan.is_some()).count() as u32
    }

    /// Refuses a component index outside the checklist.
    pub fn check_slot(&self, slot: Slot) -> Result<(), String> {
        match slot {
            Slot::Component(i) if i >= self.components.len() => Err(format!(
                "hồ sơ không có thành phần thứ {} (có {} thành phần)",
                i + 1,
                self.components.len()
            )),
            _ => Ok(()),
        }
    }

    /// Stores `scan` in `slot`; refuses a component index outside the checklist.
    pub fn attach(&mut self, slot: Slot, scan: Scan) -> Result<(), String> {
        self.check_slot(slot)?;
        match slot {
            Slot::Component(i) => {
                if let Some(c) = self.components.get_mut(i) {
                    c.scan = Some(scan);
                }
            }
            Slot::Result => self.result_scan = Some(scan),
        }
        Ok(())
    }
}

/// The file types a scan may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanType {
    Pdf,
    Jpeg,
    Png,
}

impl ScanType {
    /// The type of a file, from its first bytes; `None` for anything else.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(ScanType::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ScanType::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(ScanType::Png)
        } else {
            None
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            ScanType::Pdf => "application/pdf",
            ScanType::Jpeg => "image/jpeg",
            ScanType::Png => "image/png",
        }
    }

    /// The accepted types, for messages.
    pub const ACCEPTED: &'static str = "PDF, JPEG, PNG";
}

/// A file name safe to show and to send back in a header: the last path segment, without
/// control characters or quotes, at most 100 characters; `tep` when nothing is left.
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && *c != '"' && *c != ';')
        .take(100)
        .collect();
    let cleaned = cleaned.trim().to_owned();
    if cleaned.is_empty() {
        "tep".to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn scan() -> Scan {
        Scan {
            sha256: "ab".repeat(32),
            size: 10,
            media_type: "application/pdf".into(),
            file_name: "to-khai.pdf".into(),
        }
    }

    #[test]
    fn file_types_are_recognised_by_their_first_bytes() {
        assert_eq!(ScanType::sniff(b"%PDF-1.7\n"), Some(ScanType::Pdf));
        assert_eq!(
            ScanType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(ScanType::Jpeg)
        );
        assert_eq!(
            ScanType::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(ScanType::Png)
        );
        assert_eq!(ScanType::sniff(b"MZ\x90\x00"), None);
        assert_eq!(ScanType::sniff(b"<html>"), None);
        assert_eq!(ScanType::sniff(b""), None);
    }

    #[test]
    fn digitized_counts_components_with_a_scan() {
        let mut d = Details {
            components: vec![
                Component {
                    name: "Tờ khai".into(),
                    originals: 1,
                    copies: 0,
                    scan: None,
                },
                Component {
                    name: "Giấy chứng sinh".into(),
                    originals: 1,
                    copies: 0,
                    scan: None,
                },
            ],
            ..Details::default()
        };
        assert_eq!(d.digitized(), 0);
        d.attach(Slot::Component(1), scan()).unwrap();
        assert_eq!(d.digitized(), 1);
        d.attach(Slot::Result, scan()).unwrap();
        assert_eq!(d.digitized(), 1);
        let err = d.attach(Slot::Component(2), scan()).unwrap_err();
        assert!(err.contains("thứ 3"), "{err}");
    }

    #[test]
    fn reception_entries_are_checked() {
        let mut d = Details::default();
        assert!(d.check().is_ok());
        d.components.push(Component {
            name: "  ".into(),
            originals: 1,
            copies: 0,
            scan: None,
        });
        assert!(d.check().unwrap_err().contains("chưa có tên"));
        d.components[0].name = "Tờ khai".into();
        d.applicant.name = "x".repeat(MAX_TEXT_CHARS + 1);
        assert!(d.check().unwrap_err().contains("họ tên"));
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name("C:\\scan\\to khai.pdf"), "to khai.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b;c\n.pdf"), "abc.pdf");
        assert_eq!(clean_file_name("/"), "tep");
    }
}
