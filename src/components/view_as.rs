//! "View as": a manager looks at a team member's emails, tasks and search results (an admin at
//! anyone's) without signing in as them. Reading only: the server takes `as=` on reads alone, and
//! the pages offer no actions meanwhile.

use crate::i18n::Msg;
use crate::router::{use_router, Area};
use crate::state::{use_app, Viewed};
use api::users::{Account, AccountStatus};
use api::{Role, UserId};
use leptos::prelude::*;

/// Whom one may view: the members the server lists (a manager's team, everyone for an admin),
/// active, other than oneself.
fn viewable(accounts: Vec<Account>, me: UserId) -> Vec<Viewed> {
    let mut people: Vec<Viewed> = accounts
        .into_iter()
        .filter(|a| a.id != me && a.status == AccountStatus::Active)
        .map(|a| Viewed {
            id: a.id,
            name: a.name,
        })
        .collect();
    people.sort_by(|a, b| a.name.cmp(&b.name));
    people
}

/// The header's choice of whose data to show, for managers and admins.
#[component]
pub fn ViewAsPicker() -> impl IntoView {
    let state = use_app();
    let router = use_router();
    let me = state
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.id));
    let may_view = state.session.with_untracked(|s| {
        s.as_ref()
            .is_some_and(|s| matches!(s.user.role, Role::Manager | Role::Admin))
    });
    let members = LocalResource::new(move || {
        let api = state.api();
        async move {
            if !may_view {
                return Vec::new();
            }
            api.call(api::endpoints::accounts::users())
                .await
                .map(|accounts| viewable(accounts, me.unwrap_or_default()))
                .unwrap_or_default()
        }
    });
    let on_change = move |ev: leptos::ev::Event| {
        let chosen: Option<UserId> = event_target_value(&ev).parse().ok();
        let viewed = chosen.and_then(|id| {
            members
                .get_untracked()
                .and_then(|list| list.into_iter().find(|m| m.id == id))
        });
        // Only the emails, tasks and search show another's data.
        let area = router.url.with_untracked(|url| Area::of(&url.path));
        if viewed.is_some() && !matches!(area, Area::Emails | Area::Tasks | Area::Search) {
            router.navigate("/emails/delivered");
        }
        state.view_as(viewed);
    };
    // Someone no longer viewable (another sign-in in this tab, a member who left the team):
    // one's own data again.
    Effect::new(move |_| {
        if let Some(list) = members.get() {
            let gone = state.viewing.with_untracked(|v| {
                v.as_ref()
                    .is_some_and(|v| !list.iter().any(|m| m.id == v.id))
            });
            if gone {
                state.view_as(None);
            }
        }
    });
    let t = move |msg| state.t(msg);
    view! {
        <Show when=move || members.get().is_some_and(|m| !m.is_empty())>
            <label class="cc-view-as">
                <span>{move || t(Msg::ViewAs)}</span>
                <select class="cc-select" on:change=on_change
                    prop:value=move || state.viewing.with(|v| v.as_ref().map(|v| v.id.to_string()).unwrap_or_default())>
                    <option value="">{move || t(Msg::ViewAsMyself)}</option>
                    {move || members.get().unwrap_or_default().into_iter().map(|m| view! {
                        <option value=m.id.to_string()>{m.name}</option>
                    }).collect_view()}
                </select>
            </label>
        </Show>
    }
}

/// Says whose data is on screen while viewing another's, with the way back.
#[component]
pub fn ViewingBanner() -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    move || {
        state.viewing.get().map(|viewed| {
            view! {
                <div class="cc-viewing" role="status">
                    <span>{move || t(Msg::ViewingNotice).replace("{name}", &viewed.name)}</span>
                    <button type="button" class="cc-button cc-small" on:click=move |_| state.view_as(None)>
                        {move || t(Msg::BackToMine)}
                    </button>
                </div>
            }
        })
    }
}
