//! The Templates page (`/templates`): the rep's templates with how the emails made from each
//! have done (sent, and view, click and reply rates), edited and deleted, and a new one written.

use crate::api_client::ApiError;
use crate::components::error_banner::ErrorBanner;
use crate::components::template_form::TemplateForm;
use crate::i18n::Msg;
use crate::state::use_app;
use api::templates::Template;
use leptos::prelude::*;

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let refresh = RwSignal::new(0u64);
    let templates = LocalResource::new(move || {
        refresh.track();
        let api = state.api();
        async move { api.call(api::endpoints::templates::list()).await }
    });
    let editing = RwSignal::new(None::<Template>);
    let error = RwSignal::new(None::<ApiError>);
    let reload = move || refresh.update(|n| *n += 1);
    let remove = Callback::new(move |id: api::TemplateId| {
        let api = state.api();
        leptos::task::spawn_local(async move {
            match api.call(api::endpoints::templates::delete(id)).await {
                Ok(()) => {
                    error.try_set(None);
                    if editing.get_untracked().is_some_and(|t| t.id == id) {
                        editing.set(None);
                    }
                    reload();
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    });
    view! {
        <section class="cc-page cc-templates">
            <h1 class="cc-page-title">{move || t(Msg::TemplatesTitle)}</h1>
            {move || match templates.get() {
                None => view! { <p class="cc-status" role="status">{t(Msg::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorBanner error=e on_retry=move |_| reload()/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="cc-empty">{t(Msg::NoTemplatesYet)}</p> }.into_any(),
                Some(Ok(list)) => view! { <TemplateTable templates=list editing=editing on_remove=remove/> }.into_any(),
            }}
            <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get().map(|e| e.message(state.locale.get()))}
            </p>
            {move || {
                // A fresh form for each template edited (or none: a new one).
                let template = editing.get();
                view! { <TemplateForm template=template editing=editing on_saved=move |()| reload()/> }
            }}
        </section>
    }
}

#[component]
fn TemplateTable(
    templates: Vec<Template>,
    editing: RwSignal<Option<Template>>,
    #[prop(into)] on_remove: Callback<api::TemplateId>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let number = move |n: u64| state.locale.get().number(n);
    let rate = move |rate: Option<u32>| rate.map_or_else(|| "—".to_owned(), |r| format!("{r}%"));
    view! {
        <table class="cc-table cc-template-table">
            <caption class="cc-visually-hidden">{move || t(Msg::TemplatesTitle)}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || t(Msg::ColTemplate)}</th>
                    <th scope="col">{move || t(Msg::ColSubject)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::ColSentCount)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::ColViewRate)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::ColClickRate)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::ColReplyRate)}</th>
                    <th scope="col"><span class="cc-visually-hidden">{move || t(Msg::ColActions)}</span></th>
                </tr>
            </thead>
            <tbody>
                {templates.into_iter().map(|template| {
                    let usage = template.usage;
                    let name = template.name.clone();
                    let id = template.id;
                    let stored = StoredValue::new(template.clone());
                    let label = move |msg| format!("{} “{}”", t(msg), name);
                    let (edit_label, delete_label) = (label.clone(), label);
                    view! {
                        <tr>
                            <th scope="row">{template.name.clone()}</th>
                            <td>{template.subject.clone()}</td>
                            <td class="cc-num">{move || number(usage.sent)}</td>
                            <td class="cc-num">{rate(usage.rate(usage.viewed))}</td>
                            <td class="cc-num">{rate(usage.rate(usage.clicked))}</td>
                            <td class="cc-num">{rate(usage.rate(usage.replied))}</td>
                            <td><span class="cc-inline-actions">
                                <button type="button" class="cc-button cc-small"
                                    aria-label=move || edit_label(Msg::ActionEdit)
                                    on:click=move |_| editing.set(Some(stored.get_value()))>{move || t(Msg::ActionEdit)}</button>
                                <button type="button" class="cc-button cc-small"
                                    aria-label=move || delete_label(Msg::ActionDelete)
                                    on:click=move |_| on_remove.run(id)>{move || t(Msg::ActionDelete)}</button>
                            </span></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
