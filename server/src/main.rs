use clap::Parser;
use server::config::{Command, Options};
use server::{Application, Config};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    use std::io::IsTerminal;
    tracing_subscriber::fmt()
        // Colours for a person at a terminal; plain lines for a file or a log collector.
        .with_ansi(std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();

    let options = Options::parse();
    match options.command {
        // The DNS record for a DKIM key, then exit.
        Some(Command::DkimRecord { dkim }) => {
            let settings = dkim
                .settings()
                .map_err(anyhow::Error::msg)?
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "dkim-record needs --dkim-selector, --dkim-domain and --dkim-key"
                    )
                })?;
            println!("{}", server::outbox::dkim::dns_record(&settings)?);
            Ok(())
        }
        // Move a SQLite database to PostgreSQL, then exit.
        Some(Command::CopyDatabase { from, to }) => copy_database(&from, &to).await,
        None => {
            let config = Config::try_from(options.serve).map_err(anyhow::Error::msg)?;
            let app = Application::build(config).await?;
            tracing::info!("listening on http://{}", app.local_addr());
            app.serve(shutdown_signal()).await?;
            tracing::info!("stopped");
            Ok(())
        }
    }
}

async fn copy_database(from: &std::path::Path, to: &str) -> anyhow::Result<()> {
    let counts = server::db::copy_database(from, to).await?;
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
