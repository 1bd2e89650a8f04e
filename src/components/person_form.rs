//! A person's fields as inputs (the Add person dialog and the person's page), and the dialog
//! that adds one. A refused save keeps everything as typed and marks the field the server named.

use crate::api_client::ApiError;
use crate::components::modal::Modal;
use crate::i18n::{Locale, Msg};
use crate::state::use_app;
use api::people::{PersonField, PersonFields};
use api::Person;
use leptos::prelude::*;

/// A field's label in the rep's language.
pub fn field_label(field: PersonField, locale: Locale) -> String {
    let label = field.label();
    match locale {
        Locale::En => label.en.into_owned(),
        Locale::Ja => label.ja.into_owned(),
    }
}

#[component]
pub fn PersonFieldsEditor(
    fields: RwSignal<PersonFields>,
    /// The field the last refusal named.
    #[prop(into)]
    invalid: Signal<Option<String>>,
    /// Ids stay unique when two editors are on one page.
    id_prefix: &'static str,
) -> impl IntoView {
    let state = use_app();
    let input = move |field: PersonField| {
        let id = format!("{id_prefix}-{}", field.as_str());
        let for_id = id.clone();
        let kind = match field {
            PersonField::Email => "email",
            PersonField::Phone => "tel",
            PersonField::LinkedinUrl => "url",
            _ => "text",
        };
        view! {
            <label class="cc-field" for=for_id>
                <span>{move || field_label(field, state.locale.get())}
                    {(field == PersonField::Email).then(|| view! { <span aria-hidden="true">" *"</span> })}
                </span>
                <input id=id type=kind required=field == PersonField::Email
                    autocomplete="off"
                    aria-invalid=move || (invalid.get().as_deref() == Some(field.as_str())).then_some("true")
                    prop:value=move || fields.with(|f| f.get(field).to_owned())
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        fields.update(|f| f.set(field, value));
                    }/>
            </label>
        }
    };
    view! {
        <div class="cc-person-fields">
            <div class="cc-field-row">{input(PersonField::LastName)}{input(PersonField::FirstName)}</div>
            {input(PersonField::Email)}
            <div class="cc-field-row">{input(PersonField::Company)}{input(PersonField::Title)}</div>
            <div class="cc-field-row">{input(PersonField::Phone)}{input(PersonField::LinkedinUrl)}</div>
        </div>
    }
}

/// Adds a person; closes only once they are saved.
#[component]
pub fn AddPersonDialog(
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_added: Callback<Person>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let fields = RwSignal::new(PersonFields::default());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let invalid = Signal::derive(move || match error.get() {
        Some(ApiError::Problem { field, .. }) => field,
        _ => None,
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let api = state.api();
        let body = fields.get_untracked();
        leptos::task::spawn_local(async move {
            match api.call(api::endpoints::people::create(&body)).await {
                Ok(person) => on_added.run(person),
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    view! {
        <Modal title=Signal::derive(move || t(Msg::AddPerson).to_owned()) on_close=on_close id="cc-add-person">
            <form class="cc-form" on:submit=save novalidate>
                <PersonFieldsEditor fields=fields invalid=invalid id_prefix="cc-new-person"/>
                {move || error.get().map(|e| view! {
                    <p class="cc-error" role="alert">{e.message(state.locale.get())}</p>
                })}
                <div class="cc-dialog-actions">
                    <button type="submit" class="cc-button cc-button-primary" disabled=move || pending.get()>
                        {move || t(Msg::SavePerson)}
                    </button>
                    <button type="button" class="cc-button" on:click=move |_| on_close.run(())>{move || t(Msg::Cancel)}</button>
                </div>
            </form>
        </Modal>
    }
}
