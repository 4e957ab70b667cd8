//! The built app over real HTTP: the build's brotli and gzip variants for browsers
//! that ask for them (and the plain file for those that do not, or when a build left
//! no variants), a year of caching for content-hashed names and revalidation for the
//! rest, with the cross-origin isolation headers kept.

use std::fs;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use bulbwatch::{Application, Settings};
use bulbwatch_precompress::{Encoding, gunzip, precompress_dir, unbrotli};
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, VARY};

const WASM: &str = "x-0123456789abcdef_bg.wasm";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `len` bytes that compress like wasm does: a header, then repeated code.
fn wasm_like(len: usize) -> Vec<u8> {
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    bytes.extend(
        b"\x20\x00\x41\x01\x6a\x21\x00\x20\x00\x10\x02\x0b bulb.set queue.push "
            .iter()
            .cycle()
            .take(len - 8),
    );
    bytes
}

/// A page of at least a KiB (smaller ones get no variants).
fn page(title: &str) -> Vec<u8> {
    let padding = "<!-- the check worker, the bulb, the room -->\n".repeat(40);
    format!("<!doctype html><title>{title}</title>\n{padding}").into_bytes()
}

/// A built app like Trunk's `dist/`, compressed by the build's own step; then one
/// hashed file added without variants (as a build without the step leaves it).
fn built_app(dir: &Path) {
    fs::create_dir_all(dir.join("explore")).unwrap();
    fs::write(dir.join("index.html"), page("Bulbwatch")).unwrap();
    fs::write(dir.join(WASM), wasm_like(30_000)).unwrap();
    fs::write(dir.join("check_worker_bg.wasm"), wasm_like(20_000)).unwrap();
    fs::write(dir.join("explore/index.html"), page("Explore · Bulbwatch")).unwrap();
    fs::write(
        dir.join("explore/bulbwatch-explore-fedcba9876543210_bg.wasm"),
        wasm_like(40_000),
    )
    .unwrap();
    let done = precompress_dir(dir).unwrap();
    assert_eq!(done.len(), 5, "every file got its variants: {done:#?}");
    fs::write(
        dir.join("plain-0123456789abcdef_bg.wasm"),
        wasm_like(10_000),
    )
    .unwrap();
}

struct Server {
    base: String,
    stop: tokio_util::sync::CancellationToken,
    client: reqwest::Client,
}

impl Server {
    async fn start(data_dir: &Path, app_dir: &Path) -> Self {
        let app = Application::build(Settings {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.to_path_buf(),
            app_dir: app_dir.to_path_buf(),
            driver: Arc::new(bulbwatch::bulb::VirtualBulb::default()),
            max_queue_length: bulbwatch::bulb::DEFAULT_MAX_QUEUE_LENGTH,
            facilitator_token: None,
            public_url: None,
            seed: None,
            extra_scenarios: Vec::new(),
            connections: Default::default(),
            hue_addr: None,
        })
        .await
        .unwrap();
        let base = format!("http://{}", app.local_addr());
        let stop = app.stop_token();
        tokio::spawn(app.run());
        // No automatic decompression here (reqwest's gzip/brotli features are off):
        // the bytes compared are the bytes on the wire.
        let client = reqwest::Client::new();
        Self { base, stop, client }
    }

    /// GETs `path` asking for `encodings` (none: no `Accept-Encoding` at all).
    async fn get(&self, path: &str, encodings: Option<&str>) -> Answer {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(encodings) = encodings {
            request = request.header(ACCEPT_ENCODING, encodings);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.unwrap().to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: reqwest::header::HeaderName) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    /// The body as the browser sees it once it has undone the encoding.
    fn decoded(&self) -> Vec<u8> {
        match self.header(CONTENT_ENCODING) {
            Some("br") => unbrotli(&self.body).unwrap(),
            Some("gzip") => gunzip(&self.body).unwrap(),
            None => self.body.clone(),
            Some(other) => panic!("unexpected encoding {other}"),
        }
    }

    fn varies_by_encoding(&self) -> bool {
        self.headers.get_all(VARY).iter().any(|v| {
            v.to_str()
                .unwrap()
                .to_ascii_lowercase()
                .contains("accept-encoding")
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hashed_wasm_comes_in_the_encoding_asked_for_and_is_cached_for_a_year() {
    let dir = tempfile::tempdir().unwrap();
    let app_dir = dir.path().join("dist");
    built_app(&app_dir);
    let server = Server::start(dir.path(), &app_dir).await;
    let original = fs::read(app_dir.join(WASM)).unwrap();
    let path = format!("/{WASM}");

    // What Chromium asks for on loopback; brotli wins.
    let br = server.get(&path, Some("gzip, deflate, br, zstd")).await;
    assert_eq!(br.status, 200);
    assert_eq!(br.header(CONTENT_ENCODING), Some("br"));
    assert_eq!(br.header(CONTENT_TYPE), Some("application/wasm"));
    let on_disk = fs::read(Encoding::Brotli.variant_of(&app_dir.join(WASM))).unwrap();
    assert_eq!(br.body, on_disk, "the build's brotli bytes");
    assert!(
        br.body.len() < original.len() / 10,
        "{} bytes",
        br.body.len()
    );
    assert_eq!(unbrotli(&br.body).unwrap(), original);

    // What browsers ask for over plain HTTP on the room's network: gzip.
    let gz = server.get(&path, Some("gzip, deflate")).await;
    assert_eq!(gz.header(CONTENT_ENCODING), Some("gzip"));
    assert_eq!(gz.header(CONTENT_TYPE), Some("application/wasm"));
    assert_eq!(gunzip(&gz.body).unwrap(), original);
    let refused = server.get(&path, Some("br;q=0, gzip")).await;
    assert_eq!(refused.header(CONTENT_ENCODING), Some("gzip"));

    // No Accept-Encoding: the plain file.
    let plain = server.get(&path, None).await;
    assert_eq!(plain.header(CONTENT_ENCODING), None);
    assert_eq!(plain.body, original);

    for answer in [&br, &gz, &plain] {
        assert_eq!(answer.header(CACHE_CONTROL), Some(IMMUTABLE));
        assert!(answer.varies_by_encoding(), "{:?}", answer.headers);
        // Cross-origin isolation (the check worker's SharedArrayBuffer) stays.
        assert_eq!(
            answer.header("cross-origin-opener-policy".parse().unwrap()),
            Some("same-origin")
        );
        assert_eq!(
            answer.header("cross-origin-embedder-policy".parse().unwrap()),
            Some("require-corp")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_stable_names_are_revalidated_and_files_without_variants_come_plain() {
    let dir = tempfile::tempdir().unwrap();
    let app_dir = dir.path().join("dist");
    built_app(&app_dir);
    let server = Server::start(dir.path(), &app_dir).await;
    let index = fs::read(app_dir.join("index.html")).unwrap();
    let explore_index = fs::read(app_dir.join("explore/index.html")).unwrap();

    // The page, under its own name and as the answer to any other path (a reload on
    // /play, a script of an older build): compressed, never kept without asking.
    for path in [
        "/",
        "/index.html",
        "/play",
        "/bulbwatch-app-0000000000000000.js",
    ] {
        let answer = server.get(path, Some("br")).await;
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(answer.header(CONTENT_ENCODING), Some("br"), "{path}");
        assert_eq!(answer.decoded(), index, "{path}");
        assert_eq!(answer.header(CACHE_CONTROL), Some("no-cache"), "{path}");
        assert!(answer.varies_by_encoding(), "{path}: {:?}", answer.headers);
    }

    // Explore and the facilitator's console: Explore's index, likewise.
    for path in [
        "/explore",
        "/explore/history?check=c1",
        "/facilitator",
        "/facilitator/x",
    ] {
        let answer = server.get(path, Some("gzip")).await;
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(answer.header(CONTENT_ENCODING), Some("gzip"), "{path}");
        assert_eq!(answer.decoded(), explore_index, "{path}");
        assert_eq!(answer.header(CACHE_CONTROL), Some("no-cache"), "{path}");
    }
    let explore_wasm = "/explore/bulbwatch-explore-fedcba9876543210_bg.wasm";
    let answer = server.get(explore_wasm, Some("br")).await;
    assert_eq!(answer.header(CONTENT_ENCODING), Some("br"));
    assert_eq!(answer.header(CACHE_CONTROL), Some(IMMUTABLE));

    // The check worker keeps its name from build to build: compressed, revalidated.
    let worker = server.get("/check_worker_bg.wasm", Some("br")).await;
    assert_eq!(worker.header(CONTENT_ENCODING), Some("br"));
    assert_eq!(
        worker.decoded(),
        fs::read(app_dir.join("check_worker_bg.wasm")).unwrap()
    );
    assert_eq!(worker.header(CACHE_CONTROL), Some("no-cache"));

    // A hashed file the build left without variants: the plain bytes, still cached.
    let path = "/plain-0123456789abcdef_bg.wasm";
    let plain = server.get(path, Some("gzip, deflate, br")).await;
    assert_eq!(plain.status, 200);
    assert_eq!(plain.header(CONTENT_ENCODING), None);
    assert_eq!(plain.header(CONTENT_TYPE), Some("application/wasm"));
    assert_eq!(
        plain.body,
        fs::read(app_dir.join("plain-0123456789abcdef_bg.wasm")).unwrap()
    );
    assert_eq!(plain.header(CACHE_CONTROL), Some(IMMUTABLE));

    // The API decides its own caching: none of this is added there.
    let api = server.get("/api/bulb", Some("br")).await;
    assert_eq!(api.status, 200);
    assert_eq!(api.header(CACHE_CONTROL), None);
    assert_eq!(api.header(CONTENT_ENCODING), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_built_without_the_compression_step_is_served_plain() {
    let dir = tempfile::tempdir().unwrap();
    let app_dir = dir.path().join("dist");
    fs::create_dir_all(&app_dir).unwrap();
    fs::write(app_dir.join("index.html"), page("Bulbwatch")).unwrap();
    fs::write(app_dir.join(WASM), wasm_like(30_000)).unwrap();
    let server = Server::start(dir.path(), &app_dir).await;

    let wasm = server
        .get(&format!("/{WASM}"), Some("gzip, deflate, br"))
        .await;
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.header(CONTENT_ENCODING), None);
    assert_eq!(wasm.body, fs::read(app_dir.join(WASM)).unwrap());
    assert_eq!(wasm.header(CACHE_CONTROL), Some(IMMUTABLE));
    let index = server.get("/", Some("gzip, deflate, br")).await;
    assert_eq!(index.header(CONTENT_ENCODING), None);
    assert_eq!(index.body, fs::read(app_dir.join("index.html")).unwrap());
    assert_eq!(index.header(CACHE_CONTROL), Some("no-cache"));
}
