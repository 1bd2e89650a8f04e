//! Serves the built SPA; any path that is not a file gets `index.html`, so deep links load.
//! `cargo xtask dist` writes a gzipped copy of each wasm, js and css file: a browser that accepts
//! gzip gets that (a third of the bytes), others the file itself.

use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

pub fn service(dist: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(dist)
        .precompressed_gzip()
        .fallback(ServeFile::new(dist.join("index.html")))
}
