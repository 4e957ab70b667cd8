//! The command line: `bulbwatch serve`, every flag with an environment fallback.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Bulbwatch: a browser playground for "Test in Production".
#[derive(Debug, Parser)]
#[command(name = "bulbwatch", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server: the bulb service, the API and the built app.
    Serve(ServeArgs),
    /// Run a check file against a Bulbwatch server, as the page would.
    ///
    /// Exits 0 when the check passes, 1 when it fails (an assertion, a poll that gave
    /// up, a request with no answer), 2 when the check itself is wrong or cannot run.
    Check(CheckArgs),
    /// Print the facilitator's console link (and the attendees' join link) of the
    /// server that runs, or last ran, on a data directory.
    FacilitatorUrl(FacilitatorUrlArgs),
    /// Fill a room with simulated attendees who each run the classic check on a
    /// schedule (real HTTP, the same engine), against any Bulbwatch server.
    Rehearse(RehearseArgs),
}

/// `bulbwatch rehearse` options.
#[derive(Debug, Args)]
pub struct RehearseArgs {
    /// The room's join link (http://HOST:PORT/join/CODE), or the server's base URL
    /// with --code.
    #[arg(long, env = "BULBWATCH_URL")]
    pub url: String,
    /// The room's join code (not needed when --url is the join link).
    #[arg(long, env = "BULBWATCH_JOIN_CODE")]
    pub code: Option<String>,
    /// How many simulated attendees (1–50).
    #[arg(long, default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(bulbwatch_api::MAX_SIMULATED)))]
    pub attendees: u32,
    /// How often each runs the check, ms (give or take a quarter).
    #[arg(long, default_value_t = bulbwatch_api::REHEARSAL_INTERVAL_DEFAULT_MS,
          value_parser = clap::value_parser!(u32).range(
              i64::from(bulbwatch_api::REHEARSAL_INTERVAL_MIN_MS)..=i64::from(bulbwatch_api::REHEARSAL_INTERVAL_MAX_MS)))]
    pub interval_ms: u32,
    /// Seed of the schedule's jitter (default: a random one).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Stop after this many seconds (default: run until interrupted, Ctrl+C).
    #[arg(long)]
    pub duration_s: Option<u64>,
}

/// `bulbwatch facilitator-url` options.
#[derive(Debug, Args)]
pub struct FacilitatorUrlArgs {
    /// The server's data directory.
    #[arg(long, env = "BULBWATCH_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
}

/// `bulbwatch check` options.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The check to run (Rhai, at most 32 KB).
    pub file: PathBuf,
    /// Base URL of the Bulbwatch server, e.g. http://127.0.0.1:8080
    #[arg(long, env = "BULBWATCH_URL")]
    pub url: String,
    /// Display name to join as (default: your login name).
    #[arg(long)]
    pub name: Option<String>,
    /// The room's join code (not needed when --url is the join link, …/join/CODE).
    #[arg(long, env = "BULBWATCH_JOIN_CODE")]
    pub code: Option<String>,
    /// Print the report as JSON on stdout instead of the readable summary.
    #[arg(long)]
    pub json: bool,
}

/// `bulbwatch serve` options.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (use 0.0.0.0:8080 to let the room's laptops in).
    #[arg(long, env = "BULBWATCH_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Directory for the database (created if missing).
    #[arg(long, env = "BULBWATCH_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Directory of the built app (Trunk's output).
    #[arg(long, env = "BULBWATCH_APP_DIR", default_value = "dist")]
    pub app_dir: PathBuf,
    /// Most changes the bulb's queue holds; past it, PUT /api/bulb answers 503 until
    /// the queue drains.
    #[arg(
        long,
        env = "BULBWATCH_MAX_QUEUE_LENGTH",
        default_value_t = crate::bulb::DEFAULT_MAX_QUEUE_LENGTH,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub max_queue_length: u32,
    /// Most connections open at once (every open page holds one for its live
    /// stream); past it a new one is answered 503. Capped by the open-file limit,
    /// which the server raises to the system's most at start.
    #[arg(
        long,
        env = "BULBWATCH_MAX_CONNECTIONS",
        default_value_t = crate::serve::DEFAULT_MAX_CONNECTIONS as u64,
        value_parser = clap::value_parser!(u64).range(1..=1_000_000)
    )]
    pub max_connections: u64,
    /// Most connections open at once from one client address (a laptop's tabs, or a
    /// script); past it a new one from there is answered 503.
    #[arg(
        long,
        env = "BULBWATCH_MAX_CONNECTIONS_PER_ADDRESS",
        default_value_t = crate::serve::DEFAULT_MAX_PER_ADDRESS as u64,
        value_parser = clap::value_parser!(u64).range(1..=1_000_000)
    )]
    pub max_connections_per_address: u64,
    /// Seconds a request's headers may take to arrive (408 past it); also how long
    /// an idle kept-alive connection stays open.
    #[arg(
        long,
        env = "BULBWATCH_HEADER_TIMEOUT_S",
        default_value_t = crate::serve::DEFAULT_HEADER_TIMEOUT_S,
        value_parser = clap::value_parser!(u64).range(1..=600)
    )]
    pub header_timeout_s: u64,
    /// Seconds a request's body may take to arrive (408 past it).
    #[arg(
        long,
        env = "BULBWATCH_BODY_TIMEOUT_S",
        default_value_t = crate::serve::DEFAULT_BODY_TIMEOUT_S,
        value_parser = clap::value_parser!(u64).range(1..=600)
    )]
    pub body_timeout_s: u64,
    /// Events kept per dataset (bulb, e2e); the oldest beyond it are deleted.
    #[arg(
        long,
        env = "BULBWATCH_EVENT_RETENTION",
        default_value_t = crate::events::DEFAULT_RETENTION,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub event_retention: u64,
    /// Megabytes (10^6 bytes) of stored event fields kept per dataset; the oldest
    /// beyond it are deleted.
    #[arg(
        long,
        env = "BULBWATCH_EVENT_RETENTION_MB",
        default_value_t = crate::events::DEFAULT_RETENTION_MB,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub event_retention_mb: u64,
    /// Also send spans by OTLP/HTTP (protobuf) to this base URL, e.g.
    /// http://127.0.0.1:4318 (traces go to /v1/traces).
    #[arg(long, env = "OTEL_EXPORTER_OTLP_ENDPOINT")]
    pub otlp_endpoint: Option<String>,
    /// The facilitator's secret (default: the one kept in the data directory, made
    /// at first start).
    #[arg(long, env = "BULBWATCH_FACILITATOR_TOKEN", hide_env_values = true)]
    pub facilitator_token: Option<String>,
    /// The base URL attendees open, for the join link and its QR code, e.g.
    /// http://192.168.1.20:8080 (default: worked out from --addr).
    #[arg(long, env = "BULBWATCH_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The room's seed: every random decision of the failure scenarios comes from it
    /// and the change's number, so a rehearsal replays exactly (default: the one kept
    /// in the data directory, made at first start; shown on the console).
    #[arg(long, env = "BULBWATCH_SEED")]
    pub seed: Option<u64>,
    /// Also answer the Hue local REST API (v1) for the virtual bulbs on this
    /// address, e.g. 127.0.0.1:8081 (0.0.0.0:8081 for the room's phones): Hue apps
    /// and libraries pair with the console's link button and drive the bulbs
    /// through the queue (default: off).
    #[arg(long, env = "BULBWATCH_HUE_ADDR")]
    pub hue_addr: Option<SocketAddr>,
}
