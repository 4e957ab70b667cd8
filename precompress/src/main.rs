//! `bulbwatch-precompress DIR...`: writes `FILE.br` and `FILE.gz` next to every
//! compressible file of the built app (scripts/setup.sh runs it after Trunk).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dirs: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() || dirs.iter().any(|d| d == "-h" || d == "--help") {
        eprintln!(
            "usage: bulbwatch-precompress DIR...\n\
             Writes FILE.br (brotli 11) and FILE.gz (gzip 9) next to every .wasm, .js, \
             .css, .html, .svg and .json file of at least 1 KiB under each DIR."
        );
        return ExitCode::from(2);
    }
    for dir in dirs {
        match bulbwatch_precompress::precompress_dir(&dir) {
            Ok(files) => {
                let sum = |size: fn(&bulbwatch_precompress::Compressed) -> Option<u64>| {
                    files
                        .iter()
                        .map(|f| size(f).unwrap_or(f.bytes))
                        .sum::<u64>()
                };
                println!(
                    "{}: {} files, {} KiB → brotli {} KiB, gzip {} KiB",
                    dir.display(),
                    files.len(),
                    sum(|f| Some(f.bytes)) / 1024,
                    sum(|f| f.brotli) / 1024,
                    sum(|f| f.gzip) / 1024,
                );
            }
            Err(e) => {
                eprintln!(
                    "error: cannot precompress {}: {e} (is it the built app? build it with scripts/run.sh)",
                    dir.display()
                );
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
