//! A folder's emails: loaded page by page, re-read live, filtered and sorted instantly in the
//! browser, with quick actions per row and on a selection.

mod footer;
mod header;
mod loader;
mod row_events;
mod tools;
mod window;

use crate::api_client::ApiError;
use crate::components::columns::{load_hidden, table_min_width, Column, Width};
use crate::components::email_rows::{email_state, Look, Rows};
use crate::components::error_banner::ErrorBanner;
use crate::components::folder_tabs::folder_label;
use crate::components::row_menu::{RowMenu, RowMenuState};
use crate::components::time_ago::Minute;
use crate::live::use_live;
use crate::split;
use crate::state::use_app;
use api::{EmailId, Folder};
use footer::TableFooter;
use header::{actions_column_width, HeaderRow};
use leptos::prelude::*;
use loader::{FolderRows, Request};
use row_events::RowEvents;
use tools::TableTools;
use window::RowWindow;

/// The widths of the columns every folder has (see `Column::width` for the others); the subject
/// takes what is left, and the table scrolls sideways before that is less than its minimum.
pub(crate) const SELECT_WIDTH: Width = Width::Tenths(25);
pub(crate) const PERSON_WIDTH: Width = Width::Percent(13);
const SUBJECT_MIN_WIDTH: u32 = 80;
/// The next page is asked for when the viewport gets this close to the last loaded row.
const PREFETCH_ROWS: usize = 30;

/// The width, in spacing units, of a row's action buttons with these labels: a fixed table
/// layout takes it from the header, so it is reckoned from the labels (small text: about 0.45
/// unit a Latin letter, 0.8 a full-width one; each button's padding and border, the gaps).
pub fn actions_width<'a>(labels: impl IntoIterator<Item = &'a str>) -> f64 {
    const CELL_PADDING: f64 = 1.0;
    const BUTTON_FRAME: f64 = 1.15;
    const GAP: f64 = 0.25;
    let text = |label: &str| -> f64 {
        label
            .chars()
            .map(|c| if c.is_ascii() { 0.45 } else { 0.8 })
            .sum()
    };
    let buttons: Vec<f64> = labels.into_iter().map(|l| text(l) + BUTTON_FRAME).collect();
    let gaps = buttons.len().saturating_sub(1) as f64 * GAP;
    CELL_PADDING + buttons.iter().sum::<f64>() + gaps
}

#[component]
pub fn EmailTable(
    folder: Memo<Folder>,
    #[prop(into)] total: Signal<Option<u64>>,
    /// The rep has a draft already (the Drafts count): no row offers to unschedule into another.
    #[prop(into)]
    rep_has_draft: Signal<bool>,
    #[prop(into)] on_open: Callback<EmailId>,
    #[prop(into)] on_edit: Callback<EmailId>,
) -> impl IntoView {
    let state = use_app();
    let router = crate::router::use_router();
    let live = use_live();
    // Another's emails (view as) are for reading: no selection, no actions.
    let read_only = state.viewed_id().is_some();
    let loader = FolderRows::new(folder);
    let FolderRows { rows, selected, .. } = loader;
    let ever_selected = Memo::new(move |before: Option<&bool>| {
        before == Some(&true) || selected.with(|s| !s.is_empty())
    });
    // What the bulk bar needs of each selected row to offer only what applies, and to how many.
    let chosen_states = Signal::derive(move || {
        selected.with(|selected| {
            rows.with(|rows| {
                rows.iter()
                    .filter(|e| selected.contains(&e.id))
                    .map(|e| (e.id, email_state(e, rep_has_draft.get())))
                    .collect::<Vec<_>>()
            })
        })
    });
    let notice = RwSignal::new(None::<String>);
    let action_error = RwSignal::new(None::<ApiError>);
    let hidden = RwSignal::new(load_hidden(folder.get_untracked()));
    let window = RowWindow::new(rows);
    let columns = Memo::new(move |_| {
        let folder = folder.get();
        hidden.with(|hidden| {
            Column::ALL
                .into_iter()
                .filter(|c| c.applies_to(folder) && !hidden.contains(c))
                .collect::<Vec<_>>()
        })
    });
    Effect::new(move |_| {
        let folder = folder.get();
        notice.set(None);
        hidden.set(load_hidden(folder));
        window.to_top();
        loader.restart();
    });
    // Live: re-read what is loaded whenever the rep's emails change.
    Effect::new(move |first: Option<()>| {
        live.emails.track();
        if first.is_some() {
            loader.fetch(Request::Reread);
        }
    });
    // Infinite scroll: near the end of what is loaded, load the next page. Not while the quick
    // filter is on: it narrows what is loaded, and a filter matching little would otherwise pull
    // in the whole folder page after page ("Load more" is there for that).
    Effect::new(move |_| {
        let (_, end) = window.range.get();
        let near_end = end + PREFETCH_ROWS >= window.shown();
        let filtering = window.filter.with(|f| !f.trim().is_empty());
        if near_end && !filtering && loader.can_load_more() {
            loader.next_page();
        }
    });
    // The rows in view, drawn by hand (see email_rows), again whenever what they show changes.
    let top_spacer = NodeRef::<leptos::html::Tr>::new();
    let painted = StoredValue::new_local(Rows::default());
    let minute = use_context::<Minute>();
    Effect::new(move |_| {
        let look = Look {
            locale: state.locale.get(),
            columns: columns.get(),
            minute: minute.map_or(0, Minute::get),
            rep_has_draft: rep_has_draft.get(),
            person_href: state.people_href(&router),
            read_only,
        };
        let Some(top) = top_spacer.get() else {
            return;
        };
        window.with_drawn(|emails| {
            selected.with_untracked(|selected| {
                painted.update_value(|painted| painted.show(&top, emails, &look, selected))
            })
        });
    });
    // A checkbox ticked or a selection cleared only re-marks the rows on screen.
    Effect::new(move |_| {
        selected.with(|selected| painted.with_value(|painted| painted.mark_selected(selected)));
    });
    let events = RowEvents {
        state,
        live,
        loader,
        rep_has_draft,
        on_open,
        on_edit,
        notice,
        action_error,
        menu: RowMenuState::new(),
    };

    let t = move |msg| state.t(msg);
    let actions_column = move || actions_column_width(folder.get(), state.locale.get());
    let all_selected = move || crate::selection::all_selected(selected, &window.shown_ids());
    let toggle_all = move || crate::selection::toggle_all(selected, window.shown_ids());
    let spacer_colspan = move || columns.with(Vec::len) + if read_only { 2 } else { 4 };

    view! {
        <TableTools folder=folder filter=window.filter hidden=hidden notice=notice/>
        {move || action_error.get().map(|error| view! { <ErrorBanner error=error on_retry=move |_| action_error.set(None)/> })}
        // Its code arrives when first needed: once rows are selected, it stays.
        {move || ever_selected.get().then(|| crate::later!(split::bulk_bar(folder, selected, chosen_states), split::load_bulk_bar))}
        <div class="cc-table-scroll" node_ref=window.scroller on:scroll=move |ev| window.on_scroll(&ev)>
            <table class="cc-table cc-email-table" style:min-width=move || {
                let fixed = [SELECT_WIDTH, PERSON_WIDTH, actions_column()];
                let fixed = if read_only { &fixed[1..2] } else { &fixed[..] };
                columns.with(|columns| {
                    let widths = fixed.iter().copied().chain(columns.iter().map(|c| c.width()));
                    table_min_width(widths, SUBJECT_MIN_WIDTH).css()
                })
            }>
                <caption class="cc-visually-hidden">{move || t(folder_label(folder.get()))}</caption>
                <thead>
                    <HeaderRow folder=folder columns=columns sort=window.sort read_only=read_only
                        all_selected=Signal::derive(all_selected) on_toggle_all=move |_| toggle_all()
                        actions_width=Signal::derive(actions_column)/>
                </thead>
                <tbody on:click=move |ev| events.click(&ev) on:change=move |ev| events.change(&ev)>
                    // The rows scrolled past above and below; the rows in view go between
                    // (drawn by the effect above).
                    <tr class="cc-spacer" aria-hidden="true" node_ref=top_spacer
                        style:height=move || window.above()>
                        <td colspan=spacer_colspan></td>
                    </tr>
                    <tr class="cc-spacer" aria-hidden="true"
                        style:height=move || window.below()>
                        <td colspan=spacer_colspan></td>
                    </tr>
                </tbody>
            </table>
        </div>
        <RowMenu menu=events.menu on_pick=move |picked| events.pick(picked)/>
        <TableFooter loader=loader shown=Signal::derive(move || window.shown()) total=total/>
    }
}

#[cfg(test)]
mod tests {
    use super::actions_width;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn action_buttons_get_room_for_their_labels_in_either_script() {
        let delivered_en = actions_width(["Archive", "Mark as success"]);
        // 202 px measured in Chromium at a 16 px unit, with room to spare.
        assert!(delivered_en * 16.0 >= 202.0, "{delivered_en}");
        assert!(delivered_en < actions_width(["Archive", "Mark as success", "Delete"]));
        // Five full-width letters take more room than five Latin ones.
        assert!(actions_width(["アーカイブ"]) > actions_width(["Archi"]));
        assert_eq!(actions_width([]), 1.0);
    }
}
