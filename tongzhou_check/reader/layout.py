"""Where the table is: a sheet's kind (by name, then by header), its header row(s) and its columns."""

from __future__ import annotations

from dataclasses import dataclass, field

from tongzhou_check.packtypes import Kind, Pack
from tongzhou_check.reader.parse import display
from tongzhou_check.reader.workbook import RawSheet
from tongzhou_check.text import column_letter, norm_header

MATRIX_TYPES = ("enum", "multi_enum", "multi_text")


@dataclass(frozen=True)
class ColumnRef:
    """Where a kind's column sits: its sheet column(s) and the header text as written."""

    key: str
    index: int
    header: str
    options: tuple[tuple[int, str], ...] = ()  # a check-mark matrix: (sheet column, option label)

    @property
    def letter(self) -> str:
        return column_letter(self.index)


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

    @property
    def header_row(self) -> int:
        """The (lower) header row as Excel numbers it."""
        return self.bottom + 1


def _fill_merges(rows: list[list], merges: list[tuple[int, int, int, int]], limit: int) -> list[list]:
    """A copy of the first `limit` rows with every merged cell holding its range's top-left value."""
    grid = [list(r) for r in rows[:limit]]
    for r0, c0, r1, c1 in merges:
        if r0 >= limit:
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        for r in range(r0, min(r1, limit - 1) + 1):
            for c in range(c0, min(c1, len(grid[r]) - 1) + 1):
                grid[r][c] = value
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

    def kind_by_name(self, sheet_name: str) -> str | None:
        name = self._norm(sheet_name)
        exact = [key for n, key in self.names if n == name]
        if exact:
            return exact[0]
        return next((key for n, key in self.names if n and n in name), None)

    def layout(self, raw: RawSheet) -> Layout | None:
        """The sheet's layout, or None when neither its name nor a header identifies a kind."""
        scan = min(len(raw.rows), self.pack.reading.header_scan_rows + 1)
        grid = _fill_merges(raw.rows, raw.merges, scan)
        counts = [sum(1 for v in row if display(v)) for row in raw.rows[:scan]]
        texts = [[self._norm(display(v)) for v in row] for row in grid]
        shown = [["".join(display(v).split()) for v in row] for row in grid]  # `公开\n属性` → 公开属性
        candidates: list[Layout] = []
        for top in range(min(scan, self.pack.reading.header_scan_rows)):
            if counts[top] < 2:  # blank, a title or a single label is never part of a header
                continue
            for bottom in (top, top + 1):
                if bottom >= scan or counts[bottom] < 2:
                    continue
                for kind in self.pack.kinds.values():
                    found = self._match(kind, texts, shown, top, bottom)
                    if found.score:
                        candidates.append(found)
        by_name = self.kind_by_name(raw.name)

        def rank(c: Layout) -> tuple:
            return (c.score, c.top == c.bottom, -c.top)

        valid = [c for c in candidates if not c.missing]
        named = [c for c in valid if c.kind.key == by_name]
        if named:
            return max(named, key=rank)
        if valid:
            return max(valid, key=rank)
        if by_name is None:
            return None
        partial = [c for c in candidates if c.kind.key == by_name]
        if partial:
            return max(partial, key=rank)
        kind = self.pack.kinds[by_name]
        first = next((r for r, n in enumerate(counts) if n), 0)
        return Layout(kind=kind, top=first, bottom=first, columns={}, missing=kind.required)

    def _match(self, kind: Kind, texts: list[list[str]], shown: list[list[str]], top: int, bottom: int) -> Layout:
        lookup = self.lookups[kind.key]
        lower, lower_shown = texts[bottom], shown[bottom]
        upper = texts[top] if top != bottom else None
        columns: dict[str, ColumnRef] = {}
        matrices: dict[str, list[tuple[int, str]]] = {}
        headers: dict[str, str] = {}
        used: list[int] = []
        for c, low in enumerate(lower):
            up = upper[c] if upper is not None else ""
            tries = [(low, lower_shown[c])]
            if upper is not None:
                tries += [(up + low, shown[top][c] + lower_shown[c]), (up, shown[top][c])]
            for text, as_shown in tries:
                if not text:
                    continue
                key = lookup.get(text)
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
                break
        for key, options in matrices.items():
            columns[key] = ColumnRef(key, options[0][0], headers[key], tuple(options))
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
        )


def _group_width(upper: list[str], c: int) -> int:
    """How many adjacent columns share column c's upper header text (a merged parent header)."""
    text, left, right = upper[c], c, c
    while left > 0 and upper[left - 1] == text:
        left -= 1
    while right + 1 < len(upper) and upper[right + 1] == text:
        right += 1
    return right - left + 1
