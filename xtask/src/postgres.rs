//! A throwaway PostgreSQL cluster for the tests: Debian's package (installed when missing), a
//! fresh cluster in a temporary directory on a free port, stopped and deleted when dropped.
//! PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user the
//! package creates.

use crate::cmd::{describe, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The oldest PostgreSQL the server supports.
const OLDEST_MAJOR: u32 = 14;

pub(crate) struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    owner: Option<&'static str>,
    /// An administrator's URL (the `postgres` database): the API tests make a database per
    /// test through it.
    pub(crate) url: String,
}

impl Cluster {
    pub(crate) fn start() -> Result<Cluster> {
        Cluster::start_with(&[])
    }

    /// As `start`, with more server settings (`name=value`), e.g. memory for a large data set.
    pub(crate) fn start_with(settings: &[&str]) -> Result<Cluster> {
        let bin = ensure_installed()?;
        let owner = running_as_root().then_some("postgres");
        let dir = crate::test::tempdir("postgres")?;
        let data = dir.join("data");
        if let Some(user) = owner {
            crate::cmd::run(Command::new("chown").args(["-R", user]).arg(&dir))?;
        }
        let port = crate::test::free_port()?;
        // The "C" locale: `lower` folds ASCII only, as SQLite's does, so both databases answer
        // the differential search test alike. fsync off: a test cluster outlives no crash.
        run_as(
            owner,
            Command::new(bin.join("initdb"))
                .args([
                    "--username=cc",
                    "--auth=trust",
                    "--locale=C",
                    "--encoding=UTF8",
                    "-D",
                ])
                .arg(&data),
        )?;
        let options =
            format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=300{}",
            dir.display(),
            settings.iter().map(|s| format!(" -c {s}")).collect::<String>()
        );
        run_as(
            owner,
            Command::new(bin.join("pg_ctl"))
                .args(["-w", "-D"])
                .arg(&data)
                .args(["-o", &options, "-l"])
                .arg(dir.join("log"))
                .arg("start"),
        )?;
        let url = format!("postgres://cc@127.0.0.1:{port}/postgres");
        println!("PostgreSQL test cluster at {url}");
        Ok(Cluster {
            dir,
            bin,
            owner,
            url,
        })
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = run_as(
            self.owner,
            Command::new(self.bin.join("pg_ctl"))
                .args(["-m", "immediate", "-D"])
                .arg(self.dir.join("data"))
                .arg("stop"),
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The newest installed PostgreSQL's `bin` directory, installing Debian's package if none is
/// (or none recent enough).
fn ensure_installed() -> Result<PathBuf> {
    if let Some(bin) = newest_installed() {
        return Ok(bin);
    }
    crate::tools::apt_install(&["postgresql"])?;
    newest_installed().ok_or_else(|| {
        format!("PostgreSQL {OLDEST_MAJOR} or later is not in /usr/lib/postgresql after installing")
    })
}

fn newest_installed() -> Option<PathBuf> {
    let root = Path::new("/usr/lib/postgresql");
    std::fs::read_dir(root)
        .ok()?
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|major| *major >= OLDEST_MAJOR)
        .max()
        .map(|major| root.join(major.to_string()).join("bin"))
        .filter(|bin| bin.join("initdb").exists())
}

fn running_as_root() -> bool {
    crate::cmd::output(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0")
}

/// Runs `command` as `user` (through `runuser`) when given, quietly unless it fails.
fn run_as(user: Option<&str>, command: &mut Command) -> Result {
    let mut command = match user {
        Some(user) => {
            let mut wrapped = Command::new("runuser");
            wrapped.args(["-u", user, "--"]).arg(command.get_program());
            wrapped.args(command.get_args());
            wrapped
        }
        None => std::mem::replace(command, Command::new("true")),
    };
    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", describe(&command)))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} failed:\n{}{}",
            describe(&command),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}
