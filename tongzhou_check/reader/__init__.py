"""The reader owns the workbook: opening and parsing the file (opening), raw cells (workbook), sheet kind and
header rows (layout), records as typed columns (sheet), cell values (parse). `read_book` is its one entry point.

Its names are imported when first used, so that `opening` can start a parse without the rest (pandas) loaded.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tongzhou_check.reader.book import Workbook, read_book
    from tongzhou_check.reader.layout import Recogniser
    from tongzhou_check.reader.limits import DEFAULT_LIMITS, Limits
    from tongzhou_check.reader.opening import ReadError
    from tongzhou_check.reader.sheet import SheetData
    from tongzhou_check.reader.workbook import RawSheet

_HOMES = {"DEFAULT_LIMITS": "limits", "Limits": "limits", "RawSheet": "workbook", "ReadError": "opening",
          "Recogniser": "layout", "SheetData": "sheet", "Workbook": "book", "read_book": "book"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)


__all__ = ["DEFAULT_LIMITS", "Limits", "RawSheet", "ReadError", "Recogniser", "SheetData", "Workbook", "read_book"]
