#!/usr/bin/env bash
# Picture the HTML pages as a person sees them, in Debian's headless Chromium: the audit report of the samples
# (tzcheck audit -o report.html), the report of a clean workbook, and the page of the printed appendix (tzcheck
# report -o appendix.html, printed to A4 PDF by Chromium) that holds Table 三.
#
# Usage: docs/html-screenshots.sh OUTDIR        (run from the repository's root)
#   writes OUTDIR/html-report.png, OUTDIR/html-clean.png and OUTDIR/html-appendix-print.png
# The docs' pictures: docs/html-screenshots.sh docs
#
# Needs tzcheck on PATH, Chromium, poppler and a CJK font: apt-get install chromium poppler-utils fonts-noto-cjk
# Networking is switched off as far as Chromium's flags allow; the pages are self-contained and need none. Each run
# uses a fresh temporary profile, removed afterwards.
set -euo pipefail

if [ "$#" -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
OUTDIR=$1

for tool in tzcheck chromium pdftoppm pdftotext pdfinfo; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$0: $tool is not installed (apt-get install chromium poppler-utils fonts-noto-cjk; pip install -e .)" >&2
        exit 1
    fi
done
if [ ! -d sample_lists ]; then
    echo "$0: run it from the repository's root (no sample_lists/ here)" >&2
    exit 1
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

browse() {  # browse PAGE WIDTH,HEIGHT FLAG...: one headless Chromium run with its own profile
    local page=$1 size=$2
    shift 2
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --user-data-dir="$WORK/profile" --window-size="$size" \
        --hide-scrollbars "$@" "file://$page" 2>/dev/null
}

# exit 1 is expected: two of the samples hold deliberate violations
tzcheck audit sample_lists/ --as-of 2018-12-31 -q -o "$WORK/report.html" >/dev/null || true
tzcheck audit sample_lists/区教委-2018.xlsx --as-of 2018-12-31 -q -o "$WORK/clean.html" >/dev/null
tzcheck report sample_lists/ --year 2018 -q -o "$WORK/appendix.html"

browse "$WORK/report.html" 1280,1100 --screenshot="$OUTDIR/html-report.png"
browse "$WORK/clean.html" 1280,360 --screenshot="$OUTDIR/html-clean.png"
browse "$WORK/appendix.html" 1280,1000 --print-to-pdf="$WORK/appendix.pdf" --no-pdf-header-footer

PAGES=$(pdfinfo "$WORK/appendix.pdf" | awk '/^Pages:/ {print $2}')
TABLE3=""
for page in $(seq 1 "$PAGES"); do
    if pdftotext -f "$page" -l "$page" "$WORK/appendix.pdf" - | grep -q "^附表3 依申请公开办理情况"; then
        TABLE3=$page
        break
    fi
done
if [ -z "$TABLE3" ]; then
    echo "$0: no printed page holds 附表3" >&2
    exit 1
fi
pdftoppm -png -r 100 -f "$TABLE3" -l "$TABLE3" -singlefile "$WORK/appendix.pdf" "$OUTDIR/html-appendix-print"
for png in html-report html-clean html-appendix-print; do
    if [ ! -s "$OUTDIR/$png.png" ]; then
        echo "$0: no picture written: $OUTDIR/$png.png" >&2
        exit 1
    fi
done
echo "$OUTDIR/html-report.png $OUTDIR/html-clean.png $OUTDIR/html-appendix-print.png (附表3 on page $TABLE3 of $PAGES)"
