"""TZ008: an event dated before the event it follows (the pairs are the kinds' `date_order`)."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from tongzhou_check.checks.base import Context, Hit
from tongzhou_check.packtypes import Rule
from tongzhou_check.reader.sheet import SheetData


def date_order(sheet: SheetData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    reported: dict[str, pd.Series] = {}
    for earlier, later in sheet.kind.date_order:
        if earlier not in sheet.columns or later not in sheet.columns:
            continue
        first, then = sheet.values(earlier), sheet.values(later)
        known = first.notna() & then.notna() & ~sheet.input_problem(earlier) & ~sheet.input_problem(later)
        before = pd.Series(False, index=sheet.rows)
        before[known] = then[known] < first[known]
        before &= ~reported.get(later, False)  # one finding per cell: the first pair that fails
        if before.any():
            reported[later] = before | reported.get(later, False)
            rows = sheet.rows[before.to_numpy()]
            yield Hit(
                rows=rows,
                column=later,
                fields={"earlier_header": sheet.header(earlier), "earlier_value": sheet.text(earlier, rows)},
            )
