#!/bin/sh
# The default model's quality floor (tests/model/check.py) and the gold
# files' span check (tests/gold/check.py); ok / not ok lines.
root=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
export BUILD
(cd "$root" && python3 tests/gold/check.py tests/gold/dev.jsonl tests/gold/heldout.jsonl) |
    sed 's/^\(ok\|not ok\) [0-9]* /\1 gold-spans /'
python3 "$root/tests/model/check.py"
# nerve check has no note on the default model's rules: no rule is tried
# at every token of every sentence (it would cost time in proportion to
# the text, as a regular expression alternative in the quantity rule once
# did: +22% instructions) and no value can never match (a word the
# tokenizer splits, as "re-elected" was in ten places)
notes=$(cd "$root" && "$BUILD/nerve" check -m models/en 2>&1 >/dev/null)
if [ -z "$notes" ]; then
    echo "ok model/rules-notes"
else
    echo "not ok model/rules-notes"
    printf '%s\n' "$notes" | sed 's/^/# /'
fi
