//! The HTTP side of `chronique serve`: the files of the serve folder, and nothing outside it.
//!
//! A dev server runs next to everything else on the author's machine, so it is strict:
//!
//! - It answers only requests whose `Host` is a loopback name or the bound address (a page on
//!   another site cannot reach it through DNS rebinding), only `GET` and `HEAD`, and sends no
//!   CORS header.
//! - A URL path is percent-decoded exactly once. Encoded separators (`%2f`, `%5c`), backslashes,
//!   NUL and `..` segments are refused outright; `%252e%252e` decodes to the literal text
//!   `%2e%2e`, a name like any other. The file found is then canonicalized and must lie inside
//!   the canonicalized serve folder, compared component by component (`public-leak` is not
//!   inside `public`), so a symlink pointing elsewhere is refused too.
//!
//! tiny_http hands requests to one loop; each request gets a thread of its own, so the
//! long-lived event streams (`/__chronique/events`, one blocked thread each) never hold up a
//! page. Nothing here unwraps request data: a bad request is a 4xx, an I/O error a 500, and the
//! loop goes on.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError};

use tiny_http::{Header, Method, Request, Response};

use super::inject::{self, Under};
use super::live::KEEP_ALIVE;
use super::shared::Shared;

/// Requests handled at once (event streams included); past it, 503 until some finish.
const MAX_HANDLERS: usize = 512;

/// Serves requests until the listener closes.
pub fn run(http: tiny_http::Server, shared: Arc<Shared>) {
    let active = Arc::new(AtomicUsize::new(0));
    for request in http.incoming_requests() {
        if active.load(Ordering::Relaxed) >= MAX_HANDLERS {
            let _ = request
                .respond(Reply::text(503, "too many requests at once; try again").into_response());
            continue;
        }
        let slot = Slot::take(&active);
        let shared = Arc::clone(&shared);
        // If the thread cannot start, the closure is dropped: the slot is given back and
        // tiny_http answers the dropped request with a 500.
        let _ = std::thread::Builder::new()
            .name("chronique-request".into())
            .spawn(move || {
                let _slot = slot;
                handle(request, &shared);
            });
    }
}

/// One counted handler; gives its place back when dropped.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(active: &Arc<AtomicUsize>) -> Slot {
        active.fetch_add(1, Ordering::Relaxed);
        Slot(Arc::clone(active))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

fn handle(request: Request, shared: &Shared) {
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string());
    let method = match request.method() {
        Method::Get => Verb::Get,
        Method::Head => Verb::Head,
        _ => Verb::Other,
    };
    let incoming = Incoming {
        method,
        url: request.url(),
        host: host.as_deref(),
    };
    match answer(&incoming, shared) {
        Answer::Events => events(request, method == Verb::Head, shared),
        Answer::Reply(reply) => {
            // The client may be gone; nothing to do about it.
            let _ = request.respond(reply.into_response());
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Get,
    Head,
    Other,
}

/// The parts of a request that decide the answer.
struct Incoming<'a> {
    method: Verb,
    /// The request target as sent: path and query, still percent-encoded.
    url: &'a str,
    host: Option<&'a str>,
}

enum Answer {
    Reply(Reply),
    /// A Server-Sent Events stream.
    Events,
}

enum Body {
    Bytes(Vec<u8>),
    File(File),
}

/// A complete response.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Body,
}

impl Reply {
    fn new(status: u16, content_type: &str, body: Body) -> Reply {
        Reply {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("X-Content-Type-Options", "nosniff".into()),
            ],
            body,
        }
    }

    fn text(status: u16, text: &str) -> Reply {
        Reply::new(
            status,
            "text/plain; charset=utf-8",
            Body::Bytes(format!("{text}\n").into_bytes()),
        )
        .with("Cache-Control", "no-store")
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }

    fn into_response(self) -> tiny_http::ResponseBox {
        let mut response = match self.body {
            Body::Bytes(bytes) => Response::from_data(bytes).boxed(),
            Body::File(file) => Response::from_file(file).boxed(),
        }
        .with_status_code(self.status);
        for (name, value) in self.headers {
            if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                response.add_header(header);
            }
        }
        response
    }
}

fn answer(request: &Incoming, shared: &Shared) -> Answer {
    if !host_allowed(request.host, shared.bound) {
        return Answer::Reply(Reply::text(
            403,
            "forbidden: chronique serve answers only to localhost, 127.0.0.1, [::1] or the address it listens on",
        ));
    }
    if request.method == Verb::Other {
        return Answer::Reply(
            Reply::text(405, "method not allowed: only GET and HEAD").with("Allow", "GET, HEAD"),
        );
    }
    let target = request.url.split('#').next().unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if !path.starts_with('/') {
        return Answer::Reply(Reply::text(400, "bad request: the path must start with /"));
    }
    match path {
        "/__chronique/events" => Answer::Events,
        inject::SCRIPT_URL => Answer::Reply(
            Reply::new(
                200,
                "text/javascript; charset=utf-8",
                Body::Bytes(inject::SCRIPT.as_bytes().to_vec()),
            )
            .with("Cache-Control", "no-store"),
        ),
        "/__chronique/probe" => {
            shared.live.record_probe(query);
            Answer::Reply(Reply::text(200, "recorded"))
        }
        "/__chronique/probes" => {
            let mut list = shared.live.probes().join("\n");
            list.push('\n');
            Answer::Reply(
                Reply::new(
                    200,
                    "text/plain; charset=utf-8",
                    Body::Bytes(list.into_bytes()),
                )
                .with("Cache-Control", "no-store"),
            )
        }
        "/__chronique/calendar" => {
            let (_, failure) = shared.live.current();
            let site = (shared
                .session
                .lock()
                .unwrap_or_else(PoisonError::into_inner))
            .as_mut()
            .and_then(|session| session.last_content());
            let page = match &failure {
                Some(d) => super::calendar::page(&shared.calendar, site, d, true),
                None => {
                    let warnings = shared
                        .last_warnings
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .clone();
                    super::calendar::page(&shared.calendar, site, &warnings, false)
                }
            };
            Answer::Reply(html(200, page.as_bytes(), Under::LastGoodSite, shared))
        }
        _ if path.starts_with("/__chronique/") => Answer::Reply(Reply::text(404, "not found")),
        _ => Answer::Reply(serve_file(path, query, shared)),
    }
}

/// A file of the serve folder, the folder's `index.html`, a redirect, or the 404 page.
fn serve_file(path: &str, query: &str, shared: &Shared) -> Reply {
    let segments = match url_to_segments(path) {
        Ok(segments) => segments,
        Err(why) => return Reply::text(400, &format!("bad request: {why}")),
    };
    let reading = shared.swap.read().unwrap_or_else(PoisonError::into_inner);
    let Ok(root) = fs::canonicalize(&shared.output) else {
        drop(reading);
        return unbuilt(shared);
    };
    let mut target = root.clone();
    target.extend(&segments);
    let wants_folder = path.ends_with('/');
    match fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => {
            if !wants_folder {
                let location = if query.is_empty() {
                    format!("{path}/")
                } else {
                    format!("{path}/?{query}")
                };
                return Reply::text(301, "moved: the address ends with /")
                    .with("Location", location);
            }
            target.push("index.html");
        }
        Ok(_) if wants_folder && !segments.is_empty() => return not_found(&root, shared),
        Ok(_) => {}
        Err(e) if is_absent(&e) => return not_found(&root, shared),
        Err(e) => return server_error(&e),
    }
    let opened = open_inside(&root, &target);
    drop(reading);
    match opened {
        Ok(Some((file, found))) => send(200, file, &found, shared),
        Ok(None) => {
            let reading = shared.swap.read().unwrap_or_else(PoisonError::into_inner);
            let reply = not_found(&root, shared);
            drop(reading);
            reply
        }
        Err(e) => server_error(&e),
    }
}

/// The site's `404.html` with status 404, or a plain page if it has none.
fn not_found(root: &Path, shared: &Shared) -> Reply {
    match open_inside(root, &root.join("404.html")) {
        Ok(Some((file, found))) => send(404, file, &found, shared),
        Ok(None) => html(404, &inject::not_found_page(), Under::LastGoodSite, shared),
        Err(e) => server_error(&e),
    }
}

/// No site on disk at all: the first build failed. The page carries the errors.
fn unbuilt(shared: &Shared) -> Reply {
    html(503, &inject::unbuilt_page(), Under::NoSite, shared)
}

fn server_error(e: &io::Error) -> Reply {
    Reply::text(500, &format!("internal error: {e}"))
}

/// Sends an opened file: HTML gets the script (and overlay), other files go out as they are.
fn send(status: u16, mut file: File, path: &Path, shared: &Shared) -> Reply {
    let content_type = content_type(path);
    if content_type.starts_with("text/html") {
        let mut bytes = Vec::new();
        if let Err(e) = file.read_to_end(&mut bytes) {
            return server_error(&e);
        }
        html(status, &bytes, Under::LastGoodSite, shared)
    } else {
        Reply::new(status, content_type, Body::File(file)).with("Cache-Control", "no-cache")
    }
}

/// An HTML page as served: with the reload script and, after a failed build, the overlay.
fn html(status: u16, page: &[u8], under: Under, shared: &Shared) -> Reply {
    let (generation, failure) = shared.live.current();
    let body = inject::inject(
        page,
        &shared.live.build_id(generation),
        failure.as_deref(),
        under,
    );
    Reply::new(status, "text/html; charset=utf-8", Body::Bytes(body))
        .with("Cache-Control", "no-store")
}

/// Opens `target` if, symlinks resolved, it is a file inside `root` (already canonical).
/// `None` for anything absent, outside or not a file.
fn open_inside(root: &Path, target: &Path) -> io::Result<Option<(File, PathBuf)>> {
    let real = match fs::canonicalize(target) {
        Ok(real) => real,
        Err(e) if is_absent(&e) => return Ok(None),
        Err(e) => return Err(e),
    };
    // Path::starts_with compares whole components.
    if !real.starts_with(root) || !real.is_file() {
        return Ok(None);
    }
    match File::open(&real) {
        Ok(file) => Ok(Some((file, real))),
        Err(e) if is_absent(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

fn is_absent(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory | io::ErrorKind::InvalidFilename
    )
}

/// The path of a URL as file names under the serve folder, decoded once; refuses anything that
/// could name a file elsewhere.
pub fn url_to_segments(path: &str) -> Result<Vec<String>, &'static str> {
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") {
        return Err("encoded path separators are not allowed");
    }
    let decoded = percent_decode(path).ok_or("malformed percent-encoding")?;
    if decoded.contains(&0) {
        return Err("NUL in the path");
    }
    if decoded.contains(&b'\\') {
        return Err("backslash in the path");
    }
    let decoded = String::from_utf8(decoded).map_err(|_| "the path is not UTF-8")?;
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err("`..` in the path"),
            name => {
                let mut components = Path::new(name).components();
                match (components.next(), components.next()) {
                    (Some(Component::Normal(_)), None) => segments.push(name.to_string()),
                    _ => return Err("unusual path segment"),
                }
            }
        }
    }
    Ok(segments)
}

/// Decodes `%XX` escapes once; `None` on a malformed escape.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Whether a `Host` header names this server: a loopback name or address, or the address it is
/// bound to (any address literal when bound to all interfaces). A domain name that merely
/// resolves here is refused: that is what a DNS-rebinding page would send. The port is not
/// compared, so an SSH tunnel on another local port still works.
pub fn host_allowed(host: Option<&str>, bound: SocketAddr) -> bool {
    let Some(host) = host.map(str::trim) else {
        return false;
    };
    let is_port = |p: &str| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit());
    let name = if let Some(rest) = host.strip_prefix('[') {
        let Some((inside, after)) = rest.split_once(']') else {
            return false;
        };
        if !(after.is_empty() || after.strip_prefix(':').is_some_and(is_port)) {
            return false;
        }
        inside
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if is_port(port) => name,
            Some(_) => return false,
            None => host,
        }
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == bound.ip() || bound.ip().is_unspecified(),
        Err(_) => false,
    }
}

/// The Content-Type of a served file, from its extension.
pub fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "rss" => "application/rss+xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" | "md" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

/// A Server-Sent Events stream: `hello` with the current build, then one event per build, and
/// a comment every [`KEEP_ALIVE`] so a vanished client is noticed.
fn events(request: Request, head_only: bool, shared: &Shared) {
    let mut out = request.into_writer();
    let (mut seen, _) = shared.live.current();
    let preamble = concat!(
        "HTTP/1.1 200 OK\r\n",
        "Content-Type: text/event-stream; charset=utf-8\r\n",
        "Cache-Control: no-store\r\n",
        "X-Content-Type-Options: nosniff\r\n",
        "Connection: close\r\n\r\n"
    );
    if out.write_all(preamble.as_bytes()).is_err() || head_only {
        let _ = out.flush();
        return;
    }
    let hello = format!(
        "retry: 1000\nevent: hello\ndata: {}\n\n",
        shared.live.build_id(seen)
    );
    let mut message = hello;
    loop {
        if out
            .write_all(message.as_bytes())
            .and_then(|()| out.flush())
            .is_err()
        {
            return;
        }
        message = match shared.live.wait_newer(seen, KEEP_ALIVE) {
            Some((generation, refresh)) => {
                seen = generation;
                format!(
                    "event: {}\ndata: {}\n\n",
                    refresh.event(),
                    shared.live.build_id(generation)
                )
            }
            None => ":\n\n".to_string(),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_decoded_once_and_never_climb() {
        assert_eq!(url_to_segments("/"), Ok(vec![]));
        assert_eq!(
            url_to_segments("/breves/la%20punition/"),
            Ok(vec!["breves".to_string(), "la punition".to_string()])
        );
        assert_eq!(
            url_to_segments("/caf%C3%A9/./x"),
            Ok(vec!["café".to_string(), "x".to_string()])
        );
        // Decoded once: the literal text `%2e%2e`, a harmless name.
        assert_eq!(
            url_to_segments("/%252e%252e/"),
            Ok(vec!["%2e%2e".to_string()])
        );
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/",
            "/%2E%2E/site.toml",
            "/..%2f",
            "/..%2F",
            "/..%5c",
            "/%2e%2e%2fsite.toml",
            "/a/..",
            "/a\\b",
            "/a%00b",
            "/%zz",
            "/%e9",
            "/x%",
        ] {
            assert!(url_to_segments(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_local_hosts_are_answered() {
        let loopback: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        for good in [
            "localhost",
            "localhost:1111",
            "LOCALHOST.:8080",
            "127.0.0.1:1111",
            "127.0.0.2",
            "[::1]:1111",
            "[::1]",
            "site.localhost:1111",
        ] {
            assert!(host_allowed(Some(good), loopback), "{good}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "192.168.1.10:1111",
            "[::1]x",
            "localhost:abc",
            "",
        ] {
            assert!(!host_allowed(Some(bad), loopback), "{bad}");
        }
        assert!(!host_allowed(None, loopback));
        let everywhere: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert!(host_allowed(Some("192.168.1.10:1111"), everywhere));
        assert!(!host_allowed(Some("evil.example:1111"), everywhere));
    }

    #[test]
    fn content_types_follow_extensions() {
        assert_eq!(
            content_type(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("x.CSS")), "text/css; charset=utf-8");
        assert_eq!(content_type(Path::new("f.woff2")), "font/woff2");
        assert_eq!(content_type(Path::new("noext")), "application/octet-stream");
    }
}
