//! Values for the assembly steps' tests, made from the text of a file as a user writes it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::model::SitePost;
use crate::config::Config;
use crate::content::{Author, Post, SeriesFile};
use crate::front_matter;
use crate::source::{ContentKind, SourceFile};

fn file(rel: &str, kind: ContentKind, text: String) -> SourceFile {
    SourceFile {
        path: Path::new("content").join(rel),
        rel: PathBuf::from(rel),
        kind,
        text: text.into(),
    }
}

/// A post at `content/<rel>` with these front matter lines (after `title: T` on line 2,
/// unless they give a title) and this body (from line `front`'s lines + 4).
pub fn post_with_body(rel: &str, front: &str, body: &str) -> Post {
    let title = if front.lines().any(|l| l.starts_with("title:")) {
        ""
    } else {
        "title: T\n"
    };
    let f = file(
        rel,
        ContentKind::Post,
        format!("---\n{title}{front}\n---\n{body}"),
    );
    let split = front_matter::split(&f.text, &f.path).unwrap();
    Post::parse(&f, &split, crate::language::Language::Fr).unwrap()
}

/// [`post_with_body`] with an empty body.
pub fn post(rel: &str, front: &str) -> Post {
    post_with_body(rel, front, "")
}

/// `content/series/<slug>.md` with these front matter lines and body.
pub fn series_file(slug: &str, front: &str, body: &str) -> SeriesFile {
    let f = file(
        &format!("series/{slug}.md"),
        ContentKind::Series,
        format!("---\n{front}\n---\n{body}"),
    );
    let split = front_matter::split(&f.text, &f.path).unwrap();
    SeriesFile::parse(&f, &split, crate::language::Language::Fr).unwrap()
}

/// `content/authors/<slug>.md` named `name`, with this bio.
pub fn author(slug: &str, name: &str, bio: &str) -> Author {
    let f = file(
        &format!("authors/{slug}.md"),
        ContentKind::Author,
        format!("---\nname: {name}\n---\n{bio}"),
    );
    let split = front_matter::split(&f.text, &f.path).unwrap();
    Author::parse(&f, &split, crate::language::Language::Fr).unwrap()
}

/// A site at `https://exemple.fr/` with these extra lines of `site.toml`.
pub fn config(extra: &str) -> Config {
    let text = format!("title = \"T\"\nbase_url = \"https://exemple.fr/\"\n{extra}");
    Config::parse(Path::new("."), &text, Path::new("site.toml"), None).unwrap()
}

/// `post` on the site at `url`, not rendered.
pub fn site_post(post: Post, url: &str) -> SitePost {
    let empty: Arc<str> = Arc::from("");
    SitePost {
        post,
        url: url.to_string(),
        output: PathBuf::from(url.trim_start_matches('/')).join("index.html"),
        html: empty.clone(),
        summary_html: empty.clone(),
        description: empty.clone(),
        words: empty,
        word_count: 0,
        toc: Arc::from(Vec::new()),
        shortcodes: Default::default(),
        preview: false,
        series: None,
        related: Vec::new(),
        aliases: Vec::new(),
    }
}
