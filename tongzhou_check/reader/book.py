"""A file read and recognised: `read_book`, the reader's one entry point."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tongzhou_check.dutymap import AgencyMatch
from tongzhou_check.model import SheetResult
from tongzhou_check.packtypes import Pack
from tongzhou_check.reader.layout import Recogniser
from tongzhou_check.reader.limits import DEFAULT_LIMITS, Limits
from tongzhou_check.reader.opening import ReadError
from tongzhou_check.reader.sheet import SheetData, build_sheet
from tongzhou_check.reader.workbook import RawSheet, read_workbook
from tongzhou_check.text import column_letter, squash


@dataclass(frozen=True)
class Workbook:
    """One file as read: its recognised sheets, the sheets with cells but no kind, and every sheet as listed."""

    path: Path
    error: ReadError | None
    sheets: tuple[SheetData, ...] = ()
    unrecognised: tuple[RawSheet, ...] = ()
    sheet_count: int = 0
    listing: tuple[SheetResult, ...] = ()
    agency: AgencyMatch | None = None  # whose workbook it is, once the engine has identified it


def read_book(path: Path, pack: Pack, recogniser: Recogniser | None = None,
              limits: Limits = DEFAULT_LIMITS) -> Workbook:
    """Read and recognise every sheet of a file; an unreadable file (or one past the limits) is a Workbook with its
    error."""
    recogniser = recogniser or Recogniser(pack)
    try:
        raws = read_workbook(path, limits)
    except ReadError as exc:
        return Workbook(path, exc)
    sheets: list[SheetData] = []
    unrecognised: list[RawSheet] = []
    listing: list[SheetResult] = []
    raws.reverse()
    while raws:
        raw = raws.pop()  # a sheet's cells are freed once its records are columns
        has_cells = any(any(v != "" for v in row) for row in raw.rows)
        tables = recogniser.tables(raw) if has_cells else []
        if not tables:
            # an empty sheet (Excel's spare Sheet2) or an instructions sheet (填报说明) is listed, not reported
            if has_cells and squash(raw.name).upper() not in pack.reading.instructions_sheets:
                unrecognised.append(raw)
            listing.append(SheetResult(raw.name, None, None, 0, raw.hidden))
            continue
        for layout in tables:  # stacked tables of other headers: one entry each, under the sheet's name
            sheet = build_sheet(raw, layout, pack.reading)
            sheets.append(sheet)
            unused = tuple((column_letter(c), header) for c, header in layout.unused)
            listing.append(SheetResult(raw.name, sheet.kind.key, sheet.header_row, len(sheet.rows), raw.hidden,
                                       unused))
    return Workbook(path, None, tuple(sheets), tuple(unrecognised), len(raws), tuple(listing))
