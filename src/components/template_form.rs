//! The form for a template: its name, subject and body (typed as text, kept as HTML), a new one
//! or the one being edited. What was typed stays in the form when the server refuses it.

use crate::api_client::ApiError;
use crate::compose_text::{html_to_text, text_to_html};
use crate::i18n::Msg;
use crate::state::use_app;
use api::endpoints::templates;
use api::templates::{Template, TemplateInput};
use leptos::prelude::*;

#[component]
pub fn TemplateForm(
    template: Option<Template>,
    editing: RwSignal<Option<Template>>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let id = template.as_ref().map(|t| t.id);
    let name = RwSignal::new(
        template
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_default(),
    );
    let subject = RwSignal::new(
        template
            .as_ref()
            .map(|t| t.subject.clone())
            .unwrap_or_default(),
    );
    let body = RwSignal::new(
        template
            .as_ref()
            .map(|t| html_to_text(&t.body))
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = TemplateInput {
            name: name.get_untracked(),
            subject: subject.get_untracked(),
            body: text_to_html(&body.get_untracked()),
        };
        pending.set(true);
        let api = state.api();
        leptos::task::spawn_local(async move {
            let saved = match id {
                Some(id) => api.call(templates::edit(id, &input)).await,
                None => api.call(templates::create(&input)).await,
            };
            pending.try_set(false);
            match saved {
                Ok(_) => {
                    error.try_set(None);
                    editing.try_set(None);
                    name.try_set(String::new());
                    subject.try_set(String::new());
                    body.try_set(String::new());
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
        Msg::EditTemplate
    } else {
        Msg::NewTemplate
    };
    view! {
        <form class="cc-step-form cc-template-form" on:submit=save aria-label=move || t(title)>
            <h2>{move || t(title)}</h2>
            <label class="cc-wide">
                <span>{move || t(Msg::TemplateName)}</span>
                <input type="text" class="cc-input" required maxlength="100" bind:value=name aria-invalid=invalid("name")/>
            </label>
            <label class="cc-wide">
                <span>{move || t(Msg::Subject)}</span>
                <input type="text" class="cc-input" required bind:value=subject aria-invalid=invalid("subject")/>
            </label>
            <label class="cc-wide">
                <span>{move || t(Msg::Body)}</span>
                <textarea class="cc-input" rows="6" bind:value=body aria-invalid=invalid("body")></textarea>
            </label>
            <p class="cc-hint">{move || t(Msg::TemplateHint)}</p>
            <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get().map(|e| e.message(state.locale.get()))}
            </p>
            <div class="cc-form-actions">
                <button type="submit" class="cc-button cc-button-primary" disabled=move || pending.get()>
                    {move || if id.is_some() { t(Msg::SaveTemplate) } else { t(Msg::CreateTemplate) }}
                </button>
                <Show when=move || id.is_some()>
                    <button type="button" class="cc-button" on:click=move |_| editing.set(None)>{move || t(Msg::Cancel)}</button>
                </Show>
            </div>
        </form>
    }
}
