//! The fields of the conditions on the person an email went to: replied ever, where they stand
//! in a campaign's sequence, enrolled in campaigns, a profile field's text.

use super::email_fields::CampaignSet;
use super::place::Place;
use crate::components::add_to_campaign::campaign_options;
use crate::components::list_picker::ListPicker;
use crate::i18n::Msg;
use api::search::{Condition, PersonField, SequenceStage, TextOp};
use api::sequence::FinishReason;
use leptos::prelude::*;

#[component]
pub fn PersonRepliedFields(place: Place) -> impl IntoView {
    let negated = move || {
        matches!(
            place.current(),
            Some(Condition::PersonReplied { negate: true })
        )
    };
    view! {
        <select class="cc-select" aria-label=move || place.named(Msg::CondPersonReplied)
            prop:value=move || if negated() { "never" } else { "has" }
            on:change=move |ev| { let never = event_target_value(&ev) == "never"; place.edit(|c| if let Condition::PersonReplied { negate } = c { *negate = never }) }>
            <option value="has">{move || place.t(Msg::PersonHasReplied)}</option>
            <option value="never">{move || place.t(Msg::PersonNeverReplied)}</option>
        </select>
    }
}

/// The stage picker's values: where a person stands in a sequence.
const STAGES: [(&str, Msg); 9] = [
    ("running", Msg::StageRunning),
    ("at_step", Msg::StageAtStep),
    ("finished", Msg::StageFinished),
    ("completed", Msg::FinishedCompleted),
    ("replied", Msg::FinishedReplied),
    ("bounced", Msg::FinishedBounced),
    ("spam", Msg::FinishedSpam),
    ("opted_out", Msg::FinishedOptedOut),
    ("removed", Msg::FinishedRemoved),
];

fn stage_value(stage: SequenceStage) -> &'static str {
    match stage {
        SequenceStage::Running => "running",
        SequenceStage::AtStep { .. } => "at_step",
        SequenceStage::Finished { reason: None } => "finished",
        SequenceStage::Finished { reason: Some(r) } => r.as_str(),
    }
}

fn stage_of(value: &str, step: u32) -> SequenceStage {
    match value {
        "at_step" => SequenceStage::AtStep { step: step.max(1) },
        "finished" => SequenceStage::Finished { reason: None },
        "running" => SequenceStage::Running,
        reason => SequenceStage::Finished {
            reason: reason.parse::<FinishReason>().ok(),
        },
    }
}

#[component]
pub fn SequenceFields(place: Place) -> impl IntoView {
    let get = move || match place.current() {
        Some(Condition::PersonSequence {
            campaign,
            stage,
            negate,
        }) => (campaign, stage, negate),
        _ => (None, SequenceStage::Running, false),
    };
    let step = move || match get().1 {
        SequenceStage::AtStep { step } => step,
        _ => 1,
    };
    let campaign = RwSignal::new(untrack(get).0.map(|id| id.to_string()).unwrap_or_default());
    let pick_campaign = move |key: String| {
        let id = key.parse().ok();
        place.edit(|c| {
            if let Condition::PersonSequence { campaign, .. } = c {
                *campaign = id
            }
        })
    };
    view! {
        <select class="cc-select" aria-label=move || place.named(Msg::CondPersonSequence)
            prop:value=move || if get().2 { "not" } else { "is" }
            on:change=move |ev| { let not = event_target_value(&ev) == "not"; place.edit(|c| if let Condition::PersonSequence { negate, .. } = c { *negate = not }) }>
            <option value="is">{move || place.t(Msg::SequenceIs)}</option>
            <option value="not">{move || place.t(Msg::SequenceIsNot)}</option>
        </select>
        <select class="cc-select" aria-label=move || place.named(Msg::SequenceStageLabel)
            prop:value=move || stage_value(get().1)
            on:change=move |ev| { let value = event_target_value(&ev); let at = step(); place.edit(|c| if let Condition::PersonSequence { stage, .. } = c { *stage = stage_of(&value, at) }) }>
            {STAGES.iter().map(|&(value, msg)| view! { <option value=value>{move || place.t(msg)}</option> }).collect_view()}
        </select>
        <Show when=move || matches!(get().1, SequenceStage::AtStep { .. })>
            <input type="number" class="cc-input cc-narrow" min="1" max="30" aria-label=move || place.named(Msg::SequenceStepNumber)
                prop:value=move || step().to_string()
                on:change=move |ev| { let n = event_target_value(&ev).parse().unwrap_or(1); place.edit(|c| if let Condition::PersonSequence { stage, .. } = c { *stage = SequenceStage::AtStep { step: n } }) }/>
        </Show>
        <ListPicker id=format!("{}-campaign", place.id()) label=Signal::derive(move || place.named(Msg::CondCampaign))
            options=Signal::derive(move || campaign_options(&place.campaigns.get())) value=campaign
            placeholder=Signal::derive(move || place.t(Msg::AnyCampaign).to_owned())
            on_change=pick_campaign/>
    }
}

#[component]
pub fn PersonCampaignFields(place: Place) -> impl IntoView {
    view! {
        <CampaignSet place=place label=Msg::CondPersonCampaign checks=Msg::CondPersonCampaign/>
        <span class="cc-secondary">{move || place.t(Msg::AnyCampaignHint)}</span>
    }
}

#[component]
pub fn PersonTextFields(place: Place) -> impl IntoView {
    let get = move || match place.current() {
        Some(Condition::Person { field, op, value }) => (field, op, value),
        _ => (PersonField::Company, TextOp::Contains, String::new()),
    };
    view! {
        <select class="cc-select" aria-label=move || place.named(Msg::CondPerson)
            prop:value=move || get().0.as_str()
            on:change=move |ev| {
                let chosen = event_target_value(&ev).parse().unwrap_or(PersonField::Company);
                place.edit(|c| if let Condition::Person { field, .. } = c { *field = chosen })
            }>
            <option value="name">{move || place.t(Msg::FieldName)}</option>
            <option value="email">{move || place.t(Msg::FieldEmail)}</option>
            <option value="company">{move || place.t(Msg::FieldCompany)}</option>
            <option value="title">{move || place.t(Msg::FieldTitle)}</option>
        </select>
        <select class="cc-select" aria-label=move || place.named(Msg::TextMatch)
            prop:value=move || get().1.as_str()
            on:change=move |ev| {
                let chosen = event_target_value(&ev).parse().unwrap_or(TextOp::Contains);
                place.edit(|c| if let Condition::Person { op, .. } = c { *op = chosen })
            }>
            <option value="contains">{move || place.t(Msg::OpContains)}</option>
            <option value="not_contains">{move || place.t(Msg::OpNotContains)}</option>
            <option value="equals">{move || place.t(Msg::OpEquals)}</option>
        </select>
        <input type="text" class="cc-text" aria-label=move || place.named(Msg::Value) prop:value=move || get().2
            on:input=move |ev| { let text = event_target_value(&ev); place.edit(|c| if let Condition::Person { value, .. } = c { *value = text }) }/>
    }
}
