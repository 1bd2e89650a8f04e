//! The selects of a condition's fields: one of a wire enum's values, or whether the condition
//! holds or is negated. Each is named by its condition's place ("Engagement, condition 2 (all)").

use super::place::Place;
use crate::i18n::Msg;
use api::WireEnum;
use leptos::prelude::*;

/// One of `T`'s values, each option in the words `words` gives it.
#[component]
pub fn EnumSelect<T: WireEnum>(
    place: Place,
    label: Msg,
    words: fn(T) -> Msg,
    #[prop(into)] value: Signal<T>,
    #[prop(into)] on_pick: Callback<T>,
) -> impl IntoView {
    let pick = move |ev| {
        if let Ok(picked) = event_target_value(&ev).parse::<T>() {
            on_pick.run(picked)
        }
    };
    view! {
        <select class="cc-select" aria-label=move || place.named(label)
            prop:value=move || value.get().wire_name() on:change=pick>
            {T::all().iter().map(|&option| view! {
                <option value=option.wire_name()>{move || place.t(words(option))}</option>
            }).collect_view()}
        </select>
    }
}

/// Whether the condition holds (`holds`) or is negated (`negated_as`): each a value and words.
#[component]
pub fn NegateSelect(
    place: Place,
    label: Msg,
    holds: (&'static str, Msg),
    negated_as: (&'static str, Msg),
    #[prop(into)] negated: Signal<bool>,
    #[prop(into)] on_pick: Callback<bool>,
) -> impl IntoView {
    view! {
        <select class="cc-select" aria-label=move || place.named(label)
            prop:value=move || if negated.get() { negated_as.0 } else { holds.0 }
            on:change=move |ev| on_pick.run(event_target_value(&ev) == negated_as.0)>
            <option value=holds.0>{move || place.t(holds.1)}</option>
            <option value=negated_as.0>{move || place.t(negated_as.1)}</option>
        </select>
    }
}
