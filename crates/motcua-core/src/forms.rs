//! The one-stop desk's printed forms: which circular a dossier's forms follow ([`Circular`],
//! by its reception date), the one list of forms with both circulars' numbers and titles
//! ([`Form`]), the date lines of Decree 30/2020 ([`date_line`], [`form_time`]), the issuing
//! body and the signer of each kind of unit ([`issuer`], [`head_signature`]), and each form's
//! content as a [`Document`] (`slips`: Mẫu 01–06 from a dossier and its history; `receipt`:
//! the fee's e-receipt). Pure: the store's numbers, names and events come in as values.

pub mod control;
pub mod document;
mod qr;
pub mod receipt;
pub mod slips;

use time::Date;

use crate::timestamp::Timestamp;
use crate::unit::{Unit, UnitKind, UnitTree};
pub use document::{Block, Document, Signature};

/// The circular whose forms a dossier's papers follow: the one in force on the day the
/// dossier was received (docs/research/regulations.md §1 and §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Circular {
    /// Thông tư 01/2018/TT-VPCP (forms Mẫu 01–06).
    Tt01_2018,
    /// Thông tư 03/2025/TT-VPCP (forms Mẫu 01–07), for dossiers received from 15/9/2025.
    Tt03_2025,
}

/// 15/09/2025 00:00 at UTC+7: the day Circular 03/2025/TT-VPCP was signed, from which its
/// forms apply (regulations.md §1; documents.md §2.1 marks the date as partly verified).
pub const TT03_2025_FROM: Timestamp = Timestamp::from_micros(1_757_869_200_000_000);

impl Circular {
    /// The circular in force when a dossier was received.
    pub fn of_reception(received_at: Timestamp) -> Self {
        if received_at >= TT03_2025_FROM {
            Circular::Tt03_2025
        } else {
            Circular::Tt01_2018
        }
    }

    /// `Thông tư số 01/2018/TT-VPCP`.
    pub fn citation(self) -> &'static str {
        match self {
            Circular::Tt01_2018 => "Thông tư số 01/2018/TT-VPCP",
            Circular::Tt03_2025 => "Thông tư số 03/2025/TT-VPCP",
        }
    }
}

/// The forms of the desk, one list for both circulars: each says its number and title under
/// each circular, and `None` where a circular has no such form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// Giấy tiếp nhận hồ sơ và hẹn trả kết quả.
    Reception,
    /// Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.
    Supplement,
    /// Phiếu từ chối tiếp nhận giải quyết hồ sơ.
    Refusal,
    /// 2018: Phiếu xin lỗi và hẹn lại ngày trả kết quả; 2025: Văn bản xin lỗi và đề nghị gia
    /// hạn thời gian giải quyết.
    Apology,
    /// Thông báo dừng giải quyết hồ sơ (2025 only).
    Stop,
    /// Phiếu kiểm soát quá trình giải quyết hồ sơ.
    Control,
}

impl Form {
    pub const ALL: [Form; 6] = [
        Form::Reception,
        Form::Supplement,
        Form::Refusal,
        Form::Apology,
        Form::Stop,
        Form::Control,
    ];

    /// Its path segment under `/dossiers/{code}/slips/`.
    pub fn path(self) -> &'static str {
        match self {
            Form::Reception => "tiep-nhan",
            Form::Supplement => "bo-sung",
            Form::Refusal => "tu-choi",
            Form::Apology => "xin-loi",
            Form::Stop => "dung",
            Form::Control => "kiem-soat",
        }
    }

    pub fn of_path(path: &str) -> Option<Form> {
        Form::ALL.into_iter().find(|f| f.path() == path)
    }

    /// Its number in the circular's appendix (`01`…), `None` when the circular has no such form.
    pub fn number(self, c: Circular) -> Option<&'static str> {
        match (self, c) {
            (Form::Reception, _) => Some("01"),
            (Form::Supplement, _) => Some("02"),
            (Form::Refusal, _) => Some("03"),
            (Form::Apology, _) => Some("04"),
            (Form::Stop, Circular::Tt01_2018) => None,
            (Form::Stop, Circular::Tt03_2025) => Some("05"),
            (Form::Control, Circular::Tt01_2018) => Some("05"),
            (Form::Control, Circular::Tt03_2025) => Some("06"),
        }
    }

    /// Its title under the circular, in sentence case.
    pub fn title(self, c: Circular) -> &'static str {
        match (self, c) {
            (Form::Reception, _) => "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            (Form::Supplement, _) => "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            (Form::Refusal, _) => "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
            (Form::Apology, Circular::Tt01_2018) => "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
            // documents.md §2.2: two listings of Appendix I agree on "Văn bản …".
            (Form::Apology, Circular::Tt03_2025) => {
                "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
            }
            (Form::Stop, _) => "Thông báo dừng giải quyết hồ sơ",
            (Form::Control, _) => "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        }
    }

    /// The symbol after the number (`Số: 12/PXL`), for the forms that are numbered. Circular
    /// 03/2025 numbers PBS (bổ sung), PTC (từ chối), PXL (xin lỗi), PKS (kiểm soát), STD (sổ
    /// theo dõi), followed by the desk; the stop notice is a notice (TB, Decree 30 App. III).
    pub fn symbol(self, c: Circular) -> Option<&'static str> {
        match (self, c) {
            (Form::Reception, _) | (Form::Refusal | Form::Control, Circular::Tt01_2018) => None,
            (Form::Supplement, Circular::Tt01_2018) => Some("HDHS"),
            (Form::Apology, Circular::Tt01_2018) => Some("PXL"),
            (Form::Stop, Circular::Tt01_2018) => None,
            (Form::Supplement, Circular::Tt03_2025) => Some("PBS"),
            (Form::Refusal, Circular::Tt03_2025) => Some("PTC"),
            (Form::Apology, Circular::Tt03_2025) => Some("PXL"),
            (Form::Stop, Circular::Tt03_2025) => Some("TB"),
            (Form::Control, Circular::Tt03_2025) => Some("PKS"),
        }
    }

    /// The stored name of its number series (`slip_numbers.form`).
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Reception => "reception",
            Form::Supplement => "supplement",
            Form::Refusal => "refusal",
            Form::Apology => "apology",
            Form::Stop => "stop",
            Form::Control => "control",
        }
    }
}

/// The desk of a unit as Circular 03/2025 abbreviates it after a number: the public
/// administration service centre of a province or commune, the reception-and-return section
/// of any other unit.
fn desk_abbreviation(unit: &Unit) -> &'static str {
    match unit.kind {
        UnitKind::Province | UnitKind::Commune => "TTPVHCC",
        UnitKind::District | UnitKind::Department => "BPTNTKQ",
    }
}

/// The desk's name in capitals, under the unit on the desk's forms.
pub fn desk_name(unit: &Unit, c: Circular) -> &'static str {
    match (c, unit.kind) {
        (Circular::Tt03_2025, UnitKind::Province | UnitKind::Commune) => {
            "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
        }
        _ => "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
    }
}

/// `Số: 07/PXL` (2018) or `Số: 07/PXL-TTPVHCC` (2025); numbers below 10 with a leading 0
/// (Decree 30, box 3).
pub fn number_line(form: Form, c: Circular, unit: &Unit, number: i64) -> Option<String> {
    let symbol = form.symbol(c)?;
    Some(match c {
        Circular::Tt01_2018 => format!("Số: {number:02}/{symbol}"),
        Circular::Tt03_2025 => format!("Số: {number:02}/{symbol}-{}", desk_abbreviation(unit)),
    })
}

/// `ngày 05 tháng 6 năm 2024`: Decree 30 pads days 1–9 and months 1–2 with a 0 only.
pub fn date_line(d: Date) -> String {
    crate::letterhead::date_words(d)
}

/// `Vĩnh Khê, ngày 05 tháng 6 năm 2024`.
pub fn place_date(place: &str, t: Timestamp) -> String {
    format!("{place}, {}", date_line(t.local_date()))
}

/// `08 giờ 30 phút, ngày 20 tháng 5 năm 2024`, as the forms write a time.
pub fn form_time(t: Timestamp) -> String {
    let l = t.to_local();
    format!(
        "{:02} giờ {:02} phút, {}",
        l.hour(),
        l.minute(),
        date_line(t.local_date())
    )
}

/// The place a unit dates its papers from: its own short name, or for a department the
/// place of the body it belongs to (`Vĩnh Linh`, never `Tư pháp`).
pub fn place_of<'a>(tree: &'a UnitTree, unit: &'a Unit) -> &'a str {
    let mut u = unit;
    while u.kind == UnitKind::Department {
        match u.parent.as_ref().and_then(|p| tree.get(p)) {
            Some(p) => u = p,
            None => break,
        }
    }
    &u.short_name
}

/// The issuing body of a unit's own papers (Decree 30, box 2): a People's Committee prints
/// `ỦY BAN NHÂN DÂN` over its area (`XÃ VĨNH KHÊ`), with no parent; a department prints its
/// parent committee over its own name.
pub fn issuer(tree: &UnitTree, unit: &Unit) -> (Option<String>, String) {
    match unit.kind {
        UnitKind::Department => (
            unit.parent
                .as_ref()
                .and_then(|p| tree.get(p))
                .map(|p| p.name.to_uppercase()),
            unit.name.to_uppercase(),
        ),
        _ => (
            Some("ỦY BAN NHÂN DÂN".to_owned()),
            format!("{} {}", unit.label, unit.short_name).to_uppercase(),
        ),
    }
}

/// Who signs for the head of a unit: the chairman for the committee (`TM. ỦY BAN NHÂN DÂN`,
/// `CHỦ TỊCH`), the head of a department by its label (`TRƯỞNG PHÒNG`, `GIÁM ĐỐC`).
pub fn head_signature(unit: &Unit) -> Vec<String> {
    match unit.kind {
        UnitKind::Department => {
            let label = unit.label.to_lowercase();
            let title = if label == "sở" {
                "GIÁM ĐỐC".to_owned()
            } else if label.is_empty() {
                "THỦ TRƯỞNG CƠ QUAN".to_owned()
            } else {
                format!("TRƯỞNG {}", unit.label.to_uppercase())
            };
            vec![title]
        }
        _ => vec!["TM. ỦY BAN NHÂN DÂN".to_owned(), "CHỦ TỊCH".to_owned()],
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    #[test]
    fn date_lines_pad_days_below_ten_and_the_first_two_months() {
        let d = |t: &str| date_line(at(t).local_date());
        assert_eq!(d("2024-01-01T08:00:00+07:00"), "ngày 01 tháng 01 năm 2024");
        assert_eq!(d("2024-06-05T08:00:00+07:00"), "ngày 05 tháng 6 năm 2024");
        assert_eq!(d("2024-12-25T08:00:00+07:00"), "ngày 25 tháng 12 năm 2024");
        assert_eq!(d("2024-02-10T08:00:00+07:00"), "ngày 10 tháng 02 năm 2024");
        assert_eq!(
            form_time(at("2024-05-20T08:05:00+07:00")),
            "08 giờ 05 phút, ngày 20 tháng 5 năm 2024"
        );
    }

    #[test]
    fn the_circular_follows_the_reception_date() {
        assert_eq!(
            Circular::of_reception(at("2025-09-14T23:59:59+07:00")),
            Circular::Tt01_2018
        );
        assert_eq!(
            Circular::of_reception(at("2025-09-15T00:00:00+07:00")),
            Circular::Tt03_2025
        );
    }

    #[test]
    fn every_form_has_a_path_and_the_stop_notice_is_new_in_2025() {
        for f in Form::ALL {
            assert_eq!(Form::of_path(f.path()), Some(f));
            assert!(f.number(Circular::Tt03_2025).is_some());
        }
        assert_eq!(Form::Stop.number(Circular::Tt01_2018), None);
        assert_eq!(Form::Control.number(Circular::Tt03_2025), Some("06"));
    }
}
