//! Select and Send on the server: every recipient's copy is checked (their subject, that each is
//! the rep's, that no merge field comes out empty) before anything is written, then all emails
//! are created in the caller's transaction. So a refused batch sends nothing.

use super::Error;
use super::{
    check_campaign, check_template, future_send_at, insert, parse_body, parse_subject, Insert,
};
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

pub async fn create(
    conn: &mut AnyConnection,
    owner: UserId,
    batch: &NewBatch,
) -> Result<BatchCreated, Error> {
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

    let mut created = Vec::with_capacity(copies.len());
    for (person_id, subject, body_html) in copies {
        let row = Insert {
            owner,
            person_id,
            campaign_id: batch.campaign_id,
            template_id: batch.template_id,
            subject: &subject,
            body_html: &body_html,
            status,
            scheduled_at,
            is_bulk: true,
            track_opens: batch.track_opens,
            track_links: batch.track_links,
        };
        created.push(insert(conn, row).await?);
    }
    Ok(BatchCreated {
        ids: created,
        status,
    })
}
