//! The fields of the conditions on an email: in a campaign, engagement, status, a date. These
//! hold on one and the same email.

use super::place::{toggle, Place};
use super::select::{EnumSelect, NegateSelect};
use super::window::WindowSelect;
use crate::components::folder_tabs::folder_label;
use crate::i18n::Msg;
use api::search::{Condition, DateField, Engagement, Window};
use api::{CampaignId, EmailStatus};
use leptos::prelude::*;

#[component]
pub fn CampaignFields(place: Place) -> impl IntoView {
    view! { <CampaignSet place=place label=Msg::CondCampaign checks=Msg::ColCampaign/> }
}

/// The campaigns a condition names and whether it is "not": an email's (in a campaign) or a
/// person's (enrolled in); both conditions are edited alike.
fn campaign_set(condition: &mut Condition) -> Option<(&mut Vec<CampaignId>, &mut bool)> {
    match condition {
        Condition::Campaign { ids, negate } | Condition::PersonCampaign { ids, negate } => {
            Some((ids, negate))
        }
        _ => None,
    }
}

/// "in" / "not in" and a checkbox per campaign, for either condition that names campaigns.
#[component]
pub fn CampaignSet(place: Place, label: Msg, checks: Msg) -> impl IntoView {
    let current = move || {
        place
            .current()
            .and_then(|mut c| campaign_set(&mut c).map(|(ids, not)| (ids.clone(), *not)))
    };
    let selected = Signal::derive(move || current().map(|(ids, _)| ids).unwrap_or_default());
    let negated = Signal::derive(move || current().is_some_and(|(_, not)| not));
    let pick = move |(id, on): (CampaignId, bool)| {
        place.edit(|c| {
            if let Some((ids, _)) = campaign_set(c) {
                toggle(ids, id, on)
            }
        })
    };
    view! {
        <NegateSelect place=place label=label holds=("in", Msg::InCampaign) negated_as=("not", Msg::NotInCampaign)
            negated=negated on_pick=move |not| place.edit(|c| if let Some((_, negate)) = campaign_set(c) { *negate = not })/>
        <CampaignChecks place=place label=checks selected=selected on_toggle=pick/>
    }
}

/// One checkbox per campaign of the rep's, for the conditions that name several.
#[component]
fn CampaignChecks(
    place: Place,
    label: Msg,
    selected: Signal<Vec<CampaignId>>,
    #[prop(into)] on_toggle: Callback<(CampaignId, bool)>,
) -> impl IntoView {
    view! {
        <span class="cc-checks" role="group" aria-label=move || place.named(label)>
            {move || place.campaigns.get().into_iter().map(|c| {
                let id = c.id;
                let name = c.name.clone();
                view! {
                    <label class="cc-check"><input type="checkbox" aria-label=move || format!("{name}, {}", place.position())
                        prop:checked=move || selected.with(|s| s.contains(&id))
                        on:change=move |ev| on_toggle.run((id, event_target_checked(&ev)))/>
                        {c.name}</label>
                }
            }).collect_view()}
        </span>
    }
}

fn engagement_words(engagement: Engagement) -> Msg {
    match engagement {
        Engagement::Viewed => Msg::Viewed,
        Engagement::Clicked => Msg::Clicked,
        Engagement::Replied => Msg::Replied,
    }
}

#[component]
pub fn EngagementFields(place: Place) -> impl IntoView {
    let get = move || match place.current() {
        Some(Condition::Engagement {
            engagement,
            negate,
            min_count,
            window,
        }) => (engagement, negate, min_count, window),
        _ => (Engagement::Viewed, false, 1, None),
    };
    let pick_window = move |picked: Option<Window>| {
        place.edit(|c| {
            if let Condition::Engagement { window, .. } = c {
                *window = picked
            }
        })
    };
    view! {
        <NegateSelect place=place label=Msg::HasOrNot holds=("has", Msg::Has) negated_as=("not", Msg::HasNot)
            negated=Signal::derive(move || get().1)
            on_pick=move |not| place.edit(|c| if let Condition::Engagement { negate, .. } = c { *negate = not })/>
        <EnumSelect place=place label=Msg::CondEngagement words=engagement_words value=Signal::derive(move || get().0)
            on_pick=move |chosen| place.edit(|c| if let Condition::Engagement { engagement, .. } = c { *engagement = chosen })/>
        <label class="cc-inline-field">{move || place.t(Msg::AtLeast)}
            <input type="number" min="1" max="99" class="cc-number" aria-label=move || place.named(Msg::AtLeast) prop:value=move || get().2.to_string()
                on:change=move |ev| { let n = event_target_value(&ev).parse::<u32>().unwrap_or(1).max(1); place.edit(|c| if let Condition::Engagement { min_count, .. } = c { *min_count = n }) }/>
        </label>
        <WindowSelect place=place value=Signal::derive(move || get().3) on_pick=pick_window/>
    }
}

#[component]
pub fn StatusFields(place: Place) -> impl IntoView {
    let selected = move || match place.current() {
        Some(Condition::Status { statuses }) => statuses,
        _ => Vec::new(),
    };
    view! {
        <span class="cc-checks" role="group" aria-label=move || place.named(Msg::CondStatus)>
            {EmailStatus::ALL.iter().map(|&status| {
                let word = move || place.t(folder_label(status.folder()));
                view! {
                    <label class="cc-check"><input type="checkbox" prop:checked=move || selected().contains(&status)
                        aria-label=move || format!("{}, {}", word(), place.position())
                        on:change=move |ev| { let on = event_target_checked(&ev); place.edit(|c| if let Condition::Status { statuses } = c { toggle(statuses, status, on) }) }/>
                        {word}</label>
                }
            }).collect_view()}
        </span>
    }
}

fn date_words(field: DateField) -> Msg {
    match field {
        DateField::Created => Msg::DateCreated,
        DateField::Scheduled => Msg::DateScheduled,
        DateField::Delivered => Msg::DateDelivered,
        DateField::Failed => Msg::DateFailed,
    }
}

#[component]
pub fn DateFields(place: Place) -> impl IntoView {
    let get = move || match place.current() {
        Some(Condition::Date { field, window }) => (field, Some(window)),
        _ => (DateField::Delivered, Some(Window::LastDays { days: 30 })),
    };
    let pick_window = move |picked: Option<Window>| {
        place.edit(|c| {
            if let Condition::Date { window, .. } = c {
                *window = picked.unwrap_or(Window::LastDays { days: 30 })
            }
        })
    };
    view! {
        <EnumSelect place=place label=Msg::CondDate words=date_words value=Signal::derive(move || get().0)
            on_pick=move |chosen| place.edit(|c| if let Condition::Date { field, .. } = c { *field = chosen })/>
        <WindowSelect place=place value=Signal::derive(move || get().1) required=true on_pick=pick_window/>
    }
}
