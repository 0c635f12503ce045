#!/usr/bin/env python3
"""Interrupted runs: a brat run stopped with SIGINT (and SIGTERM) at
several moments leaves no half-written file and exits 130 (143), and
--resume then completes it to exactly the files of an uninterrupted run.
Prints "ok N name" / "not ok N name"."""
import filecmp, json, os, random, shutil, signal, subprocess, sys, tempfile, time

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
build = os.environ.get("BUILD", "build")
nerve = os.path.join(root, build, "nerve")
tmp = tempfile.mkdtemp(prefix="nerve-interrupt-")
docs = 600 if "asan" in build else 3000
n = 0

# a corpus of news paragraphs with distinct ids (and two colliding ones)
paras = []
for line in open(os.path.join(root, "corpus", "wikinews-en.jsonl"), encoding="utf-8"):
    paras += [p for p in json.loads(line)["text"].split("\n\n") if len(p) > 80]
rng = random.Random(130)
src = os.path.join(tmp, "in.jsonl")
with open(src, "w", encoding="utf-8") as f:
    for i in range(docs):
        doc_id = "doc/%05d" % i if i != 7 else "doc/00006"  # a duplicate id
        f.write(json.dumps({"id": doc_id, "text": "\n\n".join(rng.sample(paras, 3))}) + "\n")


def brat(out, *extra):
    return subprocess.Popen([nerve, "annotate", "-q", "-j", "2", "--to", "brat", "-o", out, src] + list(extra),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def tree(d):
    files = {}
    for base, _, names in os.walk(d):
        for name in names:
            files[os.path.relpath(os.path.join(base, name), d)] = os.path.join(base, name)
    return files


def same_as_ref(out):
    """What differs between the directory out and the reference run."""
    got = tree(out)
    if sorted(got) != sorted(ref_files):
        return ["files differ: %s" % sorted(set(got) ^ set(ref_files))[:4]]
    bad = [rel for rel in got if not filecmp.cmp(got[rel], ref_files[rel], shallow=False)]
    return ["contents differ: %s" % bad[:4]] if bad else []


def report(name, why):
    global n
    n += 1
    print(("not ok %d interrupt/%s: %s" % (n, name, why)) if why else "ok %d interrupt/%s" % (n, name))
    sys.stdout.flush()


ref = os.path.join(tmp, "ref")
p = brat(ref)
p.wait()
ref_files = tree(ref)
report("reference-run", None if p.returncode == 0 and len(ref_files) > 2 * docs else
       "exit %d, %d files" % (p.returncode, len(ref_files)))

# a run over all documents but the last three, then --resume over all:
# the collection (annotation.conf included) equals the uninterrupted run's,
# whatever the timing
half = os.path.join(tmp, "half.jsonl")
with open(src, encoding="utf-8") as f, open(half, "w", encoding="utf-8") as h:
    h.writelines(f.readlines()[:docs - 3])
out = os.path.join(tmp, "halfout")
p = subprocess.run([nerve, "annotate", "-q", "--to", "brat", "-o", out, half], stderr=subprocess.PIPE)
p2 = brat(out, "--resume")
p2.wait()
why = ["exit %d then %d" % (p.returncode, p2.returncode)] if p.returncode or p2.returncode else []
report("resume-after-part", "; ".join(why + same_as_ref(out)))

for k, (sig, want) in enumerate([(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGINT, 130)]):
    out = os.path.join(tmp, "out%d" % k)
    p = brat(out)
    # signal once a share of the documents is written, whatever the speed
    # of the machine
    want_files = int(docs * (0.1 + 0.3 * k))
    while p.poll() is None and len(os.listdir(out) if os.path.isdir(out) else []) < want_files:
        time.sleep(0.01)
    p.send_signal(sig)
    p.wait(timeout=120)
    why = []
    if p.returncode not in (want, 0):
        why.append("exit %d, want %d" % (p.returncode, want))
    partial = [f for f in tree(out) if os.path.basename(f).startswith(".") or ".tmp" in f]
    if partial:
        why.append("temporary files left: %s" % partial[:3])
    # every .ann has its .txt and both are complete (they equal the reference)
    for rel, path in tree(out).items():
        if rel in ref_files and rel.endswith((".ann", ".txt")) and not filecmp.cmp(path, ref_files[rel], shallow=False):
            why.append("%s differs from the uninterrupted run" % rel)
            break
    if p.returncode == 0:
        why.append("the run ended before the signal: nothing was tested")
    report("%s-%d" % (signal.Signals(sig).name.lower(), k), "; ".join(why))
    # --resume finishes the job exactly
    rounds = 0
    while True:
        rounds += 1
        p = brat(out, "--resume")
        p.wait(timeout=300)
        if p.returncode == 0 or rounds > 3:
            break
    why = ["resume exit %d" % p.returncode] if p.returncode else []
    report("resume-%d" % k, "; ".join(why + same_as_ref(out)))

shutil.rmtree(tmp, ignore_errors=True)
