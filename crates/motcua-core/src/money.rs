//! Amounts of money in Vietnamese: in figures (`1.250.000 đồng`) and in words (`Một triệu hai
//! trăm năm mươi nghìn đồng`), as receipts print them ("Số tiền bằng chữ").

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// Reads a group of three digits. `full` asks for the hundreds even when zero ("không trăm"),
/// as for every group after the first.
fn group(n: u64, full: bool, out: &mut Vec<&'static str>) {
    let (h, t, u) = (
        (n / 100) as usize,
        ((n / 10) % 10) as usize,
        (n % 10) as usize,
    );
    if full || h > 0 {
        out.push(DIGITS[h]);
        out.push("trăm");
    }
    match t {
        0 => {
            if u > 0 && (full || h > 0) {
                out.push("linh");
            }
        }
        1 => out.push("mười"),
        _ => {
            out.push(DIGITS[t]);
            out.push("mươi");
        }
    }
    match u {
        0 => {}
        1 if t >= 2 => out.push("mốt"),
        5 if t >= 1 => out.push("lăm"),
        _ => out.push(DIGITS[u]),
    }
}

/// Reads a number below one billion (tỷ); `leading` when nothing is read before it.
fn below_billion(n: u64, leading: bool, out: &mut Vec<&'static str>) {
    let groups = [
        (n / 1_000_000, "triệu"),
        ((n / 1000) % 1000, "nghìn"),
        (n % 1000, ""),
    ];
    let mut started = !leading;
    for (value, name) in groups {
        if value == 0 {
            continue;
        }
        group(value, started, out);
        if !name.is_empty() {
            out.push(name);
        }
        started = true;
    }
}

fn words(n: u64, leading: bool, out: &mut Vec<&'static str>) {
    let (billions, rest) = (n / 1_000_000_000, n % 1_000_000_000);
    if billions > 0 {
        words(billions, leading, out);
        out.push("tỷ");
    }
    below_billion(rest, leading && billions == 0, out);
}

/// The amount in words with "đồng", capitalised: `Năm mươi nghìn đồng`.
pub fn vnd_in_words(amount: i64) -> String {
    let mut parts = Vec::new();
    if amount < 0 {
        parts.push("âm");
    }
    let n = amount.unsigned_abs();
    if n == 0 {
        parts.push("không");
    } else {
        words(n, true, &mut parts);
    }
    parts.push("đồng");
    let text = parts.join(" ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// The amount in figures with "đồng": `1.250.000 đồng`.
pub fn vnd_in_figures(amount: i64) -> String {
    let sign = if amount < 0 { "-" } else { "" };
    format!(
        "{sign}{} đồng",
        crate::display::count(amount.unsigned_abs())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_a_receipt_prints_them() {
        for (n, text) in [
            (0, "Không đồng"),
            (5, "Năm đồng"),
            (10, "Mười đồng"),
            (15, "Mười lăm đồng"),
            (21, "Hai mươi mốt đồng"),
            (25, "Hai mươi lăm đồng"),
            (105, "Một trăm linh năm đồng"),
            (110, "Một trăm mười đồng"),
            (1_000, "Một nghìn đồng"),
            (8_000, "Tám nghìn đồng"),
            (15_000, "Mười lăm nghìn đồng"),
            (50_000, "Năm mươi nghìn đồng"),
            (100_000, "Một trăm nghìn đồng"),
            (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
            (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
            (2_000_001, "Hai triệu không trăm linh một đồng"),
            (
                3_021_450,
                "Ba triệu không trăm hai mươi mốt nghìn bốn trăm năm mươi đồng",
            ),
            (1_000_000_000, "Một tỷ đồng"),
            (1_200_000_500, "Một tỷ hai trăm triệu năm trăm đồng"),
            (1_000_000_000_000, "Một nghìn tỷ đồng"),
        ] {
            assert_eq!(vnd_in_words(n), text, "{n}");
        }
    }

    #[test]
    fn figures_group_thousands_with_dots() {
        assert_eq!(vnd_in_figures(0), "0 đồng");
        assert_eq!(vnd_in_figures(50_000), "50.000 đồng");
        assert_eq!(vnd_in_figures(1_250_000), "1.250.000 đồng");
        assert_eq!(vnd_in_figures(-100), "-100 đồng");
    }
}
