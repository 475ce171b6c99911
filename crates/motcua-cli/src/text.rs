//! The plain-text rendering of indicators for the terminal.

use std::fmt::Write;

use motcua_core::display::{self, Change};
use motcua_core::indicators::IndicatorReport;
use motcua_core::rates::RateId;

/// The indicators as Vietnamese text: counts, rates with changes, unit lists, unit table.
pub fn indicators(r: &IndicatorReport) -> String {
    let mut out = String::new();
    let m = r.month;
    let p = m.previous();
    let c = &r.counts;
    let _ = writeln!(
        out,
        "Chỉ số phục vụ – {} {} ({}) – tháng {}/{}",
        r.unit_label,
        r.unit_short_name,
        r.unit,
        m.number(),
        m.year()
    );
    let _ = writeln!(out);
    if let Some(closed) = &r.closed {
        let _ = writeln!(
            out,
            "{} Các số liệu dưới đây là số liệu đã chốt (người chốt: {}).",
            closed.banner(m),
            closed.by.as_deref().unwrap_or("không rõ")
        );
        match motcua_core::close::changes_sentence(closed) {
            None => {
                let _ = writeln!(out, "Không có thay đổi nào sau khi chốt.");
            }
            Some(sentence) => {
                let units: Vec<String> = r
                    .units
                    .iter()
                    .filter(|u| closed.units_changed.contains(&u.code))
                    .map(|u| format!("{} {}", u.label, u.short_name))
                    .collect();
                let _ = writeln!(out, "{sentence}");
                if !units.is_empty() {
                    let _ = writeln!(out, "Đơn vị có thay đổi: {}.", units.join("; "));
                }
            }
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        "Tiếp nhận {} hồ sơ (trực tuyến {}, trực tiếp và qua bưu chính {}); kỳ trước chuyển sang {}.",
        display::count(c.received),
        display::count(c.received_online),
        display::count(c.received_direct),
        display::count(c.carried_over)
    );
    let _ = writeln!(
        out,
        "Đã giải quyết {} hồ sơ (trước hạn {}, đúng hạn {}, quá hạn {}); rút {}.",
        display::count(c.resolved),
        display::count(c.resolved_early),
        display::count(c.resolved_on_time),
        display::count(c.resolved_late),
        display::count(c.withdrawn)
    );
    let _ = writeln!(
        out,
        "Đang giải quyết {} hồ sơ (trong hạn {}, quá hạn {}; còn trên hệ thống cũ {}).",
        display::count(c.pending),
        display::count(c.pending_within_due),
        display::count(c.pending_overdue),
        display::count(c.pending_old_system)
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "Tỷ lệ (so với tháng {}/{}):", p.number(), p.year());
    for id in RateId::ALL {
        let now = r.rates.get(id);
        let change = Change::between(now, r.previous.rates.get(id))
            .map_or_else(|| "chưa có số liệu tháng trước".to_owned(), |ch| ch.text());
        let _ = writeln!(
            out,
            "  {:<72} {:>8}  {}",
            id.name_vi(),
            display::rate_percent(now),
            change
        );
    }
    let list = |items: Vec<String>, none: &str| {
        if items.is_empty() {
            none.to_owned()
        } else {
            items.join("; ")
        }
    };
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Đơn vị số hóa hồ sơ và kết quả đạt 100%: {}",
        list(r.lists.digitized_100.clone(), "không có đơn vị nào")
    );
    let _ = writeln!(
        out,
        "Hồ sơ quá hạn: {}",
        list(
            r.lists
                .late
                .iter()
                .map(|l| format!(
                    "{} hồ sơ ở {} {}",
                    display::count(l.count),
                    l.label,
                    l.short_name
                ))
                .collect(),
            "không có"
        )
    );
    let _ = writeln!(
        out,
        "Đơn vị thực hiện tốt thanh toán trực tuyến và biên lai điện tử: {}",
        list(r.lists.good_payment.clone(), "không có đơn vị nào")
    );
    let _ = writeln!(out);
    let w = r
        .units
        .iter()
        .map(|u| u.short_name.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let _ = writeln!(
        out,
        "{:<w$} {:>9} {:>10} {:>7} {:>9} {:>9} {:>9} {:>9}",
        "Đơn vị", "Tiếp nhận", "Giải quyết", "Quá hạn", "TT toàn", "Số hóa", "TT tuyến", "Biên lai"
    );
    for u in &r.units {
        let _ = writeln!(
            out,
            "{:<w$} {:>9} {:>10} {:>7} {:>9} {:>9} {:>9} {:>9}",
            u.short_name,
            display::count(u.counts.received),
            display::count(u.counts.resolved),
            display::count(u.counts.resolved_late),
            display::rate_percent(&u.rates.online_full_rate),
            display::rate_percent(&u.rates.input_digitization_rate),
            display::rate_percent(&u.rates.online_payment_rate),
            display::rate_percent(&u.rates.e_receipt_rate),
        );
    }
    out
}
