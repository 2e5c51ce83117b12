//! Irritant breakdowns: their checks, and the layout of their journey map.
//!
//! The checks run on published posts during assembly, since effort types come from the site's
//! configuration: steps exist, findings point at real steps, kinds and effort types are known.
//! Each message points at the value at fault (the step number, the kind, the effort type), not
//! at the finding's title: titles such as "Frustration" are often shared by several findings.
//!
//! The journey map draws each finding once, spanning its steps ([`JourneyMap`]): beside the
//! steps on a phone, in one swimlane per kind under the steps on a wide screen. Where each
//! one goes is plain arithmetic on the step numbers, done here so that the theme only places
//! what it is given (CSS grid lines) and stays readable without it.

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

/// Where a breakdown's journey map draws its steps and findings, as CSS grid lines (1-based,
/// ends excluded).
///
/// On a phone the steps are rows, one after the other, and each finding gets a row of its own
/// right after its first step (its label) and a *lane* beside the steps, a narrow column where
/// a bar runs from its label down to its last step; overlapping findings take different lanes.
/// On a wide screen the steps are columns and the kinds are *swimlanes* under them: each finding
/// is a band across its steps, in its kind's lane, on a row of the lane that no other band of
/// the lane overlaps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JourneyMap {
    /// Phone: rows in all, and the lanes beside the steps.
    pub rows: u32,
    pub lanes: u32,
    /// Phone: the row of each step (step `n` at `n - 1`).
    pub step_rows: Vec<u32>,
    /// The findings that name steps, in the order they are drawn: by kind (as
    /// [`FINDING_KINDS`], then unknown kinds), then as written.
    pub spans: Vec<Span>,
    /// Wide: one swimlane per kind that has a finding, in the order of the spans; the steps
    /// take row 1.
    pub swimlanes: Vec<Swimlane>,
    pub wide_rows: u32,
}

/// One finding on the map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Its index in the breakdown's findings.
    pub finding: usize,
    /// Its first and last steps (it may skip some between them).
    pub first: u32,
    pub last: u32,
    /// Phone: its label's row (right after its first step's).
    pub row: u32,
    /// Phone: the rows of its bar, from its first step down to its last step's row (excluded:
    /// the bar reaches into it as far as the step's mark), or down to its label when it has one
    /// step only (included).
    pub bar: (u32, u32),
    pub bar_to_step: bool,
    /// Phone: its lane, from 0.
    pub lane: u32,
    /// Wide: its row.
    pub wide_row: u32,
}

/// A kind's rows on a wide screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swimlane {
    pub kind: String,
    pub row: u32,
    pub row_end: u32,
}

impl JourneyMap {
    /// The map of `steps` steps and their findings. Step numbers out of range (reported by
    /// [`check`]) are left out.
    pub fn of(steps: usize, findings: &[Finding]) -> JourneyMap {
        let order = drawn(steps as u32, findings);
        let phone = PhoneRows::of(steps as u32, &order);
        // A bar reaches into its last step's row: the next one in its lane starts below it.
        let reach: Vec<(u32, u32)> = (phone.bars.iter())
            .map(|&(start, end)| (start, end + 1))
            .collect();
        let (lanes, lane_of) = pack(&reach);
        let (swimlanes, wide_row_of, wide_rows) = swimlanes(findings, &order);
        let spans = (order.iter().enumerate())
            .map(|(k, &(finding, first, last))| Span {
                finding,
                first,
                last,
                row: phone.labels[k],
                bar: phone.bars[k],
                bar_to_step: last > first,
                lane: lane_of[k],
                wide_row: wide_row_of[k],
            })
            .collect();
        JourneyMap {
            rows: phone.rows,
            lanes,
            step_rows: phone.steps,
            spans,
            swimlanes,
            wide_rows,
        }
    }
}

/// The findings on the map, in the order they are drawn (by kind, then as written): each one's
/// index, first and last step in range.
fn drawn(steps: u32, findings: &[Finding]) -> Vec<(usize, u32, u32)> {
    fn rank(f: &Finding) -> (usize, &str) {
        match FINDING_KINDS.iter().position(|k| *k == f.kind) {
            Some(r) => (r, ""),
            None => (FINDING_KINDS.len(), f.kind.as_str()),
        }
    }
    let mut order: Vec<(usize, u32, u32)> = (findings.iter().enumerate())
        .filter_map(|(i, f)| {
            let on = f.steps.iter().filter(|&&n| (1..=steps).contains(&n));
            Some((i, *on.clone().min()?, *on.max()?))
        })
        .collect();
    order.sort_by_key(|&(i, _, _)| rank(&findings[i]));
    order
}

/// A phone's rows: each step's, then a label row for each finding that starts at it.
struct PhoneRows {
    rows: u32,
    steps: Vec<u32>,
    /// Per drawn finding: its label's row, and its bar's rows.
    labels: Vec<u32>,
    bars: Vec<(u32, u32)>,
}

impl PhoneRows {
    fn of(steps: u32, order: &[(usize, u32, u32)]) -> PhoneRows {
        let mut step_rows = Vec::with_capacity(steps as usize);
        let mut labels = vec![0; order.len()];
        let mut starting: Vec<Vec<usize>> = vec![Vec::new(); steps as usize];
        for (k, o) in order.iter().enumerate() {
            starting[o.1 as usize - 1].push(k);
        }
        let mut row = 1;
        for here in &starting {
            step_rows.push(row);
            row += 1;
            for &k in here {
                labels[k] = row;
                row += 1;
            }
        }
        let bars = (order.iter().zip(&labels))
            .map(|(&(_, first, last), &label)| {
                let last_row = step_rows[last as usize - 1];
                let end = if last_row > label {
                    last_row
                } else {
                    label + 1
                };
                (step_rows[first as usize - 1], end)
            })
            .collect();
        PhoneRows {
            rows: row - 1,
            steps: step_rows,
            labels,
            bars,
        }
    }
}

/// A wide screen's swimlanes: the rows of each kind, its findings packed by steps; each drawn
/// finding's row; the rows in all (the steps take row 1).
fn swimlanes(findings: &[Finding], order: &[(usize, u32, u32)]) -> (Vec<Swimlane>, Vec<u32>, u32) {
    let mut lanes: Vec<Swimlane> = Vec::new();
    let mut row_of = vec![0; order.len()];
    let mut next = 2;
    let mut k = 0;
    while k < order.len() {
        let kind = &findings[order[k].0].kind;
        let same = (order[k..].iter())
            .take_while(|o| findings[o.0].kind == *kind)
            .count();
        let spans: Vec<(u32, u32)> = order[k..k + same].iter().map(|o| (o.1, o.2 + 1)).collect();
        let (used, sub) = pack(&spans);
        for (j, r) in sub.into_iter().enumerate() {
            row_of[k + j] = next + r;
        }
        lanes.push(Swimlane {
            kind: kind.clone(),
            row: next,
            row_end: next + used,
        });
        next += used;
        k += same;
    }
    (lanes, row_of, next - 1)
}

/// Packs intervals `[start, end)` into as few tracks as keep them apart, each in the first
/// track free at its start (taken in order of start): the number of tracks, and each one's.
fn pack(intervals: &[(u32, u32)]) -> (u32, Vec<u32>) {
    let mut by_start: Vec<usize> = (0..intervals.len()).collect();
    by_start.sort_by_key(|&i| intervals[i].0);
    let mut ends: Vec<u32> = Vec::new();
    let mut track = vec![0; intervals.len()];
    for i in by_start {
        let (start, end) = intervals[i];
        let t = match ends.iter().position(|&e| e <= start) {
            Some(t) => t,
            None => {
                ends.push(0);
                ends.len() - 1
            }
        };
        ends[t] = end;
        track[i] = t as u32;
    }
    (ends.len() as u32, track)
}

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

    fn finding(kind: &str, steps: &[u32]) -> Finding {
        let at = Location::file("x.md");
        Finding {
            kind: kind.into(),
            effort: None,
            title: format!("{kind} {steps:?}"),
            detail: String::new(),
            steps: steps.to_vec(),
            at: crate::content::FindingLocations {
                kind: at,
                effort: None,
                steps: vec![],
            },
        }
    }

    #[test]
    fn the_journey_map_draws_each_finding_once_across_its_steps() {
        // The example's breakdown: six steps, five findings.
        let findings = [
            finding("problem", &[2, 4]),
            finding("effort", &[1, 4]),
            finding("effort", &[3, 4, 6]),
            finding("effort", &[3, 5]),
            finding("frustration", &[5, 6]),
        ];
        let map = JourneyMap::of(6, &findings);
        let spans: Vec<(usize, u32, u32)> = map
            .spans
            .iter()
            .map(|s| (s.finding, s.first, s.last))
            .collect();
        // Once each, problems first, then as written.
        assert_eq!(
            spans,
            [(0, 2, 4), (1, 1, 4), (2, 3, 6), (3, 3, 5), (4, 5, 6)]
        );
        // Phone: step 1, the effort starting there, step 2, the problem, step 3, two efforts…
        assert_eq!(map.step_rows, [1, 3, 5, 8, 9, 11]);
        let labels: Vec<u32> = map.spans.iter().map(|s| s.row).collect();
        assert_eq!(labels, [4, 2, 6, 7, 10]);
        // Bars run from the first step's row to the last step's (which they reach into).
        let bars: Vec<(u32, u32)> = map.spans.iter().map(|s| s.bar).collect();
        assert_eq!(bars, [(3, 8), (1, 8), (5, 11), (5, 9), (9, 11)]);
        assert_eq!(map.rows, 11);
        // Bars that overlap are in different lanes; four overlap at step 4.
        let lanes: Vec<u32> = map.spans.iter().map(|s| s.lane).collect();
        assert_eq!(lanes, [1, 0, 2, 3, 0]);
        assert_eq!(map.lanes, 4);
        // Wide: a lane per kind, the efforts on three rows since each overlaps the others.
        let lanes: Vec<(&str, u32, u32)> = map
            .swimlanes
            .iter()
            .map(|l| (l.kind.as_str(), l.row, l.row_end))
            .collect();
        assert_eq!(
            lanes,
            [("problem", 2, 3), ("effort", 3, 6), ("frustration", 6, 7)]
        );
        let wide: Vec<u32> = map.spans.iter().map(|s| s.wide_row).collect();
        assert_eq!(wide, [2, 3, 4, 5, 6]);
        assert_eq!(map.wide_rows, 6);
    }

    #[test]
    fn findings_that_do_not_overlap_share_a_row_and_bad_steps_are_left_out() {
        let findings = [
            finding("effort", &[1, 2]),
            finding("effort", &[3]),
            finding("problem", &[9]),
            finding("problem", &[]),
        ];
        let map = JourneyMap::of(3, &findings);
        assert_eq!(map.spans.len(), 2);
        assert_eq!(map.swimlanes.len(), 1);
        assert_eq!((map.spans[0].wide_row, map.spans[1].wide_row), (2, 2));
        assert_eq!(map.lanes, 1);
        // A finding on one step: its bar goes down to its label, not further.
        assert_eq!(
            (map.spans[1].bar, map.spans[1].bar_to_step),
            ((4, 6), false)
        );
        assert_eq!(JourneyMap::of(0, &findings).spans, []);
    }

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
