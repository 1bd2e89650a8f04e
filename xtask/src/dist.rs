//! `cargo xtask dist`: the SPA as static files for any web server, under a path of its choosing,
//! talking to an API that may live on another origin (which then lists this site with
//! `--cors-origin`).

use crate::build;
use crate::cmd::{self, Result};

pub fn dist(args: &[String]) -> Result {
    let mut public_url = "/".to_owned();
    let mut api_base = "/api/v1".to_owned();
    let mut out = cmd::root().join("dist");
    let mut hash_routing = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |what: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{arg} needs {what}"))
        };
        match arg.as_str() {
            "--public-url" => public_url = value("a path such as /crm/")?,
            "--api-base" => api_base = value("a URL such as https://api.example.com/api/v1")?,
            "--out" => out = value("a directory")?.into(),
            "--hash-routing" => hash_routing = true,
            other => {
                return Err(format!(
                "unknown argument `{other}` (try --public-url /path/, --api-base URL, --out DIR, --hash-routing)"
            ))
            }
        }
    }
    if !public_url.starts_with('/') {
        return Err(format!(
            "--public-url `{public_url}` must be a path starting with /"
        ));
    }
    let public_url = format!("{}/", public_url.trim_end_matches('/'));
    let dist = build::spa_into(&public_url, &out)?;
    build::configure_index(
        &dist,
        &build::PageSettings {
            api_base: &api_base,
            route_base: &public_url,
            hash_routing,
        },
    )?;
    println!();
    println!("  Static files for {public_url} in {}", dist.display());
    println!("  API: {api_base}");
    if hash_routing {
        println!("  Routes live in the URL's hash: any static server will do.");
    } else {
        println!("  Deep links need the server to answer unknown paths under {public_url} with index.html.");
    }
    println!("  Serve them under {public_url}; if the API is on another origin, start the server");
    println!("  with --cors-origin <this site's origin>.");
    Ok(())
}
