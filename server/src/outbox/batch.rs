//! Select and Send on the server: every recipient's copy is checked (their subject, that each is
//! the rep's, that no merge field comes out empty) and its body sanitized before the write lock
//! is taken ([`prepare`]); then, under the lock, the recipients are checked once more and all
//! emails are written a hundred rows a statement in the caller's transaction
//! ([`Prepared::write`]). So a refused batch sends nothing, and a group email of 1,000 holds
//! the lock for a dozen statements, not for its checks.

use super::Error;
use super::{check_campaign, check_template, future_send_at, parse_body, parse_subject};
use crate::time::now_ms;
use api::batch::{unfilled_fields, BatchCreated, NewBatch};
use api::merge::MergeValues;
use api::Text;
use api::{EmailStatus, PersonId, UserId};
use sqlx::AnyConnection;
use std::collections::HashMap;

/// How many people a refusal names before "and N more".
const NAMED_IN_REFUSAL: usize = 10;

/// The first people of a refusal, then how many more: English and Japanese.
fn named(people: &[String], separator: &str) -> (String, String) {
    let named = people[..people.len().min(NAMED_IN_REFUSAL)].join(separator);
    match people.len().checked_sub(NAMED_IN_REFUSAL) {
        Some(more) if more > 0 => (
            format!("{named} and {more} more"),
            format!("{named} ほか {more} 人"),
        ),
        _ => (named.clone(), named),
    }
}

#[derive(sqlx::FromRow)]
struct Recipient {
    id: PersonId,
    #[sqlx(try_from = "crate::db::Flag")]
    opted_out: bool,
    first_name: String,
    last_name: String,
    company: String,
    title: String,
}

/// A batch checked and ready to write: each recipient's subject and sanitized body.
pub struct Prepared {
    owner: UserId,
    campaign_id: Option<api::CampaignId>,
    template_id: Option<api::TemplateId>,
    status: EmailStatus,
    scheduled_at: Option<i64>,
    track_opens: Option<bool>,
    track_links: Option<bool>,
    copies: Vec<(PersonId, String, String)>,
}

/// Rows per `INSERT`: 14 values each, far under either database's limit on parameters.
const ROWS_PER_STATEMENT: usize = 100;

/// Checks the batch and makes each copy, reading with `conn` (no lock needed: [`Prepared::write`]
/// checks again what may change meanwhile).
pub async fn prepare(
    conn: &mut AnyConnection,
    owner: UserId,
    batch: &NewBatch,
) -> Result<Prepared, Error> {
    batch
        .check_shape()
        .map_err(|(field, message)| Error::unprocessable(field, message))?;
    check_campaign(conn, owner, batch.campaign_id).await?;
    check_template(conn, owner, batch.template_id).await?;
    let (status, scheduled_at) = match batch.send_at {
        Some(at) => (EmailStatus::Scheduled, Some(future_send_at(Some(at))?)),
        None => (EmailStatus::InProgress, None),
    };

    let ids: Vec<PersonId> = batch.recipients.iter().map(|r| r.person_id).collect();
    let people: HashMap<PersonId, Recipient> = sqlx::query_as::<_, Recipient>(
        "SELECT id, COALESCE(opted_out_at, do_not_contact_at) IS NOT NULL AS opted_out, first_name,
                last_name, company, title
         FROM people
         WHERE owner_id = $1 AND deleted_at IS NULL AND id IN (SELECT CAST(value AS BIGINT) FROM json_each($2))",
    )
    .bind(owner)
    .bind(crate::db::id_list(ids.iter().copied()))
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|p| (p.id, p))
    .collect();
    if people.len() != ids.len() {
        return Err(Error::unprocessable(
            "recipients",
            Text::new(
                format!(
                    "{} of these people are not among yours. Nothing was sent.",
                    ids.len() - people.len()
                ),
                format!(
                    "{} 人はあなたの連絡先にありません。何も送信していません。",
                    ids.len() - people.len()
                ),
            ),
        ));
    }

    // People who opted out are named, and nothing is sent until they are left out.
    let opted_out: Vec<String> = batch
        .recipients
        .iter()
        .map(|r| &people[&r.person_id])
        .filter(|p| p.opted_out)
        .map(|p| api::full_name(&p.first_name, &p.last_name))
        .collect();
    if !opted_out.is_empty() {
        let (en, ja) = named(&opted_out, ", ");
        return Err(Error::unprocessable(
            "recipients",
            Text::new(
                format!("These people unsubscribed from your emails or are marked do not contact; leave them out: {en}. Nothing was sent."),
                format!("次の人は配信停止または連絡不可です。宛先から外してください: {ja}。何も送信していません。"),
            ),
        ));
    }

    let mut copies = Vec::with_capacity(ids.len());
    let mut unfilled = Vec::new();
    // Copies not edited share the batch's body: it is checked and sanitized once, not once per
    // recipient (1,000 sanitizings of the same text were most of a group email's time).
    let mut sanitized: HashMap<&str, String> = HashMap::new();
    for recipient in &batch.recipients {
        let person = &people[&recipient.person_id];
        let (subject, body) = batch.copy_for(recipient);
        let subject = parse_subject(subject)?;
        let body = match sanitized.get(body) {
            Some(done) => done.clone(),
            None => {
                let done = parse_body(body)?;
                sanitized.insert(body, done.clone());
                done
            }
        };
        let values = MergeValues {
            first_name: person.first_name.clone(),
            last_name: person.last_name.clone(),
            company: person.company.clone(),
            title: person.title.clone(),
        };
        let missing = unfilled_fields(&subject, &body, &values);
        if !missing.is_empty() {
            let name = api::full_name(&person.first_name, &person.last_name);
            unfilled.push(format!("{name} ({})", missing.join(", ")));
        }
        copies.push((recipient.person_id, subject, body));
    }
    if !unfilled.is_empty() {
        let count = unfilled.len();
        let (en, ja) = named(&unfilled, "; ");
        return Err(Error::unprocessable(
            "recipients",
            Text::new(
                format!(
                    "A merge field would be empty for {count} of them: {en}. Edit their copies or leave them out. Nothing was sent."
                ),
                format!(
                    "{count} 人で差し込み項目が空になります: {ja}。その人の文面を編集するか、宛先から外してください。何も送信していません。"
                ),
            ),
        ));
    }

    Ok(Prepared {
        owner,
        campaign_id: batch.campaign_id,
        template_id: batch.template_id,
        status,
        scheduled_at,
        track_opens: batch.track_opens,
        track_links: batch.track_links,
        copies,
    })
}

impl Prepared {
    /// Writes every copy in `tx`, a write transaction, after checking that the campaign, the
    /// template and every recipient are as they were when prepared.
    pub async fn write(self, tx: &mut AnyConnection) -> Result<BatchCreated, Error> {
        check_campaign(tx, self.owner, self.campaign_id).await?;
        check_template(tx, self.owner, self.template_id).await?;
        let ids = crate::db::id_list(self.copies.iter().map(|(person, _, _)| *person));
        let (still,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM people
             WHERE owner_id = $1 AND deleted_at IS NULL AND opted_out_at IS NULL
               AND do_not_contact_at IS NULL
               AND id IN (SELECT CAST(value AS BIGINT) FROM json_each($2))",
        )
        .bind(self.owner)
        .bind(ids)
        .fetch_one(&mut *tx)
        .await?;
        if still as usize != self.copies.len() {
            return Err(Error::Conflict(Text::fixed(
                "Some of these people were deleted, unsubscribed or marked do not contact while the emails were being prepared. Nothing was sent; send again to see who.",
                "メールの準備中に、宛先の一部が削除・配信停止・連絡不可になりました。何も送信していません。もう一度送信すると、誰かがわかります。",
            )));
        }
        let now = now_ms();
        let mut created = Vec::with_capacity(self.copies.len());
        for chunk in self.copies.chunks(ROWS_PER_STATEMENT) {
            created.extend(self.insert(tx, chunk, now).await?);
        }
        Ok(BatchCreated {
            ids: created,
            status: self.status,
        })
    }

    /// One multi-row `INSERT` of `chunk`; the new ids in the chunk's order.
    async fn insert(
        &self,
        tx: &mut AnyConnection,
        chunk: &[(PersonId, String, String)],
        now: i64,
    ) -> Result<Vec<api::EmailId>, Error> {
        const COLUMNS: usize = 14;
        let rows: Vec<String> = (0..chunk.len())
            .map(|row| {
                let first = row * COLUMNS + 1;
                let mut values: Vec<String> =
                    (first..first + COLUMNS).map(|n| format!("${n}")).collect();
                // The channel, the same for every row, after `is_bulk`.
                values.insert(7, "'msc'".to_owned());
                format!("({})", values.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO emails (owner_id, person_id, campaign_id, subject, body_html, status,
                                 is_bulk, channel, created_at, updated_at, scheduled_at, folder_at,
                                 track_opens, track_links, template_id)
             VALUES {} RETURNING id, person_id",
            rows.join(", ")
        );
        let mut query = sqlx::query_as::<_, (api::EmailId, PersonId)>(sqlx::AssertSqlSafe(sql));
        for (person_id, subject, body_html) in chunk {
            query = query
                .bind(self.owner)
                .bind(*person_id)
                .bind(self.campaign_id)
                .bind(subject.as_str())
                .bind(body_html.as_str())
                .bind(self.status.as_str())
                .bind(true)
                .bind(now)
                .bind(now)
                .bind(self.scheduled_at)
                .bind(self.scheduled_at.unwrap_or(now))
                .bind(self.track_opens)
                .bind(self.track_links)
                .bind(self.template_id);
        }
        let written: HashMap<PersonId, api::EmailId> = query
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|(id, person)| (person, id))
            .collect();
        Ok(chunk.iter().map(|(person, _, _)| written[person]).collect())
    }
}
