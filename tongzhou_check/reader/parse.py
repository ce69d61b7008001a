"""Cell values → typed columns: empties, dates, numbers, enumerations and channel check-lists.

Every parser works on a column at once: it factorises the column and parses each distinct value once,
so a 100,000-row column of a few hundred distinct dates costs a few hundred parses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tongzhou_check.packtypes import Column, Reading
from tongzhou_check.text import are_texts, enum_key, nfkc, squash, squash_all

INVALID = object()  # a parser's answer for a value it cannot read
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PATTERNS = [
    re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?(?:\s*\d{1,2}\s*[:时].*)?"),
]
_MONTH = re.compile(r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月份?|[-/.]\s*(\d{1,2}))")
_SEPARATORS = re.compile(r"[、,;/\s]+")


@dataclass(frozen=True)
class Parsed:
    """A parsed column: values (None when empty), which cells were unreadable, and their display text."""

    values: pd.Series
    invalid: pd.Series
    raw: pd.Series | None = None  # the cells as read
    shown: pd.Series | None = None  # display text given directly (check-mark matrices)

    def text(self, rows: pd.Index) -> pd.Series:
        """The cells of some rows as a person reads them (only rows that a finding echoes are formatted)."""
        if self.shown is not None:
            return self.shown.loc[rows]
        raw = self.raw.loc[rows]
        cells = raw.to_numpy(dtype=object)
        if any(v.__class__ is bool for v in cells):  # factorising would take True for 1: cell by cell
            return raw.map(display)
        codes, uniques = pd.factorize(cells, use_na_sentinel=False)  # each distinct cell formatted once
        shown = np.array([display(u) for u in uniques], dtype=object)
        return pd.Series(shown[codes] if len(raw) else [], index=raw.index, dtype=object)


def display(value: Any) -> str:
    """A cell as a person would read it."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e19:  # past 19 digits: 1e+20, as Excel
        return str(int(value))
    return str(value).strip()


def is_placeholder(text: str, reading: Reading) -> bool:
    """Blank, or a placeholder such as 无, /, 暂无, N/A (compared after NFKC, upper-cased)."""
    return squash(text).upper() in reading.placeholders


def _per_unique(raw: pd.Series, parse: Callable[[Any], Any]) -> tuple[pd.Series, pd.Series]:
    """Apply `parse` to each distinct value; returns (values, invalid mask) aligned with raw."""
    codes, uniques = pd.factorize(raw.astype(object), use_na_sentinel=True)
    parsed = [parse(u) for u in uniques]
    bad = np.array([p is INVALID for p in parsed] + [False], dtype=bool)
    out = np.empty(len(parsed) + 1, dtype=object)
    out[:-1] = [None if p is INVALID else p for p in parsed]
    out[-1] = None
    values = pd.Series(out[codes], index=raw.index, dtype=object)
    invalid = pd.Series(bad[codes], index=raw.index)
    return values, invalid


def _empty_or(reading: Reading, parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def wrapped(value: Any) -> Any:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        if isinstance(value, str) and (len(value) <= 8 and is_placeholder(value.strip(), reading)):
            return None
        return parse(value)

    return wrapped


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return INVALID
    if isinstance(value, int | float):
        if 10_000_000 <= value <= 99_991_231 and float(value).is_integer():
            return _date(str(int(value)))
        if 1 <= value < 2_958_466:  # an Excel serial number (a time part is dropped)
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return INVALID
    if isinstance(value, str):
        text = nfkc(value).strip()
        for pattern in _DATE_PATTERNS:
            m = pattern.fullmatch(text)
            if m:
                try:
                    return dt.date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    return INVALID
    return INVALID


def month_only(value: Any) -> bool:
    """Whether a cell names a month but no day (`2018年4月`, `2018-04`): not a date."""
    if not isinstance(value, str):
        return False
    m = _MONTH.fullmatch(nfkc(value).strip())
    return bool(m) and 1 <= int(m[2] or m[3]) <= 12


def number(value: Any) -> int | None:
    """A cell as a non-negative whole number, however large (`12`, `12.0`, `"12"`, `"１２"`); None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    if isinstance(value, str):
        text = squash(value)
        if text.endswith(".0"):
            text = text[:-2]
        return int(text) if text.isascii() and text.isdigit() and len(text) < 400 else None
    return None


def _int(bound: int) -> Callable[[Any], Any]:
    """Whole numbers up to what the column can mean (a count, a number of days); anything else is unreadable."""
    def parse(value: Any) -> Any:
        n = number(value)
        return n if n is not None and n <= bound else INVALID
    return parse


def _text(value: Any) -> Any:
    text = display(value)
    return text or None


def _enum_lookup(column: Column) -> dict[str, str]:
    lookup = {enum_key(v): v for v in column.values}
    lookup.update({enum_key(a): v for a, v in column.value_aliases.items()})
    return lookup


_TRAILING_NOTE = re.compile(r"\([^()]*\)$")


def _enum(column: Column) -> Callable[[Any], Any]:
    lookup = _enum_lookup(column)

    def parse(value: Any) -> Any:
        key = enum_key(display(value))
        found = lookup.get(key)
        if found is None and column.tree:  # a national row label with its note: (二)部分公开(区分处理的…)
            found = lookup.get(_TRAILING_NOTE.sub("", key))
        return INVALID if found is None else found

    return parse


def _multi(column: Column, lookup: dict[str, str] | None) -> Callable[[Any], Any]:
    order = {v: i for i, v in enumerate(column.values)}

    def parse(value: Any) -> Any:
        parts = [p for p in _SEPARATORS.split(nfkc(display(value))) if p]
        if lookup is None:
            return "、".join(parts) or None
        mapped = [lookup.get(enum_key(p), INVALID) for p in parts]
        if any(m is INVALID for m in mapped):
            return INVALID
        return "、".join(sorted(set(mapped), key=lambda v: order.get(v, 99))) or None

    return parse


def _channels(reading: Reading) -> Callable[[Any], Any]:
    """A channel cell; a check-list (`■政府网站 □政府公报 口两微一端`) names its ticked channels only."""
    boxes = "".join(re.escape(b) for b in (*reading.channel_ticked, *reading.channel_unticked))
    hard = "".join(re.escape(b) for b in reading.channel_ticked + reading.channel_unticked if b != "口")
    # a box: a box symbol, or a lone Latin letter where a symbol-font box was exported as text (`t政府网站`)
    item = re.compile(rf"(?:^|(?<=[\s,、;]))([{boxes}]|[^\W\d_\u3400-\u9fff])\s*([^{boxes}\s,、;]+)")
    has_box = re.compile(rf"[{hard}]")
    unticked = set(reading.channel_unticked)

    def parse(value: Any) -> Any:
        text = display(value)
        items = item.findall(text)
        is_list = has_box.search(text) or len(items) >= 2
        if not is_list:
            return text or None
        ticked = [name for box, name in items if box not in unticked]
        return "、".join(ticked) or None

    return parse


def normalised(values: pd.Series) -> pd.Series:
    """Values as compared between records: display text, NFKC, no whitespace (None stays None).

    A column of text only (mostly distinct, such as titles; empty cells allowed) skips factorising: each cell is
    squashed once.
    """
    cells = values.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(cells, skipna=True) == "string":
        texts = are_texts(cells.tolist())
        out = np.full(len(cells), None, dtype=object)
        out[texts] = [text or None for text in squash_all(cells[texts].tolist())]
        return pd.Series(out, index=values.index, dtype=object)
    out, _ = _per_unique(values, lambda v: squash(v if isinstance(v, str) else display(v)) or None)
    return out


def _plain_text(raw: pd.Series, reading: Reading) -> pd.Series | None:
    """A column holding only text cells, stripped, with placeholders as None — or None for other columns.

    Free text is mostly distinct per row, so it skips factorising and tests only short cells for placeholders.
    """
    cells = raw.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(cells, skipna=False) != "string":
        return None
    stripped = list(map(str.strip, cells))
    short = np.flatnonzero(np.fromiter(map(len, stripped), dtype=np.int64, count=len(stripped)) <= 8)
    placeholders = {v for v in {stripped[i] for i in short} if is_placeholder(v, reading)}
    values = pd.Series(stripped, index=raw.index, dtype=object)
    return values.where(~values.isin(placeholders), None) if placeholders else values


def parse_column(raw: pd.Series, column: Column, reading: Reading) -> Parsed:
    """Parse one column of raw cell values by the column's type."""
    kind = column.type
    if kind == "text" and not column.value_aliases:
        values = _plain_text(raw, reading)
        if values is not None:
            return Parsed(values=values, invalid=pd.Series(False, index=raw.index), raw=raw)
    if kind == "date":
        parser: Callable[[Any], Any] = _date
    elif kind == "int":
        parser = _int(column.max)
    elif kind == "enum":
        parser = _enum(column)
    elif kind == "multi_enum":
        parser = _multi(column, _enum_lookup(column))
    elif kind == "multi_text":
        parser = _multi(column, None)
    elif kind == "channels":
        parser = _channels(reading)
    else:
        lookup = {enum_key(a): v for a, v in column.value_aliases.items()}
        parser = (lambda v: lookup.get(enum_key(display(v)), _text(v))) if lookup else _text
    values, invalid = _per_unique(raw, _empty_or(reading, parser))
    return Parsed(values=values, invalid=invalid, raw=raw)


def parse_marks(sub: pd.DataFrame, options: list[str], column: Column, reading: Reading) -> Parsed:
    """A check-mark matrix (one sub-column per option) → the marked option(s), joined with 、.

    A single-choice enumeration with two marks is invalid; no mark is empty.
    """
    marks = {enum_key(m) for m in reading.check_marks}
    lookup = _enum_lookup(column) if column.values else {}
    joined = np.full(len(sub), "", dtype=object)
    count = np.zeros(len(sub), dtype=int)
    for position, option in enumerate(options):
        marked, _ = _per_unique(sub.iloc[:, position], lambda v: enum_key(display(v)) in marks)
        hit = marked.to_numpy(dtype=bool)
        label = lookup.get(enum_key(option), option)
        joined = np.where(hit, np.where(joined == "", label, joined + "、" + label), joined)
        count += hit
    invalid = (count > 1) & (column.type == "enum")
    values = np.where((count == 0) | invalid, None, joined)
    return Parsed(
        values=pd.Series(values, index=sub.index, dtype=object),
        invalid=pd.Series(invalid, index=sub.index),
        shown=pd.Series(joined, index=sub.index, dtype=object),
    )
