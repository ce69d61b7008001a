#!/usr/bin/env bash
# Screenshot an HTML appendix (tzcheck report) in headless Chromium, to check by eye that the Chinese text renders,
# the merged header cells line up and the bar charts are drawn.
#
# Usage: docs/report-screenshot.sh REPORT.html OUT.png [HEIGHT]   (HEIGHT in px, default 2400)
#
# Needs Debian's Chromium and a CJK font: apt-get install chromium fonts-noto-cjk
# Networking is switched off as far as Chromium's flags allow; the page is self-contained and needs none.
# The profile is a fresh temporary directory, removed afterwards. The top 1400xHEIGHT px are captured.
set -euo pipefail

if [ "$#" -lt 2 ] || [ "$#" -gt 3 ]; then
    echo "usage: $0 REPORT.html OUT.png [HEIGHT]" >&2
    exit 2
fi
REPORT=$1
OUT=$2
HEIGHT=${3:-2400}

if ! command -v chromium >/dev/null 2>&1; then
    echo "$0: chromium is not installed; install it with: apt-get install chromium fonts-noto-cjk" >&2
    exit 1
fi
if [ ! -f "$REPORT" ]; then
    echo "$0: no such report: $REPORT" >&2
    exit 1
fi

PROFILE="$(mktemp -d)"
trap 'rm -rf "$PROFILE"' EXIT

chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$PROFILE" --window-size=1400,"$HEIGHT" \
    --screenshot="$OUT" "file://$(realpath "$REPORT")"

if [ ! -s "$OUT" ]; then
    echo "$0: chromium wrote no screenshot to $OUT" >&2
    exit 1
fi
echo "$OUT"
