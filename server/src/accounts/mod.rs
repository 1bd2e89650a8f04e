//! Users as an organisation runs them: admins create (by invitation), change, deactivate and
//! reactivate users and reset their passwords; teams group reps under managers, who may view
//! their team's data; every such act is written to the audit log.

pub mod audit;
pub mod hand_over;
pub mod invitations;
pub mod sso;
pub mod teams;

use crate::time::from_ms;
use api::users::{Account, AccountInput, AccountStatus};
use api::{Role, TeamId, Text, User, UserId};
use sqlx::AnyConnection;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Not a user (or team) the actor may see.
    #[error("{0}")]
    NotFound(Text),
    /// The actor's role does not allow it.
    #[error("{0}")]
    Forbidden(Text),
    /// Not allowed in the account's current state.
    #[error("{0}")]
    Conflict(Text),
    #[error("{message}")]
    Unprocessable { field: String, message: Text },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl Error {
    pub fn unprocessable(field: &str, message: Text) -> Self {
        Error::Unprocessable {
            field: field.to_owned(),
            message,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A user's or a team's name: one line of at most 100 characters (`api::OneLine`).
pub(crate) fn one_line_name(name: &str, asked: Text) -> Result<api::OneLine> {
    api::OneLine::parse(name, 100).map_err(|why| Error::unprocessable("name", why.message(asked)))
}

pub const NO_SUCH_USER: Text = Text::fixed("There is no such user.", "そのユーザーはいません。");

const ADMINS_ONLY: Text = Text::fixed(
    "Only an admin can manage users and teams.",
    "ユーザーとチームを管理できるのは管理者だけです。",
);

/// Who is acting, as far as the rules of access go.
#[derive(Clone, Copy, Debug)]
pub struct Actor {
    pub id: UserId,
    pub role: Role,
    pub team_id: Option<TeamId>,
}

impl From<&User> for Actor {
    fn from(user: &User) -> Self {
        Actor {
            id: user.id,
            role: user.role,
            team_id: user.team_id,
        }
    }
}

impl Actor {
    pub fn require_admin(&self) -> Result<()> {
        match self.role {
            Role::Admin => Ok(()),
            _ => Err(Error::Forbidden(ADMINS_ONLY)),
        }
    }
}

/// Whose data `actor` may read as `owner`: their own; a manager, their team members'; an admin,
/// anyone's. Writes stay with the data's owner.
pub async fn may_view(conn: &mut AnyConnection, actor: Actor, owner: UserId) -> Result<UserId> {
    if owner == actor.id {
        return Ok(owner);
    }
    let team: Option<(Option<TeamId>,)> = sqlx::query_as("SELECT team_id FROM users WHERE id = $1")
        .bind(owner)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((team,)) = team else {
        return Err(match actor.role {
            Role::Rep => Error::Forbidden(VIEW_AS_REFUSED),
            _ => Error::unprocessable("as", NO_SUCH_USER),
        });
    };
    match actor.role {
        Role::Admin => Ok(owner),
        Role::Manager if team.is_some() && team == actor.team_id => Ok(owner),
        _ => Err(Error::Forbidden(VIEW_AS_REFUSED)),
    }
}

const VIEW_AS_REFUSED: Text = Text::fixed(
    "You may view only your own data (a manager, their team's; an admin, everyone's).",
    "表示できるのは自分のデータだけです（マネージャーはチームの、管理者は全員のデータ）。",
);

#[derive(sqlx::FromRow)]
struct Row {
    id: UserId,
    email: String,
    name: String,
    role: String,
    team_id: Option<TeamId>,
    time_zone: String,
    locale: String,
    created_at: i64,
    deactivated_at: Option<i64>,
    invited: i64,
}

const SELECT: &str = "SELECT id, email, name, role, team_id, time_zone, locale, created_at,
        deactivated_at, CAST(CASE WHEN password_hash = '' THEN 1 ELSE 0 END AS BIGINT) AS invited
     FROM users";

impl From<Row> for Account {
    fn from(row: Row) -> Self {
        Account {
            id: row.id,
            email: row.email,
            name: row.name,
            role: row.role.parse::<Role>().unwrap_or(Role::Rep),
            team_id: row.team_id,
            time_zone: row.time_zone,
            locale: row.locale,
            status: match (row.deactivated_at, row.invited) {
                (Some(_), _) => AccountStatus::Deactivated,
                (None, 1) => AccountStatus::Invited,
                _ => AccountStatus::Active,
            },
            created_at: from_ms(row.created_at),
        }
    }
}

/// The users the actor may see: an admin, everyone; a manager, their team; by name.
pub async fn list(conn: &mut AnyConnection, actor: Actor) -> Result<Vec<Account>> {
    let rows: Vec<Row> = match actor.role {
        Role::Admin => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY name, id")))
                .fetch_all(&mut *conn)
                .await?
        }
        Role::Manager => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{SELECT} WHERE (team_id = $1 OR id = $2) ORDER BY name, id"
            )))
            .bind(actor.team_id)
            .bind(actor.id)
            .fetch_all(&mut *conn)
            .await?
        }
        Role::Rep => return Err(Error::Forbidden(ADMINS_ONLY)),
    };
    Ok(rows.into_iter().map(Account::from).collect())
}

pub async fn load(conn: &mut AnyConnection, id: UserId) -> Result<Account> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(Account::from).ok_or(Error::NotFound(NO_SUCH_USER))
}

/// An account's fields, checked.
struct Checked {
    email: String,
    name: String,
    time_zone: String,
    locale: String,
}

fn parse(input: &AccountInput) -> Result<Checked> {
    let email = input.email.trim().to_lowercase();
    if email.parse::<lettre::Address>().is_err() || email.chars().count() > 254 {
        return Err(Error::unprocessable(
            "email",
            Text::fixed(
                "Enter the user's email address (name@example.com).",
                "ユーザーのメールアドレスを入力してください（name@example.com）。",
            ),
        ));
    }
    let asked = Text::fixed(
        "Enter the user's name.",
        "ユーザーの名前を入力してください。",
    );
    let name = one_line_name(&input.name, asked)?;
    let name = name.as_str();
    let profile = check_profile(name, &input.time_zone, &input.locale)?;
    Ok(Checked {
        email,
        name: profile.name,
        time_zone: profile.time_zone,
        locale: profile.locale,
    })
}

/// A name, an IANA time zone and `ja`/`en`, as a user's profile holds them.
pub fn check_profile(name: &str, time_zone: &str, locale: &str) -> Result<api::users::Profile> {
    let name = one_line_name(
        name,
        Text::fixed("Enter a name.", "名前を入力してください。"),
    )?;
    let name = name.as_str();
    if time_zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(Error::unprocessable(
            "time_zone",
            Text::fixed(
                "Choose a time zone such as Asia/Tokyo.",
                "Asia/Tokyo のようなタイムゾーンを選んでください。",
            ),
        ));
    }
    if !matches!(locale, "ja" | "en") {
        return Err(Error::unprocessable(
            "locale",
            Text::fixed(
                "Choose Japanese (ja) or English (en).",
                "日本語（ja）か英語（en）を選んでください。",
            ),
        ));
    }
    Ok(api::users::Profile {
        name: name.to_owned(),
        time_zone: time_zone.to_owned(),
        locale: locale.to_owned(),
    })
}

async fn check_team(conn: &mut AnyConnection, team: Option<TeamId>) -> Result<()> {
    let Some(team) = team else { return Ok(()) };
    let found: Option<(TeamId,)> = sqlx::query_as("SELECT id FROM teams WHERE id = $1")
        .bind(team)
        .fetch_optional(&mut *conn)
        .await?;
    found.map(|_| ()).ok_or(Error::unprocessable(
        "team_id",
        Text::fixed("There is no such team.", "そのチームはありません。"),
    ))
}

fn unique_email(error: sqlx::Error) -> Error {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => Error::Conflict(Text::fixed(
            "A user with that email address already exists.",
            "そのメールアドレスのユーザーはすでにいます。",
        )),
        _ => Error::Database(error),
    }
}

/// Creates a user who has yet to choose a password (see `invitations`).
pub async fn create(
    conn: &mut AnyConnection,
    actor: Actor,
    input: &AccountInput,
    now: i64,
) -> Result<Account> {
    actor.require_admin()?;
    let checked = parse(input)?;
    check_team(conn, input.team_id).await?;
    let (id,): (UserId,) = sqlx::query_as(
        "INSERT INTO users (email, name, password_hash, role, team_id, time_zone, locale, created_at)
         VALUES ($1, $2, '', $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&checked.email)
    .bind(&checked.name)
    .bind(input.role.as_str())
    .bind(input.team_id)
    .bind(&checked.time_zone)
    .bind(&checked.locale)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(unique_email)?;
    load(conn, id).await
}

/// Changes a user's email, name, role, team, time zone and language. An admin cannot take away
/// their own admin role: some admin must remain to undo it.
pub async fn update(
    conn: &mut AnyConnection,
    actor: Actor,
    id: UserId,
    input: &AccountInput,
) -> Result<Account> {
    actor.require_admin()?;
    load(conn, id).await?;
    let checked = parse(input)?;
    check_team(conn, input.team_id).await?;
    if id == actor.id && input.role != Role::Admin {
        return Err(Error::Conflict(Text::fixed(
            "You cannot take away your own admin role.",
            "自分の管理者権限は外せません。",
        )));
    }
    sqlx::query(
        "UPDATE users SET email = $1, name = $2, role = $3, team_id = $4, time_zone = $5,
                locale = $6
         WHERE id = $7",
    )
    .bind(&checked.email)
    .bind(&checked.name)
    .bind(input.role.as_str())
    .bind(input.team_id)
    .bind(&checked.time_zone)
    .bind(&checked.locale)
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(unique_email)?;
    load(conn, id).await
}

/// Deactivates a user: they cannot sign in, their sessions and unused links end (the caller
/// tells the other instances), and the sender holds their scheduled emails.
pub async fn deactivate(
    conn: &mut AnyConnection,
    actor: Actor,
    id: UserId,
    now: i64,
) -> Result<Account> {
    actor.require_admin()?;
    load(conn, id).await?;
    if id == actor.id {
        return Err(Error::Conflict(Text::fixed(
            "You cannot deactivate yourself.",
            "自分自身を無効にはできません。",
        )));
    }
    sqlx::query("UPDATE users SET deactivated_at = COALESCE(deactivated_at, $1) WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    end_access(conn, id).await?;
    load(conn, id).await
}

/// Every session, stream ticket and unused link of a user ends.
pub async fn end_access(conn: &mut AnyConnection, id: UserId) -> Result<()> {
    for sql in [
        "DELETE FROM sessions WHERE user_id = $1",
        "DELETE FROM stream_tickets WHERE user_id = $1",
        "DELETE FROM invitations WHERE user_id = $1 AND used_at IS NULL",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Lets a deactivated user sign in again; their held emails go out when due.
pub async fn reactivate(conn: &mut AnyConnection, actor: Actor, id: UserId) -> Result<Account> {
    actor.require_admin()?;
    load(conn, id).await?;
    sqlx::query("UPDATE users SET deactivated_at = NULL WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    load(conn, id).await
}

/// An admin's reset: the old password stops working and every session ends; the user sets a
/// new one through the link the caller issues.
pub async fn reset_password(conn: &mut AnyConnection, actor: Actor, id: UserId) -> Result<Account> {
    actor.require_admin()?;
    let account = load(conn, id).await?;
    if account.status == AccountStatus::Deactivated {
        return Err(Error::Conflict(Text::fixed(
            "Reactivate the user before resetting their password.",
            "パスワードをリセットする前にユーザーを有効にしてください。",
        )));
    }
    sqlx::query("UPDATE users SET password_hash = '' WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    end_access(conn, id).await?;
    load(conn, id).await
}

/// The stored hash of a user's password (empty while unset).
pub async fn password_hash(conn: &mut AnyConnection, id: UserId) -> Result<String> {
    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound(NO_SUCH_USER))?;
    Ok(hash)
}

/// Sets a user's password (already checked and hashed); their other sessions end, except the
/// one kept (the session changing it).
pub async fn set_password(
    conn: &mut AnyConnection,
    id: UserId,
    phc: &str,
    keep_session: Option<&str>,
) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(phc)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(id)
        .bind(keep_session.unwrap_or(""))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A user's own name, time zone and language.
pub async fn set_profile(
    conn: &mut AnyConnection,
    id: UserId,
    profile: &api::users::Profile,
) -> Result<api::users::Profile> {
    let checked = check_profile(&profile.name, &profile.time_zone, &profile.locale)?;
    sqlx::query("UPDATE users SET name = $1, time_zone = $2, locale = $3 WHERE id = $4")
        .bind(&checked.name)
        .bind(&checked.time_zone)
        .bind(&checked.locale)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(checked)
}

/// `id`'s name, for messages and the audit log.
pub async fn name_of(conn: &mut AnyConnection, id: UserId) -> Result<String> {
    Ok(load(conn, id).await?.name)
}

/// The user signing in from elsewhere (a portal, an identity provider) by their address: an
/// existing one, or, when `team` is configured, a new rep in that team (made if missing), who
/// has no password here. `None`: unknown and not to be provisioned.
pub async fn find_or_provision(
    conn: &mut AnyConnection,
    email: &str,
    name: Option<&str>,
    team: Option<&str>,
    now: i64,
) -> Result<Option<UserId>> {
    let found: Option<(UserId,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some((id,)) = found {
        return Ok(Some(id));
    }
    let Some(team) = team else { return Ok(None) };
    sqlx::query(
        "INSERT INTO teams (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(team)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let (team_id,): (TeamId,) = sqlx::query_as("SELECT id FROM teams WHERE name = $1")
        .bind(team)
        .fetch_one(&mut *conn)
        .await?;
    // A name from elsewhere is one line of at most 100 characters; else the address's local part.
    let name: String = name
        .map(|n| {
            n.replace(['\r', '\n'], " ")
                .trim()
                .chars()
                .take(100)
                .collect::<String>()
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| email.split('@').next().unwrap_or(email).to_owned());
    let (id,): (UserId,) = sqlx::query_as(
        "INSERT INTO users (email, name, password_hash, role, team_id, time_zone, locale, created_at)
         VALUES ($1, $2, '', 'rep', $3, 'UTC', 'en', $4) RETURNING id",
    )
    .bind(email)
    .bind(&name)
    .bind(team_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(unique_email)?;
    Ok(Some(id))
}
