//! Resource bombs a fuzzer (or a careless paste) can write, through the binary: each is refused
//! with an error at its line, or built with work proportional to its size. No test here is
//! timed: memory is bounded with `ulimit -v` (the old code failed an allocation and aborted),
//! floods by counting what is printed.

mod common;

use common::*;

/// The binary run like [`Site::build`], with its address space limited to `kib` KiB
/// (`ulimit -v`): what needed gigabytes aborts on a failed allocation instead of succeeding.
fn build_within(site: &Site, kib: u64) -> Run {
    build_with(site, kib, &[])
}

/// [`build_within`] with environment variables, killed if still running after two minutes
/// (then `code` is None): what used to run for hours fails instead of hanging the suite.
fn build_with(site: &Site, kib: u64, env: &[(&str, &str)]) -> Run {
    let bin = assert_cmd::cargo::cargo_bin("chronique");
    let dir = tempfile::tempdir().unwrap();
    let (out, err) = (dir.path().join("out"), dir.path().join("err"));
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {kib} && exec \"$0\" \"$@\""))
        .arg(&bin)
        .args(["build", "--root", site.root.to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", EPOCH.to_string())
        .envs(env.iter().copied())
        .current_dir(&site.root)
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .expect("run chronique under sh");
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > std::time::Duration::from_secs(120) {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    Run {
        code: status.and_then(|s| s.code()),
        stdout: std::fs::read_to_string(out).unwrap(),
        stderr: String::from_utf8_lossy(&std::fs::read(err).unwrap()).into_owned(),
    }
}

/// 1 GiB of address space: a small site needs a few tens of MiB.
const GIB: u64 = 1 << 20;

fn post(site: &Site, rel: &str, front: &str, body: &str) {
    site.write(
        &format!("content/{rel}"),
        format!("---\ntitle: \"{rel}\"\ndate: 2020-01-01\n{front}\n---\n{body}\n"),
    );
}

fn small_site() -> Site {
    let site = Site::from_dir(&fixtures().join("irritants/journey"));
    assert!(site.root.join("site.toml").is_file());
    site
}

/// Cause 7: a breakdown's views held every finding once per step it is on, each with all its
/// steps: 1 000 steps and four findings on all of them took about 2 GB (10 000 steps, 22 GB).
#[test]
fn a_breakdown_with_a_thousand_steps_builds_in_little_memory() {
    let site = small_site();
    let n = 1_000;
    let steps: Vec<String> = (1..=n).map(|i| format!("  - \"Étape {i}\"")).collect();
    let all: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
    let all = all.join(", ");
    let findings: Vec<String> = ["problem", "frustration", "problem", "frustration"]
        .iter()
        .map(|k| format!("  - {{kind: {k}, title: \"{k}\", detail: \"d\", steps: [{all}]}}"))
        .collect();
    post(
        &site,
        "decryptages/long.md",
        &format!(
            "kind: irritant\nsteps:\n{}\nfindings:\n{}",
            steps.join("\n"),
            findings.join("\n")
        ),
        "Corps.",
    );
    build_within(&site, GIB).success();
    let page = site.page_text("decryptages/long/index.html");
    // Each finding drawn once, with a mark on each of its steps.
    assert_eq!(page.matches(" id=\"finding-").count(), 4);
    assert_eq!(page.matches("<span style=--r:").count(), 4 * n);
    assert!(page.contains("id=\"etape-1000\""));
}

/// Cause 7, the bound: more than 1 000 steps is an error at `steps`.
#[test]
fn a_breakdown_over_a_thousand_steps_is_an_error_at_its_key() {
    let site = small_site();
    let steps = vec!["a"; 1_001].join(", ");
    post(
        &site,
        "decryptages/long.md",
        &format!("kind: irritant\nsteps: [{steps}]"),
        "",
    );
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr.contains(
            "content/decryptages/long.md:5:8: this breakdown has 1001 steps, over the limit of 1000"
        ),
        "{run}"
    );
}

/// Cause 6: `part: 4294967295` exhausted memory, `part: 100000` printed 99 999 warnings.
#[test]
fn a_huge_part_number_is_an_error_at_its_line() {
    let site = small_site();
    post(&site, "contes/un.md", "series: Le Guichet\npart: 1", "Un.");
    post(
        &site,
        "contes/enorme.md",
        "series: Le Guichet\npart: 4294967295",
        "Deux.",
    );
    let run = build_within(&site, GIB);
    run.failure();
    assert!(
        run.stderr.contains(
            "error: content/contes/enorme.md:5:7: part 4294967295 is over the limit of 1000 parts per series"
        ),
        "{run}"
    );
    assert!(run.stderr.contains("5 | part: 4294967295"), "{run}");
    assert!(run.stderr.contains("1 error: nothing was written"), "{run}");
}

/// Cause 6: a gap is one warning, not one per missing number.
#[test]
fn a_gap_in_a_series_is_one_warning() {
    let site = small_site();
    post(&site, "contes/un.md", "series: Le Guichet\npart: 1", "Un.");
    post(
        &site,
        "contes/mille.md",
        "series: Le Guichet\npart: 1000",
        "Mille.",
    );
    let run = site.build(&[]);
    run.success();
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{run}");
    assert!(
        run.stderr.contains(
            "content/contes/mille.md:5:7: series \"le-guichet\" has no parts 2 to 999: they are neither published nor planned"
        ),
        "{run}"
    );
}

/// Cause 14: an offset of +25:00 was published as written.
#[test]
fn an_offset_beyond_23_59_is_an_error_at_the_date() {
    let site = small_site();
    site.write(
        "content/breves/fuseau.md",
        "---\ntitle: Fuseau\ndate: 2019-12-17T08:30:00+25:00\n---\nTexte.\n",
    );
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr.contains(
            "content/breves/fuseau.md:3:7: invalid date \"2019-12-17T08:30:00+25:00\": the offset +25 is beyond ±23:59"
        ),
        "{run}"
    );
}

/// Cause 13: U+FFFE and U+FFFF in a title or a body made every feed invalid XML.
#[test]
fn noncharacters_never_reach_the_feeds() {
    let site = small_site();
    site.write(
        "content/breves/bizarre.md",
        "---\ntitle: \"Titre \\uFFFEbizarre\\uFFFF\"\ndate: 2020-01-01\n---\nUn \u{ffff}corps \u{fdd0}étrange\u{1}.\n",
    );
    site.build(&[]).success();
    for feed in ["atom.xml", "rss.xml", "sitemap.xml", "breves/atom.xml"] {
        if !site.has(feed) {
            continue;
        }
        let text = site.page_text(feed);
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{feed}: {e}"));
        for c in ['\u{fffe}', '\u{ffff}', '\u{fdd0}', '\u{1}'] {
            assert!(!text.contains(c), "{feed} has U+{:04X}", c as u32);
        }
    }
    let atom = site.page_text("atom.xml");
    assert!(atom.contains("Titre bizarre"), "{atom}");
    let json: serde_json::Value =
        serde_json::from_str(&site.page_text("feed.json")).expect("JSON feed");
    assert!(json["items"].as_array().is_some_and(|i| !i.is_empty()));
}

/// Cause 9: `## Note` 4 000 times took 18 s. The ids, checked here; the work is counted in the
/// unit test of the ids (`markdown::tests::identical_headings_take_linear_work`), since a test
/// that only took long would not fail.
#[test]
fn identical_headings_get_their_ids() {
    let site = small_site();
    post(
        &site,
        "breves/notes.md",
        "",
        &"## Note\n\nTexte.\n\n".repeat(2_000),
    );
    site.build(&[]).success();
    let page = site.page_text("breves/notes/index.html");
    assert!(page.contains("<h2 id=\"note\">"));
    assert!(page.contains("<h2 id=\"note-1999\">"));
}

/// Cause 6, every flood: the same warning on 300 posts is shown 20 times, then counted.
#[test]
fn a_flood_of_warnings_is_cut_with_a_count() {
    let site = small_site();
    for i in 0..300 {
        post(
            &site,
            &format!("breves/b{i}.md"),
            "context: \"x\"",
            "Texte.",
        );
    }
    let run = site.build(&[]);
    run.success();
    assert_eq!(run.stderr.matches("warning:").count(), 20, "{run}");
    assert!(
        run.stderr
            .contains("= … and 280 more warnings like this one, not shown"),
        "{run}"
    );
}

/// "Worth deciding": `café.md` twice, composed and decomposed, gave a message naming two
/// identical-looking files.
#[test]
fn a_clash_of_two_unicode_forms_shows_the_code_points() {
    let site = small_site();
    post(&site, "breves/caf\u{e9}.md", "", "A.");
    post(&site, "breves/cafe\u{301}.md", "", "B.");
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr
            .contains("two posts have the same URL /breves/cafe/"),
        "{run}"
    );
    assert!(
        run.stderr
            .contains("the same name in two Unicode forms (composed, NFC, and decomposed, NFD)"),
        "{run}"
    );
    assert!(run.stderr.contains("U+0065 U+0301"), "{run}");
}

/// Cause 8: two nested `range(end=100000)` ran for hours without a word. Past the deadline (one
/// second here, a minute by default) the build stops, naming the page and the template.
#[test]
fn a_template_that_loops_for_hours_is_stopped_at_the_deadline() {
    let site = small_site();
    site.write(
        "templates/page.html",
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}",
    );
    let run = build_with(&site, 4 * GIB, &[("CHRONIQUE_RENDER_DEADLINE_MS", "1000")]);
    run.failure();
    assert!(
        run.stderr.contains(
            "error: rendering /decryptages/facture-fausse/ with page.html took more than 1 s: stopped"
        ),
        "{run}"
    );
}

/// Cause 8: a loop that prints is refused at 64 MiB of page, an ordinary error at the template.
#[test]
fn a_template_that_prints_without_end_is_an_error_at_the_template() {
    let site = small_site();
    site.write(
        "templates/page.html",
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{{ j }}{% endfor %}{% endfor %}",
    );
    let run = build_with(&site, 4 * GIB, &[]);
    run.failure();
    assert!(
        run.stderr.contains(
            "error: templates/page.html:1:1: template error: the page is over the limit of 64 MiB: stopped"
        ),
        "{run}"
    );
    assert!(
        run.stderr
            .contains("= while rendering /decryptages/facture-fausse/"),
        "{run}"
    );
}

/// Cause 8: `set_global s = s ~ s` in a loop aborted the process on a failed allocation. With
/// 4 GiB of address space, the watchdog stops it at 1 GiB, naming the page and the template.
#[test]
fn a_template_that_doubles_a_string_is_stopped_before_memory_runs_out() {
    let site = small_site();
    site.write(
        "templates/page.html",
        "{% set_global s = \"xy\" %}{% for i in range(end=64) %}{% set_global s = s ~ s %}{% endfor %}{{ s }}",
    );
    let run = build_with(&site, 4 * GIB, &[]);
    run.failure();
    assert!(
        run.stderr.contains(
            "error: rendering /decryptages/facture-fausse/ with page.html used more than 1024 MiB of memory: stopped"
        ),
        "{run}"
    );
}
