//! Emails sent before records kept the text as sent: filled in once, at start.

use super::sender::Sender;
use api::merge::{self, MergeValues};

impl Sender {
    /// Fills, once, the record of emails sent before records kept the text as sent: from their
    /// person's values (people could not be edited before then, so these are the values they
    /// were sent with), or marked `as_written` where a field cannot be filled.
    pub async fn fill_sent_text(&self) -> anyhow::Result<()> {
        // A thousand at a time, each thousand in one commit: at a million old emails a commit
        // each would take minutes, and reading them all at once would hold them all in memory.
        let mut after = 0_i64;
        loop {
            let pending: Vec<(i64, String, String, String, String, String, String)> =
                sqlx::query_as(
                    "SELECT e.id, e.subject, e.body_html, p.first_name, p.last_name, p.company, p.title
                     FROM emails e JOIN people p ON p.id = e.person_id
                     WHERE e.text_is = 'template' AND e.sent_at IS NOT NULL AND e.id > $1
                     ORDER BY e.id LIMIT 1000",
                )
                .bind(after)
                .fetch_all(&self.db)
                .await?;
            let Some(&(last, ..)) = pending.last() else {
                return Ok(());
            };
            after = last;
            let mut tx = crate::db::begin_write(&self.db).await?;
            for (id, subject, body, first_name, last_name, company, title) in pending {
                let values = MergeValues {
                    first_name,
                    last_name,
                    company,
                    title,
                };
                let query = match merge::render_email(&subject, &body, &values) {
                    Ok((subject, body)) => sqlx::query(
                        "UPDATE emails SET subject = $1, body_html = $2, text_is = 'as_sent' WHERE id = $3",
                    )
                    .bind(subject)
                    .bind(body),
                    Err(_) => sqlx::query("UPDATE emails SET text_is = 'as_written' WHERE id = $1"),
                };
                query.bind(id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        }
    }
}
