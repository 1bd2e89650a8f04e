//! The email as its recipient will read it, merge fields filled from their profile, with the
//! fields their profile lacks named.

use super::model::ComposeModel;
use crate::i18n::Msg;
use crate::state::use_app;
use api::batch::unfilled_fields;
use api::merge;
use leptos::prelude::*;

#[component]
pub fn Preview(model: ComposeModel) -> impl IntoView {
    let state = use_app();
    move || {
        let values = model.recipient_values.get()?;
        let name = model
            .person
            .with(|p| p.as_ref().map(|p| p.name.clone()))
            .unwrap_or_default();
        let subject = model.subject.get();
        let body = model.body.get();
        let rendered_subject = merge::render(&subject, &values, str::to_owned);
        let rendered_body = merge::render(&body, &values, str::to_owned);
        let unfilled = unfilled_fields(&subject, &body, &values);
        let heading = state.t(Msg::Preview).replace("{name}", &name);
        let label = heading.clone();
        Some(view! {
            <section class="cc-preview" aria-label=label>
                <h3>{heading}</h3>
                <p class="cc-preview-subject">{rendered_subject.unwrap_or(subject)}</p>
                <p class="cc-preview-body">{rendered_body.unwrap_or(body)}</p>
                {(!unfilled.is_empty()).then(|| view! {
                    <p class="cc-warning" role="status">
                        {state.t(Msg::UnfilledFields).replace("{fields}", &unfilled.join(", "))}
                    </p>
                })}
            </section>
        })
    }
}
