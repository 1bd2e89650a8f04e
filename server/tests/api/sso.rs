//! Single sign-on's edges through the running server (the whole flow against a real OpenID
//! provider is `e2e/oidc.test.js`): which ways to sign in the server offers, passwords turned
//! off, and a callback that does not come from a sign-in started here.

use crate::helpers::{assert_problem, spawn_app, spawn_app_with, TestApp};
use crate::users::ADMIN;
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::config::OidcSettings;

/// `GET /auth/methods`, which needs no session.
async fn methods(app: &TestApp) -> Value {
    let response = app
        .client
        .get(app.url("/auth/methods"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn without_a_provider_passwords_sign_in_and_single_sign_on_is_absent() {
    let app = spawn_app().await;
    let methods = methods(&app).await;
    assert_eq!(methods, json!({ "password": true, "oidc": false }));
    let start = app
        .client
        .get(app.url("/auth/oidc/start"))
        .send()
        .await
        .unwrap();
    assert_problem(start, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn with_passwords_off_only_the_provider_signs_in_and_a_stray_callback_is_refused() {
    let app = spawn_app_with(|config| {
        config.oidc = Some(OidcSettings {
            // Nothing listens here: the provider is down.
            issuer: "http://127.0.0.1:9".to_owned(),
            client_id: "command-center".to_owned(),
            client_secret: "secret".to_owned(),
        });
        config.password_sign_in = false;
    })
    .await;
    let methods = methods(&app).await;
    assert_eq!(methods, json!({ "password": false, "oidc": true }));
    let by_password = app
        .client
        .post(app.url("/session"))
        .json(&json!({ "email": ADMIN, "password": "demo" }))
        .send()
        .await
        .unwrap();
    assert_problem(by_password, StatusCode::FORBIDDEN).await;
    let start = app
        .client
        .get(app.url("/auth/oidc/start"))
        .send()
        .await
        .unwrap();
    assert_problem(start, StatusCode::SERVICE_UNAVAILABLE).await;

    // A callback with a state this server never issued lands on sign-in with a notice.
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let stray = no_redirects
        .get(app.url("/auth/oidc/callback?code=abc&state=never-issued"))
        .send()
        .await
        .unwrap();
    assert_eq!(stray.status(), StatusCode::SEE_OTHER);
    let location = stray.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("{}/?sign_in_error=sso", app.base));
    let (failed,): (String,) = sqlx::query_as(
        "SELECT detail FROM audit_events WHERE action = 'sign_in_failed' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(failed.contains("replayed state"), "{failed}");
}
