#!/bin/sh
# Runs every libFuzzer target for SECONDS (default 20) on a copy of its
# seed corpus; fails when a target finds a crash, leak or UB.
secs=${1:-20}
status=0
for bin in build/fuzz/fuzz-*; do
    [ -x "$bin" ] || continue
    name=${bin#build/fuzz/fuzz-}
    work=build/fuzz/work/$name
    rm -rf "$work" && mkdir -p "$work"
    [ -d "tests/fuzz/corpus/$name" ] && cp -r "tests/fuzz/corpus/$name/." "$work/"
    dict=""
    [ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
    echo "fuzz $name for ${secs}s"
    if ! "$bin" $dict -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
        -timeout=10 -print_final_stats=0 -artifact_prefix="build/fuzz/$name-" "$work" \
        >"build/fuzz/$name.log" 2>&1; then
        echo "FAIL fuzz $name: see build/fuzz/$name.log"
        tail -30 "build/fuzz/$name.log"
        status=1
    fi
done
exit $status
