//! Sign-in through an OpenID provider over HTTP: which ways to sign in this server offers, the
//! start (a redirect to the provider, the state kept here) and the callback (the state used once,
//! the code exchanged and the ID token checked by `crate::oidc`), which lands the browser back in
//! the app with a session, or on the sign-in page with a readable reason.

use super::auth::{new_session, viewer_cookie};
use super::extract::{ClientAddress, QueryParams};
use super::users::Audit;
use super::{ApiContext, Error, Result};
use crate::accounts;
use crate::time::now_ms;
use api::users::AuditAction;
use api::{Text, UserId};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route(api::endpoints::paths::AUTH_METHODS, get(methods))
        .route("/auth/oidc/start", get(start))
        .route("/auth/oidc/callback", get(callback))
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

/// A place in the app to land after signing in: a path of this app, never another site.
fn place_in_app(asked: Option<&str>) -> String {
    match asked {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains(['\\', '\r', '\n', '#'])
                && path.len() <= 500 =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[derive(Deserialize)]
struct StartQuery {
    return_to: Option<String>,
}

async fn start(
    State(ctx): State<ApiContext>,
    QueryParams(query): QueryParams<StartQuery>,
) -> Result<Redirect> {
    let client = client(&ctx)?;
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
    let now = now_ms();
    sqlx::query("DELETE FROM oidc_states WHERE expires_at <= $1")
        .bind(now)
        .execute(&ctx.db)
        .await?;
    sqlx::query(
        "INSERT INTO oidc_states (state_hash, nonce, verifier, return_to, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(crate::password::token_hash(&started.state))
    .bind(&started.nonce)
    .bind(&started.verifier)
    .bind(place_in_app(query.return_to.as_deref()))
    .bind(now + crate::oidc::STATE_LIFETIME_MS)
    .execute(&ctx.db)
    .await?;
    Ok(Redirect::to(&started.url))
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Pending {
    nonce: String,
    verifier: String,
    return_to: String,
}

async fn callback(
    State(ctx): State<ApiContext>,
    ClientAddress(address): ClientAddress,
    QueryParams(query): QueryParams<CallbackQuery>,
) -> Result<Response> {
    let client = client(&ctx)?;
    let base = ctx.public_url.trim_end_matches('/').to_owned();
    // The reason goes to the log and the audit log; the browser lands on sign-in with a notice.
    let refuse = |why: String, actor: Option<UserId>| {
        let ctx = ctx.clone();
        let base = base.clone();
        async move {
            tracing::info!(%why, "a single sign-on was refused");
            Audit::of(AuditAction::SignInFailed, actor, address)
                .saying(format!("single sign-on: {why}"))
                .record(&ctx)
                .await?;
            Ok::<Response, Error>(
                Redirect::to(&format!("{base}/?sign_in_error=sso")).into_response(),
            )
        }
    };
    if let Some(error) = query.error {
        return refuse(format!("the provider said {error}"), None).await;
    }
    let (Some(code), Some(state)) = (query.code, query.state) else {
        return refuse("no code or state".into(), None).await;
    };
    // Used once: taken away as it is read.
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let pending: Option<Pending> = sqlx::query_as(
        "SELECT nonce, verifier, return_to FROM oidc_states WHERE state_hash = $1 AND expires_at > $2",
    )
    .bind(crate::password::token_hash(&state))
    .bind(now_ms())
    .fetch_optional(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM oidc_states WHERE state_hash = $1")
        .bind(crate::password::token_hash(&state))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let Some(pending) = pending else {
        return refuse("an unknown, expired or replayed state".into(), None).await;
    };
    let claims = match client
        .finish(&code, &pending.verifier, &pending.nonce)
        .await
    {
        Ok(claims) => claims,
        Err(why) => return refuse(why.to_string(), None).await,
    };
    let email = [claims.email.as_deref(), Some(claims.sub.as_str())]
        .into_iter()
        .flatten()
        .map(|a| a.trim().to_lowercase())
        .find(|a| a.parse::<lettre::Address>().is_ok());
    let Some(email) = email else {
        return refuse(format!("{}: no email address", claims.sub), None).await;
    };
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let team = ctx.config.provision_team.as_deref();
    let found =
        accounts::find_or_provision(&mut tx, &email, claims.name.as_deref(), team, now_ms())
            .await?;
    let account = match found {
        Some(id) => Some(accounts::load(&mut tx, id).await?),
        None => None,
    };
    tx.commit().await?;
    let Some(account) = account else {
        return refuse(format!("{email} has no account here"), None).await;
    };
    if account.status == api::users::AccountStatus::Deactivated {
        return refuse(format!("{email} is deactivated"), Some(account.id)).await;
    }
    let token = new_session(&ctx, account.id).await?;
    Audit::of(AuditAction::SignedIn, Some(account.id), address)
        .saying("single sign-on")
        .record(&ctx)
        .await?;
    // The token rides in the fragment: browsers never send it on, and the app takes it out of
    // the address at once.
    let to = format!("{base}{}#cc-session={token}", pending.return_to);
    let cookie = viewer_cookie(&ctx, account.id);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&to)).into_response())
}

#[cfg(test)]
mod tests {
    use super::place_in_app;

    #[test]
    fn only_a_path_of_this_app_is_a_place_to_land() {
        assert_eq!(place_in_app(Some("/tasks/today?x=1")), "/tasks/today?x=1");
        for elsewhere in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "tasks",
            "/a\r\nSet-Cookie: x",
            "/emails#cc-session=stolen",
        ] {
            assert_eq!(place_in_app(Some(elsewhere)), "/", "{elsewhere}");
        }
        assert_eq!(place_in_app(None), "/");
    }
}
