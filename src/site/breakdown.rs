//! Checks of irritant breakdowns: steps exist, findings point at real steps, kinds and effort
//! types are known. Run on published posts during assembly, since effort types come from the
//! site's configuration.
//!
//! Each message points at the value at fault (the step number, the kind, the effort type), not
//! at the finding's title: titles such as "Frustration" are often shared by several findings.

use crate::config::EffortType;
use crate::content::{Finding, Kind, Post};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, did_you_mean};

/// The kinds of finding, in the order the journey shows them.
pub const FINDING_KINDS: [&str; 3] = ["problem", "effort", "frustration"];

/// The front matter keys of a breakdown.
const BREAKDOWN_KEYS: [&str; 4] = ["context", "steps", "findings", "basics"];

/// The most steps and findings a breakdown may have. A real customer journey has a dozen steps
/// and about as many findings; a thousand is a generated or pasted file, refused at its key
/// before it makes a page nobody can read. (The work stays proportional to the breakdown
/// either way.)
pub const MAX_STEPS: usize = 1_000;
pub const MAX_FINDINGS: usize = 1_000;

/// Reports every problem of a post's breakdown.
pub fn check(post: &Post, efforts: &[EffortType], diagnostics: &mut Diagnostics) {
    if post.kind != Kind::Irritant {
        if post.breakdown.is_some() {
            keys_outside_an_irritant(post, diagnostics);
        }
        return;
    }
    let steps = post.breakdown.as_ref().map_or(0, |b| b.steps.len()) as u32;
    if steps == 0 {
        let at = key_location(post, "steps")
            .or_else(|| key_location(post, "kind"))
            .unwrap_or_else(|| Location::file(&post.path));
        diagnostics.push(
            error(
                post,
                at,
                "an irritant breakdown needs `steps`: the customer's journey, at least one step"
                    .to_string(),
            )
            .with_note("for example: steps: [\"Je signale le problème au service client.\"]"),
        );
    }
    let Some(b) = &post.breakdown else {
        return;
    };
    for (key, count, max) in [
        ("steps", b.steps.len(), MAX_STEPS),
        ("findings", b.findings.len(), MAX_FINDINGS),
    ] {
        if count > max {
            let at = key_location(post, key).unwrap_or_else(|| Location::file(&post.path));
            diagnostics.push(error(
                post,
                at,
                format!("this breakdown has {count} {key}, over the limit of {max}: is the file whole and right?"),
            ));
        }
    }
    for f in &b.findings {
        check_kind(post, f, diagnostics);
        if f.kind == "effort" {
            check_effort(post, f, efforts, diagnostics);
        }
        if steps > 0 {
            check_steps(post, f, steps, diagnostics);
        }
    }
}

/// An error at `at` in `post`, with its line.
fn error(post: &Post, at: Location, message: String) -> Diagnostic {
    Diagnostic::error(Some(at), message).with_source(&post.text)
}

/// Breakdown keys in a post that is not an irritant: a warning at the first of them, where a
/// reader sees them start.
fn keys_outside_an_irritant(post: &Post, diagnostics: &mut Diagnostics) {
    let at = BREAKDOWN_KEYS
        .iter()
        .filter_map(|k| key_location(post, k))
        .min()
        .map(|l| Location::new(l.path, l.line, 1))
        .unwrap_or_else(|| Location::file(&post.path));
    diagnostics.push(
        Diagnostic::warning(
            Some(at),
            format!(
                "this post has breakdown keys (context, steps, findings, basics) but is `kind: {}`, not `kind: irritant`: they are ignored",
                post.kind.name()
            ),
        )
        .with_source(&post.text),
    );
}

/// A finding's kind is one of [`FINDING_KINDS`].
fn check_kind(post: &Post, f: &Finding, diagnostics: &mut Diagnostics) {
    if FINDING_KINDS.contains(&f.kind.as_str()) {
        return;
    }
    let mut d = error(
        post,
        f.at.kind.clone(),
        format!("unknown finding kind \"{}\" in \"{}\"", f.kind, f.title),
    );
    if let Some(hint) = did_you_mean(&f.kind, FINDING_KINDS) {
        d = d.with_note(format!("did you mean `{hint}`?"));
    }
    diagnostics.push(d.with_note(format!("kinds: {}", FINDING_KINDS.join(", "))));
}

/// An effort names an effort type of `site.toml`.
fn check_effort(post: &Post, f: &Finding, efforts: &[EffortType], diagnostics: &mut Diagnostics) {
    let types = || {
        efforts
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (&f.effort, &f.at.effort) {
        (Some(e), _) if efforts.iter().any(|t| &t.id == e) => {}
        (Some(e), at) => {
            let mut d = error(
                post,
                at.clone().unwrap_or_else(|| f.at.kind.clone()),
                format!("unknown effort type \"{e}\" in \"{}\"", f.title),
            );
            if let Some(hint) = did_you_mean(e, efforts.iter().map(|t| t.id.as_str())) {
                d = d.with_note(format!("did you mean `{hint}`?"));
            }
            diagnostics
                .push(d.with_note(format!("effort types (site.toml `efforts`): {}", types())));
        }
        (None, _) => diagnostics.push(
            error(
                post,
                f.at.kind.clone(),
                format!("the effort \"{}\" needs an `effort` type", f.title),
            )
            .with_note(format!("effort types (site.toml `efforts`): {}", types())),
        ),
    }
}

/// A finding's steps are steps of the journey (`steps` of them, numbered from 1).
fn check_steps(post: &Post, f: &Finding, steps: u32, diagnostics: &mut Diagnostics) {
    for (i, &s) in f.steps.iter().enumerate() {
        if s == 0 || s > steps {
            let at =
                f.at.steps
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| f.at.kind.clone());
            diagnostics.push(
                error(
                    post,
                    at,
                    format!(
                        "the finding \"{}\" points to step {s}, but the journey has {steps} step{}",
                        f.title,
                        if steps == 1 { "" } else { "s" }
                    ),
                )
                .with_note(if steps == 1 {
                    "its only step is 1".to_string()
                } else {
                    format!("steps are numbered from 1 to {steps}")
                }),
            );
        }
    }
}

/// Where the top-level front matter key `key` is: at its value when it is on the same line
/// (`kind: irritant`, `steps: []`), else at the key. None when the key is not written.
pub(super) fn key_location(post: &Post, key: &str) -> Option<Location> {
    // The YAML is between the opening `---` (line 1) and the closing one (line body_line - 1).
    post.text
        .lines()
        .enumerate()
        .skip(1)
        .take(post.body_line.saturating_sub(3))
        .find_map(|(i, line)| {
            let rest = line.strip_prefix(key)?.strip_prefix(':')?;
            let value = rest.trim_start();
            let column = if value.is_empty() || value.starts_with('#') {
                1
            } else {
                key.chars().count() + 1 + (rest.len() - value.len()) + 1
            };
            Some(Location::new(&post.path, i + 1, column))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Post;
    use crate::front_matter;
    use crate::source::{ContentKind, SourceFile};
    use std::path::Path;

    fn post(text: &str) -> Post {
        let file = SourceFile {
            path: Path::new("content/decryptages/x.md").into(),
            rel: Path::new("decryptages/x.md").into(),
            kind: ContentKind::Post,
            text: text.into(),
        };
        let split = front_matter::split(&file.text, &file.path).unwrap();
        Post::parse(&file, &split, crate::language::Language::Fr).unwrap()
    }

    fn headlines(text: &str) -> Vec<String> {
        let mut d = Diagnostics::new();
        let efforts = [EffortType {
            id: "financier".into(),
            name: "Effort financier".into(),
        }];
        check(&post(text), &efforts, &mut d);
        d.0.iter().map(Diagnostic::headline).collect()
    }

    const HEAD: &str = "---\ntitle: T\ndate: 2020-01-01\nkind: irritant\n";

    #[test]
    fn a_good_breakdown_has_no_diagnostic() {
        let text = format!(
            "{HEAD}steps: [a, b]\nfindings:\n  - {{kind: effort, effort: financier, title: E, steps: [1, 2]}}\n---\n"
        );
        assert!(headlines(&text).is_empty());
    }

    #[test]
    fn messages_point_at_the_value_at_fault() {
        let text = format!(
            "{HEAD}steps: [a, b]\nfindings:\n  - {{kind: frustration, title: F, steps: [1]}}\n  - {{kind: frustration, title: F, steps: [1, 3]}}\n  - {{kind: effort, effort: financer, title: F, steps: [0]}}\n  - {{kind: frustation, title: F}}\n---\n"
        );
        assert_eq!(
            headlines(&text),
            [
                "content/decryptages/x.md:8:46: the finding \"F\" points to step 3, but the journey has 2 steps",
                "content/decryptages/x.md:9:28: unknown effort type \"financer\" in \"F\"",
                "content/decryptages/x.md:9:56: the finding \"F\" points to step 0, but the journey has 2 steps",
                "content/decryptages/x.md:10:12: unknown finding kind \"frustation\" in \"F\"",
            ]
        );
    }

    #[test]
    fn an_irritant_needs_steps() {
        assert_eq!(
            headlines(&format!("{HEAD}steps: []\n---\n")),
            [
                "content/decryptages/x.md:5:8: an irritant breakdown needs `steps`: the customer's journey, at least one step"
            ]
        );
        assert_eq!(
            headlines(&format!("{HEAD}---\n")),
            [
                "content/decryptages/x.md:4:7: an irritant breakdown needs `steps`: the customer's journey, at least one step"
            ]
        );
    }

    #[test]
    fn steps_and_findings_are_bounded() {
        let steps = vec!["a"; MAX_STEPS + 1].join(", ");
        let finding = "{kind: problem, title: P, steps: [1]}";
        let findings = vec![finding; MAX_FINDINGS + 1].join(", ");
        let text = format!("{HEAD}steps: [{steps}]\nfindings: [{findings}]\n---\n");
        assert_eq!(
            headlines(&text),
            [
                "content/decryptages/x.md:5:8: this breakdown has 1001 steps, over the limit of 1000: is the file whole and right?",
                "content/decryptages/x.md:6:11: this breakdown has 1001 findings, over the limit of 1000: is the file whole and right?",
            ]
        );
    }

    #[test]
    fn breakdown_keys_elsewhere_are_a_warning_at_the_first_key() {
        let mut d = Diagnostics::new();
        let text = "---\ntitle: T\ndate: 2020-01-01\nkind: breve\nbasics: [x]\ncontext: y\n---\n";
        check(&post(text), &[], &mut d);
        assert_eq!(d.warnings().count(), 1);
        assert!(
            d.0[0]
                .headline()
                .starts_with("content/decryptages/x.md:5:1: this post has breakdown keys"),
            "{}",
            d.0[0].headline()
        );
    }
}
