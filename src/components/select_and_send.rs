//! Select and Send from search results: one compose to many people, never a draft. An individual
//! send previews and edits each person's copy; a group email is one text for all. Merge fields
//! that would come out empty are named, with the people, before anything is sent.

use crate::components::add_to_campaign::campaign_options;
use crate::components::list_picker::ListPicker;
use crate::components::modal::Modal;
use crate::compose_text::{parse_local_input, text_to_html};
use crate::i18n::Msg;
use crate::state::use_app;
use api::batch::{unfilled_fields, BatchKind, BatchRecipient, NewBatch};
use api::merge::{self, MergeValues};
use api::{CampaignRef, EmailStatus, Id, Person};
use leptos::prelude::*;
use std::collections::HashMap;

/// Where the shared text is kept while being typed, so closing by accident loses nothing.
const UNSENT_KEY: &str = "cc.batch.unsent";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// One person's copy: their own subject and body once the rep edits it.
#[derive(Clone, Debug, PartialEq)]
struct Copy {
    subject: String,
    body: String,
}

#[component]
pub fn SelectAndSendDialog(
    kind: BatchKind,
    people: Vec<Person>,
    #[prop(into)] campaigns: Signal<Vec<CampaignRef>>,
    #[prop(into)] on_close: Callback<()>,
    /// How many emails went out, and whether they were sent or scheduled.
    #[prop(into)]
    on_sent: Callback<(usize, EmailStatus)>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let (saved_subject, saved_body) = storage()
        .and_then(|s| s.get_item(UNSENT_KEY).ok().flatten())
        .and_then(|json| serde_json::from_str::<(String, String)>(&json).ok())
        .unwrap_or_default();
    let subject = RwSignal::new(saved_subject);
    let body = RwSignal::new(saved_body);
    // The template the shared text came from, so that its sends are counted.
    let template_id = RwSignal::new(None::<Id>);
    let insert_template = move |template: api::templates::Template| {
        subject.set(template.subject);
        body.set(crate::compose_text::html_to_text(&template.body));
        template_id.set(Some(template.id));
    };
    let tracking = crate::components::tracking_choice::TrackingChoice::from_defaults();
    Effect::new(move |_| {
        if let (Some(s), Ok(json)) = (
            storage(),
            serde_json::to_string(&(subject.get(), body.get())),
        ) {
            let _ = s.set_item(UNSENT_KEY, &json);
        }
    });
    let send_at = RwSignal::new(String::new());
    let campaign = RwSignal::new(String::new());
    let recipients = RwSignal::new(people);
    let copies = RwSignal::new(HashMap::<Id, Copy>::new());
    let focused = RwSignal::new(recipients.with_untracked(|r| r.first().map(|p| p.id)));
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    // The text a person gets: their own copy, or the shared one.
    let copy_of = move |id: Id| {
        copies
            .with(|c| c.get(&id).cloned())
            .unwrap_or_else(|| Copy {
                subject: subject.get(),
                body: body.get(),
            })
    };
    // Who would get an empty merge field, and which.
    let unfilled = Memo::new(move |_| {
        recipients
            .get()
            .into_iter()
            .filter_map(|p| {
                let copy = copy_of(p.id);
                let missing = unfilled_fields(&copy.subject, &copy.body, &p.merge_values());
                (!missing.is_empty()).then_some((p, missing))
            })
            .collect::<Vec<_>>()
    });
    let warning_lines = move || {
        let mut by_field: Vec<(String, Vec<String>)> = Vec::new();
        for (person, fields) in unfilled.get() {
            for field in fields {
                match by_field.iter_mut().find(|(f, _)| *f == field) {
                    Some((_, names)) => names.push(person.name.clone()),
                    None => by_field.push((field, vec![person.name.clone()])),
                }
            }
        }
        by_field
            .into_iter()
            .map(|(field, names)| {
                t(Msg::EmptyFieldFor)
                    .replace("{field}", &field)
                    .replace("{names}", &names.join(", "))
            })
            .collect::<Vec<_>>()
    };
    let leave_out_unfilled = move |_| {
        let out: Vec<Id> = unfilled.with_untracked(|u| u.iter().map(|(p, _)| p.id).collect());
        recipients.update(|r| r.retain(|p| !out.contains(&p.id)));
        if focused.get_untracked().is_some_and(|id| out.contains(&id)) {
            focused.set(recipients.with_untracked(|r| r.first().map(|p| p.id)));
        }
    };

    let submit = move |schedule: bool| {
        error.set(None);
        let when = parse_local_input(&send_at.get_untracked());
        if schedule && when.is_none() {
            error.set(Some(t(Msg::ChooseSendAt).to_owned()));
            return;
        }
        if recipients.with_untracked(Vec::is_empty) {
            error.set(Some(t(Msg::NobodyToSend).to_owned()));
            return;
        }
        if !unfilled.with_untracked(Vec::is_empty) {
            error.set(Some(t(Msg::FixEmptyFields).to_owned()));
            return;
        }
        let batch = NewBatch {
            kind,
            recipients: recipients.with_untracked(|r| {
                r.iter()
                    .map(|p| {
                        let own = copies.with_untracked(|c| c.get(&p.id).cloned());
                        BatchRecipient {
                            person_id: p.id,
                            subject: own.as_ref().map(|c| c.subject.clone()),
                            body: own.map(|c| text_to_html(&c.body)),
                        }
                    })
                    .collect()
            }),
            subject: subject.get_untracked(),
            body: text_to_html(&body.get_untracked()),
            send_at: if schedule { when } else { None },
            campaign_id: campaign.get_untracked().parse().ok(),
            template_id: template_id.get_untracked(),
            track_opens: Some(tracking.opens.get_untracked()),
            track_links: Some(tracking.links.get_untracked()),
        };
        pending.set(true);
        let api = state.api();
        leptos::task::spawn_local(async move {
            let result = api.call(api::endpoints::emails::batch(&batch)).await;
            pending.try_set(false);
            match result {
                Ok(created) => {
                    if let Some(s) = storage() {
                        let _ = s.remove_item(UNSENT_KEY);
                    }
                    on_sent.run((created.ids.len(), created.status));
                    on_close.run(());
                }
                Err(e) => {
                    error.try_set(Some(e.message(state.locale.get_untracked())));
                }
            }
        });
    };

    let preview = move || {
        let id = focused.get()?;
        let person = recipients.with(|r| r.iter().find(|p| p.id == id).cloned())?;
        let copy = copy_of(id);
        let values: MergeValues = person.merge_values();
        let shown_subject = merge::render(&copy.subject, &values, str::to_owned)
            .unwrap_or_else(|_| copy.subject.clone());
        let shown_body =
            merge::render(&copy.body, &values, str::to_owned).unwrap_or_else(|_| copy.body.clone());
        let heading = t(Msg::Preview).replace("{name}", &person.name);
        let own = move || copies.with(|c| c.contains_key(&id));
        let edit_own = move |_| {
            copies.update(|c| {
                c.insert(
                    id,
                    Copy {
                        subject: subject.get_untracked(),
                        body: body.get_untracked(),
                    },
                );
            })
        };
        let use_shared = move |_| {
            copies.update(|c| {
                c.remove(&id);
            })
        };
        let set_own = move |subject_text: Option<String>, body_text: Option<String>| {
            copies.update(|c| {
                if let Some(copy) = c.get_mut(&id) {
                    if let Some(s) = subject_text {
                        copy.subject = s;
                    }
                    if let Some(b) = body_text {
                        copy.body = b;
                    }
                }
            })
        };
        Some(view! {
            <section class="cc-preview" aria-label=heading.clone()>
                <h3>{heading.clone()}</h3>
                <p class="cc-preview-subject">{shown_subject}</p>
                <p class="cc-preview-body">{shown_body}</p>
                {(kind == BatchKind::Individual).then(|| view! {
                    <Show when=own fallback=move || view! {
                        <button type="button" class="cc-button cc-small" on:click=edit_own>{t(Msg::EditThisCopy)}</button>
                    }>
                        <label class="cc-field">
                            <span>{t(Msg::OwnSubject).replace("{name}", &person.name)}</span>
                            <input type="text" prop:value=move || copies.with(|c| c.get(&id).map(|c| c.subject.clone()).unwrap_or_default())
                                on:input=move |ev| set_own(Some(event_target_value(&ev)), None)/>
                        </label>
                        <label class="cc-field">
                            <span>{t(Msg::OwnBody).replace("{name}", &person.name)}</span>
                            <textarea rows="5" prop:value=move || copies.with(|c| c.get(&id).map(|c| c.body.clone()).unwrap_or_default())
                                on:input=move |ev| set_own(None, Some(event_target_value(&ev)))></textarea>
                        </label>
                        <button type="button" class="cc-button cc-small" on:click=use_shared>{t(Msg::UseSharedText)}</button>
                    </Show>
                })}
            </section>
        })
    };

    let count = move || recipients.with(Vec::len).to_string();
    let title = Signal::derive(move || {
        t(match kind {
            BatchKind::Individual => Msg::SelectAndSendTitle,
            BatchKind::Group => Msg::GroupEmailTitle,
        })
        .replace("{n}", &count())
    });
    view! {
        <Modal id="cc-batch" title=title on_close=on_close>
            <form class="cc-compose cc-batch" on:submit=move |ev| { ev.prevent_default(); submit(false) }>
                <p class="cc-note">{t(match kind {
                    BatchKind::Individual => Msg::SelectAndSendHint,
                    BatchKind::Group => Msg::GroupEmailHint,
                })}</p>
                <crate::components::template_picker::TemplatePicker on_pick=insert_template/>
                <label class="cc-field">
                    <span>{t(Msg::Subject)}</span>
                    <input type="text" name="subject" bind:value=subject required/>
                </label>
                <label class="cc-field">
                    <span>{t(Msg::Body)}</span>
                    <textarea name="body" rows="6" bind:value=body></textarea>
                </label>
                <p class="cc-secondary">{t(Msg::MergeFieldsHint)}" {{first_name}} {{last_name}} {{company}} {{title}}"</p>
                <div class="cc-row">
                    <div class="cc-field">
                        <span>{t(Msg::PartOfCampaign)}</span>
                        <ListPicker id="cc-batch-campaign" label=Signal::derive(move || t(Msg::PartOfCampaign).to_owned())
                            placeholder=Signal::derive(move || t(Msg::NotPartOfCampaign).to_owned())
                            options=Signal::derive(move || campaign_options(&campaigns.get())) value=campaign/>
                    </div>
                    <label class="cc-field">
                        <span>{t(Msg::SendAt)}</span>
                        <input type="datetime-local" name="send_at" step="1" bind:value=send_at/>
                    </label>
                </div>
                <Show when=move || !unfilled.with(Vec::is_empty)>
                    <div class="cc-warning-box" role="alert">
                        <ul>{move || warning_lines().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                        <button type="button" class="cc-button cc-small" on:click=leave_out_unfilled>
                            {move || t(Msg::LeaveThemOut).replace("{n}", &unfilled.with(Vec::len).to_string())}
                        </button>
                    </div>
                </Show>
                <table class="cc-table cc-recipients">
                    <caption>{t(Msg::Recipients)}" ("{count}")"</caption>
                    <thead><tr>
                        <th scope="col">{t(Msg::ColPerson)}</th>
                        <th scope="col">{t(Msg::ColCompany)}</th>
                        <th scope="col">{t(Msg::CopyColumn)}</th>
                        <th scope="col"><span class="cc-visually-hidden">{t(Msg::ColActions)}</span></th>
                    </tr></thead>
                    <tbody>
                        <For each=move || recipients.get() key=|p| p.id let(person)>
                            {
                                let id = person.id;
                                // Names repeat; the address tells two people apart.
                                let name = format!("{} <{}>", person.name, person.email);
                                let who = name.clone();
                                let state_label = move || if copies.with(|c| c.contains_key(&id)) {
                                    t(Msg::CopyEdited)
                                } else if unfilled.with(|u| u.iter().any(|(p, _)| p.id == id)) {
                                    t(Msg::CopyHasEmptyFields)
                                } else {
                                    t(Msg::CopyShared)
                                };
                                view! {
                                    <tr data-person-id=id aria-current=move || (focused.get() == Some(id)).then_some("true")>
                                        <td><span class="cc-person">{person.name.clone()}</span><span class="cc-secondary">{person.email.clone()}</span></td>
                                        <td>{person.company.clone()}</td>
                                        <td>{state_label}</td>
                                        <td class="cc-actions">
                                            <button type="button" class="cc-button cc-small" on:click=move |_| focused.set(Some(id))
                                                aria-label=t(Msg::PreviewFor).replace("{name}", &name)>
                                                {t(Msg::PreviewShort)}
                                            </button>
                                            <button type="button" class="cc-button cc-small" on:click=move |_| {
                                                recipients.update(|r| r.retain(|p| p.id != id));
                                                copies.update(|c| { c.remove(&id); });
                                                if focused.get_untracked() == Some(id) {
                                                    focused.set(recipients.with_untracked(|r| r.first().map(|p| p.id)));
                                                }
                                            } aria-label=t(Msg::RemoveRecipient).replace("{name}", &who)>{t(Msg::RemoveShort)}</button>
                                        </td>
                                    </tr>
                                }
                            }
                        </For>
                    </tbody>
                </table>
                {preview}
                <crate::components::send_warnings::SendWarnings subject=subject body=body bulk=true/>
                <crate::components::tracking_choice::TrackingFields choice=tracking/>
                <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
                <div class="cc-dialog-actions">
                    <button type="submit" class="cc-button cc-button-primary" disabled=move || pending.get()>
                        {move || t(Msg::SendNowTo).replace("{n}", &count())}
                    </button>
                    <button type="button" class="cc-button" disabled=move || pending.get() on:click=move |_| submit(true)>
                        {move || t(Msg::ScheduleFor).replace("{n}", &count())}
                    </button>
                    <button type="button" class="cc-button" on:click=move |_| on_close.run(())>{t(Msg::Cancel)}</button>
                </div>
            </form>
        </Modal>
    }
}
