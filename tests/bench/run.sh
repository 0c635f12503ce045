#!/bin/sh
# make bench: figures, printed, not asserted.
#   - a deterministic news-like corpus of BENCH_MB (default 100) MB, made
#     from corpus/ by gen-corpus.py (kept in build/bench/ between runs);
#   - a 1M-entry gazetteer when tests/bench/gen-gazetteer.py exists;
#   - nerve annotate, JSONL in and out, on one thread and on all cores:
#     MB/s of input text, tokens/s, documents/s, peak RSS;
#   - the share of each stage (bench-stages, one thread).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
mb=${BENCH_MB:-100}
dir=$BUILD/bench
mkdir -p "$dir"
corpus=$dir/corpus-${mb}mb.jsonl
[ -s "$corpus" ] || python3 tests/bench/gen-corpus.py "$mb" "$corpus"
text_mb=$(python3 -c "import json,sys
n=t=0
for l in open(sys.argv[1],encoding='utf-8'):
    n+=1; t+=len(json.loads(l)['text'].encode())
print('%.3f %d' % (t/1e6, n))" "$corpus")
set -- $text_mb
mb_text=$1
docs=$2
extra=""
if [ -f tests/bench/gen-gazetteer.py ]; then
    gaz=$dir/gazetteer-1m.gaz
    if [ ! -s "$gaz" ]; then
        python3 tests/bench/gen-gazetteer.py 1000000 "$dir/gazetteer-1m.tsv"
        ./$BUILD/nerve gazetteer compile "$dir/gazetteer-1m.tsv" -o "$gaz"
    fi
    extra="-g $gaz"
fi
cores=$(nproc)
echo "corpus: $corpus ($docs documents, $mb_text MB of text); model: models/en $extra"
for j in 1 "$cores"; do
    /usr/bin/time -f "%e %M" ./$BUILD/nerve annotate -q -j "$j" $extra --stats "$corpus" \
        2>"$dir/stderr-$j" >/dev/null
    python3 - "$j" "$mb_text" "$docs" "$dir/stderr-$j" <<'PY'
import re, sys
j, mb, docs, path = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
lines = open(path).read().splitlines()
secs, rss_kb = lines[-1].split()
secs, rss = float(secs), int(rss_kb) / 1024
tokens = int(re.search(r"(\d+) tokens", "\n".join(lines)).group(1))
stages = [(m.group(1), float(m.group(2))) for m in
          (re.match(r"\s+(\S+)\s+([\d.]+) s$", l) for l in lines) if m and m.group(1) != "wall"]
total = sum(t for _, t in stages) or 1
print("-j %-3s %7.2f s  %7.1f MB/s  %6.2f M tokens/s  %8.0f docs/s  peak RSS %6.1f MB"
      % (j, secs, mb / secs, tokens / secs / 1e6, docs / secs, rss))
print("        share of worker time: " + ", ".join("%s %.0f%%" % (n, 100 * t / total) for n, t in stages))
PY
done
echo "per stage, one thread, documents in memory (bench-stages):"
./$BUILD/bench/bench-stages models/en "$corpus" $extra | sed 's/^/  /'
# the text stages alone over corpus/ itself, repeated to 60 MB: a model
# with normalize, tokenize and sentences only (best of 3 runs)
rep=$dir/corpus-repeated-60mb.jsonl
[ -s "$rep" ] || python3 - "$rep" <<'PY'
import glob, json, sys
docs = []
for path in sorted(glob.glob("corpus/*.jsonl")):
    if "-fr" in path:
        continue
    docs += [json.loads(l) for l in open(path, encoding="utf-8")]
for path in sorted(glob.glob("corpus/*.txt")):
    docs.append({"id": path, "text": open(path, encoding="utf-8").read()})
size, rnd = 0, 0
with open(sys.argv[1], "w", encoding="utf-8") as out:
    while size < 60e6:
        for d in docs:
            out.write(json.dumps({"id": "%s/%d" % (d["id"], rnd), "text": d["text"]}) + "\n")
            size += len(d["text"].encode())
        rnd += 1
PY
tm=$dir/text-model
mkdir -p "$tm"
cp models/en/abbreviations.txt "$tm/"
python3 - "$tm" <<'PY'
import json, sys
m = json.load(open("models/en/model.json"))
keep = ("name", "version", "language", "normalize", "tokenize", "sentences")
m = {k: v for k, v in m.items() if k in keep}
m["stages"] = ["normalize", "tokenize", "sentences"]
json.dump(m, open(sys.argv[1] + "/model.json", "w"))
PY
echo "tokenize + sentences, one thread, corpus/ (English) repeated to 60 MB, best of 3:"
for i in 1 2 3; do ./$BUILD/bench/bench-stages "$tm" "$rep"; done | awk '
    /documents,/ { mb = $3 }
    $1 == "tokenize" { t[++nt] = $2 } $1 == "sentences" { s[++ns] = $2 }
    END { best = 1e9; for (i = 1; i <= nt; i++) if (t[i] + s[i] < best) { best = t[i] + s[i]; bt = t[i]; bs = s[i] }
          printf "  tokenize %.3f s + sentences %.3f s = %.1f MB/s\n", bt, bs, mb / best }'
if [ -f tests/bench/gazetteer.sh ] && [ "${BENCH_GAZETTEER:-1}" = 1 ]; then
    echo "gazetteer: compile, load and lookup (tests/bench/gazetteer.sh):"
    NERVE_BENCH_DIR=$dir/gaz sh tests/bench/gazetteer.sh 1000000 | sed 's/^/  /'
fi
