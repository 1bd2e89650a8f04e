//! The watched mailbox, against a real IMAP server (the Dovecot `cargo xtask test` starts; each
//! test reads a mailbox of its own): a reply counts and shows its first words, an out-of-office
//! does not; a hard bounce makes the email Bounced with its diagnostic, a delay changes nothing,
//! an abuse report makes it Spam; mail that matches nothing or cannot be parsed is left alone;
//! Shift_JIS and ISO-2022-JP replies read as Japanese; and each message acts once, also when the
//! server is killed and started again with more mail waiting.

use crate::helpers::{
    database_url_for, first_person, free_port, sign_in, spawn_app_with,
    spawn_app_with_smtp_sink_and, ServerProcess, TestApp, DEMO_REP,
};
use serde_json::{json, Value};
use std::time::Duration;

/// The Message-ID the fixtures answer, replaced by a real one.
const FIXTURE_ID: &str = "cc-1-abc@example.com";

pub(crate) fn imap_address() -> String {
    std::env::var("TEST_IMAP_ADDR").expect(
        "TEST_IMAP_ADDR: these tests read from the IMAP server that `cargo xtask test` starts",
    )
}

/// A mailbox of this test's own (the test server takes any user with the password `secret`).
pub(crate) fn new_mailbox() -> String {
    static MADE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("t{}x{n}x{nanos}", std::process::id())
}

fn imap_url(mailbox: &str) -> String {
    format!("imap://{mailbox}:secret@{}/INBOX", imap_address())
}

/// A fixture of `server/src/mailbox/fixtures`, answering or returning the email `message_id`.
pub(crate) fn fixture(name: &str, message_id: &str) -> Vec<u8> {
    let path = format!("{}/src/mailbox/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read(&path).unwrap();
    let id = message_id.trim_matches(['<', '>']);
    // The ids are ASCII: a byte replacement keeps any charset intact.
    let (from, to) = (FIXTURE_ID.as_bytes(), id.as_bytes());
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    out
}

/// Puts a message into the mailbox, as a mail server delivering it would.
pub(crate) async fn deliver(mailbox: &str, raw: &[u8]) {
    let tcp = tokio::net::TcpStream::connect(imap_address())
        .await
        .unwrap();
    let mut client = async_imap::Client::new(tcp);
    client.read_response().await.unwrap();
    let mut session = client
        .login(mailbox, "secret")
        .await
        .map_err(|(e, _)| e)
        .unwrap();
    session.append("INBOX", None, None, raw).await.unwrap();
    session.logout().await.unwrap();
}

async fn watched_app() -> (TestApp, String) {
    let mailbox = new_mailbox();
    let url = imap_url(&mailbox);
    let app = spawn_app_with(|config| config.imap_url = Some(url)).await;
    (app, mailbox)
}

/// Sends an email to one of the rep's people and waits until it is delivered.
pub(crate) async fn sent(app: &TestApp, token: &str, nth_person: usize) -> (i64, String) {
    let people = app.get_json("/people?limit=20", token).await;
    let person = people["items"][nth_person]["id"].as_i64().unwrap();
    let id = app
        .post_for_id(
            "/emails",
            token,
            &json!({ "person_id": person, "subject": "A faster pipeline", "body": "<p>Hi {{first_name}}</p>" }),
        )
        .await;
    assert_eq!(app.settled_status(id).await, "delivered");
    (id, app.message_id(id).await)
}

/// Waits (up to 10 s) until the server has read `count` messages.
async fn read(app: &TestApp, count: i64) {
    for _ in 0..200 {
        let (read,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM inbound_messages")
            .fetch_one(&app.db)
            .await
            .unwrap();
        if read >= count {
            assert_eq!(read, count, "no message is read twice");
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not read {count} messages from the mailbox");
}

async fn kinds(app: &TestApp) -> Vec<(String, Option<i64>)> {
    sqlx::query_as("SELECT kind, email_id FROM inbound_messages ORDER BY kind, email_id")
        .fetch_all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_reply_counts_with_its_first_words_and_an_out_of_office_does_not() {
    let (app, mailbox) = watched_app().await;
    let token = app.login(DEMO_REP).await;
    let (id, message_id) = sent(&app, &token, 0).await;
    deliver(&mailbox, &fixture("out-of-office.eml", &message_id)).await;
    deliver(&mailbox, &fixture("reply.eml", &message_id)).await;
    read(&app, 2).await;
    let email = app.get_json(&format!("/emails/{id}"), &token).await;
    assert_eq!(email["replies"], 1, "{email}");
    // The timeline shows the reply with what was written, not the quoted message.
    let replies: Vec<&Value> = email["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["kind"] == "reply")
        .collect();
    assert_eq!(replies.len(), 1, "{email}");
    assert_eq!(
        replies[0]["detail"],
        "Thanks, Aiko. Tuesday at 10 works for us. Pat"
    );
    assert_eq!(
        kinds(&app).await,
        [
            ("auto_reply".to_owned(), Some(id)),
            ("reply".to_owned(), Some(id))
        ]
    );
}

#[tokio::test]
async fn bounces_delays_and_complaints_end_where_they_should_and_the_rest_is_left_alone() {
    let (app, mailbox) = watched_app().await;
    let token = app.login(DEMO_REP).await;
    let (hard, hard_id) = sent(&app, &token, 0).await;
    let (soft, soft_id) = sent(&app, &token, 1).await;
    let (spam, spam_id) = sent(&app, &token, 2).await;
    deliver(&mailbox, &fixture("bounce-hard.eml", &hard_id)).await;
    deliver(&mailbox, &fixture("bounce-soft.eml", &soft_id)).await;
    deliver(&mailbox, &fixture("arf.eml", &spam_id)).await;
    deliver(&mailbox, &fixture("unrelated.eml", "")).await;
    deliver(&mailbox, &fixture("malformed.eml", "")).await;
    read(&app, 5).await;
    assert_eq!(app.status_of(hard).await, "bounced");
    let email = app.get_json(&format!("/emails/{hard}"), &token).await;
    let reason = email["failure_reason"].as_str().unwrap();
    assert!(
        reason.contains("5.1.1") && reason.contains("User unknown"),
        "{reason}"
    );
    assert_eq!(app.status_of(soft).await, "delivered");
    assert_eq!(app.status_of(spam).await, "spam");
    let mut expected = vec![
        ("bounce".to_owned(), Some(hard)),
        ("delayed".to_owned(), Some(soft)),
        ("spam".to_owned(), Some(spam)),
        ("unrelated".to_owned(), None),
        ("unrelated".to_owned(), None),
    ];
    expected.sort();
    assert_eq!(kinds(&app).await, expected);
}

#[tokio::test]
async fn a_bounce_that_quotes_nothing_finds_its_email_by_the_return_path() {
    let mailbox = new_mailbox();
    let url = imap_url(&mailbox);
    let (app, messages) = spawn_app_with_smtp_sink_and(|config| {
        config.imap_url = Some(url);
        config.bounce_address = Some("bounce@demo.example".into());
    })
    .await;
    let token = app.login(DEMO_REP).await;
    let (id, message_id) = sent(&app, &token, 0).await;
    // The SMTP server was given the email's own return path.
    let kept = messages
        .lock()
        .unwrap()
        .iter()
        .find(|m| m.contains(&message_id))
        .cloned()
        .expect("the SMTP server received it");
    let return_path = kept.lines().next().unwrap();
    let verp = return_path
        .strip_prefix("Return-Path: <bounce+")
        .and_then(|rest| rest.strip_suffix("@demo.example>"))
        .unwrap_or_else(|| panic!("{return_path}"));
    assert_eq!(verp.len(), 32);
    let bounce = String::from_utf8(fixture("bounce-verp.eml", &message_id))
        .unwrap()
        .replace("0123456789ABCDEF0123456789abcdef", verp);
    deliver(&mailbox, bounce.as_bytes()).await;
    read(&app, 1).await;
    assert_eq!(app.status_of(id).await, "bounced");
    let email = app.get_json(&format!("/emails/{id}"), &token).await;
    let reason = email["failure_reason"].as_str().unwrap();
    assert!(
        reason.contains("5.7.1") && reason.contains("rejected by policy"),
        "{reason}"
    );
}

#[tokio::test]
async fn replies_in_shift_jis_and_iso_2022_jp_read_as_japanese() {
    let (app, mailbox) = watched_app().await;
    let token = app.login(DEMO_REP).await;
    let (id, message_id) = sent(&app, &token, 0).await;
    deliver(&mailbox, &fixture("reply-shift-jis.eml", &message_id)).await;
    deliver(&mailbox, &fixture("reply-iso-2022-jp.eml", &message_id)).await;
    read(&app, 2).await;
    let details: Vec<(Option<String>,)> =
        sqlx::query_as("SELECT detail FROM email_events WHERE email_id = $1 AND kind = 'reply'")
            .bind(id)
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(details.len(), 2);
    for (detail,) in details {
        assert_eq!(
            detail.as_deref(),
            Some("ご連絡ありがとうございます。火曜日で大丈夫です。")
        );
    }
}

/// The replies an email has, read through the API of a server process.
async fn replies(client: &reqwest::Client, base: &str, token: &str, id: i64) -> Value {
    client
        .get(format!("{base}/emails/{id}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["replies"]
        .clone()
}

#[tokio::test]
async fn each_message_acts_once_across_a_kill_and_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mailbox = new_mailbox();
    let url = imap_url(&mailbox);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let args = ["--imap-url", url.as_str()];
    let mut server = ServerProcess::start(&data, port, &args).await;
    let client = reqwest::Client::new();
    let token = sign_in(&client, &base, DEMO_REP).await;
    let person = first_person(&client, &base, &token).await;
    let sent: Value = client
        .post(format!("{base}/emails"))
        .bearer_auth(&token)
        .json(&json!({ "person_id": person, "subject": "Hello", "body": "<p>Hi</p>" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = sent["id"].as_i64().unwrap();
    let db = server::db::open(
        database_url_for(&data).await.as_deref(),
        &server::Config {
            data_dir: data.clone(),
            ..server::Config::default()
        }
        .database_path(),
    )
    .await
    .unwrap()
    .db;
    let mut message_id = None;
    for _ in 0..200 {
        let (status, id): (String, Option<String>) =
            sqlx::query_as("SELECT status, message_id FROM emails WHERE id = $1")
                .bind(id)
                .fetch_one(&db)
                .await
                .unwrap();
        if status == "delivered" {
            message_id = id;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let message_id = message_id.expect("the email was delivered");
    let reply = fixture("reply.eml", &message_id);
    deliver(&mailbox, &reply).await;
    let mut counted = Value::Null;
    for _ in 0..200 {
        counted = replies(&client, &base, &token, id).await;
        if counted == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(counted, 1, "the first reply counted");

    server.0.kill().unwrap(); // SIGKILL: no shutdown code runs.
    server.0.wait().unwrap();
    // While it is down: a second reply, and the first one again (a copy: a new UID).
    let second = String::from_utf8(reply.clone()).unwrap().replace(
        "<CAF1234@mail.prospect.example>",
        "<CAF5678@mail.prospect.example>",
    );
    deliver(&mailbox, second.as_bytes()).await;
    deliver(&mailbox, &reply).await;
    let _server = ServerProcess::start(&data, port, &args).await;
    let token = sign_in(&client, &base, DEMO_REP).await;
    let mut caught_up = false;
    for _ in 0..200 {
        let (read,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM inbound_messages")
            .fetch_one(&db)
            .await
            .unwrap();
        let (position,): (i64,) = sqlx::query_as("SELECT last_uid FROM mailbox_positions")
            .fetch_one(&db)
            .await
            .unwrap();
        if position == 3 {
            assert_eq!(read, 2, "the copy is not kept again");
            caught_up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        caught_up,
        "the restarted server read the mail that arrived while it was down"
    );
    assert_eq!(replies(&client, &base, &token, id).await, 2);
}
