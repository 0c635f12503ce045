#!/bin/sh
# Gazetteer figures (not a unit test; timings vary with the machine):
# compile time and peak RSS, .gaz load time, lookup speed on one thread,
# and the run-time cost of -g FILE.gaz on a tiny input.
#
#   tests/bench/gazetteer.sh [N...]      (default N: 1000000; run after make)
#
# Lists are made by gen-gazetteer.py (deterministic made-up names); work
# files go to $NERVE_BENCH_DIR (default /tmp/nerve-bench-gaz).
set -e
BUILD=${BUILD:-build}
W=${NERVE_BENCH_DIR:-/tmp/nerve-bench-gaz}
mkdir -p "$W"
PKGS="glib-2.0 gio-2.0 gio-unix-2.0 icu-uc icu-i18n jansson libxml-2.0"
cc -std=c11 -O2 -Iinclude -D_GNU_SOURCE $(pkg-config --cflags $PKGS) -o "$W/bench-gazetteer" \
    tests/bench/bench-gazetteer.c "$BUILD/libnerve.a" $(pkg-config --libs $PKGS) -lm -lpthread
for n in ${*:-1000000}; do
    echo "== $n entries"
    [ -f "$W/$n.tsv" ] || python3 tests/bench/gen-gazetteer.py "$n" "$W/$n.tsv"
    # documents with names of this list: one per 12 filler words, one per 40
    [ -f "$W/$n-dense.jsonl" ] || python3 tests/bench/gen-gazetteer.py 0 "$W/$n.tsv" \
        --text "$W/$n-dense.jsonl" --docs 5000
    [ -f "$W/$n-sparse.jsonl" ] || python3 tests/bench/gen-gazetteer.py 0 "$W/$n.tsv" \
        --text "$W/$n-sparse.jsonl" --docs 5000 --every 40
    /usr/bin/time -v "$BUILD/nerve" gazetteer compile "$W/$n.tsv" -o "$W/$n.gaz" 2>"$W/time.txt"
    grep "^nerve:" "$W/time.txt"
    grep -E "Maximum resident|Elapsed" "$W/time.txt" | sed 's/^\s*/  /'
    echo "dense text:"
    NERVE_MODEL=$(pwd)/models/en "$W/bench-gazetteer" "$W/$n.gaz" "$W/$n-dense.jsonl" 3
    echo "sparse text:"
    NERVE_MODEL=$(pwd)/models/en "$W/bench-gazetteer" "$W/$n.gaz" "$W/$n-sparse.jsonl" 3 | grep lookup
    python3 - "$BUILD/nerve" "$W/$n.gaz" <<'PY'
import subprocess, sys, time
nerve, gaz = sys.argv[1], sys.argv[2]
doc = b'{"id": "t", "text": "A tiny input about Lyon."}\n'
def best(args):
    t = []
    for _ in range(7):
        a = time.perf_counter()
        subprocess.run([nerve, "annotate", "--threads=1"] + args + ["-"], input=doc, check=True,
                       capture_output=True)
        t.append(time.perf_counter() - a)
    return min(t)
base, with_gaz = best([]), best(["-g", gaz])
print("tiny input: %.3f s without, %.3f s with -g: +%.3f s" % (base, with_gaz, with_gaz - base))
PY
done
