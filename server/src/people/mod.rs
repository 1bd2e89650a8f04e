//! A rep's people: adding, changing, deleting (softly: their emails and events stay, and the
//! rep can undo it), and the rep's own do-not-contact mark. One person per email address per
//! rep, whatever its case; the database's unique index holds that even between two requests at
//! once. `import` takes in a CSV.

pub mod export;
pub mod import;

use crate::db::Db;
use crate::time::now_ms;
use api::people::{FieldError, PeoplePage, PeopleSort, PersonFields, PersonPatch, ValidPerson};
use api::{CampaignId, EmailId, Person, PersonId, TaskId, Text, UserId};

#[derive(Debug, thiserror::Error)]
pub enum PeopleError {
    #[error("{}", .0.message.en)]
    Invalid(FieldError),
    /// Another of the rep's people has this email address.
    #[error("{email} is already {name}'s address")]
    Duplicate {
        id: PersonId,
        name: String,
        email: String,
    },
    /// Absent, deleted, or another rep's.
    #[error("no such person")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl PeopleError {
    /// What the rep reads.
    pub fn text(&self) -> Text {
        match self {
            PeopleError::Invalid(error) => error.message.clone(),
            PeopleError::Duplicate { name, email, .. } => Text::new(
                format!("{email} is already the address of {name}, one of your people."),
                format!("{email} はすでにあなたの連絡先「{name}」さんのアドレスです。"),
            ),
            PeopleError::NotFound => Text::fixed("No such person.", "その人は見つかりません。"),
            PeopleError::Db(_) => Text::fixed("A database error.", "データベースのエラーです。"),
        }
    }
}

/// A query of `Person` rows; a macro so that `concat!` keeps every query a static string.
macro_rules! select_people {
    ($clause:literal $(,)?) => {
        concat!(
            "SELECT id, first_name, last_name, email, company, title, phone, linkedin_url,
                    opted_out_at IS NOT NULL AS opted_out,
                    do_not_contact_at IS NOT NULL AS do_not_contact
             FROM people ",
            $clause
        )
    };
}
pub(crate) use select_people;

/// The people list's rows: owner, LIKE pattern (`%%` for all), then limit and offset.
macro_rules! people_page {
    () => {
        select_people!(
            "WHERE owner_id = $1 AND deleted_at IS NULL
               AND ($2 = '%%' OR lower(first_name) LIKE lower($2) ESCAPE '\\'
                    OR lower(last_name) LIKE lower($2) ESCAPE '\\'
                    OR lower(email) LIKE lower($2) ESCAPE '\\'
                    OR lower(company) LIKE lower($2) ESCAPE '\\'
                    OR lower(title) LIKE lower($2) ESCAPE '\\')
             ORDER BY ",
        )
    };
}

#[derive(sqlx::FromRow)]
pub struct PersonRow {
    pub id: PersonId,
    first_name: String,
    last_name: String,
    email: String,
    company: String,
    title: String,
    phone: String,
    linkedin_url: String,
    #[sqlx(try_from = "crate::db::Flag")]
    opted_out: bool,
    #[sqlx(try_from = "crate::db::Flag")]
    do_not_contact: bool,
}

impl From<PersonRow> for Person {
    fn from(row: PersonRow) -> Self {
        Person {
            id: row.id,
            name: api::full_name(&row.first_name, &row.last_name),
            first_name: row.first_name,
            last_name: row.last_name,
            email: row.email,
            company: row.company,
            title: row.title,
            phone: row.phone,
            linkedin_url: row.linkedin_url,
            opted_out: row.opted_out,
            do_not_contact: row.do_not_contact,
        }
    }
}

/// One of the rep's people who is not deleted.
pub async fn get(db: &Db, owner: UserId, id: PersonId) -> Result<Person, PeopleError> {
    let row: Option<PersonRow> = sqlx::query_as(select_people!(
        "WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL"
    ))
    .bind(id)
    .bind(owner)
    .fetch_optional(db)
    .await?;
    row.map(Person::from).ok_or(PeopleError::NotFound)
}

/// The person of the rep's who has this email address, if any.
async fn with_email(
    conn: &mut sqlx::AnyConnection,
    owner: UserId,
    key: &str,
) -> Result<Option<(PersonId, String)>, sqlx::Error> {
    let row: Option<(PersonId, String, String)> = sqlx::query_as(
        "SELECT id, first_name, last_name FROM people
         WHERE owner_id = $1 AND email_key = $2 AND deleted_at IS NULL",
    )
    .bind(owner)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id, first, last)| (id, api::full_name(&first, &last))))
}

fn duplicate(existing: (PersonId, String), email: &str) -> PeopleError {
    PeopleError::Duplicate {
        id: existing.0,
        name: existing.1,
        email: email.to_owned(),
    }
}

pub async fn create(db: &Db, owner: UserId, fields: PersonFields) -> Result<Person, PeopleError> {
    let person = fields.parse().map_err(PeopleError::Invalid)?;
    let mut tx = crate::db::begin_write(db).await?;
    if let Some(existing) = with_email(&mut tx, owner, &person.email_key()).await? {
        return Err(duplicate(existing, &person.fields().email));
    }
    let id = insert(&mut tx, owner, &person).await?;
    tx.commit().await?;
    get(db, owner, id).await
}

/// Adds a person; the caller has made sure no other has their address.
pub(crate) async fn insert(
    conn: &mut sqlx::AnyConnection,
    owner: UserId,
    person: &ValidPerson,
) -> Result<PersonId, sqlx::Error> {
    let f = person.fields();
    let now = now_ms();
    let (id,): (PersonId,) = sqlx::query_as(
        "INSERT INTO people (owner_id, first_name, last_name, email, email_key, company, title,
                             phone, linkedin_url, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(owner)
    .bind(&f.first_name)
    .bind(&f.last_name)
    .bind(&f.email)
    .bind(person.email_key())
    .bind(&f.company)
    .bind(&f.title)
    .bind(&f.phone)
    .bind(&f.linkedin_url)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Writes a person's fields over an existing person's.
pub(crate) async fn overwrite(
    conn: &mut sqlx::AnyConnection,
    owner: UserId,
    id: PersonId,
    person: &ValidPerson,
) -> Result<(), sqlx::Error> {
    let f = person.fields();
    sqlx::query(
        "UPDATE people SET first_name = $1, last_name = $2, email = $3, email_key = $4, company = $5,
                title = $6, phone = $7, linkedin_url = $8, updated_at = $9
         WHERE id = $10 AND owner_id = $11",
    )
    .bind(&f.first_name)
    .bind(&f.last_name)
    .bind(&f.email)
    .bind(person.email_key())
    .bind(&f.company)
    .bind(&f.title)
    .bind(&f.phone)
    .bind(&f.linkedin_url)
    .bind(now_ms())
    .bind(id)
    .bind(owner)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn update(
    db: &Db,
    owner: UserId,
    id: PersonId,
    patch: PersonPatch,
) -> Result<Person, PeopleError> {
    let before = get(db, owner, id).await?;
    let person = patch
        .apply(PersonFields::from(&before))
        .parse()
        .map_err(PeopleError::Invalid)?;
    let mut tx = crate::db::begin_write(db).await?;
    if let Some(existing) = with_email(&mut tx, owner, &person.email_key()).await? {
        if existing.0 != id {
            return Err(duplicate(existing, &person.fields().email));
        }
    }
    overwrite(&mut tx, owner, id, &person).await?;
    if let Some(mark) = patch.do_not_contact {
        // Only the rep's own mark changes: a person's opt-out is theirs to keep.
        sqlx::query(
            "UPDATE people SET do_not_contact_at = CASE WHEN $1 THEN COALESCE(do_not_contact_at, $2)
                                                  END
             WHERE id = $3 AND owner_id = $4",
        )
        .bind(mark)
        .bind(now_ms())
        .bind(id)
        .bind(owner)
        .execute(&mut *tx)
        .await?;
        if mark {
            let whose = crate::campaigns::progress::Whose::Person(id);
            let event = api::sequence::Event::OptedOut;
            crate::campaigns::progress::apply(&mut tx, whose, event, now_ms()).await?;
        }
    }
    tx.commit().await?;
    get(db, owner, id).await
}

/// Deletes (or with `restore`, brings back) the rep's people among `ids`; returns how many
/// changed. A person brought back whose address another person took since stays deleted.
/// An id that is not the rep's makes the whole request not found: nothing changes.
pub async fn set_deleted(
    db: &Db,
    owner: UserId,
    ids: &[PersonId],
    delete: bool,
) -> Result<u64, PeopleError> {
    let distinct = ids.iter().collect::<std::collections::HashSet<_>>().len();
    let person_ids = ids;
    let ids = crate::db::id_list(person_ids.iter().copied());
    let (known,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM people WHERE owner_id = $1 AND id IN (SELECT CAST(value AS BIGINT) FROM json_each($2))",
    )
    .bind(owner)
    .bind(&ids)
    .fetch_one(db)
    .await?;
    if known as usize != distinct {
        return Err(PeopleError::NotFound);
    }
    let changed = if delete {
        let now = now_ms();
        let mut tx = crate::db::begin_write(db).await?;
        let changed = sqlx::query(
            "UPDATE people SET deleted_at = $1 WHERE owner_id = $2 AND deleted_at IS NULL
               AND id IN (SELECT CAST(value AS BIGINT) FROM json_each($3))",
        )
        .bind(now)
        .bind(owner)
        .bind(&ids)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // Someone deleted leaves every campaign they are in, as if the rep removed them: their
        // scheduled step is not sent, their open step task leaves the list. A restore does not
        // put them back (the rep enrols them again).
        for &id in person_ids {
            crate::campaigns::progress::apply(
                &mut tx,
                crate::campaigns::progress::Whose::Person(id),
                api::sequence::Event::Removed,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        changed
    } else {
        sqlx::query(
            "UPDATE people SET deleted_at = NULL WHERE owner_id = $1 AND deleted_at IS NOT NULL
               AND id IN (SELECT CAST(value AS BIGINT) FROM json_each($2))
               AND NOT EXISTS (SELECT 1 FROM people o WHERE o.owner_id = $1
                                 AND o.email_key = people.email_key AND o.deleted_at IS NULL)",
        )
        .bind(owner)
        .bind(ids)
        .execute(db)
        .await?
        .rows_affected()
    };
    Ok(changed)
}

/// Whether the person is the rep's, deleted or not (a restore of a deleted one is not a 404).
pub async fn exists(db: &Db, owner: UserId, id: PersonId) -> Result<bool, sqlx::Error> {
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM people WHERE id = $1 AND owner_id = $2")
            .bind(id)
            .bind(owner)
            .fetch_optional(db)
            .await?;
    Ok(found.is_some())
}

/// One page of the rep's people matching `q` (name, email, company or title), in `sort` order.
pub async fn list(
    db: &Db,
    owner: UserId,
    q: &str,
    sort: PeopleSort,
    offset: u64,
    limit: u64,
) -> Result<PeoplePage, sqlx::Error> {
    let pattern = format!("%{}%", crate::search::escape_like(q.trim()));
    let sql = match sort {
        PeopleSort::Name => concat!(
            people_page!(),
            "last_name, first_name, id LIMIT $3 OFFSET $4"
        ),
        PeopleSort::Company => concat!(
            people_page!(),
            "company = '', company, last_name, first_name, id LIMIT $3 OFFSET $4"
        ),
        PeopleSort::Email => concat!(people_page!(), "email_key, id LIMIT $3 OFFSET $4"),
        PeopleSort::Added => concat!(
            people_page!(),
            "created_at DESC, id DESC LIMIT $3 OFFSET $4"
        ),
    };
    let rows: Vec<PersonRow> = sqlx::query_as(sql)
        .bind(owner)
        .bind(&pattern)
        .bind(limit as i64)
        .bind(offset as i64)
        .fetch_all(db)
        .await?;
    let (total,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM people WHERE owner_id = $1 AND deleted_at IS NULL
           AND ($2 = '%%' OR lower(first_name) LIKE lower($2) ESCAPE '\\'
                OR lower(last_name) LIKE lower($2) ESCAPE '\\'
                OR lower(email) LIKE lower($2) ESCAPE '\\'
                OR lower(company) LIKE lower($2) ESCAPE '\\'
                OR lower(title) LIKE lower($2) ESCAPE '\\')",
    )
    .bind(owner)
    .bind(&pattern)
    .fetch_one(db)
    .await?;
    let total = total as u64;
    let next = offset + rows.len() as u64;
    Ok(PeoplePage {
        items: rows.into_iter().map(Person::from).collect(),
        total,
        next_offset: (next < total && next > offset).then_some(next),
    })
}

/// The campaigns the person is in, the order they joined them.
pub async fn campaigns(
    db: &Db,
    owner: UserId,
    id: PersonId,
) -> Result<Vec<api::CampaignRef>, sqlx::Error> {
    let rows: Vec<(CampaignId, String)> = sqlx::query_as(
        "SELECT c.id, c.name FROM campaign_people cp JOIN campaigns c ON c.id = cp.campaign_id
         WHERE cp.person_id = $1 AND c.owner_id = $2 ORDER BY cp.added_at, c.id",
    )
    .bind(id)
    .bind(owner)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| api::CampaignRef { id, name })
        .collect())
}

/// What happened with the person, newest first: emails sent, their views, clicks, replies,
/// bounces and complaints, tasks due and done, and their opt-out. The newest 500.
pub async fn timeline(
    db: &Db,
    owner: UserId,
    id: PersonId,
) -> Result<Vec<api::people::TimelineEntry>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        at: i64,
        kind: String,
        what: String,
        email_id: Option<EmailId>,
        task_id: Option<TaskId>,
        url: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT ev.occurred_at AS at, ev.kind AS kind, e.subject AS what, e.id AS email_id,
                CAST(NULL AS BIGINT) AS task_id, ev.url AS url
         FROM email_events ev JOIN emails e ON e.id = ev.email_id
         WHERE e.person_id = $1 AND e.owner_id = $2
         UNION ALL
         SELECT e.sent_at, 'sent', e.subject, e.id, NULL, NULL FROM emails e
         WHERE e.person_id = $1 AND e.owner_id = $2 AND e.sent_at IS NOT NULL
         UNION ALL
         SELECT CASE WHEN t.status = 'completed' THEN t.completed_at ELSE t.due_at END,
                CASE WHEN t.status = 'completed' THEN 'task_done' ELSE 'task_due' END,
                t.title, NULL, t.id, NULL
         FROM tasks t
         WHERE t.person_id = $1 AND t.owner_id = $2 AND t.deleted_at IS NULL
           AND ((t.status = 'completed' AND t.completed_at IS NOT NULL)
                OR (t.status = 'open' AND t.due_at IS NOT NULL))
         UNION ALL
         SELECT opted_out_at, 'opted_out', '', NULL, NULL, NULL FROM people
         WHERE id = $1 AND owner_id = $2 AND opted_out_at IS NOT NULL
         ORDER BY at DESC LIMIT 500",
    )
    .bind(id)
    .bind(owner)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(api::people::TimelineEntry {
                at: crate::time::from_ms(row.at),
                kind: row.kind.parse::<api::people::TimelineKind>().ok()?,
                what: row.what,
                email_id: row.email_id,
                task_id: row.task_id,
                url: row.url,
            })
        })
        .collect())
}

/// When the person opted out, and when the rep marked them do not contact.
pub async fn contact_marks(
    db: &Db,
    owner: UserId,
    id: PersonId,
) -> Result<(Option<i64>, Option<i64>), sqlx::Error> {
    let row: Option<(Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT opted_out_at, do_not_contact_at FROM people WHERE id = $1 AND owner_id = $2",
    )
    .bind(id)
    .bind(owner)
    .fetch_optional(db)
    .await?;
    Ok(row.unwrap_or_default())
}
