"""Working days on the State Council's calendar, and the period rules built on them (real holiday weeks)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pandas as pd
import pytest
from helpers import audit_json, cells, cli, write_xlsx

from tongzhou_check.workdays import load_calendar

D = dt.date
CAL = load_calendar()


def test_index_agrees_with_the_library_day_by_day() -> None:
    day = D(2018, 1, 1)
    while day <= D(2026, 12, 31):
        assert CAL.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2018, 2, 11), True), (D(2018, 2, 15), False), (D(2018, 2, 21), False), (D(2018, 2, 24), True),  # 春节
        (D(2018, 4, 5), False), (D(2018, 4, 8), True),  # 清明: Sunday 4-8 worked
        (D(2018, 4, 28), True), (D(2018, 4, 30), False), (D(2018, 5, 1), False),  # 劳动节
        (D(2018, 6, 18), False),  # 端午 (Monday)
        (D(2018, 9, 24), False),  # 中秋 (Monday)
        (D(2018, 9, 29), True), (D(2018, 9, 30), True), (D(2018, 10, 1), False), (D(2018, 10, 7), False),  # 国庆
        (D(2018, 12, 29), True), (D(2018, 12, 31), False),  # 元旦 2019 moved into 2018
        (D(2025, 1, 26), True), (D(2025, 2, 4), False), (D(2025, 2, 8), True),  # 2025: 春节 4 statutory days
        (D(2025, 4, 27), True), (D(2025, 5, 5), False),  # 2025: 劳动节 2 statutory days
    ],
)
def test_official_working_days(day: dt.date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_counting_conventions() -> None:
    assert CAL.count(D(2018, 9, 28), D(2018, 10, 8)) == 3  # (S, E]
    assert CAL.count(D(2018, 9, 28), D(2018, 10, 8), include_start=True) == 4  # [S, E]
    assert CAL.add(D(2018, 9, 28), 5) == D(2018, 10, 10)
    assert CAL.add(D(2018, 2, 14), 1) == D(2018, 2, 22)
    assert CAL.roll_forward(D(2018, 2, 21)) == D(2018, 2, 22)
    assert CAL.roll_forward(D(2018, 2, 22)) == D(2018, 2, 22)


def test_column_operations_agree_with_scalars() -> None:
    starts = pd.Series(pd.date_range("2018-01-01", "2019-12-31", freq="5D"))
    due = CAL.add_series(starts, pd.Series(15, index=starts.index))
    assert [d.date() for d in due] == [CAL.add(s.date(), 15) for s in starts]
    counts = CAL.count_series(starts, due)
    assert (counts == 15).all()


def test_uncovered_years_give_nan_never_a_guess() -> None:
    assert CAL.add_series(pd.Series([pd.Timestamp("2026-12-30")]), pd.Series([5])).isna().all()
    assert CAL.count_series(pd.Series([pd.Timestamp("2027-01-04")]), pd.Series([pd.Timestamp("2027-01-05")])).isna().all()
    with pytest.raises(KeyError):
        CAL.add(D(2026, 12, 30), 5)


def _corrections(tmp_path: Path, rows: list[list], as_of: str = "2018-12-31", extra: tuple[str, ...] = ()) -> dict:
    path = write_xlsx(tmp_path / "a.xlsx", {"网民纠错": [["收到日期", "处理日期"], *rows]})
    return audit_json(path, extra=["--as-of", as_of, *extra])


@pytest.mark.parametrize(
    ("received", "on_time", "late"),
    [
        ("2018-02-14", "2018-02-22", "2018-02-23"),  # 春节: the next working day is after the holiday week
        ("2018-02-10", "2018-02-11", "2018-02-12"),  # a Saturday; the Sunday after is a make-up working day
        ("2018-04-04", "2018-04-08", "2018-04-09"),  # 清明: Sunday 4-8 worked
        ("2018-04-27", "2018-04-28", "2018-05-02"),  # 劳动节: Saturday 4-28 worked, 4-29..5-1 off
        ("2018-06-15", "2018-06-19", "2018-06-20"),  # 端午: Monday 6-18 off
        ("2018-09-21", "2018-09-25", "2018-09-26"),  # 中秋: Monday 9-24 off
        ("2018-09-28", "2018-09-29", "2018-09-30"),  # 国庆: Saturday 9-29 worked
        ("2018-09-30", "2018-10-08", "2018-10-09"),  # 国庆 week off
        ("2025-01-27", "2025-02-05", "2025-02-06"),  # 2025 春节 after the holiday change: 1-28..2-4 off
        ("2025-04-30", "2025-05-06", "2025-05-07"),  # 2025 劳动节: 5-1..5-5 off
    ],
)
def test_correction_deadline_on_both_sides_of_the_boundary(received: str, on_time: str, late: str,
                                                           tmp_path: Path) -> None:
    report = _corrections(tmp_path, [[received, on_time], [received, late]], as_of="2025-12-31")
    assert cells(report, "TZ901") == ["网民纠错!B3"]
    (finding,) = [f for f in report["findings"] if f["rule"] == "TZ901"]
    assert on_time in finding["message"] and late in finding["message"]


def test_pending_row_is_late_only_after_its_deadline(tmp_path: Path) -> None:
    rows = [["2018-12-28", None]]  # deadline: Saturday 2018-12-29, a make-up working day
    assert cells(_corrections(tmp_path, rows, as_of="2018-12-29"), "TZ901") == []
    report = _corrections(tmp_path, rows, as_of="2018-12-30")
    assert cells(report, "TZ901") == ["网民纠错!B2"]
    assert "2018-12-29" in report["findings"][0]["message"] and "尚未填写" in report["findings"][0]["message"]


def test_uncovered_year_is_tz009_and_a_calendar_file_fixes_it(tmp_path: Path) -> None:
    rows = [["2099-03-02", "2099-03-04"]]  # Monday; Tuesday 2099-03-03 is a holiday in the file below
    report = _corrections(tmp_path, rows)
    assert [(f["rule"], f["cell"]) for f in report["findings"]] == [("TZ009", "A2")]
    assert "2099" in report["findings"][0]["message"]
    calendar = tmp_path / "calendar.yaml"
    calendar.write_text("years:\n  2099:\n    holidays: [{from: 2099-03-03, to: 2099-03-03, name: 测试假日}]\n", "utf-8")
    assert _corrections(tmp_path, rows, extra=("--calendar", str(calendar)))["findings"] == []
    late = _corrections(tmp_path, [["2099-03-02", "2099-03-05"]], extra=("--calendar", str(calendar)))
    assert [f["rule"] for f in late["findings"]] == ["TZ901"]
    assert late["calendar"]["missing_years"] == list(range(2027, 2099))


def test_tz009_carries_the_clause_of_the_rule_that_needed_the_year(tmp_path: Path) -> None:
    rows = [["信息名称", "发布单位", "形成日期", "公开日期"], ["通知", "区教委", "2081-03-02", None]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"信息发布登记": rows}))
    assert [(f["rule"], f["cell"], f["clause"]) for f in report["findings"]] == [("TZ009", "C2", "五(一)")]


def test_no_tz009_when_the_answer_does_not_depend_on_the_missing_year(tmp_path: Path) -> None:
    # one working day after 2026-12-31 lies in 2027, but an event on 2027-01-01 is on time on any calendar
    report = _corrections(tmp_path, [["2026-12-31", "2027-01-01"], ["2026-12-31", "2027-01-04"]], as_of="2027-01-31")
    assert [(f["rule"], f["cell"]) for f in report["findings"]] == [("TZ009", "A3")]


def test_no_tz009_when_the_dates_a_judgment_needs_are_covered(tmp_path: Path) -> None:
    # the as-of date and a typo'd event year lie outside the calendar, the trigger and deadline do not
    report = _corrections(tmp_path, [["2018-09-03", None], ["2018-09-04", "2081-09-05"]], as_of="2030-01-01")
    assert [(f["rule"], f["cell"]) for f in report["findings"]] == [("TZ901", "B2"), ("TZ901", "B3")]


def test_invalid_calendar_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "calendar.yaml"
    bad.write_text("years:\n  2099:\n    holidays: [2098-13-01]\n", "utf-8")
    path = write_xlsx(tmp_path / "a.xlsx", {"网民纠错": [["收到日期"], ["2018-09-03"]]})
    code, _, err = cli("audit", str(path), "--calendar", str(bad))
    assert code == 2 and "calendar.yaml" in err and "Traceback" not in err


def _applications(tmp_path: Path, rows: list[list]) -> dict:
    head = ["申请编号", "申请人类型", "收到日期", "补正告知日期", "补正收到日期", "不计算期限工作日", "是否延期", "答复日期", "处理结果"]
    return audit_json(write_xlsx(tmp_path / "a.xlsx", {"依申请公开": [head, *rows]}), extra=["--as-of", "2019-12-31"])


def test_reply_deadline_follows_the_law_in_force_on_the_trigger_date(tmp_path: Path) -> None:
    rows = [
        ["A1", "自然人", "2018-09-03", None, None, None, "否", "2018-09-25", "予以公开"],  # 15th working day
        ["A2", "自然人", "2018-09-03", None, None, None, "否", "2018-09-26", "予以公开"],  # late
        ["A3", "自然人", "2018-09-03", None, None, None, "是", "2018-10-19", "予以公开"],  # 15 + 15
        ["A4", "自然人", "2018-09-03", None, None, None, "是", "2018-10-22", "予以公开"],  # late
        ["A5", "自然人", "2018-09-03", "2018-09-05", "2018-09-10", None, "否", "2018-09-30", "予以公开"],  # restarted
        ["A6", "自然人", "2018-09-03", None, None, 5, "否", "2018-09-30", "予以公开"],  # 5 days not counted
        ["A7", "自然人", "2019-06-03", None, None, None, "否", "2019-07-02", "予以公开"],  # 20 (2019 条例)
        ["A8", "自然人", "2019-06-03", None, None, None, "否", "2019-07-03", "予以公开"],  # late
        ["A9", "自然人", "2019-06-03", "2019-06-14", None, None, "否", None, None],  # notice late (7 days: 6-13)
        ["A10", "自然人", "2019-06-03", None, None, None, "否", None, None],  # unanswered: late at as-of
    ]
    report = _applications(tmp_path, rows)
    # A9 waits for the applicant's amendment: its clock is stopped, so only A10 is overdue
    assert cells(report, "TZ501") == ["依申请公开!H3", "依申请公开!H5", "依申请公开!H9", "依申请公开!H11"]
    messages = {f["cell"]: f["message"] for f in report["findings"] if f["rule"] == "TZ501"}
    assert "条例(2007)第二十四条" in messages["H3"] and "2018-09-25" in messages["H3"]
    assert "法定 15 + 延期 15" in messages["H5"]
    assert "条例(2019)第三十三条" in messages["H9"] and "2019-07-02" in messages["H9"]
    assert cells(report, "TZ502") == ["依申请公开!D10"]
    # A10 (received 2019-06-03) is unanswered and its deadline 2019-07-02 passed before as-of 2019-12-31
    assert "尚未填写" in messages["H11"] and "2019-07-02" in messages["H11"] and "20 个工作日" in messages["H11"]


def test_comment_window_counts_working_days_and_a_reason_lowers_it(tmp_path: Path) -> None:
    head = ["决策事项", "承办单位", "征求意见开始日期", "征求意见截止日期", "缩短理由", "采纳情况公开日期"]
    rows = [
        ["甲", "区发改委", "2018-09-28", "2018-10-08", None, "2018-10-12"],  # 3 working days
        ["乙", "区发改委", "2018-09-28", "2018-10-09", "情况紧急,经区政府同意", "2018-10-12"],  # 4, with a reason
        ["丙", "区发改委", "2018-09-28", "2018-10-10", None, "2018-10-12"],  # 5: enough
        ["丁", "区发改委", "2018-10-10", "2018-10-08", None, None],  # end before start: TZ008 only
    ]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"意见征集": [head, *rows]}))
    found = [(f["rule"], f["cell"], f["severity"]) for f in report["findings"] if f["rule"] in ("TZ201", "TZ008")]
    assert found == [("TZ201", "D2", "error"), ("TZ201", "D3", "warning"), ("TZ008", "D5", "error")]
    message = next(f["message"] for f in report["findings"] if f["rule"] == "TZ201")
    assert "共 3 个工作日" in message and "开始当日不计入" in message


def test_budget_deadline_in_calendar_days_rolls_past_the_holiday(tmp_path: Path) -> None:
    head = ["部门", "是否使用财政资金", "预算批复日期", "预算公开日期", "决算批复日期", "决算公开日期"]
    rows = [["区教委", "是", "2018-02-01", "2018-02-22", "2018-07-20", "2018-08-09"],  # 2-21 is 春节: rolls to 2-22
            ["区民政局", "是", "2018-02-01", "2018-02-23", "2018-07-20", "2018-08-10"]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"预决算公开": [head, *rows]}))
    assert [(f["cell"], f["subject"]) for f in report["findings"]] == [("D3", "budget"), ("F3", "final accounts")]


def test_quarterly_inspection(tmp_path: Path) -> None:
    rows = [["巡查日期", "通报日期"], ["2018-03-20", "2018-03-28"], ["2018-09-20", None]]
    path = write_xlsx(tmp_path / "a.xlsx", {"网站巡查": rows})
    report = audit_json(path, extra=["--as-of", "2018-10-15"])
    assert [(f["subject"], f["row"]) for f in report["findings"]] == [("Q2", 1), ("Q3", 1)]
    assert "第二季度没有巡查抽检记录" in report["findings"][0]["message"]
    assert "有巡查抽检但没有通报日期" in report["findings"][1]["message"]
    report = audit_json(path, extra=["--as-of", "2019-03-01", "--year", "2018"])
    assert [f["subject"] for f in report["findings"]] == ["Q2", "Q3", "Q4"]


def test_workdays_command() -> None:
    code, out, _ = cli("workdays", "2018-09-28", "2018-10-08")
    assert code == 0 and "共 3 个工作日" in out and "2018-09-29 调休上班(国庆节)" in out and "2018-10-01 放假(国庆节)" in out
    code, out, _ = cli("workdays", "2018-09-28", "--add", "5")
    assert code == 0 and "2018-10-10" in out
    code, out, _ = cli("workdays", "2018-02-01", "--days", "20")
    assert code == 0 and "2018-02-22" in out
    code, _, err = cli("workdays", "2026-12-30", "--add", "5")
    assert code == 2 and "2027" in err
