//! `cargo xtask run`: build everything and serve the app with demo data.

use crate::build::{self, Profile};
use crate::cmd::{self, Result};
use std::process::Command;

pub fn run(args: &[String]) -> Result {
    let mut port = "8080".to_owned();
    let mut data_dir = cmd::root().join("data");
    // Passed to the server as given: PostgreSQL instead of SQLite, and the address to listen on.
    let mut passed: Vec<String> = Vec::new();
    let mut database = "SQLite in the data directory".to_owned();
    let mut host = "127.0.0.1".to_owned();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => port = args.next().ok_or("--port needs a number")?.clone(),
            "--data-dir" => data_dir = args.next().ok_or("--data-dir needs a directory")?.into(),
            "--database-url" => {
                let url = args
                    .next()
                    .ok_or("--database-url needs a postgres:// URL")?;
                database = "PostgreSQL (--database-url)".to_owned();
                passed.extend(["--database-url".to_owned(), url.clone()]);
            }
            "--bind" => {
                let address = args.next().ok_or("--bind needs an address, like 0.0.0.0")?;
                if address != "0.0.0.0" {
                    host = address.clone();
                }
                passed.extend(["--bind".to_owned(), address.clone()]);
            }
            other => {
                return Err(format!(
                    "unknown argument `{other}` (try --port N, --data-dir DIR, \
                     --database-url postgres://…, --bind ADDR)"
                ))
            }
        }
    }
    let dist = build::spa("/")?;
    let server = build::server(Profile::Release)?;

    println!();
    println!("  Command Center: http://{host}:{port}/");
    println!("  Sign in as aiko@example.com or ben@example.com (reps), manager@example.com (their manager), admin@example.com; password: demo");
    println!("  Database: {database}");
    println!("  Data: {}   Stop: Ctrl-C", data_dir.display());
    println!();
    // The server handles Ctrl-C itself (graceful shutdown); xtask just waits for it.
    let status = Command::new(server)
        .args(["--port", &port, "--demo", "--dist"])
        .arg(&dist)
        .arg("--data-dir")
        .arg(&data_dir)
        .args(&passed)
        .status()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the server stopped: {status}"))
    }
}
