//! The common banks of NAPAS 247 by BIN, for the account form (sources: the banks' BINs as
//! published by NAPAS and listed in sunary/vietqr `banks.go`; docs/research/payments.md §2.1).

/// A bank: its BIN, its usual short name and its Vietnamese name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bank {
    pub bin: &'static str,
    pub short: &'static str,
    pub name: &'static str,
}

const fn bank(bin: &'static str, short: &'static str, name: &'static str) -> Bank {
    Bank { bin, short, name }
}

/// The banks the form offers, the four State-owned commercial banks first, then by name.
pub const BANKS: &[Bank] = &[
    bank(
        "970405",
        "Agribank",
        "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam",
    ),
    bank(
        "970418",
        "BIDV",
        "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam",
    ),
    bank(
        "970415",
        "VietinBank",
        "Ngân hàng TMCP Công Thương Việt Nam",
    ),
    bank(
        "970436",
        "Vietcombank",
        "Ngân hàng TMCP Ngoại thương Việt Nam",
    ),
    bank("970425", "ABBANK", "Ngân hàng TMCP An Bình"),
    bank("970416", "ACB", "Ngân hàng TMCP Á Châu"),
    bank("970409", "BAC A BANK", "Ngân hàng TMCP Bắc Á"),
    bank(
        "970431",
        "Eximbank",
        "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam",
    ),
    bank(
        "970437",
        "HDBank",
        "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh",
    ),
    bank("970449", "LPBank", "Ngân hàng TMCP Lộc Phát Việt Nam"),
    bank("970422", "MB", "Ngân hàng TMCP Quân đội"),
    bank("970426", "MSB", "Ngân hàng TMCP Hàng Hải Việt Nam"),
    bank("970428", "Nam A Bank", "Ngân hàng TMCP Nam Á"),
    bank("970448", "OCB", "Ngân hàng TMCP Phương Đông"),
    bank("970412", "PVcomBank", "Ngân hàng TMCP Đại Chúng Việt Nam"),
    bank("970403", "Sacombank", "Ngân hàng TMCP Sài Gòn Thương Tín"),
    bank("970440", "SeABank", "Ngân hàng TMCP Đông Nam Á"),
    bank("970443", "SHB", "Ngân hàng TMCP Sài Gòn – Hà Nội"),
    bank("970407", "Techcombank", "Ngân hàng TMCP Kỹ Thương Việt Nam"),
    bank("970423", "TPBank", "Ngân hàng TMCP Tiên Phong"),
    bank("970441", "VIB", "Ngân hàng TMCP Quốc tế Việt Nam"),
    bank("970432", "VPBank", "Ngân hàng TMCP Việt Nam Thịnh Vượng"),
];

/// The bank of a BIN, if listed.
pub fn find(bin: &str) -> Option<&'static Bank> {
    BANKS.iter().find(|b| b.bin == bin)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_six_digits_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for b in BANKS {
            assert!(b.bin.len() == 6 && b.bin.starts_with("9704"), "{}", b.bin);
            assert!(seen.insert(b.bin), "{} twice", b.bin);
        }
        assert_eq!(find("970436").map(|b| b.short), Some("Vietcombank"));
        assert_eq!(find("123456"), None);
    }
}
