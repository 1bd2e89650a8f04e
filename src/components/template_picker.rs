//! "Insert template": the rep's templates, picked by typing part of a name (a combobox). Picking
//! one hands it to the form (which fills its subject and body) and empties the field, so the same
//! template can be inserted again after an edit.

use crate::components::combobox::Suggestion;
use crate::components::list_picker::ListPicker;
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
    let options = Signal::derive(move || {
        listed()
            .into_iter()
            .map(|template| Suggestion {
                key: template.id.to_string(),
                label: template.name,
            })
            .collect::<Vec<_>>()
    });
    let pick = move |key: String| {
        if let Some(template) = listed().into_iter().find(|t| t.id.to_string() == key) {
            on_pick.run(template);
        }
    };
    view! {
        <div class="cc-field cc-template-picker">
            <span id="cc-template-pick-label">{move || t(Msg::InsertTemplate)}</span>
            <ListPicker id="cc-template-pick" label=Signal::derive(move || t(Msg::InsertTemplate).to_owned())
                options=options value=RwSignal::new(String::new()) on_change=pick clear=true
                placeholder=Signal::derive(move || {
                    if options.with(Vec::is_empty) { t(Msg::NoTemplatesToInsert) } else { t(Msg::ChooseTemplate) }.to_owned()
                })/>
        </div>
    }
}
