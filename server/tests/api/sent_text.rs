//! The outbox keeps what the person received: once an email goes out, its subject and body are
//! the text sent (merge fields filled), checked against the messages an SMTP server received.

use crate::helpers::{assert_problem, spawn_app, spawn_app_with_smtp_sink, TestApp, DEMO_REP};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

async fn people_with_values(app: &TestApp, n: i64) -> Vec<(i64, String, String)> {
    let owner = app.user_id(DEMO_REP).await;
    sqlx::query_as(
        "SELECT id, first_name, last_name FROM people
         WHERE owner_id = $1 AND first_name <> '' AND last_name <> '' AND company <> ''
         ORDER BY id LIMIT $2",
    )
    .bind(owner)
    .bind(n)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

/// The visible text of an HTML body: tags dropped, the entities the builder writes undone.
/// The text of an HTML fragment, or of a document's body.
fn text_of(html: &str) -> String {
    let html = match (html.find("<body>"), html.find("</body>")) {
        (Some(start), Some(end)) => &html[start + "<body>".len()..end],
        _ => html,
    };
    let html = html.trim_start();
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").replace("&#39;", "'")
}

#[tokio::test]
async fn every_email_of_a_batch_records_the_text_its_person_received() {
    let (app, messages) = spawn_app_with_smtp_sink().await;
    let token = app.login(DEMO_REP).await;
    let people = people_with_values(&app, 4).await;
    let (english, japanese) = (&people[..2], &people[2..]);
    let mut sent = Vec::new();
    for (group, subject, body) in [
        (
            english,
            "Hello {{first_name}} at {{company}}",
            "<p>Hi {{first_name}}, see <a href=\"https://example.com/deck\">the deck</a>.</p>",
        ),
        (
            japanese,
            "{{last_name}} 様へのご提案（{{company}}）",
            "<p>{{last_name}} 様、いつもお世話になっております。</p>",
        ),
    ] {
        let recipients: Vec<Value> = group.iter().map(|p| json!({ "person_id": p.0 })).collect();
        let batch = json!({ "kind": "individual", "subject": subject, "body": body, "recipients": recipients });
        let created: Value = app
            .post("/emails/batch", &token, &batch)
            .await
            .json()
            .await
            .unwrap();
        for id in created["ids"].as_array().unwrap() {
            sent.push(id.as_i64().unwrap());
        }
    }
    for &id in &sent {
        assert_eq!(app.settled_status(id).await, "delivered");
    }

    let received = messages.lock().unwrap().clone();
    assert_eq!(received.len(), sent.len());
    for &id in &sent {
        let record = app.get_json(&format!("/emails/{id}"), &token).await;
        assert_eq!(record["text_is"], "as_sent");
        let subject = record["subject"].as_str().unwrap();
        assert!(!subject.contains("{{"), "filled: {subject}");
        let message_id = record["message_id"].as_str().unwrap();
        let raw = received
            .iter()
            .find(|m| m.contains(message_id))
            .expect("the message reached the SMTP server");
        let message = mail_parser::MessageParser::default()
            .parse(raw.as_bytes())
            .unwrap();
        assert_eq!(message.subject(), Some(subject));
        let got = text_of(&message.body_html(0).unwrap());
        let kept = text_of(record["body_html"].as_str().unwrap());
        assert!(got.starts_with(&kept), "received {got:?}, kept {kept:?}");
        // The record is what the outbox lists and what the quick filter finds.
        let listed = app
            .get_json(
                &format!("/emails?folder=delivered&q={}", urlencode(subject)),
                &token,
            )
            .await;
        assert!(listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == id));
    }
    // Each person's own values are in their copy.
    for (id, (_, first, last)) in sent.iter().zip(&people) {
        let record = app.get_json(&format!("/emails/{id}"), &token).await;
        let subject = record["subject"].as_str().unwrap();
        assert!(subject.contains(first.as_str()) || subject.contains(last.as_str()));
    }
    // The record keeps the links as the rep wrote them, not the tracking redirects.
    let first = app.get_json(&format!("/emails/{}", sent[0]), &token).await;
    assert!(first["body_html"]
        .as_str()
        .unwrap()
        .contains("https://example.com/deck"));

    // A merge field empty for one person is refused before anything is sent, as before.
    sqlx::query("UPDATE people SET company = '' WHERE id = $1")
        .bind(people[0].0)
        .execute(&app.db)
        .await
        .unwrap();
    let before = messages.lock().unwrap().len();
    let refused = app
        .post(
            "/emails/batch",
            &token,
            &json!({ "kind": "individual", "subject": "For {{company}}", "body": "x",
                     "recipients": [{ "person_id": people[0].0 }, { "person_id": people[1].0 }] }),
        )
        .await;
    assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(messages.lock().unwrap().len(), before);
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_scheduled_email_keeps_its_merge_fields_and_previews_what_will_go_out() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let (person, first_name, _) = people_with_values(&app, 1).await.remove(0);
    let send_at = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    let created: Value = app
        .post(
            "/emails",
            &token,
            &json!({ "person_id": person, "subject": "Hi {{first_name}}", "body": "<p>Dear {{first_name}}</p>", "send_at": send_at }),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    let detail = app.get_json(&format!("/emails/{id}"), &token).await;
    assert_eq!(detail["status"], "scheduled");
    assert_eq!(detail["subject"], "Hi {{first_name}}");
    assert_eq!(detail["text_is"], "template");
    assert_eq!(detail["preview"]["subject"], format!("Hi {first_name}"));
    assert!(detail["preview"]["body_html"]
        .as_str()
        .unwrap()
        .contains(&format!("Dear {first_name}")));
    assert_eq!(detail["preview"]["unfilled"], json!([]));

    // Sent now: the record becomes the preview, and there is nothing left to preview.
    let sent = app
        .post(&format!("/emails/{id}/send_now"), &token, &json!({}))
        .await;
    assert_eq!(sent.status(), StatusCode::OK);
    assert_eq!(app.settled_status(id).await, "delivered");
    let detail = app.get_json(&format!("/emails/{id}"), &token).await;
    assert_eq!(detail["subject"], format!("Hi {first_name}"));
    assert_eq!(detail["preview"], Value::Null);
    assert!(app
        .sent_message(id)
        .await
        .contains(&format!("Dear {first_name}")));
}

#[tokio::test]
async fn emails_sent_before_are_filled_in_once_at_start_or_marked_as_written() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let owner = app.user_id(DEMO_REP).await;
    let (person, first_name, _) = people_with_values(&app, 1).await.remove(0);
    let (blank,): (i64,) = sqlx::query_as(
        "INSERT INTO people (owner_id, first_name, last_name, email, email_key, created_at)
         VALUES ($1, 'Nadia', 'Ito', 'nadia@example.com', 'nadia@example.com', 0) RETURNING id",
    )
    .bind(owner)
    .fetch_one(&app.db)
    .await
    .unwrap();
    // As emails sent before looked: delivered, their template still in the record.
    let mut ids = Vec::new();
    for who in [person, blank] {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO emails (owner_id, person_id, subject, body_html, status, channel,
                                 created_at, updated_at, sent_at, folder_at)
             VALUES ($1, $2, 'For {{first_name}} at {{company}}', '<p>x</p>', 'delivered', 'msc', 0, 0, 0, 0)
             RETURNING id",
        )
        .bind(owner)
        .bind(who)
        .fetch_one(&app.db)
        .await
        .unwrap();
        ids.push(id);
    }
    let sender = server::outbox::sender::Sender {
        db: app.db.clone(),
        transport: Arc::new(
            server::outbox::mail::Transport::new(None, app.outbox.clone()).unwrap(),
        ),
        changes: server::changes::Changes::default(),
        public_url: app.base.clone(),
        wake: Default::default(),
        interval: Duration::from_secs(1),
        signer: None,
        message_id_domain: None,
        instance: server::outbox::claims::Instance {
            id: "fill-sent-text-test".into(),
            lease: Duration::from_secs(30),
        },
        return_path: None,
        retries: Arc::new([]),
    };
    sender.fill_sent_text().await.unwrap();
    let filled = app.get_json(&format!("/emails/{}", ids[0]), &token).await;
    assert!(filled["subject"]
        .as_str()
        .unwrap()
        .starts_with(&format!("For {first_name} at ")));
    assert_eq!(filled["text_is"], "as_sent");
    let kept = app.get_json(&format!("/emails/{}", ids[1]), &token).await;
    assert_eq!(kept["subject"], "For {{first_name}} at {{company}}");
    assert_eq!(kept["text_is"], "as_written");
    // Once: a second pass changes nothing.
    sender.fill_sent_text().await.unwrap();
    let again = app.get_json(&format!("/emails/{}", ids[1]), &token).await;
    assert_eq!(again["text_is"], "as_written");
}
