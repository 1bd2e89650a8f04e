//! Messages as mailbox providers read them, taken from what an SMTP server received:
//! well-formed MIME with a text part and a whole HTML document, a Message-ID in the sending
//! domain, Japanese that survives; a DKIM signature that an independent verifier (Python's
//! dkimpy) accepts against the key's public half; and SpamAssassin's local rules scoring a plain
//! sales email, a Japanese one, a campaign email and a Select and Send copy at 0.5 or less.

use crate::helpers::{spawn_app_with_smtp_sink_and, Received, TestApp, DEMO_REP};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};

const DKIM_KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/api/fixtures/dkim-test-rsa.pem"
);

fn dkim_settings() -> server::config::DkimSettings {
    server::config::DkimSettings {
        selector: "cc2026".into(),
        domain: "example.com".into(),
        key: DKIM_KEY.into(),
    }
}

/// A server that signs with the test key and sends through an SMTP server that keeps messages.
async fn signing_app() -> (TestApp, Received) {
    signing_app_with(dkim_settings()).await
}

async fn signing_app_with(settings: server::config::DkimSettings) -> (TestApp, Received) {
    spawn_app_with_smtp_sink_and(|config| config.dkim = Some(settings)).await
}

/// A person of the rep's whose name is in Japanese, or not.
async fn person(app: &TestApp, japanese: bool) -> i64 {
    let owner = app.user_id(DEMO_REP).await;
    let people: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, last_name FROM people WHERE owner_id = $1 AND opted_out_at IS NULL ORDER BY id",
    )
    .bind(owner)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let in_japanese = |name: &str| name.chars().next().is_some_and(|c| c > '\u{2EE0}');
    people
        .into_iter()
        .find(|(_, name)| in_japanese(name) == japanese)
        .expect("the demo has people with Japanese and with English names")
        .0
}

/// Sends and waits for the message the SMTP server received for it.
async fn sent(app: &TestApp, messages: &Received, token: &str, body: Value) -> String {
    let response = app.post("/emails", token, &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    received(app, messages, id).await
}

async fn received(app: &TestApp, messages: &Received, id: i64) -> String {
    assert_eq!(app.settled_status(id).await, "delivered");
    let message_id = app.message_id(id).await;
    let found = messages
        .lock()
        .unwrap()
        .iter()
        .find(|m| m.contains(&message_id))
        .cloned();
    found.expect("the SMTP server received it")
}

/// The Python with dkimpy that `cargo xtask test` prepares (`PYTHON`), or the system's.
fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".into())
}

#[tokio::test]
async fn a_message_is_multipart_with_a_text_part_a_whole_document_and_a_sending_domain_id() {
    let (app, messages) = signing_app().await;
    let token = app.login(DEMO_REP).await;
    let to = person(&app, true).await;
    let raw = sent(
        &app,
        &messages,
        &token,
        json!({ "person_id": to, "subject": "{{last_name}}様 ご提案の件",
                "body": "<p>{{last_name}}様</p><p>先日はありがとうございました。<a href=\"https://example.com/資料\">資料</a>をお送りします。</p>" }),
    )
    .await;
    let headers = &raw[..raw.find("\r\n\r\n").unwrap()];
    assert!(headers.contains("\r\nMIME-Version: 1.0"), "{headers}");
    assert!(headers.contains("\r\nDate: "), "{headers}");
    assert!(
        headers.contains("Content-Type: multipart/alternative"),
        "{headers}"
    );
    // The rep is aiko@example.com: the ID names that domain, not the server's host.
    assert!(regex_like_message_id(headers, "@example.com>"), "{headers}");
    // Japanese in the subject travels encoded (RFC 2047) and reads back whole.
    assert!(headers.contains("Subject: =?utf-8?"), "{headers}");
    let message = mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .unwrap();
    assert!(message.subject().unwrap().ends_with("様 ご提案の件"));
    let text = message.body_text(0).unwrap();
    assert!(
        text.contains(
            "先日はありがとうございました。資料 (https://example.com/資料)をお送りします。"
        ),
        "{text}"
    );
    assert!(text.contains("配信停止: http"), "{text}");
    let html = message.body_html(0).unwrap();
    assert!(html.starts_with("<!doctype html>"), "{html}");
    assert!(
        html.contains("<html lang=\"ja\"><head><meta charset=\"utf-8\">"),
        "{html}"
    );
}

fn regex_like_message_id(headers: &str, ending: &str) -> bool {
    headers
        .lines()
        .any(|line| line.starts_with("Message-ID: <") && line.trim_end().ends_with(ending))
}

#[tokio::test]
async fn the_dkim_signature_verifies_with_an_independent_verifier_against_the_public_key() {
    assert_signature_verifies(dkim_settings(), "rsa-sha256").await;
}

#[tokio::test]
async fn an_ed25519_signature_verifies_too() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("ed25519.key");
    // An Ed25519 key is its 32 bytes, in base64 (RFC 8463).
    use base64::Engine;
    std::fs::write(
        &key,
        base64::engine::general_purpose::STANDARD.encode([7u8; 32]),
    )
    .unwrap();
    let settings = server::config::DkimSettings {
        key,
        ..dkim_settings()
    };
    assert_signature_verifies(settings, "ed25519-sha256").await;
}

async fn assert_signature_verifies(settings: server::config::DkimSettings, algorithm: &str) {
    let (app, messages) = signing_app_with(settings.clone()).await;
    let token = app.login(DEMO_REP).await;
    let to = person(&app, false).await;
    let raw = sent(
        &app,
        &messages,
        &token,
        json!({ "person_id": to, "subject": "Quick question, {{first_name}}",
                "body": "<p>Hi {{first_name}},</p><p>Would a short call next week help {{company}}?</p>" }),
    )
    .await;
    assert!(raw.starts_with("DKIM-Signature: ") || raw.contains("\r\nDKIM-Signature: "));
    let signature = raw
        .split("\r\n")
        .skip_while(|l| !l.starts_with("DKIM-Signature:"))
        .take_while(|l| l.starts_with("DKIM-Signature:") || l.starts_with([' ', '\t']))
        .collect::<String>();
    assert!(signature.contains("c=relaxed/relaxed"), "{signature}");
    assert!(signature.contains(&format!("a={algorithm}")), "{signature}");
    for header in [
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "content-type",
        "list-unsubscribe",
    ] {
        assert!(
            signature.to_ascii_lowercase().contains(header),
            "{header} is signed: {signature}"
        );
    }
    let record = server::outbox::dkim::dns_record(&settings).unwrap();
    let txt = record
        .split_once(" TXT ")
        .unwrap()
        .1
        .trim_matches('"')
        .to_owned();
    assert!(
        verify_with_dkimpy(&raw, &txt),
        "dkimpy verifies the signature"
    );
    // The same check refuses a message changed after signing.
    let tampered = raw.replacen("Would a short call", "Would a long call", 1);
    assert!(
        !verify_with_dkimpy(&tampered, &txt),
        "dkimpy refuses a changed body"
    );
}

/// What a command printed, given `input` on its standard input.
fn fed(command: &mut Command, input: &str, runs: &str) -> std::process::Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect(runs);
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// dkimpy's verdict, with DNS answered by the record we would publish.
fn verify_with_dkimpy(message: &str, txt: &str) -> bool {
    let script = "import sys, dkim\n\
        txt = sys.argv[1].encode()\n\
        msg = sys.stdin.buffer.read()\n\
        ok = dkim.verify(msg, dnsfunc=lambda name, timeout=5: txt if name == b'cc2026._domainkey.example.com.' else None)\n\
        print('pass' if ok else 'fail')\n";
    let output = fed(
        Command::new(python()).args(["-c", script, txt]),
        message,
        "python3 runs",
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "dkimpy ran (cargo xtask test installs it; set PYTHON to a Python that has it): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout.trim() == "pass"
}

/// SpamAssassin's score of a message with its local rules only, and its report.
fn spam_score(message: &str) -> (f64, String) {
    let output = fed(
        Command::new("spamassassin").args(["-L", "-t"]),
        message,
        "spamassassin runs (cargo xtask test installs Debian's package)",
    );
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let status = text
        .lines()
        .find(|l| l.starts_with("X-Spam-Status:"))
        .unwrap_or_else(|| panic!("no X-Spam-Status in {text}"));
    let score: f64 = status
        .split("score=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no score in {status}"));
    let report = text
        .split("Content analysis details:")
        .nth(1)
        .unwrap_or("")
        .trim()
        .to_owned();
    (score, report)
}

#[tokio::test]
async fn spamassassin_scores_each_kind_of_message_at_half_a_point_or_less() {
    let (app, messages) = signing_app().await;
    let token = app.login(DEMO_REP).await;
    let english = person(&app, false).await;
    let japanese = person(&app, true).await;
    let campaign = app
        .post_for_id("/campaigns", &token, &json!({ "name": "Q1 outreach" }))
        .await;
    let mut scored = Vec::new();
    let plain = sent(&app, &messages, &token, json!({ "person_id": english,
        "subject": "Quick question about {{company}}",
        "body": "<p>Hi {{first_name}},</p><p>I work with operations teams like yours at {{company}} on cutting the time spent on manual reporting. Teams we work with usually save a few hours every week.</p><p>Would a 20-minute call next Tuesday or Wednesday be useful? Here is a <a href=\"https://example.com/case-study\">short case study</a> in the meantime.</p><p>Best regards,<br>Aiko Sato</p>" })).await;
    scored.push(("a plain sales email", plain));
    let ja = sent(&app, &messages, &token, json!({ "person_id": japanese,
        "subject": "{{company}} {{last_name}}様 業務効率化のご提案",
        // As Japanese business email writes a link: on a line of its own (a link inside a run of
        // Japanese reads to filters as obfuscation, and compose warns about it).
        "body": "<p>{{company}}<br>{{last_name}}様</p><p>お世話になっております。佐藤です。</p><p>先日は展示会のブースにお立ち寄りいただき、ありがとうございました。月次レポートの作成にかかる時間を短縮できる事例をまとめました。</p><p>▼事例のご紹介<br><a href=\"https://example.com/jirei\">https://example.com/jirei</a></p><p>来週、30分ほどお時間をいただけますでしょうか。</p><p>よろしくお願いいたします。</p>" })).await;
    scored.push(("a Japanese email", ja));
    let step = sent(&app, &messages, &token, json!({ "person_id": english, "campaign_id": campaign,
        "subject": "Following up, {{first_name}}",
        "body": "<p>Hi {{first_name}},</p><p>Following up on my note from last week about reporting at {{company}}. If the timing is not right, just let me know and I will check back next quarter.</p><p>Thanks,<br>Aiko</p>" })).await;
    scored.push(("a campaign email", step));
    let batch = app
        .post(
            "/emails/batch",
            &token,
            &json!({ "kind": "individual", "subject": "An idea for {{company}}",
                     "body": "<p>Hi {{first_name}},</p><p>I noticed {{company}} is growing its sales team this year. We help teams keep every prospect's emails and tasks in one place, so nothing slips.</p><p>Open to a quick chat next week?</p><p>Aiko</p>",
                     "recipients": [{ "person_id": english }] }),
        )
        .await;
    assert_eq!(batch.status(), StatusCode::CREATED);
    let id = batch.json::<Value>().await.unwrap()["ids"][0]
        .as_i64()
        .unwrap();
    scored.push((
        "a Select and Send copy",
        received(&app, &messages, id).await,
    ));

    let mut too_high = Vec::new();
    for (what, message) in &scored {
        let (score, report) = spam_score(message);
        println!("SpamAssassin (local rules), {what}: {score}\n{report}\n");
        if score > 0.5 {
            too_high.push(format!("{what}: {score}\n{report}"));
        }
    }
    assert!(
        too_high.is_empty(),
        "scored above 0.5:\n{}",
        too_high.join("\n\n")
    );
}

#[tokio::test]
async fn opens_and_clicks_are_tracked_as_the_email_or_else_the_rep_chooses() {
    let (app, messages) = signing_app().await;
    let token = app.login(DEMO_REP).await;
    let to = person(&app, false).await;
    let body =
        "<p>Hi {{first_name}}, here is <a href=\"https://example.com/deck\">the deck</a>.</p>";
    let html_of = |raw: &str| {
        mail_parser::MessageParser::default()
            .parse(raw.as_bytes())
            .unwrap()
            .body_html(0)
            .unwrap()
            .into_owned()
    };
    // By default both: the link goes through the server and the view pixel is there.
    let tracked = html_of(
        &sent(
            &app,
            &messages,
            &token,
            json!({ "person_id": to, "subject": "One", "body": body }),
        )
        .await,
    );
    assert!(
        tracked.contains("/t/c/") && tracked.contains("/t/v/"),
        "{tracked}"
    );
    assert!(!tracked.contains("https://example.com/deck"));
    // This email counts neither.
    let quiet = html_of(
        &sent(
            &app,
            &messages,
            &token,
            json!({ "person_id": to, "subject": "Two", "body": body,
        "track_opens": false, "track_links": false }),
        )
        .await,
    );
    assert!(
        quiet.contains("href=\"https://example.com/deck\""),
        "{quiet}"
    );
    assert!(
        !quiet.contains("/t/c/") && !quiet.contains("/t/v/"),
        "{quiet}"
    );
    // The rep stops counting clicks by default; a new email keeps its pixel and its own links.
    let me = app
        .client
        .patch(app.url("/me"))
        .bearer_auth(&token)
        .json(&json!({ "track_links": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    let me: Value = me.json().await.unwrap();
    assert_eq!(
        (me["track_opens"].as_bool(), me["track_links"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(app.get_json("/me", &token).await["track_links"], false);
    let rep_default = html_of(
        &sent(
            &app,
            &messages,
            &token,
            json!({ "person_id": to, "subject": "Three", "body": body }),
        )
        .await,
    );
    assert!(
        rep_default.contains("href=\"https://example.com/deck\"") && rep_default.contains("/t/v/"),
        "{rep_default}"
    );
}
