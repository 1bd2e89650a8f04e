//! A person's page (`/people/{id}`): their fields to edit, whether they can be emailed (their
//! own opt-out, or the rep's do-not-contact mark), every email to them, their campaigns, and a
//! timeline of what happened; New email and New task start with them filled in.

use crate::api_client::ApiError;
use crate::components::add_to_campaign::AddToCampaign;
use crate::components::compose::ComposeMode;
use crate::components::error_banner::ErrorBanner;
use crate::components::folder_tabs::folder_label;
use crate::components::person_form::PersonFieldsEditor;
use crate::components::task_form::{TaskForm, TaskFormMode};
use crate::i18n::Msg;
use crate::live::use_live;
use crate::router::use_router;
use crate::routes::not_found::NotFound;
use crate::split;
use crate::state::use_app;
use api::endpoints::people;
use api::people::{PersonDetail, PersonFields, PersonPatch, TimelineKind};
use api::{EmailId, EmailSummary, Person, PersonId, PersonRef, TaskKind};
use leptos::prelude::*;

fn person_ref(person: &Person) -> PersonRef {
    PersonRef {
        id: person.id,
        name: person.name.clone(),
        email: person.email.clone(),
        company: person.company.clone(),
        opted_out: person.opted_out || person.do_not_contact,
    }
}

#[component]
pub fn PersonPage() -> impl IntoView {
    let router = use_router();
    let id = Memo::new(move |_| router.after::<PersonId>("/people/"));
    view! {
        <Show when=move || id.get().is_some() fallback=NotFound>
            <Profile id=Signal::derive(move || id.get().unwrap_or_default())/>
        </Show>
    }
}

#[component]
fn Profile(#[prop(into)] id: Signal<PersonId>) -> impl IntoView {
    let state = use_app();
    let live = use_live();
    let t = move |msg| state.t(msg);
    let refresh = RwSignal::new(0u64);
    let detail = LocalResource::new(move || {
        let call = people::one(id.get());
        refresh.track();
        live.emails.track();
        live.tasks.track();
        let api = state.api();
        async move { api.call(call).await }
    });
    let reload = move || refresh.update(|n| *n += 1);
    view! {
        <section class="cc-page cc-person-page">
            {move || match detail.get() {
                None => view! { <p class="cc-status">{t(Msg::Loading)}</p> }.into_any(),
                Some(Err(ApiError::Problem { status: 404, .. })) => view! { <NotFound/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBanner error=e on_retry=move |_| reload()/> }.into_any(),
                Some(Ok(detail)) => view! { <Loaded detail=detail on_changed=move |_| reload()/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Loaded(detail: PersonDetail, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let state = use_app();
    let router = use_router();
    let t = move |msg| state.t(msg);
    let person = detail.person.clone();
    let id = person.id;
    let fields = RwSignal::new(PersonFields::from(&person));
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let deleted = RwSignal::new(false);
    let compose = RwSignal::new(None::<ComposeMode>);
    let task = RwSignal::new(None::<TaskFormMode>);
    let open_email = RwSignal::new(None::<EmailId>);
    let (_, campaign_names) = crate::components::add_to_campaign::use_campaigns();
    let invalid = Signal::derive(move || match error.get() {
        Some(ApiError::Problem { field, .. }) => field,
        _ => None,
    });
    let patch = move |body: PersonPatch, saved: Msg| {
        let api = state.api();
        leptos::task::spawn_local(async move {
            match api.call(people::edit(id, &body)).await {
                Ok(_) => {
                    error.set(None);
                    notice.set(Some(t(saved).to_owned()));
                    on_changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = fields.get_untracked();
        patch(
            PersonPatch {
                first_name: Some(f.first_name),
                last_name: Some(f.last_name),
                email: Some(f.email),
                company: Some(f.company),
                title: Some(f.title),
                phone: Some(f.phone),
                linkedin_url: Some(f.linkedin_url),
                do_not_contact: None,
            },
            Msg::PersonSaved,
        );
    };
    let set_do_not_contact = move |mark: bool| {
        patch(
            PersonPatch {
                do_not_contact: Some(mark),
                ..PersonPatch::default()
            },
            if mark {
                Msg::MarkedDoNotContact
            } else {
                Msg::ContactAllowed
            },
        )
    };
    let delete = move |_| {
        let api = state.api();
        leptos::task::spawn_local(async move {
            match api.call(people::delete(id)).await {
                Ok(()) => deleted.set(true),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let restore = move |_| {
        let api = state.api();
        leptos::task::spawn_local(async move {
            match api.call(people::restore(id)).await {
                Ok(_) => {
                    deleted.set(false);
                    notice.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let reference = person_ref(&person);
    let for_email = reference.clone();
    let for_task = reference.clone();
    let reachable = !(person.opted_out || person.do_not_contact);
    let opted_out_at = detail.opted_out_at;
    let do_not_contact = person.do_not_contact;
    let name = person.name.clone();
    let email_count = detail.emails.len();

    view! {
        <p class="cc-breadcrumb"><a href=router.href("/people")>{move || t(Msg::NavPeople)}</a></p>
        <h1 class="cc-page-title">{name}
            {person.opted_out.then(|| view! { <span class="cc-badge cc-badge-opted-out">{move || t(Msg::Unsubscribed)}</span> })}
            {(do_not_contact && !person.opted_out).then(|| view! { <span class="cc-badge cc-badge-opted-out">{move || t(Msg::DoNotContact)}</span> })}
        </h1>
        <Show when=move || deleted.get()>
            <div class="cc-notice" role="status">
                <p>{move || t(Msg::PersonDeleted)}</p>
                <button type="button" class="cc-button cc-small" on:click=restore>{move || t(Msg::Undo)}</button>
            </div>
        </Show>
        <div class="cc-outbox-bar">
            <button type="button" class="cc-button cc-button-primary" aria-haspopup="dialog" disabled=!reachable
                on:click=move |_| compose.set(Some(ComposeMode::New { person: Some(for_email.clone()), subject: String::new(), body: String::new() }))>
                {move || t(Msg::NewEmailToPerson)}
            </button>
            <button type="button" class="cc-button" aria-haspopup="dialog"
                on:click=move |_| task.set(Some(TaskFormMode::New { person: Some(for_task.clone()), title: String::new(), kind: TaskKind::Call, email_id: None }))>
                {move || t(Msg::NewTaskForPerson)}
            </button>
            <button type="button" class="cc-button cc-danger" on:click=delete disabled=move || deleted.get()>{move || t(Msg::DeletePerson)}</button>
        </div>
        {move || error.get().map(|e| view! { <p class="cc-error" role="alert">{e.message(state.locale.get())}</p> })}
        <p class="cc-status" role="status">{move || notice.get()}</p>

        <div class="cc-person-columns">
            <section class="cc-card" aria-labelledby="cc-person-details">
                <h2 id="cc-person-details">{move || t(Msg::PersonDetails)}</h2>
                <form class="cc-form" on:submit=save novalidate>
                    <PersonFieldsEditor fields=fields invalid=invalid id_prefix="cc-person"/>
                    <div class="cc-dialog-actions">
                        <button type="submit" class="cc-button cc-button-primary">{move || t(Msg::SaveChanges)}</button>
                    </div>
                </form>
                <h3>{move || t(Msg::ContactState)}</h3>
                {match opted_out_at {
                    Some(at) => view! {
                        <p>{move || t(Msg::OptedOutOn).replace("{date}", &state.locale.get().date_time(at))}</p>
                    }.into_any(),
                    None => view! {
                        <label class="cc-check">
                            <input type="checkbox" prop:checked=do_not_contact
                                on:change=move |ev| set_do_not_contact(event_target_checked(&ev))/>
                            {move || t(Msg::DoNotContactLabel)}
                        </label>
                    }.into_any(),
                }}
            </section>
            <section class="cc-card" aria-labelledby="cc-person-campaigns">
                <h2 id="cc-person-campaigns">{move || t(Msg::PersonCampaigns)}</h2>
                {if detail.campaigns.is_empty() {
                    view! { <p class="cc-empty">{move || t(Msg::NoCampaigns)}</p> }.into_any()
                } else {
                    view! { <ul>{detail.campaigns.iter().map(|c| view! { <li>{c.name.clone()}</li> }).collect_view()}</ul> }.into_any()
                }}
                <AddToCampaign people=Signal::derive(move || vec![id]) campaigns=campaign_names
                    on_added=move |text: String| { notice.set(Some(text)); on_changed.run(()); }
                    on_error=move |e| error.set(Some(e))/>
            </section>
        </div>

        <section aria-labelledby="cc-person-emails">
            <h2 id="cc-person-emails">{move || t(Msg::PersonEmails).replace("{n}", &email_count.to_string())}</h2>
            <PersonEmails emails=detail.emails.clone() on_open=move |id| open_email.set(Some(id))/>
        </section>
        <section aria-labelledby="cc-person-timeline">
            <h2 id="cc-person-timeline">{move || t(Msg::PersonTimeline)}</h2>
            {if detail.timeline.is_empty() {
                view! { <p class="cc-empty">{move || t(Msg::NothingYet)}</p> }.into_any()
            } else {
                view! {
                    <ol class="cc-timeline">
                        {detail.timeline.iter().map(|entry| {
                            let at = entry.at;
                            let kind = timeline_label(entry.kind);
                            let what = entry.what.clone();
                            let url = entry.url.clone();
                            view! {
                                <li data-kind=format!("{:?}", entry.kind).to_lowercase()>
                                    <time>{move || state.locale.get().date_time(at)}</time>" "
                                    <strong>{move || t(kind)}</strong>" "
                                    <span>{what}</span>
                                    {url.map(|u| view! { " " <span class="cc-secondary">{u}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        {move || compose.get().map(|mode| crate::later!(split::compose_dialog(
            mode,
            Callback::new(move |_| { compose.set(None); on_changed.run(()); }),
        ), split::load_compose_dialog))}
        {move || open_email.get().map(|id| crate::later!(split::email_detail_dialog(
            id,
            Callback::new(move |_| open_email.set(None)),
            Callback::new(move |mode| compose.set(Some(mode))),
        ), split::load_email_detail_dialog))}
        {move || task.get().map(|mode| view! { <TaskForm mode=mode on_close=move |_| { task.set(None); on_changed.run(()); }/> })}
    }
}

fn timeline_label(kind: TimelineKind) -> Msg {
    match kind {
        TimelineKind::Sent => Msg::TimelineSent,
        TimelineKind::View => Msg::TimelineView,
        TimelineKind::Click => Msg::TimelineClick,
        TimelineKind::Reply => Msg::TimelineReply,
        TimelineKind::Bounce => Msg::TimelineBounce,
        TimelineKind::Spam => Msg::TimelineSpam,
        TimelineKind::TaskDue => Msg::TimelineTaskDue,
        TimelineKind::TaskDone => Msg::TimelineTaskDone,
        TimelineKind::OptedOut => Msg::TimelineOptedOut,
    }
}

/// Every email to the person: its subject opens it.
#[component]
fn PersonEmails(
    emails: Vec<EmailSummary>,
    #[prop(into)] on_open: Callback<EmailId>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    if emails.is_empty() {
        return view! { <p class="cc-empty">{move || t(Msg::NoEmailsYet)}</p> }.into_any();
    }
    view! {
        <div class="cc-wide">
            <table class="cc-table">
                <caption class="cc-visually-hidden">{move || t(Msg::PersonEmails).replace("{n}", "")}</caption>
                <thead><tr>
                    <th scope="col">{move || t(Msg::ColSubject)}</th>
                    <th scope="col">{move || t(Msg::ColStatus)}</th>
                    <th scope="col">{move || t(Msg::ColDate)}</th>
                    <th scope="col">{move || t(Msg::ColViews)}</th>
                    <th scope="col">{move || t(Msg::ColClicks)}</th>
                    <th scope="col">{move || t(Msg::ColReplies)}</th>
                </tr></thead>
                <tbody>
                    {emails.into_iter().map(|email| {
                        let id = email.id;
                        let at = email.sent_at.or(email.scheduled_at).unwrap_or(email.created_at);
                        let status = folder_label(email.status.folder());
                        view! {
                            <tr data-email-id=id.0>
                                <td class="cc-clip">
                                    <button type="button" class="cc-link-button" on:click=move |_| on_open.run(id)>{email.subject.clone()}</button>
                                </td>
                                <td>{move || t(status)}</td>
                                <td>{move || state.locale.get().date_time(at)}</td>
                                <td>{email.views}</td>
                                <td>{email.clicks}</td>
                                <td>{email.replies}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
