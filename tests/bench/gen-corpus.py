#!/usr/bin/env python3
"""Writes a deterministic news-like JSONL corpus of at least SIZE_MB from the
documents in corpus/ (paragraphs reshuffled with a fixed seed, ids unique).

usage: gen-corpus.py SIZE_MB OUT.jsonl"""
import glob, json, os, random, sys

size = int(float(sys.argv[1]) * 1e6)
out = sys.argv[2]
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "corpus")
paras = []
for path in sorted(glob.glob(os.path.join(root, "*.jsonl"))):
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        if d.get("lang", "en") == "en":
            paras += [p for p in d["text"].split("\n\n") if p.strip()]
for path in sorted(glob.glob(os.path.join(root, "*.txt"))):
    paras += [p for p in open(path, encoding="utf-8").read().split("\n\n") if p.strip()]
rng = random.Random(20201007)
written = n = 0
with open(out, "w", encoding="utf-8") as f:
    while written < size:
        n += 1
        k = rng.randint(3, 12)
        text = "\n\n".join(rng.choice(paras) for _ in range(k))
        line = json.dumps({"id": "bench-%07d" % n, "text": text, "source": "bench"},
                          ensure_ascii=False) + "\n"
        f.write(line)
        written += len(text.encode("utf-8"))
print("%s: %d documents, %.1f MB of text" % (out, n, written / 1e6))
