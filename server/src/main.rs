//! `bulbwatch`: parse the command line and hand over to the library.

use clap::Parser;

use bulbwatch::config::{Cli, Command, HueCommand};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => {
            // Logging starts with the server: its own dispatch prints them.
            let runtime = match tokio::runtime::Runtime::new() {
                Ok(rt) => rt,
                Err(e) => {
                    eprintln!("bulbwatch: cannot start the async runtime: {e}");
                    return std::process::ExitCode::FAILURE;
                }
            };
            match runtime.block_on(bulbwatch::cli::serve(*args)) {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("bulbwatch: {e}");
                    std::process::ExitCode::FAILURE
                }
            }
        }
        // Blocking all the way down: checks are synchronous, like in the browser worker.
        Command::Check(args) => bulbwatch::check_cli::run(&args),
        Command::FacilitatorUrl(args) => bulbwatch::cli::facilitator_url(&args),
        Command::Rehearse(args) => bulbwatch::rehearsal::cli::run(&args),
        Command::Hue(hue) => match hue.command {
            HueCommand::Pair(args) => bulbwatch::cli::hue_pair(&args),
        },
    }
}
