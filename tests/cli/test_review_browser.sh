#!/usr/bin/env bash
# The pictures of a design review in a real browser: headless Chromium (from
# Debian) renders the SVG sequence chart of `lmc check --svg` and the HTML of
# `lmc review`; each gets a screenshot, the page's DOM after rendering is
# checked for its sections and its fault-by-phase entries, and the browser's
# console log for errors. Skipped (exit 77) without Chromium.
set -u
lmc=${1:?usage: test_review_browser.sh path/to/lmc}
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]]; then
  echo "skipped: no chromium on PATH (Debian: apt-get install chromium; scripts/setup.sh does it)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=helpers.sh
source "$(dirname "$0")/helpers.sh"

# Headless, as root in CI (no sandbox), with a profile of its own.
render() {
  timeout 120 "$browser" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
    --user-data-dir="$work/profile" --enable-logging=stderr --v=0 "$@" 2>>"$work/browser.log"
}

# screenshot FILE WIDTH,HEIGHT: a PNG of the page, at least 10 kB of picture.
screenshot() {
  local png="$work/$(basename "$1").png"
  render --window-size="$2" --screenshot="$png" "file://$1" >/dev/null
  if [[ -s $png ]] && [[ $(head -c 8 "$png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] &&
    (($(stat -c %s "$png") > 10000)); then
    passes=$((passes + 1))
  else
    echo "FAIL: no screenshot of $(basename "$1") ($(stat -c %s "$png" 2>/dev/null || echo 0) bytes)"
    failures=$((failures + 1))
  fi
}

expect 1 "check --svg of a counterexample" -- \
  "$lmc" check --mutant skip_final_copy --svg "$work/cx.svg" -q
contains "$work/cx.svg" "I5_memory_integrity violated" "the chart ends with the verdict"
contains "$work/cx.svg" "VMS2450" "console lines are on the chart"
screenshot "$work/cx.svg" 1300,1000

expect 0 "review of the default preset" -- \
  "$lmc" review --preset default -o "$work/review.html" --json "$work/review.json" -q
screenshot "$work/review.html" 1280,2400

expect 0 "review --svg draws the catalogue" -- \
  "$lmc" review --preset default -q -o "$work/r2.html" --svg "$work/catalogue.svg"
contains "$work/catalogue.svg" "aborted: the network broke" "the catalogue picture names outcomes"
screenshot "$work/catalogue.svg" 1000,500

expect 1 "migrate --svg --plot of an aborted LM" -- "$lmc" migrate --virtual-clock -q \
  --fault link@copy --svg "$work/migrate.svg" --plot "$work/precopy.svg"
contains "$work/migrate.svg" "fault: ISL-E link 1 cut" "the chart marks the fault"
contains "$work/migrate.svg" "result: \$AE" "the chart ends with the result"
contains "$work/precopy.svg" "target 300 ms" "the plot draws the downtime target"
screenshot "$work/migrate.svg" 1300,900
screenshot "$work/precopy.svg" 780,800

expect 0 "bench transfer --plot" -- "$lmc" bench transfer --size 16MiB --repeat 1 --no-grid \
  --plot "$work/bench.svg"
contains "$work/bench.svg" "optimized loop" "the bench plot has the loops"
screenshot "$work/bench.svg" 780,560

render --dump-dom "file://$work/review.html" >"$work/dom.html"
if python3 - "$work/dom.html" "$work/review.json" <<'PY'; then
import html.parser, json, sys

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.cells, self.links, self.svgs, self.witnesses = set(), [], [], 0, 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a: self.ids.add(a["id"])
        if tag == "td" and "cell" in a.get("class", "").split(): self.cells.append(a.get("data-verdict", ""))
        if tag == "a" and a.get("href", "").startswith("#w-"): self.links.append(a["href"][1:])
        if tag == "svg": self.svgs += 1
        if tag == "details" and a.get("class") == "witness": self.witnesses += 1

page = Page()
page.feed(open(sys.argv[1], encoding="utf-8").read())
review = json.load(open(sys.argv[2]))
problems = []
for section in ["configuration", "catalogue", "witnesses", "properties", "counterexamples", "coverage"]:
    if section not in page.ids: problems.append(f"no section '{section}' in the rendered page")
if len(page.cells) != 24: problems.append(f"{len(page.cells)} fault x phase entries, expected 6 x 4 = 24")
if any(not v for v in page.cells): problems.append("an entry without a verdict")
for link in page.links:
    if link not in page.ids: problems.append(f"link to a missing witness {link}")
if page.witnesses != len(set(page.links)) or page.svgs < page.witnesses:
    problems.append(f"{page.witnesses} witnesses, {len(set(page.links))} linked, {page.svgs} charts")
outcomes = sum(len(c["outcomes"]) for c in review["cells"])
if outcomes != page.witnesses: problems.append(f"the JSON has {outcomes} outcomes, the page {page.witnesses}")
for p in problems: print("FAIL:", p)
print(f"rendered page: {len(page.cells)} entries, {page.witnesses} witnesses, {page.svgs} charts")
sys.exit(1 if problems else 0)
PY
  passes=$((passes + 1))
else
  failures=$((failures + 1))
fi
# The page has no script; an error on the browser's console would mean a
# broken document (or a script that crept in).
if grep -E "Uncaught|CONSOLE\(.*\)\] .*[Ee]rror" "$work/browser.log"; then
  echo "FAIL: the browser reported errors on the console"
  failures=$((failures + 1))
else
  passes=$((passes + 1))
fi
lacks "$work/review.html" "<script" "the review has no script"
# Nothing is fetched: no src= at all, no link or style import to another host.
if grep -Eq '(src=|href="(https?:)?//|@import|url\((https?:)?//)' "$work/review.html"; then
  echo "FAIL: the review refers to something outside the file"
  failures=$((failures + 1))
else
  passes=$((passes + 1))
fi

echo "review in the browser: $passes passed, $failures failed"
((failures == 0))
