"""Read a workbook file into raw grids: every sheet's cells at their Excel positions, with merged ranges."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import python_calamine as calamine
from defusedxml import DefusedXmlException, ElementTree

from tongzhou_check.reader.limits import DEFAULT_LIMITS, LimitExceeded, Limits, check_zip
from tongzhou_check.text import HEADER_MAX, may_start_header, visible

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
SUFFIXES = (*EXCEL_SUFFIXES, ".csv")

OWN_SHEET = "_tzcheck_findings"  # a hidden defined name: the sheet it refers to is tzcheck's own (annotate.py)
_SHEET_OF = re.compile(r"^=?(?:'((?:[^']|'')+)'|([^'!]+))!")  # the sheet a defined name refers to
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class RawSheet:
    """One sheet: rows[0] is Excel row 1 and rows[r][0] column A; merges are 0-based inclusive (r0, c0, r1, c1)."""

    name: str
    index: int
    rows: list[list[Any]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: bool = False

    @cached_property
    def grid(self) -> np.ndarray:
        """The cells as one 2-D object array (short rows padded with ""), made once for every reader of columns.
        Readers slice it; whoever writes into a slice copies it first."""
        width = max((len(r) for r in self.rows), default=0)
        if any(len(r) != width for r in self.rows):
            return np.array([r + [""] * (width - len(r)) for r in self.rows], dtype=object).reshape(-1, width)
        return np.array(self.rows, dtype=object).reshape(len(self.rows), width)

    @cached_property
    def _distinct(self) -> dict[int, DistinctCells]:
        return {}

    def headers_where(self, column: int, firsts: frozenset[str], test: Callable[[str], bool], start: int = 0,
                      end: int | None = None) -> np.ndarray:
        """Which cells of a column (rows start:end) may be header text (`text.may_be_header` with `firsts`) and
        pass `test`. The column's distinct values are found once and their first characters once; `test` runs
        only on the values whose first character may start a header."""
        if column not in self._distinct:
            self._distinct[column] = DistinctCells.of(self.grid[:, column])
        return self._distinct[column].where(firsts, test)[start:end]


@dataclass(frozen=True)
class DistinctCells:
    """A column factorised, with the first character of each distinct text short enough to be a header."""

    codes: np.ndarray  # per cell, its distinct value
    uniques: np.ndarray
    short: np.ndarray  # the distinct values that are texts of 1..HEADER_MAX characters, not only spaces
    first_codes: np.ndarray  # per short value, its first character (after spaces) among `first_points`
    first_points: np.ndarray  # code points

    @classmethod
    def of(cls, cells: np.ndarray) -> DistinctCells:
        # a dict, not pd.factorize: pandas' string hashing leaves a UTF-8 copy inside every distinct text (30 MB
        # for a hundred thousand paragraphs), and it is no faster
        index: dict[Any, int] = {}
        put = index.setdefault
        codes = np.fromiter((put(v, len(index)) for v in cells.tolist()), dtype=np.int32, count=len(cells))
        uniques = np.empty(len(index), dtype=object)
        uniques[:] = list(index)
        short = np.flatnonzero(np.fromiter((u.__class__ is str and 0 < len(u) <= HEADER_MAX for u in uniques),
                                           dtype=bool, count=len(uniques)))
        stripped = list(map(str.lstrip, uniques[short]))  # the same objects, unless they start with spaces
        texts = np.fromiter(map(bool, stripped), dtype=bool, count=len(stripped))
        short = short[texts]
        # code points, not one-character strings: a CJK character would be a new object for every value
        points = np.fromiter(map(ord, map(itemgetter(0), compress(stripped, texts))), dtype=np.int64,
                             count=len(short))
        first_points, first_codes = np.unique(points, return_inverse=True)
        return cls(codes, uniques, short, first_codes, first_points)

    def where(self, firsts: frozenset[str], test: Callable[[str], bool]) -> np.ndarray:
        starts = np.fromiter((may_start_header(chr(p), firsts) for p in self.first_points), dtype=bool,
                             count=len(self.first_points))
        candidates = self.short[starts[self.first_codes]]
        passed = np.zeros(len(self.uniques), dtype=bool)
        passed[candidates] = [test(u) for u in self.uniques[candidates]]
        return passed[self.codes]


class ReadError(Exception):
    """The file cannot be opened as a workbook; `reason` is a key of REASONS."""

    def __init__(self, reason: str, detail: str = "", params: dict[str, object] | None = None) -> None:
        self.reason, self.detail, self.params = reason, detail, params or {}
        super().__init__(f"{reason}: {detail}" if detail else reason)

    def texts(self) -> tuple[str, str]:
        """Why, in Chinese and in English."""
        zh, en = REASONS[self.reason]
        return zh.format(**self.params), en.format(**self.params)


REASONS = {
    "empty": ("文件为空(0字节)", "the file is empty (0 bytes)"),
    "encrypted": ("文件设有打开密码(已加密)", "the file is password-protected (encrypted)"),
    "not_workbook": ("文件不是 Excel 工作簿(格式不符)", "the file is not an Excel workbook (wrong format)"),
    "corrupt": ("文件已损坏,无法解析", "the file is corrupt and cannot be parsed"),
    "encoding": ("CSV 文件编码无法识别(应为 UTF-8 或 GB18030)", "the CSV encoding is neither UTF-8 nor GB18030"),
    "unsupported": ("不支持的文件类型", "unsupported file type"),
    "io": ("文件无法打开", "the file cannot be opened"),
    # where it was sent to be audited (a cluster's worker), the file's audit never ended:
    "crashed": ("检查此文件的进程异常终止(文件可能过大或结构异常)",
                "the process auditing this file died (the file may be too large or malformed)"),
    "internal": ("检查此文件时发生内部错误", "an internal error stopped the audit of this file"),
    # past a reading limit (limits.py): the file claims more than a workbook of disclosure records can hold
    "too_large": ("解压后共 {size},超过上限 {limit}(--max-uncompressed)", "it inflates to {size}, past the limit of "
                  "{limit} (--max-uncompressed)"),
    "zip_bomb": ("压缩包中的 {part} 由 {packed} 解压为 {size},压缩比异常(疑似压缩炸弹)",
                 "{part} inflates from {packed} to {size}: a zip bomb"),
    "too_many_cells": ("工作表范围 {range} 含 {cells} 个单元格,超过上限 {limit}(--max-cells)",
                       "a sheet's range {range} holds {cells} cells, past the limit of {limit} (--max-cells)"),
    "string_count": ("共享字符串表声明 {count} 个字符串,与其大小 {size} 不符", "the shared-string table claims "
                     "{count} strings in {size}"),
}


def _size(n: int) -> str:
    return f"{n / (1 << 20):,.1f} MiB" if n >= 1 << 20 else f"{n:,} B"


def _limit_error(exc: LimitExceeded) -> ReadError:
    params = {k: _size(v) if k in ("size", "limit", "packed") and exc.reason != "too_many_cells" else
              (f"{v:,}" if isinstance(v, int) else v) for k, v in exc.params.items()}
    return ReadError(exc.reason, str(exc), params)


def read_workbook(path: Path, limits: Limits = DEFAULT_LIMITS) -> list[RawSheet]:
    """All sheets of a workbook, in workbook order. Raises ReadError; never modifies the file."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ReadError("io", exc.strerror or str(exc)) from None
    if not head:
        raise ReadError("empty")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if path.stat().st_size > limits.max_uncompressed:
            raise _limit_error(LimitExceeded("too_large", size=path.stat().st_size, limit=limits.max_uncompressed))
        return [_read_csv(path)]
    if suffix not in EXCEL_SUFFIXES:
        raise ReadError("unsupported", suffix)
    if head.startswith(_OLE_MAGIC) and suffix != ".xls" and _is_encrypted_ole(path):
        raise ReadError("encrypted")
    if suffix in (".xlsx", ".xlsm", ".xlsb", ".ods") and not head.startswith(_ZIP_MAGIC):
        raise ReadError("not_workbook")
    if head.startswith(_ZIP_MAGIC):
        try:
            check_zip(path, limits)
        except LimitExceeded as exc:
            raise _limit_error(exc) from None
    try:
        own = own_sheets(path) if head.startswith(_ZIP_MAGIC) else frozenset()
        book = calamine.CalamineWorkbook.from_path(str(path))
        return [_read_sheet(book, i, meta) for i, meta in enumerate(book.sheets_metadata) if meta.name not in own]
    except calamine.PasswordError:
        raise ReadError("encrypted") from None
    except (calamine.CalamineError, ValueError, TypeError, OverflowError, OSError) as exc:
        raise ReadError("corrupt", str(exc)[:200]) from None
    except BaseException as exc:  # a Rust panic in calamine (pyo3's PanicException derives from BaseException)
        if type(exc).__name__ != "PanicException":
            raise
        raise ReadError("corrupt", f"calamine: {str(exc)[:200]}") from None


def own_sheets(path: Path) -> frozenset[str]:
    """The sheets tzcheck wrote itself: an annotated copy's findings sheet, marked by the defined name OWN_SHEET
    (which follows the sheet when a clerk renames it). Not the agency's records, so never audited."""
    try:
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except (KeyError, OSError, zipfile.BadZipFile, ElementTree.ParseError, DefusedXmlException):
        return frozenset()  # calamine then says what is wrong with the file
    names = (node.text or "" for node in root.iter() if node.tag.endswith("}definedName")
             and node.get("name") == OWN_SHEET)
    found = (_SHEET_OF.match(name.strip()) for name in names)
    return frozenset((m[1] or "").replace("''", "'") or m[2] for m in found if m)


def _is_encrypted_ole(path: Path) -> bool:
    """An OOXML file saved with a password is an OLE container holding an EncryptionInfo stream."""
    with path.open("rb") as fh:
        data = fh.read(1 << 20)
    return "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data


def _read_sheet(book: calamine.CalamineWorkbook, index: int, meta: Any) -> RawSheet:
    sheet = book.get_sheet_by_index(index)
    rows = _cells(sheet) if sheet.height else []
    merges = _within(rows, [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])])
    hidden = str(meta.visible).rsplit(".", 1)[-1].lower() != "visible"
    return RawSheet(name=visible(meta.name), index=index, rows=rows, merges=merges, hidden=hidden)


def _within(rows: list[list[Any]], merges: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Merged ranges cut to the cells the sheet holds: a blank merged signature row below the last value (or a
    range past the last column) has no cells to fill, and one starting past them is dropped."""
    height, width = len(rows), max((len(r) for r in rows), default=0)
    return [(r0, c0, min(r1, height - 1), min(c1, width - 1)) for r0, c0, r1, c1 in merges
            if r0 < height and c0 < width and r0 <= r1 and c0 <= c1]


SHARED_TEXT = 16  # text cells this short (units, channels, categories: they repeat) are kept once per sheet
# dates and times repeat too (a year's log has a few hundred days), and none equals a value of another type
# (numbers are not kept once: True == 1 == 1.0)
SHARED_TYPES = frozenset({dt.datetime, dt.date, dt.time, dt.timedelta})


def _cells(sheet: calamine.CalamineSheet) -> list[list[Any]]:
    """The sheet's cells from A1 (what `to_python(skip_empty_area=False)` gives), row by row, each short text and
    each date kept once however often it repeats: a big sheet's memory is mostly its cells, and calamine makes a
    new object for every cell."""
    shared: dict[Any, Any] = {}
    keep = shared.setdefault
    pad = [""] * sheet.start[1] if sheet.start else []  # the rows start at row 1, the columns at the first in use
    return [pad + [keep(v, v) if (v.__class__ is str and len(v) <= SHARED_TEXT) or v.__class__ in SHARED_TYPES
                   else v for v in row]
            for row in sheet.iter_rows()]


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
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return RawSheet(name=visible(path.stem), index=0, rows=rows)
