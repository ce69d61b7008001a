"""The registry of check types: a rule in YAML names one of these and gives its parameters."""

from __future__ import annotations

from tongzhou_check.checks import (
    condition,
    date_order,
    duplicate,
    duty,
    periods,
    personal,
    structure,
    values,
    waiver,
)
from tongzhou_check.checks.base import Check, Context, Hit, WorkbookData

CHECKS: dict[str, Check] = {
    "unreadable_file": Check(structure.unreadable_file, "file"),
    "no_recognised_sheet": Check(structure.no_recognised_sheet, "file"),
    "unrecognised_sheet": Check(structure.unrecognised_sheet, "workbook"),
    "missing_column": Check(structure.missing_column, "sheet"),
    "missing_value": Check(values.missing_value, "row"),
    "invalid_value": Check(values.invalid_value, "row", values.INVALID_PARAMS),
    "date_order": Check(date_order.date_order, "row"),
    "duplicate": Check(duplicate.duplicate, "row"),
    "waiver": Check(waiver.waiver, "row"),
    "condition": Check(condition.condition, "row", condition.PARAMS, condition.columns),
    "deadline": Check(periods.deadline, "row", periods.DEADLINE_PARAMS, periods.deadline_columns),
    "min_window": Check(periods.min_window, "row", periods.WINDOW_PARAMS, periods.window_columns),
    "plan_duties": Check(duty.plan_duties, "workbook", duty.PARAMS),
    "agency_unknown": Check(duty.agency_unknown, "file"),
    "personal_info": Check(personal.personal_info, "row", personal.PARAMS),
    "quarterly": Check(periods.quarterly, "sheet", periods.QUARTERLY_PARAMS, periods.quarterly_columns),
}

__all__ = ["CHECKS", "Check", "Context", "Hit", "WorkbookData"]
