//! Cuts the SPA's wasm into the module a first visit needs and one module per page or dialog
//! marked in src/split.rs, fetched when first shown. Trunk builds (cargo with the `split`
//! feature and `--emit-relocs`, then wasm-bindgen; no wasm-opt, see index.html); this then cuts
//! trunk's rustc output with wasm-split-cli, binds the main part under trunk's own file names,
//! shortens the names it and its glue call each other by (see glue.rs), optimises every piece,
//! minifies the JavaScript, and compresses every asset twice, brotli and gzip (with zopfli), so
//! the server can send whichever the browser takes.

use crate::cmd::{self, run, Result};
use crate::glue;
use crate::split_tool;
use crate::tools;
use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What wasm-split-cli writes beside the main module: the loader the glue imports.
const LOADER: &str = "__wasm_split.js";

/// The features rustc's wasm32 output uses; wasm-opt must neither reject nor add any.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Replaces trunk's single wasm in `dist` (named `{stem}_bg.wasm`, glue `{stem}.js`) by the split
/// build. The pieces of one rustc output are made once and kept: a second build of the same code
/// (another `--public-url`, as the end-to-end tests do) only copies them.
pub fn split_into(dist: &Path, stem: &str) -> Result {
    let rustc_wasm = cmd::target_dir()
        .join("wasm32-unknown-unknown")
        .join("wasm-release")
        .join("command-center.wasm");
    let mut hasher = DefaultHasher::new();
    hasher.write(&std::fs::read(&rustc_wasm).map_err(io(&rustc_wasm))?);
    // Pieces made by other tools, or another way, are not these pieces.
    for recipe in [
        split_tool::VERSION,
        split_tool::CHANGE,
        tools::BINARYEN_VERSION,
        tools::TERSER_VERSION,
        CUT_RECIPE,
    ] {
        hasher.write(recipe.as_bytes());
    }
    let cache = cmd::target_dir().join("wasm-split");
    let pieces = cache.join(format!("{stem}-{:016x}", hasher.finish()));
    if !pieces.join(DONE).exists() {
        // Only the pieces of the latest code are kept.
        let _ = std::fs::remove_dir_all(&cache);
        cut(&rustc_wasm, stem, &pieces)?;
        write(&pieces.join(DONE), "")?;
    }
    // With their .br and .gz: compressing them again would take seconds.
    for piece in std::fs::read_dir(&pieces).map_err(io(&pieces))? {
        let piece = piece.map_err(io(&pieces))?.path();
        if file_name(&piece) != DONE {
            copy(&piece, &dist.join(file_name(&piece)))?;
        }
    }
    Ok(())
}

/// Changed whenever `cut` makes its pieces differently, so that kept pieces are made again.
const CUT_RECIPE: &str = "minified, zopfli and brotli, short glue names, no producers or features";

/// The piece every signed-in page is shown within (src/split.rs): what it shares with them is
/// in its own module (xtask/src/split_tool.rs).
const HOST_PIECE: &str = "signed_in_app";

/// Marks a finished set of pieces.
const DONE: &str = ".done";

/// Cuts, binds and optimises `rustc_wasm` into `pieces`: what `split_into` puts in `dist`.
fn cut(rustc_wasm: &Path, stem: &str, pieces: &Path) -> Result {
    let work = pieces.join(".work");
    let cut = work.join("cut");
    let bound = work.join("bound");
    run(Command::new("wasm-split-cli")
        .arg(rustc_wasm)
        .arg(&cut)
        .args(["--target", "web", "--out-name", stem])
        .env(split_tool::HOST_VARIABLE, HOST_PIECE)
        .env("PATH", cmd::tool_path()))?;
    run(Command::new("wasm-bindgen")
        // The pieces reach the main module's function table through its LLD export.
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--keep-lld-exports",
            "--out-name",
            stem,
        ])
        .arg("--out-dir")
        .arg(&bound)
        .arg(cut.join(format!("{stem}.wasm"))))?;

    // The pieces get names that change with their content, so a cached old piece can never meet
    // a new main module; the loader is renamed too, and the names it and the glue use follow.
    let mut loader = read(&cut.join(LOADER))?;
    for piece in wasm_files(&cut)?
        .into_iter()
        .filter(|p| !p.ends_with(format!("{stem}.wasm")))
    {
        let name = file_name(&piece);
        let optimised = work.join(&name);
        optimise(&piece, &optimised)?;
        let hashed = hashed_name(&name, &std::fs::read(&optimised).map_err(io(&optimised))?);
        copy(&optimised, &pieces.join(&hashed))?;
        loader = loader.replace(&format!("\"./{name}\""), &format!("\"./{hashed}\""));
    }
    write(&work.join(LOADER), &loader)?;
    let loader = minify(&work.join(LOADER))?;
    let loader_name = hashed_name(LOADER, loader.as_bytes());
    write(&pieces.join(&loader_name), &loader)?;
    let bound_wasm = bound.join(format!("{stem}_bg.wasm"));
    let bound_wasm = std::fs::read(&bound_wasm).map_err(io(&bound_wasm))?;
    let bound_glue = read(&bound.join(format!("{stem}.js")))?;
    let (main, glue) = shorten_or_keep(&bound_wasm, &bound_glue, &loader, stem);
    // Only the import statements: the wasm's own import module keeps the name it was linked with.
    let glue = glue.replace(
        &format!("from \"./{LOADER}\""),
        &format!("from \"./{loader_name}\""),
    );
    write(&work.join(format!("{stem}.js")), &glue)?;
    write(
        &pieces.join(format!("{stem}.js")),
        &minify(&work.join(format!("{stem}.js")))?,
    )?;
    let short = work.join(format!("{stem}_bg.wasm"));
    std::fs::write(&short, main).map_err(io(&short))?;
    optimise(&short, &pieces.join(format!("{stem}_bg.wasm")))?;
    compress_assets(pieces)?;
    std::fs::remove_dir_all(&work).map_err(io(&work))
}

/// The module and glue with short names; or, when wasm-bindgen's output is not of the shape
/// glue.rs reads (a new wasm-bindgen), both as they were, with a warning: a build a few KB larger
/// rather than no build, or a broken one.
fn shorten_or_keep(wasm: &[u8], glue: &str, loader: &str, stem: &str) -> (Vec<u8>, String) {
    match glue::shorten(wasm, glue, loader, stem, glue::UNUSED_CLASSES) {
        Ok(short) => short,
        Err(why) => {
            eprintln!(
                "warning: wasm-bindgen's output is not the shape xtask/src/glue.rs knows ({why}); \
                 the bundle keeps wasm-bindgen's own names (see UPGRADING.md)"
            );
            (wasm.to_vec(), glue.to_owned())
        }
    }
}

/// The ES module at `path`, minified (names and whitespace; exports and property names kept).
fn minify(path: &Path) -> Result<String> {
    let minified = path.with_extension("min.js");
    run(Command::new("terser")
        .arg(path)
        .args(["--module", "--compress", "--mangle", "--output"])
        .arg(&minified)
        .env("PATH", cmd::tool_path()))?;
    read(&minified)
}

/// Writes `name.br` and `name.gz` beside every wasm, js and css file of `dir` that lacks them,
/// which the server sends to a browser that accepts brotli (every current one) or gzip. (Trunk
/// writes `dist` afresh, so compressed files there are those `split_into` copied with a piece.)
pub fn compress_assets(dir: &Path) -> Result {
    let (mut for_gzip, mut for_brotli) = (Vec::new(), Vec::new());
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if !matches!(extension(&path), "wasm" | "js" | "css") {
            continue;
        }
        if !PathBuf::from(format!("{}.gz", path.display())).exists() {
            for_gzip.push(path.clone());
        }
        if !PathBuf::from(format!("{}.br", path.display())).exists() {
            for_brotli.push(path);
        }
    }
    if !for_gzip.is_empty() {
        // zopfli keeps each file and writes `file.gz` beside it.
        run(Command::new("zopfli").args(&for_gzip))?;
    }
    if !for_brotli.is_empty() {
        // --keep leaves the file; quality 11 and the largest window suit files made once.
        run(Command::new("brotli")
            .args(["--keep", "--quality=11", "--lgwin=24", "--force"])
            .args(&for_brotli))?;
    }
    Ok(())
}

fn optimise(input: &Path, output: &Path) -> Result {
    run(Command::new("wasm-opt")
        .arg("-Oz")
        // Which compiler made a piece, and with which features, is of no use to a browser (and
        // was 0.1 KB of every piece, of which a sign-in page fetches six).
        .args(["--strip-producers", "--strip-target-features"])
        .args(WASM_FEATURES)
        .arg(input)
        .arg("-o")
        .arg(output)
        .env("PATH", cmd::tool_path()))
}

/// `split_x.wasm` → `split_x-0123456789abcdef.wasm`.
pub fn hashed_name(name: &str, content: &[u8]) -> String {
    let mut hasher = DefaultHasher::new();
    hasher.write(content);
    let (base, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    format!("{base}-{:016x}.{ext}", hasher.finish())
}

fn wasm_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if extension(&path) == "wasm" {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn extension(path: &Path) -> &str {
    path.extension().and_then(|e| e.to_str()).unwrap_or("")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("{}: {e}", path.display())
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(io(path))
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(io(path))
}

fn copy(from: &Path, to: &Path) -> Result {
    std::fs::copy(from, to).map(drop).map_err(io(from))
}

#[cfg(test)]
mod tests {
    use super::{cmd, hashed_name, shorten_or_keep};

    #[test]
    fn hashed_names_follow_the_content() {
        let a = hashed_name("split_tasks_page_1.wasm", b"one");
        assert!(
            a.starts_with("split_tasks_page_1-") && a.ends_with(".wasm"),
            "{a}"
        );
        assert_eq!(a, hashed_name("split_tasks_page_1.wasm", b"one"));
        assert_ne!(a, hashed_name("split_tasks_page_1.wasm", b"two"));
        assert!(hashed_name("__wasm_split.js", b"x").ends_with(".js"));
    }

    #[test]
    fn output_of_a_shape_glue_rs_does_not_know_is_kept_as_it_is() {
        let dir = cmd::root().join("xtask/tests/fixtures/glue");
        let wasm = std::fs::read(dir.join("fixture_bg.wasm")).unwrap();
        let glue = std::fs::read_to_string(dir.join("fixture.js")).unwrap();
        // The import object under another name: wasm-bindgen changed, glue.rs did not.
        let changed = glue.replace("const import0 = {", "const imports0 = {");
        let (kept_wasm, kept_glue) = shorten_or_keep(&wasm, &changed, "", "fixture");
        assert_eq!((kept_wasm, kept_glue), (wasm, changed));
    }
}
