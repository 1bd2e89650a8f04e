//! Limits on signing in: an account and a client address each get a few failures free, then wait
//! longer after each (429 with Retry-After), and the right password works again once the wait is
//! over.

use crate::helpers::{assert_problem, spawn_app, TestApp, DEMO_REP};
use reqwest::{Response, StatusCode};
use serde_json::json;
use server::sign_in::{ACCOUNT_ALLOWANCE, ADDRESS_ALLOWANCE};
use std::time::Duration;

async fn sign_in(app: &TestApp, email: &str, password: &str) -> Response {
    app.client
        .post(app.url("/session"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
}

fn retry_after(response: &Response) -> u64 {
    response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After in seconds")
}

#[tokio::test]
async fn an_account_waits_after_five_failures_then_signs_in_again() {
    let app = spawn_app().await;
    for _ in 0..ACCOUNT_ALLOWANCE {
        assert_problem(
            sign_in(&app, DEMO_REP, "wrong").await,
            StatusCode::UNAUTHORIZED,
        )
        .await;
    }
    // Now even the right password waits: guessing cannot go on at speed.
    let refused = sign_in(&app, DEMO_REP, "demo").await;
    let wait = retry_after(&refused);
    assert!(
        (1..=2).contains(&wait),
        "the first wait is a second: {wait}"
    );
    let problem = assert_problem(refused, StatusCode::TOO_MANY_REQUESTS).await;
    assert!(problem["detail"].as_str().unwrap().contains("try again"));
    // Another account from elsewhere is not held up by this one.
    assert_eq!(
        sign_in(&app, "ben@example.com", "demo").await.status(),
        StatusCode::CREATED
    );

    tokio::time::sleep(Duration::from_secs(wait)).await;
    // One more failure: the next wait is longer.
    assert_problem(
        sign_in(&app, DEMO_REP, "wrong").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let longer = sign_in(&app, DEMO_REP, "demo").await;
    assert_eq!(longer.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(&longer);
    assert!(wait >= 2, "doubled: {wait}");

    tokio::time::sleep(Duration::from_secs(wait)).await;
    assert_eq!(
        sign_in(&app, DEMO_REP, "demo").await.status(),
        StatusCode::CREATED
    );
    // A success clears the account's count: one failure is free again.
    assert_problem(
        sign_in(&app, DEMO_REP, "wrong").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(
        sign_in(&app, DEMO_REP, "demo").await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn an_address_trying_many_accounts_waits_too_and_unknown_emails_count() {
    let app = spawn_app().await;
    for i in 0..ADDRESS_ALLOWANCE {
        // Unknown emails answer as a wrong password does, and count the same.
        let problem = assert_problem(
            sign_in(&app, &format!("nobody{i}@example.com"), "guess").await,
            StatusCode::UNAUTHORIZED,
        )
        .await;
        assert_eq!(
            problem["detail"],
            "That email and password do not match an account."
        );
    }
    let refused = sign_in(&app, "someone-new@example.com", "guess").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(&refused);
    tokio::time::sleep(Duration::from_secs(wait)).await;
    assert_eq!(
        sign_in(&app, DEMO_REP, "demo").await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn behind_a_load_balancer_each_forwarded_client_is_counted_apart() {
    let app = crate::helpers::spawn_app_with(|config| {
        config.client_ip_header = Some("x-forwarded-for".into())
    })
    .await;
    let from = |client: &'static str, email: String| {
        app.client
            .post(app.url("/session"))
            // A client may send its own header; the balancer appends the address it saw.
            .header("x-forwarded-for", format!("198.51.100.1, {client}"))
            .json(&json!({ "email": email, "password": "guess" }))
            .send()
    };
    for i in 0..ADDRESS_ALLOWANCE {
        let response = from("203.0.113.7", format!("nobody{i}@example.com"))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let refused = from("203.0.113.7", "one-more@example.com".into())
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same balancer (the same TCP peer) is not held up.
    let other = from("203.0.113.8", "someone@example.com".into())
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn guesses_sent_at_once_are_counted_before_any_password_is_checked() {
    let app = spawn_app().await;
    let started = std::time::Instant::now();
    let guesses = (0..200).map(|i| {
        let (client, url) = (app.client.clone(), app.url("/session"));
        tokio::spawn(async move {
            client
                .post(url)
                .json(&json!({ "email": DEMO_REP, "password": format!("guess {i}") }))
                .send()
                .await
                .unwrap()
                .status()
        })
    });
    let statuses: Vec<StatusCode> = futures_util::future::join_all(guesses)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let held = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    // Past the allowance each attempt waits 1 s, 2 s, 4 s … after the last: if the burst took
    // longer than a second to arrive, that many more were due.
    let elapsed = started.elapsed().as_secs_f64();
    let waits_over = (elapsed + 1.0).log2().floor() as usize;
    assert!(
        checked <= ACCOUNT_ALLOWANCE as usize + waits_over,
        "{checked} passwords checked of 200 sent at once over {elapsed:.1} s"
    );
    assert_eq!(checked + held, 200, "{statuses:?}");
    // Each password checked is counted (alike refusals share an entry; ones at the same instant
    // may each start one).
    let (entries, audited): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(repeats), 0) AS BIGINT) FROM audit_events
         WHERE action = 'sign_in_failed'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, checked as i64, "each password checked is counted");
    assert!(entries <= audited, "{entries} entries");
}

#[tokio::test]
async fn an_email_longer_than_any_address_is_refused_before_it_is_kept() {
    let app = spawn_app().await;
    for long in [
        format!("{}@example.com", "a".repeat(243)),
        "x".repeat(1 << 20),
    ] {
        let problem = assert_problem(
            sign_in(&app, &long, "guess").await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["field"], "email");
    }
    // 254 characters is still an address: answered as any unknown one.
    let longest = format!("{}@example.com", "a".repeat(242));
    assert_eq!(longest.len(), 254);
    assert_problem(
        sign_in(&app, &longest, "guess").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

#[tokio::test]
async fn a_password_typed_into_the_email_box_is_not_written_to_the_audit_log() {
    let app = spawn_app().await;
    assert_problem(
        sign_in(&app, "correct-horse-battery", "").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_problem(
        sign_in(&app, "correct-horse-battery", "guess").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_problem(
        sign_in(&app, DEMO_REP, "wrong").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let details: Vec<(String,)> = sqlx::query_as(
        "SELECT detail FROM audit_events WHERE action = 'sign_in_failed' ORDER BY id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let details: Vec<String> = details.into_iter().map(|(d,)| d).collect();
    assert_eq!(details, ["an email with no account", DEMO_REP]);
}
