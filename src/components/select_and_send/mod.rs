//! Select and Send from search results: one compose to many people, never a draft. An individual
//! send previews and edits each person's copy; a group email is one text for all. Merge fields
//! that would come out empty are named, with the people, before anything is sent.

mod copy_preview;
mod model;
mod recipients;

use crate::components::add_to_campaign::campaign_options;
use crate::components::list_picker::ListPicker;
use crate::components::modal::Modal;
use crate::components::send_warnings::SendWarnings;
use crate::components::template_picker::TemplatePicker;
use crate::components::tracking_choice::TrackingFields;
use crate::i18n::Msg;
use crate::state::use_app;
use api::batch::BatchKind;
use api::{CampaignRef, EmailStatus, Person};
use copy_preview::CopyPreview;
use leptos::prelude::*;
use model::BatchModel;
use recipients::RecipientsTable;

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
    let model = BatchModel::new(kind, people);
    let submit = move |schedule: bool| model.submit(schedule, on_sent, on_close);
    let (subject, body, unfilled, pending, error) = (
        model.subject,
        model.body,
        model.unfilled,
        model.pending,
        model.error,
    );
    let count = move || model.recipients.with(Vec::len).to_string();
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
                <TemplatePicker on_pick=move |template| model.insert_template(template)/>
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
                            options=Signal::derive(move || campaign_options(&campaigns.get())) value=model.campaign/>
                    </div>
                    <label class="cc-field">
                        <span>{t(Msg::SendAt)}</span>
                        <input type="datetime-local" name="send_at" step="1" bind:value=model.send_at/>
                    </label>
                </div>
                <Show when=move || !unfilled.with(Vec::is_empty)>
                    <div class="cc-warning-box" role="alert">
                        <ul>{move || model.warning_lines().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                        <button type="button" class="cc-button cc-small" on:click=move |_| model.leave_out_unfilled()>
                            {move || t(Msg::LeaveThemOut).replace("{n}", &unfilled.with(Vec::len).to_string())}
                        </button>
                    </div>
                </Show>
                <RecipientsTable model=model/>
                <CopyPreview model=model/>
                <SendWarnings subject=subject body=body bulk=true/>
                <TrackingFields choice=model.tracking/>
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
