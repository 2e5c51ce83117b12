//! The site's shortcodes: each one a template `templates/shortcodes/<name>.html` (the site's,
//! else the theme's), compiled in a Tera of its own before the Markdown is rendered, and
//! handed to assembling as a [`Shortcodes`].
//!
//! The typed boundary holds: a shortcode's template gets its arguments (each by its name), its
//! `body` (a block's Markdown, rendered), `page.url`, and the `site` and `t` values — nothing it
//! could look up elsewhere — so each shortcode's [`Shortcodes::digest`] (its template, the
//! helpers it may include, those values) says exactly when the posts using it change.
//!
//! A template may declare its arguments in a first comment, which makes calls checked before
//! rendering (unknown argument, missing one, wrong type, with "did you mean"):
//!
//! ```text
//! {#- arguments
//!     url       string   required   the video's page
//!     poster    image               a local image shown before the click
//!     kind      bon-reflexe|a-retenir|attention   required
//!     body      markdown required   (a block: `{% name() %}…{% end %}`)
//! -#}
//! ```
//!
//! Types: `string`, `number`, `integer`, `boolean`, `list`, `image` (a local image, given to the
//! template as `{src, width, height}` measured like the post's Markdown images), or choices
//! separated by `|`. Without the comment, any argument is accepted. Templates whose name starts
//! with `_` are helpers (included by others), not shortcodes.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;

use tera::{Context, Tera};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, did_you_mean};
use crate::markdown::Picture;
use crate::markdown::shortcode::{Arg, Call, Refusal, Value};
use crate::site::{ShortcodePage, Shortcodes};
use crate::source::TemplateSource;

/// The folder of the shortcode templates, among the templates.
pub const FOLDER: &str = "shortcodes/";

/// The site's shortcodes, compiled.
pub struct Engine {
    tera: Tera,
    codes: BTreeMap<String, Code>,
    /// The shortcodes whose templates do not compile (reported at their line).
    broken: Vec<String>,
    /// The values every shortcode gets: `site` and `t`.
    globals: Context,
}

/// One shortcode.
struct Code {
    /// Its template's name (`shortcodes/video.html`) and file.
    template: String,
    path: PathBuf,
    signature: Option<Signature>,
    digest: u64,
}

#[derive(Debug, Default, PartialEq)]
struct Signature {
    params: Vec<Param>,
    /// `None`: inline only; `Some(true)`: a block only; `Some(false)`: either.
    body: Option<bool>,
}

#[derive(Debug, PartialEq)]
struct Param {
    name: String,
    kind: Kind,
    required: bool,
}

#[derive(Debug, PartialEq)]
enum Kind {
    Str,
    Number,
    Integer,
    Boolean,
    List,
    Image,
    /// The address of a video on YouTube, Vimeo or PeerTube.
    Video,
    Choice(Vec<String>),
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "string" => Kind::Str,
            "number" => Kind::Number,
            "integer" => Kind::Integer,
            "boolean" => Kind::Boolean,
            "list" => Kind::List,
            "image" => Kind::Image,
            "video" => Kind::Video,
            s if s.contains('|') => Kind::Choice(s.split('|').map(str::to_string).collect()),
            _ => return None,
        })
    }

    fn describe(&self) -> String {
        match self {
            Kind::Str | Kind::Image => "a string".to_string(),
            Kind::Number => "a number".to_string(),
            Kind::Integer => "a whole number".to_string(),
            Kind::Boolean => "true or false".to_string(),
            Kind::List => "a list".to_string(),
            Kind::Video => "the address of a video on YouTube, Vimeo or PeerTube".to_string(),
            Kind::Choice(c) => format!("one of {}", c.join(", ")),
        }
    }

    fn accepts(&self, v: &Value) -> bool {
        match (self, v) {
            (Kind::Str | Kind::Image, Value::Str(_)) => true,
            (Kind::Number, Value::Int(_) | Value::Float(_)) => true,
            (Kind::Integer, Value::Int(_)) => true,
            (Kind::Boolean, Value::Bool(_)) => true,
            (Kind::List, Value::List(_)) => true,
            (Kind::Choice(c), Value::Str(s)) => c.contains(s),
            (Kind::Video, Value::Str(s)) => Video::of(s).is_some(),
            _ => false,
        }
    }
}

impl Engine {
    /// Compiles the shortcode templates among `templates`; every syntax error and bad
    /// signature is reported at its template's line.
    pub fn compile(templates: &[TemplateSource], config: &Config) -> (Engine, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let ours: Vec<&TemplateSource> = (templates.iter())
            .filter(|t| t.name.starts_with(FOLDER))
            .collect();
        let mut tera = new_tera(config);
        let (globals, digest) = globals(config);
        let mut h = DefaultHasher::new();
        digest.hash(&mut h);
        for t in ours.iter().filter(|t| is_helper(&t.name)) {
            (&t.name, &t.text).hash(&mut h);
        }
        let shared = h.finish();
        let (mut codes, mut broken) = (BTreeMap::new(), Vec::new());
        for t in ours {
            let name = t.name[FOLDER.len()..].trim_end_matches(".html").to_string();
            // One at a time, so that one bad template leaves the others usable.
            if let Err(e) = tera.add_raw_template(&t.name, &t.text) {
                diagnostics.push(template_error(&e, t));
                broken.push(name);
                continue;
            }
            if is_helper(&t.name) {
                continue;
            }
            let mut h = DefaultHasher::new();
            (shared, &t.text).hash(&mut h);
            let code = Code {
                template: t.name.clone(),
                path: t.path.clone(),
                signature: signature(t, &mut diagnostics),
                digest: h.finish(),
            };
            codes.insert(name, code);
        }
        let engine = Engine {
            tera,
            codes,
            broken,
            globals,
        };
        (engine, diagnostics)
    }

    /// An unknown name: the closest one, else the list.
    fn unknown(&self, name: &str) -> Refusal {
        if self.broken.iter().any(|b| b == name) {
            return Refusal::new(format!(
                "the shortcode `{name}` cannot be used: its template has an error (reported at templates/shortcodes/{name}.html)"
            ));
        }
        let names = self.codes.keys().map(String::as_str);
        let note = match did_you_mean(name, names.clone()) {
            Some(hint) => format!("did you mean `{hint}`?"),
            None => format!(
                "the shortcodes are: {}; a new one is a template templates/shortcodes/{name}.html",
                names.collect::<Vec<_>>().join(", ")
            ),
        };
        Refusal {
            message: format!("unknown shortcode `{name}`"),
            note: Some(note),
            arg: None,
        }
    }

    /// Renders `code` for `call`, its arguments given as checked.
    fn render(
        &self,
        code: &Code,
        call: &Call<'_>,
        page: &ShortcodePage<'_>,
    ) -> Result<String, Refusal> {
        let mut context = self.globals.clone();
        for (i, arg) in call.args.iter().enumerate() {
            let kind = (code.signature.as_ref())
                .and_then(|s| s.params.iter().find(|p| p.name == arg.name))
                .map(|p| &p.kind);
            let value = match (&arg.value, kind) {
                (Value::Str(src), Some(Kind::Image)) => match (page.measure)(src) {
                    Picture::Unreadable(why) => {
                        let mut r = Refusal::new(format!("image \"{src}\" cannot be read: {why}"));
                        r.arg = Some(i);
                        return Err(r);
                    }
                    picture => image(src, picture),
                },
                (Value::Str(url), Some(Kind::Video)) => {
                    tera::Value::from_serializable(&Video::of(url))
                }
                (v, _) => tera_value(v),
            };
            context.insert_value(arg.name.clone(), value);
        }
        if let Some(body) = call.body {
            context.insert("body", body);
        }
        context.insert("page", &serde_json::json!({ "url": page.url }));
        self.tera.render(&code.template, &context).map_err(|e| {
            let mut r = Refusal::new(format!(
                "the shortcode `{}` failed in its template {}:{}",
                call.name,
                crate::diagnostics::display_path(&code.path),
                tera_message(&e)
            ));
            r.note = Some(format!("while expanding it in {}", page.path.display()));
            r
        })
    }
}

impl Shortcodes for Engine {
    fn expand(&self, call: &Call<'_>, page: &ShortcodePage<'_>) -> Result<String, Refusal> {
        let Some(code) = self.codes.get(call.name) else {
            return Err(self.unknown(call.name));
        };
        if let Some(signature) = &code.signature {
            check(call, signature)?;
        }
        self.render(code, call, page)
    }

    fn digest(&self, name: &str) -> Option<u64> {
        self.codes.get(name).map(|c| c.digest)
    }
}

/// The typed value of an image argument: what the template needs to show it, from what the
/// site knows of it (the same answers as the post's Markdown images get).
pub fn image(src: &str, picture: Picture) -> tera::Value {
    use crate::picture as p;
    let facts = match picture {
        Picture::Measured(f) => Some(f),
        Picture::Unknown | Picture::Unreadable(_) => None,
    };
    let resized = facts.as_ref().filter(|f| !f.widths.is_empty());
    let own = p::extension(src);
    let webp = resized
        .filter(|_| !own.eq_ignore_ascii_case(p::MODERN))
        .map(|f| p::srcset(src, f, p::MODERN));
    tera::Value::from_serializable(&serde_json::json!({
        "src": resized.map_or_else(|| src.to_string(), |f| p::fallback_src(src, f)),
        "width": facts.as_ref().map(|f| f.width),
        "height": facts.as_ref().map(|f| f.height),
        "srcset": resized.map(|f| p::srcset(src, f, own)),
        "sources": webp.map(|srcset| vec![serde_json::json!({"type": "image/webp", "srcset": srcset})]).unwrap_or_default(),
        "sizes": p::BODY_SIZES,
        "print": resized.map(|f| p::print_src(src, f)),
    }))
}

/// A video's page and the player shown once the reader asks for it.
#[derive(Debug, serde::Serialize, PartialEq)]
pub struct Video {
    /// As the author wrote it: the link shown without JavaScript, and in feeds.
    pub url: String,
    /// `YouTube`, `Vimeo`, or the PeerTube instance's host.
    pub provider: String,
    /// The player's address: youtube-nocookie for YouTube, Vimeo without tracking.
    pub embed: String,
}

impl Video {
    /// The video at `url`, if it is one chronique knows how to embed.
    pub fn of(url: &str) -> Option<Video> {
        let rest = url.strip_prefix("https://")?;
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let id_ok = |id: &str| {
            !id.is_empty()
                && id.len() <= 64
                && (id.bytes()).all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        let host = host.to_ascii_lowercase();
        let bare = host.strip_prefix("www.").unwrap_or(&host);
        let (provider, embed) = match bare {
            "youtube.com" | "m.youtube.com" | "youtu.be" | "youtube-nocookie.com" => {
                let id = match path {
                    "watch" => query.split('&').find_map(|kv| kv.strip_prefix("v="))?,
                    p if bare == "youtu.be" => p,
                    p => p.strip_prefix("shorts/").or(p.strip_prefix("embed/"))?,
                };
                let id = Some(id).filter(|id| id_ok(id))?;
                (
                    "YouTube".to_string(),
                    format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1"),
                )
            }
            "vimeo.com" | "player.vimeo.com" => {
                let id = (path
                    .strip_prefix("video/")
                    .unwrap_or(path)
                    .split('/')
                    .next())
                .filter(|id| id.bytes().all(|b| b.is_ascii_digit()))?;
                let id = Some(id).filter(|id| id_ok(id))?;
                (
                    "Vimeo".to_string(),
                    format!("https://player.vimeo.com/video/{id}?autoplay=1&dnt=1"),
                )
            }
            _ => {
                let id = path
                    .strip_prefix("w/")
                    .or(path.strip_prefix("videos/watch/"))?;
                let id = Some(id).filter(|id| id_ok(id))?;
                (
                    host.clone(),
                    format!("https://{host}/videos/embed/{id}?autoplay=1"),
                )
            }
        };
        Some(Video {
            url: url.to_string(),
            provider,
            embed,
        })
    }
}

/// Checks a call against its shortcode's declared arguments.
fn check(call: &Call<'_>, signature: &Signature) -> Result<(), Refusal> {
    let at = |i: usize, message: String, note: Option<String>| Refusal {
        message,
        note,
        arg: Some(i),
    };
    for (i, arg) in call.args.iter().enumerate() {
        let Some(param) = signature.params.iter().find(|p| p.name == arg.name) else {
            let names = signature.params.iter().map(|p| p.name.as_str());
            let note = match did_you_mean(&arg.name, names.clone()) {
                Some(hint) => format!("did you mean `{hint}`?"),
                None => format!(
                    "its arguments are: {}",
                    names.collect::<Vec<_>>().join(", ")
                ),
            };
            let message = format!(
                "the shortcode `{}` has no argument `{}`",
                call.name, arg.name
            );
            return Err(at(i, message, Some(note)));
        };
        if !param.kind.accepts(&arg.value) {
            return Err(at(i, wrong_type(call, arg, param), hint(arg, param)));
        }
    }
    if let Some(missing) = (signature.params.iter())
        .find(|p| p.required && !call.args.iter().any(|a| a.name == p.name))
    {
        return Err(Refusal {
            message: format!(
                "the shortcode `{}` needs the argument `{}` ({})",
                call.name,
                missing.name,
                missing.kind.describe()
            ),
            note: Some(format!(
                "write it in the call: `{}({}=…)`",
                call.name, missing.name
            )),
            arg: None,
        });
    }
    check_body(call, signature)
}

fn wrong_type(call: &Call<'_>, arg: &Arg, param: &Param) -> String {
    let given = match &arg.value {
        Value::Str(s) => format!("\"{s}\""),
        v => v.kind().to_string(),
    };
    format!(
        "the argument `{}` of `{}` must be {}, not {given}",
        arg.name,
        call.name,
        param.kind.describe()
    )
}

/// "did you mean" for a choice misspelt; how to write a number given as a string.
fn hint(arg: &Arg, param: &Param) -> Option<String> {
    match (&param.kind, &arg.value) {
        (Kind::Choice(c), Value::Str(s)) => {
            did_you_mean(s, c.iter().map(String::as_str)).map(|h| format!("did you mean \"{h}\"?"))
        }
        (Kind::Number | Kind::Integer, Value::Str(s)) if s.parse::<f64>().is_ok() => Some(format!(
            "write the number without quotes: `{}={s}`",
            arg.name
        )),
        _ => None,
    }
}

fn check_body(call: &Call<'_>, signature: &Signature) -> Result<(), Refusal> {
    match (signature.body, call.body.is_some()) {
        (None, true) => Err(Refusal {
            message: format!("the shortcode `{}` takes no body", call.name),
            note: Some(format!(
                "write it inline: `{{{{ {}(…) }}}}`, without `{{% end %}}`",
                call.name
            )),
            arg: None,
        }),
        (Some(true), false) => Err(Refusal {
            message: format!("the shortcode `{}` needs a body", call.name),
            note: Some(format!(
                "write it as a block: `{{% {}(…) %}}` Markdown `{{% end %}}`",
                call.name
            )),
            arg: None,
        }),
        _ => Ok(()),
    }
}

fn is_helper(name: &str) -> bool {
    name[FOLDER.len()..].starts_with('_') || name[FOLDER.len()..].contains('/')
}

/// A Tera for the shortcodes, with the filter `typeset`: `{{ qui | typeset }}` sets an argument
/// in the site's typography, as the body's text is.
fn new_tera(config: &Config) -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on([".html"]);
    let options = crate::markdown::Options {
        language: config.language,
        typography: config.typography,
        highlight: false,
        heading_shift: 0,
    };
    tera.register_filter(
        "typeset",
        move |value: &str, _: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
            Ok(crate::markdown::typeset(&options, value))
        },
    );
    tera
}

/// `site` (title, description, URLs, language) and `t`, for every shortcode, with their hash.
fn globals(config: &Config) -> (Context, u64) {
    let mut c = Context::new();
    let site = serde_json::json!({
        "title": config.title,
        "description": config.description,
        "base_url": config.base_url,
        "root": config.base_path,
        "language": config.language.code(),
    });
    let t = super::i18n::strings(config);
    let mut h = DefaultHasher::new();
    (site.to_string(), &t).hash(&mut h);
    c.insert("site", &site);
    c.insert("t", &t);
    (c, h.finish())
}

fn tera_value(v: &Value) -> tera::Value {
    match v {
        Value::Str(s) => tera::Value::from(s.as_str()),
        Value::Int(n) => tera::Value::from(*n),
        Value::Float(x) => tera::Value::from(*x),
        Value::Bool(b) => tera::Value::from(*b),
        Value::List(items) => tera::Value::from(items.iter().map(tera_value).collect::<Vec<_>>()),
    }
}

/// A Tera error's message with where in the template it happened: `3:5: …`.
fn tera_message(e: &tera::Error) -> String {
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            format!(
                "{}:{}: {}",
                span.start_line,
                span.start_col + 1,
                r.message()
            )
        }
        _ => format!(" {e}"),
    }
}

/// A template that does not compile, at its line.
fn template_error(e: &tera::Error, t: &TemplateSource) -> Diagnostic {
    let (line, column, message) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            (span.start_line, span.start_col + 1, r.message().to_string())
        }
        _ => (1, 1, e.to_string()),
    };
    Diagnostic::error(
        Some(Location::new(&t.path, line, column)),
        format!("template error: {message}"),
    )
    .with_source(&t.text)
}

/// The declared arguments of a template (its first comment, opening with `arguments`), if any;
/// a bad line is an error at it.
fn signature(t: &TemplateSource, diagnostics: &mut Diagnostics) -> Option<Signature> {
    let text = t.text.trim_start();
    let inner = text.strip_prefix("{#")?;
    let inner = inner.strip_prefix('-').unwrap_or(inner).trim_start();
    let inner = inner.strip_prefix("arguments")?;
    let end = inner.find("#}")?;
    let first_line = t.text[..t.text.len() - inner.len()].matches('\n').count() + 1;
    let mut s = Signature::default();
    for (i, line) in inner[..end].lines().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some((&name, rest)) = words.split_first() else {
            continue;
        };
        if name == "-" {
            continue;
        }
        let required = rest.get(1) == Some(&"required");
        if name == "body" {
            s.body = Some(required);
            continue;
        }
        match rest.first().and_then(|k| Kind::parse(k)) {
            Some(kind) => s.params.push(Param {
                name: name.to_string(),
                kind,
                required,
            }),
            None => diagnostics.push(
                Diagnostic::error(
                    Some(Location::new(&t.path, first_line + i, 1)),
                    format!("argument `{name}`: no type, or not one chronique knows"),
                )
                .with_source(&t.text)
                .with_note(
                    "write `name type [required] [description]`, with type string, number, integer, boolean, list, image or choices like a|b|c",
                ),
            ),
        }
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::shortcode::Arg;

    fn template(name: &str, text: &str) -> TemplateSource {
        TemplateSource {
            name: format!("{FOLDER}{name}.html"),
            path: PathBuf::from(format!("templates/shortcodes/{name}.html")),
            text: text.to_string(),
        }
    }

    fn engine(templates: &[TemplateSource]) -> Engine {
        let config = crate::site::testing::config("");
        let (engine, problems) = Engine::compile(templates, &config);
        assert!(problems.is_empty(), "{problems:?}");
        engine
    }

    fn arg(name: &str, value: Value) -> Arg {
        Arg {
            name: name.to_string(),
            value,
            offset: 0,
        }
    }

    fn expand(
        engine: &Engine,
        name: &str,
        args: &[Arg],
        body: Option<&str>,
    ) -> Result<String, Refusal> {
        let call = Call { name, args, body };
        let page = ShortcodePage {
            path: std::path::Path::new("content/x.md"),
            url: "/x/",
            measure: &|_| Picture::Unknown,
        };
        engine.expand(&call, &page)
    }

    #[test]
    fn videos_of_the_three_hosts_and_nothing_else() {
        let embed = |url: &str| Video::of(url).map(|v| v.embed);
        let yt = "https://www.youtube-nocookie.com/embed/abc-_1?autoplay=1";
        for url in [
            "https://www.youtube.com/watch?v=abc-_1",
            "https://youtube.com/watch?feature=x&v=abc-_1",
            "https://youtu.be/abc-_1",
            "https://www.youtube.com/shorts/abc-_1",
            "https://www.youtube.com/embed/abc-_1",
            "https://www.youtube-nocookie.com/embed/abc-_1",
        ] {
            assert_eq!(embed(url).as_deref(), Some(yt), "{url}");
        }
        for url in [
            "https://vimeo.com/76979871",
            "https://player.vimeo.com/video/76979871",
        ] {
            assert_eq!(
                embed(url).as_deref(),
                Some("https://player.vimeo.com/video/76979871?autoplay=1&dnt=1"),
                "{url}"
            );
        }
        assert_eq!(
            embed("https://tube.example/videos/watch/9c9d").as_deref(),
            Some("https://tube.example/videos/embed/9c9d?autoplay=1")
        );
        for url in [
            "http://www.youtube.com/watch?v=abc",
            "https://www.youtube.com/watch?v=a\"b",
            "https://vimeo.com/channels/staff",
            "https://exemple.fr/film.mp4",
            "youtube.com/watch?v=abc",
        ] {
            assert_eq!(embed(url), None, "{url}");
        }
    }

    #[test]
    fn declared_arguments_are_checked_with_hints() {
        let e = engine(&[template(
            "boite",
            "{#- arguments\n    kind  un|deux  required  la sorte\n    n     integer\n    body  markdown required\n-#}\n<div>{{ kind }} {{ n }} {{ body | safe }}</div>",
        )]);
        let kind = |k: &str| arg("kind", Value::Str(k.into()));
        assert_eq!(
            expand(
                &e,
                "boite",
                &[kind("un"), arg("n", Value::Int(2))],
                Some("<p>x</p>")
            ),
            Ok("<div>un 2 <p>x</p></div>".to_string())
        );
        let refused = expand(&e, "boite", &[kind("deu")], Some("")).unwrap_err();
        assert_eq!(refused.arg, Some(0));
        assert_eq!(refused.note.as_deref(), Some("did you mean \"deux\"?"));
        let refused = expand(
            &e,
            "boite",
            &[kind("un"), arg("m", Value::Int(1))],
            Some(""),
        )
        .unwrap_err();
        assert_eq!(refused.message, "the shortcode `boite` has no argument `m`");
        let refused = expand(
            &e,
            "boite",
            &[kind("un"), arg("n", Value::Str("3".into()))],
            Some(""),
        );
        assert_eq!(
            refused.unwrap_err().note.as_deref(),
            Some("write the number without quotes: `n=3`")
        );
        let refused = expand(&e, "boite", &[], Some("")).unwrap_err();
        assert!(
            refused.message.contains("needs the argument `kind`"),
            "{refused:?}"
        );
        let refused = expand(&e, "boite", &[kind("un")], None).unwrap_err();
        assert_eq!(refused.message, "the shortcode `boite` needs a body");
        let refused = expand(&e, "boite_", &[], None).unwrap_err();
        assert_eq!(refused.note.as_deref(), Some("did you mean `boite`?"));
    }

    #[test]
    fn a_template_that_does_not_compile_is_reported_at_its_line_and_named_at_the_call() {
        let config = crate::site::testing::config("");
        let bad = template("casse", "<p>\n{{ oups( }}</p>");
        let (e, problems) = Engine::compile(&[bad, template("ok", "ok")], &config);
        let shown: Vec<String> = problems.0.iter().map(|d| d.headline()).collect();
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert!(
            shown[0].starts_with("templates/shortcodes/casse.html:2:"),
            "{shown:?}"
        );
        let refused = expand(&e, "casse", &[], None).unwrap_err();
        assert!(
            refused.message.contains("its template has an error"),
            "{refused:?}"
        );
        assert_eq!(expand(&e, "ok", &[], None), Ok("ok".to_string()));
    }

    #[test]
    fn a_digest_changes_with_its_template_and_the_helpers_only() {
        let a = template("a", "A");
        let b = template("b", "B");
        let helper = template("_h", "H");
        let first = engine(&[a.clone(), b.clone(), helper.clone()]);
        let b2 = template("b", "B2");
        let second = engine(&[a.clone(), b2, helper]);
        assert_eq!(first.digest("a"), second.digest("a"));
        assert_ne!(first.digest("b"), second.digest("b"));
        let third = engine(&[a, b, template("_h", "H2")]);
        assert_ne!(first.digest("a"), third.digest("a"));
        assert_eq!(first.digest("_h"), None, "a helper is no shortcode");
    }
}
