"""`tzcheck workdays`: working-day arithmetic on the official calendar, answered in a clerk's words."""

from __future__ import annotations

import datetime as dt

from tongzhou_check.workdays import Calendar

WORKDAYS_TEXT = {
    "zh": {
        "count": "{start} 至 {end}:按{convention}计算,共 {count} 个工作日。",
        "include": "开始当日计入", "exclude": "开始当日不计入(民法典第二百零一条)",
        "add": "{start} 之后第 {n} 个工作日(开始当日不计入):{due}。",
        "days": "{start} 起 {n} 日的期限:{plain}{rolled}。",
        "rolled": ",该日不是工作日,顺延至 {due}(民法典第二百零三条)",
        "holiday": "  {day} 放假({name})", "makeup": "  {day} 调休上班({name})",
        "between": "其间的节假日与调休:", "none": "其间没有节假日或调休。",
        "uncovered": "日历({source})未收录 {year} 年的节假日安排,无法计算;请用 --calendar 补充该年。",
    },
    "en": {
        "count": "{start} to {end}: {count} working days ({convention}).",
        "include": "counting the first day", "exclude": "the first day not counted (民法典 Art. 201)",
        "add": "The {n}th working day after {start} (not counting it): {due}.",
        "days": "{n} days after {start}: {plain}{rolled}.",
        "rolled": ", not a working day, so the deadline moves to {due} (民法典 Art. 203)",
        "holiday": "  {day} holiday ({name})", "makeup": "  {day} make-up working day ({name})",
        "between": "Holidays and make-up working days in between:", "none": "No holidays or make-up days in between.",
        "uncovered": "The calendar ({source}) lacks the holidays of {year}; supply the year with --calendar.",
    },
}


class Uncovered(Exception):
    """The calendar lacks a year the answer needs; the message says so in the user's language."""


def answer(calendar: Calendar, start: dt.date, lang: str, end: dt.date | None = None, add: int | None = None,
           days: int | None = None, count_start_day: bool = False) -> list[str]:
    """The lines answering one question: the working days from start to end, the N-th working day after start
    (add), or the deadline N days after start rolled forward (days); then the holidays and make-up days between."""
    text = WORKDAYS_TEXT[lang]
    try:
        if end is not None:
            count = calendar.count(start, end, include_start=count_start_day)
            convention = text["include" if count_start_day else "exclude"]
            lines = [text["count"].format(start=start, end=end, count=count, convention=convention)]
            special = calendar.between(start - dt.timedelta(days=int(count_start_day)), end)
        elif add is not None:
            due = calendar.add(start, add) if add > 0 else start
            lines = [text["add"].format(start=start, n=add, due=due)]
            special = calendar.between(start, due)
        else:
            plain = start + dt.timedelta(days=days or 0)
            due = calendar.roll_forward(plain)
            rolled = text["rolled"].format(due=due) if due != plain else ""
            lines = [text["days"].format(start=start, n=days, plain=plain, rolled=rolled)]
            special = calendar.between(start, due)
    except KeyError as exc:
        raise Uncovered(text["uncovered"].format(source=calendar.source, year=exc.args[0])) from None
    lines.append(text["between"] if special else text["none"])
    lines += [text[what].format(day=day, name=name) for day, what, name in special]
    return lines
