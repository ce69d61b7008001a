"""Structural input checks: unreadable files, unrecognised sheets, missing required columns."""

from __future__ import annotations

from collections.abc import Iterator

from tongzhou_check.checks.base import Context, Hit, Workbook
from tongzhou_check.packtypes import Rule
from tongzhou_check.reader.sheet import SheetData


def unreadable_file(book: Workbook, rule: Rule, ctx: Context) -> Iterator[Hit]:
    if book.error is not None:
        zh, en = book.error.texts()
        yield Hit(fields={"reason": {"zh": zh, "en": en}})


def no_recognised_sheet(book: Workbook, rule: Rule, ctx: Context) -> Iterator[Hit]:
    if book.error is None and not book.sheets:
        yield Hit(fields={"sheets": book.sheet_count})


def unrecognised_sheet(book: Workbook, rule: Rule, ctx: Context) -> Iterator[Hit]:
    for raw in book.unrecognised:
        yield Hit(sheet=raw, fields={"sheet": raw.name})


def missing_column(sheet: SheetData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    for key in sheet.layout.missing:
        column = sheet.kind.columns[key]
        yield Hit(
            subject=key,
            fields={
                "missing": column.header,
                "aliases": "、".join(column.headers),
                "kind": sheet.kind.title,
            },
        )
