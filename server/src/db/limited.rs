//! Reads with a time limit: a pathological search gives its connection back instead of holding
//! it (and, on SQLite, a worker thread) until it ends.

use sqlx::any::AnyRow;
use sqlx::query::QueryAs;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions, SqliteRow};
use sqlx::{Database, Encode, FromRow, Type};
use std::time::Duration;

/// A value bound to a read built at run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    Text(String),
}

/// A read that ran past its time limit was stopped (its connection is free again).
#[derive(Debug, thiserror::Error)]
pub enum LimitedError {
    #[error("the query ran past its time limit")]
    TimedOut,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Where time-limited reads run. SQLite stops a statement from a progress handler, which only
/// its own connection type reaches, so these reads have a small pool of their own (WAL lets
/// them read beside the writer). PostgreSQL stops one with `statement_timeout`.
#[derive(Clone, Debug)]
pub enum LimitedReads {
    Sqlite(SqlitePool),
    Postgres(sqlx::AnyPool),
}

impl LimitedReads {
    pub(super) async fn sqlite(file: SqliteConnectOptions) -> sqlx::Result<Self> {
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(file.read_only(true).busy_timeout(Duration::from_secs(5)))
            .await?;
        Ok(LimitedReads::Sqlite(pool))
    }

    pub(super) fn postgres(db: sqlx::AnyPool) -> Self {
        LimitedReads::Postgres(db)
    }

    pub fn backend(&self) -> super::Backend {
        match self {
            LimitedReads::Sqlite(_) => super::Backend::Sqlite,
            LimitedReads::Postgres(_) => super::Backend::Postgres,
        }
    }

    /// The rows of `sql` (built from fixed fragments only) with `values` bound in order, or
    /// `TimedOut` once it has run for `limit`.
    pub async fn fetch_all<O>(
        &self,
        limit: Duration,
        sql: String,
        values: Vec<Value>,
    ) -> Result<Vec<O>, LimitedError>
    where
        O: Send + Unpin + for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, AnyRow>,
    {
        match self {
            LimitedReads::Sqlite(pool) => {
                let query = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), values);
                sqlite_within(pool, limit, async |connection| {
                    query.fetch_all(connection).await
                })
                .await
            }
            LimitedReads::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT set_config('statement_timeout', $1, true)")
                    .bind(format!("{}ms", limit.as_millis().max(1)))
                    .execute(&mut *tx)
                    .await?;
                let query = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), values);
                match query.fetch_all(&mut *tx).await {
                    // 57014: query_canceled, which is how a statement timeout ends.
                    Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("57014") => {
                        Err(LimitedError::TimedOut)
                    }
                    other => Ok(other?),
                }
            }
        }
    }
}

fn bind_all<'q, DB: Database, O>(
    mut query: QueryAs<'q, DB, O, <DB as Database>::Arguments>,
    values: Vec<Value>,
) -> QueryAs<'q, DB, O, <DB as Database>::Arguments>
where
    i64: Encode<'q, DB> + Type<DB>,
    String: Encode<'q, DB> + Type<DB>,
{
    for value in values {
        query = match value {
            Value::Int(value) => query.bind(value),
            Value::Text(value) => query.bind(value),
        };
    }
    query
}

/// Runs `read` on a pooled connection, interrupting it inside SQLite once it has run for `limit`.
async fn sqlite_within<T>(
    pool: &SqlitePool,
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
    let mut connection = pool.acquire().await?;
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
