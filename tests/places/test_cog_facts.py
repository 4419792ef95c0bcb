"""The facts about the 3CGS that the sample corpus and data/synonymes.txt
state, checked against the COG (the @etalab/decoupage-administratif
package, node_modules/): the 3CGS is the communauté de communes Cagire
Garonne Salat (EPCI 200073146), with Aspet, Salies-du-Salat and
Saint-Martory; Saint-Gaudens belongs to Cœur et Coteaux du Comminges.

usage: test_cog_facts.py SOURCE_DIR"""
import json
import os
import re
import sys

src = sys.argv[1]
data = os.path.join(src, "node_modules", "@etalab", "decoupage-administratif", "data")
epci = {e["code"]: e for e in json.load(open(os.path.join(data, "epci.json"), encoding="utf-8"))}
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def epci_of(insee):
    return [e for e in epci.values() if any(m["code"] == insee for m in e["membres"])]


cgs = epci["200073146"]
check("Cagire Garonne Salat" in cgs["nom"], "EPCI 200073146 is " + cgs["nom"])
for code, name in (("31020", "Aspet"), ("31523", "Salies-du-Salat"), ("31503", "Saint-Martory")):
    check(any(m["code"] == code for m in cgs["membres"]), name + " is not in the 3CGS")
sg = epci_of("31483")
check(len(sg) == 1 and "Coeur et Coteaux du Comminges" in sg[0]["nom"].replace("Œ", "Oe").replace("œ", "oe"),
      "Saint-Gaudens' EPCI is " + ", ".join(e["nom"] for e in sg))

# data/synonymes.txt: 3CGS spells out as the EPCI's name, and only as it
syn = open(os.path.join(src, "data", "synonymes.txt"), encoding="utf-8").read()
line = [l for l in syn.splitlines() if re.match(r"\s*3CGS\s*=", l)]
check(len(line) == 1, "data/synonymes.txt has no single 3CGS line")
if line:
    forms = [f.strip() for f in re.split("[=;]", line[0])[1:]]
    check(forms and all("Cagire Garonne Salat" in f for f in forms),
          "data/synonymes.txt: " + line[0])

# corpus/: the 3CGS is never given another name
bad = re.compile(r"C(œ|&oelig;)ur et Coteaux du Comminges,? \(?(la )?3CGS|3CGS[^.\n]{0,40}C(œ|&oelig;)ur et Coteaux")
for root, _, files in os.walk(os.path.join(src, "corpus")):
    for f in files:
        raw = open(os.path.join(root, f), "rb").read()
        text = raw.decode("utf-8", "replace")
        for m in bad.finditer(text):
            failures.append("%s: %s" % (os.path.join(root, f), m.group(0)))

for f in failures:
    print("FAIL", f)
print("cog facts: %d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
