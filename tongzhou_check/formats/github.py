"""`--format github`: GitHub Actions workflow commands, one annotation per active finding.

Suppressed findings (waived or baselined) are left out: an annotation asks for a fix, and GitHub shows only a
few annotations per step, which the findings still to fix should get. They stay in the other formats.
"""

from __future__ import annotations

from tongzhou_check.formats.records import as_records
from tongzhou_check.model import Report, Severity

COMMANDS = {Severity.error: "error", Severity.warning: "warning", Severity.info: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, lang: str) -> str:
    lines = []
    for f, record in zip(report.findings, as_records(report, lang)["findings"], strict=True):
        if f.suppressed:
            continue
        where = f"{record['sheet']}!{record['cell']}" if record["cell"] else record["sheet"]
        message = f"{where}: {record['message']}" if where else record["message"]
        properties = {"file": record["file"], "line": str(record["row"] or 1), "title": f"{f.rule} {f.name}"}
        props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
        lines.append(f"::{COMMANDS[f.severity]} {props}::{escape_data(message)}\n")
    return "".join(lines)
