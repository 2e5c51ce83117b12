//! The authoring tools (issue 9): `chronique new` for every kind, `chronique init`, the
//! additions of `chronique check` (images, anchors, external links against a local server),
//! and the editorial calendar of `chronique serve`.

mod common;

use std::fs;

use common::{Site, run_in};

const COLUMN: &str = "authoring/column";

/// The path `new` printed: its last line.
fn printed_path(run: &common::Run) -> String {
    run.stdout.lines().last().unwrap_or_default().to_string()
}

#[track_caller]
fn builds_cleanly(site: &Site) {
    for args in [&["--drafts"][..], &[]] {
        let run = site.build(args);
        run.success();
        assert!(
            !run.stderr.contains("warning") && !run.stderr.contains("error"),
            "{run}"
        );
    }
}

#[test]
fn every_kind_of_new_file_builds_at_once() {
    let site = Site::fixture(COLUMN);
    let cases: [(&[&str], &str, &str); 6] = [
        (
            &["new", "breve", "Ça m'agace, « vraiment »"],
            "content/breves/ca-m-agace-vraiment.md",
            "breves/ca-m-agace-vraiment/index.html",
        ),
        (
            &[
                "new",
                "article",
                "Mesurer l'attente",
                "--author",
                "bruno-petit",
            ],
            "content/articles/mesurer-l-attente.md",
            "articles/mesurer-l-attente/index.html",
        ),
        (
            &["new", "irritant", "Le rappel promis"],
            "content/decryptages/le-rappel-promis.md",
            "decryptages/le-rappel-promis/index.html",
        ),
        (
            &["new", "conte", "Le deuxième guichet", "--series", "hiver"],
            "content/contes/le-deuxieme-guichet.md",
            "contes/le-deuxieme-guichet/index.html",
        ),
        (
            &["new", "conte", "Printemps, un", "--series", "printemps"],
            "content/contes/printemps-un.md",
            "contes/printemps-un/index.html",
        ),
        (
            &["new", "author", "Zoé Sansbillet"],
            "content/authors/zoe-sansbillet.md",
            "auteurs/zoe-sansbillet/index.html",
        ),
    ];
    for (args, file, page) in cases {
        let run = site.run(args);
        run.success();
        assert_eq!(printed_path(&run), file, "{run}");
        assert!(site.path(file).is_file(), "{file}");
        builds_cleanly(&site);
        let _ = fs::remove_dir_all(site.public());
        site.build(&["--drafts"]).success();
        assert!(site.has(page), "{page} after {args:?}");
    }

    let read = |rel: &str| fs::read_to_string(site.path(rel)).unwrap();
    let breve = read("content/breves/ca-m-agace-vraiment.md");
    assert!(
        breve.starts_with("---\ntitle: \"Ça m'agace, « vraiment »\"\ndate: 2026-01-01 "),
        "{breve}"
    );
    assert!(breve.contains("\nkind: breve\n"), "{breve}");
    // site.toml's default_author, unless --author says otherwise.
    assert!(breve.contains("\nauthors:\n  - alice-martin\n"), "{breve}");
    assert!(breve.contains("\n# summary: "), "{breve}");
    let article = read("content/articles/mesurer-l-attente.md");
    assert!(
        article.contains("\nauthors:\n  - bruno-petit\n"),
        "{article}"
    );

    let irritant = read("content/decryptages/le-rappel-promis.md");
    for key in [
        "\ncontext: ",
        "\nsteps:",
        "\n  - \"",
        "\nfindings: []",
        "\n#  - kind: effort",
    ] {
        assert!(irritant.contains(key), "{key:?} in\n{irritant}");
    }
    // Its findings are to be written: the commented example names a known effort type.
    assert!(irritant.contains("#    effort: financier"), "{irritant}");

    // Part 1 exists and part 2 is planned for 2026-06-01: the new post is part 2, on that date.
    let conte = read("content/contes/le-deuxieme-guichet.md");
    assert!(conte.contains("\nseries: hiver\npart: 2\n"), "{conte}");
    assert!(conte.contains("\ndate: 2026-06-01 "), "{conte}");
    // A new series: part 1, and its file written.
    let printemps = read("content/contes/printemps-un.md");
    assert!(
        printemps.contains("\nseries: printemps\npart: 1\n"),
        "{printemps}"
    );
    assert!(
        read("content/series/printemps.md").contains("title: \"Printemps\""),
        "the series file"
    );
    let author = read("content/authors/zoe-sansbillet.md");
    assert!(
        author.starts_with("---\nname: \"Zoé Sansbillet\"\n"),
        "{author}"
    );
}

#[test]
fn the_next_free_part_and_a_full_series() {
    let site = Site::fixture(COLUMN);
    // Parts 2 and 3 of "hiver" (3 parts), then no more.
    for (title, part) in [("Deux", 2), ("Trois", 3)] {
        let run = site.run(&["new", "conte", title, "--series", "hiver"]);
        run.success();
        let text = fs::read_to_string(site.path(&printed_path(&run))).unwrap();
        assert!(text.contains(&format!("\npart: {part}\n")), "{text}");
    }
    let run = site.run(&["new", "conte", "Quatre", "--series", "hiver"]);
    run.failure();
    assert!(
        run.stderr.contains(
            "series \"hiver\" already has its 3 parts; raise `parts` in content/series/hiver.md"
        ),
        "{run}"
    );
    assert!(!site.path("content/contes/quatre.md").exists());
    builds_cleanly(&site);
}

#[test]
fn new_never_overwrites() {
    let site = Site::fixture(COLUMN);
    let before = fs::read(site.path("content/breves/attente.md")).unwrap();
    let run = site.run(&["new", "breve", "Attente"]);
    run.failure();
    assert!(
        run.stderr.contains(
            "error: content/breves/attente.md already exists: `chronique new` never overwrites a file"
        ),
        "{run}"
    );
    assert_eq!(
        fs::read(site.path("content/breves/attente.md")).unwrap(),
        before
    );

    // Authors too.
    let before = fs::read(site.path("content/authors/alice-martin.md")).unwrap();
    site.run(&["new", "author", "Alice Martin"]).failure();
    assert_eq!(
        fs::read(site.path("content/authors/alice-martin.md")).unwrap(),
        before
    );

    // An unknown author would not build: refused, nothing written.
    let run = site.run(&["new", "breve", "Sans auteur", "--author", "personne"]);
    run.failure();
    assert!(
        run.stderr
            .contains("--author names \"personne\", but there is no content/authors/personne.md"),
        "{run}"
    );
    assert!(!site.path("content/breves/sans-auteur.md").exists());
}

#[test]
fn init_creates_a_column_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let env = [("SOURCE_DATE_EPOCH", "1767225600")];
    let run = run_in(tmp.path(), &env, &["init", "chronique-neuve"]);
    run.success();
    let root = tmp.path().join("chronique-neuve");
    for file in [
        "site.toml",
        ".gitignore",
        "content/breves/_index.md",
        "content/decryptages/_index.md",
        "themes/chronique/templates/page.html",
        "themes/chronique/static/css/chronique.css",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    let built = run_in(&root, &env, &["build"]);
    built.success();
    assert!(!built.stderr.contains("warning"), "{built}");
    assert!(root.join("public/index.html").is_file());
    assert!(root.join("public/breves/index.html").is_file());

    // The new column takes posts at once.
    run_in(&root, &env, &["new", "author", "Claire Morel"]).success();
    run_in(
        &root,
        &env,
        &["new", "irritant", "Le rappel", "--author", "claire-morel"],
    )
    .success();
    run_in(&root, &env, &["build", "--drafts"]).success();
    assert!(
        root.join("public/decryptages/le-rappel/index.html")
            .is_file()
    );

    // A folder with only hidden files (a fresh `git init`) is empty enough.
    let git = tmp.path().join("avec-git");
    fs::create_dir_all(git.join(".git")).unwrap();
    run_in(tmp.path(), &env, &["init", "avec-git"]).success();
    assert!(git.join("site.toml").is_file());
}

#[test]
fn init_refuses_a_folder_with_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("occupe");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("notes.txt"), "à garder").unwrap();
    let run = run_in(&dir, &[], &["init"]);
    run.failure();
    assert!(
        run.stderr.contains("is not empty (it has notes.txt)"),
        "{run}"
    );
    let left: Vec<_> = fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(left.len(), 1, "init wrote something");
    assert_eq!(
        fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "à garder"
    );
}
