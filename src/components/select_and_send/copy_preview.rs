//! The focused person's copy as they will read it; in an individual send, their own subject and
//! body can be edited here.

use super::model::BatchModel;
use crate::i18n::Msg;
use crate::state::use_app;
use api::batch::BatchKind;
use api::merge;
use leptos::prelude::*;

#[component]
pub fn CopyPreview(model: BatchModel) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    move || {
        let id = model.focused.get()?;
        let person = model
            .recipients
            .with(|r| r.iter().find(|p| p.id == id).cloned())?;
        let copy = model.copy_of(id);
        let values = person.merge_values();
        let shown_subject = merge::render(&copy.subject, &values, str::to_owned)
            .unwrap_or_else(|_| copy.subject.clone());
        let shown_body =
            merge::render(&copy.body, &values, str::to_owned).unwrap_or_else(|_| copy.body.clone());
        let heading = t(Msg::Preview).replace("{name}", &person.name);
        let own_text = move |body: bool| {
            model
                .copies
                .with(|c| {
                    c.get(&id).map(|c| {
                        if body {
                            c.body.clone()
                        } else {
                            c.subject.clone()
                        }
                    })
                })
                .unwrap_or_default()
        };
        Some(view! {
            <section class="cc-preview" aria-label=heading.clone()>
                <h3>{heading.clone()}</h3>
                <p class="cc-preview-subject">{shown_subject}</p>
                <p class="cc-preview-body">{shown_body}</p>
                {(model.kind == BatchKind::Individual).then(|| view! {
                    <Show when=move || model.has_own_copy(id) fallback=move || view! {
                        <button type="button" class="cc-button cc-small" on:click=move |_| model.edit_own(id)>{t(Msg::EditThisCopy)}</button>
                    }>
                        <label class="cc-field">
                            <span>{t(Msg::OwnSubject).replace("{name}", &person.name)}</span>
                            <input type="text" prop:value=move || own_text(false)
                                on:input=move |ev| model.set_own(id, Some(event_target_value(&ev)), None)/>
                        </label>
                        <label class="cc-field">
                            <span>{t(Msg::OwnBody).replace("{name}", &person.name)}</span>
                            <textarea rows="5" prop:value=move || own_text(true)
                                on:input=move |ev| model.set_own(id, None, Some(event_target_value(&ev)))></textarea>
                        </label>
                        <button type="button" class="cc-button cc-small" on:click=move |_| model.use_shared(id)>{t(Msg::UseSharedText)}</button>
                    </Show>
                })}
            </section>
        })
    }
}
