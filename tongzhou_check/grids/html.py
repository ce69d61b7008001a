"""The appendix as one self-contained HTML page (inline CSS and SVG), for reading in a browser and printing."""

from __future__ import annotations

import math
import unicodedata
from html import escape

from tongzhou_check.grids import FAILED, PASSED, Chart, Document, Table, Value, format_value

FONTS = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimSun", sans-serif'

CSS = f"""
body {{ font-family: {FONTS}; font-size: 14px; color: #111; margin: 24px; }}
h1 {{ font-size: 22px; text-align: center; margin: 0 0 16px; }}
h2 {{ font-size: 16px; margin: 28px 0 8px; break-after: avoid; page-break-after: avoid; }}
dl.meta {{ display: grid; grid-template-columns: max-content auto; gap: 2px 16px; margin: 0 0 16px; }}
dl.meta dt {{ font-weight: bold; }}
dl.meta dd {{ margin: 0; }}
table {{ border-collapse: collapse; margin: 0 0 8px; }}
th, td {{ border: 1px solid #444; padding: 3px 6px; vertical-align: middle; white-space: pre-line; }}
thead th {{ background: #e6e6e6; text-align: center; font-weight: bold; word-break: keep-all; }}
tbody th {{ text-align: left; font-weight: normal; }}
td {{ text-align: left; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
th.short, td.short {{ white-space: nowrap; }}
th.wide, td.wide {{ min-width: 24em; }}
tr.error > * {{ background: #fdecea; }}
tr.warning > * {{ background: #fff4e0; }}
tr.info > * {{ background: #e8f0fe; }}
tr.suppressed > * {{ background: #f3f3f3; color: #666; }}
tr.error > .severity {{ color: #a50e0e; font-weight: bold; }}
tr.warning > .severity {{ color: #8a4b00; font-weight: bold; }}
tr.info > .severity {{ color: #174ea6; }}
p.empty {{ margin: 4px 0 8px; color: #137333; font-weight: bold; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
ul.notes {{ margin: 4px 0; padding-left: 20px; font-size: 13px; }}
ul.notes li.failed {{ color: #a50e0e; font-weight: bold; }}
ul.notes li.passed {{ color: #137333; }}
p.footer {{ margin: 4px 0; font-size: 12px; color: #555; }}
figure {{ margin: 8px 0; break-inside: avoid; page-break-inside: avoid; }}
figcaption {{ font-size: 13px; font-weight: bold; margin: 0 0 4px; }}
svg.chart {{ display: block; }}
svg.chart text {{ font-family: {FONTS}; font-size: 13px; fill: #111; }}
svg.chart rect {{ fill: #4a78b0; }}
@page {{ size: A4; margin: 12mm; }}
@media print {{
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
  body {{ margin: 0; font-size: 10px; }}
  h1 {{ font-size: 16px; margin: 0 0 8px; }}
  h2 {{ font-size: 12px; margin: 12px 0 4px; }}
  th, td {{ padding: 1px 3px; }}
  th.wide, td.wide {{ min-width: 0; }}
  ul.notes {{ font-size: 9px; margin: 2px 0; }}
  p.footer {{ font-size: 9px; margin: 2px 0; }}
  section {{ break-inside: avoid; page-break-inside: avoid; }}
}}
"""

BAR_HEIGHT = 28  # px per bar in the chart
BAR_AREA = 400  # px of the longest (or a 100 %) bar
VALUE_AREA = 80  # px after a bar for its value


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _cell(tag: str, text: str, attrs: dict[str, str]) -> str:
    attributes = "".join(f' {name}="{_text(value)}"' for name, value in attrs.items())
    return f"<{tag}{attributes}>{_text(text)}</{tag}>"


def _rows(table: Table, first: int, last: int, header: bool) -> list[str]:
    """The <tr> lines of grid rows first..last-1, skipping cells covered by a merge."""
    origins, covered = table.spans()
    lines = []
    for r in range(first, last):
        cells = []
        for c, value in enumerate(table.grid[r]):
            if (r, c) in covered:
                continue
            attrs: dict[str, str] = {}
            classes = [table.column_classes[c]] if table.column_classes and table.column_classes[c] else []
            rows, cols = origins.get((r, c), (1, 1))
            if header:
                tag, attrs["scope"] = "th", "colgroup" if cols > 1 else "col"
            elif c < table.label_columns:
                tag, attrs["scope"] = "th", "row"
            else:
                tag = "td"
                if table.formats[c] != "text":
                    classes.insert(0, "num")
            if classes:
                attrs["class"] = " ".join(classes)
            if rows > 1:
                attrs["rowspan"] = str(rows)
            if cols > 1:
                attrs["colspan"] = str(cols)
            cells.append(_cell(tag, format_value(value, table.formats[c]), attrs))
        row_class = "" if header or not table.row_classes else table.row_classes[r - table.header_rows]
        lines.append((f'<tr class="{_text(row_class)}">' if row_class else "<tr>") + "".join(cells) + "</tr>")
    return lines


def _note(note: str) -> str:
    """A note under a table; one reporting a failed cross-check (✗) stands out, one reporting a passed one (✓) is
    green."""
    kind = "failed" if FAILED in note else "passed" if PASSED in note else ""
    return f'<li class="{kind}">{_text(note)}</li>' if kind else f"<li>{_text(note)}</li>"


def _number(value: Value) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _text_width(text: str) -> int:
    """Rough width in px of text at 13 px: CJK characters are square, the others about half."""
    return sum(13 if unicodedata.east_asian_width(ch) in "WF" else 7 for ch in text)


def _chart(table: Table, chart: Chart) -> str:
    """A horizontal bar chart, one bar per body row: the label on the left, the value at the bar's end."""
    fmt = table.formats[chart.value_column]
    body = table.filled()[table.header_rows :]
    labels = [format_value(row[chart.label_column], table.formats[chart.label_column]) for row in body]
    values = [row[chart.value_column] for row in body]
    numbers = [max(_number(v) or 0.0, 0.0) for v in values]
    scale = 1.0 if fmt == "percent" else max(numbers, default=0.0) or 1.0
    label_area = min(max((_text_width(label) for label in labels), default=0), 360) + 12
    width, height = label_area + BAR_AREA + VALUE_AREA, BAR_HEIGHT * len(body) + 8
    title = _text(chart.title)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{title}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{title}</title>",
    ]
    for i, (label, value, number) in enumerate(zip(labels, values, numbers, strict=True)):
        y = 4 + i * BAR_HEIGHT
        bar = round(min(number / scale, 1.0) * BAR_AREA, 1)
        middle = y + BAR_HEIGHT // 2
        parts += [
            f'<text x="{label_area - 8}" y="{middle}" text-anchor="end" dominant-baseline="middle">'
            f"{_text(label)}</text>",
            f'<rect x="{label_area}" y="{y + 4}" width="{bar}" height="{BAR_HEIGHT - 8}"/>',
            f'<text x="{label_area + bar + 6}" y="{middle}" dominant-baseline="middle">'
            f"{_text(format_value(value, fmt))}</text>",
        ]
    parts.append("</svg>")
    return "\n".join([f"<figure><figcaption>{title}</figcaption>", *parts, "</figure>"])


def _table(table: Table) -> str:
    lines = ["<section>", f"<h2>{_text(table.title)}</h2>"]
    if table.empty and not table.body:
        lines.append(f'<p class="empty">{_text(table.empty)}</p>')
    else:
        lines += [
            "<table>",
            "<thead>",
            *_rows(table, 0, table.header_rows, header=True),
            "</thead>",
            "<tbody>",
            *_rows(table, table.header_rows, len(table.grid), header=False),
            "</tbody>",
            "</table>",
        ]
    if table.chart is not None:
        lines.append(_chart(table, table.chart))
    if table.notes:
        lines += ['<ul class="notes">', *(_note(note) for note in table.notes), "</ul>"]
    if table.footer:
        lines.append(f'<p class="footer">{_text(table.footer)}</p>')
    lines.append("</section>")
    return "\n".join(lines)


def render(appendix: Document) -> str:
    """The appendix as one self-contained HTML page: inline CSS, inline SVG charts, no external references."""
    meta = [f"<dt>{_text(label)}</dt><dd>{_text(value)}</dd>" for label, value in appendix.meta]
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if appendix.lang == "en" else "zh-CN"}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_text(appendix.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_text(appendix.title)}</h1>",
        *(['<dl class="meta">', *meta, "</dl>"] if meta else []),
        *(_table(table) for table in appendix.tables),
        "</body>",
        "</html>",
    ]
    return "\n".join(lines) + "\n"
