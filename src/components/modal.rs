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
        // The dialog is still in the top layer (everything else inert) while this runs: give
        // focus back once it is gone.
        if let Some(opener) = opener.try_get_value().flatten() {
            set_timeout(
                move || {
                    let _ = opener.focus();
                },
                std::time::Duration::ZERO,
            );
        }
    });
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <dialog node_ref=dialog class="cc-dialog" id=id aria-labelledby=labelled_by
            on:cancel=move |ev: leptos::ev::Event| {
                ev.prevent_default();
                on_close.run(());
            }
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Tab" {
                    if let Some(dialog) = dialog.get_untracked() {
                        keep_focus_inside(&dialog, &ev);
                    }
                }
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

/// Tab from the last control goes to the first, Shift+Tab from the first to the last: focus
/// never leaves an open dialog (the browser would otherwise move it to its own UI).
fn keep_focus_inside(dialog: &web_sys::HtmlDialogElement, ev: &leptos::ev::KeyboardEvent) {
    const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
        select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";
    let Ok(found) = dialog.query_selector_all(FOCUSABLE) else {
        return;
    };
    let controls: Vec<web_sys::HtmlElement> = (0..found.length())
        .filter_map(|i| found.get(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        // Hidden ones (display: none) have no layout box.
        .filter(|element| element.get_client_rects().length() > 0)
        .collect();
    let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
        return;
    };
    let active = document().active_element();
    let is = |element: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == element.unchecked_ref::<web_sys::Element>())
    };
    let target = if ev.shift_key() && (is(first) || active.is_none()) {
        Some(last)
    } else if !ev.shift_key() && is(last) {
        Some(first)
    } else {
        None
    };
    if let Some(target) = target {
        ev.prevent_default();
        let _ = target.focus();
    }
}
