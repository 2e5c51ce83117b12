//! The command line: help, version, the summary line, `-q`, `check`, and the environment.

mod common;

use std::fs;

use common::{Site, files, run_in, snapshot};

#[test]
fn help_lists_the_commands() {
    let site = Site::fixture("basic");
    let run = site.run(&["--help"]);
    run.success();
    for word in ["Usage", "build", "check", "theme", "--quiet", "--version"] {
        assert!(run.stdout.contains(word), "lacks {word}\n{run}");
    }
    let run = site.run(&["build", "--help"]);
    run.success();
    for flag in ["--root", "--output-dir", "--base-url", "--drafts"] {
        assert!(
            run.stdout.contains(flag),
            "build --help lacks {flag}\n{run}"
        );
    }
    let run = site.run(&["check", "--help"]);
    run.success();
    for flag in ["--root", "--drafts"] {
        assert!(
            run.stdout.contains(flag),
            "check --help lacks {flag}\n{run}"
        );
    }
    let run = site.run(&["theme", "--help"]);
    run.success();
    assert!(
        run.stdout.contains("eject"),
        "theme --help lacks eject\n{run}"
    );
    assert!(!site.public().exists());
}

#[test]
fn version_is_the_package_version() {
    let site = Site::fixture("basic");
    let run = site.run(&["--version"]);
    run.success();
    assert_eq!(
        run.stdout.trim(),
        format!("chronique {}", env!("CARGO_PKG_VERSION"))
    );
}

/// `built 6 pages (2 posts), 2 sections, 1 irritant themes in 0.01 s` → (verb, pages, posts, sections);
/// what follows a `;` (the posts left out) is not counted.
fn summary(stdout: &str) -> (String, usize, usize, usize) {
    let line = stdout.lines().next().unwrap_or_default();
    let line = line.split(';').next().unwrap_or_default();
    let words: Vec<&str> = line.split_whitespace().collect();
    let number = |s: &str| {
        s.trim_matches(|c: char| !c.is_ascii_digit())
            .parse::<usize>()
            .unwrap_or_else(|_| panic!("not a summary line: {line:?}"))
    };
    let noun = |w: &str, n: &str| w == n || w.strip_suffix('s') == Some(n);
    assert!(
        words.len() == 13
            && noun(words[2], "page")
            && noun(words[4].trim_end_matches("),"), "post")
            && noun(words[6].trim_end_matches(','), "section")
            && words[8] == "irritant"
            && noun(words[9], "theme")
            && words[10] == "in"
            && words[12] == "s",
        "not a summary line: {line:?}"
    );
    (
        words[0].to_string(),
        number(words[1]),
        number(words[3]),
        number(words[5]),
    )
}

#[test]
fn build_prints_a_summary_line_that_counts_what_it_wrote() {
    let site = Site::fixture("basic");
    let run = site.build(&[]);
    run.success();
    assert_eq!(run.stderr, "", "{run}");
    let (verb, pages, posts, sections) = summary(&run.stdout);
    let html = files(&site.public())
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert_eq!(verb, "built");
    assert_eq!(pages, html, "{run}");
    assert_eq!(posts, 2);
    assert_eq!(sections, 2);
}

#[test]
fn quiet_silences_the_summary_line() {
    for args in [["-q", "build"], ["build", "-q"], ["build", "--quiet"]] {
        let site = Site::fixture("basic");
        let run = site.run(&args);
        run.success();
        assert_eq!(run.stdout, "", "{args:?}");
        assert_eq!(run.stderr, "", "{args:?}");
        assert!(site.has("breves/punition/index.html"), "{args:?}");
    }
}

#[test]
fn quiet_still_prints_errors() {
    let site = Site::from_dir(&common::fixtures().join("errors/unknown_key"));
    let run = site.run(&["build", "-q"]);
    run.failure();
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("unknown key `titel`"), "{run}");
}

#[test]
fn root_defaults_to_the_current_folder() {
    let site = Site::fixture("basic");
    site.run(&["build"]).success();
    assert!(site.has("breves/punition/index.html"));
}

#[test]
fn check_writes_nothing() {
    let site = Site::fixture("basic");
    let before = snapshot(site.tmp.path());
    let run = site.run(&["check"]);
    run.success();
    let (verb, _, posts, sections) = summary(&run.stdout);
    assert_eq!((verb.as_str(), posts, sections), ("checked", 2, 2));
    assert!(before == snapshot(site.tmp.path()), "check changed files");
    assert!(!site.public().exists());
}

#[test]
fn check_does_not_touch_an_existing_output() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    site.write(
        "content/breves/nouveau.md",
        "---\ntitle: \"Nouveau\"\ndate: 2020-01-01\n---\n",
    );
    let before = snapshot(site.tmp.path());
    site.run(&["check"]).success();
    assert!(before == snapshot(site.tmp.path()));
}

#[test]
fn check_fails_on_a_bad_file() {
    let site = Site::fixture("basic");
    site.write(
        "content/breves/cle.md",
        "---\ntitle: \"Clé\"\ndate: 2019-12-17\ntgas: [x]\n---\n",
    );
    let before = snapshot(site.tmp.path());
    let run = site.run(&["check"]);
    run.failure();
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("content/breves/cle.md:4:1: unknown key `tgas`"),
        "{run}"
    );
    assert!(run.stderr.contains("did you mean `tags`?"), "{run}");
    assert!(before == snapshot(site.tmp.path()));
}

#[test]
fn check_counts_drafts_only_with_the_flag() {
    let site = Site::fixture("drafts_and_schedule");
    let run = site.run(&["check"]);
    run.success();
    assert_eq!(summary(&run.stdout).2, 1, "{run}");
    let run = site.run(&["check", "--drafts"]);
    run.success();
    assert_eq!(summary(&run.stdout).2, 3, "{run}");
    assert!(!site.public().exists());
}

#[test]
fn a_missing_site_toml_is_an_error() {
    let site = Site::fixture("basic");
    fs::remove_file(site.path("site.toml")).unwrap();
    let run = site.build(&[]);
    run.failure();
    assert!(run.stderr.contains("site.toml"), "{run}");
    assert!(!site.public().exists());
}

#[test]
fn a_bad_source_date_epoch_is_an_error() {
    let site = Site::fixture("basic");
    let run = run_in(
        &site.root,
        &[("SOURCE_DATE_EPOCH", "demain")],
        &["build", "-q"],
    );
    run.failure();
    assert!(run.stderr.contains("SOURCE_DATE_EPOCH"), "{run}");
    assert!(!site.public().exists());
}

#[test]
fn a_bad_base_url_is_an_error() {
    let site = Site::fixture("basic");
    let run = site.build(&["--base-url", "exemple.fr"]);
    run.failure();
    assert!(run.stderr.contains("base_url"), "{run}");
    assert!(!site.public().exists());
}

#[test]
fn timings_lists_the_stages() {
    let site = Site::fixture("basic");
    let run = site.build(&["--timings"]);
    run.success();
    for stage in ["read", "parse", "assemble", "render", "write"] {
        assert!(
            run.stdout
                .lines()
                .any(|l| l.trim_start().starts_with(stage)),
            "lacks {stage}\n{run}"
        );
    }
    // Then every template, the most expensive first, each with its number of pages (all of
    // them: with only five, which five depended on the machine's load, and page.html could
    // be left out).
    let after: Vec<&str> = run
        .stdout
        .lines()
        .skip_while(|l| !l.contains("templates, slowest first"))
        .skip(1)
        .collect();
    assert!(!after.is_empty(), "no templates listed\n{run}");
    let page = after
        .iter()
        .find(|l| l.trim_start().starts_with("page.html"))
        .unwrap_or_else(|| panic!("page.html is not among them\n{run}"));
    let fields: Vec<&str> = page.split_whitespace().collect();
    let pages: usize = fields[3].parse().expect("a number of pages");
    // "built 12 pages (3 posts), …"
    let posts: usize = run
        .stdout
        .split(" post")
        .next()
        .and_then(|s| s.rsplit('(').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("the summary line counts posts\n{run}"));
    assert_eq!(pages, posts, "page.html renders every post\n{run}");
}

#[test]
fn new_outside_a_column_says_error_once() {
    let tmp = tempfile::tempdir().unwrap();
    let run = run_in(tmp.path(), &[], &["new", "breve", "Perdu"]);
    run.failure();
    assert!(
        run.stderr
            .starts_with("error: there is no site.toml in this folder or in its parents"),
        "{run}"
    );
    assert!(run.stderr.contains("`chronique init`"), "{run}");
    assert!(!run.stderr.contains("error: error:"), "{run}");
    assert!(
        !run.stderr.contains("site.toml:1:1"),
        "no made-up location\n{run}"
    );
    assert!(files(tmp.path()).is_empty(), "new wrote something");
    // With --root, the folder given is the site, and says why it is not one.
    let run = run_in(tmp.path(), &[], &["new", "breve", "Perdu", "--root", "."]);
    run.failure();
    assert_eq!(
        run.stderr,
        "error: there is no site.toml in this folder: is it the column's folder? `chronique init` creates a column\n",
        "{run}"
    );
}

/// Issue 21: with no site.toml up the tree, or none in the folder `--root` names, every command
/// says plainly that there is no site there: no made-up `site.toml:1:1`, one `error:`.
#[test]
fn no_site_here_is_said_plainly_by_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("vide");
    fs::create_dir(&empty).unwrap();
    let commands: [&[&str]; 4] = [
        &["build"],
        &["check"],
        &["new", "breve", "Perdu"],
        &["serve", "--port", "0"],
    ];
    for args in commands {
        let run = run_in(&empty, &[], args);
        run.failure();
        assert!(
            run.stderr
                .starts_with("error: there is no site.toml in this folder or in its parents"),
            "{args:?}\n{run}"
        );
        let mut rooted = args.to_vec();
        rooted.extend(["--root", "vide"]);
        let run = run_in(tmp.path(), &[], &rooted);
        run.failure();
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error: there is no site.toml in vide: ")
                || first.starts_with("error: cannot use ") && first.contains("it has no site.toml"),
            "{rooted:?}\n{run}"
        );
        assert!(!run.stderr.contains("site.toml:1:1"), "{rooted:?}\n{run}");
        assert!(!run.stderr.contains("error: error:"), "{rooted:?}\n{run}");
    }
    assert!(files(tmp.path()).is_empty(), "something was written");
}

/// A column whose site.toml is wrong is still a column: `new` shows the mistake as `build`
/// does, once labelled, without asking whether the folder is a column.
#[test]
fn new_with_a_broken_site_toml_shows_the_mistake_once() {
    let site = Site::fixture("basic");
    let toml = fs::read_to_string(site.path("site.toml")).unwrap();
    fs::write(site.path("site.toml"), format!("{toml}titel = \"x\"\n")).unwrap();
    let run = site.run(&["new", "breve", "Zut"]);
    run.failure();
    assert!(
        run.stderr.starts_with("error: site.toml:") && run.stderr.contains("unknown key `titel`"),
        "{run}"
    );
    assert!(!run.stderr.contains("error: error:"), "{run}");
    assert!(!run.stderr.contains("a column?"), "{run}");
}

/// The commands work from any folder of the column (issue 21): the site is the nearest folder
/// with a site.toml, and paths printed are relative to where the command runs.
#[test]
fn commands_find_the_site_from_a_subfolder() {
    let site = Site::fixture("basic");
    let inside = site.path("content/breves");
    let run = run_in(&inside, &[], &["build", "--quiet"]);
    run.success();
    assert!(
        site.path("public/breves/punition/index.html").is_file(),
        "{run}"
    );
    let run = run_in(&inside, &[], &["check"]);
    run.success();
    let run = run_in(&inside, &[], &["new", "breve", "Depuis un sous-dossier"]);
    run.success();
    let printed = run.stdout.trim();
    assert!(
        printed.starts_with("../../content/breves/"),
        "a path the caller can open from where it is: {printed}"
    );
    assert!(inside.join(printed).is_file(), "{printed}");
}

/// `serve` finds the column from one of its folders too, and builds it (issue 21).
#[test]
fn serve_finds_the_site_from_a_subfolder() {
    use std::io::{BufRead, BufReader};
    let site = Site::fixture("basic");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("chronique"))
        .current_dir(site.path("content/breves"))
        .args(["serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start chronique serve");
    let stdout = child.stdout.take().expect("its output");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let serving = std::iter::from_fn(|| rx.recv_timeout(std::time::Duration::from_secs(30)).ok())
        .find(|l| l.starts_with("serving http://"));
    let _ = child.kill();
    let _ = child.wait();
    assert!(serving.is_some(), "serve printed no address");
    assert!(
        site.path(".chronique-serve/breves/punition/index.html")
            .is_file(),
        "serve built the site around the folder"
    );
}
