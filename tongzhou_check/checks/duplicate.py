"""TZ010: the same record twice in one sheet (same key columns)."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from tongzhou_check.checks.base import Context, Hit
from tongzhou_check.packtypes import Rule
from tongzhou_check.reader.sheet import SheetData


def duplicate(sheet: SheetData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    keys = sheet.key_columns()
    if not keys or sheet.rows.empty:
        return
    values = sheet.record_keys
    usable = values.notna()
    for key in keys:
        usable &= ~sheet.input_problem(key)
    values = values[usable]
    repeated = values.duplicated(keep="first")
    if not repeated.any():
        return
    first_row = pd.Series(values.index, index=values.index).groupby(values).transform("first")
    rows = values.index[repeated.to_numpy()]
    yield Hit(
        rows=rows,
        column=keys[0],
        fields={"first_row": first_row[rows], "keys": "、".join(sheet.header(k) for k in keys)},
    )
