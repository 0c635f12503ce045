#!/usr/bin/env python3
"""Check the model's lists: format (`#!key=value` options only at the top,
`#` comments, `term<TAB>LABEL[<TAB>key=value...]`, or `form<TAB>lemma` for
lemmas.tsv), UTF-8 and LF, rows sorted by term in code-point order, no
duplicate term+label, no terms shorter than 3 characters except the
allowed acronyms.  Prints terms that two lists give different labels
(informational).  Exit status 1 on any error.

usage: check_lists.py [--fix-hand]   (--fix-hand re-sorts the hand-curated lists)
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nervedata import GAZ, MODEL  # noqa: E402

HAND = ["nationalities.tsv", "locations.tsv", "facilities.tsv", "products.tsv", "organisations.tsv", "titles.tsv", "events.tsv", "people.tsv"]
OPTION_KEYS = {"case", "label", "priority", "mode"}
SHORT_OK = {"UN", "EU", "US", "UK", "G7", "G8", "AP", "BP", "3M", "K2", "Xi", "Hu", "Li", "Wu", "Xu",
            "Ko", "Ma", "mp", "dr", "mr", "ms", "lt", "vp", "lt.", "rev.", "col.", "maj.", "adm.", "cpl.",
            "pvt."}


def check(path, lemma=False, fix=False):
    errors = []
    raw = open(path, "rb").read()
    if b"\r" in raw:
        errors.append("CR line endings")
    text = raw.decode("utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    head, rows, seen = [], [], set()
    body = False
    for i, line in enumerate(lines, 1):
        if line.startswith("#!"):
            if body or rows:
                errors.append("%d: option line after other lines" % i)
            key = line[2:].split("=", 1)[0]
            if key not in OPTION_KEYS:
                errors.append("%d: unknown option %r" % (i, key))
            head.append(line)
            continue
        if line.startswith("#") or not line.strip():
            body = True
            if not rows:
                head.append(line)
            else:
                errors.append("%d: comment inside the rows" % i)
            continue
        body = True
        f = line.split("\t")
        if lemma:
            if len(f) != 2 or not f[0] or not f[1] or f[0] != f[0].lower():
                errors.append("%d: bad lemma row %r" % (i, line))
        else:
            if len(f) < 2 or not f[0].strip() or f[0] != f[0].strip() or not re.fullmatch(r"[A-Z][A-Z_]*", f[1]):
                errors.append("%d: bad row %r" % (i, line))
            for a in f[2:]:
                if not re.fullmatch(r"[a-z_]+=\S+", a):
                    errors.append("%d: bad attr %r" % (i, a))
            if len(f[0]) < 3 and f[0] not in SHORT_OK:
                errors.append("%d: short term %r" % (i, f[0]))
        key = (f[0], f[1] if len(f) > 1 else "")
        if key in seen:
            errors.append("%d: duplicate %r" % (i, key))
        seen.add(key)
        rows.append(line)
    keys = [r.split("\t")[0] for r in rows]
    if keys != sorted(keys):
        if fix:
            rows = sorted(set(rows), key=lambda r: (r.split("\t")[0], r))
            with open(path, "w", encoding="utf-8", newline="\n") as out:
                out.write("\n".join(head + rows) + "\n")
            print("%s: re-sorted" % path)
        else:
            errors.append("rows not sorted by term")
    return errors, {(r.split("\t")[0], r.split("\t")[1]) for r in rows}


def main():
    fix = "--fix-hand" in sys.argv
    bad = 0
    labels = {}
    for name in sorted(os.listdir(GAZ)):
        if not name.endswith(".tsv"):
            continue
        errs, pairs = check(os.path.join(GAZ, name), fix=fix and name in HAND)
        for term, label in pairs:
            labels.setdefault(term, set()).add((label, name))
        print("%s: %d entries%s" % (name, len(pairs), "" if not errs else ", %d errors" % len(errs)))
        for e in errs[:20]:
            print("  " + e)
        bad += len(errs)
    errs, pairs = check(os.path.join(MODEL, "lemmas.tsv"), lemma=True)
    print("lemmas.tsv: %d entries%s" % (len(pairs), "" if not errs else ", %d errors" % len(errs)))
    for e in errs[:20]:
        print("  " + e)
    bad += len(errs)
    conflicts = sorted(t for t, s in labels.items()
                       if len({l for l, _ in s if l not in ("GIVEN", "TITLE", "COUNTRY")}) > 1)
    if conflicts:
        print("terms with two labels across lists (%d): %s" % (len(conflicts), ", ".join(conflicts)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
