//! Irritant breakdowns and the taxonomies (irritant themes, tags, efforts), checked on the built
//! output: the journey of a breakdown as readers get it, the term index and term pages, the
//! per-term Atom feeds (parsed as XML), term merging and its warning, the configurable URL
//! segments, and the repository's own example column, whose theme pages must list exactly the
//! posts that carry each theme.
//!
//! The bad inputs of the issue (a finding pointing at a missing step, an unknown finding kind…)
//! are fixtures under `tests/fixtures/errors/`, run by `tests/errors.rs`; the warnings are
//! checked here, since the build succeeds.
//!
//! Text is compared through [`norm`], so that French typography (non-breaking spaces before
//! `:;!?`, curly apostrophes) can change the bytes without breaking the tests.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use common::*;
use scraper::{ElementRef, Html};

// ---------------------------------------------------------------- helpers

/// The normalised text of an element, as a reader hears it: without its `aria-hidden` parts
/// (like [`texts`]).
fn text_of(e: ElementRef<'_>) -> String {
    text_without(e, |el| el.attr("aria-hidden") == Some("true"))
}

/// The normalised text of an element as it is seen: without its `aria-hidden` parts nor its
/// visually hidden ones (`.visually-hidden`, words only screen readers get).
fn seen_text(e: ElementRef<'_>) -> String {
    text_without(e, |el| {
        el.attr("aria-hidden") == Some("true") || el.classes().any(|c| c == "visually-hidden")
    })
}

fn text_without(e: ElementRef<'_>, hidden: impl Fn(&scraper::node::Element) -> bool) -> String {
    let mut out = String::new();
    for node in e.descendants() {
        let Some(t) = node.value().as_text() else {
            continue;
        };
        let mut shown = true;
        for a in node.ancestors() {
            if a.value().as_element().is_some_and(&hidden) {
                shown = false;
                break;
            }
            if a.id() == e.id() {
                break;
            }
        }
        if shown {
            out.push_str(t);
        }
    }
    norm(&out)
}

/// The normalised text of the elements matching `css` inside `e`.
fn inner(e: ElementRef<'_>, css: &str) -> Vec<String> {
    e.select(&sel(css)).map(text_of).collect()
}

/// The post links of a list page, in order.
fn listed(site: &Site, page: &str) -> Vec<String> {
    attrs(&site.page(page), "main article h2 a", "href")
}

/// The post links of a paginated list, every page followed through its `rel=next` link;
/// `base` is the path of the site's base URL (`/` or `/blog/`).
fn listed_all(site: &Site, base: &str, first: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut page = first.to_string();
    for _ in 0..100 {
        out.extend(listed(site, &page));
        match attrs(&site.page(&page), "main a[rel=next]", "href").first() {
            Some(next) => {
                let rel = next.strip_prefix(base).expect("a link under the base path");
                page = format!("{rel}index.html");
            }
            None => return out,
        }
    }
    panic!("more than 100 pages from {first}");
}

/// An XML element, parsed with quick-xml: namespace, local name, attributes, children, text.
#[derive(Debug)]
struct Xml {
    ns: String,
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<Xml>,
    text: String,
}

impl Xml {
    /// Parses a whole document; panics on anything that is not well-formed.
    fn parse(doc: &str) -> Xml {
        use quick_xml::events::Event;
        use quick_xml::name::ResolveResult;

        let mut reader = quick_xml::NsReader::from_str(doc);
        let mut stack: Vec<Xml> = Vec::new();
        let mut root = None;
        let open = |ns: ResolveResult<'_>, e: &quick_xml::events::BytesStart<'_>| Xml {
            ns: match ns {
                ResolveResult::Bound(n) => n.into_inner().to_string(),
                _ => String::new(),
            },
            name: e.local_name().as_ref().to_string(),
            attrs: e
                .attributes()
                .map(|a| {
                    let a = a.expect("a well-formed attribute");
                    (
                        a.key.as_ref().to_string(),
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .expect("an attribute value")
                            .into_owned(),
                    )
                })
                .collect(),
            children: Vec::new(),
            text: String::new(),
        };
        let mut raw_text = String::new();
        loop {
            let (ns, event) = reader.read_resolved_event().expect("well-formed XML");
            match event {
                Event::Start(e) => {
                    stack.push(open(ns, &e));
                    raw_text.clear();
                }
                Event::Empty(e) => {
                    let el = open(ns, &e);
                    stack.last_mut().expect("a parent").children.push(el);
                }
                Event::Text(t) => raw_text.push_str(t.as_ref()),
                Event::GeneralRef(r) => raw_text.push_str(&format!("&{};", r.as_ref() as &str)),
                Event::End(_) => {
                    let mut el = stack.pop().expect("an open element");
                    el.text = quick_xml::escape::unescape(&raw_text)
                        .expect("known entities")
                        .trim()
                        .to_string();
                    raw_text.clear();
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(el),
                        None => root = Some(el),
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert!(stack.is_empty(), "unclosed elements");
        root.expect("a root element")
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Xml> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn one<'a>(&'a self, name: &'a str) -> &'a Xml {
        let found: Vec<&Xml> = self.all(name).collect();
        assert_eq!(
            found.len(),
            1,
            "<{}> has {} <{name}>",
            self.name,
            found.len()
        );
        found[0]
    }

    /// The `href` of the child `<link rel="…">`.
    fn link(&self, rel: &str) -> &str {
        self.all("link")
            .find(|l| l.attrs.get("rel").map(String::as_str) == Some(rel))
            .and_then(|l| l.attrs.get("href"))
            .unwrap_or_else(|| panic!("no <link rel={rel}> in <{}>", self.name))
    }
}

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// An Atom feed of the output, parsed and checked to be Atom.
fn atom(site: &Site, rel: &str) -> Xml {
    let feed = Xml::parse(&fs::read_to_string(site.public().join(rel)).unwrap());
    assert_eq!(
        (feed.ns.as_str(), feed.name.as_str()),
        (ATOM, "feed"),
        "{rel}"
    );
    for e in feed.all("entry") {
        assert_eq!(e.ns, ATOM);
    }
    feed
}

// ---------------------------------------------------------------- the journey

const BREAKDOWN: &str = "decryptages/facture-fausse/index.html";

fn journey() -> (Site, Html) {
    let site = Site::fixture("irritants/journey");
    site.build(&[]).success();
    let page = site.page(BREAKDOWN);
    (site, page)
}

/// The step items of the journey, in order.
fn steps(page: &Html) -> Vec<ElementRef<'_>> {
    let lists: Vec<ElementRef<'_>> = page.select(&sel("main ol.journey")).collect();
    assert_eq!(lists.len(), 1, "one <ol> journey");
    lists[0]
        .children()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "li")
        .collect()
}

#[test]
fn journey_parts_come_in_order_context_steps_findings_basics_body() {
    let (_site, page) = journey();
    let article = norm(&texts(&page, "main article").join(" "));
    let at = |needle: &str| {
        article
            .find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in {article}"))
    };
    // The steps, then what they reveal: each finding with its detail.
    let order = [
        at("Je viens de payer une facture envoyée par la marque."),
        at("Le montant de la facture n'était pas correct : il était bien trop élevé."),
        at("Le remboursement arrive enfin, sans un mot d'excuse."),
        at("Problème sur une facture"),
        at("Somme prélevée incorrecte."),
        at("Une facture doit être juste."),
        at("Le corps du décryptage commence ici."),
        at("Vérifier les factures avant de les envoyer."),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert_eq!(
        ntexts(&page, "main .breakdown > section > h2"),
        [
            "Le contexte",
            "Le parcours",
            "Les promesses de base non tenues",
            "Réparer, éviter, bien faire",
        ]
    );
    assert_eq!(
        ntexts(&page, "main .basics li"),
        [
            "Une facture doit être juste.",
            "Le client est remboursé dans le délai promis."
        ]
    );
    // The body keeps its own headings, after the structured parts, one level under the
    // « Réparer, éviter, bien faire » they sit in (issue 25).
    assert_eq!(
        ntexts(&page, "main .post-body h3"),
        ["Comment réparer", "Comment l'éviter"]
    );
    assert!(ntexts(&page, "main .post-body h2").is_empty());
}

#[test]
fn steps_are_an_ordered_list_with_anchors() {
    let (site, page) = journey();
    let steps = steps(&page);
    let texts: Vec<String> = steps.iter().map(|s| text_of(*s)).collect();
    assert_eq!(
        texts,
        [
            "Le montant de la facture n'était pas correct : il était bien trop élevé.",
            "Je signale le problème au service client.",
            "On me promet un remboursement sous huit jours.",
            "Trois semaines plus tard, je relance par courrier.",
            "Le remboursement arrive enfin, sans un mot d'excuse.",
        ]
    );
    let ids: Vec<&str> = steps
        .iter()
        .map(|s| s.value().attr("id").unwrap())
        .collect();
    assert_eq!(ids, ["etape-1", "etape-2", "etape-3", "etape-4", "etape-5"]);
    // Each step's number is its place in the <ol>, which the theme draws (issue 25's budget: a
    // label in each step, « Étape 1 » for screen readers, repeated what the list says).
    let css = fs::read_to_string(site.public().join("css/breakdown.css")).unwrap();
    assert!(
        css.contains(".journey>li::before{content:counter(list-item);"),
        "{css}"
    );
}

/// The findings of the journey map, in order: (kind, title as seen, what screen readers get
/// before it, detail as seen, without its effort type). A finding is its title's paragraph,
/// then its detail's.
fn map_findings(page: &Html) -> Vec<(String, String, String, String)> {
    page.select(&sel("main ul.journey-spans > li"))
        .map(|f| {
            let class = f.value().attr("class").unwrap_or("");
            // (A finding's kind is its class.)
            let kind = class.split_whitespace().next().unwrap_or("?").to_string();
            let detail = f
                .select(&sel(":scope > p + p"))
                .map(|d| {
                    text_without(d, |el| {
                        el.classes()
                            .any(|c| c == "finding-effort" || c == "visually-hidden")
                    })
                })
                .collect::<Vec<_>>()
                .join(" ");
            (
                kind,
                seen(f, ":scope > p:first-child"),
                inner(f, ".visually-hidden").join(" "),
                detail,
            )
        })
        .collect()
}

/// The text of the elements matching `css` inside `e`, as it is seen.
fn seen(e: ElementRef<'_>, css: &str) -> String {
    e.select(&sel(css))
        .map(seen_text)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Issue 25: a finding on four steps was printed on all four, with its kind twice ("EFFORT ·
/// Effort financier Effort financier"); the map draws it once, by its title, across its steps.
/// And its card below repeated its title and steps: the map now shows its detail, and there is
/// no card for a finding on the map (the weight budget of issue 25).
#[test]
fn each_finding_is_drawn_once_across_its_steps_with_its_detail() {
    let (_site, page) = journey();
    let t = |k: &str, title: &str, meta: &str, detail: &str| {
        (
            k.to_string(),
            title.to_string(),
            meta.to_string(),
            detail.to_string(),
        )
    };
    assert_eq!(
        map_findings(&page),
        [
            t(
                "problem",
                "Problème sur une facture",
                "Problème (étape 1) :",
                "Somme prélevée incorrecte."
            ),
            t(
                "problem",
                "Promesse non tracée",
                "Problème (étape 3) :",
                "Le délai annoncé n'est suivi par personne."
            ),
            t(
                "effort",
                "Effort financier",
                "Effort (étapes 1 à 4) :",
                "Le trop-perçu reste chez la marque pendant un mois."
            ),
            t(
                "effort",
                "Effort de contact",
                "Effort (étapes 2, 4 et 5) :",
                "Deux relances à l'initiative du client."
            ),
            // Two frustrations share their title: each has its own anchor.
            t(
                "frustration",
                "Frustration",
                "Frustration (étape 5) :",
                "Personne ne s'excuse."
            ),
            t(
                "frustration",
                "Frustration",
                "Frustration (étapes 3 et 4) :",
                "Le délai de huit jours n'est pas tenu."
            ),
        ]
    );
    assert_eq!(
        attrs(&page, "main ul.journey-spans > li", "id"),
        [
            "finding-problem-1",
            "finding-problem-2",
            "finding-effort-1",
            "finding-effort-2",
            "finding-frustration-1",
            "finding-frustration-2",
        ]
    );
    // A mark on each step of each finding: 1 + 1 + 4 + 3 + 1 + 2.
    assert_eq!(
        page.select(&sel("main .journey-bars > span > span"))
            .count(),
        12
    );
    // The steps say nothing of the findings any more, nor does a finding repeat its kind.
    for s in steps(&page) {
        assert_eq!(s.select(&sel("a")).count(), 0, "{}", s.html());
    }
    let money = page.select(&sel("#finding-effort-1")).next().unwrap();
    assert_eq!(
        seen_text(money).matches("Effort financier").count(),
        1,
        "{}",
        seen_text(money)
    );
    assert!(!seen_text(money).to_lowercase().contains("effort ·"));
    // Every finding is on a step: no cards, no « Ce que révèle le parcours » part.
    assert!(
        page.select(&sel("main .findings, #bd-findings"))
            .next()
            .is_none()
    );
    assert!(
        attrs(&page, "main a", "href")
            .iter()
            .all(|h| h != "#bd-findings")
    );
}

/// A finding on no step cannot be drawn on the map: it has its card below it, grouped by kind.
#[test]
fn findings_on_no_step_have_cards_grouped_by_kind() {
    let site = Site::fixture("irritants/journey");
    let rel = "content/decryptages/facture-fausse.md";
    let text = fs::read_to_string(site.path(rel)).unwrap();
    site.write(
        rel,
        text.replacen(
            "basics:",
            "  - {kind: frustration, title: \"Aucune excuse\", detail: \"Nulle part.\"}\n  - {kind: effort, effort: contact, title: \"Tout réexpliquer\"}\nbasics:",
            1,
        ),
    );
    site.build(&[]).success();
    let page = site.page(BREAKDOWN);
    assert_eq!(
        ntexts(&page, "main .breakdown > section > h2"),
        [
            "Le contexte",
            "Le parcours",
            "Ce que révèle le parcours",
            "Les promesses de base non tenues",
            "Réparer, éviter, bien faire",
        ]
    );
    assert!(attrs(&page, "main .toc a", "href").contains(&"#bd-findings".to_string()));
    assert_eq!(
        ntexts(&page, "main .findings-title"),
        ["Les efforts du client", "Les frustrations"]
    );
    let cards: Vec<(String, String, String)> = page
        .select(&sel("main ul.findings > li"))
        .map(|f| {
            (
                f.value().attr("id").unwrap().to_string(),
                inner(f, ".finding-title").join(" "),
                inner(f, ".finding-detail").join(" "),
            )
        })
        .collect();
    let card = |id: &str, title: &str, detail: &str| {
        (id.to_string(), title.to_string(), detail.to_string())
    };
    assert_eq!(
        cards,
        [
            card("finding-effort-3", "Tout réexpliquer", "Contacts"),
            card("finding-frustration-3", "Aucune excuse", "Nulle part."),
        ]
    );
    assert_eq!(page.select(&sel("main ul.journey-spans > li")).count(), 6);
    // The cards' sheet comes with them only.
    let sheets = attrs(&page, "link[rel=stylesheet]", "href");
    assert!(
        sheets.contains(&"/css/findings.css".to_string()),
        "{sheets:?}"
    );
    let (_site, without) = journey();
    let sheets = attrs(&without, "link[rel=stylesheet]", "href");
    assert!(
        !sheets.contains(&"/css/findings.css".to_string()),
        "{sheets:?}"
    );
}

#[test]
fn efforts_name_their_type_and_link_to_its_term_page() {
    let (site, page) = journey();
    let efforts: Vec<(String, String)> = page
        .select(&sel("main ul.journey-spans a.finding-effort"))
        .map(|a| (text_of(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(
        efforts,
        [
            ("Argent".to_string(), "/efforts/argent/".to_string()),
            ("Contacts".to_string(), "/efforts/contacts/".to_string()),
        ]
    );
    for (_, url) in efforts {
        assert_eq!(
            listed(&site, &format!("{}index.html", &url[1..])),
            ["/decryptages/facture-fausse/"]
        );
    }
}

#[test]
fn the_journey_needs_no_script_and_has_valid_anchors() {
    let (_site, page) = journey();
    assert!(
        attrs(&page, "main script[src]", "src").is_empty(),
        "the journey must not need a script"
    );
    // Ids are unique: anchors are where the links say.
    let ids = attrs(&page, "[id]", "id");
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids: {ids:?}");
    for href in attrs(&page, "main a[href^='#']", "href") {
        assert!(ids.contains(&href[1..].to_string()), "{href} leads nowhere");
    }
}

#[test]
fn an_english_site_says_steps_in_english() {
    let site = Site::fixture("irritants/journey");
    site.write(
        "site.toml",
        "title = \"Breakdowns\"\nbase_url = \"https://example.org/\"\nlanguage = \"en\"\n",
    );
    site.build(&[]).success();
    let page = site.page(BREAKDOWN);
    let labels = ntexts(&page, "main .journey-spans .visually-hidden");
    assert!(
        labels.contains(&"Effort (steps 1 to 4):".to_string()),
        "{labels:?}"
    );
    assert!(
        labels.contains(&"Effort (steps 2, 4 and 5):".to_string()),
        "{labels:?}"
    );
    assert_eq!(attrs(&page, "main ol.journey > li", "id")[0], "step-1");
    // The map's words for screen readers, in English typography (no space before the colon).
    assert_eq!(
        ntexts(&page, "main .journey-spans .visually-hidden")[0],
        "Problem (step 1):"
    );
}

#[test]
fn steps_on_a_post_that_is_not_a_breakdown_is_a_warning() {
    let site = Site::fixture("irritants/journey");
    site.write(
        "content/breves/parcours.md",
        "---\ntitle: \"Un parcours\"\ndate: 2020-01-01\nkind: breve\nsteps:\n  - \"J'appelle.\"\n---\nTexte.\n",
    );
    let run = site.build(&[]);
    run.success();
    assert!(
        run.stderr
            .contains("warning: content/breves/parcours.md:5:1: this post has breakdown keys"),
        "{run}"
    );
    assert!(run.stderr.contains("5 | steps:"), "{run}");
    // The brève is a plain post: no journey.
    let page = site.page("breves/parcours/index.html");
    assert!(page.select(&sel("main ol.journey")).next().is_none());
    // And the breakdown itself gives no warning.
    assert!(!run.stderr.contains("facture-fausse"), "{run}");
}

// ---------------------------------------------------------------- taxonomies

fn themes() -> (Site, Run) {
    let site = Site::fixture("irritants/themes");
    let run = site.build(&[]);
    run.success();
    (site, run)
}

const REMBOURSE: &str = "/breves/a-rembourse-enfin/";
const GUICHET: &str = "/articles/guichet/";
const MINIMUM: &str = "/breves/service-minimum/";
const FACTURE: &str = "/decryptages/facture-erronee/";
const CONTE: &str = "/contes/attente-de-noel/";

#[test]
fn the_theme_index_lists_every_term_with_its_count_most_used_first() {
    let (site, _) = themes();
    let page = site.page("irritants/index.html");
    assert_eq!(ntexts(&page, "main h1"), ["Thèmes d'irritants"]);
    let items: Vec<(String, String)> = page
        .select(&sel("main ol.term-index > li"))
        .map(|li| {
            let a = li.select(&sel("a")).next().unwrap();
            (text_of(li), a.value().attr("href").unwrap().to_string())
        })
        .collect();
    assert_eq!(
        items,
        [
            ("Remboursement 4 billets", "/irritants/remboursement/"),
            ("Service client 3 billets", "/irritants/service-client/"),
            ("Attente 2 billets", "/irritants/attente/"),
            (
                "Prestation inachevée 1 billet",
                "/irritants/prestation-inachevee/"
            ),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
}

#[test]
fn term_pages_list_their_posts_newest_first_with_pagination() {
    let (site, _) = themes();
    // paginate_by = 2
    assert_eq!(
        listed(&site, "irritants/remboursement/index.html"),
        [REMBOURSE, GUICHET]
    );
    assert_eq!(
        listed(&site, "irritants/remboursement/page/2/index.html"),
        [MINIMUM, FACTURE]
    );
    assert!(!site.has("irritants/remboursement/page/3/index.html"));
    assert_eq!(
        listed_all(&site, "/", "irritants/remboursement/index.html"),
        [REMBOURSE, GUICHET, MINIMUM, FACTURE]
    );
    let page = site.page("irritants/remboursement/index.html");
    assert_eq!(ntexts(&page, "main h1"), ["Remboursement"]);
    assert_eq!(attrs(&page, "main .list-kicker a", "href"), ["/irritants/"]);
    assert_eq!(
        listed_all(&site, "/", "irritants/service-client/index.html"),
        [REMBOURSE, MINIMUM, FACTURE]
    );
    assert_eq!(
        listed(&site, "irritants/attente/index.html"),
        [GUICHET, CONTE]
    );
    assert_eq!(
        listed(&site, "irritants/prestation-inachevee/index.html"),
        [FACTURE]
    );
    // Slugs are ASCII.
    for path in files(&site.public().join("irritants")).into_keys() {
        assert!(path.to_string_lossy().is_ascii(), "{}", path.display());
    }
}

#[test]
fn each_term_has_an_atom_feed_of_its_posts() {
    let (site, _) = themes();
    let page = site.page("irritants/remboursement/index.html");
    let alternates = attrs(
        &page,
        "head link[rel=alternate][type='application/atom+xml']",
        "href",
    );
    assert!(
        alternates.contains(&"/irritants/remboursement/atom.xml".to_string()),
        "{alternates:?}"
    );
    assert_eq!(
        attrs(&page, "main a.feed-link", "href"),
        ["/irritants/remboursement/atom.xml"]
    );
    let feed = atom(&site, "irritants/remboursement/atom.xml");
    assert!(feed.one("title").text.contains("Remboursement"), "{feed:?}");
    assert_eq!(
        feed.link("self"),
        "https://chronique.test/irritants/remboursement/atom.xml"
    );
    assert_eq!(
        feed.link("alternate"),
        "https://chronique.test/irritants/remboursement/"
    );
    let entries: Vec<(String, String)> = feed
        .all("entry")
        .map(|e| (norm(&e.one("title").text), e.link("alternate").to_string()))
        .collect();
    assert_eq!(
        entries,
        [
            ("Remboursé, enfin", REMBOURSE),
            ("L'attente au guichet", GUICHET),
            ("Service minimum", MINIMUM),
            ("Ça m'agace quand la facture est erronée", FACTURE),
        ]
        .map(|(t, u)| (t.to_string(), format!("https://chronique.test{u}")))
    );
    // The feed's date is its newest entry's, not the clock's.
    assert_eq!(feed.one("updated").text, "2020-03-01T00:00:00Z");
    // Entries carry the themes as categories, merged like the term pages.
    let minimum = feed
        .all("entry")
        .find(|e| e.link("alternate").ends_with(MINIMUM))
        .unwrap();
    let categories: Vec<&str> = minimum
        .all("category")
        .map(|c| c.attrs["term"].as_str())
        .collect();
    assert_eq!(categories, ["Remboursement", "Service client"]);

    // Every term page has its feed, listing exactly the term's posts.
    for (term, posts) in [
        ("service-client", vec![REMBOURSE, MINIMUM, FACTURE]),
        ("attente", vec![GUICHET, CONTE]),
        ("prestation-inachevee", vec![FACTURE]),
    ] {
        let feed = atom(&site, &format!("irritants/{term}/atom.xml"));
        let links: Vec<String> = feed
            .all("entry")
            .map(|e| e.link("alternate").to_string())
            .collect();
        let expected: Vec<String> = posts
            .iter()
            .map(|p| format!("https://chronique.test{p}"))
            .collect();
        assert_eq!(links, expected, "{term}");
    }
}

#[test]
fn terms_differing_by_case_are_one_term_with_a_warning_naming_the_files() {
    let (site, run) = themes();
    // "Service client" twice, "service Client" once: one term, the common spelling.
    assert!(!site.has("irritants/service-client-2/index.html"));
    let page = site.page("breves/service-minimum/index.html");
    assert_eq!(
        ntexts(&page, "main .terms--irritants a"),
        ["Remboursement", "Service client"]
    );
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{run}");
    assert!(
        warnings[0].starts_with("warning: content/breves/service-minimum.md:7:5: "),
        "{run}"
    );
    assert!(
        warnings[0].contains("\"Service client\"")
            && warnings[0].contains("\"service Client\" in content/breves/service-minimum.md"),
        "{run}"
    );
    assert!(run.stderr.contains("7 |   - \"service Client\""), "{run}");
    // The search results show the merged name too.
    let index: serde_json::Value =
        serde_json::from_slice(&fs::read(site.public().join("search-index.json")).unwrap())
            .unwrap();
    let entry = index
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["u"] == MINIMUM)
        .expect("the post in the search index");
    assert_eq!(
        entry["i"],
        serde_json::json!(["Remboursement", "Service client"])
    );
}

#[test]
fn terms_differing_by_accents_are_one_term() {
    let site = Site::fixture("irritants/themes");
    for (name, day, spelling) in [
        ("a", 1, "Delai"),
        ("b", 2, "délai"),
        ("c", 3, "Délai"),
        ("d", 4, "Délai"),
    ] {
        site.write(
            &format!("content/breves/delai-{name}.md"),
            format!(
                "---\ntitle: \"Délai {name}\"\ndate: 2019-12-0{day}\nirritants: [\"{spelling}\"]\n---\nTexte.\n"
            ),
        );
    }
    let run = site.build(&[]);
    run.success();
    let terms = ntexts(&site.page("irritants/index.html"), "main ol.term-index a");
    assert_eq!(
        terms
            .iter()
            .filter(|t| fold(t) == "delai")
            .collect::<Vec<_>>(),
        ["Délai"],
        "{terms:?}"
    );
    assert_eq!(
        listed_all(&site, "/", "irritants/delai/index.html"),
        [
            "/breves/delai-d/",
            "/breves/delai-c/",
            "/breves/delai-b/",
            "/breves/delai-a/"
        ]
    );
    for other in [
        "\"Delai\" in content/breves/delai-a.md",
        "\"délai\" in content/breves/delai-b.md",
    ] {
        assert!(run.stderr.contains(other), "{run}");
    }
}

#[test]
fn posts_show_their_themes_and_tags_as_links() {
    let (site, _) = themes();
    let page = site.page("decryptages/facture-erronee/index.html");
    let links = |css: &str| -> Vec<(String, String)> {
        page.select(&sel(css))
            .map(|a| (text_of(a), a.value().attr("href").unwrap().to_string()))
            .collect()
    };
    assert_eq!(
        links("main .terms--irritants a"),
        [
            ("Service client", "/irritants/service-client/"),
            ("Remboursement", "/irritants/remboursement/"),
            ("Prestation inachevée", "/irritants/prestation-inachevee/"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let conte = site.page("contes/attente-de-noel/index.html");
    assert_eq!(
        attrs(&conte, "main .terms--tags a", "href"),
        ["/etiquettes/noel/"]
    );
    assert_eq!(listed(&site, "etiquettes/noel/index.html"), [CONTE]);
    // A post without a theme has no theme list.
    let plain = site.page("breves/sans-theme/index.html");
    assert!(
        plain
            .select(&sel("main .terms--irritants"))
            .next()
            .is_none()
    );
    // Every term link of every post leads to a page that lists that post.
    for post in [REMBOURSE, GUICHET, MINIMUM, FACTURE, CONTE] {
        let page = site.page(&format!("{}index.html", &post[1..]));
        for href in attrs(&page, "main .terms a", "href") {
            let listed = listed_all(&site, "/", &format!("{}index.html", &href[1..]));
            assert!(listed.contains(&post.to_string()), "{href} lacks {post}");
        }
    }
}

#[test]
fn efforts_are_collected_from_the_findings_of_breakdowns() {
    let (site, _) = themes();
    let page = site.page("efforts/index.html");
    assert_eq!(ntexts(&page, "main h1"), ["Efforts du client"]);
    assert_eq!(
        attrs(&page, "main ol.term-index a", "href"),
        ["/efforts/argent/", "/efforts/contacts/"]
    );
    assert_eq!(listed(&site, "efforts/argent/index.html"), [FACTURE]);
    let feed = atom(&site, "efforts/argent/atom.xml");
    assert_eq!(feed.all("entry").count(), 1);
}

#[test]
fn effort_types_and_url_segments_come_from_site_toml() {
    let site = Site::fixture("irritants/themes");
    site.write(
        "site.toml",
        r#"title = "Thèmes d'essai"
base_url = "https://chronique.test/blog/"
paginate_by = 2
efforts = [
  { id = "financier", name = "Argent avancé" },
  { id = "contact", name = "Relances" },
]

[taxonomies]
irritants = "themes"
tags = "mots-cles"
efforts = "peines"
"#,
    );
    site.build(&[]).success();
    for gone in ["irritants", "etiquettes", "efforts"] {
        assert!(!site.public().join(gone).exists(), "{gone}/ was written");
    }
    assert_eq!(
        listed_all(&site, "/blog/", "themes/remboursement/index.html"),
        [
            "/blog/breves/a-rembourse-enfin/",
            "/blog/articles/guichet/",
            "/blog/breves/service-minimum/",
            "/blog/decryptages/facture-erronee/",
        ]
    );
    assert!(site.has("themes/index.html"));
    assert!(site.has("mots-cles/noel/index.html"));
    let feed = atom(&site, "themes/remboursement/atom.xml");
    assert_eq!(
        feed.link("self"),
        "https://chronique.test/blog/themes/remboursement/atom.xml"
    );
    let page = site.page("decryptages/facture-erronee/index.html");
    assert_eq!(
        attrs(&page, "main .terms--irritants a", "href"),
        [
            "/blog/themes/service-client/",
            "/blog/themes/remboursement/",
            "/blog/themes/prestation-inachevee/",
        ]
    );
    assert_eq!(
        ntexts(&page, "main a.finding-effort"),
        ["Argent avancé", "Relances"]
    );
    assert_eq!(
        attrs(
            &site.page("peines/index.html"),
            "main ol.term-index a",
            "href"
        ),
        ["/blog/peines/argent-avance/", "/blog/peines/relances/"]
    );
    // The site's navigation follows.
    let nav = attrs(&site.page("index.html"), "a", "href");
    assert!(nav.contains(&"/blog/themes/".to_string()), "{nav:?}");
}

#[test]
fn a_taxonomy_url_segment_must_be_a_slug() {
    let site = Site::fixture("irritants/themes");
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://chronique.test/\"\n\n[taxonomies]\nirritants = \"Thèmes\"\n",
    );
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr
            .contains("error: site.toml:5:1: taxonomies.irritants = \"Thèmes\""),
        "{run}"
    );
}

#[test]
fn two_taxonomies_cannot_share_a_url() {
    let site = Site::fixture("irritants/themes");
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://chronique.test/\"\n\n[taxonomies]\ntags = \"irritants\"\n",
    );
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr.contains("error: site.toml:5:1: ") && run.stderr.contains("/irritants/"),
        "{run}"
    );
    assert!(!run.stderr.contains("panicked"), "{run}");
}

// ---------------------------------------------------------------- the example column

#[derive(serde::Deserialize)]
struct FrontMatter {
    #[serde(default)]
    irritants: Vec<String>,
    date: String,
    #[serde(default)]
    draft: bool,
    slug: Option<String>,
}

/// Case and accents folded, like a term's identity.
fn fold(term: &str) -> String {
    deunicode::deunicode(term).to_lowercase()
}

/// The example column's published posts: URL → folded themes.
fn example_posts(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    let content = root.join("content");
    for section in fs::read_dir(&content).unwrap() {
        let section = section.unwrap().path();
        let name = section.file_name().unwrap().to_string_lossy().into_owned();
        if !section.is_dir() || name == "authors" || name == "series" {
            continue;
        }
        for file in fs::read_dir(&section).unwrap() {
            let file = file.unwrap().path();
            let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
            if file.extension().is_none_or(|e| e != "md") || stem == "_index" {
                continue;
            }
            let text = fs::read_to_string(&file).unwrap();
            let yaml = text
                .split("\n---")
                .next()
                .unwrap()
                .trim_start_matches("---");
            let fm: FrontMatter =
                serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            // Published at EPOCH (2026-01-01): not a draft, not dated later.
            if fm.draft || fm.date.as_str() >= "2026-01-01" {
                continue;
            }
            assert!(
                fm.slug.is_none(),
                "{}: the test assumes no `slug`",
                file.display()
            );
            out.insert(
                format!("/{name}/{stem}/"),
                fm.irritants.iter().map(|t| fold(t)).collect(),
            );
        }
    }
    out
}

#[test]
fn every_theme_page_of_the_example_column_lists_exactly_its_posts() {
    let site = Site::example();
    let root = site.root.clone();
    let run = site.build(&[]);
    run.success();

    let posts = example_posts(&root);
    let mut expected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (url, themes) in &posts {
        for t in themes {
            expected.entry(t.clone()).or_default().insert(url.clone());
        }
    }
    assert!(expected.len() >= 3, "too few themes: {expected:?}");

    let index = site.page("irritants/index.html");
    let terms: Vec<(String, String)> = index
        .select(&sel("main ol.term-index > li a"))
        .map(|a| (text_of(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    let mut seen = BTreeMap::new();
    for (name, href) in &terms {
        let listed = listed_all(&site, "/", &format!("{}index.html", &href[1..]));
        let as_set: BTreeSet<String> = listed.iter().cloned().collect();
        assert_eq!(as_set.len(), listed.len(), "{href} lists a post twice");
        seen.insert(fold(name), as_set);
    }
    assert_eq!(seen, expected);

    // The counts of the index agree, most used first.
    let counts: Vec<usize> = index
        .select(&sel("main ol.term-index > li .term-count"))
        .map(|c| text_of(c).split(' ').next().unwrap().parse().unwrap())
        .collect();
    let sizes: Vec<usize> = terms.iter().map(|(n, _)| seen[&fold(n)].len()).collect();
    assert_eq!(counts, sizes);
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
}

#[test]
fn the_example_breakdown_is_a_journey_map() {
    let site = Site::example();
    site.build(&[]).success();
    let mut found = 0;
    for (path, _) in files(&site.public().join("decryptages")) {
        if path.components().count() != 2 || path.file_name().unwrap() != "index.html" {
            continue;
        }
        found += 1;
        let page = site.page(&format!("decryptages/{}", path.display()));
        let steps = steps(&page);
        assert!(
            steps.len() >= 4,
            "{}: {} steps",
            path.display(),
            steps.len()
        );
        // The kinds: the legend on a phone, the swimlanes on a wide screen (hidden from screen
        // readers, who get each finding's kind).
        let lanes: Vec<String> = (page.select(&sel("main .journey-lanes > li")))
            .map(|l| norm(&l.text().collect::<String>()))
            .collect();
        assert_eq!(
            lanes,
            ["Les problèmes", "Les efforts du client", "Les frustrations"],
            "{}",
            path.display()
        );
        // Findings are drawn on the map, with their details.
        let on_map = map_findings(&page);
        let kinds: BTreeSet<&str> = on_map.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            kinds,
            BTreeSet::from(["effort", "frustration", "problem"]),
            "{}",
            path.display()
        );
        assert!(!ntexts(&page, "main .basics li").is_empty());
    }
    assert!(found >= 1, "no breakdown in the example column");
}

// ---------------------------------------------------------------- errors

/// The bad inputs of the issue, run by `tests/errors.rs` like every folder there.
#[test]
fn the_breakdown_and_taxonomy_error_cases_exist() {
    for case in [
        "breakdown_missing_step",
        "breakdown_unknown_finding_kind",
        "breakdown_unknown_effort",
        "breakdown_no_steps",
        "term_collides_with_post",
        "term_collides_with_section",
    ] {
        let expected = fixtures().join("errors").join(case).join("expected.txt");
        let text =
            fs::read_to_string(&expected).unwrap_or_else(|e| panic!("{}: {e}", expected.display()));
        assert!(text.contains("error: "), "{case}");
    }
}

/// Issue 25: without a `summary`, a breakdown's teaser is what it is about — its context and
/// first step — not the body's first paragraph; its words are counted and searchable.
#[test]
fn a_breakdown_is_summed_up_by_its_context_and_counted_with_its_findings() {
    let (site, page) = journey();
    let context = "Je viens de payer une facture envoyée par la marque.";
    let description = common::attrs(&page, "meta[name=description]", "content").join("");
    assert!(description.starts_with(context), "{description}");
    let ld = common::texts(&page, "script[type='application/ld+json']").join("");
    let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
    assert!(
        ld["description"].as_str().unwrap().starts_with(context),
        "{ld}"
    );
    let home = site.page("index.html");
    let teaser = common::ntexts(&home, ".post-summary").join(" ");
    assert!(teaser.contains("Je viens de payer une facture"), "{teaser}");
    assert!(!teaser.contains("Le corps du décryptage"), "{teaser}");
    // « prélevée » is only in a finding: the search finds the breakdown by it.
    let index: serde_json::Value =
        serde_json::from_str(&site.page_text("search-index.json")).unwrap();
    let entry = (index.as_array().unwrap().iter())
        .find(|e| e["u"] == "/decryptages/facture-fausse/")
        .unwrap();
    assert!(
        entry["w"]
            .as_str()
            .unwrap()
            .split(' ')
            .any(|w| w == "prelevee"),
        "{entry}"
    );
    // The word count is the breakdown's, not only its body's (a few words).
    let words = common::ntexts(&page, ".byline-words").join("");
    let n: usize = words
        .trim_matches(|c: char| !c.is_ascii_digit())
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(n > 100, "{words}");
}
