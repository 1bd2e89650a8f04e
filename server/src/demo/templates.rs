//! The demo's templates: the rep's campaign emails written as templates (their steps use them),
//! and one used by some of their own emails, so that every template shows sends and rates.

use api::{CampaignId, TemplateId, UserId};
use sqlx::AnyConnection;

/// (English name, Japanese name, the subject of the steps that use it or `None`, English and
/// Japanese subject, body).
type DemoTemplate = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const TEMPLATES: [DemoTemplate; 4] = [
    ("First touch", "初回のご連絡", "An idea for {{company}}", "{{company}} 様へのご提案",
     "<p>Hi {{first_name}},</p><p>Teams like yours at {{company}} cut their follow-up time in half with us. Worth a 20-minute look?</p>"),
    ("Gentle follow-up", "やさしいフォローアップ", "Following up", "先日のご連絡の件",
     "<p>Hi {{first_name}},</p><p>Following up on my last note: shall I send a short case study?</p>"),
    ("Webinar thanks", "ウェビナーのお礼", "Thank you for joining", "ご参加ありがとうございました",
     "<p>Hi {{first_name}},</p><p>Thank you for joining the webinar. The slides are attached to this email.</p>"),
    ("Meeting recap", "打ち合わせのまとめ", "Recap of our meeting", "本日の打ち合わせのまとめ",
     "<p>Hi {{first_name}},</p><p>Thank you for your time today. Here is what we agreed, and the next steps.</p>"),
];

/// Every how-many-th of the rep's own delivered emails was written from the recap template.
const RECAP_EVERY: i64 = 9;

pub async fn seed(
    tx: &mut AnyConnection,
    owner: UserId,
    campaign_ids: &[CampaignId],
    japanese: bool,
    now: i64,
) -> anyhow::Result<()> {
    let ids = crate::db::id_list(campaign_ids.iter().copied());
    for (index, (en, ja, subject_en, subject_ja, body)) in TEMPLATES.iter().enumerate() {
        let subject = if japanese { *subject_ja } else { *subject_en };
        let (id,): (TemplateId,) = sqlx::query_as(
            "INSERT INTO templates (owner_id, name, subject, body, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(owner)
        .bind(if japanese { *ja } else { *en })
        .bind(subject)
        .bind(*body)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        if index + 1 == TEMPLATES.len() {
            sqlx::query(
                "UPDATE emails SET template_id = $1
                 WHERE owner_id = $2 AND campaign_id IS NULL AND sent_at IS NOT NULL
                   AND id % $3 = 0",
            )
            .bind(id)
            .bind(owner)
            .bind(RECAP_EVERY)
            .execute(&mut *tx)
            .await?;
            continue;
        }
        // The rep's steps with this text use it, and so do the emails they became.
        sqlx::query(
            "UPDATE campaign_steps SET template_id = $1
             WHERE subject = $2 AND kind = 'automatic_email'
               AND campaign_id IN (SELECT CAST(value AS BIGINT) FROM json_each($3))",
        )
        .bind(id)
        .bind(subject)
        .bind(&ids)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE emails SET template_id = $1
             WHERE campaign_step_id IN (SELECT s.id FROM campaign_steps s WHERE s.template_id = $1)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
