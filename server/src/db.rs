//! The database: SQLite in WAL mode, migrated on start.

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::time::Duration;

pub type Db = sqlx::SqlitePool;

/// An id list as the one parameter that `IN (SELECT value FROM json_each(?))` reads: however
/// long the list, a single bound value (SQLite caps the number of `?`), never ids spliced into SQL.
pub fn id_list(ids: impl IntoIterator<Item = i64>) -> String {
    serde_json::Value::from_iter(ids).to_string()
}

pub async fn connect(path: &Path) -> anyhow::Result<Db> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // WAL with NORMAL is durable across an application crash; only a power loss can roll
        // back the last commits.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let db = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .with_context(|| format!("opening {}", path.display()))?;
    sqlx::migrate!("./migrations")
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
    Ok(db)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_id_list_is_one_json_array() {
        assert_eq!(super::id_list([3, 1, 2]), "[3,1,2]");
        assert_eq!(super::id_list([]), "[]");
    }
}
