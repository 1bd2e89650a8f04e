use api::endpoints::Call;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use server::time::Clock;
use server::{db::Db, Application, Config};
use tempfile::TempDir;

pub struct TestApp {
    pub base: String,
    pub client: Client,
    /// The server's own database, for checking what the API says against the rows.
    pub db: Db,
    /// Where the outbox transport writes sent messages.
    pub outbox: std::path::PathBuf,
    /// The server's clock: the wall clock, or one the test drives (`spawn_app_on_driven_clock`).
    pub clock: Clock,
    sender: server::outbox::sender::Sender,
    _dir: TempDir,
}

pub const DEMO_REP: &str = "aiko@example.com";
pub const OTHER_REP: &str = "ben@example.com";

pub const WEBHOOK_SECRET: &str = "test-webhook-secret";
/// The HS256 secret test portals sign their tokens with.
pub const EMBED_SECRET: &str = "test-embed-secret-of-the-portal";

/// The delivery webhook's signature of `body`, made now with the test server's secret.
pub fn signed_now(body: &[u8]) -> String {
    server::http::webhooks::sign(WEBHOOK_SECRET, now_secs(), body)
}

/// The same keys for every instance of a test on one PostgreSQL database (each writes its own
/// copy of the file), as an operator gives each instance the same secret file.
pub fn shared_secret_file(dir: &std::path::Path) -> std::path::PathBuf {
    let file = dir.join("secret-file");
    std::fs::write(&file, "the test servers' shared key, long enough to take\n").unwrap();
    file
}

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A server with the demo data, on its own database, sending to an outbox directory.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// As `spawn_app`, with the configuration adjusted first (e.g. an SMTP URL).
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    // The server's errors (a 500's cause) appear in a failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_env_filter("server=error")
        .with_test_writer()
        .try_init();
    let dir = tempfile::tempdir().expect("a temp dir");
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Command Center</title>",
    )
    .unwrap();
    let mut config = Config {
        port: 0,
        bind: std::net::Ipv4Addr::LOCALHOST.into(),
        database_url: database_url_for(&dir.path().join("data")).await,
        instance_id: None,
        instance_lease_secs: 30,
        data_dir: dir.path().join("data"),
        dist_dir: dist,
        demo: true,
        smtp_url: None,
        // Deferred emails are tried again at once, twice: a test sees every outcome in moments.
        smtp_retry_secs: vec![0, 0],
        imap_url: None,
        bounce_address: None,
        imap_poll_secs: 60,
        private_rep_mailboxes: false,
        clock: Clock::wall(),
        webhook_secret: Some(WEBHOOK_SECRET.to_owned()),
        public_url: None,
        sender_interval_ms: 100,
        cors_origins: Vec::new(),
        message_id_domain: None,
        dkim: None,
        // Tests click the moment an email is delivered; the scanner rule has its own test.
        link_scan_window_secs: 0,
        frame_ancestors: Vec::new(),
        query_time_limit_ms: 5_000,
        request_time_limit_ms: 30_000,
        client_ip_header: None,
        embed_secret: Some(EMBED_SECRET.to_owned()),
        embed_jwks_url: None,
        provision_team: None,
        secret_file: None,
        provision_domains: Vec::new(),
        oidc: None,
        password_sign_in: true,
    };
    if config.database_url.is_some() {
        config.secret_file = Some(shared_secret_file(dir.path()));
    }
    adjust(&mut config);
    let outbox = config.outbox_dir();
    let clock = config.clock.clone();
    let app = Application::build(config).await.expect("the server starts");
    let base = format!("http://{}", app.local_addr());
    let db = app.db.clone();
    let sender = app.sender();
    tokio::spawn(app.serve(std::future::pending()));
    TestApp {
        base,
        client: Client::new(),
        db,
        outbox,
        clock,
        sender,
        _dir: dir,
    }
}

/// As `spawn_app`, on a clock the test moves (`app.clock.advance`), starting at the wall clock's
/// now; the sender runs only when the test says (`TestApp::run_sender`), so what a step does is
/// there the moment the test looks, without waiting.
pub async fn spawn_app_on_driven_clock() -> TestApp {
    spawn_app_with(|config| config.clock = Clock::driven(chrono::Utc::now().timestamp_millis()))
        .await
}

/// What an SMTP server received, each message whole.
pub type Received = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// As `spawn_app`, sending through an SMTP server on loopback that keeps every message.
pub async fn spawn_app_with_smtp_sink() -> (TestApp, Received) {
    spawn_app_with_smtp_sink_and(|_| {}).await
}

/// As `spawn_app_with_smtp_sink`, with the configuration adjusted first (e.g. DKIM).
pub async fn spawn_app_with_smtp_sink_and(adjust: impl FnOnce(&mut Config)) -> (TestApp, Received) {
    let messages = Received::default();
    let port = server::outbox::sink::start_keeping(
        Received::default(),
        Some(messages.clone()),
        std::time::Duration::ZERO,
    )
    .await
    .unwrap();
    let app = spawn_app_with(|config| {
        config.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        adjust(config);
    })
    .await;
    (app, messages)
}

impl TestApp {
    /// The server's time now, in milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// On a driven clock, sends everything due now, and what sending makes due now in turn (a
    /// next step after no wait), until nothing is left.
    pub async fn run_sender(&self) {
        assert!(
            self.clock.is_driven(),
            "on the wall clock the server sends by itself"
        );
        for _ in 0..20 {
            let taken = self
                .clock
                .run(self.sender.tick())
                .await
                .expect("the sender's round");
            if taken == 0 {
                return;
            }
        }
        panic!("the sender still finds emails due after 20 rounds");
    }

    /// The built SPA the server hosts (an `index.html` only, unless a test adds files).
    pub fn dist_dir(&self) -> std::path::PathBuf {
        self._dir.path().join("dist")
    }

    /// The server's data directory (its database, secret and outbox).
    pub fn data_dir(&self) -> std::path::PathBuf {
        self._dir.path().join("data")
    }

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

    /// One of the API's calls (`api::endpoints`, the functions the SPA calls it by), sent as
    /// `token`'s; the answer as it came, to check its status or problem.
    pub async fn send<A>(&self, token: &str, call: Call<A>) -> Response {
        self.send_as(Some(token), call).await
    }

    /// A call sent by someone not signed in (signing in, an invitation link).
    pub async fn send_anonymous<A>(&self, call: Call<A>) -> Response {
        self.send_as(None, call).await
    }

    async fn send_as<A>(&self, token: Option<&str>, call: Call<A>) -> Response {
        let method = reqwest::Method::from_bytes(call.method.as_str().as_bytes()).unwrap();
        let request = self.client.request(method, self.url(&call.path));
        let request = match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        let request = match call.body {
            Some(body) => request.header("content-type", call.content_type).body(body),
            None => request,
        };
        request.send().await.unwrap()
    }

    /// A call that must succeed, its answer read as the SPA reads it.
    pub async fn call<A: serde::de::DeserializeOwned>(&self, token: &str, call: Call<A>) -> A {
        let what = format!("{} {}", call.method.as_str(), call.path);
        let response = self.send(token, call).await;
        let status = response.status();
        let body = response.text().await.unwrap();
        assert!(status.is_success(), "{what}: {status} {body}");
        let body = if body.is_empty() { "null" } else { &body };
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{what}: {e} in {body}"))
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

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// A single-use ticket that opens the live stream as the session of `token`.
    pub async fn stream_ticket(&self, token: &str) -> String {
        let ticket: Value = self
            .post("/stream/tickets", token, &serde_json::json!({}))
            .await
            .json()
            .await
            .unwrap();
        ticket["ticket"].as_str().unwrap().to_owned()
    }

    pub async fn put(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .put(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// A reply to one of the rep's sent emails, as the mail provider's signed webhook reports it.
    pub async fn reply_to(&self, email: i64) {
        let reply =
            serde_json::json!({ "message_id": self.message_id(email).await, "event": "reply" });
        let body = serde_json::to_vec(&reply).unwrap();
        let response = self
            .client
            .post(self.url("/webhooks/delivery"))
            .header("content-type", "application/json")
            // Signed at the server's time: on a driven clock, days may have passed.
            .header(
                server::http::webhooks::SIGNATURE_HEADER,
                server::http::webhooks::sign(WEBHOOK_SECRET, self.now_ms() / 1000, &body),
            )
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }

    /// POSTs `body` and returns the `id` of what it created.
    pub async fn post_for_id(&self, path: &str, token: &str, body: &Value) -> i64 {
        let response = self.post(path, token, body).await;
        assert!(
            response.status().is_success(),
            "POST {path}: {}",
            response.status()
        );
        response.json::<Value>().await.unwrap()["id"]
            .as_i64()
            .expect("an id")
    }

    /// The status of an email, read from the database.
    pub async fn status_of(&self, id: i64) -> String {
        let (status,): (String,) = sqlx::query_as("SELECT status FROM emails WHERE id = $1")
            .bind(id)
            .fetch_one(&self.db)
            .await
            .unwrap();
        status
    }

    /// Waits (up to 10 s) until an email leaves the transient statuses, and returns its status.
    /// On a driven clock, runs the sender instead of waiting.
    pub async fn settled_status(&self, id: i64) -> String {
        if self.clock.is_driven() {
            self.run_sender().await;
            return self.status_of(id).await;
        }
        for _ in 0..200 {
            let status = self.status_of(id).await;
            if status != "in_progress" && status != "scheduled" {
                return status;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("email {id} did not settle");
    }

    /// Any one of the rep's people.
    pub async fn a_person_of(&self, email: &str) -> i64 {
        let owner = self.user_id(email).await;
        let (id,): (i64,) =
            sqlx::query_as("SELECT id FROM people WHERE owner_id = $1 ORDER BY id LIMIT 1")
                .bind(owner)
                .fetch_one(&self.db)
                .await
                .unwrap();
        id
    }

    /// The id of one of the rep's emails in a status (optionally outside any campaign).
    pub async fn an_email(&self, rep: &str, status: &str, outside_campaign: bool) -> i64 {
        let owner = self.user_id(rep).await;
        let (id,): (i64,) = sqlx::query_as(
            "SELECT id FROM emails WHERE owner_id = $1 AND status = $2 AND ($3 = FALSE OR campaign_id IS NULL)
             ORDER BY id LIMIT 1",
        )
        .bind(owner)
        .bind(status)
        .bind(outside_campaign)
        .fetch_one(&self.db)
        .await
        .unwrap();
        id
    }

    /// Forgets the demo's engagement history, so that only a test's own views and clicks count.
    pub async fn clear_engagement_events(&self) {
        sqlx::query("DELETE FROM email_events")
            .execute(&self.db)
            .await
            .unwrap();
    }

    /// The Message-ID a sent email went out with.
    pub async fn message_id(&self, id: i64) -> String {
        let (message_id,): (Option<String>,) =
            sqlx::query_as("SELECT message_id FROM emails WHERE id = $1")
                .bind(id)
                .fetch_one(&self.db)
                .await
                .unwrap();
        message_id.expect("a sent email has a Message-ID")
    }

    /// The message the outbox transport wrote for a sent email, its body decoded.
    pub async fn sent_message(&self, id: i64) -> String {
        let file = server::outbox::mail::outbox_file(&self.outbox, &self.message_id(id).await);
        decode_quoted_printable(
            &std::fs::read_to_string(&file).expect("the message is in the outbox"),
        )
    }

    pub async fn user_id(&self, email: &str) -> i64 {
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
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

/// Undoes the quoted-printable body encoding the mail builder chose.
fn decode_quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The real server binary as its own process (for kill -9, and for measuring its memory),
/// with the demo data; killed when dropped.
/// Signs `email` in (password `demo`) on a server whose API is at `base`; answers the token.
/// For servers started as processes; a `TestApp` has `login`.
pub async fn sign_in(client: &Client, base: &str, email: &str) -> String {
    let session: Value = client
        .post(format!("{base}/session"))
        .json(&serde_json::json!({ "email": email, "password": "demo" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    session["token"].as_str().expect("a token").to_owned()
}

/// The first of the rep's people, from the API at `base`.
pub async fn first_person(client: &Client, base: &str, token: &str) -> i64 {
    let people: Value = client
        .get(format!("{base}/people"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    people["items"][0]["id"].as_i64().expect("a person")
}

/// On a PostgreSQL run of the suite (`TEST_DATABASE_URL`: an administrator's URL of a throwaway
/// cluster), the database of the server whose data directory is `data`: a new one on first use,
/// named in the directory so that a restarted server finds the same one. `None` on SQLite runs.
pub async fn database_url_for(data: &std::path::Path) -> Option<String> {
    use sqlx::Connection;
    static MADE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let admin = std::env::var("TEST_DATABASE_URL").ok()?;
    let named = data.join("database-url");
    if let Ok(url) = std::fs::read_to_string(&named) {
        return Some(url);
    }
    let name = format!(
        "test_{}_{}",
        std::process::id(),
        MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let mut connection = sqlx::PgConnection::connect(&admin)
        .await
        .expect("TEST_DATABASE_URL reaches PostgreSQL");
    // A name made above from numbers only.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut connection)
        .await
        .expect("a test database");
    let mut url = url::Url::parse(&admin).expect("TEST_DATABASE_URL is a URL");
    url.set_path(&name);
    std::fs::create_dir_all(data).unwrap();
    std::fs::write(&named, url.as_str()).unwrap();
    Some(url.into())
}

/// The suite runs against PostgreSQL (see `database_url_for`).
pub fn on_postgres() -> bool {
    std::env::var("TEST_DATABASE_URL").is_ok()
}

pub struct ServerProcess(pub std::process::Child);

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl ServerProcess {
    pub async fn start(data: &std::path::Path, port: u16, args: &[&str]) -> Self {
        Self::start_with(data, port, args, |command| {
            command.env("RUST_LOG", "warn");
        })
        .await
    }

    /// As `start`, its log (`RUST_LOG=info`) written to `log`.
    pub async fn start_logging(
        data: &std::path::Path,
        port: u16,
        args: &[&str],
        log: &std::path::Path,
    ) -> Self {
        let file = std::fs::File::create(log).unwrap();
        Self::start_with(data, port, args, |command| {
            command.env("RUST_LOG", "info").stdout(file);
        })
        .await
    }

    async fn start_with(
        data: &std::path::Path,
        port: u16,
        args: &[&str],
        adjust: impl FnOnce(&mut std::process::Command),
    ) -> Self {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_command-center-server"));
        adjust(&mut command);
        if let Some(url) = database_url_for(data).await {
            command.args(["--database-url", &url]);
            command.arg("--secret-file").arg(shared_secret_file(data));
        }
        let child = command
            .args(["--port", &port.to_string(), "--demo"])
            .args(args)
            .arg("--data-dir")
            .arg(data)
            .spawn()
            .unwrap();
        let server = ServerProcess(child);
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if client
                .get(format!("http://127.0.0.1:{port}/api/v1/health"))
                .send()
                .await
                .is_ok()
            {
                return server;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the server did not start");
    }

    /// The most memory the process has held (VmHWM), in KiB.
    pub fn peak_memory_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.0.id())).unwrap();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM in /proc/<pid>/status")
    }
}
