//! `chronique import wordpress` (issue 24, first slice): a hand-written WordPress export
//! imported into a fresh `init` site, which then builds with no error; the imported front
//! matter, the built HTML, a second run that changes nothing, `--dry-run`, `--force`.

mod common;

use std::fs;
use std::path::Path;

use common::{Run, run_in, sel, snapshot, texts};
use serde_json::{Value, json};

const EPOCH: &str = "1767225600";

fn export() -> String {
    common::fixtures()
        .join("import/chronique.wordpress.xml")
        .to_string_lossy()
        .into_owned()
}

/// A fresh column, from `chronique init`, in a temporary folder.
fn fresh_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    run_in(tmp.path(), &[], &["init", "site", "-q"]).success();
    (tmp, root)
}

fn chronique(root: &Path, args: &[&str]) -> Run {
    run_in(root, &[("SOURCE_DATE_EPOCH", EPOCH)], args)
}

fn import(root: &Path, extra: &[&str]) -> Run {
    let export = export();
    let mut args = vec!["import", "wordpress", export.as_str()];
    args.extend_from_slice(extra);
    chronique(root, &args)
}

/// The front matter of an imported file, parsed.
fn front(root: &Path, rel: &str) -> Value {
    let text = fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let yaml = text.split("---\n").nth(1).unwrap();
    serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{rel}: {e}\n{text}"))
}

#[test]
fn a_wordpress_export_becomes_a_site_that_builds() {
    let (_tmp, root) = fresh_site();
    let uploads = common::fixtures().join("import/uploads");
    let map = common::fixtures().join("import/map.toml");
    let run = import(
        &root,
        &[
            "--uploads",
            uploads.to_str().unwrap(),
            "--map",
            map.to_str().unwrap(),
        ],
    );
    run.success();
    for words in [
        "post: 1 draft, 1 future, 1 pending, 1 private, 7 publish",
        "nav_menu_item: 1 publish",
        "attachment: 1 inherit",
        "revision: 1 inherit",
        // The mapping used, as a --map file's TOML.
        "  [categories.ca-magace]  # Ça m’agaaaace\n  section = \"decryptages\"\n  kind = \"irritant\"\n",
        "  [categories.contes]  # Contes\n  section = \"contes\"\n  kind = \"conte\"\n",
        "  irritants = [\"attente\"]",
        "series « Le guichet » → content/series/le-guichet.md: parts 1, 2, 3 of 3",
        "breakdown « Ça m’agace : la facture fausse »: kind irritant, 3 steps, 3 findings",
        "« Ça m’agace : la résiliation »: it looks like a breakdown, but « Étape 3 » where « Étape 2 » was expected",
        "Claire Morel → content/authors/claire.md",
        "posts: 11 created, 0 unchanged",
        "shortcodes and embeds converted: caption ×1 → figure, embed ×1 → video, embed block ×1 → video, gallery ×1 → figure, image block ×1 → figure, video address ×1 → video",
        "shortcodes kept as they are, to convert by hand: [sondage] ×1",
        "old /?p=<id> links: 12 posts and pages also answer at /p/<id>/",
        "comments: 2 approved archived; 3 dropped (pending, spam, trash, pingbacks)",
        "Netlify (static/_redirects):  /  p=:id  /p/:id/  301",
        "links between imported posts made @/ links (checked by each build): 4",
        "« Le guichet (fin – 3#3) »: 1 link to other posts had an anchor (#…), dropped",
        "images and other uploads (copied beside their post): 1 created",
        "uploads not copied (not in the uploads folder)",
        "« Le remboursement & la facture (Gutenberg) »: https://relationclient.example.fr/wp-content/uploads/2019/05/absente.jpg",
    ] {
        assert!(run.stdout.contains(words), "{words:?} in\n{run}");
    }

    // With an upload, the post is a bundle: its image beside it, the featured one its `image`.
    let punition = front(
        &root,
        "content/breves/breve-de-relation-client-punition/index.md",
    );
    assert_eq!(
        punition["image"],
        json!({"src": "file.jpg", "alt": "La file d'attente au guichet"})
    );
    assert_eq!(
        fs::read(root.join("content/breves/breve-de-relation-client-punition/file.jpg")).unwrap(),
        fs::read(uploads.join("2018/03/file.jpg")).unwrap()
    );
    assert_eq!(punition["title"], "La punition");
    // The blog's local time, with its offset then: the day its author saw.
    assert_eq!(punition["date"], "2018-03-12T09:30:00+01:00");
    // The excerpt written by hand is the summary.
    assert_eq!(
        punition["summary"],
        "Vingt-deux minutes d'attente, et une punition."
    );
    assert_eq!(punition["authors"], json!(["claire"]));
    // Tags are tags, but those the map makes irritants.
    assert_eq!(punition["tags"], json!(["Télécoms"]));
    assert_eq!(punition["irritants"], json!(["Attente"]));
    assert_eq!(punition["kind"], "breve");
    assert_eq!(
        punition["aliases"],
        json!(["/2018/03/12/breve-de-relation-client-punition/", "/p/14/"])
    );
    assert_eq!(punition.get("draft"), None);
    let text =
        fs::read_to_string(root.join("content/breves/breve-de-relation-client-punition/index.md"));
    let text = text.unwrap();
    // WordPress's shortcodes and embeds are chronique's (issue 23's names and arguments).
    for shortcode in [
        "{{ figure(src=\"file.jpg\", alt=\"La file d'attente\", caption=\"La file d'attente\", credit=\"Jean Dupont\") }}",
        "{{ video(url=\"https://vimeo.com/76979871\") }}",
        // A Gutenberg image with its caption, as a [caption].
        "{{ figure(src=\"file.jpg\", alt=\"Le guichet\", caption=\"Le guichet\", credit=\"Marie L\") }}",
        "{{ video(url=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\") }}",
        // The gallery's image: the attachment's alt text.
        "{{ figure(src=\"file.jpg\", alt=\"La file d'attente au guichet\") }}",
    ] {
        assert!(
            text.contains(&format!("\n\n{shortcode}\n\n")),
            "{shortcode} in\n{text}"
        );
    }
    // A missing upload keeps its reference.
    let gutenberg_text =
        fs::read_to_string(root.join("content/decryptages/remboursement-facture.md")).unwrap();
    assert!(
        gutenberg_text
            .contains("(https://relationclient.example.fr/wp-content/uploads/2019/05/absente.jpg)"),
        "{gutenberg_text}"
    );
    assert!(text.contains("un [sondage id=\"12\"] en fin"), "{text}");
    // WordPress's <!--more--> is chronique's.
    assert!(
        text.contains("appelé.\n\n<!-- more -->\n\nLe conseiller"),
        "{text}"
    );
    // The first category is the section; the title's entity decoded once.
    let gutenberg = front(&root, "content/decryptages/remboursement-facture.md");
    assert_eq!(
        gutenberg["title"],
        "Le remboursement & la facture (Gutenberg)"
    );
    assert_eq!(gutenberg["authors"], json!(["jbarbier"]));
    // Scheduled on its date; drafts and private posts are drafts; no category: `articles`.
    let future = front(&root, "content/articles/conte-a-venir.md");
    assert_eq!(future["date"], "2030-12-24T08:00:00+01:00");
    assert_eq!(future.get("draft"), None);
    assert_eq!(front(&root, "content/articles/prive.md")["draft"], true);
    // A draft has no GMT date nor slug: its local date, a slug from its title, no `?p=` alias.
    let draft = front(&root, "content/decryptages/brouillon-l-attente.md");
    assert_eq!(draft["draft"], true);
    assert_eq!(draft["date"], "2020-01-15T14:00:00");
    assert_eq!(draft["aliases"], json!(["/p/31/"]));
    let page = front(&root, "content/qui-sommes-nous.md");
    assert_eq!(page["title"], "À propos");
    assert_eq!(page["aliases"], json!(["/a-propos/", "/p/2/"]));
    column_structures(&root);
    archived_comments(&root);
    assert_eq!(
        front(&root, "content/authors/jbarbier.md")["name"],
        "Julien Barbier"
    );
    // Attachments and revisions are not written.
    assert!(!root.join("content/articles/file.md").exists());
    assert!(!root.join("content/breves/14-revision-v1.md").exists());

    builds_with_the_imported_html(&root);
    // `check` verifies every link (the @/ ones, the aliases, the images) and finds no error.
    let check = chronique(&root, &["check"]);
    check.success();
    assert!(check.stdout.contains("0 errors"), "{check}");
    // The warnings are those of `init`'s placeholders, none about an imported file.
    for line in check.stderr.lines().filter(|l| l.starts_with("warning:")) {
        let init = [
            "warning: content/mentions-legales.md:",
            "warning: site.toml:",
        ];
        assert!(init.iter().any(|w| line.starts_with(w)), "{line}");
    }
}

/// Approved comments only, in a data file per post, with no e-mail, IP address nor URL.
fn archived_comments(root: &Path) {
    let rel = "comments/breves/breve-de-relation-client-punition.yaml";
    let text = fs::read_to_string(root.join(rel)).unwrap();
    for secret in [
        "@",
        "192.0.2.7",
        "198.51.100.2",
        "spam.example",
        "Casino",
        "Paul",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    let data: Value = serde_saphyr::from_str(&text).unwrap();
    let comments = data["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 2, "{text}");
    assert_eq!(comments[0]["author"], "Marie L.");
    assert_eq!(comments[0]["date"], "2018-03-12T11:01:00+01:00");
    assert_eq!(
        comments[0]["text"],
        "Même chose chez moi : 40 minutes.\n\nEt la musique !"
    );
    assert_eq!(comments[1]["parent"], "1");
}

/// A series from its titles' marks, a breakdown from its headings, and one that does not parse.
fn column_structures(root: &Path) {
    let series = front(root, "content/series/le-guichet.md");
    assert_eq!(series, json!({"title": "Le guichet", "parts": 3}));
    for part in 1..=3 {
        let post = front(root, &format!("content/contes/le-guichet-{part}.md"));
        assert_eq!(post["series"], "le-guichet");
        assert_eq!(post["part"], part);
        assert_eq!(post["kind"], "conte");
        assert_eq!(post["title"], format!("Le guichet ({part}/3)"));
    }
    let rel = "content/decryptages/ca-magace-facture-fausse.md";
    let breakdown = front(root, rel);
    assert_eq!(breakdown["kind"], "irritant");
    assert_eq!(
        breakdown["context"],
        "Je viens de payer une facture envoyée par mon opérateur."
    );
    assert_eq!(breakdown["steps"].as_array().unwrap().len(), 3);
    assert_eq!(
        breakdown["steps"][1],
        "Je signale le problème. Au service client, par téléphone."
    );
    let findings = breakdown["findings"].as_array().unwrap();
    let kinds: Vec<&str> = findings
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["problem", "effort", "frustration"]);
    assert_eq!(findings[1]["effort"], "financier");
    assert_eq!(findings[1]["steps"], json!([1, 2]));
    assert_eq!(findings[2]["steps"], json!([3]));
    assert_eq!(
        breakdown["basics"],
        json!(["Facturer le bon montant.", "Rappeler quand on l'a promis."])
    );
    let text = fs::read_to_string(root.join(rel)).unwrap();
    let body = text.split("---\n").nth(2).unwrap();
    assert_eq!(
        body,
        "Ce matin, une facture de trop.\n\n## Comment réparer\n\nRembourser sans attendre.\n"
    );
    // Links between imported posts are @/ links; a link to a draft stays as it was.
    let text = fs::read_to_string(root.join("content/contes/le-guichet-3.md")).unwrap();
    assert!(
        text.contains("[le début](@/contes/le-guichet-1.md)"),
        "{text}"
    );
    // An anchor would point at WordPress's headings: dropped, and said.
    assert!(
        text.contains("[la suite](@/contes/le-guichet-2.md)"),
        "{text}"
    );
    assert!(
        text.contains("[le brouillon](https://relationclient.example.fr/?p=31)"),
        "{text}"
    );
    let text = fs::read_to_string(root.join("content/decryptages/remboursement-facture.md"));
    assert!(
        text.unwrap()
            .contains("[service client](@/breves/breve-de-relation-client-punition/index.md)")
    );
    // A pending post is a draft; ?page_id= links lead to the page; Gutenberg's quote is one.
    let pending = front(root, "content/breves/en-relecture.md");
    assert_eq!(pending["draft"], true);
    let text = fs::read_to_string(root.join("content/breves/en-relecture.md")).unwrap();
    assert!(
        text.contains("[qui nous sommes](@/qui-sommes-nous.md)"),
        "{text}"
    );
    assert!(
        text.contains("> Votre appel est important pour nous."),
        "{text}"
    );
    // What does not parse stays in the body, as an article.
    let rel = "content/decryptages/ca-magace-resiliation.md";
    assert_eq!(front(root, rel).get("kind"), None);
    let text = fs::read_to_string(root.join(rel)).unwrap();
    assert!(
        text.contains("## Étape 3\n\nOn me prélève encore."),
        "{text}"
    );
}

fn raw_html(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join("public").join(rel)).unwrap()
}

fn builds_with_the_imported_html(root: &Path) {
    let run = chronique(root, &["build"]);
    run.success();
    assert!(!run.stderr.contains("error"), "{run}");
    let page = |rel: &str| {
        let text = fs::read_to_string(root.join("public").join(rel)).unwrap();
        scraper::Html::parse_document(&text)
    };
    let punition = page("breves/breve-de-relation-client-punition/index.html");
    assert_eq!(
        texts(&punition, "main ul > li > ol > li"),
        ["une fois", "deux fois"]
    );
    let link = punition
        .select(&sel("main a[href='https://exemple.fr/tarifs']"))
        .next();
    assert_eq!(
        link.map(|a| a.text().collect::<String>()),
        Some("les tarifs".into())
    );
    let main = texts(&punition, "main p").join("\n");
    // `&nbsp;` decoded once: a space, never the entity's text.
    let raw =
        fs::read_to_string(root.join("public/breves/breve-de-relation-client-punition/index.html"));
    assert!(raw.unwrap().contains("Vivaldi\u{a0}: c’est"));
    // Kept verbatim in the Markdown (the site's typography then curls its quotes).
    assert!(main.contains("[sondage id="), "{main}");
    assert!(
        !raw_html(root, "breves/breve-de-relation-client-punition/index.html")
            .contains("@exemple.fr")
    );
    assert!(main.contains("5 * 3"), "{main}");
    assert!(!main.contains("&nbsp;"), "{main}");
    let gutenberg = page("decryptages/remboursement-facture/index.html");
    // The breakdown is shown as one: its steps in the timeline.
    let breakdown = page("decryptages/ca-magace-facture-fausse/index.html");
    let main = texts(&breakdown, "main").join("\n");
    assert!(
        main.contains("On me promet un rappel qui ne vient jamais."),
        "{main}"
    );
    assert!(main.contains("Facturer le bon montant."), "{main}");
    assert_eq!(texts(&gutenberg, "main table th"), ["Étape", "Durée"]);
    assert_eq!(
        texts(&gutenberg, "main table td")[2],
        "Courrier | recommandé"
    );
    assert!(texts(&gutenberg, "main pre code")[0].contains("rappeler(<demain>);"));
    // The archived comments, read-only, under their heading; no e-mail in the page.
    assert_eq!(
        texts(&punition, ".archived-comments h2"),
        ["Commentaires archivés"]
    );
    let comments = texts(&punition, ".archived-comments li");
    assert_eq!(comments.len(), 2, "{comments:?}");
    assert!(comments[0].contains("Marie L.") && comments[0].contains("40 minutes"));
    assert_eq!(
        common::attrs(&punition, ".archived-comments li", "class"),
        ["reply"]
    );
    assert!(
        punition
            .select(&sel(".archived-comments form, .archived-comments input"))
            .next()
            .is_none()
    );
    // The image is published beside the post, and shown.
    assert!(
        root.join("public/breves/breve-de-relation-client-punition/file.jpg")
            .is_file()
    );
    let srcs = common::attrs(&punition, "main img", "src");
    assert!(srcs.iter().any(|s| s.ends_with("file.jpg")), "{srcs:?}");
    // Categories are sections, tags terms (the map's irritants apart), series a series page.
    assert!(root.join("public/etiquettes/telecoms/index.html").is_file());
    let attente = page("irritants/attente/index.html");
    let listed = texts(&attente, "main h2 a, main h3 a").join("\n");
    assert!(listed.contains("La punition"), "{listed}");
    let series = page("series/le-guichet/index.html");
    let parts = texts(&series, "main li a").join("\n");
    for part in 1..=3 {
        assert!(parts.contains(&format!("Le guichet ({part}/3)")), "{parts}");
    }
    // Internal links lead to the posts' new addresses.
    let guichet = page("contes/le-guichet-3/index.html");
    let hrefs = common::attrs(&guichet, "main a", "href");
    assert!(
        hrefs.iter().any(|h| h.ends_with("/contes/le-guichet-1/")),
        "{hrefs:?}"
    );
    // The old permalinks answer, and /p/<id>/ for the old /?p=<id>.
    let redirect = fs::read_to_string(root.join("public/p/14/index.html")).unwrap();
    assert!(
        redirect.contains("/breves/breve-de-relation-client-punition/"),
        "{redirect}"
    );
    // The old permalink answers.
    assert!(
        root.join("public/2018/03/12/breve-de-relation-client-punition/index.html")
            .is_file()
    );
    assert!(root.join("public/a-propos/index.html").is_file());
}

#[test]
fn a_second_run_changes_nothing_and_dry_run_writes_nothing() {
    let (_tmp, root) = fresh_site();
    let before = snapshot(&root);
    let dry = import(&root, &["--dry-run"]);
    dry.success();
    assert!(dry.stdout.contains("posts: 11 to create"), "{dry}");
    assert_eq!(snapshot(&root), before, "--dry-run wrote");

    import(&root, &[]).success();
    let imported = snapshot(&root);
    let again = import(&root, &[]);
    again.success();
    assert!(again.stdout.contains("nothing to do"), "{again}");
    assert!(
        again.stdout.contains("posts: 0 created, 11 unchanged"),
        "{again}"
    );
    assert_eq!(snapshot(&root), imported, "a second run changed files");
}

#[test]
fn an_existing_different_file_is_replaced_only_with_force() {
    let (_tmp, root) = fresh_site();
    import(&root, &[]).success();
    let rel = "content/articles/prive.md";
    fs::write(
        root.join(rel),
        "---\ntitle: Mon texte\ndate: 2020-01-01\n---\nÀ moi.\n",
    )
    .unwrap();
    fs::remove_file(root.join("content/articles/conte-a-venir.md")).unwrap();
    let before = snapshot(&root);
    let run = import(&root, &[]);
    run.failure();
    assert!(
        run.stderr
            .contains("never overwrites a file: nothing was written"),
        "{run}"
    );
    assert!(run.stderr.contains(rel), "{run}");
    // Nothing at all: not even the missing file.
    assert_eq!(snapshot(&root), before);
    let forced = import(&root, &["--force"]);
    forced.success();
    assert!(forced.stdout.contains("1 replaced"), "{forced}");
    assert!(
        fs::read_to_string(root.join(rel))
            .unwrap()
            .contains("Réservé.")
    );
    assert!(root.join("content/articles/conte-a-venir.md").is_file());
}

#[test]
fn hostile_or_missing_exports_are_errors_not_panics() {
    let (tmp, root) = fresh_site();
    let bomb = tmp.path().join("bomb.xml");
    fs::write(
        &bomb,
        "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]>\n<rss>&b;</rss>",
    )
    .unwrap();
    let before = snapshot(&root);
    let run = chronique(&root, &["import", "wordpress", bomb.to_str().unwrap()]);
    run.failure();
    assert!(run.stderr.contains("bomb.xml:2:1: a DOCTYPE"), "{run}");
    // Invalid UTF-8 and a cut file: errors at their line, nothing written.
    let bad = tmp.path().join("bad.xml");
    let mut bytes = b"<?xml version=\"1.0\"?>\n<rss><channel>\n<title>caf".to_vec();
    bytes.extend_from_slice(b"\xe9</title>\n</channel></rss>\n");
    fs::write(&bad, bytes).unwrap();
    let run = chronique(&root, &["import", "wordpress", bad.to_str().unwrap()]);
    run.failure();
    assert!(run.stderr.contains("bad.xml:3:"), "{run}");
    assert!(run.stderr.contains("invalid UTF-8"), "{run}");
    let cut = tmp.path().join("cut.xml");
    let whole = fs::read_to_string(export()).unwrap();
    fs::write(&cut, &whole[..whole.find("<wp:post_type>").unwrap()]).unwrap();
    let run = chronique(&root, &["import", "wordpress", cut.to_str().unwrap()]);
    run.failure();
    assert!(run.stderr.contains("cut.xml:"), "{run}");
    assert!(run.stderr.contains("it is cut short"), "{run}");
    let run = chronique(&root, &["import", "wordpress", "nowhere.xml"]);
    run.failure();
    assert!(run.stderr.contains("nowhere.xml: cannot read it"), "{run}");
    assert_eq!(snapshot(&root), before);
}

#[cfg(unix)]
#[test]
fn the_import_never_writes_through_a_symbolic_link() {
    let (tmp, root) = fresh_site();
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, root.join("content/ca-magace")).unwrap();
    let before = snapshot(&root);
    for force in [&[][..], &["--force"]] {
        let run = import(&root, force);
        run.failure();
        assert!(run.stderr.contains("never writes through one"), "{run}");
        assert!(run.stderr.contains("content/ca-magace/_index.md"), "{run}");
        assert_eq!(snapshot(&root), before);
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
    }
}

/// The imported `figure` and `video` shortcodes rendered by chronique's own (issue 23). On a
/// branch without them they are plain text, so this is switched on at the merge of both.
#[test]
fn imported_shortcodes_render_as_figures_and_videos() {
    let (_tmp, root) = fresh_site();
    let uploads = common::fixtures().join("import/uploads");
    import(&root, &["--uploads", uploads.to_str().unwrap()]).success();
    let run = chronique(&root, &["build"]);
    run.success();
    let text =
        fs::read_to_string(root.join("public/breves/breve-de-relation-client-punition/index.html"))
            .unwrap();
    let page = scraper::Html::parse_document(&text);
    let main = texts(&page, "main").join("\n");
    assert!(!main.contains("{{"), "a shortcode left as text:\n{main}");
    let figures = texts(&page, "main figure figcaption").join("\n");
    assert!(figures.contains("La file d'attente") || figures.contains("La file d’attente"));
    assert!(figures.contains("Jean Dupont"), "{figures}");
    let srcs = common::attrs(&page, "main figure img", "src");
    assert!(srcs.iter().any(|s| s.ends_with("file.jpg")), "{srcs:?}");
    // Without JavaScript a video is a link to it.
    let hrefs = common::attrs(&page, "main a", "href").join("\n");
    assert!(hrefs.contains("vimeo.com/76979871"), "{hrefs}");
    assert!(hrefs.contains("dQw4w9WgXcQ"), "{hrefs}");
}

#[test]
fn a_bad_map_is_an_error_at_its_line_and_nothing_is_written() {
    let (tmp, root) = fresh_site();
    let map = tmp.path().join("map.toml");
    fs::write(&map, "[categories.breves]\nkind = \"brève\"\n").unwrap();
    let before = snapshot(&root);
    let run = import(&root, &["--map", map.to_str().unwrap()]);
    run.failure();
    assert!(
        run.stderr
            .contains("map.toml:2:8: unknown kind \"brève\" for category breves"),
        "{run}"
    );
    assert!(run.stderr.contains("kind = \"brève\""), "{run}");
    assert_eq!(snapshot(&root), before);
}
