//! wasm-split-cli, built from its published source with one change of ours
//! (xtask/wasm-split/hosting.rs): code the signed-in app shares with the pages loaded after it
//! goes into the app's own piece, and the small chunks those pages share among themselves into
//! one. Unchanged, wasm-split gives every set of pieces that share code a chunk of its own: a
//! rep's first inbox would fetch two hundred of them (more bytes than one module, and many more
//! requests), and a page about eighty; see xtask/src/split.rs and UPGRADING.md.

use crate::cmd::{self, output, run, Result};
use std::path::{Path, PathBuf};

/// The published wasm_split_cli_support the change applies to.
pub const VERSION: &str = "0.2.4";
/// Changed with hosting.rs or the edit below, so that the tool is built again.
pub const CHANGE: &str = "hosting-2";
/// The environment variable the changed tool reads: the piece that hosts the others.
pub const HOST_VARIABLE: &str = "WASM_SPLIT_HOST";

const HOSTING: &str = include_str!("../wasm-split/hosting.rs");

/// The painting loop, as published, and as changed: each symbol's module goes through `Hosting`.
const LOOP: &str = "    while let Some((node, color)) = painter.next() {
        if split_point_imports.contains(&node) {
            continue;
        }
";
const HOSTED_LOOP: &str = "    let painted = std::iter::from_fn(|| painter.next().map(|(node, color)| (node, color.clone())))
        .collect::<Vec<_>>();
    let hosting = Hosting::new(&painted, &split_points);
    for (node, color) in painted {
        if split_point_imports.contains(&node) {
            continue;
        }
        let color = &hosting.place(color);
";

pub fn ensure() -> Result {
    let source = cmd::tools_dir().join(format!("wasm-split-cli-{VERSION}-{CHANGE}"));
    let installed = output(cmd::cargo().args(["install", "--list"])).unwrap_or_default();
    if installed.contains(&format!(
        "wasm_split_cli_support v{VERSION} ({}):",
        source.display()
    )) {
        return Ok(());
    }
    eprintln!(
        "Building wasm-split-cli {VERSION} with its hosting change (about 2 minutes, once)..."
    );
    let published = published_source()?;
    let _ = std::fs::remove_dir_all(&source);
    copy_dir(&published, &source)?;
    let split_point = source.join("src").join("split_point.rs");
    let text = std::fs::read_to_string(&split_point).map_err(|e| e.to_string())?;
    let changed = change(&text)?;
    std::fs::write(&split_point, changed).map_err(|e| e.to_string())?;
    let install = |locked: &[&str]| {
        run(cmd::cargo()
            .args(["install", "--force", "--features", "build-binary"])
            .args(locked)
            .arg("--path")
            .arg(&source))
    };
    install(&["--locked"]).or_else(|_| install(&[]))
}

/// The published source with the change made.
fn change(published: &str) -> Result<String> {
    if published.matches(LOOP).count() != 1 {
        return Err(format!(
            "wasm_split_cli_support {VERSION}'s split_point.rs is not as expected; see UPGRADING.md"
        ));
    }
    Ok(format!(
        "{}\n{HOSTING}",
        published.replace(LOOP, HOSTED_LOOP)
    ))
}

/// The crate's source as cargo unpacks it from crates.io, fetched by a package of one dependency.
fn published_source() -> Result<PathBuf> {
    let fetcher = cmd::tools_dir().join("wasm-split-source");
    std::fs::create_dir_all(fetcher.join("src")).map_err(|e| e.to_string())?;
    std::fs::write(
        fetcher.join("Cargo.toml"),
        format!(
            "[package]\nname = \"wasm-split-source\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\nwasm_split_cli_support = \"={VERSION}\"\n\n[workspace]\n"
        ),
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(fetcher.join("src").join("lib.rs"), "").map_err(|e| e.to_string())?;
    run(cmd::cargo()
        .arg("fetch")
        .arg("--manifest-path")
        .arg(fetcher.join("Cargo.toml")))?;
    let registry = cargo_home().join("registry").join("src");
    std::fs::read_dir(&registry)
        .map_err(|e| format!("{}: {e}", registry.display()))?
        .filter_map(|index| index.ok())
        .map(|index| {
            index
                .path()
                .join(format!("wasm_split_cli_support-{VERSION}"))
        })
        .find(|dir| dir.join("Cargo.toml").is_file())
        .ok_or_else(|| {
            format!(
                "cargo fetch left no wasm_split_cli_support-{VERSION} in {}",
                registry.display()
            )
        })
}

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_change_replaces_the_loop_once_and_adds_hosting() {
        let published = format!("fn compute() {{\n{LOOP}        place(node);\n    }}\n}}\n");
        let changed = change(&published).unwrap();
        assert!(changed.contains(HOSTED_LOOP) && !changed.contains(LOOP));
        assert!(changed.contains("struct Hosting"));
        assert!(change("fn compute() {}").is_err());
    }
}
