//! What mail filters would hold against the text being written (`api::deliverability`), shown
//! beside the compose form: a warning, never a refusal.

use crate::i18n::Locale;
use crate::i18n::Msg;
use crate::state::use_app;
use leptos::prelude::*;

#[component]
pub fn SendWarnings(
    #[prop(into)] subject: Signal<String>,
    #[prop(into)] body: Signal<String>,
    /// One text for many people.
    bulk: bool,
) -> impl IntoView {
    let state = use_app();
    let found =
        Memo::new(move |_| api::deliverability::warnings(&subject.get(), &body.get(), bulk));
    view! {
        <Show when=move || found.with(|w| !w.is_empty())>
            <div class="cc-notice cc-send-warnings" role="status">
                <p><strong>{move || state.t(Msg::BeforeYouSend)}</strong></p>
                <ul>
                    {move || found.get().into_iter().map(|warning| {
                        let text = warning.text();
                        view! { <li>{move || match state.locale.get() {
                            Locale::En => text.en.to_string(),
                            Locale::Ja => text.ja.to_string(),
                        }}</li> }
                    }).collect_view()}
                </ul>
            </div>
        </Show>
    }
}
