"""Opening a workbook file: the checks before calamine sees it, then calamine's parse of every sheet — started
ahead, in a thread, when the command line names the workbook.

calamine parses a sheet without holding the GIL, so a parse started as the process begins runs on another core
while Python imports the rest of the checker (about half a second, a fifth of reading a 100,000-row log). Only
the standard library, the limits and python-calamine are imported here, so that the parse starts at once.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import threading
import zipfile
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine as calamine
from defusedxml import DefusedXmlException, ElementTree

from tongzhou_check.reader.limits import DEFAULT_LIMITS, LimitExceeded, Limits, check_zip

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
SUFFIXES = (*EXCEL_SUFFIXES, ".csv")

OWN_SHEET = "_tzcheck_findings"  # a hidden defined name: the sheet it refers to is tzcheck's own (annotate.py)
_SHEET_OF = re.compile(r"^=?(?:'((?:[^']|'')+)'|([^'!]+))!")  # the sheet a defined name refers to
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


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


def limit_error(exc: LimitExceeded) -> ReadError:
    params = {k: _size(v) if k in ("size", "limit", "packed") and exc.reason != "too_many_cells" else
              (f"{v:,}" if isinstance(v, int) else v) for k, v in exc.params.items()}
    return ReadError(exc.reason, str(exc), params)


def head_of(path: Path) -> bytes:
    """The file's first bytes (its magic number); ReadError when it cannot be opened or is empty."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ReadError("io", exc.strerror or str(exc)) from None
    if not head:
        raise ReadError("empty")
    return head


@dataclass(frozen=True)
class Opened:
    """A workbook calamine has parsed: each sheet to read (index, metadata, cells), tzcheck's own sheets left out;
    `ahead`: parsed in another thread."""

    sheets: list[tuple[int, Any, calamine.CalamineSheet]]
    ahead: bool = False


def give_back() -> None:
    """Return memory calamine has freed to the system: Python's small objects come from memory of their own
    (pymalloc's arenas), and a parse in another thread freed its memory in that thread's own glibc arena, so
    neither reuses it; the process's peak would otherwise grow by what was freed (a workbook's shared strings,
    a parse's cells)."""
    if sys.platform.startswith("linux"):
        import ctypes  # here, not before the parse starts

        with suppress(OSError, AttributeError):  # not glibc (musl has no malloc_trim)
            ctypes.CDLL(None).malloc_trim(0)


def open_book(path: Path, limits: Limits = DEFAULT_LIMITS) -> Opened:
    """Check an Excel file and parse its sheets (or take the parse started ahead). Raises ReadError; never
    modifies the file."""
    where, now = _key(path)
    started = _ahead.pop(where, None)
    zipped = _check(path, limits)
    if started is not None:
        state, limits_then, future, thread = started
        thread.join()  # ended, so that the process has one thread again (forked.can_fork)
        if (state, limits_then) == (now, limits):
            try:
                return future.result()
            except ReadError:
                pass  # parsed again here, so that the error is this read's own
    with calamine_errors():
        return _parse(path, zipped)


def _check(path: Path, limits: Limits) -> bool:
    """The checks before calamine: whether the file is an Excel workbook, not encrypted, within the limits.
    Returns whether it is a zip (OOXML, ODS)."""
    head = head_of(path)
    suffix = path.suffix.lower()
    if suffix not in EXCEL_SUFFIXES:
        raise ReadError("unsupported", suffix)
    if head.startswith(_OLE_MAGIC) and suffix != ".xls" and _is_encrypted_ole(path):
        raise ReadError("encrypted")
    if suffix in (".xlsx", ".xlsm", ".xlsb", ".ods") and not head.startswith(_ZIP_MAGIC):
        raise ReadError("not_workbook")
    zipped = head.startswith(_ZIP_MAGIC)
    if zipped:
        try:
            check_zip(path, limits)
        except LimitExceeded as exc:
            raise limit_error(exc) from None
    return zipped


def _parse(path: Path, zipped: bool) -> Opened:
    own = own_sheets(path) if zipped else frozenset()
    book = calamine.CalamineWorkbook.from_path(str(path))
    sheets = [(i, meta, book.get_sheet_by_index(i)) for i, meta in enumerate(book.sheets_metadata)
              if meta.name not in own]
    del book  # and its shared strings, as big as all the text they hold: their memory back before the cells are read
    give_back()
    return Opened(sheets)


@contextmanager
def calamine_errors() -> Iterator[None]:
    """What calamine raises on a bad file, as ReadError."""
    try:
        yield
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


# parses started ahead, by file: the file's state then, the limits, the parse, its thread
_ahead: dict[str, tuple[tuple[int, int, int], Limits, Future[Opened], threading.Thread]] = {}


def _key(path: Path) -> tuple[str, tuple[int, int, int]]:
    """The file, and its state now: a parse started ahead is taken only if the file has not changed since."""
    try:
        info = path.stat()
        return str(path.resolve()), (info.st_ino, info.st_size, info.st_mtime_ns)
    except OSError:
        return str(path), (-1, -1, -1)


def read_ahead(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Start parsing a workbook in a thread, for `open_book` to take; a file that fails a check is left to it."""
    where, now = _key(path)
    future: Future[Opened] = Future()

    def parse() -> None:
        try:
            with calamine_errors():
                future.set_result(dataclasses.replace(_parse(path, _check(path, limits)), ahead=True))
        except BaseException as exc:  # whatever it is, open_book parses again and meets it itself
            future.set_exception(exc if isinstance(exc, ReadError) else ReadError("internal", repr(exc)[:200]))

    thread = threading.Thread(target=parse, name=f"read ahead {path.name}", daemon=True)
    _ahead[where] = (now, limits, future, thread)
    thread.start()
