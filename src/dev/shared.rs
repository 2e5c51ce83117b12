//! What the parts of the dev server share: the state the HTTP handlers and the rebuild loop
//! both hold, and the errors that stop the server.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use super::{calendar, live};

/// Why the server could not start or had to stop.
#[derive(Debug)]
pub enum ServeError {
    /// The address is taken, or not ours to bind.
    Bind { addr: SocketAddr, reason: String },
    /// The site's folder cannot be resolved.
    Root { root: PathBuf, reason: String },
    /// The file watcher could not start (the message says what to do).
    Watch(String),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::Bind { addr, reason } => write!(
                f,
                "cannot listen on {addr}: {reason}; choose another port with --port (0 picks a free one)"
            ),
            ServeError::Root { root, reason } => {
                write!(
                    f,
                    "cannot use {} as the site folder: {reason}",
                    root.display()
                )
            }
            ServeError::Watch(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ServeError {}

/// What the HTTP handlers and the rebuild loop share.
pub(crate) struct Shared {
    /// Where the site is built and served from.
    pub output: PathBuf,
    /// The address actually bound (Host checks compare against it).
    pub bound: SocketAddr,
    pub live: live::Live,
    /// Held for writing while a build changes the output (its swap, or pages written in place:
    /// never while it renders), for reading while a file is opened, so a request never falls
    /// between the old site and the new one.
    pub swap: std::sync::Arc<std::sync::RwLock<()>>,
    /// What the editorial calendar needs to read the site.
    pub calendar: calendar::CalendarSettings,
    /// The build session, made at the first build: the rebuild loop builds through it, and the
    /// calendar reads the last build's content from it (waiting while a rebuild runs).
    pub session: std::sync::Mutex<Option<crate::Session>>,
    /// The warnings of the last successful build, for the calendar.
    pub last_warnings: std::sync::Mutex<crate::Diagnostics>,
}
