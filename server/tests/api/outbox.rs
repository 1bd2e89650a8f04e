//! The state machine, the one-draft rule, campaign deletes, compose and edit validation, bulk.

use crate::helpers::{assert_problem, spawn_app, TestApp, DEMO_REP, OTHER_REP};
use api::{EmailAction, EmailStatus};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn in_an_hour() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339()
}

async fn act(app: &TestApp, token: &str, id: i64, action: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/emails/{id}/{action}"), token, &body)
        .await
}

#[tokio::test]
async fn every_legal_transition_moves_the_email_to_its_folder() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;

    let delivered = app.an_email(DEMO_REP, "delivered", false).await;
    let response = act(&app, &token, delivered, "archive", json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<Value>().await.unwrap()["status"],
        "archived"
    );
    assert_eq!(
        act(&app, &token, delivered, "unarchive", json!({}))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(app.status_of(delivered).await, "delivered");
    let marked: Value = act(&app, &token, delivered, "mark_success", json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(marked["marked_success"], true);

    let draft = app.an_email(DEMO_REP, "draft", false).await;
    let scheduled: Value = act(
        &app,
        &token,
        draft,
        "reschedule",
        json!({ "send_at": in_an_hour() }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(scheduled["status"], "scheduled");
    // Now the rep has no draft, so unscheduling is allowed.
    assert_eq!(
        act(&app, &token, draft, "unschedule", json!({}))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(app.status_of(draft).await, "draft");
    assert_eq!(
        act(&app, &token, draft, "send_now", json!({}))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(app.settled_status(draft).await, "delivered");

    let failed = app.an_email(DEMO_REP, "failed", false).await;
    assert_eq!(
        act(&app, &token, failed, "retry", json!({})).await.status(),
        StatusCode::OK
    );
    assert_eq!(app.settled_status(failed).await, "delivered");

    let archived = app.an_email(DEMO_REP, "archived", true).await;
    let response = app.delete(&format!("/emails/{archived}"), &token).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.get(&format!("/emails/{archived}"), &token).await,
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
            let response = act(
                &app,
                &token,
                id,
                action.as_str(),
                json!({ "send_at": in_an_hour() }),
            )
            .await;
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
    let draft = json!({ "person_id": person, "subject": "Second draft", "body": "<p>Hi</p>", "draft": true });
    let body = assert_problem(
        app.post("/emails", &token, &draft).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert!(body["detail"]
        .as_str()
        .unwrap()
        .contains("already have a draft"));

    let scheduled = app.an_email(DEMO_REP, "scheduled", false).await;
    assert_problem(
        act(&app, &token, scheduled, "unschedule", json!({})).await,
        StatusCode::CONFLICT,
    )
    .await;

    let mut replace = draft.clone();
    replace["replace_draft"] = json!(true);
    let response = app.post("/emails", &token, &replace).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let counts = app.get_json("/emails/counts", &token).await;
    assert_eq!(counts["drafts"], 1);
    let page = app.get_json("/emails?folder=drafts", &token).await;
    assert_eq!(page["items"][0]["subject"], "Second draft");
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
    let response = app.delete(&format!("/emails/{id}"), &token).await;
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
    let past = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    for (body, field) in [
        (
            json!({ "person_id": person, "subject": "  ", "body": "x" }),
            "subject",
        ),
        (
            json!({ "person_id": others_person, "subject": "Hi", "body": "x" }),
            "person_id",
        ),
        (
            json!({ "person_id": person, "subject": "Hi", "body": "x", "send_at": past }),
            "send_at",
        ),
        (
            json!({ "person_id": person, "subject": "Hi", "body": "x", "draft": true, "send_at": in_an_hour() }),
            "send_at",
        ),
        (
            json!({ "person_id": person, "subject": "Hi\r\nBcc: x@y.z", "body": "x" }),
            "subject",
        ),
    ] {
        let problem = assert_problem(
            app.post("/emails", &token, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["field"], field, "{body}");
    }
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
    let body = json!({
        "person_id": person,
        "subject": "<script>alert(1)</script> hello",
        "body": "<p onclick=\"x()\">Hi</p><script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">j</a>",
        "send_at": in_an_hour(),
    });
    let response = app.post("/emails", &token, &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let email: Value = response.json().await.unwrap();
    assert_eq!(email["status"], "scheduled");
    // The subject is text: kept as typed, shown as text by the UI.
    assert_eq!(email["subject"], "<script>alert(1)</script> hello");
    let html = email["body_html"].as_str().unwrap();
    for banned in ["<script", "onclick", "onerror", "javascript:"] {
        assert!(!html.contains(banned), "{banned} in {html}");
    }
    let id = email["id"].as_i64().unwrap();
    let patched = app
        .client
        .patch(app.url(&format!("/emails/{id}")))
        .bearer_auth(&token)
        .json(&json!({ "subject": "Edited" }))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), StatusCode::OK);
    assert_eq!(patched.json::<Value>().await.unwrap()["subject"], "Edited");

    let delivered = app.an_email(DEMO_REP, "delivered", false).await;
    let response = app
        .client
        .patch(app.url(&format!("/emails/{delivered}")))
        .bearer_auth(&token)
        .json(&json!({ "subject": "Too late" }))
        .send()
        .await
        .unwrap();
    assert_problem(response, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn bulk_actions_report_each_email_and_touch_only_the_reps_own() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let delivered = app.an_email(DEMO_REP, "delivered", false).await;
    let scheduled = app.an_email(DEMO_REP, "scheduled", false).await;
    let others = app.an_email(OTHER_REP, "delivered", false).await;
    let response = app
        .post(
            "/emails/bulk",
            &token,
            &json!({ "ids": [delivered, scheduled, others], "action": "archive" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let results = response.json::<Value>().await.unwrap()["results"].clone();
    assert_eq!(
        results[0],
        json!({ "id": delivered, "ok": true, "status": "archived", "error": null })
    );
    assert_eq!(results[1]["ok"], false);
    assert!(results[1]["error"].as_str().unwrap().contains("scheduled"));
    assert_eq!(results[2]["ok"], false);
    assert!(results[2]["error"].as_str().unwrap().contains("no email"));
    assert_eq!(app.status_of(others).await, "delivered");

    let too_many: Vec<i64> = (1..=1001).collect();
    let response = app
        .post(
            "/emails/bulk",
            &token,
            &json!({ "ids": too_many, "action": "archive" }),
        )
        .await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["field"], "ids");
}
