//! Serves the built SPA; any path that is not a file gets `index.html`, so deep links load.

use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

pub fn service(dist: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(dist).fallback(ServeFile::new(dist.join("index.html")))
}
