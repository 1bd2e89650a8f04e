use crate::helpers::{assert_problem, spawn_app, DEMO_REP};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn a_demo_rep_signs_in_and_sees_who_they_are() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let me = app.get_json("/me", &token).await;
    assert_eq!(me["email"], DEMO_REP);
    assert_eq!(me["role"], "rep");
    assert_eq!(me["time_zone"], "Asia/Tokyo");

    let admin = app.login("admin@example.com").await;
    assert_eq!(app.get_json("/me", &admin).await["role"], "admin");
}

#[tokio::test]
async fn a_wrong_password_or_unknown_email_is_401_problem() {
    let app = spawn_app().await;
    for (email, password) in [(DEMO_REP, "wrong"), ("nobody@example.com", "demo")] {
        let response = app
            .client
            .post(app.url("/session"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap();
        assert_problem(response, StatusCode::UNAUTHORIZED).await;
    }
}

#[tokio::test]
async fn malformed_login_bodies_are_4xx_problems_naming_the_fault() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/session"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_problem(response, StatusCode::BAD_REQUEST).await;

    let response = app
        .client
        .post(app.url("/session"))
        .json(&json!({ "email": "  ", "password": "demo" }))
        .send()
        .await
        .unwrap();
    let body = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["field"], "email");
}

#[tokio::test]
async fn every_data_path_needs_a_valid_token() {
    let app = spawn_app().await;
    for path in [
        "/me",
        "/emails/counts",
        "/emails?folder=delivered",
        "/emails/1",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_problem(response, StatusCode::UNAUTHORIZED).await;
        let response = app.get(path, "not-a-token").await;
        assert_problem(response, StatusCode::UNAUTHORIZED).await;
    }
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    // Used once first, so the server has the session in mind, not only in the database.
    assert_eq!(app.get("/me", &token).await.status(), StatusCode::OK);
    let other = app.login(DEMO_REP).await;
    let response = app.delete("/session", &token).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    // Only that session ends: the rep's other one goes on.
    assert_eq!(app.get("/me", &other).await.status(), StatusCode::OK);
    let response = app.get("/me", &token).await;
    let body: Value = assert_problem(response, StatusCode::UNAUTHORIZED).await;
    assert!(body["detail"].as_str().unwrap().contains("sign in"));
}
