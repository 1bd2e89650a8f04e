//! The database: the embedded SQLite file by default, PostgreSQL when given a URL.
//!
//! Every query is written once, in SQL both databases understand (`$1` placeholders, `lower(…)
//! LIKE lower(…)`, an id list as one JSON text), and runs through sqlx's `Any` driver. What
//! cannot be written once sits in this module: connecting and migrating, how a write
//! transaction starts, how a read is stopped at its time limit, and how a flag is read back.
//! The search compiler has its own dialect (`search::Dialect`).

mod copy;
mod flag;
mod limited;

pub use copy::copy_database;

pub use flag::Flag;
pub use limited::{LimitedError, LimitedReads, Value};

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;
use std::path::Path;
use std::str::FromStr;

pub type Db = sqlx::AnyPool;

/// Which database a pool talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(db: &Db) -> Self {
        if db.connect_options().database_url.scheme() == "sqlite" {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }
}

/// An id list as the one parameter that `IN (SELECT CAST(value AS BIGINT) FROM json_each($n))`
/// reads: however long the list, a single bound value (SQLite caps the number of placeholders),
/// never ids spliced into SQL. PostgreSQL reads it with the `json_each(text)` its migrations add.
pub fn id_list<Id: serde::Serialize>(ids: impl IntoIterator<Item = Id>) -> String {
    let ids: Vec<Id> = ids.into_iter().collect();
    serde_json::to_string(&ids).expect("a list of numbers is JSON")
}

/// A transaction that will write, started so that reading first and writing after is safe
/// against another writer in between.
///
/// SQLite takes its write lock at the start (`BEGIN IMMEDIATE`; the busy timeout waits), so a
/// deferred transaction cannot fail with "database is locked" when it comes to write.
/// PostgreSQL takes one transaction-scoped advisory lock that every write transaction shares:
/// the rules that read, decide and then write (a task's state, an email's folder) keep the
/// one-writer-at-a-time semantics they were written for, on every instance alike.
pub async fn begin_write(db: &Db) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
    match Backend::of(db) {
        Backend::Sqlite => db.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => {
            let mut tx = db.begin().await?;
            sqlx::query("SELECT CAST(pg_advisory_xact_lock($1) AS TEXT)")
                .bind(WRITE_LOCK)
                .fetch_one(&mut *tx)
                .await?;
            Ok(tx)
        }
    }
}

/// The advisory lock key of write transactions on PostgreSQL ("cc write" in ASCII).
const WRITE_LOCK: i64 = 0x6363_2077_7269_7465;

/// The open database and its reads with a time limit.
pub struct Opened {
    pub db: Db,
    pub limited: LimitedReads,
}

/// Opens (creating and migrating) the database: PostgreSQL at `url` when given, else the
/// SQLite file at `path`.
pub async fn open(url: Option<&str>, path: &Path) -> anyhow::Result<Opened> {
    match url {
        Some(url) => connect_postgres(url).await,
        None => connect_sqlite(path).await,
    }
}

pub async fn connect_sqlite(path: &Path) -> anyhow::Result<Opened> {
    sqlx::any::install_default_drivers();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::private_files::dir(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    crate::private_files::touch(path).with_context(|| format!("creating {}", path.display()))?;
    let file = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    let options = AnyConnectOptions::from_url(&file.to_url_lossy())?;
    let db = AnyPoolOptions::new()
        .max_connections(8)
        .after_connect(|connection, _| {
            Box::pin(async move {
                // WAL with NORMAL is durable across an application crash; only a power loss can
                // roll back the last commits.
                sqlx::raw_sql(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                )
                .execute(connection)
                .await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .with_context(|| format!("opening {}", path.display()))?;
    sqlx::migrate!("./migrations/sqlite")
        .run(&db)
        .await
        .context("migrating the database")?;
    // Where a database has planner statistics, a migration's new index has none until analyzed,
    // and the planner keeps preferring the old ones (advanced search went from 6 ms to 250 ms).
    // `optimize` analyzes only what lacks or outgrew its statistics; the limit keeps it quick.
    sqlx::raw_sql("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;")
        .execute(&db)
        .await
        .context("refreshing the query planner's statistics")?;
    let limited = LimitedReads::sqlite(file).await?;
    Ok(Opened { db, limited })
}

pub async fn connect_postgres(url: &str) -> anyhow::Result<Opened> {
    sqlx::any::install_default_drivers();
    let options = AnyConnectOptions::from_str(url).context("reading --database-url")?;
    let db = AnyPoolOptions::new()
        .max_connections(16)
        .connect_with(options)
        .await
        .with_context(|| format!("connecting to {}", without_password(url)))?;
    sqlx::migrate!("./migrations/postgres")
        .run(&db)
        .await
        .context("migrating the database")?;
    let limited = LimitedReads::postgres(db.clone());
    Ok(Opened { db, limited })
}

/// A database URL fit for a log line: its password replaced.
pub fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_id_list_is_one_json_array() {
        assert_eq!(super::id_list([3, 1, 2]), "[3,1,2]");
        assert_eq!(super::id_list::<i64>([]), "[]");
    }

    #[test]
    fn a_logged_url_hides_its_password() {
        assert_eq!(
            super::without_password("postgres://cc:secret@db:5432/cc"),
            "postgres://cc:***@db:5432/cc"
        );
        assert_eq!(
            super::without_password("postgres://db/cc"),
            "postgres://db/cc"
        );
    }
}
