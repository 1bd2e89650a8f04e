//! Refusals speak the caller's language: `Accept-Language` picks Japanese or English (English
//! when it names neither), for every kind of problem, with the same status and field.

use crate::helpers::{assert_problem, spawn_app};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn problems_come_back_in_the_language_asked_for() {
    let app = spawn_app().await;
    let token = app.login("aiko@example.com").await;
    let untitled_task = |language: Option<&str>| {
        let mut request = app
            .client
            .post(app.url("/tasks"))
            .bearer_auth(&token)
            .json(&json!({ "title": "  ", "kind": "call" }));
        if let Some(language) = language {
            request = request.header("accept-language", language);
        }
        request.send()
    };

    for (language, detail) in [
        (None, "Give the task a title."),
        (
            Some("ja-JP,ja;q=0.9,en;q=0.8"),
            "タスクのタイトルを入力してください。",
        ),
        (Some("en-US,en;q=0.9,ja;q=0.5"), "Give the task a title."),
        (Some("fr-FR"), "Give the task a title."),
    ] {
        let response = untitled_task(language).await.unwrap();
        let body = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(body["detail"], detail, "Accept-Language: {language:?}");
        assert_eq!(body["field"], "title");
    }
}

#[tokio::test]
async fn every_kind_of_problem_is_translated() {
    let app = spawn_app().await;
    let token = app.login("aiko@example.com").await;
    let japanese =
        |request: reqwest::RequestBuilder| request.header("accept-language", "ja").send();
    let get = |path: &str| app.client.get(app.url(path)).bearer_auth(&token);
    let post = |path: &str| app.client.post(app.url(path)).bearer_auth(&token);
    // 401 (no token), 404 (an unknown path, someone else's email), 400 (a bad query),
    // 422 from the shared rules (a search), 409 (a second draft), and a body that is not JSON.
    let other_rep_email = app.an_email("ben@example.com", "delivered", false).await;
    let cases = [
        (
            japanese(app.client.get(app.url("/emails?folder=delivered"))).await,
            StatusCode::UNAUTHORIZED,
        ),
        (japanese(get("/no-such-path")).await, StatusCode::NOT_FOUND),
        (
            japanese(get(&format!("/emails/{other_rep_email}"))).await,
            StatusCode::NOT_FOUND,
        ),
        (
            japanese(get("/emails?folder=nowhere")).await,
            StatusCode::BAD_REQUEST,
        ),
        (
            japanese(
                post("/search")
                    .json(&json!({ "query": { "all": [{ "type": "status", "statuses": [] }] } })),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            japanese(
                post("/tasks")
                    .header("content-type", "application/json")
                    .body("{ not json"),
            )
            .await,
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (response, status) in cases {
        let body = assert_problem(response.unwrap(), status).await;
        let detail = body["detail"].as_str().unwrap();
        assert!(
            detail
                .chars()
                .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
            "{status}: a Japanese sentence, got {detail:?}"
        );
    }
}
