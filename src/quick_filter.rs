//! The quick filter over loaded rows runs on every keystroke, over up to tens of thousands of
//! rows and several fields each: the email table keeps each row's text folded from when it
//! arrived (`Loaded`); shorter lists compare in place without allocating (`contains_folded`).

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
        lower_case(text).contains(needle)
    }
}

/// `text` lower-cased. In the browser, non-ASCII text uses the browser's own case tables
/// (`String.prototype.toLowerCase`, the same Unicode mapping): Rust's tables would be some
/// kilobytes of the first download.
fn lower_case(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    #[cfg(target_arch = "wasm32")]
    return js_sys::JsString::from(text).to_lower_case().into();
    #[cfg(not(target_arch = "wasm32"))]
    return text.to_lowercase();
}

/// A row's text as the filter compares it: its fields lower-cased once, when the row arrives, so
/// that a keystroke costs one substring search per row instead of folding every field again.
/// Fields are joined by a control character no one types, so no match spans two fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Folded(String);

const FIELD_SEPARATOR: char = '\u{1f}';

impl Folded {
    pub fn of<'a>(fields: impl IntoIterator<Item = &'a str>) -> Self {
        let mut text = String::new();
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                text.push(FIELD_SEPARATOR);
            }
            // ASCII (most fields) is folded in place, without a string of its own.
            if field.is_ascii() {
                text.extend(field.chars().map(|c| c.to_ascii_lowercase()));
            } else {
                text.push_str(&lower_case(field));
            }
        }
        Folded(text)
    }

    /// Whether the row contains `needle` (made by [`needle`]).
    pub fn contains(&self, needle: &str) -> bool {
        self.0.contains(needle)
    }
}

/// A row the quick filter can search: the text it is found by.
pub trait Filterable {
    fn folded(&self) -> Folded;
}

/// The rows loaded so far, each beside its folded text.
#[derive(Clone, Debug)]
pub struct Loaded<T> {
    rows: Vec<T>,
    folded: Vec<Folded>,
}

impl<T> Default for Loaded<T> {
    fn default() -> Self {
        Loaded {
            rows: Vec::new(),
            folded: Vec::new(),
        }
    }
}

impl<T: Filterable> Loaded<T> {
    pub fn new(rows: Vec<T>) -> Self {
        let folded = rows.iter().map(Filterable::folded).collect();
        Loaded { rows, folded }
    }

    pub fn extend(&mut self, more: Vec<T>) {
        self.folded.extend(more.iter().map(Filterable::folded));
        self.rows.extend(more);
    }

    /// Takes a fresh read of the top of the list (`head`, in the list's order) in place of the
    /// rows it covers, and keeps the rows loaded beyond it: those that `come_after` its last
    /// row and are not in it. A live re-read must not take away the rows the rep scrolled to;
    /// but a head that `reached_the_end` is the whole list, and nothing lies beyond it.
    /// Returns whether any were kept (then loading goes on from where it had got to).
    pub fn refresh_head<Id: Eq + std::hash::Hash>(
        &mut self,
        head: Vec<T>,
        reached_the_end: bool,
        id_of: impl Fn(&T) -> Id,
        comes_after: impl Fn(&T, &T) -> bool,
    ) -> bool {
        if reached_the_end {
            *self = Loaded::new(head);
            return false;
        }
        let Some(last) = head.last() else {
            *self = Loaded::default();
            return false;
        };
        let in_head: std::collections::HashSet<Id> = head.iter().map(&id_of).collect();
        let start = self
            .rows
            .iter()
            .position(|row| comes_after(row, last))
            .unwrap_or(self.rows.len());
        let (tail_rows, tail_folded): (Vec<T>, Vec<Folded>) = self
            .rows
            .drain(start..)
            .zip(self.folded.drain(start..))
            .filter(|(row, _)| !in_head.contains(&id_of(row)))
            .unzip();
        let kept = !tail_rows.is_empty();
        *self = Loaded::new(head);
        self.rows.extend(tail_rows);
        self.folded.extend(tail_folded);
        kept
    }

    /// The positions of the rows that contain `needle` (made by [`needle`]), in load order.
    pub fn matching(&self, needle: &str) -> Vec<usize> {
        if needle.is_empty() {
            return (0..self.rows.len()).collect();
        }
        (0..self.rows.len())
            .filter(|&i| self.folded[i].contains(needle))
            .collect()
    }
}

impl<T> std::ops::Deref for Loaded<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.rows
    }
}

/// The filter's text as the rows are compared with it.
pub fn needle(typed: &str) -> String {
    lower_case(typed.trim())
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

    struct Row(&'static str, &'static str);

    impl Filterable for Row {
        fn folded(&self) -> Folded {
            Folded::of([self.0, self.1])
        }
    }

    #[test]
    fn loaded_rows_are_found_by_any_field_in_any_case_but_not_across_fields() {
        let mut loaded = Loaded::new(vec![
            Row("Aiko Tanaka", "ACME"),
            Row("Ben", "株式会社サクラ"),
        ]);
        loaded.extend(vec![Row("ÉCOLE Société", "")]);
        assert_eq!(loaded.len(), 3);
        assert_eq!(loaded.matching(&needle("acme")), vec![0]);
        assert_eq!(loaded.matching(&needle("TANAKA")), vec![0]);
        assert_eq!(loaded.matching(&needle("サクラ")), vec![1]);
        assert_eq!(loaded.matching(&needle("société")), vec![2]);
        assert_eq!(loaded.matching(""), vec![0, 1, 2]);
        // "tanakaacme" would only match if the two fields ran together.
        assert_eq!(loaded.matching("tanakaacme"), Vec::<usize>::new());
        assert_eq!(loaded.matching("kaac"), Vec::<usize>::new());
    }

    #[derive(Clone, Debug, PartialEq)]
    struct Ranked(i64, &'static str);

    impl Filterable for Ranked {
        fn folded(&self) -> Folded {
            Folded::of([self.1])
        }
    }

    /// Ordered by id, highest first, as a folder is newest first.
    fn refresh(loaded: &mut Loaded<Ranked>, head: Vec<Ranked>) -> bool {
        loaded.refresh_head(head, false, |r| r.0, |row, last| row.0 < last.0)
    }

    #[test]
    fn a_fresh_head_keeps_the_rows_loaded_beyond_it() {
        let rows = |ids: &[i64]| ids.iter().map(|&id| Ranked(id, "x")).collect::<Vec<_>>();
        let mut loaded = Loaded::new(rows(&[9, 8, 7, 6, 5, 4, 3]));
        // 10 is new, 8 left the list; 5 and below were loaded further down.
        assert!(refresh(&mut loaded, rows(&[10, 9, 7, 6])));
        assert_eq!(loaded.to_vec(), rows(&[10, 9, 7, 6, 5, 4, 3]));
        // 4 moved up to the top: it is not shown twice.
        assert!(refresh(&mut loaded, rows(&[4, 10, 9, 7])));
        assert_eq!(loaded.to_vec(), rows(&[4, 10, 9, 7, 6, 5, 3]));
        assert_eq!(
            loaded.matching("x").len(),
            7,
            "each kept row keeps its folded text"
        );
        // A head reaching past everything loaded keeps nothing more.
        assert!(!refresh(&mut loaded, rows(&[4, 3, 2, 1])));
        assert_eq!(loaded.to_vec(), rows(&[4, 3, 2, 1]));
        assert!(!refresh(&mut loaded, Vec::new()));
        assert!(loaded.is_empty());
        // A head that reached the end of the list is all of it.
        let mut loaded = Loaded::new(rows(&[9, 8, 7]));
        assert!(!loaded.refresh_head(rows(&[9, 8]), true, |r| r.0, |row, last| row.0 < last.0));
        assert_eq!(loaded.to_vec(), rows(&[9, 8]));
    }
}
