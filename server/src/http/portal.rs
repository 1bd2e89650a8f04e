//! A portal signs its user in: `POST /session/embed {token}` takes the portal's signed token
//! (see `crate::embed`) for a session of that user, provisioned when allowed. Each token is
//! taken once.

use super::auth::{open_session, user, Opened};
use super::extract::{ClientAddress, JsonBody};
use super::users::Audit;
use super::{ApiContext, Error, Result};
use crate::accounts;
use crate::time::now_ms;
use api::users::AuditAction;
use api::{EmbedSignIn, Text, UserId};
use axum::extract::State;
use axum::routing::post;
use axum::Router;

pub fn router() -> Router<ApiContext> {
    Router::new().route(api::endpoints::paths::EMBED_SESSION, post(sign_in))
}

const NOT_TAKEN: Text = Text::fixed(
    "The portal's sign-in token was not accepted; reload the portal page.",
    "ポータルのサインイン用トークンを受け付けられませんでした。ポータルのページを再読み込みしてください。",
);

async fn sign_in(
    State(ctx): State<ApiContext>,
    ClientAddress(address): ClientAddress,
    JsonBody(request): JsonBody<EmbedSignIn>,
) -> Result<Opened> {
    ctx.admit_stranger(address)?;
    let now = now_ms();
    // Why a token was refused goes to the log and the audit log, never to the caller.
    let refuse = |why: String, actor: Option<UserId>| {
        let ctx = ctx.clone();
        async move {
            tracing::info!(%why, "a portal token was refused");
            let detail = format!("portal token: {why}");
            Audit::of(AuditAction::SignInFailed, actor, address)
                .saying(detail)
                .record(&ctx)
                .await?;
            Err::<Opened, Error>(Error::Unauthorized(NOT_TAKEN))
        }
    };
    let claims = match ctx.embed.verify(&request.token, now / 1000).await {
        Ok(claims) => claims,
        Err(why) => return refuse(why.to_string(), None).await,
    };
    let Some(email) = claims.address() else {
        return refuse("the token names no email address".into(), None).await;
    };
    let jti = format!("embed:{}", claims.jti.as_deref().unwrap_or_default());
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    // Kept until the token could no longer be taken, leeway included.
    let kept_until = (claims.exp + crate::embed::LEEWAY_SECS as i64) * 1000;
    if !crate::embed::spend_token_id(&mut tx, &jti, kept_until).await? {
        drop(tx);
        return refuse(format!("{email}: the token was used already"), None).await;
    }
    // The portal vouches for its users; the listed domains, when any, still bound who is made.
    let provisioning = accounts::sso::Provisioning {
        team: ctx.config.provision_team.as_deref(),
        domains: &ctx.config.provision_domains,
        without_domains: accounts::sso::WithoutDomains::Anyone,
    };
    let team = provisioning.admits(&email);
    let found =
        accounts::find_or_provision(&mut tx, &email, claims.name.as_deref(), team, now).await?;
    let Some(id) = found else {
        tx.commit().await?;
        return refuse(format!("{email} has no account here"), None).await;
    };
    let account = accounts::load(&mut tx, id).await?;
    tx.commit().await?;
    if account.status == api::users::AccountStatus::Deactivated {
        return refuse(format!("{email} is deactivated"), Some(id)).await;
    }
    Audit::of(AuditAction::SignedIn, Some(id), address)
        .saying("portal")
        .record(&ctx)
        .await?;
    open_session(&ctx, user(&ctx, id).await?).await
}
