"""The registry of check types: a rule in YAML names one of these and gives its parameters.

Each entry says what a pack may ask of the check (message fields, reasons, parameter schema, columns and types),
so that the loader validates a pack for meaning before any workbook is read.
"""

from __future__ import annotations

from tongzhou_check.checks import (
    condition,
    date_order,
    deadline,
    duplicate,
    duty,
    personal,
    quarterly,
    structure,
    values,
    waiver,
    window,
)
from tongzhou_check.checks.base import FILE, ROW, SHEET, Check, Context, Hit, Workbook

CHECKS: dict[str, Check] = {
    "unreadable_file": Check(structure.unreadable_file, "file", FILE | {"reason"}, cost=0),
    "no_recognised_sheet": Check(structure.no_recognised_sheet, "file", FILE | {"sheets"}, cost=0),
    "unrecognised_sheet": Check(structure.unrecognised_sheet, "workbook", FILE | {"sheet"}, cost=0),
    "missing_column": Check(structure.missing_column, "sheet", SHEET | {"missing", "aliases"}, cost=0),
    "missing_value": Check(values.missing_value, "row", ROW, cost=3),
    "invalid_value": Check(values.invalid_value, "row", ROW | {"allowed"},
                           {"out_of_range": ROW | {"max"}, "month_only": ROW}, params_schema=values.INVALID_PARAMS),
    "date_order": Check(date_order.date_order, "row", ROW | {"earlier_header", "earlier_value"}, cost=4),
    "duplicate": Check(duplicate.duplicate, "row", ROW | {"first_row", "keys"}, cost=10),
    "waiver": Check(waiver.waiver, "row", ROW | {"problem"}, waivable=False),
    "condition": Check(condition.condition, "row", condition.FIELDS, condition.REASONS, condition.PARAMS,
                       condition.columns, condition.meaning),
    "deadline": Check(deadline.deadline, "row", deadline.FIELDS, deadline.REASONS, deadline.PARAMS, deadline.columns,
                      cost=7),
    "min_window": Check(window.min_window, "row", window.FIELDS, window.REASONS, window.PARAMS, window.columns,
                        cost=7),
    "plan_duties": Check(duty.plan_duties, "workbook", duty.FIELDS, duty.REASONS, duty.PARAMS, duty.columns),
    "agency_unknown": Check(duty.agency_unknown, "file", duty.UNKNOWN_FIELDS, cost=0),
    "personal_info": Check(personal.personal_info, "row", personal.FIELDS, params_schema=personal.PARAMS,
                           columns=personal.columns, cost=20),
    "quarterly": Check(quarterly.quarterly, "workbook", quarterly.FIELDS, quarterly.REASONS, quarterly.PARAMS,
                       quarterly.columns),
}

__all__ = ["CHECKS", "Check", "Context", "Hit", "Workbook"]
