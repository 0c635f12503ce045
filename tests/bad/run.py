#!/usr/bin/env python3
"""The bad-input battery: hostile and degenerate inputs through the whole
command line with the default model.  For each case: no crash (no signal,
no sanitizer report), no hang (a time limit), bounded memory (peak RSS of
the child), exactly one output record per input record, and the exit status
DESIGN.md documents.  Inputs are generated here, in a temporary directory,
so nothing large is committed.  Prints "ok N name" / "not ok N name".

BUILD selects the binary (build or build/asan); under ASan the sizes are
smaller, as the sanitizer makes every run slower."""
import json, os, random, subprocess, sys, tempfile, time

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
build = os.environ.get("BUILD", "build")
nerve = os.path.join(root, build, "nerve")
asan = "asan" in build
scale = 10 if asan else 1
tmp = tempfile.mkdtemp(prefix="nerve-bad-")
n = 0


def path(name):
    return os.path.join(tmp, name)


def records(f):
    """The record count and the first and last five records of the output
    file: the test process stays small, so that the peak RSS measured for
    the child (which Linux counts from the fork of this process) is the
    child's own.  JSONL is split on "\\n" only (str.splitlines would also
    split on U+2028)."""
    count, head, tail = 0, [], []
    for line in f:
        if not line.strip():
            continue
        rec = json.loads(line)
        count += 1
        if len(head) < 5:
            head.append(rec)
        else:
            tail = (tail + [rec])[-5:]
    return count, head + tail


class Result:
    pass


def run(args, stdin_path=None, timeout=120):
    """Runs nerve annotate; returns its result, seconds and peak RSS (KB)
    of that child alone (os.wait4)."""
    t0 = time.time()
    with open(stdin_path or os.devnull, "rb") as f, tempfile.TemporaryFile() as out, \
            tempfile.TemporaryFile() as err:
        p = subprocess.Popen([nerve, "annotate", "-q"] + args, stdin=f, stdout=out, stderr=err)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.time() > deadline:
                p.kill()
                os.wait4(p.pid, 0)
                raise subprocess.TimeoutExpired(args, timeout)
            time.sleep(0.02)
        p.returncode = os.waitstatus_to_exitcode(status)
        r = Result()
        r.returncode = p.returncode
        out.seek(0)
        err.seek(0)
        try:
            r.count, r.records = records(out)
            r.bad_output = None
        except ValueError as e:
            r.count, r.records, r.bad_output = 0, [], str(e)
        r.stderr = err.read()
    return r, time.time() - t0, usage.ru_maxrss


def case(name, args, want_records, want_status, check=None, stdin=None, max_rss_mb=400,
         timeout=120):
    global n
    n += 1
    why = []
    try:
        p, secs, rss = run(args, stdin, timeout)
        out = p.records
        if p.bad_output:
            out = None
            why.append("output is not JSONL: %s" % p.bad_output)
        if p.returncode < 0 or p.returncode >= 128:
            why.append("killed by signal or crashed (status %d)" % p.returncode)
        if b"Sanitizer" in p.stderr or b"runtime error" in p.stderr:
            why.append("sanitizer report: %s" % p.stderr[-300:])
        if p.returncode != want_status:
            why.append("exit %d, want %d (%s)" % (p.returncode, want_status, p.stderr[-200:]))
        if out is not None and p.count != want_records:
            why.append("%d records out, want %d" % (p.count, want_records))
        if not asan and rss > max_rss_mb * 1024:
            why.append("peak RSS %.0f MB over %d MB" % (rss / 1024, max_rss_mb))
        if check and out is not None and not why:
            msg = check(out)
            if msg:
                why.append(msg)
    except subprocess.TimeoutExpired:
        why.append("no answer within %d s" % timeout)
    if why:
        print("not ok %d bad/%s: %s" % (n, name, "; ".join(why)))
    else:
        print("ok %d bad/%s" % (n, name))
    sys.stdout.flush()


def write(name, data):
    with open(path(name), "wb") as f:
        f.write(data)
    return path(name)


def jl(docs):
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs).encode("utf-8")


def nonblank_lines(data):
    return sum(1 for l in data.split(b"\n") if l.strip(b" \t\r\n\f\v"))


rng = random.Random(8)

# empty input, whitespace only
case("empty-jsonl", [write("empty.jsonl", b"")], 0, 0)
case("whitespace-jsonl", [write("ws.jsonl", b"  \n\n\t\r\n \n")], 0, 0)
case("whitespace-text", [write("ws.txt", b" \n\t \r\n")], 1, 0,
     check=lambda o: None if o[0]["entities"] == [] and o[0]["sentences"] == [] else "tokens in whitespace")
case("empty-text", [write("empty.txt", b"")], 1, 0)

# binary garbage given as JSONL and as text
garbage = bytes(rng.randrange(256) for _ in range(300000))
g = write("garbage.jsonl", garbage)
case("garbage-jsonl", [g], nonblank_lines(garbage), 3,
     check=lambda o: None if all("error" in r and "input" in r for r in o) else "garbage parsed as a document")
case("garbage-text", [write("garbage.txt", garbage)], 1, 0,
     check=lambda o: None if o[0].get("warnings") else "no warning for the repaired text")

# NUL bytes: escaped in JSON (valid), raw inside a JSON string (invalid), raw in text
nul = (b'{"id":"esc","text":"a\\u0000b NUL."}\n'
       b'{"id":"raw","text":"a\x00b"}\n'
       b'\x00\x00\x00\n')
case("nul-bytes", [write("nul.jsonl", nul)], 3, 3,
     check=lambda o: None if "text" in o[0] and "error" in o[1] and "error" in o[2] else "wrong records")
case("nul-text", [write("nul.txt", b"One\x00two. Three\x00.")], 1, 0)

# invalid, overlong and surrogate UTF-8
bad_utf8 = (b'{"id":"inv","text":"caf\xc3 \xff\xfe ok."}\n'
            b'{"id":"overlong","text":"\xc0\xaf \xe0\x80\xaf slash."}\n'
            b'{"id":"surrogate","text":"\xed\xa0\x80\xed\xb0\x80 pair."}\n'
            b'{"id":"astral-too-big","text":"\xf4\x90\x80\x80 end."}\n')
u = write("utf8.jsonl", bad_utf8)
case("invalid-utf8-repaired", [u], 4, 0,
     check=lambda o: None if all(r.get("warnings") and "\ufffd" in r["text"] for r in o) else "not repaired with a warning")
case("invalid-utf8-strict", ["--strict", u], 4, 3,
     check=lambda o: None if all("error" in r for r in o) else "--strict let invalid UTF-8 through")

# a 100 MB single document: over --max-doc-bytes, an error record; reading
# stays bounded (the record keeps only its first bytes)
big = 100_000_000 // scale
word = b"lorem ipsum dolor sit amet. "
with open(path("big.txt"), "wb") as f:
    for _ in range(big // len(word)):
        f.write(word)
with open(path("big.jsonl"), "wb") as f:
    f.write(b'{"id":"big","text":"')
    for _ in range(big // len(word)):
        f.write(word)
    f.write(b'"}\n{"id":"after","text":"Still read."}\n')
limit = ["--max-doc-bytes", str(big // 2)]
case("100mb-text-over-limit", limit + [path("big.txt")], 1, 3,
     check=lambda o: None if "max-doc-bytes" in o[0]["error"]["message"] else "limit not named")
case("100mb-line-over-limit", limit + [path("big.jsonl")], 2, 3,
     check=lambda o: None if "error" in o[0] and o[1]["id"] == "after" else "wrong records")

# a line of a million tokens without a sentence end: cut, with a warning
with open(path("long.txt"), "wb") as f:
    for i in range(1_000_000 // scale):
        f.write(b"w%d " % (i % 97))
case("million-tokens-one-sentence", [path("long.txt")], 1, 0, timeout=300,
     check=lambda o: None if any("max-sentence-tokens" in w for w in o[0].get("warnings", [])) else "no warning")

# a million tiny documents: one record each, in order, flat memory
tiny = 1_000_000 // scale
with open(path("tiny.jsonl"), "wb") as f:
    for i in range(tiny):
        f.write(b'{"id":"t%d","text":"Doc %d."}\n' % (i, i))
case("million-tiny-documents", ["-j", "2", path("tiny.jsonl")], tiny, 0, timeout=600, max_rss_mb=200,
     check=lambda o: None if o[0]["id"] == "t0" and o[-1]["id"] == "t%d" % (tiny - 1) else "order")

# JSON nested 10^5 deep: an error naming the limit, no stack overflow
deep = b'{"id":"deep","text":"x","m":' + b"[" * 100000 + b"]" * 100000 + b"}\n"
case("json-nested-100000", [write("deep.jsonl", deep)], 1, 3,
     check=lambda o: None if "max-json-depth" in o[0]["error"]["message"] else "limit not named")

# duplicate ids: both documents, in order
case("duplicate-ids", [write("dup.jsonl", jl([{"id": "same", "text": "One."}, {"id": "same", "text": "Two."}]))],
     2, 0, check=lambda o: None if [r["text"] for r in o] == ["One.", "Two."] else "lost a duplicate")

# a 1 MB token: cut at --max-token-bytes, with a warning
case("1mb-token", [write("token.txt", b"A " + b"x" * (1_000_000 // scale) + b" end.")], 1, 0,
     check=lambda o: None if any("max-token-bytes" in w for w in o[0].get("warnings", [])) else "no warning")

# a record whose text is not a string, a non-object line, a missing text
case("wrong-shapes", [write("shapes.jsonl", b'{"id":1,"text":5}\n[1]\n"str"\n{"id":"x"}\nnull\n')], 5, 3)

# output to a closed pipe ends quietly
n += 1
p = subprocess.run("'%s' annotate -q '%s' | head -c 10 >/dev/null; echo ${PIPESTATUS[0]}" % (nerve, path("tiny.jsonl")),
                   shell=True, executable="/bin/bash", capture_output=True, timeout=120)
status = p.stdout.decode().strip()
print(("ok %d bad/closed-pipe" if status == "0" else "not ok %d bad/closed-pipe: status " + status) % n)

import shutil
shutil.rmtree(tmp, ignore_errors=True)
