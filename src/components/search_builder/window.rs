//! When: any time, the last 7, 30 or 90 days, or between two instants picked in the rep's zone.

use super::place::Place;
use crate::compose_text::{parse_local_input, to_local_input};
use crate::i18n::Msg;
use api::search::Window;
use leptos::prelude::*;

#[component]
pub fn WindowSelect(
    place: Place,
    value: Signal<Option<Window>>,
    #[prop(into)] on_pick: Callback<Option<Window>>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let t = move |msg| place.t(msg);
    let choice = move || match value.get() {
        None => String::new(),
        Some(Window::LastDays { days }) => days.to_string(),
        Some(Window::Between { .. }) => "between".to_owned(),
    };
    let pick = move |ev| {
        let picked = event_target_value(&ev);
        on_pick.run(if picked == "between" {
            let now = chrono::Utc::now();
            Some(Window::Between {
                from: now - chrono::Duration::days(7),
                to: now + chrono::Duration::days(1),
            })
        } else {
            picked.parse().ok().map(|days| Window::LastDays { days })
        })
    };
    let bound = move |end: bool| match value.get() {
        Some(Window::Between { from, to }) => to_local_input(if end { to } else { from }),
        _ => String::new(),
    };
    let set_bound = move |end: bool, text: String| {
        let (Some(Window::Between { from, to }), Some(at)) =
            (value.get_untracked(), parse_local_input(&text))
        else {
            return;
        };
        on_pick.run(Some(if end {
            Window::Between { from, to: at }
        } else {
            Window::Between { from: at, to }
        }));
    };
    view! {
        <select class="cc-select" aria-label=move || place.named(Msg::Window) prop:value=choice on:change=pick>
            {(!required).then(|| view! { <option value="">{move || t(Msg::AnyTime)}</option> })}
            {[7u32, 30, 90].into_iter().map(|days| view! {
                <option value=days.to_string()>{move || t(Msg::LastDays).replace("{n}", &days.to_string())}</option>
            }).collect_view()}
            <option value="between">{move || t(Msg::BetweenDates)}</option>
        </select>
        <Show when=move || matches!(value.get(), Some(Window::Between { .. }))>
            <label class="cc-inline-field">{move || t(Msg::WindowFrom)}
                <input type="datetime-local" step="1" prop:value=move || bound(false) aria-label=move || place.named(Msg::WindowFrom)
                    on:change=move |ev| set_bound(false, event_target_value(&ev))/>
            </label>
            <label class="cc-inline-field">{move || t(Msg::WindowTo)}
                <input type="datetime-local" step="1" prop:value=move || bound(true) aria-label=move || place.named(Msg::WindowTo)
                    on:change=move |ev| set_bound(true, event_target_value(&ev))/>
            </label>
        </Show>
    }
}
