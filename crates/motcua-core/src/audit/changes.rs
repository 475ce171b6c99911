//! A record's before/after as people read it: [`changes`] walks the two JSON values into rows
//! of Vietnamese field labels ([`field_label`]) and values ([`value_text`]: units by name,
//! statuses and roles in words, times the Vietnamese way).

use std::collections::BTreeSet;

use crate::access::{AuditRecord, Role};
use crate::counts::CountId;
use crate::display;
use crate::lifecycle::{Status, StepKind};
use crate::timestamp::Timestamp;
use crate::unit::{UnitCode, UnitTree};

/// A field of a record's before/after, as the trail's table shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub label: String,
    pub before: String,
    pub after: String,
}

/// The Vietnamese label of a field of the trail's JSON values.
pub fn field_label(key: &str) -> String {
    let known = match key {
        "username" => "Tên đăng nhập",
        "display_name" => "Họ và tên",
        "unit" | "unit_code" => "Đơn vị",
        "role" => "Vai trò",
        "disabled" => "Đã khóa",
        "password" => "Mật khẩu",
        "must_change_password" => "Phải đổi mật khẩu khi đăng nhập",
        "failed_logins" => "Số lần nhập sai liên tiếp",
        "locked_until" => "Tạm khóa đến",
        "write" => "Được ghi dữ liệu",
        "units" => "Số đơn vị",
        "units_unchanged" => "Số đơn vị không đổi",
        "procedures" => "Số thủ tục",
        "procedures_unchanged" => "Số thủ tục không đổi",
        "dossiers_inserted" => "Số hồ sơ thêm mới",
        "dossiers_updated" => "Số hồ sơ cập nhật",
        "dossiers_unchanged" => "Số hồ sơ không đổi",
        "moved" => "Số hồ sơ được tính lại ngày hẹn",
        "schedule" => "Lịch nghỉ",
        "counts" => "Số liệu",
        "due" => "Hạn báo cáo",
        "note" => "Ghi chú",
        "report" => "Báo cáo",
        "procedure" | "procedure_code" => "Thủ tục",
        "channel" => "Hình thức tiếp nhận",
        "due_at" => "Ngày hẹn trả",
        "new_due" => "Ngày hẹn mới",
        "step" => "Bước xử lý",
        "status" => "Trạng thái",
        "handling_unit" => "Đơn vị đang giải quyết",
        "slot" => "Giấy tờ",
        "sha256" => "Mã SHA-256 của tệp",
        "size" => "Dung lượng",
        "media_type" => "Loại tệp",
        "file_name" => "Tên tệp",
        "components_digitized" => "Số thành phần đã số hóa",
        "payment_channel" => "Hình thức nộp phí",
        "amount_vnd" | "fee_vnd" => "Số tiền",
        "form_symbol" => "Mẫu số",
        "series" => "Ký hiệu",
        "number" => "Số",
        "reason" => "Lý do",
        "line" => "Dòng trong tệp",
        "to" => "Chuyển đến",
        "result_digitized" => "Kết quả đã số hóa",
        "received_at" => "Thời điểm tiếp nhận",
        "resolved_at" => "Thời điểm giải quyết xong",
        "returned_at" => "Thời điểm trả kết quả",
        "paid_at" => "Thời điểm nộp phí",
        "outcome" => "Kết quả giải quyết",
        "value" => "Giá trị",
        "applicant" => "Người nộp",
        "name" => "Họ và tên",
        "id_number" => "Số định danh",
        "phone" => "Điện thoại",
        "email" => "Thư điện tử",
        "address" => "Địa chỉ",
        "request" => "Nội dung yêu cầu",
        "components" => "Thành phần hồ sơ",
        "before" => "Trước",
        "after" => "Sau",
        "assignee" => "Chuyên viên xử lý",
        "collected_by" => "Người nhận kết quả",
        "documents" => "Giấy tờ bổ sung",
        "decision" => "Đề xuất",
        "full_name" => "Họ tên hoặc tên tổ chức",
        "kind" => "Loại tài khoản",
        "tax_code" => "Mã số thuế",
        "purpose" => "Mục đích của mã",
        "expires_at" => "Hết hiệu lực lúc",
        "attempts" => "Số lần nhập sai mã",
        "issuer" => "Hệ thống định danh",
        "subject" => "Mã tài khoản tại hệ thống định danh",
        "return_to" => "Trang trở về",
        _ => {
            return CountId::ALL
                .into_iter()
                .find(|c| c.id() == key)
                .map_or_else(|| key.to_owned(), |c| display::capitalise(c.name_vi()));
        }
    };
    known.to_owned()
}

/// A value of field `key` in words: units by name, times as `dd/mm/yyyy HH:MM`, roles,
/// statuses and steps by their Vietnamese names, counts the Vietnamese way.
pub fn value_text(key: &str, v: &serde_json::Value, tree: &UnitTree) -> String {
    use serde_json::Value;
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "Có" } else { "Không" }.to_owned(),
        Value::Number(n) => match (key, n.as_i64()) {
            ("amount_vnd" | "fee_vnd", Some(x)) => crate::money::vnd_in_figures(x),
            ("size", Some(x)) => {
                let kb = x.unsigned_abs().div_ceil(1024);
                if kb >= 1024 {
                    format!("{} MB", display::count(kb.div_ceil(1024)))
                } else {
                    format!("{} KB", display::count(kb))
                }
            }
            (_, Some(x)) if x >= 0 => display::count(x.unsigned_abs()),
            _ => n.to_string(),
        },
        Value::String(s) => string_text(key, s, tree),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => items
            .iter()
            .map(|i| value_text(key, i, tree))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Array(items) => format!("{} mục", display::count(items.len() as u64)),
        Value::Object(map) => match (key, map.get("slot").and_then(Value::as_str)) {
            ("slot", Some("component")) => format!(
                "Thành phần thứ {}",
                map.get("index").and_then(Value::as_u64).unwrap_or(0) + 1
            ),
            ("slot", _) => "Kết quả giải quyết".to_owned(),
            _ => map
                .iter()
                .map(|(k, x)| format!("{}: {}", field_label(k), value_text(k, x, tree)))
                .collect::<Vec<_>>()
                .join("; "),
        },
    }
}

fn string_text(key: &str, s: &str, tree: &UnitTree) -> String {
    let named = match key {
        "unit" | "unit_code" | "handling_unit" | "to" => UnitCode::parse(s)
            .ok()
            .and_then(|c| tree.get(&c).map(|u| u.name.clone())),
        "role" => Role::parse(s).map(|r| r.name_vi().to_owned()),
        "status" => Status::parse(s).map(|x| display::capitalise(x.name_vi())),
        "step" => StepKind::parse(s).map(|x| display::capitalise(x.name_vi())),
        "channel" => Some(
            match s {
                "direct" => "Trực tiếp",
                "postal" => "Qua bưu chính",
                "online" => "Trực tuyến",
                other => other,
            }
            .to_owned(),
        ),
        "payment_channel" => Some(
            match s {
                "online" => "Trực tuyến",
                "offline" => "Tại Bộ phận Một cửa",
                other => other,
            }
            .to_owned(),
        ),
        _ => None,
    };
    if let Some(n) = named {
        return n;
    }
    match Timestamp::parse(s) {
        Ok(t) if s.len() >= 20 => day_time(t),
        _ => s.to_owned(),
    }
}

/// `16/04/2024 09:56`: the trail's times, date first.
pub fn day_time(t: Timestamp) -> String {
    t.to_local()
        .format(time::macros::format_description!(
            "[day]/[month]/[year] [hour]:[minute]"
        ))
        .unwrap_or_default()
}

fn is_change(v: &serde_json::Value) -> bool {
    v.as_object()
        .is_some_and(|m| m.contains_key("after") && m.keys().all(|k| k == "before" || k == "after"))
}

/// A record's before and after, field by field. A value written as `{"before", "after"}`
/// (a step's status or appointment, an import's changed field) is split into both columns;
/// other nested records give their fields one row each.
pub fn changes(r: &AuditRecord, tree: &UnitTree) -> Vec<FieldChange> {
    let mut out = Vec::new();
    walk(None, &r.before, &r.after, tree, &mut out);
    out
}

fn walk(
    key: Option<&str>,
    before: &serde_json::Value,
    after: &serde_json::Value,
    tree: &UnitTree,
    out: &mut Vec<FieldChange>,
) {
    use serde_json::Value;
    let key_text = key.unwrap_or("value");
    if before.is_null() && is_change(after) {
        let null = Value::Null;
        let b = after.get("before").unwrap_or(&null);
        let a = after.get("after").unwrap_or(&null);
        return walk(key, b, a, tree, out);
    }
    let flat = |v: &Value| v.is_null() || v.is_object();
    let splits = key != Some("slot") && flat(before) && flat(after);
    if splits && (before.is_object() || after.is_object()) {
        let empty = serde_json::Map::new();
        let (b, a) = (
            before.as_object().unwrap_or(&empty),
            after.as_object().unwrap_or(&empty),
        );
        let keys: BTreeSet<&String> = b.keys().chain(a.keys()).collect();
        for k in keys {
            let null = Value::Null;
            walk(
                Some(k),
                b.get(k).unwrap_or(&null),
                a.get(k).unwrap_or(&null),
                tree,
                out,
            );
        }
        return;
    }
    if before.is_null() && after.is_null() {
        return;
    }
    out.push(FieldChange {
        label: field_label(key_text),
        before: value_text(key_text, before, tree),
        after: value_text(key_text, after, tree),
    });
}
