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
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # crashed or aborted outside a test case
        printf '%s\n' "$out" | tail -20
    fi
    printf '%s\n' "$out" | grep '^not ok ' | sed "s|^|$(basename "$t"): |"
    pass=$((pass + p))
    fail=$((fail + f))
    [ "$f" -gt 0 ] && failed_names="$failed_names $(basename "$t")"
done
# golden end-to-end cases
if [ -x tests/golden/run.sh ]; then
    out=$(BUILD=$BUILD tests/golden/run.sh 2>&1)
    p=$(printf '%s\n' "$out" | grep -c '^ok ')
    f=$(printf '%s\n' "$out" | grep -c '^not ok ')
    printf '%s\n' "$out" | grep -v '^ok '
    pass=$((pass + p))
    fail=$((fail + f))
    [ "$f" -gt 0 ] && failed_names="$failed_names golden"
fi
[ -n "$failed_names" ] && echo "failing:$failed_names"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
