//! The build's compression step. Trunk writes the app uncompressed; this writes
//! `FILE.br` (brotli, quality 11) and `FILE.gz` (gzip, level 9) next to each
//! compressible file, once, so the server sends the small variant a browser asks for
//! (`Accept-Encoding`) without compressing anything per request.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The extensions worth compressing: what a browser downloads as text or wasm.
pub const COMPRESSIBLE: &[&str] = &["wasm", "js", "css", "html", "svg", "json"];

/// Files smaller than this are left alone: headers outweigh what compression saves.
pub const MIN_BYTES: u64 = 1024;

/// Brotli's best (and slowest) quality: it runs once per build, not per request.
const BROTLI_QUALITY: i32 = 11;
/// Brotli's window, log2 bytes: 22 (4 MiB) is the format's default and what every
/// browser decodes.
const BROTLI_WINDOW: i32 = 22;

/// A compressed variant, by its encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// `FILE.br`, `Content-Encoding: br`.
    Brotli,
    /// `FILE.gz`, `Content-Encoding: gzip`.
    Gzip,
}

impl Encoding {
    /// Both, in the order the server prefers them.
    pub const ALL: [Encoding; 2] = [Encoding::Brotli, Encoding::Gzip];

    /// The suffix the variant's file name gets (what tower-http's `ServeDir` looks for).
    pub fn suffix(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gz",
        }
    }

    /// `bytes` compressed this way.
    pub fn compress(self, bytes: &[u8]) -> io::Result<Vec<u8>> {
        match self {
            Encoding::Brotli => brotli(bytes),
            Encoding::Gzip => gzip(bytes),
        }
    }

    /// The path of `file`'s variant: `app.wasm` → `app.wasm.br`.
    pub fn variant_of(self, file: &Path) -> PathBuf {
        let mut name = file.as_os_str().to_owned();
        name.push(".");
        name.push(self.suffix());
        PathBuf::from(name)
    }
}

/// `bytes` compressed with brotli at quality 11.
pub fn brotli(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: BROTLI_WINDOW,
        size_hint: bytes.len(),
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

/// `bytes` compressed with gzip at level 9.
pub fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// `bytes` as they were before [`brotli`].
pub fn unbrotli(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096).read_to_end(&mut out)?;
    Ok(out)
}

/// `bytes` as they were before [`gzip`].
pub fn gunzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

/// What happened to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compressed {
    /// The file.
    pub path: PathBuf,
    /// Its size.
    pub bytes: u64,
    /// The size of `FILE.br`, if one was written (it is when it is smaller).
    pub brotli: Option<u64>,
    /// The size of `FILE.gz`, if one was written.
    pub gzip: Option<u64>,
}

/// Whether `path` is worth compressing: a compressible extension, at least
/// [`MIN_BYTES`] long.
pub fn is_compressible(path: &Path, bytes: u64) -> bool {
    bytes >= MIN_BYTES && has_compressible_extension(path)
}

fn has_compressible_extension(path: &Path) -> bool {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    COMPRESSIBLE.contains(&extension)
}

/// Writes `FILE.br` and `FILE.gz` next to every compressible file under `dir` (its
/// folders too; hidden files are skipped). A variant that would not be smaller than
/// its file is not written, and a stale one is removed (also the variants of a file
/// now too small, and of one that is gone), so the server never sends an older file's
/// bytes. Each variant is written to a temporary name and renamed, so a server
/// reading the folder meanwhile sees the old variant or the new one, whole.
pub fn precompress_dir(dir: &Path) -> io::Result<Vec<Compressed>> {
    let mut files = Vec::new();
    collect_files(dir, &mut files)?;
    files.sort();
    for variant in &files {
        let Some(base) = Encoding::ALL
            .iter()
            .find_map(|e| base_of(variant, e.suffix()))
        else {
            continue;
        };
        let kept = fs::metadata(&base).is_ok_and(|m| is_compressible(&base, m.len()));
        if has_compressible_extension(&base) && !kept {
            fs::remove_file(variant)?;
        }
    }
    let mut done = Vec::new();
    // Variants are never compressed again: only the files they are made from.
    files.retain(|path| has_compressible_extension(path));
    for path in files {
        let bytes = fs::metadata(&path)?.len();
        if is_compressible(&path, bytes) {
            done.push(precompress_file(&path)?);
        }
    }
    Ok(done)
}

/// Writes `path`'s variants (see [`precompress_dir`]), whatever its name and size.
pub fn precompress_file(path: &Path) -> io::Result<Compressed> {
    let original = fs::read(path)?;
    let mut compressed = Compressed {
        path: path.to_path_buf(),
        bytes: original.len() as u64,
        brotli: None,
        gzip: None,
    };
    for encoding in Encoding::ALL {
        let variant = encoding.variant_of(path);
        let packed = encoding.compress(&original)?;
        if packed.len() < original.len() {
            write_whole(&variant, &packed)?;
            let size = Some(packed.len() as u64);
            match encoding {
                Encoding::Brotli => compressed.brotli = size,
                Encoding::Gzip => compressed.gzip = size,
            }
        } else if variant.exists() {
            fs::remove_file(&variant)?;
        }
    }
    Ok(compressed)
}

/// The file `variant` (`FILE.suffix`) was made from, if its name ends so.
fn base_of(variant: &Path, suffix: &str) -> Option<PathBuf> {
    let name = variant.file_name()?.to_str()?;
    let base = name.strip_suffix(suffix)?.strip_suffix('.')?;
    Some(variant.with_file_name(base))
}

fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    fs::write(&partial, bytes)?;
    fs::rename(&partial, path)
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect_files(&entry.path(), files)?;
        } else if kind.is_file() {
            files.push(entry.path());
        }
    }
    Ok(())
}
