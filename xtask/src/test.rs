//! `cargo xtask test`: every layer in turn, each printing its own pass/fail count, then a summary.

use crate::build::{self, Profile};
use crate::cmd::{self, describe, Result};
use crate::tools;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Default)]
pub(crate) struct Tally {
    pub(crate) passed: u64,
    pub(crate) failed: u64,
}

struct Layer {
    name: &'static str,
    tally: Tally,
    ok: bool,
}

pub fn test(args: &[String]) -> Result {
    if let Some(arg) = args.first() {
        return Err(format!(
            "`cargo xtask test` takes no arguments (got `{arg}`)"
        ));
    }
    let started = Instant::now();
    let mut layers = Vec::new();

    layers.push(layer("lint (fmt, clippy)", lint));
    layers.push(layer("unit (native)", || {
        counted(cmd::cargo().args([
            "test",
            "--workspace",
            "--exclude",
            "command-center",
            "--lib",
            "--bins",
        ]))
    }));
    layers.push(layer("API (server + SQLite)", || api_suite(None)));
    // The same suite, the same binary (nothing is rebuilt), on a throwaway PostgreSQL cluster.
    layers.push(layer("API (server + PostgreSQL)", || {
        let cluster = crate::postgres::Cluster::start()?;
        api_suite(Some(&cluster.url))
    }));
    layers.push(layer("contract (schemathesis)", crate::contract::fuzz));
    layers.push(layer("component (wasm, Chromium)", component));
    layers.push(layer("end-to-end (Chromium)", end_to_end));
    layers.push(layer("PostgreSQL end-to-end smoke", end_to_end_on_postgres));

    println!("\n== Summary ({} s)", started.elapsed().as_secs());
    let (mut passed, mut failed) = (0, 0);
    for layer in &layers {
        println!(
            "  {:<28} {:>4} passed, {:>3} failed  {}",
            layer.name,
            layer.tally.passed,
            layer.tally.failed,
            if layer.ok { "ok" } else { "FAILED" }
        );
        passed += layer.tally.passed;
        failed += layer.tally.failed;
    }
    println!("{passed} passed, {failed} failed");
    let broken: Vec<&str> = layers.iter().filter(|l| !l.ok).map(|l| l.name).collect();
    if broken.is_empty() {
        Ok(())
    } else {
        Err(format!("failing layers: {}", broken.join(", ")))
    }
}

/// The server's API tests (with the search differential test and the crash tests), on SQLite or,
/// given an administrator's URL, on PostgreSQL with a database per test.
fn api_suite(postgres: Option<&str>) -> Result<Tally> {
    // The deliverability tests read messages as mail filters and DKIM verifiers do.
    tools::ensure_spamassassin()?;
    let python = tools::ensure_python_tools()?;
    let mut command = cmd::cargo();
    // --show-output: the figures a few tests print (SpamAssassin's reports, the import's memory)
    // appear in the log even when they pass.
    command
        .args([
            "test",
            "--package",
            "server",
            "--test",
            "api",
            "--",
            "--show-output",
        ])
        .env("PYTHON", python);
    // The watched-mailbox tests read from a real IMAP server.
    let dovecot = crate::dovecot::Dovecot::start()?;
    command.env("TEST_IMAP_ADDR", &dovecot.address);
    if let Some(url) = postgres {
        // The ignored tests are those that need PostgreSQL (e.g. comparing the two schemas).
        command
            .arg("--include-ignored")
            .env("TEST_DATABASE_URL", url);
    }
    counted(&mut command)
}

/// Runs one layer; a failure is recorded and the next layers still run, so one run shows all.
fn layer(name: &'static str, body: impl FnOnce() -> Result<Tally>) -> Layer {
    // A developer's shortcut to some layers (`TEST_LAYERS="API end-to-end"`); CI runs them all.
    if let Ok(wanted) = std::env::var("TEST_LAYERS") {
        if !wanted.split_whitespace().any(|w| name.starts_with(w)) {
            return Layer {
                name,
                ok: true,
                tally: Tally {
                    passed: 0,
                    failed: 0,
                },
            };
        }
    }
    println!("\n== {name}");
    match body() {
        Ok(tally) => Layer {
            name,
            ok: tally.failed == 0,
            tally,
        },
        Err(error) => {
            eprintln!("{name}: {error}");
            Layer {
                name,
                tally: Tally {
                    passed: 0,
                    failed: 1,
                },
                ok: false,
            }
        }
    }
}

/// Formatting and clippy on both targets; each check counts once, and all run even if one fails.
fn lint() -> Result<Tally> {
    tools::ensure_build_tools()?;
    let checks: [&[&str]; 4] = [
        &["fmt", "--all", "--check"],
        &[
            "clippy",
            "--workspace",
            "--exclude",
            "command-center",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[
            "clippy",
            "--package",
            "command-center",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        // The build that is shipped: pages and dialogs as split points (src/split.rs).
        &[
            "clippy",
            "--package",
            "command-center",
            "--target",
            "wasm32-unknown-unknown",
            "--features",
            "split",
            "--",
            "-D",
            "warnings",
        ],
    ];
    let mut tally = Tally::default();
    for args in checks {
        match cmd::run(cmd::cargo().args(args)) {
            Ok(()) => tally.passed += 1,
            Err(error) => {
                eprintln!("{error}");
                tally.failed += 1;
            }
        }
    }
    Ok(tally)
}

/// wasm-bindgen-test in headless Chromium: the SPA's logic and components in a real browser.
fn component() -> Result<Tally> {
    tools::ensure_build_tools()?;
    tools::ensure_chromium()?;
    let mut cargo = cmd::cargo();
    cargo
        .args([
            "test",
            "--package",
            "command-center",
            "--target",
            "wasm32-unknown-unknown",
            "--lib",
            "--test",
            "*",
        ])
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    counted(&mut cargo)
}

/// The real server built from this checkout, its demo data, the release SPA, real Chromium.
/// The SPA (`dist`) and the debug server the end-to-end layers run, built once.
fn e2e_builds() -> Result<(std::path::PathBuf, std::path::PathBuf)> {
    static BUILT: std::sync::OnceLock<(std::path::PathBuf, std::path::PathBuf)> =
        std::sync::OnceLock::new();
    if let Some(built) = BUILT.get() {
        return Ok(built.clone());
    }
    tools::ensure_chromium()?;
    tools::ensure_e2e_packages()?;
    let built = (build::spa("/")?, build::server(Profile::Debug)?);
    Ok(BUILT.get_or_init(|| built).clone())
}

/// The e2e files the PostgreSQL smoke runs: signing in, folders and live updates, a dynamic
/// list, tasks.
const POSTGRES_SMOKE: &str = "outbox.test.js search.test.js tasks.test.js";

/// The same server and SPA over PostgreSQL: a smoke test of the main journeys in Chromium.
fn end_to_end_on_postgres() -> Result<Tally> {
    let (dist, server) = e2e_builds()?;
    let cluster = crate::postgres::Cluster::start()?;
    let data = tempdir("e2e-postgres")?;
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    // On PostgreSQL the key that seals reps' mailbox passwords comes from a file.
    let secret_file = data.join("secret-file");
    std::fs::write(
        &secret_file,
        "the end-to-end server's key, long enough to take\n",
    )
    .map_err(|e| e.to_string())?;
    let secret_file = secret_file.display().to_string();
    let running = demo_server(
        &server,
        port,
        &data,
        &dist,
        &[
            "--webhook-secret",
            E2E_WEBHOOK_SECRET,
            "--database-url",
            &cluster.url,
            "--secret-file",
            &secret_file,
        ],
    )?;
    let tally =
        counted(e2e_runner(&base, &data, &server, &dist).args(POSTGRES_SMOKE.split_whitespace()));
    drop(running);
    drop(cluster);
    let _ = std::fs::remove_dir_all(&data);
    tally
}

/// The watched mailbox's user on the end-to-end tests' IMAP server.
const E2E_MAILBOX: &str = "replies";

fn end_to_end() -> Result<Tally> {
    let (dist, server) = e2e_builds()?;
    // Tests that change data wholesale start their own server on fresh demo data with these.
    let (server_bin, dist_dir) = (server.clone(), dist.clone());
    let data = tempdir("e2e")?;
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    // The same SPA as static files under /app/ on a plain static server, calling the API on
    // another origin: what `cargo xtask dist` makes.
    let static_port = free_port()?;
    let static_root = data.join("static-root");
    let static_dist = build::spa_into("/app/", &static_root.join("app"))?;
    build::configure_index(
        &static_dist,
        &build::PageSettings {
            api_base: &format!("{base}/api/v1"),
            route_base: "/app/",
            hash_routing: false,
        },
    )?;
    let static_origin = format!("http://127.0.0.1:{static_port}");
    // The mailbox the server watches for replies (the mailbox test delivers into it).
    let dovecot = crate::dovecot::Dovecot::start()?;
    let imap_url = format!("imap://{E2E_MAILBOX}:secret@{}/INBOX", dovecot.address);
    // A real OpenID provider for single sign-on, sending users back to this server.
    let oidc_port = free_port()?;
    let oidc_issuer = format!("http://127.0.0.1:{oidc_port}");
    let provider = oidc_provider(oidc_port, &format!("{base}/api/v1/auth/oidc/callback"))?;
    let server = demo_server(
        &server,
        port,
        &data,
        &dist,
        &[
            "--webhook-secret",
            E2E_WEBHOOK_SECRET,
            "--cors-origin",
            &static_origin,
            "--imap-url",
            &imap_url,
            // The rep's own mailbox test points at the local IMAP server.
            "--private-rep-mailboxes",
            "--embed-secret",
            E2E_EMBED_SECRET,
            "--oidc-issuer",
            &oidc_issuer,
            "--oidc-client-id",
            "command-center",
            "--oidc-client-secret",
            E2E_OIDC_SECRET,
            "--provision-team",
            "Single sign-on",
            "--provision-domain",
            "example.com",
        ],
    )?;
    let static_server = Command::new("python3")
        .args([
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            &static_port.to_string(),
            "--directory",
        ])
        .arg(&static_root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start python3 -m http.server: {e}"))?;
    let static_server = KillOnDrop(static_server);
    let tally = counted(
        e2e_runner(&base, &data, &server_bin, &dist_dir)
            // A developer's shortcut to some files (`E2E_FILES="search.test.js a11y.test.js"`);
            // CI never sets it and runs them all.
            .args(
                std::env::var("E2E_FILES")
                    .unwrap_or_default()
                    .split_whitespace(),
            )
            .env("STATIC_URL", format!("{static_origin}/app/"))
            .env("STATIC_ROOT", &static_root)
            .env("IMAP_ADDR", &dovecot.address)
            .env("IMAP_USER", E2E_MAILBOX)
            // Not the server's own variable names: servers the tests start inherit this
            // environment and must not be configured by it.
            .env("TEST_OIDC_ISSUER", &oidc_issuer)
            .env("TEST_OIDC_CLIENT_SECRET", E2E_OIDC_SECRET),
    );
    drop(provider);
    drop(static_server);
    drop(server);
    drop(dovecot);
    let _ = std::fs::remove_dir_all(&data);
    tally
}

/// Node's test runner over `e2e/`, told where the server under test is (`base`, its data
/// directory) and how to start more of them (the binary and the SPA); the files to run follow.
fn e2e_runner(
    base: &str,
    data: &std::path::Path,
    server: &std::path::Path,
    dist: &std::path::Path,
) -> Command {
    let mut command = Command::new("node");
    command
        .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
        .current_dir(cmd::root().join("e2e"))
        .env("BASE_URL", base)
        .env("DATA_DIR", data)
        .env("WEBHOOK_SECRET", E2E_WEBHOOK_SECRET)
        .env("TEST_EMBED_SECRET", E2E_EMBED_SECRET)
        .env("SERVER_BIN", server)
        .env("DIST_DIR", dist);
    command
}

/// The end-to-end tests sign delivery reports with this.
const E2E_WEBHOOK_SECRET: &str = "e2e-webhook-secret";
/// The end-to-end tests' OpenID provider knows Command Center by this secret.
const E2E_OIDC_SECRET: &str = "e2e-oidc-client-secret";

/// `e2e/oidc-provider.js` (the oidc-provider package) on `port`, once it answers.
fn oidc_provider(port: u16, redirect_uri: &str) -> Result<KillOnDrop> {
    let child = Command::new("node")
        .arg("oidc-provider.js")
        .current_dir(cmd::root().join("e2e"))
        .env("OIDC_PORT", port.to_string())
        .env("OIDC_REDIRECT_URI", redirect_uri)
        .env("OIDC_CLIENT_SECRET", E2E_OIDC_SECRET)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the OpenID provider (node oidc-provider.js): {e}"))?;
    let provider = KillOnDrop(child);
    for _ in 0..300 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(provider);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err("the OpenID provider did not start within 30 s".into())
}

/// The end-to-end tests' portal signs its users' sign-in tokens with this.
const E2E_EMBED_SECRET: &str = "e2e-portal-embed-secret";

/// The server binary on `port` over fresh demo data in `data`, hosting `dist`, once it answers.
pub(crate) fn demo_server(
    binary: &std::path::Path,
    port: u16,
    data: &std::path::Path,
    dist: &std::path::Path,
    flags: &[&str],
) -> Result<KillOnDrop> {
    let child = Command::new(binary)
        .args(["--port", &port.to_string(), "--demo"])
        .args(flags)
        .arg("--dist")
        .arg(dist)
        .arg("--data-dir")
        .arg(data)
        .env("RUST_LOG", "warn")
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let mut server = KillOnDrop(child);
    wait_for_health(&format!("http://127.0.0.1:{port}"), &mut server.0)?;
    Ok(server)
}

pub(crate) struct KillOnDrop(pub(crate) Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A fresh directory for one layer's server (`purpose`: `e2e`, `contract`).
pub(crate) fn tempdir(purpose: &str) -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("command-center-{purpose}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    Ok(dir)
}

pub(crate) fn free_port() -> Result<u16> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("finding a free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// Polls `/api/v1/health` with a plain HTTP/1.0 request (xtask has no HTTP client dependency).
fn wait_for_health(base: &str, child: &mut Child) -> Result {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://").to_owned();
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("the server exited before it was ready ({status})"));
        }
        if let Ok(mut stream) = std::net::TcpStream::connect(&addr) {
            let _ = stream.write_all(b"GET /api/v1/health HTTP/1.0\r\n\r\n");
            let mut reply = String::new();
            let _ = stream.read_to_string(&mut reply);
            if reply.starts_with("HTTP/1.0 200") || reply.starts_with("HTTP/1.1 200") {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err("the server did not become healthy within 120 s".into())
}

/// Runs a test command, echoing its output while counting what its runner reports.
pub(crate) fn counted(command: &mut Command) -> Result<Tally> {
    eprintln!("$ {}", describe(command));
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start `{}`: {e}", describe(command)))?;
    let mut tally = Tally::default();
    let stdout = child.stdout.take().expect("piped");
    for line in BufReader::new(stdout)
        .lines()
        .map_while(std::result::Result::ok)
    {
        println!("{line}");
        count_line(&line, &mut tally);
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() && tally.failed == 0 {
        // It failed without reporting a failed test (a compile error, a crash): count it.
        tally.failed = 1;
    }
    Ok(tally)
}

/// Reads cargo's / wasm-bindgen-test's `test result: ok. 3 passed; 0 failed` and node's
/// `ℹ pass 3` / `ℹ fail 0`.
fn count_line(line: &str, tally: &mut Tally) {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix("test result: ") {
        for part in rest.split(';') {
            let words: Vec<&str> = part.split_whitespace().collect();
            if let [.., n, "passed"] = words[..] {
                tally.passed += n.parse::<u64>().unwrap_or(0);
            }
            if let [n, "failed"] = words[..] {
                tally.failed += n.parse::<u64>().unwrap_or(0);
            }
        }
    } else if let Some(n) = line.strip_prefix("ℹ pass ") {
        tally.passed += n.trim().parse::<u64>().unwrap_or(0);
    } else if let Some(n) = line.strip_prefix("ℹ fail ") {
        tally.failed += n.trim().parse::<u64>().unwrap_or(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runner_summaries_are_counted() {
        let mut tally = Tally::default();
        count_line("test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.1s", &mut tally);
        count_line(
            "test result: FAILED. 3 passed; 2 failed; 0 ignored",
            &mut tally,
        );
        count_line("ℹ pass 4", &mut tally);
        count_line("ℹ fail 1", &mut tally);
        count_line("some other line 9 passed", &mut tally);
        assert_eq!((tally.passed, tally.failed), (19, 3));
    }
}
