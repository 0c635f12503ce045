#!/bin/sh
# Sharded runs give the same annotations as one run: GNU parallel --pipe
# with several jobs (nerve as a stateless filter, one record in, one out),
# and --shard K/N over the whole input for every K.  Results are compared
# sorted by id.  Prints "ok N name" / "not ok N name".
BUILD=${BUILD:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
nerve="$root/$BUILD/nerve"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the corpus four times over, with unique ids
python3 - "$root/corpus/wikinews-en.jsonl" "$tmp/in.jsonl" <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for k in range(4):
        for d in docs:
            d = dict(d, id="%s/%d" % (d["id"], k))
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
PY
sort_by_id() {
    python3 -c '
import json, sys
recs = [l for l in sys.stdin if l.strip()]
recs.sort(key=lambda l: json.loads(l)["id"])
sys.stdout.write("".join(recs))'
}
"$nerve" annotate -q -j 1 "$tmp/in.jsonl" | sort_by_id >"$tmp/single"
n=0
n=$((n + 1))
if ! command -v parallel >/dev/null 2>&1; then
    echo "not ok $n shard/gnu-parallel: GNU parallel is not installed (make deps installs it)"
else
    parallel --pipe --block 200k -j 3 --will-cite "$nerve" annotate -q -j 1 <"$tmp/in.jsonl" \
        | sort_by_id >"$tmp/parallel"
    if cmp -s "$tmp/single" "$tmp/parallel" && [ -s "$tmp/single" ]; then
        echo "ok $n shard/gnu-parallel"
    else
        echo "not ok $n shard/gnu-parallel: results differ from a single run"
    fi
fi
n=$((n + 1))
: >"$tmp/shards"
for k in 1 2 3; do
    "$nerve" annotate -q -j 2 --shard "$k/3" "$tmp/in.jsonl" >>"$tmp/shards"
done
sort_by_id <"$tmp/shards" >"$tmp/shards.sorted"
if cmp -s "$tmp/single" "$tmp/shards.sorted"; then
    echo "ok $n shard/shard-k-of-n"
else
    echo "not ok $n shard/shard-k-of-n: the shards together differ from a single run"
fi
