//! Checks of irritant breakdowns: steps exist, findings point at real steps, kinds and effort
//! types are known. Run on published posts during assembly, since effort types come from the
//! site's configuration.

use crate::config::EffortType;
use crate::content::{Kind, Post};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};

/// The kinds of finding, in the order the journey shows them.
pub const FINDING_KINDS: [&str; 3] = ["problem", "effort", "frustration"];

/// Reports every problem of a post's breakdown.
pub fn check(post: &Post, efforts: &[EffortType], diagnostics: &mut Diagnostics) {
    let Some(b) = &post.breakdown else {
        return;
    };
    let at = |needle: &str| Some(line_of(post, needle));
    if post.kind != Kind::Irritant {
        diagnostics.push(
            Diagnostic::warning(
                at("steps:"),
                "this post has breakdown keys (context, steps, findings, basics) but is not `kind: irritant`: they are ignored",
            )
            .with_source(&post.text),
        );
        return;
    }
    if b.steps.is_empty() {
        diagnostics.push(
            Diagnostic::error(
                at("steps:"),
                "an irritant breakdown needs `steps`: the customer's journey, at least one step",
            )
            .with_source(&post.text),
        );
    }
    let n = b.steps.len() as u32;
    for f in &b.findings {
        let where_ = at(&f.title);
        if !FINDING_KINDS.contains(&f.kind.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    where_.clone(),
                    format!("unknown finding kind \"{}\" in \"{}\"", f.kind, f.title),
                )
                .with_source(&post.text)
                .with_note(format!("kinds: {}", FINDING_KINDS.join(", "))),
            );
        }
        if f.kind == "effort" {
            match &f.effort {
                Some(e) if efforts.iter().any(|t| &t.id == e) => {}
                Some(e) => diagnostics.push(
                    Diagnostic::error(
                        where_.clone(),
                        format!("unknown effort type \"{e}\" in \"{}\"", f.title),
                    )
                    .with_source(&post.text)
                    .with_note(format!(
                        "effort types (site.toml `efforts`): {}",
                        efforts
                            .iter()
                            .map(|t| t.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                ),
                None => diagnostics.push(
                    Diagnostic::error(
                        where_.clone(),
                        format!(
                            "the effort \"{}\" needs an `effort` type (financier, contact…)",
                            f.title
                        ),
                    )
                    .with_source(&post.text),
                ),
            }
        }
        for s in &f.steps {
            if *s == 0 || *s > n {
                diagnostics.push(
                    Diagnostic::error(
                        where_.clone(),
                        format!(
                            "the finding \"{}\" points to step {s}, but the journey has {n} step{}",
                            f.title,
                            if n == 1 { "" } else { "s" }
                        ),
                    )
                    .with_source(&post.text),
                );
            }
        }
    }
}

/// The first line of the post's file containing `needle` (front matter first), with its column.
fn line_of(post: &Post, needle: &str) -> Location {
    for (i, line) in post.text.lines().enumerate() {
        if let Some(col) = line.find(needle) {
            let column = line[..col].chars().count() + 1;
            return Location::new(&post.path, i + 1, column);
        }
        if i + 1 >= post.body_line {
            break;
        }
    }
    Location::file(&post.path)
}
