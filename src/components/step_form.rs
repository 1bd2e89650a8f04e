//! The form for a campaign's step: its kind, when it falls due, and its text, typed or inserted
//! from one of the rep's templates. A new step, or the one being edited.

use crate::api_client::ApiError;
use crate::components::steps_editor::{clock, kind_label};
use crate::components::template_picker::TemplatePicker;
use crate::i18n::Msg;
use crate::state::use_app;
use api::endpoints::campaigns;
use api::sequence::{CampaignStep, StepInput, StepKind, StepTiming};
use api::CampaignId;
use leptos::prelude::*;

fn is_email_kind(kind: &str) -> bool {
    matches!(
        kind.parse::<StepKind>().ok(),
        Some(StepKind::AutomaticEmail | StepKind::ManualEmail)
    )
}

/// 570 for "09:30"; `None` for an empty or malformed time.
fn minute_of(time: &str) -> Option<u16> {
    let (h, m) = time.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// The form for a new step, or for `step` when one is being edited.
#[component]
pub fn StepForm(
    #[prop(into)] campaign: Signal<CampaignId>,
    step: Option<CampaignStep>,
    editing: RwSignal<Option<CampaignStep>>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let id = step.as_ref().map(|s| s.id);
    let kind = RwSignal::new(
        step.as_ref()
            .map_or(StepKind::AutomaticEmail, |s| s.kind)
            .as_str()
            .to_owned(),
    );
    let wait = RwSignal::new(step.as_ref().map_or(0, |s| s.timing.wait_days).to_string());
    let at = RwSignal::new(
        step.as_ref()
            .and_then(|s| s.timing.at_minute)
            .map(clock)
            .unwrap_or_default(),
    );
    let business = RwSignal::new(step.as_ref().is_some_and(|s| s.timing.business_days));
    let subject = RwSignal::new(step.as_ref().map(|s| s.subject.clone()).unwrap_or_default());
    let body = RwSignal::new(step.as_ref().map(|s| s.body.clone()).unwrap_or_default());
    let template_id = RwSignal::new(step.as_ref().and_then(|s| s.template_id));
    let insert_template = move |template: api::templates::Template| {
        subject.set(template.subject);
        body.set(template.body);
        template_id.set(Some(template.id));
    };
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let is_email = move || kind.with(|k| is_email_kind(k));
    let is_email_now = move || is_email_kind(&kind.get_untracked());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = StepInput {
            kind: kind
                .get_untracked()
                .parse::<StepKind>()
                .ok()
                .unwrap_or(StepKind::AutomaticEmail),
            timing: StepTiming {
                wait_days: wait.get_untracked().trim().parse().unwrap_or(0),
                at_minute: minute_of(&at.get_untracked()),
                business_days: business.get_untracked(),
            },
            subject: subject.get_untracked(),
            body: body.get_untracked(),
            // Only an email step's text counts as the template's.
            template_id: template_id.get_untracked().filter(|_| is_email_now()),
            position: None,
        };
        pending.set(true);
        let api = state.api();
        let campaign = campaign.get_untracked();
        leptos::task::spawn_local(async move {
            let saved = match id {
                Some(id) => api.call(campaigns::edit_step(campaign, id, &input)).await,
                None => api.call(campaigns::add_step(campaign, &input)).await,
            };
            pending.try_set(false);
            match saved {
                Ok(_) => {
                    editing.try_set(None);
                    // A new step: the form empties for the next one.
                    subject.try_set(String::new());
                    body.try_set(String::new());
                    template_id.try_set(None);
                    on_saved.run(());
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    let invalid = move |field: &'static str| {
        move || {
            error.with(|e| match e {
                Some(ApiError::Problem { field: Some(f), .. }) => (f == field).to_string(),
                _ => "false".to_owned(),
            })
        }
    };
    let title = if id.is_some() {
        Msg::EditStep
    } else {
        Msg::AddStep
    };
    view! {
        <form class="cc-step-form" on:submit=save aria-label=move || t(title)>
            <h3>{move || t(title)}</h3>
            <label>
                <span>{move || t(Msg::StepKindLabel)}</span>
                <select class="cc-select" bind:value=kind>
                    {StepKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str()>{move || t(kind_label(k))}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                <span>{move || t(Msg::StepWaitDays)}</span>
                <input type="number" class="cc-input" min="0" max="365" bind:value=wait aria-invalid=invalid("wait_days")/>
            </label>
            <label>
                <span>{move || t(Msg::StepAtTimeLabel)}</span>
                <input type="time" class="cc-input" bind:value=at aria-invalid=invalid("at_minute")/>
            </label>
            <label class="cc-check">
                <input type="checkbox" bind:checked=business/>
                <span>{move || t(Msg::StepBusinessDays)}</span>
            </label>
            <Show when=is_email>
                <div class="cc-wide"><TemplatePicker on_pick=insert_template/></div>
            </Show>
            <label class="cc-wide">
                <span>{move || if is_email() { t(Msg::Subject) } else { t(Msg::TaskTitle) }}</span>
                <input type="text" class="cc-input" required bind:value=subject aria-invalid=invalid("subject")/>
            </label>
            <label class="cc-wide">
                <span>{move || if is_email() { t(Msg::Body) } else { t(Msg::TaskNotes) }}</span>
                <textarea class="cc-input" rows="5" bind:value=body aria-invalid=invalid("body")></textarea>
            </label>
            <p class="cc-hint">{move || t(Msg::StepFormHint)}</p>
            <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get().map(|e| e.message(state.locale.get()))}
            </p>
            <div class="cc-form-actions">
                <button type="submit" class="cc-button cc-button-primary" disabled=move || pending.get()>
                    {move || if id.is_some() { t(Msg::SaveStep) } else { t(Msg::AddStep) }}
                </button>
                <Show when=move || id.is_some()>
                    <button type="button" class="cc-button" on:click=move |_| editing.set(None)>{move || t(Msg::Cancel)}</button>
                </Show>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day_read_as_minutes() {
        assert_eq!(minute_of("09:30"), Some(570));
        assert_eq!(minute_of(""), None);
        assert_eq!(minute_of("24:00"), None);
    }
}
