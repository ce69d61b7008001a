"""Every rule's YAML examples, run as real workbooks through the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import audit_json, write_xlsx

from tongzhou_check.pack import load_pack
from tongzhou_check.packtypes import Kind, Rule

PACK = load_pack()


def _cases() -> list:
    params = []
    for rule in PACK.rules.values():
        for outcome in ("fail", "pass"):
            for i, case in enumerate(rule.examples.get(outcome, [])):
                params.append(pytest.param(rule, outcome, case, id=f"{rule.id}-{outcome}-{i}"))
    return params


def _kind(rule: Rule, case: dict) -> Kind | None:
    if "kind" in case:
        return PACK.kinds[case["kind"]] if case["kind"] else None
    if "sheet" in case:
        return next(k for k in PACK.kinds.values() if case["sheet"] in k.names)
    return PACK.kinds[rule.kind]


def _sheet(kind: Kind | None, case: dict) -> list[list]:
    """Header row: the kind's required columns, then every header the example names; samples fill the rest."""
    headers: list[str] = []
    if kind is not None:
        headers = [c.header for c in kind.columns.values() if c.required]
    for row in case["rows"]:
        headers += [h for h in row if h not in headers]
    headers = [h for h in headers if h not in case.get("omit", [])]
    samples = {c.header: c.sample for c in kind.columns.values()} if kind else {}
    rows = [[case["title"]], headers] if "title" in case else [headers]
    for row in case["rows"]:
        rows.append([row.get(h, samples.get(h)) for h in headers])
    return rows


def test_every_active_rule_has_examples_or_a_file_level_test() -> None:
    for rule in PACK.rules.values():
        if rule.active and rule.scope != "file":
            assert rule.examples.get("fail"), f"{rule.id} has no failing example"
            assert rule.examples.get("pass"), f"{rule.id} has no passing example"


def test_every_failing_example_names_where_it_is_reported() -> None:
    for rule in PACK.rules.values():
        for i, case in enumerate(rule.examples.get("fail") or []):
            assert case.get("expect"), f"{rule.id} fail[{i}] has no expect: [SHEET!CELL, …]"


def _where(finding: dict) -> str:
    """A finding as an example's `expect` names it: SHEET!CELL, SHEET (on its header row) or - (the file),
    with #SUBJECT when the expectation names one."""
    return f"{finding['sheet']}!{finding['cell']}" if finding["cell"] else (finding["sheet"] or "-")


@pytest.mark.parametrize(("rule", "outcome", "case"), _cases())
def test_rule_example(rule: Rule, outcome: str, case: dict, tmp_path: Path) -> None:
    kind = _kind(rule, case)
    name = case.get("sheet") or kind.names[0]
    path = write_xlsx(tmp_path / "example.xlsx", {name: _sheet(kind, case)})
    report = audit_json(path, extra=["--as-of", case["as_of"]] if "as_of" in case else [], duty_rules=True)
    hits = [f for f in report["findings"] if f["rule"] == rule.id and not f["suppressed"]]
    if outcome == "fail":  # exactly where the example says: a "could not check" finding does not count
        expected = sorted(case["expect"])
        subjects = any("#" in e for e in expected)
        found = sorted(_where(f) + (f"#{f['subject']}" if subjects and f["subject"] else "") for f in hits)
        assert found == expected, f"{rule.id} on {case}: {[(f['cell'], f['message']) for f in hits]}"
    else:
        assert not hits, f"{rule.id} fired on a passing example {case}: {hits}"
