//! Installs what the build and tests need, skipping what is present. Nothing here downloads a
//! binary from the web: Rust tools come from crates.io, wasm-opt and terser from npm, Chromium
//! with a Japanese font, and zopfli and brotli from apt.

use crate::cmd::{self, output, run, Result};
use std::path::Path;
use std::process::Command;

pub const TRUNK_VERSION: &str = "0.21.14";
/// binaryen's npm package: Debian's wasm-opt is too old for current rustc output.
pub const BINARYEN_VERSION: &str = "132";
/// Minifies the SPA's JavaScript (the wasm-bindgen glue and the pieces' loader).
pub const TERSER_VERSION: &str = "5.51.4";

pub fn ensure_build_tools() -> Result {
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    crate::split_tool::ensure()?;
    ensure_npm_tools()?;
    ensure_compressors()
}

fn ensure_wasm_target() -> Result {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|line| line.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn ensure_trunk() -> Result {
    let version = output(Command::new("trunk").arg("--version")).unwrap_or_default();
    if version.split_whitespace().nth(1) == Some(TRUNK_VERSION) {
        return Ok(());
    }
    eprintln!("Installing trunk {TRUNK_VERSION} (a one-time build of about 12 minutes)...");
    // The registry here can lack a version the lock file names: then resolve afresh.
    run(cmd::cargo().args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]))
        .or_else(|_| run(cmd::cargo().args(["install", "trunk", "--version", TRUNK_VERSION])))
}

/// The wasm-bindgen version in Cargo.lock: the CLI must be exactly it.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(cmd::root().join("Cargo.lock"))
        .map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock names no wasm-bindgen".into())
}

fn ensure_wasm_bindgen() -> Result {
    let wanted = locked_wasm_bindgen_version()?;
    let version = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if version.split_whitespace().nth(1) == Some(wanted.as_str()) {
        return Ok(());
    }
    // Without --locked: its lock file names a crate version the registry does not serve.
    run(cmd::cargo().args(["install", "wasm-bindgen-cli", "--version", &wanted]))
}

/// wasm-opt and terser, in the tools folder (`cmd::tool_path` puts it first on PATH).
fn ensure_npm_tools() -> Result {
    let version = |tool: &str| {
        let mut probe = Command::new(tool);
        probe.arg("--version").env("PATH", cmd::tool_path());
        output(&mut probe).unwrap_or_default()
    };
    if version("wasm-opt").contains(&format!("version {BINARYEN_VERSION}"))
        && version("terser").trim() == format!("terser {TERSER_VERSION}")
    {
        return Ok(());
    }
    let dir = cmd::tools_dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&dir)
        .arg(format!("binaryen@{BINARYEN_VERSION}"))
        .arg(format!("terser@{TERSER_VERSION}")))
}

/// zopfli writes the smallest gzip streams (a twentieth smaller than `gzip -9`), which every
/// browser reads as any other, and brotli a fifth smaller again for browsers that take it; both
/// are slow at their best, so each piece is compressed once per build.
fn ensure_compressors() -> Result {
    let missing: Vec<&str> = ["zopfli", "brotli"]
        .into_iter()
        .filter(|tool| !Path::new("/usr/bin").join(tool).exists())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    apt_install(&missing)
}

/// Chromium and ChromeDriver from Debian, for the component and end-to-end tests, and a Japanese
/// font: without one the browser draws every Japanese string as empty boxes, so the tests would
/// lay out and read the Japanese interface in a script no rep sees.
pub fn ensure_chromium() -> Result {
    let mut missing = Vec::new();
    if !(Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists()) {
        missing.extend(["chromium", "chromium-driver"]);
    }
    // fontconfig comes with Chromium: without it, there is no font either.
    let japanese_fonts = output(Command::new("fc-list").args([":lang=ja", "family"]));
    if japanese_fonts.is_none_or(|fonts| fonts.trim().is_empty()) {
        missing.push("fonts-noto-cjk");
    }
    if missing.is_empty() {
        return Ok(());
    }
    apt_install(&missing)
}

/// SpamAssassin from Debian, run with its local rules only (`-L`) on the messages the product
/// sends.
pub fn ensure_spamassassin() -> Result {
    if Path::new("/usr/bin/spamassassin").exists() {
        return Ok(());
    }
    apt_install(&["spamassassin"])
}

/// A Python with the test tools from PyPI, in a virtual environment of its own under the tools
/// cache; returns its interpreter. dkimpy is an independent DKIM verifier (PyNaCl for its Ed25519
/// signatures); schemathesis fuzzes the API against its OpenAPI document.
pub fn ensure_python_tools() -> Result<std::path::PathBuf> {
    let venv = cmd::tools_dir().join("python");
    let python = venv.join("bin").join("python");
    let has_tools = || {
        Command::new(&python)
            .args([
                "-c",
                &format!(
                    "import dkim, nacl, importlib.metadata as m; assert m.version('schemathesis') == '{SCHEMATHESIS_VERSION}'"
                ),
            ])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if has_tools() {
        return Ok(python);
    }
    if !python.exists() {
        if output(Command::new("python3").args(["-c", "import ensurepip"])).is_none() {
            apt_install(&["python3-venv"])?;
        }
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    run(Command::new(&python).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "dkimpy==1.1.8",
        "pynacl==1.5.0",
        &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
    ]))?;
    Ok(python)
}

const SCHEMATHESIS_VERSION: &str = "4.32.5";

/// Debian packages, through sudo when not root.
pub(crate) fn apt_install(packages: &[&str]) -> Result {
    let sudo = output(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() != "0");
    let apt = |args: &[&str]| {
        let mut command = if sudo {
            Command::new("sudo")
        } else {
            Command::new("apt-get")
        };
        if sudo {
            command.arg("apt-get");
        }
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut command)
    };
    apt(&["update"])?;
    apt(&[&["install", "-y", "--no-install-recommends"], packages].concat())
}

/// The end-to-end tests' npm packages (playwright-core, which drives the system Chromium;
/// axe-core; oidc-provider, the OpenID provider single sign-on is tested against).
pub fn ensure_e2e_packages() -> Result {
    let e2e = cmd::root().join("e2e");
    let modules = e2e.join("node_modules");
    if ["playwright-core", "axe-core", "oidc-provider"]
        .iter()
        .all(|package| modules.join(package).exists())
    {
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(e2e))
}
