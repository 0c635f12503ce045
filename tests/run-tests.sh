#!/bin/sh
# Runs every unit test binary (GTest, TAP output) and every golden case,
# and ends with the line "N passed, N failed".  BUILD names the build
# directory (build, or build/asan for make check).
BUILD=${BUILD:-build}
pass=0
fail=0
failed_names=""
for t in "$BUILD"/tests/test-*; do
    [ -x "$t" ] || continue
    out=$("$t" --tap -k 2>&1)
    status=$?
    p=$(printf '%s\n' "$out" | grep -c '^ok ')
    f=$(printf '%s\n' "$out" | grep -c '^not ok ')
    plan=$(printf '%s\n' "$out" | sed -n 's/^1\.\.\([0-9]*\).*/\1/p' | head -1)
    if [ "$status" -ne 0 ]; then
        # an assertion aborted the binary: the cases it did not reach fail too
        missing=$(( ${plan:-0} - p - f ))
        [ "$missing" -lt 1 ] && missing=1
        f=$((f + missing))
        printf '%s\n' "$out" | grep -E 'ERROR|Bail out|Sanitizer' | head -5 | sed "s|^|$(basename "$t"): |"
    fi
    printf '%s\n' "$out" | grep '^not ok ' | sed "s|^|$(basename "$t"): |"
    pass=$((pass + p))
    fail=$((fail + f))
    [ "$f" -gt 0 ] && failed_names="$failed_names $(basename "$t")"
done
# script suites: tests/<suite>/run.sh, run.py or check.sh print "ok N name" /
# "not ok N name" (golden end-to-end cases, the bad-input battery, interrupted
# runs, sharding, the default model's quality floor)
for suite in tests/*/run.sh tests/*/run.py tests/*/check.sh; do
    [ -f "$suite" ] || continue
    name=$(basename "$(dirname "$suite")")
    case $name in bench | fuzz | html) continue ;; esac
    case $suite in
    *.py) out=$(BUILD=$BUILD python3 "$suite" 2>&1) ;;
    *) out=$(BUILD=$BUILD sh "$suite" 2>&1) ;;
    esac
    p=$(printf '%s\n' "$out" | grep -c '^ok ')
    f=$(printf '%s\n' "$out" | grep -c '^not ok ')
    # a suite that printed nothing to count has failed before its checks
    [ $((p + f)) -eq 0 ] && f=1 && printf '%s\n' "$out" | tail -5
    printf '%s\n' "$out" | grep -v '^ok '
    pass=$((pass + p))
    fail=$((fail + f))
    [ "$f" -gt 0 ] && failed_names="$failed_names $name"
done
[ -n "$failed_names" ] && echo "failing:$failed_names"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
