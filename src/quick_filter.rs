//! The quick filter over loaded rows runs on every keystroke, over up to tens of thousands of
//! rows and several fields each: it must not allocate per field.

/// Whether `text` contains `needle` (already lower-cased), ignoring case. ASCII text (names,
/// addresses, most subjects) is compared in place; other text is lower-cased first.
pub fn contains_folded(text: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if text.is_ascii() {
        let (text, needle) = (text.as_bytes(), needle.as_bytes());
        needle.len() <= text.len()
            && text
                .windows(needle.len())
                .any(|window| window.eq_ignore_ascii_case(needle))
    } else {
        text.to_lowercase().contains(needle)
    }
}

/// The filter's text as the rows are compared with it.
pub fn needle(typed: &str) -> String {
    typed.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn folds_case_in_ascii_and_beyond() {
        assert!(contains_folded("Aiko Tanaka", "tan"));
        assert!(contains_folded("Aiko Tanaka", ""));
        assert!(!contains_folded("Aiko", "aikoo"));
        assert!(contains_folded("ÉCOLE Société", "société"));
        assert!(contains_folded("株式会社サクラ", "サクラ"));
        assert!(!contains_folded("Sakura", "サクラ"));
        assert_eq!(needle("  ACME "), "acme");
    }
}
