//! Bad input: every case under `tests/fixtures/errors/<case>/` is a site with one kind of
//! mistake and an `expected.txt` listing lines that stderr must contain. Each case must exit 1,
//! report its lines, not panic, and write nothing.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{Run, Site, fixtures};

/// The cases the issue asks for; more folders may exist.
const REQUIRED: &[&str] = &[
    "invalid_yaml",
    "unclosed_front_matter",
    "missing_title",
    "missing_date",
    "bad_date",
    "unknown_kind",
    "unknown_key",
    "duplicate_path",
    "broken_link",
    "not_utf8",
    "template_error",
    "unknown_author",
    "unknown_site_key",
    "many_bad_files",
    // Hardening (issue 11): odd files and hostile YAML.
    "empty_file",
    "binary_file",
    "binary_nul",
    "front_matter_tabs",
    "duplicate_key",
    "billion_laughs",
    "many_aliases",
    "deep_yaml",
    "alias_traversal",
    // A writer's everyday mistakes (issue 21): the hint, at the right line and column.
    "yaml_colon_in_title",
    "yaml_unclosed_quote",
    "date_in_french",
    // … and the hint in the site's language: « écrivez : » in French, "write:" in English.
    "yaml_slip_on_an_english_site",
    // Pages (issue 20): addresses they may not take, and what a page may not have.
    "page_collides_with_section",
    "page_collides_with_taxonomy",
    "page_duplicate",
    "page_template_missing",
    "page_with_post_keys",
    // Menus (issue 20): located in site.toml, with a hint for a near-miss.
    "menu_missing_page",
    "menu_page_and_url",
    "menu_unknown_key",
    // Page bundles (issue 20): a Markdown file where no post can be.
    "md_in_plain_subfolder",
    "second_md_in_bundle",
    // Shortcodes (issue 23): at the call, with the line shown and a hint.
    "shortcode_unknown",
    "shortcode_missing_argument",
    "shortcode_wrong_type",
    "shortcode_unclosed",
    "shortcode_template_error",
    "shortcode_bad_image",
];

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(fixtures().join("errors"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

fn name(case: &Path) -> String {
    case.file_name().unwrap().to_string_lossy().into_owned()
}

/// The non-empty lines of `expected.txt`, trimmed.
fn expected(case: &Path) -> Vec<String> {
    let path = case.join("expected.txt");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    assert!(!lines.is_empty(), "{} is empty", path.display());
    lines
}

/// What is wrong with a failed run of `case`, if anything.
fn problems(site: &Site, run: &Run, expected: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    if run.code != Some(1) {
        problems.push(format!("exit code {:?} instead of 1", run.code));
    }
    if run.stderr.contains("panicked") {
        problems.push("it panicked".to_string());
    }
    for line in expected {
        if !run.stderr.contains(line.as_str()) {
            problems.push(format!("stderr lacks: {line}"));
        }
    }
    if site.public().exists() {
        problems.push("public/ was created".to_string());
    }
    let leftovers: Vec<String> = fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("chronique-"))
        .collect();
    if !leftovers.is_empty() {
        problems.push(format!("left behind: {leftovers:?}"));
    }
    problems
}

#[test]
fn the_required_cases_exist() {
    let names: Vec<String> = cases().iter().map(|c| name(c)).collect();
    for required in REQUIRED {
        assert!(
            names.iter().any(|n| n == required),
            "no fixture tests/fixtures/errors/{required}/"
        );
    }
    let latin1 = fs::read(fixtures().join("errors/not_utf8/content/breves/latin1.md")).unwrap();
    assert!(
        String::from_utf8(latin1).is_err(),
        "the not_utf8 fixture must not be valid UTF-8"
    );
}

#[test]
fn every_bad_input_fails_with_its_message_and_writes_nothing() {
    let mut failures = Vec::new();
    for case in cases() {
        let expected = expected(&case);
        for command in ["build", "check"] {
            let site = Site::from_dir(&case);
            let run = site.run(&[command, "--root", site.root.to_str().unwrap()]);
            let problems = problems(&site, &run, &expected);
            if !problems.is_empty() {
                failures.push(format!(
                    "== {} ({command}):\n  {}\n{run}",
                    name(&case),
                    problems.join("\n  ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `error: <path>:<line>:<col>: <message>` with numbers for line and column.
fn has_location(headline: &str) -> bool {
    let Some(rest) = headline.strip_prefix("error: ") else {
        return false;
    };
    let parts: Vec<&str> = rest.splitn(4, ':').collect();
    parts.len() == 4
        && !parts[0].is_empty()
        && parts[1].parse::<usize>().is_ok_and(|n| n > 0)
        && parts[2].parse::<usize>().is_ok_and(|n| n > 0)
        && parts[3].starts_with(' ')
}

fn error_lines(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect()
}

#[test]
fn every_error_names_a_path_line_and_column() {
    let mut failures = Vec::new();
    // duplicate_path has an extra error without a location: see the ignored test below.
    for case in cases().into_iter().filter(|c| name(c) != "duplicate_path") {
        let site = Site::from_dir(&case);
        let run = site.build(&[]);
        let lines = error_lines(&run);
        if lines.is_empty() {
            failures.push(format!("{}: no error line\n{run}", name(&case)));
        }
        for line in lines.into_iter().filter(|l| !has_location(l)) {
            failures.push(format!("{}: {line}", name(&case)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn duplicate_path_is_one_error_with_a_location() {
    let site = Site::from_dir(&fixtures().join("errors/duplicate_path"));
    let run = site.build(&[]);
    run.failure();
    let lines = error_lines(&run);
    assert_eq!(lines.len(), 1, "{run}");
    assert!(has_location(lines[0]), "{run}");
    assert!(run.stderr.contains("1 error: nothing was written"), "{run}");
}

#[test]
fn content_and_template_errors_are_reported_together() {
    let site = Site::from_dir(&fixtures().join("errors/template_error"));
    site.write(
        "content/breves/autre.md",
        "---\ntitle: \"Autre\"\ndate: 2019-12-32\n---\n",
    );
    let run = site.build(&[]);
    run.failure();
    for line in [
        "error: content/breves/autre.md:3:7: invalid date \"2019-12-32\"",
        "error: templates/page.html:4:4: template error",
        "2 errors: nothing was written",
    ] {
        assert!(run.stderr.contains(line), "lacks {line}\n{run}");
    }
}

#[test]
fn missing_key_points_at_the_start_of_the_front_matter() {
    for case in ["missing_title", "missing_date"] {
        let site = Site::from_dir(&fixtures().join("errors").join(case));
        let run = site.build(&[]);
        run.failure();
        // The YAML starts on line 2, after the opening `---` of line 1.
        assert!(
            run.stderr
                .contains("content/breves/punition.md:1:1: missing")
                || run
                    .stderr
                    .contains("content/breves/punition.md:2:1: missing"),
            "{case}\n{run}"
        );
    }
}

#[test]
fn unknown_nested_key_hints_at_the_nested_keys() {
    let site = Site::fixture("basic");
    site.write(
        "content/breves/image.md",
        "---\ntitle: \"Image\"\ndate: 2019-12-17\nimage:\n  src: photo.jpg\n  credti: Claire\n---\n",
    );
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr
            .contains("content/breves/image.md:6:3: unknown key `credti`"),
        "{run}"
    );
    assert!(run.stderr.contains("did you mean `credit`?"), "{run}");
    assert!(!run.stderr.contains("known keys: title, date"), "{run}");
}

#[test]
fn broken_link_in_summary_is_an_error() {
    let site = Site::fixture("basic");
    site.write(
        "content/breves/resume.md",
        "---\ntitle: \"Résumé\"\ndate: 2019-12-17\nsummary: \"Voir [ailleurs](@/breves/absente.md).\"\n---\nTexte.\n",
    );
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr
            .contains("broken internal link to @/breves/absente.md"),
        "{run}"
    );
    assert!(!site.public().exists());
}
