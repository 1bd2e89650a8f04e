//! The outbox's commands: create, edit, act on and delete emails, enforcing the state machine of
//! `api::actions` against the stored row. HTTP handlers and bulk actions both come through here.

pub mod batch;
pub mod claims;
pub mod dkim;
mod error;
pub mod mail;
pub mod reads;
pub mod sender;
mod sent_text;
pub mod sink;

pub use error::{Error, NO_SUCH_EMAIL};

use crate::db::Flag;
use crate::time::now_ms;
use api::Text;
use api::{
    CampaignId, EmailAction, EmailId, EmailPatch, EmailState, EmailStatus, Id, NewEmail, Outcome,
    PersonId, Refusal, Timestamp, UserId,
};
use sqlx::AnyConnection;

const DRAFT_HAS_NO_TIME: Text = Text::fixed(
    "A draft has no send time: schedule it instead.",
    "下書きには送信日時がありません。予約として保存してください。",
);
const CHANGED_MEANWHILE: Text = Text::fixed(
    "The email changed meanwhile; reload and try again.",
    "その間にメールが変更されました。再読み込みしてやり直してください。",
);

/// Small clock skew is forgiven: "send at" a moment ago means now.
const PAST_SLACK_MS: i64 = 60_000;

pub const MAX_SUBJECT_CHARS: usize = 500;

struct Current {
    status: EmailStatus,
    campaign_id: Option<CampaignId>,
    campaign_step: bool,
    marked_success: bool,
    person_opted_out: bool,
}

async fn current(conn: &mut AnyConnection, owner: UserId, id: EmailId) -> Result<Current, Error> {
    let row: Option<(String, Option<CampaignId>, Flag, Flag, Flag)> = sqlx::query_as(
        "SELECT e.status, e.campaign_id, (e.marked_success = TRUE), COALESCE(p.opted_out_at, p.do_not_contact_at) IS NOT NULL,
                e.campaign_step_id IS NOT NULL
         FROM emails e JOIN people p ON p.id = e.person_id WHERE e.id = $1 AND e.owner_id = $2",
    )
    .bind(id)
    .bind(owner)
    .fetch_optional(&mut *conn)
    .await?;
    let (status, campaign_id, Flag(marked_success), Flag(person_opted_out), Flag(campaign_step)) =
        row.ok_or(Error::NotFound(NO_SUCH_EMAIL))?;
    Ok(Current {
        status: status.parse().map_err(anyhow::Error::from)?,
        campaign_id,
        campaign_step,
        marked_success,
        person_opted_out,
    })
}

/// An email's status in words, in both languages (in Japanese, the app's own word for it).
fn status_words(status: EmailStatus) -> Text {
    let en = match status {
        EmailStatus::Draft => "a draft",
        EmailStatus::Scheduled => "scheduled",
        EmailStatus::InProgress => "being sent",
        EmailStatus::Delivered => "delivered",
        EmailStatus::Archived => "archived",
        EmailStatus::Failed => "failed",
        EmailStatus::Bounced => "bounced",
        EmailStatus::Spam => "marked as spam",
    };
    Text::fixed(en, status.ja())
}

/// An action in words, in both languages.
fn action_words(action: EmailAction) -> Text {
    let (en, ja) = match action {
        EmailAction::SendNow => ("send now", "今すぐ送信"),
        EmailAction::Reschedule => ("reschedule", "予約変更"),
        EmailAction::Unschedule => ("unschedule", "予約取り消し"),
        EmailAction::Archive => ("archive", "アーカイブ"),
        EmailAction::Unarchive => ("unarchive", "アーカイブ解除"),
        EmailAction::Retry => ("retry", "再送"),
        EmailAction::MarkSuccess => ("mark as a success", "成功としてマーク"),
        EmailAction::SkipStep => (
            "skip the campaign step of",
            "キャンペーンのステップをスキップ",
        ),
        EmailAction::Delete => ("delete", "削除"),
    };
    Text::fixed(en, ja)
}

fn illegal(action: EmailAction, status: EmailStatus) -> Error {
    Error::Conflict(Text::new(
        format!(
            "Cannot {} an email that is {} (status `{}`, action `{}`).",
            action_words(action).en,
            status_words(status).en,
            status.as_str(),
            action.as_str()
        ),
        format!(
            "{}のメールは{}できません（ステータス `{}`、操作 `{}`）。",
            status_words(status).ja,
            action_words(action).ja,
            status.as_str(),
            action.as_str()
        ),
    ))
}

fn future_send_at(send_at: Option<Timestamp>) -> Result<i64, Error> {
    let send_at = send_at.ok_or_else(|| {
        Error::unprocessable(
            "send_at",
            Text::fixed("Choose when to send it.", "送信日時を選んでください。"),
        )
    })?;
    let ms = send_at.timestamp_millis();
    if ms < now_ms() - PAST_SLACK_MS {
        return Err(Error::unprocessable(
            "send_at",
            Text::fixed(
                "That time has passed; choose a time in the future.",
                "その日時は過ぎています。これから先の日時を選んでください。",
            ),
        ));
    }
    Ok(ms)
}

async fn existing_draft(
    conn: &mut AnyConnection,
    owner: UserId,
) -> Result<Option<(Id, String)>, Error> {
    Ok(
        sqlx::query_as("SELECT id, subject FROM emails WHERE owner_id = $1 AND status = 'draft'")
            .bind(owner)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

fn one_draft_conflict(subject: &str) -> Error {
    Error::Conflict(Text::new(
        format!(
            "You already have a draft (“{subject}”); a rep keeps one draft. Replace it, or send, schedule or delete it first."
        ),
        format!(
            "下書き（「{subject}」）がすでにあります。下書きは 1 通だけです。置き換えるか、先に送信・予約・削除してください。"
        ),
    ))
}

/// Applies a rep's action. Returns the new status, or `None` when the email was deleted. The
/// update re-checks the status it read, so two tabs racing cannot both win.
pub async fn act(
    conn: &mut AnyConnection,
    owner: UserId,
    id: EmailId,
    action: EmailAction,
    send_at: Option<Timestamp>,
) -> Result<Option<EmailStatus>, Error> {
    let current = current(conn, owner, id).await?;
    // Only unscheduling asks whether the rep has a draft already.
    let draft = match action {
        EmailAction::Unschedule => existing_draft(conn, owner).await?,
        _ => None,
    };
    let state = EmailState {
        status: current.status,
        in_campaign: current.campaign_id.is_some(),
        campaign_step: current.campaign_step,
        marked_success: current.marked_success,
        rep_has_draft: draft.is_some(),
        person_opted_out: current.person_opted_out,
    };
    let outcome = action.check(&state).map_err(|refusal| match refusal {
        Refusal::Status => illegal(action, current.status),
        Refusal::CampaignEmail => Error::Conflict(Text::fixed(
            "Emails sent as part of a campaign cannot be deleted; archive it instead.",
            "キャンペーンで送ったメールは削除できません。代わりにアーカイブしてください。",
        )),
        Refusal::DraftExists => {
            one_draft_conflict(draft.as_ref().map(|(_, s)| s.as_str()).unwrap_or_default())
        }
        Refusal::OptedOut => Error::Conflict(Text::fixed(
            "This person unsubscribed from your emails (or you marked them do not contact); nothing more can be sent to them.",
            "この宛先は配信停止しています（または連絡不可にしています）。これ以上メールは送れません。",
        )),
        Refusal::AlreadyMarked => Error::Conflict(Text::fixed(
            "This email is marked a success already.",
            "このメールはすでに成功としてマークされています。",
        )),
        Refusal::NotCampaignStep => not_a_step(),
    })?;
    let now = now_ms();
    let from = current.status.as_str();
    let result = match (action, outcome) {
        (EmailAction::SkipStep | EmailAction::Delete, _) => {
            if action == EmailAction::SkipStep {
                // The person moves on first (their enrolment lets go of this email), then it
                // goes as a deleted one does.
                let whose = crate::campaigns::progress::Whose::PendingEmail(id);
                let done = api::sequence::Event::StepDone;
                if crate::campaigns::progress::apply(conn, whose, done, now).await? == 0 {
                    return Err(not_a_step());
                }
            }
            sqlx::query("DELETE FROM emails WHERE id = $1 AND owner_id = $2 AND status = $3")
                .bind(id)
                .bind(owner)
                .bind(from)
                .execute(&mut *conn)
                .await?
        }
        (EmailAction::Reschedule, _) => {
            let at = future_send_at(send_at)?;
            sqlx::query(
                "UPDATE emails SET status = 'scheduled', scheduled_at = $1, folder_at = $2, updated_at = $3
                 WHERE id = $4 AND owner_id = $5 AND status = $6",
            )
            .bind(at)
            .bind(at)
            .bind(now)
            .bind(id)
            .bind(owner)
            .bind(from)
            .execute(&mut *conn)
            .await?
        }
        (EmailAction::Unschedule, _) => {
            sqlx::query(
                "UPDATE emails SET status = 'draft', scheduled_at = NULL, folder_at = $1, updated_at = $2
                 WHERE id = $3 AND owner_id = $4 AND status = $5",
            )
            .bind(now)
            .bind(now)
            .bind(id)
            .bind(owner)
            .bind(from)
            .execute(&mut *conn)
            .await?
        }
        (EmailAction::SendNow | EmailAction::Retry, _) => {
            // Queued for the sender: not handed to a transport yet.
            sqlx::query(
                "UPDATE emails SET status = 'in_progress', handed_off_at = NULL, claimed_by = NULL,
                        failure_reason = NULL, failed_at = NULL, folder_at = $1, updated_at = $2
                 WHERE id = $3 AND owner_id = $4 AND status = $5",
            )
            .bind(now)
            .bind(now)
            .bind(id)
            .bind(owner)
            .bind(from)
            .execute(&mut *conn)
            .await?
        }
        (EmailAction::MarkSuccess, _) => {
            sqlx::query(
                "UPDATE emails SET marked_success = TRUE, updated_at = $1 WHERE id = $2 AND owner_id = $3 AND status = $4",
            )
            .bind(now)
            .bind(id)
            .bind(owner)
            .bind(from)
            .execute(&mut *conn)
            .await?
        }
        (EmailAction::Archive | EmailAction::Unarchive, Outcome::Becomes(to)) => {
            sqlx::query(
                "UPDATE emails SET status = $1, updated_at = $2 WHERE id = $3 AND owner_id = $4 AND status = $5",
            )
            .bind(to.as_str())
            .bind(now)
            .bind(id)
            .bind(owner)
            .bind(from)
            .execute(&mut *conn)
            .await?
        }
        (EmailAction::Archive | EmailAction::Unarchive, Outcome::Deleted) => {
            unreachable!("archiving never deletes")
        }
    };
    if result.rows_affected() == 0 {
        return Err(Error::Conflict(CHANGED_MEANWHILE));
    }
    Ok(match outcome {
        Outcome::Becomes(status) => Some(status),
        Outcome::Deleted => None,
    })
}

fn not_a_step() -> Error {
    Error::Conflict(Text::fixed(
        "This email is not the next step of anyone's campaign; there is no step to skip.",
        "このメールはキャンペーンの次のステップではありません。スキップするステップはありません。",
    ))
}

/// A subject: one line, not empty, of reasonable length.
pub(crate) fn parse_subject(subject: &str) -> Result<String, Error> {
    let asked = Text::fixed("Give the email a subject.", "件名を入力してください。");
    let subject = Error::one_line("subject", subject, MAX_SUBJECT_CHARS, asked)?;
    known_fields_only("subject", subject.as_str())?;
    Ok(subject.into_string())
}

/// A body as stored: of a bounded size, naming only merge fields there are, sanitized.
pub(crate) fn parse_body(body: &str) -> Result<String, Error> {
    if body.len() > api::MAX_BODY_BYTES {
        return Err(Error::unprocessable(
            "body",
            api::body_too_large(body.len()),
        ));
    }
    known_fields_only("body", body)?;
    Ok(sanitize_body(body))
}

/// Refuses a text naming a merge field that does not exist: found when saved, not when sent.
pub(crate) fn known_fields_only(field: &str, text: &str) -> Result<(), Error> {
    let unknown = api::merge::unknown_fields(text);
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(Error::unprocessable(
            field,
            api::merge::unknown_fields_refusal(&unknown),
        ))
    }
}

/// Stored bodies are sanitized HTML: no script, no event handler, only safe URL schemes.
pub fn sanitize_body(body: &str) -> String {
    ammonia::clean(body)
}

async fn check_person(
    conn: &mut AnyConnection,
    owner: UserId,
    person_id: PersonId,
) -> Result<(), Error> {
    let found: Option<(Flag, String, String)> = sqlx::query_as(
        "SELECT COALESCE(opted_out_at, do_not_contact_at) IS NOT NULL, first_name, last_name FROM people
         WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL",
    )
    .bind(person_id)
    .bind(owner)
    .fetch_optional(&mut *conn)
    .await?;
    match found {
        None => Err(Error::unprocessable(
            "person_id",
            Text::fixed(
                "Choose a recipient from your people.",
                "あなたの連絡先から宛先を選んでください。",
            ),
        )),
        Some((Flag(true), first, last)) => {
            let name = api::full_name(&first, &last);
            Err(Error::unprocessable(
                "person_id",
                Text::new(
                    format!(
                        "{name} unsubscribed from your emails (or you marked them do not contact); nothing more can be sent to them."
                    ),
                    format!("{name} さんは配信停止しています（または連絡不可です）。これ以上メールは送れません。"),
                ),
            ))
        }
        Some((Flag(false), ..)) => Ok(()),
    }
}

async fn check_campaign(
    conn: &mut AnyConnection,
    owner: UserId,
    campaign_id: Option<CampaignId>,
) -> Result<(), Error> {
    let Some(campaign_id) = campaign_id else {
        return Ok(());
    };
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM campaigns WHERE id = $1 AND owner_id = $2")
            .bind(campaign_id)
            .bind(owner)
            .fetch_optional(&mut *conn)
            .await?;
    found.map(|_| ()).ok_or_else(|| {
        Error::unprocessable(
            "campaign_id",
            Text::fixed(
                "Choose one of your campaigns.",
                "あなたのキャンペーンから選んでください。",
            ),
        )
    })
}

/// A template named by an email is the rep's.
async fn check_template(
    conn: &mut AnyConnection,
    owner: UserId,
    template_id: Option<api::TemplateId>,
) -> Result<(), Error> {
    if crate::templates::is_owned(conn, owner, template_id).await? {
        Ok(())
    } else {
        Err(Error::unprocessable(
            "template_id",
            crate::templates::NOT_YOURS,
        ))
    }
}

/// Creates a draft, a scheduled email, or one queued to send now. Returns its id and status.
pub async fn create(
    conn: &mut AnyConnection,
    owner: UserId,
    new: &NewEmail,
) -> Result<(EmailId, EmailStatus), Error> {
    let subject = parse_subject(&new.subject)?;
    check_person(conn, owner, new.person_id).await?;
    check_campaign(conn, owner, new.campaign_id).await?;
    check_template(conn, owner, new.template_id).await?;
    let (status, scheduled_at) = match (new.draft, new.send_at) {
        (true, Some(_)) => return Err(Error::unprocessable("send_at", DRAFT_HAS_NO_TIME)),
        (true, None) => (EmailStatus::Draft, None),
        (false, Some(at)) => {
            let at = future_send_at(Some(at))?;
            (EmailStatus::Scheduled, Some(at))
        }
        (false, None) => (EmailStatus::InProgress, None),
    };
    if status == EmailStatus::Draft {
        if let Some((draft_id, draft_subject)) = existing_draft(conn, owner).await? {
            if !new.replace_draft {
                return Err(one_draft_conflict(&draft_subject));
            }
            sqlx::query("DELETE FROM emails WHERE id = $1")
                .bind(draft_id)
                .execute(&mut *conn)
                .await?;
        }
    }
    let id = insert(
        conn,
        Insert {
            owner,
            person_id: new.person_id,
            campaign_id: new.campaign_id,
            template_id: new.template_id,
            subject: &subject,
            body_html: &parse_body(&new.body)?,
            status,
            scheduled_at,
            is_bulk: false,
            track_opens: new.track_opens,
            track_links: new.track_links,
        },
    )
    .await?;
    Ok((id, status))
}

/// A new email row, its text already checked and sanitized.
struct Insert<'a> {
    owner: UserId,
    person_id: PersonId,
    campaign_id: Option<CampaignId>,
    template_id: Option<api::TemplateId>,
    subject: &'a str,
    body_html: &'a str,
    status: EmailStatus,
    scheduled_at: Option<i64>,
    is_bulk: bool,
    /// The email's own tracking choices (`None`: the rep's, when it is sent).
    track_opens: Option<bool>,
    track_links: Option<bool>,
}

async fn insert(conn: &mut AnyConnection, row: Insert<'_>) -> Result<EmailId, Error> {
    let now = now_ms();
    let (id,): (EmailId,) = sqlx::query_as(
        "INSERT INTO emails (owner_id, person_id, campaign_id, subject, body_html, status, channel,
                             is_bulk, created_at, updated_at, scheduled_at, folder_at,
                             track_opens, track_links, template_id)
         VALUES ($1, $2, $3, $4, $5, $6, 'msc', $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(row.owner)
    .bind(row.person_id)
    .bind(row.campaign_id)
    .bind(row.subject)
    .bind(row.body_html)
    .bind(row.status.as_str())
    .bind(row.is_bulk)
    .bind(now)
    .bind(now)
    .bind(row.scheduled_at)
    .bind(row.scheduled_at.unwrap_or(now))
    .bind(row.track_opens)
    .bind(row.track_links)
    .bind(row.template_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Edits a draft or a scheduled email; other statuses are 409.
pub async fn edit(
    conn: &mut AnyConnection,
    owner: UserId,
    id: EmailId,
    patch: &EmailPatch,
) -> Result<(), Error> {
    let current = current(conn, owner, id).await?;
    if !current.status.is_editable() {
        return Err(Error::Conflict(Text::new(
            format!(
                "Only drafts and scheduled emails can be edited; this one is {} (status `{}`).",
                status_words(current.status).en,
                current.status.as_str()
            ),
            format!(
                "編集できるのは下書きと予約済みのメールだけです。このメールは{}です（ステータス `{}`）。",
                status_words(current.status).ja,
                current.status.as_str()
            ),
        )));
    }
    let subject = patch.subject.as_deref().map(parse_subject).transpose()?;
    if let Some(person_id) = patch.person_id {
        check_person(conn, owner, person_id).await?;
    }
    let send_at = match (patch.send_at, current.status) {
        (None, _) => None,
        (Some(_), EmailStatus::Draft) => {
            return Err(Error::unprocessable("send_at", DRAFT_HAS_NO_TIME))
        }
        (Some(at), _) => Some(future_send_at(Some(at))?),
    };
    let result = sqlx::query(
        "UPDATE emails SET person_id = COALESCE($1, person_id), subject = COALESCE($2, subject),
                body_html = COALESCE($3, body_html), scheduled_at = COALESCE($4, scheduled_at),
                folder_at = CASE WHEN status = 'scheduled' THEN COALESCE($5, scheduled_at) ELSE $6 END,
                updated_at = $7
         WHERE id = $8 AND owner_id = $9 AND status = $10",
    )
    .bind(patch.person_id)
    .bind(subject)
    .bind(patch.body.as_deref().map(parse_body).transpose()?)
    .bind(send_at)
    .bind(send_at)
    .bind(now_ms())
    .bind(now_ms())
    .bind(id)
    .bind(owner)
    .bind(current.status.as_str())
    .execute(&mut *conn)
    .await?;
    if result.rows_affected() == 0 {
        return Err(Error::Conflict(CHANGED_MEANWHILE));
    }
    Ok(())
}
