#!/usr/bin/env python3
"""first-page-corpus.py SEED OUTDIR: a small corpus of HTML pages whose
titles and bodies mix three query words ("musique", "classique",
"vocale") with made-up ones, drawn from SEED.  Many hits then score
alike, the title lifts decide between them, and Xapian's matcher has to
prune: what test_first_page.sh needs to compare a first page with the
head of a longer one."""
import os
import random
import sys

QUERY_WORDS = ["musique", "classique", "vocale"]
SYLLABLES = ["ba", "ri", "mon", "tel", "que", "sa", "lo", "vé", "dur", "cha",
             "pin", "gra", "ment", "tion", "eau", "ver", "cor", "dis", "plu",
             "fon", "neu", "zé", "tri", "nal"]


def made_up(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def main(seed, out):
    rng = random.Random(seed)
    vocabulary = [made_up(rng) for _ in range(rng.randint(50, 300))]
    pages = rng.randint(60, 200)
    p_all = rng.choice([0.01, 0.02, 0.05])   # a title of every query word
    p_one = rng.choice([0.1, 0.3, 0.5])      # a title with one of them
    length = rng.choice([(5, 30), (10, 200), (50, 400)])
    os.makedirs(out, exist_ok=True)
    for i in range(pages):
        title = [rng.choice(vocabulary) for _ in range(rng.randint(1, 10))]
        x = rng.random()
        if x < p_all:
            title = ["manuel"] + QUERY_WORDS if rng.random() < 0.5 else title + QUERY_WORDS
        elif x < p_all + p_one:
            title.insert(rng.randint(0, len(title)), rng.choice(QUERY_WORDS))
        body = [rng.choice(vocabulary) for _ in range(rng.randint(*length))]
        for w in QUERY_WORDS:
            for _ in range(rng.choice([0, 1, 1, 2, 3, 5, 10])):
                body.insert(rng.randint(0, len(body)), w)
        with open(os.path.join(out, "page-%03d.html" % i), "w", encoding="utf-8") as f:
            f.write("<html><head><title>%s</title></head><body><p>%s</p></body></html>\n"
                    % (" ".join(title), " ".join(body)))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
