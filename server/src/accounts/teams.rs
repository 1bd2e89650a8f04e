//! Teams: named groups of users; a manager views the data of their team's members.

use super::{Actor, Error, Result};
use api::users::{Team, TeamInput};
use api::{Id, TeamId, Text, UserId};
use sqlx::AnyConnection;

pub const NO_SUCH_TEAM: Text = Text::fixed("There is no such team.", "そのチームはありません。");

fn parse(input: &TeamInput) -> Result<String> {
    let asked = Text::fixed("Name the team.", "チーム名を入力してください。");
    Ok(super::one_line_name(&input.name, asked)?.into_string())
}

fn unique_name(error: sqlx::Error) -> Error {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => Error::Conflict(Text::fixed(
            "A team with that name already exists.",
            "その名前のチームはすでにあります。",
        )),
        _ => Error::Database(error),
    }
}

/// Every team with its member count and managers' names (anyone signed in may read them: a
/// user's team is shown beside their name).
pub async fn list(conn: &mut AnyConnection) -> Result<Vec<Team>> {
    let teams: Vec<(TeamId, String)> =
        sqlx::query_as("SELECT id, name FROM teams ORDER BY name, id")
            .fetch_all(&mut *conn)
            .await?;
    let members: Vec<(TeamId, String, String)> = sqlx::query_as(
        "SELECT team_id, role, name FROM users
         WHERE team_id IS NOT NULL AND deactivated_at IS NULL ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(teams
        .into_iter()
        .map(|(id, name)| {
            let of_team = members.iter().filter(|(team, _, _)| *team == id);
            Team {
                id,
                name,
                members: of_team.clone().count() as u64,
                managers: of_team
                    .filter(|(_, role, _)| role == "manager")
                    .map(|(_, _, name)| name.clone())
                    .collect(),
            }
        })
        .collect())
}

async fn one(conn: &mut AnyConnection, id: TeamId) -> Result<Team> {
    list(conn)
        .await?
        .into_iter()
        .find(|team| team.id == id)
        .ok_or(Error::NotFound(NO_SUCH_TEAM))
}

pub async fn create(
    conn: &mut AnyConnection,
    actor: Actor,
    input: &TeamInput,
    now: i64,
) -> Result<Team> {
    actor.require_admin()?;
    let name = parse(input)?;
    let (id,): (Id,) =
        sqlx::query_as("INSERT INTO teams (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(&name)
            .bind(now)
            .fetch_one(&mut *conn)
            .await
            .map_err(unique_name)?;
    one(conn, TeamId(id)).await
}

pub async fn rename(
    conn: &mut AnyConnection,
    actor: Actor,
    id: TeamId,
    input: &TeamInput,
) -> Result<Team> {
    actor.require_admin()?;
    let name = parse(input)?;
    let renamed = sqlx::query("UPDATE teams SET name = $1 WHERE id = $2")
        .bind(&name)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(unique_name)?;
    if renamed.rows_affected() == 0 {
        return Err(Error::NotFound(NO_SUCH_TEAM));
    }
    one(conn, id).await
}

/// Deletes a team; its members stay, in no team (their managers no longer see them). Answers
/// who they were: what each may see has changed.
pub async fn delete(conn: &mut AnyConnection, actor: Actor, id: TeamId) -> Result<Vec<UserId>> {
    actor.require_admin()?;
    let members: Vec<(UserId,)> = sqlx::query_as("SELECT id FROM users WHERE team_id = $1")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    // Said explicitly: SQLite's ON DELETE SET NULL needs foreign keys on, which a copy may not.
    sqlx::query("UPDATE users SET team_id = NULL WHERE team_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let deleted = sqlx::query("DELETE FROM teams WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(Error::NotFound(NO_SUCH_TEAM));
    }
    Ok(members.into_iter().map(|(member,)| member).collect())
}
