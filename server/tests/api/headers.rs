//! Headers on every response: the Content-Security-Policy, nosniff, no referrer, and caching by
//! what was asked for.

use crate::helpers::{spawn_app, spawn_app_with, DEMO_REP};
use reqwest::header::HeaderMap;

fn header<'h>(headers: &'h HeaderMap, name: &str) -> &'h str {
    headers
        .get(name)
        .unwrap_or_else(|| panic!("{name} is set"))
        .to_str()
        .unwrap()
}

#[tokio::test]
async fn every_response_carries_the_policy_and_says_how_to_cache_it() {
    let app = spawn_app().await;
    let hashed = "main-2d1107bb2b8e8c2a.css";
    std::fs::write(app.dist_dir().join(hashed), "body{}").unwrap();
    std::fs::write(app.dist_dir().join("command-center.js"), "export {}").unwrap();
    let token = app.login(DEMO_REP).await;

    let page = app
        .client
        .get(format!("{}/emails/delivered", app.base))
        .send()
        .await
        .unwrap();
    let asset = app
        .client
        .get(format!("{}/{hashed}", app.base))
        .send()
        .await
        .unwrap();
    let loader = app
        .client
        .get(format!("{}/command-center.js", app.base))
        .send()
        .await
        .unwrap();
    let data = app.get("/emails?folder=delivered", &token).await;
    let refused = app.client.get(app.url("/me")).send().await.unwrap();
    for response in [&page, &asset, &loader, &data, &refused] {
        let headers = response.headers();
        let policy = header(headers, "content-security-policy");
        for part in [
            "script-src 'self' 'wasm-unsafe-eval'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'self'",
        ] {
            assert!(policy.contains(part), "{policy} has {part}");
        }
        assert!(!policy.contains("script-src 'self' 'unsafe-inline'"));
        assert_eq!(header(headers, "x-content-type-options"), "nosniff");
        assert_eq!(header(headers, "referrer-policy"), "no-referrer");
    }
    assert_eq!(header(page.headers(), "cache-control"), "no-cache");
    assert_eq!(
        header(asset.headers(), "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header(loader.headers(), "cache-control"), "no-cache");
    assert_eq!(header(data.headers(), "cache-control"), "no-store");
    assert_eq!(header(refused.headers(), "cache-control"), "no-store");
}

#[tokio::test]
async fn a_configured_portal_may_frame_the_app() {
    let app =
        spawn_app_with(|config| config.frame_ancestors = vec!["https://portal.example.com".into()])
            .await;
    let page = app.client.get(&app.base).send().await.unwrap();
    assert!(header(page.headers(), "content-security-policy")
        .contains("frame-ancestors 'self' https://portal.example.com"));
}

#[tokio::test]
async fn assets_come_brotli_or_gzip_as_the_browser_accepts_and_say_they_vary() {
    let app = spawn_app().await;
    let name = "command-center-e592157e5a2a9339.js";
    let dist = app.dist_dir();
    std::fs::write(dist.join(name), "export const plain = 1;").unwrap();
    std::fs::write(dist.join(format!("{name}.br")), "brotli bytes").unwrap();
    std::fs::write(dist.join(format!("{name}.gz")), "gzip bytes").unwrap();
    let fetch = |accept: &'static str| {
        let request = app.client.get(format!("{}/{name}", app.base));
        let request = if accept.is_empty() {
            request
        } else {
            request.header("accept-encoding", accept)
        };
        request.send()
    };
    for (accept, encoding, body) in [
        ("gzip, deflate, br, zstd", Some("br"), "brotli bytes"),
        ("gzip", Some("gzip"), "gzip bytes"),
        ("", None, "export const plain = 1;"),
    ] {
        let response = fetch(accept).await.unwrap();
        assert_eq!(
            response
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap()),
            encoding,
            "{accept}"
        );
        assert!(header(response.headers(), "vary").contains("accept-encoding"));
        assert_eq!(
            header(response.headers(), "cache-control"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(response.text().await.unwrap(), body, "{accept}");
    }
}
