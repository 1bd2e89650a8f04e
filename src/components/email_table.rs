//! A folder's emails: loaded page by page, re-read live, filtered and sorted instantly in the
//! browser, with quick actions per row and on a selection.

use crate::api_client::ApiError;
use crate::components::actions::{self, action_label, RowAction};
use crate::components::columns::{load_hidden, save_hidden, table_min_width, Column, Width};
use crate::components::email_rows::{email_state, Look, Rows};
use crate::components::error_banner::ErrorBanner;
use crate::components::folder_tabs::folder_label;
use crate::components::row_menu::{MenuItem, RowMenu, RowMenuState};
use crate::components::time_ago::Minute;
use crate::i18n::Msg;
use crate::live::use_live;
use crate::quick_filter::{Filterable, Folded, Loaded};
use crate::split;
use crate::state::use_app;
use api::{EmailAction, EmailSummary, Folder, Id};
use leptos::prelude::*;
use std::collections::HashSet;
use wasm_bindgen::JsCast;

const PAGE_SIZE: usize = 50;
/// The widths of the columns every folder has (see `Column::width` for the others); the subject
/// takes what is left, and the table scrolls sideways before that is less than its minimum.
const SELECT_WIDTH: Width = Width::Tenths(25);
const PERSON_WIDTH: Width = Width::Percent(13);
const SUBJECT_MIN_WIDTH: u32 = 80;
/// A live re-read fetches what is on screen, up to the API's page limit.
const MAX_RELOAD: usize = 200;
/// Rows have one fixed height so that only the visible ones need to exist (see style/main.css):
/// a table row's, or on a phone (up to `CARDS_UP_TO` px wide) a card's.
const ROW_HEIGHT: f64 = 52.0;
const CARD_HEIGHT: f64 = 92.0;
const CARDS_UP_TO: f64 = 640.0;

fn row_height() -> f64 {
    let width = window().inner_width().ok().and_then(|w| w.as_f64());
    if width.is_some_and(|w| w <= CARDS_UP_TO) {
        CARD_HEIGHT
    } else {
        ROW_HEIGHT
    }
}
/// Rows rendered beyond each edge of the viewport, so that the browser, which scrolls before the
/// rows are redrawn, shows rows and not a gap. Each one is paid for on every keystroke in the
/// quick filter and every screenful scrolled: the rows in view are about 20 elements each, and
/// making and laying out a screenful of them is most of a frame.
const OVERSCAN: usize = 3;
/// The next page is asked for when the viewport gets this close to the last loaded row.
const PREFETCH_ROWS: usize = 30;

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

fn compare(key: SortKey, a: &EmailSummary, b: &EmailSummary) -> std::cmp::Ordering {
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

#[derive(Clone, Debug)]
enum Load {
    Idle,
    Loading,
    /// What failed is what Try again asks for again.
    Failed(ApiError, Request),
}

/// A read of the folder's rows.
#[derive(Clone, Debug)]
enum Request {
    /// The page after `cursor` (the first page without one), appended.
    Page(Option<String>),
    /// The rows loaded so far, read again from the top after a live change.
    Reread,
}

#[component]
pub fn EmailTable(
    folder: Memo<Folder>,
    #[prop(into)] total: Signal<Option<u64>>,
    /// The rep has a draft already (the Drafts count): no row offers to unschedule into another.
    #[prop(into)]
    rep_has_draft: Signal<bool>,
    #[prop(into)] on_open: Callback<Id>,
    #[prop(into)] on_edit: Callback<Id>,
) -> impl IntoView {
    let state = use_app();
    let router = crate::router::use_router();
    let live = use_live();
    // Another's emails (view as) are for reading: no selection, no actions.
    let read_only = state.viewed_id().is_some();
    let rows = RwSignal::new(Loaded::<EmailSummary>::default());
    let next_cursor = RwSignal::new(None::<String>);
    let load = RwSignal::new(Load::Idle);
    let filter = RwSignal::new(String::new());
    let sort = RwSignal::new(None::<(SortKey, bool)>);
    let selected = RwSignal::new(HashSet::<Id>::new());
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
    let scroll_top = RwSignal::new(0.0f64);
    let viewport_height = RwSignal::new(640.0f64);
    let row_height = RwSignal::new(row_height());
    let resized = window_event_listener(leptos::ev::resize, move |_| {
        row_height.set(self::row_height())
    });
    on_cleanup(move || resized.remove());
    let scroller = NodeRef::<leptos::html::Div>::new();
    // Responses for a folder the rep has already left are dropped.
    let generation = StoredValue::new(0u64);
    // A live re-read's answer is dropped when a newer re-read has started.
    let rereads = StoredValue::new(0u64);

    let columns = Memo::new(move |_| {
        let folder = folder.get();
        hidden.with(|hidden| {
            Column::ALL
                .into_iter()
                .filter(|c| c.applies_to(folder) && !hidden.contains(c))
                .collect::<Vec<_>>()
        })
    });
    // Filtering and sorting happen over the loaded rows, instantly, without the server: the
    // positions in `rows` of the rows shown, in order (no row is copied for this).
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
    // Only the rows in and near the viewport exist in the DOM.
    let window_range = Memo::new(move |_| {
        let len = visible.with(Vec::len);
        let height = row_height.get();
        let top = ((scroll_top.get() / height) as usize).min(len);
        let in_view = (viewport_height.get() / height).ceil() as usize;
        (
            top.saturating_sub(OVERSCAN),
            (top + in_view + OVERSCAN).min(len),
        )
    });
    let fetch = move |request: Request| {
        let (cursor, limit, replace) = match &request {
            Request::Page(cursor) => (cursor.clone(), PAGE_SIZE, false),
            // A page being appended meanwhile still lands: the re-read keeps the rows beyond
            // its head, and their cursor.
            Request::Reread => {
                rereads.update_value(|r| *r += 1);
                let shown = rows
                    .with_untracked(|rows| rows.len())
                    .clamp(PAGE_SIZE, MAX_RELOAD);
                (None, shown, true)
            }
        };
        let folder = folder.get_untracked();
        let this_generation = generation.get_value();
        let this_reread = rereads.get_value();
        // A re-read under loaded rows goes on quietly: the footer's state belongs to the page
        // being appended, if any (were a re-read to say Idle meanwhile, the infinite scroll
        // would ask for the same next page again); unless the footer shows a re-read's failure.
        let shows_loading = !replace
            || rows.with_untracked(|rows| rows.is_empty())
            || load.with_untracked(|l| matches!(l, Load::Failed(_, Request::Reread)));
        if shows_loading {
            load.set(Load::Loading);
        }
        let call = api::endpoints::emails::folder(folder, limit, cursor.as_deref())
            .viewed_as(state.viewed_id());
        let api = state.api();
        leptos::task::spawn_local(async move {
            let result = api.call(call).await;
            // The table may be gone (another folder, signed out): then nothing is shown.
            if generation.try_get_value() != Some(this_generation)
                || (replace && rereads.try_get_value() != Some(this_reread))
            {
                return;
            }
            match result {
                Ok(page) => {
                    let mut cursor = page.next_cursor;
                    if replace {
                        // The rows loaded beyond the re-read stay (and so does their cursor).
                        let reached_the_end = cursor.is_none();
                        let mut kept_tail = false;
                        rows.update(|rows| {
                            kept_tail = rows.refresh_head(
                                page.items,
                                reached_the_end,
                                |e| e.id,
                                |row, last| row.listed_after(last, folder),
                            );
                        });
                        if kept_tail {
                            cursor = next_cursor.get_untracked();
                        }
                        let ids: HashSet<Id> =
                            rows.with_untracked(|rows| rows.iter().map(|e| e.id).collect());
                        selected.update(|s| s.retain(|id| ids.contains(id)));
                    } else {
                        rows.update(|rows| rows.extend(page.items));
                    }
                    next_cursor.set(cursor);
                    // Not over a failure meanwhile: the rep is still to see that one.
                    if shows_loading && load.with_untracked(|l| matches!(l, Load::Loading)) {
                        load.set(Load::Idle);
                    }
                }
                Err(error) => load.set(Load::Failed(error, request)),
            }
        });
    };
    Effect::new(move |_| {
        let folder = folder.get();
        generation.update_value(|g| *g += 1);
        rows.set(Loaded::default());
        selected.set(HashSet::new());
        next_cursor.set(None);
        notice.set(None);
        hidden.set(load_hidden(folder));
        scroll_top.set(0.0);
        if let Some(scroller) = scroller.get_untracked() {
            scroller.set_scroll_top(0);
        }
        fetch(Request::Page(None));
    });
    // Live: re-read what is loaded whenever the rep's emails change.
    Effect::new(move |first: Option<()>| {
        live.emails.track();
        if first.is_some() {
            fetch(Request::Reread);
        }
    });
    // Infinite scroll: near the end of what is loaded, load the next page. Not while the quick
    // filter is on: it narrows what is loaded, and a filter matching little would otherwise pull
    // in the whole folder page after page ("Load more" is there for that).
    Effect::new(move |_| {
        let (_, end) = window_range.get();
        let near_end = end + PREFETCH_ROWS >= visible.with(Vec::len);
        let filtering = filter.with(|f| !f.trim().is_empty());
        if near_end
            && !filtering
            && load.with(|l| matches!(l, Load::Idle))
            && next_cursor.with(Option::is_some)
        {
            fetch(Request::Page(next_cursor.get_untracked()));
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
        let (first, end) = window_range.get();
        let Some(top) = top_spacer.get() else {
            return;
        };
        selected.with_untracked(|selected| {
            visible.with(|visible| {
                rows.with(|rows| {
                    let emails: Vec<&EmailSummary> =
                        visible[first..end].iter().map(|&i| &rows[i]).collect();
                    painted.update_value(|painted| painted.show(&top, &emails, &look, selected));
                })
            })
        });
    });
    // A checkbox ticked or a selection cleared only re-marks the rows on screen.
    Effect::new(move |_| {
        selected.with(|selected| painted.with_value(|painted| painted.mark_selected(selected)));
    });
    let on_scroll = move |ev: leptos::ev::Event| {
        let target: web_sys::Element = event_target(&ev);
        scroll_top.set(target.scroll_top() as f64);
        viewport_height.set(target.client_height().max(1) as f64);
    };

    let act = Callback::new(move |(id, action): (Id, EmailAction)| {
        if action == EmailAction::Reschedule {
            on_edit.run(id);
            return;
        }
        if action == EmailAction::Delete
            && !window()
                .confirm_with_message(state.t(Msg::ConfirmDelete))
                .unwrap_or(false)
        {
            return;
        }
        let api = state.api();
        action_error.set(None);
        leptos::task::spawn_local(async move {
            match actions::run(&api, id, action, None).await {
                Ok(()) => notice.set(Some(
                    state
                        .t(Msg::ActionDone)
                        .replace("{action}", state.t(action_label(action))),
                )),
                Err(error) => action_error.set(Some(error)),
            }
            live.emails.update(|n| *n += 1);
        });
    });

    // One listener for every row's buttons and checkbox, instead of a handful per row created and
    // dropped as rows scroll by: the row says which email, the control says what to do.
    let row_email = |control: &web_sys::Element| {
        control
            .closest("tr[data-email-id]")
            .ok()
            .flatten()
            .and_then(|row| row.get_attribute("data-email-id"))
            .and_then(|id| id.parse::<Id>().ok())
    };
    let row_action = move |id: Id, action: RowAction| match action {
        RowAction::Edit => on_edit.run(id),
        RowAction::Act(action) => act.run((id, action)),
    };
    let menu = RowMenuState::new();
    let on_row_click = move |ev: leptos::ev::MouseEvent| {
        let button = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("button").ok().flatten());
        let Some((button, id)) = button.and_then(|b| row_email(&b).map(|id| (b, id))) else {
            return;
        };
        if button.has_attribute("data-open") {
            on_open.run(id);
        } else if button.has_attribute("data-more") {
            let more = rows.with_untracked(|rows| {
                let email = rows.iter().find(|e| e.id == id)?;
                let offered =
                    RowAction::offered(&email_state(email, rep_has_draft.get_untracked()));
                Some(
                    offered
                        .into_iter()
                        .skip(1)
                        .map(|action| MenuItem::new(action.key(), state.t(action.label())))
                        .collect(),
                )
            });
            if let (Some(items), Ok(button)) = (more, button.dyn_into::<web_sys::HtmlElement>()) {
                menu.toggle(id, button, items);
            }
        } else if let Some(action) = button
            .get_attribute("data-row-action")
            .and_then(|key| RowAction::from_key(&key))
        {
            row_action(id, action);
        }
    };
    let on_menu_pick = move |(id, key): (Id, String)| {
        if let Some(action) = RowAction::from_key(&key) {
            row_action(id, action);
        }
    };
    let on_row_change = move |ev: leptos::ev::Event| {
        let checkbox = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .filter(|el| el.has_attribute("data-select"));
        if let Some(id) = checkbox.and_then(|c| row_email(&c)) {
            crate::selection::toggle_one(selected, id);
        }
    };

    let t = move |msg| state.t(msg);
    // Wide enough for this folder's widest main action and "More", in tenths of a unit rounded
    // up: which action leads depends on the email (api::EmailState::offered).
    let actions_column = move || {
        let status = folder.get().status();
        let locale = state.locale.get();
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
    };
    let sort_header = move |col: &'static str,
                            key: Option<SortKey>,
                            label: Signal<&'static str>,
                            numeric: bool,
                            width: Width| {
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
    };
    let visible_ids = move || {
        visible.with(|v| rows.with(|rows| v.iter().map(|&i| rows[i].id).collect::<Vec<Id>>()))
    };
    let all_selected = move || crate::selection::all_selected(selected, &visible_ids());
    let toggle_all = move |_| crate::selection::toggle_all(selected, visible_ids());
    let toggle_column = move |column: Column| {
        hidden.update(|h| {
            if !h.remove(&column) {
                h.insert(column);
            }
        });
        save_hidden(folder.get_untracked(), &hidden.get_untracked());
    };
    // Whole pixels, so no float formatting code is needed for them.
    let spacer_height = move |rows: usize| format!("{}px", rows * row_height.get() as usize);
    let spacer_colspan = move || columns.with(Vec::len) + if read_only { 2 } else { 4 };

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
        {move || action_error.get().map(|error| view! { <ErrorBanner error=error on_retry=move |_| action_error.set(None)/> })}
        // Its code arrives when first needed: once rows are selected, it stays.
        {move || ever_selected.get().then(|| crate::later!(split::bulk_bar(folder, selected, chosen_states), split::load_bulk_bar))}
        <div class="cc-table-scroll" node_ref=scroller on:scroll=on_scroll>
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
                    <tr>
                        {(!read_only).then(|| view! {
                            <th scope="col" class="cc-select-col" style:width=SELECT_WIDTH.css()>
                                <input type="checkbox" aria-label=move || t(Msg::SelectAll)
                                    prop:checked=all_selected on:change=toggle_all/>
                            </th>
                        })}
                        {sort_header("person", Some(SortKey::Person), Signal::derive(move || t(Msg::ColPerson)), false, PERSON_WIDTH)}
                        {sort_header("subject", Some(SortKey::Subject), Signal::derive(move || t(Msg::ColSubject)), false, Width::Rest)}
                        {move || columns.get().into_iter().map(|column| {
                            sort_header(column.key(), SortKey::of(column), Signal::derive(move || t(column.label(folder.get()))), column.numeric(), column.width())
                        }).collect_view()}
                        // Wide enough for this folder's buttons: the table's layout is fixed.
                        {(!read_only).then(|| view! {
                            <th scope="col" data-col="actions" style:width=move || actions_column().css()>
                                {move || t(Msg::ColActions)}
                            </th>
                        })}
                    </tr>
                </thead>
                <tbody on:click=on_row_click on:change=on_row_change>
                    // The rows scrolled past above and below; the rows in view go between
                    // (drawn by the effect above).
                    <tr class="cc-spacer" aria-hidden="true" node_ref=top_spacer
                        style:height=move || spacer_height(window_range.get().0)>
                        <td colspan=spacer_colspan></td>
                    </tr>
                    <tr class="cc-spacer" aria-hidden="true"
                        style:height=move || spacer_height(visible.with(Vec::len) - window_range.get().1)>
                        <td colspan=spacer_colspan></td>
                    </tr>
                </tbody>
            </table>
        </div>
        <RowMenu menu=menu on_pick=on_menu_pick/>
        <div class="cc-table-footer">
            {move || match load.get() {
                Load::Loading => view! { <p class="cc-status" role="status">{t(Msg::Loading)}</p> }.into_any(),
                Load::Failed(error, request) => {
                    let retry = move |_| fetch(request.clone());
                    view! { <ErrorBanner error=error on_retry=retry/> }.into_any()
                }
                Load::Idle if rows.with(|rows| rows.is_empty()) => {
                    view! { <p class="cc-empty">{t(Msg::EmptyFolder)}</p> }.into_any()
                }
                Load::Idle => view! {
                    <p class="cc-status">
                        {move || {
                            let locale = state.locale.get();
                            let shown = locale.number(visible.with(Vec::len) as u64);
                            let total = total.get().map(|n| locale.number(n)).unwrap_or_else(|| shown.clone());
                            t(Msg::ShowingOf).replace("{shown}", &shown).replace("{total}", &total)
                        }}
                    </p>
                    <Show when=move || next_cursor.with(Option::is_some)>
                        <button type="button" class="cc-button" on:click=move |_| fetch(Request::Page(next_cursor.get_untracked()))>
                            {move || t(Msg::LoadMore)}
                        </button>
                    </Show>
                }
                .into_any(),
            }}
        </div>
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
