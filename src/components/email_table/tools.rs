//! Above the table: the quick filter, the menu of columns to show (kept per folder), and what
//! the last action did.

use crate::components::columns::{save_hidden, Column};
use crate::i18n::Msg;
use crate::state::use_app;
use api::Folder;
use leptos::prelude::*;
use std::collections::HashSet;

#[component]
pub fn TableTools(
    folder: Memo<Folder>,
    filter: RwSignal<String>,
    hidden: RwSignal<HashSet<Column>>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let toggle_column = move |column: Column| {
        hidden.update(|h| {
            if !h.remove(&column) {
                h.insert(column);
            }
        });
        save_hidden(folder.get_untracked(), &hidden.get_untracked());
    };
    view! {
        <div class="cc-table-tools">
            <label class="cc-filter">
                <span class="cc-visually-hidden">{move || t(Msg::QuickFilter)}</span>
                <input type="search" placeholder=move || t(Msg::QuickFilterPlaceholder)
                    aria-label=move || t(Msg::QuickFilter) bind:value=filter/>
            </label>
            <details class="cc-columns">
                <summary>{move || t(Msg::Columns)}</summary>
                <fieldset>
                    <legend class="cc-visually-hidden">{move || t(Msg::Columns)}</legend>
                    {move || {
                        let folder = folder.get();
                        Column::ALL.into_iter().filter(|c| c.applies_to(folder)).map(|column| view! {
                            <label class="cc-check">
                                <input type="checkbox" prop:checked=move || !hidden.with(|h| h.contains(&column))
                                    on:change=move |_| toggle_column(column)/>
                                {move || t(column.label(folder))}
                            </label>
                        }).collect_view()
                    }}
                </fieldset>
            </details>
            <p class="cc-status" role="status">{move || notice.get()}</p>
        </div>
    }
}
