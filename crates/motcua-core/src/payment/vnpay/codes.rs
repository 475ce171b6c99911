//! What VNPay's payment codes mean, in Vietnamese, for the citizen's return page and the
//! ledger: `vnp_ResponseCode` (how the payment went) and `vnp_TransactionStatus` (what the
//! transaction is now). Research note §1.5.

/// `vnp_ResponseCode` of a payment, with its meaning.
pub const RESPONSE_CODES: &[(&str, &str)] = &[
    ("00", "Giao dịch thành công"),
    (
        "07",
        "Trừ tiền thành công nhưng giao dịch bị nghi ngờ (liên quan tới lừa đảo, giao dịch bất thường)",
    ),
    (
        "09",
        "Thẻ hoặc tài khoản chưa đăng ký dịch vụ ngân hàng trực tuyến (Internet Banking)",
    ),
    (
        "10",
        "Xác thực thông tin thẻ hoặc tài khoản không đúng quá 3 lần",
    ),
    ("11", "Đã hết hạn chờ thanh toán"),
    ("12", "Thẻ hoặc tài khoản bị khóa"),
    ("13", "Nhập sai mật khẩu xác thực giao dịch (OTP)"),
    ("24", "Giao dịch bị hủy"),
    ("51", "Tài khoản không đủ số dư"),
    ("65", "Tài khoản đã vượt quá hạn mức giao dịch trong ngày"),
    ("75", "Ngân hàng thanh toán đang bảo trì"),
    ("79", "Nhập sai mật khẩu thanh toán quá số lần quy định"),
    ("99", "Lỗi không xác định"),
];

/// `vnp_TransactionStatus`, with its meaning.
pub const TRANSACTION_STATUSES: &[(&str, &str)] = &[
    ("00", "Giao dịch thành công"),
    ("01", "Giao dịch chưa hoàn tất"),
    ("02", "Giao dịch bị lỗi"),
    (
        "04",
        "Giao dịch đảo (đã trừ tiền tại ngân hàng nhưng chưa thành công ở VNPAY)",
    ),
    ("05", "Đang xử lý hoàn tiền"),
    ("06", "Đã gửi yêu cầu hoàn tiền sang ngân hàng"),
    ("07", "Giao dịch bị nghi ngờ gian lận"),
    ("09", "Hoàn tiền bị từ chối"),
];

/// The meaning of a `vnp_ResponseCode`; an unknown code reads as "other error".
pub fn response_text(code: &str) -> &'static str {
    lookup(RESPONSE_CODES, code).unwrap_or("Lỗi không xác định")
}

/// The meaning of a `vnp_TransactionStatus`.
pub fn status_text(status: &str) -> &'static str {
    lookup(TRANSACTION_STATUSES, status).unwrap_or("Trạng thái giao dịch không xác định")
}

/// What to tell the payer about a payment's codes: the response code's meaning unless it is
/// a success the transaction status contradicts.
pub fn outcome_text(response_code: &str, transaction_status: &str) -> &'static str {
    if response_code == "00" && transaction_status != "00" {
        status_text(transaction_status)
    } else {
        response_text(response_code)
    }
}

fn lookup(table: &[(&str, &'static str)], code: &str) -> Option<&'static str> {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_in_vietnamese() {
        assert_eq!(response_text("24"), "Giao dịch bị hủy");
        assert_eq!(response_text("51"), "Tài khoản không đủ số dư");
        assert_eq!(response_text("zz"), "Lỗi không xác định");
        assert_eq!(outcome_text("00", "01"), "Giao dịch chưa hoàn tất");
        assert_eq!(outcome_text("00", "00"), "Giao dịch thành công");
    }

    #[test]
    fn every_code_is_listed_once() {
        for table in [RESPONSE_CODES, TRANSACTION_STATUSES] {
            let mut codes: Vec<_> = table.iter().map(|(c, _)| *c).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), table.len());
        }
    }
}
