//! One email: its headers, its body (sanitized by the server, shown by `EmailBody`), its delivery channel and its engagement timeline, with follow-up actions.

use crate::components::compose::ComposeMode;
use crate::components::email_body::EmailBody;
use crate::components::folder_tabs::folder_label;
use crate::components::modal::Modal;
use crate::components::task_form::{TaskForm, TaskFormMode};
use crate::compose_text::html_to_text;
use crate::i18n::Msg;
use crate::live::use_live;
use crate::state::use_app;
use api::{EmailDetail, EmailId, EventKind};
use leptos::prelude::*;

#[component]
pub fn EmailDetailDialog(
    id: EmailId,
    #[prop(into)] on_close: Callback<()>,
    /// Opens the compose dialog (edit, or a follow-up).
    #[prop(into)]
    on_compose: Callback<ComposeMode>,
) -> impl IntoView {
    let state = use_app();
    let live = use_live();
    let email = LocalResource::new(move || {
        live.emails.track();
        let api = state.api();
        let call = api::endpoints::emails::one(id).viewed_as(state.viewed_id());
        async move { api.call(call).await }
    });
    let title = Signal::derive(move || state.t(Msg::DetailTitle).to_owned());
    view! {
        <Modal id="cc-email-detail" title=title on_close=on_close>
            {move || match email.get() {
                None => view! { <p class="cc-status" role="status">{state.t(Msg::Loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <p class="cc-error" role="alert">{error.message(state.locale.get())}</p> }.into_any(),
                Some(Ok(email)) => view! { <DetailBody email=email on_compose=on_compose on_close=on_close/> }.into_any(),
            }}
        </Modal>
    }
}

#[component]
fn DetailBody(
    email: EmailDetail,
    on_compose: Callback<ComposeMode>,
    on_close: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let locale = move || state.locale.get();
    let summary = email.summary.clone();
    let editable = summary.status.is_editable();
    let follow_up = {
        let email = email.clone();
        move |_| {
            let quoted: String = html_to_text(&email.body_html)
                .lines()
                .map(|line| format!("> {line}\n"))
                .collect();
            let subject = if email.summary.subject.starts_with("Re: ") {
                email.summary.subject.clone()
            } else {
                format!("Re: {}", email.summary.subject)
            };
            on_close.run(());
            on_compose.run(ComposeMode::New {
                person: Some(email.summary.person.clone()),
                subject,
                body: format!("\n\n{quoted}"),
            });
        }
    };
    let edit = {
        let email = email.clone();
        move |_| {
            on_close.run(());
            on_compose.run(ComposeMode::Edit(Box::new(email.clone())));
        }
    };
    let events = email.events.clone();
    // A task about this email: its person, its campaign, and a link back to it.
    let task_form = RwSignal::new(None::<TaskFormMode>);
    let create_task = {
        let summary = email.summary.clone();
        move |_| {
            task_form.set(Some(TaskFormMode::New {
                person: Some(summary.person.clone()),
                title: state
                    .t(Msg::TaskFromEmail)
                    .replace("{subject}", &summary.subject),
                kind: api::TaskKind::Email,
                email_id: Some(summary.id),
            }))
        }
    };
    view! {
        <dl class="cc-headers">
            <dt>{move || state.t(Msg::Recipient)}</dt>
            <dd>{format!("{} <{}> · {}", summary.person.name, summary.person.email, summary.person.company)}</dd>
            <dt>{move || state.t(Msg::Subject)}</dt>
            <dd class="cc-detail-subject">{summary.subject.clone()}</dd>
            <dt>{move || state.t(Msg::Status)}</dt>
            <dd>{move || state.t(folder_label(summary.status.folder()))}
                {summary.failure_reason.clone().map(|reason| view! { " — " <span class="cc-reason">{reason}</span> })}</dd>
            <dt>{move || state.t(Msg::Channel)}</dt>
            <dd>{summary.channel.as_str()}</dd>
            <dt>{move || state.t(Msg::ColCampaign)}</dt>
            <dd>{summary.campaign.as_ref().map(|c| c.name.clone()).unwrap_or_else(|| "—".into())}</dd>
        </dl>
        {(email.text_is == api::TextIs::AsWritten).then(|| view! {
            <p class="cc-secondary cc-text-note">{move || state.t(Msg::TextAsWritten)}</p>
        })}
        <EmailBody html=email.body_html.clone() title=Msg::EmailBody/>
        {email.preview.clone().map(|preview| {
            let name = summary.person.name.clone();
            view! {
                <section class="cc-merge-preview" aria-label=move || state.t(Msg::WillGet).replace("{name}", &name)>
                    <h3>{let name = summary.person.name.clone(); move || state.t(Msg::WillGet).replace("{name}", &name)}</h3>
                    {if preview.unfilled.is_empty() {
                        view! {
                            <p class="cc-detail-preview-subject">{preview.subject.clone()}</p>
                            <EmailBody html=preview.body_html.clone() title=Msg::PreviewBody/>
                        }.into_any()
                    } else {
                        let fields = preview.unfilled.join(", ");
                        view! { <p class="cc-reason" role="note">{move || state.t(Msg::PreviewUnfilled).replace("{fields}", &fields)}</p> }.into_any()
                    }}
                </section>
            }
        })}
        <h3>{move || state.t(Msg::Timeline)}</h3>
        {if events.is_empty() {
            view! { <p class="cc-empty">{move || state.t(Msg::NoEngagement)}</p> }.into_any()
        } else {
            view! {
                <ol class="cc-timeline">
                    {events.into_iter().map(|event| {
                        let at = event.occurred_at;
                        let url = event.url.clone().unwrap_or_default();
                        let label = move || match event.kind {
                            EventKind::View => state.t(Msg::EventView).to_owned(),
                            EventKind::Click => state.t(Msg::EventClick).replace("{url}", &url),
                            EventKind::Reply => state.t(Msg::EventReply).to_owned(),
                            EventKind::Bounce => state.t(Msg::EventBounce).to_owned(),
                            EventKind::Spam => state.t(Msg::EventSpam).to_owned(),
                        };
                        // Written by the person (or their mail server): shown as text, quoted.
                        let detail = event.detail.clone().map(|detail| view! { " — " <q class="cc-event-detail">{detail}</q> });
                        view! { <li><time datetime=at.to_rfc3339()>{move || locale().date_time(at)}</time>" · "{label}{detail}</li> }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        // Another's email (view as) is for reading.
        {state.viewed_id().is_none().then(|| view! {
        <div class="cc-dialog-actions">
            {editable.then(|| view! { <button type="button" class="cc-button" on:click=edit>{move || state.t(Msg::ActionEdit)}</button> })}
            <button type="button" class="cc-button" on:click=follow_up>{move || state.t(Msg::FollowUp)}</button>
            <button type="button" class="cc-button" aria-haspopup="dialog" on:click=create_task>{move || state.t(Msg::CreateTask)}</button>
        </div>
        })}
        {move || task_form.get().map(|mode| view! { <TaskForm mode=mode on_close=move |_| task_form.set(None)/> })}
    }
}
