//! Component tests: the SPA's own components rendered in headless Chromium.

use api::{Folder, FolderCounts};
use command_center::components::folder_tabs::{FolderSubTabs, PrimaryTabs};
use command_center::i18n::Locale;
use command_center::router::{provide_router, Routing};
use command_center::state::AppState;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_host() -> web_sys::HtmlElement {
    let document = document();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    host
}

/// Lets effects and queued renders run.
async fn settle() {
    let promise = js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL);
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn tabs(host: &web_sys::HtmlElement, tablist: &str) -> Vec<web_sys::Element> {
    let nodes = host
        .query_selector_all(&format!("{tablist} [role=tab]"))
        .unwrap();
    (0..nodes.length())
        .map(|i| nodes.item(i).unwrap().unchecked_into())
        .collect()
}

const COUNTS: FolderCounts = FolderCounts {
    delivered: 1200,
    archived: 34,
    scheduled: 5,
    drafts: 1,
    in_progress: 0,
    failed: 7,
    bounced: 2,
    spam: 1,
};

fn mount_tabs(host: &web_sys::HtmlElement, folder: Folder, locale: Locale) {
    leptos::mount::mount_to(host.clone(), move || {
        let state = AppState::new(&command_center::mount::MountOptions::default());
        state.locale.set(locale);
        provide_context(state);
        // Hash routing: tabs that navigate leave the test runner's own path alone.
        provide_router(Routing::Hash, "");
        let folder = Memo::new(move |_| folder);
        let counts = Signal::derive(|| Some(COUNTS));
        view! {
            <PrimaryTabs folder=folder counts=counts/>
            <FolderSubTabs folder=folder counts=counts/>
        }
    })
    .forget();
}

#[wasm_bindgen_test]
async fn primary_tabs_select_the_folders_tab_and_sum_its_counts() {
    let host = fresh_host();
    mount_tabs(&host, Folder::Scheduled, Locale::En);
    settle().await;

    let primary = tabs(&host, ".cc-tabs-primary");
    let labels: Vec<String> = primary.iter().map(|t| t.text_content().unwrap()).collect();
    assert_eq!(labels, ["Sent 1,234", "Pending 6", "Undelivered 10"]);
    let selected: Vec<String> = primary
        .iter()
        .map(|t| t.get_attribute("aria-selected").unwrap())
        .collect();
    assert_eq!(selected, ["false", "true", "false"]);
    // Roving tab index: only the selected tab is in the tab order.
    let tab_index: Vec<String> = primary
        .iter()
        .map(|t| t.get_attribute("tabindex").unwrap())
        .collect();
    assert_eq!(tab_index, ["-1", "0", "-1"]);
    assert_eq!(
        host.query_selector(".cc-tabs-primary")
            .unwrap()
            .unwrap()
            .get_attribute("role")
            .as_deref(),
        Some("tablist")
    );
}

#[wasm_bindgen_test]
async fn sub_tabs_are_the_selected_primarys_folders_with_their_counts() {
    let host = fresh_host();
    mount_tabs(&host, Folder::Bounced, Locale::En);
    settle().await;
    let folders = tabs(&host, ".cc-tabs-folders");
    let labels: Vec<String> = folders.iter().map(|t| t.text_content().unwrap()).collect();
    assert_eq!(labels, ["Failed 7", "Bounced 2", "Spam 1"]);
    assert_eq!(
        folders[1].get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    assert_eq!(
        folders[1].get_attribute("aria-controls").as_deref(),
        Some("cc-folder-panel")
    );
}

#[wasm_bindgen_test]
async fn tabs_speak_japanese() {
    let host = fresh_host();
    mount_tabs(&host, Folder::Delivered, Locale::Ja);
    settle().await;
    let labels: Vec<String> = tabs(&host, ".cc-tabs-folders")
        .iter()
        .map(|t| t.text_content().unwrap())
        .collect();
    assert_eq!(labels, ["配信済み 1,200", "アーカイブ済み 34"]);
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_burst_of_stream_changes_is_one_tick_at_once_and_one_after_the_spacing() {
    use command_center::live::Spaced;
    let owner = Owner::new();
    owner.set();
    let counter = RwSignal::new(0_u64);
    let spaced = Spaced::new(counter, std::time::Duration::from_millis(100));
    spaced.tick();
    assert_eq!(counter.get_untracked(), 1, "the first change shows at once");
    spaced.tick();
    spaced.tick();
    spaced.tick();
    assert_eq!(counter.get_untracked(), 1, "the rest of the burst waits");
    sleep(150).await;
    assert_eq!(counter.get_untracked(), 2, "and is shown once, not lost");
    sleep(150).await;
    assert_eq!(counter.get_untracked(), 2, "nothing more came");
    spaced.tick();
    assert_eq!(
        counter.get_untracked(),
        3,
        "a later change shows at once again"
    );
}

/// The SPA reads timestamps with `api::wire_time` (not chrono's parser): an email as the server
/// writes it arrives with every time, present, null or left out.
#[wasm_bindgen_test]
fn an_email_summary_from_the_server_keeps_its_times() {
    let json = r#"{"id":7,"person":{"id":3,"name":"Ann","email":"ann@example.com","company":"Acme"},
        "campaign":null,"subject":"Hi","status":"scheduled","channel":"msc",
        "created_at":"2026-11-27T15:05:00.123456Z","updated_at":"2026-11-28T00:05:00+09:00",
        "scheduled_at":"2026-12-01T09:00:00Z","sent_at":null,"failure_reason":null,
        "views":0,"clicks":0,"replies":0}"#;
    let email: api::EmailSummary = serde_json::from_str(json).unwrap();
    let at = |text: &str| chrono::DateTime::parse_from_rfc3339(text).unwrap().to_utc();
    assert_eq!(email.created_at, at("2026-11-27T15:05:00.123456Z"));
    assert_eq!(email.updated_at, at("2026-11-27T15:05:00Z"));
    assert_eq!(email.scheduled_at, Some(at("2026-12-01T09:00:00Z")));
    assert_eq!(
        (email.sent_at, email.failed_at, email.last_activity_at),
        (None, None, None)
    );
    let bad = json.replace("2026-12-01T09:00:00Z", "next Tuesday");
    let error = serde_json::from_str::<api::EmailSummary>(&bad).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("`next Tuesday` is not an RFC 3339 timestamp"),
        "{error}"
    );
}

fn warnings_shown(host: &web_sys::HtmlElement) -> Vec<String> {
    let nodes = host.query_selector_all(".cc-send-warnings li").unwrap();
    (0..nodes.length())
        .map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn send_warnings_follow_the_text_as_it_is_written_in_the_reps_language() {
    use command_center::components::send_warnings::SendWarnings;
    let host = fresh_host();
    let subject = RwSignal::new("FREE OFFER FOR YOU".to_owned());
    let body =
        RwSignal::new("<p><a href=\"https://x.example\">https://x.example</a></p>".to_owned());
    let locale = RwSignal::new(Locale::En);
    leptos::mount::mount_to(host.clone(), move || {
        let state = AppState::new(&command_center::mount::MountOptions::default());
        Effect::new(move |_| state.locale.set(locale.get()));
        provide_context(state);
        view! { <SendWarnings subject=subject body=body bulk=true/> }
    })
    .forget();
    settle().await;
    let shown = warnings_shown(&host);
    assert_eq!(shown.len(), 3, "{shown:?}");
    assert!(shown[0].contains("capitals"), "{shown:?}");
    assert!(shown[1].contains("only a link"), "{shown:?}");
    assert!(shown[2].contains("{{first_name}}"), "{shown:?}");
    locale.set(Locale::Ja);
    settle().await;
    assert!(warnings_shown(&host)[0].contains("件名が大文字だけです"));
    // Fixed as the rep writes: the warnings go.
    subject.set("Quick question, {{first_name}}".to_owned());
    body.set(
        "<p>Hi {{first_name}}, would a short call next week help your team at {{company}}?</p>"
            .to_owned(),
    );
    settle().await;
    assert!(warnings_shown(&host).is_empty());
    assert!(host.query_selector(".cc-send-warnings").unwrap().is_none());
}
