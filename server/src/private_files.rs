//! Files only this server's user may read: the data directory (0700) and what it keeps — the
//! SQLite database and its journals, the secret, the outbox's messages (0600) — whatever the
//! umask. They hold sessions, sealed passwords and every email sent.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Creates `dir` (and its parents) if missing; `dir` itself ends 0700, even if it was there.
pub fn dir(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

/// Makes `path` an empty file readable by this user only, if it does not exist yet; SQLite gives
/// its journal and WAL files the database file's permissions.
pub fn touch(path: &Path) -> std::io::Result<()> {
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other.map(drop),
    }
}

/// Writes `bytes` to a new file (or over one) readable by this user only.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut file| file.write_all(bytes))
}
