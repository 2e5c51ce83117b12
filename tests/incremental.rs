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

    /// The session's output is what a full build of the same files writes.
    fn assert_same_as_full_build(&self) {
        let fresh = self.site.path("full-out");
        let _ = std::fs::remove_dir_all(&fresh);
        chronique::build(&options(&self.site.path(""), &fresh)).expect("full build");
        let ours = files(&self.output);
        let full = files(&fresh);
        let ours_paths: Vec<&PathBuf> = ours.keys().collect();
        let full_paths: Vec<&PathBuf> = full.keys().collect();
        assert_eq!(ours_paths, full_paths, "not the same files");
        for (path, bytes) in &full {
            assert!(
                ours[path] == *bytes,
                "{} differs from the full build's",
                path.display()
            );
        }
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.site.path(rel)).unwrap()
    }
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
    let page = std::fs::read_to_string(e.output.join("breves/musique-attente/index.html")).unwrap();
    assert!(
        page.contains("Un paragraphe ajouté pendant l’aperçu."),
        "{page}"
    );
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
