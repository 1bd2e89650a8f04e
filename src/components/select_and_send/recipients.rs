//! Who gets the batch: one row each, saying whether they get the shared text, their own copy, or
//! a text with an empty merge field; a row's copy can be previewed, or the person left out.

use super::model::BatchModel;
use crate::i18n::Msg;
use crate::state::use_app;
use leptos::prelude::*;

#[component]
pub fn RecipientsTable(model: BatchModel) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let count = move || model.recipients.with(Vec::len).to_string();
    view! {
        <table class="cc-table cc-recipients">
            <caption>{t(Msg::Recipients)}" ("{count}")"</caption>
            <thead><tr>
                <th scope="col">{t(Msg::ColPerson)}</th>
                <th scope="col">{t(Msg::ColCompany)}</th>
                <th scope="col">{t(Msg::CopyColumn)}</th>
                <th scope="col"><span class="cc-visually-hidden">{t(Msg::ColActions)}</span></th>
            </tr></thead>
            <tbody>
                <For each=move || model.recipients.get() key=|p| p.id let(person)>
                    {
                        let id = person.id;
                        // Names repeat; the address tells two people apart.
                        let name = format!("{} <{}>", person.name, person.email);
                        let who = name.clone();
                        let state_label = move || if model.has_own_copy(id) {
                            t(Msg::CopyEdited)
                        } else if model.unfilled.with(|u| u.iter().any(|(p, _)| p.id == id)) {
                            t(Msg::CopyHasEmptyFields)
                        } else {
                            t(Msg::CopyShared)
                        };
                        view! {
                            <tr data-person-id=id.0 aria-current=move || (model.focused.get() == Some(id)).then_some("true")>
                                <td><span class="cc-person">{person.name.clone()}</span><span class="cc-secondary">{person.email.clone()}</span></td>
                                <td>{person.company.clone()}</td>
                                <td>{state_label}</td>
                                <td class="cc-actions">
                                    <button type="button" class="cc-button cc-small" on:click=move |_| model.focused.set(Some(id))
                                        aria-label=t(Msg::PreviewFor).replace("{name}", &name)>
                                        {t(Msg::PreviewShort)}
                                    </button>
                                    <button type="button" class="cc-button cc-small" on:click=move |_| model.remove(id)
                                        aria-label=t(Msg::RemoveRecipient).replace("{name}", &who)>{t(Msg::RemoveShort)}</button>
                                </td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
    }
}
