"""TZ010: the same record twice in one sheet (same key columns)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
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
    # each key's first row, from a dict: pandas' string hashing would leave a UTF-8 copy inside every key
    first: dict[str, int] = {}
    put = first.setdefault
    first_row = np.fromiter(map(put, values.tolist(), values.index.tolist()), dtype=np.int64, count=len(values))
    repeated = first_row != values.index.to_numpy()
    if not repeated.any():
        return
    rows = values.index[repeated]
    yield Hit(
        rows=rows,
        column=keys[0],
        fields={"first_row": pd.Series(first_row[repeated], index=rows),
                "keys": "、".join(sheet.header(k) for k in keys)},
    )
