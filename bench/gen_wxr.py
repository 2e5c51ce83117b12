#!/usr/bin/env python3
"""A WordPress export (WXR 1.2) of N posts, for timing `chronique import wordpress`.

    python3 bench/gen_wxr.py 10000 /tmp/bench/export.xml [--uploads /tmp/bench/uploads]

The posts look like a column's: classic and Gutenberg content in French, paragraphs, lists,
quotes, a table now and then, `[caption]`s with an upload, YouTube lines, links between posts
(permalinks and `?p=`), categories and tags, a series every so often, a breakdown in one post of
twenty, comments (approved, spam, pending), attachments and revisions. Deterministic: the same N
gives the same file. With --uploads, a small image is written for every tenth post's upload
(the others are missing, as they often are in a backup).
"""

import argparse
import os
import random

BASE = "https://relationclient.example.fr"
CATEGORIES = [("breves", "Brèves"), ("ca-magace", "Ça m’agaaaace"), ("contes", "Contes"),
              ("articles", "Articles"), ("non-classe", "Non classé")]
TAGS = ["attente", "telecoms", "banque", "assurance", "energie", "transport", "remboursement",
        "chatbot", "facture", "rappel"]
WORDS = ("le client attend au téléphone depuis vingt minutes et la musique recommence encore "
         "une fois sans que personne ne décroche ni ne rappelle comme promis la veille par "
         "un conseiller pourtant aimable mais sans outil pour suivre la demande").split()
# A 1×1 PNG.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def sentence(rng, n=14):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng):
    return " ".join(sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(2, 5)))


def permalink(i):
    return f"{BASE}/{2010 + i % 15}/{1 + i % 12:02d}/{1 + i % 28:02d}/billet-{i}/"


def classic(rng, i, n):
    parts = [paragraph(rng), "<!--more-->", paragraph(rng)]
    if i % 3 == 0:
        parts.append("<ul>\n\t<li>" + sentence(rng, 6) + "</li>\n\t<li>" + sentence(rng, 6)
                     + "\n<ol>\n\t<li>un</li>\n\t<li>deux</li>\n</ol>\n</li>\n</ul>")
    if i % 4 == 0:
        month = f"{2010 + i % 15}/{1 + i % 12:02d}"
        parts.append(f'[caption id="attachment_{i}" align="aligncenter" width="300"]'
                     f'<img src="{BASE}/wp-content/uploads/{month}/photo-{i}.png" alt="Photo {i}" '
                     f'width="300" height="200" /> Le guichet numéro {i}, photo Jean Dupont[/caption]')
    if i % 7 == 0:
        parts.append(f"https://www.youtube.com/watch?v=v{i:09d}")
    if i > 0 and i % 2 == 0:
        j = rng.randrange(n)
        parts.append(f'Voir aussi <a href="{permalink(j)}">ce billet</a> et '
                     f'<a href="{BASE}/?p={100 + rng.randrange(n)}">celui-ci</a>.')
    parts.append(f"<blockquote>{sentence(rng)}</blockquote>")
    parts.append(paragraph(rng) + "\n" + sentence(rng))
    return "\n\n".join(parts)


def gutenberg(rng, i):
    blocks = []
    for _ in range(rng.randint(3, 6)):
        blocks.append(f"<!-- wp:paragraph -->\n<p>{paragraph(rng)}</p>\n<!-- /wp:paragraph -->")
    blocks.append("<!-- wp:heading -->\n<h2>Les étapes</h2>\n<!-- /wp:heading -->")
    if i % 5 == 0:
        blocks.append('<!-- wp:table -->\n<figure class="wp-block-table"><table><tbody>'
                      "<tr><td>Appel</td><td>22 min</td></tr><tr><td>Courrier</td><td>15 jours</td></tr>"
                      "</tbody></table></figure>\n<!-- /wp:table -->")
    return "\n\n".join(blocks)


def breakdown(rng):
    steps = "\n\n".join(f"<h2>Étape {k}</h2>\n{sentence(rng)}" for k in range(1, 4))
    return (f"<h2>Contexte</h2>\n{paragraph(rng)}\n\n{steps}\n\n"
            f"<h3>Problème : {sentence(rng, 4)} (Étape 1)</h3>\n{sentence(rng)}\n\n"
            f"<h3>Effort de contact : {sentence(rng, 4)} (Étapes 2 et 3)</h3>\n{sentence(rng)}\n\n"
            f"<h3>Frustration (Étape 3)</h3>\n{sentence(rng)}\n\n"
            "<h2>Back to basics</h2>\n<ul><li>Rappeler.</li><li>Répondre.</li></ul>\n\n"
            f"<h2>Comment réparer</h2>\n{paragraph(rng)}")


def comment(rng, i, k, approved):
    return (f"\t\t<wp:comment>\n\t\t\t<wp:comment_id>{i * 10 + k}</wp:comment_id>\n"
            f"\t\t\t<wp:comment_author><![CDATA[Lecteur {k}]]></wp:comment_author>\n"
            f"\t\t\t<wp:comment_author_email><![CDATA[lecteur{k}@exemple.fr]]></wp:comment_author_email>\n"
            f"\t\t\t<wp:comment_author_IP><![CDATA[192.0.2.{k}]]></wp:comment_author_IP>\n"
            "\t\t\t<wp:comment_date><![CDATA[2020-01-02 10:00:00]]></wp:comment_date>\n"
            "\t\t\t<wp:comment_date_gmt><![CDATA[2020-01-02 09:00:00]]></wp:comment_date_gmt>\n"
            f"\t\t\t<wp:comment_content><![CDATA[{sentence(rng)}]]></wp:comment_content>\n"
            f"\t\t\t<wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>\n"
            "\t\t\t<wp:comment_type><![CDATA[comment]]></wp:comment_type>\n"
            "\t\t\t<wp:comment_parent>0</wp:comment_parent>\n\t\t</wp:comment>\n")


def item(rng, i, n):
    year, month, day = 2010 + i % 15, 1 + i % 12, 1 + i % 28
    title = f"Billet {i} : {sentence(rng, 5)[:-1]}"
    if i % 50 < 3:
        title += [" (1#3)", " (suite &#8211; 2#3)", " (fin &#8211; 3#3)"][i % 50]
        title = f"Feuilleton {i // 50}" + title[title.index(" ("):]
    category = CATEGORIES[i % len(CATEGORIES)]
    if i % 20 == 1:
        content, category = breakdown(rng), CATEGORIES[1]
    elif i % 2:
        content = gutenberg(rng, i)
    else:
        content = classic(rng, i, n)
    status = "publish" if i % 25 else rng.choice(["draft", "future", "private", "pending"])
    tags = "".join(f'\t\t<category domain="post_tag" nicename="{t}"><![CDATA[{t.capitalize()}]]></category>\n'
                   for t in rng.sample(TAGS, rng.randint(0, 3)))
    comments = "".join(comment(rng, i, k, rng.choice(["1", "1", "1", "0", "spam"]))
                       for k in range(rng.randint(0, 4)))
    return (f"\t<item>\n\t\t<title>{title}</title>\n\t\t<link>{permalink(i)}</link>\n"
            f"\t\t<dc:creator><![CDATA[auteur{i % 5}]]></dc:creator>\n"
            f"\t\t<content:encoded><![CDATA[{content}]]></content:encoded>\n"
            f"\t\t<excerpt:encoded><![CDATA[{sentence(rng, 10) if i % 3 == 0 else ''}]]></excerpt:encoded>\n"
            f"\t\t<wp:post_id>{100 + i}</wp:post_id>\n"
            f"\t\t<wp:post_date><![CDATA[{year}-{month:02d}-{day:02d} 10:00:00]]></wp:post_date>\n"
            f"\t\t<wp:post_date_gmt><![CDATA[{year}-{month:02d}-{day:02d} 09:00:00]]></wp:post_date_gmt>\n"
            f"\t\t<wp:post_name><![CDATA[billet-{i}]]></wp:post_name>\n"
            f"\t\t<wp:status><![CDATA[{status}]]></wp:status>\n"
            "\t\t<wp:post_type><![CDATA[post]]></wp:post_type>\n"
            f'\t\t<category domain="category" nicename="{category[0]}"><![CDATA[{category[1]}]]></category>\n'
            f"{tags}{comments}\t</item>\n")


def others(i):
    """An attachment and a revision: counted, not imported."""
    return (f"\t<item>\n\t\t<title>photo-{i}</title>\n\t\t<link>{BASE}/photo-{i}/</link>\n"
            f"\t\t<wp:post_id>{1_000_000 + i}</wp:post_id>\n"
            "\t\t<wp:post_date><![CDATA[2020-01-01 10:00:00]]></wp:post_date>\n"
            "\t\t<wp:status><![CDATA[inherit]]></wp:status>\n"
            "\t\t<wp:post_type><![CDATA[attachment]]></wp:post_type>\n\t</item>\n"
            f"\t<item>\n\t\t<title>Billet {i}</title>\n\t\t<link>{BASE}/?p={2_000_000 + i}</link>\n"
            f"\t\t<wp:post_id>{2_000_000 + i}</wp:post_id>\n"
            "\t\t<wp:post_date><![CDATA[2020-01-01 10:00:00]]></wp:post_date>\n"
            "\t\t<wp:status><![CDATA[inherit]]></wp:status>\n"
            "\t\t<wp:post_type><![CDATA[revision]]></wp:post_type>\n\t</item>\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("posts", type=int)
    parser.add_argument("out")
    parser.add_argument("--uploads")
    args = parser.parse_args()
    rng = random.Random(24)
    with open(args.out, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
                  'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
                  'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                  'xmlns:dc="http://purl.org/dc/elements/1.1/" '
                  'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
                  f"\t<title>Ça m&#039;agaaaace</title>\n\t<link>{BASE}</link>\n"
                  "\t<wp:wxr_version>1.2</wp:wxr_version>\n")
        for a in range(5):
            out.write(f"\t<wp:author><wp:author_login><![CDATA[auteur{a}]]></wp:author_login>"
                      f"<wp:author_display_name><![CDATA[Auteur n° {a}]]></wp:author_display_name></wp:author>\n")
        for slug, name in CATEGORIES:
            out.write(f"\t<wp:category><wp:category_nicename><![CDATA[{slug}]]></wp:category_nicename>"
                      f"<wp:cat_name><![CDATA[{name}]]></wp:cat_name></wp:category>\n")
        for i in range(args.posts):
            out.write(item(rng, i, args.posts))
            if i % 10 == 0:
                out.write(others(i))
        out.write("</channel>\n</rss>\n")
    if args.uploads:
        for i in range(0, args.posts, 40):
            folder = os.path.join(args.uploads, f"{2010 + i % 15}", f"{1 + i % 12:02d}")
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, f"photo-{i}.png"), "wb") as f:
                f.write(PNG)


if __name__ == "__main__":
    main()
