//! The fields of the conditions on the person an email went to: replied ever, where they stand
//! in a campaign's sequence, enrolled in campaigns, a profile field's text.

use super::email_fields::CampaignSet;
use super::place::Place;
use super::select::{EnumSelect, NegateSelect};
use crate::components::add_to_campaign::campaign_options;
use crate::components::list_picker::ListPicker;
use crate::i18n::Msg;
use api::search::{Condition, PersonField, SequenceStage, TextOp};
use api::sequence::FinishReason;
use leptos::prelude::*;

#[component]
pub fn PersonRepliedFields(place: Place) -> impl IntoView {
    let negated = Signal::derive(move || {
        matches!(
            place.current(),
            Some(Condition::PersonReplied { negate: true })
        )
    });
    view! {
        <NegateSelect place=place label=Msg::CondPersonReplied holds=("has", Msg::PersonHasReplied)
            negated_as=("never", Msg::PersonNeverReplied) negated=negated
            on_pick=move |never| place.edit(|c| if let Condition::PersonReplied { negate } = c { *negate = never })/>
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
        <NegateSelect place=place label=Msg::CondPersonSequence holds=("is", Msg::SequenceIs)
            negated_as=("not", Msg::SequenceIsNot) negated=Signal::derive(move || get().2)
            on_pick=move |not| place.edit(|c| if let Condition::PersonSequence { negate, .. } = c { *negate = not })/>
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

fn field_words(field: PersonField) -> Msg {
    match field {
        PersonField::Name => Msg::FieldName,
        PersonField::Email => Msg::FieldEmail,
        PersonField::Company => Msg::FieldCompany,
        PersonField::Title => Msg::FieldTitle,
    }
}

fn op_words(op: TextOp) -> Msg {
    match op {
        TextOp::Contains => Msg::OpContains,
        TextOp::NotContains => Msg::OpNotContains,
        TextOp::Equals => Msg::OpEquals,
    }
}

#[component]
pub fn PersonTextFields(place: Place) -> impl IntoView {
    let get = move || match place.current() {
        Some(Condition::Person { field, op, value }) => (field, op, value),
        _ => (PersonField::Company, TextOp::Contains, String::new()),
    };
    view! {
        <EnumSelect place=place label=Msg::CondPerson words=field_words value=Signal::derive(move || get().0)
            on_pick=move |chosen| place.edit(|c| if let Condition::Person { field, .. } = c { *field = chosen })/>
        <EnumSelect place=place label=Msg::TextMatch words=op_words value=Signal::derive(move || get().1)
            on_pick=move |chosen| place.edit(|c| if let Condition::Person { op, .. } = c { *op = chosen })/>
        <input type="text" class="cc-text" aria-label=move || place.named(Msg::Value) prop:value=move || get().2
            on:input=move |ev| { let text = event_target_value(&ev); place.edit(|c| if let Condition::Person { value, .. } = c { *value = text }) }/>
    }
}
