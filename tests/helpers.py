"""Test helpers: write real workbooks with openpyxl, run the real CLI, validate reports."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
from typer.testing import CliRunner

from tongzhou_check.cli import app
from tongzhou_check.engine import audit
from tongzhou_check.formats import FORMATS
from tongzhou_check.model import Report
from tongzhou_check.pack import load_pack

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2018-12-31"
REPORT_SCHEMA = json.loads((resources.files("tongzhou_check") / "schemas" / "report.schema.json").read_text("utf-8"))


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]],
               merges: dict[str, Sequence[str]] | None = None, hidden: Sequence[str] = ()) -> Path:
    """A workbook with one sheet per entry; rows start at A1 (None leaves a cell empty)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for rng in (merges or {}).get(name, ()):
            sheet.merge_cells(rng)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def audit_report(*paths: Path, as_of: str = AS_OF, **options: Any) -> Report:
    """The engine's report of some files, in-process and below the CLI (the built-in pack, loaded once)."""
    return audit([(Path(p), Path(p).as_posix()) for p in paths], load_pack(), dt.date.fromisoformat(as_of), **options)


def render_all(report: Report, langs: Sequence[str] = ("zh", "en")) -> dict[tuple[str, str], str]:
    """Every registered output format of one report, in each language: {(format, lang): text}."""
    return {(name, lang): render(report, lang) for name, render in FORMATS.items() for lang in langs}


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


DUTY_RULES = ("TZ120", "TZ121")


def audit_json(*paths: Path | str, extra: Sequence[str] = (), duty_rules: bool = False) -> dict:
    """Run `tzcheck audit --format json` and return the report, validated against the shipped schema.

    Most test workbooks are not named for an agency, so every one would carry TZ121 (agency unknown, info);
    tests about other rules drop the duty-map findings (TZ120, TZ121) unless they ask for them. The summary is
    left as the tool wrote it.
    """
    code, out, err = cli("audit", *map(str, paths), "--as-of", AS_OF, "--format", "json", "--fail-on", "never",
                         *extra)
    assert code == 0, err
    report = json.loads(out)
    jsonschema.validate(report, REPORT_SCHEMA)
    if not duty_rules:
        report["findings"] = [f for f in report["findings"] if f["rule"] not in DUTY_RULES]
    return report


def cells(report: dict, rule: str | None = None, active_only: bool = True) -> list[str]:
    """`sheet!cell` (or the sheet, or `—`) of the findings of one rule."""
    found = []
    for f in report["findings"]:
        if (rule is None or f["rule"] == rule) and not (active_only and f["suppressed"]):
            found.append(f"{f['sheet']}!{f['cell']}" if f["cell"] else (f["sheet"] or "—"))
    return found


def rules_found(report: dict) -> set[str]:
    return {f["rule"] for f in report["findings"] if not f["suppressed"]}
