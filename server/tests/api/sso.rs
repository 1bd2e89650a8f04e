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
        .post(app.url("/auth/oidc/start"))
        .json(&json!({ "tab_key": TAB_KEY }))
        .send()
        .await
        .unwrap();
    assert_problem(start, StatusCode::NOT_FOUND).await;
}

/// A tab's key as the app makes one (two UUIDs).
const TAB_KEY: &str = "0b6f1d1e-8c2a-4a51-9d0e-6f8c2b1a3e4d5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c";

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
        .post(app.url("/auth/oidc/start"))
        .json(&json!({ "tab_key": TAB_KEY, "return_to": "/tasks/today" }))
        .send()
        .await
        .unwrap();
    assert_problem(start, StatusCode::SERVICE_UNAVAILABLE).await;
    // A sign-in is begun by a tab of the app, with its key: never by a link anyone can send.
    let by_link = app
        .client
        .get(app.url("/auth/oidc/start?return_to=/t/c/abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(by_link.status(), StatusCode::METHOD_NOT_ALLOWED);
    let keyless = app
        .client
        .post(app.url("/auth/oidc/start"))
        .json(&json!({ "tab_key": "short" }))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(keyless, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["field"], "tab_key");
    // A hand-off code this server never made, or sent without its tab's key, opens nothing.
    for body in [
        json!({ "code": "never-made", "tab_key": TAB_KEY }),
        json!({ "code": "never-made", "tab_key": "" }),
    ] {
        let exchanged = app
            .client
            .post(app.url("/auth/oidc/session"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_problem(exchanged, StatusCode::UNAUTHORIZED).await;
    }

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

#[tokio::test]
async fn a_callback_is_taken_only_from_the_browser_that_began_the_sign_in() {
    let app = spawn_app_with(|config| {
        config.oidc = Some(OidcSettings {
            // Nothing listens here: a callback that gets past the checks fails at the provider.
            issuer: "http://127.0.0.1:9".to_owned(),
            client_id: "command-center".to_owned(),
            client_secret: "secret".to_owned(),
        });
    })
    .await;
    let begin = |state: &'static str| {
        let db = app.db.clone();
        async move {
            let mut conn = db.acquire().await.unwrap();
            server::accounts::sso::begin(
                &mut conn,
                &server::accounts::sso::Begun {
                    state,
                    nonce: "n",
                    verifier: "v",
                    return_to: "/",
                    browser_key: "the-browser-that-began-it",
                    tab_key: TAB_KEY,
                },
            )
            .await
            .unwrap();
        }
    };
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let last_refusal = || async {
        let (detail,): (String,) = sqlx::query_as(
            "SELECT detail FROM audit_events WHERE action = 'sign_in_failed' ORDER BY id DESC LIMIT 1",
        )
        .fetch_one(&app.db)
        .await
        .unwrap();
        detail
    };
    // Another browser (no cookie, or another's) brings the callback: refused before the code is
    // even exchanged, and the state is used up.
    begin("state-one").await;
    for cookie in [None, Some("cc_sso=another-browser")] {
        let mut request = no_redirects.get(app.url("/auth/oidc/callback?code=abc&state=state-one"));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let refused = request.send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::SEE_OTHER);
        assert!(refused.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("/?sign_in_error=sso"));
        let detail = last_refusal().await;
        assert!(detail.contains("begun in another browser"), "{detail}");
        begin("state-one").await;
    }
    // The browser that began it gets past that check (here to a provider that is down).
    let taken = no_redirects
        .get(app.url("/auth/oidc/callback?code=abc&state=state-one"))
        .header("cookie", "cc_sso=the-browser-that-began-it")
        .send()
        .await
        .unwrap();
    assert_eq!(taken.status(), StatusCode::SEE_OTHER);
    let detail = last_refusal().await;
    assert!(!detail.contains("another browser"), "{detail}");
}
