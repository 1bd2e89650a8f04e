//! Saved searches (dynamic lists): a rep's named queries, kept at the current query version,
//! and which matching emails the rep has already seen in each. What a search matches is
//! `crate::search`'s; this module keeps the lists.

use crate::db::Db;
use crate::search::Found;
use api::search::SearchQuery;
use api::{EmailId, SavedSearchId, Text, UserId};
use std::collections::BTreeSet;

crate::rules::domain_error!();

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The most saved searches a rep keeps: every one is rerun for its member count.
pub const MAX_SAVED: usize = 200;

const MAX_NAME_CHARS: usize = 100;

const NOT_FOUND: Text = Text::fixed(
    "There is no saved search with that id.",
    "その ID の保存済み検索はありません。",
);

/// A saved search's name: trimmed, 1 to 100 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub fn parse(text: &str) -> Result<Name> {
        let asked = Text::fixed("Name the search.", "検索に名前を付けてください。");
        Ok(Name(
            Error::one_line("name", text, MAX_NAME_CHARS, asked)?.into_string(),
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A saved search as kept, at this version.
pub struct Stored {
    pub id: SavedSearchId,
    pub name: Name,
    pub query: SearchQuery,
    /// The version 1 query it was saved with, until the rep has been told its meaning changed.
    pub previous: Option<SearchQuery>,
}

type StoredRow = (SavedSearchId, String, String, Option<String>);

fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    Ok(serde_json::from_str(text).map_err(anyhow::Error::from)?)
}

fn to_json(value: &impl serde::Serialize) -> Result<String> {
    Ok(serde_json::to_string(value).map_err(anyhow::Error::from)?)
}

fn unique_name(error: sqlx::Error) -> Error {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => Error::Conflict(Text::fixed(
            "You already have a saved search with that name.",
            "その名前の保存済み検索はすでにあります。",
        )),
        _ => Error::Database(error),
    }
}

/// A stored row; a version 1 query is upgraded and written back once, with the query it was
/// saved with when its meaning changed.
async fn stored(db: &Db, (id, name, text, previous): StoredRow) -> Result<Stored> {
    let saved: SearchQuery = parse_json(&text)?;
    let previous: Option<SearchQuery> = previous.as_deref().map(parse_json).transpose()?;
    // Names were checked when written; one over the limit now is kept as it is.
    let name = Name(name);
    if saved.version >= api::search::QUERY_VERSION {
        return Ok(Stored {
            id,
            name,
            query: saved,
            previous,
        });
    }
    let upgrade = saved.upgrade();
    // Guarded by the text read, so a concurrent edit is never overwritten.
    sqlx::query(
        "UPDATE saved_searches SET query = $1, previous_query = $2 WHERE id = $3 AND query = $4",
    )
    .bind(to_json(&upgrade.query)?)
    .bind(upgrade.previous.as_ref().map(to_json).transpose()?)
    .bind(id)
    .bind(&text)
    .execute(db)
    .await?;
    Ok(Stored {
        id,
        name,
        query: upgrade.query,
        previous: upgrade.previous,
    })
}

/// The rep's saved search with this id (as given in a path); another rep's is not found.
pub async fn load(db: &Db, owner: UserId, id: &str) -> Result<Stored> {
    let id: i64 = id.parse().map_err(|_| Error::NotFound(NOT_FOUND))?;
    let row: Option<StoredRow> = sqlx::query_as(
        "SELECT id, name, query, previous_query FROM saved_searches WHERE id = $1 AND owner_id = $2",
    )
    .bind(id)
    .bind(owner)
    .fetch_optional(db)
    .await?;
    stored(db, row.ok_or(Error::NotFound(NOT_FOUND))?).await
}

/// Every saved search of the rep, by name.
pub async fn list(db: &Db, owner: UserId) -> Result<Vec<Stored>> {
    let rows: Vec<StoredRow> = sqlx::query_as(
        "SELECT id, name, query, previous_query FROM saved_searches WHERE owner_id = $1 ORDER BY name, id",
    )
    .bind(owner)
    .fetch_all(db)
    .await?;
    let mut kept = Vec::with_capacity(rows.len());
    for row in rows {
        kept.push(stored(db, row).await?);
    }
    Ok(kept)
}

/// Keeps a new saved search (its query already checked and at this version).
pub async fn create(
    db: &Db,
    owner: UserId,
    name: Name,
    query: SearchQuery,
    now: i64,
) -> Result<Stored> {
    let (saved,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM saved_searches WHERE owner_id = $1")
            .bind(owner)
            .fetch_one(db)
            .await?;
    if saved >= MAX_SAVED as i64 {
        return Err(Error::unprocessable(
            "name",
            Text::new(
                format!("You can keep at most {MAX_SAVED} saved searches; delete one first."),
                format!("保存できる検索は {MAX_SAVED} 件までです。先に 1 件削除してください。"),
            ),
        ));
    }
    let (id,): (SavedSearchId,) = sqlx::query_as(
        "INSERT INTO saved_searches (owner_id, name, query, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(owner)
    .bind(name.as_str())
    .bind(to_json(&query)?)
    .bind(now)
    .bind(now)
    .fetch_one(db)
    .await
    .map_err(unique_name)?;
    Ok(Stored {
        id,
        name,
        query,
        previous: None,
    })
}

/// Writes back a saved search's name, query and pending notice.
pub async fn update(db: &Db, stored: &Stored, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE saved_searches SET name = $1, query = $2, previous_query = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(stored.name.as_str())
    .bind(to_json(&stored.query)?)
    .bind(stored.previous.as_ref().map(to_json).transpose()?)
    .bind(now)
    .bind(stored.id)
    .execute(db)
    .await
    .map_err(unique_name)?;
    Ok(())
}

pub async fn delete(db: &Db, stored: Stored) -> Result<()> {
    sqlx::query("DELETE FROM saved_searches WHERE id = $1")
        .bind(stored.id)
        .execute(db)
        .await?;
    Ok(())
}

/// The emails the rep has already seen in this saved search.
pub async fn seen(db: &Db, search_id: SavedSearchId) -> Result<BTreeSet<EmailId>> {
    let rows: Vec<(EmailId,)> =
        sqlx::query_as("SELECT email_id FROM saved_search_seen_emails WHERE search_id = $1")
            .bind(search_id)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(email,)| email).collect())
}

/// Records every email matching now as seen in the saved search; its meaning has been told.
pub async fn mark_seen(db: &Db, search_id: SavedSearchId, matches: &[Found]) -> Result<()> {
    let mut tx = crate::db::begin_write(db).await?;
    sqlx::query("DELETE FROM saved_search_seen_emails WHERE search_id = $1")
        .bind(search_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO saved_search_seen_emails (search_id, email_id) SELECT $1, CAST(value AS BIGINT) FROM json_each($2)",
    )
    .bind(search_id)
    .bind(crate::db::id_list(matches.iter().map(|m| m.email)))
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE saved_searches SET previous_query = NULL WHERE id = $1")
        .bind(search_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
