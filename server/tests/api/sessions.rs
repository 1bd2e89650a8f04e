//! Sessions end for real: signing out everywhere ends all of a rep's sessions, a stream closes
//! when the session it was opened under ends, a rep has a bounded number of streams, and expired
//! sessions are purged.

use crate::helpers::{assert_problem, spawn_app, TestApp, DEMO_REP, OTHER_REP};
use api::endpoints::{accounts, paths};
use reqwest::StatusCode;
use std::time::Duration;

async fn open_stream(app: &TestApp, token: &str) -> reqwest::Response {
    let ticket = app.call(token, accounts::stream_ticket()).await.ticket;
    stream_with(app, &ticket).await
}

/// The live stream, opened as the SPA's EventSource opens it: with a ticket, not the token.
async fn stream_with(app: &TestApp, ticket: &str) -> reqwest::Response {
    app.client
        .get(app.url(paths::STREAM))
        .query(&[("ticket", ticket)])
        .send()
        .await
        .unwrap()
}

/// Whether `token` is still a session: its `me` answered, or refused as unauthorized.
async fn signed_in(app: &TestApp, token: &str) -> bool {
    let me = app.send(token, accounts::me()).await;
    match me.status() {
        StatusCode::OK => true,
        _ => {
            assert_problem(me, StatusCode::UNAUTHORIZED).await;
            false
        }
    }
}

/// Reads the stream until it ends; fails if it is still open after five seconds.
async fn ends(mut stream: reqwest::Response) {
    let read_all = async { while let Some(_chunk) = stream.chunk().await.unwrap_or(None) {} };
    tokio::time::timeout(Duration::from_secs(5), read_all)
        .await
        .expect("the stream closed");
}

#[tokio::test]
async fn signing_out_closes_that_sessions_stream_only() {
    let app = spawn_app().await;
    let laptop = app.login(DEMO_REP).await;
    let phone = app.login(DEMO_REP).await;
    let on_laptop = open_stream(&app, &laptop).await;
    let mut on_phone = open_stream(&app, &phone).await;
    assert_eq!(on_laptop.status(), StatusCode::OK);

    assert_eq!(
        app.send(&laptop, accounts::sign_out()).await.status(),
        StatusCode::NO_CONTENT
    );
    ends(on_laptop).await;
    assert!(!signed_in(&app, &laptop).await);
    // The phone's session and stream go on.
    assert!(signed_in(&app, &phone).await);
    let first = tokio::time::timeout(Duration::from_secs(2), on_phone.chunk())
        .await
        .expect("the phone's stream still speaks")
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(&first).contains("ready"));
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_and_stream_of_the_rep() {
    let app = spawn_app().await;
    let laptop = app.login(DEMO_REP).await;
    let phone = app.login(DEMO_REP).await;
    let colleague = app.login(OTHER_REP).await;
    // Each session checked once, so the server remembers them (the cache must forget too).
    for token in [&laptop, &phone, &colleague] {
        assert!(signed_in(&app, token).await);
    }
    let on_phone = open_stream(&app, &phone).await;

    assert_eq!(
        app.send(&laptop, accounts::sign_out_everywhere())
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    ends(on_phone).await;
    for token in [&laptop, &phone] {
        assert!(!signed_in(&app, token).await);
    }
    assert!(signed_in(&app, &colleague).await);
}

#[tokio::test]
async fn a_ticket_taken_before_signing_out_opens_nothing() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let ticket = app.call(&token, accounts::stream_ticket()).await.ticket;
    app.call(&token, accounts::sign_out()).await;
    assert_problem(stream_with(&app, &ticket).await, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn a_rep_has_at_most_ten_streams_open() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let mut open = Vec::new();
    for _ in 0..server::http::STREAMS_PER_USER {
        let stream = open_stream(&app, &token).await;
        assert_eq!(stream.status(), StatusCode::OK);
        open.push(stream);
    }
    let refused = open_stream(&app, &token).await;
    assert!(refused.headers().contains_key("retry-after"));
    assert_problem(refused, StatusCode::TOO_MANY_REQUESTS).await;
    // Another rep is not held up.
    let other = app.login(OTHER_REP).await;
    assert_eq!(open_stream(&app, &other).await.status(), StatusCode::OK);

    // A tab closed: its slot is free again once the server notices.
    drop(open.pop());
    let mut reopened = None;
    for _ in 0..50 {
        let stream = open_stream(&app, &token).await;
        if stream.status() == StatusCode::OK {
            reopened = Some(stream);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(reopened.is_some(), "a closed stream gives back its slot");
}

#[tokio::test]
async fn expired_sessions_are_refused_and_purged() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let fresh = app.login(OTHER_REP).await;
    sqlx::query("UPDATE sessions SET expires_at = 1 WHERE user_id = $1")
        .bind(app.user_id(DEMO_REP).await)
        .execute(&app.db)
        .await
        .unwrap();
    assert!(!signed_in(&app, &token).await);
    let purged = server::http::delete_expired_sessions(&app.db)
        .await
        .unwrap();
    assert_eq!(purged, 1);
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(left, 1);
    assert!(signed_in(&app, &fresh).await);
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions_streams_and_keeps_its_own() {
    let app = spawn_app().await;
    let laptop = app.login(DEMO_REP).await;
    let phone = app.login(DEMO_REP).await;
    let mut on_laptop = open_stream(&app, &laptop).await;
    let on_phone = open_stream(&app, &phone).await;
    // Read the greeting first, so that what comes after is what the change sends.
    let first = on_laptop.chunk().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("ready"));

    let change = api::users::PasswordChange {
        current: "demo".into(),
        new: "a new passphrase 2026".into(),
    };
    assert_eq!(
        app.send(&laptop, accounts::change_password(&change))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    ends(on_phone).await;
    assert!(!signed_in(&app, &phone).await);
    assert!(signed_in(&app, &laptop).await);
    // The laptop's own stream is not closed by it.
    let still = tokio::time::timeout(Duration::from_secs(2), on_laptop.chunk()).await;
    assert!(
        !matches!(still, Ok(Ok(None))),
        "the stream of the session that changed the password ended"
    );
}

#[tokio::test]
async fn wrong_current_passwords_are_counted_like_failed_sign_ins() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let guess = |n: u32| api::users::PasswordChange {
        current: format!("guess {n}"),
        new: "a new passphrase 2026".into(),
    };
    for n in 0..server::sign_in::ACCOUNT_ALLOWANCE {
        let refused = app.send(&token, accounts::change_password(&guess(n))).await;
        assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let held = app
        .send(&token, accounts::change_password(&guess(99)))
        .await;
    assert_problem(held, StatusCode::TOO_MANY_REQUESTS).await;
}
