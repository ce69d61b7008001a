#!/usr/bin/env bash
# Screenshot an annotated copy (tzcheck audit F.xlsx -o F-checked.xlsx) as LibreOffice prints it, to check by eye
# that the findings sheet wraps its text, colours its rows by severity and fits A4 landscape, and that the cells at
# fault are coloured on their own sheet.
#
# Usage: docs/copy-screenshot.sh WORKBOOK.xlsx OUTDIR [SHEET_TEXT]
#   writes OUTDIR/copy-findings.png (the findings sheet's first page) and, with SHEET_TEXT (a text found only on
#   one sheet, e.g. a header), OUTDIR/copy-sheet.png (the top half of that sheet's page).
# The docs' pictures: docs/copy-screenshot.sh sample_lists/区民政局-2018.xlsx docs 受理编号
#
# Needs tzcheck on PATH (its Python, with openpyxl and pillow, as $PYTHON or python3), LibreOffice and poppler:
#   apt-get install libreoffice-calc poppler-utils fonts-noto-cjk
# For the picture only, a scratch copy of the annotated copy has every sheet set to print one page wide (the agency's
# own sheets are laid out for the screen, and would print on many pages); the copy tzcheck writes keeps the agency's
# print settings. Comments are not printed: hover a cell in Excel, WPS or LibreOffice to read its note.
set -euo pipefail

if [ "$#" -lt 2 ] || [ "$#" -gt 3 ]; then
    echo "usage: $0 WORKBOOK.xlsx OUTDIR [SHEET_TEXT]" >&2
    exit 2
fi
WORKBOOK=$1
OUTDIR=$2
SHEET_TEXT=${3:-}
PYTHON=${PYTHON:-python3}

for tool in tzcheck soffice pdftoppm pdftotext; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$0: $tool is not installed (apt-get install libreoffice-calc poppler-utils; pip install -e .)" >&2
        exit 1
    fi
done
if [ ! -f "$WORKBOOK" ]; then
    echo "$0: no such workbook: $WORKBOOK" >&2
    exit 1
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# exit 1 means findings, which is what a copy is for; 2 is a real failure
tzcheck audit "$WORKBOOK" --as-of 2018-12-31 -q --format concise -o "$WORK/copy.xlsx" >/dev/null || [ "$?" -eq 1 ]
"$PYTHON" - "$WORK/copy.xlsx" <<'EOF'
import sys

import openpyxl

book = openpyxl.load_workbook(sys.argv[1])
for ws in book.worksheets:
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.page_setup.orientation = "landscape"
book.save(sys.argv[1])
EOF
# a profile of its own, so that a LibreOffice already running elsewhere is neither used nor disturbed
soffice -env:UserInstallation="file://$WORK/profile" --headless --convert-to pdf --outdir "$WORK" "$WORK/copy.xlsx" \
    >/dev/null 2>&1
if [ ! -s "$WORK/copy.pdf" ]; then
    echo "$0: LibreOffice wrote no PDF" >&2
    exit 1
fi

mkdir -p "$OUTDIR"
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$WORK/copy.pdf" "$OUTDIR/copy-findings"
echo "$OUTDIR/copy-findings.png"
if [ -n "$SHEET_TEXT" ]; then
    pages=$(pdfinfo "$WORK/copy.pdf" | awk '/^Pages:/ {print $2}')
    for page in $(seq 2 "$pages"); do
        if pdftotext -f "$page" -l "$page" "$WORK/copy.pdf" - | grep -qF "$SHEET_TEXT"; then
            # the top half of the page: an agency's sheet one page wide is short, the rest is blank paper
            pdftoppm -png -r 80 -f "$page" -l "$page" -x 0 -y 0 -W 935 -H 330 -singlefile "$WORK/copy.pdf" \
                "$OUTDIR/copy-sheet"
            echo "$OUTDIR/copy-sheet.png"
            exit 0
        fi
    done
    echo "$0: no page holds “$SHEET_TEXT”" >&2
    exit 1
fi
