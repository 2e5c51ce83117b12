//! The posts' own texts outside Markdown (title, image credit, breakdown) in the site's
//! typography, as their Markdown is: set once here, so that every page and feed shows them the
//! same.

use rayon::prelude::*;

use super::publish::Placed;
use crate::content::Post;
use crate::markdown;

/// Sets every post's texts, in parallel.
pub fn posts(posts: &mut [Placed<Post>], options: &markdown::Options) {
    posts
        .par_iter_mut()
        .for_each(|p| typeset_post(&mut p.post, options));
}

/// A post's own texts outside Markdown (title, breakdown) in the site's typography. Term names
/// are left as typed: they are keys, compared and slugified.
fn typeset_post(post: &mut Post, options: &markdown::Options) {
    if !options.typography {
        return;
    }
    let set = |s: &mut String| *s = markdown::typeset(options, s);
    set(&mut post.title);
    if let Some(image) = &mut post.image
        && let Some(credit) = &mut image.credit
    {
        set(credit);
    }
    if let Some(b) = &mut post.breakdown {
        if let Some(c) = &mut b.context {
            set(c);
        }
        b.steps.iter_mut().for_each(set);
        b.basics.iter_mut().for_each(set);
        for f in &mut b.findings {
            set(&mut f.title);
            set(&mut f.detail);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::model::markdown_options;
    use crate::site::testing::{config, post};

    fn placed(front: &str) -> Placed<Post> {
        Placed {
            post: post("a.md", front),
            preview: false,
            url: String::new(),
            output: Default::default(),
        }
    }

    #[test]
    fn titles_and_breakdowns_are_set_but_not_terms() {
        let front = "title: 'Attendre : encore ?'\ndate: 2020-01-01\nkind: irritant\nirritants: ['Attente : longue']\nsteps: ['Appeler : rien']";
        let mut ps = [placed(front)];
        posts(&mut ps, &markdown_options(&config("")));
        let p = &ps[0].post;
        assert_eq!(p.title, "Attendre\u{a0}: encore\u{202f}?");
        assert_eq!(
            p.breakdown.as_ref().unwrap().steps[0],
            "Appeler\u{a0}: rien"
        );
        assert_eq!(p.irritants[0], "Attente : longue");
    }

    #[test]
    fn without_typography_texts_are_left_as_written() {
        let mut ps = [placed("title: 'Attendre : encore ?'\ndate: 2020-01-01")];
        posts(&mut ps, &markdown_options(&config("typography = false\n")));
        assert_eq!(ps[0].post.title, "Attendre : encore ?");
    }
}
