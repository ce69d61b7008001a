"""China's official working-day calendar: holidays and make-up working days (调休), counted as column operations.

The data come from the `chinesecalendar` package (the State Council's yearly holiday notices, 2004 onwards), read
once into a day index; a user YAML file adds or corrects years. A working-day count is one subtraction of a
cumulative index per row. A date in a year no source covers is never guessed: callers get NaN/NaT and report TZ009.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from tongzhou_check.text import TextFileError, load_yaml, read_text_file

FIRST_YEAR, LAST_YEAR = 1900, 2200  # years a calendar, option or date may name (pandas' dates end in 2262)

ONE_DAY = np.timedelta64(1, "D")
HOLIDAY_NAMES = {  # chinesecalendar's names → the State Council notice's
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节", "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


class CalendarError(Exception):
    """An invalid calendar file: names the file and the problem."""


@dataclass(frozen=True)
class Calendar:
    source: str
    first: dt.date  # first covered day
    last: dt.date  # last covered day
    covered_years: frozenset[int]
    working: np.ndarray  # bool per day from `first` to `last`
    cumulative: np.ndarray  # working days in [first, day] per day
    holidays: dict[dt.date, str]
    makeup: dict[dt.date, str]

    # ---- scalar helpers (for the `workdays` command and messages) ----
    @property
    def missing_years(self) -> list[int]:
        """Years inside [first, last] that no source covers."""
        return sorted(set(range(self.first.year, self.last.year + 1)) - self.covered_years)

    def missing_year(self, day: dt.date) -> int:
        """The first year a computation from `day` lacks: its own, a gap after it, or the year after the data."""
        if day.year not in self.covered_years:
            return day.year
        return next((y for y in self.missing_years if y > day.year), self.last.year + 1)

    def covers(self, day: dt.date) -> bool:
        return self.first <= day <= self.last and day.year in self.covered_years

    def _pos(self, day: dt.date) -> int:
        return (day - self.first).days

    def is_working_day(self, day: dt.date) -> bool:
        if not self.covers(day):
            raise KeyError(day.year)
        return bool(self.working[self._pos(day)])

    def count(self, start: dt.date, end: dt.date, include_start: bool = False) -> int:
        """Working days in (start, end] — or [start, end] with include_start."""
        value = self.count_series(pd.Series([start]), pd.Series([end]), include_start).iloc[0]
        if pd.isna(value):
            raise KeyError(self.missing_year(start if not self.covers(start) else end))
        return int(value)

    def add(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (n ≥ 1); `day` itself is not counted (民法典 第二百零一条)."""
        value = self.add_series(pd.Series([day]), pd.Series([n])).iloc[0]
        if pd.isna(value):
            raise KeyError(self.missing_year(day))
        return value.date()

    def roll_forward(self, day: dt.date) -> dt.date:
        """`day`, or the next working day when it is not one (民法典 第二百零三条)."""
        value = self.roll_forward_series(pd.Series([day])).iloc[0]
        if pd.isna(value):
            raise KeyError(self.missing_year(day))
        return value.date()

    def back(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day before `day` (n ≥ 1), `day` itself not counted."""
        if not self.covers(day):
            raise KeyError(self.missing_year(day))
        earlier = np.flatnonzero(self.working[: self._pos(day)])
        if len(earlier) < n:
            raise KeyError(self.first.year - 1)
        found = self.first + dt.timedelta(days=int(earlier[-n]))
        self._check_between(found, day)
        return found

    def roll_back(self, day: dt.date) -> dt.date:
        """`day`, or the last working day before it when it is not one (a deadline counted backwards)."""
        if not self.covers(day):
            raise KeyError(self.missing_year(day))
        earlier = np.flatnonzero(self.working[: self._pos(day) + 1])
        if not len(earlier):
            raise KeyError(self.first.year - 1)
        found = self.first + dt.timedelta(days=int(earlier[-1]))
        self._check_between(found, day)
        return found

    def _check_between(self, a: dt.date, b: dt.date) -> None:
        gap = next((y for y in self.missing_years if a.year <= y <= b.year), None)
        if gap is not None or not self.covers(a):
            raise KeyError(gap if gap is not None else self.missing_year(a))

    # ---- column operations ----
    def _positions(self, days: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """Day positions in the index and which days are covered."""
        values = pd.to_datetime(days, errors="coerce").to_numpy(dtype="datetime64[D]")
        pos = (values - np.datetime64(self.first, "D")).astype("int64")
        ok = ~np.isnat(values) & (pos >= 0) & (pos < len(self.working))
        ok[ok] &= self._covered_year(pos[ok])
        return np.where(ok, pos, 0), ok

    def _covered_year(self, pos: np.ndarray) -> np.ndarray:
        years = (np.datetime64(self.first, "D") + pos).astype("datetime64[Y]").astype(int) + 1970
        return np.isin(years, list(self.covered_years))

    def covered(self, days: pd.Series) -> pd.Series:
        """True where the date is covered; empty dates count as covered (nothing to compute)."""
        _, ok = self._positions(days)
        return pd.Series(ok | days.isna().to_numpy(), index=days.index)

    def count_series(self, start: pd.Series, end: pd.Series, include_start: bool = False) -> pd.Series:
        """Working days in (start, end] per row (negative when end < start); NaN where either is uncovered."""
        p0, ok0 = self._positions(start)
        p1, ok1 = self._positions(end)
        counts = self.cumulative[p1] - self.cumulative[p0]
        if include_start:
            counts = counts + self.working[p0]
        out = np.where(ok0 & ok1, counts, np.nan)
        return pd.Series(out, index=start.index)

    def add_series(self, day: pd.Series, n: pd.Series) -> pd.Series:
        """The n-th working day after each day; NaT where the day or the answer is not covered."""
        pos, ok = self._positions(day)
        steps = pd.to_numeric(n, errors="coerce").to_numpy(dtype=float)
        ok &= ~np.isnan(steps)
        target = self.cumulative[pos] + np.where(ok, steps, 0).astype("int64")
        # the first day whose cumulative count reaches target
        found = np.searchsorted(self.cumulative, target, side="left")
        ok &= found < len(self.cumulative)
        found = np.where(ok, found, 0)
        ok[ok] &= self._covered_year(found[ok]) & self._all_covered(pos[ok], found[ok])
        dates = np.datetime64(self.first, "D") + found
        return pd.Series(np.where(ok, dates, np.datetime64("NaT")), index=day.index, dtype="datetime64[s]")

    def roll_forward_series(self, day: pd.Series) -> pd.Series:
        """Each day, or the next working day after it when it is not one."""
        pos, ok = self._positions(day)
        previous = self.cumulative[pos] - self.working[pos]
        found = np.searchsorted(self.cumulative, previous + 1, side="left")
        ok &= found < len(self.cumulative)
        found = np.where(ok, found, 0)
        ok[ok] &= self._covered_year(found[ok]) & self._all_covered(pos[ok], found[ok])
        dates = np.datetime64(self.first, "D") + found
        return pd.Series(np.where(ok, dates, np.datetime64("NaT")), index=day.index, dtype="datetime64[s]")

    def _all_covered(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Every year between two positions is covered (no gap year was skipped over)."""
        if len(self.covered_years) == self.last.year - self.first.year + 1:
            return np.ones(len(a), dtype=bool)
        ya = (np.datetime64(self.first, "D") + a).astype("datetime64[Y]").astype(int) + 1970
        yb = (np.datetime64(self.first, "D") + b).astype("datetime64[Y]").astype(int) + 1970
        gaps = np.array(self.missing_years)
        return ~((gaps[None, :] >= ya[:, None]) & (gaps[None, :] <= yb[:, None])).any(axis=1)

    def between(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, str, str]]:
        """Holidays and make-up working days in (start, end]: (date, "holiday"|"makeup", name)."""
        days = [(d, "holiday", n) for d, n in self.holidays.items() if start < d <= end]
        days += [(d, "makeup", n) for d, n in self.makeup.items() if start < d <= end]
        return sorted(days)


def _library_tables() -> tuple[dict[dt.date, str], dict[dt.date, str], set[int], str]:
    import chinese_calendar

    holidays = {d: HOLIDAY_NAMES.get(n, str(n)) for d, n in chinese_calendar.constants.holidays.items()}
    makeup = {d: HOLIDAY_NAMES.get(n, str(n)) for d, n in chinese_calendar.constants.workdays.items()}
    years = {d.year for d in holidays} | {d.year for d in makeup}
    version = getattr(chinese_calendar, "__version__", "")
    return holidays, makeup, years, f"chinesecalendar {version}".strip()


def _dates(items: Iterable[Any], path: Path, where: str) -> dict[dt.date, str]:
    """`2027-01-01`, or `{from: 2027-02-06, to: 2027-02-13, name: 春节}`."""
    out: dict[dt.date, str] = {}
    for i, item in enumerate(items or []):
        try:
            if isinstance(item, dict):
                first = dt.date.fromisoformat(str(item["from"]))
                last = dt.date.fromisoformat(str(item.get("to", item["from"])))
                name = str(item.get("name", "--calendar"))
            else:
                first = last = dt.date.fromisoformat(str(item))
                name = "--calendar"
        except (KeyError, ValueError, TypeError) as exc:
            raise CalendarError(f"{path}: {where}[{i}]: not a date or a date range ({exc})") from None
        day = first
        while day <= last:
            out[day] = name
            day += dt.timedelta(days=1)
    return out


def _user_years(path: Path) -> tuple[dict[int, tuple[dict, dict]], str]:
    """A user calendar file: `years: {2027: {holidays: [...], workdays: [...]}}`."""
    try:
        doc = load_yaml(read_text_file(path)) or {}
    except (TextFileError, yaml.YAMLError) as exc:
        raise CalendarError(f"{path}: cannot read calendar file: {exc}") from None
    years = doc.get("years") if isinstance(doc, dict) else None
    if not isinstance(years, dict):
        raise CalendarError(f"{path}: $.years: expected a mapping of year to holidays and workdays")
    out = {}
    for year, spec in years.items():
        if not isinstance(year, int) or not isinstance(spec, dict) or not FIRST_YEAR <= year <= LAST_YEAR:
            raise CalendarError(f"{path}: $.years.{str(year)[:12]}: expected `YEAR: {{holidays: [...], "
                                f"workdays: [...]}}` with a year in {FIRST_YEAR}–{LAST_YEAR}")
        holidays = _dates(spec.get("holidays"), path, f"$.years.{year}.holidays")
        makeup = _dates(spec.get("workdays"), path, f"$.years.{year}.workdays")
        for day in [*holidays, *makeup]:
            if day.year != year:
                raise CalendarError(f"{path}: $.years.{year}: {day} is not in {year}")
        out[year] = (holidays, makeup)
    return out, str(path)


def load_calendar(extra: Path | None = None) -> Calendar:
    """The library's calendar, with the years of a user YAML file added or replaced."""
    holidays, makeup, years, source = _library_tables()
    if extra is not None:
        user, where = _user_years(extra)
        for year, (h, m) in user.items():
            holidays = {d: n for d, n in holidays.items() if d.year != year} | h
            makeup = {d: n for d, n in makeup.items() if d.year != year} | m
            years.add(year)
        source = f"{source} + {where}"
    first, last = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    days = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + ONE_DAY)
    weekday = (days.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    working = weekday < 5
    index = {d: i for i, d in enumerate(days.astype(object))}
    for day in holidays:
        working[index[day]] = False
    for day in makeup:
        working[index[day]] = True
    return Calendar(
        source=source,
        first=first,
        last=last,
        covered_years=frozenset(years),
        working=working,
        cumulative=np.cumsum(working),
        holidays=dict(sorted(holidays.items())),
        makeup=dict(sorted(makeup.items())),
    )
