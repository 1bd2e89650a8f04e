//! Links that set a password: issued when an admin creates a user or resets a password, valid a
//! week, used once; a newer link replaces an unused older one. Only a hash of each token is kept.

use super::{Error, Result, NO_SUCH_USER};
use crate::password;
use crate::time::from_ms;
use api::users::InvitationInfo;
use api::{Text, UserId};
use sqlx::AnyConnection;

pub const LIFETIME_MS: i64 = 7 * 24 * 60 * 60 * 1000;

const NOT_VALID: Text = Text::fixed(
    "This link is not valid any more (used, replaced or expired): ask your admin for a new one.",
    "このリンクは使えません（使用済み・再発行済み・期限切れ）。管理者に新しいリンクを依頼してください。",
);

/// A new link's token for `user` (returned once, never stored).
pub async fn issue(conn: &mut AnyConnection, user: UserId, by: UserId, now: i64) -> Result<String> {
    sqlx::query("DELETE FROM invitations WHERE user_id = $1 AND used_at IS NULL")
        .bind(user)
        .execute(&mut *conn)
        .await?;
    let token = password::new_token();
    sqlx::query(
        "INSERT INTO invitations (token_hash, user_id, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(password::token_hash(&token))
    .bind(user)
    .bind(by)
    .bind(now)
    .bind(now + LIFETIME_MS)
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

#[derive(sqlx::FromRow)]
struct Valid {
    user_id: UserId,
    name: String,
    email: String,
    expires_at: i64,
}

async fn valid(conn: &mut AnyConnection, token: &str, now: i64) -> Result<Valid> {
    let found: Option<Valid> = sqlx::query_as(
        "SELECT i.user_id, u.name, u.email, i.expires_at
         FROM invitations i JOIN users u ON u.id = i.user_id
         WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2
           AND u.deactivated_at IS NULL",
    )
    .bind(password::token_hash(token))
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    found.ok_or(Error::NotFound(NOT_VALID))
}

/// Whom a valid link is for.
pub async fn info(conn: &mut AnyConnection, token: &str, now: i64) -> Result<InvitationInfo> {
    let valid = valid(conn, token, now).await?;
    Ok(InvitationInfo {
        name: valid.name,
        email: valid.email,
        expires_at: from_ms(valid.expires_at),
    })
}

/// Uses a link: the user's password becomes `phc` (checked and hashed by the caller) and every
/// session they had ends. Returns the user.
pub async fn accept(conn: &mut AnyConnection, token: &str, phc: &str, now: i64) -> Result<UserId> {
    let valid = valid(conn, token, now).await?;
    let used = sqlx::query(
        "UPDATE invitations SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
    )
    .bind(now)
    .bind(password::token_hash(token))
    .execute(&mut *conn)
    .await?;
    if used.rows_affected() != 1 {
        return Err(Error::NotFound(NOT_VALID));
    }
    super::set_password(conn, valid.user_id, phc, None).await?;
    Ok(valid.user_id)
}

/// The email that carries a link, in the user's language, from the admin who issued it.
pub struct LinkMail<'a> {
    pub from_name: &'a str,
    pub from_email: &'a str,
    pub to_name: &'a str,
    pub to_email: &'a str,
    pub locale: &'a str,
    pub link: &'a str,
    /// A reset rather than a first invitation.
    pub reset: bool,
    pub message_id: &'a str,
}

impl LinkMail<'_> {
    pub fn message(&self) -> Result<lettre::Message> {
        use lettre::message::{header::ContentType, Mailbox};
        let bad = |_| Error::unprocessable("email", NO_SUCH_USER);
        let from = Mailbox::new(
            Some(self.from_name.to_owned()),
            self.from_email.parse().map_err(bad)?,
        );
        let to = Mailbox::new(
            Some(self.to_name.to_owned()),
            self.to_email.parse().map_err(bad)?,
        );
        let (subject, body) = match (self.locale, self.reset) {
            ("ja", false) => (
                "Command Center への招待".to_owned(),
                format!(
                    "{} さん\n\n{} さんが Command Center にあなたを招待しました。\n次のリンクからパスワードを設定してください（7 日間有効、1 回限り）:\n\n{}\n",
                    self.to_name, self.from_name, self.link
                ),
            ),
            ("ja", true) => (
                "Command Center のパスワード再設定".to_owned(),
                format!(
                    "{} さん\n\n{} さんがパスワードをリセットしました。\n次のリンクから新しいパスワードを設定してください（7 日間有効、1 回限り）:\n\n{}\n",
                    self.to_name, self.from_name, self.link
                ),
            ),
            (_, false) => (
                "You're invited to Command Center".to_owned(),
                format!(
                    "Hello {},\n\n{} invited you to Command Center.\nSet your password with this link (valid for 7 days, once):\n\n{}\n",
                    self.to_name, self.from_name, self.link
                ),
            ),
            (_, true) => (
                "Set a new Command Center password".to_owned(),
                format!(
                    "Hello {},\n\n{} reset your password.\nSet a new one with this link (valid for 7 days, once):\n\n{}\n",
                    self.to_name, self.from_name, self.link
                ),
            ),
        };
        lettre::Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .message_id(Some(self.message_id.to_owned()))
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| Error::unprocessable("email", Text::new(e.to_string(), e.to_string())))
    }
}
