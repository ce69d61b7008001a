"""豁免说明 waivers: parse `RULE: reason` entries (`TZ201、TZ202: reason` waives both); TZ011 reports entries, or
rules named in them, that waive nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from tongzhou_check.checks.base import Context, Hit
from tongzhou_check.packtypes import Pack, Rule
from tongzhou_check.reader.sheet import SheetData
from tongzhou_check.text import nfkc

_ENTRIES = re.compile(r"[;\n\r]+")
_ID = r"[A-Za-z0-9-]+"
_BETWEEN = r"[、,/\s]+"  # between the rules of one entry (after NFKC, , is ,)
_SEPARATOR = re.compile(_BETWEEN)
_ENTRY = re.compile(rf"^\s*({_ID}(?:{_BETWEEN}{_ID})*)\s*(?::\s*(.*))?$", re.S)


@dataclass(frozen=True)
class Waivers:
    granted: dict[int, dict[str, str]]  # row → rule id → reason
    problems: dict[int, list[tuple[str, dict[str, str]]]]  # row → (entry, {zh, en} problem)


def parse_waivers(sheet: SheetData, pack: Pack) -> Waivers:
    granted: dict[int, dict[str, str]] = {}
    problems: dict[int, list[tuple[str, dict[str, str]]]] = {}
    if sheet.waiver is None:
        return Waivers(granted, problems)
    texts = sheet.waiver[sheet.waiver.str.strip() != ""]
    for row, text in texts.items():  # only rows that carry a waiver
        for entry in filter(None, (e.strip() for e in _ENTRIES.split(nfkc(text)))):
            m = _ENTRY.match(entry)
            names = _SEPARATOR.split(m[1]) if m else [entry]
            reason = (m[2] or "").strip() if m else ""
            for name in names:
                if pack.rule(name) is None:
                    problems.setdefault(row, []).append(
                        (entry, {"zh": f"规则“{name}”不存在", "en": f"there is no rule “{name}”"})
                    )
            rules = [r for r in map(pack.rule, names) if r is not None]
            if rules and not reason:
                problems.setdefault(row, []).append((entry, {"zh": "没有写明豁免理由", "en": "it gives no reason"}))
            elif rules:
                granted.setdefault(row, {}).update((r.id, reason) for r in rules)
    return Waivers(granted, problems)


def waiver(sheet: SheetData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    problems = parse_waivers(sheet, ctx.pack).problems
    entries = [(row, entry, problem) for row, items in problems.items() for entry, problem in items]
    if entries:
        rows = pd.Index([row for row, _, _ in entries])
        yield Hit(
            rows=rows,
            column="waiver",
            fields={
                "value": pd.Series([e for _, e, _ in entries], index=rows),
                "problem": pd.Series([p for _, _, p in entries], index=rows),
            },
        )
