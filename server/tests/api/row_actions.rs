//! What the UI offers, the server accepts: for an email or a task in every state, each action is
//! offered (by the rule in `api` that the SPA's rows and bulk bars use) exactly when the server
//! applies it, and another rep's row refuses every action as not found.

use crate::helpers::{spawn_app, TestApp, DEMO_REP, OTHER_REP};
use api::{EmailAction, EmailState, EmailStatus, TaskAction, TaskStatus};
use reqwest::StatusCode;
use serde_json::json;

async fn email_in(app: &TestApp, owner: i64, person: i64, state: &EmailState) -> i64 {
    let campaign: Option<(i64,)> = if state.in_campaign {
        sqlx::query_as("SELECT id FROM campaigns WHERE owner_id = $1 LIMIT 1")
            .bind(owner)
            .fetch_optional(&app.db)
            .await
            .unwrap()
    } else {
        None
    };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO emails (owner_id, person_id, campaign_id, subject, body_html, status, channel,
                             created_at, updated_at, scheduled_at, sent_at, failed_at, folder_at,
                             marked_success, message_id, handed_off_at)
         VALUES ($1, $2, $3, 's', '<p>b</p>', $4, 'msc', 0, 0, $5, $6, $7, 0, $8, $9, $10) RETURNING id",
    )
    .bind(owner)
    .bind(person)
    .bind(campaign.map(|(c,)| c))
    .bind(state.status.as_str())
    .bind(
        (state.status == EmailStatus::Scheduled)
            .then_some(server::time::now_ms() + 30 * 86_400_000),
    )
    .bind(
        matches!(
            state.status,
            EmailStatus::Delivered
                | EmailStatus::Archived
                | EmailStatus::Bounced
                | EmailStatus::Spam
        )
        .then_some(1),
    )
    .bind((state.status == EmailStatus::Failed).then_some(1))
    .bind(state.marked_success)
    .bind(format!("<{}@test>", rand_token()))
    // In progress means handed to the transport: the running sender leaves it be, rather than
    // delivering it between this insert and the action under test.
    .bind((state.status == EmailStatus::InProgress).then_some(1))
    .fetch_one(&app.db)
    .await
    .unwrap();
    if let (true, Some((campaign,))) = (state.campaign_step, campaign) {
        // A campaign step: its person's pending one, in a campaign of two steps.
        let (step,): (i64,) = sqlx::query_as(
            "INSERT INTO campaign_steps (campaign_id, position, kind, subject, body, created_at, updated_at)
             VALUES ($1, 0, 'custom', 'Next', '', 0, 0) RETURNING id",
        )
        .bind(campaign)
        .fetch_one(&app.db)
        .await
        .unwrap();
        sqlx::query("UPDATE emails SET campaign_step_id = $1 WHERE id = $2")
            .bind(step)
            .bind(id)
            .execute(&app.db)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO campaign_people (campaign_id, person_id, added_at, state, pending_email_id)
             VALUES ($1, $2, 0, 'active', $3)
             ON CONFLICT (campaign_id, person_id) DO UPDATE SET state = 'active',
               pending_email_id = excluded.pending_email_id, pending_task_id = NULL",
        )
        .bind(campaign)
        .bind(person)
        .bind(id)
        .execute(&app.db)
        .await
        .unwrap();
    }
    id
}

fn rand_token() -> String {
    server::password::new_token()
}

async fn set_draft(app: &TestApp, owner: i64, person: i64, present: bool) {
    sqlx::query("DELETE FROM emails WHERE owner_id = $1 AND status = 'draft'")
        .bind(owner)
        .execute(&app.db)
        .await
        .unwrap();
    if present {
        sqlx::query(
            "INSERT INTO emails (owner_id, person_id, subject, body_html, status, channel, created_at, updated_at, folder_at)
             VALUES ($1, $2, 'the draft', '', 'draft', 'msc', 0, 0, 0)",
        )
        .bind(owner)
        .bind(person)
        .execute(&app.db)
        .await
        .unwrap();
    }
}

async fn act(app: &TestApp, token: &str, path: &str) -> StatusCode {
    let in_a_day = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .json(&json!({ "send_at": in_a_day, "due_at": in_a_day }))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn an_email_action_is_offered_exactly_when_the_server_applies_it() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let owner = app.user_id(DEMO_REP).await;
    let other = app.user_id(OTHER_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    let someone_else = app.a_person_of(OTHER_REP).await;
    // A second person of the rep's, who unsubscribed.
    let (unsubscribed,): (i64,) = sqlx::query_as(
        "INSERT INTO people (owner_id, first_name, last_name, email, email_key, created_at, opted_out_at)
         VALUES ($1, 'Opted', 'Out', 'opted.out@example.com', 'opted.out@example.com', 0, 1) RETURNING id",
    )
    .bind(owner)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let (mut offered, mut refused) = (0, 0);
    for status in EmailStatus::ALL {
        for bits in 0..32u8 {
            let state = EmailState {
                status,
                in_campaign: bits & 1 != 0 || bits & 16 != 0,
                campaign_step: bits & 16 != 0,
                marked_success: bits & 2 != 0,
                // A draft is the rep's draft itself.
                rep_has_draft: bits & 4 != 0 || status == EmailStatus::Draft,
                person_opted_out: bits & 8 != 0,
            };
            let to = if state.person_opted_out {
                unsubscribed
            } else {
                person
            };
            for action in EmailAction::ALL {
                // Another draft, or (for a draft) none but itself.
                let another = state.rep_has_draft && status != EmailStatus::Draft;
                set_draft(&app, owner, person, another).await;
                let id = email_in(&app, owner, to, &state).await;
                let answer = act(&app, &token, &format!("/emails/{id}/{}", action.as_str())).await;
                let shown = state.offered().any(|a| a == action);
                assert_eq!(
                    answer.is_success(),
                    shown,
                    "{action:?} on {state:?}: the server said {answer}"
                );
                if shown {
                    offered += 1;
                } else {
                    // Refused as a conflict with the email's state, never as a bad request.
                    assert_eq!(answer, StatusCode::CONFLICT, "{action:?} on {state:?}");
                    refused += 1;
                }
                // The same email of another rep: not found, whatever the action.
                let theirs = email_in(&app, other, someone_else, &state).await;
                let answer = act(
                    &app,
                    &token,
                    &format!("/emails/{theirs}/{}", action.as_str()),
                )
                .await;
                assert_eq!(answer, StatusCode::NOT_FOUND);
            }
        }
    }
    assert!(
        offered > 50 && refused > 200,
        "{offered} offered, {refused} refused"
    );
}

#[tokio::test]
async fn a_task_action_is_offered_exactly_when_the_server_applies_it() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let owner = app.user_id(DEMO_REP).await;
    let other = app.user_id(OTHER_REP).await;
    for status in TaskStatus::ALL.iter().copied() {
        for deleted in [false, true] {
            for action in TaskAction::ALL.iter().copied() {
                let insert = |who: i64| {
                    sqlx::query_as::<_, (i64,)>(
                        "INSERT INTO tasks (owner_id, title, kind, priority, status, created_at, updated_at, deleted_at)
                         VALUES ($1, 't', 'call', 'normal', $2, 0, 0, $3) RETURNING id",
                    )
                    .bind(who)
                    .bind(status.as_str())
                    .bind(deleted.then_some(1))
                };
                let (id,) = insert(owner).fetch_one(&app.db).await.unwrap();
                let answer = act(&app, &token, &format!("/tasks/{id}/{}", action.as_str())).await;
                let offered = status.offered().any(|a| a == action) && !deleted;
                let applies = action.applies(status, deleted);
                assert_eq!(
                    answer.is_success(),
                    applies,
                    "{action:?} on {status:?}, deleted {deleted}: {answer}"
                );
                // A row offers only what applies (restoring is the undo, not a row action).
                assert!(!offered || applies);
                if !applies {
                    let expected = if deleted {
                        StatusCode::NOT_FOUND
                    } else {
                        StatusCode::CONFLICT
                    };
                    assert_eq!(
                        answer, expected,
                        "{action:?} on {status:?}, deleted {deleted}"
                    );
                }
                let (theirs,) = insert(other).fetch_one(&app.db).await.unwrap();
                let answer = act(
                    &app,
                    &token,
                    &format!("/tasks/{theirs}/{}", action.as_str()),
                )
                .await;
                assert_eq!(answer, StatusCode::NOT_FOUND);
            }
        }
    }
}
