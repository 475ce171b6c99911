//! Vietnamese alphabetical order (ICU4X collation for `vi`).
//!
//! Byte order would put Ă, Â, Đ, Ô, Ơ and Ư after Z; the Vietnamese alphabet puts them next
//! to their base letters (A < Ă < Â, D < Đ, O < Ô < Ơ, U < Ư) and orders tones as
//! ngang, huyền, hỏi, ngã, sắc, nặng.

use std::cmp::Ordering;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale::locale;

/// Compares texts in Vietnamese alphabetical order.
pub struct VietnameseOrder {
    collator: Option<CollatorBorrowed<'static>>,
}

impl VietnameseOrder {
    pub fn new() -> Self {
        // The data is compiled into the binary, so this cannot fail for `vi`; should it ever,
        // falling back to code-point order keeps lists usable rather than failing a report.
        let collator = Collator::try_new(locale!("vi").into(), CollatorOptions::default()).ok();
        Self { collator }
    }

    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        match &self.collator {
            Some(c) => c.compare(a, b),
            None => a.cmp(b),
        }
    }

    /// Sorts items by a text key in Vietnamese order.
    pub fn sort_by_key<T>(&self, items: &mut [T], key: impl Fn(&T) -> &str) {
        items.sort_by(|a, b| self.compare(key(a), key(b)));
    }
}

impl Default for VietnameseOrder {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_letters_sit_next_to_their_base() {
        let mut names = vec![
            "Vĩnh Tú",
            "Vĩnh Long",
            "Cửa Tùng",
            "Vĩnh Chấp",
            "Vĩnh Thái",
            "Vĩnh Lâm",
            "Đông Hà",
            "Dương",
            "Ông",
            "Ơn",
            "Zê",
        ];
        VietnameseOrder::new().sort_by_key(&mut names, |s| s);
        assert_eq!(
            names,
            [
                "Cửa Tùng",
                "Dương",
                "Đông Hà",
                "Ông",
                "Ơn",
                "Vĩnh Chấp",
                "Vĩnh Lâm",
                "Vĩnh Long",
                "Vĩnh Thái",
                "Vĩnh Tú",
                "Zê"
            ]
        );
    }
}
