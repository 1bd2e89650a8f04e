use crate::helpers::spawn_app;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn health_is_ok_without_a_token() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, serde_json::json!({ "status": "ok" }));
}

#[tokio::test]
async fn openapi_document_names_every_path() {
    let app = spawn_app().await;
    let doc: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/health",
        "/openapi.json",
        "/session",
        "/me",
        "/emails/counts",
        "/emails",
        "/emails/{id}",
        "/emails/batch",
        "/campaigns",
        "/campaigns/{id}/people",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
}

#[tokio::test]
async fn unknown_api_paths_are_problem_404s_and_other_paths_get_the_spa() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/nope")).send().await.unwrap();
    crate::helpers::assert_problem(response, StatusCode::NOT_FOUND).await;

    let response = app
        .client
        .get(format!("{}/emails/scheduled", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("<title>Command Center</title>"));
}
