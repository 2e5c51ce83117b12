//! chronique: a static site generator for a French customer-experience column.
//!
//! A build is a chain of stages, each taking the previous one's value:
//!
//! ```text
//! Config::load        site.toml                      -> Config
//! source::read_all    the only reader of files       -> Sources
//! content::parse_all  front matter, typed posts      -> Content      (pure)
//! Site::assemble      URLs, links, authors, Markdown -> Site         (pure)
//! render::render_all  Tera templates, typed views    -> OutputFile, one at a time
//! output::Staging     the only writer: stage + swap  -> WriteReport
//! ```
//!
//! Every stage reports all the problems it meets ([`Diagnostics`]); the site is swapped in only
//! when there is no error, so a failed build leaves the previous output as it was. Rendering and
//! writing overlap: rayon's threads render pages and a single writer thread stages them.

// The modules from the bottom of the ladder up: each imports only modules listed before it
// (tests/layers.rs checks it).
pub mod diagnostics;
pub mod language;
pub mod layout;
pub mod slug;
pub mod words;
pub mod markdown;
pub mod config;
pub mod front_matter;
pub mod source;
pub mod content;
pub mod site;
pub mod render;
pub mod output;
pub mod pipeline;
pub mod check;
pub mod new;
pub mod init;
pub mod dev;

pub use config::Config;
pub use diagnostics::{Diagnostic, Diagnostics, Location};
pub use pipeline::{
    BuildOptions, BuildReport, InMemory, Session, StageTiming, build, build_in_memory,
};
pub use site::{BuildSettings, Site};
