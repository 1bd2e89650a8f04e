//! Command Center's server: the `/api/v1` REST API over an embedded SQLite database (or
//! PostgreSQL), the sender, tracking, and the host of the built SPA.

pub mod accounts;
pub mod campaigns;
pub mod changes;
pub mod cluster;
pub mod config;
pub mod db;
pub mod demo;
pub mod embed;
pub mod http;
pub mod mailbox;
pub mod oidc;
pub mod opt_out;
pub mod outbox;
pub mod password;
pub mod people;
mod private_files;
pub mod rate_limits;
mod rules;
pub mod saved_searches;
pub mod sealed;
pub mod search;
pub mod secrets;
pub mod sign_in;
pub mod signing;
pub mod tasks;
pub mod templates;
pub mod time;
pub mod tracking;

use anyhow::Context;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

pub use config::Config;

/// A server bound to its port, ready to serve.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    sender: outbox::sender::Sender,
    /// Reads replies, bounces and abuse reports from the configured mailbox.
    watcher: Option<mailbox::Watcher>,
    /// This instance among the others on its database (PostgreSQL), and what it applies their
    /// news to.
    membership: cluster::Membership,
    context: http::ApiContext,
    pub db: db::Db,
    pub public_url: String,
}

impl Application {
    /// Opens (creating and migrating) the database, seeds demo data into a new one when asked,
    /// and binds the port (`0` picks a free one).
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let clock = config.clock.clone();
        clock.run(Self::build_on_its_clock(config)).await
    }

    async fn build_on_its_clock(config: Config) -> anyhow::Result<Self> {
        // What the server keeps on disk is its user's alone, whichever database it runs on.
        private_files::dir(&config.data_dir)
            .with_context(|| format!("creating {}", config.data_dir.display()))?;
        let db::Opened { db, limited } =
            db::open(config.database_url.as_deref(), &config.database_path()).await?;
        if config.demo && demo::is_empty(&db).await? {
            demo::seed(&db).await.context("seeding demo data")?;
        }
        let listener = TcpListener::bind((config.bind, config.port))
            .await
            .with_context(|| format!("binding {}:{}", config.bind, config.port))?;
        let port = listener.local_addr()?.port();
        let public_url = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://127.0.0.1:{port}"));
        let secret = std::sync::Arc::new(secrets_of(&config, &db).await?);
        if secret.has_older() {
            let resealed = mailbox::reps::seal_anew(&db, &secret).await?;
            tracing::info!(
                resealed,
                "reps' mailbox passwords sealed with the newest key"
            );
            forget_secret_in_database(&db).await?;
        }
        let membership = cluster::Membership::new(config.database_url.as_deref());
        let changes = changes::Changes::new(membership.notifier.clone());
        let wake = Arc::new(tokio::sync::Notify::new());
        let transport =
            outbox::mail::Transport::new(config.smtp_url.as_deref(), config.outbox_dir())?;
        let transport = Arc::new(transport);
        let sender = outbox::sender::Sender {
            db: db.clone(),
            transport: transport.clone(),
            changes: changes.clone(),
            public_url: public_url.clone(),
            wake: wake.clone(),
            interval: std::time::Duration::from_millis(config.sender_interval_ms),
            signer: match &config.dkim {
                Some(settings) => Some(Arc::new(outbox::dkim::Signer::load(settings)?)),
                None => None,
            },
            message_id_domain: config.message_id_domain.clone(),
            instance: outbox::claims::Instance {
                id: config
                    .instance_id
                    .clone()
                    .unwrap_or_else(|| format!("{}:{port}", host_name()))
                    .into(),
                lease: std::time::Duration::from_secs(config.instance_lease_secs),
            },
            return_path: match &config.bounce_address {
                Some(address) => {
                    Some(outbox::mail::ReturnPath::parse(address).map_err(anyhow::Error::msg)?)
                }
                None => None,
            },
            retries: config
                .smtp_retry_secs
                .iter()
                .map(|secs| std::time::Duration::from_secs(*secs))
                .collect(),
        };
        // Settle sends a crash interrupted before anyone can see the outbox.
        sender
            .recover()
            .await
            .context("recovering interrupted sends")?;
        sender
            .fill_sent_text()
            .await
            .context("filling in the text of emails sent before records kept it")?;
        let watcher = match &config.imap_url {
            Some(url) => Some(mailbox::Watcher {
                db: db.clone(),
                account: mailbox::Account::parse(url).map_err(anyhow::Error::msg)?,
                changes: changes.clone(),
                poll: std::time::Duration::from_secs(config.imap_poll_secs),
                scope: mailbox::Scope::Server,
                // The operator's own setting: wherever they point it.
                reach: mailbox::Reach::Operator,
            }),
            None => None,
        };
        let context = http::ApiContext::new(
            db.clone(),
            limited,
            config,
            changes,
            membership.notifier.clone(),
            wake,
            transport,
            secret,
            public_url.clone(),
        );
        let router = http::router(context.clone());
        Ok(Self {
            listener,
            router,
            sender,
            watcher,
            membership,
            context,
            db,
            public_url,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// The app's routes, for calling in this process without a socket (the bench does).
    pub fn router(&self) -> axum::Router {
        self.router.clone()
    }

    /// The sender, for a test on a driven clock to run (`Sender::tick`): on such a clock the
    /// server does not run it by itself.
    pub fn sender(&self) -> outbox::sender::Sender {
        self.sender.clone()
    }

    /// Starts the sender and serves until `shutdown` resolves.
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let clock = self.context.config.clock.clone();
        clock.run(self.serve_on_its_clock(shutdown)).await
    }

    async fn serve_on_its_clock(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        use time::spawn;
        let lease = spawn(self.sender.clone().keep_lease());
        let driven = self.context.config.clock.is_driven();
        let sender = (!driven).then(|| spawn(self.sender.run()));
        let purge = spawn(http::purge_expired_sessions(self.db.clone()));
        let watcher = self.watcher.map(|watcher| spawn(watcher.run()));
        let rep_mailboxes = spawn(self.context.rep_mailboxes.clone().run());
        let context = self.context;
        let conversation = self
            .membership
            .start(self.db.clone(), move |event| context.told(event));
        let served = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        sender.iter().for_each(|task| task.abort());
        lease.abort();
        purge.abort();
        watcher.iter().for_each(|task| task.abort());
        rep_mailboxes.abort();
        conversation.iter().for_each(|task| task.abort());
        served
    }
}

/// This machine's name, for the default instance id.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|name| name.trim().to_owned())
        .ok()
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

/// The keys to seal and sign with: the secret file's, or on SQLite the one kept beside the
/// database. An older version kept PostgreSQL's in the database: it still opens what it sealed
/// until everything is sealed anew (then it is removed from there).
async fn secrets_of(config: &Config, db: &db::Db) -> anyhow::Result<secrets::Secrets> {
    let in_database = match db::Backend::of(db) {
        db::Backend::Sqlite => None,
        db::Backend::Postgres => {
            sqlx::query_as::<_, (String,)>(
                "SELECT value FROM server_settings WHERE name = 'secret'",
            )
            .fetch_optional(db)
            .await?
        }
    };
    let secrets = match (&config.secret_file, db::Backend::of(db)) {
        (Some(file), _) => secrets::Secrets::read(file)?,
        (None, db::Backend::Sqlite) => {
            secrets::Secrets::one(load_or_create_secret(&config.data_dir.join("secret"))?)
        }
        (None, db::Backend::Postgres) => anyhow::bail!(
            "on PostgreSQL give every instance the same --secret-file (SECRET_FILE): the key that \
             seals reps' mailbox passwords is not kept in the database. Make one with \
             `openssl rand -hex 32 > secret && chmod 600 secret`{}",
            if in_database.is_some() {
                "; this database holds the key an older version kept there: write it to the \
                 file's second line (`psql -Atc \"SELECT value FROM server_settings WHERE \
                 name = 'secret'\" >> secret`), and it is taken out of the database at start"
            } else {
                ""
            }
        ),
    };
    Ok(match in_database {
        Some((older,)) => secrets.also_opening(older),
        None => secrets,
    })
}

/// Removes the key an older version kept in the database, once nothing needs it there.
async fn forget_secret_in_database(db: &db::Db) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM server_settings WHERE name = 'secret'")
        .execute(db)
        .await?;
    Ok(())
}

/// A random secret kept beside the SQLite database, made on first start.
fn load_or_create_secret(path: &std::path::Path) -> anyhow::Result<String> {
    if let Ok(secret) = std::fs::read_to_string(path) {
        if !secret.trim().is_empty() {
            return Ok(secret.trim().to_owned());
        }
    }
    let secret = password::new_token();
    // Readable by this user only: it signs the viewer cookies.
    private_files::write(path, secret.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(secret)
}
