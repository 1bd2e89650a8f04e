//! A person's way out: every email carries their personal unsubscribe link (in a footer and in
//! `List-Unsubscribe`, with `List-Unsubscribe-Post` for one-click, RFC 8058), and once they use
//! it nothing more is sent to them. The rules live here; `http::unsubscribe` serves the page.

use crate::db::Db;
use crate::time::now_ms;
use api::{PersonId, UserId};
use std::collections::{BTreeSet, HashMap};

/// The failure reason of an email that fell due for a person who opted out.
pub const UNSUBSCRIBED: &str = "Unsubscribed: this person opted out of your emails.";
/// The failure reason of an email that fell due for a person the rep marked do not contact.
pub const DO_NOT_CONTACT: &str = "Do not contact: you marked this person do not contact.";

/// The unsubscribe token of each person, made for those who have none yet, in one commit:
/// every email carries its person's link, the same one each time.
pub async fn tokens_for(
    db: &Db,
    people: impl IntoIterator<Item = PersonId>,
) -> Result<HashMap<PersonId, String>, sqlx::Error> {
    let people: BTreeSet<PersonId> = people.into_iter().collect();
    let mut tokens = HashMap::with_capacity(people.len());
    if people.is_empty() {
        return Ok(tokens);
    }
    let mut tx = db.begin().await?;
    for person in people {
        // Another sender may have made one meanwhile: theirs stands.
        let (token,): (String,) = sqlx::query_as(
            "UPDATE people SET unsubscribe_token = COALESCE(unsubscribe_token, $1) WHERE id = $2
             RETURNING unsubscribe_token",
        )
        .bind(crate::password::new_token())
        .bind(person)
        .fetch_one(&mut *tx)
        .await?;
        tokens.insert(person, token);
    }
    tx.commit().await?;
    Ok(tokens)
}

/// Whether a token names a person (for the confirmation page).
pub async fn known(db: &Db, token: &str) -> Result<bool, sqlx::Error> {
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM people WHERE unsubscribe_token = $1")
            .bind(token)
            .fetch_optional(db)
            .await?;
    Ok(found.is_some())
}

/// Opts the person of this token out, once: a second request changes nothing. Returns the rep
/// whose person it is, or `None` for a token that names nobody.
pub async fn opt_out(db: &Db, token: &str) -> Result<Option<UserId>, sqlx::Error> {
    // A token that names nobody costs a read, not the write lock.
    if !known(db, token).await? {
        return Ok(None);
    }
    let now = now_ms();
    let mut tx = crate::db::begin_write(db).await?;
    let person: Option<(PersonId, UserId)> = sqlx::query_as(
        "UPDATE people SET opted_out_at = COALESCE(opted_out_at, $1) WHERE unsubscribe_token = $2
         RETURNING id, owner_id",
    )
    .bind(now)
    .bind(token)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((id, _)) = person {
        // Nothing more goes to them from any campaign.
        let whose = crate::campaigns::progress::Whose::Person(id);
        crate::campaigns::progress::apply(&mut tx, whose, api::sequence::Event::OptedOut, now)
            .await?;
    }
    tx.commit().await?;
    Ok(person.map(|(_, owner)| owner))
}

/// The footer of the text part: the link, in the rep's language.
pub fn footer_text(url: &str, locale: &str) -> String {
    if locale.starts_with("ja") {
        format!("配信停止: {url}")
    } else {
        format!("Unsubscribe: {url}")
    }
}

/// The footer every email ends with: the link, in the rep's language. Added after click
/// tracking, so the link goes straight to the page.
pub fn footer(url: &str, locale: &str) -> String {
    let url = url
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    if locale.starts_with("ja") {
        format!(
            // The link ends the line, after a colon and a space: a link inside a run of
            // Japanese reads to mail filters as a word split by a tag (HTML obfuscation).
            r#"<p style="font-size:12px;color:#666">今後このようなメールの配信を希望されない場合は、次のリンクから手続きできます: <a href="{url}">配信停止</a></p>"#
        )
    } else {
        format!(
            r#"<p style="font-size:12px;color:#666">Don't want these emails? <a href="{url}">Unsubscribe</a>.</p>"#
        )
    }
}
