//! Views that arrive as their own wasm module the first time they are shown, so a rep's first
//! visit downloads the inbox and not every page and dialog (`cargo xtask dist` cuts the module at
//! these functions; see xtask/src/split.rs). Built without the `split` feature (the component
//! tests), each is a plain function and `later!` shows it at once.

use crate::components::compose::{ComposeDialog, ComposeMode};
use crate::components::email_detail::EmailDetailDialog;
use crate::components::most_engaged::MostEngaged;
use crate::routes;
use api::Id;
use leptos::prelude::*;

/// Shows the view a split function builds: once its module has arrived (at once when the module
/// is already here, or in a build without splitting).
#[macro_export]
macro_rules! later {
    ($call:expr) => {{
        #[cfg(feature = "split")]
        let view = ::leptos::prelude::Suspend::new(async move { $call.await }).into_any();
        #[cfg(not(feature = "split"))]
        let view = $call;
        view
    }};
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub fn login_page() -> AnyView {
    view! { <routes::login::LoginPage/> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub fn tasks_page() -> AnyView {
    view! { <routes::tasks::TasksPage/> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub fn search_page() -> AnyView {
    view! { <routes::search::SearchPage/> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub fn compose_dialog(mode: ComposeMode, on_close: Callback<()>) -> AnyView {
    view! { <ComposeDialog mode=mode on_close=on_close/> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub fn email_detail_dialog(
    id: Id,
    on_close: Callback<()>,
    on_compose: Callback<ComposeMode>,
) -> AnyView {
    view! { <EmailDetailDialog id=id on_close=on_close on_compose=on_compose/> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub fn most_engaged(on_open: Callback<Id>) -> AnyView {
    view! { <MostEngaged on_open=on_open/> }.into_any()
}
