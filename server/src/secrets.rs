//! The keys that seal reps' mailbox passwords and sign the rep's viewer cookie. They live outside
//! the database, so that a dump of it opens nothing: on SQLite the file `secret` beside the
//! database (made on first start), or a file every instance is given (`--secret-file`), which
//! PostgreSQL needs.
//!
//! A file holds one key per line (at least 32 characters; `#` starts a comment). The first seals
//! and signs; the others still open and verify. To rotate: put a new key first and keep the old
//! one below it; at start every kept password is sealed anew with the new key, so the old line
//! can go at the next restart.

use anyhow::{bail, Context};
use std::path::Path;

/// The shortest key taken from a file.
const SHORTEST: usize = 32;

#[derive(Debug)]
pub struct Secrets {
    /// The first seals and signs.
    keys: Vec<String>,
}

impl Secrets {
    pub fn one(key: String) -> Self {
        Secrets { keys: vec![key] }
    }

    /// The keys of a secret file, newest first.
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the secret file {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("the secret file {}", path.display()))
    }

    fn parse(text: &str) -> anyhow::Result<Self> {
        let keys: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(str::to_owned)
            .collect();
        if keys.is_empty() {
            bail!("it holds no key (one per line)");
        }
        if let Some(short) = keys.iter().position(|k| k.chars().count() < SHORTEST) {
            bail!(
                "key {} is shorter than {SHORTEST} characters (make one with `openssl rand -hex 32`)",
                short + 1
            );
        }
        Ok(Secrets { keys })
    }

    /// Takes `older` as a key that still opens (an older version's secret).
    pub fn also_opening(mut self, older: String) -> Self {
        if !self.keys.contains(&older) {
            self.keys.push(older);
        }
        self
    }

    /// Whether there is a key besides the one that seals.
    pub fn has_older(&self) -> bool {
        self.keys.len() > 1
    }

    pub fn seal(&self, owner: &str, plain: &str) -> String {
        crate::sealed::seal(&self.keys[0], owner, plain)
    }

    /// What any of the keys sealed for `owner`.
    pub fn open(&self, owner: &str, sealed: &str) -> Option<String> {
        self.keys
            .iter()
            .find_map(|key| crate::sealed::open(key, owner, sealed))
    }

    /// Whether the newest key sealed it.
    pub fn sealed_by_newest(&self, owner: &str, sealed: &str) -> bool {
        crate::sealed::open(&self.keys[0], owner, sealed).is_some()
    }

    pub fn sign(&self, parts: &[&[u8]]) -> String {
        crate::signing::hex_mac(&self.keys[0], parts)
    }

    /// Whether any of the keys made `signature`.
    pub fn verify(&self, parts: &[&[u8]], signature: &str) -> bool {
        self.keys
            .iter()
            .any(|key| crate::signing::verify_hex(key, parts, signature))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "an older key of at least thirty-two characters";
    const NEW: &str = "the newest key, of at least thirty-two characters";

    #[test]
    fn the_newest_key_seals_and_signs_and_the_older_still_open_and_verify() {
        let old = Secrets::parse(OLD).unwrap();
        let sealed = old.seal("rep 1", "password");
        let signed = old.sign(&[b"1"]);
        let both = Secrets::parse(&format!("# rotated\n{NEW}\n\n{OLD}\n")).unwrap();
        assert_eq!(both.open("rep 1", &sealed).as_deref(), Some("password"));
        assert!(both.verify(&[b"1"], &signed));
        assert!(!both.sealed_by_newest("rep 1", &sealed));
        let resealed = both.seal("rep 1", "password");
        assert!(both.sealed_by_newest("rep 1", &resealed));
        let new_only = Secrets::parse(NEW).unwrap();
        assert_eq!(new_only.open("rep 1", &sealed), None);
        assert!(!new_only.verify(&[b"1"], &signed));
    }

    #[test]
    fn a_file_without_a_long_enough_key_is_refused() {
        assert!(Secrets::parse("# nothing\n\n").is_err());
        assert!(Secrets::parse("short").is_err());
    }
}
