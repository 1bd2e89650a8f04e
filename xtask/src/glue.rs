//! The names the main wasm module and its JavaScript glue call each other by, made short.
//!
//! wasm-bindgen names every function the module imports from the glue after its JavaScript
//! function and a 16-digit hash (`__wbg_pushState_2566fa2fdc918d38`), and writes each name twice:
//! in the module and in the glue. Hashes do not compress, so ~200 of them made 5 KB of every
//! first download, gzipped. Here each becomes a name of one or two letters, in both files.
//!
//! wasm-bindgen also exports classes a dependency offers to JavaScript callers (wasm-streams'
//! `IntoUnderlyingSource` and its kin, through gloo-net); no code of ours calls them, yet each
//! kept its Rust code alive through its export. They are removed with their exports, as are the
//! exports no JavaScript names (the linker's own globals), so that wasm-opt drops what only they
//! reached.

use crate::cmd::Result;

/// Where the pinned wasm-bindgen's output for `xtask/glue-fixture` is kept, for the test.
const FIXTURE: &str = "xtask/tests/fixtures/glue";

/// `cargo xtask glue-fixture`: builds `xtask/glue-fixture` and binds it with the pinned
/// wasm-bindgen CLI, as the split build binds the app, into `FIXTURE`, noting the version.
pub fn make_fixture() -> Result {
    crate::tools::ensure_build_tools()?;
    let root = crate::cmd::root();
    let manifest = root.join("xtask/glue-fixture/Cargo.toml");
    crate::cmd::run(
        crate::cmd::cargo()
            .args([
                "build",
                "--release",
                "--target",
                "wasm32-unknown-unknown",
                "--manifest-path",
            ])
            .arg(&manifest),
    )?;
    let built = crate::cmd::target_dir().join("wasm32-unknown-unknown/release/glue_fixture.wasm");
    let out = root.join(FIXTURE);
    crate::cmd::run(
        std::process::Command::new("wasm-bindgen")
            .args(["--target", "web", "--no-typescript", "--keep-lld-exports"])
            .args(["--out-name", "fixture", "--out-dir"])
            .arg(&out)
            .arg(&built),
    )?;
    let version = crate::tools::locked_wasm_bindgen_version()?;
    std::fs::write(out.join("MADE_BY"), format!("wasm-bindgen {version}\n"))
        .map_err(|e| format!("writing {}: {e}", out.display()))
}

/// Classes of the glue nothing calls: their JavaScript and their exports go.
pub const UNUSED_CLASSES: &[&str] = &[
    "IntoUnderlyingByteSource",
    "IntoUnderlyingSink",
    "IntoUnderlyingSource",
];

/// The module's imports from the glue are renamed to this one-letter module.
const GLUE_MODULE: &str = "w";

/// `wasm` and `glue` as wasm-bindgen wrote them for `stem`, made short; `loader` is the other
/// JavaScript that reads the module's exports (wasm-split's), which keeps those it names;
/// `unused_classes` are removed.
pub fn shorten(
    wasm: &[u8],
    glue: &str,
    loader: &str,
    stem: &str,
    unused_classes: &[&str],
) -> Result<(Vec<u8>, String)> {
    let mut glue = glue.to_owned();
    for class in unused_classes {
        glue = drop_class(&glue, class)?;
    }
    let mut sections = sections(wasm)?;
    let import_module = format!("./{stem}_bg.js");
    for (id, body) in &mut sections {
        match *id {
            IMPORT_SECTION => *body = rename_imports(body, &import_module, &mut glue)?,
            EXPORT_SECTION => *body = trim_exports(body, &mut glue, loader)?,
            _ => {}
        }
    }
    glue = replace_once(
        &glue,
        &format!("\"{import_module}\": import0"),
        &format!("\"{GLUE_MODULE}\": import0"),
    )?;
    let mut out = wasm[..8].to_vec();
    for (id, body) in sections {
        out.push(id);
        write_u32(&mut out, body.len() as u32);
        out.extend(body);
    }
    Ok((out, glue))
}

const IMPORT_SECTION: u8 = 2;
const EXPORT_SECTION: u8 = 7;

/// Every import from `module` gets a short name, in the module and as its key in the glue.
fn rename_imports(body: &[u8], module: &str, glue: &mut String) -> Result<Vec<u8>> {
    let mut reader = Reader { bytes: body, at: 0 };
    let count = reader.u32()?;
    let mut out = Vec::new();
    write_u32(&mut out, count);
    let mut renamed = 0;
    for _ in 0..count {
        let (from, name) = (reader.name()?, reader.name()?);
        let kind = reader.at;
        reader.skip_import_kind()?;
        let kind = &body[kind..reader.at];
        if from == module {
            let short = short_name(renamed);
            renamed += 1;
            *glue = replace_once(
                glue,
                &format!("{name}: function("),
                &format!("{short}: function("),
            )?;
            write_name(&mut out, GLUE_MODULE);
            write_name(&mut out, &short);
        } else {
            write_name(&mut out, from);
            write_name(&mut out, name);
        }
        out.extend_from_slice(kind);
    }
    Ok(out)
}

/// Drops the exports no JavaScript names, and shortens those of wasm-bindgen's closure calls.
fn trim_exports(body: &[u8], glue: &mut String, loader: &str) -> Result<Vec<u8>> {
    let mut reader = Reader { bytes: body, at: 0 };
    let count = reader.u32()?;
    let mut kept = Vec::new();
    let mut shortened = 0;
    for _ in 0..count {
        let name = reader.name()?.to_owned();
        let kind = reader.byte()?;
        let index = reader.u32()?;
        if !names(glue, &name) && !names(loader, &name) {
            continue;
        }
        let name = if name.starts_with("wasm_bindgen__convert__closures") {
            let short = format!("c{shortened}");
            shortened += 1;
            let calls = glue.matches(&format!("wasm.{name}(")).count();
            if calls == 0 {
                return Err(format!("glue: `{name}` is named but never called"));
            }
            *glue = glue.replace(&format!("wasm.{name}("), &format!("wasm.{short}("));
            // The glue's own function of that name stays: terser shortens it.
            if names(glue, &format!("wasm.{name}")) {
                return Err(format!("glue: `{name}` is used other than called"));
            }
            short
        } else {
            name
        };
        kept.push((name, kind, index));
    }
    let mut out = Vec::new();
    write_u32(&mut out, kept.len() as u32);
    for (name, kind, index) in kept {
        write_name(&mut out, &name);
        out.push(kind);
        write_u32(&mut out, index);
    }
    Ok(out)
}

/// Whether `text` has `name` as a whole name, not only as the start of a longer one.
fn names(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let next = text[at + name.len()..].chars().next();
        !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Removes the glue's `export class {class}`, its dispose hook and its finalization registry.
fn drop_class(glue: &str, class: &str) -> Result<String> {
    let glue = cut_between(glue, &format!("export class {class} {{"), "\n}\n")?;
    let dispose = format!(
        "if (Symbol.dispose) {class}.prototype[Symbol.dispose] = {class}.prototype.free;\n"
    );
    let glue = replace_once(&glue, &dispose, "")?;
    let glue = cut_between(&glue, &format!("const {class}Finalization = "), "));\n")?;
    if glue.contains(class) {
        return Err(format!(
            "glue: `{class}` is still used after its class was removed"
        ));
    }
    Ok(glue)
}

/// `text` without the one span from `start` to the end of the first `end` after it.
fn cut_between(text: &str, start: &str, end: &str) -> Result<String> {
    let from = single(text, start)?;
    let to = text[from..]
        .find(end)
        .map(|at| from + at + end.len())
        .ok_or_else(|| format!("glue: no `{end}` after `{start}`"))?;
    Ok(format!("{}{}", &text[..from], &text[to..]))
}

fn replace_once(text: &str, from: &str, to: &str) -> Result<String> {
    let at = single(text, from)?;
    Ok(format!("{}{to}{}", &text[..at], &text[at + from.len()..]))
}

/// Where `needle` is in `text`; an error unless it is there exactly once.
fn single(text: &str, needle: &str) -> Result<usize> {
    let mut found = text.match_indices(needle).map(|(at, _)| at);
    match (found.next(), found.next()) {
        (Some(at), None) => Ok(at),
        (None, _) => Err(format!("glue: `{needle}` not found")),
        (Some(_), Some(_)) => Err(format!("glue: `{needle}` found more than once")),
    }
}

/// 0 → `a`, 51 → `Z`, 52 → `ba`. Only ever a property name (`import0.a`), where even a
/// keyword would be allowed.
fn short_name(mut n: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    loop {
        name.push(LETTERS[n % LETTERS.len()]);
        n /= LETTERS.len();
        if n == 0 {
            break;
        }
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

/// The sections of a wasm module, as (id, body).
fn sections(wasm: &[u8]) -> Result<Vec<(u8, Vec<u8>)>> {
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err("not a wasm module".into());
    }
    let mut reader = Reader { bytes: wasm, at: 8 };
    let mut sections = Vec::new();
    while reader.at < wasm.len() {
        let id = reader.byte()?;
        let len = reader.u32()? as usize;
        sections.push((id, reader.take(len)?.to_vec()));
    }
    Ok(sections)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8]> {
        let bytes = self
            .bytes
            .get(self.at..self.at + len)
            .ok_or("wasm: a section ends too soon")?;
        self.at += len;
        Ok(bytes)
    }

    /// An unsigned LEB128 number.
    fn u32(&mut self) -> Result<u32> {
        let mut value = 0u32;
        for shift in (0..35).step_by(7) {
            let byte = self.byte()?;
            value |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("wasm: a number is too long".into())
    }

    fn name(&mut self) -> Result<&'a str> {
        let len = self.u32()? as usize;
        std::str::from_utf8(self.take(len)?).map_err(|_| "wasm: a name is not UTF-8".into())
    }

    /// Past what an import is: a function's type, or a table's, memory's or global's shape.
    fn skip_import_kind(&mut self) -> Result {
        match self.byte()? {
            0 => drop(self.u32()?),
            1 => {
                self.byte()?;
                self.skip_limits()?;
            }
            2 => self.skip_limits()?,
            3 => drop(self.take(2)?),
            other => return Err(format!("wasm: an import of kind {other} is not known here")),
        }
        Ok(())
    }

    fn skip_limits(&mut self) -> Result {
        let flags = self.byte()?;
        self.u32()?;
        if flags & 1 == 1 {
            self.u32()?;
        }
        Ok(())
    }
}

fn write_u32(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn write_name(out: &mut Vec<u8>, name: &str) {
    write_u32(out, name.len() as u32);
    out.extend_from_slice(name.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing two glue functions and the split loader's one, exporting memory,
    /// a closure call and a linker global.
    fn module() -> Vec<u8> {
        let mut imports = Vec::new();
        write_u32(&mut imports, 3);
        for (module, name) in [
            ("./app_bg.js", "__wbg_pushState_2566fa2fdc918d38"),
            ("./__wasm_split.js", "__wasm_split_load_page"),
            ("./app_bg.js", "__wbg_new_0_36d738a0c8cfac43"),
        ] {
            write_name(&mut imports, module);
            write_name(&mut imports, name);
            imports.extend([0, 0]); // a function of type 0
        }
        let mut exports = Vec::new();
        write_u32(&mut exports, 4);
        for (name, kind, index) in [
            ("memory", 2, 0),
            (
                "wasm_bindgen__convert__closures_____invoke__h1a9a81a64a88eebb",
                0,
                300,
            ),
            (
                "wasm_bindgen__convert__closures_____invoke__h1a9a81a64a88eebb_16",
                0,
                301,
            ),
            ("__heap_base", 3, 1),
        ] {
            write_name(&mut exports, name);
            exports.push(kind);
            write_u32(&mut exports, index);
        }
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        for (id, body) in [(IMPORT_SECTION, imports), (EXPORT_SECTION, exports)] {
            wasm.push(id);
            write_u32(&mut wasm, body.len() as u32);
            wasm.extend(body);
        }
        wasm
    }

    const GLUE: &str = "\
export class IntoUnderlyingSink {
    free() { wasm.__wbg_intounderlyingsink_free(this.__wbg_ptr, 0); }
}
if (Symbol.dispose) IntoUnderlyingSink.prototype[Symbol.dispose] = IntoUnderlyingSink.prototype.free;
function run(a) { wasm.wasm_bindgen__convert__closures_____invoke__h1a9a81a64a88eebb(a); }
function run2(a) { wasm.wasm_bindgen__convert__closures_____invoke__h1a9a81a64a88eebb_16(a); }
const import0 = {
        __wbg_pushState_2566fa2fdc918d38: function(arg0) {},
        __wbg_new_0_36d738a0c8cfac43: function() {},
};
const IntoUnderlyingSinkFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr, 1));
const imports = { \"./app_bg.js\": import0 };
";

    #[test]
    fn names_become_short_in_the_module_and_its_glue() {
        let (wasm, glue) = shorten(&module(), GLUE, "{ memory }", "app", &[]).unwrap();
        let sections = sections(&wasm).unwrap();
        let mut imports = Reader {
            bytes: &sections[0].1,
            at: 0,
        };
        let mut names = Vec::new();
        for _ in 0..imports.u32().unwrap() {
            names.push(format!(
                "{}:{}",
                imports.name().unwrap(),
                imports.name().unwrap()
            ));
            imports.skip_import_kind().unwrap();
        }
        assert_eq!(
            names,
            ["w:a", "./__wasm_split.js:__wasm_split_load_page", "w:b"]
        );
        assert!(glue.contains("a: function(arg0)") && glue.contains("b: function()"));
        assert!(glue.contains("\"w\": import0") && glue.contains("wasm.c0(a)"));
        assert!(glue.contains("wasm.c1(a)"), "{glue}");
        let mut exports = Reader {
            bytes: &sections[1].1,
            at: 0,
        };
        let mut names = Vec::new();
        for _ in 0..exports.u32().unwrap() {
            names.push(exports.name().unwrap().to_owned());
            exports.byte().unwrap();
            exports.u32().unwrap();
        }
        // The linker's global is named by no JavaScript.
        assert_eq!(names, ["memory", "c0", "c1"]);
    }

    #[test]
    fn an_unused_class_goes_with_its_registry() {
        let (_, glue) = shorten(&module(), GLUE, "", "app", &["IntoUnderlyingSink"]).unwrap();
        assert!(!glue.contains("IntoUnderlying"), "{glue}");
        assert!(glue.starts_with("function run(a)"), "{glue}");
    }

    #[test]
    fn glue_of_another_shape_is_an_error_not_a_broken_build() {
        let glue = GLUE.replace(
            "__wbg_new_0_36d738a0c8cfac43: function",
            "__wbg_new_0: function",
        );
        let error = shorten(&module(), &glue, "", "app", &[]).unwrap_err();
        assert!(error.contains("__wbg_new_0_36d738a0c8cfac43"), "{error}");
    }

    /// What the pinned wasm-bindgen wrote for `xtask/glue-fixture`: a new wasm-bindgen that
    /// writes another shape fails here before it reaches a build (see UPGRADING.md).
    #[test]
    fn real_output_of_the_pinned_wasm_bindgen() {
        let dir = crate::cmd::root().join(FIXTURE);
        let made_by = std::fs::read_to_string(dir.join("MADE_BY")).unwrap();
        assert_eq!(
            made_by.trim(),
            format!(
                "wasm-bindgen {}",
                crate::tools::locked_wasm_bindgen_version().unwrap()
            ),
            "the fixture is the pinned version's output: make it again with `cargo xtask glue-fixture`"
        );
        let wasm = std::fs::read(dir.join("fixture_bg.wasm")).unwrap();
        let glue = std::fs::read_to_string(dir.join("fixture.js")).unwrap();
        let (short, glue) = shorten(&wasm, &glue, "", "fixture", &["IntoUnderlyingSource"])
            .expect("glue.rs reads the pinned wasm-bindgen's output");
        let sections = sections(&short).unwrap();
        let (_, imports) = sections
            .iter()
            .find(|(id, _)| *id == IMPORT_SECTION)
            .unwrap();
        let mut reader = Reader {
            bytes: imports,
            at: 0,
        };
        let count = reader.u32().unwrap();
        assert!(
            count >= 3,
            "the fixture imports console.log, pushState, throw"
        );
        for _ in 0..count {
            let (module, name) = (reader.name().unwrap(), reader.name().unwrap());
            assert_eq!(module, GLUE_MODULE);
            assert!(name.len() <= 2, "{name}");
            assert!(
                glue.contains(&format!("{name}: function")),
                "{name}: {glue}"
            );
            reader.skip_import_kind().unwrap();
        }
        assert!(glue.contains("\"w\": import0"), "{glue}");
        assert!(!glue.contains("__wbg_log_") && !glue.contains("__wbg_pushState_"));
        assert!(!glue.contains("IntoUnderlyingSource"), "{glue}");
        assert!(glue.contains("export function navigate"), "{glue}");
    }

    #[test]
    fn short_names_count_in_letters() {
        assert_eq!(short_name(0), "a");
        assert_eq!(short_name(51), "Z");
        assert_eq!(short_name(52), "ba");
    }
}
