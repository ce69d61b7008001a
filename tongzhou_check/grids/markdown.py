"""The appendix as Markdown: one pipe table per appendix table, merged labels shown once."""

from __future__ import annotations

import html

from tongzhou_check.grids import Document, Table, format_value


def _cell(text: str) -> str:
    """Agency text stays text: no raw HTML, no pipe or line break that would split the table."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def _header(table: Table) -> list[str]:
    """One header line: each column's header texts top-down, a vertically merged label once."""
    grid = [list(row) for row in table.header]
    for m in table.merges:
        if m.top < table.header_rows:
            for r in range(m.top, m.bottom + 1):
                grid[r][m.left] = table.grid[m.top][m.left]
    columns = []
    for c in range(table.width):
        texts = [str(row[c]) for row in grid if row[c] not in (None, "")]
        columns.append(" · ".join(dict.fromkeys(texts)))
    return columns


def _table(table: Table) -> list[str]:
    lines = [f"## {_cell(table.title)}", ""]
    lines.append("| " + " | ".join(_cell(h) for h in _header(table)) + " |")
    lines.append("|" + "|".join("---:" if f != "text" else "---" for f in table.formats) + "|")
    for row in table.body:
        cells = (_cell(format_value(v, table.formats[c])) for c, v in enumerate(row))
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines += [f"- {_cell(note)}" for note in table.notes]
    if table.notes:
        lines.append("")
    if table.footer:
        lines += [f"*{_cell(table.footer)}*", ""]
    return lines


def render(appendix: Document) -> str:
    lines = [f"# {_cell(appendix.title)}", ""]
    lines += [f"- {_cell(label)}:{_cell(value)}" for label, value in appendix.meta]
    lines.append("")
    for table in appendix.tables:
        lines += _table(table)
    return "\n".join(lines)
