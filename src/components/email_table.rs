//! A folder's emails as a table, loaded page by page from the API.

use crate::api_client::ApiError;
use crate::components::error_banner::ErrorBanner;
use crate::i18n::Msg;
use crate::state::use_app;
use api::{EmailSummary, Folder, FolderDate, Page};
use leptos::prelude::*;

const PAGE_SIZE: u32 = 50;

/// The date column's heading: each folder shows the date that matters for it.
fn date_heading(folder: Folder) -> Msg {
    match folder.status().folder_date() {
        FolderDate::SentAt => Msg::ColSent,
        FolderDate::ScheduledAt => Msg::ColScheduled,
        FolderDate::FailedAt => Msg::ColFailed,
        FolderDate::UpdatedAt => Msg::ColEdited,
    }
}

fn shows_reason(folder: Folder) -> bool {
    matches!(folder, Folder::Failed | Folder::Bounced)
}

#[derive(Clone, Debug, PartialEq)]
enum Load {
    Idle,
    Loading,
    Failed(ApiError),
}

#[component]
pub fn EmailTable(folder: Memo<Folder>, #[prop(into)] total: Signal<Option<u64>>) -> impl IntoView {
    let state = use_app();
    let rows = RwSignal::new(Vec::<EmailSummary>::new());
    let next_cursor = RwSignal::new(None::<String>);
    let load = RwSignal::new(Load::Idle);
    // Responses for a folder the rep has already left are dropped.
    let generation = StoredValue::new(0u64);

    let fetch_page = move |cursor: Option<String>| {
        let folder = folder.get_untracked();
        let this_generation = generation.get_value();
        load.set(Load::Loading);
        let mut path = format!("/emails?folder={folder}&limit={PAGE_SIZE}");
        if let Some(cursor) = &cursor {
            path.push_str("&cursor=");
            path.push_str(cursor);
        }
        let api = state.api();
        leptos::task::spawn_local(async move {
            let result = api.get::<Page<EmailSummary>>(&path).await;
            if generation.get_value() != this_generation {
                return;
            }
            match result {
                Ok(page) => {
                    rows.update(|rows| rows.extend(page.items));
                    next_cursor.set(page.next_cursor);
                    load.set(Load::Idle);
                }
                Err(error) => load.set(Load::Failed(error)),
            }
        });
    };
    Effect::new(move |_| {
        folder.track();
        generation.update_value(|g| *g += 1);
        rows.set(Vec::new());
        next_cursor.set(None);
        fetch_page(None);
    });
    let retry = move |_| fetch_page(next_cursor.get_untracked());

    let t = move |msg| state.t(msg);
    view! {
        <table class="cc-table">
            <caption class="cc-visually-hidden">{move || t(crate::components::folder_tabs::folder_label(folder.get()))}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || t(Msg::ColPerson)}</th>
                    <th scope="col">{move || t(Msg::ColSubject)}</th>
                    <th scope="col">{move || t(Msg::ColCampaign)}</th>
                    <th scope="col">{move || t(date_heading(folder.get()))}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::ColViews)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::ColClicks)}</th>
                    <th scope="col">{move || t(Msg::ColReplied)}</th>
                    <Show when=move || shows_reason(folder.get())>
                        <th scope="col">{move || t(Msg::ColReason)}</th>
                    </Show>
                </tr>
            </thead>
            <tbody>
                <For each=move || rows.get() key=|email| email.id let(email)>
                    <EmailRow email=email show_reason=Signal::derive(move || shows_reason(folder.get()))/>
                </For>
            </tbody>
        </table>
        <div class="cc-table-footer">
            {move || match load.get() {
                Load::Loading => view! { <p class="cc-status" role="status">{t(Msg::Loading)}</p> }.into_any(),
                Load::Failed(error) => view! { <ErrorBanner error=error on_retry=retry/> }.into_any(),
                Load::Idle if rows.with(Vec::is_empty) => {
                    view! { <p class="cc-empty">{t(Msg::EmptyFolder)}</p> }.into_any()
                }
                Load::Idle => view! {
                    <p class="cc-status">
                        {move || {
                            let locale = state.locale.get();
                            let shown = locale.number(rows.with(Vec::len) as u64);
                            let total = total.get().map(|n| locale.number(n)).unwrap_or_else(|| shown.clone());
                            t(Msg::ShowingOf).replace("{shown}", &shown).replace("{total}", &total)
                        }}
                    </p>
                    <Show when=move || next_cursor.with(Option::is_some)>
                        <button type="button" class="cc-button" on:click=move |_| fetch_page(next_cursor.get_untracked())>
                            {move || t(Msg::LoadMore)}
                        </button>
                    </Show>
                }
                .into_any(),
            }}
        </div>
    }
}

#[component]
fn EmailRow(email: EmailSummary, show_reason: Signal<bool>) -> impl IntoView {
    let state = use_app();
    let date = email.folder_date();
    let reason = email.failure_reason.clone().unwrap_or_default();
    view! {
        <tr data-email-id=email.id>
            <td>
                <span class="cc-person">{email.person.name.clone()}</span>
                <span class="cc-secondary">{email.person.company.clone()}</span>
            </td>
            <td class="cc-subject">{email.subject.clone()}</td>
            <td>{email.campaign.as_ref().map(|c| c.name.clone()).unwrap_or_else(|| "—".to_owned())}</td>
            <td class="cc-date">
                <time datetime=date.to_rfc3339()>{move || state.locale.get().date_time(date)}</time>
            </td>
            <td class="cc-num">{email.views}</td>
            <td class="cc-num">{email.clicks}</td>
            <td>{move || state.t(if email.replies > 0 { Msg::Yes } else { Msg::No })}</td>
            <Show when=move || show_reason.get()>
                <td class="cc-reason">{reason.clone()}</td>
            </Show>
        </tr>
    }
}
