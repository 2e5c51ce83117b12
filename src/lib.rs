//! chronique: a static site generator for a French customer-experience column.
//!
//! A build is a chain of stages, each taking the previous one's value; [`pipeline`] runs them
//! in this order, and the types make any other order fail to compile:
//!
//! ```text
//! stage     run by                     does                                        gives
//! settings  Config::load               site.toml                                   Config
//! read      source::read_all           the only reader of files; images' sizes     Sources
//!                                      from their headers (source::images)
//! parse     content::parse_all_with    front matter, typed posts (pure)            Content
//! assemble  Site::assemble_with        URLs, links, authors, series, taxonomies,
//!                                      Markdown to HTML (pure)                     Site
//! bundles   pipeline::bundles::place   a bundle's files beside its page, none for
//!                                      an unpublished one                          Vec<StaticFile>
//! theme     render::Theme::compile     the theme's and the site's templates        Theme
//! plan      pipeline::Plan             what to reuse, where the files go           Sink
//! render    render::render_all         typed views through Tera, each file handed
//!                                      to the writer thread as soon as it is made  Rendering
//! write     Sink::commit               the only change to the output: a swap, or
//!                                      pages replaced in place                     BuildReport
//! ```
//!
//! Every stage reports all the problems it meets ([`Diagnostics`]); the output changes only when
//! there is no error, so a failed build leaves the previous output as it was. Rendering and
//! writing overlap: rayon's threads render pages and a single writer thread stages them.
//! `chronique serve` builds through a [`Session`], which remembers the last build and reuses what
//! would come out the same.

#![forbid(unsafe_code)]

// The modules from the bottom of the ladder up: each imports only modules listed before it
// (tests/layers.rs checks it).
pub mod diagnostics;
pub mod fsx;
pub mod language;
pub mod layout;
pub mod builtin;
pub mod address;
pub mod slug;
pub mod words;
pub mod css;
pub mod picture;
pub mod markdown;
pub mod config;
pub mod front_matter;
pub mod source;
pub mod content;
pub mod site;
pub mod imaging;
pub mod render;
pub mod output;
pub mod pipeline;
pub mod check;
pub mod new;
pub mod init;
pub mod import;
pub mod eject;
pub mod dev;

pub use config::Config;
pub use diagnostics::{Diagnostic, Diagnostics, Location};
pub use pipeline::{
    BuildOptions, BuildReport, InMemory, Session, StageTiming, build, build_in_memory,
};
pub use site::{BuildSettings, Site};
