//! The people list as a table that draws only the rows in view (and a few either side): a rep
//! with 100,000 people scrolls through them as through fifty. Rows have one fixed height, so
//! the rows above and below the window are two spacer rows of the right height.

use crate::i18n::Msg;
use crate::selection::{all_selected, toggle_all, toggle_one};
use crate::state::use_app;
use api::{Person, PersonId};
use leptos::html;
use leptos::prelude::*;
use std::collections::HashSet;

/// A row's height in CSS pixels: every table's (`.cc-table tbody tr` in the style sheet).
pub const ROW_HEIGHT: f64 = 52.0;
/// Rows drawn beyond the window on each side.
const OVERSCAN: usize = 10;

/// The rows to draw, `[first, end)`, for a scroll position and a viewport height.
pub fn window(scroll_top: f64, viewport: f64, len: usize) -> (usize, usize) {
    let first = ((scroll_top / ROW_HEIGHT).floor().max(0.0) as usize).saturating_sub(OVERSCAN);
    let shown = (viewport / ROW_HEIGHT).ceil() as usize + 2 * OVERSCAN;
    let first = first.min(len);
    (first, (first + shown).min(len))
}

#[component]
pub fn PeopleTable(
    #[prop(into)] rows: Signal<Vec<Person>>,
    selected: RwSignal<HashSet<PersonId>>,
    #[prop(into)] total: Signal<Option<u64>>,
    /// The window came near the last row read: read more.
    #[prop(into)]
    on_near_end: Callback<usize>,
    #[prop(into)] person_href: Callback<PersonId, String>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let scroller = NodeRef::<html::Div>::new();
    let scroll_top = RwSignal::new(0.0);
    let viewport = RwSignal::new(600.0);
    let range = Memo::new(move |_| window(scroll_top.get(), viewport.get(), rows.with(Vec::len)));
    Effect::new(move |_| {
        let (_, end) = range.get();
        let len = rows.with(Vec::len);
        if len > 0 && end + 2 * OVERSCAN >= len {
            on_near_end.run(len);
        }
    });
    Effect::new(move |_| {
        if let Some(div) = scroller.get() {
            viewport.set(f64::from(div.client_height().max(1)));
        }
    });
    // A new search starts at the top.
    Effect::new(move |_| {
        if rows.with(Vec::is_empty) {
            if let Some(div) = scroller.get_untracked() {
                div.set_scroll_top(0);
            }
            scroll_top.set(0.0);
        }
    });
    let on_scroll = move |_| {
        if let Some(div) = scroller.get_untracked() {
            scroll_top.set(div.scroll_top() as f64);
            viewport.set(div.client_height() as f64);
        }
    };
    let all_ids = move || rows.with(|rows| rows.iter().map(|p| p.id).collect::<Vec<_>>());
    let shown = move || {
        let (first, end) = range.get();
        rows.with(|rows| {
            rows[first..end]
                .iter()
                .enumerate()
                .map(|(i, p)| (first + i, p.clone()))
                .collect::<Vec<_>>()
        })
    };
    let spacer = move |height: f64| format!("height: {height}px");
    view! {
        <div class="cc-wide cc-people-scroll" node_ref=scroller on:scroll=on_scroll>
            <table class="cc-table cc-people-table"
                aria-rowcount=move || total.get().map(|n| (n + 1).to_string())>
                <caption class="cc-visually-hidden">{move || t(Msg::NavPeople)}</caption>
                <thead>
                    <tr aria-rowindex="1">
                        <th scope="col" class="cc-select-col">
                            <input type="checkbox" aria-label=move || t(Msg::SelectAllPeople)
                                prop:checked=move || all_selected(selected, &all_ids())
                                on:change=move |_| toggle_all(selected, all_ids())/>
                        </th>
                        <th scope="col">{move || t(Msg::ColName)}</th>
                        <th scope="col">{move || t(Msg::Email)}</th>
                        <th scope="col">{move || t(Msg::ColCompany)}</th>
                        <th scope="col">{move || t(Msg::ColTitle)}</th>
                        <th scope="col">{move || t(Msg::ColPhone)}</th>
                    </tr>
                </thead>
                <tbody>
                    <tr aria-hidden="true" class="cc-spacer" style=move || spacer(range.get().0 as f64 * ROW_HEIGHT)></tr>
                    <For each=shown key=|(i, p)| (*i, p.id, p.name.clone(), p.opted_out, p.do_not_contact) let((index, person))>
                        <tr data-person-id=person.id.0 aria-rowindex=index + 2>
                            <td class="cc-select-col">
                                <input type="checkbox" aria-label=t(Msg::SelectPerson).replace("{name}", &person.name)
                                    prop:checked=move || selected.with(|s| s.contains(&person.id))
                                    on:change=move |_| toggle_one(selected, person.id)/>
                            </td>
                            <td class="cc-clip">
                                <a class="cc-person" href=person_href.run(person.id)>{person.name.clone()}</a>
                                {person.opted_out.then(|| view! { <span class="cc-badge cc-badge-opted-out">{move || t(Msg::Unsubscribed)}</span> })}
                                {(person.do_not_contact && !person.opted_out).then(|| view! { <span class="cc-badge cc-badge-opted-out">{move || t(Msg::DoNotContact)}</span> })}
                            </td>
                            <td class="cc-clip">{person.email.clone()}</td>
                            <td class="cc-clip">{person.company.clone()}</td>
                            <td class="cc-clip">{person.title.clone()}</td>
                            <td class="cc-clip">{person.phone.clone()}</td>
                        </tr>
                    </For>
                    <tr aria-hidden="true" class="cc-spacer"
                        style=move || spacer(rows.with(Vec::len).saturating_sub(range.get().1) as f64 * ROW_HEIGHT)></tr>
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_covers_the_view_and_a_margin_and_stays_in_the_list() {
        assert_eq!(window(0.0, 520.0, 1000), (0, 30));
        assert_eq!(window(52.0 * 500.0, 520.0, 1000), (490, 520));
        assert_eq!(window(52.0 * 995.0, 520.0, 1000), (985, 1000));
        assert_eq!(window(0.0, 520.0, 3), (0, 3));
    }
}
