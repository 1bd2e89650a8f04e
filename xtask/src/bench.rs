//! `cargo xtask bench`: builds the release SPA and the bench harness, then runs it (see
//! `bench/src/main.rs`). Arguments go to the harness: `--scale 10` for a tenth of the data set.
//! `--postgres` measures PostgreSQL instead of SQLite: a throwaway cluster as the tests use
//! (Debian's package, installed when missing), with memory for the data set generated into it.

use crate::build;
use crate::cmd::{self, Result};

pub fn bench(args: &[String]) -> Result {
    let dist = build::spa("/")?;
    cmd::run(cmd::cargo().args(["build", "--release", "--package", "bench"]))?;
    let harness = cmd::target_dir().join("release").join("bench");
    let on_postgres = args.iter().any(|a| a == "--postgres");
    let mut args: Vec<String> = args
        .iter()
        .filter(|a| *a != "--postgres")
        .cloned()
        .collect();
    // Kept until the harness ends; dropping it stops and deletes the cluster.
    let cluster = if on_postgres {
        // Memory as a database server for a million emails would have (the tests' cluster
        // keeps PostgreSQL's small defaults).
        let cluster = crate::postgres::Cluster::start_with(&[
            "shared_buffers=4GB",
            "work_mem=64MB",
            "maintenance_work_mem=1GB",
            "effective_cache_size=12GB",
        ])?;
        args.extend(["--database-url".to_owned(), cluster.url.clone()]);
        Some(cluster)
    } else {
        None
    };
    let ran = cmd::run(
        std::process::Command::new(harness)
            .arg("--dist")
            .arg(&dist)
            .args(&args)
            .current_dir(cmd::root()),
    );
    drop(cluster);
    ran
}
