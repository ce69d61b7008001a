#!/usr/bin/env bash
# Picture the Word appendix (tzcheck report … -o 附录.docx) as LibreOffice prints it, to check by eye that Table 三's
# merged header, the captions, the widths and the A4 pages come out right.
#
# Usage: docs/word-screenshot.sh INPUTS OUTDIR [YEAR]
#   writes OUTDIR/word-cover.png (page 1: the title and what the appendix was made from) and OUTDIR/word-table3.png
#   (the page of 附表3, Table 三 of the national format, landscape).
# The docs' pictures: docs/word-screenshot.sh sample_lists docs 2018
#
# Needs tzcheck on PATH, LibreOffice Writer and poppler: apt-get install libreoffice-writer poppler-utils fonts-noto-cjk
set -euo pipefail

if [ "$#" -lt 2 ] || [ "$#" -gt 3 ]; then
    echo "usage: $0 INPUTS OUTDIR [YEAR]" >&2
    exit 2
fi
INPUTS=$1
OUTDIR=$2
YEAR=${3:-2018}

for tool in tzcheck soffice pdftoppm pdftotext; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$0: $tool is not installed (apt-get install libreoffice-writer poppler-utils; pip install -e .)" >&2
        exit 1
    fi
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

tzcheck report "$INPUTS" --year "$YEAR" -q -o "$WORK/appendix.docx"
soffice --headless -env:UserInstallation="file://$WORK/profile" --convert-to pdf --outdir "$WORK" \
    "$WORK/appendix.docx" >/dev/null
PAGES=$(pdfinfo "$WORK/appendix.pdf" | awk '/^Pages:/ {print $2}')
TABLE3=""
for page in $(seq 1 "$PAGES"); do
    if pdftotext -f "$page" -l "$page" "$WORK/appendix.pdf" - | grep -q "^附表 *3 *依"; then
        TABLE3=$page
        break
    fi
done
if [ -z "$TABLE3" ]; then
    echo "$0: no page of the appendix starts 附表3" >&2
    exit 1
fi
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$WORK/appendix.pdf" "$OUTDIR/word-cover"
pdftoppm -png -r 110 -f "$TABLE3" -l "$TABLE3" -singlefile "$WORK/appendix.pdf" "$OUTDIR/word-table3"
echo "$OUTDIR/word-cover.png $OUTDIR/word-table3.png"
