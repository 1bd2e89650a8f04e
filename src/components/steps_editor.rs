//! A campaign's steps: listed in order with when each falls due and how many people it has
//! reached, moved up and down, edited and removed, and a new one added with the same form.

use crate::api_client::ApiError;
use crate::components::error_banner::ErrorBanner;
use crate::i18n::{Locale, Msg};
use crate::state::use_app;
use api::endpoints::campaigns;
use api::sequence::{CampaignStep, StepInput, StepKind, StepTiming};
use api::{CampaignId, StepId};
use leptos::prelude::*;

pub fn kind_label(kind: StepKind) -> Msg {
    match kind {
        StepKind::AutomaticEmail => Msg::StepAutomaticEmail,
        StepKind::ManualEmail => Msg::StepManualEmail,
        StepKind::Call => Msg::StepCall,
        StepKind::Linkedin => Msg::StepLinkedin,
        StepKind::Custom => Msg::StepCustom,
    }
}

/// "09:30" for 570 minutes.
pub(crate) fn clock(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// When a step falls due, in words: "When enrolled", "2 business days later at 09:00".
pub fn timing_text(locale: Locale, position: u32, timing: &StepTiming) -> String {
    if position == 0 {
        return locale.t(Msg::StepWhenEnrolled).to_owned();
    }
    let days = match (timing.wait_days, timing.business_days) {
        (0, false) => locale.t(Msg::StepSameDay).to_owned(),
        (0, true) => locale.t(Msg::StepSameBusinessDay).to_owned(),
        (n, false) => locale.t(Msg::StepDaysLater).replace("{n}", &n.to_string()),
        (n, true) => locale
            .t(Msg::StepBusinessDaysLater)
            .replace("{n}", &n.to_string()),
    };
    match timing.at_minute {
        Some(minute) => locale
            .t(Msg::StepAtTime)
            .replace("{when}", &days)
            .replace("{time}", &clock(minute)),
        None => days,
    }
}

fn input_of(step: &CampaignStep, position: Option<u32>) -> StepInput {
    StepInput {
        kind: step.kind,
        timing: step.timing,
        subject: step.subject.clone(),
        body: step.body.clone(),
        template_id: step.template_id,
        position,
    }
}

#[component]
pub fn StepsEditor(
    #[prop(into)] campaign: Signal<CampaignId>,
    #[prop(into)] on_changed: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let refresh = RwSignal::new(0u64);
    let steps = LocalResource::new(move || {
        let call = campaigns::steps(campaign.get());
        refresh.track();
        let api = state.api();
        async move { api.call(call).await }
    });
    let editing = RwSignal::new(None::<CampaignStep>);
    let error = RwSignal::new(None::<ApiError>);
    let reload = move || {
        refresh.update(|n| *n += 1);
        on_changed.run(());
    };
    let put = move |step: StepId, input: StepInput| {
        let api = state.api();
        let id = campaign.get_untracked();
        leptos::task::spawn_local(async move {
            match api.call(campaigns::edit_step(id, step, &input)).await {
                Ok(_) => {
                    error.try_set(None);
                    reload();
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    let remove = move |step: StepId| {
        let api = state.api();
        let id = campaign.get_untracked();
        leptos::task::spawn_local(async move {
            match api.call(campaigns::remove_step(id, step)).await {
                Ok(()) => reload(),
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    let list = move |all: Vec<CampaignStep>| {
        let last = all.len().saturating_sub(1) as u32;
        all.into_iter()
            .map(|step| {
                let s = StoredValue::new(step.clone());
                let position = step.position;
                let moved = move |to: u32| {
                    let step = s.get_value();
                    put(step.id, input_of(&step, Some(to)));
                };
                let n = (position + 1).to_string();
                let subject = step.subject.clone();
                view! {
                    <li class="cc-step">
                        <span class="cc-step-number">{n}</span>
                        <span class="cc-step-kind">{move || t(kind_label(step.kind))}</span>
                        <span class="cc-step-when">{move || timing_text(state.locale.get(), position, &step.timing)}</span>
                        <strong class="cc-step-subject">{subject.clone()}</strong>
                        <span class="cc-step-reached">
                            {move || t(Msg::StepReached).replace("{n}", &state.locale.get().number(step.reached))}
                        </span>
                        <span class="cc-step-actions">
                            <button type="button" class="cc-button cc-small" disabled=position == 0
                                aria-label=move || format!("{} {}", t(Msg::MoveUp), subject_label(&s.get_value()))
                                on:click=move |_| moved(position - 1)>{move || t(Msg::MoveUp)}</button>
                            <button type="button" class="cc-button cc-small" disabled=position == last
                                aria-label=move || format!("{} {}", t(Msg::MoveDown), subject_label(&s.get_value()))
                                on:click=move |_| moved(position + 1)>{move || t(Msg::MoveDown)}</button>
                            <button type="button" class="cc-button cc-small"
                                aria-label=move || format!("{} {}", t(Msg::ActionEdit), subject_label(&s.get_value()))
                                on:click=move |_| editing.set(Some(s.get_value()))>{move || t(Msg::ActionEdit)}</button>
                            <button type="button" class="cc-button cc-small"
                                aria-label=move || format!("{} {}", t(Msg::RemoveStep), subject_label(&s.get_value()))
                                on:click=move |_| remove(s.get_value().id)>{move || t(Msg::RemoveStep)}</button>
                        </span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="cc-steps-editor" aria-labelledby="cc-steps-title">
            <h2 id="cc-steps-title">{move || t(Msg::StepsTitle)}</h2>
            {move || match steps.get() {
                None => view! { <p class="cc-status" role="status">{t(Msg::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorBanner error=e on_retry=move |_| refresh.update(|n| *n += 1)/> }.into_any(),
                Some(Ok(all)) if all.is_empty() => view! { <p class="cc-empty">{t(Msg::NoSteps)}</p> }.into_any(),
                Some(Ok(all)) => view! { <ol class="cc-steps">{list(all)}</ol> }.into_any(),
            }}
            <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get().map(|e| e.message(state.locale.get()))}
            </p>
            {move || {
                // A fresh form for each step edited (or none: a new one).
                let step = editing.get();
                view! { <crate::components::step_form::StepForm campaign=campaign step=step editing=editing on_saved=move |()| reload()/> }
            }}
        </section>
    }
}

fn subject_label(step: &CampaignStep) -> String {
    format!("“{}”", step.subject)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day_write_as_clock_times() {
        assert_eq!(clock(570), "09:30");
        assert_eq!(clock(0), "00:00");
    }

    #[test]
    fn a_steps_timing_reads_as_words_in_both_languages() {
        let timing = StepTiming {
            wait_days: 2,
            at_minute: Some(540),
            business_days: true,
        };
        assert_eq!(timing_text(Locale::En, 0, &timing), "When enrolled");
        assert_eq!(
            timing_text(Locale::En, 1, &timing),
            "2 business days later at 09:00"
        );
        assert_eq!(timing_text(Locale::Ja, 1, &timing), "2 営業日後 09:00");
        assert_eq!(
            timing_text(Locale::En, 1, &StepTiming::default()),
            "The same day"
        );
    }
}
