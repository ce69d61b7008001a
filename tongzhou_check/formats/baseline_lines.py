"""What the formats a person reads (table, concise) say about a baseline: a file's baselined findings folded into one
line (listed with --show-suppressed), and the baseline's entries that match no finding any more."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath

from tongzhou_check.labels import LABELS
from tongzhou_check.masking import mask
from tongzhou_check.model import FindingTable, Report


def folds(report: Report) -> bool:
    """Whether baselined findings are counted in one line per file instead of listed."""
    return report.baseline_file is not None and not report.show_suppressed


def baselined(table: FindingTable) -> list[bool]:
    """Which findings a baseline suppresses (a workbook's own waivers are not)."""
    return [s is not None and s.by == "baseline" for s in table.column("suppressed").tolist()]


@dataclass(frozen=True)
class Stale:
    """The baseline's entries that match no finding: their rule ids by audited file, and how many name no file of
    this audit (their file was not audited this time, so they are not called stale)."""

    by_file: dict[int, list[str]] = field(default_factory=dict)
    elsewhere: int = 0


def stale(report: Report) -> Stale:
    if not report.baseline_unmatched:
        return Stale()
    index: dict[str, int] = {}
    for i, result in enumerate(report.files):
        index.setdefault(PurePath(result.path).name, i)
    by_file: dict[int, list[str]] = {}
    elsewhere = 0
    for text in report.baseline_unmatched:
        entry = json.loads(text)
        name, rule = entry.get("file"), entry.get("rule")
        if isinstance(name, str) and name in index:
            by_file.setdefault(index[name], []).append((mask(rule) or "?") if isinstance(rule, str) else "?")
        else:
            elsewhere += 1
    return Stale(by_file, elsewhere)


def _counted(rules: list[str], lang: str) -> str:
    text = LABELS[lang]
    counts = sorted(Counter(rules).items())
    return text["more_sep"].join(text["more_rule"].format(rule=rule, count=n) for rule, n in counts)


def folded_line(count: int, lang: str) -> str:
    """`基线 3 条:…`: a file's baselined findings, counted, and how to list them."""
    return LABELS[lang]["baseline_folded"].format(count=count)


def stale_line(rules: list[str], lang: str) -> str:
    """A file's baseline entries that match nothing any more (their rule ids), counted, with what to do."""
    return LABELS[lang]["baseline_stale"].format(count=len(rules), rules=_counted(rules, lang))


def elsewhere_line(count: int, lang: str) -> str:
    return LABELS[lang]["baseline_elsewhere"].format(count=count)
