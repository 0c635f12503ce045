#!/bin/sh
# The default model's quality floor (tests/model/check.py) and the gold
# files' span check (tests/gold/check.py); ok / not ok lines.
root=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
export BUILD
(cd "$root" && python3 tests/gold/check.py tests/gold/dev.jsonl tests/gold/heldout.jsonl) |
    sed 's/^\(ok\|not ok\) [0-9]* /\1 gold-spans /'
python3 "$root/tests/model/check.py"
