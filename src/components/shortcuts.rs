//! The keyboard shortcuts, shown with `?`.

use crate::components::modal::Modal;
use crate::i18n::Msg;
use crate::state::use_app;
use leptos::prelude::*;

const LIST: [(&str, Msg); 4] = [
    ("n", Msg::KeyNew),
    ("w", Msg::KeyWork),
    ("/", Msg::KeyFilter),
    ("?", Msg::KeyHelp),
];
const WORK: [(&str, Msg); 4] = [
    ("c", Msg::KeyComplete),
    ("s", Msg::KeySkip),
    ("z", Msg::KeySnooze),
    ("n / p", Msg::KeyNext),
];

#[component]
pub fn ShortcutsHelp(#[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let table = move |caption: Msg, rows: &'static [(&'static str, Msg)]| {
        view! {
            <table class="cc-table cc-shortcuts">
                <caption>{move || t(caption)}</caption>
                <tbody>
                    {rows.iter().map(|(key, msg)| view! { <tr><th scope="row"><kbd>{*key}</kbd></th><td>{move || t(*msg)}</td></tr> }).collect_view()}
                </tbody>
            </table>
        }
    };
    let title = Signal::derive(move || t(Msg::Shortcuts).to_owned());
    view! {
        <Modal id="cc-shortcuts" title=title on_close=on_close>
            {table(Msg::InList, &LIST)}
            {table(Msg::InWorkMode, &WORK)}
            <p class="cc-hint"><kbd>"Esc"</kbd>" "{move || t(Msg::KeyClose)}</p>
        </Modal>
    }
}
