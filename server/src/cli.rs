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
            facilitator_token: args.facilitator_token,
            public_url: args.public_url,
            seed: args.seed,
            extra_scenarios: Vec::new(),
            connections: crate::serve::ConnectionLimits {
                max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
                header_timeout: std::time::Duration::from_secs(args.header_timeout_s),
                body_timeout: std::time::Duration::from_secs(args.body_timeout_s),
                max_per_address: usize::try_from(args.max_connections_per_address)
                    .unwrap_or(usize::MAX),
            },
            hue_addr: args.hue_addr,
        },
        TelemetrySettings {
            otlp_endpoint: args.otlp_endpoint.filter(|e| !e.trim().is_empty()),
            event_retention: args.event_retention,
            event_retention_bytes: args.event_retention_mb.saturating_mul(1_000_000),
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
    println!();
    println!("  Attendees join at:  {}", app.state().room.join_url());
    println!("  Join code:          {}", app.state().room.join_code());
    println!("  Facilitator console (keep it to yourself):");
    println!("      {}", app.state().room.console_url());
    if let Some(hue) = app.hue_addr() {
        println!("  Hue apps pair at:   http://{hue}/api (press the link button on the console)");
    }
    println!();
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

/// `bulbwatch facilitator-url`: the console and join links saved in `data_dir`.
pub fn facilitator_url(args: &crate::config::FacilitatorUrlArgs) -> std::process::ExitCode {
    let printed = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
        .and_then(|rt| {
            rt.block_on(async {
                let store = crate::store::Store::open(&args.data_dir).map_err(|e| e.to_string())?;
                crate::room::saved_urls(&store)
                    .await
                    .map_err(|e| e.to_string())
            })
        });
    match printed {
        Ok(Some((console, join))) => {
            println!("{console}");
            eprintln!("Attendees join at {join}");
            std::process::ExitCode::SUCCESS
        }
        Ok(None) => {
            eprintln!(
                "bulbwatch: no server has started on {} yet: run `bulbwatch serve --data-dir {}` first",
                args.data_dir.display(),
                args.data_dir.display()
            );
            std::process::ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("bulbwatch: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
