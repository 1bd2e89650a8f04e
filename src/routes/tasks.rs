use crate::i18n::Msg;
use crate::state::use_app;
use leptos::prelude::*;

#[component]
pub fn TasksPage() -> impl IntoView {
    let state = use_app();
    view! {
        <section class="cc-page">
            <h1>{move || state.t(Msg::TasksTitle)}</h1>
            <p>{move || state.t(Msg::TasksComing)}</p>
        </section>
    }
}
