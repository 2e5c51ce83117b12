//! "Pour en savoir plus": the posts related to each post.
//!
//! Ranked by a shared series first, then shared irritant themes, then shared tags, then closeness
//! in date (the time between the two dates; the newer post first when equal); never the post
//! itself (only published posts are considered). To stay proportional to what it shows rather
//! than to the site, candidates are drawn from the posts nearest in date in each of the post's
//! series, themes and tags — the ones the ranking would prefer anyway — so the cost per post is
//! bounded by its number of terms, not by the number of posts. The price: on a large site, a post
//! sharing more themes but more than `WINDOW` posts away in every list it shares is not seen.

use std::hash::{DefaultHasher, Hash, Hasher};

use rayon::prelude::*;

use super::model::SitePost;
use super::series::Series;
use super::taxonomy::{Taxonomy, TaxonomyKind};

/// How many neighbours in date to take from each shared list, on each side.
const WINDOW: usize = 24;

/// The related posts of the last build, with the hash of what they were computed from
/// ([`Inputs::hash`]): kept between the rebuilds of `chronique serve`.
pub type Memo = Option<(u64, Vec<Vec<usize>>)>;

/// Gives every post (in site order, its series and terms set) up to `limit` related posts.
/// With a `memo`, they are the memo's when what they are computed from hashes the same, and
/// the memo then holds them.
pub fn assign(
    posts: &mut [SitePost],
    series: &[Series],
    taxonomies: &[Taxonomy],
    limit: usize,
    memo: Option<&mut Memo>,
) {
    let series_of: Vec<Option<usize>> = posts.iter().map(|p| p.series).collect();
    let series_parts: Vec<Vec<usize>> = series
        .iter()
        .map(|s| {
            let mut v: Vec<usize> = s.published().collect();
            v.sort_unstable();
            v
        })
        .collect();
    let inputs = Inputs {
        posts,
        series_of: &series_of,
        series_parts: &series_parts,
        taxonomies,
        limit,
    };
    // Hashed only for a session: a one-shot build has nothing to compare it with.
    let related = match memo {
        Some(m) => {
            let hash = inputs.hash();
            let related = match m.take() {
                Some((h, r)) if h == hash && r.len() == posts.len() => r,
                _ => inputs.compute(),
            };
            *m = Some((hash, related.clone()));
            related
        }
        None => inputs.compute(),
    };
    for (p, r) in posts.iter_mut().zip(related) {
        p.related = r;
    }
}

/// What related posts are computed from.
pub struct Inputs<'a> {
    pub posts: &'a [SitePost],
    /// The series of each post (index into the site's series).
    pub series_of: &'a [Option<usize>],
    /// The published parts of each series, in site order.
    pub series_parts: &'a [Vec<usize>],
    pub taxonomies: &'a [Taxonomy],
    /// How many related posts each post gets.
    pub limit: usize,
}

impl Inputs<'_> {
    /// For every post, up to `limit` related posts (indexes into `posts`), best first.
    pub fn compute(&self) -> Vec<Vec<usize>> {
        compute(self)
    }

    /// A hash of everything [`Inputs::compute`] reads, to reuse its result while they stay the
    /// same.
    pub fn hash(&self) -> u64 {
        let mut h = DefaultHasher::new();
        (self.series_of, self.series_parts, self.limit).hash(&mut h);
        for p in self.posts {
            (p.post.date.instant, &p.post.irritants, &p.post.tags).hash(&mut h);
        }
        for t in self.taxonomies {
            t.kind.hash(&mut h);
            for term in &t.terms {
                (&term.slug, &term.posts).hash(&mut h);
            }
        }
        h.finish()
    }
}

fn compute(inputs: &Inputs<'_>) -> Vec<Vec<usize>> {
    let Inputs {
        posts,
        series_of,
        series_parts,
        taxonomies,
        limit,
    } = *inputs;
    if limit == 0 {
        return vec![Vec::new(); posts.len()];
    }
    let irritants = taxonomies
        .iter()
        .find(|t| t.kind == TaxonomyKind::Irritants);
    let tags = taxonomies.iter().find(|t| t.kind == TaxonomyKind::Tags);

    (0..posts.len())
        .into_par_iter()
        .map(|i| {
            let p = &posts[i].post;
            // Lists are in site order (newest first), so index order is date order.
            let series: Vec<&[usize]> = series_of[i]
                .map(|s| vec![series_parts[s].as_slice()])
                .unwrap_or_default();
            let irr = terms(irritants, &p.irritants);
            let tg = terms(tags, &p.tags);
            // Every (candidate, which list) pair, then grouped by candidate into its score:
            // (series, shared themes, shared tags). Sorting a vector beats hashing here.
            let mut seen: Vec<(usize, u8)> = Vec::new();
            for (lists, which) in [(&series, 0u8), (&irr, 1), (&tg, 2)] {
                for list in lists {
                    seen.extend(neighbours(list, i).filter(|&j| j != i).map(|j| (j, which)));
                }
            }
            seen.sort_unstable();
            let mut ranked: Vec<(usize, (u8, u8, u8))> = Vec::new();
            for (j, which) in seen {
                if ranked.last().is_none_or(|(last, _)| *last != j) {
                    ranked.push((j, (0, 0, 0)));
                }
                if let Some((_, s)) = ranked.last_mut() {
                    match which {
                        0 => s.0 = 1,
                        1 => s.1 = s.1.saturating_add(1),
                        _ => s.2 = s.2.saturating_add(1),
                    }
                }
            }
            // Closeness in date is measured in time, not in places in the list: a post a day
            // older beats one a month newer even when both are next to this one.
            let at = p.date.instant.as_second();
            let distance = |j: usize| posts[j].post.date.instant.as_second().abs_diff(at);
            // A total order (the index breaks ties), so the result does not depend on the
            // sorting algorithm: only the best `limit` are sorted.
            let order = |(a, sa): &(usize, (u8, u8, u8)), (b, sb): &(usize, (u8, u8, u8))| {
                sb.cmp(sa)
                    .then_with(|| distance(*a).cmp(&distance(*b)))
                    .then_with(|| a.cmp(b))
            };
            if ranked.len() > limit {
                ranked.select_nth_unstable_by(limit, order);
                ranked.truncate(limit);
            }
            ranked.sort_unstable_by(order);
            // Collected from a borrow: `into_iter` would reuse `ranked`'s allocation, sized for
            // every candidate, and the site would keep it for the whole build.
            ranked.iter().map(|&(j, _)| j).collect()
        })
        .collect()
}

/// The post lists of the terms a post names in a taxonomy.
fn terms<'t>(tax: Option<&'t Taxonomy>, names: &[String]) -> Vec<&'t [usize]> {
    tax.map(|t| {
        let mut lists: Vec<&[usize]> = names
            .iter()
            .filter_map(|n| t.term(n))
            .map(|term| term.posts.as_slice())
            .collect();
        lists.dedup_by_key(|l| l.as_ptr());
        lists
    })
    .unwrap_or_default()
}

/// The entries of a sorted list nearest to `i`, up to `WINDOW` on each side.
fn neighbours(list: &[usize], i: usize) -> impl Iterator<Item = usize> + '_ {
    let at = list.partition_point(|&x| x < i);
    let start = at.saturating_sub(WINDOW);
    let end = (at + WINDOW + 1).min(list.len());
    list[start..end].iter().copied()
}

#[cfg(test)]
mod tests {
    use super::neighbours;

    #[test]
    fn neighbours_are_a_window_around_the_post() {
        let list: Vec<usize> = (0..100).collect();
        let n: Vec<usize> = neighbours(&list, 50).collect();
        assert_eq!(n.first(), Some(&26));
        assert_eq!(n.last(), Some(&74));
        let n: Vec<usize> = neighbours(&[1, 5, 9], 4).collect();
        assert_eq!(n, vec![1, 5, 9]);
    }
}

#[cfg(test)]
mod assign_tests {
    use super::*;
    use crate::diagnostics::{Diagnostics, Location};
    use crate::site::series::Part;
    use crate::site::taxonomy;
    use crate::site::testing::{post, site_post};

    fn posts() -> Vec<SitePost> {
        [
            ("d.md", "2020-04-01", "[attente]"),
            ("c.md", "2020-03-01", "[accueil]"),
            ("b.md", "2020-02-01", "[attente]"),
            ("a.md", "2020-01-01", "[]"),
        ]
        .iter()
        .map(|(rel, date, irritants)| {
            site_post(
                post(rel, &format!("date: {date}\nirritants: {irritants}")),
                "/",
            )
        })
        .collect()
    }

    fn taxonomies(posts: &[SitePost]) -> Vec<Taxonomy> {
        let refs: Vec<&crate::content::Post> = posts.iter().map(|p| &p.post).collect();
        let terms = |p: &crate::content::Post| {
            p.irritants
                .iter()
                .map(|t| (t.clone(), Location::file(&p.path)))
                .collect()
        };
        let mut d = Diagnostics::new();
        vec![taxonomy::build(
            TaxonomyKind::Irritants,
            "/i/".into(),
            &refs,
            terms,
            &mut d,
        )]
    }

    fn series_of_a_and_c() -> Vec<Series> {
        let part = |number, post| Part {
            number,
            title: String::new(),
            date: crate::content::PostDate::parse("2020-01-01").unwrap(),
            outline: Vec::new(),
            post: Some(post),
            overdue: false,
        };
        vec![Series {
            slug: "s".into(),
            title: "S".into(),
            description: String::new(),
            total: 2,
            url: "/series/s/".into(),
            parts: vec![part(1, 3), part(2, 1)],
        }]
    }

    fn related(posts: &[SitePost]) -> Vec<Vec<usize>> {
        posts.iter().map(|p| p.related.clone()).collect()
    }

    #[test]
    fn series_mates_come_first_then_shared_themes_then_closeness() {
        let mut posts = posts();
        let taxonomies = taxonomies(&posts);
        posts[1].series = Some(0);
        posts[3].series = Some(0);
        assign(&mut posts, &series_of_a_and_c(), &taxonomies, 2, None);
        assert_eq!(related(&posts), [vec![2], vec![3], vec![0], vec![1]]);
    }

    #[test]
    fn the_memo_gives_back_its_result_while_the_inputs_hash_the_same() {
        let mut posts = posts();
        let taxonomies = taxonomies(&posts);
        let mut memo: Memo = None;
        assign(&mut posts, &[], &taxonomies, 3, Some(&mut memo));
        let computed = related(&posts);
        assert_eq!(memo.as_ref().map(|(_, r)| r), Some(&computed));
        // A result planted under the same hash is what the next build takes…
        let planted = vec![vec![3], vec![2], vec![1], vec![0]];
        memo.as_mut().unwrap().1 = planted.clone();
        assign(&mut posts, &[], &taxonomies, 3, Some(&mut memo));
        assert_eq!(related(&posts), planted);
        // …but not once an input changed: the limit, here.
        assign(&mut posts, &[], &taxonomies, 1, Some(&mut memo));
        assert_eq!(related(&posts), [vec![2], vec![], vec![0], vec![]]);
    }
}
