//! Builds the SPA (trunk) and the server (cargo).

use crate::cmd::{self, run, Result};
use crate::tools;
use std::path::PathBuf;
use std::process::Command;

#[derive(Clone, Copy, PartialEq)]
pub enum Profile {
    Debug,
    Release,
}

/// `trunk build --release --offline` into `dist/`, with the installed tools on PATH.
pub fn spa(public_url: &str) -> Result<PathBuf> {
    tools::ensure_build_tools()?;
    // Trunk runs offline, so every crate must be in the local registry first.
    run(cmd::cargo().args(["fetch"]))?;
    let dist = cmd::root().join("dist");
    run(Command::new("trunk")
        .args([
            "build",
            "--release",
            "--offline",
            "--public-url",
            public_url,
        ])
        .current_dir(cmd::root())
        .env("PATH", cmd::tool_path()))?;
    Ok(dist)
}

pub fn server(profile: Profile) -> Result<PathBuf> {
    let mut cargo = cmd::cargo();
    cargo.args([
        "build",
        "--package",
        "server",
        "--bin",
        "command-center-server",
    ]);
    if profile == Profile::Release {
        cargo.arg("--release");
    }
    run(&mut cargo)?;
    let dir = if profile == Profile::Release {
        "release"
    } else {
        "debug"
    };
    Ok(cmd::target_dir().join(dir).join("command-center-server"))
}
