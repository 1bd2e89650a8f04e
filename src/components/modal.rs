//! A modal dialog on the native `<dialog>`: the rest of the page is inert while it is open,
//! Escape closes it, and focus returns to where it was.

use crate::i18n::Msg;
use crate::state::use_app;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn Modal(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] on_close: Callback<()>,
    /// A stable id for the title, which names the dialog.
    id: &'static str,
    children: Children,
) -> impl IntoView {
    let state = use_app();
    let dialog = NodeRef::<html::Dialog>::new();
    let opener = document()
        .active_element()
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    let opener = StoredValue::new_local(opener);
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        }
    });
    on_cleanup(move || {
        if let Some(opener) = opener.try_get_value().flatten() {
            let _ = opener.focus();
        }
    });
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <dialog node_ref=dialog class="cc-dialog" id=id aria-labelledby=labelled_by
            on:cancel=move |ev: leptos::ev::Event| {
                ev.prevent_default();
                on_close.run(());
            }>
            <div class="cc-dialog-head">
                <h2 id=title_id>{move || title.get()}</h2>
                <button type="button" class="cc-icon-button" aria-label=move || state.t(Msg::Close)
                    on:click=move |_| on_close.run(())>"×"</button>
            </div>
            {children()}
        </dialog>
    }
}
