//! Searching Vietnamese text the way officers type it: without diacritics, in any case.
//! "khai sinh" finds "Đăng ký khai sinh"; "dang ky" finds it too.

use icu_normalizer::DecomposingNormalizerBorrowed;

/// Lower case, without diacritics (`đ` becomes `d`), spaces collapsed.
pub fn fold(text: &str) -> String {
    let decomposed = DecomposingNormalizerBorrowed::new_nfd().normalize(text);
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in decomposed.chars() {
        // Combining diacritical marks (U+0300–U+036F) carry Vietnamese tones and vowel marks.
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Whether every word of `query` occurs in one of `fields` (folded). An empty query matches.
pub fn matches(query: &str, fields: &[&str]) -> bool {
    let haystack: Vec<String> = fields.iter().map(|f| fold(f)).collect();
    fold(query)
        .split(' ')
        .filter(|w| !w.is_empty())
        .all(|w| haystack.iter().any(|h| h.contains(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_tones_marks_and_case() {
        assert_eq!(fold("Đăng ký khai sinh"), "dang ky khai sinh");
        assert_eq!(fold("  Cấp   GIẤY phép  "), "cap giay phep");
        assert_eq!(fold("Ưu đãi người có công"), "uu dai nguoi co cong");
        // Precomposed and decomposed input fold alike.
        assert_eq!(fold("Hộ tịch"), fold("Ho\u{323}\u{302} ti\u{323}ch"));
    }

    #[test]
    fn officers_find_procedures_without_diacritics() {
        let name = "Đăng ký khai sinh";
        for q in [
            "khai sinh",
            "dang ky khai",
            "KHAI SINH",
            "đăng ký",
            "ky khai",
            "",
        ] {
            assert!(matches(q, &[name, "1.001193"]), "{q}");
        }
        assert!(matches("1.0011", &[name, "1.001193"]), "by code");
        assert!(!matches("khai tu", &[name, "1.001193"]));
    }
}
