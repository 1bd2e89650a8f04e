//! `cargo xtask run | test | bench | dist`: everything a new machine needs, from two commands.

mod bench;
mod build;
mod cmd;
mod contract;
mod dist;
mod dovecot;
mod glue;
mod postgres;
mod run;
mod split;
mod split_tool;
mod test;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "\
cargo xtask run [--port N] [--data-dir DIR]   install what is missing, build, serve with demo data
cargo xtask test                              every test layer (lint, unit, API, component, end-to-end)
cargo xtask bench [--scale N] [--samples N] [--postgres]
                                              performance figures at 1M emails (or 1/N of it),
                                              on SQLite or on a throwaway PostgreSQL cluster
cargo xtask dist [--public-url /path/] [--api-base URL] [--out DIR] [--hash-routing]
                                              the SPA as static files served under /path/
cargo xtask dkim-record --dkim-selector S --dkim-domain D --dkim-key FILE
                                              the DNS TXT record that publishes a DKIM key
cargo xtask glue-fixture                      make glue.rs's test input again with the pinned
                                              wasm-bindgen (see UPGRADING.md)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run::run(&args[1..]),
        Some("test") => test::test(&args[1..]),
        Some("bench") => bench::bench(&args[1..]),
        Some("dist") => dist::dist(&args[1..]),
        Some("glue-fixture") => glue::make_fixture(),
        Some("dkim-record") => cmd::run(
            cmd::cargo()
                .args(["run", "--quiet", "--package", "server", "--"])
                .args(&args),
        ),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nxtask: {error}");
            ExitCode::FAILURE
        }
    }
}
