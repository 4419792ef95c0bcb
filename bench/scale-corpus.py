#!/usr/bin/env python3
"""Make the 10x and 20x corpora of the curve from the bench corpus.

    bench/scale-corpus.py [--src /var/tmp/pvd-bench/corpus] [--out /var/tmp/pvd-scale]
                          [--copies 20] [--share 30]

Writes OUT/x20/copy-00 .. copy-19: copy-00 is the bench corpus as it is, each
later copy the same files with a per-copy suffix added to SHARE % of the
distinct words (which words: a CRC of the word and the copy number, so each
copy changes a different share).  The vocabulary thus grows by about SHARE %
of the corpus' own at every copy, while the text keeps the length, the word
frequencies and the layout of real documents.  OUT/x10 holds symbolic links
to the first 10 copies (pvd-index follows them: same files, same paths).

Formats stay valid: in HTML only the text between tags is touched (never a
tag, an attribute, a comment, a script or style body, nor an entity); text
files are plain text throughout.  Files are handled as bytes decoded as
Latin-1, so a UTF-8 sequence is never cut (a suffix goes after a whole run of
letters and high bytes) and both encodings of the corpus come out unchanged
except for the suffixes.  PDFs are left out of every copy, copy-00 included
(14 files, 60 MiB, a third of the corpus' indexing CPU through poppler): the
curve is that of the HTML and text documents, 5,013 per copy.

Deterministic; a copy already complete (its .done mark) is not made again.
"""
import argparse
import os
import re
import sys
import zlib

LETTERS = "abcdefghijklmnopqrstuvwxyz"
WORD = r"[A-Za-z\x80-\xff]{4,}"
HTML_TOKENS = re.compile(
    r"(<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>|<[^>]*>|&#?\w+;)|(" + WORD + ")",
    re.S | re.I)
TEXT_TOKENS = re.compile("()(" + WORD + ")")


def suffix(copy):
    """A letters-only suffix, one per copy: 'qb', 'qc', ... (a word to the tokenizer)."""
    return "q" + LETTERS[copy % 26] + (LETTERS[copy // 26] if copy >= 26 else "")


def perturber(copy, share):
    suf = suffix(copy)
    seed = str(copy).encode()
    chosen = {}

    def sub(m):
        if m.group(1):
            return m.group(1)
        w = m.group(2)
        hit = chosen.get(w)
        if hit is None:
            hit = zlib.crc32(w.encode("latin-1"), zlib.crc32(seed)) % 100 < share
            chosen[w] = hit
        return w + suf if hit else w

    return sub


def make_copy(src, dst, copy, share):
    sub = perturber(copy, share) if copy > 0 else None
    files = 0
    for root, dirs, names in os.walk(src):
        dirs.sort()
        rel = os.path.relpath(root, src)
        out_dir = os.path.normpath(os.path.join(dst, rel))
        os.makedirs(out_dir, exist_ok=True)
        for name in sorted(names):
            low = name.lower()
            if low.endswith(".pdf"):
                continue
            with open(os.path.join(root, name), "rb") as f:
                data = f.read()
            if sub is not None:
                text = data.decode("latin-1")
                rx = HTML_TOKENS if low.endswith((".html", ".htm", ".xhtml")) else TEXT_TOKENS
                data = rx.sub(sub, text).encode("latin-1")
            with open(os.path.join(out_dir, name), "wb") as f:
                f.write(data)
            files += 1
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", default="/var/tmp/pvd-bench/corpus")
    ap.add_argument("--out", default="/var/tmp/pvd-scale")
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--share", type=int, default=30, help="percent of the distinct words suffixed")
    a = ap.parse_args()
    x20 = os.path.join(a.out, "x20")
    x10 = os.path.join(a.out, "x10")
    os.makedirs(x20, exist_ok=True)
    os.makedirs(x10, exist_ok=True)
    for c in range(a.copies):
        dst = os.path.join(x20, "copy-%02d" % c)
        done = dst + ".done"
        if not os.path.exists(done):
            n = make_copy(a.src, dst, c, a.share)
            with open(done, "w") as f:
                f.write("%d\n" % n)
            print("copy-%02d: %d files" % (c, n), file=sys.stderr, flush=True)
        if c < 10:
            link = os.path.join(x10, "copy-%02d" % c)
            if not os.path.islink(link):
                os.symlink(os.path.join("..", "x20", "copy-%02d" % c), link)
    return 0


if __name__ == "__main__":
    sys.exit(main())
