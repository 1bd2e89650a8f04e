//! The HTTP layer: one module per resource, one error type, one shared context.

mod auth;
mod emails;
mod error;
mod extract;
mod meta;
mod spa;

pub use auth::CurrentUser;
pub use error::Error;

use crate::{db::Db, Config};
use axum::Router;
use std::sync::Arc;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What every handler may reach: the database and the configuration.
#[derive(Clone)]
pub struct ApiContext {
    pub db: Db,
    pub config: Arc<Config>,
}

impl ApiContext {
    pub fn new(db: Db, config: Config) -> Self {
        Self {
            db,
            config: Arc::new(config),
        }
    }
}

pub fn router(ctx: ApiContext) -> Router {
    let api = Router::new()
        .merge(meta::router())
        .merge(auth::router())
        .merge(emails::router())
        .fallback(|| async { Error::NotFound("no such API path") });
    Router::new()
        .nest(api::API_PREFIX, api)
        .fallback_service(spa::service(&ctx.config.dist_dir))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(ctx)
}
