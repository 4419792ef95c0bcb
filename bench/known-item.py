#!/usr/bin/env python3
"""Known-item search benchmark for pvd-search (python3 standard library only).

Takes a seeded random sample of corpus pages whose title (manifest.tsv, column
"title") has 3 or more words, and searches each title in three forms:

  a  as written                        e.g. "Les notions de base d'aptitude"
  b  lowercased, accents removed        (NFD, combining marks dropped)
  c  only its 2-3 rarest words          (document frequency over the corpus,
                                         from alltext.txt; see rare_words())

each with `pvd-search --db INDEX --json -n 10 -- QUERY` (the query is one
argument), finds the rank of the page itself by path, and prints MRR@10 and
success@10 per form, the number of queries that errored (exit 2, or any
other non-0/1 status) or found nothing, and the worst failures of each form.

It then runs a list of "nasty" pasted queries and checks that each gives exit
0 or 1 (exit 2 is accepted only when the query holds no word at all).

Usage:
  bench/known-item.py [--db DIR] [--pvd-search PATH] [--sample 300] [--seed 42]
                      [--worst 15] [--json-out FILE] [--skip-nasty]

Defaults: --db /var/tmp/pvd-bench/pvd-index, --pvd-search
./build-release/pvd-search, --bench /var/tmp/pvd-bench (corpus/,
manifest.tsv, alltext.txt).  Build the index first:
  build-release/pvd-index --quiet --db /var/tmp/pvd-bench/pvd-index /var/tmp/pvd-bench/corpus
"""
import argparse
import collections
import json
import os
import random
import re
import subprocess
import sys
import unicodedata

WORD = re.compile(r"\w+")


def fold(s):
    """Lowercase, accents removed: NFD then drop combining marks."""
    d = unicodedata.normalize("NFD", s)
    return unicodedata.normalize(
        "NFC", "".join(c for c in d if not unicodedata.combining(c))).lower()


def n_words(title):
    return len(WORD.findall(title))


def read_manifest(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        col = {name: i for i, name in enumerate(header)}
        if "relpath" not in col or "title" not in col:
            sys.exit(f"{path}: no relpath/title column in {header}")
        rows = []
        for line in f:
            p = line.rstrip("\n").split("\t")
            rows.append((p[col["relpath"]], p[col["source"]], p[col["title"]]))
    return rows


def document_frequencies(alltext, n_docs):
    """df of each folded \\w+ word over the documents of alltext.txt.

    build_corpus.py writes the extracted text of each manifest row, in
    manifest order, followed by "\\n\\f\\n"."""
    with open(alltext, encoding="utf-8", errors="replace") as f:
        parts = f.read().split("\n\f\n")
    if len(parts) < n_docs:
        sys.exit(f"{alltext}: {len(parts)} documents, manifest has {n_docs}")
    df = collections.Counter()
    for text in parts[:n_docs]:
        df.update(set(WORD.findall(fold(text))))
    return df


def rare_words(title, df):
    """The 2-3 rarest words of the title, as written, in title order.

    Candidates: \\w+ tokens of 2+ characters that are not only digits
    (a "2.9.5" section number or an elided "d" is not what a person keeps);
    rarity = document frequency of the folded word (ties: longer word first,
    then title order).  3 words when the title has 4+ candidates, else 2."""
    toks = [t for t in WORD.findall(title) if len(t) >= 2 and not t.isdigit()]
    seen, cand = set(), []
    for i, t in enumerate(toks):
        k = fold(t)
        if k in seen:
            continue
        seen.add(k)
        cand.append((df.get(k, 0), -len(t), i, t))
    if len(cand) <= 2:
        return " ".join(t for *_, t in sorted(cand, key=lambda c: c[2]))
    k = 3 if len(cand) >= 4 else 2
    pick = sorted(cand)[:k]
    return " ".join(t for *_, t in sorted(pick, key=lambda c: c[2]))


def run_search(pvd, db, query, n=10):
    """-> (status, hits [(path, title)], total, stderr first line)."""
    try:
        r = subprocess.run([pvd, "--db", db, "--json", "-n", str(n), "--", query],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    except subprocess.TimeoutExpired:
        return ("timeout", [], 0, "timeout")
    err = r.stderr.decode("utf-8", "replace").strip().splitlines()
    err = err[0] if err else ""
    if r.returncode not in (0, 1):
        return (r.returncode, [], 0, err)
    try:
        obj = json.loads(r.stdout.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        return ("badjson", [], 0, str(e))
    hits = [(os.path.normpath(h.get("path", "")), h.get("title", ""))
            for h in obj.get("hits", [])]
    return (r.returncode, hits, obj.get("total", len(hits)), err)


def measure(args):
    manifest = read_manifest(os.path.join(args.bench, "manifest.tsv"))
    corpus = os.path.join(args.bench, "corpus")
    df = document_frequencies(os.path.join(args.bench, "alltext.txt"), len(manifest))
    title_count = collections.Counter(t for _, _, t in manifest)
    pool = [r for r in manifest if n_words(r[2]) >= 3]
    rnd = random.Random(args.seed)
    sample = rnd.sample(pool, min(args.sample, len(pool)))
    print(f"pages: {len(manifest)}; with a title of 3+ words: {len(pool)}; "
          f"sample: {len(sample)} (seed {args.seed}); "
          f"of which titles shared with another page: "
          f"{sum(1 for r in sample if title_count[r[2]] > 1)}")
    print(f"sources in sample: {dict(collections.Counter(r[1] for r in sample).most_common())}")
    path_title = {os.path.normpath(os.path.join(corpus, rel)): t for rel, _, t in manifest}

    forms = {"a": lambda t: t, "b": fold, "c": lambda t: rare_words(t, df)}
    results = {f: [] for f in forms}
    for rel, src, title in sample:
        want = os.path.normpath(os.path.join(os.path.abspath(corpus), rel))
        for f, mk in forms.items():
            q = mk(title)
            status, hits, total, err = run_search(args.pvd_search, args.db, q)
            rank = next((i + 1 for i, (p, _) in enumerate(hits) if p == want), None)
            # "same title" rank: a page with exactly the same title counts
            rank_same = next((i + 1 for i, (p, _) in enumerate(hits)
                              if p == want or path_title.get(p) == title), None)
            deep = None
            if rank is None and status in (0, 1) and args.deep:
                _, dh, _, _ = run_search(args.pvd_search, args.db, q, n=args.deep)
                deep = next((i + 1 for i, (p, _) in enumerate(dh) if p == want), None)
            results[f].append(dict(rel=rel, source=src, title=title, query=q,
                                   status=status, total=total, rank=rank,
                                   rank_same=rank_same, deep=deep, err=err,
                                   top=[p for p, _ in hits[:3]],
                                   top_titles=[t for _, t in hits[:3]]))

    print()
    print(f"| form | queries | MRR@10 | success@10 | MRR@10 same-title ok | errors (exit 2/other) | no result |")
    print(f"| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    summary = {}
    names = {"a": "as written", "b": "lowercase, no accents", "c": "2-3 rarest words"}
    for f, rs in results.items():
        n = len(rs)
        mrr = sum(1 / r["rank"] for r in rs if r["rank"]) / n
        succ = sum(1 for r in rs if r["rank"]) / n
        mrr_s = sum(1 / r["rank_same"] for r in rs if r["rank_same"]) / n
        errors = sum(1 for r in rs if r["status"] not in (0, 1))
        empty = sum(1 for r in rs if r["status"] in (0, 1) and r["total"] == 0)
        summary[f] = dict(mrr=mrr, success=succ, mrr_same_title=mrr_s,
                          errors=errors, empty=empty, n=n)
        print(f"| ({f}) {names[f]} | {n} | {mrr:.3f} | {succ:.3f} | {mrr_s:.3f} | {errors} | {empty} |")

    for f, rs in results.items():
        fails = [r for r in rs if r["rank"] != 1]
        # worst first: errors, then missing (never matched before 'deep'), then by rank
        def badness(r):
            if r["status"] not in (0, 1):
                return (0, 0)
            if r["rank"] is None:
                return (1, -(r["deep"] or 10**9))
            return (2, -r["rank"])
        fails.sort(key=badness)
        print(f"\n## worst {min(args.worst, len(fails))} of form ({f}) {names[f]} "
              f"({sum(1 for r in rs if r['rank'] is None)} missing from the top 10, "
              f"{sum(1 for r in rs if r['rank'] and r['rank'] > 1)} at rank 2-10)")
        for r in fails[:args.worst]:
            if r["status"] not in (0, 1):
                where = f"ERROR status={r['status']}: {r['err']}"
            elif r["rank"]:
                where = f"rank {r['rank']}"
            else:
                where = "missing" + (f" (rank {r['deep']} of {r['total']})" if r["deep"]
                                     else f" (not among {r['total']} matches)")
            print(f"- [{r['source']}] {r['rel']}  title={r['title']!r}")
            print(f"    query=({f}) {r['query']!r} -> {where}")
            for p, t in zip(r["top"], r["top_titles"]):
                print(f"      {os.path.relpath(p, corpus)}  {t!r}")
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as o:
            json.dump(dict(summary=summary, results=results), o, ensure_ascii=False, indent=1)
    return summary


NASTY = [
    "Manuel : 2.5",
    "« Petites villes »",
    " - ",
    "a/b",
    "word:",
    '"',
    "(",
    ")",
    "AND",
    "-",
    "*",
    "titre:",
    "type:",
    "ingé*nierie",
    "🙂 paquet 🚀",
    "🙂",
    "installation\tdu\tpaquet",
    "\t",
    "OR paquet",
    "paquet NOT",
    '"configuration réseau',
    "(noyau OR",
    "C++ / C#",
    "Qu’est-ce qu’un paquet ?",
    "commune:",
    "-- paquet",
    "titre:\"",
    "paquet)",
    "100 %",
    "https://www.debian.org/doc/",
    "SAUF",
    "+",
]


def nasty(args):
    print("\n## pasted / nasty queries (must give exit 0 or 1; exit 2 only if no word at all)\n")
    print("| query | exit | total | has a word | verdict | message |")
    print("| --- | ---: | ---: | --- | --- | --- |")
    bad = 0
    for q in NASTY:
        status, hits, total, err = run_search(args.pvd_search, args.db, q)
        has_word = bool(WORD.search(q))
        if status in (0, 1):
            ok = True
        elif status == 2:
            ok = not has_word
        else:
            ok = False
        bad += not ok
        # a query with words that ends up empty is suspicious (not a failure here)
        note = "OK" if ok else "FAIL"
        if ok and status == 1 and has_word:
            note = "OK (no result)"
        print(f"| `{q!r}` | {status} | {total} | {'yes' if has_word else 'no'} | {note} | {err[:70]} |")
    print(f"\nnasty queries failing: {bad} of {len(NASTY)}")
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", default="/var/tmp/pvd-bench")
    ap.add_argument("--db", default="/var/tmp/pvd-bench/pvd-index")
    ap.add_argument("--pvd-search", default="./build-release/pvd-search")
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--worst", type=int, default=15)
    ap.add_argument("--deep", type=int, default=1000,
                    help="re-run a failed query with -n DEEP to report its real rank (0: no)")
    ap.add_argument("--json-out")
    ap.add_argument("--skip-nasty", action="store_true")
    args = ap.parse_args()
    if not os.access(args.pvd_search, os.X_OK):
        sys.exit(f"{args.pvd_search}: not found (build in Release first)")
    measure(args)
    if not args.skip_nasty:
        nasty(args)


if __name__ == "__main__":
    main()
