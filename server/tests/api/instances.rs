//! Server processes on one PostgreSQL database work as one. Three share the sending: 10,000 due
//! emails reach an SMTP server once each, and when one instance is killed midway, the others
//! settle its sends once its lease expires: none lost, none sent twice, the interrupted ones
//! failed with the reason. A change made through one reaches a stream open on another, and a
//! session ended on one is refused by the other, each within two seconds.

use crate::helpers::{database_url_for, free_port, ServerProcess};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const EMAILS: i64 = 10_000;

struct Cluster {
    db: server::db::Db,
    instances: Vec<ServerProcess>,
    /// Each instance's API base URL.
    bases: Vec<String>,
    received: Arc<Mutex<Vec<String>>>,
    _dirs: Vec<tempfile::TempDir>,
}

/// Three instances on one new database, sending to one SMTP server that takes `delay` per
/// message; the first seeds the demo data before the others start.
async fn three_instances(delay: Duration) -> Cluster {
    instances(3, delay).await
}

async fn instances(count: usize, delay: Duration) -> Cluster {
    let received = Arc::new(Mutex::new(Vec::new()));
    let smtp = server::outbox::sink::start(received.clone(), delay)
        .await
        .unwrap();
    let dirs: Vec<tempfile::TempDir> = (0..count).map(|_| tempfile::tempdir().unwrap()).collect();
    let url = database_url_for(dirs[0].path())
        .await
        .expect("TEST_DATABASE_URL names the PostgreSQL cluster");
    for dir in &dirs[1..] {
        // The same database for each (see `database_url_for`).
        std::fs::write(dir.path().join("database-url"), &url).unwrap();
    }
    let (mut instances, mut bases) = (Vec::new(), Vec::new());
    for dir in &dirs {
        let smtp_url = format!("smtp://127.0.0.1:{smtp}");
        let args = ["--smtp-url", &smtp_url, "--instance-lease", "2"];
        let port = free_port();
        instances.push(ServerProcess::start(dir.path(), port, &args).await);
        bases.push(format!("http://127.0.0.1:{port}/api/v1"));
    }
    let db = server::db::connect_postgres(&url).await.unwrap().db;
    Cluster {
        db,
        instances,
        bases,
        received,
        _dirs: dirs,
    }
}

impl Cluster {
    /// 10,000 emails to the demo rep's people, due in a moment, each with its own subject.
    async fn schedule(&self) {
        let due = chrono::Utc::now().timestamp_millis() + 1_000;
        sqlx::query(
            "WITH reachable AS (
                 SELECT p.id, p.owner_id, row_number() OVER (ORDER BY p.id) - 1 AS n,
                        COUNT(*) OVER () AS total
                 FROM people p JOIN users u ON u.id = p.owner_id
                 WHERE u.email = 'aiko@example.com' AND p.opted_out_at IS NULL
                   AND p.do_not_contact_at IS NULL AND p.deleted_at IS NULL)
             INSERT INTO emails (owner_id, person_id, subject, body_html, status, channel,
                                 created_at, updated_at, scheduled_at, folder_at)
             SELECT r.owner_id, r.id, 'Load ' || g, '<p>Hello</p>', 'scheduled', 'msc',
                    $1, $1, $1, $1
             FROM generate_series(1, $2) g JOIN reachable r ON r.n = g % r.total",
        )
        .bind(due)
        .bind(EMAILS)
        .execute(&self.db)
        .await
        .unwrap();
    }

    /// (id → (status, Message-ID, failure reason)) of the loaded emails.
    async fn emails(&self) -> HashMap<i64, (String, Option<String>, Option<String>)> {
        let rows: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT id, status, message_id, failure_reason FROM emails WHERE subject LIKE 'Load %'",
        )
        .fetch_all(&self.db)
        .await
        .unwrap();
        rows.into_iter()
            .map(|(id, status, message_id, reason)| (id, (status, message_id, reason)))
            .collect()
    }

    async fn count(&self, statuses: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM emails WHERE subject LIKE 'Load %'
               AND status IN (SELECT value FROM json_each($1))",
        )
        .bind(statuses)
        .fetch_one(&self.db)
        .await
        .unwrap();
        n
    }

    /// Waits until no loaded email is scheduled or being sent.
    async fn settled(&self, within: Duration) {
        let started = Instant::now();
        while self.count(r#"["scheduled","in_progress"]"#).await > 0 {
            assert!(started.elapsed() < within, "still sending after {within:?}");
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// Every Message-ID the SMTP server received is one email's (a resend would leave the first
    /// one's ID behind, replaced on the email by the second's), and none twice.
    fn received_once_each(&self, emails: &HashMap<i64, (String, Option<String>, Option<String>)>) {
        let received = self.received.lock().unwrap().clone();
        let unique: HashSet<&String> = received.iter().collect();
        assert_eq!(unique.len(), received.len(), "a Message-ID arrived twice");
        let known: HashSet<&String> = emails.values().filter_map(|e| e.1.as_ref()).collect();
        let strays = unique.iter().filter(|id| !known.contains(**id)).count();
        assert_eq!(strays, 0, "messages that are no email's: sent twice");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: `cargo xtask test` runs it against its throwaway cluster"]
async fn three_instances_deliver_every_due_email_exactly_once() {
    let cluster = three_instances(Duration::ZERO).await;
    cluster.schedule().await;
    let started = Instant::now();
    cluster.settled(Duration::from_secs(300)).await;
    println!(
        "3 instances sent {EMAILS} emails in {:?}",
        started.elapsed()
    );
    let emails = cluster.emails().await;
    assert_eq!(emails.len() as i64, EMAILS);
    let delivered = emails.values().filter(|e| e.0 == "delivered").count();
    assert_eq!(delivered as i64, EMAILS, "every email delivered");
    cluster.received_once_each(&emails);
    assert_eq!(cluster.received.lock().unwrap().len() as i64, EMAILS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: `cargo xtask test` runs it against its throwaway cluster"]
async fn a_killed_instances_sends_are_settled_by_the_others() {
    // A slow SMTP server: the killed instance has sends in flight.
    let mut cluster = three_instances(Duration::from_millis(5)).await;
    cluster.schedule().await;
    let started = Instant::now();
    while cluster.count(r#"["delivered"]"#).await < EMAILS / 3 {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "sending never got going"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let killed = cluster.instances.remove(1);
    drop(killed); // SIGKILL: no chance to finish or settle anything.
    cluster.settled(Duration::from_secs(300)).await;

    let emails = cluster.emails().await;
    assert_eq!(emails.len() as i64, EMAILS, "none lost");
    let received: HashSet<String> = cluster.received.lock().unwrap().iter().cloned().collect();
    let mut interrupted = 0;
    for (id, (status, message_id, reason)) in &emails {
        match status.as_str() {
            "delivered" => assert!(
                received.contains(message_id.as_ref().unwrap()),
                "email {id} is delivered but never reached the SMTP server"
            ),
            "failed" => {
                assert_eq!(reason.as_deref(), Some(server::outbox::sender::INTERRUPTED));
                interrupted += 1;
            }
            other => panic!("email {id} ended {other}"),
        }
    }
    println!(
        "one of 3 instances killed: {} delivered, {interrupted} interrupted",
        emails.len() - interrupted
    );
    // At most what one instance had in flight was interrupted; the rep decides about those.
    assert!(
        interrupted <= server::outbox::sender::SEND_CONCURRENCY,
        "{interrupted} interrupted"
    );
    cluster.received_once_each(&emails);
}

#[tokio::test]
#[ignore = "needs PostgreSQL: `cargo xtask test` runs it against its throwaway cluster"]
async fn a_change_and_a_sign_out_on_one_instance_reach_the_other_within_two_seconds() {
    let cluster = instances(2, Duration::ZERO).await;
    let (a, b) = (&cluster.bases[0], &cluster.bases[1]);
    let client = reqwest::Client::new();
    let token = crate::helpers::sign_in(&client, a, crate::helpers::DEMO_REP).await;
    // Known to B as well: B remembers the session, as it would between requests.
    let me = |base: &String| client.get(format!("{base}/me")).bearer_auth(&token).send();
    assert_eq!(me(b).await.unwrap().status(), reqwest::StatusCode::OK);

    // A ticket taken through A opens a stream on B.
    let ticket: serde_json::Value = client
        .post(format!("{a}/stream/tickets"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ticket = ticket["ticket"].as_str().unwrap();
    let mut stream = client
        .get(format!("{b}/stream?ticket={ticket}"))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), reqwest::StatusCode::OK);
    let first = String::from_utf8(stream.chunk().await.unwrap().unwrap().to_vec()).unwrap();
    assert!(first.contains("event: ready"), "{first}");

    // A task made through A.
    let made = Instant::now();
    let task: serde_json::Value = client
        .post(format!("{a}/tasks"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "title": "Across instances", "kind": "call" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = task["id"].as_i64().expect("a task");
    let told = tokio::time::timeout(Duration::from_secs(2), async {
        loop {
            let chunk = stream
                .chunk()
                .await
                .unwrap()
                .expect("the stream stays open");
            let text = String::from_utf8(chunk.to_vec()).unwrap();
            if text.contains("event: change") && text.contains(&id.to_string()) {
                return text;
            }
        }
    })
    .await
    .expect("B's stream heard of A's change within 2 s");
    assert!(told.contains("tasks"), "{told}");
    println!("a change on A reached B's stream in {:?}", made.elapsed());

    // Signed out through A: B refuses the token, and closes its stream, within 2 s.
    let signed_out = Instant::now();
    let out = client
        .delete(format!("{a}/session"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), reqwest::StatusCode::NO_CONTENT);
    loop {
        if me(b).await.unwrap().status() == reqwest::StatusCode::UNAUTHORIZED {
            break;
        }
        assert!(
            signed_out.elapsed() < Duration::from_secs(2),
            "B still accepts a session ended on A"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let closed = tokio::time::timeout(Duration::from_secs(2), async {
        while let Ok(Some(_)) = stream.chunk().await {}
    })
    .await;
    assert!(closed.is_ok(), "B's stream outlived the session by 2 s");
    println!(
        "a sign-out on A was refused by B after {:?}",
        signed_out.elapsed()
    );
}
