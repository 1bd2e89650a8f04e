//! Where and how the app runs: its API, the path it lives under, and (when a portal embeds it)
//! the portal's token and language. Read from the page's `<meta>` tags, which `cargo xtask dist`
//! writes, or given by the host page's JavaScript.

use crate::i18n::Locale;
use crate::router::Routing;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[derive(Clone, Debug, PartialEq)]
pub struct MountOptions {
    /// e.g. `/api/v1`, or `https://api.example.com/api/v1` when the API is on another origin.
    pub api_base: String,
    /// The path the app's routes live under, without a trailing slash: `""` or `/crm`.
    pub route_base: String,
    /// Path routing (under `route_base`) or hash routing (`#/emails/delivered`).
    pub routing: Routing,
    /// A session token from the host: no login screen.
    pub token: Option<String>,
    /// A short-lived token the portal's server signed for its user (`mount({ embedToken })`),
    /// exchanged for a session at start: no login screen.
    pub embed_token: Option<String>,
    pub locale: Option<Locale>,
}

impl Default for MountOptions {
    fn default() -> Self {
        Self {
            api_base: crate::DEFAULT_API_BASE.to_owned(),
            route_base: String::new(),
            routing: Routing::Path,
            token: None,
            embed_token: None,
            locale: None,
        }
    }
}

/// `/crm/` and `crm` both mean `/crm`; `/` means the root.
pub fn normalize_base(base: &str) -> String {
    let trimmed = base.trim().trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("/{trimmed}")
    }
}

impl MountOptions {
    /// The options a page states with `<meta name="command-center-api">` and
    /// `<meta name="command-center-route-base">`.
    pub fn from_page() -> Self {
        let meta = |name: &str| {
            leptos::prelude::document()
                .query_selector(&format!("meta[name=\"{name}\"]"))
                .ok()
                .flatten()
                .and_then(|m| m.get_attribute("content"))
                .filter(|c| !c.trim().is_empty())
        };
        let defaults = Self::default();
        Self {
            api_base: meta("command-center-api").unwrap_or(defaults.api_base),
            route_base: meta("command-center-route-base")
                .map(|b| normalize_base(&b))
                .unwrap_or_default(),
            routing: meta("command-center-routing")
                .map(|r| Routing::from_name(&r))
                .unwrap_or_default(),
            ..defaults
        }
    }
}

/// A string property of a JS options object, if set and not empty.
fn text_option(options: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(options, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
        .filter(|v| !v.trim().is_empty())
}

impl MountOptions {
    /// `{ apiBase, token, embedToken, locale, routeBase, routing }` from the host page; unset fields keep the page's
    /// own (`<meta>`) values.
    pub fn from_js(options: &JsValue) -> Self {
        let page = Self::from_page();
        Self {
            api_base: text_option(options, "apiBase").unwrap_or(page.api_base),
            route_base: text_option(options, "routeBase")
                .map(|b| normalize_base(&b))
                .unwrap_or(page.route_base),
            routing: text_option(options, "routing")
                .map(|r| Routing::from_name(&r))
                .unwrap_or(page.routing),
            token: text_option(options, "token"),
            embed_token: text_option(options, "embedToken"),
            locale: text_option(options, "locale").map(|tag| Locale::from_tag(&tag)),
        }
    }
}

/// What `mount` returns: `unmount()` takes the app out of the host's element again.
#[wasm_bindgen]
pub struct MountHandle {
    app: Option<Box<dyn std::any::Any>>,
}

#[wasm_bindgen]
impl MountHandle {
    pub fn unmount(&mut self) {
        // Dropping leptos' handle removes the app's nodes and disposes its reactive owner.
        self.app.take();
    }
}

/// Embeds the app in a host page:
/// `mount(element, { apiBase, embedToken, token, locale, routeBase, routing, theme })`
/// (`routing: "hash"` keeps the app's place in the URL's hash and leaves the host's path alone).
/// With a portal's signed `embedToken` (or a session `token`) there is no login screen. `theme` is an object of CSS custom properties
/// (`{ "--cc-accent": "#0a7d5a" }`) set on the app's root.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, options: JsValue) -> MountHandle {
    console_error_panic_hook::set_once();
    let parsed = MountOptions::from_js(&options);
    let theme = js_sys::Reflect::get(&options, &JsValue::from_str("theme")).ok();
    let app = leptos::mount::mount_to(element.clone(), move || {
        view! { <crate::App options=parsed/> }
    });
    if let (Some(theme), Some(root)) = (
        theme.filter(|t| t.is_object()),
        element
            .query_selector(".cc-root")
            .ok()
            .flatten()
            .and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok()),
    ) {
        let entries = js_sys::Object::entries(theme.unchecked_ref());
        for entry in entries.iter() {
            let pair: js_sys::Array = entry.unchecked_into();
            if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                if name.starts_with("--cc-") {
                    let _ = root.style().set_property(&name, &value);
                }
            }
        }
    }
    MountHandle {
        app: Some(Box::new(app)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn route_bases_lose_their_slashes() {
        assert_eq!(normalize_base("/"), "");
        assert_eq!(normalize_base(""), "");
        assert_eq!(normalize_base("/crm/"), "/crm");
        assert_eq!(normalize_base("apps/crm"), "/apps/crm");
    }
}
