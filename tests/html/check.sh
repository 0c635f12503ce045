#!/bin/sh
# tests/html/check.sh - looks at the HTML writer's page as a user would:
# renders it in headless Chromium (Debian's chromium, installed with
# apt-get when missing and running as root), takes a screenshot
# (tests/out/html.png) and checks the rendered DOM:
#  - the legend's counts equal the highlighted entities of each label;
#  - every document section is there, with its events listed;
#  - nothing refers to the network (no http(s) URL, script, link, src=).
# The page is tests/out/formats.html, made by the unit test
# /formats/html (build/tests/test-formats).  Ends with "N passed, N failed".
set -u
BUILD=${BUILD:-build}
OUT=tests/out
PAGE=$OUT/formats.html
mkdir -p "$OUT"
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; }

if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing chromium"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends chromium fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji) >/dev/null 2>&1
    fi
fi
if ! command -v chromium >/dev/null 2>&1; then
    echo "chromium is not installed (apt-get install chromium)"
    echo "0 passed, 1 failed"
    exit 1
fi

rm -f "$PAGE" "$OUT/html.png" "$OUT/html.dom"
"$BUILD/tests/test-formats" -p /formats/html >/dev/null 2>&1 || bad "the unit test that writes the page"
[ -s "$PAGE" ] || { bad "no page at $PAGE"; echo "$pass passed, $fail failed"; exit 1; }

profile=$(mktemp -d)
flags="--headless --no-sandbox --disable-gpu --disable-background-networking \
--disable-component-update --disable-sync --no-first-run --user-data-dir=$profile"
url="file://$(pwd)/$PAGE"
# shellcheck disable=SC2086
timeout 120 chromium $flags --screenshot="$OUT/html.png" --window-size=1200,900 "$url" \
    >/dev/null 2>&1
# shellcheck disable=SC2086
timeout 120 chromium $flags --dump-dom "$url" >"$OUT/html.dom" 2>/dev/null
rm -rf "$profile"

size=$(wc -c <"$OUT/html.png" 2>/dev/null || echo 0)
[ "$size" -gt 20000 ] && ok "screenshot $OUT/html.png ($size bytes)" || bad "screenshot missing or blank ($size bytes)"
[ -s "$OUT/html.dom" ] && ok "DOM dumped" || bad "no DOM from chromium"

python3 - "$OUT/html.dom" "$PAGE" >"$OUT/html.checks" 2>&1 <<'PY'
import re, sys
from html.parser import HTMLParser

dom = open(sys.argv[1], encoding="utf-8").read()
src = open(sys.argv[2], encoding="utf-8").read()

class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.marks, self.legend, self.sections, self.events, self.urls = {}, {}, 0, 0, []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k, v in attrs:
            if v and re.match(r"\s*(https?:)?//", v):
                self.urls.append((tag, k, v))
            if k in ("src", "srcset"):
                self.urls.append((tag, k, v))
        if tag in ("script", "link", "iframe", "img", "object", "embed"):
            self.urls.append((tag, "", ""))
        cls = a.get("class", "").split()
        if tag == "mark" and "ent" in cls:
            self.marks[a["data-label"]] = self.marks.get(a["data-label"], 0) + 1
        if tag == "li" and "label" in cls:
            self.legend[a["data-label"]] = int(a["data-count"])
        if tag == "section" and "doc" in cls:
            self.sections += 1
        if tag == "ol" and "events" in cls:
            self.events += 1

p = P()
p.feed(dom)
res = []
res.append((p.legend == p.marks and len(p.legend) > 3,
            "legend counts %s equal the highlighted entities %s" % (p.legend, p.marks)))
res.append((p.sections == 3, "3 document sections rendered (%d)" % p.sections))
res.append((p.events == 1, "the events of document 1 are listed (%d lists)" % p.events))
res.append((not p.urls and "http" not in src and "url(" not in src, "no network resource: %s" % p.urls[:3]))
res.append(("&lt;b&gt;" in src and "<h2>ex/2 <b>" not in dom, "document ids are escaped"))
for good, what in res:
    print(("ok - " if good else "not ok - ") + what)
PY
cat "$OUT/html.checks"
pass=$((pass + $(grep -c '^ok - ' "$OUT/html.checks")))
fail=$((fail + $(grep -c '^not ok - ' "$OUT/html.checks")))
grep -q '^ok - \|^not ok - ' "$OUT/html.checks" || { bad "the DOM checks did not run"; }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
