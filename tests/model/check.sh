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
# and it does note them, on stderr, with exit status 0: a rule file with a
# value the tokenizer splits and a rule tried at every token (a negation first)
tmp=$(mktemp -d)
printf 'rule a\n  entity X\n  pattern "x" [lower=re-elected]\n\nrule b\n  entity Y\n  pattern [!lower=the] [is=digit]\n' >"$tmp/n.rules"
got=$(cd "$root" && "$BUILD/nerve" check "$tmp/n.rules" 2>&1 >/dev/null)
status=$?
want="$tmp/n.rules:3:22: note: 're-elected' is 3 tokens to the tokenizer, so lower= never matches it: write the phrase \"re-elected\" outside [ ]
$tmp/n.rules:5: note: rule b is tried at every token: its first step names no word, shape, entity or class that rules tokens out, and it needs no word of the sentence"
# its summary counts the model's own rule files and rules, then the FILE's
summary=$(cd "$root" && "$BUILD/nerve" check "$tmp/n.rules" 2>/dev/null)
files=$(cd "$root" && python3 -c "import json; m = json.load(open('models/en/model.json'))
print(len(m['rules']) + len(m.get('event_rules', [])))")
rules=$(cd "$root" && cat models/en/rules/*.rules | grep -c '^rule ')
case "$summary" in
"OK: model en "*": $files rule files with $rules rules; checked: 1 rule file with 2 rules, 0 lists") ;;
*) status="summary: $summary" ;;
esac
if [ "$status" = 0 ] && [ "$got" = "$want" ]; then
    echo "ok model/check-notes"
else
    echo "not ok model/check-notes (status $status)"
    printf '%s\n' "$got" | sed 's/^/# /'
fi
rm -rf "$tmp"
