//! The small rules of the narrative's wording: units by name (`Phòng Tư pháp`, `xã Vĩnh
//! Khê`), lists joined the Vietnamese way, abbreviations spelled out at first use.

use super::Section;

/// The first letter in lower case (`Tỷ lệ …` → `tỷ lệ …`).
pub(super) fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A unit in a sentence: its label and name. A commune's label is a common noun (`xã Vĩnh
/// Khê`); a department's is part of its proper name, capitalised mid-sentence too
/// (`Phòng Tư pháp`).
pub fn unit_name(label: &str, short_name: &str) -> String {
    const PROPER: [&str; 6] = ["phòng", "văn phòng", "ban", "sở", "chi cục", "trung tâm"];
    if PROPER.contains(&label.to_lowercase().as_str()) {
        format!("{} {short_name}", crate::display::capitalise(label))
    } else {
        format!("{label} {short_name}")
    }
}

/// `Cửa Tùng, Vĩnh Chấp và Vĩnh Lâm`.
pub(super) fn join_vi(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} và {last}", init.join(", ")),
    }
}

/// The abbreviations the narrative uses, with what they stand for.
pub(super) const ABBREVIATIONS: [(&str, &str); 2] =
    [("TTHC", "thủ tục hành chính"), ("UBND", "Ủy ban nhân dân")];

/// Spells `abbr` out at its first use in the paragraphs (headings are titles and keep their
/// words): where the words come first, the abbreviation follows them in brackets
/// (`thủ tục hành chính (TTHC)`); where the abbreviation comes first, the words replace it,
/// followed by the abbreviation only when it is used again.
pub(super) fn spell_out(sections: &mut [Section], abbr: &str, full: &str) {
    let uses: usize = sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .map(|p| p.matches(abbr).count())
        .sum();
    if uses == 0 {
        return;
    }
    for p in sections.iter_mut().flat_map(|s| &mut s.paragraphs) {
        let at_abbr = p.find(abbr);
        let at_full = p.find(full);
        match (at_full, at_abbr) {
            (Some(f), a) if a.is_none_or(|a| f < a) => {
                let end = f + full.len();
                p.insert_str(end, &format!(" ({abbr})"));
                return;
            }
            (_, Some(a)) => {
                let words = if uses > 1 {
                    format!("{full} ({abbr})")
                } else {
                    full.to_owned()
                };
                p.replace_range(a..a + abbr.len(), &words);
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(paragraphs: &[&str]) -> Vec<Section> {
        vec![Section {
            heading: "1. Thủ tục hành chính".to_owned(),
            paragraphs: paragraphs.iter().map(|p| (*p).to_owned()).collect(),
        }]
    }

    #[test]
    fn abbreviations_are_spelled_out_once() {
        let mut s = sections(&["giải quyết thủ tục hành chính.", "kết quả TTHC."]);
        spell_out(&mut s, "TTHC", "thủ tục hành chính");
        assert_eq!(s[0].paragraphs[0], "giải quyết thủ tục hành chính (TTHC).");
        let mut s = sections(&["về UBND huyện.", "UBND xã."]);
        spell_out(&mut s, "UBND", "Ủy ban nhân dân");
        assert_eq!(s[0].paragraphs[0], "về Ủy ban nhân dân (UBND) huyện.");
        assert_eq!(s[0].paragraphs[1], "UBND xã.");
        let mut s = sections(&["về UBND huyện."]);
        spell_out(&mut s, "UBND", "Ủy ban nhân dân");
        assert_eq!(s[0].paragraphs[0], "về Ủy ban nhân dân huyện.");
        let mut s = sections(&["thủ tục hành chính"]);
        spell_out(&mut s, "TTHC", "thủ tục hành chính");
        assert_eq!(s[0].paragraphs[0], "thủ tục hành chính");
    }

    #[test]
    fn departments_are_names() {
        assert_eq!(unit_name("phòng", "Tư pháp"), "Phòng Tư pháp");
        assert_eq!(unit_name("xã", "Vĩnh Khê"), "xã Vĩnh Khê");
    }
}
