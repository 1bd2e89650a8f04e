//! The condition builder: rows of conditions that edit one `SearchQuery` in place, "all of" plus
//! one "at least one of" group. The kind picker groups the conditions on the email (which hold on
//! one email) apart from those on the person it went to.

use crate::compose_text::{parse_local_input, to_local_input};
use crate::i18n::Msg;
use crate::state::use_app;
use api::search::{
    Condition, DateField, Engagement, PersonField, SearchQuery, SequenceStage, TextOp, Window,
};
use api::sequence::FinishReason;
use api::{CampaignRef, EmailStatus};
use leptos::prelude::*;

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

/// Checks or unchecks one value in a condition's list of them.
fn toggle<T: PartialEq>(list: &mut Vec<T>, value: T, on: bool) {
    let present = list.contains(&value);
    if on && !present {
        list.push(value);
    } else if !on && present {
        list.retain(|v| *v != value);
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
            <button type="button" class="cc-button cc-small" on:click=add>{move || state.t(Msg::AddCondition)}</button>
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
    let state = use_app();
    let t = move |msg| state.t(msg);
    let current = move || query.with(|q| list(q, group).get(index).cloned());
    let kind = Memo::new(move |_| current().map(|c| kind_of(&c)).unwrap_or("engagement"));
    let set = move |condition: Condition| {
        query.update(|q| {
            if let Some(slot) = list_mut(q, group).get_mut(index) {
                *slot = condition;
            }
        })
    };
    let edit = move |change: &dyn Fn(&mut Condition)| {
        if let Some(mut condition) = current() {
            change(&mut condition);
            set(condition);
        }
    };
    let remove = move |_| {
        query.update(|q| {
            let conditions = list_mut(q, group);
            if index < conditions.len() {
                conditions.remove(index);
            }
            tidy(q);
        })
    };
    let label = format!(
        "cc-cond-{}-{index}",
        if group == Group::All { "all" } else { "any" }
    );
    let labelled_by = label.clone();
    let fields = move || match kind.get() {
        "campaign" => {
            let selected = move || match current() {
                Some(Condition::Campaign { ids, .. }) => ids,
                _ => Vec::new(),
            };
            let negated =
                move || matches!(current(), Some(Condition::Campaign { negate: true, .. }));
            view! {
                <select class="cc-select" aria-label=move || t(Msg::CondCampaign)
                    prop:value=move || if negated() { "not" } else { "in" }
                    on:change=move |ev| { let not = event_target_value(&ev) == "not"; edit(&|c| if let Condition::Campaign { negate, .. } = c { *negate = not }) }>
                    <option value="in">{move || t(Msg::InCampaign)}</option>
                    <option value="not">{move || t(Msg::NotInCampaign)}</option>
                </select>
                <span class="cc-checks" role="group" aria-label=move || t(Msg::ColCampaign)>
                    {move || campaigns.get().into_iter().map(|c| {
                        let id = c.id;
                        view! {
                            <label class="cc-check"><input type="checkbox" prop:checked=move || selected().contains(&id)
                                on:change=move |ev| { let on = event_target_checked(&ev); edit(&|c| if let Condition::Campaign { ids, .. } = c { toggle(ids, id, on) }) }/>
                                {c.name}</label>
                        }
                    }).collect_view()}
                </span>
            }.into_any()
        }
        "engagement" => {
            let get = move || match current() {
                Some(Condition::Engagement {
                    engagement,
                    negate,
                    min_count,
                    window,
                }) => (engagement, negate, min_count, window),
                _ => (Engagement::Viewed, false, 1, None),
            };
            let pick_window = move |picked: Option<Window>| {
                edit(&|c| {
                    if let Condition::Engagement { window, .. } = c {
                        *window = picked
                    }
                })
            };
            view! {
                <select class="cc-select" aria-label=move || t(Msg::HasOrNot) prop:value=move || if get().1 { "not" } else { "has" }
                    on:change=move |ev| { let not = event_target_value(&ev) == "not"; edit(&|c| if let Condition::Engagement { negate, .. } = c { *negate = not }) }>
                    <option value="has">{move || t(Msg::Has)}</option>
                    <option value="not">{move || t(Msg::HasNot)}</option>
                </select>
                <select class="cc-select" aria-label=move || t(Msg::CondEngagement)
                    prop:value=move || match get().0 { Engagement::Viewed => "viewed", Engagement::Clicked => "clicked", Engagement::Replied => "replied" }
                    on:change=move |ev| {
                        let chosen = match event_target_value(&ev).as_str() { "clicked" => Engagement::Clicked, "replied" => Engagement::Replied, _ => Engagement::Viewed };
                        edit(&|c| if let Condition::Engagement { engagement, .. } = c { *engagement = chosen })
                    }>
                    <option value="viewed">{move || t(Msg::Viewed)}</option>
                    <option value="clicked">{move || t(Msg::Clicked)}</option>
                    <option value="replied">{move || t(Msg::Replied)}</option>
                </select>
                <label class="cc-inline-field">{move || t(Msg::AtLeast)}
                    <input type="number" min="1" max="99" class="cc-number" prop:value=move || get().2.to_string()
                        on:change=move |ev| { let n = event_target_value(&ev).parse::<u32>().unwrap_or(1).max(1); edit(&|c| if let Condition::Engagement { min_count, .. } = c { *min_count = n }) }/>
                </label>
                <WindowSelect value=Signal::derive(move || get().3) on_pick=pick_window/>
            }.into_any()
        }
        "status" => {
            let selected = move || match current() {
                Some(Condition::Status { statuses }) => statuses,
                _ => Vec::new(),
            };
            view! {
                <span class="cc-checks" role="group" aria-label=move || t(Msg::CondStatus)>
                    {EmailStatus::ALL.iter().map(|&status| view! {
                        <label class="cc-check"><input type="checkbox" prop:checked=move || selected().contains(&status)
                            on:change=move |ev| { let on = event_target_checked(&ev); edit(&|c| if let Condition::Status { statuses } = c { toggle(statuses, status, on) }) }/>
                            {move || t(crate::components::folder_tabs::folder_label(status.folder()))}</label>
                    }).collect_view()}
                </span>
            }.into_any()
        }
        "date" => {
            let get = move || match current() {
                Some(Condition::Date { field, window }) => (field, Some(window)),
                _ => (DateField::Delivered, Some(Window::LastDays { days: 30 })),
            };
            let pick_window = move |picked: Option<Window>| {
                edit(&|c| {
                    if let Condition::Date { window, .. } = c {
                        *window = picked.unwrap_or(Window::LastDays { days: 30 })
                    }
                })
            };
            view! {
                <select class="cc-select" aria-label=move || t(Msg::CondDate)
                    prop:value=move || match get().0 { DateField::Created => "created", DateField::Scheduled => "scheduled", DateField::Delivered => "delivered", DateField::Failed => "failed" }
                    on:change=move |ev| {
                        let chosen = match event_target_value(&ev).as_str() { "created" => DateField::Created, "scheduled" => DateField::Scheduled, "failed" => DateField::Failed, _ => DateField::Delivered };
                        edit(&|c| if let Condition::Date { field, .. } = c { *field = chosen })
                    }>
                    <option value="created">{move || t(Msg::DateCreated)}</option>
                    <option value="scheduled">{move || t(Msg::DateScheduled)}</option>
                    <option value="delivered">{move || t(Msg::DateDelivered)}</option>
                    <option value="failed">{move || t(Msg::DateFailed)}</option>
                </select>
                <WindowSelect value=Signal::derive(move || get().1) required=true on_pick=pick_window/>
            }.into_any()
        }
        "person_replied" => {
            let negated =
                move || matches!(current(), Some(Condition::PersonReplied { negate: true }));
            view! {
                <select class="cc-select" aria-label=move || t(Msg::CondPersonReplied)
                    prop:value=move || if negated() { "never" } else { "has" }
                    on:change=move |ev| { let never = event_target_value(&ev) == "never"; edit(&|c| if let Condition::PersonReplied { negate } = c { *negate = never }) }>
                    <option value="has">{move || t(Msg::PersonHasReplied)}</option>
                    <option value="never">{move || t(Msg::PersonNeverReplied)}</option>
                </select>
            }.into_any()
        }
        "person_sequence" => {
            let get = move || match current() {
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
            view! {
                <select class="cc-select" aria-label=move || t(Msg::CondPersonSequence)
                    prop:value=move || if get().2 { "not" } else { "is" }
                    on:change=move |ev| { let not = event_target_value(&ev) == "not"; edit(&|c| if let Condition::PersonSequence { negate, .. } = c { *negate = not }) }>
                    <option value="is">{move || t(Msg::SequenceIs)}</option>
                    <option value="not">{move || t(Msg::SequenceIsNot)}</option>
                </select>
                <select class="cc-select" aria-label=move || t(Msg::SequenceStageLabel)
                    prop:value=move || stage_value(get().1)
                    on:change=move |ev| { let value = event_target_value(&ev); let at = step(); edit(&|c| if let Condition::PersonSequence { stage, .. } = c { *stage = stage_of(&value, at) }) }>
                    {STAGES.iter().map(|&(value, msg)| view! { <option value=value>{move || t(msg)}</option> }).collect_view()}
                </select>
                <Show when=move || matches!(get().1, SequenceStage::AtStep { .. })>
                    <input type="number" class="cc-input cc-narrow" min="1" max="30" aria-label=move || t(Msg::SequenceStepNumber)
                        prop:value=move || step().to_string()
                        on:change=move |ev| { let n = event_target_value(&ev).parse().unwrap_or(1); edit(&|c| if let Condition::PersonSequence { stage, .. } = c { *stage = SequenceStage::AtStep { step: n } }) }/>
                </Show>
                <select class="cc-select" aria-label=move || t(Msg::CondCampaign)
                    prop:value=move || get().0.map(|id| id.to_string()).unwrap_or_default()
                    on:change=move |ev| { let id = event_target_value(&ev).parse().ok(); edit(&|c| if let Condition::PersonSequence { campaign, .. } = c { *campaign = id }) }>
                    <option value="">{move || t(Msg::AnyCampaign)}</option>
                    {move || campaigns.get().into_iter().map(|c| view! { <option value=c.id.to_string()>{c.name}</option> }).collect_view()}
                </select>
            }.into_any()
        }
        "person_campaign" => {
            let selected = move || match current() {
                Some(Condition::PersonCampaign { ids, .. }) => ids,
                _ => Vec::new(),
            };
            let negated = move || {
                matches!(
                    current(),
                    Some(Condition::PersonCampaign { negate: true, .. })
                )
            };
            view! {
                <select class="cc-select" aria-label=move || t(Msg::CondPersonCampaign)
                    prop:value=move || if negated() { "not" } else { "in" }
                    on:change=move |ev| { let not = event_target_value(&ev) == "not"; edit(&|c| if let Condition::PersonCampaign { negate, .. } = c { *negate = not }) }>
                    <option value="in">{move || t(Msg::InCampaign)}</option>
                    <option value="not">{move || t(Msg::NotInCampaign)}</option>
                </select>
                <span class="cc-checks" role="group" aria-label=move || t(Msg::CondPersonCampaign)>
                    {move || campaigns.get().into_iter().map(|c| {
                        let id = c.id;
                        view! {
                            <label class="cc-check"><input type="checkbox" prop:checked=move || selected().contains(&id)
                                on:change=move |ev| { let on = event_target_checked(&ev); edit(&|c| if let Condition::PersonCampaign { ids, .. } = c { toggle(ids, id, on) }) }/>
                                {c.name}</label>
                        }
                    }).collect_view()}
                </span>
                <span class="cc-secondary">{move || t(Msg::AnyCampaignHint)}</span>
            }.into_any()
        }
        _ => {
            let get = move || match current() {
                Some(Condition::Person { field, op, value }) => (field, op, value),
                _ => (PersonField::Company, TextOp::Contains, String::new()),
            };
            view! {
                <select class="cc-select" aria-label=move || t(Msg::CondPerson)
                    prop:value=move || match get().0 { PersonField::Name => "name", PersonField::Email => "email", PersonField::Company => "company", PersonField::Title => "title" }
                    on:change=move |ev| {
                        let chosen = match event_target_value(&ev).as_str() { "name" => PersonField::Name, "email" => PersonField::Email, "title" => PersonField::Title, _ => PersonField::Company };
                        edit(&|c| if let Condition::Person { field, .. } = c { *field = chosen })
                    }>
                    <option value="name">{move || t(Msg::FieldName)}</option>
                    <option value="email">{move || t(Msg::FieldEmail)}</option>
                    <option value="company">{move || t(Msg::FieldCompany)}</option>
                    <option value="title">{move || t(Msg::FieldTitle)}</option>
                </select>
                <select class="cc-select" aria-label=move || t(Msg::ConditionType)
                    prop:value=move || match get().1 { TextOp::Contains => "contains", TextOp::NotContains => "not_contains", TextOp::Equals => "equals" }
                    on:change=move |ev| {
                        let chosen = match event_target_value(&ev).as_str() { "not_contains" => TextOp::NotContains, "equals" => TextOp::Equals, _ => TextOp::Contains };
                        edit(&|c| if let Condition::Person { op, .. } = c { *op = chosen })
                    }>
                    <option value="contains">{move || t(Msg::OpContains)}</option>
                    <option value="not_contains">{move || t(Msg::OpNotContains)}</option>
                    <option value="equals">{move || t(Msg::OpEquals)}</option>
                </select>
                <input type="text" class="cc-text" aria-label=move || t(Msg::Value) prop:value=move || get().2
                    on:input=move |ev| { let text = event_target_value(&ev); edit(&|c| if let Condition::Person { value, .. } = c { *value = text.clone() }) }/>
            }.into_any()
        }
    };
    view! {
        <div class="cc-condition" role="group" aria-labelledby=labelled_by>
            <select id=label class="cc-select" aria-label=move || t(Msg::ConditionType) prop:value=move || kind.get()
                on:change=move |ev| set(default_condition(&event_target_value(&ev), &campaigns.get_untracked()))>
                <optgroup label=move || t(Msg::EmailConditions)>
                    {EMAIL_KINDS.iter().map(|(value, msg)| view! { <option value=*value>{move || t(*msg)}</option> }).collect_view()}
                </optgroup>
                <optgroup label=move || t(Msg::PersonConditions)>
                    {PERSON_KINDS.iter().map(|(value, msg)| view! { <option value=*value>{move || t(*msg)}</option> }).collect_view()}
                </optgroup>
            </select>
            {fields}
            <button type="button" class="cc-icon-button" aria-label=move || t(Msg::RemoveCondition) on:click=remove>"×"</button>
        </div>
    }
}

/// A window: any time (if allowed), the last 7, 30 or 90 days, or between two moments picked in
/// the rep's time zone.
#[component]
fn WindowSelect(
    value: Signal<Option<Window>>,
    #[prop(into)] on_pick: Callback<Option<Window>>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
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
        <select class="cc-select" aria-label=move || t(Msg::Window) prop:value=choice on:change=pick>
            {(!required).then(|| view! { <option value="">{move || t(Msg::AnyTime)}</option> })}
            {[7u32, 30, 90].into_iter().map(|days| view! {
                <option value=days.to_string()>{move || t(Msg::LastDays).replace("{n}", &days.to_string())}</option>
            }).collect_view()}
            <option value="between">{move || t(Msg::BetweenDates)}</option>
        </select>
        <Show when=move || matches!(value.get(), Some(Window::Between { .. }))>
            <label class="cc-inline-field">{move || t(Msg::WindowFrom)}
                <input type="datetime-local" step="1" prop:value=move || bound(false)
                    on:change=move |ev| set_bound(false, event_target_value(&ev))/>
            </label>
            <label class="cc-inline-field">{move || t(Msg::WindowTo)}
                <input type="datetime-local" step="1" prop:value=move || bound(true)
                    on:change=move |ev| set_bound(true, event_target_value(&ev))/>
            </label>
        </Show>
    }
}
