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
//! One thread accepts connections and never does anything that could fail for good: each
//! connection is handed to a thread of its own (at most [`MAX_HANDLERS`] at once, a 503 past
//! it), which reads the request, answers it and closes the connection. If no thread can be
//! started (the system is out of threads or memory), the accept thread serves the request
//! itself, with a short deadline, rather than dropping it or giving up.
//!
//! Event streams (`/__chronique/events`) take no thread: once its `hello` is sent, a stream is
//! handed to [`Streams`], one thread that writes every event and keep-alive to all of them, and
//! reads from each a few times a second to notice a client that has gone (a read of 0 bytes), so
//! its place is given back at once. Streams have a cap of their own ([`MAX_STREAMS`]; past it the
//! oldest is closed), so no number of open or abandoned streams can keep a page from being
//! served. Nothing here unwraps request data: a bad request is a 4xx, an I/O error a 500, and the
//! loop goes on.

use std::collections::VecDeque;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::inject::{self, Under};
use super::live::{KEEP_ALIVE, Live};
use super::shared::Shared;

/// Connections handled at once (a request being read or answered); past it, 503 until some
/// finish. Event streams do not count once their `hello` is sent.
const MAX_HANDLERS: usize = 512;

/// Event streams open at once. A browser opens one per tab of the site; past this many, the
/// oldest is closed (with a hint to reconnect later), so a new tab always gets live reload.
pub const MAX_STREAMS: usize = 64;

/// How often the streams' thread looks for clients that have gone.
const TICK: Duration = Duration::from_millis(250);

/// How long a client may take to send its request's head, on a thread of its own.
const HEAD_DEADLINE: Duration = Duration::from_secs(10);

/// The same, and the limit on each write, when the accept thread serves a request itself.
const INLINE_DEADLINE: Duration = Duration::from_millis(500);

/// The limit on each write to a client.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest request head read.
const MAX_HEAD: usize = 16 * 1024;

/// Binds the listening socket.
pub fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    TcpListener::bind(addr)
}

/// Serves requests for as long as the process runs: no error, however lasting, ends the loop.
pub fn run(listener: TcpListener, shared: Arc<Shared>) {
    accept_loop(&listener, &Arc::new(Context::new(shared, spawn_thread)));
}

/// Starts work on a thread of its own; fails (giving the work up) when no thread can start.
type Spawner = fn(&'static str, Box<dyn FnOnce() + Send>) -> io::Result<()>;

fn spawn_thread(name: &'static str, work: Box<dyn FnOnce() + Send>) -> io::Result<()> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(work)
        .map(drop)
}

/// What every connection's handler shares.
struct Context {
    shared: Arc<Shared>,
    streams: Arc<Streams>,
    /// Connections being handled.
    handlers: Arc<AtomicUsize>,
    spawn: Spawner,
}

impl Context {
    fn new(shared: Arc<Shared>, spawn: Spawner) -> Context {
        Context {
            shared,
            streams: Arc::default(),
            handlers: Arc::new(AtomicUsize::new(0)),
            spawn,
        }
    }
}

fn accept_loop(listener: &TcpListener, context: &Arc<Context>) {
    let mut backoff = Duration::ZERO;
    loop {
        match listener.accept() {
            Ok((socket, _)) => {
                if !backoff.is_zero() {
                    eprintln!("chronique serve: accepting connections again");
                    backoff = Duration::ZERO;
                }
                dispatch(context, socket);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::Interrupted | io::ErrorKind::ConnectionAborted
                ) => {}
            // Out of file descriptors or memory, most likely: wait for some to be freed, as
            // the connections being served end. The pending connection stays queued.
            Err(e) => {
                if backoff.is_zero() {
                    eprintln!("chronique serve: cannot accept a connection ({e}); retrying");
                }
                backoff = (backoff * 2).clamp(Duration::from_millis(5), Duration::from_secs(1));
                std::thread::sleep(backoff);
            }
        }
    }
}

/// Hands a new connection to a thread of its own, answers 503 when too many are being handled,
/// or serves it on this thread when no thread can be started.
fn dispatch(context: &Arc<Context>, socket: TcpStream) {
    if context.handlers.load(Ordering::Relaxed) >= MAX_HANDLERS {
        busy(socket);
        return;
    }
    let slot = Slot::take(&context.handlers);
    // Where the socket waits for its thread; still there if the thread never started.
    let parked = Arc::new(Mutex::new(Some(socket)));
    let work = {
        let parked = Arc::clone(&parked);
        let context = Arc::clone(context);
        Box::new(move || {
            let _slot = slot;
            if let Some(socket) = take(&parked) {
                connection(&context, socket, HEAD_DEADLINE, WRITE_TIMEOUT);
            }
        })
    };
    // On failure the work is dropped unrun, and its slot given back with it.
    if (context.spawn)("chronique-request", work).is_err()
        && let Some(socket) = take(&parked)
    {
        connection(context, socket, INLINE_DEADLINE, INLINE_DEADLINE);
    }
}

fn take(parked: &Mutex<Option<TcpStream>>) -> Option<TcpStream> {
    parked.lock().unwrap_or_else(PoisonError::into_inner).take()
}

/// Too many connections at once: a short 503, written without waiting for the client.
fn busy(mut socket: TcpStream) {
    let _ = socket.set_write_timeout(Some(Duration::from_millis(100)));
    let reply = Reply::text(503, "too many requests at once; try again").with("Retry-After", "1");
    let _ = write_reply(&mut socket, reply, false);
    let _ = socket.shutdown(Shutdown::Write);
    // Read what the client already sent, so that closing does not reset the connection
    // before it reads the answer.
    if socket.set_nonblocking(true).is_ok() {
        let mut sink = [0u8; 4096];
        while matches!(socket.read(&mut sink), Ok(n) if n > 0) {}
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

/// Reads one request from a connection, answers it and closes the connection.
fn connection(context: &Context, mut socket: TcpStream, deadline: Duration, write: Duration) {
    let _ = socket.set_nodelay(true);
    let _ = socket.set_write_timeout(Some(write));
    let head = match read_head(&mut socket, deadline) {
        Ok(head) => head,
        Err(HeadError::Gone) => return,
        Err(HeadError::TooSlow) => {
            return finish(socket, Reply::text(408, "request timeout"), false);
        }
        Err(HeadError::TooLarge) => {
            return finish(
                socket,
                Reply::text(431, "request header fields too large"),
                false,
            );
        }
        Err(HeadError::Malformed(why)) => {
            return finish(
                socket,
                Reply::text(400, &format!("bad request: {why}")),
                false,
            );
        }
    };
    let incoming = Incoming {
        method: head.method,
        url: &head.url,
        host: head.host.as_deref(),
    };
    let head_only = head.method == Verb::Head;
    match answer(&incoming, context) {
        Answer::Events => events(context, socket, head_only),
        Answer::Reply(reply) => finish(socket, reply, head_only),
    }
}

/// Sends a reply, then closes the connection.
fn finish(mut socket: TcpStream, reply: Reply, head_only: bool) {
    // The client may be gone; nothing to do about it.
    if write_reply(&mut socket, reply, head_only).is_err() {
        return;
    }
    let _ = socket.shutdown(Shutdown::Write);
    // Read until the client closes (briefly), so that a request body left unread does not
    // reset the connection before the client has read the answer.
    let _ = socket.set_read_timeout(Some(Duration::from_millis(200)));
    let mut sink = [0u8; 4096];
    let mut drained = 0;
    while drained < 64 * 1024 {
        match socket.read(&mut sink) {
            Ok(n) if n > 0 => drained += n,
            _ => break,
        }
    }
}

/// The parts of a request head the server uses.
struct Head {
    method: Verb,
    url: String,
    host: Option<String>,
}

#[derive(Debug)]
enum HeadError {
    /// The client closed the connection, or it failed.
    Gone,
    TooSlow,
    TooLarge,
    Malformed(&'static str),
}

/// Reads a request head (up to the blank line) within `deadline`, and parses it.
fn read_head(socket: &mut TcpStream, deadline: Duration) -> Result<Head, HeadError> {
    let until = Instant::now() + deadline;
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        if let Some(end) = head_end(&buffer) {
            return parse_head(&buffer[..end]);
        }
        if buffer.len() >= MAX_HEAD {
            return Err(HeadError::TooLarge);
        }
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HeadError::TooSlow);
        }
        socket
            .set_read_timeout(Some(left))
            .map_err(|_| HeadError::Gone)?;
        match socket.read(&mut chunk) {
            Ok(0) => return Err(HeadError::Gone),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(HeadError::TooSlow);
            }
            Err(_) => return Err(HeadError::Gone),
        }
    }
}

/// Where the head ends: at the first empty line after the request line (CRLF or bare LF line
/// ends; empty lines before the request line are skipped, as RFC 9112 allows).
fn head_end(buffer: &[u8]) -> Option<usize> {
    let mut start = 0;
    let mut begun = false;
    for (i, &b) in buffer.iter().enumerate() {
        if b == b'\n' {
            let line = &buffer[start..i];
            let empty = line.is_empty() || line == b"\r";
            if empty && begun {
                return Some(start);
            }
            begun |= !empty;
            start = i + 1;
        }
    }
    None
}

fn parse_head(head: &[u8]) -> Result<Head, HeadError> {
    let head =
        std::str::from_utf8(head).map_err(|_| HeadError::Malformed("the head is not UTF-8"))?;
    let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    // Blank lines before the request line are tolerated (RFC 9112, 2.2).
    let request_line = lines
        .by_ref()
        .find(|l| !l.is_empty())
        .ok_or(HeadError::Malformed("no request line"))?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(url), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Malformed(
            "the request line is not `METHOD target HTTP/1.1`",
        ));
    };
    if !matches!(version, "HTTP/1.0" | "HTTP/1.1") {
        return Err(HeadError::Malformed(
            "only HTTP/1.0 and HTTP/1.1 are spoken",
        ));
    }
    if method.is_empty() || url.is_empty() {
        return Err(HeadError::Malformed("empty method or target"));
    }
    let method = match method {
        "GET" => Verb::Get,
        "HEAD" => Verb::Head,
        _ => Verb::Other,
    };
    let mut host = None;
    // The head ends with the line break before the blank line: one empty piece, last.
    for line in lines.filter(|l| !l.is_empty()) {
        let Some((name, value)) = line.split_once(':') else {
            return Err(HeadError::Malformed("a header line without a colon"));
        };
        if name.is_empty() || name.trim() != name {
            return Err(HeadError::Malformed("a header name with spaces"));
        }
        if name.eq_ignore_ascii_case("host") {
            if host.is_some() {
                return Err(HeadError::Malformed("more than one Host header"));
            }
            host = Some(value.trim().to_string());
        }
    }
    Ok(Head {
        method,
        url: url.to_string(),
        host,
    })
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
}

/// The reason phrase of a status code.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Writes a whole response, `Connection: close`; the body only if not `head_only`.
fn write_reply(socket: &mut TcpStream, reply: Reply, head_only: bool) -> io::Result<()> {
    let length = match &reply.body {
        Body::Bytes(bytes) => bytes.len() as u64,
        Body::File(file) => file.metadata()?.len(),
    };
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        // Values are ours, but a line break in one would split the head.
        if !value.contains(['\r', '\n']) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str(&format!(
        "Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ));
    let mut out = io::BufWriter::with_capacity(16 * 1024, socket);
    out.write_all(head.as_bytes())?;
    if !head_only {
        match reply.body {
            Body::Bytes(bytes) => out.write_all(&bytes)?,
            Body::File(file) => {
                // No more than announced, even if the file grew meanwhile.
                let sent = io::copy(&mut file.take(length), &mut out)?;
                if sent < length {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the file shrank while it was sent",
                    ));
                }
            }
        }
    }
    out.flush()
}

fn answer(request: &Incoming, context: &Context) -> Answer {
    let shared = &*context.shared;
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
        "/__chronique/status" => Answer::Reply(Reply::text(
            200,
            &format!(
                "event streams: {} (at most {MAX_STREAMS})\nrequests being handled: {} (at most {MAX_HANDLERS})",
                context.streams.len(),
                context.handlers.load(Ordering::Relaxed),
            ),
        )),
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
        "/__chronique/calendar" => Answer::Reply(calendar(shared)),
        _ if path.starts_with("/__chronique/") => Answer::Reply(Reply::text(404, "not found")),
        _ => Answer::Reply(serve_file(path, query, shared)),
    }
}

/// The editorial calendar, made from the settings and content of the last build that read the
/// files, in the site's language.
fn calendar(shared: &Shared) -> Reply {
    let (_, failure) = shared.live.current();
    let site = (shared
        .session
        .lock()
        .unwrap_or_else(PoisonError::into_inner))
    .as_mut()
    .and_then(|session| session.last_content());
    let language = site.as_ref().map_or(shared.language(), |(c, _)| c.language);
    let page = match &failure {
        Some(d) => super::calendar::page(&shared.calendar, language, site, d, true),
        None => {
            let warnings = (shared.last_warnings.lock())
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            super::calendar::page(&shared.calendar, language, site, &warnings, false)
        }
    };
    html(200, page.as_bytes(), Under::LastGoodSite, shared)
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
        Ok(None) => {
            let page = inject::not_found_page(shared.words());
            html(404, &page, Under::LastGoodSite, shared)
        }
        Err(e) => server_error(&e),
    }
}

/// No site on disk at all: the first build failed. The page carries the errors.
fn unbuilt(shared: &Shared) -> Reply {
    html(
        503,
        &inject::unbuilt_page(shared.words()),
        Under::NoSite,
        shared,
    )
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
        shared.words(),
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

/// A Server-Sent Events stream: the head and a `hello` with the current build, written here;
/// then the stream goes to [`Streams`], which sends one event per build and a comment every
/// [`KEEP_ALIVE`], and closes it as soon as the client goes.
fn events(context: &Context, mut socket: TcpStream, head_only: bool) {
    if !head_only && let Err(e) = context.streams.start(context) {
        let reply = Reply::text(
            503,
            &format!("live reload is unavailable for now ({e}); reload the page to try again"),
        );
        return finish(socket, reply, false);
    }
    let (seen, _) = context.shared.live.current();
    let preamble = concat!(
        "HTTP/1.1 200 OK\r\n",
        "Content-Type: text/event-stream; charset=utf-8\r\n",
        "Cache-Control: no-store\r\n",
        "X-Content-Type-Options: nosniff\r\n",
        "Connection: close\r\n\r\n"
    );
    let hello = format!(
        "retry: 1000\nevent: hello\ndata: {}\n\n",
        context.shared.live.build_id(seen)
    );
    if head_only {
        let _ = socket.write_all(preamble.as_bytes());
        return;
    }
    if socket
        .write_all(format!("{preamble}{hello}").as_bytes())
        .is_err()
    {
        return;
    }
    context.streams.add(socket, seen);
}

/// The open event streams, and the one thread that tends them all.
#[derive(Default)]
struct Streams {
    state: Mutex<StreamsState>,
}

#[derive(Default)]
struct StreamsState {
    /// Oldest first.
    open: VecDeque<Stream>,
    /// Whether the thread that tends them runs (it runs for good once started).
    running: bool,
}

struct Stream {
    socket: TcpStream,
    /// The last build this client was told about.
    seen: u64,
    /// When something was last written to it.
    written: Instant,
}

impl Stream {
    /// Sends what the client has not heard of yet, or a keep-alive comment when due; whether
    /// the client is still there.
    fn tend(&mut self, live: &Live, generation: u64, now: Instant) -> bool {
        let message = if self.seen < generation {
            live.wait_newer(self.seen, Duration::ZERO)
                .map(|(newer, refresh)| {
                    self.seen = newer;
                    format!(
                        "event: {}\ndata: {}\n\n",
                        refresh.event(),
                        live.build_id(newer)
                    )
                })
        } else if now.duration_since(self.written) >= KEEP_ALIVE {
            Some(":\n\n".to_string())
        } else {
            None
        };
        if let Some(message) = message {
            // Non-blocking: a client that has not read what came before is as good as gone.
            if self.socket.write_all(message.as_bytes()).is_err() {
                return false;
            }
            self.written = now;
        }
        // A closed connection reads as 0 bytes; a live one has nothing to say (would block).
        let mut sink = [0u8; 512];
        match self.socket.read(&mut sink) {
            Ok(0) => false,
            Ok(_) => true,
            Err(e) => matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
            ),
        }
    }
}

impl Streams {
    fn lock(&self) -> MutexGuard<'_, StreamsState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn len(&self) -> usize {
        self.lock().open.len()
    }

    /// Starts the thread that tends the streams, unless it runs already.
    fn start(self: &Arc<Streams>, context: &Context) -> io::Result<()> {
        let mut state = self.lock();
        if state.running {
            return Ok(());
        }
        let shared = Arc::clone(&context.shared);
        let streams = Arc::clone(self);
        (context.spawn)(
            "chronique-events",
            Box::new(move || streams.tend(&shared.live)),
        )?;
        state.running = true;
        Ok(())
    }

    /// The streams' thread: wakes at each build and every [`TICK`], sends each stream what it
    /// has not heard yet (or a keep-alive comment), and drops the clients that have gone.
    fn tend(&self, live: &Live) {
        let (mut generation, _) = live.current();
        loop {
            if let Some((newer, _)) = live.wait_newer(generation, TICK) {
                generation = newer;
            }
            let now = Instant::now();
            self.lock()
                .open
                .retain_mut(|stream| stream.tend(live, generation, now));
        }
    }

    /// Takes over a stream whose `hello` has been sent; past [`MAX_STREAMS`], closes the oldest.
    fn add(&self, socket: TcpStream, seen: u64) {
        // From now on only non-blocking writes: a client that stops reading is dropped, never
        // waited for.
        if socket.set_nonblocking(true).is_err() {
            return;
        }
        let mut state = self.lock();
        while state.open.len() >= MAX_STREAMS {
            if let Some(mut oldest) = state.open.pop_front() {
                // Ask it to come back later rather than at once, which would close another.
                let _ = oldest.socket.write_all(
                    b": too many open event streams; this one is closed\nretry: 10000\n\n",
                );
                let _ = oldest.socket.shutdown(Shutdown::Both);
            }
        }
        state.open.push_back(Stream {
            socket,
            seen,
            written: Instant::now(),
        });
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    /// A server on a loopback port over a serve folder of two files, whose threads come from
    /// `spawn`; runs until the test process ends.
    fn serve_with(spawn: Spawner) -> (tempfile::TempDir, SocketAddr) {
        let dir = tempfile::tempdir().expect("temporary folder");
        let output = dir.path().join("out");
        fs::create_dir_all(&output).expect("folder");
        fs::write(
            output.join("index.html"),
            "<html><body>accueil</body></html>",
        )
        .expect("file");
        fs::write(output.join("a.txt"), "un fichier\n").expect("file");
        let listener = bind("127.0.0.1:0".parse().expect("address")).expect("a free port");
        let addr = listener.local_addr().expect("bound");
        let calendar = super::super::calendar::CalendarSettings {
            drafts: false,
            fixed_now: None,
        };
        let shared = Arc::new(Shared::new(output, addr, calendar));
        let context = Arc::new(Context::new(shared, spawn));
        std::thread::spawn(move || accept_loop(&listener, &context));
        (dir, addr)
    }

    /// No thread can be started, as under thread exhaustion (`EAGAIN` from `pthread_create`).
    fn no_threads(_: &'static str, _: Box<dyn FnOnce() + Send>) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::WouldBlock,
            "Resource temporarily unavailable (injected)",
        ))
    }

    /// Only the event streams' thread can be started.
    fn events_thread_only(name: &'static str, work: Box<dyn FnOnce() + Send>) -> io::Result<()> {
        if name == "chronique-events" {
            spawn_thread(name, work)
        } else {
            no_threads(name, work)
        }
    }

    /// Sends `raw`, returns the whole answer (the server closes every connection).
    fn ask(addr: SocketAddr, raw: &str) -> String {
        let mut socket = TcpStream::connect(addr).expect("connects");
        socket
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        socket.write_all(raw.as_bytes()).expect("sent");
        let mut answer = Vec::new();
        let _ = socket.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    }

    fn get(addr: SocketAddr, path: &str) -> String {
        ask(
            addr,
            &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
        )
    }

    /// Issue 19, cause 19: under thread exhaustion the accept thread panicked (tiny_http's
    /// `thread::spawn`) and the port stopped accepting. Now a request that gets no thread is
    /// served on the accept thread, and the loop goes on.
    #[test]
    fn without_threads_the_accept_thread_serves_requests_itself() {
        let (_dir, addr) = serve_with(no_threads);
        for _ in 0..20 {
            let page = get(addr, "/a.txt");
            assert!(page.starts_with("HTTP/1.1 200 OK\r\n"), "{page}");
            assert!(page.ends_with("\r\n\r\nun fichier\n"), "{page}");
        }
        let home = get(addr, "/");
        assert!(home.starts_with("HTTP/1.1 200 OK\r\n"), "{home}");
        assert!(
            home.contains("accueil<script src=\"/__chronique/live.js\""),
            "{home}"
        );
        assert!(get(addr, "/nulle-part").starts_with("HTTP/1.1 404 "));
        assert!(get(addr, "/../a.txt").starts_with("HTTP/1.1 400 "));
        // Live reload needs its thread: refused, with a reason, and pages go on.
        let events = get(addr, "/__chronique/events");
        assert!(events.starts_with("HTTP/1.1 503 "), "{events}");
        assert!(events.contains("live reload is unavailable"), "{events}");
        assert!(get(addr, "/a.txt").starts_with("HTTP/1.1 200 OK\r\n"));
    }

    /// A client that connects and says nothing holds the accept thread for a short deadline
    /// only, when it is the one serving.
    #[test]
    fn without_threads_a_silent_client_only_delays_the_next() {
        let (_dir, addr) = serve_with(no_threads);
        let mut silent = TcpStream::connect(addr).expect("connects");
        let page = get(addr, "/a.txt");
        assert!(page.starts_with("HTTP/1.1 200 OK\r\n"), "{page}");
        silent
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        let mut answer = String::new();
        let _ = silent.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    }

    /// Event streams need no thread of their own: with only the streams' thread, a stream
    /// still gets its hello and its events, and pages are still served.
    #[test]
    fn streams_live_on_one_thread() {
        let (_dir, addr) = serve_with(events_thread_only);
        let mut stream = TcpStream::connect(addr).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        stream
            .write_all(
                format!("GET /__chronique/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes(),
            )
            .expect("sent");
        let mut seen = Vec::new();
        let mut chunk = [0u8; 1024];
        while !String::from_utf8_lossy(&seen).contains("event: hello") {
            let n = stream.read(&mut chunk).expect("a hello");
            assert!(n > 0, "closed: {}", String::from_utf8_lossy(&seen));
            seen.extend_from_slice(&chunk[..n]);
        }
        assert!(String::from_utf8_lossy(&seen).starts_with("HTTP/1.1 200 OK\r\n"));
        let status = get(addr, "/__chronique/status");
        assert!(status.contains("event streams: 1 "), "{status}");
        assert!(get(addr, "/a.txt").starts_with("HTTP/1.1 200 OK\r\n"));
        drop(stream);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !get(addr, "/__chronique/status").contains("event streams: 0 ") {
            assert!(Instant::now() < deadline, "the closed stream is still held");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn request_heads_are_parsed_strictly() {
        let parse = |raw: &str| {
            let bytes = raw.as_bytes();
            let end = head_end(bytes).expect("a complete head");
            parse_head(&bytes[..end])
        };
        let head =
            parse("GET /a?b HTTP/1.1\r\nhOsT:  localhost:1 \r\nX: y\r\n\r\nbody").expect("a head");
        assert_eq!(head.method, Verb::Get);
        assert_eq!(head.url, "/a?b");
        assert_eq!(head.host.as_deref(), Some("localhost:1"));
        let bare = parse("\r\nHEAD / HTTP/1.0\n\n").expect("a head");
        assert_eq!(bare.method, Verb::Head);
        assert_eq!(bare.host, None);
        assert_eq!(
            parse("DELETE / HTTP/1.1\r\n\r\n").ok().map(|h| h.method),
            Some(Verb::Other)
        );
        for bad in [
            "GET / HTTP/2\r\n\r\n",
            "GET /\r\n\r\n",
            "GET  / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1 x\r\n\r\n",
            "GET / HTTP/1.1\r\nno colon\r\n\r\n",
            "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        assert!(parse_head(b"GET /\xff HTTP/1.1\r\n").is_err());
        assert!(head_end(b"GET / HTTP/1.1\r\nHost: a\r\n").is_none());
    }

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
