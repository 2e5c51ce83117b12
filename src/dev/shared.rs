//! What the parts of the dev server share: the state the HTTP handlers and the rebuild loop
//! both hold, and the errors that stop the server.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use super::wording::{Words, words};
use super::{calendar, live};
use crate::language::Language;

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
    /// The site's language, as the last build that could read site.toml found it (French, the
    /// column's first language, until one could): the overlay and the server's pages use it.
    pub language: std::sync::Mutex<Language>,
}

impl Shared {
    /// Before the first build: no site yet, no session, French until site.toml says otherwise.
    pub fn new(output: PathBuf, bound: SocketAddr, calendar: calendar::CalendarSettings) -> Shared {
        Shared {
            output,
            bound,
            live: live::Live::new(),
            swap: Default::default(),
            calendar,
            session: Default::default(),
            last_warnings: Default::default(),
            language: Default::default(),
        }
    }

    pub fn language(&self) -> Language {
        *self
            .language
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The server's own words, in the site's language.
    pub fn words(&self) -> &'static Words {
        words(self.language())
    }
}
