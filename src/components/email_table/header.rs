//! The table's header row: select all, and a sort button on each column that sorts (the rows
//! loaded are sorted in the browser, at once).

use super::{actions_width, PERSON_WIDTH, SELECT_WIDTH};
use crate::components::actions::action_label;
use crate::components::columns::{Column, Width};
use crate::i18n::{Locale, Msg};
use crate::quick_filter::{Filterable, Folded};
use crate::state::use_app;
use api::{EmailSummary, Folder};
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Person,
    Subject,
    Campaign,
    Date,
    Views,
    Clicks,
    Replied,
    LastActivity,
}

impl SortKey {
    fn of(column: Column) -> Option<SortKey> {
        Some(match column {
            Column::Campaign => SortKey::Campaign,
            Column::Date => SortKey::Date,
            Column::Views => SortKey::Views,
            Column::Clicks => SortKey::Clicks,
            Column::Replied => SortKey::Replied,
            Column::LastActivity => SortKey::LastActivity,
            Column::Reason => return None,
        })
    }
}

/// Ascending, ties by id so that the order never jumps.
pub fn compare(key: SortKey, a: &EmailSummary, b: &EmailSummary) -> std::cmp::Ordering {
    match key {
        SortKey::Person => a.person.name.cmp(&b.person.name),
        SortKey::Subject => a.subject.cmp(&b.subject),
        SortKey::Campaign => a
            .campaign
            .as_ref()
            .map(|c| &c.name)
            .cmp(&b.campaign.as_ref().map(|c| &c.name)),
        SortKey::Date => a.folder_date().cmp(&b.folder_date()),
        SortKey::Views => a.views.cmp(&b.views),
        SortKey::Clicks => a.clicks.cmp(&b.clicks),
        SortKey::Replied => a.replies.cmp(&b.replies),
        SortKey::LastActivity => a.last_activity_at.cmp(&b.last_activity_at),
    }
    .then(a.id.cmp(&b.id))
}

impl Filterable for EmailSummary {
    fn folded(&self) -> Folded {
        let campaign = self.campaign.as_ref().map(|c| c.name.as_str());
        Folded::of(
            [
                self.person.name.as_str(),
                &self.person.email,
                &self.person.company,
                &self.subject,
            ]
            .into_iter()
            .chain(campaign),
        )
    }
}

#[component]
pub fn HeaderRow(
    folder: Memo<Folder>,
    columns: Memo<Vec<Column>>,
    sort: RwSignal<Option<(SortKey, bool)>>,
    read_only: bool,
    #[prop(into)] all_selected: Signal<bool>,
    #[prop(into)] on_toggle_all: Callback<()>,
    /// Wide enough for this folder's buttons: the table's layout is fixed.
    #[prop(into)]
    actions_width: Signal<Width>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    view! {
        <tr>
            {(!read_only).then(|| view! {
                <th scope="col" class="cc-select-col" style:width=SELECT_WIDTH.css()>
                    <input type="checkbox" aria-label=move || t(Msg::SelectAll)
                        prop:checked=all_selected on:change=move |_| on_toggle_all.run(())/>
                </th>
            })}
            {sort_header(sort, "person", Some(SortKey::Person), Signal::derive(move || t(Msg::ColPerson)), false, PERSON_WIDTH)}
            {sort_header(sort, "subject", Some(SortKey::Subject), Signal::derive(move || t(Msg::ColSubject)), false, Width::Rest)}
            {move || columns.get().into_iter().map(|column| {
                sort_header(sort, column.key(), SortKey::of(column), Signal::derive(move || t(column.label(folder.get()))), column.numeric(), column.width())
            }).collect_view()}
            {(!read_only).then(|| view! {
                <th scope="col" data-col="actions" style:width=move || actions_width.get().css()>
                    {move || t(Msg::ColActions)}
                </th>
            })}
        </tr>
    }
}

/// A column's header: a button that sorts by it (ascending, descending, unsorted), with
/// `aria-sort` saying which; a plain label for a column that does not sort.
fn sort_header(
    sort: RwSignal<Option<(SortKey, bool)>>,
    col: &'static str,
    key: Option<SortKey>,
    label: Signal<&'static str>,
    numeric: bool,
    width: Width,
) -> impl IntoView {
    let aria_sort = move || match (sort.get(), key) {
        (Some((k, true)), Some(key)) if k == key => "ascending",
        (Some((k, false)), Some(key)) if k == key => "descending",
        _ => "none",
    };
    let toggle = move |_| {
        let Some(key) = key else { return };
        sort.update(|s| {
            *s = match *s {
                Some((k, true)) if k == key => Some((key, false)),
                Some((k, false)) if k == key => None,
                _ => Some((key, true)),
            }
        })
    };
    view! {
        <th scope="col" data-col=col class:cc-num=numeric aria-sort=move || key.map(|_| aria_sort())
            style:width=width.css()>
            {match key {
                Some(_) => view! { <button type="button" class="cc-sort" on:click=toggle>{move || label.get()}</button> }.into_any(),
                None => view! { <span>{move || label.get()}</span> }.into_any(),
            }}
        </th>
    }
}

/// The actions column's width for `folder`: wide enough for its widest main action and "More",
/// in tenths of a unit rounded up (which action leads depends on the email:
/// api::EmailState::offered).
pub fn actions_column_width(folder: Folder, locale: Locale) -> Width {
    let status = folder.status();
    let main = status
        .is_editable()
        .then(|| locale.t(Msg::ActionEdit))
        .into_iter()
        .chain(
            status
                .quick_actions()
                .iter()
                .map(|&a| locale.t(action_label(a))),
        )
        .map(|label| actions_width([label, locale.t(Msg::MoreActions)]))
        .fold(actions_width([]), f64::max);
    Width::Tenths((main * 10.0).ceil() as u32)
}
