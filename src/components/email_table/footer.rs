//! Under the table: loading, a failed read with Try again, an empty folder, or how many of the
//! folder's emails are shown, with Load more.

use super::loader::{FolderRows, Load};
use crate::components::error_banner::ErrorBanner;
use crate::i18n::Msg;
use crate::state::use_app;
use leptos::prelude::*;

#[component]
pub fn TableFooter(
    loader: FolderRows,
    /// The rows shown (after the quick filter).
    #[prop(into)]
    shown: Signal<usize>,
    #[prop(into)] total: Signal<Option<u64>>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    view! {
        <div class="cc-table-footer">
            {move || match loader.load.get() {
                Load::Loading => view! { <p class="cc-status" role="status">{t(Msg::Loading)}</p> }.into_any(),
                Load::Failed(error, request) => {
                    let retry = move |_| loader.fetch(request.clone());
                    view! { <ErrorBanner error=error on_retry=retry/> }.into_any()
                }
                Load::Idle if loader.rows.with(|rows| rows.is_empty()) => {
                    view! { <p class="cc-empty">{t(Msg::EmptyFolder)}</p> }.into_any()
                }
                Load::Idle => view! {
                    <p class="cc-status">
                        {move || {
                            let locale = state.locale.get();
                            let shown = locale.number(shown.get() as u64);
                            let total = total.get().map(|n| locale.number(n)).unwrap_or_else(|| shown.clone());
                            t(Msg::ShowingOf).replace("{shown}", &shown).replace("{total}", &total)
                        }}
                    </p>
                    <Show when=move || loader.next_cursor.with(Option::is_some)>
                        <button type="button" class="cc-button" on:click=move |_| loader.next_page()>
                            {move || t(Msg::LoadMore)}
                        </button>
                    </Show>
                }
                .into_any(),
            }}
        </div>
    }
}
