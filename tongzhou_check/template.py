"""A blank submission workbook: one sheet per kind of a pack, canonical headers, drop-downs and hints."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tongzhou_check.grids import HEADER_FILL
from tongzhou_check.linebreak import wrap
from tongzhou_check.packtypes import WAIVER, Column, Kind, Pack

ROWS = 1000  # data rows that get the drop-downs and date formats
LIST_LIMIT = 255  # Excel's limit on an in-cell list's source
PROMPT_LIMIT = 255  # Excel's limit on a data validation's input message
TITLE_SIZE = 14  # points; the sheet's body is Calibri 11, whose "0" is one unit of column width
HEADER_ROW = 3  # a title row and a 填报单位 row above it, as agencies' own workbooks have
REQUIRED = "*"  # a header suffix the reader accepts; marks what must be filled in

TEXT = {
    "zh": {
        "title": "{title}(表头带 * 的为必填项;请从第 4 行起逐行填写,每行一条记录)",
        "required": "必填。", "optional": "选填。",
        "date": "日期,如 2018-09-03。", "int": "非负整数。", "text": "文字。",
        "multi_text": "可填多项,用顿号分隔。", "channels": "公开渠道,可填多项,用顿号分隔(如 政府网站、公开查阅点)。",
        "enum": "从下拉列表中选择:{values}。", "enum_short": "从下拉列表中选择(共 {count} 项,完整列表见表头批注)。",
        "multi_enum": "可填多项,用顿号分隔:{values}。",
        "aliases": "表头也可写作:{aliases}。", "sample": "示例:{sample}",
        "waiver": "选填。某行确有理由不适用某条规则时写“规则编号: 理由”,如 TZ201: 紧急决策,经区政府批准。",
        "list_title": "请选择", "error": "请从下拉列表中选择", "date_error": "请填写日期,如 2018-09-03",
        "int_error": "请填写非负整数",
    },
    "en": {
        "title": "{title} (headers marked * are required; one record per row from row 4)",
        "required": "Required. ", "optional": "Optional. ",
        "date": "A date, e.g. 2018-09-03. ", "int": "A whole number ≥ 0. ", "text": "Text. ",
        "multi_text": "One or more, separated by 、. ", "channels": "Channels, one or more, separated by 、. ",
        "enum": "Pick from the list: {values}. ",
        "enum_short": "Pick from the list ({count} values; the header's comment lists them all). ",
        "multi_enum": "One or more, separated by 、: {values}. ",
        "aliases": "The header may also read: {aliases}. ", "sample": "Example: {sample}",
        "waiver": "Optional. When a rule does not apply to a row for a reason, write “RULE: reason”, "
                  "e.g. TZ201: 紧急决策,经区政府批准.",
        "list_title": "Choose", "error": "Pick a value from the list", "date_error": "Enter a date, e.g. 2018-09-03",
        "int_error": "Enter a whole number ≥ 0",
    },
}


def choices(column: Column) -> list[str]:
    """The values a drop-down offers: each value in its shortest accepted form (a two-level value by its leaf
    where the leaf is unique), quotes dropped (the reader ignores them)."""
    if not column.tree:
        return list(column.values)
    leaves = [leaf for _, group in column.tree for leaf in group]
    shortest = []
    for group, items in column.tree:
        shortest += [group] if not items else [leaf if leaves.count(leaf) == 1 else f"{group}/{leaf}" for leaf in items]
    return [value.replace('"', "") for value in shortest]


def _hint(column: Column, text: dict[str, str], short: bool = False) -> str:
    """The header comment's text; `short` names the drop-down's values by their count instead of listing them."""
    values = column.values if not column.tree else choices(column)
    if short and column.type == "enum":
        kind = text["enum_short"].format(count=len(values))
    else:
        kind = text[column.type].format(values="、".join(values)) if column.type in text else ""
    parts = [text["required" if column.required else "optional"], kind]
    if column.aliases:
        parts.append(text["aliases"].format(aliases="、".join(column.aliases)))
    if column.sample not in (None, ""):
        parts.append(text["sample"].format(sample=column.sample))
    return "".join(parts)


def prompt(column: Column, text: dict[str, str]) -> str:
    """A drop-down's input message within Excel's limit: the whole hint, or the values counted rather than listed
    (the drop-down shows them), or failing that its first sentences — never cut mid-sentence."""
    for hint in (_hint(column, text), _hint(column, text, short=True)):
        if len(hint.rstrip()) <= PROMPT_LIMIT:
            return hint.rstrip()
    ends = [m.end() for m in re.finditer(r"[。;]|[.;] ", hint) if m.end() <= PROMPT_LIMIT]
    return hint[:ends[-1]].rstrip() if ends else hint[:PROMPT_LIMIT - 1] + "…"


def _validation(column: Column, text: dict[str, str]) -> DataValidation | None:
    if column.type == "enum":
        source = ",".join(choices(column))
        if len(source) > LIST_LIMIT:  # too long for an in-cell list: the header's comment lists the values
            return None
        return DataValidation(type="list", formula1=f'"{source}"', allow_blank=True, showErrorMessage=True,
                              errorStyle="warning", error=text["error"], promptTitle=text["list_title"])
    if column.type == "date":
        return DataValidation(type="date", operator="between", formula1="DATE(1990,1,1)", formula2="DATE(2099,12,31)",
                              allow_blank=True, showErrorMessage=True, errorStyle="warning", error=text["date_error"])
    if column.type == "int":
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                              showErrorMessage=True, errorStyle="warning", error=text["int_error"])
    return None


def _sheet(book: Workbook, kind: Kind, pack: Pack, text: dict[str, str]) -> None:
    ws = book.create_sheet(kind.names[0])
    columns = [c for c in kind.columns.values() if c.key != WAIVER]  # the waiver last, with its own hint
    width = len(columns) + 1  # the kind's columns, then 豁免说明
    title = ws.cell(1, 1, text["title"].format(title=kind.title["zh"]))
    title.font = Font(bold=True, size=TITLE_SIZE)
    title.alignment = Alignment(vertical="center", wrap_text=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(2, 1, f"{pack.reading.agency_labels[0]}:" if pack.reading.agency_labels else "")
    header_fill = PatternFill(fill_type="solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    hints = [(c.header + (REQUIRED if c.required else ""), _hint(c, text), c) for c in columns]
    hints.append((kind.columns[WAIVER].header, text["waiver"], None))
    for i, (header, hint, column) in enumerate(hints, start=1):
        cell = ws.cell(HEADER_ROW, i, header)
        cell.font = Font(bold=True, color="C00000" if column is not None and column.required else None)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.comment = Comment(hint, "tzcheck", width=320, height=140)
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(12, min(40, 2 * len(header) + 4))
        if column is None:
            continue
        if column.type == "date":
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
        elif column.type == "text":
            ws.column_dimensions[letter].number_format = "@"
        validation = _validation(column, text)
        if validation is not None:
            validation.prompt = prompt(column, text)
            validation.showInputMessage = True
            validation.add(f"{letter}{HEADER_ROW + 1}:{letter}{HEADER_ROW + ROWS}")
            ws.add_data_validation(validation)
    _fit_title(ws, title.value, width)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _fit_title(ws: Worksheet, title: str, columns: int) -> None:
    """Row 1 as tall as the title needs, wrapped across the table: a narrow sheet (网民纠错) would clip it."""
    units = sum(ws.column_dimensions[get_column_letter(i)].width for i in range(1, columns + 1))
    cells = int(units * 11 / TITLE_SIZE * 0.9)  # a CJK character is two units at 11 points; a margin for fonts
    lines = len(wrap(title, max(cells, 10)))
    ws.row_dimensions[1].height = lines * TITLE_SIZE * 1.45 + 4


def write_template(pack: Pack, target: Path, lang: str = "zh") -> None:
    """Write a blank workbook with a sheet for every kind of the pack, in the pack's order."""
    book = Workbook()
    book.remove(book.active)
    for kind in pack.kinds.values():
        _sheet(book, kind, pack, TEXT[lang])
    book.save(target)

