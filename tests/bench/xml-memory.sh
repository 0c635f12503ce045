#!/bin/sh
# xml-memory.sh - peak memory of --from xml on a small and a large
# generated corpus, plain and gzipped: it must not grow with the corpus
# (DESIGN.md, Streaming).  Not a unit test: it takes a minute or two.
#
#   sh tests/bench/xml-memory.sh [LARGE_DOCS]     (default 100000: about 200 MB)
#
# Prints one line per run (file, size, documents, seconds, peak RSS) and
# fails when the large corpus needs more than 1.5 x the small one's peak
# plus 16 MB.  BIN overrides the binary (default build/nerve).
set -eu
BIN=${BIN:-build/nerve}
LARGE=${1:-100000}
[ -x "$BIN" ] || { echo "xml-memory: $BIN not found (run make)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "xml-memory: needs /usr/bin/time (GNU time)" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/nerve-xml-bench-XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

python3 - "$dir" "$LARGE" <<'PY'
import random, sys
d, large = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
words = ("the minister said on Tuesday that talks in Geneva would resume next week after "
         "officials from France Japan and Brazil met in Paris and London to discuss trade "
         "tariffs energy prices and a new agreement on fishing rights").split()
def para():
    return " ".join(rng.choice(words) for _ in range(55)).capitalize() + "."
def write(path, n):
    with open(path, "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<corpus source="bench">\n')
        for i in range(n):
            f.write('<doc id="d%07d" date="2023-%02d-%02d"><title>Report %d</title><body>'
                    % (i, i % 12 + 1, i % 28 + 1, i))
            for _ in range(6):
                f.write("<p>%s</p>" % para())
            f.write("</body></doc>\n")
        f.write("</corpus>\n")
write(d + "/small.xml", 1000)
write(d + "/large.xml", large)
PY
gzip -k -1 "$dir/large.xml"

peak() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }
run() {
    f=$1
    /usr/bin/time -v "$BIN" annotate -q --from xml --xpath-doc //doc --xpath-text ./body \
        --xpath-id @id --xpath-meta title=title "$f" >"$dir/out.jsonl" 2>"$dir/time.txt"
    kb=$(peak "$dir/time.txt")
    secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time.txt")
    docs=$(wc -l <"$dir/out.jsonl")
    mb=$(du -m "$f" | cut -f1)
    printf '%-14s %6s MB %8s docs %10s  peak RSS %7s KB\n' "$(basename "$f")" "$mb" "$docs" "$secs" "$kb"
    eval "peak_$2=$kb"
}
run "$dir/small.xml" small
run "$dir/large.xml" large
run "$dir/large.xml.gz" gz
limit=$((peak_small * 3 / 2 + 16384))
if [ "$peak_large" -gt "$limit" ] || [ "$peak_gz" -gt "$limit" ]; then
    echo "xml-memory: FAIL: peak RSS grows with the corpus (limit $limit KB)"
    exit 1
fi
echo "xml-memory: ok (peak RSS flat: limit $limit KB)"
