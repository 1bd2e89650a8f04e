//! Campaigns: a rep's sequences of steps (`steps`) that the people enrolled in them move through
//! (`progress`, by `api::sequence`'s rules), with the rules for naming one and enrolling people,
//! and their own error type; `http::campaigns` translates requests and errors.

pub mod control;
pub mod enrolments;
pub mod progress;
pub mod report;
pub mod steps;

use crate::time::now_ms;
use api::Text;
use api::{Campaign, CampaignId, CampaignPeople, Id, PersonId, UserId};
use sqlx::AnyConnection;

crate::rules::domain_error!();

pub type Result<T, E = Error> = std::result::Result<T, E>;

pub const NO_SUCH_CAMPAIGN: Text = Text::fixed(
    "There is no campaign with that id.",
    "その ID のキャンペーンはありません。",
);

const MAX_NAME_CHARS: usize = 200;
/// At most this many people added in one request (a search result's size).
const MAX_ADD: usize = 5000;

/// A campaign with its people and emails counted (each one index probe; migration 0008).
macro_rules! select_campaign {
    ($clause:literal) => {
        concat!(
            "SELECT c.id, c.name,
                (SELECT COUNT(*) FROM campaign_people m WHERE m.campaign_id = c.id) AS people,
                (SELECT COUNT(*) FROM emails e WHERE e.campaign_id = c.id) AS emails,
                (SELECT COUNT(*) FROM campaign_steps s WHERE s.campaign_id = c.id) AS steps,
                (SELECT COUNT(*) FILTER (WHERE m.state = 'active') FROM campaign_people m
                 WHERE m.campaign_id = c.id) AS active,
                (SELECT COUNT(*) FILTER (WHERE m.state = 'paused') FROM campaign_people m
                 WHERE m.campaign_id = c.id) AS paused,
                (SELECT COUNT(*) FILTER (WHERE m.state = 'finished') FROM campaign_people m
                 WHERE m.campaign_id = c.id) AS finished,
                (SELECT COUNT(*) FILTER (WHERE m.finish_reason = 'replied') FROM campaign_people m
                 WHERE m.campaign_id = c.id) AS replied,
                (SELECT COUNT(*) FILTER (WHERE m.finish_reason = 'bounced') FROM campaign_people m
                 WHERE m.campaign_id = c.id) AS bounced,
                c.paused_at
             FROM campaigns c ",
            $clause
        )
    };
}

/// The rep's campaigns by name (the bench runs it bare, too).
pub const CAMPAIGN_LIST_SQL: &str = select_campaign!("WHERE c.owner_id = $1 ORDER BY c.name, c.id");

#[derive(sqlx::FromRow)]
struct CampaignRow {
    id: CampaignId,
    name: String,
    people: i64,
    emails: i64,
    steps: i64,
    active: i64,
    paused: i64,
    finished: i64,
    replied: i64,
    bounced: i64,
    paused_at: Option<i64>,
}

impl From<CampaignRow> for Campaign {
    fn from(row: CampaignRow) -> Self {
        let count = |n: i64| n as u64;
        Campaign {
            id: row.id,
            name: row.name,
            people: count(row.people),
            emails: count(row.emails),
            steps: count(row.steps),
            active: count(row.active),
            paused: count(row.paused),
            finished: count(row.finished),
            replied: count(row.replied),
            bounced: count(row.bounced),
            paused_at: crate::time::from_ms_opt(row.paused_at),
        }
    }
}

/// The rep's campaigns by name.
pub async fn list(db: &crate::db::Db, owner: UserId) -> Result<Vec<Campaign>> {
    let rows: Vec<CampaignRow> = sqlx::query_as(CAMPAIGN_LIST_SQL)
        .bind(owner)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(Campaign::from).collect())
}

pub async fn load(conn: &mut AnyConnection, owner: UserId, id: CampaignId) -> Result<Campaign> {
    let row: Option<CampaignRow> =
        sqlx::query_as(select_campaign!("WHERE c.id = $1 AND c.owner_id = $2"))
            .bind(id)
            .bind(owner)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(Campaign::from)
        .ok_or(Error::NotFound(NO_SUCH_CAMPAIGN))
}

fn parse_name(name: &str) -> Result<String> {
    let asked = Text::fixed(
        "Give the campaign a name.",
        "キャンペーン名を入力してください。",
    );
    Ok(Error::one_line("name", name, MAX_NAME_CHARS, asked)?.into_string())
}

/// No other campaign of the rep's (than `except`) is called `name` (409).
async fn check_name_free(
    conn: &mut AnyConnection,
    owner: UserId,
    name: &str,
    except: Option<CampaignId>,
) -> Result<()> {
    let taken: Option<(Id,)> =
        sqlx::query_as("SELECT id FROM campaigns WHERE owner_id = $1 AND name = $2 AND id <> $3")
            .bind(owner)
            .bind(name)
            .bind(except.unwrap_or_default())
            .fetch_optional(&mut *conn)
            .await?;
    match taken {
        Some(_) => Err(Error::Conflict(Text::new(
            format!("You already have a campaign called “{name}”."),
            format!("「{name}」という名前のキャンペーンはすでにあります。"),
        ))),
        None => Ok(()),
    }
}

/// Creates a campaign of the rep's under a name none of theirs has.
pub async fn create(db: &crate::db::Db, owner: UserId, name: &str) -> Result<Campaign> {
    let name = parse_name(name)?;
    let mut tx = crate::db::begin_write(db).await?;
    check_name_free(&mut tx, owner, &name, None).await?;
    let (id,): (CampaignId,) = sqlx::query_as(
        "INSERT INTO campaigns (owner_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(owner)
    .bind(&name)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    let campaign = load(&mut tx, owner, id).await?;
    tx.commit().await?;
    Ok(campaign)
}

/// Adds people to one of the rep's campaigns as members an email was sent to, without starting
/// its sequence for them; each of them must be the rep's.
pub async fn add_members(
    conn: &mut AnyConnection,
    owner: UserId,
    campaign_id: CampaignId,
    person_ids: &[PersonId],
) -> Result<()> {
    check_owned(conn, owner, person_ids).await?;
    let ids = crate::db::id_list(person_ids.iter().copied());
    sqlx::query(
        "INSERT INTO campaign_people (campaign_id, person_id, added_at)
         SELECT $1, CAST(value AS BIGINT), $3 FROM json_each($2) WHERE true
         ON CONFLICT (campaign_id, person_id) DO NOTHING",
    )
    .bind(campaign_id)
    .bind(&ids)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Every one of `person_ids` is the rep's (422 naming how many are not).
async fn check_owned(
    conn: &mut AnyConnection,
    owner: UserId,
    person_ids: &[PersonId],
) -> Result<()> {
    let ids = crate::db::id_list(person_ids.iter().copied());
    let (owned,): (i64,) = sqlx::query_as(
        "SELECT COUNT(DISTINCT id) FROM people
         WHERE owner_id = $1 AND deleted_at IS NULL AND id IN (SELECT CAST(value AS BIGINT) FROM json_each($2))",
    )
    .bind(owner)
    .bind(&ids)
    .fetch_one(&mut *conn)
    .await?;
    let distinct = person_ids
        .iter()
        .collect::<std::collections::HashSet<_>>()
        .len();
    if owned as usize != distinct {
        return Err(Error::unprocessable(
            "person_ids",
            Text::new(
                format!(
                    "{} of these are not among your people; nobody was added.",
                    distinct - owned as usize
                ),
                format!(
                    "{} 人はあなたの連絡先にありません。誰も追加していません。",
                    distinct - owned as usize
                ),
            ),
        ));
    }
    Ok(())
}

/// Adds the people of a request to one of the rep's campaigns (all of them the rep's, else
/// nobody), enrolling them in its sequence as `enrolments::enrol` does.
pub async fn add_people(
    db: &crate::db::Db,
    owner: UserId,
    id: CampaignId,
    request: &CampaignPeople,
) -> Result<Campaign> {
    check_count(&request.person_ids)?;
    let mut tx = crate::db::begin_write(db).await?;
    load(&mut tx, owner, id).await?;
    check_owned(&mut tx, owner, &request.person_ids).await?;
    enrolments::enrol(
        &mut tx,
        owner,
        id,
        &request.person_ids,
        api::Lang::En,
        now_ms(),
    )
    .await?;
    let campaign = load(&mut tx, owner, id).await?;
    tx.commit().await?;
    Ok(campaign)
}

/// One request enrols at least one person and at most `MAX_ADD`.
pub fn check_count(person_ids: &[PersonId]) -> Result<()> {
    if person_ids.is_empty() {
        return Err(Error::unprocessable(
            "person_ids",
            Text::fixed("Select at least one person.", "1 人以上選んでください。"),
        ));
    }
    if person_ids.len() > MAX_ADD {
        return Err(Error::unprocessable(
            "person_ids",
            Text::new(
                format!("Add at most {MAX_ADD} people at a time."),
                format!("一度に追加できるのは {MAX_ADD} 人までです。"),
            ),
        ));
    }
    Ok(())
}
