//! The HTTP layer: one module per resource, one error type, one shared context.

mod auth;
mod campaigns;
mod email_commands;
mod emails;
mod error;
mod extract;
mod headers;
mod meta;
mod oidc;
mod people;
mod portal;
mod search;
mod session_cache;
mod spa;
mod stream;
mod task_commands;
mod tasks;
mod templates;
mod time_limit;
mod traced;
mod tracking;
mod unsubscribe;
mod users;
mod view_as;
pub mod webhooks;

pub use auth::{delete_expired_sessions, CurrentUser};
pub use emails::NO_SUCH_EMAIL;
pub use error::Error;
pub use stream::STREAMS_PER_USER;

use crate::changes::Changes;
use crate::db::{Db, LimitedReads};
use crate::Config;
use api::UserId;
use axum::extract::State;
use axum::Router;
use std::sync::Arc;
use tokio::sync::Notify;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What every handler may reach.
#[derive(Clone)]
pub struct ApiContext {
    pub db: Db,
    /// Searches, each stopped at `query_time_limit`.
    pub limited: LimitedReads,
    pub config: Arc<Config>,
    pub changes: Changes,
    /// Nudges the sender when an email is queued to go out now.
    pub sender_wake: Arc<Notify>,
    /// Carries invitation and password links (the sender's transport).
    pub mail: Arc<crate::outbox::mail::Transport>,
    /// Signs the rep's viewer cookie; kept in the data directory so it survives restarts.
    pub secret: Arc<crate::secrets::Secrets>,
    /// How recipients reach this server (tracking URLs).
    pub public_url: Arc<str>,
    /// Sessions recently checked (see `session_cache`).
    sessions: Arc<session_cache::SessionCache>,
    /// Tells open streams that a session or all of a user's sessions ended.
    session_ends: tokio::sync::broadcast::Sender<session_cache::Ended>,
    sign_in_limits: Arc<crate::sign_in::SignInLimits>,
    /// Checks portals' signed sign-in tokens.
    embed: Arc<crate::embed::Verifier>,
    /// Signs users in through the OpenID provider, when one is configured.
    oidc: Option<Arc<crate::oidc::Client>>,
    tracking_limits: Arc<crate::rate_limits::TrackingLimits>,
    /// What each client address may ask of the other anonymous endpoints (single sign-on, a
    /// portal's sign-in, unsubscribe pages).
    stranger_limits: Arc<crate::rate_limits::AddressBuckets>,
    streams: stream::OpenStreams,
    /// Tells the other instances on the database what ended here.
    others: crate::cluster::Notifier,
    /// Reads reps' own mailboxes.
    pub rep_mailboxes: Arc<crate::mailbox::RepWatchers>,
}

/// Requests an address may make of the anonymous endpoints at once: a sign-in through the
/// provider is three, an unsubscribe two; an office behind one address signs in together.
pub const STRANGER_BURST: f64 = 60.0;
/// Requests per second an address earns back.
pub const STRANGER_PER_SECOND: f64 = 1.0;

impl ApiContext {
    /// Admits a request to an anonymous endpoint from `address`, or refuses it (429).
    fn admit_stranger(&self, address: Option<std::net::IpAddr>) -> Result<()> {
        self.stranger_limits.admit(address).map_err(|wait| {
            let seconds = crate::rate_limits::retry_after_secs(wait);
            Error::TooManyRequests {
                retry_after: seconds,
                message: api::Text::new(
                    format!("Too many requests from this address; try again in {seconds} s."),
                    format!("このアドレスからのリクエストが多すぎます。{seconds} 秒後にもう一度お試しください。"),
                ),
            }
        })
    }

    /// How long one search may run before it is interrupted (503).
    pub fn query_time_limit(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.config.query_time_limit_ms)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn new(
        db: Db,
        limited: LimitedReads,
        config: Config,
        changes: Changes,
        others: crate::cluster::Notifier,
        sender_wake: Arc<Notify>,
        mail: Arc<crate::outbox::mail::Transport>,
        secret: Arc<crate::secrets::Secrets>,
        public_url: String,
    ) -> Self {
        // A portal's token must be for this server: its public URL is the audience.
        let embed = Arc::new(crate::embed::Verifier::new(
            config.embed_secret.clone(),
            config.embed_jwks_url.clone(),
            public_url.clone(),
        ));
        let oidc = config.oidc.as_ref().map(|settings| {
            Arc::new(crate::oidc::Client::new(crate::oidc::Settings {
                issuer: settings.issuer.clone(),
                client_id: settings.client_id.clone(),
                client_secret: settings.client_secret.clone(),
                redirect_uri: format!(
                    "{}{}/auth/oidc/callback",
                    public_url.trim_end_matches('/'),
                    api::API_PREFIX
                ),
            }))
        });
        let rep_mailboxes = Arc::new(crate::mailbox::RepWatchers::new(
            db.clone(),
            changes.clone(),
            secret.clone(),
            std::time::Duration::from_secs(config.imap_poll_secs),
            config.private_rep_mailboxes,
        ));
        Self {
            db,
            limited,
            config: Arc::new(config),
            changes,
            sender_wake,
            mail,
            secret,
            public_url: public_url.into(),
            sessions: Arc::default(),
            session_ends: tokio::sync::broadcast::channel(64).0,
            sign_in_limits: Arc::default(),
            embed,
            oidc,
            tracking_limits: Arc::default(),
            stranger_limits: Arc::new(crate::rate_limits::AddressBuckets::new(
                STRANGER_BURST,
                STRANGER_PER_SECOND,
            )),
            streams: stream::OpenStreams::default(),
            others,
            rep_mailboxes,
        }
    }

    /// Sessions ended here: forgotten, their streams closed, and the other instances told.
    fn sessions_ended(&self, ended: session_cache::Ended) {
        use crate::cluster::Event;
        self.others.send(match &ended {
            session_cache::Ended::Session(hash) => Event::SessionEnded {
                token_hash: hash.clone(),
            },
            session_cache::Ended::User(user) => Event::SignedOutEverywhere { user: *user },
            session_cache::Ended::OthersOf { user, keep } => Event::SignedOutElsewhere {
                user: *user,
                keep: keep.clone(),
            },
        });
        self.end_sessions_here(ended);
    }

    fn end_sessions_here(&self, ended: session_cache::Ended) {
        match &ended {
            session_cache::Ended::Session(hash) => self.sessions.ended(hash),
            session_cache::Ended::User(user) | session_cache::Ended::OthersOf { user, .. } => {
                self.sessions.user_changed(*user)
            }
        }
        // No stream open is fine.
        let _ = self.session_ends.send(ended);
    }

    /// The user changed here: sessions remembered with the old one are read again, here and on
    /// the other instances.
    fn user_changed(&self, user: UserId) {
        self.sessions.user_changed(user);
        // Deactivation stops their mailbox's watcher; a changed mailbox restarts it.
        self.rep_mailboxes.changed();
        self.others
            .send(crate::cluster::Event::UserChanged { user });
    }

    /// What another instance on the database told this one.
    pub fn told(&self, event: crate::cluster::Event) {
        use crate::cluster::Event;
        match event {
            Event::Changed { owner, change } => self.changes.on_this_instance(owner, change),
            Event::SessionEnded { token_hash } => {
                self.end_sessions_here(session_cache::Ended::Session(token_hash))
            }
            Event::SignedOutEverywhere { user } => {
                self.end_sessions_here(session_cache::Ended::User(user))
            }
            Event::SignedOutElsewhere { user, keep } => {
                self.end_sessions_here(session_cache::Ended::OthersOf { user, keep })
            }
            Event::UserChanged { user } => {
                self.sessions.user_changed(user);
                self.rep_mailboxes.changed();
            }
        }
    }
}

/// Deletes expired sessions and stream tickets every ten minutes (each request checks expiry
/// itself; this keeps the tables to what can still be used).
pub async fn purge_expired_sessions(db: Db) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        every.tick().await;
        if let Err(error) = auth::delete_expired_sessions(&db).await {
            tracing::warn!(error = %format_args!("{error:#}"), "purging expired sessions");
        }
        if let Err(error) = stream::delete_expired_tickets(&db).await {
            tracing::warn!(error = %format_args!("{error:#}"), "purging expired stream tickets");
        }
        if let Err(error) = crate::embed::delete_expired_token_ids(&db).await {
            tracing::warn!(error = %format_args!("{error:#}"), "purging used portal token ids");
        }
        let purged = match db.acquire().await {
            Ok(mut conn) => crate::accounts::audit::purge(&mut conn, crate::time::now_ms())
                .await
                .map_err(anyhow::Error::from),
            Err(error) => Err(error.into()),
        };
        if let Err(error) = purged {
            tracing::warn!(error = %format_args!("{error:#}"), "purging old audit events");
        }
    }
}

/// Lets the listed origins' pages call the API (bearer tokens, no cookies); none by default.
fn cors(origins: &[String]) -> tower_http::cors::CorsLayer {
    use axum::http::{header, HeaderValue, Method};
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    tower_http::cors::CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .max_age(std::time::Duration::from_secs(600))
}

pub fn router(ctx: ApiContext) -> Router {
    let time_limit = std::time::Duration::from_millis(ctx.config.request_time_limit_ms);
    let api = Router::new()
        .merge(meta::router())
        .merge(auth::router())
        .merge(emails::router())
        .merge(people::router())
        .merge(campaigns::router())
        .merge(templates::router())
        .merge(users::router())
        .merge(portal::router())
        .merge(oidc::router())
        .merge(stream::router())
        .merge(tasks::router())
        .merge(search::router())
        .merge(webhooks::router())
        .fallback(|| async {
            Error::NotFound(api::Text::fixed(
                "No such API path.",
                "その API のパスはありません。",
            ))
        })
        .layer(axum::middleware::from_fn_with_state(
            time_limit,
            time_limit::limit,
        ))
        .layer(axum::middleware::from_fn(error::speak_the_callers_language))
        .layer(cors(&ctx.config.cors_origins));
    // The links in sent emails answer in time too (they have no body and no long work).
    let links = tracking::router().merge(unsubscribe::router()).route_layer(
        axum::middleware::from_fn_with_state(time_limit, time_limit::limit),
    );
    Router::new()
        .nest(api::API_PREFIX, api)
        .merge(links)
        .fallback_service(spa::service(&ctx.config.dist_dir))
        .layer(axum::middleware::from_fn_with_state(
            headers::Policy::new(
                &ctx.config.frame_ancestors,
                ctx.public_url.starts_with("https://"),
            ),
            headers::add,
        ))
        .layer(axum::middleware::from_fn(traced::span))
        .layer(axum::middleware::from_fn_with_state(
            ctx.config.clock.clone(),
            on_the_servers_clock,
        ))
        .with_state(ctx)
}

/// Every request reads the server's one clock (see `crate::time`).
async fn on_the_servers_clock(
    State(clock): State<crate::time::Clock>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    clock.run(next.run(request)).await
}
