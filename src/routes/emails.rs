//! The outbox: tabs by status, each folder's emails, every folder at its own URL.

use crate::api_client::ApiError;
use crate::components::compose::ComposeMode;
use crate::components::email_table::EmailTable;
use crate::components::error_banner::ErrorBanner;
use crate::components::folder_tabs::{
    folder_tab_id, primary_tab_id, FolderSubTabs, PrimaryTabs, FOLDER_PANEL_ID, PRIMARY_PANEL_ID,
};
use crate::components::most_engaged::MostEngaged;
use crate::i18n::Msg;
use crate::live::use_live;
use crate::router::use_router;
use crate::routes::not_found::NotFound;
use crate::split;
use crate::state::use_app;
use api::{EmailId, Folder, FolderCounts};
use leptos::prelude::*;

#[component]
pub fn EmailsPage() -> impl IntoView {
    let router = use_router();
    let parsed = Memo::new(move |_| router.after::<Folder>("/emails/"));
    let folder = Memo::new(move |_| parsed.get().unwrap_or(Folder::Delivered));
    split::prefetch_soon();
    view! {
        <Show when=move || parsed.with(Option::is_some) fallback=NotFound>
            <Outbox folder=folder/>
        </Show>
    }
}

#[component]
fn Outbox(folder: Memo<Folder>) -> impl IntoView {
    let state = use_app();
    let counts = RwSignal::new(None::<FolderCounts>);
    let counts_error = RwSignal::new(None::<ApiError>);
    let refresh_counts = move || {
        let api = state.api();
        let call = api::endpoints::emails::counts().viewed_as(state.viewed_id());
        leptos::task::spawn_local(async move {
            match api.call(call).await {
                Ok(fresh) => {
                    counts.set(Some(fresh));
                    counts_error.set(None);
                }
                Err(error) => counts_error.set(Some(error)),
            }
        });
    };
    // Counts are re-read on every folder switch and every change: cheap, and never stale.
    let live = use_live();
    Effect::new(move |_| {
        folder.track();
        live.emails.track();
        refresh_counts();
    });
    let detail = RwSignal::new(None::<EmailId>);
    let compose = RwSignal::new(None::<ComposeMode>);
    let editing = RwSignal::new(None::<EmailId>);
    let counts_signal: Signal<Option<FolderCounts>> = counts.into();
    let folder_total = Signal::derive(move || counts.get().map(|c| c.get(folder.get())));
    let rep_has_draft = Signal::derive(move || counts.get().is_some_and(|c| c.drafts > 0));

    view! {
        <section class="cc-page cc-outbox">
            <h1 class="cc-visually-hidden">{move || state.t(Msg::NavEmails)}</h1>
            {move || counts_error.get().map(|error| view! { <ErrorBanner error=error on_retry=move |_| refresh_counts()/> })}
            // Another's outbox (view as) is for reading.
            {state.viewed_id().is_none().then(|| view! {
                <div class="cc-outbox-bar">
                    <button type="button" class="cc-button cc-button-primary" aria-haspopup="dialog"
                        on:click=move |_| compose.set(Some(ComposeMode::New { person: None, subject: String::new(), body: String::new() }))>
                        {move || state.t(Msg::Compose)}
                    </button>
                </div>
            })}
            <PrimaryTabs folder=folder counts=counts_signal/>
            <div role="tabpanel" id=PRIMARY_PANEL_ID aria-labelledby=move || primary_tab_id(folder.get().primary())>
                <FolderSubTabs folder=folder counts=counts_signal/>
                <div role="tabpanel" id=FOLDER_PANEL_ID class="cc-folder-panel"
                    aria-labelledby=move || folder_tab_id(folder.get())>
                    <Show when=move || folder.get() == Folder::Delivered>
                        <MostEngaged on_open=move |id| detail.set(Some(id))/>
                    </Show>
                    <Show when=move || folder.get().needs_msc_channel()>
                        <p class="cc-note">{move || state.t(Msg::MscOnlyNote)}</p>
                    </Show>
                    <EmailTable folder=folder total=folder_total rep_has_draft=rep_has_draft
                        on_open=move |id| detail.set(Some(id)) on_edit=move |id| editing.set(Some(id))/>
                </div>
            </div>
            {move || detail.get().map(|id| crate::later!(split::email_detail_dialog(
                id,
                Callback::new(move |_| detail.set(None)),
                Callback::new(move |mode| compose.set(Some(mode))),
            ), split::load_email_detail_dialog))}
            {move || compose.get().map(|mode| crate::later!(split::compose_dialog(
                mode,
                Callback::new(move |_| compose.set(None)),
            ), split::load_compose_dialog))}
            {move || editing.get().map(|id| crate::later!(split::edit_saved_dialog(
                id,
                Callback::new(move |_| editing.set(None)),
            ), split::load_edit_saved_dialog))}
        </section>
    }
}
