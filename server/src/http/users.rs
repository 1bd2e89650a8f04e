//! Users, teams, invitation links, one's own password, profile and mailbox, and the audit log
//! over HTTP.
//! The rules are `crate::accounts`'; this module adds the wall clock, the client address, the
//! invitation email and the sessions that end.

use super::auth::{open_session, user, Opened};
use super::extract::{ClientAddress, JsonBody, QueryParams};
use super::session_cache::Ended;
use super::{ApiContext, CurrentUser, Error, Result};
use crate::accounts::{self, audit, hand_over, invitations, teams, Actor, NO_SUCH_USER};
use crate::time::{from_ms, now_ms};
use api::users::{
    Account, AccountInput, AuditAction, AuditPage, HandOver, HandedOver, InvitationInfo, Invited,
    MailboxSettings, MailboxStatus, PasswordChange, Profile, SetPassword, Team, TeamInput,
};
use api::{TeamId, Text, User, UserId};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use std::net::IpAddr;

pub fn router() -> Router<ApiContext> {
    use api::endpoints::paths;
    Router::new()
        .route(paths::USERS, get(list).post(create))
        .route(paths::USER, get(one).put(update))
        .route(paths::USER_HAND_OVER, post(hand_over))
        .route(paths::USER_COMMAND, post(command))
        .route(paths::TEAMS, get(list_teams).post(create_team))
        .route(paths::TEAM, put(rename_team).delete(delete_team))
        .route(paths::INVITATION, get(invitation).post(accept))
        .route(paths::MY_PASSWORD, put(change_password))
        .route(paths::MY_PROFILE, put(change_profile))
        .route(
            paths::MY_MAILBOX,
            get(my_mailbox).put(set_mailbox).delete(remove_mailbox),
        )
        .route(paths::AUDIT, get(audit_page))
}

/// An audit entry this request records: `Audit::of(action, actor, address)`, `.about(user)`
/// when it concerns another, `.saying(detail)` when there is more to say.
pub(super) struct Audit {
    action: AuditAction,
    actor: Option<UserId>,
    subject: Option<UserId>,
    address: Option<IpAddr>,
    detail: String,
}

impl Audit {
    pub(super) fn of(action: AuditAction, actor: Option<UserId>, address: Option<IpAddr>) -> Self {
        Audit {
            action,
            actor,
            subject: None,
            address,
            detail: String::new(),
        }
    }

    pub(super) fn about(mut self, subject: UserId) -> Self {
        self.subject = Some(subject);
        self
    }

    pub(super) fn saying(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    pub(super) async fn record(self, ctx: &ApiContext) -> Result<()> {
        let mut conn = ctx.db.acquire().await?;
        let entry = audit::Entry {
            action: self.action,
            actor: self.actor,
            subject: self.subject,
            address: self.address,
            detail: &self.detail,
        };
        audit::record(&mut conn, entry, now_ms()).await?;
        Ok(())
    }
}

fn user_id(id: &str) -> Result<UserId> {
    id.parse().map_err(|_| Error::NotFound(NO_SUCH_USER))
}

fn team_id(id: &str) -> Result<TeamId> {
    id.parse().map_err(|_| Error::NotFound(teams::NO_SUCH_TEAM))
}

fn actor(current: &CurrentUser) -> Actor {
    Actor::from(&current.user)
}

async fn list(State(ctx): State<ApiContext>, current: CurrentUser) -> Result<Json<Vec<Account>>> {
    let mut conn = ctx.db.acquire().await?;
    Ok(Json(accounts::list(&mut conn, actor(&current)).await?))
}

async fn one(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Account>> {
    let mut conn = ctx.db.acquire().await?;
    // Those a user may list are those they may read one by one.
    let listed = accounts::list(&mut conn, actor(&current)).await?;
    let id = user_id(&id)?;
    listed
        .into_iter()
        .find(|account| account.id == id)
        .map(Json)
        .ok_or(Error::NotFound(NO_SUCH_USER))
}

/// Issues a link for `account` and emails it from `by`; the answer carries the link either way,
/// so an admin can pass it on when no mail transport delivers.
async fn invite(ctx: &ApiContext, by: &User, account: Account, reset: bool) -> Result<Invited> {
    let now = now_ms();
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let token = invitations::issue(&mut tx, account.id, by.id, now).await?;
    tx.commit().await?;
    let link = format!("{}/invite/{token}", ctx.public_url.trim_end_matches('/'));
    let domain = by.email.rsplit_once('@').map_or("localhost", |(_, d)| d);
    let message_id = format!("<invite.{}@{domain}>", crate::password::new_token());
    let mail = invitations::LinkMail {
        from_name: &by.name,
        from_email: &by.email,
        to_name: &account.name,
        to_email: &account.email,
        locale: &account.locale,
        link: &link,
        reset,
        message_id: &message_id,
    };
    let emailed = match mail.message() {
        Ok(message) => match ctx.mail.send(&message, &message_id, None).await {
            Ok(()) => true,
            Err(error) => {
                tracing::warn!(
                    ?error,
                    user = %account.id,
                    "the invitation email was not sent"
                );
                false
            }
        },
        Err(_) => false,
    };
    Ok(Invited {
        account,
        link,
        expires_at: from_ms(now + invitations::LIFETIME_MS),
        emailed,
    })
}

async fn create(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    ClientAddress(address): ClientAddress,
    JsonBody(input): JsonBody<AccountInput>,
) -> Result<(StatusCode, Json<Invited>)> {
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let account = accounts::create(&mut tx, actor(&current), &input, now_ms()).await?;
    tx.commit().await?;
    let detail = format!("{} ({})", account.email, account.role.as_str());
    Audit::of(AuditAction::UserCreated, Some(current.id()), address)
        .about(account.id)
        .saying(detail)
        .record(&ctx)
        .await?;
    let invited = invite(&ctx, &current.user, account, false).await?;
    Ok((StatusCode::CREATED, Json(invited)))
}

async fn update(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    ClientAddress(address): ClientAddress,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<AccountInput>,
) -> Result<Json<Account>> {
    let id = user_id(&id)?;
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let before = accounts::load(&mut tx, id).await;
    let account = accounts::update(&mut tx, actor(&current), id, &input).await?;
    tx.commit().await?;
    let detail = before
        .map(|before| changes(&before, &account))
        .unwrap_or_default();
    Audit::of(AuditAction::UserChanged, Some(current.id()), address)
        .about(id)
        .saying(detail)
        .record(&ctx)
        .await?;
    // Their sessions carry the user as it was (role, team): read anew everywhere.
    ctx.user_changed(id);
    Ok(Json(account))
}

/// "role: rep → manager; team: 1 → 2" for the audit log.
fn changes(before: &Account, after: &Account) -> String {
    let mut said = Vec::new();
    let mut note = |field: &str, was: String, is: String| {
        if was != is {
            said.push(format!("{field}: {was} → {is}"));
        }
    };
    note("email", before.email.clone(), after.email.clone());
    note("name", before.name.clone(), after.name.clone());
    note(
        "role",
        before.role.as_str().into(),
        after.role.as_str().into(),
    );
    let team = |t: Option<TeamId>| t.map_or("none".to_owned(), |t| t.to_string());
    note("team", team(before.team_id), team(after.team_id));
    note(
        "time_zone",
        before.time_zone.clone(),
        after.time_zone.clone(),
    );
    note("locale", before.locale.clone(), after.locale.clone());
    said.join("; ")
}

/// What an admin does to a user's account by `POST /users/{id}/{command}`.
#[derive(Clone, Copy, PartialEq)]
enum Command {
    /// Sessions end, sign-in is refused, scheduled emails are held.
    Deactivate,
    /// Sign-in works again; held emails go out when due.
    Reactivate,
    /// The password stops working, sessions end, a new link is issued.
    ResetPassword,
}

impl Command {
    fn parse(name: &str) -> Option<Self> {
        match name {
            "deactivate" => Some(Command::Deactivate),
            "reactivate" => Some(Command::Reactivate),
            "reset-password" => Some(Command::ResetPassword),
            _ => None,
        }
    }
}

async fn command(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    ClientAddress(address): ClientAddress,
    Path((id, command)): Path<(String, String)>,
) -> Result<Response> {
    let id = user_id(&id)?;
    let command = Command::parse(&command).ok_or(Error::NotFound(Text::fixed(
        "No such action on a user: deactivate, reactivate, reset-password or hand-over.",
        "ユーザーへのその操作はありません（deactivate、reactivate、reset-password、hand-over）。",
    )))?;
    let actor = actor(&current);
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let (account, action) = match command {
        Command::Deactivate => (
            accounts::deactivate(&mut tx, actor, id, now_ms()).await?,
            AuditAction::UserDeactivated,
        ),
        Command::Reactivate => (
            accounts::reactivate(&mut tx, actor, id).await?,
            AuditAction::UserReactivated,
        ),
        Command::ResetPassword => (
            accounts::reset_password(&mut tx, actor, id).await?,
            AuditAction::PasswordReset,
        ),
    };
    tx.commit().await?;
    match command {
        Command::Deactivate | Command::ResetPassword => ctx.sessions_ended(Ended::User(id)),
        // Their held emails that are due go out now.
        Command::Reactivate => ctx.sender_wake.notify_one(),
    }
    Audit::of(action, Some(current.id()), address)
        .about(id)
        .record(&ctx)
        .await?;
    Ok(match command {
        Command::ResetPassword => {
            Json(invite(&ctx, &current.user, account, true).await?).into_response()
        }
        _ => Json(account).into_response(),
    })
}

async fn hand_over(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    ClientAddress(address): ClientAddress,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<HandOver>,
) -> Result<Json<HandedOver>> {
    let id = user_id(&id)?;
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let moved = hand_over::hand_over(&mut tx, actor(&current), id, request.to, now_ms()).await?;
    tx.commit().await?;
    // Both users' lists and counts changed; the receiver's due emails may go now.
    for owner in [id, request.to] {
        ctx.changes.emails(owner, Vec::new());
        ctx.changes.tasks(owner, Vec::new());
    }
    ctx.sender_wake.notify_one();
    let detail = format!(
        "to user {}: {} people ({} merged), {} emails, {} tasks, {} campaigns, {} templates",
        request.to,
        moved.people,
        moved.people_merged,
        moved.emails,
        moved.tasks,
        moved.campaigns,
        moved.templates
    );
    Audit::of(AuditAction::HandedOver, Some(current.id()), address)
        .about(id)
        .saying(detail)
        .record(&ctx)
        .await?;
    Ok(Json(moved))
}

async fn list_teams(State(ctx): State<ApiContext>, _: CurrentUser) -> Result<Json<Vec<Team>>> {
    let mut conn = ctx.db.acquire().await?;
    Ok(Json(teams::list(&mut conn).await?))
}

async fn create_team(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    ClientAddress(address): ClientAddress,
    JsonBody(input): JsonBody<TeamInput>,
) -> Result<(StatusCode, Json<Team>)> {
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let team = teams::create(&mut tx, actor(&current), &input, now_ms()).await?;
    tx.commit().await?;
    Audit::of(AuditAction::TeamChanged, Some(current.id()), address)
        .saying(format!("created {} ({})", team.id, team.name))
        .record(&ctx)
        .await?;
    Ok((StatusCode::CREATED, Json(team)))
}

async fn rename_team(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    ClientAddress(address): ClientAddress,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<TeamInput>,
) -> Result<Json<Team>> {
    let id = team_id(&id)?;
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let team = teams::rename(&mut tx, actor(&current), id, &input).await?;
    tx.commit().await?;
    Audit::of(AuditAction::TeamChanged, Some(current.id()), address)
        .saying(format!("renamed {} ({})", team.id, team.name))
        .record(&ctx)
        .await?;
    Ok(Json(team))
}

async fn delete_team(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    ClientAddress(address): ClientAddress,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let id = team_id(&id)?;
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let members = teams::delete(&mut tx, actor(&current), id).await?;
    tx.commit().await?;
    for member in members {
        ctx.user_changed(member);
    }
    Audit::of(AuditAction::TeamChanged, Some(current.id()), address)
        .saying(format!("deleted {id}"))
        .record(&ctx)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn invitation(
    State(ctx): State<ApiContext>,
    Path(token): Path<String>,
) -> Result<Json<InvitationInfo>> {
    let mut conn = ctx.db.acquire().await?;
    Ok(Json(invitations::info(&mut conn, &token, now_ms()).await?))
}

/// Hashes a new password on the blocking pool, within the sign-in hashing cap.
async fn hashed(password: String) -> Result<String> {
    api::users::check_password(&password).map_err(|m| Error::unprocessable("password", m))?;
    tokio::task::spawn_blocking(move || crate::password::hash(&password))
        .await
        .map_err(|e| Error::Internal(e.into()))
}

/// Uses an invitation (or reset) link: the password is set and the user signed in.
async fn accept(
    State(ctx): State<ApiContext>,
    ClientAddress(address): ClientAddress,
    Path(token): Path<String>,
    JsonBody(request): JsonBody<SetPassword>,
) -> Result<Opened> {
    // A link that does not work costs no hash.
    invitations::info(&mut *ctx.db.acquire().await?, &token, now_ms()).await?;
    let phc = hashed(request.password).await?;
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    let id = invitations::accept(&mut tx, &token, &phc, now_ms()).await?;
    tx.commit().await?;
    ctx.sessions_ended(Ended::User(id));
    Audit::of(AuditAction::PasswordSet, Some(id), address)
        .record(&ctx)
        .await?;
    Audit::of(AuditAction::SignedIn, Some(id), address)
        .saying("link")
        .record(&ctx)
        .await?;
    open_session(&ctx, user(&ctx, id).await?).await
}

async fn change_password(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    ClientAddress(address): ClientAddress,
    JsonBody(change): JsonBody<PasswordChange>,
) -> Result<StatusCode> {
    let mut conn = ctx.db.acquire().await?;
    let phc = accounts::password_hash(&mut conn, current.id()).await?;
    drop(conn);
    // A wrong current password counts as a failed sign-in: a session someone else holds cannot
    // be used to guess the password at speed.
    let limits = &ctx.sign_in_limits;
    let key = crate::sign_in::AccountKey::of(&current.user.email);
    limits.begin(&key, address).map_err(super::auth::not_now)?;
    let matches = limits
        .verify(change.current, Some(phc).filter(|p| !p.is_empty()))
        .await
        .map_err(super::auth::not_now)?;
    if matches {
        limits.succeeded(&key, address);
    } else {
        return Err(Error::unprocessable(
            "current",
            Text::fixed(
                "Your current password is not that.",
                "現在のパスワードが違います。",
            ),
        ));
    }
    let phc = hashed(change.new).await.map_err(|e| match e {
        Error::Unprocessable { message, .. } => Error::unprocessable("new", message),
        other => other,
    })?;
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    accounts::set_password(&mut tx, current.id(), &phc, Some(&current.token_hash)).await?;
    tx.commit().await?;
    // Every other session ends, their live streams too: this one stays.
    ctx.user_changed(current.id());
    ctx.sessions_ended(Ended::OthersOf {
        user: current.id(),
        keep: current.token_hash.clone(),
    });
    Audit::of(AuditAction::PasswordChanged, Some(current.id()), address)
        .record(&ctx)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn change_profile(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    ClientAddress(address): ClientAddress,
    JsonBody(profile): JsonBody<Profile>,
) -> Result<Json<User>> {
    let mut tx = crate::db::begin_write(&ctx.db).await?;
    accounts::set_profile(&mut tx, current.id(), &profile).await?;
    tx.commit().await?;
    ctx.user_changed(current.id());
    Audit::of(AuditAction::ProfileChanged, Some(current.id()), address)
        .record(&ctx)
        .await?;
    Ok(Json(user(&ctx, current.id()).await?))
}

/// The rep's own mailbox, or `null`.
async fn my_mailbox(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
) -> Result<Json<Option<MailboxStatus>>> {
    Ok(Json(crate::mailbox::reps::of(&ctx.db, current.id()).await?))
}

/// Keeps the rep's mailbox once the server has signed in to it (422 saying why not).
async fn set_mailbox(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    ClientAddress(address): ClientAddress,
    JsonBody(settings): JsonBody<MailboxSettings>,
) -> Result<Json<MailboxStatus>> {
    let kept = crate::mailbox::reps::set(
        &ctx.db,
        &ctx.secret,
        ctx.config.private_rep_mailboxes,
        current.id(),
        &settings,
    )
    .await?;
    ctx.user_changed(current.id());
    Audit::of(AuditAction::ProfileChanged, Some(current.id()), address)
        .saying(format!(
            "mailbox: {}@{}:{}/{}",
            kept.user, kept.host, kept.port, kept.mailbox
        ))
        .record(&ctx)
        .await?;
    Ok(Json(kept))
}

async fn remove_mailbox(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    ClientAddress(address): ClientAddress,
) -> Result<StatusCode> {
    if crate::mailbox::reps::remove(&ctx.db, current.id()).await? {
        ctx.user_changed(current.id());
        Audit::of(AuditAction::ProfileChanged, Some(current.id()), address)
            .saying("mailbox removed".to_owned())
            .record(&ctx)
            .await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize)]
struct AuditQuery {
    before: Option<String>,
    action: Option<String>,
}

async fn audit_page(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    QueryParams(query): QueryParams<AuditQuery>,
) -> Result<Json<AuditPage>> {
    let bad = |field: &str| Error::BadRequest {
        field: Some(field.to_owned()),
        message: Text::fixed(
            "That is not a value this parameter takes.",
            "このパラメーターに使えない値です。",
        ),
    };
    let before = match query.before.as_deref().filter(|b| !b.is_empty()) {
        Some(before) => Some(before.parse().map_err(|_| bad("before"))?),
        None => None,
    };
    let action = match query.action.as_deref().filter(|a| !a.is_empty()) {
        Some(action) => Some(action.parse::<AuditAction>().map_err(|_| bad("action"))?),
        None => None,
    };
    let mut conn = ctx.db.acquire().await?;
    Ok(Json(
        audit::page(&mut conn, actor(&current), before, action).await?,
    ))
}
