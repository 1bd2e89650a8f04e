//! Where the rep is in the app, kept in the page's URL one of two ways:
//! - path routing (the default): `/crm/emails/delivered`, under the app's route base, for a server
//!   that answers every path with index.html;
//! - hash routing: `page.html#/emails/delivered`, for a plain static server or a host portal
//!   that owns the path.
//!
//! Either way the app sees only its own path (`/emails/delivered`) and query.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Routing {
    #[default]
    Path,
    Hash,
}

impl Routing {
    /// `"hash"` means hash routing; anything else, path routing.
    pub fn from_name(name: &str) -> Self {
        if name.trim().eq_ignore_ascii_case("hash") {
            Routing::Hash
        } else {
            Routing::Path
        }
    }
}

/// The app's own part of the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppUrl {
    /// Always starts with `/`.
    pub path: String,
    /// Without the `?`.
    pub query: String,
}

impl AppUrl {
    pub fn parse(url: &str) -> Self {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        Self {
            path,
            query: query.to_owned(),
        }
    }

    /// One query parameter, decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key == name).then(|| decode(value))
        })
    }

    fn to_relative(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }
}

fn decode(text: &str) -> String {
    let spaced = text.replace('+', " ");
    js_sys::decode_uri_component(&spaced)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or(spaced)
}

/// The app's areas, each a page; the part after an area's name is the page's to read. Moving
/// within an area keeps its page (and what the rep has typed there); moving to another starts
/// the page afresh: a new search does not inherit the saved one last open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    Emails,
    Tasks,
    Search,
    SavedSearch,
    People,
    Person,
    Campaigns,
    Campaign,
    Templates,
    /// Users, teams and the audit log (`/admin/users`, …).
    Admin,
    /// One's own profile and password.
    Settings,
    NotFound,
}

impl Area {
    pub fn of(path: &str) -> Self {
        let mut parts = path.trim_start_matches('/').split('/');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("emails"), Some(_), None, _) => Area::Emails,
            (Some("tasks"), Some(_), None, _) => Area::Tasks,
            (Some("search"), None, _, _) => Area::Search,
            (Some("search"), Some("saved"), Some(_), None) => Area::SavedSearch,
            (Some("people"), None, _, _) => Area::People,
            (Some("people"), Some(id), None, _) if id.parse::<i64>().is_ok() => Area::Person,
            (Some("campaigns"), None, _, _) => Area::Campaigns,
            (Some("campaigns"), Some(id), None, _) if id.parse::<i64>().is_ok() => Area::Campaign,
            (Some("templates"), None, _, _) => Area::Templates,
            (Some("admin"), Some("users" | "teams" | "audit"), None, _) => Area::Admin,
            (Some("settings"), None, _, _) => Area::Settings,
            _ => Area::NotFound,
        }
    }
}

/// Hash routing's place in a URL's fragment: `#/tasks/today` is the app's; an empty fragment is
/// the start; any other (`#top`, a host page's own anchor) is not the app's to follow.
fn hash_route(hash: &str) -> Option<AppUrl> {
    match hash.trim_start_matches('#') {
        "" => Some(AppUrl::parse("/")),
        route if route.starts_with('/') => Some(AppUrl::parse(route)),
        _ => None,
    }
}

/// The app's own part of `path` when it lies under `base` (`/crm/tasks` under `/crm` is `/tasks`;
/// `/crmx` is not under `/crm`).
fn under_base<'a>(path: &'a str, base: &str) -> Option<&'a str> {
    path.strip_prefix(base)
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Paths that only lead elsewhere.
fn redirect(path: &str) -> Option<&'static str> {
    match path.trim_end_matches('/') {
        "" | "/emails" => Some("/emails/delivered"),
        "/tasks" => Some("/tasks/today"),
        "/admin" => Some("/admin/users"),
        _ => None,
    }
}

#[derive(Clone, Copy)]
pub struct Router {
    routing: Routing,
    /// `""` or `/crm`: path routing's prefix.
    base: StoredValue<String>,
    pub url: RwSignal<AppUrl>,
}

impl Router {
    /// The app's path in the page's current URL; `None` for a fragment that is not the app's.
    fn read(routing: Routing, base: &str) -> Option<AppUrl> {
        let location = window().location();
        match routing {
            Routing::Hash => hash_route(&location.hash().unwrap_or_default()),
            Routing::Path => {
                let path = location.pathname().unwrap_or_default();
                let search = location.search().unwrap_or_default();
                // A path outside the base is not one of the app's: shown whole, it is not found.
                let own = under_base(&path, base).unwrap_or(&path);
                Some(AppUrl::parse(&format!("{own}{search}")))
            }
        }
    }

    /// The page's own part of the path, parsed: `after("/emails/")` is the folder of
    /// `/emails/delivered`. Tracked, so a memo over it follows navigation.
    pub fn after<T: std::str::FromStr>(&self, prefix: &str) -> Option<T> {
        self.url.with(|url| {
            url.path
                .strip_prefix(prefix)
                .and_then(|rest| rest.parse().ok())
        })
    }

    /// What an in-app link's `href` is for `to` (`/emails/delivered`).
    pub fn href(&self, to: &str) -> String {
        match self.routing {
            Routing::Hash => format!("#{to}"),
            Routing::Path => format!("{}{to}", self.base.get_value()),
        }
    }

    /// Goes to `to` (an app path, with or without a query), as a new history entry.
    pub fn navigate(&self, to: &str) {
        self.go(AppUrl::parse(to), false);
    }

    fn go(&self, url: AppUrl, replace: bool) {
        // A path that only leads elsewhere keeps its query (a notice for the sign-in page).
        let url = match redirect(&url.path) {
            Some(target) => AppUrl {
                path: target.to_owned(),
                query: url.query,
            },
            None => url,
        };
        // A link to where the rep already is adds no history entry.
        if !replace && self.url.with_untracked(|current| *current == url) {
            return;
        }
        let href = self.href(&url.to_relative());
        if let Ok(history) = window().history() {
            let _ = if replace {
                history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href))
            } else {
                history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href))
            };
        }
        if self.url.with_untracked(|current| *current != url) {
            self.url.set(url);
        }
    }

    /// The rep moved through history (Back/Forward), or typed a new hash.
    fn follow_browser(&self) {
        let Some(url) = Self::read(self.routing, &self.base.get_value()) else {
            return;
        };
        match redirect(&url.path) {
            Some(_) => self.go(url, true),
            None if self.url.with_untracked(|current| *current != url) => self.url.set(url),
            None => {}
        }
    }

    /// Path routing: a click on an in-app `<a href>` navigates without reloading the page.
    /// Clicks with a modifier (new tab), other targets and downloads stay the browser's.
    pub fn on_click(&self, ev: &web_sys::MouseEvent) {
        if self.routing == Routing::Hash
            || ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.ctrl_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let anchor = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten());
        let Some(anchor) = anchor else { return };
        // A download, another window, or a link marked as leaving the app (the identity
        // provider's sign-in) is the browser's to follow.
        if anchor.has_attribute("download")
            || anchor
                .get_attribute("target")
                .is_some_and(|t| !t.is_empty() && t != "_self")
            || anchor
                .get_attribute("rel")
                .is_some_and(|r| r.split_whitespace().any(|w| w == "external"))
        {
            return;
        }
        let Some(href) = anchor.get_attribute("href") else {
            return;
        };
        let location = window().location();
        let Ok(target) = web_sys::Url::new_with_base(&href, &location.href().unwrap_or_default())
        else {
            return;
        };
        if target.origin() != location.origin().unwrap_or_default() {
            return;
        }
        let pathname = target.pathname();
        let Some(own) = under_base(&pathname, &self.base.get_value()).map(str::to_owned) else {
            return;
        };
        ev.prevent_default();
        self.navigate(&format!("{own}{}", target.search()));
    }
}

/// Starts routing for the app and provides it to every view below.
pub fn provide_router(routing: Routing, base: &str) -> Router {
    // A fragment that is not the app's (a host's `#top`) starts the app at its start.
    let start = Router::read(routing, base).unwrap_or_else(|| AppUrl::parse("/"));
    let router = Router {
        routing,
        base: StoredValue::new(base.to_owned()),
        url: RwSignal::new(start.clone()),
    };
    if redirect(&start.path).is_some() {
        router.go(start, true);
    }
    let event = match routing {
        Routing::Hash => "hashchange",
        Routing::Path => "popstate",
    };
    let listener = Closure::<dyn Fn()>::new(move || router.follow_browser());
    let _ = window().add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
    // An embedded app can be unmounted: stop listening with it.
    on_cleanup({
        let listener = send_wrapper::SendWrapper::new(listener);
        move || {
            let _ = window()
                .remove_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        }
    });
    provide_context(router);
    router
}

pub fn use_router() -> Router {
    expect_context::<Router>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn areas_and_redirects() {
        assert_eq!(Area::of("/emails/delivered"), Area::Emails);
        assert_eq!(Area::of("/emails/delivered/x"), Area::NotFound);
        assert_eq!(Area::of("/tasks/overdue"), Area::Tasks);
        assert_eq!(Area::of("/search"), Area::Search);
        assert_eq!(Area::of("/search/saved/4"), Area::SavedSearch);
        assert_eq!(Area::of("/nowhere"), Area::NotFound);
        assert_eq!(Area::of("/people"), Area::People);
        assert_eq!(Area::of("/people/12"), Area::Person);
        assert_eq!(Area::of("/people/twelve"), Area::NotFound);
        assert_eq!(redirect("/"), Some("/emails/delivered"));
        assert_eq!(redirect("/tasks/"), Some("/tasks/today"));
        assert_eq!(redirect("/search"), None);
    }

    #[test]
    fn only_fragments_that_are_paths_are_routes() {
        assert_eq!(hash_route(""), Some(AppUrl::parse("/")));
        assert_eq!(hash_route("#"), Some(AppUrl::parse("/")));
        assert_eq!(
            hash_route("#/tasks/today?x=1").map(|u| u.path),
            Some("/tasks/today".into())
        );
        assert_eq!(hash_route("#top"), None);
    }

    #[test]
    fn only_paths_under_the_base_are_the_apps() {
        assert_eq!(under_base("/crm/tasks/today", "/crm"), Some("/tasks/today"));
        assert_eq!(under_base("/crm", "/crm"), Some(""));
        assert_eq!(under_base("/crmx/tasks", "/crm"), None);
        assert_eq!(under_base("/emails", ""), Some("/emails"));
    }

    #[test]
    fn query_params_are_decoded() {
        let url = AppUrl::parse("/search?q=%7B%22all%22%3A%5B%5D%7D&x=a+b");
        assert_eq!(url.path, "/search");
        assert_eq!(url.query_param("q").as_deref(), Some("{\"all\":[]}"));
        assert_eq!(url.query_param("x").as_deref(), Some("a b"));
        assert_eq!(url.query_param("y"), None);
        assert_eq!(AppUrl::parse("emails").path, "/emails");
    }
}
