//! Administration (`/admin/users`, `/admin/teams`, `/admin/audit`): an admin manages users and
//! teams and reads the audit log; a manager sees their team's users.

use crate::components::audit_log::AuditLog;
use crate::components::folder_tabs::{focus_by_id, tab_key_target};
use crate::components::teams_admin::TeamsAdmin;
use crate::components::users_admin::UsersAdmin;
use crate::i18n::Msg;
use crate::router::use_router;
use crate::state::use_app;
use api::Role;
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    Users,
    Teams,
    Audit,
}

impl Section {
    fn path(self) -> &'static str {
        match self {
            Section::Users => "users",
            Section::Teams => "teams",
            Section::Audit => "audit",
        }
    }

    fn label(self) -> Msg {
        match self {
            Section::Users => Msg::TabUsers,
            Section::Teams => Msg::TabTeams,
            Section::Audit => Msg::TabAudit,
        }
    }

    fn tab_id(self) -> String {
        format!("cc-admin-tab-{}", self.path())
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let state = use_app();
    let router = use_router();
    let t = move |msg| state.t(msg);
    let is_admin = move || {
        state
            .session
            .with(|s| s.as_ref().is_some_and(|s| s.user.role == Role::Admin))
    };
    // A manager has their team's users only.
    let sections = move || {
        if is_admin() {
            vec![Section::Users, Section::Teams, Section::Audit]
        } else {
            vec![Section::Users]
        }
    };
    let section = Memo::new(move |_| {
        let asked = router
            .url
            .with(|url| url.path.trim_start_matches("/admin/").to_owned());
        sections()
            .into_iter()
            .find(|s| s.path() == asked)
            .unwrap_or(Section::Users)
    });
    let on_tab_key = move |ev: leptos::ev::KeyboardEvent| {
        let all = sections();
        let current = all
            .iter()
            .position(|s| *s == section.get_untracked())
            .unwrap_or(0);
        if let Some(next) = tab_key_target(&ev.key(), current, all.len()) {
            ev.prevent_default();
            router.navigate(&format!("/admin/{}", all[next].path()));
            focus_by_id(&all[next].tab_id());
        }
    };
    view! {
        <section class="cc-page cc-admin">
            <h1 class="cc-page-title">{move || t(Msg::AdminTitle)}</h1>
            <div class="cc-tabs" role="tablist" aria-label=move || t(Msg::AdminSections) on:keydown=on_tab_key>
                {move || sections().into_iter().map(|s| {
                    let selected = move || section.get() == s;
                    view! {
                        <button type="button" role="tab" class="cc-tab" id=s.tab_id()
                            aria-selected=move || selected().to_string() aria-controls="cc-admin-panel"
                            tabindex=move || if selected() { "0" } else { "-1" }
                            on:click=move |_| router.navigate(&format!("/admin/{}", s.path()))>
                            {move || t(s.label())}
                        </button>
                    }
                }).collect_view()}
            </div>
            <div role="tabpanel" id="cc-admin-panel" aria-labelledby=move || section.get().tab_id()>
                {move || match section.get() {
                    Section::Users => view! { <UsersAdmin/> }.into_any(),
                    Section::Teams => view! { <TeamsAdmin/> }.into_any(),
                    Section::Audit => view! { <AuditLog/> }.into_any(),
                }}
            </div>
        </section>
    }
}
