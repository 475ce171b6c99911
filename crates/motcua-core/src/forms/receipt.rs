//! The fee's e-receipt as printed ([`receipt`]): the collecting body with its tax code, the
//! receipt's form symbol, series and number, the payer, what was collected, phí or lệ phí,
//! the amount in figures and words, and the two people by full name. Nothing is signed
//! electronically, so the print claims no electronic signature.

use crate::dossier::PaymentChannel;
use crate::fees::{FeeKind, Receipt};
use crate::money;
use crate::unit::{Unit, UnitTree};

use super::{Block, Circular, Document, Signature, desk_name, place_date, place_of};

/// What a printed receipt is made from, besides the receipt itself.
#[derive(Debug, Clone, Copy)]
pub struct ReceiptFacts<'a> {
    pub receipt: &'a Receipt,
    /// The collecting unit (the receipt's unit).
    pub unit: &'a Unit,
    pub tree: &'a UnitTree,
    /// The collecting body's tax code (mã số thuế), a setting of the unit (`motcua tax-code`);
    /// empty when not set, printed as a line to fill in.
    pub tax_code: &'a str,
    pub payer: &'a str,
    pub payer_address: &'a str,
    pub procedure_name: &'a str,
    /// The officer who issued it, by full name (empty: written by hand).
    pub issued_by: &'a str,
}

/// The printed e-receipt.
pub fn receipt(f: &ReceiptFacts<'_>) -> Document {
    let r = f.receipt;
    // Receipts issued before the kind was recorded say both, as they did.
    let kind = r.fee_kind.map_or("phí, lệ phí", FeeKind::name_vi);
    let c = Circular::of_reception(r.issued_at);
    let blocks = vec![
        Block::field("Đơn vị thu", &f.unit.name),
        Block::strong("Mã số thuế", f.tax_code),
        Block::field("Ký hiệu mẫu biên lai", &r.form_symbol).with_id("form-symbol"),
        Block::strong("Ký hiệu biên lai", &r.series).with_id("series"),
        Block::strong("Số biên lai", r.number_text()).with_id("number"),
        Block::strong("Tên người nộp", f.payer).with_id("payer"),
        Block::field("Địa chỉ", f.payer_address),
        Block::field("Mã hồ sơ", r.dossier.as_str()),
        Block::field(
            "Nội dung thu",
            format!(
                "{} thủ tục «{}»",
                crate::display::capitalise(kind),
                f.procedure_name
            ),
        ),
        Block::strong("Số tiền", money::vnd_in_figures(r.amount_vnd)).with_id("amount"),
        Block::field("Viết bằng chữ", money::vnd_in_words(r.amount_vnd)).with_id("amount-words"),
        Block::field(
            "Hình thức thanh toán",
            match r.payment_channel {
                PaymentChannel::Online => "Trực tuyến (Cổng Dịch vụ công)",
                PaymentChannel::Offline => "Tiền mặt, chuyển khoản tại Bộ phận Một cửa",
            },
        ),
    ];
    Document {
        issuer_parent: Some(f.unit.name.to_uppercase()),
        issuer: desk_name(f.unit, c).to_owned(),
        number: None,
        place_date: place_date(place_of(f.tree, f.unit), r.issued_at),
        qr: Some(format!(
            "Biên lai: {} {} số {}\nMã hồ sơ: {}\nSố tiền: {} đồng",
            r.form_symbol,
            r.series,
            r.number_text(),
            r.dossier,
            r.amount_vnd
        )),
        title: format!("Biên lai thu {kind}"),
        subtitle: "Bản thể hiện của biên lai điện tử".to_owned(),
        blocks,
        signatures: vec![
            Signature::of("NGƯỜI NỘP TIỀN", f.payer),
            Signature::of("NGƯỜI THU TIỀN", f.issued_by),
        ],
        recipients: Vec::new(),
    }
}

impl FeeKind {
    /// `phí` or `lệ phí`, as a sentence writes it.
    pub fn name_vi(self) -> &'static str {
        match self {
            FeeKind::Fee => "phí",
            FeeKind::Charge => "lệ phí",
        }
    }
}
