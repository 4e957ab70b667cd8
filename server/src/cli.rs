//! `bulbwatch serve`.

use std::sync::Arc;

use crate::bulb::VirtualBulb;
use crate::config::ServeArgs;
use crate::startup::{Application, Settings};
use crate::telemetry::TelemetrySettings;

/// Runs the server until Ctrl+C or SIGTERM.
pub async fn serve(args: ServeArgs) -> Result<(), Box<dyn std::error::Error>> {
    let app = Application::build_with(
        Settings {
            addr: args.addr,
            data_dir: args.data_dir.clone(),
            app_dir: args.app_dir,
            driver: Arc::new(VirtualBulb::default()),
            max_queue_length: args.max_queue_length,
        },
        TelemetrySettings {
            otlp_endpoint: args.otlp_endpoint.filter(|e| !e.trim().is_empty()),
            event_retention: args.event_retention,
            print_logs: true,
            ..TelemetrySettings::default()
        },
    )
    .await?;
    // Log lines from outside the server's own tasks print too.
    let _ = tracing::dispatcher::set_global_default(app.dispatch().clone());
    let addr = app.local_addr();
    let shown = if addr.ip().is_unspecified() {
        format!(
            "http://127.0.0.1:{} (and this machine's address on the room's network)",
            addr.port()
        )
    } else {
        format!("http://{addr}")
    };
    println!("Bulbwatch is running at {shown}");
    println!("Data in {}. Press Ctrl+C to stop.", args.data_dir.display());
    let stop = app.stop_token();
    tokio::spawn(async move {
        stop_requested().await;
        println!("Stopping…");
        stop.cancel();
    });
    app.run().await?;
    Ok(())
}

/// Ctrl+C, or (on Unix) SIGTERM as service managers and `docker stop` send: either
/// stops gracefully, writing every queued event first.
async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
