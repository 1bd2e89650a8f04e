//! The condition builder: rows of conditions that edit one `SearchQuery` in place, "all of" plus
//! one "at least one of" group. The kind picker groups the conditions on the email (which hold on
//! one email) apart from those on the person it went to.

mod email_fields;
mod person_fields;
mod place;
mod select;
mod window;

use crate::i18n::Msg;
use crate::state::use_app;
use api::search::{
    Condition, DateField, Engagement, PersonField, SearchQuery, SequenceStage, TextOp, Window,
};
use api::{CampaignRef, EmailStatus};
use email_fields::{CampaignFields, DateFields, EngagementFields, StatusFields};
use leptos::prelude::*;
use person_fields::{PersonCampaignFields, PersonRepliedFields, PersonTextFields, SequenceFields};
use place::Place;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    All,
    Any,
}

fn list(query: &SearchQuery, group: Group) -> &[Condition] {
    match group {
        Group::All => &query.all,
        Group::Any => query.any.first().map(Vec::as_slice).unwrap_or(&[]),
    }
}

fn list_mut(query: &mut SearchQuery, group: Group) -> &mut Vec<Condition> {
    match group {
        Group::All => &mut query.all,
        Group::Any => {
            if query.any.is_empty() {
                query.any.push(Vec::new());
            }
            &mut query.any[0]
        }
    }
}

/// Drops an emptied OR group: an empty group would match nobody.
fn tidy(query: &mut SearchQuery) {
    query.any.retain(|group| !group.is_empty());
}

const EMAIL_KINDS: [(&str, Msg); 4] = [
    ("campaign", Msg::CondCampaign),
    ("engagement", Msg::CondEngagement),
    ("status", Msg::CondStatus),
    ("date", Msg::CondDate),
];

const PERSON_KINDS: [(&str, Msg); 4] = [
    ("person", Msg::CondPerson),
    ("person_replied", Msg::CondPersonReplied),
    ("person_campaign", Msg::CondPersonCampaign),
    ("person_sequence", Msg::CondPersonSequence),
];

fn kind_of(condition: &Condition) -> &'static str {
    match condition {
        Condition::Campaign { .. } => "campaign",
        Condition::Engagement { .. } => "engagement",
        Condition::Status { .. } => "status",
        Condition::Date { .. } => "date",
        Condition::Person { .. } => "person",
        Condition::PersonReplied { .. } => "person_replied",
        Condition::PersonCampaign { .. } => "person_campaign",
        Condition::PersonSequence { .. } => "person_sequence",
    }
}

fn default_condition(kind: &str, campaigns: &[CampaignRef]) -> Condition {
    match kind {
        "campaign" => Condition::Campaign {
            ids: campaigns.first().map(|c| vec![c.id]).unwrap_or_default(),
            negate: false,
        },
        "status" => Condition::Status {
            statuses: vec![EmailStatus::Delivered],
        },
        "date" => Condition::Date {
            field: DateField::Delivered,
            window: Window::LastDays { days: 30 },
        },
        "person" => Condition::Person {
            field: PersonField::Company,
            op: TextOp::Contains,
            value: String::new(),
        },
        "person_replied" => Condition::PersonReplied { negate: true },
        "person_campaign" => Condition::PersonCampaign {
            ids: Vec::new(),
            negate: false,
        },
        // "Not running in any campaign": the people free for a new one.
        "person_sequence" => Condition::PersonSequence {
            campaign: None,
            stage: SequenceStage::Running,
            negate: true,
        },
        _ => Condition::Engagement {
            engagement: Engagement::Viewed,
            negate: false,
            min_count: 1,
            window: None,
        },
    }
}

#[component]
pub fn ConditionList(
    query: RwSignal<SearchQuery>,
    group: Group,
    campaigns: Signal<Vec<CampaignRef>>,
) -> impl IntoView {
    let state = use_app();
    let count = Memo::new(move |_| query.with(|q| list(q, group).len()));
    let add = move |_| {
        let condition = default_condition("engagement", &campaigns.get_untracked());
        query.update(|q| list_mut(q, group).push(condition));
    };
    let heading = if group == Group::All {
        Msg::AllOf
    } else {
        Msg::AnyOf
    };
    view! {
        <fieldset class="cc-conditions">
            <legend>{move || state.t(heading)}</legend>
            <For each=move || 0..count.get() key=|index| *index let(index)>
                <ConditionRow query=query group=group index=index campaigns=campaigns/>
            </For>
            // Named with its group: the two groups' buttons are told apart without their legends.
            <button type="button" class="cc-button cc-small" on:click=add
                aria-label=move || format!("{}: {}", state.t(Msg::AddCondition), state.t(heading))>
                {move || state.t(Msg::AddCondition)}
            </button>
        </fieldset>
    }
}

#[component]
fn ConditionRow(
    query: RwSignal<SearchQuery>,
    group: Group,
    index: usize,
    campaigns: Signal<Vec<CampaignRef>>,
) -> impl IntoView {
    let place = Place {
        query,
        group,
        index,
        campaigns,
        state: use_app(),
    };
    let t = move |msg| place.t(msg);
    let kind = Memo::new(move |_| place.current().map(|c| kind_of(&c)).unwrap_or("engagement"));
    // Drawn again only when the kind changes: editing a field keeps its focus.
    let fields = move || match kind.get() {
        "campaign" => view! { <CampaignFields place=place/> }.into_any(),
        "engagement" => view! { <EngagementFields place=place/> }.into_any(),
        "status" => view! { <StatusFields place=place/> }.into_any(),
        "date" => view! { <DateFields place=place/> }.into_any(),
        "person_replied" => view! { <PersonRepliedFields place=place/> }.into_any(),
        "person_sequence" => view! { <SequenceFields place=place/> }.into_any(),
        "person_campaign" => view! { <PersonCampaignFields place=place/> }.into_any(),
        _ => view! { <PersonTextFields place=place/> }.into_any(),
    };
    view! {
        <div class="cc-condition" role="group" aria-labelledby=place.id()>
            <select id=place.id() class="cc-select" aria-label=move || place.named(Msg::ConditionType) prop:value=move || kind.get()
                on:change=move |ev| place.set(default_condition(&event_target_value(&ev), &campaigns.get_untracked()))>
                <optgroup label=move || t(Msg::EmailConditions)>
                    {EMAIL_KINDS.iter().map(|(value, msg)| view! { <option value=*value>{move || t(*msg)}</option> }).collect_view()}
                </optgroup>
                <optgroup label=move || t(Msg::PersonConditions)>
                    {PERSON_KINDS.iter().map(|(value, msg)| view! { <option value=*value>{move || t(*msg)}</option> }).collect_view()}
                </optgroup>
            </select>
            {fields}
            <button type="button" class="cc-icon-button" aria-label=move || place.named(Msg::RemoveCondition) on:click=move |_| place.remove()>"×"</button>
        </div>
    }
}
