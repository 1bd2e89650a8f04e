//! A text field that suggests what to pick (the WAI-ARIA combobox with a listbox popup, list
//! autocomplete): typing shows the suggestions; ↓ ↑ move through them (the field keeps focus,
//! `aria-activedescendant` names the one under the cursor); Enter picks it; Escape closes the
//! list, or empties the field when it is closed. A click picks too.

use crate::i18n::Msg;
use crate::state::use_app;
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// What the owner picks by.
    pub key: String,
    pub label: String,
}

#[component]
pub fn Combobox(
    /// The field's id; the list's and the options' ids are made from it.
    #[prop(into)]
    id: String,
    #[prop(into)] label: Signal<String>,
    /// The field's text: the owner reads it to find `suggestions`.
    query: RwSignal<String>,
    #[prop(into)] suggestions: Signal<Vec<Suggestion>>,
    #[prop(into)] on_pick: Callback<String>,
    #[prop(into, optional)] placeholder: Signal<String>,
    /// Called with the text after each keystroke that changes it.
    #[prop(into, optional)]
    on_input: Option<Callback<String>>,
    /// Called when focus leaves the field (not when an option is clicked: the field keeps it).
    #[prop(into, optional)]
    on_leave: Option<Callback<()>>,
) -> impl IntoView {
    let list_id = format!("{id}-list");
    let field_id = id.clone();
    // Copy, so every option and the field can name an option by it.
    let id = StoredValue::new(id);
    let option_id = move |at: usize| id.with_value(|id| format!("{id}-option-{at}"));
    let open = RwSignal::new(false);
    // The suggestion under the cursor, by key: new suggestions that still hold it keep it there.
    let active = RwSignal::new(None::<String>);
    let active_at = Memo::new(move |_| {
        active.with(|key| {
            let key = key.as_ref()?;
            suggestions.with(|s| s.iter().position(|s| &s.key == key))
        })
    });
    let shown = move || open.get() && suggestions.with(|s| !s.is_empty());
    let pick = move |at: usize| {
        if let Some(chosen) = suggestions.with_untracked(|s| s.get(at).cloned()) {
            open.set(false);
            active.set(None);
            on_pick.run(chosen.key);
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = suggestions.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" if count > 0 => {
                ev.prevent_default();
                let down = ev.key() == "ArrowDown";
                if !open.get_untracked() {
                    open.set(true);
                }
                let to = match (active_at.get_untracked(), down) {
                    (None, true) => 0,
                    (None, false) => count - 1,
                    (Some(i), true) => (i + 1) % count,
                    (Some(i), false) => (i + count - 1) % count,
                };
                active.set(suggestions.with_untracked(|s| s.get(to).map(|s| s.key.clone())));
            }
            "Enter" => {
                if let Some(at) = active_at.get_untracked().filter(|_| open.get_untracked()) {
                    ev.prevent_default();
                    pick(at);
                }
            }
            "Escape" => {
                // Inside a dialog, the first Escape closes the list, not the dialog.
                if shown() {
                    ev.prevent_default();
                    ev.stop_propagation();
                    open.set(false);
                    active.set(None);
                } else if !query.get_untracked().is_empty() {
                    ev.prevent_default();
                    ev.stop_propagation();
                    query.set(String::new());
                }
            }
            _ => {}
        }
    };
    view! {
        <div class="cc-combobox">
            <input type="text" id=field_id role="combobox" autocomplete="off" aria-autocomplete="list"
                aria-label=move || label.get() placeholder=move || placeholder.get()
                aria-controls=list_id.clone() aria-expanded=move || shown().to_string()
                aria-activedescendant=move || active_at.get().filter(|_| shown()).map(option_id)
                prop:value=move || query.get()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    query.set(text.clone());
                    open.set(true);
                    if let Some(on_input) = on_input { on_input.run(text) }
                }
                on:keydown=on_keydown
                on:blur=move |_| {
                    open.set(false);
                    if let Some(on_leave) = on_leave { on_leave.run(()) }
                }/>
            <ul class="cc-listbox" role="listbox" id=list_id aria-label=move || use_app().t(Msg::Suggestions) hidden=move || !shown()>
                {move || suggestions.get().into_iter().enumerate().map(|(at, s)| view! {
                    <li role="option" id=option_id(at) class="cc-option"
                        aria-selected=move || (active_at.get() == Some(at)).to_string()
                        // Pressed, the field keeps focus: the list is not closed by its blur.
                        on:mousedown=move |ev| ev.prevent_default()
                        on:click=move |_| pick(at)>
                        {s.label}
                    </li>
                }).collect_view()}
            </ul>
        </div>
    }
}
