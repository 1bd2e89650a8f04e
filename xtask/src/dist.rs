//! `cargo xtask dist`: the SPA as static files for any web server, under a path of its choosing,
//! talking to an API that may live on another origin (which then lists this site with
//! `--cors-origin`).

use crate::build;
use crate::cmd::{self, Result};

pub fn dist(args: &[String]) -> Result {
    let mut public_url = "/".to_owned();
    let mut api_base = "/api/v1".to_owned();
    let mut out = cmd::root().join("dist");
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
            other => {
                return Err(format!(
                "unknown argument `{other}` (try --public-url /path/, --api-base URL, --out DIR)"
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
    build::configure_index(&dist, &api_base, &public_url)?;
    println!();
    println!("  Static files for {public_url} in {}", dist.display());
    println!("  API: {api_base}");
    println!("  Serve them under {public_url}; if the API is on another origin, start the server");
    println!("  with --cors-origin <this site's origin>.");
    Ok(())
}
