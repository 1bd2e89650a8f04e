//! Views that arrive as their own wasm module the first time they are shown, so a rep's first
//! visit downloads the inbox and not every page and dialog (`cargo xtask dist` cuts the module at
//! these functions; see xtask/src/split.rs). Each has a `load_…` twin that fetches its module
//! without showing it. Built without the `split` feature (the component tests), each is a plain
//! function and `later!` shows it at once.

use crate::components::bulk_bar::BulkBar;
use crate::components::compose::{ComposeDialog, ComposeMode, EditSavedDialog};
use crate::components::email_detail::EmailDetailDialog;
use crate::components::most_engaged::MostEngagedRanking;
use crate::i18n::Msg;
use crate::router;
use crate::routes;
use crate::state::use_app;
use api::{EmailId, EmailState, Folder};
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use std::collections::HashSet;

/// A split view, or why its module could not be fetched.
pub type Piece = Result<AnyView, SplitLoaderError>;

/// Shows `$show` (a call of a split function) once its module is here; `$load` is its `load_…`
/// twin, retried by the "Try again" button when the fetch fails (offline, a flaky network).
#[macro_export]
macro_rules! later {
    ($show:expr, $load:path) => {{
        #[cfg(feature = "split")]
        let view = $crate::split::later(|| Box::pin($load()), Box::new(move || Box::pin($show)));
        #[cfg(not(feature = "split"))]
        let view = $crate::split::shown($show, None);
        view
    }};
}

/// See `later!`. The split function is called once, after its module has arrived: its arguments
/// are moved into it, while fetching the module can be tried any number of times.
#[cfg(feature = "split")]
pub fn later(
    load: fn() -> Arriving<Result<(), SplitLoaderError>>,
    show: Box<dyn FnOnce() -> Arriving<Piece>>,
) -> AnyView {
    use send_wrapper::SendWrapper;
    let attempt = RwSignal::new(0u32);
    let show = StoredValue::new_local(Some(show));
    let state = use_app();
    let arrived = RwSignal::new(false);
    let arriving = move || {
        attempt.track();
        arrived.set(false);
        // Fetching and building the view happen on this (the only) thread.
        Suspend::new(SendWrapper::new(async move {
            let piece = match load().await {
                Ok(()) => match show.try_update_value(Option::take).flatten() {
                    Some(show) => show().await,
                    None => return ().into_any(),
                },
                Err(error) => Err(error),
            };
            arrived.set(true);
            shown(piece, Some(attempt))
        }))
    };
    // Cheaper than a <Suspense>: the status goes once the view (or its failure) is there.
    view! {
        <p class="cc-status" role="status" hidden=move || arrived.get()>{move || state.t(Msg::Loading)}</p>
        {arriving}
    }
    .into_any()
}

/// Boxed so that `later` is one function, not one copy per place a piece is shown.
#[cfg(feature = "split")]
pub type Arriving<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T>>>;

/// The view, or a message that says it could not be fetched (with a button that tries again
/// by bumping `attempt`).
pub fn shown(piece: Piece, attempt: Option<RwSignal<u32>>) -> AnyView {
    if let Ok(view) = piece {
        return view;
    }
    let state = use_app();
    view! {
        <div class="cc-error" role="alert">
            <p>{move || state.t(Msg::PieceUnavailable)}</p>
            {attempt.map(|attempt| view! {
                <button type="button" class="cc-button" on:click=move |_| attempt.update(|n| *n += 1)>
                    {move || state.t(Msg::Retry)}
                </button>
            })}
        </div>
    }
    .into_any()
}

/// An async function whose code is a wasm module of its own in the split build, named `$name`:
/// there it fetches the module first and returns `Err(SplitLoaderError)` when it cannot (so it
/// returns a `Result` with that error). Without the `split` feature it is the same async
/// function, so callers await it alike in both builds.
#[macro_export]
macro_rules! own_piece {
    (
        $name:ident;
        $(#[$meta:meta])*
        fn $function:ident($($arg:ident: $type:ty),* $(,)?) -> $result:ty $body:block
    ) => {
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($name, wasm_split_path = ::leptos::wasm_split, fallible)]
        $(#[$meta])*
        fn $function($($arg: $type),*) -> $result $body

        #[cfg(not(feature = "split"))]
        $(#[$meta])*
        async fn $function($($arg: $type),*) -> $result $body
    };
}

/// Declares split views: each returns its view as a `Piece`, and (in the split build) has its
/// `load_…` twin. Without the `split` feature they are plain functions that `later!` shows at once.
macro_rules! split_points {
    ($($name:ident, $load:ident ($($arg:ident: $type:ty),*) => $view:expr;)*) => {$(
        #[cfg_attr(
            feature = "split",
            leptos::wasm_split::wasm_split(
                $name,
                wasm_split_path = ::leptos::wasm_split,
                fallible,
                preload($load)
            )
        )]
        pub fn $name($($arg: $type),*) -> Piece {
            Ok($view.into_any())
        }
    )*};
}

split_points! {
    signed_in_app, load_signed_in_app(area: Memo<router::Area>) =>
        view! { <crate::signed_in::SignedIn area=area/> };
    invite_page, load_invite_page(token: String) => view! { <routes::invite::InvitePage token=token/> };
    tasks_page, load_tasks_page() => view! { <routes::tasks::TasksPage/> };
    search_page, load_search_page() => view! { <routes::search::SearchPage/> };
    people_page, load_people_page() => view! { <routes::people::PeoplePage/> };
    person_page, load_person_page() => view! { <routes::person::PersonPage/> };
    campaigns_page, load_campaigns_page() => view! { <routes::campaigns::CampaignsPage/> };
    campaign_page, load_campaign_page() => view! { <routes::campaign::CampaignPage/> };
    templates_page, load_templates_page() => view! { <routes::templates::TemplatesPage/> };
    admin_page, load_admin_page() => view! { <routes::admin::AdminPage/> };
    settings_page, load_settings_page() => view! { <routes::settings::SettingsPage/> };
    compose_dialog, load_compose_dialog(mode: ComposeMode, on_close: Callback<()>) =>
        view! { <ComposeDialog mode=mode on_close=on_close/> };
    edit_saved_dialog, load_edit_saved_dialog(id: EmailId, on_close: Callback<()>) =>
        view! { <EditSavedDialog id=id on_close=on_close/> };
    email_detail_dialog, load_email_detail_dialog(
        id: EmailId,
        on_close: Callback<()>,
        on_compose: Callback<ComposeMode>
    ) => view! { <EmailDetailDialog id=id on_close=on_close on_compose=on_compose/> };
    most_engaged_ranking, load_most_engaged_ranking(on_open: Callback<EmailId>) =>
        view! { <MostEngagedRanking on_open=on_open/> };
    bulk_bar, load_bulk_bar(
        folder: Memo<Folder>,
        selected: RwSignal<HashSet<EmailId>>,
        states: Signal<Vec<(EmailId, EmailState)>>
    ) => view! { <BulkBar folder=folder selected=selected states=states/> };
}

/// Starts fetching the signed-in app's piece while a session is being checked or asked for,
/// so that the inbox does not wait for the sign-in's answer and then for its own code.
pub fn fetch_signed_in_app() {
    #[cfg(feature = "split")]
    leptos::task::spawn_local(async {
        // A failure here is tried again (and shown) when the app is shown.
        let _ = load_signed_in_app().await;
    });
}

/// Fetches, once the inbox is on screen and the network quiet, the pieces a rep is likely to
/// need next, so that selecting rows or opening an email does not wait for them.
pub fn prefetch_soon() {
    // Once per page load: coming back to the inbox has nothing left to fetch.
    #[cfg(feature = "split")]
    static ASKED: std::sync::Once = std::sync::Once::new();
    #[cfg(feature = "split")]
    ASKED.call_once(|| {
        set_timeout(
            || {
                leptos::task::spawn_local(async {
                    // A failure here is tried again when the piece is shown.
                    let _ = load_bulk_bar().await;
                    let _ = load_email_detail_dialog().await;
                    let _ = load_compose_dialog().await;
                })
            },
            std::time::Duration::from_secs(1),
        )
    });
}
