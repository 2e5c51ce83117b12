//! `chronique serve`: the author's preview, rebuilt and reloaded on every save.
//!
//! Writing a post is a loop of "save, look, fix"; this module makes the "look" free. It builds
//! the site with the ordinary pipeline (a [`crate::Session`], which remembers the last build)
//! into a folder of its own
//! (`<root>/.chronique-serve/`, so `public/` is never touched), serves that folder over HTTP on a
//! loopback address, watches the sources and rebuilds when they change, then tells every open
//! page to reload through Server-Sent Events on the same port.
//!
//! ```text
//! watch.rs    notify events -> Change (relevant paths only, editors' litter dropped)
//! rebuild.rs  Change -> a rebuild of what changed; publishes success or the errors to Live
//! live.rs     the current build and its errors, and the condvar event streams wait on
//! server.rs   HTTP: files of the output folder, never outside it; /__chronique/*
//! calendar.rs /__chronique/calendar: drafts, scheduled posts, series to write, warnings
//! inject.rs   the reload script and the error overlay, added to served HTML only
//! wording.rs  the words of the overlay, the calendar and the stand-in pages, French or English
//! ```
//!
//! A failed rebuild never stops the server: the last good site stays on disk (the output stage
//! swaps folders only on success) and every served page carries an overlay listing the errors
//! until the next good build. Ctrl-C stops the server; a build under way removes its staging
//! folder, or finishes a swap already begun (`pipeline`'s signal handling), so nothing is ever
//! left half-written.

mod calendar;
mod inject;
mod live;
mod rebuild;
mod server;
mod shared;
mod watch;
mod wording;

/// How the dev server turns a request path into file names under the serve folder; public
/// only so that the fuzz target (`fuzz/fuzz_targets/url_to_path.rs`) can reach it.
pub use server::url_to_segments;
pub use shared::ServeError;
use shared::Shared;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The folder, under the site's root, that `serve` builds into.
pub const SERVE_DIR: &str = ".chronique-serve";

/// What `chronique serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 lets the system choose; the address actually bound is printed.
    pub port: u16,
    pub drafts: bool,
    /// `SOURCE_DATE_EPOCH`: a fixed "now"; otherwise each rebuild uses the clock.
    pub fixed_now: Option<jiff::Timestamp>,
    /// Open the site in a browser once it is served.
    pub open: bool,
    /// Watch by polling instead of the system's notifications (network folders, inotify limits).
    pub poll: bool,
    /// Print only the address, errors and warnings.
    pub quiet: bool,
    /// After each rebuild, print the time each stage took.
    pub timings: bool,
}

/// How long the watcher waits for a burst of saves to end before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(75);

/// Builds, serves and rebuilds until the process is stopped. Returns only on a startup failure
/// or if the watcher dies.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let root = crate::output::absolute(&options.root).map_err(|e| ServeError::Root {
        root: options.root.clone(),
        reason: e.to_string(),
    })?;
    if !root.is_dir() {
        return Err(ServeError::Root {
            root,
            reason: "it is not a folder".into(),
        });
    }
    // A wrong --root is a mistake to say at once, not a server showing "no site.toml".
    if !root.join(crate::layout::SITE_FILE).is_file() {
        return Err(ServeError::Root {
            root,
            reason: "it has no site.toml (is --root the site's folder?)".into(),
        });
    }
    let output = root.join(SERVE_DIR);

    let wanted = SocketAddr::new(options.bind, options.port);
    let http = server::bind(wanted).map_err(|e| ServeError::Bind {
        addr: wanted,
        reason: e.to_string(),
    })?;
    let bound = http.local_addr().unwrap_or(wanted);
    let url = format!("http://{}/", browsable(bound));
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {bound}: anyone who can reach this machine can read the site, drafts included; the default --bind 127.0.0.1 keeps it to you"
        );
    }

    // Watch before the first build, so that a save during it is not lost.
    let mut watcher = watch::Watcher::start(&root, options.poll, DEBOUNCE)?;

    let calendar = calendar::CalendarSettings {
        drafts: options.drafts,
        fixed_now: options.fixed_now,
    };
    let shared = Arc::new(Shared::new(output.clone(), bound, calendar));
    let builder = rebuild::Builder {
        root: root.clone(),
        output,
        base_url: url.clone(),
        drafts: options.drafts,
        fixed_now: options.fixed_now,
        quiet: options.quiet,
        timings: options.timings,
        shared: Arc::clone(&shared),
    };
    builder.first_build();

    let server_state = Arc::clone(&shared);
    std::thread::Builder::new()
        .name("chronique-http".into())
        .spawn(move || server::run(http, server_state))
        .map_err(|e| ServeError::Bind {
            addr: bound,
            reason: format!("cannot start the server thread: {e}"),
        })?;

    println!(
        "serving {url} from {}/ (Ctrl-C to stop)",
        crate::diagnostics::display_path(std::path::Path::new(SERVE_DIR))
    );
    if !options.quiet {
        println!("editorial calendar: {url}__chronique/calendar");
    }
    if options.open {
        open_browser(&url);
    }
    builder.watch_forever(&mut watcher)
}

/// The address to print and to put in links: an unspecified bind (0.0.0.0, ::) is reached
/// through loopback on this machine.
fn browsable(bound: SocketAddr) -> SocketAddr {
    match bound.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), bound.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V6(std::net::Ipv6Addr::LOCALHOST), bound.port())
        }
        _ => bound,
    }
}

/// `--open`: best effort; a machine without `xdg-open` just does not open a browser.
fn open_browser(url: &str) {
    let child = std::process::Command::new("xdg-open")
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Ok(mut child) = child {
        // Reap it so it does not linger as a zombie.
        let _ = std::thread::Builder::new()
            .name("xdg-open".into())
            .spawn(move || child.wait());
    }
}
