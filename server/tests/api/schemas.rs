//! The two databases' migrations keep step: after all of them, SQLite and PostgreSQL hold the
//! same tables with the same columns.

use std::collections::BTreeMap;

type Schema = BTreeMap<String, Vec<String>>;

async fn sqlite_schema(db: &server::db::Db) -> Schema {
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table'
           AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx_%' ORDER BY name",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for (table,) in tables {
        let columns: Vec<(String,)> =
            sqlx::query_as("SELECT name FROM pragma_table_info($1) ORDER BY name")
                .bind(&table)
                .fetch_all(db)
                .await
                .unwrap();
        schema.insert(table, columns.into_iter().map(|(c,)| c).collect());
    }
    schema
}

async fn postgres_schema(db: &server::db::Db) -> Schema {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name NOT LIKE '\\_sqlx\\_%'
         ORDER BY table_name, column_name",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for (table, column) in columns {
        schema.entry(table).or_default().push(column);
    }
    schema
}

#[tokio::test]
#[ignore = "needs PostgreSQL: `cargo xtask test` runs it against its throwaway cluster"]
async fn both_databases_have_the_same_tables_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = server::db::connect_sqlite(&dir.path().join("schema.sqlite3"))
        .await
        .unwrap();
    let url = crate::helpers::database_url_for(&dir.path().join("pg"))
        .await
        .expect("TEST_DATABASE_URL names the PostgreSQL cluster");
    let postgres = server::db::connect_postgres(&url).await.unwrap();
    let (sqlite, postgres) = (
        sqlite_schema(&sqlite.db).await,
        postgres_schema(&postgres.db).await,
    );
    assert!(
        sqlite.contains_key("emails") && sqlite.len() > 10,
        "{sqlite:?}"
    );
    assert_eq!(sqlite, postgres);
}
