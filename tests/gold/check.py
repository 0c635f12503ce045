#!/usr/bin/env python3
"""Checks gold JSONL files (tests/gold/*.jsonl): every entity, trigger and
argument span, re-sliced from the text with its offsets (the record's
"offsets" unit: byte, codepoint or utf16), equals the "text" written beside
it; spans lie inside the text on word boundaries, entities do not overlap,
labels are OntoNotes labels, argument refs name entities of the record.
Prints "ok N FILE" / "not ok N FILE: reason" lines (run by make test)."""
import json
import sys

LABELS = {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
          "LAW", "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL",
          "CARDINAL"}


def to_codepoints(text, unit):
    """A map from offsets in unit to code point indexes (None inside a
    character), and the text's size in unit."""
    width = {"byte": lambda c: len(c.encode("utf-8")),
             "utf16": lambda c: len(c.encode("utf-16-le")) // 2}.get(unit, lambda c: 1)
    pos, table = 0, {}
    for i, c in enumerate(text):
        table[pos] = i
        pos += width(c)
    table[pos] = len(text)
    return table, pos


def check_span(text, table, obj, what):
    s, e = table.get(obj["start"]), table.get(obj["end"])
    if s is None or e is None or not s < e:
        return "%s [%d, %d) is not a span of whole characters in the text" % (
            what, obj["start"], obj["end"])
    got = text[s:e]
    if got != obj["text"]:
        return "%s [%d, %d) slices %r, not %r" % (what, obj["start"], obj["end"], got,
                                                  obj["text"])
    if got != got.strip():
        return "%s %r has outer spaces" % (what, got)
    before = text[s - 1] if s > 0 else " "
    after = text[e] if e < len(text) else " "
    if (got[0].isalnum() and before.isalnum()) or (got[-1].isalnum() and after.isalnum()):
        return "%s %r cuts a word" % (what, got)
    return None


def check_record(rec):
    text = rec["text"]
    table, _ = to_codepoints(text, rec.get("offsets", "codepoint"))
    ids, last_end = set(), -1
    for e in sorted(rec.get("entities", []), key=lambda x: (x["start"], x["end"])):
        if e["label"] not in LABELS:
            return "entity %s: label %s" % (e.get("id"), e["label"])
        if e["start"] < last_end:
            return "entity %s overlaps the previous one" % e.get("id")
        last_end = e["end"]
        why = check_span(text, table, e, "entity " + str(e.get("id")))
        if why:
            return why
        ids.add(e.get("id"))
    for ev in rec.get("events", []):
        if "." not in ev["type"]:
            return "event type %r" % ev["type"]
        why = check_span(text, table, ev["trigger"], ev["type"] + " trigger")
        if why:
            return why
        for a in ev["args"]:
            if "ref" in a and a["ref"] not in ids:
                return "argument ref %s names no entity" % a["ref"]
            why = check_span(text, table, a, "%s argument %s" % (ev["type"], a["role"]))
            if why:
                return why
    return None


def main():
    n = 0
    bad = 0
    for path in sys.argv[1:]:
        n += 1
        why = None
        with open(path, encoding="utf-8") as f:
            for line_no, line in enumerate(f, 1):
                if not line.strip():
                    continue
                rec = json.loads(line)
                why = check_record(rec)
                if why:
                    why = "%s:%d (%s): %s" % (path, line_no, rec.get("id"), why)
                    break
        if why:
            bad += 1
            print("not ok %d %s" % (n, why))
        else:
            print("ok %d %s" % (n, path))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
