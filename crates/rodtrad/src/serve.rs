//! `rodtrad serve`: the web application on the chosen database, with structured logs and a
//! graceful shutdown on SIGINT or SIGTERM.

use rodtrad_i18n::Lang;
use rodtrad_store::Store;
use rodtrad_web::{AppState, Site};
use tokio::net::TcpListener;

use crate::commands::builtin_data_set;
use crate::error::CliError;

pub async fn run(store: Store, bind: &str, site: Site, lang: Lang) -> Result<(), CliError> {
    init_logging();
    if store.is_empty().await.map_err(|e| db_failed(&e))? {
        let changes = store
            .import(
                &builtin_data_set()?,
                &rodtrad_store::Actor::command_line(),
                rodtrad_auth::now(),
            )
            .await
            .map_err(|e| db_failed(&e))?;
        tracing::info!(
            created = changes.created,
            "empty database: loaded the built-in Örebro data set"
        );
    }
    // A database filled before plans had versions gets its plans published as they stand.
    store
        .release_unrecorded(&rodtrad_store::Actor::command_line(), rodtrad_auth::now())
        .await
        .map_err(|e| db_failed(&e))?;
    // A mail server set wrong is said at start, not at the first reminder.
    let mail = rodtrad_mail::MailConfig::from_env()
        .map_err(|e| CliError::message("cli-mail-invalid", vec![("detail", e.to_string())]))?;
    let state = AppState::load(store).await.map_err(|e| db_failed(&e))?;
    let listener = TcpListener::bind(bind).await.map_err(|e| {
        CliError::message(
            "cli-bind-failed",
            vec![("bind", bind.to_owned()), ("detail", e.to_string())],
        )
    })?;
    let address = listener
        .local_addr()
        .map_or_else(|_| bind.to_owned(), |a| a.to_string());
    // Reached from other machines over plain HTTP, browsers drop the Secure cookies and no
    // one can log in: said at start, on the terminal and in the log, and on the log-in page.
    if let Ok(bound) = listener.local_addr()
        && rodtrad_web::exposed(&bound)
        && !site.https()
    {
        let warning = lang.format("cli-plain-http", &[("bind", bound.to_string())]);
        eprintln!("{warning}");
        tracing::warn!(address = %bound, "served over plain HTTP beyond this machine: log-in will not work without a TLS proxy in front and RODTRAD_PUBLIC_URL");
    }
    println!(
        "{}",
        lang.format("cli-serving", &[("url", format!("http://{address}/"))])
    );
    tracing::info!(%address, public_url = ?site.public_url(), "listening");
    let state = match mail {
        Some(config) => {
            tracing::info!(server = %config.redacted(), "mail goes through this server");
            let base_url = site
                .public_url()
                .unwrap_or_else(|| format!("http://{address}"));
            state.with_mailing(Some(rodtrad_web::Mailing { config, base_url }))
        }
        None => state,
    };
    rodtrad_web::serve_site(listener, state, site, shutdown_signal())
        .await
        .map_err(|e| CliError::message("cli-serve-failed", vec![("detail", e.to_string())]))?;
    tracing::info!("stopped");
    Ok(())
}

fn db_failed(e: &rodtrad_store::StoreError) -> CliError {
    CliError::message("cli-database-failed", vec![("detail", e.to_string())])
}

/// Logs to standard error; `RUST_LOG` sets the level (default `info`).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A second initialisation (in tests) is harmless, so its error is ignored.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
