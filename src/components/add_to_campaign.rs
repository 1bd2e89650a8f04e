//! Adds the selected people to one of the rep's campaigns, or to a new one named on the spot. A
//! large selection is enrolled a chunk at a time with a progress bar; what was done before a
//! failed chunk is reported with the error.

use crate::api_client::ApiError;
use crate::components::combobox::Suggestion;
use crate::components::list_picker::ListPicker;
use crate::i18n::Locale;
use crate::i18n::Msg;
use crate::state::use_app;
use api::sequence::EnrolmentReport;
use api::{Campaign, CampaignId, CampaignPeople, CampaignRef, NewCampaign, PersonId};
use leptos::prelude::*;

/// The rep's campaigns, read once (refetch after adding one), and their names for pickers.
pub fn use_campaigns() -> (LocalResource<Vec<Campaign>>, Signal<Vec<CampaignRef>>) {
    let state = use_app();
    let campaigns = LocalResource::new(move || {
        let api = state.api();
        async move {
            api.call(api::endpoints::campaigns::list())
                .await
                .unwrap_or_default()
        }
    });
    let refs = Signal::derive(move || {
        campaigns
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|c| CampaignRef {
                id: c.id,
                name: c.name,
            })
            .collect::<Vec<_>>()
    });
    (campaigns, refs)
}

/// The campaigns as a picker's options, by id.
pub fn campaign_options(campaigns: &[CampaignRef]) -> Vec<Suggestion> {
    campaigns
        .iter()
        .map(|c| Suggestion {
            key: c.id.to_string(),
            label: c.name.clone(),
        })
        .collect()
}

/// What an enrolment did, in words: how many were added, already in it, and who was refused
/// and why.
pub fn report_text(locale: Locale, campaign: &str, report: &EnrolmentReport) -> String {
    let mut text = locale
        .t(Msg::AddedToCampaign)
        .replace("{n}", &report.enrolled.to_string())
        .replace("{campaign}", campaign);
    if report.already_enrolled > 0 {
        text.push(' ');
        text.push_str(
            &locale
                .t(Msg::AlreadyInCampaign)
                .replace("{n}", &report.already_enrolled.to_string()),
        );
    }
    for refused in &report.refused {
        text.push(' ');
        text.push_str(
            &locale
                .t(Msg::NotAddedBecause)
                .replace("{name}", &refused.name)
                .replace("{reason}", &refused.reason),
        );
    }
    text
}

/// People enrolled per request: a selection of 1,000 moves the bar ten times.
const CHUNK: usize = 100;

/// The picker's key that asks for a new campaign, before its name.
const NEW: &str = "new:";

#[component]
pub fn AddToCampaign(
    #[prop(into)] people: Signal<Vec<PersonId>>,
    #[prop(into)] campaigns: Signal<Vec<CampaignRef>>,
    /// What happened, for the page's status line; the campaigns changed.
    #[prop(into)]
    on_added: Callback<String>,
    #[prop(into)] on_error: Callback<ApiError>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let choice = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    // (people enrolled so far, of how many) while a selection is being enrolled.
    let progress = RwSignal::new(None::<(usize, usize)>);
    let add = move |_| {
        let person_ids = people.get_untracked();
        let chosen = choice.get_untracked();
        let name = chosen
            .strip_prefix(NEW)
            .unwrap_or_default()
            .trim()
            .to_owned();
        let existing = chosen.parse::<CampaignId>().ok();
        if existing.is_none() && name.is_empty() {
            on_added.run(t(Msg::ChooseCampaign).to_owned());
            return;
        }
        pending.set(true);
        let api = state.api();
        let known = campaigns.get_untracked();
        leptos::task::spawn_local(async move {
            let campaign = match existing {
                Some(id) => Ok(known
                    .into_iter()
                    .find(|c| c.id == id)
                    .unwrap_or(CampaignRef {
                        id,
                        name: String::new(),
                    })),
                None => api
                    .call(api::endpoints::campaigns::create(&NewCampaign { name }))
                    .await
                    .map(|c| CampaignRef {
                        id: c.id,
                        name: c.name,
                    }),
            };
            let campaign = match campaign {
                Ok(campaign) => campaign,
                Err(e) => {
                    pending.try_set(false);
                    on_error.run(e);
                    return;
                }
            };
            progress.try_set(Some((0, person_ids.len())));
            let mut report = EnrolmentReport::default();
            let mut failed = None;
            for chunk in person_ids.chunks(CHUNK) {
                let body = CampaignPeople {
                    person_ids: chunk.to_vec(),
                };
                match api
                    .call(api::endpoints::campaigns::enrol(campaign.id, &body))
                    .await
                {
                    Ok(part) => {
                        report.enrolled += part.enrolled;
                        report.already_enrolled += part.already_enrolled;
                        report.refused.extend(part.refused);
                        progress.try_update(|p| {
                            if let Some((done, _)) = p {
                                *done += chunk.len();
                            }
                        });
                    }
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            pending.try_set(false);
            progress.try_set(None);
            choice.try_set(campaign.id.to_string());
            if report.enrolled + report.already_enrolled > 0 || failed.is_none() {
                on_added.run(report_text(
                    state.locale.get_untracked(),
                    &campaign.name,
                    &report,
                ));
            }
            if let Some(e) = failed {
                on_error.run(e);
            }
        });
    };
    let options = Signal::derive(move || campaign_options(&campaigns.get()));
    // A name that is no campaign's yet offers to start one by that name.
    let new_campaign = move |typed: String| {
        let name = typed.trim();
        let known = campaigns.with(|c| c.iter().any(|c| c.name.eq_ignore_ascii_case(name)));
        (!name.is_empty() && !known).then(|| Suggestion {
            key: format!("{NEW}{name}"),
            label: t(Msg::NewCampaignNamed).replace("{name}", name),
        })
    };
    view! {
        <div class="cc-add-to-campaign" role="group" aria-label=move || t(Msg::AddToCampaign)>
            <ListPicker id="cc-add-to-campaign" label=Signal::derive(move || t(Msg::CondCampaign).to_owned())
                placeholder=Signal::derive(move || t(Msg::CampaignPickHint).to_owned())
                options=options value=choice also=new_campaign/>
            <button type="button" class="cc-button cc-small" disabled=move || pending.get() on:click=add>
                {move || t(Msg::AddToCampaign)}
            </button>
            {move || progress.get().map(|(done, of)| view! {
                <progress max=of.to_string() value=done.to_string() aria-label=move || t(Msg::AddingPeople)></progress>
            })}
        </div>
    }
}
