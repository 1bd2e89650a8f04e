//! Running commands: echo them, fail with their name, find the workspace.

use std::path::{Path, PathBuf};
use std::process::Command;

pub type Result<T = ()> = std::result::Result<T, String>;

/// The checkout `cargo xtask` was run in: the nearest directory up from here whose Cargo.toml
/// declares the workspace. Not the directory xtask was compiled in: a build cache shared between
/// clones may hand one clone's xtask binary to another.
pub fn root() -> PathBuf {
    let here = std::env::current_dir().ok();
    here.iter()
        .flat_map(|dir| dir.ancestors())
        .find(|dir| {
            dir.join("xtask").is_dir()
                && std::fs::read_to_string(dir.join("Cargo.toml"))
                    .is_ok_and(|toml| toml.contains("[workspace]"))
        })
        .map(Path::to_path_buf)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .expect("xtask sits in the workspace")
                .to_path_buf()
        })
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// Where tools installed from npm live (outside the clone, so a fresh clone reuses them).
pub fn tools_dir() -> PathBuf {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    home.join(".cache").join("command-center").join("tools")
}

/// PATH with the npm-installed tools first.
pub fn tool_path() -> String {
    let bin = tools_dir().join("node_modules").join(".bin");
    match std::env::var("PATH") {
        Ok(path) => format!("{}:{path}", bin.display()),
        Err(_) => bin.display().to_string(),
    }
}

pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root());
    command
}

pub fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs to completion with inherited output; an exit other than 0 is an error naming the command.
pub fn run(command: &mut Command) -> Result {
    eprintln!("$ {}", describe(command));
    let status = command
        .status()
        .map_err(|e| format!("cannot start `{}`: {e}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(command)))
    }
}

/// The command's stdout if it ran and succeeded (used to probe installed tools).
pub fn output(command: &mut Command) -> Option<String> {
    let output = command.output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}
