//! Shared by the browser tests: headless Chromium, and a static file server over a built site.
//! Each test skips, with a message, when `/usr/bin/chromium` is absent ([`missing`]).

#![allow(dead_code)]

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// How long one page load may take, Chromium's start-up included.
const PAGE_TIMEOUT: Duration = Duration::from_secs(30);
/// Runs of Chromium before a page counts as not loading (see [`dump_dom_with`]).
const TRIES: usize = 4;

/// A static file server over an output folder, on a free port; stopped when dropped.
pub struct StaticServer {
    http: Arc<tiny_http::Server>,
    pub addr: std::net::SocketAddr,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StaticServer {
    pub fn start(root: PathBuf) -> StaticServer {
        let http = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("a free port"));
        let addr = http.server_addr().to_ip().expect("an IP address");
        let server = Arc::clone(&http);
        let thread = std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let path = request.url().split(['?', '#']).next().unwrap_or("/");
                let response = match file_for(&root, path) {
                    Some(file) => {
                        let kind = match file.extension().and_then(|e| e.to_str()) {
                            Some("html") => "text/html; charset=utf-8",
                            Some("js") => "text/javascript; charset=utf-8",
                            Some("json") => "application/json",
                            Some("css") => "text/css; charset=utf-8",
                            Some("svg") => "image/svg+xml",
                            _ => "application/octet-stream",
                        };
                        tiny_http::Response::from_data(std::fs::read(&file).unwrap_or_default())
                            .with_header(
                                tiny_http::Header::from_bytes("Content-Type", kind).unwrap(),
                            )
                    }
                    None => {
                        tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404)
                    }
                };
                let _ = request.respond(response);
            }
        });
        StaticServer {
            http,
            addr,
            thread: Some(thread),
        }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.http.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The file a URL path names inside `root`, if it is one (no `..`).
fn file_for(root: &Path, path: &str) -> Option<PathBuf> {
    let rel = path.trim_start_matches('/');
    if rel.split('/').any(|s| s == "..") {
        return None;
    }
    let mut file = root.join(rel);
    if path.ends_with('/') || file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

/// The page at `url` as Chromium leaves it once its scripts have run.
pub fn dump_dom(url: &str) -> String {
    dump_dom_with(url, &[])
}

/// [`dump_dom`] with more of Chromium's flags (`--window-size=…`, `--blink-settings=…`).
///
/// Headless Chromium now and then never fires a page's load although this server has answered
/// every request it made (logged while looking into it: the video test's 13 requests, each sent
/// in under 1 ms), and never ends: about one run in three of the video tests, loaded or not,
/// with or without a virtual time budget; never in 18 runs of the same flags against Python's
/// `http.server`. Such a run is tried again, up to [`TRIES`] times, before the test fails.
pub fn dump_dom_with(url: &str, flags: &[&str]) -> String {
    for _ in 0..TRIES {
        match try_dump_dom(url, flags) {
            Some(dom) => return dom,
            None => eprintln!("chromium hung on {url}: trying again"),
        }
    }
    panic!("chromium did not finish loading {url} in {PAGE_TIMEOUT:?}, {TRIES} times")
}

/// One run of Chromium on `url`: the DOM it dumps, or `None` when it did not end in time.
fn try_dump_dom(url: &str, flags: &[&str]) -> Option<String> {
    let profile = tempfile::tempdir().expect("a profile folder");
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.read_to_string(&mut out);
        out
    });
    let deadline = Instant::now() + PAGE_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("chromium runs") {
            break Some(status);
        }
        if Instant::now() > deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    // The group was created for this browser: its renderer and helpers go too.
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.kill();
    let _ = child.wait();
    let dom = reader.join().unwrap_or_default();
    status.map(|_| dom)
}

/// Whether Chromium is missing, saying so (the test then skips): `what` names the test.
pub fn missing(what: &str) -> bool {
    if Path::new(CHROMIUM).exists() {
        return false;
    }
    eprintln!("SKIPPED {what}: {CHROMIUM} is not installed (apt-get install chromium)");
    true
}
