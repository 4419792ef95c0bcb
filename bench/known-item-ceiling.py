#!/usr/bin/env python3
"""What no ranking can beat on bench/known-item.py's samples (standard library only).

For each seed, from the manifest alone:

  1. targets whose exact title another page carries: a query cannot tell them
     apart, so the best a ranking can expect is the mean of 1/rank over the
     group (the target equally likely at each of its first places); the
     strict MRR@10 ceiling of the 2-3 rarest words form follows;
  2. a ranking by titles alone that puts first, among the pages whose title
     holds every query word (folded), those with the fewest other title
     words (no numbers, no stopwords), ties in any order: what a person
     typing those words wants.  Its MRR@10 on the third form.

Usage: bench/known-item-ceiling.py [--bench /var/tmp/pvd-bench] [--seeds 42,7,1234]
"""
import argparse
import collections
import importlib.util
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("ki", os.path.join(HERE, "known-item.py"))
ki = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ki)

ap = argparse.ArgumentParser()
ap.add_argument("--bench", default="/var/tmp/pvd-bench")
ap.add_argument("--seeds", default="42,7,1234")
ap.add_argument("--sample", type=int, default=300)
args = ap.parse_args()

manifest = ki.read_manifest(os.path.join(args.bench, "manifest.tsv"))
df = ki.document_frequencies(os.path.join(args.bench, "alltext.txt"), len(manifest))
same = collections.Counter(t for _, _, t in manifest)
pool = [r for r in manifest if ki.n_words(r[2]) >= 3]
with open(os.path.join(HERE, "..", "lib", "stopwords.c"), encoding="utf-8") as f:
    stop = set(re.findall(r'"([^"]*)"', f.read()))


def words(title):
    return [ki.fold(w) for w in ki.WORD.findall(title)
            if not w.isdigit() and ki.fold(w) not in stop]


titles = [(rel, set(words(t)), len(words(t))) for rel, _, t in manifest]
for seed in (int(s) for s in args.seeds.split(",")):
    sample = random.Random(seed).sample(pool, min(args.sample, len(pool)))
    groups = [same[t] for _, _, t in sample if same[t] > 1]
    loss = sum(1 - sum(1 / i for i in range(1, min(k, 10) + 1)) / k for k in groups)
    total = 0
    for rel, _, t in sample:
        q = set(ki.fold(w) for w in ki.WORD.findall(ki.rare_words(t, df)))
        mine = len(words(t)) or 1
        shorter = sum(1 for r, w, n in titles if r != rel and q <= w and n < mine)
        equal = sum(1 for r, w, n in titles if r != rel and q <= w and n == mine)
        k = equal + 1
        total += sum(1 / (shorter + i) for i in range(1, k + 1) if shorter + i <= 10) / k
    print(f"seed {seed}: {len(groups)} targets share their exact title "
          f"(groups of {min(groups, default=0)}-{max(groups, default=0)}): strict ceiling "
          f"{1 - loss / len(sample):.3f}; ranking by the titles alone, fewest other "
          f"words first: {total / len(sample):.3f}")
