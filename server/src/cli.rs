//! `bulbwatch serve`.

use std::sync::Arc;

use crate::bulb::VirtualBulb;
use crate::config::ServeArgs;
use crate::startup::{Application, Settings};

/// Runs the server until Ctrl+C.
pub async fn serve(args: ServeArgs) -> Result<(), Box<dyn std::error::Error>> {
    let app = Application::build(Settings {
        addr: args.addr,
        data_dir: args.data_dir.clone(),
        app_dir: args.app_dir,
        driver: Arc::new(VirtualBulb::default()),
    })
    .await?;
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
        if tokio::signal::ctrl_c().await.is_ok() {
            println!("Stopping…");
            stop.cancel();
        }
    });
    app.run().await?;
    Ok(())
}
