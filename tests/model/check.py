#!/usr/bin/env python3
"""Quality floor of the default English model (models/en), run by make test
through tests/model/check.sh.

For each gold set of tests/gold (dev: the rules were tuned on it; heldout:
never tuned on) the texts are annotated with BUILD/nerve (default model,
one thread) and scored with `nerve eval --json`, natively and with
--labels conll; every figure of tests/model/thresholds.json must be
reached.  The thresholds are the figures measured when the model was last
changed, less a small margin: a change that makes the model worse fails
here.  The sample article's three events (agreement, cabinet meeting,
cyber attacks) must be found with their arguments.

Prints "ok N name" / "not ok N name: why" lines."""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD", "build")
NERVE = os.path.join(ROOT, BUILD, "nerve")


def annotate(records, out_dir, name):
    inp = os.path.join(out_dir, name + "-in.jsonl")
    with open(inp, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n")
    pred = os.path.join(out_dir, name + "-pred.jsonl")
    with open(pred, "wb") as f:
        subprocess.run([NERVE, "annotate", "-q", "-j", "1", inp], stdout=f, check=True, cwd=ROOT)
    return pred


def evaluate(gold, pred, out_dir, labels):
    js = os.path.join(out_dir, "eval-%s.json" % labels)
    subprocess.run([NERVE, "eval", "--gold", gold, "--pred", pred, "--labels", labels,
                    "--json", js], stdout=subprocess.DEVNULL, check=True, cwd=ROOT)
    with open(js, encoding="utf-8") as f:
        return json.load(f)


def figure(scores, path):
    """scores["entities"]["micro"]["f1"] from "entities.micro.f1"."""
    v = scores
    for k in path.split("."):
        v = v[k]
    return v


def sample_events(pred_path):
    """The sample article's events as (type, trigger, {(role, text)})."""
    with open(pred_path, encoding="utf-8") as f:
        rec = json.loads(f.readline())
    ents = {e["id"]: e["text"] for e in rec["entities"]}
    out = []
    for ev in rec["events"]:
        args = {(a["role"], ents[a["ref"]] if "ref" in a else a["text"]) for a in ev["args"]}
        out.append((ev["type"], ev["trigger"]["text"], args))
    return out


SAMPLE_EXPECT = [
    ("the agreement", "Contact.Agreement",
     {("Agent", "Union Cabinet"), ("Entity", "India"), ("Entity", "Japan"),
      ("Artifact", "Cooperation Agreement (MOC)")}),
    ("the cabinet meeting", "Contact.Meet",
     {("Entity", "Union Cabinet"), ("Entity", "Narendra Modi"), ("Time", "today")}),
    ("the cyber attacks", "Conflict.Attack", {("Attacker", "China"), ("Target", "India")}),
]


def main():
    with open(os.path.join(ROOT, "tests/model/thresholds.json"), encoding="utf-8") as f:
        thresholds = json.load(f)
    n = 0
    failed = 0

    def report(ok, name, why=""):
        nonlocal n, failed
        n += 1
        failed += not ok
        print("%s %d %s%s" % ("ok" if ok else "not ok", n, name, "" if ok else ": " + why))

    with tempfile.TemporaryDirectory(prefix="nerve-model-check-") as tmp:
        for set_name, floors in thresholds["sets"].items():
            gold = os.path.join(ROOT, "tests/gold", set_name + ".jsonl")
            with open(gold, encoding="utf-8") as f:
                records = [json.loads(line) for line in f if line.strip()]
            pred = annotate(records, tmp, set_name)
            scores = {lab: evaluate(gold, pred, tmp, lab) for lab in ("native", "conll")}
            for key, floor in sorted(floors.items()):
                labels, path = key.split(":", 1)
                got = figure(scores[labels], path)
                report(got >= floor, "model/%s %s %s >= %.3f" % (set_name, labels, path, floor),
                       "%.4f" % got)
        sample = os.path.join(ROOT, "corpus/india-japan-cyber-2020-10-07.txt")
        with open(sample, encoding="utf-8") as f:
            rec = {"id": "india-japan", "text": f.read()}
        events = sample_events(annotate([rec], tmp, "sample"))
        for name, typ, want in SAMPLE_EXPECT:
            found = [args for t, _, args in events if t == typ and want <= args]
            report(bool(found), "model/sample %s (%s with %d arguments)" % (name, typ, len(want)),
                   "found only %r" % [e for e in events if e[0] == typ])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
