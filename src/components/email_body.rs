//! An email's body as the reader shows it: in a sandboxed frame where nothing in it runs, with
//! anything it would load from elsewhere (images, backgrounds, fonts, style sheets) held back
//! until the rep asks, because such a load tells the sender the email was opened.

use crate::i18n::Msg;
use crate::state::use_app;
use leptos::prelude::*;

/// Put before a body to keep it from loading anything but what it carries inline. The frame's
/// document also inherits the app's policy; this narrows it.
const HOLD_REMOTE: &str = r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'">"#;

#[component]
pub fn EmailBody(html: String, title: Msg) -> impl IntoView {
    let state = use_app();
    let remote = api::mail_text::has_remote_content(&html);
    let shown = RwSignal::new(false);
    // Held whether or not anything remote was found: a way of loading that the check does not
    // know still meets the frame's policy. The note offers to show only what was found.
    let srcdoc = move || {
        if !shown.get() {
            format!("{HOLD_REMOTE}{html}")
        } else {
            html.clone()
        }
    };
    view! {
        <Show when=move || remote && !shown.get()>
            <p class="cc-remote-note" role="note">
                {move || state.t(Msg::RemoteContentHeld)} " "
                <button type="button" class="cc-button cc-small" on:click=move |_| shown.set(true)>
                    {move || state.t(Msg::ShowRemoteContent)}
                </button>
            </p>
        </Show>
        // No allow-scripts, no allow-same-origin: whatever the body holds, nothing in it runs.
        <iframe class="cc-body-frame" sandbox="" title=move || state.t(title) srcdoc=srcdoc></iframe>
    }
}
