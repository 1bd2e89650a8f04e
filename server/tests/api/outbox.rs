//! The state machine, the one-draft rule, campaign deletes, compose and edit validation, bulk.

use crate::helpers::{assert_problem, spawn_app, TestApp, DEMO_REP, OTHER_REP};
use api::endpoints::emails;
use api::{
    ActionRequest, BulkRequest, BulkResult, EmailAction, EmailId, EmailPatch, EmailStatus, Folder,
    NewEmail, PersonId, Timestamp,
};
use reqwest::StatusCode;

fn in_an_hour() -> Timestamp {
    chrono::Utc::now() + chrono::Duration::hours(1)
}

/// `action` on email `id`, as its row's button asks (`send_at` for a reschedule).
async fn act(
    app: &TestApp,
    token: &str,
    id: i64,
    action: EmailAction,
    send_at: Option<Timestamp>,
) -> reqwest::Response {
    app.send(
        token,
        emails::act(EmailId(id), action, &ActionRequest { send_at }),
    )
    .await
}

/// The same, which must succeed: the email as it now is.
async fn acted(app: &TestApp, token: &str, id: i64, action: EmailAction) -> api::EmailDetail {
    let request = ActionRequest {
        send_at: (action == EmailAction::Reschedule).then(in_an_hour),
    };
    let answer = app
        .call(token, emails::act(EmailId(id), action, &request))
        .await;
    answer.expect("the email is still there")
}

#[tokio::test]
async fn every_legal_transition_moves_the_email_to_its_folder() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;

    let delivered = app.an_email(DEMO_REP, "delivered", false).await;
    let archived = acted(&app, &token, delivered, EmailAction::Archive).await;
    assert_eq!(archived.summary.status, EmailStatus::Archived);
    acted(&app, &token, delivered, EmailAction::Unarchive).await;
    assert_eq!(app.status_of(delivered).await, "delivered");
    let marked = acted(&app, &token, delivered, EmailAction::MarkSuccess).await;
    assert!(marked.summary.marked_success);

    let draft = app.an_email(DEMO_REP, "draft", false).await;
    let scheduled = acted(&app, &token, draft, EmailAction::Reschedule).await;
    assert_eq!(scheduled.summary.status, EmailStatus::Scheduled);
    // Now the rep has no draft, so unscheduling is allowed.
    acted(&app, &token, draft, EmailAction::Unschedule).await;
    assert_eq!(app.status_of(draft).await, "draft");
    acted(&app, &token, draft, EmailAction::SendNow).await;
    assert_eq!(app.settled_status(draft).await, "delivered");

    let failed = app.an_email(DEMO_REP, "failed", false).await;
    acted(&app, &token, failed, EmailAction::Retry).await;
    assert_eq!(app.settled_status(failed).await, "delivered");

    let archived = app.an_email(DEMO_REP, "archived", true).await;
    let response = app.send(&token, emails::delete(EmailId(archived))).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.send(&token, emails::one(EmailId(archived))).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn every_illegal_transition_is_a_409_naming_status_and_action() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    // An email mid-send: handed to the transport, so the running sender leaves it alone.
    let sending = app.an_email(DEMO_REP, "delivered", true).await;
    sqlx::query("UPDATE emails SET status = 'in_progress', handed_off_at = 1 WHERE id = $1")
        .bind(sending)
        .execute(&app.db)
        .await
        .unwrap();
    for status in EmailStatus::ALL {
        let id = if status == EmailStatus::InProgress {
            sending
        } else {
            app.an_email(DEMO_REP, status.as_str(), true).await
        };
        for action in EmailAction::ALL {
            if action.apply(status).is_some() {
                continue;
            }
            let response = act(&app, &token, id, action, Some(in_an_hour())).await;
            let body = assert_problem(response, StatusCode::CONFLICT).await;
            let detail = body["detail"].as_str().unwrap();
            assert!(
                detail.contains(status.as_str()) && detail.contains(action.as_str()),
                "{detail}"
            );
            assert_eq!(app.status_of(id).await, status.as_str(), "unchanged");
        }
    }
}

#[tokio::test]
async fn a_rep_keeps_one_draft_and_replaces_it_only_when_asked() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    let draft = NewEmail {
        person_id: PersonId(person),
        subject: "Second draft".to_owned(),
        body: "<p>Hi</p>".to_owned(),
        draft: true,
        ..NewEmail::default()
    };
    let body = assert_problem(
        app.send(&token, emails::create(&draft)).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert!(body["detail"]
        .as_str()
        .unwrap()
        .contains("already have a draft"));

    let scheduled = app.an_email(DEMO_REP, "scheduled", false).await;
    assert_problem(
        act(&app, &token, scheduled, EmailAction::Unschedule, None).await,
        StatusCode::CONFLICT,
    )
    .await;

    let replace = NewEmail {
        replace_draft: true,
        ..draft
    };
    let response = app.send(&token, emails::create(&replace)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let counts = app.call(&token, emails::counts()).await;
    assert_eq!(counts.drafts, 1);
    let page = app
        .call(&token, emails::folder(Folder::Drafts, 50, None))
        .await;
    assert_eq!(page.items[0].subject, "Second draft");
}

#[tokio::test]
async fn campaign_emails_cannot_be_deleted() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let owner = app.user_id(DEMO_REP).await;
    let (id,): (i64,) = sqlx::query_as(
        "SELECT id FROM emails WHERE owner_id = $1 AND status = 'archived' AND campaign_id IS NOT NULL LIMIT 1",
    )
    .bind(owner)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let response = app.send(&token, emails::delete(EmailId(id))).await;
    let body = assert_problem(response, StatusCode::CONFLICT).await;
    assert!(body["detail"].as_str().unwrap().contains("campaign"));
    assert_eq!(app.status_of(id).await, "archived");
}

#[tokio::test]
async fn compose_validates_each_field_by_name() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    let others_person = app.a_person_of(OTHER_REP).await;
    let past = chrono::Utc::now() - chrono::Duration::hours(1);
    let hi = NewEmail {
        person_id: PersonId(person),
        subject: "Hi".to_owned(),
        body: "x".to_owned(),
        ..NewEmail::default()
    };
    for (email, field) in [
        (
            NewEmail {
                subject: "  ".to_owned(),
                ..hi.clone()
            },
            "subject",
        ),
        (
            NewEmail {
                person_id: PersonId(others_person),
                ..hi.clone()
            },
            "person_id",
        ),
        (
            NewEmail {
                send_at: Some(past),
                ..hi.clone()
            },
            "send_at",
        ),
        (
            NewEmail {
                draft: true,
                send_at: Some(in_an_hour()),
                ..hi.clone()
            },
            "send_at",
        ),
        (
            NewEmail {
                subject: "Hi\r\nBcc: x@y.z".to_owned(),
                ..hi.clone()
            },
            "subject",
        ),
    ] {
        let problem = assert_problem(
            app.send(&token, emails::create(&email)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["field"], field, "{email:?}");
    }
    // Not JSON at all: a 400, posted by hand.
    let response = app
        .client
        .post(app.url("/emails"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"person_id\": ")
        .send()
        .await
        .unwrap();
    assert_problem(response, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn bodies_are_sanitized_and_drafts_and_scheduled_emails_are_editable() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    let hostile = NewEmail {
        person_id: PersonId(person),
        subject: "<script>alert(1)</script> hello".to_owned(),
        body: "<p onclick=\"x()\">Hi</p><script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">j</a>".to_owned(),
        send_at: Some(in_an_hour()),
        ..NewEmail::default()
    };
    let response = app.send(&token, emails::create(&hostile)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let email: api::EmailDetail = response.json().await.unwrap();
    assert_eq!(email.summary.status, EmailStatus::Scheduled);
    // The subject is text: kept as typed, shown as text by the UI.
    assert_eq!(email.summary.subject, "<script>alert(1)</script> hello");
    let html = &email.body_html;
    for banned in ["<script", "onclick", "onerror", "javascript:"] {
        assert!(!html.contains(banned), "{banned} in {html}");
    }
    let subject = |subject: &str| EmailPatch {
        subject: Some(subject.to_owned()),
        ..EmailPatch::default()
    };
    let patched = app
        .call(&token, emails::edit(email.summary.id, &subject("Edited")))
        .await;
    assert_eq!(patched.summary.subject, "Edited");

    let delivered = app.an_email(DEMO_REP, "delivered", false).await;
    let response = app
        .send(
            &token,
            emails::edit(EmailId(delivered), &subject("Too late")),
        )
        .await;
    assert_problem(response, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn bulk_actions_report_each_email_and_touch_only_the_reps_own() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let delivered = app.an_email(DEMO_REP, "delivered", false).await;
    let scheduled = app.an_email(DEMO_REP, "scheduled", false).await;
    let others = app.an_email(OTHER_REP, "delivered", false).await;
    let archive = |ids: Vec<i64>| BulkRequest {
        ids: ids.into_iter().map(EmailId).collect(),
        action: EmailAction::Archive,
        send_at: None,
    };
    let results = app
        .call(
            &token,
            emails::bulk(&archive(vec![delivered, scheduled, others])),
        )
        .await
        .results;
    assert_eq!(
        results[0],
        BulkResult {
            id: EmailId(delivered),
            ok: true,
            status: Some(EmailStatus::Archived),
            error: None
        }
    );
    assert!(!results[1].ok);
    assert!(results[1].error.as_ref().unwrap().contains("scheduled"));
    assert!(!results[2].ok);
    assert!(results[2].error.as_ref().unwrap().contains("no email"));
    assert_eq!(app.status_of(others).await, "delivered");

    let too_many: Vec<i64> = (1..=1001).collect();
    let response = app.send(&token, emails::bulk(&archive(too_many))).await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["field"], "ids");
}
