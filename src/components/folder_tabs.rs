//! The outbox's two rows of WAI-ARIA tabs: primary (Sent, Pending, Undelivered) and the selected
//! primary's folders. Arrow keys, Home and End move between tabs and open them.

use crate::i18n::{Locale, Msg};
use crate::router::use_router;
use crate::state::use_app;
use api::{Folder, FolderCounts, PrimaryTab};
use leptos::prelude::*;

pub fn folder_label(folder: Folder) -> Msg {
    match folder {
        Folder::Delivered => Msg::FolderDelivered,
        Folder::Archived => Msg::FolderArchived,
        Folder::Scheduled => Msg::FolderScheduled,
        Folder::Drafts => Msg::FolderDrafts,
        Folder::InProgress => Msg::FolderInProgress,
        Folder::Failed => Msg::FolderFailed,
        Folder::Bounced => Msg::FolderBounced,
        Folder::Spam => Msg::FolderSpam,
    }
}

pub fn tab_label(tab: PrimaryTab) -> Msg {
    match tab {
        PrimaryTab::Sent => Msg::TabSent,
        PrimaryTab::Pending => Msg::TabPending,
        PrimaryTab::Undelivered => Msg::TabUndelivered,
    }
}

pub fn primary_tab_id(tab: PrimaryTab) -> String {
    format!("cc-tab-{}", tab.as_str())
}

pub fn folder_tab_id(folder: Folder) -> String {
    format!("cc-folder-tab-{}", folder.as_str())
}

pub const PRIMARY_PANEL_ID: &str = "cc-primary-panel";
pub const FOLDER_PANEL_ID: &str = "cc-folder-panel";

/// Which tab a key press moves to, from `current` among `len` tabs; `None` for other keys.
pub fn tab_key_target(key: &str, current: usize, len: usize) -> Option<usize> {
    match key {
        "ArrowRight" => Some((current + 1) % len),
        "ArrowLeft" => Some((current + len - 1) % len),
        "Home" => Some(0),
        "End" => Some(len - 1),
        _ => None,
    }
}

pub fn focus_by_id(id: &str) {
    if let Some(element) = document().get_element_by_id(id) {
        if let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element) {
            let _ = element.focus();
        }
    }
}

fn count_text(
    locale: Locale,
    counts: Option<FolderCounts>,
    count: impl Fn(&FolderCounts) -> u64,
) -> String {
    counts.map(|c| locale.number(count(&c))).unwrap_or_default()
}

#[component]
pub fn PrimaryTabs(folder: Memo<Folder>, counts: Signal<Option<FolderCounts>>) -> impl IntoView {
    let state = use_app();
    let router = use_router();
    let open = move |tab: PrimaryTab| {
        router.navigate(&format!("/emails/{}", tab.folders()[0]));
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let current = PrimaryTab::ALL
            .iter()
            .position(|t| *t == folder.get_untracked().primary())
            .unwrap_or(0);
        if let Some(next) = tab_key_target(&ev.key(), current, PrimaryTab::ALL.len()) {
            ev.prevent_default();
            let tab = PrimaryTab::ALL[next];
            open(tab);
            focus_by_id(&primary_tab_id(tab));
        }
    };
    view! {
        <div class="cc-tabs cc-tabs-primary" role="tablist" aria-label=move || state.t(Msg::EmailFolders)
            on:keydown=on_keydown>
            {PrimaryTab::ALL
                .into_iter()
                .map(|tab| {
                    let selected = move || folder.get().primary() == tab;
                    view! {
                        <button type="button" role="tab" class="cc-tab" id=primary_tab_id(tab)
                            aria-selected=move || selected().to_string()
                            aria-controls=PRIMARY_PANEL_ID
                            tabindex=move || if selected() { "0" } else { "-1" }
                            on:click=move |_| open(tab)>
                            <span class="cc-tab-label">{move || state.t(tab_label(tab))}</span>
                            " "
                            <span class="cc-count" data-tab=tab.as_str()>
                                {move || count_text(state.locale.get(), counts.get(), |c| c.tab_total(tab))}
                            </span>
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
pub fn FolderSubTabs(folder: Memo<Folder>, counts: Signal<Option<FolderCounts>>) -> impl IntoView {
    let state = use_app();
    let router = use_router();
    let siblings = Memo::new(move |_| folder.get().primary().folders());
    let open = move |target: Folder| router.navigate(&format!("/emails/{target}"));
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let folders = siblings.get_untracked();
        let current = folders
            .iter()
            .position(|f| *f == folder.get_untracked())
            .unwrap_or(0);
        if let Some(next) = tab_key_target(&ev.key(), current, folders.len()) {
            ev.prevent_default();
            open(folders[next]);
            focus_by_id(&folder_tab_id(folders[next]));
        }
    };
    view! {
        <div class="cc-tabs cc-tabs-folders" role="tablist"
            aria-label=move || state.t(tab_label(folder.get().primary()))
            on:keydown=on_keydown>
            {move || {
                siblings
                    .get()
                    .iter()
                    .map(|&target| {
                        let selected = move || folder.get() == target;
                        view! {
                            <button type="button" role="tab" class="cc-tab" id=folder_tab_id(target)
                                aria-selected=move || selected().to_string()
                                aria-controls=FOLDER_PANEL_ID
                                tabindex=move || if selected() { "0" } else { "-1" }
                                on:click=move |_| open(target)>
                                <span class="cc-tab-label">{move || state.t(folder_label(target))}</span>
                                " "
                                <span class="cc-count" data-folder=target.as_str()>
                                    {move || count_text(state.locale.get(), counts.get(), |c| c.get(target))}
                                </span>
                            </button>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    #[test]
    fn arrow_keys_wrap_and_home_end_jump() {
        assert_eq!(tab_key_target("ArrowRight", 2, 3), Some(0));
        assert_eq!(tab_key_target("ArrowLeft", 0, 3), Some(2));
        assert_eq!(tab_key_target("Home", 2, 3), Some(0));
        assert_eq!(tab_key_target("End", 0, 3), Some(2));
        assert_eq!(tab_key_target("a", 0, 3), None);
    }

    #[test]
    fn each_folder_says_its_status_in_the_servers_japanese_word() {
        for folder in api::Folder::ALL {
            assert_eq!(
                crate::i18n::Locale::Ja.t(folder_label(folder)),
                folder.status().ja(),
                "{folder:?}"
            );
        }
    }
}
