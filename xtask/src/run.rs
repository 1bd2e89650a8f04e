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
    let mut secret_file: Option<std::path::PathBuf> = None;
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
            "--secret-file" => {
                secret_file = Some(args.next().ok_or("--secret-file needs a file")?.into())
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
                     --database-url postgres://…, --secret-file FILE, --bind ADDR)"
                ))
            }
        }
    }
    // PostgreSQL takes the sealing key from a file: one is made in the data directory for a
    // first try, unless one is given.
    if passed.iter().any(|a| a == "--database-url") || secret_file.is_some() {
        let file = match secret_file {
            Some(file) => file,
            None => {
                let file = data_dir.join("secret-file");
                if !file.exists() {
                    std::fs::create_dir_all(&data_dir).map_err(|e| e.to_string())?;
                    let key: String = (0..4).map(|_| format!("{:016x}", rand_u64())).collect();
                    std::fs::write(&file, key + "\n").map_err(|e| e.to_string())?;
                }
                file
            }
        };
        passed.extend(["--secret-file".to_owned(), file.display().to_string()]);
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

/// 64 random bits from the operating system, for a first secret file.
fn rand_u64() -> u64 {
    use std::io::Read;
    let mut bytes = [0u8; 8];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .expect("/dev/urandom is readable");
    u64::from_le_bytes(bytes)
}
