//! The contract layer: schemathesis (from PyPI) generates requests from the server's own OpenAPI
//! document and sends them to a running server with a signed-in rep, for a bounded time. Every
//! answer must be documented (status, headers, body schema), no request may end in a server
//! error, a schema-valid request must not be refused as malformed, and a schema-invalid one must
//! not be accepted.

use crate::build::{self, Profile};
use crate::cmd::Result;
use crate::test::{counted, demo_server, free_port, tempdir, Tally};
use crate::tools;
use std::process::Command;

/// Cases per operation and phase: with the fixed seed, the same requests each run (about three
/// minutes), so a failure is reproducible rather than a matter of how fast the machine was.
const EXAMPLES: &str = "100";

pub fn fuzz() -> Result<Tally> {
    let python = tools::ensure_python_tools()?;
    let schemathesis = python.with_file_name("schemathesis");
    let server = build::server(Profile::Debug)?;
    let data = tempdir("contract")?;
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    // No SPA: the contract is the API's.
    let server = demo_server(
        &server,
        port,
        &data,
        &data,
        &["--webhook-secret", "contract"],
    )?;
    let token = sign_in(&python, &base)?;
    let tally = counted(
        Command::new(&schemathesis)
            .arg("--config-file")
            .arg(crate::cmd::root().join("xtask").join("schemathesis.toml"))
            .arg("run")
            .arg(format!("{base}/api/v1/openapi.json"))
            .args(["--url", &format!("{base}/api/v1")])
            .args(["--header", &format!("Authorization: Bearer {token}")])
            .args(["--checks", "all"])
            .args(["--max-examples", EXAMPLES])
            .args(["--seed", "1"])
            .args(["--workers", "1"])
            // Signing out would end the rep's session for every request after it; the stream
            // stays open until the server ends it.
            .args(["--exclude-path-regex", "^/sessions?$|^/stream$"])
            .args(["--request-timeout", "10"])
            .args(["--suppress-health-check", "all"]),
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
    tally.map(|tally| {
        // schemathesis prints its own summary; the layer counts as one check.
        if tally.failed == 0 {
            Tally {
                passed: 1,
                failed: 0,
            }
        } else {
            Tally {
                passed: 0,
                failed: 1,
            }
        }
    })
}

/// A demo rep's bearer token (xtask has no HTTP client; the tools' Python does).
fn sign_in(python: &std::path::Path, base: &str) -> Result<String> {
    let script = format!(
        "import json, urllib.request\n\
         request = urllib.request.Request('{base}/api/v1/session', method='POST',\n\
             data=json.dumps({{'email': 'aiko@example.com', 'password': 'demo'}}).encode(),\n\
             headers={{'content-type': 'application/json'}})\n\
         print(json.load(urllib.request.urlopen(request))['token'])"
    );
    let output = Command::new(python)
        .args(["-c", &script])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if !output.status.success() {
        return Err(format!(
            "signing in for the contract run failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
