//! The compression step on a folder like Trunk's `dist/`: variants next to what is
//! worth compressing, decoding back to the same bytes, nothing else touched.

use std::fs;
use std::path::Path;

use bulbwatch_precompress::{Encoding, gunzip, precompress_dir, unbrotli};

/// Text that compresses well, `len` bytes of it.
fn text(len: usize) -> Vec<u8> {
    b"pub fn bulb_set(colour: &str) -> Result<Accepted, Error> { queue.push(colour) }\n"
        .iter()
        .copied()
        .cycle()
        .take(len)
        .collect()
}

/// Bytes that do not compress (xorshift noise), `len` of them.
fn noise(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

fn variants(dir: &Path, name: &str) -> (bool, bool) {
    let file = dir.join(name);
    (
        Encoding::Brotli.variant_of(&file).exists(),
        Encoding::Gzip.variant_of(&file).exists(),
    )
}

#[test]
fn compressible_files_get_both_variants_that_decode_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path();
    let wasm = text(40_000);
    fs::write(app.join("app-0123456789abcdef_bg.wasm"), &wasm).unwrap();
    fs::create_dir(app.join("explore")).unwrap();
    let js = text(5_000);
    fs::write(app.join("explore/explore-0123456789abcdef.js"), &js).unwrap();

    let done = precompress_dir(app).unwrap();

    assert_eq!(done.len(), 2, "{done:#?}");
    for (name, original) in [
        ("app-0123456789abcdef_bg.wasm", &wasm),
        ("explore/explore-0123456789abcdef.js", &js),
    ] {
        let file = app.join(name);
        let br = fs::read(Encoding::Brotli.variant_of(&file)).unwrap();
        let gz = fs::read(Encoding::Gzip.variant_of(&file)).unwrap();
        assert!(
            br.len() < original.len() / 10,
            "{name}: brotli {}",
            br.len()
        );
        assert!(gz.len() < original.len() / 10, "{name}: gzip {}", gz.len());
        assert_eq!(&unbrotli(&br).unwrap(), original, "{name} via brotli");
        assert_eq!(&gunzip(&gz).unwrap(), original, "{name} via gzip");
        let reported = done.iter().find(|c| c.path == file).unwrap();
        assert_eq!(reported.bytes, original.len() as u64);
        assert_eq!(reported.brotli, Some(br.len() as u64));
        assert_eq!(reported.gzip, Some(gz.len() as u64));
    }
}

#[test]
fn tiny_unknown_hidden_and_incompressible_files_get_none_and_stale_variants_go() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path();
    fs::write(app.join("check_worker_loader.js"), text(74)).unwrap();
    fs::write(app.join("photo.png"), text(20_000)).unwrap();
    fs::write(app.join(".bulbwatch-build.json"), text(20_000)).unwrap();
    fs::write(app.join("noise.wasm"), noise(20_000)).unwrap();
    // Left by an earlier build, when the file still compressed.
    fs::write(app.join("noise.wasm.br"), b"an older file's bytes").unwrap();
    fs::write(app.join("noise.wasm.gz"), b"an older file's bytes").unwrap();
    // Left when the loader was bigger, and when an older build had another wasm.
    fs::write(
        app.join("check_worker_loader.js.br"),
        b"an older file's bytes",
    )
    .unwrap();
    fs::write(app.join("gone-0123456789abcdef_bg.wasm.gz"), b"old").unwrap();

    let done = precompress_dir(app).unwrap();

    for name in [
        "check_worker_loader.js",
        "photo.png",
        ".bulbwatch-build.json",
        "noise.wasm",
    ] {
        assert_eq!(variants(app, name), (false, false), "{name}");
    }
    let noise = done
        .iter()
        .find(|c| c.path.ends_with("noise.wasm"))
        .unwrap();
    assert_eq!((noise.brotli, noise.gzip), (None, None));
    assert_eq!(done.len(), 1, "only noise.wasm was worth trying: {done:#?}");
    assert!(
        !app.join("gone-0123456789abcdef_bg.wasm.gz").exists(),
        "an orphan goes"
    );
}

#[test]
fn a_second_run_rewrites_the_variants_and_compresses_no_variant() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path();
    fs::write(app.join("index.html"), text(3_000)).unwrap();
    precompress_dir(app).unwrap();
    // The page changed (an unhashed name): the variants follow it.
    let changed = text(6_000);
    fs::write(app.join("index.html"), &changed).unwrap();

    precompress_dir(app).unwrap();

    let br = fs::read(app.join("index.html.br")).unwrap();
    assert_eq!(unbrotli(&br).unwrap(), changed);
    let mut names: Vec<String> = fs::read_dir(app)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["index.html", "index.html.br", "index.html.gz"]);
}
