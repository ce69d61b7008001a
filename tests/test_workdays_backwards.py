"""`tzcheck workdays` backwards: a reversed range counted back with its holidays listed, --add -N and --days -N
before the start; English without doubled parentheses and with ordinals."""

from __future__ import annotations

from helpers import cli


def test_a_reversed_range_is_counted_backwards_with_its_holidays() -> None:
    code, out, _ = cli("workdays", "2018-10-08", "2018-09-28")
    assert code == 0
    first = out.splitlines()[0]
    assert "往前至 2018-09-28" in first and "共 3 个工作日" in first and "-3" not in first
    assert "其间没有节假日" not in out and "2018-10-01 放假(国庆节)" in out and "2018-09-29 调休上班(国庆节)" in out
    assert "共 4 个工作日" in cli("workdays", "2018-10-08", "2018-09-28", "--count-start-day")[1]
    forward = cli("workdays", "2018-09-28", "2018-10-08")[1]
    assert forward.splitlines()[1:] == out.splitlines()[1:]  # the same holidays, whichever way round


def test_negative_add_and_days_mean_before() -> None:
    code, out, _ = cli("workdays", "2018-10-08", "--add", "-3")
    assert code == 0 and "2018-10-08 之前第 3 个工作日(当日不计入):2018-09-28。" in out and "2018-10-01 放假" in out
    assert cli("workdays", "2018-09-28", "--add", "3")[1].splitlines()[0].endswith("2018-10-08。")  # and back again
    code, out, _ = cli("workdays", "2018-10-08", "--days", "-3")
    assert code == 0 and "2018-10-08 之前 3 日:2018-10-05,该日不是工作日,提前至 2018-09-30。" in out
    code, out, _ = cli("workdays", "2018-10-08", "--days", "-1", "--lang", "en")
    assert "1 days before 2018-10-08: 2018-10-07, not a working day, so it moves back to 2018-09-30." in out


def test_english_has_single_parentheses_and_ordinals() -> None:
    out = cli("workdays", "2018-09-28", "2018-10-08", "--lang", "en")[1]
    assert "((" not in out and "))" not in out and "3 working days, the first day not counted" in out
    for n, word in ((1, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"), (22, "22nd")):
        assert f"The {word} working day after" in cli("workdays", "2018-09-28", "--add", str(n), "--lang", "en")[1]


def test_before_the_calendar_is_a_usage_error() -> None:
    code, out, err = cli("workdays", "2004-01-05", "--add", "-10")
    assert code == 2 and "2003" in err and "Traceback" not in out + err
