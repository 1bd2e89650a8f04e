//! "View as": a manager reads their team members' emails, tasks and searches, an admin anyone's,
//! by adding `as=<user id>` to a read. Only reads take it, so viewing is read-only; viewing
//! another's data is in the audit log, once an hour per viewer and member (a page of the app makes
//! several reads, and re-reads them live: one entry says who looked at whose data, and when).

use super::extract::ClientAddress;
use super::users::Audit;
use super::{ApiContext, CurrentUser, Error, Result};
use crate::accounts::{self, audit, Actor};
use api::users::AuditAction;
use api::{Text, UserId};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// How long one audit entry stands for a viewer's reads of one member's data.
const VIEW_RECORDED_FOR_MS: i64 = 60 * 60 * 1000;

/// The user whose data a read shows, and their time zone (their "today").
pub struct Viewed {
    pub owner: UserId,
    pub time_zone: String,
}

/// Whose data `current` reads when asking for `asked`'s (`None`: their own); `what` names the
/// read in the audit log.
pub async fn owner(
    ctx: &ApiContext,
    current: &CurrentUser,
    asked: Option<UserId>,
    what: &str,
) -> Result<UserId> {
    Ok(viewed(ctx, current, asked, what, None).await?.owner)
}

async fn viewed(
    ctx: &ApiContext,
    current: &CurrentUser,
    asked: Option<UserId>,
    what: &str,
    address: Option<std::net::IpAddr>,
) -> Result<Viewed> {
    let Some(asked) = asked.filter(|id| *id != current.id()) else {
        return Ok(Viewed {
            owner: current.id(),
            time_zone: current.user.time_zone.clone(),
        });
    };
    let mut conn = ctx.db.acquire().await?;
    let owner = accounts::may_view(&mut conn, Actor::from(&current.user), asked).await?;
    let time_zone = accounts::load(&mut conn, owner).await?.time_zone;
    let already = audit::seen_within(
        &mut conn,
        AuditAction::ViewedAs,
        current.id(),
        owner,
        crate::time::now_ms() - VIEW_RECORDED_FOR_MS,
    )
    .await?;
    drop(conn);
    if already {
        return Ok(Viewed { owner, time_zone });
    }
    Audit::of(AuditAction::ViewedAs, Some(current.id()), address)
        .about(owner)
        .saying(what)
        .record(ctx)
        .await?;
    Ok(Viewed { owner, time_zone })
}

/// The `as` parameter of a request's query, if any.
fn asked(parts: &Parts) -> Result<Option<UserId>> {
    let query = parts.uri.query().unwrap_or("");
    let Some(value) = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == "as")
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
    else {
        return Ok(None);
    };
    value.parse().map(Some).map_err(|_| Error::BadRequest {
        field: Some("as".to_owned()),
        message: Text::fixed(
            "`as` takes a user id.",
            "`as` にはユーザー ID を指定します。",
        ),
    })
}

/// A read of `Viewed` data: the caller's own, or (with `as=`) another's they may view.
pub struct ViewAs(pub Viewed);

impl FromRequestParts<ApiContext> for ViewAs {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, ctx: &ApiContext) -> Result<Self> {
        let current = CurrentUser::from_request_parts(parts, ctx).await?;
        let ClientAddress(address) = ClientAddress::from_request_parts(parts, ctx)
            .await
            .unwrap_or(ClientAddress(None));
        let what = parts.uri.path().to_owned();
        Ok(ViewAs(
            viewed(ctx, &current, asked(parts)?, &what, address).await?,
        ))
    }
}
