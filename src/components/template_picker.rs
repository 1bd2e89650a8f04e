//! "Insert template": the rep's templates in a labelled select. Choosing one hands it to the
//! form (which fills its subject and body) and the select returns to its prompt, so the same
//! template can be inserted again after an edit.

use crate::i18n::Msg;
use crate::state::use_app;
use api::templates::Template;
use leptos::prelude::*;

#[component]
pub fn TemplatePicker(#[prop(into)] on_pick: Callback<Template>) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let templates = LocalResource::new(move || {
        let api = state.api();
        async move { api.call(api::endpoints::templates::list()).await }
    });
    let listed = move || templates.get().and_then(Result::ok).unwrap_or_default();
    let pick = move |ev: leptos::ev::Event| {
        let chosen: Option<api::Id> = event_target_value(&ev).parse().ok();
        if let Some(template) = chosen.and_then(|id| listed().into_iter().find(|t| t.id == id)) {
            on_pick.run(template);
        }
        // Back to the prompt: the select names no template once its text is in the form.
        if let Some(select) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(t).ok())
        {
            select.set_value("");
        }
    };
    view! {
        <label class="cc-field cc-template-picker">
            <span>{move || t(Msg::InsertTemplate)}</span>
            <select class="cc-select" on:change=pick>
                <option value="">
                    {move || if listed().is_empty() { t(Msg::NoTemplatesToInsert) } else { t(Msg::ChooseTemplate) }}
                </option>
                {move || listed().into_iter().map(|template| view! {
                    <option value=template.id.to_string()>{template.name}</option>
                }).collect_view()}
            </select>
        </label>
    }
}
