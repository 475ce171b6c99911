//! The VietQR payload of a transfer to an account, and its reader.

use super::BankAccount;
use super::emv::{crc16, objects, push};

/// The longest transfer message: EMVCo's default bound of tag 62.08; some banks cut longer
/// ones (docs/research/payments.md §2.5).
pub const MAX_TEXT_CHARS: usize = 25;

/// NAPAS's GUID in tag 38.00.
const NAPAS_GUID: &str = "A000000727";
/// Tag 38.02: NAPAS 247 transfer to an account.
const TO_ACCOUNT: &str = "QRIBFTTA";

/// The transfer message of a dossier's fee: the dossier code and `LE PHI` when both fit in
/// 25 characters, else the code alone, else the code without its `-` and `.` (the statement
/// import finds it either way); `None` for a code too long even then. ASCII only, so that
/// the length the payload states is the length every bank reads.
pub fn transfer_text(code: &str) -> Option<String> {
    if !code.is_ascii() {
        return None;
    }
    let with_label = format!("{code} LE PHI");
    if with_label.len() <= MAX_TEXT_CHARS {
        return Some(with_label);
    }
    if code.len() <= MAX_TEXT_CHARS {
        return Some(code.to_owned());
    }
    let compact: String = code.chars().filter(char::is_ascii_alphanumeric).collect();
    (compact.len() <= MAX_TEXT_CHARS).then_some(compact)
}

/// The payload of a dynamic VietQR (`01` = `12`) for a transfer of `amount_vnd` into
/// `account`, with `text` (at most 25 printable ASCII characters, as [`transfer_text`] makes)
/// as the message; the CRC last.
pub fn payload(account: &BankAccount, amount_vnd: i64, text: &str) -> String {
    let mut beneficiary = String::new();
    push(&mut beneficiary, "00", &account.bin);
    push(&mut beneficiary, "01", &account.number);
    let mut merchant = String::new();
    push(&mut merchant, "00", NAPAS_GUID);
    push(&mut merchant, "01", &beneficiary);
    push(&mut merchant, "02", TO_ACCOUNT);
    let mut additional = String::new();
    let text: String = text
        .chars()
        .filter(|c| c.is_ascii() && !c.is_ascii_control())
        .take(MAX_TEXT_CHARS)
        .collect();
    push(&mut additional, "08", &text);
    let mut out = String::new();
    push(&mut out, "00", "01");
    push(&mut out, "01", "12");
    push(&mut out, "38", &merchant);
    push(&mut out, "53", "704");
    push(&mut out, "54", &amount_vnd.max(0).to_string());
    push(&mut out, "58", "VN");
    push(&mut out, "62", &additional);
    out.push_str("6304");
    let crc = crc16(out.as_bytes());
    out.push_str(&format!("{crc:04X}"));
    out
}

/// What a VietQR payload says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// `11` static, `12` dynamic.
    pub initiation: String,
    pub bin: String,
    pub account: String,
    /// `QRIBFTTA` (to an account) or `QRIBFTTC` (to a card).
    pub service: String,
    pub currency: String,
    pub amount_vnd: Option<i64>,
    pub country: String,
    /// Tag 62.08, the transfer message.
    pub text: Option<String>,
}

/// Why a payload was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("mã VietQR không đúng cấu trúc EMVCo (ID, độ dài, giá trị)")]
    Malformed,
    #[error("mã VietQR sai mã kiểm tra CRC: ghi {stated}, tính được {computed}")]
    Crc { stated: String, computed: String },
    #[error("mã VietQR thiếu hoặc sai trường {0}")]
    Field(&'static str),
}

/// Reads a payload: the CRC first, then the objects (00 first, 63 last), the NAPAS template of
/// tag 38 and the message of tag 62.08.
pub fn decode(text: &str) -> Result<Decoded, DecodeError> {
    if !text.is_ascii() || text.len() < 8 {
        return Err(DecodeError::Malformed);
    }
    let (body, stated) = text.split_at(text.len() - 4);
    if !body.ends_with("6304") {
        return Err(DecodeError::Field("63"));
    }
    let computed = format!("{:04X}", crc16(body.as_bytes()));
    if !stated.eq_ignore_ascii_case(&computed) {
        return Err(DecodeError::Crc {
            stated: stated.to_owned(),
            computed,
        });
    }
    let top = objects(text).ok_or(DecodeError::Malformed)?;
    if top.first() != Some(&("00", "01")) {
        return Err(DecodeError::Field("00"));
    }
    if top.last().map(|o| o.0) != Some("63") {
        return Err(DecodeError::Field("63"));
    }
    let get = |id: &'static str| top.iter().find(|o| o.0 == id).map(|o| o.1);
    let merchant =
        objects(get("38").ok_or(DecodeError::Field("38"))?).ok_or(DecodeError::Field("38"))?;
    let find = |objs: &Vec<(&str, &str)>, id: &str| {
        objs.iter().find(|o| o.0 == id).map(|o| o.1.to_owned())
    };
    if find(&merchant, "00").as_deref() != Some(NAPAS_GUID) {
        return Err(DecodeError::Field("38.00"));
    }
    let beneficiary_text = find(&merchant, "01").ok_or(DecodeError::Field("38.01"))?;
    let beneficiary = objects(&beneficiary_text).ok_or(DecodeError::Field("38.01"))?;
    let bin = find(&beneficiary, "00").ok_or(DecodeError::Field("38.01.00"))?;
    let account = find(&beneficiary, "01").ok_or(DecodeError::Field("38.01.01"))?;
    let service = find(&merchant, "02").ok_or(DecodeError::Field("38.02"))?;
    let amount_vnd = match get("54") {
        Some(a) => Some(a.parse().map_err(|_| DecodeError::Field("54"))?),
        None => None,
    };
    let text = match get("62") {
        Some(t) => find(&objects(t).ok_or(DecodeError::Field("62"))?, "08"),
        None => None,
    };
    Ok(Decoded {
        initiation: get("01").ok_or(DecodeError::Field("01"))?.to_owned(),
        bin,
        account,
        service,
        currency: get("53").ok_or(DecodeError::Field("53"))?.to_owned(),
        amount_vnd,
        country: get("58").ok_or(DecodeError::Field("58"))?.to_owned(),
        text,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// liopayvn/vietqr-php's README example (research note §2.3).
    const LIOPAY: &str = "00020101021238540010A00000072701240006970436011010175956000208QRIBFTTA530370454061800005802VN62230819thanh toan don hang630470FA";
    /// The research note's own example for a one-stop fee.
    const ONE_STOP: &str = "00020101021238560010A0000007270126000697041501121130001234560208QRIBFTTA53037045405500005802VN62190815HS000123 LE PHI6304D88F";

    fn account(bin: &str, number: &str) -> BankAccount {
        BankAccount {
            bin: bin.into(),
            number: number.into(),
            holder: "UBND XA HO XA".into(),
        }
    }

    #[test]
    fn the_crc_is_ccitt_false() {
        assert_eq!(crc16(b"123456789"), 0x29B1);
    }

    #[test]
    fn the_research_examples_are_built_byte_for_byte() {
        assert_eq!(
            payload(
                &account("970415", "113000123456"),
                50_000,
                "HS000123 LE PHI"
            ),
            ONE_STOP
        );
        let mut liopay = payload(
            &account("970436", "1017595600"),
            180_000,
            "thanh toan don hang",
        );
        assert_eq!(liopay, LIOPAY);
        liopay.truncate(liopay.len() - 4);
        assert!(liopay.ends_with("6304"));
    }

    #[test]
    fn the_examples_decode_field_by_field() {
        let d = decode(LIOPAY).unwrap();
        assert_eq!(
            d,
            Decoded {
                initiation: "12".into(),
                bin: "970436".into(),
                account: "1017595600".into(),
                service: "QRIBFTTA".into(),
                currency: "704".into(),
                amount_vnd: Some(180_000),
                country: "VN".into(),
                text: Some("thanh toan don hang".into()),
            }
        );
        let d = decode(ONE_STOP).unwrap();
        assert_eq!((d.bin.as_str(), d.amount_vnd), ("970415", Some(50_000)));
        assert_eq!(d.text.as_deref(), Some("HS000123 LE PHI"));
    }

    #[test]
    fn a_wrong_crc_or_a_wrong_layout_is_refused() {
        let bad = ONE_STOP.replace("D88F", "D88E");
        assert_eq!(
            decode(&bad),
            Err(DecodeError::Crc {
                stated: "D88E".into(),
                computed: "D88F".into()
            })
        );
        // One character of the amount changed: the CRC no longer matches.
        assert!(matches!(
            decode(&ONE_STOP.replace("5405500005802", "5405600005802")),
            Err(DecodeError::Crc { .. })
        ));
        // A template that nests the BIN under 02 (seen in public snippets) is refused.
        let mut wrong = String::from("000201010212");
        push(&mut wrong, "38", "0010A0000007270208QRIBFTTA0206970415");
        wrong.push_str("6304");
        let crc = crc16(wrong.as_bytes());
        wrong.push_str(&format!("{crc:04X}"));
        assert_eq!(decode(&wrong), Err(DecodeError::Field("38.01")));
        assert_eq!(decode("0002"), Err(DecodeError::Malformed));
    }

    #[test]
    fn the_transfer_text_fits_in_25_ascii_characters() {
        assert_eq!(
            transfer_text("HO-XA-240520-0001").as_deref(),
            Some("HO-XA-240520-0001 LE PHI")
        );
        assert_eq!(
            transfer_text("VINH-LINH-240520-0001").as_deref(),
            Some("VINH-LINH-240520-0001")
        );
        assert_eq!(
            transfer_text("VINH-LINH.TNMT-240520-0001").as_deref(),
            Some("VINHLINHTNMT2405200001")
        );
        assert_eq!(transfer_text(&"A".repeat(30)), None);
        for code in ["HO-XA-240520-0001", "000.00.12.H56-240520-0008"] {
            let text = transfer_text(code).unwrap();
            assert!(text.len() <= MAX_TEXT_CHARS && text.is_ascii());
        }
    }
}
