//! Handing a deactivated user's work to another: their people, emails (held scheduled ones go
//! out from the receiver when due), tasks, campaigns, templates and saved searches.

use super::{Actor, Error, Result};
use api::users::{AccountStatus, HandedOver};
use api::{Id, Text, UserId};
use sqlx::AnyConnection;

/// Moves everything `from` owns to `to`, in the caller's transaction. A person the receiver
/// already has (the same address) is merged into theirs: the emails, events, tasks and campaign
/// places follow, an opt-out or do-not-contact mark is kept, the copy is deleted. A campaign,
/// template or saved search whose name the receiver already uses is renamed "name (from-name)".
pub async fn hand_over(
    conn: &mut AnyConnection,
    actor: Actor,
    from: UserId,
    to: UserId,
    now: i64,
) -> Result<HandedOver> {
    actor.require_admin()?;
    let giver = super::load(conn, from).await?;
    if giver.status != AccountStatus::Deactivated {
        return Err(Error::Conflict(Text::fixed(
            "Deactivate the user before handing over their work.",
            "引き継ぐ前にユーザーを無効にしてください。",
        )));
    }
    let receiver = super::load(conn, to)
        .await
        .map_err(|_| Error::unprocessable("to", super::NO_SUCH_USER))?;
    if to == from || receiver.status == AccountStatus::Deactivated {
        return Err(Error::unprocessable(
            "to",
            Text::fixed(
                "Hand the work to another, active user.",
                "引き継ぎ先には、有効な別のユーザーを選んでください。",
            ),
        ));
    }

    let pairs: Vec<(Id, Id)> = sqlx::query_as(
        "SELECT f.id, t.id FROM people f
         JOIN people t ON t.owner_id = $2 AND t.email_key = f.email_key AND t.deleted_at IS NULL
         WHERE f.owner_id = $1 AND f.deleted_at IS NULL",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    for (copy, kept) in &pairs {
        for sql in [
            "UPDATE emails SET person_id = $2 WHERE person_id = $1",
            "UPDATE email_events SET person_id = $2 WHERE person_id = $1",
            "UPDATE tasks SET person_id = $2 WHERE person_id = $1",
            "UPDATE campaign_people SET person_id = $2 WHERE person_id = $1",
            "UPDATE people SET
                 opted_out_at = COALESCE(opted_out_at, (SELECT opted_out_at FROM people WHERE id = $1)),
                 do_not_contact_at = COALESCE(do_not_contact_at,
                                              (SELECT do_not_contact_at FROM people WHERE id = $1))
             WHERE id = $2",
        ] {
            sqlx::query(sql).bind(copy).bind(kept).execute(&mut *conn).await?;
        }
        sqlx::query("UPDATE people SET deleted_at = $2, updated_at = $2 WHERE id = $1")
            .bind(copy)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    }

    for table in ["campaigns", "templates", "saved_searches"] {
        // The table names are this list's, never a request's.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {table} SET name = name || ' (' || $3 || ')'
             WHERE owner_id = $1 AND name IN (SELECT name FROM {table} WHERE owner_id = $2)"
        )))
        .bind(from)
        .bind(to)
        .bind(&giver.name)
        .execute(&mut *conn)
        .await?;
    }

    let mut moved = HandedOver {
        people_merged: pairs.len() as u64,
        ..HandedOver::default()
    };
    for table in [
        "people",
        "emails",
        "tasks",
        "campaigns",
        "templates",
        "saved_searches",
    ] {
        let done = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {table} SET owner_id = $2 WHERE owner_id = $1"
        )))
        .bind(from)
        .bind(to)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        match table {
            "people" => moved.people = done,
            "emails" => moved.emails = done,
            "tasks" => moved.tasks = done,
            "campaigns" => moved.campaigns = done,
            "templates" => moved.templates = done,
            _ => {}
        }
    }
    // The merged copies were moved too (deleted): count only the people who arrived.
    moved.people -= moved.people_merged.min(moved.people);
    Ok(moved)
}
