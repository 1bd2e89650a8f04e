//! Teams for an admin: each with its members and managers, renamed or deleted in place, and a new
//! one created by name. Who is in a team is set on the user.

use crate::api_client::ApiError;
use crate::components::error_banner::ErrorBanner;
use crate::i18n::Msg;
use crate::state::use_app;
use api::endpoints::accounts;
use api::users::{Team, TeamInput};
use api::TeamId;
use leptos::prelude::*;

#[component]
pub fn TeamsAdmin() -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let refresh = RwSignal::new(0u64);
    let teams = LocalResource::new(move || {
        refresh.track();
        let api = state.api();
        async move { api.call(accounts::teams()).await }
    });
    let reload = move || refresh.update(|n| *n += 1);
    let error = RwSignal::new(None::<ApiError>);
    let new_name = RwSignal::new(String::new());
    let renaming = RwSignal::new(None::<TeamId>);
    // Creates (no id) or renames a team; what was typed stays when refused.
    let save = Callback::new(move |(id, name): (Option<TeamId>, String)| {
        let api = state.api();
        leptos::task::spawn_local(async move {
            let input = TeamInput { name };
            let saved = match id {
                Some(id) => api.call(accounts::rename_team(id, &input)).await,
                None => api.call(accounts::create_team(&input)).await,
            };
            match saved {
                Ok(_) => {
                    error.try_set(None);
                    renaming.try_set(None);
                    if id.is_none() {
                        new_name.try_set(String::new());
                    }
                    reload();
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    });
    let remove = Callback::new(move |id: TeamId| {
        let api = state.api();
        leptos::task::spawn_local(async move {
            match api.call(accounts::delete_team(id)).await {
                Ok(()) => {
                    error.try_set(None);
                    reload();
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    });
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.run((None, new_name.get_untracked()));
    };
    view! {
        <p class="cc-error" role="alert" hidden=move || error.with(Option::is_none)>
            {move || error.get().map(|e| e.message(state.locale.get()))}
        </p>
        {move || match teams.get() {
            None => view! { <p class="cc-status" role="status">{t(Msg::Loading)}</p> }.into_any(),
            Some(Err(e)) => view! { <ErrorBanner error=e on_retry=move |_| reload()/> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <p class="cc-empty">{t(Msg::NoTeamsYet)}</p> }.into_any(),
            Some(Ok(list)) => view! { <TeamsTable teams=list renaming=renaming on_save=save on_remove=remove/> }.into_any(),
        }}
        <form class="cc-inline-form" on:submit=create aria-label=move || t(Msg::NewTeam)>
            <label>
                <span>{move || t(Msg::TeamName)}</span>
                <input type="text" class="cc-input" required maxlength="100" bind:value=new_name/>
            </label>
            <button type="submit" class="cc-button cc-button-primary">{move || t(Msg::CreateTeam)}</button>
        </form>
    }
}

#[component]
fn TeamsTable(
    teams: Vec<Team>,
    renaming: RwSignal<Option<TeamId>>,
    #[prop(into)] on_save: Callback<(Option<TeamId>, String)>,
    #[prop(into)] on_remove: Callback<TeamId>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    view! {
        <table class="cc-table cc-teams-table">
            <caption class="cc-visually-hidden">{move || t(Msg::TabTeams)}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || t(Msg::TeamName)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::ColMembers)}</th>
                    <th scope="col">{move || t(Msg::ColManagers)}</th>
                    <th scope="col"><span class="cc-visually-hidden">{move || t(Msg::ColActions)}</span></th>
                </tr>
            </thead>
            <tbody>
                {teams.into_iter().map(|team| {
                    let id = team.id;
                    let name = StoredValue::new(team.name.clone());
                    let typed = RwSignal::new(team.name.clone());
                    let label = move |msg| format!("{} “{}”", t(msg), name.get_value());
                    view! {
                        <tr>
                            <th scope="row">
                                {move || if renaming.get() == Some(id) {
                                    view! {
                                        <input type="text" class="cc-input" maxlength="100" bind:value=typed
                                            aria-label=move || label(Msg::Rename)/>
                                    }.into_any()
                                } else {
                                    view! { <span>{name.get_value()}</span> }.into_any()
                                }}
                            </th>
                            <td class="cc-num">{team.members}</td>
                            <td>{team.managers.join(", ")}</td>
                            <td><span class="cc-inline-actions">
                                {move || if renaming.get() == Some(id) {
                                    view! {
                                        <button type="button" class="cc-button cc-small cc-button-primary"
                                            on:click=move |_| on_save.run((Some(id), typed.get_untracked()))>{move || t(Msg::SaveName)}</button>
                                        <button type="button" class="cc-button cc-small" on:click=move |_| renaming.set(None)>{move || t(Msg::Cancel)}</button>
                                    }.into_any()
                                } else {
                                    view! {
                                        <button type="button" class="cc-button cc-small" aria-label=move || label(Msg::Rename)
                                            on:click=move |_| renaming.set(Some(id))>{move || t(Msg::Rename)}</button>
                                        <button type="button" class="cc-button cc-small" aria-label=move || label(Msg::ActionDelete)
                                            on:click=move |_| on_remove.run(id)>{move || t(Msg::ActionDelete)}</button>
                                    }.into_any()
                                }}
                            </span></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
