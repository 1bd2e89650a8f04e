use crate::api_client::ApiError;
use crate::i18n::Msg;
use crate::state::use_app;
use leptos::prelude::*;

/// An error the rep must see, with a way to try again. A 401 ends the session instead: the rep
/// lands on the login form with the reason.
#[component]
pub fn ErrorBanner(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let state = use_app();
    if error.is_unauthorized() {
        state.signed_out();
    }
    view! {
        <div class="cc-error" role="alert">
            <span>{move || error.message(state.locale.get())}</span>
            <button type="button" class="cc-button" on:click=move |_| on_retry.run(())>
                {move || state.t(Msg::Retry)}
            </button>
        </div>
    }
}
