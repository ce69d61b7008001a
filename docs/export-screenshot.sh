#!/usr/bin/env bash
# Screenshot the findings export (tzcheck audit DIR -o F.xlsx) as LibreOffice prints it, to check by eye that the
# header is bold on grey, the 级别 cells are coloured by severity, the columns fit their text, and that the 文件 sheet
# lists every workbook, a clean one too.
#
# Usage: docs/export-screenshot.sh DIR OUTDIR
#   writes OUTDIR/export-findings.png (the top left of the findings sheet) and OUTDIR/export-files.png (the 文件 sheet)
# The docs' pictures, from the repository's root: docs/export-screenshot.sh sample_lists/ docs
#
# Needs tzcheck on PATH (its Python, with openpyxl, as $PYTHON or python3), LibreOffice's Calc and poppler:
#   apt-get install libreoffice-calc-nogui poppler-utils fonts-noto-cjk
# For the picture only, a scratch copy of the export has every sheet set to print one page wide; the export tzcheck
# writes is for a screen and its filters, printed one column range a page.
set -euo pipefail

if [ "$#" -ne 2 ]; then
    echo "usage: $0 DIR OUTDIR" >&2
    exit 2
fi
INPUT=$1
OUTDIR=$2
PYTHON=${PYTHON:-python3}

for tool in tzcheck soffice pdftoppm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$0: $tool is not installed (apt-get install libreoffice-calc-nogui poppler-utils; pip install -e .)" >&2
        exit 1
    fi
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# exit 1 means findings, which is what an export lists; 2 is a real failure
tzcheck audit "$INPUT" --as-of 2018-12-31 -q --format concise -o "$WORK/export.xlsx" >/dev/null || [ "$?" -eq 1 ]
"$PYTHON" - "$WORK/export.xlsx" <<'PY'
import sys

import openpyxl

book = openpyxl.load_workbook(sys.argv[1])
for ws in book.worksheets:
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
book.save(sys.argv[1])
PY
# a profile of its own, so that a LibreOffice already running elsewhere is neither used nor disturbed
soffice -env:UserInstallation="file://$WORK/profile" --headless --convert-to pdf --outdir "$WORK" "$WORK/export.xlsx" \
    >/dev/null 2>&1
if [ ! -s "$WORK/export.pdf" ]; then
    echo "$0: LibreOffice wrote no PDF" >&2
    exit 1
fi

mkdir -p "$OUTDIR"
pages=$(pdfinfo "$WORK/export.pdf" | awk '/^Pages:/ {print $2}')
# A4 landscape at 200 dpi is 2339 × 1654 pixels: the findings sheet's first columns and rows, then the 文件 sheet
pdftoppm -png -r 200 -f 1 -l 1 -x 110 -y 150 -W 1550 -H 560 -singlefile "$WORK/export.pdf" "$OUTDIR/export-findings"
echo "$OUTDIR/export-findings.png"
pdftoppm -png -r 200 -f "$pages" -l "$pages" -x 110 -y 150 -W 2120 -H 170 -singlefile "$WORK/export.pdf" \
    "$OUTDIR/export-files"
echo "$OUTDIR/export-files.png"
