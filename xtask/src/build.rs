//! Builds the SPA (trunk) and the server (cargo).

use crate::cmd::{self, run, Result};
use crate::tools;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Clone, Copy, PartialEq)]
pub enum Profile {
    Debug,
    Release,
}

/// `trunk build --release --offline` into `dist/`, with the installed tools on PATH.
pub fn spa(public_url: &str) -> Result<PathBuf> {
    spa_into(public_url, &cmd::root().join("dist"))
}

/// Writes `command-center.js`, the one stable name a host page imports to embed the app: it
/// loads the hashed bundle and its wasm, and offers `mount(element, options)` (also as
/// `window.commandCenter.mount`).
fn write_embed_loader(dist: &Path) -> Result {
    let names: Vec<String> = std::fs::read_dir(dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    let find = |suffix: &str| {
        names
            .iter()
            .find(|n| n.starts_with("command-center-") && n.ends_with(suffix))
            .cloned()
            .ok_or_else(|| format!("no command-center-*{suffix} in {}", dist.display()))
    };
    let wasm = find("_bg.wasm")?;
    let css = names
        .iter()
        .find(|n| n.starts_with("main-") && n.ends_with(".css"))
        .cloned()
        .ok_or_else(|| format!("no main-*.css in {}", dist.display()))?;
    let js = names
        .iter()
        .find(|n| n.starts_with("command-center-") && n.ends_with(".js") && !n.ends_with("_bg.js"))
        .cloned()
        .ok_or_else(|| format!("no command-center-*.js in {}", dist.display()))?;
    let loader = format!(
        "// Embeds Command Center in a host page: `await commandCenter.mount(element, {{ apiBase, token, locale, routeBase, theme }})`.\n\
         import init, {{ mount as mountApp }} from './{js}';\n\
         const css = new URL('./{css}', import.meta.url).href;\n\
         // The app's styles are all scoped under .cc-root: adding them cannot restyle the host.\n\
         if (!document.querySelector(`link[href=\"${{css}}\"]`)) {{\n\
           const link = document.createElement('link'); link.rel = 'stylesheet'; link.href = css; document.head.append(link);\n\
         }}\n\
         const ready = init({{ module_or_path: new URL('./{wasm}', import.meta.url) }});\n\
         export async function mount(element, options = {{}}) {{ await ready; return mountApp(element, options); }}\n\
         window.commandCenter = {{ mount }};\n\
         // <command-center api-base=\"…\" token=\"…\" locale=\"ja\" route-base=\"/crm\">: mounted while in the page.\n\
         class CommandCenterElement extends HTMLElement {{\n\
           async connectedCallback() {{\n\
             const options = {{ apiBase: this.getAttribute('api-base'), token: this.getAttribute('token'),\n\
               locale: this.getAttribute('locale'), routeBase: this.getAttribute('route-base') }};\n\
             const app = await mount(this, options);\n\
             // Taken out of the page while loading: do not stay mounted.\n\
             if (this.isConnected && !this.app) this.app = app; else app.unmount();\n\
           }}\n\
           disconnectedCallback() {{ this.app?.unmount(); this.app = null; }}\n\
         }}\n\
         if (!customElements.get('command-center')) customElements.define('command-center', CommandCenterElement);\n"
    );
    std::fs::write(dist.join("command-center.js"), loader)
        .map_err(|e| format!("writing the embed loader: {e}"))
}

/// The release SPA built for `public_url` (the path it is served under) into `dist`.
pub fn spa_into(public_url: &str, dist: &Path) -> Result<PathBuf> {
    tools::ensure_build_tools()?;
    // Trunk runs offline, so every crate must be in the local registry first.
    run(cmd::cargo().args(["fetch"]))?;
    run(Command::new("trunk")
        .args([
            "build",
            "--release",
            "--offline",
            "--public-url",
            public_url,
            "--dist",
        ])
        .arg(dist)
        .current_dir(cmd::root())
        .env("PATH", cmd::tool_path()))?;
    write_embed_loader(dist)?;
    Ok(dist.to_owned())
}

/// Points a built `index.html` at its API and the path its routes live under (the `<meta>`
/// tags the SPA reads at start).
pub fn configure_index(dist: &Path, api_base: &str, route_base: &str) -> Result {
    let path = dist.join("index.html");
    let html = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
    };
    let html = html
        .replace(
            r#"<meta name="command-center-api" content="/api/v1" />"#,
            &format!(
                r#"<meta name="command-center-api" content="{}" />"#,
                escape(api_base)
            ),
        )
        .replace(
            r#"<meta name="command-center-route-base" content="/" />"#,
            &format!(
                r#"<meta name="command-center-route-base" content="{}" />"#,
                escape(route_base)
            ),
        );
    if !html.contains(&format!(r#"content="{}""#, escape(api_base))) {
        return Err(format!(
            "{} has no command-center-api meta tag to set",
            path.display()
        ));
    }
    std::fs::write(&path, html).map_err(|e| format!("{}: {e}", path.display()))
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
