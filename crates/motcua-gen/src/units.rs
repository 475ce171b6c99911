//! The unit tree: Vietnam's two-level local government since 1 July 2025.
//!
//! 34 provinces and centrally-run cities (kind `province`) with 3,321 communes, wards and
//! special zones below them (kind `commune`, labelled `xã`, `phường` or `đặc khu`), under one
//! national root because a [`UnitTree`](motcua_core::unit::UnitTree) has exactly one root.
//!
//! The provinces and their sizes are close to the real ones (the sizes sum to 3,321) and the
//! 13 special zones are the real ones; the other commune and ward names are made up from
//! common Sino-Vietnamese syllables, so any resemblance to a real commune is chance. The tree
//! does not depend on the seed: data sets of different seeds share their units.

use std::collections::HashSet;

use motcua_core::search::fold;
use motcua_core::unit::{Unit, UnitCode, UnitCodeError, UnitKind};

use crate::rng::Rng;

/// The code of the national root.
pub const ROOT_CODE: &str = "vn";
/// The number of provinces and centrally-run cities.
pub const PROVINCES: usize = 34;
/// The number of communes, wards and special zones.
pub const COMMUNES: usize = 3_321;

/// A province: its name, whether it is a centrally-run city, its number of communes, and
/// the share of wards among them (per thousand).
struct Province {
    name: &'static str,
    city: bool,
    communes: usize,
    wards_per_mille: u64,
}

const fn p(name: &'static str, city: bool, communes: usize, wards_per_mille: u64) -> Province {
    Province {
        name,
        city,
        communes,
        wards_per_mille,
    }
}

/// The 34 provinces, north to south, with their number of communes (sum 3,321).
const PROVINCE_LIST: [Province; PROVINCES] = [
    p("Hà Nội", true, 126, 400),
    p("Cao Bằng", false, 56, 70),
    p("Tuyên Quang", false, 124, 60),
    p("Lào Cai", false, 99, 100),
    p("Điện Biên", false, 45, 70),
    p("Lai Châu", false, 38, 60),
    p("Sơn La", false, 75, 110),
    p("Thái Nguyên", false, 92, 160),
    p("Lạng Sơn", false, 65, 60),
    p("Quảng Ninh", false, 54, 550),
    p("Phú Thọ", false, 148, 90),
    p("Bắc Ninh", false, 99, 330),
    p("Hải Phòng", true, 114, 400),
    p("Hưng Yên", false, 104, 110),
    p("Ninh Bình", false, 129, 250),
    p("Thanh Hóa", false, 166, 120),
    p("Nghệ An", false, 130, 80),
    p("Hà Tĩnh", false, 69, 130),
    p("Quảng Trị", false, 78, 100),
    p("Huế", true, 40, 530),
    p("Đà Nẵng", true, 94, 250),
    p("Quảng Ngãi", false, 96, 100),
    p("Gia Lai", false, 135, 190),
    p("Khánh Hòa", false, 65, 250),
    p("Đắk Lắk", false, 102, 180),
    p("Lâm Đồng", false, 124, 160),
    p("Đồng Nai", false, 95, 250),
    p("Hồ Chí Minh", true, 168, 670),
    p("Tây Ninh", false, 96, 150),
    p("Cần Thơ", true, 103, 300),
    p("Vĩnh Long", false, 124, 150),
    p("Đồng Tháp", false, 102, 200),
    p("Cà Mau", false, 64, 140),
    p("An Giang", false, 102, 140),
];

/// The 13 special zones (đặc khu) and the province each belongs to.
const SPECIAL_ZONES: [(&str, &str); 13] = [
    ("Quảng Ninh", "Vân Đồn"),
    ("Quảng Ninh", "Cô Tô"),
    ("Hải Phòng", "Cát Hải"),
    ("Hải Phòng", "Bạch Long Vĩ"),
    ("Quảng Trị", "Cồn Cỏ"),
    ("Đà Nẵng", "Hoàng Sa"),
    ("Quảng Ngãi", "Lý Sơn"),
    ("Khánh Hòa", "Trường Sa"),
    ("Lâm Đồng", "Phú Quý"),
    ("Hồ Chí Minh", "Côn Đảo"),
    ("An Giang", "Phú Quốc"),
    ("An Giang", "Kiên Hải"),
    ("An Giang", "Thổ Châu"),
];

/// Syllables commune names are made of: a first and a second syllable, as in `Tân Phú`.
const FIRST: [&str; 40] = [
    "Tân", "Phú", "An", "Bình", "Hòa", "Long", "Mỹ", "Vĩnh", "Thạnh", "Phước", "Đông", "Tây",
    "Nam", "Bắc", "Trung", "Hưng", "Thuận", "Xuân", "Quảng", "Gia", "Yên", "Hải", "Sơn", "Minh",
    "Đức", "Thanh", "Kim", "Cẩm", "Hương", "Hồng", "Lạc", "Định", "Nghĩa", "Thái", "Hiệp", "Khánh",
    "Phong", "Lâm", "Ngọc", "Tiên",
];
const SECOND: [&str; 40] = [
    "Phú", "Lợi", "Hòa", "Bình", "An", "Hưng", "Thịnh", "Lộc", "Phúc", "Thành", "Long", "Sơn",
    "Hải", "Lâm", "Tiến", "Điền", "Mỹ", "Thuận", "Quang", "Minh", "Xuân", "Trung", "Đông", "Tây",
    "Nam", "Bắc", "Hội", "Hiệp", "Khê", "Giang", "Thủy", "Châu", "Yên", "Ninh", "Định", "Tân",
    "Vinh", "Cường", "Dương", "Hà",
];

/// The tree depends on no seed: names come from this fixed stream (20250701: 1 July 2025, the
/// day the two-level local government began).
const NAMES_SEED: u64 = 20_250_701;

/// `Tân Phú` → `tan-phu`.
fn slug(name: &str) -> String {
    fold(name).replace(' ', "-")
}

fn code(text: &str) -> Result<UnitCode, UnitCodeError> {
    UnitCode::parse(text)
}

fn unit(
    code: UnitCode,
    label: &str,
    short_name: &str,
    kind: UnitKind,
    parent: Option<&UnitCode>,
) -> Unit {
    Unit {
        name: format!("UBND {label} {short_name}"),
        code,
        short_name: short_name.to_owned(),
        kind,
        label: label.to_owned(),
        parent: parent.cloned(),
        office_hours: None,
        address: None,
        phone: None,
    }
}

/// Every unit, parents first: the national root, the 34 provinces, then the communes of each
/// province in turn.
///
/// The root has code `vn`, name `Cả nước` and kind `district`: the tree needs one root, and
/// since district-level government was abolished on 1 July 2025 no procedure of the
/// catalogue is offered by a district, so the root carries out nothing and adds no online
/// service offering (it only gathers the scopes). Its label and short name read as
/// `nước Việt Nam` where a sentence names it.
pub fn units() -> Result<Vec<Unit>, UnitCodeError> {
    let root = code(ROOT_CODE)?;
    let mut out = Vec::with_capacity(1 + PROVINCES + COMMUNES);
    out.push(Unit {
        code: root.clone(),
        name: "Cả nước".to_owned(),
        short_name: "Việt Nam".to_owned(),
        kind: UnitKind::District,
        label: "nước".to_owned(),
        parent: None,
        office_hours: None,
        address: None,
        phone: None,
    });
    let mut taken: HashSet<String> = HashSet::from([ROOT_CODE.to_owned()]);
    let mut province_codes = Vec::with_capacity(PROVINCES);
    for p in &PROVINCE_LIST {
        let text = slug(p.name);
        taken.insert(text.clone());
        let c = code(&text)?;
        let label = if p.city { "thành phố" } else { "tỉnh" };
        out.push(unit(
            c.clone(),
            label,
            p.name,
            UnitKind::Province,
            Some(&root),
        ));
        province_codes.push(c);
    }
    let mut rng = Rng::new(NAMES_SEED, 0);
    for (p, parent) in PROVINCE_LIST.iter().zip(&province_codes) {
        let zones: Vec<&str> = SPECIAL_ZONES
            .iter()
            .filter(|(province, _)| *province == p.name)
            .map(|&(_, zone)| zone)
            .collect();
        let mut names: HashSet<String> = zones.iter().map(|z| (*z).to_owned()).collect();
        for i in 0..p.communes {
            let (label, name) = match zones.get(i) {
                Some(zone) => ("đặc khu", (*zone).to_owned()),
                None => {
                    let name = loop {
                        let a = FIRST[rng.below(FIRST.len() as u64) as usize];
                        let b = SECOND[rng.below(SECOND.len() as u64) as usize];
                        let name = format!("{a} {b}");
                        if a != b && names.insert(name.clone()) {
                            break name;
                        }
                    };
                    let label = if rng.chance(p.wards_per_mille * 1_000) {
                        "phường"
                    } else {
                        "xã"
                    };
                    (label, name)
                }
            };
            // Codes are unique in the whole tree: a name met again in another province gets
            // a number (`tan-phu`, `tan-phu-2`…).
            let base = slug(&name);
            let mut text = base.clone();
            let mut n = 1;
            while !taken.insert(text.clone()) {
                n += 1;
                text = format!("{base}-{n}");
            }
            out.push(unit(
                code(&text)?,
                label,
                &name,
                UnitKind::Commune,
                Some(parent),
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_add_up() {
        assert_eq!(
            PROVINCE_LIST.iter().map(|p| p.communes).sum::<usize>(),
            COMMUNES
        );
        for (province, _) in SPECIAL_ZONES {
            assert!(
                PROVINCE_LIST.iter().any(|p| p.name == province),
                "{province}"
            );
        }
        assert_eq!(slug("Hồ Chí Minh"), "ho-chi-minh");
        assert_eq!(slug("Đắk Lắk"), "dak-lak");
    }
}
