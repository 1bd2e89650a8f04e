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
        "/campaigns/{id}/steps",
        "/campaigns/{id}/steps/{step}",
        "/campaigns/{id}/enrolments",
        "/campaigns/{id}/enrolments/{person}/{command}",
        "/campaigns/{id}/pause",
        "/campaigns/{id}/resume",
        "/campaigns/{id}/report",
        "/templates",
        "/templates/{id}",
        "/people",
        "/people/{id}",
        "/people/{id}/restore",
        "/people/bulk",
        "/people/import",
        "/users",
        "/users/{id}",
        "/users/{id}/deactivate",
        "/users/{id}/reactivate",
        "/users/{id}/reset-password",
        "/users/{id}/hand-over",
        "/teams",
        "/teams/{id}",
        "/invitations/{token}",
        "/me/password",
        "/me/profile",
        "/audit",
        "/session/embed",
        "/auth/methods",
        "/auth/oidc/start",
        "/auth/oidc/callback",
        "/auth/oidc/session",
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

#[tokio::test]
async fn only_listed_origins_may_call_the_api_from_a_browser() {
    let app = crate::helpers::spawn_app_with(|config| {
        config.cors_origins = vec!["http://portal.test".into()];
    })
    .await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/emails/counts"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
    };
    let allowed = preflight("http://portal.test").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "http://portal.test"
    );
    assert!(allowed.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("authorization"));
    let other = preflight("http://evil.test").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());

    let token = app.login(crate::helpers::DEMO_REP).await;
    let response = app
        .client
        .get(app.url("/emails/counts"))
        .bearer_auth(&token)
        .header("origin", "http://portal.test")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "http://portal.test"
    );
}

#[tokio::test]
async fn the_secret_that_signs_viewer_cookies_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn_app().await;
    if crate::helpers::on_postgres() {
        // Every instance is given the same secret file; none is kept in the database, where a
        // dump would carry it beside what it seals.
        let (kept,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM server_settings WHERE name = 'secret'")
                .fetch_one(&app.db)
                .await
                .unwrap();
        assert_eq!(kept, 0);
        assert!(!app.data_dir().join("secret").exists());
        return;
    }
    let mode = std::fs::metadata(app.data_dir().join("secret"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}
