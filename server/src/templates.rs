//! Email templates: a rep's reusable subject and body, listed with how the emails made from each
//! have done, and checked when an email or a step names one.

use crate::time::{from_ms, now_ms};
use api::templates::{Template, TemplateInput, TemplateUsage};
use api::{Id, TemplateId, Text, UserId};
use sqlx::AnyConnection;

crate::rules::domain_error!();

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The most templates a rep keeps: the picker lists them all.
pub const MAX_TEMPLATES: i64 = 500;
const MAX_NAME_CHARS: usize = 100;

pub const NO_SUCH_TEMPLATE: Text = Text::fixed(
    "There is no template with that id.",
    "その ID のテンプレートはありません。",
);

/// A template's fields, checked: a name, a one-line subject, a body sanitized as an email's.
struct Checked {
    name: String,
    subject: String,
    body: String,
}

fn parse(input: &TemplateInput) -> Result<Checked> {
    let asked = Text::fixed("Name the template.", "テンプレートに名前を付けてください。");
    let name = Error::one_line("name", &input.name, MAX_NAME_CHARS, asked)?;
    let name = name.as_str();
    // A template's subject and body follow an email's rules.
    let as_ours = |error| match error {
        crate::outbox::Error::Unprocessable { field, message } => {
            Error::Unprocessable { field, message }
        }
        other => Error::Internal(anyhow::anyhow!("{other}")),
    };
    let subject = crate::outbox::parse_subject(&input.subject).map_err(as_ours)?;
    if input.body.trim().is_empty() {
        return Err(Error::unprocessable(
            "body",
            Text::fixed(
                "Write the template's body.",
                "テンプレートの本文を入力してください。",
            ),
        ));
    }
    let body = crate::outbox::parse_body(&input.body).map_err(as_ours)?;
    Ok(Checked {
        name: name.to_owned(),
        subject,
        body,
    })
}

fn unique_name(error: sqlx::Error) -> Error {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => Error::Conflict(Text::fixed(
            "You already have a template with that name.",
            "その名前のテンプレートはすでにあります。",
        )),
        _ => Error::Database(error),
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: TemplateId,
    name: String,
    subject: String,
    body: String,
    updated_at: i64,
    sent: i64,
    viewed: i64,
    clicked: i64,
    replied: i64,
}

/// Templates with their emails counted (one pass over `emails_template`'s entries).
const SELECT: &str = "SELECT t.id, t.name, t.subject, t.body, t.updated_at,
        COUNT(e.id) AS sent,
        COUNT(*) FILTER (WHERE e.views > 0) AS viewed,
        COUNT(*) FILTER (WHERE e.clicks > 0) AS clicked,
        COUNT(*) FILTER (WHERE e.replies > 0) AS replied
     FROM templates t
     LEFT JOIN emails e ON e.template_id = t.id AND e.sent_at IS NOT NULL";

impl From<Row> for Template {
    fn from(row: Row) -> Self {
        Template {
            id: row.id,
            name: row.name,
            subject: row.subject,
            body: row.body,
            updated_at: from_ms(row.updated_at),
            usage: TemplateUsage {
                sent: row.sent as u64,
                viewed: row.viewed as u64,
                clicked: row.clicked as u64,
                replied: row.replied as u64,
            },
        }
    }
}

/// The rep's templates by name.
pub async fn list(conn: &mut AnyConnection, owner: UserId) -> Result<Vec<Template>> {
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE t.owner_id = $1 GROUP BY t.id ORDER BY t.name, t.id"
    )))
    .bind(owner)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(Template::from).collect())
}

pub async fn load(conn: &mut AnyConnection, owner: UserId, id: TemplateId) -> Result<Template> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE t.id = $1 AND t.owner_id = $2 GROUP BY t.id"
    )))
    .bind(id)
    .bind(owner)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(Template::from)
        .ok_or(Error::NotFound(NO_SUCH_TEMPLATE))
}

pub async fn create(
    conn: &mut AnyConnection,
    owner: UserId,
    input: &TemplateInput,
) -> Result<Template> {
    let checked = parse(input)?;
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM templates WHERE owner_id = $1")
        .bind(owner)
        .fetch_one(&mut *conn)
        .await?;
    if count >= MAX_TEMPLATES {
        return Err(Error::Conflict(Text::new(
            format!("You can keep at most {MAX_TEMPLATES} templates; delete one first."),
            format!("テンプレートは {MAX_TEMPLATES} 個までです。先にどれかを削除してください。"),
        )));
    }
    let now = now_ms();
    let (id,): (TemplateId,) = sqlx::query_as(
        "INSERT INTO templates (owner_id, name, subject, body, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(owner)
    .bind(&checked.name)
    .bind(&checked.subject)
    .bind(&checked.body)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(unique_name)?;
    load(conn, owner, id).await
}

/// Changes a template. Emails and steps already written from it keep their text.
pub async fn edit(
    conn: &mut AnyConnection,
    owner: UserId,
    id: TemplateId,
    input: &TemplateInput,
) -> Result<Template> {
    let checked = parse(input)?;
    let updated = sqlx::query(
        "UPDATE templates SET name = $1, subject = $2, body = $3, updated_at = $4
         WHERE id = $5 AND owner_id = $6",
    )
    .bind(&checked.name)
    .bind(&checked.subject)
    .bind(&checked.body)
    .bind(now_ms())
    .bind(id)
    .bind(owner)
    .execute(&mut *conn)
    .await
    .map_err(unique_name)?;
    if updated.rows_affected() == 0 {
        return Err(Error::NotFound(NO_SUCH_TEMPLATE));
    }
    load(conn, owner, id).await
}

/// Deletes a template; the emails and steps written from it keep their text and forget it.
pub async fn delete(conn: &mut AnyConnection, owner: UserId, id: TemplateId) -> Result<()> {
    let deleted = sqlx::query("DELETE FROM templates WHERE id = $1 AND owner_id = $2")
        .bind(id)
        .bind(owner)
        .execute(&mut *conn)
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(Error::NotFound(NO_SUCH_TEMPLATE));
    }
    Ok(())
}

/// Whether `id` (when given) is one of the rep's templates: an email or step naming another's,
/// or one deleted meanwhile, is refused on `template_id`.
pub async fn is_owned(
    conn: &mut AnyConnection,
    owner: UserId,
    id: Option<TemplateId>,
) -> sqlx::Result<bool> {
    let Some(id) = id else {
        return Ok(true);
    };
    let found: Option<(Id,)> =
        sqlx::query_as("SELECT id FROM templates WHERE id = $1 AND owner_id = $2")
            .bind(id)
            .bind(owner)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

/// The refusal for a `template_id` that is not the rep's.
pub const NOT_YOURS: Text = Text::fixed(
    "Choose one of your templates.",
    "あなたのテンプレートから選んでください。",
);
