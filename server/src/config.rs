//! The command line: `bulbwatch serve`, every flag with an environment fallback.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::bulb::driver::HueConfig;

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
    Serve(Box<ServeArgs>),
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
    /// A Philips Hue bridge: pair with it once, for the username `serve` needs.
    Hue(HueArgs),
}

/// `bulbwatch hue` subcommands.
#[derive(Debug, Args)]
pub struct HueArgs {
    /// What to do with the bridge.
    #[command(subcommand)]
    pub command: HueCommand,
}

/// `bulbwatch hue …`.
#[derive(Debug, Subcommand)]
pub enum HueCommand {
    /// Pair with a bridge: press its link button while this waits, then it prints the
    /// username and the flags to start `bulbwatch serve` with.
    Pair(HuePairArgs),
}

/// `bulbwatch hue pair` options.
#[derive(Debug, Args)]
pub struct HuePairArgs {
    /// The bridge's address, http://ADDR (the Hue app shows it under Settings →
    /// Bridges; a bare address is taken as http://).
    #[arg(long, env = "BULBWATCH_HUE_BRIDGE")]
    pub bridge: String,
    /// The device type to pair as (default: bulbwatch#<this machine's name>).
    #[arg(long)]
    pub devicetype: Option<String>,
    /// Seconds to keep asking while you press the link button.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub wait_s: u64,
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
    /// The bulbs: the virtual ones, or a Hue bridge's lights.
    #[command(flatten)]
    pub hue: HueBridgeArgs,
}

/// `bulbwatch serve`'s Hue bridge options: without `--hue-bridge`, the virtual bulbs.
#[derive(Clone, Debug, Default, Args)]
pub struct HueBridgeArgs {
    /// Drive a Philips Hue bridge's lights at this address, http://ADDR (a bare
    /// address is taken as http://); needs --hue-username and --hue-lights.
    #[arg(long, env = "BULBWATCH_HUE_BRIDGE")]
    pub hue_bridge: Option<String>,
    /// The username `bulbwatch hue pair` printed.
    #[arg(long, env = "BULBWATCH_HUE_USERNAME", hide_env_values = true)]
    pub hue_username: Option<String>,
    /// The bridge's light ids, one per shard, shard 0's first: 1,2,3.
    #[arg(long, env = "BULBWATCH_HUE_LIGHTS")]
    pub hue_lights: Option<String>,
    /// Milliseconds the bridge has to answer each command (100–30000); past it the
    /// change fails and the queue goes on.
    #[arg(
        long,
        env = "BULBWATCH_HUE_TIMEOUT_MS",
        default_value_t = crate::bulb::driver::hue::DEFAULT_TIMEOUT_MS,
        value_parser = clap::value_parser!(u64).range(100..=30_000)
    )]
    pub hue_timeout_ms: u64,
}

impl HueBridgeArgs {
    /// The Hue bridge to drive, `None` for the virtual bulbs, or what is missing.
    pub fn hue_config(&self) -> Result<Option<HueConfig>, String> {
        fn given(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|v| !v.is_empty())
        }
        let (username, lights) = (given(&self.hue_username), given(&self.hue_lights));
        let Some(bridge) = given(&self.hue_bridge) else {
            return match (username, lights) {
                (None, None) => Ok(None),
                _ => Err("--hue-username and --hue-lights need --hue-bridge http://ADDR (BULBWATCH_HUE_BRIDGE)".into()),
            };
        };
        let bridge = bridge_url(bridge)?;
        let username = username.ok_or_else(|| {
            format!(
                "--hue-bridge needs --hue-username (BULBWATCH_HUE_USERNAME): run `bulbwatch hue pair --bridge {bridge}` to get one"
            )
        })?;
        if !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        {
            return Err("--hue-username must be the letters, digits and dashes `bulbwatch hue pair` printed".into());
        }
        let lights = lights.ok_or(
            "--hue-bridge needs --hue-lights (BULBWATCH_HUE_LIGHTS): the bridge's light ids, one per shard, e.g. --hue-lights 1 or 1,2,3",
        )?;
        let lights: Vec<String> = lights.split(',').map(|id| id.trim().to_string()).collect();
        if let Some(bad) = lights.iter().find(|id| {
            id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        }) {
            return Err(format!(
                "--hue-lights must be light ids separated by commas, e.g. 1,2,3; got {bad:?} in {:?}",
                self.hue_lights.as_deref().unwrap_or_default()
            ));
        }
        let most = bulbwatch_api::MAX_SHARDS as usize;
        if lights.len() > most {
            return Err(format!(
                "--hue-lights lists {} lights; a room has at most {most} shards, one light each",
                lights.len()
            ));
        }
        Ok(Some(HueConfig {
            bridge,
            username: username.to_string(),
            lights,
            timeout: std::time::Duration::from_millis(self.hue_timeout_ms),
        }))
    }
}

/// A bridge's base URL from what was typed: `http://ADDR[:PORT]`, a bare address taken
/// as http, any trailing `/` or `/api` dropped.
pub fn bridge_url(typed: &str) -> Result<String, String> {
    let typed = typed.trim();
    let with_scheme = if typed.contains("://") {
        typed.to_string()
    } else {
        format!("http://{typed}")
    };
    let url = reqwest::Url::parse(&with_scheme).map_err(|e| {
        format!("the Hue bridge's address {typed:?} is not an address ({e}): give http://ADDR")
    })?;
    if url.scheme() != "http" {
        return Err(format!(
            "the Hue bridge's address {typed:?} must be http://ADDR: the bridge's local API is plain HTTP"
        ));
    }
    let Some(host) = url.host_str() else {
        return Err(format!(
            "the Hue bridge's address {typed:?} has no host: give http://ADDR"
        ));
    };
    let path = url.path().trim_end_matches('/');
    if !(path.is_empty() || path == "/api") || url.query().is_some() {
        return Err(format!(
            "the Hue bridge's address {typed:?} must be just http://ADDR[:PORT], without a path"
        ));
    }
    Ok(match url.port() {
        Some(port) => format!("http://{host}:{port}"),
        None => format!("http://{host}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hue(bridge: Option<&str>, username: Option<&str>, lights: Option<&str>) -> HueBridgeArgs {
        HueBridgeArgs {
            hue_bridge: bridge.map(str::to_string),
            hue_username: username.map(str::to_string),
            hue_lights: lights.map(str::to_string),
            hue_timeout_ms: 750,
        }
    }

    #[test]
    fn no_bridge_is_the_virtual_bulbs() {
        assert_eq!(hue(None, None, None).hue_config(), Ok(None));
        assert_eq!(hue(Some(" "), None, Some("")).hue_config(), Ok(None));
        let err = hue(None, Some("abc"), None).hue_config().unwrap_err();
        assert!(err.contains("need --hue-bridge"), "{err}");
    }

    #[test]
    fn a_bridge_with_username_and_lights_is_a_hue_config() {
        let config = hue(Some("192.168.1.2/"), Some("abc-123"), Some("1, 4,2"))
            .hue_config()
            .unwrap()
            .unwrap();
        assert_eq!(
            config,
            HueConfig {
                bridge: "http://192.168.1.2".into(),
                username: "abc-123".into(),
                lights: vec!["1".into(), "4".into(), "2".into()],
                timeout: std::time::Duration::from_millis(750),
            }
        );
    }

    #[test]
    fn a_bridge_without_username_or_lights_says_what_to_set() {
        let err = hue(Some("http://10.0.0.2"), None, Some("1"))
            .hue_config()
            .unwrap_err();
        assert!(
            err.contains("--hue-username")
                && err.contains("bulbwatch hue pair --bridge http://10.0.0.2"),
            "{err}"
        );
        let err = hue(Some("http://10.0.0.2"), Some("u"), None)
            .hue_config()
            .unwrap_err();
        assert!(err.contains("--hue-lights"), "{err}");
        let err = hue(Some("http://10.0.0.2"), Some("u"), Some("1,,2"))
            .hue_config()
            .unwrap_err();
        assert!(err.contains("light ids separated by commas"), "{err}");
        let err = hue(Some("http://10.0.0.2"), Some("u/../x"), Some("1"))
            .hue_config()
            .unwrap_err();
        assert!(err.contains("--hue-username must be"), "{err}");
        let nine = "1,2,3,4,5,6,7,8,9";
        let err = hue(Some("http://10.0.0.2"), Some("u"), Some(nine))
            .hue_config()
            .unwrap_err();
        assert!(err.contains("at most"), "{err}");
    }

    #[test]
    fn bridge_addresses_are_plain_http_base_urls() {
        assert_eq!(bridge_url("10.0.0.2").unwrap(), "http://10.0.0.2");
        assert_eq!(
            bridge_url("http://127.0.0.1:8081/api/").unwrap(),
            "http://127.0.0.1:8081"
        );
        assert!(
            bridge_url("https://10.0.0.2")
                .unwrap_err()
                .contains("plain HTTP")
        );
        assert!(
            bridge_url("http://10.0.0.2/lights")
                .unwrap_err()
                .contains("without a path")
        );
        assert!(bridge_url("http://").is_err());
    }

    #[test]
    fn serve_and_hue_pair_parse_their_flags() {
        let cli = Cli::try_parse_from([
            "bulbwatch",
            "serve",
            "--hue-bridge",
            "http://10.0.0.2",
            "--hue-username",
            "abc",
            "--hue-lights",
            "3,1",
            "--hue-timeout-ms",
            "500",
        ])
        .unwrap();
        let Command::Serve(args) = cli.command else {
            panic!("not serve");
        };
        let config = args.hue.hue_config().unwrap().unwrap();
        assert_eq!(config.lights, ["3", "1"]);
        assert_eq!(config.timeout, std::time::Duration::from_millis(500));
        assert!(Cli::try_parse_from(["bulbwatch", "serve", "--hue-timeout-ms", "50"]).is_err());

        let cli =
            Cli::try_parse_from(["bulbwatch", "hue", "pair", "--bridge", "10.0.0.2"]).unwrap();
        let Command::Hue(HueArgs {
            command: HueCommand::Pair(pair),
        }) = cli.command
        else {
            panic!("not hue pair");
        };
        assert_eq!((pair.bridge.as_str(), pair.wait_s), ("10.0.0.2", 60));
    }
}
