//! The rebuilds of `chronique serve` reuse what they can (see `chronique::Session`); these tests
//! check that what they leave in the output folder is byte for byte what a full build of the
//! same files writes, edit after edit, and that the common edits do render only a few pages.

mod common;

use std::path::{Path, PathBuf};

use chronique::{BuildOptions, BuildReport, Session};
use common::{Site, files};

/// 2030-01-01: every post of the example column is published, the tale's third part too.
const NOW: i64 = 1_893_456_000;

fn options(root: &Path, output: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output_dir: Some(output.to_path_buf()),
        base_url: None,
        drafts: false,
        now: jiff::Timestamp::from_second(NOW).unwrap(),
    }
}

/// A session on a copy of the example column, built once.
struct Editing {
    site: Site,
    session: Session,
    output: PathBuf,
}

impl Editing {
    fn start() -> Editing {
        let site = Site::example();
        let output = site.path("serve-out");
        let mut session = Session::new(options(&site.path(""), &output));
        session.build(None).expect("the example column builds");
        Editing {
            site,
            session,
            output,
        }
    }

    /// Saves `rel` and rebuilds, telling the session which file changed.
    fn save(&mut self, rel: &str, text: &str) -> BuildReport {
        self.site.write(rel, text);
        self.rebuild(&[rel])
    }

    fn rebuild(&mut self, changed: &[&str]) -> BuildReport {
        let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
        match self.session.build(Some(&changed)) {
            Ok(report) => report,
            Err(d) => panic!("rebuild failed:\n{d}"),
        }
    }

    /// The session's output is what a full build of the same files writes (its report).
    fn assert_same_as_full_build(&self) -> BuildReport {
        let fresh = self.site.path("full-out");
        let _ = std::fs::remove_dir_all(&fresh);
        let full = BuildOptions {
            now: self.session.options.now,
            ..options(&self.site.path(""), &fresh)
        };
        let report = chronique::build(&full).expect("full build");
        let ours = files(&self.output);
        let full = files(&fresh);
        let ours_paths: Vec<&PathBuf> = ours.keys().collect();
        let full_paths: Vec<&PathBuf> = full.keys().collect();
        assert_eq!(ours_paths, full_paths, "not the same files");
        for (path, bytes) in &full {
            assert!(
                ours[path] == *bytes,
                "{} differs from the full build's: {}",
                path.display(),
                first_difference(&ours[path], bytes)
            );
        }
        report
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.site.path(rel)).unwrap()
    }
}

/// Where two outputs part, with some text around it: ours, then the full build's.
fn first_difference(ours: &[u8], full: &[u8]) -> String {
    let at = ours
        .iter()
        .zip(full)
        .position(|(a, b)| a != b)
        .unwrap_or(ours.len().min(full.len()));
    let around = |bytes: &[u8]| {
        let (start, end) = (at.saturating_sub(80), (at + 80).min(bytes.len()));
        String::from_utf8_lossy(&bytes[start..end]).into_owned()
    };
    format!(
        "at byte {at}\n  ours: {:?}\n  full: {:?}",
        around(ours),
        around(full)
    )
}

#[test]
fn editing_a_body_renders_only_the_pages_that_show_the_post() {
    let mut e = Editing::start();
    let rel = "content/breves/musique-attente.md";
    let text = e.read(rel);
    let report = e.save(
        rel,
        &format!("{text}\nUn paragraphe ajouté pendant l'aperçu.\n"),
    );
    assert!(
        report.rendered > 0 && report.rendered * 3 < report.pages,
        "rendered {} of {} pages",
        report.rendered,
        report.pages
    );
    assert!(patched(&report), "a body edit patches the kept site");
    let page = std::fs::read_to_string(e.output.join("breves/musique-attente/index.html")).unwrap();
    assert!(
        page.contains("Un paragraphe ajouté pendant l’aperçu."),
        "{page}"
    );
    e.assert_same_as_full_build();
}

/// Whether the rebuild patched the kept site (see `chronique::Session`) rather than assembling
/// the whole site again.
fn patched(report: &BuildReport) -> bool {
    report.timings.iter().any(|t| t.stage == "patch")
}

/// The kept site is patched only while "now" publishes what it did: once a scheduled post's
/// day has come, a body edit gives the full build of that day (the post out, in every list).
#[test]
fn a_body_edit_once_a_scheduled_post_is_due_gives_the_full_build() {
    let mut e = Editing::start();
    let rel = "content/breves/musique-attente.md";
    let text = e.read(rel);
    let report = e.save(rel, &format!("{text}\nUne phrase.\n"));
    assert!(patched(&report));
    let (_, due) = (report.unpublished.next.clone()).expect("the example has a scheduled post");
    let out = report.posts;
    e.session.options.now = due.instant + jiff::SignedDuration::from_secs(1);
    let report = e.save(rel, &format!("{text}\nUne autre phrase.\n"));
    assert!(
        !patched(&report),
        "a post came out: the site is assembled again"
    );
    assert_eq!(report.posts, out + 1, "the scheduled post is out");
    e.assert_same_as_full_build();
    let report = e.save(rel, &format!("{text}\nEncore une phrase.\n"));
    assert!(patched(&report), "the new site is kept");
    e.assert_same_as_full_build();
}

#[test]
fn editing_a_title_updates_every_list_and_related_post_that_shows_it() {
    let mut e = Editing::start();
    let rel = "content/breves/remboursement-quatorze-jours.md";
    let text = e.read(rel);
    let title_line = text.lines().find(|l| l.starts_with("title:")).unwrap();
    let report = e.save(
        rel,
        &text.replacen(title_line, "title: \"Un titre changé dans l'aperçu\"", 1),
    );
    assert!(report.rendered < report.pages, "{}", report.rendered);
    assert!(
        !patched(&report),
        "a new title changes the site's structure"
    );
    e.assert_same_as_full_build();
}

#[test]
fn a_change_of_date_order_terms_or_files_gives_the_full_build() {
    let mut e = Editing::start();
    // A new date moves the post in every list.
    let rel = "content/breves/creneau-du-matin.md";
    let text = e.read(rel);
    e.save(
        rel,
        &text.replacen(
            "date: 2025-02-06T07:45:00+01:00",
            "date: 2019-01-02T07:45:00+01:00",
            1,
        ),
    );
    e.assert_same_as_full_build();
    // A new irritant theme: a new term page.
    let text = e.read(rel);
    e.save(
        rel,
        &text.replacen(
            "  - \"Attente\"",
            "  - \"Attente\"\n  - \"Silence radio\"",
            1,
        ),
    );
    e.assert_same_as_full_build();
    // A new post, then the post deleted.
    let new = "content/breves/nouvelle.md";
    e.save(
        new,
        "---\ntitle: Nouvelle brève\ndate: 2026-03-01T08:00:00+01:00\nkind: breve\nauthors: [claire-morel]\nirritants: [Attente]\n---\nUn texte court.\n",
    );
    e.assert_same_as_full_build();
    std::fs::remove_file(e.site.path(new)).unwrap();
    e.rebuild(&[new]);
    e.assert_same_as_full_build();
}

#[test]
fn a_failed_rebuild_writes_nothing_and_the_next_good_one_catches_up() {
    let mut e = Editing::start();
    let rel = "content/articles/mesurer-attente.md";
    let good = e.read(rel);
    let before = files(&e.output);
    e.site
        .write(rel, good.replacen("title:", "title: [unclosed", 1));
    let changed = vec![PathBuf::from(rel)];
    let failed = e.session.build(Some(&changed));
    assert!(failed.is_err(), "a broken front matter must fail");
    assert!(
        files(&e.output) == before,
        "a failed rebuild changed the output"
    );
    // Fixed with other words than before: the pages must show them.
    e.save(
        rel,
        &format!("{good}\nUne phrase écrite après la correction.\n"),
    );
    e.assert_same_as_full_build();
}

#[test]
fn changes_outside_posts_rebuild_the_same_as_a_full_build() {
    let mut e = Editing::start();
    // An author's page, a series file and a template.
    let author = "content/authors/claire-morel.md";
    let text = e.read(author);
    e.save(
        author,
        &format!("{text}\nElle aime aussi les files d'attente bien tenues.\n"),
    );
    e.assert_same_as_full_build();
    let series = "content/series/conte-de-noel.md";
    let text = e.read(series);
    e.save(
        series,
        &format!("{text}\nUne ligne de plus dans la présentation.\n"),
    );
    e.assert_same_as_full_build();
    let template = "themes/chronique/templates/404.html";
    let text = e.read(template);
    e.save(
        template,
        &text.replacen("</div>", "<p>Perdu ?</p></div>", 1),
    );
    e.assert_same_as_full_build();
}

#[test]
fn editing_the_menus_in_site_toml_renders_every_page_as_a_full_build() {
    let mut e = Editing::start();
    let original = e.read("site.toml");
    let menus = "\n[[menu.main]]\nname = \"Le livre\"\nurl = \"https://editions.example.fr/livre\"\nweight = 20\n\n[[menu.main]]\nname = \"L'attente\"\npage = \"@/articles/mesurer-attente.md\"\nweight = 10\n\n[[menu.footer]]\nname = \"Les brèves\"\nurl = \"/breves/\"\n";
    // A menu added: on every page.
    let report = e.save("site.toml", &format!("{original}{menus}"));
    assert_eq!(report.rendered, report.pages);
    let home = std::fs::read_to_string(e.output.join("index.html")).unwrap();
    assert!(home.contains("editions.example.fr/livre"), "{home}");
    e.assert_same_as_full_build();
    // Reordered by a weight and renamed: every page again.
    let edited = menus
        .replace("weight = 20", "weight = 5")
        .replace("Les brèves", "Toutes les brèves");
    let report = e.save("site.toml", &format!("{original}{edited}"));
    assert_eq!(report.rendered, report.pages);
    e.assert_same_as_full_build();
    // Taken away: the sections come back.
    let report = e.save("site.toml", &original);
    assert_eq!(report.rendered, report.pages);
    e.assert_same_as_full_build();
}

#[test]
fn editing_a_draft_renders_nothing() {
    let mut e = Editing::start();
    let rel = "content/breves/frais-de-dossier.md";
    let text = e.read(rel);
    assert!(text.contains("draft: true"), "the example's draft changed");
    let report = e.save(rel, &format!("{text}\nEncore un brouillon.\n"));
    assert_eq!(report.rendered, 0);
    e.assert_same_as_full_build();
}

#[test]
fn an_output_folder_deleted_between_rebuilds_is_written_again_in_full() {
    let mut e = Editing::start();
    std::fs::remove_dir_all(&e.output).unwrap();
    let rel = "content/breves/musique-attente.md";
    let text = e.read(rel);
    let report = e.save(rel, &format!("{text}\nAprès la suppression du dossier.\n"));
    assert_eq!(report.rendered, report.pages);
    e.assert_same_as_full_build();
}

#[test]
fn editing_a_page_renders_it_alone_and_its_title_every_page() {
    let mut e = Editing::start();
    let rel = "content/mentions-legales.md";
    let text = e.read(rel);
    let report = e.save(rel, &format!("{text}\nUn paragraphe ajouté.\n"));
    assert_eq!(report.rendered, 1, "only the page itself");
    let page = std::fs::read_to_string(e.output.join("mentions-legales/index.html")).unwrap();
    assert!(page.contains("Un paragraphe ajouté."), "{page}");
    e.assert_same_as_full_build();
    // Its title is in `site.pages`, which every page gets.
    let report = e.save(
        rel,
        &text.replacen("title: Mentions légales", "title: Informations légales", 1),
    );
    assert_eq!(report.rendered, report.pages);
    e.assert_same_as_full_build();
    // A new page, then the page deleted.
    e.save(
        "content/contact.md",
        "---\ntitle: Contact\n---\nÉcrivez-nous.\n",
    );
    assert!(e.output.join("contact/index.html").is_file());
    e.assert_same_as_full_build();
    std::fs::remove_file(e.site.path("content/contact.md")).unwrap();
    e.rebuild(&["content/contact.md"]);
    assert!(!e.output.join("contact/index.html").exists());
    e.assert_same_as_full_build();
}

#[test]
fn a_bundles_image_and_slug_edited_while_serving_give_the_full_build() {
    let mut e = Editing::start();
    let index = "content/articles/le-ticket/index.md";
    let image = "content/articles/le-ticket/ticket.jpg";
    let post = |front: &str| {
        format!(
            "---\ntitle: \"Le ticket\"\ndate: 2025-03-01T08:00:00+01:00\nauthors: [claire-morel]\n{front}---\n![Le ticket](ticket.jpg)\n"
        )
    };
    // A new bundle: its page and its image.
    // (Real images: a file that is no image is an error where the page shows it.)
    let (first, second) = (common::jpeg(40, 30, 1), common::jpeg(50, 30, 1));
    e.site.write(image, &first);
    e.site.write(index, post(""));
    e.rebuild(&[index, image]);
    let written = |e: &Editing, rel: &str| std::fs::read(e.output.join(rel)).ok();
    // Published without its camera data (issue 22): the same pixels, no EXIF.
    let size = |bytes: Option<Vec<u8>>| {
        let bytes = bytes.expect("published");
        assert!(common::exif_fields(&bytes).is_empty());
        let image = image::load_from_memory(&bytes).expect("a JPEG");
        (image.width(), image.height())
    };
    assert_eq!(size(written(&e, "articles/le-ticket/ticket.jpg")), (40, 30));
    assert!(!first.is_empty());
    e.assert_same_as_full_build();
    // The image edited: republished.
    e.site.write(image, &second);
    e.rebuild(&[image]);
    assert_eq!(size(written(&e, "articles/le-ticket/ticket.jpg")), (50, 30));
    e.assert_same_as_full_build();
    // A new slug: the page and its image move.
    e.save(index, &post("slug: ticket-de-caisse\n"));
    assert!(written(&e, "articles/ticket-de-caisse/ticket.jpg").is_some());
    assert!(written(&e, "articles/le-ticket/ticket.jpg").is_none());
    e.assert_same_as_full_build();
    // A draft again: its image goes with its page; published again, it comes back.
    e.save(index, &post("draft: true\n"));
    assert!(written(&e, "articles/le-ticket/ticket.jpg").is_none());
    e.assert_same_as_full_build();
    e.save(index, &post(""));
    assert!(written(&e, "articles/le-ticket/ticket.jpg").is_some());
    e.assert_same_as_full_build();
}

#[test]
fn replacing_an_image_by_one_of_another_size_resizes_the_pages_that_show_it() {
    let mut e = Editing::start();
    let lead = "content/articles/chatbots-sans-issue.md";
    let lead_page = "articles/chatbots-sans-issue/index.html";
    let shown = |e: &Editing, page: &str| std::fs::read_to_string(e.output.join(page)).unwrap();
    assert!(
        shown(&e, lead_page).contains("width=\"1200\" height=\"500\""),
        "{lead}"
    );
    // A photo in a brève's body: its size is written, then changes with the file.
    let rel = "content/breves/musique-attente.md";
    let text = e.read(rel);
    e.site
        .write("content/breves/ticket.png", common::png(40, 30));
    e.site
        .write(rel, format!("{text}\n![Le ticket](../ticket.png)\n"));
    e.rebuild(&["content/breves/ticket.png", rel]);
    let page = "breves/musique-attente/index.html";
    assert!(shown(&e, page).contains("width=\"40\" height=\"30\""));
    e.site
        .write("content/breves/ticket.png", common::png(80, 20));
    e.rebuild(&["content/breves/ticket.png"]);
    assert!(shown(&e, page).contains("width=\"80\" height=\"20\""));
    e.assert_same_as_full_build();
    // The lead image of an article, from static/: its new size is on its page.
    let svg = "static/images/conversation-sans-issue.svg";
    let drawing = e.read(svg).replacen(
        "width=\"1200\" height=\"500\"",
        "width=\"600\" height=\"400\"",
        1,
    );
    e.save(svg, &drawing);
    assert!(shown(&e, lead_page).contains("width=\"600\" height=\"400\""));
    e.assert_same_as_full_build();
}

/// Archived comments (`comments/`, issue 24) are read outside `content/`, so a change to them
/// rebuilds in full (they are rarely edited): the page shows the new text, and the output is
/// what a full build writes.
#[test]
fn editing_a_posts_archived_comments_rebuilds_as_a_full_build() {
    let mut e = Editing::start();
    let rel = "comments/breves/musique-attente.yaml";
    let first = "comments:\n  - author: Marie\n    date: 2024-03-12T11:00:00+01:00\n    text: Vingt minutes de Vivaldi, moi aussi.\n";
    e.save(rel, first);
    let page = |e: &Editing| {
        std::fs::read_to_string(e.output.join("breves/musique-attente/index.html")).unwrap()
    };
    assert!(page(&e).contains("Vingt minutes de Vivaldi, moi aussi."));
    e.assert_same_as_full_build();
    e.save(rel, &first.replace("moi aussi", "et moi donc"));
    let text = page(&e);
    assert!(
        text.contains("et moi donc") && !text.contains("moi aussi"),
        "{text}"
    );
    e.assert_same_as_full_build();
}

#[test]
fn editing_a_shortcode_template_renders_the_posts_that_use_it() {
    let mut e = Editing::start();
    let template = "themes/chronique/templates/shortcodes/encadre.html";
    let text = e.read(template);
    let report = e.save(
        template,
        &text.replacen("role=\"note\">", "role=\"note\" data-edit=\"1\">", 1),
    );
    // The pages that show them (lists, terms, related posts), not the rest.
    assert!(
        report.rendered > 0 && report.rendered * 2 < report.pages,
        "rendered {} of {} pages",
        report.rendered,
        report.pages
    );
    // The post with a box has the new template.
    let page = "breves/creneau-du-matin/index.html";
    let html = std::fs::read_to_string(e.output.join(page)).unwrap();
    assert!(html.contains("data-edit=\"1\""), "{page} not re-rendered");
    e.assert_same_as_full_build();
    // And again: a second edit of the same template, then one of a shortcode no post uses.
    let text = e.read(template);
    e.save(
        template,
        &text.replace("data-edit=\"1\"", "data-edit=\"2\""),
    );
    e.assert_same_as_full_build();
    let toot = "themes/chronique/templates/shortcodes/toot.html";
    let text = e.read(toot);
    let report = e.save(toot, &text.replace("sc-toot-text", "sc-toot-words"));
    assert_eq!(report.rendered, 0, "no post quotes a toot");
    e.assert_same_as_full_build();
}

/// Issue 22: a photo edited while serving is the only one processed again (the others come
/// from the cache), its variants change with it, and the output is a full build's.
#[test]
fn editing_one_photo_while_serving_processes_only_that_photo() {
    let mut e = Editing::start();
    let rel = "content/breves/musique-attente.md";
    let text = e.read(rel);
    e.site
        .write("content/breves/file.jpg", common::photo(700, 500, 1, None));
    e.site.write(
        "content/breves/caisse.jpg",
        common::photo(600, 450, 1, None),
    );
    e.site.write(
        rel,
        format!("{text}\n![La file](../file.jpg)\n\n![La caisse](../caisse.jpg)\n"),
    );
    let report = e.rebuild(&["content/breves/file.jpg", "content/breves/caisse.jpg", rel]);
    assert_eq!(report.photos_processed, 2, "both new photos");
    e.site
        .write("content/breves/file.jpg", common::photo(720, 480, 1, None));
    let report = e.rebuild(&["content/breves/file.jpg"]);
    assert_eq!(
        (report.photos_processed, report.photos_cached >= 1),
        (1, true),
        "only the edited photo"
    );
    let variant = image::open(e.output.join("breves/file.480w.jpg")).unwrap();
    assert_eq!((variant.width(), variant.height()), (480, 320));
    e.assert_same_as_full_build();
    // A body edit processes no photo.
    let report = e.save(rel, &e.read(rel).replace("![La file]", "![La longue file]"));
    assert_eq!(report.photos_processed, 0);
    e.assert_same_as_full_build();
}

/// Issue 26: a long, seeded walk of edits — bodies, titles, dates, terms, posts added and
/// deleted, templates, pages, the series, authors, a shortcode, site.toml, and now and then a
/// broken post then its fix — each rebuilt through the session as `serve` does, and after each
/// step the output must be a full build's, byte for byte.
///
/// `CHRONIQUE_RANDOM_SEED` and `CHRONIQUE_RANDOM_STEPS` replay or lengthen a walk; a failure
/// prints the seed, the step and every edit so far.
#[test]
fn a_random_walk_of_edits_always_gives_the_full_build() {
    let seed = match std::env::var("CHRONIQUE_RANDOM_SEED") {
        Ok(s) => parse_seed(&s),
        Err(_) => 0x2026_0026,
    };
    let steps = match std::env::var("CHRONIQUE_RANDOM_STEPS") {
        Ok(s) => s.trim().parse().expect("CHRONIQUE_RANDOM_STEPS: a number"),
        Err(_) => 200,
    };
    let mut walk = Walk::start(seed);
    for step in 1..=steps {
        walk.trail.step = step;
        walk.step();
    }
    eprintln!("{} of {steps} rebuilds patched the kept site", walk.patched);
    assert!(
        steps < 50 || walk.patched * 10 > steps,
        "only {} of {steps} rebuilds were patched: the walk's body edits should be",
        walk.patched
    );
}

fn parse_seed(text: &str) -> u64 {
    let text = text.trim();
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    }
    .expect("CHRONIQUE_RANDOM_SEED: a number (decimal or 0x…)")
}

/// splitmix64: small, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One to `max` distinct items, in a random order.
    fn some<T: Clone>(&mut self, items: &[T], min: usize, max: usize) -> Vec<T> {
        let mut left: Vec<T> = items.to_vec();
        let n = min + self.below(max - min + 1);
        (0..n.min(left.len()))
            .map(|_| left.remove(self.below(left.len())))
            .collect()
    }
}

/// What the walk did, printed if a step fails (also on a panic inside the library).
struct Trail {
    seed: u64,
    step: usize,
    edits: Vec<String>,
}

impl Drop for Trail {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "random walk failed at step {} (CHRONIQUE_RANDOM_SEED={:#x} CHRONIQUE_RANDOM_STEPS={}); the edits so far:",
                self.step, self.seed, self.step
            );
            for edit in &self.edits {
                eprintln!("  {edit}");
            }
        }
    }
}

/// A file's front matter, line by line, and its body: the edits change keys without a YAML
/// writer, so that the rest of the file stays as its author wrote it.
struct Doc {
    front: Vec<String>,
    body: String,
}

impl Doc {
    fn parse(text: &str) -> Doc {
        let rest = text.strip_prefix("---\n").expect("a front matter");
        let end = rest.find("\n---\n").expect("the end of the front matter");
        Doc {
            front: rest[..end].lines().map(String::from).collect(),
            body: rest[end + 5..].to_string(),
        }
    }

    fn text(&self) -> String {
        format!("---\n{}\n---\n{}", self.front.join("\n"), self.body)
    }

    /// Replaces the lines of `key` (its line and those indented under it) by `lines`, where
    /// they were, or adds them at the end; no lines remove the key.
    fn set(&mut self, key: &str, lines: Vec<String>) {
        let prefix = format!("{key}:");
        match self.front.iter().position(|l| l.starts_with(&prefix)) {
            Some(start) => {
                let mut end = start + 1;
                while end < self.front.len()
                    && (self.front[end].starts_with(' ') || self.front[end].starts_with('-'))
                {
                    end += 1;
                }
                self.front.splice(start..end, lines);
            }
            None => self.front.extend(lines),
        }
    }

    fn set_value(&mut self, key: &str, value: &str) {
        self.set(key, vec![format!("{key}: {value}")]);
    }

    fn set_list(&mut self, key: &str, items: &[&str]) {
        let mut lines = Vec::new();
        if !items.is_empty() {
            lines.push(format!("{key}:"));
            lines.extend(items.iter().map(|i| format!("  - \"{i}\"")));
        }
        self.set(key, lines);
    }

    fn value(&self, key: &str) -> Option<&str> {
        let prefix = format!("{key}: ");
        self.front
            .iter()
            .find_map(|l| l.strip_prefix(prefix.as_str()))
    }
}

const WORDS: &[&str] = &[
    "attente",
    "guichet",
    "conseiller",
    "formulaire",
    "colis",
    "rappel",
    "facture",
    "abonnement",
    "standard",
    "courriel",
    "réclamation",
    "patience",
    "promesse",
    "créneau",
    "dossier",
    "relance",
    "l'agence",
    "client",
    "réponse",
    "silence",
    "musique",
    "ticket",
    "délai",
    "excuse",
];
const IRRITANTS: &[&str] = &[
    "Attente",
    "Service client",
    "Rendez-vous manqué",
    "Chatbot",
    "Livraison tardive",
    "Remboursement",
    "Rappel promis",
    "Silence radio",
    "Formulaire sans fin",
];
const TAGS: &[&str] = &[
    "télécoms",
    "banque",
    "assurance",
    "énergie",
    "commerce en ligne",
    "livraison",
    "transport",
];
const AUTHORS: &[&str] = &["claire-morel", "julien-barbier"];
/// The target of internal links (from mesurer-attente.md and the walk's): never deleted nor
/// scheduled, or the link would be broken.
const LINKED: &str = "content/breves/musique-attente.md";
/// Templates and where a marker can go in each (right after the anchor).
const TEMPLATES: &[(&str, &str)] = &[
    ("page.html", "</h1>"),
    ("base.html", "</main>"),
    ("section.html", "</h1>"),
    ("index.html", "</h1>"),
    ("taxonomy_term.html", "</h1>"),
    ("author.html", "</h1>"),
    ("series.html", "</h1>"),
    ("partials/post_summary.html", "</{{ hn }}>"),
    ("partials/byline.html", "<div class=byline>"),
    ("partials/related.html", "</h2>"),
    ("partials/series_parts.html", "<ol class=series-parts>"),
    ("partials/terms.html", "</h2>"),
    ("shortcodes/encadre.html", "role=\"note\">"),
];
const NEW_POST_SECTIONS: &[(&str, &str)] = &[
    ("breves", "breve"),
    ("articles", "article"),
    ("contes", "conte"),
];

/// The walk: a session on the example column, and what the walk knows of its files.
struct Walk {
    e: Editing,
    rng: Rng,
    trail: Trail,
    /// The posts on disk (paths relative to the root), sorted.
    posts: Vec<String>,
    /// Posts of the example deleted by the walk, with their text, that it may bring back.
    deleted: Vec<(String, String)>,
    /// Pages the walk added (the example's own pages stay: the menus point at them).
    pages: Vec<String>,
    /// The body each file had before the walk first added to it.
    bodies: std::collections::BTreeMap<String, String>,
    /// Names for new files.
    made: usize,
    /// Rebuilds that patched the kept site.
    patched: usize,
}

impl Walk {
    fn start(seed: u64) -> Walk {
        let e = Editing::start();
        let mut posts = Vec::new();
        for section in ["articles", "breves", "contes", "decryptages"] {
            for entry in std::fs::read_dir(e.site.path(&format!("content/{section}"))).unwrap() {
                let name = entry.unwrap().file_name().into_string().unwrap();
                if name.ends_with(".md") && name != "_index.md" {
                    posts.push(format!("content/{section}/{name}"));
                }
            }
        }
        posts.sort();
        Walk {
            e,
            rng: Rng(seed),
            trail: Trail {
                seed,
                step: 0,
                edits: Vec::new(),
            },
            posts,
            deleted: Vec::new(),
            pages: Vec::new(),
            bodies: Default::default(),
            made: 0,
            patched: 0,
        }
    }

    /// One step: one edit, or a few saved together (the debounce of `serve` gathers them),
    /// or a broken post and its fix; then the comparison with a full build.
    fn step(&mut self) {
        let mut changed = Vec::new();
        let count = if self.rng.chance(12) {
            2 + self.rng.below(2)
        } else {
            1
        };
        if self.rng.chance(4) {
            changed.push(self.break_and_fix());
        }
        for _ in 0..count {
            let what = self.edit(&mut changed);
            self.trail.edits.push(format!(
                "{}{}: {what}",
                self.trail.step,
                if count > 1 { "+" } else { "" }
            ));
        }
        let paths: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
        let report = match self.e.session.build(Some(&paths)) {
            Ok(report) => report,
            Err(d) => panic!("the rebuild failed:\n{d}"),
        };
        self.patched += usize::from(patched(&report));
        let full = self.e.assert_same_as_full_build();
        assert_eq!(
            report.warnings.to_string(),
            full.warnings.to_string(),
            "the rebuild's warnings are not the full build's"
        );
    }

    /// Applies one random edit to the files, adding the paths it changed to `changed`.
    fn edit(&mut self, changed: &mut Vec<String>) -> String {
        let roll = self.rng.below(100);
        match roll {
            0..24 => self.edit_body(changed),
            24..26 => self.move_or_touch(changed),
            26..32 => self.edit_summary(changed),
            32..40 => self.edit_title(changed),
            40..46 => self.edit_date(changed),
            46..55 => self.edit_terms(changed),
            55..58 => self.edit_slug(changed),
            58..64 => self.add_post(changed),
            64..69 => self.delete_post(changed),
            69..77 => self.edit_template(changed),
            77..83 => self.edit_page(changed),
            83..88 => self.edit_series(changed),
            88..93 => self.edit_author(changed),
            93..96 => self.edit_settings(changed),
            96..98 => self.edit_static(changed),
            _ => self.move_or_touch(changed),
        }
    }

    fn write(&mut self, rel: &str, text: &str, changed: &mut Vec<String>) {
        self.e.site.write(rel, text);
        changed.push(rel.to_string());
    }

    fn words(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| *self.rng.pick(WORDS))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn title(&mut self) -> String {
        let n = 2 + self.rng.below(4);
        let words = self.words(n);
        let mut title = words[..1].to_uppercase() + &words[1..];
        if self.rng.chance(30) {
            title = format!("{title} : « {} »", self.words(2));
        }
        title
    }

    fn date(&mut self, scheduled: bool) -> String {
        let last = if scheduled { 2031 } else { 2029 };
        let year = 2023 + self.rng.below(last - 2023 + 1);
        let (month, day) = (1 + self.rng.below(12), 1 + self.rng.below(28));
        if self.rng.chance(50) {
            format!("{year}-{month:02}-{day:02}")
        } else {
            let (hour, minute) = (self.rng.below(24), self.rng.below(60));
            format!("{year}-{month:02}-{day:02}T{hour:02}:{minute:02}:00+01:00")
        }
    }

    /// Some Markdown to add to a body: paragraphs, a heading, a list, a link, a box.
    fn extra(&mut self) -> String {
        let mut text = String::new();
        for _ in 0..self.rng.below(4) {
            let n = 4 + self.rng.below(8);
            let words = self.words(n);
            let block = match self.rng.below(5) {
                0 => format!("## {}\n\n{words}.", self.title()),
                1 => format!("- {words}\n- {}", self.words(3)),
                2 => format!(
                    "Comme [la musique d'attente]({}), {words}.",
                    "@/breves/musique-attente.md"
                ),
                3 => format!("{{% encadre(kind=\"a-retenir\") %}}\n{words}.\n{{% end %}}"),
                _ => format!("{words}."),
            };
            text.push_str(&block);
            text.push_str("\n\n");
        }
        text
    }

    /// A new body: the file's first body and some Markdown after it (or none).
    fn edit_body_of(&mut self, rel: &str, changed: &mut Vec<String>) {
        let mut doc = Doc::parse(&self.e.read(rel));
        let first = self
            .bodies
            .entry(rel.to_string())
            .or_insert_with(|| doc.body.clone())
            .clone();
        let extra = self.extra();
        doc.body = if extra.is_empty() {
            first
        } else {
            format!("{}\n\n{extra}", first.trim_end())
        };
        self.write(rel, &doc.text(), changed);
    }

    fn post(&mut self) -> String {
        self.rng.pick(&self.posts).clone()
    }

    fn edit_body(&mut self, changed: &mut Vec<String>) -> String {
        let rel = self.post();
        self.edit_body_of(&rel, changed);
        format!("body of {rel}")
    }

    fn edit_title(&mut self, changed: &mut Vec<String>) -> String {
        let rel = self.post();
        let mut doc = Doc::parse(&self.e.read(&rel));
        let title = self.title();
        doc.set_value("title", &format!("\"{title}\""));
        self.write(&rel, &doc.text(), changed);
        format!("title of {rel}: {title}")
    }

    fn edit_date(&mut self, changed: &mut Vec<String>) -> String {
        let rel = self.post();
        let mut doc = Doc::parse(&self.e.read(&rel));
        let date = self.date(rel != LINKED);
        doc.set_value("date", &date);
        self.write(&rel, &doc.text(), changed);
        format!("date of {rel}: {date}")
    }

    /// What the lists and feeds show of a post besides its title (its summary, its revision),
    /// or whether it is shown at all (a draft).
    fn edit_summary(&mut self, changed: &mut Vec<String>) -> String {
        let rel = self.post();
        let mut doc = Doc::parse(&self.e.read(&rel));
        let what = match self.rng.below(5) {
            4 if rel != LINKED => {
                if doc.value("draft").is_some() {
                    doc.set("draft", Vec::new());
                    "published".to_string()
                } else {
                    doc.set_value("draft", "true");
                    "a draft".to_string()
                }
            }
            0 => {
                doc.set("summary", Vec::new());
                "no summary".to_string()
            }
            1 => {
                let summary = self.words(7);
                doc.set_value("summary", &format!("\"{summary}.\""));
                format!("summary {summary:?}")
            }
            2 => {
                doc.set("updated", Vec::new());
                "no revision date".to_string()
            }
            _ => {
                let updated = self.date(true);
                doc.set_value("updated", &updated);
                format!("revised {updated}")
            }
        };
        self.write(&rel, &doc.text(), changed);
        format!("{what} in {rel}")
    }

    /// A post moved to another URL by a `slug` (links to it follow: they name its file).
    fn edit_slug(&mut self, changed: &mut Vec<String>) -> String {
        let rel = self.post();
        let mut doc = Doc::parse(&self.e.read(&rel));
        let what = if doc.value("slug").is_some() && self.rng.chance(50) {
            doc.set("slug", Vec::new());
            "no slug".to_string()
        } else {
            self.made += 1;
            let slug = format!("deplace-{}", self.made);
            doc.set_value("slug", &slug);
            format!("slug {slug}")
        };
        self.write(&rel, &doc.text(), changed);
        format!("{what} for {rel}")
    }

    fn edit_terms(&mut self, changed: &mut Vec<String>) -> String {
        let rel = self.post();
        let mut doc = Doc::parse(&self.e.read(&rel));
        let what = match self.rng.below(3) {
            0 => {
                let irritants = self.rng.some(IRRITANTS, 1, 3);
                doc.set_list("irritants", &irritants);
                format!("irritants {irritants:?}")
            }
            1 => {
                let tags = self.rng.some(TAGS, 0, 2);
                doc.set_list("tags", &tags);
                format!("tags {tags:?}")
            }
            _ => {
                let authors = self.rng.some(AUTHORS, 1, 2);
                doc.set(
                    "authors",
                    vec![format!("authors: [{}]", authors.join(", "))],
                );
                format!("authors {authors:?}")
            }
        };
        self.write(&rel, &doc.text(), changed);
        format!("{what} of {rel}")
    }

    /// A new post, or one of the example's brought back.
    fn add_post(&mut self, changed: &mut Vec<String>) -> String {
        if !self.deleted.is_empty() && self.rng.chance(40) {
            let (rel, text) = self.deleted.remove(self.rng.below(self.deleted.len()));
            self.write(&rel, &text, changed);
            self.posts.push(rel.clone());
            self.posts.sort();
            return format!("{rel} brought back");
        }
        self.made += 1;
        let (section, kind) = *self.rng.pick(NEW_POST_SECTIONS);
        let rel = format!("content/{section}/essai-{}.md", self.made);
        let irritants = self.rng.some(IRRITANTS, 1, 3);
        let tags = self.rng.some(TAGS, 0, 2);
        let authors = self.rng.some(AUTHORS, 1, 2);
        let mut doc = Doc {
            front: Vec::new(),
            body: format!("{}.\n", self.words(12)),
        };
        doc.set_value("title", &format!("\"{}\"", self.title()));
        let date = self.date(true);
        doc.set_value("date", &date);
        doc.set_value("kind", kind);
        doc.set(
            "authors",
            vec![format!("authors: [{}]", authors.join(", "))],
        );
        doc.set_list("irritants", &irritants);
        doc.set_list("tags", &tags);
        if self.rng.chance(30) {
            doc.set_value("summary", &format!("\"{}.\"", self.words(6)));
        }
        if self.rng.chance(10) {
            doc.set_value("draft", "true");
        }
        let extra = self.extra();
        doc.body.push_str(&extra);
        self.write(&rel, &doc.text(), changed);
        self.posts.push(rel.clone());
        self.posts.sort();
        format!("new post {rel} ({date})")
    }

    fn delete_post(&mut self, changed: &mut Vec<String>) -> String {
        let deletable: Vec<String> = self
            .posts
            .iter()
            .filter(|p| *p != LINKED)
            .cloned()
            .collect();
        if deletable.len() < 4 {
            return self.add_post(changed);
        }
        let rel = self.rng.pick(&deletable).clone();
        let text = self.e.read(&rel);
        std::fs::remove_file(self.e.site.path(&rel)).unwrap();
        changed.push(rel.clone());
        self.posts.retain(|p| *p != rel);
        if !rel.contains("/essai-") {
            self.deleted.push((rel.clone(), text));
        }
        format!("{rel} deleted")
    }

    /// A marker after a template's anchor: an element (the pages change) or a Tera comment
    /// (the template changes, not its output); or no marker.
    fn edit_template(&mut self, changed: &mut Vec<String>) -> String {
        let (name, anchor) = *self.rng.pick(TEMPLATES);
        let rel = format!("themes/chronique/templates/{name}");
        let mut text = without_markers(&self.e.read(&rel));
        let n = self.trail.step;
        let marker = match self.rng.below(3) {
            0 => String::new(),
            1 => format!("{{# edit {n} #}}"),
            _ => format!("<i data-edit=\"{n}\"></i>"),
        };
        let at = text
            .find(anchor)
            .unwrap_or_else(|| panic!("{anchor} in {rel}"))
            + anchor.len();
        text.insert_str(at, &marker);
        self.write(&rel, &text, changed);
        format!("template {name}: {marker:?}")
    }

    /// The example's pages: a body or a title; or a page added, or one the walk added deleted.
    fn edit_page(&mut self, changed: &mut Vec<String>) -> String {
        match self.rng.below(4) {
            0 | 1 => {
                let rel = *self
                    .rng
                    .pick(&["content/mentions-legales.md", "content/a-propos.md"]);
                if self.rng.chance(50) {
                    self.edit_body_of(rel, changed);
                    format!("body of {rel}")
                } else {
                    let mut doc = Doc::parse(&self.e.read(rel));
                    let title = self.title();
                    doc.set_value("title", &format!("\"{title}\""));
                    self.write(rel, &doc.text(), changed);
                    format!("title of {rel}: {title}")
                }
            }
            2 if !self.pages.is_empty() => {
                let rel = self.pages.remove(self.rng.below(self.pages.len()));
                std::fs::remove_file(self.e.site.path(&rel)).unwrap();
                changed.push(rel.clone());
                format!("page {rel} deleted")
            }
            _ => {
                self.made += 1;
                let rel = format!("content/page-{}.md", self.made);
                let text = format!(
                    "---\ntitle: \"{}\"\n---\n{}.\n",
                    self.title(),
                    self.words(10)
                );
                self.write(&rel, &text, changed);
                self.pages.push(rel.clone());
                format!("new page {rel}")
            }
        }
    }

    /// The series file (title, presentation, number of parts), or two parts swapped.
    fn edit_series(&mut self, changed: &mut Vec<String>) -> String {
        let rel = "content/series/conte-de-noel.md";
        let parts: Vec<String> = self
            .posts
            .iter()
            .filter(|p| p.starts_with("content/contes/conte-de-noel-"))
            .cloned()
            .collect();
        match self.rng.below(4) {
            0 => {
                let mut doc = Doc::parse(&self.e.read(rel));
                let title = self.title();
                doc.set_value("title", &format!("\"{title}\""));
                self.write(rel, &doc.text(), changed);
                format!("series title: {title}")
            }
            1 => {
                self.edit_body_of(rel, changed);
                "series presentation".into()
            }
            2 => {
                let mut doc = Doc::parse(&self.e.read(rel));
                let n = if doc.value("parts") == Some("3") {
                    4
                } else {
                    3
                };
                doc.set_value("parts", &n.to_string());
                self.write(rel, &doc.text(), changed);
                format!("series parts: {n}")
            }
            _ if parts.len() >= 2 => {
                let pair = self.rng.some(&parts, 2, 2);
                let mut docs: Vec<Doc> = pair.iter().map(|p| Doc::parse(&self.e.read(p))).collect();
                let numbers: Vec<String> = docs
                    .iter()
                    .map(|d| d.value("part").unwrap().to_string())
                    .collect();
                docs[0].set_value("part", &numbers[1]);
                docs[1].set_value("part", &numbers[0]);
                for (p, d) in pair.iter().zip(&docs) {
                    self.write(p, &d.text(), changed);
                }
                format!("parts of {} and {} swapped", pair[0], pair[1])
            }
            _ => self.edit_body(changed),
        }
    }

    fn edit_author(&mut self, changed: &mut Vec<String>) -> String {
        let rel = format!("content/authors/{}.md", self.rng.pick(AUTHORS));
        match self.rng.below(3) {
            0 => {
                self.edit_body_of(&rel, changed);
                format!("body of {rel}")
            }
            1 => {
                let mut doc = Doc::parse(&self.e.read(&rel));
                let role = self.title();
                doc.set_value("role", &format!("\"{role}\""));
                self.write(&rel, &doc.text(), changed);
                format!("role of {rel}: {role}")
            }
            _ => {
                let mut doc = Doc::parse(&self.e.read(&rel));
                let name = format!("{} {}", self.title(), self.made);
                doc.set_value("name", &format!("\"{name}\""));
                self.write(&rel, &doc.text(), changed);
                format!("name of {rel}: {name}")
            }
        }
    }

    fn edit_settings(&mut self, changed: &mut Vec<String>) -> String {
        let rel = "site.toml";
        let text = self.e.read(rel);
        let (key, value) = match self.rng.below(3) {
            0 => (
                "paginate_by",
                self.rng.pick(&["2", "3", "5", "10"]).to_string(),
            ),
            1 => ("description", format!("\"{}.\"", self.words(8))),
            _ => ("title", format!("\"{}\"", self.title())),
        };
        let prefix = format!("{key} = ");
        let lines: Vec<String> = text
            .lines()
            .map(|l| {
                if l.starts_with(&prefix) {
                    format!("{prefix}{value}")
                } else {
                    l.to_string()
                }
            })
            .collect();
        self.write(rel, &(lines.join("\n") + "\n"), changed);
        format!("site.toml {key} = {value}")
    }

    /// A static file: the theme's styles, the lead image's drawing, files added and deleted.
    fn edit_static(&mut self, changed: &mut Vec<String>) -> String {
        let n = self.trail.step;
        match self.rng.below(4) {
            0 => {
                let css =
                    self.rng
                        .pick(&["chronique.css", "lists.css", "series.css", "sc/encadre.css"]);
                let rel = format!("themes/chronique/static/css/{css}");
                let text = self.e.read(&rel);
                let text = match text.find("\n/* edit ") {
                    Some(at) => &text[..at + 1],
                    None => &text,
                };
                let text = format!("{text}/* edit {n} */\n");
                self.write(&rel, &text, changed);
                format!("{rel} edited")
            }
            1 => {
                let rel = "static/images/conversation-sans-issue.svg";
                let (big, small) = (
                    "width=\"1200\" height=\"500\"",
                    "width=\"600\" height=\"400\"",
                );
                let text = self.e.read(rel);
                let text = if text.contains(big) {
                    text.replacen(big, small, 1)
                } else {
                    text.replacen(small, big, 1)
                };
                self.write(rel, &text, changed);
                format!("{rel} resized")
            }
            2 if self.e.site.path("static/walk").is_dir() => {
                let dir = self.e.site.path("static/walk");
                let mut names: Vec<String> = std::fs::read_dir(&dir)
                    .unwrap()
                    .map(|e| e.unwrap().file_name().into_string().unwrap())
                    .collect();
                if names.is_empty() {
                    return self.edit_body(changed);
                }
                names.sort();
                let rel = format!("static/walk/{}", self.rng.pick(&names));
                std::fs::remove_file(self.e.site.path(&rel)).unwrap();
                changed.push(rel.clone());
                format!("{rel} deleted")
            }
            _ => {
                let rel = format!("static/walk/note-{n}.txt");
                let text = self.words(5);
                self.write(&rel, &text, changed);
                format!("{rel} added")
            }
        }
    }

    /// A post renamed (its old path gone, the new one added, as an editor's rename does), or
    /// saved without a change.
    fn move_or_touch(&mut self, changed: &mut Vec<String>) -> String {
        let rel = self.post();
        let text = self.e.read(&rel);
        if rel == LINKED || self.rng.chance(40) {
            self.write(&rel, &text, changed);
            return format!("{rel} saved unchanged");
        }
        self.made += 1;
        let to = format!("{}-r{}.md", rel.trim_end_matches(".md"), self.made);
        std::fs::rename(self.e.site.path(&rel), self.e.site.path(&to)).unwrap();
        changed.extend([rel.clone(), to.clone()]);
        self.posts.retain(|p| *p != rel);
        self.posts.push(to.clone());
        self.posts.sort();
        format!("{rel} renamed {to}")
    }

    /// A post broken, rebuilt: the rebuild fails and writes nothing; then fixed, its path is
    /// saved with the step's edits.
    fn break_and_fix(&mut self) -> String {
        let rel = self.post();
        let good = self.e.read(&rel);
        let mut doc = Doc::parse(&good);
        if self.rng.chance(50) {
            doc.set_value("title", "[unclosed");
        } else {
            doc.set("authors", vec!["authors: [personne-inconnue]".into()]);
        }
        let before = files(&self.e.output);
        self.e.site.write(&rel, doc.text());
        self.trail
            .edits
            .push(format!("{}!: {rel} broken", self.trail.step));
        let changed = vec![PathBuf::from(&rel)];
        assert!(
            self.e.session.build(Some(&changed)).is_err(),
            "a broken {rel} must fail"
        );
        assert!(
            files(&self.e.output) == before,
            "a failed rebuild changed the output"
        );
        self.e.site.write(&rel, &good);
        self.trail
            .edits
            .push(format!("{}!: {rel} fixed", self.trail.step));
        // The fix is saved with the step's own edits.
        rel
    }
}

/// A template without the walk's markers.
fn without_markers(text: &str) -> String {
    let mut text = text.to_string();
    for (open, close) in [("<i data-edit=\"", "</i>"), ("{# edit ", "#}")] {
        while let Some(start) = text.find(open) {
            let end = start + text[start..].find(close).unwrap() + close.len();
            text.replace_range(start..end, "");
        }
    }
    text
}
