//! Sign-in through an OpenID provider over HTTP: which ways to sign in this server offers, the
//! start (asked for by a tab of the app with a key of its own; a cookie binds the sign-in to this
//! browser), the callback (the state used once, the cookie matched, the code exchanged and the ID
//! token checked by `crate::oidc`, the account found by `accounts::sso`), which lands the browser
//! back in the app with a one-time code, and the exchange of that code, by the tab that began the
//! sign-in, for a session. No session ever rides in an address.

use super::auth::open_session;
use super::extract::{ClientAddress, JsonBody, QueryParams};
use super::users::Audit;
use super::{ApiContext, Error, Result};
use crate::accounts::{self, sso};
use api::users::AuditAction;
use api::{SsoExchange, SsoRedirect, SsoStart, Text, UserId};
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<ApiContext> {
    use api::endpoints::paths;
    Router::new()
        .route(paths::AUTH_METHODS, get(methods))
        .route(paths::SSO_START, post(start))
        .route(paths::SSO_CALLBACK, get(callback))
        .route(paths::SSO_SESSION, post(exchange))
}

/// `GET /auth/methods`: how users sign in here.
#[derive(Serialize)]
struct Methods {
    password: bool,
    oidc: bool,
}

async fn methods(State(ctx): State<ApiContext>) -> Json<Methods> {
    Json(Methods {
        password: ctx.config.password_sign_in,
        oidc: ctx.oidc.is_some(),
    })
}

fn client(ctx: &ApiContext) -> Result<&crate::oidc::Client> {
    ctx.oidc.as_deref().ok_or(Error::NotFound(Text::fixed(
        "Single sign-on is not set up on this server.",
        "このサーバーではシングルサインオンが設定されていません。",
    )))
}

/// The cookie that binds a sign-in to the browser that began it; sent only to these paths.
const BROWSER_COOKIE: &str = "cc_sso";

fn browser_cookie(ctx: &ApiContext, value: &str, max_age_s: i64) -> String {
    let secure = if ctx.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    // Lax: the provider's redirect back is a top-level navigation, which carries it.
    format!(
        "{BROWSER_COOKIE}={value}; Path=/api/v1/auth/oidc; Max-Age={max_age_s}; HttpOnly; SameSite=Lax{secure}"
    )
}

/// The first part of each of the app's own routes (`src/router.rs`'s areas); a place to land
/// after signing in must be one of them, so a sign-in never ends on the API, a tracked link
/// (`/t/`, which redirects onward) or an unsubscribe page (`/u/`).
const APP_AREAS: [&str; 8] = [
    "emails",
    "tasks",
    "search",
    "people",
    "campaigns",
    "templates",
    "admin",
    "settings",
];

/// A place in the app to land after signing in: one of the app's own routes, never another site
/// nor another part of this server.
fn place_in_app(asked: Option<&str>) -> String {
    let Some(path) = asked.filter(|p| p.len() <= 500) else {
        return "/".to_owned();
    };
    let (route, query) = path.split_once('?').unwrap_or((path, ""));
    let plain = |s: &str, extra: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.~%".contains(c) || extra.contains(c))
    };
    let area = route.strip_prefix('/').and_then(|r| r.split('/').next());
    let in_app = area.is_some_and(|a| APP_AREAS.contains(&a))
        && plain(route, "/")
        && !route
            .split('/')
            .any(|segment| segment == ".." || segment == ".")
        && !route.contains("//")
        && plain(query, "=&+,!*'()");
    if in_app {
        path.to_owned()
    } else {
        "/".to_owned()
    }
}

/// `POST /auth/oidc/start`: where the tab should send the browser, and the cookie that binds the
/// sign-in to this browser.
async fn start(
    State(ctx): State<ApiContext>,
    ClientAddress(address): ClientAddress,
    JsonBody(request): JsonBody<SsoStart>,
) -> Result<Response> {
    ctx.admit_stranger(address)?;
    let client = client(&ctx)?;
    if !api::is_sso_tab_key(&request.tab_key) {
        return Err(Error::unprocessable(
            "tab_key",
            Text::fixed(
                "The tab's key must be 32 to 128 letters, digits, - or _.",
                "タブのキーは 32〜128 文字の英数字、- または _ にしてください。",
            ),
        ));
    }
    let started = client.start().await.map_err(|e| {
        tracing::warn!(error = %e, "the OpenID provider could not be reached");
        Error::Unavailable {
            retry_after: 5,
            message: Text::fixed(
                "The sign-on provider cannot be reached; try again in a moment.",
                "シングルサインオンのプロバイダーに接続できません。少ししてからもう一度お試しください。",
            ),
        }
    })?;
    let browser_key = crate::password::new_token();
    let return_to = place_in_app(request.return_to.as_deref());
    sso::begin(
        &mut *ctx.db.acquire().await?,
        &sso::Begun {
            state: &started.state,
            nonce: &started.nonce,
            verifier: &started.verifier,
            return_to: &return_to,
            browser_key: &browser_key,
            tab_key: &request.tab_key,
        },
    )
    .await?;
    let lifetime_s = crate::oidc::STATE_LIFETIME_MS / 1000;
    Ok((
        [(
            header::SET_COOKIE,
            browser_cookie(&ctx, &browser_key, lifetime_s),
        )],
        Json(SsoRedirect { url: started.url }),
    )
        .into_response())
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

async fn callback(
    State(ctx): State<ApiContext>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    QueryParams(query): QueryParams<CallbackQuery>,
) -> Result<Response> {
    ctx.admit_stranger(address)?;
    let client = client(&ctx)?;
    let base = ctx.public_url.trim_end_matches('/').to_owned();
    // Whatever happens, the binding cookie has done its work.
    let spent = [(header::SET_COOKIE, browser_cookie(&ctx, "", 0))];
    // The reason goes to the log and the audit log; the browser lands on sign-in with a notice.
    let refuse = |why: String, actor: Option<UserId>| {
        let ctx = ctx.clone();
        let base = base.clone();
        let spent = spent.clone();
        async move {
            tracing::info!(%why, "a single sign-on was refused");
            Audit::of(AuditAction::SignInFailed, actor, address)
                .saying(format!("single sign-on: {why}"))
                .record(&ctx)
                .await?;
            Ok::<Response, Error>(
                (spent, Redirect::to(&format!("{base}/?sign_in_error=sso"))).into_response(),
            )
        }
    };
    if let Some(error) = query.error {
        return refuse(format!("the provider said {error}"), None).await;
    }
    let (Some(code), Some(state)) = (query.code, query.state) else {
        return refuse("no code or state".into(), None).await;
    };
    let Some(pending) = sso::take(&mut *ctx.db.acquire().await?, &state).await? else {
        return refuse("an unknown, expired or replayed state".into(), None).await;
    };
    if !pending.began_in(super::extract::cookie(&headers, BROWSER_COOKIE)) {
        return refuse("the sign-in was begun in another browser".into(), None).await;
    }
    let (claims, issuer) = match client
        .finish(&code, &pending.verifier, &pending.nonce)
        .await
    {
        Ok(answer) => answer,
        Err(why) => return refuse(why.to_string(), None).await,
    };
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let claimed = sso::Claimed {
        issuer: &issuer,
        subject: &claims.sub,
        email: claims.email.as_deref(),
        email_verified: claims.email_verified,
        name: claims.name.as_deref(),
    };
    let provisioning = sso::Provisioning {
        team: ctx.config.provision_team.as_deref(),
        domains: &ctx.config.provision_domains,
        without_domains: sso::WithoutDomains::NoOne,
    };
    let account = match sso::identify(&mut tx, &claimed, &provisioning).await? {
        Ok(id) => Ok(accounts::load(&mut tx, id).await?),
        Err(why) => Err(why),
    };
    tx.commit().await?;
    let account = match account {
        Ok(account) => account,
        Err(why) => return refuse(why, None).await,
    };
    if account.status == api::users::AccountStatus::Deactivated {
        return refuse(
            format!("{} is deactivated", account.email),
            Some(account.id),
        )
        .await;
    }
    let code = sso::hand_off(&mut *ctx.db.acquire().await?, account.id, &pending.tab_hash).await?;
    // A code, not a session: only the tab holding the key it was begun with can use it.
    let to = format!("{base}{}#cc-sso={code}", pending.return_to);
    Ok((spent, Redirect::to(&to)).into_response())
}

/// `POST /auth/oidc/session`: the tab that began a sign-in exchanges its code for a session.
async fn exchange(
    State(ctx): State<ApiContext>,
    ClientAddress(address): ClientAddress,
    JsonBody(request): JsonBody<SsoExchange>,
) -> Result<super::auth::Opened> {
    ctx.admit_stranger(address)?;
    let refused = Error::Unauthorized(Text::fixed(
        "This single sign-on was not begun in this tab, or has expired; sign in again.",
        "このシングルサインオンはこのタブで始められたものではないか、期限が切れています。もう一度サインインしてください。",
    ));
    if request.code.len() > 128 || !api::is_sso_tab_key(&request.tab_key) {
        return Err(refused);
    }
    let mut conn = ctx.db.acquire().await?;
    let Some(id) = sso::take_hand_off(&mut conn, &request.code, &request.tab_key).await? else {
        drop(conn);
        Audit::of(AuditAction::SignInFailed, None, address)
            .saying("single sign-on: a hand-off code not of this tab, used or expired")
            .record(&ctx)
            .await?;
        return Err(refused);
    };
    let account = accounts::load(&mut conn, id).await?;
    drop(conn);
    if account.status == api::users::AccountStatus::Deactivated {
        return Err(refused);
    }
    Audit::of(AuditAction::SignedIn, Some(id), address)
        .saying("single sign-on")
        .record(&ctx)
        .await?;
    open_session(&ctx, super::auth::user(&ctx, id).await?).await
}

#[cfg(test)]
mod tests {
    use super::place_in_app;

    #[test]
    fn only_a_route_of_this_app_is_a_place_to_land() {
        assert_eq!(place_in_app(Some("/tasks/today?x=1")), "/tasks/today?x=1");
        assert_eq!(place_in_app(Some("/people/42")), "/people/42");
        assert_eq!(
            place_in_app(Some("/search?q=%7B%22all%22%3A%5B%5D%7D")),
            "/search?q=%7B%22all%22%3A%5B%5D%7D"
        );
        for elsewhere in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "tasks",
            "/a\r\nSet-Cookie: x",
            "/emails#cc-session=stolen",
            "/t/c/abc",
            "/u/abc",
            "/api/v1/me",
            "/tasks/../t/c/abc",
            "/tasks//evil.example",
            "/tasks/today?next=/t/c/x#y",
            "/emails/delivered?a=<script>",
        ] {
            assert_eq!(place_in_app(Some(elsewhere)), "/", "{elsewhere}");
        }
        assert_eq!(place_in_app(None), "/");
    }
}
