"""What a workbook may cost to read, checked before calamine sees it.

calamine trusts a file's own claims: a sheet claiming cells at A1 and XFD1048576 makes it allocate the dense
16,384 × 1,048,576 range, a `sharedStrings.xml` claiming 2,147,483,647 strings a vector of that many, and a small
zip may inflate to gigabytes — each aborts the process, which no `except` catches. So the claims are checked first,
cheaply: the zip directory's declared sizes and ratios, each sheet's cell references (a big sheet's `<dimension>`),
the shared-string count against the part's size. A file past a limit is unreadable (TZ001) with
the limit named; `--max-cells` and `--max-uncompressed` change the limits.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tongzhou_check.text import column_letter

MAX_CELLS = 20_000_000  # 2.5× a 1,000,000-row, 8-column log: ~1.5 GB of memory to read (docs/benchmark.md)
MAX_UNCOMPRESSED = 4 << 30  # 4 GiB of XML: 2.5× a 1,000,000-row log as Excel writes it (~1.6 GiB; openpyxl ~0.6)
BOMB_RATIO = 200  # real sheets compress 5–30×; a part this much smaller than it inflates to is a zip bomb
BOMB_FLOOR = 32 << 20  # … once it inflates past 32 MiB (small parts of any ratio are harmless)
_PREFIX = 64 << 10  # the start of a sheet part, where Excel, WPS, LibreOffice and openpyxl write <dimension>
SCAN_BELOW = 256 << 10  # a sheet part smaller than this has its cells' references read (≤ 5 ms), whatever its
# <dimension> says (a small file that lies about it is the cheap attack); a bigger one is taken at its <dimension>,
# or left to calamine without one (a liar then reaches calamine, and only the worker per file contains it)
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?"')
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')  # a cell's reference (a row's r= holds digits only)
_COUNT = re.compile(rb'<(?:\w+:)?sst\b[^>]*?\buniqueCount="(\d+)"')
_MIN_STRING = 8  # bytes of the smallest shared string, `<si><t/>` + `</si>`


@dataclass(frozen=True)
class Limits:
    max_cells: int = MAX_CELLS  # cells in one sheet's range (rows × columns as calamine lays them out)
    max_uncompressed: int = MAX_UNCOMPRESSED  # bytes: all parts of a workbook inflated, or a CSV file


DEFAULT_LIMITS = Limits()


class LimitExceeded(Exception):
    """A claim past a limit; `reason` is a key of opening.REASONS and `params` fill its text."""

    def __init__(self, reason: str, **params: object) -> None:
        self.reason, self.params = reason, params
        super().__init__(f"{reason}: {params}")


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _span(first_col: bytes, first_row: bytes, last_col: bytes | None, last_row: bytes | None) -> int:
    if last_col is None or last_row is None:
        return 1
    rows = abs(int(last_row) - int(first_row)) + 1
    return rows * (abs(_column(last_col) - _column(first_col)) + 1)


def _scanned_span(book: zipfile.ZipFile, name: str) -> tuple[int, str]:
    """The range of the cells a (small) sheet holds: read through, keeping the extremes."""
    rows, cols = [1 << 30, 0], [1 << 30, 0]
    tail = b""
    with book.open(name) as part:
        while chunk := part.read(1 << 20):
            data = tail + chunk
            for col, row in _CELL_REF.findall(data):
                c, r = _column(col), int(row)
                rows[0], rows[1] = min(rows[0], r), max(rows[1], r)
                cols[0], cols[1] = min(cols[0], c), max(cols[1], c)
            tail = data[-64:]
    if not rows[1]:
        return 0, ""
    shape = f"{column_letter(cols[0] - 1)}{rows[0]}:{column_letter(cols[1] - 1)}{rows[1]}"
    return (rows[1] - rows[0] + 1) * (cols[1] - cols[0] + 1), shape


def check_zip(path: Path, limits: Limits) -> None:
    """Raise LimitExceeded when an OOXML/ODS package claims more than the limits; a bad zip is left to calamine."""
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with book:
        infos = book.infolist()
        total = sum(info.file_size for info in infos)
        if total > limits.max_uncompressed:
            raise LimitExceeded("too_large", size=total, limit=limits.max_uncompressed)
        for info in infos:
            if info.file_size > BOMB_FLOOR and info.file_size > BOMB_RATIO * max(info.compress_size, 1):
                raise LimitExceeded("zip_bomb", part=info.filename, size=info.file_size,
                                    packed=info.compress_size)
        for info in infos:
            name = info.filename
            if name == "xl/sharedStrings.xml":
                with book.open(info) as part:
                    found = _COUNT.search(part.read(4096))
                claimed = int(found.group(1)) if found else 0
                if claimed > info.file_size // _MIN_STRING + 16 or claimed > limits.max_cells:
                    raise LimitExceeded("string_count", count=claimed, size=info.file_size)
            elif name.endswith(".xml"):  # a sheet wherever the relationships put it
                _check_sheet(book, info, limits)


def _check_sheet(book: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    with book.open(info) as part:
        prefix = part.read(_PREFIX)
    if b"sheetData" not in prefix and b"<worksheet" not in prefix and b":worksheet" not in prefix:
        return
    found = _DIMENSION.search(prefix)
    if info.file_size < SCAN_BELOW:
        cells, shape = _scanned_span(book, info.filename)
    elif found:
        cells, shape = _span(*found.groups()), found.group(0).split(b'"')[1].decode("ascii")
    else:  # a big sheet without <dimension> (openpyxl's write-only mode): reading it through would cost a second
        return
    if cells > limits.max_cells:
        raise LimitExceeded("too_many_cells", range=shape, cells=cells, limit=limits.max_cells)
