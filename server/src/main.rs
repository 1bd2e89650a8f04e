use server::{config::USAGE, Application, Config};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();

    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return Ok(());
    }
    // `dkim-record …`: the DNS record for a DKIM key, then exit.
    if args.first().map(String::as_str) == Some("dkim-record") {
        let config =
            Config::from_args(args[1..].to_vec()).map_err(|e| anyhow::anyhow!("{e}\n\n{USAGE}"))?;
        let settings = config.dkim.ok_or_else(|| {
            anyhow::anyhow!("dkim-record needs --dkim-selector, --dkim-domain and --dkim-key")
        })?;
        println!("{}", server::outbox::dkim::dns_record(&settings)?);
        return Ok(());
    }
    // `copy-database --from FILE --to URL`: move a SQLite database to PostgreSQL, then exit.
    if args.first().map(String::as_str) == Some("copy-database") {
        return copy_database(&args[1..]).await;
    }
    let config = Config::from_args(args).map_err(|e| anyhow::anyhow!("{e}\n\n{USAGE}"))?;
    let app = Application::build(config).await?;
    tracing::info!("listening on http://{}", app.local_addr());
    app.serve(shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn copy_database(args: &[String]) -> anyhow::Result<()> {
    let (mut from, mut to) = (None, None);
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--from" => from = args.next(),
            "--to" => to = args.next(),
            other => anyhow::bail!("copy-database: unknown argument `{other}`\n\n{USAGE}"),
        }
    }
    let (Some(from), Some(to)) = (from, to) else {
        anyhow::bail!("copy-database needs --from <SQLite file> and --to <postgres:// URL>");
    };
    let counts = server::db::copy_database(std::path::Path::new(from), to).await?;
    println!("Copied to {}:", server::db::without_password(to));
    for (table, rows) in counts {
        println!("  {table:<26} {rows:>9} rows, the same in both");
    }
    Ok(())
}

/// Ctrl-C or SIGTERM: finish the requests in flight, then stop.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
