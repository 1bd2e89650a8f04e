//! Signed portal embedding through the running server: a portal's token (HS256 with the shared
//! secret, or ES256 with a key the portal publishes as a JWKS) becomes a session of its user,
//! once; every way a token can be wrong is refused and recorded.

use crate::helpers::{assert_problem, spawn_app, spawn_app_with, TestApp, DEMO_REP, EMBED_SECRET};
use crate::users::ADMIN;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Claims a portal signs: for this server, five minutes, a fresh id.
fn claims(app: &TestApp, email: &str) -> Value {
    json!({ "email": email, "aud": app.base, "exp": now() + 300, "iat": now(),
            "jti": server::password::new_token() })
}

fn hs256(claims: &Value, secret: &str) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn exchange(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .post(app.url("/session/embed"))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_portal_token_signs_its_user_in_once() {
    let app = spawn_app().await;
    let token = hs256(&claims(&app, "Aiko@Example.com"), EMBED_SECRET);
    let signed_in = exchange(&app, &token).await;
    assert_eq!(signed_in.status(), StatusCode::CREATED);
    let session: Value = signed_in.json().await.unwrap();
    let me = app
        .get_json("/me", session["token"].as_str().unwrap())
        .await;
    assert_eq!(me["email"], DEMO_REP);

    // The same token again (a replay) is refused.
    assert_problem(exchange(&app, &token).await, StatusCode::UNAUTHORIZED).await;
    let admin = app.login(ADMIN).await;
    let audit = app.get_json("/audit", &admin).await;
    let details: Vec<&str> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert!(details.contains(&"portal"), "{details:?}");
    assert!(
        details.iter().any(|d| d.contains("used already")),
        "{details:?}"
    );
}

#[tokio::test]
async fn every_wrong_token_is_refused() {
    let app = spawn_app().await;
    let ben_id = app.user_id("ben@example.com").await;
    let admin = app.login(ADMIN).await;
    app.post(&format!("/users/{ben_id}/deactivate"), &admin, &json!({}))
        .await;
    let with = |change: &dyn Fn(&mut Value)| {
        let mut c = claims(&app, DEMO_REP);
        change(&mut c);
        c
    };
    let cases: Vec<(&str, String)> = vec![
        (
            "another audience",
            hs256(
                &with(&|c| c["aud"] = json!("https://elsewhere.example")),
                EMBED_SECRET,
            ),
        ),
        (
            "no audience",
            hs256(
                &with(&|c| {
                    c.as_object_mut().unwrap().remove("aud");
                }),
                EMBED_SECRET,
            ),
        ),
        (
            "expired",
            hs256(&with(&|c| c["exp"] = json!(now() - 120)), EMBED_SECRET),
        ),
        (
            "an hour long",
            hs256(&with(&|c| c["exp"] = json!(now() + 3600)), EMBED_SECRET),
        ),
        (
            "no id",
            hs256(
                &with(&|c| {
                    c.as_object_mut().unwrap().remove("jti");
                }),
                EMBED_SECRET,
            ),
        ),
        (
            "another secret",
            hs256(&claims(&app, DEMO_REP), "not the portal's secret"),
        ),
        (
            "nobody here",
            hs256(&claims(&app, "stranger@example.com"), EMBED_SECRET),
        ),
        (
            "deactivated",
            hs256(&claims(&app, "ben@example.com"), EMBED_SECRET),
        ),
        (
            "no address",
            hs256(
                &with(&|c| c["email"] = json!("not an address")),
                EMBED_SECRET,
            ),
        ),
        ("not a token", "nonsense".to_owned()),
    ];
    // Unsigned: `alg: none` with the claims as they should be.
    let b64 = |v: &Value| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let unsigned = format!(
        "{}.{}.",
        b64(&json!({ "alg": "none", "typ": "JWT" })),
        b64(&claims(&app, DEMO_REP))
    );
    for (why, token) in cases.into_iter().chain([("unsigned", unsigned)]) {
        let problem = assert_problem(exchange(&app, &token).await, StatusCode::UNAUTHORIZED).await;
        assert!(
            problem["detail"].as_str().unwrap().contains("portal"),
            "{why}: {problem}"
        );
    }
    let (sessions,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(sessions, 1, "only the admin's");
}

#[tokio::test]
async fn an_unknown_user_is_provisioned_as_a_rep_in_the_configured_team() {
    let app =
        spawn_app_with(|config| config.provision_team = Some("Portal users".to_owned())).await;
    let mut c = claims(&app, "new.rep@partner.example");
    c["name"] = json!("New Rep\nInjected line");
    let signed_in = exchange(&app, &hs256(&c, EMBED_SECRET)).await;
    assert_eq!(signed_in.status(), StatusCode::CREATED);
    let user: Value = signed_in.json::<Value>().await.unwrap()["user"].clone();
    assert_eq!(user["role"], "rep");
    assert_eq!(user["name"], "New Rep Injected line");
    let (team,): (String,) = sqlx::query_as(
        "SELECT t.name FROM users u JOIN teams t ON t.id = u.team_id WHERE u.email = $1",
    )
    .bind("new.rep@partner.example")
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(team, "Portal users");
    // No password was set here: none signs them in.
    let by_password = app
        .client
        .post(app.url("/session"))
        .json(&json!({ "email": "new.rep@partner.example", "password": "" }))
        .send()
        .await
        .unwrap();
    assert_eq!(by_password.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// Serves a JWKS on loopback, as a portal publishes its keys.
async fn serve_jwks(jwks: String) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = axum::Router::new().route(
        "/.well-known/jwks.json",
        axum::routing::get(move || async move {
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                jwks,
            )
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}/.well-known/jwks.json")
}

#[tokio::test]
async fn es256_tokens_are_checked_against_the_portals_published_keys() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/fixtures");
    let jwks = std::fs::read_to_string(fixtures.join("portal-es256.jwks.json")).unwrap();
    let pem = std::fs::read(fixtures.join("portal-es256.pem")).unwrap();
    let url = serve_jwks(jwks).await;
    let app = spawn_app_with(|config| config.embed_jwks_url = Some(url)).await;
    let key = EncodingKey::from_ec_pem(&pem).unwrap();
    let sign = |kid: &str, claims: &Value| {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(kid.to_owned());
        encode(&header, claims, &key).unwrap()
    };
    let good = exchange(&app, &sign("portal-2026", &claims(&app, DEMO_REP))).await;
    assert_eq!(good.status(), StatusCode::CREATED);
    // A key the portal does not publish, and an HS256 token made with the public key as secret.
    assert_problem(
        exchange(&app, &sign("retired-key", &claims(&app, DEMO_REP))).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let mut confused = Header::new(Algorithm::HS256);
    confused.kid = Some("portal-2026".to_owned());
    let jwks_text = std::fs::read_to_string(fixtures.join("portal-es256.jwks.json")).unwrap();
    let forged = encode(
        &confused,
        &claims(&app, DEMO_REP),
        &EncodingKey::from_secret(jwks_text.as_bytes()),
    )
    .unwrap();
    assert_problem(exchange(&app, &forged).await, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn made_up_key_ids_do_not_make_the_server_fetch_the_portals_keys_each_time() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/fixtures");
    let jwks = std::fs::read_to_string(fixtures.join("portal-es256.jwks.json")).unwrap();
    let pem = std::fs::read(fixtures.join("portal-es256.pem")).unwrap();
    let fetched = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let counter = fetched.clone();
    let router = axum::Router::new().route(
        "/.well-known/jwks.json",
        axum::routing::get(move || {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let jwks = jwks.clone();
            async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    jwks,
                )
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    let url = format!("http://{address}/.well-known/jwks.json");
    let app = spawn_app_with(|config| config.embed_jwks_url = Some(url)).await;
    let key = EncodingKey::from_ec_pem(&pem).unwrap();
    let sign = |kid: &str| {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(kid.to_owned());
        encode(&header, &claims(&app, DEMO_REP), &key).unwrap()
    };
    assert_eq!(
        exchange(&app, &sign("portal-2026")).await.status(),
        StatusCode::CREATED
    );
    for n in 0..20 {
        let made_up = exchange(&app, &sign(&format!("made-up-{n}"))).await;
        assert_problem(made_up, StatusCode::UNAUTHORIZED).await;
    }
    assert_eq!(
        fetched.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "the keys were read once"
    );
}
