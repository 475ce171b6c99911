//! A printed form as data ([`Document`]): the header of Decree 30/2020 (issuing body, number,
//! place and date), the title, the body as [`Block`]s and the signatures. What a form says is
//! decided here, in the pure core; the web page and the renderers only lay it out.

use serde::Serialize;

/// One printed form or receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// Box 2 of Decree 30: the parent body (upright), if any, then the issuing body (bold).
    pub issuer_parent: Option<String>,
    pub issuer: String,
    /// Box 3: `Số: 12/PXL` (absent for forms that carry no number).
    pub number: Option<String>,
    /// Box 4: `Vĩnh Khê, ngày 05 tháng 6 năm 2024`.
    pub place_date: String,
    /// The text the QR code holds (Circular 01/2023, Art. 26), printed top-left.
    pub qr: Option<String>,
    /// The form's name, printed in capitals.
    pub title: String,
    /// `Mẫu số 01 – Thông tư số 01/2018/TT-VPCP`, or the receipt's kind.
    pub subtitle: String,
    pub blocks: Vec<Block>,
    /// Left, then right; an empty signature leaves its column blank.
    pub signatures: Vec<Signature>,
    /// Nơi nhận (box 9), printed left of the signature when not empty.
    pub recipients: Vec<String>,
}

/// A piece of a form's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Block {
    /// A paragraph of running text (justified, first line indented).
    Para(String),
    /// A line of its own: a numbered heading (`1. Thành phần hồ sơ nộp gồm:`).
    Line(String),
    /// The reason a form gives (what to supplement, why refused), as typed.
    Reason(String),
    /// `label: value`; an empty value is a dotted line to fill in by hand. `id` names the
    /// value on the page (empty: none).
    Field {
        label: String,
        value: String,
        id: &'static str,
    },
    /// `label: value` with the value in bold (the codes, the appointment, the amount).
    Strong {
        label: String,
        value: String,
        id: &'static str,
    },
    /// A bordered table: headings, then rows of cells.
    Table {
        id: &'static str,
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// A note in italics (what the data does not hold, how the record was kept).
    Note(String),
}

/// A signature block: the authority and title lines in bold capitals (`TM. ỦY BAN NHÂN DÂN`,
/// `CHỦ TỊCH`), the hint in italics, then room to sign and the signer's full name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Signature {
    pub lines: Vec<String>,
    pub hint: String,
    pub name: String,
}

impl Signature {
    /// A signature of one title, with `(Ký và ghi rõ họ tên)` and the signer's name if known.
    pub fn of(title: &str, name: &str) -> Self {
        Self {
            lines: vec![title.to_owned()],
            hint: "(Ký và ghi rõ họ tên)".to_owned(),
            name: name.to_owned(),
        }
    }
}

impl Block {
    pub fn field(label: &str, value: impl Into<String>) -> Self {
        Block::Field {
            label: label.to_owned(),
            value: value.into(),
            id: "",
        }
    }

    pub fn strong(label: &str, value: impl Into<String>) -> Self {
        Block::Strong {
            label: label.to_owned(),
            value: value.into(),
            id: "",
        }
    }

    /// The block with its value named `id` on the page (what tests and scripts find).
    pub fn with_id(mut self, name: &'static str) -> Self {
        if let Block::Field { id, .. } | Block::Strong { id, .. } = &mut self {
            *id = name;
        }
        self
    }

    pub fn para(text: impl Into<String>) -> Self {
        Block::Para(text.into())
    }
}
