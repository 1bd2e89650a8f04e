//! `copy-database` moves a SQLite database into an empty PostgreSQL one, and the server then runs
//! on the copy as it ran on the original, given the original's secret file (never copied into
//! the database).

use crate::helpers::{database_url_for, DEMO_REP};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
#[ignore = "needs PostgreSQL: `cargo xtask test` runs it against its throwaway cluster"]
async fn a_sqlite_database_moves_to_postgres_whole_and_keeps_working() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("command-center.sqlite3");
    let source = server::db::connect_sqlite(&file).await.unwrap().db;
    server::demo::seed(&source).await.unwrap();
    let (emails,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM emails")
        .fetch_one(&source)
        .await
        .unwrap();
    source.close().await;
    // The secret the SQLite server kept beside its file (links in sent emails are signed with
    // it, reps' mailbox passwords sealed).
    let secret_file = dir.path().join("secret");
    std::fs::write(&secret_file, "the SQLite server's secret, long enough\n").unwrap();

    let url = database_url_for(&dir.path().join("target")).await.unwrap();
    let counts = server::db::copy_database(&file, &url).await.unwrap();
    let count = |table: &str| counts.iter().find(|(t, _)| t == table).unwrap().1;
    assert_eq!(count("emails"), emails);
    assert!(count("users") >= 2 && count("people") > 0 && count("email_events") > 0);
    assert!(
        count("folder_counts") > 0,
        "the triggers counted the folders"
    );

    let target = server::db::connect_postgres(&url).await.unwrap().db;
    let (in_database,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM server_settings WHERE name = 'secret'")
            .fetch_one(&target)
            .await
            .unwrap();
    assert_eq!(in_database, 0, "the secret stays out of the database");

    // A target that holds data is refused, and keeps what it holds.
    let again = server::db::copy_database(&file, &url).await.unwrap_err();
    assert!(again.to_string().contains("already holds data"), "{again}");

    // Without the secret file, a server on PostgreSQL does not start, and says what it needs.
    let without = server::Application::build(server::Config {
        port: 0,
        database_url: Some(url.clone()),
        data_dir: dir.path().join("data"),
        dist_dir: dir.path().join("dist"),
        ..server::Config::default()
    })
    .await;
    match without {
        Ok(_) => panic!("a server on PostgreSQL started without its secret file"),
        Err(error) => assert!(format!("{error:#}").contains("--secret-file"), "{error:#}"),
    }

    // The server on the copy: the rep signs in with their password, sees their emails, and
    // new rows take ids after the copied ones.
    let config = server::Config {
        port: 0,
        database_url: Some(url),
        secret_file: Some(secret_file),
        data_dir: dir.path().join("data"),
        dist_dir: dir.path().join("dist"),
        ..server::Config::default()
    };
    let app = server::Application::build(config).await.unwrap();
    let base = format!("http://{}/api/v1", app.local_addr());
    tokio::spawn(app.serve(std::future::pending()));
    let client = reqwest::Client::new();
    let token = crate::helpers::sign_in(&client, &base, DEMO_REP).await;
    let person = crate::helpers::first_person(&client, &base, &token).await;
    let created = client
        .post(format!("{base}/emails"))
        .bearer_auth(token)
        .json(&json!({ "person_id": person, "subject": "After the move", "body": "<p>Hi</p>" }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = created.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let (max_copied,): (i64,) =
        sqlx::query_as("SELECT MAX(id) FROM emails WHERE subject <> 'After the move'")
            .fetch_one(&target)
            .await
            .unwrap();
    assert!(id > max_copied);
}
