//! A person's way out: the message an SMTP server receives carries `List-Unsubscribe` and
//! `List-Unsubscribe-Post`; the one-click POST to that link opts the person out at once (and
//! again changes nothing); from then on nothing is sent to them.

use crate::helpers::{assert_problem, spawn_app_with_smtp_sink, DEMO_REP};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn one_click_unsubscribe_from_the_message_headers_stops_every_later_email() {
    let (app, messages) = spawn_app_with_smtp_sink().await;
    let token = app.login(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    // Scheduled before the person opts out: it must not go out when it falls due.
    let later = app
        .post(
            "/emails",
            &token,
            &json!({ "person_id": person, "subject": "Later", "body": "x",
                     "send_at": (chrono::Utc::now() + chrono::Duration::seconds(3)).to_rfc3339() }),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let first = app
        .post_for_id(
            "/emails",
            &token,
            &json!({ "person_id": person, "subject": "Hello", "body": "<p>Hi</p>" }),
        )
        .await;
    assert_eq!(app.settled_status(first).await, "delivered");

    let raw = messages.lock().unwrap()[0].clone();
    let message = mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .unwrap();
    let header = |name: &str| {
        message
            .header_raw(name)
            .unwrap_or_else(|| panic!("{name} in {raw}"))
            .trim()
            .to_owned()
    };
    assert_eq!(
        header("List-Unsubscribe-Post"),
        "List-Unsubscribe=One-Click"
    );
    let link = header("List-Unsubscribe");
    let link = link
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_owned();
    assert!(link.starts_with(&format!("{}/u/", app.base)), "{link}");
    // The same link is in the footer the person reads.
    assert!(message.body_html(0).unwrap().contains(&link));

    // Opening the link only asks; nothing changes until the button (or a one-click POST).
    let page = app.client.get(&link).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("method=\"post\""));
    let opted: (Option<i64>,) = sqlx::query_as("SELECT opted_out_at FROM people WHERE id = $1")
        .bind(person)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(opted.0, None);
    for _ in 0..2 {
        let done = app
            .client
            .post(&link)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), StatusCode::OK);
    }
    let (opted_at,): (Option<i64>,) =
        sqlx::query_as("SELECT opted_out_at FROM people WHERE id = $1")
            .bind(person)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(opted_at.is_some());
    // A link that names nobody is not found, and opts nobody out.
    let unknown = app
        .client
        .post(format!("{}/u/{}", app.base, "0".repeat(64)))
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    // The scheduled email falls due and fails, saying why; it cannot be retried.
    assert_eq!(app.settled_status(later).await, "failed");
    let detail = app.get_json(&format!("/emails/{later}"), &token).await;
    assert!(detail["failure_reason"]
        .as_str()
        .unwrap()
        .starts_with("Unsubscribed"));
    assert_eq!(detail["person"]["opted_out"], true);
    assert_problem(
        app.post(&format!("/emails/{later}/retry"), &token, &json!({}))
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    // A new email, alone or in a Select and Send, is refused naming them.
    let refused = assert_problem(
        app.post(
            "/emails",
            &token,
            &json!({ "person_id": person, "subject": "Again", "body": "x" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(refused["detail"].as_str().unwrap().contains("unsubscribed"));
    let owner = app.user_id(DEMO_REP).await;
    let (other,): (i64,) = sqlx::query_as(
        "SELECT id FROM people WHERE owner_id = $1 AND id <> $2 AND opted_out_at IS NULL LIMIT 1",
    )
    .bind(owner)
    .bind(person)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let batch = app
        .post(
            "/emails/batch",
            &token,
            &json!({ "kind": "group", "subject": "News", "body": "x",
                     "recipients": [{ "person_id": other }, { "person_id": person }] }),
        )
        .await;
    let refused = assert_problem(batch, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(refused["detail"].as_str().unwrap().contains("unsubscribed"));
    assert_eq!(messages.lock().unwrap().len(), 1, "nothing more was sent");
}
