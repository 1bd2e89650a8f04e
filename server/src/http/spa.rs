//! Serves the built SPA; any path that is not a file gets `index.html`, so deep links load.
//! `cargo xtask dist` writes a brotli and a gzip copy of each wasm, js and css file: a browser
//! gets the smallest it accepts (brotli is a fifth smaller than gzip), others the file itself,
//! each answer saying it varies with `Accept-Encoding`.

use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

pub fn service(dist: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(ServeFile::new(dist.join("index.html")))
}
