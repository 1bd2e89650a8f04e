//! Campaigns, their steps, and the people in them.

use super::*;
use crate::ids::*;
use crate::sequence::{
    CampaignReport, CampaignStep, EnrolledPerson, EnrolmentReport, EnrolmentState, StepInput,
};
use crate::{Campaign, CampaignPeople, NewCampaign};

fn of(route: &str, campaign: CampaignId) -> String {
    at(route, campaign)
}

pub fn list() -> Call<Vec<Campaign>> {
    Call::get(paths::CAMPAIGNS.to_owned())
}

pub fn one(id: CampaignId) -> Call<Campaign> {
    Call::get(of(paths::CAMPAIGN, id))
}

pub fn create(campaign: &NewCampaign) -> Call<Campaign> {
    Call::with(Method::Post, paths::CAMPAIGNS.to_owned(), campaign)
}

/// A new name (trimmed; one no other campaign of the rep's has).
pub fn rename(id: CampaignId, campaign: &NewCampaign) -> Call<Campaign> {
    Call::with(Method::Put, of(paths::CAMPAIGN, id), campaign)
}

pub fn delete(id: CampaignId) -> Call<()> {
    Call::delete(of(paths::CAMPAIGN, id))
}

pub fn command(id: CampaignId, command: CampaignCommand) -> Call<Campaign> {
    let name = match command {
        CampaignCommand::Pause => "pause",
        CampaignCommand::Resume => "resume",
    };
    let path = of(paths::CAMPAIGN_COMMAND, id).replace("{command}", name);
    Call::with(Method::Post, path, &())
}

/// People added to the campaign as a group (not enrolled in its steps); each is in it once.
pub fn add_people(id: CampaignId, people: &CampaignPeople) -> Call<Campaign> {
    Call::with(Method::Post, of(paths::CAMPAIGN_PEOPLE, id), people)
}

pub fn report(id: CampaignId) -> Call<CampaignReport> {
    Call::get(of(paths::CAMPAIGN_REPORT, id))
}

pub fn steps(id: CampaignId) -> Call<Vec<CampaignStep>> {
    Call::get(of(paths::CAMPAIGN_STEPS, id))
}

/// A step added; the campaign's steps as they now are come back.
pub fn add_step(id: CampaignId, step: &StepInput) -> Call<Vec<CampaignStep>> {
    Call::with(Method::Post, of(paths::CAMPAIGN_STEPS, id), step)
}

pub fn edit_step(id: CampaignId, step: StepId, input: &StepInput) -> Call<Vec<CampaignStep>> {
    let path = of(paths::CAMPAIGN_STEP, id).replace("{step}", &step.to_string());
    Call::with(Method::Put, path, input)
}

pub fn remove_step(id: CampaignId, step: StepId) -> Call<()> {
    Call::delete(of(paths::CAMPAIGN_STEP, id).replace("{step}", &step.to_string()))
}

/// Its people, or those in one state.
pub fn enrolled(id: CampaignId, state: Option<EnrolmentState>) -> Call<Vec<EnrolledPerson>> {
    let state = state.map_or("", EnrolmentState::as_str).to_owned();
    Call::get(with_query(&of(paths::ENROLMENTS, id), &[("state", state)]))
}

pub fn enrol(id: CampaignId, people: &CampaignPeople) -> Call<EnrolmentReport> {
    Call::with(Method::Post, of(paths::ENROLMENTS, id), people)
}

pub fn enrolment(id: CampaignId, person: PersonId, command: EnrolmentCommand) -> Call<()> {
    let name = match command {
        EnrolmentCommand::Pause => "pause",
        EnrolmentCommand::Resume => "resume",
        EnrolmentCommand::Remove => "remove",
    };
    let path = of(paths::ENROLMENT_COMMAND, id)
        .replace("{person}", &person.to_string())
        .replace("{command}", name);
    Call::with(Method::Post, path, &NoFields {})
}
