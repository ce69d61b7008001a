"""Documents of tables as grids — cells with merged ranges, column formats, notes, a chart — and their writers
(one module per file format). The annual appendix and the audit's HTML page are both written through these."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Value = str | int | float | None

# The colours (RGB hex) every workbook and document tzcheck writes shares: a header row's grey, and a finding's fill by
# severity (grey once a waiver or a baseline suppresses it), in the annotated copy and the findings export alike.
HEADER_FILL = "D9D9D9"
SEVERITY_FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
SUPPRESSED_FILL = "EDEDED"
FAILED, PASSED = "✗", "✓"  # how a note under a table reports a cross-check that fails, or holds
ColumnFormat = Literal["text", "int", "percent"]


@dataclass(frozen=True)
class Merge:
    """A merged range of the grid, 0-based and inclusive; its text is the grid cell at (top, left)."""

    top: int
    left: int
    bottom: int
    right: int


@dataclass(frozen=True)
class Chart:
    """A bar chart of one numeric column of the body against a label column (0-based column indexes)."""

    title: str
    label_column: int
    value_column: int


@dataclass(frozen=True)
class Table:
    """One appendix table.

    `grid` holds the header rows, then the body rows, all of the same width; a cell covered by a merge (other than
    its top-left) is None. Text cells may come from agency workbooks (already masked): writers must keep them text
    (never a formula in xlsx, always escaped in HTML and Markdown). A percent is a float between 0 and 1.
    """

    sheet: str  # short name, also the xlsx sheet name (≤ 31 characters): 附表1 合规概况
    title: str  # the full title, with the year
    grid: tuple[tuple[Value, ...], ...]
    header_rows: int
    formats: tuple[ColumnFormat, ...]  # one per column
    label_columns: int = 1  # leading columns that label a row (frozen in xlsx, left-aligned)
    merges: tuple[Merge, ...] = ()
    notes: tuple[str, ...] = ()  # lines under the table: cross-checks, unplaced records, explanations
    footer: str = ""  # the year, rule pack and version, as-of date
    chart: Chart | None = None
    column_classes: tuple[str, ...] = ()  # empty, or one per column
    row_classes: tuple[str, ...] = ()  # empty, or one per body row
    empty: str = ""  # shown instead of the table when it has no body rows

    def __post_init__(self) -> None:
        """A malformed table is a programming error: say so here, not as an IndexError in a writer."""
        if any(len(row) != self.width for row in self.grid):
            raise ValueError(f"{self.sheet}: every grid row must have {self.width} cells")
        if self.column_classes and len(self.column_classes) != self.width:
            raise ValueError(f"{self.sheet}: column classes must be one per column")
        if self.row_classes and len(self.row_classes) != len(self.grid) - self.header_rows:
            raise ValueError(f"{self.sheet}: row classes must be one per body row")
        if not 0 < self.header_rows <= len(self.grid) or not 0 <= self.label_columns <= self.width:
            raise ValueError(f"{self.sheet}: header rows or label columns outside the grid")
        for m in self.merges:
            if not (0 <= m.top <= m.bottom < len(self.grid) and 0 <= m.left <= m.right < self.width):
                raise ValueError(f"{self.sheet}: merge {m} outside the grid")
            if m.top < self.header_rows <= m.bottom:
                raise ValueError(f"{self.sheet}: merge {m} crosses from the header into the body")

    @property
    def width(self) -> int:
        return len(self.formats)

    @property
    def header(self) -> tuple[tuple[Value, ...], ...]:
        return self.grid[: self.header_rows]

    @property
    def body(self) -> tuple[tuple[Value, ...], ...]:
        return self.grid[self.header_rows :]

    def spans(self) -> tuple[dict[tuple[int, int], tuple[int, int]], set[tuple[int, int]]]:
        """(row span, column span) of each merge's top-left cell, and the other cells the merges cover."""
        origins, covered = {}, set()
        for m in self.merges:
            origins[(m.top, m.left)] = (m.bottom - m.top + 1, m.right - m.left + 1)
            covered |= {(r, c) for r in range(m.top, m.bottom + 1) for c in range(m.left, m.right + 1)}
            covered.discard((m.top, m.left))
        return origins, covered

    def filled(self) -> list[list[Value]]:
        """The grid with every merged cell holding its range's text (for flat formats such as Markdown)."""
        grid = [list(row) for row in self.grid]
        for m in self.merges:
            for r in range(m.top, m.bottom + 1):
                for c in range(m.left, m.right + 1):
                    grid[r][c] = self.grid[m.top][m.left]
        return grid


@dataclass(frozen=True)
class Document:
    """A whole document (the appendix, an audit page): a title, the tables in order, and what it was made from."""

    title: str
    tables: tuple[Table, ...]
    meta: tuple[tuple[str, str], ...]  # (label, value) lines: year, as-of, rule pack, files, tool version
    lang: str = "zh"  # the language of its titles and notes (zh | en)


def format_value(value: Value, fmt: ColumnFormat) -> str:
    """A cell as text (HTML and Markdown): counts as integers, shares as percentages with one decimal."""
    if value is None:
        return ""
    if fmt == "percent" and isinstance(value, int | float):
        return f"{value * 100:.1f}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def display_width(text: str) -> int:
    """Columns the text takes on screen or paper: East Asian wide and full-width characters count 2."""
    wide = ("W", "F")
    return max(sum(2 if unicodedata.east_asian_width(ch) in wide else 1 for ch in line) for line in text.split("\n"))


def text_widths(table: Table) -> list[int]:
    """The display width each column needs: its widest cell, leaving out cells whose merge spans several columns
    (they take the width of the columns they span) and the cells a merge covers."""
    _, covered = table.spans()
    wide = {(m.top, m.left) for m in table.merges if m.right > m.left}
    widths = []
    for c, fmt in enumerate(table.formats):
        texts = [format_value(row[c], fmt if r >= table.header_rows else "text") for r, row in enumerate(table.grid)
                 if row[c] is not None and (r, c) not in covered and (r, c) not in wide]
        widths.append(max(map(display_width, texts), default=0))
    return widths


SUFFIXES = (".xlsx", ".docx", ".html", ".md")


def write(document: Document, target: Path) -> None:
    """Write a document in the format its file suffix names (.xlsx, .docx, .html or .md)."""
    from tongzhou_check.grids import html, markdown  # a writer's library loads only when its format is written

    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        from tongzhou_check.grids import xlsx

        xlsx.write(document, target)
        return
    if suffix == ".docx":
        from tongzhou_check.grids import docx

        docx.write(document, target)
        return
    render = html.render if suffix == ".html" else markdown.render
    target.write_text(render(document), encoding="utf-8")
