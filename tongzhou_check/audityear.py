"""Which year a workbook is audited for and at which date, when no option says: its title (`2018年…`), its file
name, or the year most of its records' dates fall in — and why, so every output can say so."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

import pandas as pd

from tongzhou_check.masking import mask
from tongzhou_check.model import Period
from tongzhou_check.reader import Workbook

_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")  # 2018年… but not 2019年1月5日
_NAME_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass(frozen=True)
class Pin:
    """What options or the configuration fixed; the rest is decided per workbook."""

    year: int | None = None
    as_of: dt.date | None = None
    year_from: str = "option"  # option | config
    as_of_from: str = "option"
    fallback: int | None = None  # the year when nothing in a workbook says (None: today's)
    count_dates: bool = False  # count the records' dates per year even when the year is fixed (the appendix)


def title_year(book: Workbook) -> tuple[int, str] | None:
    """The year the title rows above the sheets' headers name most often (ties: the first), with its title."""
    found: list[tuple[int, str]] = []
    for sheet in book.sheets:
        for row in sheet.above:
            for text in row:
                found += [(int(m[1]), text.strip()) for m in _TITLE_YEAR.finditer(text or "")]
    if not found:
        return None
    counts = Counter(year for year, _ in found)
    best = max(counts.values())
    return next((year, text) for year, text in found if counts[year] == best)


def name_year(path: PurePath) -> int | None:
    """The year in a file name (`区教委-2018.xlsx`), when it names exactly one."""
    years = {int(m[1]) for m in _NAME_YEAR.finditer(path.stem)}
    return years.pop() if len(years) == 1 else None


def dated(book: Workbook) -> dict[int, int]:
    """How many date cells of the records fall in each year."""
    counts: Counter[int] = Counter()
    for sheet in book.sheets:
        for key, column in sheet.kind.columns.items():
            if column.type != "date" or key not in sheet.columns:
                continue
            values = sheet.values(key).dropna()
            if not len(values):
                continue
            codes, uniques = pd.factorize(values.to_numpy(dtype=object))
            per_unique = pd.Series(codes).value_counts()
            for code, n in per_unique.items():
                counts[uniques[code].year] += int(n)
    return dict(counts)


def _as_of(year: int, today: dt.date) -> tuple[dt.date, str]:
    """The last day of a year that is over, else today."""
    end = dt.date(year, 12, 31)
    return (end, "year_end") if end < today else (today, "today")


def period(book: Workbook, path: PurePath, pin: Pin, today: dt.date) -> Period:
    """The workbook's year and as-of: options over the configuration over its title, file name and dates (the
    dates are counted only when the title and file name say nothing, or when asked to)."""
    counts = dated(book) if pin.count_dates else None
    listed = tuple(sorted(counts.items())) if counts else ()
    if pin.as_of is not None:
        year, year_from = (pin.year, pin.year_from) if pin.year is not None else (pin.as_of.year, "as_of")
        return Period(year, pin.as_of, year_from, pin.as_of_from, "", listed)
    if pin.year is not None:
        as_of, as_of_from = _as_of(pin.year, today)
        return Period(pin.year, as_of, pin.year_from, as_of_from, "", listed)
    year, year_from, detail = _inferred(book, path, counts, pin.fallback or today.year)
    as_of, as_of_from = _as_of(year, today)
    return Period(year, as_of, year_from, as_of_from, mask(detail) or "", listed)


def _inferred(book: Workbook, path: PurePath, counts: dict[int, int] | None, fallback: int) -> tuple[int, str, str]:
    titled = title_year(book)
    if titled is not None:
        return titled[0], "title", titled[1]
    named = name_year(path)
    if named is not None:
        return named, "filename", path.name
    counts = dated(book) if counts is None else counts
    if counts:
        year = max(sorted(counts), key=lambda y: counts[y])
        return year, "dates", f"{counts[year]}/{sum(counts.values())}"
    return fallback, "default", ""
