//! What a successful build writes: one small fixture site per feature, checked on the parsed
//! HTML of the output.

mod common;

use std::fs;

use common::{DAY, EPOCH, Site, attrs, files, main_of, ntexts, texts};

/// The post links of a list page (home or section), in order.
fn listed(site: &Site, page: &str) -> Vec<String> {
    attrs(&site.page(page), "main article h2 a", "href")
}

// ---------------------------------------------------------------- basic

#[test]
fn post_page_shows_title_date_authors_and_terms() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    let page = site.page("breves/punition/index.html");
    assert_eq!(texts(&page, "main h1"), ["La punition"]);
    assert!(
        texts(&page, "title")[0].starts_with("La punition"),
        "{:?}",
        texts(&page, "title")
    );
    assert_eq!(attrs(&page, "main time", "datetime"), ["2019-12-17"]);
    assert_eq!(texts(&page, "main time"), ["17 décembre 2019"]);
    assert_eq!(texts(&page, "main .author"), ["Claire Morel"]);
    let body = texts(&page, "main article p").join("\n");
    assert!(
        body.contains("Vingt-deux minutes de Vivaldi en boucle."),
        "{body}"
    );
    assert!(
        body.contains("La musique d’attente n’est pas un décor."),
        "{body}"
    );
    let terms = texts(&page, "main li");
    assert!(terms.contains(&"Attente".to_string()), "{terms:?}");
    assert!(terms.contains(&"télécoms".to_string()), "{terms:?}");
    assert_eq!(attrs(&page, "html", "lang"), ["fr"]);
}

#[test]
fn rfc3339_dates_keep_their_offset_in_time_datetime() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    let page = site.page("articles/attente/index.html");
    assert_eq!(
        attrs(&page, "main time", "datetime"),
        ["2020-03-01T08:30:00+01:00"]
    );
    assert_eq!(texts(&page, "main time"), ["1er mars 2020"]);
    assert_eq!(
        texts(&page, "main .author"),
        ["Claire Morel", "Julien Barbier"]
    );
}

#[test]
fn posts_are_written_at_section_and_slug() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    for file in [
        "index.html",
        "404.html",
        "breves/index.html",
        "breves/punition/index.html",
        "articles/index.html",
        "articles/attente/index.html",
    ] {
        assert!(site.has(file), "missing {file}");
    }
}

#[test]
fn home_lists_every_post_newest_first() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    assert_eq!(
        listed(&site, "index.html"),
        ["/articles/attente/", "/breves/punition/"]
    );
    let home = site.page("index.html");
    let times = attrs(&home, "main article time", "datetime");
    assert_eq!(times, ["2020-03-01T08:30:00+01:00", "2019-12-17"]);
    // The `summary` key is Markdown; without it, the first paragraph is the summary.
    let summaries = home
        .select(&common::sel("main article"))
        .map(|a| a.inner_html())
        .collect::<Vec<_>>();
    assert!(
        summaries[0].contains("<em>réduire</em>"),
        "{}",
        summaries[0]
    );
    assert!(
        summaries[1].contains("Vingt-deux minutes"),
        "{}",
        summaries[1]
    );
}

#[test]
fn section_page_takes_its_title_from_index_md_and_lists_its_posts() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    let section = site.page("breves/index.html");
    assert_eq!(texts(&section, "main h1"), ["Les brèves"]);
    assert!(
        texts(&section, "main p").contains(&"Des billets courts.".to_string()),
        "{:?}",
        texts(&section, "main p")
    );
    assert_eq!(listed(&site, "breves/index.html"), ["/breves/punition/"]);
    // A section without _index.md is titled after its folder.
    assert_eq!(
        texts(&site.page("articles/index.html"), "main h1"),
        ["Articles"]
    );
}

#[test]
fn authors_and_series_files_are_not_posts() {
    let site = Site::fixture("basic");
    let run = site.build(&[]);
    run.success();
    assert!(run.stdout.contains("(2 posts)"), "{run}");
    assert_eq!(
        listed(&site, "index.html"),
        ["/articles/attente/", "/breves/punition/"]
    );
    assert_eq!(
        texts(&site.page("index.html"), "main article h2"),
        ["Mesurer l’attente", "La punition"]
    );
}

#[test]
fn theme_static_files_and_404_are_written() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    let theme = files(&site.path("themes/chronique/static"));
    assert!(!theme.is_empty(), "the theme has no static files");
    // (Hidden files are a separate question: see `hidden_static_files_are_copied`.) The
    // stylesheets are published minified (tests/theme.rs).
    for (rel, bytes) in theme.into_iter().filter(|(p, _)| !p.starts_with(".")) {
        let out = fs::read(site.public().join(&rel));
        let bytes = match rel.extension().is_some_and(|e| e == "css") {
            true => chronique::css::minify(&bytes),
            false => bytes,
        };
        assert!(
            out.ok() == Some(bytes),
            "{} not copied as is",
            rel.display()
        );
    }
    let not_found = site.page("404.html");
    assert!(
        attrs(&not_found, "main a", "href").contains(&"/".to_string()),
        "the 404 page links home"
    );
}

#[test]
fn a_post_outside_any_section_is_written_at_its_slug() {
    let site = Site::fixture("basic");
    site.write(
        "content/a-propos.md",
        "---\ntitle: \"À propos\"\ndate: 2018-01-01\n---\nQui sommes-nous ?\n",
    );
    site.build(&[]).success();
    assert_eq!(
        texts(&site.page("a-propos/index.html"), "main h1"),
        ["À propos"]
    );
}

#[test]
fn language_en_switches_lang_and_dates() {
    let site = Site::fixture("basic");
    site.write(
        "site.toml",
        "title = \"Test\"\nbase_url = \"https://chronique.test/\"\nlanguage = \"en\"\n",
    );
    site.build(&[]).success();
    let page = site.page("breves/punition/index.html");
    assert_eq!(attrs(&page, "html", "lang"), ["en"]);
    assert_eq!(texts(&page, "main time"), ["December 17, 2019"]);
}

#[test]
fn base_url_path_prefixes_every_link_but_not_the_files() {
    let site = Site::fixture("basic");
    site.build(&["--base-url", "https://exemple.fr/chronique"])
        .success();
    // Files are still at the top of the output folder…
    assert!(site.has("breves/punition/index.html"));
    // …while links carry the base URL's path.
    assert_eq!(
        listed(&site, "index.html"),
        [
            "/chronique/articles/attente/",
            "/chronique/breves/punition/"
        ]
    );
    let page = site.page("breves/punition/index.html");
    assert_eq!(
        attrs(&page, "link[rel=canonical]", "href"),
        ["https://exemple.fr/chronique/breves/punition/"]
    );
    for href in attrs(&page, "a[href^='/']", "href") {
        assert!(href.starts_with("/chronique/"), "{href}");
    }
}

#[test]
fn post_main_snapshot() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    insta::assert_snapshot!(
        "basic_punition_main",
        main_of(&site.page_text("breves/punition/index.html"))
    );
}

// ---------------------------------------------------------------- pagination

#[test]
fn home_is_paginated_newest_first() {
    let site = Site::fixture("pagination");
    site.build(&[]).success();
    assert_eq!(
        listed(&site, "index.html"),
        ["/breves/billet-5/", "/breves/billet-4/"]
    );
    assert_eq!(
        listed(&site, "page/2/index.html"),
        ["/breves/billet-3/", "/breves/billet-2/"]
    );
    assert_eq!(listed(&site, "page/3/index.html"), ["/breves/billet-1/"]);
    assert!(!site.has("page/4/index.html"), "5 posts by 2 make 3 pages");
    assert!(!site.has("page/1/index.html"), "page 1 is the home page");
}

#[test]
fn pagination_links_previous_and_next() {
    let site = Site::fixture("pagination");
    site.build(&[]).success();
    let rel = |page: &str, rel: &str| attrs(&site.page(page), &format!("a[rel={rel}]"), "href");
    assert_eq!(rel("index.html", "prev"), Vec::<String>::new());
    assert_eq!(rel("index.html", "next"), ["/page/2/"]);
    assert_eq!(rel("page/2/index.html", "prev"), ["/"]);
    assert_eq!(rel("page/2/index.html", "next"), ["/page/3/"]);
    assert_eq!(rel("page/3/index.html", "prev"), ["/page/2/"]);
    assert_eq!(rel("page/3/index.html", "next"), Vec::<String>::new());
}

#[test]
fn section_pages_are_paginated_the_same_way() {
    let site = Site::fixture("pagination");
    site.build(&[]).success();
    assert_eq!(
        listed(&site, "breves/index.html"),
        ["/breves/billet-5/", "/breves/billet-4/"]
    );
    assert_eq!(
        listed(&site, "breves/page/2/index.html"),
        ["/breves/billet-3/", "/breves/billet-2/"]
    );
    assert_eq!(
        listed(&site, "breves/page/3/index.html"),
        ["/breves/billet-1/"]
    );
    assert!(!site.has("breves/page/4/index.html"));
    let page2 = site.page("breves/page/2/index.html");
    assert_eq!(attrs(&page2, "a[rel=prev]", "href"), ["/breves/"]);
    assert_eq!(attrs(&page2, "a[rel=next]", "href"), ["/breves/page/3/"]);
}

#[test]
fn paginate_by_defaults_to_ten() {
    let site = Site::fixture("pagination");
    site.write(
        "site.toml",
        "title = \"Pagination\"\nbase_url = \"https://chronique.test/\"\n",
    );
    for i in 6..=11 {
        site.write(
            &format!("content/breves/billet-{i}.md"),
            format!("---\ntitle: \"Billet {i}\"\ndate: 2020-01-{i:02}\n---\nTexte.\n"),
        );
    }
    site.build(&[]).success();
    assert_eq!(listed(&site, "index.html").len(), 10);
    assert_eq!(listed(&site, "page/2/index.html"), ["/breves/billet-1/"]);
    assert!(!site.has("page/3/index.html"));
}

// ---------------------------------------------------------------- drafts and scheduled posts

/// 2026-03-01T09:00:00+01:00, the date of `programme.md`.
const PROGRAMME: i64 = EPOCH + 59 * DAY + 8 * 3600;

#[test]
fn drafts_and_scheduled_posts_are_left_out() {
    let site = Site::fixture("drafts_and_schedule");
    let run = site.build(&[]);
    run.success();
    assert!(run.stdout.contains("(1 post)"), "{run}");
    // The summary says what was left out, and when the next post comes out (issue 21).
    assert!(
        run.stdout
            .contains("; 1 draft and 1 scheduled post not published (--drafts to see them)"),
        "{run}"
    );
    assert!(
        run.stdout.contains(
            "next publication: «\u{a0}Programmé\u{a0}», 2026-03-01T09:00:00+01:00 (rebuild the site then"
        ),
        "{run}"
    );
    assert_eq!(listed(&site, "index.html"), ["/breves/publie/"]);
    assert_eq!(listed(&site, "breves/index.html"), ["/breves/publie/"]);
    assert!(!site.has("breves/brouillon/index.html"));
    assert!(!site.has("breves/programme/index.html"));
    for (path, bytes) in files(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Brouillon") && !text.contains("Programmé"),
            "{} mentions an unpublished post",
            path.display()
        );
    }
}

#[test]
fn drafts_flag_includes_drafts_and_scheduled_posts() {
    let site = Site::fixture("drafts_and_schedule");
    site.build(&["--drafts"]).success();
    assert_eq!(
        listed(&site, "index.html"),
        [
            "/breves/programme/",
            "/breves/publie/",
            "/breves/brouillon/"
        ]
    );
    assert_eq!(
        texts(&site.page("breves/brouillon/index.html"), "main h1"),
        ["Brouillon"]
    );
    // A preview says what it is, not « Publié le » (issue 21)…
    let date = |rel: &str| ntexts(&site.page(rel), ".byline-date");
    assert_eq!(
        date("breves/brouillon/index.html"),
        ["Brouillon, pas encore publié"]
    );
    assert_eq!(
        date("breves/programme/index.html"),
        ["Programmé pour le 1er mars 2026"]
    );
    assert_eq!(
        date("breves/publie/index.html"),
        ["Publié le 1er juin 2025"]
    );
    // … and does not stretch the copyright years: only « Publié » (2025) is out.
    let copyright = texts(&site.page("index.html"), ".copyright").join(" ");
    assert!(
        copyright.contains("2025") && !copyright.contains("2026"),
        "{copyright}"
    );
}

#[test]
fn scheduled_post_is_published_once_now_reaches_its_date() {
    let site = Site::fixture("drafts_and_schedule");
    site.build_at(PROGRAMME - 1, &[]).success();
    assert!(!site.has("breves/programme/index.html"));
    assert_eq!(listed(&site, "index.html"), ["/breves/publie/"]);

    site.build_at(PROGRAMME, &[]).success();
    assert!(site.has("breves/programme/index.html"));
    assert_eq!(
        listed(&site, "index.html"),
        ["/breves/programme/", "/breves/publie/"]
    );
    // The draft stays out whatever the date.
    site.build_at(PROGRAMME + 365 * DAY, &[]).success();
    assert!(!site.has("breves/brouillon/index.html"));
}

// ---------------------------------------------------------------- internal links

/// The links of a post's body (the theme puts `page.content` in `.post-body`).
fn body_links(site: &Site, page: &str) -> Vec<String> {
    attrs(&site.page(page), "main .post-body a", "href")
}

#[test]
fn internal_links_resolve_to_the_target_url() {
    let site = Site::fixture("internal_links");
    site.build(&[]).success();
    assert_eq!(
        body_links(&site, "articles/renvois/index.html"),
        [
            "/breves/punition/",
            "/breves/punition/#fin",
            "/breves/punition/",
            "https://example.org/page",
        ]
    );
    // The anchor exists on the target page.
    let target = site.page("breves/punition/index.html");
    assert_eq!(texts(&target, "main h2#fin"), ["La fin"]);
    for (path, bytes) in files(&site.public()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("@/"),
            "{} has an unresolved link",
            path.display()
        );
    }
}

#[test]
fn internal_links_follow_the_base_url_path() {
    let site = Site::fixture("internal_links");
    site.build(&["--base-url", "https://exemple.fr/sous/"])
        .success();
    assert_eq!(
        body_links(&site, "articles/renvois/index.html")[..2],
        ["/sous/breves/punition/", "/sous/breves/punition/#fin"]
    );
}

// ---------------------------------------------------------------- Markdown

#[test]
fn markdown_extensions_are_rendered() {
    let site = Site::fixture("markdown_extensions");
    site.build(&[]).success();
    let page = site.page("articles/extensions/index.html");
    assert_eq!(texts(&page, "main table th"), ["Canal", "Attente"]);
    assert_eq!(
        texts(&page, "main table td"),
        ["Téléphone", "22 min", "Courriel", "3 jours"]
    );
    assert_eq!(texts(&page, "main del"), ["barré"]);
    assert_eq!(
        page.select(&common::sel("main input[type=checkbox][checked]"))
            .count(),
        1
    );
    assert_eq!(
        page.select(&common::sel("main input[type=checkbox]:not([checked])"))
            .count(),
        1
    );
    assert_eq!(texts(&page, "main h2#retenir"), ["Ce qu’il faut retenir"]);
    // The footnote reference points at the footnote, which holds its text.
    let refs = attrs(&page, "main sup a[href^='#']", "href");
    assert_eq!(refs.len(), 1, "{refs:?}");
    let note = texts(&page, &format!("main [id='{}']", &refs[0][1..]));
    assert_eq!(note.len(), 1, "no element with id {}", refs[0]);
    assert!(note[0].contains("Relevé du 17 décembre 2019."), "{note:?}");
}

#[test]
fn markdown_post_main_snapshot() {
    let site = Site::fixture("markdown_extensions");
    site.build(&[]).success();
    insta::assert_snapshot!(
        "markdown_extensions_main",
        main_of(&site.page_text("articles/extensions/index.html"))
    );
}

// ---------------------------------------------------------------- escaping

#[test]
fn titles_and_terms_are_escaped() {
    let site = Site::fixture("escaping");
    site.build(&[]).success();
    let page = site.page("breves/script/index.html");
    assert_eq!(texts(&page, "main h1"), ["<script>alert(1)</script>"]);
    assert!(
        texts(&page, "title")[0].contains("<script>alert(1)</script>"),
        "{:?}",
        texts(&page, "title")
    );
    assert!(
        texts(&page, "main li").contains(&"<img src=x onerror=alert(2)>".to_string()),
        "{:?}",
        texts(&page, "main li")
    );
    assert!(
        texts(&page, "header")
            .join(" ")
            .contains("Essais & <erreurs>")
    );
    assert_eq!(
        texts(&site.page("index.html"), "main article h2"),
        ["<script>alert(1)</script>"]
    );
    let all = files(&site.public());
    assert!(all.len() > 3);
    // JSON keeps the title as data: a JSON parser gets it back exactly.
    let feed: serde_json::Value =
        serde_json::from_slice(&fs::read(site.public().join("feed.json")).unwrap()).unwrap();
    let titles: Vec<&str> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["title"].as_str())
        .collect();
    assert!(titles.contains(&"<script>alert(1)</script>"), "{titles:?}");
    for (path, bytes) in all {
        if path.extension().is_some_and(|e| e == "json") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        for bad in ["<script>alert", "<img src=x", "<erreurs>"] {
            assert!(!text.contains(bad), "{} contains {bad}", path.display());
        }
    }
}

// ---------------------------------------------------------------- BOM and CRLF

#[test]
fn bom_and_crlf_files_build_like_the_others() {
    let site = Site::fixture("bom_crlf");
    // The fixture really has a BOM and CRLF line endings (guards against a re-encoding checkout).
    let raw = fs::read(site.path("content/breves/bom-crlf.md")).unwrap();
    assert!(
        raw.starts_with(b"\xef\xbb\xbf---\r\n"),
        "fixture lost its BOM or CRLF"
    );
    assert!(
        fs::read(site.path("content/breves/crlf.md"))
            .unwrap()
            .starts_with(b"---\r\n")
    );
    assert!(
        fs::read(site.path("content/breves/bom.md"))
            .unwrap()
            .starts_with(b"\xef\xbb\xbf---\n")
    );

    site.build(&[]).success();
    let page = site.page("breves/bom-crlf/index.html");
    assert_eq!(texts(&page, "main h1"), ["Fichier Windows"]);
    assert_eq!(attrs(&page, "main time", "datetime"), ["2019-12-17"]);
    let paragraphs = texts(&page, "main article p");
    assert!(
        paragraphs.contains(&"Premier paragraphe.".to_string()),
        "{paragraphs:?}"
    );
    assert!(
        paragraphs.contains(&"Second paragraphe, sur deux lignes.".to_string()),
        "{paragraphs:?}"
    );
    assert_eq!(
        texts(&site.page("breves/index.html"), "main h1"),
        ["Brèves Windows"]
    );
    assert_eq!(
        listed(&site, "index.html"),
        ["/breves/bom-crlf/", "/breves/crlf/", "/breves/bom/"]
    );
    for (path, bytes) in files(&site.public()) {
        if path.extension().is_some_and(|e| e == "html") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(!text.contains('\r'), "{} has a CR", path.display());
            assert!(!text.contains('\u{feff}'), "{} has a BOM", path.display());
        }
    }
}

// ---------------------------------------------------------------- static files

#[test]
fn static_files_are_copied_byte_for_byte() {
    let site = Site::fixture("static_files");
    site.build(&[]).success();
    for rel in ["robots.txt", "img/pixel.png"] {
        assert_eq!(
            fs::read(site.public().join(rel)).unwrap(),
            fs::read(site.path(&format!("static/{rel}"))).unwrap(),
            "{rel}"
        );
    }
}

#[test]
fn site_static_files_override_the_themes() {
    let site = Site::fixture("static_files");
    site.write("themes/chronique/static/robots.txt", "User-agent: theme\n");
    site.write("themes/chronique/static/humans.txt", "Theme team\n");
    site.build(&[]).success();
    assert_eq!(
        fs::read(site.public().join("robots.txt")).unwrap(),
        fs::read(site.path("static/robots.txt")).unwrap()
    );
    assert_eq!(
        fs::read_to_string(site.public().join("humans.txt")).unwrap(),
        "Theme team\n"
    );
}

#[test]
fn files_next_to_posts_are_copied_and_images_point_at_them() {
    let site = Site::fixture("static_files");
    site.build(&[]).success();
    assert_eq!(
        fs::read(site.public().join("breves/photo.jpg")).unwrap(),
        fs::read(site.path("content/breves/photo.jpg")).unwrap()
    );
    let page = site.page("breves/illustre/index.html");
    assert_eq!(attrs(&page, "main img", "src"), ["/breves/photo.jpg"]);
    assert_eq!(attrs(&page, "main img", "alt"), ["Un combiné téléphonique"]);
    assert!(texts(&page, "main figcaption")[0].contains("Claire Morel"));
}

#[test]
fn editor_temporary_files_are_not_copied() {
    let site = Site::fixture("static_files");
    site.write("static/robots.txt~", "backup");
    site.write("static/.robots.txt.swp", "swap");
    site.write("static/#robots.txt#", "emacs");
    site.build(&[]).success();
    assert!(site.has("robots.txt"));
    for name in ["robots.txt~", ".robots.txt.swp", "#robots.txt#"] {
        assert!(!site.has(name), "{name} was copied");
    }
}

#[test]
fn hidden_static_files_are_copied() {
    let site = Site::fixture("static_files");
    site.write(
        "static/.well-known/security.txt",
        "Contact: mailto:x@exemple.fr\n",
    );
    site.write("static/.nojekyll", "");
    site.build(&[]).success();
    assert!(site.has(".well-known/security.txt"));
    assert!(site.has(".nojekyll"));
}

// ---------------------------------------------------------------- slugs

#[test]
fn slugs_are_ascii_lowercase_and_hyphenated() {
    let site = Site::fixture("slugs");
    site.build(&[]).success();
    assert_eq!(
        listed(&site, "breves/index.html"),
        [
            "/breves/ca-m-agaaaace/",
            "/breves/majuscules-et-espaces/",
            "/breves/oeuvre-l-attente-a-50-eur/",
            "/breves/evasion/",
        ]
    );
    let pages = files(&site.public())
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"));
    for path in pages {
        let path = path.to_string_lossy().into_owned();
        assert!(
            path.chars().all(|c| c.is_ascii_lowercase()
                || c.is_ascii_digit()
                || "-./".contains(c)
                || c == '_'),
            "output path {path:?} is not a slug path"
        );
    }
}

#[test]
fn a_slug_cannot_leave_the_output_folder() {
    let site = Site::fixture("slugs");
    site.build(&[]).success();
    assert_eq!(
        texts(&site.page("breves/evasion/index.html"), "main h1"),
        ["Évasion"]
    );
    let beside: Vec<_> = fs::read_dir(site.tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside, ["site"], "something was written next to the site");
    assert!(!site.path("evasion").exists());
}

#[test]
fn section_folder_names_are_slugified() {
    let site = Site::fixture("slugs");
    site.write(
        "content/Mes Brèves/billet.md",
        "---\ntitle: \"Billet\"\ndate: 2020-02-01\n---\nTexte.\n",
    );
    site.build(&[]).success();
    for href in attrs(&site.page("index.html"), "a", "href") {
        assert!(!href.contains(' ') && href.is_ascii(), "{href:?}");
    }
    assert!(site.has("mes-breves/billet/index.html"));
}

// ---------------------------------------------------------------- templates

#[test]
fn site_templates_override_the_theme_and_kinds_pick_their_template() {
    let site = Site::fixture("template_override");
    site.build(&[]).success();
    assert_eq!(
        texts(&site.page("404.html"), "#perdu"),
        ["Perdu : Gabarits"]
    );
    // kind: breve → templates/breve.html
    let breve = site.page("breves/courte/index.html");
    assert_eq!(texts(&breve, "#gabarit-breve"), ["Une brève"]);
    // kind: article (no article.html) → the theme's page.html
    let article = site.page("articles/longue/index.html");
    assert!(texts(&article, "#gabarit-breve").is_empty());
    assert_eq!(texts(&article, "main h1"), ["Un article"]);
}

// ---------------------------------------------------------------- interface strings

#[test]
fn interface_strings_are_french_typeset_and_the_site_can_override_them() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    let home = site.page("index.html");
    let read_more = texts(&home, "main .read-more a");
    assert!(
        !read_more.is_empty() && read_more.iter().all(|t| t.starts_with("Lire la suite")),
        "{read_more:?}"
    );
    // The built-in French strings get the French typography (’, no-break spaces).
    let post = site.page("breves/punition/index.html");
    assert!(
        texts(&post, "main h2")
            .iter()
            .any(|t| t == "Thèmes d’irritants"),
        "{:?}",
        texts(&post, "main h2")
    );

    site.write(
        "i18n.toml",
        "read_more = \"Lire le billet\"\nkind_breve = \"Petite histoire\"\n",
    );
    site.build(&[]).success();
    let home = site.page("index.html");
    let read_more = texts(&home, "main .read-more a");
    assert!(
        read_more.iter().all(|t| t.starts_with("Lire le billet")),
        "{read_more:?}"
    );
    let post = site.page("breves/punition/index.html");
    assert_eq!(texts(&post, "main .post-kicker .kind"), ["Petite histoire"]);
}

#[test]
fn templates_have_a_date_in_words_filter() {
    let site = Site::fixture("basic");
    site.write(
        "templates/404.html",
        "<p id=\"a\">{{ \"2020-03-01\" | date_in_words }}</p>\
         <p id=\"b\">{{ \"2019-12-17T08:30:00+01:00\" | date_in_words }}</p>",
    );
    site.build(&[]).success();
    let page = site.page_text("404.html");
    assert!(
        page.contains("<p id=\"a\">1er\u{a0}mars 2020</p>"),
        "{page}"
    );
    assert!(
        page.contains("<p id=\"b\">17\u{a0}décembre 2019</p>"),
        "{page}"
    );

    site.write("templates/404.html", "{{ \"demain\" | date_in_words }}");
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr.contains("templates/404.html:1:")
            && run.stderr.contains("\"demain\" is not a date"),
        "{run}"
    );
}

/// Regression: taxonomy titles came from two places, so a site overriding `irritants` in
/// i18n.toml got its heading on post pages and the built-in one on the taxonomy's own pages.
#[test]
fn an_overridden_taxonomy_title_is_used_everywhere() {
    let site = Site::fixture("basic");
    site.write("i18n.toml", "irritants = \"Sujets qui fâchent\"\n");
    site.build(&[]).success();
    let post = site.page("breves/punition/index.html");
    assert!(
        texts(&post, "main h2")
            .iter()
            .any(|t| t == "Sujets qui fâchent"),
        "{:?}",
        texts(&post, "main h2")
    );
    let index = site.page("irritants/index.html");
    assert_eq!(texts(&index, "main h1"), ["Sujets qui fâchent"]);
    let term_page = fs::read_dir(site.path("public/irritants"))
        .expect("irritants folder")
        .flatten()
        .find(|e| e.path().join("index.html").is_file() && e.file_name() != "page")
        .expect("a term page");
    let term = site.page(&format!(
        "irritants/{}/index.html",
        term_page.file_name().to_string_lossy()
    ));
    assert_eq!(texts(&term, "main .list-kicker a"), ["Sujets qui fâchent"]);
}

/// A writer's everyday shortcut (issue 21): one theme or one author written alone, without
/// brackets, is a list of one — what the writer meant — and builds.
#[test]
fn a_single_term_or_author_without_brackets_is_a_list_of_one() {
    let site = Site::fixture("basic");
    let post = "content/breves/punition.md";
    let text = fs::read_to_string(site.path(post)).unwrap();
    let text = text
        .replace("irritants: [Attente]", "irritants: Attente")
        .replace("authors: [claire-morel]", "authors: claire-morel");
    assert!(text.contains("irritants: Attente\n") && text.contains("authors: claire-morel\n"));
    site.write(post, &text);
    site.build(&[]).success();
    let page = site.page("breves/punition/index.html");
    let links = attrs(&page, "main a[href*='/irritants/']", "href");
    assert!(
        links.iter().any(|h| h == "/irritants/attente/"),
        "{links:?}"
    );
    let term = site.page("irritants/attente/index.html");
    assert!(
        texts(&term, "main h2, main h3")
            .iter()
            .any(|t| t.contains("punition"))
    );
    assert!(
        site.page_text("breves/punition/index.html")
            .contains("Claire Morel")
    );
}
