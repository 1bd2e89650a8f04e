//! Defences not owned by one resource: bodies of bounded size (refused with 422 naming the field,
//! nothing written), a data directory only the server's user can read, and HSTS when served by
//! https. Sign-in limits, single sign-on and tracked links have their own files.

use crate::campaign_sequences::automatic_email;
use crate::helpers::{assert_problem, spawn_app, spawn_app_with, TestApp, DEMO_REP};
use api::batch::{BatchKind, BatchRecipient, NewBatch};
use api::endpoints::{campaigns, emails, templates};
use api::templates::TemplateInput;
use api::{NewCampaign, PersonId, MAX_BODY_BYTES};
use reqwest::StatusCode;
use serde_json::json;
use std::os::unix::fs::PermissionsExt;

async fn count(app: &TestApp, table: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(&app.db)
        .await
        .unwrap();
    n
}

/// A body one byte over the limit, valid HTML all the same.
fn oversized() -> String {
    let mut body = "<p>".to_owned();
    body.push_str(&"x".repeat(MAX_BODY_BYTES - "<p></p>".len() + 1));
    body.push_str("</p>");
    assert_eq!(body.len(), MAX_BODY_BYTES + 1);
    body
}

async fn refused_for_its_body(response: reqwest::Response) {
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["field"], "body", "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("256 KB"),
        "{problem}"
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_naming_the_field_and_nothing_is_written() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    let body = oversized();
    let mut before = Vec::new();
    for table in ["emails", "templates", "campaign_steps"] {
        before.push(count(&app, table).await);
    }

    let email = json!({ "person_id": person, "subject": "Big", "body": body });
    refused_for_its_body(app.post("/emails", &token, &email).await).await;

    let template = TemplateInput {
        name: "Big".into(),
        subject: "Big".into(),
        body: body.clone(),
    };
    refused_for_its_body(app.send(&token, templates::create(&template)).await).await;

    let campaign = app
        .call(
            &token,
            campaigns::create(&NewCampaign { name: "Big".into() }),
        )
        .await
        .id;
    let mut step = automatic_email("Big", 0);
    step.body = body.clone();
    refused_for_its_body(app.send(&token, campaigns::add_step(campaign, &step)).await).await;

    let batch = NewBatch::new(
        BatchKind::Group,
        vec![BatchRecipient::to(PersonId(person))],
        "Big",
        &body,
    );
    refused_for_its_body(app.send(&token, emails::batch(&batch)).await).await;

    for (table, before) in ["emails", "templates", "campaign_steps"]
        .into_iter()
        .zip(before)
    {
        assert_eq!(
            count(&app, table).await,
            before,
            "nothing written to {table}"
        );
    }

    // At the limit, it is an email like any other.
    let mut fits = body;
    fits.replace_range(3..4, "");
    assert_eq!(fits.len(), MAX_BODY_BYTES);
    let email = json!({ "person_id": person, "subject": "Fits", "body": fits });
    assert_eq!(
        app.post("/emails", &token, &email).await.status(),
        StatusCode::CREATED
    );
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[tokio::test]
async fn the_data_directory_and_its_files_are_the_servers_user_alone() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    let email = json!({ "person_id": person, "subject": "Kept private", "body": "<p>Hi</p>" });
    let id = app.post_for_id("/emails", &token, &email).await;
    assert_eq!(app.settled_status(id).await, "delivered");

    let data = app.data_dir();
    assert_eq!(mode(&data), 0o700, "the data directory");
    assert_eq!(mode(&app.outbox), 0o700, "the outbox");
    let messages: Vec<_> = std::fs::read_dir(&app.outbox)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!messages.is_empty());
    for message in messages {
        assert_eq!(mode(&message), 0o600, "{}", message.display());
    }
    // On SQLite, the database, its journals and the secret beside it.
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_file() && (name.starts_with("command-center") || name == "secret") {
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
    }
}

#[tokio::test]
async fn strict_transport_security_only_when_served_by_https() {
    let plain = spawn_app().await;
    let response = plain.client.get(plain.url("/health")).send().await.unwrap();
    assert!(response
        .headers()
        .get("strict-transport-security")
        .is_none());

    let secure = spawn_app_with(|config| {
        config.public_url = Some("https://cc.example.com".into());
    })
    .await;
    let response = secure
        .client
        .get(secure.url("/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000"
    );
}
