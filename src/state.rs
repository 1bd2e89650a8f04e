//! App-wide state shared through context: who is signed in, and in which language.

use crate::api_client::ApiClient;
use crate::i18n::{Locale, Msg};
use api::{User, UserId};
use leptos::prelude::*;

const TOKEN_KEY: &str = "cc.token";
const LOCALE_KEY: &str = "cc.locale";
/// Whom this tab views as (see `AppState::viewing`): kept for a reload, forgotten with the tab.
const VIEWING_KEY: &str = "cc.viewing";

#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub token: String,
    pub user: User,
}

/// A team member whose emails, tasks and searches a manager (or an admin) is looking at.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Viewed {
    pub id: UserId,
    pub name: String,
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub api_base: StoredValue<String>,
    /// The session came from the host page (embedded): it is not kept in local storage, and
    /// signing out is the host's business.
    pub hosted: StoredValue<bool>,
    /// `None` until signed in; a stored token is checked with `/me` before it counts.
    pub session: RwSignal<Option<Session>>,
    /// True while a stored token is being checked, so the login form does not flash.
    pub restoring: RwSignal<bool>,
    pub locale: RwSignal<Locale>,
    /// Why a portal's sign-in token was refused, shown above the login form.
    pub sign_in_refused: RwSignal<Option<String>>,
    /// Whose data the emails, tasks and search pages show when not one's own ("view as"):
    /// read-only, so those pages offer no actions meanwhile.
    pub viewing: RwSignal<Option<Viewed>>,
}

impl AppState {
    pub fn new(options: &crate::mount::MountOptions) -> Self {
        let locale = options
            .locale
            .or_else(|| storage_get(LOCALE_KEY).map(|code| Locale::from_tag(&code)))
            .or_else(|| {
                window()
                    .navigator()
                    .language()
                    .map(|tag| Locale::from_tag(&tag))
            })
            .unwrap_or(Locale::En);
        Self {
            api_base: StoredValue::new(options.api_base.clone()),
            hosted: StoredValue::new(options.token.is_some() || options.embed_token.is_some()),
            session: RwSignal::new(None),
            restoring: RwSignal::new(false),
            locale: RwSignal::new(locale),
            sign_in_refused: RwSignal::new(None),
            viewing: RwSignal::new(
                session_storage()
                    .and_then(|s| s.get_item(VIEWING_KEY).ok().flatten())
                    .and_then(|kept| serde_json::from_str(&kept).ok()),
            ),
        }
    }

    /// The member being viewed, if not oneself. Pages are made afresh when this changes (see
    /// `App`), so they read it once.
    pub fn viewed_id(&self) -> Option<UserId> {
        self.viewing.with_untracked(|v| v.as_ref().map(|v| v.id))
    }

    /// Where people's pages are, before a person's id (`/people/`, `#/people/`); `None` while
    /// viewing another's work, whose people have no page of the viewer's: their names are text.
    /// Every list that names people asks here.
    pub fn people_href(&self, router: &crate::router::Router) -> Option<String> {
        self.viewed_id().is_none().then(|| router.href("/people/"))
    }

    /// Views `viewed`'s data (`None`: one's own again).
    pub fn view_as(&self, viewed: Option<Viewed>) {
        if let Some(storage) = session_storage() {
            let _ = match &viewed {
                Some(v) => {
                    storage.set_item(VIEWING_KEY, &serde_json::to_string(v).unwrap_or_default())
                }
                None => storage.remove_item(VIEWING_KEY),
            };
        }
        self.viewing.set(viewed);
    }

    /// The client for the current session (or an anonymous one).
    pub fn api(&self) -> ApiClient {
        let token = self
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.token.clone()));
        self.api_with(token)
    }

    /// The client for `token`, in the rep's language.
    fn api_with(&self, token: Option<String>) -> ApiClient {
        ApiClient::new(
            self.api_base.get_value(),
            token,
            self.locale.get_untracked(),
        )
    }

    pub fn t(&self, msg: Msg) -> &'static str {
        self.locale.get().t(msg)
    }

    pub fn set_locale(&self, locale: Locale) {
        storage_set(LOCALE_KEY, locale.code());
        self.locale.set(locale);
    }

    pub fn signed_in(&self, session: Session) {
        if !self.hosted.get_value() {
            storage_set(TOKEN_KEY, &session.token);
        }
        self.session.set(Some(session));
    }

    pub fn signed_out(&self) {
        storage_remove(TOKEN_KEY);
        self.view_as(None);
        self.session.set(None);
    }

    /// Resumes a session: the host page's token, or one kept from an earlier visit, if the
    /// server still honours it.
    pub fn restore(&self, given: Option<String>) {
        let Some(token) = given.or_else(|| storage_get(TOKEN_KEY)) else {
            return;
        };
        let state = *self;
        state.restoring.set(true);
        leptos::task::spawn_local(async move {
            match state
                .api_with(Some(token.clone()))
                .call(api::endpoints::accounts::me())
                .await
            {
                Ok(user) => state.session.set(Some(Session { token, user })),
                Err(error) if error.is_unauthorized() && !state.hosted.get_value() => {
                    storage_remove(TOKEN_KEY)
                }
                // The server is unreachable: keep the token, the rep can sign in again later.
                Err(_) => {}
            }
            state.restoring.set(false);
        });
    }
}

/// Where a tab keeps the key of the single sign-on it began (see `api::SsoStart`): session
/// storage is this tab's alone, and survives the trip through the provider.
const SSO_TAB_KEY: &str = "cc.sso-tab";

/// The one-time code a single sign-on's callback put in the address's fragment (`#cc-sso=…`),
/// taken out of the address at once so that it is neither bookmarked nor shared.
pub fn take_sso_code_from_address() -> Option<String> {
    let location = window().location();
    let code = location.hash().ok()?.strip_prefix("#cc-sso=")?.to_owned();
    let without = format!(
        "{}{}",
        location.pathname().ok()?,
        location.search().unwrap_or_default()
    );
    let _ = window().history().ok()?.replace_state_with_url(
        &wasm_bindgen::JsValue::NULL,
        "",
        Some(&without),
    );
    Some(code).filter(|c| !c.is_empty())
}

/// A new random key for a single sign-on begun in this tab: two UUIDs from the browser's
/// cryptographic generator, 244 random bits.
fn new_sso_tab_key() -> Option<String> {
    let crypto = window().crypto().ok()?;
    Some(format!("{}{}", crypto.random_uuid(), crypto.random_uuid()))
}

impl AppState {
    /// Begins a single sign-on in this tab: its key is kept in the tab, the server binds the
    /// sign-in to it (and to this browser, by a cookie), and the browser goes to the provider.
    pub async fn begin_sso(&self, return_to: String) -> Result<(), crate::api_client::ApiError> {
        // Without a generator or session storage the sign-in could not be bound to this tab.
        let unavailable = || crate::api_client::ApiError::Network;
        let tab_key = new_sso_tab_key().ok_or_else(unavailable)?;
        session_storage()
            .and_then(|s| s.set_item(SSO_TAB_KEY, &tab_key).ok())
            .ok_or_else(unavailable)?;
        let request = api::SsoStart {
            return_to: Some(return_to),
            tab_key,
        };
        let redirect = self
            .api_with(None)
            .call(api::endpoints::accounts::sso_start(&request))
            .await?;
        let _ = window().location().assign(&redirect.url);
        Ok(())
    }

    /// Ends a single sign-on that came back with `code`: exchanged for a session only if this
    /// tab began a sign-in (it holds the key). A code this tab did not ask for — a link someone
    /// else made — is ignored, and the session this browser had stays as it was.
    pub fn finish_sso(&self, code: String, given: Option<String>) {
        let storage = session_storage();
        let tab_key = storage
            .as_ref()
            .and_then(|s| s.get_item(SSO_TAB_KEY).ok().flatten());
        if let Some(storage) = storage {
            let _ = storage.remove_item(SSO_TAB_KEY);
        }
        let Some(tab_key) = tab_key else {
            self.restore(given);
            return;
        };
        let state = *self;
        state.restoring.set(true);
        leptos::task::spawn_local(async move {
            let request = api::SsoExchange { code, tab_key };
            let answer = state
                .api_with(None)
                .call(api::endpoints::accounts::sso_session(&request))
                .await;
            state.restoring.set(false);
            match answer {
                Ok(response) => state.signed_in(Session {
                    token: response.token,
                    user: response.user,
                }),
                Err(error) => {
                    state
                        .sign_in_refused
                        .set(Some(error.message(state.locale.get_untracked())));
                    state.restore(given);
                }
            }
        });
    }

    /// Exchanges a portal's signed token for a session of the portal's user (each token works
    /// once: a reload of the portal page signs a new one).
    pub fn sign_in_embedded(&self, embed_token: String) {
        let state = *self;
        state.restoring.set(true);
        leptos::task::spawn_local(async move {
            let request = api::EmbedSignIn { token: embed_token };
            let answer = state
                .api_with(None)
                .call(api::endpoints::accounts::sign_in_embedded(&request))
                .await;
            match answer {
                Ok(response) => state.session.set(Some(Session {
                    token: response.token,
                    user: response.user,
                })),
                Err(error) => state
                    .sign_in_refused
                    .set(Some(error.message(state.locale.get_untracked()))),
            }
            state.restoring.set(false);
        });
    }
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

fn storage_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

fn storage_set(key: &str, value: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, value);
    }
}

fn storage_remove(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}
