"""`--format junit`: JUnit XML (the Apache Ant schema) — a suite per file, a test case per rule and sheet.

A test case fails when it holds an active finding at or above the fail-on threshold; a case whose findings are
all suppressed is skipped; a file without findings gets one passing case, "audit". Every finding of the file
is also listed in the suite's system-out, so warnings below the threshold are not lost.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby
from typing import Any

from tongzhou_check.formats.records import as_records
from tongzhou_check.labels import JUNIT_TEXT as TEXT
from tongzhou_check.labels import period_text
from tongzhou_check.masking import mask
from tongzhou_check.model import Finding, Report

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # no XML 1.0 document may hold these


def _xml(text: str) -> str:
    """Text an XML 1.0 document can hold: a control character a cell may carry becomes U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _line(f: Finding, record: dict[str, Any], lang: str) -> str:
    text = TEXT[lang]
    where = f"{record['sheet']}!{record['cell']}" if record["cell"] else (record["sheet"] or text["file_level"])
    line = f"{where}: {record['message']}"
    if f.suppressed:
        label = text["baselined"] if f.suppressed.by == "baseline" else text["waived"]
        line += f" ({label}: {mask(f.suppressed.text(lang))})"
    return _xml(line)


def _testcase(suite: ET.Element, group: list[tuple[Finding, dict[str, Any]]], path: str, lang: str,
              report: Report, titles: dict[str, str]) -> tuple[bool, bool]:
    """One test case for a rule on a sheet; returns (failed, skipped)."""
    first = group[0][0]
    name = _xml(f"{first.rule} {first.name}" + (f" · {first.sheet}" if first.sheet else ""))
    case = ET.SubElement(suite, "testcase", name=name, classname=path, time="0")
    active = [f for f, _ in group if f.suppressed is None]
    failing = any(report.fails(f) for f in active)
    lines = "\n".join(_line(f, r, lang) for f, r in group)
    if failing:
        message = f"{titles.get(first.rule, first.name)}: {TEXT[lang]['count'].format(n=len(active))}"
        ET.SubElement(case, "failure", message=message, type=first.rule).text = lines + "\n"
        return True, False
    if not active:
        baselined = all(f.suppressed is not None and f.suppressed.by == "baseline" for f, _ in group)
        message = TEXT[lang]["baselined" if baselined else "waived"]
        ET.SubElement(case, "skipped", message=message).text = lines + "\n"
        return False, True
    return False, False


def render(report: Report, lang: str) -> str:
    """The JUnit document: a test case fails where a finding fails the report's gate (its --fail-on)."""
    records = as_records(report, lang)
    titles = {doc.id: doc.title(lang) for doc in report.rule_docs}
    pairs = list(zip(report.findings, records["findings"], strict=True))
    by_file = {index: list(g) for index, g in groupby(pairs, key=lambda p: p[0].file_index)}
    root = ET.Element("testsuites")
    for index, file in enumerate(records["files"]):
        path = _xml(file["path"])
        as_of = file["period"]["as_of"] if file["period"] else records["as_of"]
        suite = ET.SubElement(root, "testsuite", name=path, package=path, id=str(index),
                              timestamp=f"{as_of}T00:00:00", hostname="localhost")
        properties = ET.SubElement(suite, "properties")
        for key, value in (("as_of", as_of), ("status", file["status"]), ("sha256", file["sha256"]),
                           ("rule_pack", f"{records['rule_pack']['id']} {records['rule_pack']['version']}"),
                           ("tool", f"{records['tool']['name']} {records['tool']['version']}"),
                           ("fail_on", report.fail_on)):
            ET.SubElement(properties, "property", name=key, value=value)
        if file["period"]:
            ET.SubElement(properties, "property", name="year", value=str(file["period"]["year"]))
            ET.SubElement(properties, "property", name="period", value=_xml(period_text(file["period"], lang)))
        findings = by_file.get(index, [])
        grouped: dict[tuple[int, str | None, str], list[tuple[Finding, dict[str, Any]]]] = {}
        for pair in findings:  # findings run by row, so a rule's findings on a sheet are gathered, not adjacent
            grouped.setdefault((pair[0].sheet_index, pair[0].sheet, pair[0].rule), []).append(pair)
        cases = [grouped[key] for key in sorted(grouped, key=lambda k: (k[0], k[2]))]
        tests = failures = skipped = 0
        for group in cases:
            failed, skip = _testcase(suite, group, path, lang, report, titles)
            tests, failures, skipped = tests + 1, failures + failed, skipped + skip
        if not cases:
            ET.SubElement(suite, "testcase", name="audit", classname=path, time="0")
            tests = 1
        out = [f"{f.rule} {f.name} [{TEXT[lang][f.severity]}] {_line(f, r, lang)}" for f, r in findings]
        ET.SubElement(suite, "system-out").text = "\n".join(out) + "\n" if out else ""
        ET.SubElement(suite, "system-err").text = ""
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        suite.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

