"""A recognised sheet's records as typed columns, indexed by Excel row number."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from tongzhou_check.packtypes import WAIVER, Kind, Reading
from tongzhou_check.reader.layout import ColumnRef, Layout
from tongzhou_check.reader.parse import (
    Parsed,
    display,
    is_placeholder,
    normalised,
    parse_column,
    parse_marks,
)
from tongzhou_check.reader.workbook import ColumnTexts, RawSheet, first_characters
from tongzhou_check.text import are_texts, initials, norm_header


@dataclass(frozen=True)
class SheetData:
    """The records of one sheet. Every Series is indexed by the Excel row number of its record."""

    name: str
    index: int
    hidden: bool
    kind: Kind
    layout: Layout
    rows: pd.Index
    columns: dict[str, ColumnRef]
    parsed: dict[str, Parsed]
    continuation: dict[str, pd.Series]  # cells covered by a merged range, below or right of its top-left
    above: tuple[list[str], ...] = ()  # the rows above the header (titles, 填报单位 …) as display text

    @property
    def header_row(self) -> int:
        return self.layout.header_row

    def values(self, key: str) -> pd.Series:
        return self.parsed[key].values

    def present(self, key: str) -> pd.Series:
        return self.parsed[key].values.notna()

    @property
    def waiver(self) -> pd.Series | None:
        """The 豁免说明 text of each row ("" where empty); None when the sheet has no such column."""
        return self.parsed[WAIVER].text(self.rows) if WAIVER in self.columns else None

    def header(self, key: str) -> str:
        """The column's header as written in the sheet, else its canonical header."""
        ref = self.columns.get(key)
        return ref.header if ref else self.kind.columns[key].header

    def text(self, key: str, rows: pd.Index) -> pd.Series:
        """The cells of some rows as a person reads them (not yet masked)."""
        return self.parsed[key].text(rows)

    def letter(self, key: str) -> tuple[str | None, int]:
        ref = self.columns.get(key)
        return (ref.letter, ref.index) if ref and ref.implied is None else (None, -1)

    def key_columns(self) -> list[str]:
        """The kind's key columns present in this sheet (`id|title`: the first alternative present)."""
        keys = []
        for spec in self.kind.keys:
            keys += [k for k in spec.split("|") if k in self.columns]
        return keys

    @cached_property
    def record_keys(self) -> pd.Series:
        """Each record's key (record_keys_at every row)."""
        return self.record_keys_at(self.rows)

    def keys_of(self, rows: pd.Index) -> pd.Series:
        """Some records' keys: from the whole sheet's once they are computed (or when many rows ask), else just
        theirs."""
        if "record_keys" in self.__dict__ or 4 * len(rows) >= len(self.rows):
            return self.record_keys.loc[rows]
        return self.record_keys_at(rows)

    def record_keys_at(self, rows: pd.Index) -> pd.Series:
        """Some records' keys, each as one normalised string (None when every key cell is empty).

        `id|title` takes the id, or the title where the id is empty. A kind without key columns keys a
        record by all its values (but its waiver).
        """
        specs = [spec.split("|") for spec in self.kind.keys] or [[k] for k in self.columns if k != WAIVER]
        parts = []
        for alternatives in specs:
            present = [normalised(self.values(k).loc[rows]) for k in alternatives if k in self.columns]
            if not present:
                continue
            part = present[0]
            for other in present[1:]:
                part = part.fillna(other)
            parts.append(part)
        if not parts:
            return pd.Series(None, index=rows, dtype=object)
        empty = pd.concat([p.isna() for p in parts], axis=1).all(axis=1)
        joined = parts[0].fillna("")
        for part in parts[1:]:
            joined = joined + "\x1f" + part.fillna("")
        return joined.where(~empty, None)

    def input_problem(self, key: str) -> pd.Series:
        """Rows where an input rule reports this column: unreadable, or a required value missing."""
        parsed = self.parsed[key]
        problem = parsed.invalid
        if self.kind.columns[key].required:
            problem = problem | parsed.values.isna()
        return problem


def _body(raw: RawSheet, layout: Layout, reading: Reading) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """The data region below the header: cell grid with merges filled, continuation mask, record rows.

    Notes rows, banner rows and rows printing the header again (stacked tables) are never records; the table
    ends at the first notes row after data (a banner is a section heading inside the table, so the rows after it
    are still read).
    """
    start = layout.bottom + 1
    grid = raw.grid[start:layout.end]
    height, width = grid.shape
    inside = [m for m in raw.merges if start <= m[2] and m[0] < start + height]  # not above the table, nor below
    if inside:
        grid = grid.copy()  # merged values are written into it
    if not height or not width:
        return np.empty((0, width), dtype=object), np.zeros((0, width), dtype=bool), pd.Index([], dtype=int)
    nonempty = (grid != "") & pd.notna(grid)
    counts = nonempty.sum(axis=1)
    notes = _notes_rows(grid, nonempty, counts, reading)
    banners = _banner_rows(counts, raw, layout, start)
    continuation = np.zeros(grid.shape, dtype=bool)
    filled: set[int] = set()  # the columns where merged values were written into the grid
    for r0, c0, r1, c1 in inside:
        top = max(r0, start) - start
        value = raw.grid[r0, c0]
        grid[top : r1 - start + 1, c0 : c1 + 1] = value
        continuation[top : r1 - start + 1, c0 : c1 + 1] = True
        filled.update(range(c0, c1 + 1))
        if r0 >= start:
            continuation[r0 - start, c0] = False
    repeats = _header_repeats(grid, filled, raw, layout, reading)
    has_data = counts > 0
    after_data = np.maximum.accumulate(has_data & ~notes)
    ended = np.maximum.accumulate(notes & np.concatenate([[False], after_data[:-1]]))
    keep = np.flatnonzero(has_data & ~notes & ~banners & ~repeats & ~ended)
    if len(keep) and keep[-1] - keep[0] + 1 == len(keep):  # one block of rows (the usual table): a view, no copy
        keep = slice(keep[0], keep[-1] + 1)
    return grid[keep], continuation[keep], pd.Index(np.arange(height)[keep] + start + 1, dtype=int)


def _notes_rows(grid: np.ndarray, nonempty: np.ndarray, counts: np.ndarray, reading: Reading) -> np.ndarray:
    """Notes and signature rows: the first non-empty cell starts with 注:, 填表人: … (NFKC, no spaces)."""
    notes = np.zeros(len(grid), dtype=bool)
    first = grid[np.arange(len(grid)), nonempty.argmax(axis=1)]
    texts = np.flatnonzero(are_texts(first.tolist()) & (counts > 0))
    initials = [ord(p[0]) for p in reading.notes_prefixes]
    for i in texts[np.isin(first_characters(first[texts].tolist()), initials)].tolist():
        notes[i] = norm_header(first[i][:20], ()).startswith(reading.notes_prefixes)
    return notes


def _header_texts(raw: RawSheet, layout: Layout, reading: Reading) -> list[set[str]]:
    """Per sheet column, the normalised header text(s) its header row(s) show (merged parents filled in)."""
    width = raw.grid.shape[1]
    texts: list[set[str]] = [set() for _ in range(width)]
    filled = {(r, c): raw.grid[r, c] for r in range(layout.top, layout.bottom + 1) for c in range(width)}
    for r0, c0, r1, c1 in raw.merges:
        if r0 > layout.bottom or r1 < layout.top:
            continue
        for r in range(max(r0, layout.top), min(r1, layout.bottom) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                filled[(r, c)] = raw.grid[r0, c0]
    for (_, c), value in filled.items():
        text = norm_header(display(value), reading.header_suffixes)
        if text:
            texts[c].add(text)
    return texts


def _header_repeats(grid: np.ndarray, filled: set[int], raw: RawSheet, layout: Layout, reading: Reading
                    ) -> np.ndarray:
    """Rows printing the table's header again (a stacked table, a page's repeated header): at least two cells,
    each one the header's own text in its column. `grid` is the table's body with merged values filled in, in
    the columns `filled`; the others are the sheet's own cells, whose distinct values the sheet has counted."""
    repeats = np.zeros(len(grid), dtype=bool)
    if not len(grid) or layout.bottom < layout.top or not layout.columns:
        return repeats
    texts = _header_texts(raw, layout, reading)
    matched = np.zeros(len(grid), dtype=int)
    for c in range(grid.shape[1]):
        if texts[c]:
            firsts, own = initials(texts[c]), texts[c]
            def own_header(text: str, own: set[str] = own) -> bool:
                return norm_header(text, reading.header_suffixes) in own

            matched += (ColumnTexts.of(grid[:, c]).where(firsts, own_header) if c in filled else
                        raw.headers_where(c, firsts, own_header, layout.bottom + 1, layout.end))
    candidates = np.flatnonzero(matched >= 2)
    for i in candidates:  # every other value of the row must be its column's header too
        repeats[i] = sum(1 for v in grid[i] if display(v)) == matched[i]
    return repeats


def _banner_rows(counts: np.ndarray, raw: RawSheet, layout: Layout, start: int) -> np.ndarray:
    """Rows whose only value is one cell merged across the table (a section heading such as 一、决策公开)."""
    banners = np.zeros(len(counts), dtype=bool)
    width = layout.last_column - layout.first_column + 1
    for r0, c0, r1, c1 in raw.merges:
        inside = r0 == r1 and start <= r0 < start + len(counts)
        if inside and counts[r0 - start] == 1 and c1 - c0 + 1 >= max(2, width // 2):
            banners[r0 - start] = True
    return banners


def _levels(grid: np.ndarray, indexes: tuple[int, ...], reading: Reading, item: bool, whole: bool) -> list[str]:
    """An item hierarchy's item (each row's deepest non-empty level) or group (the levels above it, joined with
    `/`; every level when the catalogue has an item column of its own)."""
    shown: dict[object, str] = {}
    out: list[str] = []
    for row in grid[:, list(indexes)] if len(grid) else []:
        texts = []
        for value in row:
            if value not in shown:
                text = display(value)
                shown[value] = "" if is_placeholder(text, reading) else text
            texts.append(shown[value])
        filled = [t for t in texts if t]
        if item:
            out.append(filled[-1] if filled else "")
        else:
            out.append("/".join(filled if whole else filled[:-1]))
    return out


def build_sheet(raw: RawSheet, layout: Layout, reading: Reading) -> SheetData:
    grid, continuation, rows = _body(raw, layout, reading)
    parsed: dict[str, Parsed] = {}
    merged: dict[str, pd.Series] = {}
    for key, ref in layout.columns.items():
        column = layout.kind.columns[key]
        if ref.implied is not None:
            parsed[key] = parse_column(pd.Series(ref.implied, index=rows, dtype=object), column, reading)
            continue
        if ref.options:
            indexes = [c for c, _ in ref.options]
            sub = pd.DataFrame(grid[:, indexes] if len(grid) else np.empty((0, len(indexes))), index=rows)
            parsed[key] = parse_marks(sub, [label for _, label in ref.options], column, reading)
        elif ref.levels:
            item = layout.kind.hierarchy.item if layout.kind.hierarchy else key
            whole = key != item and not (item in layout.columns and layout.columns[item].levels)
            cells = _levels(grid, ref.levels, reading, item=key == item, whole=whole)
            parsed[key] = parse_column(pd.Series(cells, index=rows, dtype=object), column, reading)
        else:
            parsed[key] = parse_column(pd.Series(grid[:, ref.index], index=rows, dtype=object), column, reading)
        cont = continuation[:, ref.index]
        if cont.any():
            merged[key] = pd.Series(cont, index=rows)
    return SheetData(
        name=raw.name,
        index=raw.index,
        hidden=raw.hidden,
        kind=layout.kind,
        layout=layout,
        rows=rows,
        columns=dict(layout.columns),
        parsed=parsed,
        continuation=merged,
        above=tuple([display(v) for v in row] for row in raw.rows[: layout.top]),
    )
