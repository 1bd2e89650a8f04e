//! `command-center-server copy-database --from <sqlite file> --to <postgres url>`: moves an
//! existing database to PostgreSQL, table by table in one transaction, then compares every
//! table's row count. The server's secret stays a file: the server on PostgreSQL is given the one
//! beside the SQLite file (`--secret-file`). A target that already holds data is refused.

use anyhow::{bail, Context};
use sqlx::postgres::{PgArguments, PgConnection};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{Arguments, Connection, Row};
use std::path::Path;

/// Every table, parents before the tables that refer to them. `folder_counts` is not copied:
/// PostgreSQL's triggers count the emails as they arrive (and the comparison checks them).
const TABLES: [&str; 28] = [
    "teams",
    "users",
    "invitations",
    "audit_events",
    "sessions",
    "templates",
    "campaigns",
    "campaign_steps",
    "people",
    "emails",
    "email_events",
    "email_links",
    "tasks",
    "saved_searches",
    "saved_search_seen_emails",
    "campaign_people",
    "webhook_deliveries",
    "sender_instances",
    "folder_counts",
    "server_settings",
    "stream_tickets",
    "inbound_messages",
    "mailbox_positions",
    "used_token_ids",
    "oidc_states",
    "rep_mailboxes",
    "sso_handoffs",
    "sso_identities",
];

/// Rows per INSERT (PostgreSQL takes at most 65,535 values in one statement).
const ROWS_PER_INSERT: usize = 500;

/// A column's type in PostgreSQL's schema, which says how to read SQLite's value.
#[derive(Clone, Copy)]
enum Kind {
    Integer,
    Text,
    Flag,
}

/// Copies every row; answers each table's row count, equal on both sides.
pub async fn copy_database(from: &Path, to: &str) -> anyhow::Result<Vec<(String, i64)>> {
    if !from.exists() {
        bail!("{} does not exist", from.display());
    }
    // Both brought to the same schema first (the source's migrations are this version's too).
    super::connect_sqlite(from).await?.db.close().await;
    super::connect_postgres(to).await?.db.close().await;
    let source = SqlitePool::connect_with(
        sqlx::sqlite::SqliteConnectOptions::new()
            .filename(from)
            .read_only(true),
    )
    .await
    .with_context(|| format!("opening {}", from.display()))?;
    let mut target = PgConnection::connect(to)
        .await
        .with_context(|| format!("connecting to {}", super::without_password(to)))?;

    let in_source: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table'
           AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx_%'",
    )
    .fetch_all(&source)
    .await?;
    if let Some((unknown,)) = in_source.iter().find(|(t,)| !TABLES.contains(&t.as_str())) {
        bail!("the table {unknown} is not known to copy-database");
    }
    for table in TABLES {
        let (holds,): (bool,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT EXISTS (SELECT 1 FROM {table})"
        )))
        .fetch_one(&mut target)
        .await?;
        if holds {
            bail!(
                "{} already holds data (table {table}); copy-database only fills an empty database",
                super::without_password(to)
            );
        }
    }

    let mut tx = target.begin().await?;
    for table in TABLES.iter().filter(|t| **t != "folder_counts") {
        let columns = columns_of(&mut tx, table).await?;
        copy_table(&source, &mut tx, table, &columns).await?;
        let numbered =
            |(name, kind): &(String, Kind)| name == "id" && matches!(kind, Kind::Integer);
        if columns.iter().any(numbered) {
            // The next id after the copied ones.
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT CAST(setval(pg_get_serial_sequence('{table}', 'id'),
                                    COALESCE(MAX(id), 0) + 1, false) AS TEXT) FROM {table}"
            )))
            .fetch_optional(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;

    let mut counts = Vec::new();
    for table in TABLES {
        let count = format!("SELECT COUNT(*) FROM {table}");
        let (copied,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(count.clone()))
            .fetch_one(&mut target)
            .await?;
        let (there,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(count))
            .fetch_one(&source)
            .await?;
        if copied != there {
            bail!("{table}: {there} rows in the SQLite database, {copied} in PostgreSQL");
        }
        counts.push((table.to_owned(), copied));
    }
    // The secret beside the SQLite file is not copied: it is kept out of the database. The
    // server on PostgreSQL is given that file (`--secret-file DATA_DIR/secret`).
    Ok(counts)
}

/// The table's columns and their kinds, from PostgreSQL's schema.
async fn columns_of(target: &mut PgConnection, table: &str) -> anyhow::Result<Vec<(String, Kind)>> {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut *target)
    .await?;
    columns
        .into_iter()
        .map(|(name, data_type)| {
            let kind = match data_type.as_str() {
                "bigint" | "integer" => Kind::Integer,
                "text" => Kind::Text,
                "boolean" => Kind::Flag,
                other => bail!("{table}.{name} is of a type copy-database does not know: {other}"),
            };
            Ok((name, kind))
        })
        .collect()
}

async fn copy_table(
    source: &SqlitePool,
    target: &mut PgConnection,
    table: &str,
    columns: &[(String, Kind)],
) -> anyhow::Result<()> {
    let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    let list = names.join(", ");
    // Read in rowid order, a batch at a time, so memory stays flat however large the table.
    let mut after = i64::MIN;
    loop {
        let rows: Vec<SqliteRow> = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT rowid AS copy_rowid, {list} FROM {table} WHERE rowid > $1 ORDER BY rowid LIMIT {ROWS_PER_INSERT}"
        )))
        .bind(after)
        .fetch_all(source)
        .await
        .with_context(|| format!("reading {table}"))?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.try_get("copy_rowid")?;
        let mut arguments = PgArguments::default();
        let mut values = Vec::with_capacity(rows.len());
        let mut n = 0;
        for row in &rows {
            let mut marks = Vec::with_capacity(columns.len());
            for (name, kind) in columns {
                let name = name.as_str();
                let added = match kind {
                    Kind::Integer => arguments.add(row.try_get::<Option<i64>, _>(name)?),
                    Kind::Text => arguments.add(row.try_get::<Option<String>, _>(name)?),
                    Kind::Flag => arguments.add(row.try_get::<Option<bool>, _>(name)?),
                };
                added.map_err(|e| anyhow::anyhow!("{table}.{name}: {e}"))?;
                n += 1;
                marks.push(format!("${n}"));
            }
            values.push(format!("({})", marks.join(", ")));
        }
        // Names from both schemas, never from data; every value is bound.
        sqlx::query_with(
            sqlx::AssertSqlSafe(format!(
                "INSERT INTO {table} ({list}) VALUES {}",
                values.join(", ")
            )),
            arguments,
        )
        .execute(&mut *target)
        .await
        .with_context(|| format!("writing {table}"))?;
    }
}
