//! The authoring tools (issue 9): `chronique new` for every kind, `chronique init`, the
//! additions of `chronique check` (images, anchors, external links against a local server),
//! and the editorial calendar of `chronique serve`.

mod common;
#[path = "fixtures/serve/harness.rs"]
mod harness;

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

/// Issue 21: the comments and examples of the files `new` writes are in the site's language.
#[test]
fn new_writes_its_comments_in_the_sites_language() {
    let french = [
        "# supprimez cette ligne pour publier\n",
        "# aliases:                # anciennes adresses qui redirigent ici\n",
        "#    effort: financier    # l'un de : financier, ",
        "# role: \"Chroniqueuse\"\n",
        "# parts: 3                # le nombre de parties prévues\n",
    ];
    let english = [
        "# remove this line to publish\n",
        "# aliases:                # old addresses that redirect here\n",
        "#    effort: financier    # one of: financier, ",
        "# role: \"Columnist\"\n",
        "# parts: 3                # how many parts it will have\n",
    ];
    for (language, expected, other) in [("fr", french, english), ("en", english, french)] {
        let site = Site::fixture(COLUMN);
        let toml = fs::read_to_string(site.path("site.toml")).unwrap();
        let toml = toml.replace("language = \"fr\"", &format!("language = \"{language}\""));
        site.write("site.toml", toml);
        let mut written = String::new();
        for args in [
            &["new", "breve", "Une brève"][..],
            &["new", "irritant", "Un irritant"],
            &["new", "author", "Zoé Sansbillet"],
            &["new", "conte", "Un conte", "--series", "ete"],
        ] {
            let run = site.run(args);
            run.success();
            for path in run.stdout.lines() {
                written.push_str(&fs::read_to_string(site.path(path)).unwrap());
            }
        }
        for (want, not) in expected.iter().zip(other) {
            assert!(written.contains(want), "{language}: {want:?} in\n{written}");
            assert!(!written.contains(not), "{language}: {not:?} in\n{written}");
        }
        builds_cleanly(&site);
    }
}

/// Issue 21: a series file made by `new --series conte-de-noel` was titled "Conte de noel". Its
/// title keeps the accents the site already writes, else `new` says to check it.
#[test]
fn new_titles_a_series_with_the_accents_the_site_writes() {
    let site = Site::fixture(COLUMN);
    let series_title = |slug: &str| {
        let text = fs::read_to_string(site.path(&format!("content/series/{slug}.md"))).unwrap();
        text.lines().nth(1).unwrap_or_default().to_string()
    };
    // From the new post's title.
    let run = site.run(&[
        "new",
        "conte",
        "Conte de Noël (1/2) : l'attente",
        "--series",
        "conte-de-noel",
    ]);
    run.success();
    assert_eq!(series_title("conte-de-noel"), "title: \"Conte de Noël\"");
    assert!(!run.stderr.contains("note:"), "{run}");
    // From --series as typed.
    let run = site.run(&["new", "conte", "Un", "--series", "Fête des mères"]);
    run.success();
    assert_eq!(series_title("fete-des-meres"), "title: \"Fête des mères\"");
    // From a post of the series that has no file yet.
    site.write(
        "content/contes/greve-1.md",
        "---\ntitle: \"La grève, premier jour\"\ndate: 2025-01-01\nkind: conte\nauthors: [alice-martin]\nseries: la-greve\npart: 1\n---\nTexte.\n",
    );
    site.run(&["new", "conte", "Deuxième jour", "--series", "la-greve"])
        .success();
    assert_eq!(series_title("la-greve"), "title: \"La grève\"");
    // Nothing to guess from: the slug, and a note saying where to edit the title.
    let run = site.run(&["new", "conte", "Premier", "--series", "conte-de-paques"]);
    run.success();
    assert_eq!(
        series_title("conte-de-paques"),
        "title: \"Conte de paques\""
    );
    assert_eq!(
        run.stderr,
        "note: the series is titled \"Conte de paques\", made from its slug: edit the title in content/series/conte-de-paques.md if it needs accents\n",
        "{run}"
    );
    assert_eq!(printed_path(&run), "content/contes/premier.md", "{run}");
    builds_cleanly(&site);
}

#[test]
fn sections_in_site_toml_choose_where_new_posts_go() {
    let site = Site::fixture(COLUMN);
    let toml = fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        format!("{toml}\n[sections]\nconte = \"tales\"\n"),
    );
    let run = site.run(&["new", "conte", "The queue"]);
    run.success();
    assert_eq!(printed_path(&run), "content/tales/the-queue.md");
    builds_cleanly(&site);
    site.build(&["--drafts"]).success();
    assert!(site.has("tales/the-queue/index.html"));
    // The others keep their default folder.
    let run = site.run(&["new", "breve", "Short"]);
    assert_eq!(printed_path(&run), "content/breves/short.md");
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

    // From elsewhere with --root, the printed path is one the caller can open.
    let run = run_in(
        site.tmp.path(),
        &[("SOURCE_DATE_EPOCH", "1767225600")],
        &["new", "breve", "Depuis ailleurs", "--root", "site"],
    );
    run.success();
    assert_eq!(printed_path(&run), "site/content/breves/depuis-ailleurs.md");
    assert!(site.tmp.path().join(printed_path(&run)).is_file());
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
fn new_bundle_writes_a_folder_with_index_md_that_builds_with_its_images() {
    let site = Site::fixture(COLUMN);
    let run = site.run(&["new", "article", "Le ticket de caisse", "--bundle"]);
    run.success();
    let rel = "content/articles/le-ticket-de-caisse/index.md";
    assert_eq!(printed_path(&run), rel);
    let text = fs::read_to_string(site.path(rel)).unwrap();
    assert!(text.contains("\nkind: article\n"), "{text}");
    builds_cleanly(&site);
    // Its photo beside it is published beside its page.
    // A JPEG's header (a build reads its size): the one of the fixture `static_files`.
    let photo = common::fixtures().join("static_files/content/breves/photo.jpg");
    site.write(
        "content/articles/le-ticket-de-caisse/ticket.jpg",
        fs::read(photo).unwrap(),
    );
    site.write(rel, text.replace("La suite.", "![Le ticket](ticket.jpg)"));
    builds_cleanly(&site);
    site.build(&["--drafts"]).success();
    assert!(site.has("articles/le-ticket-de-caisse/index.html"));
    assert!(site.has("articles/le-ticket-de-caisse/ticket.jpg"));
    let run = site.run(&["check", "--drafts"]);
    run.success();

    // Never over an existing bundle, nor on the slug of a plain post.
    let again = site.run(&["new", "article", "Le ticket de caisse", "--bundle"]);
    again.failure();
    assert!(
        again
            .stderr
            .contains(&format!("error: {rel} already exists")),
        "{again}"
    );
    let taken = site.run(&["new", "breve", "Attente", "--bundle"]);
    taken.failure();
    assert!(
        taken
            .stderr
            .contains("content/breves/attente.md already has the slug \"attente\" in breves/"),
        "{taken}"
    );
    assert!(!site.path("content/breves/attente").exists());
    let author = site.run(&["new", "author", "Zoé Faure", "--bundle"]);
    author.failure();
    assert!(
        author.stderr.contains("--bundle is for posts, not authors"),
        "{author}"
    );
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
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    // The theme is built into chronique (issue 21): `chronique theme eject` writes it out.
    assert!(!root.join("themes").exists());
    let built = run_in(&root, &env, &["build"]);
    built.success();
    // The only warning: base_url is still init's placeholder (see tests/publish.rs).
    assert_eq!(built.stderr.matches("warning: ").count(), 1, "{built}");
    assert!(
        built
            .stderr
            .contains("warning: site.toml:4:13: base_url \"https://exemple.fr/\" is a placeholder"),
        "{built}"
    );
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

// ---------------------------------------------------------------- check

const CHECK: &str = "authoring/check";

#[test]
fn check_reports_missing_images_and_files_where_they_are_written() {
    let site = Site::fixture(CHECK);
    // The build itself does not look at images: it succeeds.
    site.build(&[]).success();
    let run = site.run(&["check"]);
    run.failure();
    for line in [
        "error: content/breves/illustre.md:6:8: image \"absente.jpg\" not found: there is no breves/absente.jpg (in content/ or static/)",
        "error: content/breves/illustre.md:11:1: image \"photo.jpg\" not found: the page /breves/illustre/ asks for /breves/illustre/photo.jpg, which the site does not have",
        "= content/breves/photo.jpg is published at /breves/photo.jpg: write \"../photo.jpg\" or \"/breves/photo.jpg\"",
        "error: content/breves/illustre.md:15:19: image \"/img/absente.png\" not found",
        "error: content/breves/illustre.md:15:52: link \"/docs/guide.pdf\" not found",
    ] {
        assert!(run.stderr.contains(line), "lacks {line}\n{run}");
    }
    // What exists is not reported: /img/pixel.png, ../photo.jpg, /breves/, mailto:, and
    // everything in propre.md.
    assert!(!run.stderr.contains("pixel.png\" not found"), "{run}");
    assert!(!run.stderr.contains("\"../photo.jpg\" not found"), "{run}");
    assert!(!run.stderr.contains("propre.md"), "{run}");
    assert!(
        run.stderr
            .ends_with("6 errors: nothing was written; 0 warnings\n"),
        "{run}"
    );

    // Fixed, the check passes and says so.
    site.write(
        "content/breves/illustre.md",
        "---\ntitle: \"Illustré\"\ndate: 2025-02-02\nimage:\n  src: photo.jpg\n  alt: \"Un combiné\"\n---\n![Combiné](../photo.jpg)\n",
    );
    site.write(
        "content/articles/long.md",
        "---\ntitle: \"Long\"\ndate: 2025-03-03\n---\n## Le constat\n\n[Ici](#le-constat).\n",
    );
    let run = site.run(&["check"]);
    run.success();
    assert_eq!(
        run.stdout.lines().nth(1),
        Some("0 errors, 0 warnings"),
        "{run}"
    );
}

#[test]
fn check_reports_missing_anchors() {
    let site = Site::fixture(CHECK);
    let run = site.run(&["check"]);
    run.failure();
    for line in [
        "error: content/articles/long.md:10:19: no heading \"#nulle-part\" in this post",
        "error: content/articles/long.md:14:6: no heading \"#inexistant\" in @/breves/illustre.md",
    ] {
        assert!(run.stderr.contains(line), "lacks {line}\n{run}");
    }
    // Existing anchors, in the same page, another post, or the theme (#contenu), pass.
    assert_eq!(run.stderr.matches("no heading").count(), 2, "{run}");
}

/// A local web server for the external links: `/bon` 200, `/absent` 404, `/sans-head` 405 on
/// HEAD and 200 on GET, `/lent` answers after 6 s. Counts the requests per path.
struct LinkServer {
    server: std::sync::Arc<tiny_http::Server>,
    port: u16,
    hits: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl LinkServer {
    fn start() -> LinkServer {
        let server = std::sync::Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let hits = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (s, h) = (server.clone(), hits.clone());
        std::thread::spawn(move || {
            for request in s.incoming_requests() {
                let h = h.clone();
                std::thread::spawn(move || {
                    let head = *request.method() == tiny_http::Method::Head;
                    let path = request.url().to_string();
                    h.lock()
                        .unwrap()
                        .push(format!("{} {path}", if head { "HEAD" } else { "GET" }));
                    let status = match (path.as_str(), head) {
                        ("/bon", _) | ("/sans-head", false) => 200,
                        ("/sans-head", true) => 405,
                        ("/lent", _) => {
                            std::thread::sleep(std::time::Duration::from_secs(6));
                            200
                        }
                        _ => 404,
                    };
                    let _ = request
                        .respond(tiny_http::Response::from_string("ok").with_status_code(status));
                });
            }
        });
        LinkServer { server, port, hits }
    }

    fn hits(&self, what: &str) -> usize {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|h| *h == what)
            .count()
    }
}

impl Drop for LinkServer {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

#[test]
fn check_external_reports_broken_links_and_caches_good_ones() {
    let site = Site::fixture(COLUMN);
    let web = LinkServer::start();
    // A port nobody listens on: connection refused.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{}", web.port);
    site.write(
        "content/breves/liens.md",
        format!(
            "---\ntitle: \"Liens\"\ndate: 2025-11-03\n---\nUn [bon]({base}/bon) lien.\n\nUn [absent]({base}/absent), un [serveur sans HEAD]({base}/sans-head).\n\n<{base}/bon>\n\nUn [lent]({base}/lent) et un [fermé](http://127.0.0.1:{closed}/rien).\n"
        ),
    );
    // Without --external, nothing is fetched.
    site.run(&["check"]).success();
    assert_eq!(web.hits.lock().unwrap().len(), 0);

    let started = std::time::Instant::now();
    let run = site.run(&["check", "--external", "--timeout", "2"]);
    let first = started.elapsed();
    run.failure();
    for line in [
        format!("error: content/breves/liens.md:7:4: broken external link {base}/absent: HTTP 404"),
        // (the column depends on the length of the port numbers)
        "error: content/breves/liens.md:11:".to_string(),
        format!(": broken external link http://127.0.0.1:{closed}/rien: connection refused"),
        format!(
            "warning: content/breves/liens.md:11:4: external link {base}/lent could not be confirmed: no answer in time"
        ),
        // The post is not signed, in a site with authors.
        "warning: content/breves/liens.md:1:1: this post has no author".to_string(),
    ] {
        assert!(run.stderr.contains(&line), "lacks {line}\n{run}");
    }
    assert!(!run.stderr.contains(&format!("link {base}/bon")), "{run}");
    assert!(
        !run.stderr.contains(&format!("link {base}/sans-head")),
        "{run}"
    );
    assert!(
        run.stderr.ends_with(
            "2 errors: nothing was written; 2 warnings; 5 external links (0 from the cache): 2 broken, 1 unconfirmed\n"
        ),
        "{run}"
    );
    // HEAD first; GET only where HEAD was refused or failed. Two links to /bon, one request.
    assert_eq!(web.hits("HEAD /bon"), 1);
    assert_eq!(web.hits("GET /bon"), 0);
    assert_eq!(web.hits("HEAD /sans-head"), 1);
    assert_eq!(web.hits("GET /sans-head"), 1);
    assert_eq!(web.hits("GET /absent"), 1);
    // A HEAD that timed out is not retried with a GET: a dead host costs one timeout.
    assert_eq!(web.hits("HEAD /lent"), 1);
    assert_eq!(web.hits("GET /lent"), 0);
    let cache = fs::read_to_string(site.path(".chronique-linkcache")).unwrap();
    assert!(cache.contains(&format!("\t200\t{base}/bon\n")), "{cache}");
    assert!(!cache.contains("/absent"), "{cache}");

    // The second run asks only about what was not good.
    let started = std::time::Instant::now();
    let run = site.run(&["check", "--external", "--timeout", "2"]);
    let second = started.elapsed();
    run.failure();
    assert!(
        run.stderr.contains("5 external links (2 from the cache)"),
        "{run}"
    );
    assert_eq!(web.hits("HEAD /bon"), 1, "fetched again");
    assert_eq!(web.hits("HEAD /sans-head"), 1, "fetched again");
    assert_eq!(web.hits("HEAD /absent"), 2);
    eprintln!("check --external: first run {first:?}, second run {second:?}");

    // Fixed, the check passes with the external links.
    site.write(
        "content/breves/liens.md",
        format!(
            "---\ntitle: \"Liens\"\ndate: 2025-11-03\nauthors: [alice-martin]\n---\nUn [bon]({base}/bon) lien.\n"
        ),
    );
    let run = site.run(&["check", "--external"]);
    run.success();
    assert!(
        run.stdout
            .contains("0 errors, 0 warnings; 1 external link (1 from the cache)"),
        "{run}"
    );
}

// ---------------------------------------------------------------- the editorial calendar

/// A copy of the repository's example column, for `chronique serve`.
fn example_column() -> harness::Site {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    for part in ["content", "themes"] {
        harness::copy_dir(&manifest.join(part), &root.join(part));
    }
    fs::copy(manifest.join("site.toml"), root.join("site.toml")).unwrap();
    harness::Site { tmp, root }
}

/// The `<section id="…">` of the calendar page.
fn calendar_section<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("<section id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no section {id} in\n{page}"));
    let end = page[start..].find("</section>").unwrap() + start;
    &page[start..end]
}

#[test]
fn the_calendar_lists_the_example_columns_scheduled_part_and_drafts() {
    let site = example_column();
    let server = harness::Server::start(&site, &[]);
    let reply = server.get("/__chronique/calendar");
    assert_eq!(reply.status, 200);
    assert!(reply.has_reload_script(), "{}", reply.body);
    let page = &reply.body;

    let scheduled = calendar_section(page, "scheduled");
    assert!(
        scheduled.contains("<h2>Billets programmés (1)</h2>"),
        "{scheduled}"
    );
    assert!(
        scheduled.contains("<time class=\"date\" datetime=\"2036-12-24\">24\u{a0}décembre 2036</time>Conte de Noël (3/3) : la nuit du 24 <span class=\"file\">content/contes/conte-de-noel-3.md</span>"),
        "{scheduled}"
    );
    let drafts = calendar_section(page, "drafts");
    assert!(drafts.contains("<h2>Brouillons (1)</h2>"), "{drafts}");
    assert!(
        drafts.contains("Les frais de dossier, ces passagers clandestins <span class=\"file\">content/breves/frais-de-dossier.md</span>"),
        "{drafts}"
    );
    // Without --drafts their previews do not exist: no link to a 404, a note instead.
    assert!(
        !page.contains("href=\"/contes/conte-de-noel-3/\""),
        "{page}"
    );
    assert!(
        !page.contains("href=\"/breves/frais-de-dossier/\""),
        "{page}"
    );
    assert!(drafts.contains("aperçu avec --drafts"), "{drafts}");
    assert_eq!(server.get("/contes/conte-de-noel-3/").status, 404);
    for id in ["announced", "gaps", "no-findings"] {
        assert!(calendar_section(page, id).contains("(0)</h2>"), "{id}");
    }
    assert!(
        calendar_section(page, "last-build")
            .contains("Avertissements de la dernière construction (0)")
    );

    // Never written: not by serve, not by build.
    assert!(!site.output().join("__chronique").exists());
    let built = common::run_in(&site.root, &[], &["build"]);
    built.success();
    assert!(!site.root.join("public/__chronique").exists());
    let listed = walk_names(&site.root.join("public"));
    assert!(!listed.iter().any(|n| n.contains("calendar")), "{listed:?}");
}

#[test]
fn with_drafts_the_calendar_links_to_previews_and_shows_what_is_stuck() {
    let site = example_column();
    // A breakdown without findings, a planned part nobody wrote, a gap, and a warning.
    site.write(
        "content/decryptages/sans-constat.md",
        "---\ntitle: \"Sans constat\"\ndate: 2025-01-05\nkind: irritant\nauthors: [claire-morel]\nsteps: [\"J'appelle.\"]\n---\nTexte.\n",
    );
    site.write(
        "content/series/printemps.md",
        "---\ntitle: \"Printemps\"\nparts: 4\nplanned:\n  - part: 2\n    date: 2037-03-21\n    title: \"Le dégel\"\n---\n",
    );
    site.write(
        "content/contes/printemps-1.md",
        "---\ntitle: \"Printemps, un\"\ndate: 2025-03-20\nkind: conte\nseries: printemps\npart: 1\n---\nTexte.\n",
    );
    site.write(
        "content/contes/printemps-4.md",
        "---\ntitle: \"Printemps, quatre\"\ndate: 2025-03-23\nkind: conte\nseries: printemps\npart: 4\n---\nTexte.\n",
    );
    let server = harness::Server::start(&site, &["--drafts"]);
    let page = server.get("/__chronique/calendar").body;

    // Previews exist with --drafts, and the calendar links to them.
    let scheduled = calendar_section(&page, "scheduled");
    assert!(
        scheduled.contains(
            "<a href=\"/contes/conte-de-noel-3/\">Conte de Noël (3/3) : la nuit du 24</a>"
        ),
        "{scheduled}"
    );
    assert!(
        calendar_section(&page, "drafts").contains("<a href=\"/breves/frais-de-dossier/\">"),
        "{page}"
    );
    assert_eq!(server.get("/contes/conte-de-noel-3/").status, 200);

    let announced = calendar_section(&page, "announced");
    assert!(
        announced.contains(
            "21\u{a0}mars 2037</time><a href=\"/series/printemps/\">Printemps — partie 2\u{a0}: Le dégel</a>"
        ),
        "{announced}"
    );
    let gaps = calendar_section(&page, "gaps");
    assert!(
        gaps.contains("ni billet ni plan pour la partie 3"),
        "{gaps}"
    );
    let bare = calendar_section(&page, "no-findings");
    assert!(
        bare.contains("<a href=\"/decryptages/sans-constat/\">Sans constat</a>"),
        "{bare}"
    );
    // The build warns about the gap (part 3 below the published part 4): the calendar shows it.
    let last = calendar_section(&page, "last-build");
    assert!(
        last.contains(
            "warning: content/contes/printemps-4.md:6:7: series &quot;printemps&quot; has no part 3"
        ),
        "{last}"
    );
}

fn walk_names(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        out.push(entry.file_name().to_string_lossy().into_owned());
        if entry.file_type().unwrap().is_dir() {
            out.extend(walk_names(&entry.path()));
        }
    }
    out
}
