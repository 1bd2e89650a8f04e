//! The view pixel, click redirects, the delivery webhook, and the change stream.

use crate::helpers::{
    assert_problem, now_secs, signed_now, spawn_app, TestApp, DEMO_REP, OTHER_REP, WEBHOOK_SECRET,
};
use reqwest::{redirect::Policy, StatusCode};
use serde_json::{json, Value};
use server::http::webhooks::{sign, SIGNATURE_HEADER};

/// Sends an email now and returns (id, tracking token, first link token).
async fn sent_email(app: &TestApp, token: &str) -> (i64, String, String) {
    let person = app.a_person_of(DEMO_REP).await;
    let body = json!({ "person_id": person, "subject": "Tracked", "body": "<a href=\"https://example.com/x\">x</a>" });
    let response = app.post("/emails", token, &body).await;
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(app.settled_status(id).await, "delivered");
    let (tracking, link): (String, String) = sqlx::query_as(
        "SELECT e.tracking_token, l.token FROM emails e JOIN email_links l ON l.email_id = e.id WHERE e.id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    (id, tracking, link)
}

async fn message_id_of(app: &TestApp, id: i64) -> String {
    let (message_id,): (String,) = sqlx::query_as("SELECT message_id FROM emails WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    message_id
}

async fn counters(app: &TestApp, id: i64) -> (i64, i64, i64) {
    sqlx::query_as("SELECT views, clicks, replies FROM emails WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn views_count_only_while_delivered_and_not_from_the_reps_own_browser() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let (id, tracking, _) = sent_email(&app, &token).await;
    let pixel = format!("{}/t/v/{tracking}.gif", app.base);
    // Each load comes from another mail client: a repeat from the same one within a minute is
    // the same view (its own test below).
    let clients = std::cell::Cell::new(0);
    let load = |cookie: Option<String>| {
        clients.set(clients.get() + 1);
        let mut request = app
            .client
            .get(&pixel)
            .header("user-agent", format!("Mail client {}", clients.get()));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send()
    };

    let response = load(None).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/gif");
    assert_eq!(counters(&app, id).await, (1, 0, 0));

    // The rep's browser carries the cookie set at sign-in: its views do not count.
    let login = app
        .client
        .post(app.url("/session"))
        .json(&json!({ "email": DEMO_REP, "password": "demo" }))
        .send()
        .await
        .unwrap();
    let cookie = login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    load(Some(cookie)).await.unwrap();
    assert_eq!(counters(&app, id).await, (1, 0, 0));
    // A forged cookie is nobody's.
    let forged = format!(
        "cc_viewer={}.{}",
        app.user_id(DEMO_REP).await,
        "0".repeat(64)
    );
    load(Some(forged)).await.unwrap();
    assert_eq!(counters(&app, id).await, (2, 0, 0));

    app.post(&format!("/emails/{id}/archive"), &token, &json!({}))
        .await;
    let response = load(None).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "the pixel still loads");
    assert_eq!(
        counters(&app, id).await,
        (2, 0, 0),
        "archived: tracking is off"
    );
    app.post(&format!("/emails/{id}/unarchive"), &token, &json!({}))
        .await;
    load(None).await.unwrap();
    assert_eq!(
        counters(&app, id).await,
        (3, 0, 0),
        "unarchived: tracking is back on"
    );

    let unknown = app
        .client
        .get(format!("{}/t/v/nope.gif", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::OK);
}

#[tokio::test]
async fn clicks_redirect_only_to_the_emails_own_links() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let (id, _, link) = sent_email(&app, &token).await;
    let client = no_redirects();
    let response = client
        .get(format!("{}/t/c/{link}?url=https://evil.example", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    // With a fragment of its own, so the tracked address's fragment does not follow it.
    assert_eq!(response.headers()["location"], "https://example.com/x#");
    assert_eq!(counters(&app, id).await, (0, 1, 0));
    let detail = app.get_json(&format!("/emails/{id}"), &token).await;
    assert_eq!(detail["events"][0]["kind"], "click");
    assert_eq!(detail["events"][0]["url"], "https://example.com/x");

    for path in ["/t/c/unknown", "/t/c/https%3A%2F%2Fevil.example"] {
        let response = client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(response.headers().get("location").is_none());
    }
}

#[tokio::test]
async fn an_old_click_link_shows_where_it_leads_instead_of_redirecting_and_counts_nothing() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    // An address with markup in it: the page shows it as text, never as part of the page.
    let hostile = "https://example.com/a?b=\"><script>alert(1)</script>";
    let body = json!({ "person_id": person, "subject": "Old link",
        "body": format!("<a href='{hostile}'>x</a>") });
    let id = app
        .post("/emails", &token, &body)
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(app.settled_status(id).await, "delivered");
    let (link, url): (String, String) =
        sqlx::query_as("SELECT token, url FROM email_links WHERE email_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let client = no_redirects();
    let address = format!("{}/t/c/{link}", app.base);
    // Sent a day past the redirecting days.
    let day_ms = 24 * 60 * 60 * 1000;
    let sent = app.now_ms() - (server::tracking::CLICK_REDIRECT_DAYS + 1) * day_ms;
    sqlx::query("UPDATE emails SET sent_at = $1 WHERE id = $2")
        .bind(sent)
        .bind(id)
        .execute(&app.db)
        .await
        .unwrap();
    let response = client.get(&address).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("location").is_none());
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    let page = response.text().await.unwrap();
    assert!(!page.contains("<script>"), "{page}");
    assert!(page.contains(&api::merge::escape_html(&url)), "{page}");
    assert!(page.contains("Go to this page"), "{page}");
    assert_eq!(
        counters(&app, id).await,
        (0, 0, 0),
        "an old link counts nothing"
    );
    // In Japanese for a Japanese reader.
    let page = client
        .get(&address)
        .header("accept-language", "ja")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("このページへ移動"), "{page}");

    // Within its days it redirects, and counts.
    sqlx::query("UPDATE emails SET sent_at = $1 WHERE id = $2")
        .bind(app.now_ms() - (server::tracking::CLICK_REDIRECT_DAYS - 1) * day_ms)
        .bind(id)
        .execute(&app.db)
        .await
        .unwrap();
    let response = client.get(&address).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(counters(&app, id).await, (0, 1, 0));
}

#[tokio::test]
async fn most_engaged_ranks_this_weeks_engagement_replies_first() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    // Only this test's engagement: the demo history is cleared.
    app.clear_engagement_events().await;
    let (quiet, quiet_pixel, quiet_link) = sent_email(&app, &token).await;
    let (busy, busy_pixel, _) = sent_email(&app, &token).await;
    let client = no_redirects();
    client
        .get(format!("{}/t/v/{quiet_pixel}.gif", app.base))
        .send()
        .await
        .unwrap();
    client
        .get(format!("{}/t/c/{quiet_link}", app.base))
        .send()
        .await
        .unwrap();
    // Three people the email was forwarded to, each in their own mail client.
    for reader in 0..3 {
        client
            .get(format!("{}/t/v/{busy_pixel}.gif", app.base))
            .header("user-agent", format!("Reader {reader}"))
            .send()
            .await
            .unwrap();
    }
    let message_id = message_id_of(&app, busy).await;
    let reply = json!({ "message_id": message_id, "event": "reply" });
    webhook(
        &app,
        &reply,
        Some(signed_now(&serde_json::to_vec(&reply).unwrap())),
    )
    .await;

    let ranked = app
        .get_json("/emails/most-engaged?days=7&limit=50", &token)
        .await;
    let ranked = ranked.as_array().unwrap();
    assert_eq!(ranked[0]["email"]["id"], busy);
    assert_eq!(
        (ranked[0]["views"].as_i64(), ranked[0]["replies"].as_i64()),
        (Some(3), Some(1))
    );
    assert_eq!(ranked[1]["email"]["id"], quiet);
    assert_eq!(ranked[1]["clicks"], 1);
    assert_eq!(ranked.len(), 2);
    let owner = app.user_id(DEMO_REP).await;
    for entry in ranked {
        let (owner_id,): (i64,) = sqlx::query_as("SELECT owner_id FROM emails WHERE id = $1")
            .bind(entry["email"]["id"].as_i64().unwrap())
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert_eq!(owner_id, owner);
    }
    assert_problem(
        app.get("/emails/most-engaged?days=0", &token).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
}

async fn webhook(app: &TestApp, body: &Value, signature: Option<String>) -> reqwest::Response {
    let bytes = serde_json::to_vec(body).unwrap();
    let mut request = app
        .client
        .post(app.url("/webhooks/delivery"))
        .header("content-type", "application/json");
    if let Some(signature) = signature {
        request = request.header(SIGNATURE_HEADER, signature);
    }
    request.body(bytes).send().await.unwrap()
}

#[tokio::test]
async fn the_delivery_webhook_checks_signatures_and_channels() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let (id, _, _) = sent_email(&app, &token).await;
    let message_id = message_id_of(&app, id).await;

    let reply = json!({ "message_id": message_id, "event": "reply" });
    assert_problem(webhook(&app, &reply, None).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(
        webhook(
            &app,
            &reply,
            Some(sign(
                "wrong",
                now_secs(),
                &serde_json::to_vec(&reply).unwrap(),
            )),
        )
        .await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let signed = |body: &Value| Some(signed_now(&serde_json::to_vec(body).unwrap()));
    let response = webhook(&app, &reply, signed(&reply)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(counters(&app, id).await, (0, 0, 1));

    let bounce =
        json!({ "message_id": message_id, "event": "bounce", "reason": "550 no such user" });
    assert_eq!(
        webhook(&app, &bounce, signed(&bounce)).await.status(),
        StatusCode::OK
    );
    assert_eq!(app.status_of(id).await, "bounced");
    let detail = app.get_json(&format!("/emails/{id}"), &token).await;
    assert_eq!(detail["failure_reason"], "550 no such user");

    // Not through msc: a bounce cannot be known, so it is refused saying why.
    sqlx::query("UPDATE emails SET status = 'delivered', channel = 'gmail' WHERE id = $1")
        .bind(id)
        .execute(&app.db)
        .await
        .unwrap();
    let spam = json!({ "message_id": message_id, "event": "spam" });
    let problem = assert_problem(
        webhook(&app, &spam, signed(&spam)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("msc"));

    let unknown = json!({ "message_id": "<nope@x>", "event": "spam" });
    assert_problem(
        webhook(&app, &unknown, signed(&unknown)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn the_stream_tells_a_rep_of_their_changes_only_with_a_single_use_ticket() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let other = app.login(OTHER_REP).await;
    assert_problem(
        app.client.get(app.url("/stream")).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;

    let ticket = app.stream_ticket(&token).await;
    let mut stream = app
        .client
        .get(app.url(&format!("/stream?ticket={ticket}")))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let reused = app
        .client
        .get(app.url(&format!("/stream?ticket={ticket}")))
        .send()
        .await
        .unwrap();
    assert_problem(reused, StatusCode::UNAUTHORIZED).await;

    let first = String::from_utf8(stream.chunk().await.unwrap().unwrap().to_vec()).unwrap();
    assert!(first.contains("event: ready"), "{first}");
    // Another rep's change is not told; the rep's own is.
    let others = app.an_email(OTHER_REP, "delivered", false).await;
    app.post(&format!("/emails/{others}/archive"), &other, &json!({}))
        .await;
    let mine = app.an_email(DEMO_REP, "delivered", false).await;
    app.post(&format!("/emails/{mine}/archive"), &token, &json!({}))
        .await;
    let next = tokio::time::timeout(std::time::Duration::from_secs(5), stream.chunk())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let text = String::from_utf8(next.to_vec()).unwrap();
    assert!(text.contains("event: change"), "{text}");
    assert!(text.contains(&format!("\"ids\":[{mine}]")), "{text}");
    assert!(!text.contains(&others.to_string()), "{text}");
}

#[tokio::test]
async fn a_signed_webhook_request_counts_once_and_only_while_fresh() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let (id, _, _) = sent_email(&app, &token).await;
    let message_id = message_id_of(&app, id).await;
    let reply = json!({ "message_id": message_id, "event": "reply" });
    let body = serde_json::to_vec(&reply).unwrap();

    // Signed six minutes ago: refused, saying why.
    let stale = sign(WEBHOOK_SECRET, now_secs() - 6 * 60, &body);
    let problem = assert_problem(
        webhook(&app, &reply, Some(stale)).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("5 minutes"));
    // The old body-only form is refused too.
    assert_problem(
        webhook(&app, &reply, Some(format!("sha256={}", "0".repeat(64)))).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(counters(&app, id).await, (0, 0, 0));

    let fresh = signed_now(&body);
    let first = webhook(&app, &reply, Some(fresh.clone())).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.json::<Value>().await.unwrap()["recorded"], true);
    // The same request captured and sent again: answered, and nothing changes.
    let replayed = webhook(&app, &reply, Some(fresh.clone())).await;
    assert_eq!(replayed.status(), StatusCode::OK);
    assert_eq!(replayed.json::<Value>().await.unwrap()["recorded"], false);
    // Its MAC's hex in capitals verifies too, and is still the same request.
    let (t, mac) = fresh.split_once(",v1=").unwrap();
    let shouted = format!("{t},v1={}", mac.to_ascii_uppercase());
    let replayed = webhook(&app, &reply, Some(shouted)).await;
    assert_eq!(replayed.status(), StatusCode::OK);
    assert_eq!(replayed.json::<Value>().await.unwrap()["recorded"], false);
    assert_eq!(counters(&app, id).await, (0, 0, 1));

    // A bounce against an email archived meanwhile does not overwrite the archive.
    app.post(&format!("/emails/{id}/archive"), &token, &json!({}))
        .await;
    let bounce = json!({ "message_id": message_id, "event": "bounce", "reason": "550" });
    let signature = signed_now(&serde_json::to_vec(&bounce).unwrap());
    assert_problem(
        webhook(&app, &bounce, Some(signature)).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(app.status_of(id).await, "archived");
}

#[tokio::test]
async fn repeats_scanners_and_floods_are_answered_but_not_counted() {
    let app = crate::helpers::spawn_app_with(|config| {
        config.link_scan_window_secs = server::Config::default().link_scan_window_secs
    })
    .await;
    let token = app.login(DEMO_REP).await;
    let (id, tracking, link) = sent_email(&app, &token).await;
    let client = no_redirects();
    let pixel = format!("{}/t/v/{tracking}.gif", app.base);
    let link = format!("{}/t/c/{link}", app.base);

    // A mail scanner follows the link the moment the email lands: redirected, not a click.
    let scanned = client.get(&link).send().await.unwrap();
    assert_eq!(scanned.status(), StatusCode::FOUND);
    // A HEAD request is never a click or a view.
    assert_eq!(
        client.head(&link).send().await.unwrap().status(),
        StatusCode::FOUND
    );
    assert_eq!(
        client.head(&pixel).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(counters(&app, id).await, (0, 0, 0));

    // The prospect opens it (twice within the minute: one view), then clicks (twice: one click).
    for _ in 0..2 {
        let response = client
            .get(&pixel)
            .header("user-agent", "Prospect")
            .send()
            .await;
        assert_eq!(response.unwrap().status(), StatusCode::OK);
    }
    for _ in 0..2 {
        let response = client.get(&link).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FOUND);
    }
    assert_eq!(counters(&app, id).await, (1, 1, 0));
    // Someone else opening it is another view.
    client
        .get(&pixel)
        .header("user-agent", "Colleague")
        .send()
        .await
        .unwrap();
    assert_eq!(counters(&app, id).await, (2, 1, 0));
    let (events,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM email_events WHERE email_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(events, 3, "only what counted is stored");

    // A flood from one address: past the burst, 429 with Retry-After, and nothing more stored.
    let burst = server::rate_limits::BURST as usize;
    let flood_began = std::time::Instant::now();
    let mut refused = None;
    for i in 0..burst + 20 {
        let response = client
            .get(&pixel)
            .header("user-agent", format!("Flood {i}"))
            .send()
            .await
            .unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(response);
            break;
        }
    }
    let refused = refused.expect("the flood is refused");
    assert!(refused.headers().contains_key("retry-after"));
    let (views, _, _) = counters(&app, id).await;
    // The burst, and what the address earned back while the flood lasted.
    let earned = (flood_began.elapsed().as_secs_f64() * server::rate_limits::PER_SECOND).ceil();
    assert!(views <= 2 + burst as i64 + earned as i64, "{views}");
    // It passes: the address may be counted again.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let again = client
        .get(&pixel)
        .header("user-agent", "Later")
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
}
