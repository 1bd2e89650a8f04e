use crate::i18n::Msg;
use crate::router::use_router;
use crate::state::use_app;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let state = use_app();
    let router = use_router();
    view! {
        <section class="cc-page">
            <h1>{move || state.t(Msg::NotFoundTitle)}</h1>
            <p><a href=router.href("/emails/delivered")>{move || state.t(Msg::BackToEmails)}</a></p>
        </section>
    }
}
