//! A campaign as a whole: renamed, paused and resumed, deleted once nobody is in it. Like every
//! function that moves people through a sequence, these take the time as `now` (an HTTP request
//! passes the wall clock; the sequence differential test drives a simulated one).

use super::{check_name_free, load, parse_name, progress, Error, Result};
use api::{Campaign, CampaignId, Text, UserId};
use sqlx::AnyConnection;

/// Gives one of the rep's campaigns a new name none of their others has.
pub async fn rename(
    conn: &mut AnyConnection,
    owner: UserId,
    id: CampaignId,
    name: &str,
) -> Result<Campaign> {
    load(conn, owner, id).await?;
    let name = parse_name(name)?;
    check_name_free(conn, owner, &name, Some(id)).await?;
    sqlx::query("UPDATE campaigns SET name = $1 WHERE id = $2")
        .bind(&name)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    load(conn, owner, id).await
}

/// Pauses the whole campaign: no step is created in it and none of its scheduled emails (its
/// steps', and any the rep scheduled as part of it) is sent until it is resumed: the sender's due
/// query holds them. Pausing a paused one changes nothing.
pub async fn pause(
    conn: &mut AnyConnection,
    owner: UserId,
    id: CampaignId,
    now: i64,
) -> Result<Campaign> {
    load(conn, owner, id).await?;
    sqlx::query("UPDATE campaigns SET paused_at = $1 WHERE id = $2 AND paused_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    load(conn, owner, id).await
}

/// Resumes a paused campaign: its held emails whose time passed are sent from now, and everyone
/// active whose step was done while it was paused gets their next one, due from now. People
/// the rep paused one by one stay paused.
pub async fn resume(
    conn: &mut AnyConnection,
    owner: UserId,
    id: CampaignId,
    now: i64,
) -> Result<Campaign> {
    let campaign = load(conn, owner, id).await?;
    if campaign.paused_at.is_none() {
        return Ok(campaign);
    }
    sqlx::query("UPDATE campaigns SET paused_at = NULL WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    // Its held emails (steps' and the rep's own sent as part of it), except those of people
    // paused one by one, whose stay held.
    sqlx::query(
        "UPDATE emails SET scheduled_at = $1, folder_at = $1, updated_at = $1
         WHERE campaign_id = $2 AND status = 'scheduled' AND scheduled_at < $1
           AND NOT EXISTS (SELECT 1 FROM campaign_people m
                           WHERE m.pending_email_id = emails.id AND m.state = 'paused')",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    progress::start_waiting(conn, id, now).await?;
    load(conn, owner, id).await
}

/// Deletes a campaign nobody is active or paused in. Its steps and its list of people go; the
/// emails and tasks made for it stay where they are, no longer part of a campaign.
pub async fn delete(conn: &mut AnyConnection, owner: UserId, id: CampaignId) -> Result<()> {
    let campaign = load(conn, owner, id).await?;
    let running = campaign.active + campaign.paused;
    if running > 0 {
        return Err(Error::Conflict(Text::new(
            format!(
                "{running} people are still in this campaign; remove them or let them finish first."
            ),
            format!(
                "このキャンペーンにはまだ {running} 人が進行中です。先に外すか、完了を待ってください。"
            ),
        )));
    }
    for statement in [
        "UPDATE emails SET campaign_id = NULL, campaign_step_id = NULL WHERE campaign_id = $1",
        "UPDATE tasks SET campaign_id = NULL, campaign_step_id = NULL WHERE campaign_id = $1",
        "DELETE FROM campaigns WHERE id = $1",
    ] {
        sqlx::query(statement).bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}
