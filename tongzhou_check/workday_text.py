"""`tzcheck workdays`: working-day arithmetic on the official calendar, answered in a clerk's words — forwards, or
backwards for a reversed range and a negative --add / --days, always with the holidays and make-up days between."""

from __future__ import annotations

import datetime as dt

import numpy as np

from tongzhou_check.model import Report
from tongzhou_check.packtypes import Pack
from tongzhou_check.workdays import Calendar

WORKDAYS_TEXT = {
    "zh": {
        "count": "{start} 至 {end}:按{convention}计算,共 {count} 个工作日。",
        "count_back": "{start} 往前至 {end}(截止日早于起算日,倒数):按{convention}计算,共 {count} 个工作日。",
        "include": "开始当日计入", "exclude": "开始当日不计入(民法典第二百零一条)",
        "include_back": "两端都计入", "exclude_back": "{start} 当日不计入",
        "add": "{start} 之后第 {n} 个工作日(开始当日不计入):{due}。",
        "add_back": "{start} 之前第 {n} 个工作日(当日不计入):{due}。",
        "days": "{start} 起 {n} 日的期限:{plain}{rolled}。",
        "days_back": "{start} 之前 {n} 日:{plain}{rolled}。",
        "rolled": ",该日不是工作日,顺延至 {due}(民法典第二百零三条)",
        "rolled_back": ",该日不是工作日,提前至 {due}",
        "holiday": "  {day} 放假({name})", "makeup": "  {day} 调休上班({name})",
        "between": "其间的节假日与调休:", "none": "其间没有节假日或调休。",
        "uncovered": "日历({source})未收录 {year} 年的节假日安排,无法计算;请用 --calendar 补充该年。",
    },
    "en": {
        "count": "{start} to {end}: {count} working days, {convention}.",
        "count_back": "{start} back to {end} (the end is before the start, counted backwards): {count} working days, "
                      "{convention}.",
        "include": "counting the first day", "exclude": "the first day not counted as 民法典 Art. 201 says",
        "include_back": "counting both ends", "exclude_back": "{start} itself not counted",
        "add": "The {nth} working day after {start} (not counting it): {due}.",
        "add_back": "The {nth} working day before {start} (not counting it): {due}.",
        "days": "{n} days after {start}: {plain}{rolled}.",
        "days_back": "{n} days before {start}: {plain}{rolled}.",
        "rolled": ", not a working day, so the deadline moves to {due} as 民法典 Art. 203 says",
        "rolled_back": ", not a working day, so it moves back to {due}",
        "holiday": "  {day} holiday ({name})", "makeup": "  {day} make-up working day ({name})",
        "between": "Holidays and make-up working days in between:", "none": "No holidays or make-up days in between.",
        "uncovered": "The calendar ({source}) lacks the holidays of {year}; supply the year with --calendar.",
    },
}


CALENDAR_NOTES = {  # `tzcheck audit --verbose`: what TZ009's clerk message leaves out
    "zh": {"source": "工作日日历:{source},收录 {first} 至 {last}。",
           "uncovered": "{count} 处期限需要日历未收录的年份,无法判断({rules})。年份无误时,用 --calendar 文件补充该年的"
                        "法定节假日和调休安排。"},
    "en": {"source": "Working-day calendar: {source}, covering {first} to {last}.",
           "uncovered": "{count} periods need a year the calendar lacks and were not judged ({rules}). When the year "
                        "is right, add its holidays and make-up working days with a --calendar file."},
}


UNCOVERED = "calendar_not_covered"  # the reason a period's check gives for a year the calendar lacks


def calendar_notes(report: Report, pack: Pack, lang: str) -> list[str]:
    """The calendar an audit counted on, and, when some period needed a year it lacks, how to add that year."""
    text = CALENDAR_NOTES[lang]
    first, last = report.calendar_covers or ("?", "?")
    notes = [text["source"].format(source=report.calendar_source, first=first, last=last)]
    rules = [r.id for r in pack.rules.values() if UNCOVERED in r.raised_by]  # TZ009 in the built-in pack
    uncovered = int(np.isin(report.findings.column("rule"), rules).sum())
    if uncovered:
        notes.append(text["uncovered"].format(count=uncovered, rules="、".join(rules)))
    return notes


class Uncovered(Exception):
    """The calendar lacks a year the answer needs; the message says so in the user's language."""


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def answer(calendar: Calendar, start: dt.date, lang: str, end: dt.date | None = None, add: int | None = None,
           days: int | None = None, count_start_day: bool = False) -> list[str]:
    """The lines answering one question: the working days from start to end (backwards when end is earlier), the
    N-th working day after start (before it when N < 0), or the date N days after start rolled forward to a
    working day (N < 0: before it, rolled back); then the holidays and make-up days between."""
    text = WORKDAYS_TEXT[lang]
    try:
        if end is not None and end >= start:
            count = calendar.count(start, end, include_start=count_start_day)
            convention = text["include" if count_start_day else "exclude"]
            lines = [text["count"].format(start=start, end=end, count=count, convention=convention)]
            special = calendar.between(start - dt.timedelta(days=int(count_start_day)), end)
        elif end is not None:  # backwards: the days in [end, start), or [end, start] counting both ends
            count = calendar.count(end - dt.timedelta(days=1), start - dt.timedelta(days=int(not count_start_day)))
            convention = text["include_back" if count_start_day else "exclude_back"].format(start=start)
            lines = [text["count_back"].format(start=start, end=end, count=count, convention=convention)]
            special = calendar.between(end - dt.timedelta(days=1), start - dt.timedelta(days=int(not count_start_day)))
        elif add is not None:
            n = abs(add)
            due = start if add == 0 else calendar.add(start, n) if add > 0 else calendar.back(start, n)
            key = "add_back" if add < 0 else "add"
            lines = [text[key].format(start=start, n=n, nth=ordinal(n), due=due)]
            special = calendar.between(*sorted((start, due))) if add >= 0 else calendar.between(
                due - dt.timedelta(days=1), start)
        else:
            n = days or 0
            plain = start + dt.timedelta(days=n)
            due = calendar.roll_forward(plain) if n >= 0 else calendar.roll_back(plain)
            back = "_back" if n < 0 else ""
            rolled = text["rolled" + back].format(due=due) if due != plain else ""
            lines = [text["days" + back].format(start=start, n=abs(n), plain=plain, rolled=rolled)]
            special = calendar.between(start, due) if n >= 0 else calendar.between(due - dt.timedelta(days=1), start)
    except KeyError as exc:
        raise Uncovered(text["uncovered"].format(source=calendar.source, year=exc.args[0])) from None
    lines.append(text["between"] if special else text["none"])
    lines += [text[what].format(day=day, name=name) for day, what, name in special]
    return lines
