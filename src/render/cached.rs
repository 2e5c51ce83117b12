//! `include_cached`: a partial rendered once per build for each set of arguments, like Hugo's
//! `partialCached`.
//!
//! A post's summary is the same on the home page, its section, each of its terms and its
//! authors' pages: on the 10 000-post column, 87 000 summaries for 10 000 posts. The theme asks
//! for it with `{{ include_cached(template="partials/post_summary.html", post=post) }}`, and
//! the partial is rendered the first time and its HTML reused after.
//!
//! Unlike Hugo's, the partial cannot depend on anything the cache does not know: it sees only
//! the build's `site` and `t` and its arguments, not the page's variables (not even a page's
//! own `t` or `site`, should a loop reuse the names). So whichever page renders it first,
//! the HTML is the same, and the site stays byte-identical from run to run. Arguments are told
//! apart by value (strings, numbers) or by identity (maps and lists, such as a post's list
//! item, made once per build): the cache keeps the values it was given, so an identity is
//! never reused for another value while the cache lives. It lives as long as the theme, which
//! is compiled for each build.

use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, OnceLock, Weak};

use rustc_hash::{FxBuildHasher, FxHashMap};
use tera::value::ValueKind;
use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

/// The function's name in templates.
pub const NAME: &str = "include_cached";

/// How deep cached partials may be inside one another.
const MAX_DEPTH: usize = 8;

thread_local! {
    /// How many cached partials this thread is rendering, one inside the other.
    static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// An argument as the cache tells it apart from others.
#[derive(Debug, PartialEq, Hash)]
enum Arg<'a> {
    /// A map or a list, by the address of its contents (kept alive by the cache).
    Shared(usize),
    /// A string, and whether it is marked safe (then it is not escaped when shown).
    Text(&'a str, bool),
    Integer(i128),
    Float(u64),
    Bool(bool),
    /// Anything else (none, bytes), by its debug form.
    Other(String),
}

impl<'a> Arg<'a> {
    fn of(value: &'a Value) -> Arg<'a> {
        if let Some(map) = value.as_map() {
            Arg::Shared(map as *const _ as usize)
        } else if let Some(list) = value.as_array() {
            Arg::Shared(list.as_ptr() as usize)
        } else if let Some(s) = value.as_str() {
            Arg::Text(s, value.is_safe())
        } else if let Some(n) = value.as_i128() {
            Arg::Integer(n)
        } else if let (ValueKind::F64, Some(x)) = (value.kind(), value.as_f64()) {
            Arg::Float(x.to_bits())
        } else if let Some(b) = value.as_bool() {
            Arg::Bool(b)
        } else {
            Arg::Other(format!("{value:?}"))
        }
    }
}

/// The arguments of a call but `template`.
fn arguments(kwargs: &Kwargs) -> impl Iterator<Item = (&str, &Value)> {
    kwargs
        .iter()
        .filter_map(|(name, value)| Some((name.as_str()?, value)))
        .filter(|(name, _)| *name != "template")
}

/// A hash of a call, the same whatever the order of its arguments.
fn fingerprint(template: &str, kwargs: &Kwargs) -> u64 {
    arguments(kwargs).fold(FxBuildHasher.hash_one(template), |sum, (name, value)| {
        sum.wrapping_add(FxBuildHasher.hash_one((name, Arg::of(value))))
    })
}

/// A rendered partial, with the call it answers; its arguments are kept alive so that their
/// addresses stay theirs.
struct Entry {
    template: String,
    args: Vec<(String, Value)>,
    html: Value,
}

impl Entry {
    fn answers(&self, template: &str, kwargs: &Kwargs) -> bool {
        self.template == template
            && arguments(kwargs).count() == self.args.len()
            && self.args.iter().all(|(name, value)| {
                kwargs
                    .get::<Value>(name)
                    .ok()
                    .flatten()
                    .is_some_and(|v| Arg::of(&v) == Arg::of(value))
            })
    }
}

/// The state of the `include_cached` function registered on one [`Tera`].
#[derive(Default)]
pub struct Cache {
    /// The Tera the function is registered on, to render with; weak, as that Tera owns the
    /// function.
    tera: OnceLock<Weak<Tera>>,
    /// The build's `site` and `t`: taken from here, not from the calling page, where a loop
    /// or a `set` may have given the names other values that the cache's key does not see.
    globals: OnceLock<Context>,
    /// By [`fingerprint`]: the calls with that hash.
    rendered: Mutex<FxHashMap<u64, Vec<Entry>>>,
}

impl Cache {
    /// Registers `include_cached` on `tera`; [`Cache::attach`] must then be given the same Tera.
    pub fn register(tera: &mut Tera) -> Arc<Cache> {
        let cache = Arc::new(Cache::default());
        let own = Arc::clone(&cache);
        tera.register_function(NAME, CachedInclude(own));
        cache
    }

    /// The Tera to render with, once it holds every template.
    pub fn attach(&self, tera: &Arc<Tera>) {
        let _ = self.tera.set(Arc::downgrade(tera));
    }

    /// The variables every cached partial sees (the build's `site` and `t`), set once, before
    /// the pages are rendered.
    pub fn set_globals(&self, globals: &Context) {
        let _ = self.globals.set(globals.clone());
    }

    fn call(&self, kwargs: Kwargs) -> TeraResult<Value> {
        let template: &str = kwargs.must_get("template")?;
        let hash = fingerprint(template, &kwargs);
        if let Some(entry) = self
            .lock()
            .get(&hash)
            .and_then(|entries| entries.iter().find(|e| e.answers(template, &kwargs)))
        {
            return Ok(entry.html.clone());
        }
        // A partial that asks for itself, through this function, would not be stopped by
        // Tera's own limit on includes: each call is a new rendering.
        let depth = DEPTH.get();
        if depth >= MAX_DEPTH {
            return Err(tera::Error::message(format!(
                "include_cached: more than {MAX_DEPTH} cached partials inside one another (does {template} include itself?)"
            )));
        }
        let tera =
            self.tera.get().and_then(Weak::upgrade).ok_or_else(|| {
                tera::Error::message("include_cached: the templates are not ready")
            })?;
        let mut context = self.globals.get().cloned().unwrap_or_default();
        let args: Vec<(String, Value)> = arguments(&kwargs)
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect();
        for (name, value) in &args {
            context.insert_value(name.clone(), value.clone());
        }
        // Set back on the way out, even by a panic (which `render_all` turns into an error on
        // one page: the thread goes on rendering others).
        struct Restore(usize);
        impl Drop for Restore {
            fn drop(&mut self) {
                DEPTH.set(self.0);
            }
        }
        let _restore = Restore(depth);
        DEPTH.set(depth + 1);
        let html = tera.render(template, &context);
        drop(_restore);
        let html = html.map_err(|e| tera::Error::message(format!("in {template}: {e}")))?;
        let html = Value::safe_string(&html);
        let mut rendered = self.lock();
        let entries = rendered.entry(hash).or_default();
        // Two threads may render the same call at once; both made the same HTML.
        if !entries.iter().any(|e| e.answers(template, &kwargs)) {
            entries.push(Entry {
                template: template.to_string(),
                args,
                html: html.clone(),
            });
        }
        Ok(html)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<u64, Vec<Entry>>> {
        // A panic while the lock was held left the map as it was: still usable.
        self.rendered.lock().unwrap_or_else(|e| e.into_inner())
    }
}

struct CachedInclude(Arc<Cache>);

impl tera::Function<TeraResult<Value>> for CachedInclude {
    fn call(&self, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
        self.0.call(kwargs)
    }

    fn is_safe(&self) -> bool {
        true
    }
}
