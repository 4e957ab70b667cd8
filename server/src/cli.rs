//! `bulbwatch serve`.

use crate::config::ServeArgs;
use crate::startup::{Application, Settings};
use crate::telemetry::TelemetrySettings;

/// Runs the server until Ctrl+C or SIGTERM.
pub async fn serve(args: ServeArgs) -> Result<(), Box<dyn std::error::Error>> {
    let driver = crate::bulb::driver::choose(args.hue.hue_config()?)?;
    let app = Application::build_with(
        Settings {
            addr: args.addr,
            data_dir: args.data_dir.clone(),
            app_dir: args.app_dir,
            driver,
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
    println!("  Bulbs:              {}", bulbs_line(&app.state().driver));
    if let Some(hue) = app
        .state()
        .hue
        .reachable_address(&app.state().room.public_url())
    {
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

/// "virtual", or the Hue bridge and its lights, and what is wrong if anything.
fn bulbs_line(status: &bulbwatch_api::DriverStatus) -> String {
    let Some(bridge) = &status.bridge else {
        return format!("{} (shown on the pages)", status.driver);
    };
    let lights: Vec<&str> = status.lights.iter().map(|l| l.id.as_str()).collect();
    let said = format!("Hue bridge {bridge}, lights {}", lights.join(","));
    match &status.problem {
        Some(problem) => format!("{said} — cannot set every bulb: {problem}"),
        None => said,
    }
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

/// `bulbwatch hue pair`: asks the bridge for a username until its link button is
/// pressed, then prints it and the flags to use. Exits 0 with a username, 1 when the
/// button was not pressed in time, 2 when the bridge cannot be reached or refuses.
pub fn hue_pair(args: &crate::config::HuePairArgs) -> std::process::ExitCode {
    use crate::bulb::driver::hue::{PairError, devicetype_for, pair};
    let bridge = match crate::config::bridge_url(&args.bridge) {
        Ok(bridge) => bridge,
        Err(e) => {
            eprintln!("bulbwatch: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let devicetype = args
        .devicetype
        .clone()
        .unwrap_or_else(|| devicetype_for(&host_name()));
    let wait = std::time::Duration::from_secs(args.wait_s);
    let paired = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
        .map(|rt| {
            rt.block_on(async {
                let mut last_said = None;
                let username = pair(&bridge, &devicetype, wait, |left| {
                    let left_s = left.as_secs_f64().ceil() as u64;
                    // Once, then every 5 s: enough to see it is still asking.
                    if last_said.is_none_or(|said: u64| said >= left_s + 5) {
                        eprintln!("Press the link button on the bridge… {left_s} s left");
                        last_said = Some(left_s);
                    }
                })
                .await?;
                let client = crate::bulb::driver::hue::HueClient::new(
                    &bridge,
                    &username,
                    std::time::Duration::from_secs(5),
                )?;
                Ok::<_, PairError>((username, client.lights().await.unwrap_or_default()))
            })
        });
    match paired {
        Ok(Ok((username, lights))) => {
            print_paired(&bridge, &devicetype, &username, &lights);
            std::process::ExitCode::SUCCESS
        }
        Ok(Err(e @ PairError::ButtonNotPressed { .. })) => {
            eprintln!("bulbwatch: {e}");
            std::process::ExitCode::FAILURE
        }
        Ok(Err(e)) => {
            eprintln!("bulbwatch: {e}");
            std::process::ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("bulbwatch: cannot start the async runtime: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

fn print_paired(bridge: &str, devicetype: &str, username: &str, lights: &[(String, String)]) {
    let ids = if lights.is_empty() {
        "1".to_string()
    } else {
        lights
            .iter()
            .map(|(id, _)| id.as_str())
            .collect::<Vec<_>>()
            .join(",")
    };
    println!("Paired with the Hue bridge at {bridge} as {devicetype}.");
    println!("Username (keep it to yourself; the bridge remembers it):");
    println!("    {username}");
    if !lights.is_empty() {
        println!("The bridge's lights:");
        for (id, name) in lights {
            println!("    {id}  {name}");
        }
    }
    println!("Start Bulbwatch on the bridge's lights (one per shard, shard 0's first):");
    println!(
        "    bulbwatch serve --hue-bridge {bridge} --hue-username {username} --hue-lights {ids}"
    );
    println!("or with environment variables:");
    println!(
        "    BULBWATCH_HUE_BRIDGE={bridge} BULBWATCH_HUE_USERNAME={username} BULBWATCH_HUE_LIGHTS={ids} bulbwatch serve"
    );
}

/// This machine's name, for the device type (any name will do).
fn host_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "laptop".into())
}
