"""Read a workbook file into raw grids: every sheet's cells at their Excel positions, with merged ranges."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, islice, repeat
from operator import length_hint
from pathlib import Path
from typing import Any, overload

import numpy as np
import python_calamine as calamine

from tongzhou_check.reader.limits import DEFAULT_LIMITS, LimitExceeded, Limits
from tongzhou_check.reader.opening import ReadError, calamine_errors, give_back, head_of, limit_error, open_book
from tongzhou_check.text import HEADER_MAX, are_texts, may_start_header, visible


@dataclass(frozen=True)
class RawSheet:
    """One sheet: grid[0] is Excel row 1 and grid[r, 0] column A (a 2-D object array, "" where a cell is empty);
    merges are 0-based inclusive (r0, c0, r1, c1). Readers slice the grid; whoever writes into a slice copies it
    first."""

    name: str
    index: int
    grid: np.ndarray
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: bool = False

    @classmethod
    def of_rows(cls, name: str, index: int, rows: Sequence[Sequence[Any]], **rest: Any) -> RawSheet:
        """A sheet from lists of cells (short rows padded with "")."""
        return cls(name, index, _grid(rows), **rest)

    @property
    def rows(self) -> Rows:
        """The grid's rows as lists, each made when asked for."""
        return Rows(self.grid)

    @cached_property
    def _texts(self) -> dict[int, ColumnTexts]:
        return {}

    def headers_where(self, column: int, firsts: frozenset[str], test: Callable[[str], bool], start: int = 0,
                      end: int | None = None) -> np.ndarray:
        """Which cells of a column (rows start:end) may be header text (`text.may_be_header` with `firsts`) and
        pass `test`. The column's short texts are found once."""
        if column not in self._texts:
            self._texts[column] = ColumnTexts.of(self.grid[:, column])
        return self._texts[column].where(firsts, test, start, end)


@dataclass(frozen=True)
class ColumnTexts:
    """The cells of a column that are texts short enough to be a header (1..HEADER_MAX characters, not only
    spaces): where they are, and the code point of each one's first character (after spaces)."""

    cells: np.ndarray
    rows: np.ndarray
    points: np.ndarray

    @classmethod
    def of(cls, cells: np.ndarray) -> ColumnTexts:
        # one pass over the cells: a text's length, -1 for a number or a date (which have none)
        lengths = np.fromiter(map(length_hint, cells.tolist(), repeat(-1)), dtype=np.int64, count=len(cells))
        rows = np.flatnonzero((lengths > 0) & (lengths <= HEADER_MAX))
        short = cells[rows].tolist()
        texts = are_texts(short)
        if not texts.all():  # something else that has a length
            rows, short = rows[texts], cells[rows[texts]].tolist()
        points = first_characters(short, lengths[rows])
        some = points >= 0  # not only spaces
        return cls(cells, rows[some].astype(np.int32), points[some].astype(np.int32))

    @cached_property
    def first_points(self) -> np.ndarray:
        """The distinct first characters."""
        return np.unique(self.points)

    def where(self, firsts: frozenset[str], test: Callable[[str], bool], start: int = 0,
              end: int | None = None) -> np.ndarray:
        """Which cells of rows start:end are texts whose first character may start a header and that pass `test`
        (run once per distinct text that may)."""
        span = range(len(self.cells))[start:end]
        found = np.zeros(len(span), dtype=bool)
        starting = [p for p in self.first_points.tolist() if may_start_header(chr(p), firsts)]
        rows = self.rows[(self.rows >= span.start) & (self.rows < span.stop) & np.isin(self.points, starting)]
        texts = self.cells[rows].tolist()
        passing = frozenset(filter(test, set(texts)))
        if passing:
            found[rows[np.fromiter(map(passing.__contains__, texts), dtype=bool, count=len(texts))] - span.start] = True
        return found


_SPACE = np.zeros(sys.maxunicode + 1, dtype=bool)  # by code point: whether str.isspace() holds
_SPACE[[c for c in range(0x3001) if chr(c).isspace()]] = True  # (none is past U+3000)


def first_characters(texts: list[str], lengths: np.ndarray | None = None) -> np.ndarray:
    """Each text's first character after leading spaces, as a code point (-1: none), read from the texts joined
    and encoded at four bytes a character: a CJK character would be a new object for every text. `lengths`: the
    texts' own, if known."""
    if lengths is None:
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    joined = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    points = np.full(len(texts), -1, dtype=np.int64)
    some = lengths > 0
    points[some] = joined[(np.cumsum(lengths) - lengths)[some]]
    for i in np.flatnonzero(_SPACE[points.clip(0)] & some).tolist():  # the few that start with a space
        text = texts[i].lstrip()
        points[i] = ord(text[0]) if text else -1
    return points


def read_workbook(path: Path, limits: Limits = DEFAULT_LIMITS) -> list[RawSheet]:
    """All sheets of a workbook, in workbook order. Raises ReadError; never modifies the file."""
    if path.suffix.lower() == ".csv":
        head_of(path)
        if path.stat().st_size > limits.max_uncompressed:
            raise limit_error(LimitExceeded("too_large", size=path.stat().st_size, limit=limits.max_uncompressed))
        return [_read_csv(path)]
    opened = open_book(path, limits)
    with calamine_errors():
        sheets = [_read_sheet(sheet, index, meta) for index, meta, sheet in opened.sheets]
    if opened.ahead:
        del opened  # calamine's cells, parsed in another thread
        give_back()
    return sheets


def _read_sheet(sheet: calamine.CalamineSheet, index: int, meta: Any) -> RawSheet:
    grid = _cells(sheet) if sheet.height else np.empty((0, 0), dtype=object)
    merges = _within(grid, [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])])
    hidden = str(meta.visible).rsplit(".", 1)[-1].lower() != "visible"
    return RawSheet(name=visible(meta.name), index=index, grid=grid, merges=merges, hidden=hidden)


def _within(grid: np.ndarray, merges: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Merged ranges cut to the cells the sheet holds: a blank merged signature row below the last value (or a
    range past the last column) has no cells to fill, and one starting past them is dropped."""
    height, width = grid.shape
    return [(r0, c0, min(r1, height - 1), min(c1, width - 1)) for r0, c0, r1, c1 in merges
            if r0 < height and c0 < width and r0 <= r1 and c0 <= c1]


class Rows(Sequence[list[Any]]):
    """A grid's rows as lists (what code reading a sheet's top rows wants), each made when asked for."""

    def __init__(self, grid: np.ndarray) -> None:
        self._grid = grid

    def __len__(self) -> int:
        return len(self._grid)

    @overload
    def __getitem__(self, index: int) -> list[Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[list[Any]]: ...
    def __getitem__(self, index: int | slice) -> list[Any] | list[list[Any]]:
        return self._grid[index].tolist()

    def __iter__(self) -> Iterator[list[Any]]:
        return (row.tolist() for row in self._grid)


def _grid(rows: Sequence[Sequence[Any]]) -> np.ndarray:
    """Rows of cells as one 2-D object array, short rows padded with ""."""
    width = max((len(r) for r in rows), default=0)
    if all(len(r) == width for r in rows) and width:  # (fromiter: twice as fast as np.array of the lists)
        return np.fromiter(chain.from_iterable(rows), dtype=object, count=len(rows) * width).reshape(len(rows), width)
    return np.array([[*r, *[""] * (width - len(r))] for r in rows], dtype=object).reshape(len(rows), width)


SHARED_TEXT = 16  # text cells this short (units, channels, categories: they repeat) are kept once per sheet
# dates and times repeat too (a year's log has a few hundred days), and none equals a value of another type
# (numbers are not kept once: True == 1 == 1.0)
SHARED_TYPES = frozenset({dt.datetime, dt.date, dt.time, dt.timedelta})
BLOCK = 4096  # rows turned into the grid at a time: only this many row lists exist at once


class _Shared(dict):
    """Short texts and dates, each kept once: looking a cell up gives the first equal value seen (a lookup in C);
    a value seen for the first time is kept if it is one of those, and given back as it is."""

    def __missing__(self, value: Any) -> Any:
        if _shareable(value):
            self[value] = value
        return value


def _shareable(value: Any) -> bool:
    return (value.__class__ is str and len(value) <= SHARED_TEXT) or value.__class__ in SHARED_TYPES


def _cells(sheet: calamine.CalamineSheet) -> np.ndarray:
    """The sheet's cells from A1 (what `to_python(skip_empty_area=False)` gives) as one 2-D object array, filled a
    block of rows at a time, each short text and each date kept once however often it repeats: a big sheet's
    memory is mostly its cells, and calamine makes a new object for every cell."""
    offset = sheet.start[1] if sheet.start else 0  # the rows start at row 1, the columns at the first in use
    grid = np.empty((sheet.end[0] + 1 if sheet.end else 0, offset + sheet.width), dtype=object)
    lookup = _Shared().__getitem__
    done, rows = 0, sheet.iter_rows()
    while chunk := list(islice(rows, BLOCK)):
        block = _grid([[""] * offset + row for row in chunk] if offset else chunk)
        for c in range(offset, block.shape[1]):
            column = block[:, c]
            if any(map(_shareable, column[:8].tolist())):  # a block of long texts or numbers: nothing to share
                block[:, c] = list(map(lookup, column.tolist()))
        if block.shape[1] != grid.shape[1] or done + len(block) > len(grid):  # not the range calamine claimed
            grid = _grid([*grid[:done].tolist(), *block.tolist(), *map(list, rows)])
            return grid
        grid[done:done + len(block)] = block
        done += len(block)
    return grid[:done]


def _read_csv(path: Path) -> RawSheet:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReadError("encoding")
    if "\x00" in text:
        raise ReadError("not_workbook", "binary data in a .csv file")
    try:
        rows: list[list[Any]] = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ReadError("corrupt", str(exc)) from None
    return RawSheet.of_rows(visible(path.stem), 0, rows)
