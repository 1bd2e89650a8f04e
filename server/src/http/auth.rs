//! Sessions: log in with email and password for a bearer token; every other path needs one.

use super::extract::{ClientAddress, JsonBody};
use super::session_cache::Ended;
use super::users::Audit;
use super::{ApiContext, Error, Result};
use crate::sign_in::{AccountKey, NotNow};
use crate::{password, time::now_ms};
use api::users::AuditAction;
use api::Text;
use api::{LoginRequest, Role, SessionResponse, User, UserId};
use axum::extract::{FromRequestParts, State};
use axum::http::{header, request::Parts, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};

/// The longest email address (RFC 5321's 256-octet path, less its angle brackets).
pub(super) const MAX_EMAIL_LEN: usize = 254;

/// Sessions last a month; logging out ends one at once.
const SESSION_LIFETIME_MS: i64 = 30 * 24 * 60 * 60 * 1000;

pub fn router() -> Router<ApiContext> {
    use api::endpoints::paths;
    Router::new()
        .route(paths::SESSION, post(log_in).delete(log_out))
        .route(paths::SESSIONS, axum::routing::delete(log_out_everywhere))
        .route(paths::ME, get(me).patch(update_me))
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: UserId,
    email: String,
    name: String,
    role: String,
    time_zone: String,
    locale: String,
    #[sqlx(try_from = "crate::db::Flag")]
    track_opens: bool,
    #[sqlx(try_from = "crate::db::Flag")]
    track_links: bool,
    team_id: Option<i64>,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        User {
            id: row.id,
            email: row.email,
            name: row.name,
            role: row.role.parse::<Role>().unwrap_or(Role::Rep),
            time_zone: row.time_zone,
            locale: row.locale,
            track_opens: row.track_opens,
            track_links: row.track_links,
            team_id: row.team_id.map(api::TeamId),
        }
    }
}

/// The signed-in user of a request, from its `Authorization: Bearer` header.
pub struct CurrentUser {
    pub user: User,
    pub(super) token_hash: String,
    pub(super) expires_at_ms: i64,
}

impl CurrentUser {
    pub fn id(&self) -> UserId {
        self.user.id
    }
}

impl FromRequestParts<ApiContext> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, ctx: &ApiContext) -> Result<Self> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or(Error::Unauthorized(Text::fixed(
                "Sign in first: this request has no bearer token.",
                "先にサインインしてください（このリクエストにはトークンがありません）。",
            )))?;
        let token_hash = password::token_hash(token);
        let now = now_ms();
        let (user, expires_at_ms) = match ctx.sessions.user(&token_hash, now) {
            Some(known) => known,
            None => check_session(ctx, &token_hash, now).await?,
        };
        Ok(CurrentUser {
            user,
            token_hash,
            expires_at_ms,
        })
    }
}

/// Asks the database whose session a token is, and remembers the answer for a moment.
async fn check_session(ctx: &ApiContext, token_hash: &str, now: i64) -> Result<(User, i64)> {
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT u.id, u.email, u.name, u.role, u.time_zone, u.locale,
                (u.track_opens = TRUE) AS track_opens, (u.track_links = TRUE) AS track_links,
                u.team_id, s.expires_at
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.deactivated_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&ctx.db)
    .await?;
    let row = row.ok_or(Error::Unauthorized(Text::fixed(
        "Your session has expired or was ended; please sign in again.",
        "セッションの有効期限が切れたか、終了しました。もう一度サインインしてください。",
    )))?;
    let user = User::from(row.user);
    ctx.sessions.checked(token_hash, &user, row.expires_at);
    Ok((user, row.expires_at))
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    expires_at: i64,
}

#[derive(sqlx::FromRow)]
struct LoginRow {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: String,
    deactivated_at: Option<i64>,
}

/// The columns of `UserRow`, for a query on `users` alone.
pub(super) const USER_COLUMNS: &str = "id, email, name, role, time_zone, locale,
    (track_opens = TRUE) AS track_opens, (track_links = TRUE) AS track_links, team_id";

/// A user as the API shows them, read anew.
pub(super) async fn user(ctx: &ApiContext, id: UserId) -> Result<User> {
    let row: UserRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM users WHERE id = $1"
    )))
    .bind(id)
    .fetch_one(&ctx.db)
    .await?;
    Ok(row.into())
}

/// A new session's bearer token for `user`.
pub(super) async fn new_session(ctx: &ApiContext, user: UserId) -> Result<String> {
    let token = password::new_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(password::token_hash(&token))
    .bind(user)
    .bind(now)
    .bind(now + SESSION_LIFETIME_MS)
    .execute(&ctx.db)
    .await?;
    Ok(token)
}

/// What a sign-in answers: a new session's token, the user, and the viewer cookie.
pub(super) type Opened = (
    StatusCode,
    [(header::HeaderName, String); 1],
    Json<SessionResponse>,
);

/// Opens a session for `user` (signed in by password, a link or a provider).
pub(super) async fn open_session(ctx: &ApiContext, user: User) -> Result<Opened> {
    let token = new_session(ctx, user.id).await?;
    let cookie = viewer_cookie(ctx, user.id);
    Ok((
        StatusCode::CREATED,
        [(header::SET_COOKIE, cookie)],
        Json(SessionResponse { token, user }),
    ))
}

/// Marks this browser as the rep's, so that opening their own sent emails or clicking their
/// links from it does not count as the prospect's engagement.
const VIEWER_COOKIE: &str = "cc_viewer";

pub(super) fn viewer_cookie(ctx: &ApiContext, user_id: UserId) -> String {
    let signature = ctx.secret.sign(&[user_id.to_string().as_bytes()]);
    let same_site = if ctx.public_url.starts_with("https://") {
        "None; Secure"
    } else {
        "Lax"
    };
    format!(
        "{VIEWER_COOKIE}={user_id}.{}; Path=/t/; Max-Age=31536000; HttpOnly; SameSite={same_site}",
        signature
    )
}

/// The rep whose browser this is, from a cookie the server signed.
pub fn viewer_rep(ctx: &ApiContext, headers: &axum::http::HeaderMap) -> Option<UserId> {
    let value = super::extract::cookie(headers, VIEWER_COOKIE)?;
    let (user_id, signature) = value.split_once('.')?;
    ctx.secret
        .verify(&[user_id.as_bytes()], signature)
        .then(|| user_id.parse().ok())?
}

async fn log_in(
    State(ctx): State<ApiContext>,
    ClientAddress(address): ClientAddress,
    JsonBody(request): JsonBody<LoginRequest>,
) -> Result<Opened> {
    let email = request.email.trim().to_lowercase();
    if email.is_empty() {
        return Err(Error::Unprocessable {
            field: "email".into(),
            message: Text::fixed(
                "Enter your email address.",
                "メールアドレスを入力してください。",
            ),
        });
    }
    // No address is longer (RFC 5321's path limit); nothing longer is kept or hashed.
    if email.len() > MAX_EMAIL_LEN {
        return Err(Error::Unprocessable {
            field: "email".into(),
            message: Text::fixed(
                "An email address has at most 254 characters.",
                "メールアドレスは 254 文字までです。",
            ),
        });
    }
    if request.password.is_empty() {
        return Err(Error::Unprocessable {
            field: "password".into(),
            message: Text::fixed("Enter your password.", "パスワードを入力してください。"),
        });
    }
    if !ctx.config.password_sign_in {
        return Err(Error::Forbidden(Text::fixed(
            "Sign in with your organisation's single sign-on: passwords are turned off here.",
            "組織のシングルサインオンでサインインしてください（ここではパスワードは使えません）。",
        )));
    }
    let limits = &ctx.sign_in_limits;
    let key = AccountKey::of(&email);
    // Counted as a failure from here until the password proves right.
    limits.begin(&key, address).map_err(not_now)?;
    let row: Option<LoginRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS}, password_hash, deactivated_at FROM users WHERE email = $1"
    )))
    .bind(&email)
    .fetch_optional(&ctx.db)
    .await?;
    // An unknown email, or one whose password is not set yet, is hashed against a stand-in, so
    // it costs what a wrong password costs.
    let phc = row
        .as_ref()
        .map(|row| row.password_hash.clone())
        .filter(|phc| !phc.is_empty());
    let matches = limits
        .verify(request.password, phc)
        .await
        .map_err(not_now)?;
    let known = row.as_ref().map(|row| row.user.id);
    let Some(row) = row.filter(|_| matches) else {
        // What was typed is kept only when it names an account: a password typed into the email
        // box by mistake is not written to the log.
        let said = if known.is_some() {
            email
        } else {
            "an email with no account".to_owned()
        };
        Audit::of(AuditAction::SignInFailed, known, address)
            .saying(said)
            .record(&ctx)
            .await?;
        return Err(Error::Unauthorized(Text::fixed(
            "That email and password do not match an account.",
            "メールアドレスとパスワードが一致するアカウントがありません。",
        )));
    };
    if row.deactivated_at.is_some() {
        Audit::of(AuditAction::SignInFailed, Some(row.user.id), address)
            .saying("deactivated")
            .record(&ctx)
            .await?;
        return Err(Error::Unauthorized(Text::fixed(
            "This account is deactivated; ask your admin.",
            "このアカウントは無効になっています。管理者にお問い合わせください。",
        )));
    }
    limits.succeeded(&key, address);
    let user = User::from(row.user);
    Audit::of(AuditAction::SignedIn, Some(user.id), address)
        .saying("password")
        .record(&ctx)
        .await?;
    open_session(&ctx, user).await
}

pub(super) fn not_now(not_now: NotNow) -> Error {
    match not_now {
        NotNow::Throttled(wait) => {
            let seconds = crate::rate_limits::retry_after_secs(wait);
            Error::TooManyRequests {
                retry_after: seconds,
                message: Text::new(
                    format!("Too many failed sign-ins; try again in {seconds} s."),
                    format!(
                        "サインインの失敗が多すぎます。{seconds} 秒後にもう一度お試しください。"
                    ),
                ),
            }
        }
        NotNow::Busy => Error::Unavailable {
            retry_after: 2,
            message: Text::fixed(
                "The server is busy signing others in; try again in a moment.",
                "サーバーが混み合っています。少ししてからもう一度お試しください。",
            ),
        },
    }
}

async fn log_out(State(ctx): State<ApiContext>, current: CurrentUser) -> Result<StatusCode> {
    ctx.sessions.ended(&current.token_hash);
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(&current.token_hash)
        .execute(&ctx.db)
        .await?;
    ctx.sessions_ended(Ended::Session(current.token_hash));
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every session of the rep, this one too: for a lost laptop or a shared computer.
async fn log_out_everywhere(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
) -> Result<StatusCode> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(current.id())
        .execute(&ctx.db)
        .await?;
    ctx.sessions_ended(Ended::User(current.id()));
    Ok(StatusCode::NO_CONTENT)
}

pub async fn delete_expired_sessions(db: &crate::db::Db) -> sqlx::Result<u64> {
    let deleted = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now_ms())
        .execute(db)
        .await?;
    Ok(deleted.rows_affected())
}

async fn me(current: CurrentUser) -> Json<User> {
    Json(current.user)
}

/// Changes the rep's defaults for new emails.
async fn update_me(
    State(ctx): State<ApiContext>,
    current: CurrentUser,
    super::extract::JsonBody(patch): super::extract::JsonBody<api::MePatch>,
) -> Result<Json<User>> {
    let mut user = current.user;
    sqlx::query(
        "UPDATE users SET track_opens = COALESCE($1, track_opens), track_links = COALESCE($2, track_links)
         WHERE id = $3",
    )
    .bind(patch.track_opens)
    .bind(patch.track_links)
    .bind(user.id)
    .execute(&ctx.db)
    .await?;
    user.track_opens = patch.track_opens.unwrap_or(user.track_opens);
    user.track_links = patch.track_links.unwrap_or(user.track_links);
    // A remembered session holds the user as it was: forget it, so the next request reads anew.
    ctx.user_changed(user.id);
    Ok(Json(user))
}
