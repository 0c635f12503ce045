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
if [ -f tests/bench/gazetteer.sh ] && [ "${BENCH_GAZETTEER:-1}" = 1 ]; then
    echo "gazetteer: compile, load and lookup (tests/bench/gazetteer.sh):"
    NERVE_BENCH_DIR=$dir/gaz sh tests/bench/gazetteer.sh 1000000 | sed 's/^/  /'
fi
