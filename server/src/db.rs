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

/// A transaction that will write: it takes the write lock at its start (`BEGIN IMMEDIATE`), so
/// one that reads first and writes after cannot fail with "database is locked" when another
/// write commits in between (a deferred one could not be retried; the busy timeout waits here).
pub async fn begin_write(db: &Db) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
    db.begin_with("BEGIN IMMEDIATE").await
}

/// A read that ran past its time limit was interrupted (its connection is free again).
#[derive(Debug, thiserror::Error)]
pub enum LimitedError {
    #[error("the query ran past its time limit")]
    TimedOut,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Runs `read` on a pooled connection, interrupting it inside SQLite once it has run for `limit`:
/// a pathological query gives its connection back instead of holding it and a worker thread.
pub async fn read_within<T>(
    db: &Db,
    limit: Duration,
    read: impl AsyncFnOnce(&mut sqlx::SqliteConnection) -> sqlx::Result<T>,
) -> Result<T, LimitedError> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    /// Turns the handler off however the read ends (finished, failed, or dropped mid-way), so
    /// the connection's next user is not interrupted; the next limited read replaces it.
    struct Disarm(Arc<AtomicBool>);
    impl Drop for Disarm {
        fn drop(&mut self) {
            self.0.store(false, Ordering::Relaxed);
        }
    }
    let mut connection = db.acquire().await?;
    let armed = Arc::new(AtomicBool::new(true));
    let fired = Arc::new(AtomicBool::new(false));
    let deadline = std::time::Instant::now() + limit;
    {
        let (armed, fired) = (armed.clone(), fired.clone());
        connection
            .lock_handle()
            .await?
            // Called every ~1,000 virtual-machine steps (microseconds apart); false interrupts.
            .set_progress_handler(1_000, move || {
                let over = armed.load(Ordering::Relaxed) && std::time::Instant::now() >= deadline;
                if over {
                    fired.store(true, Ordering::Relaxed);
                }
                !over
            });
    }
    let _disarm = Disarm(armed);
    let result = read(&mut connection).await;
    match result {
        Err(_) if fired.load(Ordering::Relaxed) => Err(LimitedError::TimedOut),
        other => Ok(other?),
    }
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
