#!/bin/sh
# Golden end-to-end cases: each directory under tests/golden/ holds
#   args      the nerve command line (one line; @DIR@ is the case directory,
#             @ROOT@ the source tree)
#   stdin     optional standard input
#   expected  the expected standard output, reviewed by eye
#   status    optional expected exit status (default 0)
# Prints "ok N name" or "not ok N name" per case.  With --update the
# expected files are rewritten: review the diff before committing.
# WRAP runs the binary under a tool (make leakcheck: valgrind).
BUILD=${BUILD:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/$BUILD/nerve"
update=0
[ "$1" = "--update" ] && update=1
n=0
for dir in "$root"/tests/golden/*/; do
    [ -f "$dir/args" ] || continue
    n=$((n + 1))
    name=$(basename "$dir")
    args=$(sed -e "s|@DIR@|${dir%/}|g" -e "s|@ROOT@|$root|g" "$dir/args")
    want_status=0
    [ -f "$dir/status" ] && want_status=$(cat "$dir/status")
    out=$(mktemp)
    if [ -f "$dir/stdin" ]; then
        (cd "$root" && eval "${WRAP:-} \"$bin\" $args" <"$dir/stdin" >"$out" 2>"$out.err")
    else
        (cd "$root" && eval "${WRAP:-} \"$bin\" $args" </dev/null >"$out" 2>"$out.err")
    fi
    status=$?
    if [ $update = 1 ]; then
        cp "$out" "$dir/expected"
        [ "$status" != 0 ] && echo "$status" >"$dir/status"
    fi
    if [ "$status" = "$want_status" ] && cmp -s "$out" "$dir/expected"; then
        echo "ok $n $name"
    else
        echo "not ok $n $name (status $status, want $want_status)"
        diff "$dir/expected" "$out" | head -10
        [ "$status" = 99 ] && head -30 "$out.err"
    fi
    rm -f "$out" "$out.err"
done
