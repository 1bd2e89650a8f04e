//! Builds the SPA (trunk) and the server (cargo).

use crate::cmd::{self, run, Result};
use crate::{split, tools};
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
fn write_embed_loader(dist: &Path, stem: &str) -> Result {
    let css = file_names(dist)?
        .into_iter()
        .find(|n| n.starts_with("main-") && n.ends_with(".css"))
        .ok_or_else(|| format!("no main-*.css in {}", dist.display()))?;
    let (js, wasm) = (format!("{stem}.js"), format!("{stem}_bg.wasm"));
    let loader = format!(
        "// Embeds Command Center in a host page: `await commandCenter.mount(element, {{ apiBase, embedToken, token, locale, routeBase, routing, theme }})`.\n\
         import init, {{ mount as mountApp }} from './{js}';\n\
         const css = new URL('./{css}', import.meta.url).href;\n\
         // The app's styles are all scoped under .cc-root: adding them cannot restyle the host.\n\
         if (!document.querySelector(`link[href=\"${{css}}\"]`)) {{\n\
           const link = document.createElement('link'); link.rel = 'stylesheet'; link.href = css; document.head.append(link);\n\
         }}\n\
         const ready = init({{ module_or_path: new URL('./{wasm}', import.meta.url) }});\n\
         export async function mount(element, options = {{}}) {{ await ready; return mountApp(element, options); }}\n\
         window.commandCenter = {{ mount }};\n\
         // <command-center api-base=\"…\" embed-token=\"…\" (or token=\"…\") locale=\"ja\" route-base=\"/crm\" routing=\"hash\">: mounted while in the page.\n\
         class CommandCenterElement extends HTMLElement {{\n\
           async connectedCallback() {{\n\
             const options = {{ apiBase: this.getAttribute('api-base'), token: this.getAttribute('token'),\n\
               embedToken: this.getAttribute('embed-token'),\n\
               locale: this.getAttribute('locale'), routeBase: this.getAttribute('route-base'),\n\
               routing: this.getAttribute('routing') }};\n\
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
    let stem = bundle_stem(dist)?;
    split::split_into(dist, &stem)?;
    write_embed_loader(dist, &stem)?;
    externalize_boot_script(dist, public_url)?;
    split::compress_assets(dist)?;
    Ok(dist.to_owned())
}

/// Trunk's hashed name for the app's glue and wasm: `command-center-0123456789abcdef`.
fn bundle_stem(dist: &Path) -> Result<String> {
    file_names(dist)?
        .into_iter()
        .find_map(|n| {
            Some(
                n.strip_prefix("command-center-")?
                    .strip_suffix("_bg.wasm")?
                    .to_owned(),
            )
        })
        .map(|hash| format!("command-center-{hash}"))
        .ok_or_else(|| format!("no command-center-*_bg.wasm in {}", dist.display()))
}

fn file_names(dir: &Path) -> Result<Vec<String>> {
    Ok(std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect())
}

/// Moves trunk's inline start-up script out of `index.html` into a content-hashed file, so that
/// the page runs under a Content-Security-Policy without `'unsafe-inline'` scripts.
fn externalize_boot_script(dist: &Path, public_url: &str) -> Result {
    let path = dist.join("index.html");
    let html = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (html, script) = take_inline_script(&html)
        .ok_or_else(|| format!("{} has no inline module script to move", path.display()))?;
    let name = split::hashed_name("boot.js", script.as_bytes());
    let tag = format!(r#"<script type="module" src="{public_url}{name}"></script>"#);
    std::fs::write(dist.join(&name), script).map_err(|e| format!("writing {name}: {e}"))?;
    std::fs::write(&path, html.replace(INLINE_SCRIPT_MARK, &tag))
        .map_err(|e| format!("{}: {e}", path.display()))
}

const INLINE_SCRIPT_MARK: &str = "\u{0}boot\u{0}";

/// `html` with its one `<script>` that has no `src` replaced by `INLINE_SCRIPT_MARK`, and that
/// script's text. None if there is no such script, or more than one.
fn take_inline_script(html: &str) -> Option<(String, String)> {
    let mut found = None;
    let mut from = 0;
    while let Some(at) = html[from..].find("<script") {
        let start = from + at;
        let open_end = start + html[start..].find('>')? + 1;
        let close = open_end + html[open_end..].find("</script>")?;
        let end = close + "</script>".len();
        let opening = &html[start..open_end];
        if !opening.contains(" src=") {
            if found.is_some() {
                return None;
            }
            found = Some((start, open_end, close, end));
        }
        from = end;
    }
    let (start, open_end, close, end) = found?;
    Some((
        format!("{}{INLINE_SCRIPT_MARK}{}", &html[..start], &html[end..]),
        html[open_end..close].to_owned(),
    ))
}

/// How a static build finds its API and keeps its place in the URL: the `<meta>` tags the SPA
/// reads at start.
pub struct PageSettings<'a> {
    pub api_base: &'a str,
    /// The path the routes live under (path routing).
    pub route_base: &'a str,
    /// Keep the route in the URL's hash (`#/emails/delivered`), for servers that cannot answer
    /// every path with index.html.
    pub hash_routing: bool,
}

/// Writes `settings` into a built `index.html`.
pub fn configure_index(dist: &Path, settings: &PageSettings) -> Result {
    let path = dist.join("index.html");
    let mut html =
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let routing = if settings.hash_routing {
        "hash"
    } else {
        "path"
    };
    for (name, value) in [
        ("command-center-api", settings.api_base),
        ("command-center-route-base", settings.route_base),
        ("command-center-routing", routing),
    ] {
        html = set_meta(&html, name, value)
            .ok_or_else(|| format!("{} has no {name} meta tag to set", path.display()))?;
    }
    let html = with_policy(&html, settings.api_base)
        .ok_or_else(|| format!("{} has no <title> to put the policy before", path.display()))?;
    std::fs::write(&path, html).map_err(|e| format!("{}: {e}", path.display()))
}

/// The Content-Security-Policy the server sends, as a `<meta>` for a static host that sends none:
/// the page may call the API where it lives. (`frame-ancestors` cannot be set this way; the host's
/// own headers must say who may frame it.)
fn static_policy(api_base: &str) -> String {
    let api_origin = api_base
        .split_once("://")
        .map(|(scheme, rest)| format!("{scheme}://{}", rest.split('/').next().unwrap_or(rest)));
    let connect = match api_origin {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".to_owned(),
    };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: https: http:; connect-src {connect}; object-src 'none'; base-uri 'none'"
    )
}

/// `html` with the static policy's `<meta>` just before its `<title>` (replacing one already there).
fn with_policy(html: &str, api_base: &str) -> Option<String> {
    const MARK: &str = r#"<meta http-equiv="Content-Security-Policy""#;
    let mut html = html.to_owned();
    if let Some(start) = html.find(MARK) {
        let end = start + html[start..].find('>')? + 1;
        html.replace_range(start..end, "");
    }
    let title = html.find("<title>")?;
    let policy = static_policy(api_base).replace('"', "&quot;");
    html.insert_str(title, &format!(r#"{MARK} content="{policy}">"#));
    Some(html)
}

/// `html` with its `<meta name="{name}" …>` tag written anew with `value` (escaped) as its
/// content. The tag is found however it is spelled: trunk's minifier drops quotes and puts
/// `content` first (`<meta content=/api/v1 name=command-center-api>`).
fn set_meta(html: &str, name: &str, value: &str) -> Option<String> {
    let names = [format!(r#"name="{name}""#), format!("name={name}")];
    let mut from = 0;
    let (start, end) = loop {
        let start = from + html[from..].find("<meta")?;
        let end = start + html[start..].find('>')? + 1;
        let tag = &html[start..end];
        let named = names.iter().any(|n| {
            tag.match_indices(n.as_str()).any(|(at, _)| {
                let after = tag[at + n.len()..].chars().next();
                tag[..at].ends_with(char::is_whitespace)
                    && matches!(after, Some(c) if c.is_whitespace() || c == '>' || c == '/')
            })
        });
        if named {
            break (start, end);
        }
        from = end;
    };
    let escaped = value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        // So that the tag ends at its own `>` when it is looked for again.
        .replace('>', "&gt;");
    Some(format!(
        r#"{}<meta name="{name}" content="{escaped}">{}"#,
        &html[..start],
        &html[end..]
    ))
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

#[cfg(test)]
mod tests {
    use super::{set_meta, take_inline_script, with_policy, INLINE_SCRIPT_MARK};

    #[test]
    fn a_static_page_carries_the_policy_with_its_api_origin() {
        let html = "<head><title>t</title></head>";
        let page = with_policy(html, "https://api.example.com/api/v1").unwrap();
        assert!(
            page.contains("connect-src 'self' https://api.example.com;"),
            "{page}"
        );
        assert!(page.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(
            !page.contains("frame-ancestors"),
            "ignored in a meta, and warned about"
        );
        // Configured again: one policy, the new one.
        let again = with_policy(&page, "/api/v1").unwrap();
        assert_eq!(again.matches("Content-Security-Policy").count(), 1);
        assert!(again.contains("connect-src 'self';"), "{again}");
    }

    #[test]
    fn the_one_inline_script_is_taken_out() {
        let html = "<head><script type=module>import init from '/a.js';\nawait init();</script><link href=/a.js rel=modulepreload><script src=/x.js></script></head>";
        let (page, script) = take_inline_script(html).unwrap();
        assert_eq!(script, "import init from '/a.js';\nawait init();");
        assert_eq!(
            page,
            format!("<head>{INLINE_SCRIPT_MARK}<link href=/a.js rel=modulepreload><script src=/x.js></script></head>")
        );
        assert!(take_inline_script("<script src=/x.js></script>").is_none());
        assert!(take_inline_script("<script>a</script><script>b</script>").is_none());
    }

    #[test]
    fn meta_content_is_replaced_and_escaped() {
        let html = r#"<head><meta name="a" content="/x" /><meta name="b" content="" /></head>"#;
        let html = set_meta(html, "b", r#"say "hi" & <go>"#).unwrap();
        assert_eq!(
            html,
            r#"<head><meta name="a" content="/x" /><meta name="b" content="say &quot;hi&quot; &amp; &lt;go&gt;"></head>"#
        );
        assert!(set_meta(&html, "c", "v").is_none());
    }

    #[test]
    fn minified_meta_tags_are_found_by_their_whole_name() {
        let html = "<meta content=/x name=api-base><meta content=/ name=api><title>t</title>";
        let html = set_meta(html, "api", "/app/").unwrap();
        assert_eq!(
            html,
            r#"<meta content=/x name=api-base><meta name="api" content="/app/"><title>t</title>"#
        );
        assert!(set_meta(&html, "ap", "v").is_none());
    }
}
