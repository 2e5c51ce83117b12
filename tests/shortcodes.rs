//! Shortcodes (issue 23): the theme's built-in ones on the `shortcodes` fixture, parsed and
//! checked; the escape; code left alone; their words in the search index and the word count;
//! feeds without script; and the reader staying linear on hostile input.

mod common;

use common::{Site, attrs, ntexts, texts};

const POST: &str = "breves/tous-les-shortcodes/index.html";

fn built() -> Site {
    let site = Site::fixture("shortcodes");
    site.build(&[]).success();
    site
}

#[test]
fn verbatim_and_encadre_render_their_body_as_markdown() {
    let site = built();
    let doc = site.page(POST);
    let words = ntexts(&doc, ".post-body > .sc-verbatim .sc-verbatim-words p");
    assert_eq!(
        words,
        ["On m'a promis de me rappeler demain. C'était il y a trois semaines : zygomatique."]
    );
    assert_eq!(
        attrs(&doc, ".sc-verbatim-words em", "class").len(),
        0,
        "emphasis kept as <em>"
    );
    assert_eq!(texts(&doc, ".sc-verbatim-words em").len(), 2);
    assert_eq!(
        ntexts(&doc, ".post-body > .sc-verbatim .sc-verbatim-who"),
        ["Mme L., cliente d'un opérateur"]
    );
    assert_eq!(
        attrs(&doc, ".sc-encadre", "class"),
        [
            "sc-encadre sc-encadre--bon-reflexe",
            "sc-encadre sc-encadre--a-retenir",
            "sc-encadre sc-encadre--attention"
        ]
    );
    assert_eq!(
        ntexts(&doc, ".sc-encadre-title"),
        ["Le bon réflexe", "Trois minutes", "Attention"]
    );
    assert_eq!(attrs(&doc, ".sc-encadre", "role"), ["note", "note", "note"]);
    // A block inside a block: the verbatim in the « attention » box.
    assert_eq!(
        ntexts(&doc, ".sc-encadre--attention .sc-verbatim-who"),
        ["M. D."]
    );
    // No paragraph left around a block shortcode.
    let html = site.page_text(POST);
    for around in [
        "<p><figure",
        "<p><div",
        "<p>\n<",
        "</figure>\n</p>",
        "</div>\n</p>",
    ] {
        assert!(!html.contains(around), "{around} in {html}");
    }
}

#[test]
fn figure_gets_the_image_s_measured_size() {
    let doc = built().page(POST);
    assert_eq!(attrs(&doc, ".sc-figure img", "src"), ["guichet.svg"]);
    assert_eq!(attrs(&doc, ".sc-figure img", "width"), ["800"]);
    assert_eq!(attrs(&doc, ".sc-figure img", "height"), ["450"]);
    assert_eq!(attrs(&doc, ".sc-figure img", "alt"), ["Un guichet fermé"]);
    assert_eq!(
        ntexts(&doc, ".sc-figure figcaption"),
        ["Le guichet, un lundi matin Crédit La rédaction"]
    );
}

#[test]
fn videos_are_links_to_their_page_with_a_local_poster_or_none() {
    let site = built();
    let doc = site.page(POST);
    assert_eq!(
        attrs(&doc, ".sc-video-link", "href"),
        [
            "https://www.youtube.com/watch?v=jNQXAC9IVRw",
            "https://vimeo.com/76979871",
            "https://framatube.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d"
        ]
    );
    assert_eq!(
        attrs(&doc, ".sc-video", "data-embed"),
        [
            "https://www.youtube-nocookie.com/embed/jNQXAC9IVRw?autoplay=1",
            "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1",
            "https://framatube.org/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d?autoplay=1"
        ]
    );
    // Nothing from another host before the click: a local poster, else a plain frame.
    assert_eq!(attrs(&doc, ".sc-video img", "src"), ["affiche.svg"]);
    assert_eq!(attrs(&doc, ".sc-video img", "width"), ["640"]);
    assert_eq!(texts(&doc, ".sc-video-placeholder").len(), 2);
    assert!(texts(&doc, "iframe").is_empty());
    for src in attrs(&doc, "img, script, link[rel=stylesheet], iframe", "src")
        .into_iter()
        .chain(attrs(&doc, "link[rel=stylesheet]", "href"))
    {
        assert!(!src.contains("//"), "a request to another host: {src}");
    }
    assert_eq!(ntexts(&doc, ".sc-video-duration"), ["Durée : 3:12"]);
    // The page loads the shortcodes' styles and the one script, once.
    assert_eq!(attrs(&doc, "script[src]", "src"), ["/js/video.js"]);
    // Each shortcode's own sheet, once: only those of the shortcodes the page shows.
    let sheets = attrs(&doc, "link[href^='/css/sc/']", "href");
    assert!(
        sheets.contains(&"/css/sc/video.css".to_string()),
        "{sheets:?}"
    );
    let mut unique = sheets.clone();
    unique.dedup();
    assert_eq!(unique, sheets);
    for sheet in &sheets {
        assert!(site.has(&sheet[1..]), "{sheet}");
    }
    assert!(site.has("js/video.js"));
    // A post without shortcodes loads neither.
    let plain = site.page("breves/sans-shortcode/index.html");
    assert!(attrs(&plain, "script[src]", "src").is_empty());
    assert!(attrs(&plain, "link[href^='/css/sc/']", "href").is_empty());
}

#[test]
fn toots_are_quoted_without_any_request() {
    let doc = built().page(POST);
    assert_eq!(
        ntexts(&doc, ".sc-toot-text"),
        [
            "Troisième appel au service client, troisième musique d'attente.",
            "Le formulaire refuse mon nom : il a un tiret."
        ]
    );
    assert_eq!(
        ntexts(&doc, ".sc-toot-author"),
        ["@cliente@mastodon.social", "@usager@piaille.fr"]
    );
    assert_eq!(
        attrs(&doc, ".sc-toot-who a", "href"),
        ["https://mastodon.social/@cliente/112233"]
    );
}

#[test]
fn a_dialogue_is_a_list_of_turns_with_their_speakers() {
    let doc = built().page(POST);
    assert_eq!(
        ntexts(&doc, ".sc-dialogue-title"),
        ["Au téléphone, troisième appel"]
    );
    assert_eq!(
        ntexts(&doc, ".sc-dialogue li > strong"),
        ["Moi :", "SI :", "Moi :"]
    );
    assert_eq!(ntexts(&doc, ".sc-dialogue li")[2], "Moi : Trois fois.");
}

#[test]
fn the_escape_writes_a_shortcode_and_code_keeps_them_as_written() {
    let site = built();
    let doc = site.page(POST);
    let escape = ntexts(&doc, ".post-body p")
        .into_iter()
        .find(|p| p.starts_with("Pour écrire"))
        .expect("the paragraph with the escape");
    assert!(
        escape.contains(
            r#"{{ video(url="https://exemple.fr") }} et {% encadre(kind="attention") %}"#
        ),
        "{escape}"
    );
    assert_eq!(
        texts(&doc, ".post-body p code"),
        [r#"{{ video(url="x") }}"#]
    );
    let block = texts(&doc, ".post-body pre code").join("");
    assert!(
        block.contains(r#"{% encadre(kind="inconnu") %}"#)
            && block.contains("{{ nimporte(quoi=1) }}"),
        "{block}"
    );
}

#[test]
fn a_verbatim_s_words_are_searched_and_counted_and_feeds_get_no_script() {
    let site = built();
    let index = std::fs::read_to_string(site.public().join("search-index.json")).unwrap();
    let entries: serde_json::Value = serde_json::from_str(&index).unwrap();
    let entry = (entries.as_array().unwrap().iter())
        .find(|e| e["u"] == "/breves/tous-les-shortcodes/")
        .expect("the post's entry");
    let words: Vec<&str> = entry["w"].as_str().unwrap().split(' ').collect();
    for word in ["zygomatique", "attends", "guichet", "formulaire"] {
        assert!(words.contains(&word), "{word} not in {words:?}");
    }
    let atom = std::fs::read_to_string(site.public().join("atom.xml")).unwrap();
    assert!(atom.contains("https://www.youtube.com/watch?v=jNQXAC9IVRw"));
    assert!(!atom.contains("&lt;script") && !atom.contains("<script"));
}

#[test]
fn hostile_shortcode_input_stays_near_linear() {
    use chronique::markdown::{Options, render_expanding, shortcode::Call};
    let options = Options {
        language: chronique::language::Language::Fr,
        typography: true,
        highlight: false,
        heading_shift: 0,
    };
    let expand = |call: &Call<'_>| Ok(format!("<div>{}</div>", call.body.unwrap_or("")));
    let time = |n: usize| {
        let texts = [
            "{{".repeat(n),
            "{% a() %}".repeat(n),
            format!("{}{}", "{% a() %}\n".repeat(n), "{% end %}\n".repeat(n)),
            "{{ a(x=\"".repeat(n),
        ];
        let started = std::time::Instant::now();
        for text in &texts {
            let r = render_expanding(
                text,
                &options,
                &|_| None,
                &|_| chronique::markdown::Picture::Unknown,
                &expand,
            );
            assert!(r.shortcode_errors.len() <= 21);
        }
        started.elapsed()
    };
    let small = time(10_000);
    let large = time(100_000);
    assert!(
        large < small * 30 + std::time::Duration::from_millis(500),
        "10 000: {small:?}, 100 000: {large:?}"
    );
}

#[test]
fn an_english_site_gets_english_words_and_colons() {
    let site = Site::fixture("shortcodes");
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        toml.replace("language = \"fr\"", "language = \"en\""),
    );
    site.build(&[]).success();
    let doc = site.page(POST);
    assert_eq!(
        attrs(&doc, ".sc-video", "data-play")[0],
        "Play the video: Une file d’attente"
    );
    assert_eq!(ntexts(&doc, ".sc-video-duration"), ["Length: 3:12"]);
    assert_eq!(
        ntexts(&doc, ".sc-encadre-title"),
        ["The right reflex", "Trois minutes", "Watch out"]
    );
}

/// The fuzz target's properties (fuzz/fuzz_targets/shortcodes.rs) on texts made of shortcode
/// fragments, drawn by a fixed generator: no panic, offsets inside the text, no token left.
#[test]
fn texts_of_shortcode_fragments_never_break_the_reader() {
    use chronique::markdown::shortcode::{Call, Refusal};
    use chronique::markdown::{Options, Picture, render_expanding};
    const PIECES: &[&str] = &[
        "{{",
        "}}",
        "{%",
        "%}",
        " end ",
        "a(",
        "x=",
        "\"s\"",
        "'",
        "[1, ",
        "]",
        ")",
        ",",
        "\n",
        "\n\n",
        "`",
        "```\n",
        "*",
        "[l](@/p.md)",
        "![](i.png)",
        "{{/*",
        "*/}}",
        "é",
        " ",
        "-3.5",
        "true",
        "\\",
        "# T\n",
        "> ",
        "- ",
        "<!-- more -->",
        "\u{E000}",
        "\u{E011}",
        "\u{E001}",
        "{{ a() }}",
        "{{ x(n=[1]) }}",
        "{% a(t=\"u\") %}",
        "{% x() %}",
        "{% end %}",
        "{% end %}",
    ];
    let options = Options {
        language: chronique::language::Language::Fr,
        typography: true,
        highlight: false,
        heading_shift: 0,
    };
    let expand = |call: &Call<'_>| {
        if call.name == "x" {
            return Err(Refusal::new("refused"));
        }
        Ok(format!("<div>{}</div>", call.body.unwrap_or("")))
    };
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let (mut expanded, mut refused) = (0, 0);
    for _ in 0..2000 {
        let mut text = String::new();
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        for _ in 0..(state % 40) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
        }
        let r = render_expanding(&text, &options, &|_| None, &|_| Picture::Unknown, &expand);
        for e in &r.shortcode_errors {
            assert!(e.offset <= text.len(), "{text:?}: {e:?}");
        }
        for l in &r.broken_links {
            assert!(l.offset <= text.len(), "{text:?}: {l:?}");
        }
        if !text.contains('\u{E000}') {
            assert!(
                !r.html.contains('\u{E000}'),
                "a token left: {text:?} → {}",
                r.html
            );
        }
        expanded += usize::from(r.html.contains("<div>"));
        refused += usize::from(!r.shortcode_errors.is_empty());
    }
    // The generator does reach the reader's paths.
    assert!(
        expanded > 20 && refused > 20,
        "{expanded} expanded, {refused} refused"
    );
}
