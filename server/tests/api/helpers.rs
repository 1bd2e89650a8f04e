use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use server::{db::Db, Application, Config};
use tempfile::TempDir;

pub struct TestApp {
    pub base: String,
    pub client: Client,
    /// The server's own database, for checking what the API says against the rows.
    pub db: Db,
    _dir: TempDir,
}

pub const DEMO_REP: &str = "aiko@example.com";
pub const OTHER_REP: &str = "ben@example.com";

/// A server with the demo data, on its own database.
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("a temp dir");
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Command Center</title>",
    )
    .unwrap();
    let config = Config {
        port: 0,
        data_dir: dir.path().join("data"),
        dist_dir: dist,
        demo: true,
    };
    let app = Application::build(config).await.expect("the server starts");
    let base = format!("http://{}", app.local_addr());
    let db = app.db.clone();
    tokio::spawn(app.serve(std::future::pending()));
    TestApp {
        base,
        client: Client::new(),
        db,
        _dir: dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{}", self.base, path)
    }

    pub async fn login(&self, email: &str) -> String {
        let response = self
            .client
            .post(self.url("/session"))
            .json(&serde_json::json!({ "email": email, "password": "demo" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        body["token"].as_str().expect("a token").to_owned()
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn get_json(&self, path: &str, token: &str) -> Value {
        let response = self.get(path, token).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.unwrap()
    }

    pub async fn user_id(&self, email: &str) -> i64 {
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = ?")
            .bind(email)
            .fetch_one(&self.db)
            .await
            .unwrap();
        id
    }
}

/// Asserts an error response is problem+json with the status, and returns its body.
pub async fn assert_problem(response: Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status.as_u16());
    assert!(
        !body["detail"].as_str().unwrap().is_empty(),
        "a human message: {body}"
    );
    body
}
