//! The search page in a real browser: headless Chromium loads `/recherche/?q=…` from the built
//! `readers/column` fixture, served over HTTP (the script fetches the index, so `file://` would
//! not do), and the test reads the results the script wrote into the page.
//!
//! The page takes its query from `?q=` (the search form submits there, and the script fills the
//! box and searches on load), so `--dump-dom` after a `--virtual-time-budget` shows the results
//! without driving the keyboard. Queries with and without accents, in capitals, in the plural,
//! with two words, and one that only unpublished posts contain.
//!
//! Skips, with a message, when `/usr/bin/chromium` is absent.

mod common;

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Site, attrs, norm, texts};
use scraper::Html;

const CHROMIUM: &str = "/usr/bin/chromium";

/// How long one page load may take, Chromium's start-up included.
const PAGE_TIMEOUT: Duration = Duration::from_secs(60);

/// A static file server over an output folder, on a free port; stopped when dropped.
struct StaticServer {
    http: Arc<tiny_http::Server>,
    addr: std::net::SocketAddr,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StaticServer {
    fn start(root: PathBuf) -> StaticServer {
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
fn dump_dom(url: &str) -> String {
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
    assert!(
        status.is_some(),
        "chromium did not finish loading {url} in {PAGE_TIMEOUT:?}"
    );
    dom
}

/// What the search page shows for a query: the status line, the result titles and links.
struct Results {
    status: String,
    titles: Vec<String>,
    links: Vec<String>,
}

fn search(server: &StaticServer, query: &str) -> Results {
    let encoded: String = query
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_string(),
            b => format!("%{b:02X}"),
        })
        .collect();
    let url = format!("http://{}/recherche/?q={encoded}", server.addr);
    let dom = dump_dom(&url);
    let page = Html::parse_document(&dom);
    assert_eq!(
        texts(&page, "main h1"),
        ["Recherche"],
        "not the search page: {dom}"
    );
    Results {
        status: texts(&page, ".search-status")
            .first()
            .map(|s| norm(s))
            .unwrap_or_default(),
        titles: texts(&page, ".search-list .search-result-title")
            .iter()
            .map(|t| norm(t))
            .collect(),
        links: attrs(&page, ".search-list .search-result-title a", "href"),
    }
}

#[test]
fn the_search_page_finds_posts_in_a_real_browser_with_accents_folded() {
    if !Path::new(CHROMIUM).exists() {
        eprintln!(
            "SKIPPED the browser search test: {CHROMIUM} is not installed (apt-get install chromium)"
        );
        return;
    }
    let site = Site::fixture("readers/column");
    site.build(&[]).success();
    let server = StaticServer::start(site.public());

    // Plain: both published posts about refunds, newest first; not the draft that also is.
    let r = search(&server, "remboursement");
    assert_eq!(
        r.titles,
        ["Analyse à quatre mains", "Échéance dépassée"],
        "{}",
        r.status
    );
    assert_eq!(r.links, ["/articles/analyse/", "/breves/echeance/"]);
    assert_eq!(r.status, "2 billets");

    // Without accents, "echeance" finds "Échéance" (a title match first, then the body one).
    let r = search(&server, "echeance");
    assert_eq!(r.titles, ["Échéance dépassée", "Analyse à quatre mains"]);

    // In capitals, with accents and in the plural: the same.
    let r = search(&server, "ÉCHÉANCES");
    assert_eq!(r.titles, ["Échéance dépassée", "Analyse à quatre mains"]);

    // Plural tolerance both ways: "réclamation" in one post, "réclamations" in the other.
    let r = search(&server, "reclamations");
    assert_eq!(r.titles, ["Vingt minutes de musique", "Échéance dépassée"]);

    // Every word must match.
    let r = search(&server, "remboursement attente");
    assert_eq!(r.titles, ["Analyse à quatre mains"]);
    assert_eq!(r.status, "1 billet");

    // A word only the draft and the scheduled post contain finds nothing.
    let r = search(&server, "zanzibar");
    assert!(r.titles.is_empty(), "{:?}", r.titles);
    assert_eq!(r.status, "Aucun billet ne correspond à votre recherche.");
}
