//! Command Center's server: the `/api/v1` REST API over an embedded SQLite database, and the host
//! of the built SPA.

pub mod config;
pub mod db;
pub mod demo;
pub mod http;
pub mod password;
pub mod time;

use anyhow::Context;
use std::net::SocketAddr;
use tokio::net::TcpListener;

pub use config::Config;

/// A server bound to its port, ready to serve.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    pub db: db::Db,
}

impl Application {
    /// Opens (creating and migrating) the database, seeds demo data into a new one when asked,
    /// and binds the port (`0` picks a free one).
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let db = db::connect(&config.database_path()).await?;
        if config.demo && demo::is_empty(&db).await? {
            demo::seed(&db).await.context("seeding demo data")?;
        }
        let listener = TcpListener::bind(("127.0.0.1", config.port))
            .await
            .with_context(|| format!("binding 127.0.0.1:{}", config.port))?;
        let router = http::router(http::ApiContext::new(db.clone(), config));
        Ok(Self {
            listener,
            router,
            db,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
    }
}
