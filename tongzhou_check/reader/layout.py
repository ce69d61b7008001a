"""Where the table is: a sheet's kind (by name, then by header), its header row(s) and its columns."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tongzhou_check.packtypes import Kind, Pack
from tongzhou_check.reader.parse import display
from tongzhou_check.reader.workbook import RawSheet
from tongzhou_check.text import column_letter, initials, norm_header

MATRIX_TYPES = ("enum", "multi_enum", "multi_text")


@dataclass(frozen=True)
class ColumnRef:
    """Where a kind's column sits: its sheet column(s) and the header text as written."""

    key: str
    index: int
    header: str
    options: tuple[tuple[int, str], ...] = ()  # a check-mark matrix: (sheet column, option label)
    levels: tuple[int, ...] = ()  # an item hierarchy: the sheet columns of its levels, top level first
    implied: str | None = None  # no column: every row holds this value, which the sheet's name or title gives

    @property
    def letter(self) -> str | None:
        return column_letter(self.index) if self.implied is None else None


@dataclass(frozen=True)
class Layout:
    kind: Kind
    top: int  # 0-based index of the upper header row
    bottom: int  # 0-based index of the lower header row (== top for a one-row header)
    columns: dict[str, ColumnRef]
    score: int = 0
    first_column: int = 0
    last_column: int = 0
    missing: tuple[str, ...] = field(default=())
    unused: tuple[tuple[int, str], ...] = ()  # columns whose header another column already took: (column, header)
    end: int | None = None  # 0-based row where a stacked table of another header starts (None: the sheet's end)

    @property
    def header_row(self) -> int:
        """The (lower) header row as Excel numbers it."""
        return self.bottom + 1


def _fill_merges(rows: list[list], merges: list[tuple[int, int, int, int]], first: int, limit: int) -> list[list]:
    """A copy of rows[first:limit] with every merged cell holding its range's top-left value."""
    grid = [list(r) for r in rows[first:limit]]
    for r0, c0, r1, c1 in merges:
        if r0 >= limit or r1 < first:
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        for r in range(max(r0, first), min(r1, limit - 1) + 1):
            for c in range(c0, min(c1, len(grid[r - first]) - 1) + 1):
                grid[r - first][c] = value
    return grid


class Recogniser:
    """Recognises sheets for one pack; header lookups are built once."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        suffixes = pack.reading.header_suffixes
        self._norm = lambda text: norm_header(text, suffixes)
        self.lookups = {
            key: {self._norm(h): col.key for col in kind.columns.values() for h in col.headers}
            for key, kind in pack.kinds.items()
        }
        names = [(self._norm(n), key) for key, kind in pack.kinds.items() for n in kind.names]
        self.names = sorted(names, key=lambda item: -len(item[0]))
        self.levels = {
            key: {self._norm(h): i for i, level in enumerate(kind.hierarchy.levels) for h in level}
            for key, kind in pack.kinds.items() if kind.hierarchy
        }
        self._all_headers = {h: h for lookup in [*self.lookups.values(), *self.levels.values()] for h in lookup}
        self._initials = initials(self._all_headers)

    def kind_by_name(self, sheet_name: str) -> str | None:
        name = self._norm(sheet_name)
        exact = [key for n, key in self.names if n == name]
        if exact:
            return exact[0]
        return next((key for n, key in self.names if n and n in name), None)

    def _candidates(self, raw: RawSheet, first: int, tops: int) -> tuple[list[Layout], list[int]]:
        """Every kind's header match with its upper row among rows first … first+tops-1 (0-based), and the
        number of values in each row of that window."""
        stop = min(len(raw.rows), first + tops + 1)
        grid = _fill_merges(raw.rows, raw.merges, first, stop)
        counts = [sum(1 for v in row if display(v)) for row in raw.rows[first:stop]]
        texts = [[self._norm(display(v)) for v in row] for row in grid]
        shown = [["".join(display(v).split()) for v in row] for row in grid]  # `公开\n属性` → 公开属性
        candidates: list[Layout] = []
        for top in range(min(len(grid), tops)):
            if counts[top] < 2:  # blank, a title or a single label is never part of a header
                continue
            for bottom in (top, top + 1):
                if bottom >= len(grid) or counts[bottom] < 2:
                    continue
                for kind in self.pack.kinds.values():
                    found = self._match(kind, texts, shown, top, bottom)
                    if found.score:
                        candidates.append(dataclasses.replace(found, top=top + first, bottom=bottom + first))
        return candidates, counts

    def layout(self, raw: RawSheet) -> Layout | None:
        """The sheet's layout, or None when neither its name nor a header identifies a kind."""
        return self._layout(raw)[0]

    def _layout(self, raw: RawSheet) -> tuple[Layout | None, list[Layout]]:
        """The best header in the scanned rows, and every valid header match found there."""
        candidates, counts = self._candidates(raw, 0, self.pack.reading.header_scan_rows)
        candidates = [self._implied(raw, c) for c in candidates]
        by_name = self.kind_by_name(raw.name) or self._kind_by_title(raw, counts)
        valid = [c for c in candidates if not c.missing]
        named = [c for c in valid if c.kind.key == by_name]
        if named:
            return max(named, key=_rank), valid
        if valid:
            return max(valid, key=_rank), valid
        if by_name is None:
            return None, valid
        partial = [c for c in candidates if c.kind.key == by_name]
        if partial:
            return max(partial, key=_rank), valid
        kind = self.pack.kinds[by_name]
        first = next((r for r, n in enumerate(counts) if n), 0)
        return Layout(kind=kind, top=first, bottom=first, columns={}, missing=kind.required), valid

    def _kind_by_title(self, raw: RawSheet, counts: list[int]) -> str | None:
        """A kind the title rows name (a row of one value among the scanned rows: `主动公开基本目录`)."""
        for r, n in enumerate(counts):
            if n == 1:
                text = next(display(v) for v in raw.rows[r] if display(v))
                found = self.kind_by_name(text)
                if found:
                    return found
        return None

    def _implied(self, raw: RawSheet, layout: Layout) -> Layout:
        """A missing column the sheet's name or title gives a value (主动公开基本目录: 公开属性 is 主动公开)."""
        implied = {k: spec for k, spec in layout.kind.implied.items() if k not in layout.columns}
        if not implied:
            return layout
        words = "".join([raw.name, *(display(v) for row in raw.rows[: layout.top] for v in row)])
        text = self._norm(words)
        columns = dict(layout.columns)
        for key, (value, triggers) in implied.items():
            if any(self._norm(t) in text for t in triggers):
                columns[key] = ColumnRef(key, -1, layout.kind.columns[key].header, implied=value)
        if len(columns) == len(layout.columns):
            return layout
        missing = tuple(k for k in layout.missing if k not in columns)
        return dataclasses.replace(layout, columns=columns, missing=missing)

    def tables(self, raw: RawSheet) -> list[Layout]:
        """Every table of the sheet, each ending where the next begins: lower down, a header row that differs
        from the table's own (other columns, or another kind) starts a new table (stacked tables); one that
        repeats it does not (the sheet reader skips it)."""
        first, valid = self._layout(raw)
        if first is None:
            return []
        # a better-scoring header lower down is a stacked table: the sheet's first table is the topmost header
        # with rows of its own before the next one
        above = [c for c in valid if c.bottom + 1 < first.top
                 and any(any(display(v) for v in row) for row in raw.rows[c.bottom + 1:first.top])]
        if above:
            top = min(c.top for c in above)
            first = max([c for c in above if c.top == top], key=_rank)
        tables = [first]
        if not first.columns:
            return tables
        for r in self._header_like_rows(raw, first.bottom + 1):
            current = tables[-1]
            if r <= current.bottom:
                continue
            found, _ = self._candidates(raw, r, 1)
            valid = [v for v in (self._implied(raw, c) for c in found) if not v.missing]
            if not valid:
                continue
            same_kind = [c for c in valid if c.kind.key == current.kind.key]
            best = max(same_kind or valid, key=_rank)
            if best.kind.key == current.kind.key and _shape(best) == _shape(current):
                continue  # the header printed again
            tables[-1] = dataclasses.replace(current, end=r)
            tables.append(best)
        return tables

    def _header_like_rows(self, raw: RawSheet, start: int) -> list[int]:
        """Rows from `start` on with at least two cells that are some kind's header text (0-based)."""
        def header(text: str) -> bool:
            return _find(self._all_headers, self._norm(text)) is not None

        height, width = raw.grid.shape
        hits = np.zeros(max(height - start, 0), dtype=np.int64)
        for c in range(width):
            hits += raw.headers_where(c, self._initials, header, start)
        return (np.flatnonzero(hits >= 2) + start).tolist()

    def _hierarchy(self, kind: Kind, texts: list[list[str]], shown: list[list[str]], top: int, bottom: int,
                   columns: dict[str, ColumnRef], used: list[int]) -> None:
        """Two or more item levels (一级目录 / 二级目录 …) give the item (the deepest non-empty) and its group."""
        assert kind.hierarchy is not None
        found = _level_columns(self.levels[kind.key], texts, shown, top, bottom)
        if len(found) < 2:
            return
        order = [found[level] for level in sorted(found)]
        indexes = tuple(c for c, _ in order)
        item = columns.get(kind.hierarchy.item)
        if item is None or item.index in indexes:  # else an item column of its own: the levels are all its group
            columns[kind.hierarchy.item] = ColumnRef(kind.hierarchy.item, indexes[-1], order[-1][1], levels=indexes)
        columns[kind.hierarchy.group] = ColumnRef(kind.hierarchy.group, indexes[0], order[0][1], levels=indexes)
        used.extend(c for c in indexes if c not in used)

    def _match(self, kind: Kind, texts: list[list[str]], shown: list[list[str]], top: int, bottom: int) -> Layout:
        lookup = self.lookups[kind.key]
        lower, lower_shown = texts[bottom], shown[bottom]
        upper = texts[top] if top != bottom else None
        columns: dict[str, ColumnRef] = {}
        matrices: dict[str, list[tuple[int, str]]] = {}
        headers: dict[str, str] = {}
        used: list[int] = []
        unused: list[tuple[int, str]] = []
        for c, low in enumerate(lower):
            up = upper[c] if upper is not None else ""
            tries = [(low, lower_shown[c])]
            if upper is not None:
                tries += [(up + low, shown[top][c] + lower_shown[c]), (up, shown[top][c])]
            for text, as_shown in tries:
                if not text:
                    continue
                key = _find(lookup, text)
                if key is None:
                    continue
                is_option = (
                    upper is not None and text == up and low and low != up
                    and kind.columns[key].type in MATRIX_TYPES and _group_width(upper, c) >= 2
                )
                if is_option and key not in columns:
                    matrices.setdefault(key, []).append((c, lower_shown[c]))
                    headers.setdefault(key, as_shown)
                    used.append(c)
                elif key not in columns and key not in matrices:
                    columns[key] = ColumnRef(key, c, as_shown)
                    used.append(c)
                elif not _continues(texts, top, bottom, c, text):  # a second column for one header: the first wins
                    unused.append((c, as_shown))
                break
        for key, options in matrices.items():
            columns[key] = ColumnRef(key, options[0][0], headers[key], tuple(options))
        if kind.hierarchy is not None:
            self._hierarchy(kind, texts, shown, top, bottom, columns, used)
        score = len(used)
        return Layout(
            kind=kind,
            top=top,
            bottom=bottom,
            columns=columns,
            score=score,
            first_column=min(used, default=0),
            last_column=max(used, default=0),
            missing=tuple(k for k in kind.required if k not in columns),
            unused=tuple(unused),
        )


_NOTE = re.compile(r"(.+?)\([^()]*\)")


def _level_columns(levels: dict[str, int], texts: list[list[str]], shown: list[list[str]], top: int,
                   bottom: int) -> dict[int, tuple[int, str]]:
    """The header's item-level columns: {level: (sheet column, header as shown)}, the first column of each level."""
    found: dict[int, tuple[int, str]] = {}
    for c, low in enumerate(texts[bottom]):
        tries = [(low, shown[bottom][c])]
        if top != bottom:
            tries.append((texts[top][c], shown[top][c]))
        for text, as_shown in tries:
            level = _find(levels, text) if text else None
            if level is not None:
                found.setdefault(level, (c, as_shown))
                break
    return found


def _find(lookup: dict[str, Any], text: str) -> Any:
    """The column key of a header text; a trailing parenthesised note (`公开时限(最低1年)`) is no part of it."""
    key = lookup.get(text)
    if key is None and text.endswith(")"):
        m = _NOTE.fullmatch(text)
        key = lookup.get(m[1]) if m else None
    return key


def _continues(texts: list[list[str]], top: int, bottom: int, c: int, text: str) -> bool:
    """Whether column c's header text is a merged header carried on from column c-1 (the same header)."""
    if c == 0:
        return False
    rows = {texts[bottom][c - 1], texts[top][c - 1], texts[top][c - 1] + texts[bottom][c - 1]}
    return text in rows


def _shape(layout: Layout) -> dict[str, tuple]:
    return {key: (ref.index, ref.options) for key, ref in layout.columns.items()}


def _rank(c: Layout) -> tuple:
    return (c.score, c.top == c.bottom, -c.top)


def _group_width(upper: list[str], c: int) -> int:
    """How many adjacent columns share column c's upper header text (a merged parent header)."""
    text, left, right = upper[c], c, c
    while left > 0 and upper[left - 1] == text:
        left -= 1
    while right + 1 < len(upper) and upper[right + 1] == text:
        right += 1
    return right - left + 1
