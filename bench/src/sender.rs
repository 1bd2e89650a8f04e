//! Sender throughput: 10,000 emails due at the same moment, delivered over SMTP to a sink on
//! loopback. Reports emails per second, and that none was lost or sent twice.

use serde_json::json;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub async fn run(root: &std::path::Path, emails: i64) -> anyhow::Result<serde_json::Value> {
    let dir = root.join("sender");
    let _ = std::fs::remove_dir_all(&dir);
    let mut config = server::Config {
        port: 0,
        data_dir: dir.clone(),
        dist_dir: dir.join("no-dist"),
        ..server::Config::default()
    };
    std::fs::create_dir_all(&config.dist_dir)?;
    let db = server::db::open(None, &config.database_path()).await?.db;
    let scale = crate::generate::Scale {
        reps: 1,
        people: emails,
        emails: 1,
        events: 1,
        tasks: 1,
    };
    crate::generate::fill(&db, scale).await?;
    let now = chrono::Utc::now().timestamp_millis();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DELETE FROM email_events; DELETE FROM emails;
         INSERT INTO emails (owner_id, person_id, subject, body_html, status, channel, created_at,
                             updated_at, scheduled_at, folder_at)
         SELECT 1, id, 'Due now', '<p>Hi {{{{first_name}}}}, <a href=\"https://example.com/x\">x</a></p>',
                'scheduled', 'msc', {now}, {now}, {now}, {now} FROM people LIMIT {emails}"
    )))
    .execute(&db)
    .await?;
    db.close().await;

    let received = Arc::new(Mutex::new(Vec::new()));
    let port = server::outbox::sink::start(received.clone(), Duration::ZERO).await?;
    config.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    config.sender_interval_ms = 50;
    let app = server::Application::build(config).await?;
    let db = app.db.clone();
    let started = Instant::now();
    let served = tokio::spawn(app.serve(std::future::pending()));
    let deadline = started + Duration::from_secs(600);
    loop {
        let (left,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM emails WHERE status IN ('scheduled', 'in_progress')",
        )
        .fetch_one(&db)
        .await?;
        if left == 0 || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    served.abort();
    let (delivered,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM emails WHERE status = 'delivered'")
            .fetch_one(&db)
            .await?;
    let ids = received.lock().expect("the sink's list").clone();
    let unique: HashSet<&String> = ids.iter().collect();
    let result = json!({
        "emails": emails,
        "seconds": elapsed,
        "emails_per_s": delivered as f64 / elapsed,
        "delivered": delivered,
        "received_by_smtp": ids.len(),
        "duplicates": ids.len() - unique.len(),
        "lost": emails - unique.len() as i64,
    });
    let _ = std::fs::remove_dir_all(&dir);
    Ok(result)
}
