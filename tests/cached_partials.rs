//! `include_cached` (src/render/cached.rs): a partial rendered once per build for each set of
//! arguments. The default theme renders list summaries with it; these tests check that the
//! summaries still follow their arguments, and that a cached partial sees its arguments, `site`
//! and `t`, and none of the page's variables (so that it is the same whichever page asks first).

mod common;

use common::*;

/// The summary of the post at `url` in a list page, as HTML.
fn summary(site: &Site, page: &str, url: &str) -> String {
    let doc = site.page(page);
    let link = sel(&format!("a[href=\"{url}\"]"));
    doc.select(&sel("article.post-summary"))
        .find(|a| a.select(&link).next().is_some())
        .unwrap_or_else(|| panic!("{page} has no summary of {url}"))
        .html()
}

/// The basic site with `templates/partials/probe.html` holding `probe`, and a home page whose
/// content (on its line 2) is `content`.
fn probing(probe: &str, content: &str) -> Site {
    let site = Site::fixture("basic");
    site.write("templates/partials/probe.html", probe);
    site.write(
        "templates/index.html",
        format!(
            "{{% extends \"base.html\" %}}\n{{% block content %}}{content}{{% endblock content %}}\n"
        ),
    );
    site
}

#[test]
fn a_summary_is_the_same_on_every_list_but_for_its_heading_level() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    let url = "/breves/punition/";
    let home = summary(&site, "index.html", url);
    assert!(home.contains("<h2 class=\"post-summary-title\">"), "{home}");
    assert_eq!(summary(&site, "breves/index.html", url), home);
    // The author page asks for h3 titles: another call, another rendering.
    let author = summary(&site, "auteurs/claire-morel/index.html", url);
    assert!(
        author.contains("<h3 class=\"post-summary-title\">"),
        "{author}"
    );
    assert_eq!(author, home.replace("<h2", "<h3").replace("</h2>", "</h3>"));
}

#[test]
fn a_cached_partial_sees_its_arguments_site_and_t_only() {
    let site = probing(
        "<p class=\"probe\">{{ site.title }}|{{ t.home }}|{{ n }}|{{ current_url | default(value=\"none\") }}</p>\n",
        r#"
{{ include_cached(template="partials/probe.html", n=1) }}
{{ include_cached(template="partials/probe.html", n=2) }}
{{ include_cached(template="partials/probe.html", n=1) }}
"#,
    );
    site.build(&[]).success();
    let home = site.page("index.html");
    assert_eq!(
        texts(&home, "p.probe"),
        [
            "Chronique d’essai|Accueil|1|none",
            "Chronique d’essai|Accueil|2|none",
            "Chronique d’essai|Accueil|1|none",
        ]
    );
}

#[test]
fn an_error_in_a_cached_partial_names_the_partial_and_its_line() {
    let site = probing(
        "<p>\n{{ nope.x }}</p>\n",
        r#"{{ include_cached(template="partials/probe.html") }}"#,
    );
    let run = site.build(&[]);
    run.failure();
    assert!(run.stderr.contains("templates/index.html:2:"), "{run}");
    assert!(run.stderr.contains("partials/probe.html:2:4"), "{run}");
    assert!(
        run.stderr.contains("Variable `nope` is not defined"),
        "{run}"
    );
    assert!(!site.public().exists());
}

#[test]
fn a_cached_partial_that_includes_itself_is_an_error_not_a_crash() {
    let site = probing(
        "<p>{{ include_cached(template=\"partials/probe.html\", n=n + 1) }}</p>\n",
        r#"{{ include_cached(template="partials/probe.html", n=0) }}"#,
    );
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr
            .contains("more than 8 cached partials inside one another"),
        "{run}"
    );
    assert!(!site.public().exists());
}

/// `site` and `t` are the build's, whatever the calling page calls by those names: otherwise
/// the first page to render the partial would decide what every other page shows.
#[test]
fn a_cached_partial_sees_the_builds_t_even_where_the_page_reuses_the_name() {
    let site = probing(
        "<p class=\"probe\">{{ t.home }}</p>\n",
        r#"
{% for t in [{"home": "ailleurs"}] %}{{ include_cached(template="partials/probe.html", n=1) }}{% endfor %}
{{ include_cached(template="partials/probe.html", n=1) }}
"#,
    );
    site.build(&[]).success();
    assert_eq!(
        texts(&site.page("index.html"), "p.probe"),
        ["Accueil", "Accueil"]
    );
}
