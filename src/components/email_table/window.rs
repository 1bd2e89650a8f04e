//! Which loaded rows the table shows, and which of those exist in the DOM: the quick filter and
//! the sort work over the loaded rows in the browser, without the server; only the rows in and
//! near the viewport are drawn, between two spacer rows as tall as the rows scrolled past.

use super::header::{compare, SortKey};
use crate::quick_filter::Loaded;
use api::{EmailId, EmailSummary};
use leptos::prelude::*;

/// Rows have one fixed height so that only the visible ones need to exist (see style/main.css):
/// a table row's, or on a phone (up to `CARDS_UP_TO` px wide) a card's.
const ROW_HEIGHT: f64 = 52.0;
const CARD_HEIGHT: f64 = 92.0;
const CARDS_UP_TO: f64 = 640.0;
/// Rows rendered beyond each edge of the viewport, so that the browser, which scrolls before the
/// rows are redrawn, shows rows and not a gap. Each one is paid for on every keystroke in the
/// quick filter and every screenful scrolled: the rows in view are about 20 elements each, and
/// making and laying out a screenful of them is most of a frame.
const OVERSCAN: usize = 3;

fn row_height() -> f64 {
    let width = window().inner_width().ok().and_then(|w| w.as_f64());
    if width.is_some_and(|w| w <= CARDS_UP_TO) {
        CARD_HEIGHT
    } else {
        ROW_HEIGHT
    }
}

#[derive(Clone, Copy)]
pub struct RowWindow {
    pub filter: RwSignal<String>,
    pub sort: RwSignal<Option<(SortKey, bool)>>,
    /// The positions in the loaded rows of the rows shown, in order (no row is copied for this).
    visible: Memo<Vec<usize>>,
    /// The shown rows (by position in `visible`) that are drawn: `first..end`.
    pub range: Memo<(usize, usize)>,
    rows: RwSignal<Loaded<EmailSummary>>,
    scroll_top: RwSignal<f64>,
    viewport_height: RwSignal<f64>,
    row_height: RwSignal<f64>,
    pub scroller: NodeRef<leptos::html::Div>,
}

impl RowWindow {
    pub fn new(rows: RwSignal<Loaded<EmailSummary>>) -> Self {
        let filter = RwSignal::new(String::new());
        let sort = RwSignal::new(None::<(SortKey, bool)>);
        let (scroll_top, viewport_height) = (RwSignal::new(0.0f64), RwSignal::new(640.0f64));
        let row_height = RwSignal::new(self::row_height());
        // A phone turned sideways may cross from cards to table rows.
        let resized = window_event_listener(leptos::ev::resize, move |_| {
            row_height.set(self::row_height())
        });
        on_cleanup(move || resized.remove());
        let visible = Memo::new(move |_| {
            let needle = crate::quick_filter::needle(&filter.get());
            let sort = sort.get();
            rows.with(|rows| {
                let mut shown = rows.matching(&needle);
                if let Some((key, ascending)) = sort {
                    shown.sort_by(|&a, &b| {
                        let (a, b) = if ascending { (a, b) } else { (b, a) };
                        compare(key, &rows[a], &rows[b])
                    });
                }
                shown
            })
        });
        let range = Memo::new(move |_| {
            let len = visible.with(Vec::len);
            let height = row_height.get();
            let top = ((scroll_top.get() / height) as usize).min(len);
            let in_view = (viewport_height.get() / height).ceil() as usize;
            (
                top.saturating_sub(OVERSCAN),
                (top + in_view + OVERSCAN).min(len),
            )
        });
        RowWindow {
            filter,
            sort,
            visible,
            range,
            rows,
            scroll_top,
            viewport_height,
            row_height,
            scroller: NodeRef::new(),
        }
    }

    pub fn shown(self) -> usize {
        self.visible.with(Vec::len)
    }

    /// The ids of the rows shown (what "select all" selects).
    pub fn shown_ids(self) -> Vec<EmailId> {
        self.visible.with(|v| {
            self.rows
                .with(|rows| v.iter().map(|&i| rows[i].id).collect())
        })
    }

    /// The emails drawn, in order.
    pub fn with_drawn<T>(self, draw: impl FnOnce(&[&EmailSummary]) -> T) -> T {
        let (first, end) = self.range.get();
        self.visible.with(|visible| {
            self.rows.with(|rows| {
                let emails: Vec<&EmailSummary> =
                    visible[first..end].iter().map(|&i| &rows[i]).collect();
                draw(&emails)
            })
        })
    }

    pub fn on_scroll(self, ev: &leptos::ev::Event) {
        let target: web_sys::Element = event_target(ev);
        self.scroll_top.set(target.scroll_top() as f64);
        self.viewport_height
            .set(target.client_height().max(1) as f64);
    }

    /// Another folder starts at its top.
    pub fn to_top(self) {
        self.scroll_top.set(0.0);
        if let Some(scroller) = self.scroller.get_untracked() {
            scroller.set_scroll_top(0);
        }
    }

    /// The spacers' heights, in whole pixels (no float formatting code is needed for them).
    pub fn above(self) -> String {
        self.pixels(self.range.get().0)
    }

    pub fn below(self) -> String {
        self.pixels(self.shown() - self.range.get().1)
    }

    fn pixels(self, rows: usize) -> String {
        format!("{}px", rows * self.row_height.get() as usize)
    }
}
