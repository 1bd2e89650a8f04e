//! One of a list (a campaign, a template), picked by typing part of its name: a `Combobox`
//! whose field shows the chosen one's name. ↓ with the name still there opens the whole list;
//! typing narrows it; changing the text un-chooses until another is picked.

use crate::components::combobox::{Combobox, Suggestion};
use leptos::prelude::*;

/// The options whose label holds `text` (any case); all of them while `text` is empty or is
/// exactly the chosen one's name, so that a picked field still opens on every option.
pub fn matching(options: &[Suggestion], text: &str, chosen_label: Option<&str>) -> Vec<Suggestion> {
    let text = text.trim();
    if text.is_empty() || chosen_label == Some(text) {
        return options.to_vec();
    }
    let text = text.to_lowercase();
    options
        .iter()
        .filter(|o| o.label.to_lowercase().contains(&text))
        .cloned()
        .collect()
}

#[component]
pub fn ListPicker(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] options: Signal<Vec<Suggestion>>,
    /// The chosen option's key; `""` for none.
    value: RwSignal<String>,
    #[prop(into, optional)] placeholder: Signal<String>,
    /// One more suggestion made from the text typed (as "New campaign “…”"), after the matches.
    #[prop(into, optional)]
    also: Option<Callback<String, Option<Suggestion>>>,
    /// Called with the key when the choice changes here: picked (the field then shows its label,
    /// or is emptied when `clear`), or `""` when typing un-chooses.
    #[prop(into, optional)]
    on_change: Option<Callback<String>>,
    /// The field empties once something is picked (an action, not a choice that stays).
    #[prop(optional)]
    clear: bool,
) -> impl IntoView {
    let chosen_label = move || {
        let key = value.get();
        options.with(|o| o.iter().find(|o| o.key == key).map(|o| o.label.clone()))
    };
    let text = RwSignal::new(String::new());
    // The field follows the choice (made here, by the owner, or arriving with the options).
    Effect::new(move |_| {
        if let Some(label) = chosen_label().filter(|_| !clear) {
            text.set(label);
        }
    });
    let suggestions = Signal::derive(move || {
        let typed = text.get();
        let mut shown = options.with(|o| matching(o, &typed, chosen_label().as_deref()));
        if let Some(extra) = also.and_then(|also| also.run(typed)) {
            shown.push(extra);
        }
        shown
    });
    // Typing another name un-chooses: what is picked is always what the field says.
    let typed = move |typed: String| {
        if !clear
            && !value.get_untracked().is_empty()
            && chosen_label().as_deref() != Some(typed.as_str())
        {
            value.set(String::new());
            if let Some(on_change) = on_change {
                on_change.run(String::new());
            }
        }
    };
    let pick = move |key: String| {
        if clear {
            text.set(String::new());
        } else if let Some(label) =
            options.with_untracked(|o| o.iter().find(|o| o.key == key).map(|o| o.label.clone()))
        {
            text.set(label);
        }
        // The one made from the text (a new campaign) keeps the text: the name it will have.
        value.set(key.clone());
        if let Some(on_change) = on_change {
            on_change.run(key);
        }
    };
    // Leaving a field whose text names no choice: an option named exactly so, or the one made
    // from the text (a new campaign by that name), is picked; else the field shows the choice.
    let leave = move |_| {
        if clear || !value.get_untracked().is_empty() {
            return;
        }
        let typed = text.get_untracked();
        let typed = typed.trim();
        if typed.is_empty() {
            return;
        }
        let named = options.with_untracked(|o| {
            o.iter()
                .find(|o| !o.key.is_empty() && o.label.to_lowercase() == typed.to_lowercase())
                .cloned()
        });
        match named.or_else(|| also.and_then(|also| also.run(typed.to_owned()))) {
            Some(found) => pick(found.key),
            None => text.set(chosen_label().unwrap_or_default()),
        }
    };
    view! {
        <Combobox id=id label=label placeholder=placeholder query=text suggestions=suggestions on_pick=pick on_input=typed on_leave=leave/>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn options() -> Vec<Suggestion> {
        ["Q4 pilot", "Spring launch", "Pilot follow-up"]
            .iter()
            .enumerate()
            .map(|(i, l)| Suggestion {
                key: i.to_string(),
                label: (*l).to_owned(),
            })
            .collect()
    }

    #[test]
    fn typing_narrows_and_the_chosen_name_opens_all() {
        let keys = |v: Vec<Suggestion>| v.into_iter().map(|s| s.key).collect::<Vec<_>>();
        assert_eq!(keys(matching(&options(), "pilot", None)), ["0", "2"]);
        assert_eq!(keys(matching(&options(), " LAUNCH ", None)), ["1"]);
        assert_eq!(keys(matching(&options(), "", None)), ["0", "1", "2"]);
        assert_eq!(
            keys(matching(&options(), "Spring launch", Some("Spring launch"))),
            ["0", "1", "2"]
        );
        assert!(matching(&options(), "nothing", None).is_empty());
    }
}
