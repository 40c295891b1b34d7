#!/usr/bin/env python3
"""Consistency checks for the Paço seed files (stdlib only).

Usage: python3 check_seeds.py   (from any directory)

Checks, per JSON file:
  - every organ "parent", competence "performedBy" and "legalBasis" reference
    (in citations and in organ.legalBases) resolves within the same file;
  - slugs are unique and well formed; enum fields hold allowed values;
  - competence keys are unique per organ and follow "<group>-<position>";
  - labels are unique per group within an organ (null labels ignored);
  - displayOrder is 1..n among siblings; values are deduplicated;
  - every listed source file exists under sources/;
  - text fidelity: every competence text, statement, value and the
    institution's "about" occurs in its source file once whitespace is
    collapsed and the recorded corrections (original -> corrected) are applied;
  - no leftover whitespace defects (double spaces, leading/trailing spaces,
    space before comma or semicolon).
Prints the number of competences per organ and group.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = ["sample-municipality.json", "cogemas-mg.json"]

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
INSTITUTION_KINDS = {"prefeitura", "camara", "associacao", "consorcio", "autarquia", "fundacao", "outro"}
LEGAL_KINDS = {"lei", "lei-complementar", "lei-organica", "decreto", "estatuto", "regimento",
               "portaria", "resolucao", "outro"}
LEGAL_STATUS = {"inForce", "revoked"}
ORGAN_KINDS = {"gabinete", "secretaria", "departamento", "divisao", "nucleo", "coordenadoria",
               "conselho", "fundo", "colegiado", "assessoria", "outro"}
GROUPS = {"competences", "headAttributions", "aims", "actions"}
ROLES = {"creates", "structures", "regulates", "cites"}

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)
    return cond


def norm_ws(s):
    return re.sub(r"[\s\u00a0]+", " ", s).strip()


def source_text(rel, corrections):
    path = os.path.join(HERE, rel)
    if not check(os.path.isfile(path), f"missing source file {rel}"):
        return ""
    with open(path, encoding="utf-8") as f:
        text = norm_ws(f.read())
    for c in corrections:
        text = text.replace(c["original"], c["corrected"])
    return text


def clean_ws(s, where):
    check(s == s.strip(), f"{where}: leading/trailing whitespace")
    check("  " not in s, f"{where}: double space")
    check(" ," not in s and " ;" not in s, f"{where}: space before punctuation")
    check("\n" not in s and "\u00a0" not in s, f"{where}: line break or NBSP inside text")


def check_file(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        data = json.load(f)
    print(f"== {name}")
    inst = data["institution"]
    check(SLUG_RE.match(inst["slug"]) is not None, f"{name}: bad institution slug {inst['slug']!r}")
    check(inst["kind"] in INSTITUTION_KINDS, f"{name}: bad institution kind {inst['kind']!r}")
    check(len(inst["values"]) == len(set(inst["values"])), f"{name}: duplicated institution values")
    for rel in inst["source"]["files"]:
        source_text(rel, [])
    about = inst["statements"].get("about")
    if about is not None:
        clean_ws(about, f"{name}: institution about")
        # an "about" taken from a single source page must occur in it; the sample
        # institution's "about" is editorial text spanning several files
        if len(inst["source"]["files"]) == 1:
            check(about in source_text(inst["source"]["files"][0], []),
                  f"{name}: institution about not found in its source")

    legal = {}
    for lb in data["legalBases"]:
        s = lb["slug"]
        check(SLUG_RE.match(s) is not None, f"{name}: bad legal basis slug {s!r}")
        check(s not in legal, f"{name}: duplicated legal basis slug {s}")
        check(lb["kind"] in LEGAL_KINDS, f"{name}: {s}: bad kind {lb['kind']!r}")
        check(lb["status"] in LEGAL_STATUS, f"{name}: {s}: bad status {lb['status']!r}")
        for rel in lb["source"]["files"]:
            source_text(rel, [])
        legal[s] = lb

    organs = {}
    for o in data["organs"]:
        s = o["slug"]
        check(SLUG_RE.match(s) is not None, f"{name}: bad organ slug {s!r}")
        check(s not in organs, f"{name}: duplicated organ slug {s}")
        organs[s] = o

    siblings = {}
    for s, o in organs.items():
        where = f"{name}: organ {s}"
        check(o["kind"] in ORGAN_KINDS, f"{where}: bad kind {o['kind']!r}")
        p = o["parent"]
        if p is not None:
            check(p in organs, f"{where}: parent {p!r} does not resolve")
            check(p != s, f"{where}: is its own parent")
        # no cycles
        seen, cur = set(), s
        while cur is not None and cur in organs:
            if not check(cur not in seen, f"{where}: parent cycle"):
                break
            seen.add(cur)
            cur = organs[cur]["parent"]
        siblings.setdefault(p, []).append(o["displayOrder"])
        check(len(o["values"]) == len(set(o["values"])), f"{where}: duplicated values")
        for lb in o["legalBases"]:
            check(lb["legalBasis"] in legal, f"{where}: legalBasis {lb['legalBasis']!r} does not resolve")
            check(lb["role"] in ROLES, f"{where}: bad legal basis role {lb['role']!r}")

        src = source_text(o["source"]["file"], o["source"]["corrections"])
        for c in o["source"]["corrections"]:
            check(c["original"] != c["corrected"] and c["reason"], f"{where}: empty correction {c}")
        for k, v in o["statements"].items():
            if v is not None:
                clean_ws(v, f"{where}: statement {k}")
                check(v in src, f"{where}: statement {k} not found in source")
        for v in o["values"]:
            clean_ws(v, f"{where}: value {v!r}")
            check(v in src, f"{where}: value {v!r} not found in source")

        keys, labels, positions = set(), {}, {}
        for c in o["competences"]:
            cw = f"{where}: competence {c['key']}"
            g = c["group"]
            check(g in GROUPS, f"{cw}: bad group {g!r}")
            check(c["key"] not in keys, f"{cw}: duplicated key")
            keys.add(c["key"])
            positions[g] = positions.get(g, 0) + 1
            check(c["key"] == f"{g}-{positions[g]}", f"{cw}: key does not match <group>-<position>")
            if c["label"] is not None:
                lg = labels.setdefault(g, set())
                check(c["label"] not in lg, f"{cw}: duplicated label {c['label']!r} in group {g}")
                lg.add(c["label"])
            pb = c["performedBy"]
            if pb is not None:
                check(pb in organs, f"{cw}: performedBy {pb!r} does not resolve")
            for cit in c["citations"]:
                check(cit["legalBasis"] in legal, f"{cw}: citation legalBasis {cit['legalBasis']!r} does not resolve")
            clean_ws(c["text"], cw)
            check(c["text"] in src, f"{cw}: text not found in source (after corrections)")
        counts = ", ".join(f"{g}={n}" for g, n in positions.items()) or "no competences"
        print(f"  {s} [{o['kind']}, parent={p}, order={o['displayOrder']}]: {counts}")

    for p, orders in siblings.items():
        check(sorted(orders) == list(range(1, len(orders) + 1)),
              f"{name}: displayOrder of children of {p} is not 1..n: {sorted(orders)}")
    return data


def main():
    for name in FILES:
        check_file(name)
    if errors:
        print(f"\nFAILED: {len(errors)} problem(s)")
        for e in errors:
            print("  - " + e)
        sys.exit(1)
    print("\nOK: all checks passed")


if __name__ == "__main__":
    main()
