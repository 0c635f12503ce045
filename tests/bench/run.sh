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
    out=$(/usr/bin/time -f "%e %M" ./$BUILD/nerve annotate -q -j "$j" $extra --stats "$corpus" \
          2>"$dir/stderr-$j" >/dev/null; tail -1 "$dir/stderr-$j")
    set -- $(tail -1 "$dir/stderr-$j")
    secs=$1
    rss=$2
    tokens=$(./$BUILD/nerve annotate -q -j "$j" $extra --tokens "$corpus" 2>/dev/null | head -200 \
             | python3 -c "import json,sys
n=t=0
for l in sys.stdin:
    d=json.loads(l); n+=len(d.get('tokens',[])); t+=len(d['text'].encode())
print(n/t if t else 0)")
    python3 - "$j" "$secs" "$rss" "$mb_text" "$docs" "$tokens" <<'PY'
import sys
j, secs, rss, mb, docs, tok_per_byte = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
print("-j %-3s %7.2f s  %7.1f MB/s  %6.2f M tokens/s  %8.0f docs/s  peak RSS %6.1f MB"
      % (j, secs, mb / secs, mb * 1e6 * tok_per_byte / secs / 1e6, docs / secs, rss / 1024))
PY
    grep -E "^  " "$dir/stderr-$j" | sed 's/^/        /'
done
echo "per stage, one thread, documents in memory (bench-stages):"
./$BUILD/bench/bench-stages models/en "$corpus" $extra | sed 's/^/  /'
