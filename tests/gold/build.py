#!/usr/bin/env python3
"""Builds tests/gold/{dev,heldout}.jsonl from the hand annotations in
tests/gold/src/{dev,heldout}.ann and the texts in corpus/.

The .ann files are what the annotator writes (see tests/gold/README.md):

    doc wikinews-0001
    DATE      Saturday, November 13, 2004
    PERSON    Hu Jintao
    EV Contact.Meet lunch
      Entity  Hu Jintao
      Time    today

Entity and trigger lines are listed in text order; each is looked up in
the document text after the previous one (whole words only), so a
repeated name needs no index.  An argument names the text of its span:
the gold entity with that text nearest to the trigger, else the nearest
occurrence of the text; "#k" picks the k-th occurrence in the document.

Output: one JSON record per document with BYTE offsets ("offsets":
"byte"), entity ids T1.., events whose entity arguments use "ref".
Run tests/gold/check.py on the result (make test does).
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LABELS = {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
          "LAW", "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL",
          "CARDINAL"}


def load_texts():
    texts = {}
    with open(os.path.join(ROOT, "corpus/wikinews-en.jsonl"), encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            texts[rec["id"]] = rec["text"]
    path = os.path.join(ROOT, "corpus/india-japan-cyber-2020-10-07.txt")
    with open(path, encoding="utf-8") as f:
        texts["india-japan-cyber-2020-10-07"] = f.read()
    return texts


def is_word(ch):
    return ch.isalnum()


def find(text, needle, start):
    """First whole-word occurrence of needle at or after start (code points)."""
    pos = start
    while True:
        i = text.find(needle, pos)
        if i < 0:
            return -1
        before = text[i - 1] if i > 0 else " "
        after = text[i + len(needle)] if i + len(needle) < len(text) else " "
        ok_b = not (is_word(needle[0]) and is_word(before))
        ok_a = not (is_word(needle[-1]) and is_word(after))
        if ok_b and ok_a:
            return i
        pos = i + 1


def occurrences(text, needle):
    out, pos = [], 0
    while True:
        i = find(text, needle, pos)
        if i < 0:
            return out
        out.append(i)
        pos = i + 1


class Error(Exception):
    pass


def parse(path):
    docs, cur, ev = [], None, None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            where = "%s:%d" % (path, n)
            if line.startswith("doc "):
                cur = {"id": line[4:].strip(), "items": [], "where": where}
                docs.append(cur)
                ev = None
                continue
            if cur is None:
                raise Error(where + ": annotation before the first doc line")
            if line[0] in " \t":
                if ev is None:
                    raise Error(where + ": argument outside an event")
                role, _, val = line.strip().partition(" ")
                ev["args"].append((role, val.strip(), where))
                continue
            head, _, rest = line.partition(" ")
            if head == "EV":
                typ, _, trig = rest.strip().partition(" ")
                ev = {"kind": "ev", "type": typ, "text": trig.strip(), "args": [], "where": where}
                cur["items"].append(ev)
            else:
                if head not in LABELS:
                    raise Error("%s: unknown label %s" % (where, head))
                ev = None
                cur["items"].append({"kind": "ent", "label": head, "text": rest.strip(),
                                     "where": where})
    return docs


def resolve_arg(text, ents, trig_at, val, where):
    m = re.fullmatch(r"(.*)#(\d+)", val)
    if m:
        occ = occurrences(text, m.group(1))
        k = int(m.group(2))
        if k > len(occ):
            raise Error("%s: %r has only %d occurrences" % (where, m.group(1), len(occ)))
        s = occ[k - 1]
        return s, s + len(m.group(1))
    cands = [(e["start"], e["end"]) for e in ents if e["text"] == val]
    if not cands:
        cands = [(s, s + len(val)) for s in occurrences(text, val)]
    if not cands:
        raise Error("%s: argument %r not found" % (where, val))
    return min(cands, key=lambda c: abs(c[0] - trig_at))


def build_doc(doc, texts):
    if doc["id"] not in texts:
        raise Error("%s: no text for %s" % (doc["where"], doc["id"]))
    text = texts[doc["id"]]
    pos, ents, evs = 0, [], []
    for it in doc["items"]:
        at = find(text, it["text"], pos)
        if at < 0:
            raise Error("%s: %r not found after offset %d" % (it["where"], it["text"], pos))
        it["start"], it["end"] = at, at + len(it["text"])
        pos = it["end"]
        (ents if it["kind"] == "ent" else evs).append(it)

    def b(i):  # code point offset -> byte offset
        return len(text[:i].encode("utf-8"))

    rec = {"id": doc["id"], "text": text, "offsets": "byte", "entities": [], "events": []}
    ref = {}
    for k, e in enumerate(ents, 1):
        ref[(e["start"], e["end"])] = "T%d" % k
        rec["entities"].append({"id": "T%d" % k, "start": b(e["start"]), "end": b(e["end"]),
                                "label": e["label"], "text": e["text"]})
    for ev in evs:
        args = []
        for role, val, where in ev["args"]:
            s, e = resolve_arg(text, ents, ev["start"], val, where)
            arg = {"role": role}
            if (s, e) in ref:
                arg["ref"] = ref[(s, e)]
            arg.update({"start": b(s), "end": b(e), "text": text[s:e]})
            args.append(arg)
        rec["events"].append({"type": ev["type"],
                              "trigger": {"start": b(ev["start"]), "end": b(ev["end"]),
                                          "text": ev["text"]},
                              "args": args})
    return rec


def main():
    texts = load_texts()
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ("dev", "heldout"):
        src = os.path.join(here, "src", name + ".ann")
        try:
            recs = [build_doc(d, texts) for d in parse(src)]
        except Error as e:
            sys.exit(str(e))
        with open(os.path.join(here, name + ".jsonl"), "w", encoding="utf-8") as out:
            for r in recs:
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
        n_ent = sum(len(r["entities"]) for r in recs)
        n_ev = sum(len(r["events"]) for r in recs)
        print("%s: %d documents, %d entities, %d events" % (name, len(recs), n_ent, n_ev))


if __name__ == "__main__":
    main()
