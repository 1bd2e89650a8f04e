//! `cargo xtask bench`: builds the release SPA and the bench harness, then runs it (see
//! `bench/src/main.rs`). Arguments go to the harness: `--scale 10` for a tenth of the data set.

use crate::build;
use crate::cmd::{self, Result};

pub fn bench(args: &[String]) -> Result {
    let dist = build::spa("/")?;
    cmd::run(cmd::cargo().args(["build", "--release", "--package", "bench"]))?;
    let harness = cmd::target_dir().join("release").join("bench");
    cmd::run(
        std::process::Command::new(harness)
            .arg("--dist")
            .arg(&dist)
            .args(args)
            .current_dir(cmd::root()),
    )
}
