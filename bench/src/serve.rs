//! A server of a section's own: fresh demo data in a directory under the bench's root, served on
//! a free loopback port in this process, and a signed-in rep's token.

use serde_json::{json, Value};

pub struct Fresh {
    pub db: server::db::Db,
    /// `http://127.0.0.1:<port>`; the API is under `/api/v1`.
    pub origin: String,
    pub dir: std::path::PathBuf,
    pub served: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Fresh {
    pub fn base(&self) -> String {
        format!("{}/api/v1", self.origin)
    }
}

/// Starts the server over new demo data in `<root>/<name>`, with the configuration adjusted.
pub async fn fresh_demo(
    root: &std::path::Path,
    name: &str,
    adjust: impl FnOnce(&mut server::Config),
) -> anyhow::Result<Fresh> {
    let dir = root.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let mut config = server::Config {
        port: 0,
        data_dir: dir.clone(),
        dist_dir: dir.join("no-dist"),
        demo: true,
        ..server::Config::default()
    };
    adjust(&mut config);
    std::fs::create_dir_all(&config.dist_dir)?;
    let app = server::Application::build(config).await?;
    let db = app.db.clone();
    let origin = format!("http://{}", app.local_addr());
    let served = tokio::spawn(app.serve(std::future::pending()));
    Ok(Fresh {
        db,
        origin,
        dir,
        served,
    })
}

/// A bearer token for a demo user (password `demo`).
pub async fn sign_in(client: &reqwest::Client, base: &str, email: &str) -> anyhow::Result<String> {
    let session: Value = client
        .post(format!("{base}/session"))
        .json(&json!({ "email": email, "password": "demo" }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    session["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no token in {session}"))
}
