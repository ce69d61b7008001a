"""Parameters that change over time: a plain value, or `{from, value, basis}` periods (a law amended)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd


def _is_periods(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict) and "from" in value[0]


def param_at(value: Any, on: dt.date) -> tuple[Any, Any]:
    """A parameter in force on a date: a plain value, or the last `{from, value, basis}` period begun by then.

    Before the first period the parameter is not in force: (None, "").
    """
    if not _is_periods(value):
        return value, ""
    current = None
    for period in sorted(value, key=lambda p: str(p["from"])):
        if dt.date.fromisoformat(str(period["from"])) <= on:
            current = period
    return (current["value"], current.get("basis", "")) if current else (None, "")


def param_series(value: Any, on: pd.Series) -> tuple[pd.Series, pd.Series]:
    """param_at for a column of dates at once: (values, bases); NaN/"" where no period is in force."""
    if not _is_periods(value):
        return pd.Series(value, index=on.index, dtype=float), pd.Series("", index=on.index, dtype=object)
    days = pd.to_datetime(on, errors="coerce")
    values = pd.Series(np.nan, index=on.index, dtype=float)
    which = pd.Series(-1, index=on.index)
    periods = sorted(value, key=lambda p: str(p["from"]))
    for i, period in enumerate(periods):
        started = (days >= pd.Timestamp(str(period["from"]))).to_numpy()
        values[started] = period["value"]
        which[started] = i
    bases = np.empty(len(periods) + 1, dtype=object)  # a basis may be a {zh, en} label; the last: no period yet
    bases[:] = [period.get("basis", "") for period in periods] + [""]
    return values, pd.Series(bases[which.to_numpy()], index=on.index, dtype=object)
