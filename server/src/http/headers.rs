//! Headers on every response: a Content-Security-Policy fit for the wasm app, no MIME sniffing,
//! no referrer, caching by what a file is (hashed assets forever, the page and the API never),
//! `Vary: Accept-Encoding` on the assets served compressed, and, when the public URL is https,
//! `Strict-Transport-Security`, so that a browser never speaks to it in clear again.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// The policy, made once from the configured portal origins.
#[derive(Clone)]
pub struct Policy {
    content: Arc<HeaderValue>,
    https_only: bool,
}

/// A year, the value browsers' preload lists ask for.
const HSTS: &str = "max-age=31536000";

impl Policy {
    /// `frame_ancestors`: origins whose pages may show the app in a frame, beside its own;
    /// `https_only`: the server is reached by https (its public URL says so).
    pub fn new(frame_ancestors: &[String], https_only: bool) -> Self {
        let ancestors = std::iter::once("'self'")
            .chain(frame_ancestors.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        // Scripts only from here, and the wasm compiled by the browser ('wasm-unsafe-eval' is
        // what WebAssembly.instantiate needs, not JS eval). Style attributes are set by the app
        // (row heights), hence inline styles. Images anywhere: an email's own, once the rep asks
        // to see them (the reader blocks them until then with its own stricter policy).
        let policy = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data: https: http:; connect-src 'self'; font-src 'self'; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
        );
        Self {
            content: Arc::new(
                HeaderValue::from_str(&policy).expect("origins were checked when parsed"),
            ),
            https_only,
        }
    }
}

/// `name-0123456789abcdef.ext` (also `.wasm.gz`): trunk's and the splitter's content-hashed names.
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        // wasm-bindgen's `<stem>_bg.wasm` carries the glue's hash.
        let hash = hash.strip_suffix("_bg").unwrap_or(hash);
        hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

pub async fn add(State(policy): State<Policy>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let succeeded = response.status().is_success();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, (*policy.content).clone());
    if policy.https_only {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // The SPA's assets come brotli, gzip or plain by the request's Accept-Encoding: a cache must
    // keep them apart.
    if [".wasm", ".js", ".css"]
        .iter()
        .any(|ext| path.ends_with(ext))
    {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        let cache = if path.starts_with(api::API_PREFIX) {
            // A rep's data: never kept by a shared cache or the back button.
            "no-store"
        } else if is_hashed(&path) && succeeded {
            "public, max-age=31536000, immutable"
        } else {
            // index.html and the embed loader: always asked again, so a new release is seen.
            "no-cache"
        };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashed_names_are_told_from_stable_ones() {
        assert!(super::is_hashed("/command-center-e592157e5a2a9339_bg.wasm"));
        assert!(super::is_hashed("/app/main-2d1107bb2b8e8c2a.css"));
        assert!(super::is_hashed("/chunk_12-8b2edcb2ef9ed25a.wasm"));
        assert!(super::is_hashed("/command-center-e592157e5a2a9339.js"));
        assert!(!super::is_hashed("/command-center.js"));
        assert!(!super::is_hashed("/index.html"));
        assert!(!super::is_hashed("/emails/delivered"));
        assert!(!super::is_hashed("/people/in-the-news"));
    }
}
