"""Baselines: fingerprints that survive inserted rows, and suppressing the findings a baseline file records."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path, PurePath

from tongzhou_check.masking import mask
from tongzhou_check.model import BASELINED, Finding, Report

BASELINE_VERSION = 1


def _masked_key(key: str | None) -> str:
    """A record key as fingerprints use it: each part masked (no identifier enters a baseline file in clear)."""
    return "\x1f".join(mask(part) or "" for part in key.split("\x1f")) if isinstance(key, str) else ""


@lru_cache(maxsize=4096)
def _name(path: str) -> str:
    return PurePath(path).name


def _base(f: Finding, keys: dict[str | None, str]) -> str:
    """What identifies a finding without its row: rule, file name, sheet, record key, column, subject."""
    if f.key not in keys:  # a record's findings share its key: masked once
        keys[f.key] = _masked_key(f.key)
    parts = [f.rule, _name(f.file), f.sheet or "", keys[f.key], f.header or "", f.subject or ""]
    return "\x1e".join(parts)


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """One stable fingerprint per finding, in the same order; exact repeats get an occurrence index."""
    seen: Counter[str] = Counter()
    keys: dict[str | None, str] = {}
    out = []
    for f in findings:
        base = _base(f, keys)
        out.append(hashlib.sha256(f"{base}\x1d{seen[base]}".encode()).hexdigest()[:32])
        seen[base] += 1
    return out


def write_baseline(findings: Sequence[Finding], path: Path) -> int:
    """Record the active (unsuppressed) findings; returns how many."""
    active = [f for f in findings if f.suppressed is None]
    prints = fingerprints(findings)
    entries = [
        {"fingerprint": fp, "rule": f.rule, "file": PurePath(f.file).name, "sheet": f.sheet, "subject": f.subject}
        for f, fp in zip(findings, prints, strict=True) if f.suppressed is None
    ]
    path.write_text(json.dumps({"version": BASELINE_VERSION, "findings": entries}, ensure_ascii=False, indent=2)
                    + "\n", encoding="utf-8")
    return len(active)


class BaselineError(Exception):
    """A baseline file that cannot be read."""


def read_baseline(path: Path) -> list[dict]:
    try:
        doc = json.loads(path.read_text("utf-8"))
        entries = doc["findings"]
        if not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries):
            raise ValueError("every entry needs a fingerprint")
        return entries
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BaselineError(f"{path}: not a tzcheck baseline ({exc})") from None


def apply_baseline(findings: Sequence[Finding], entries: list[dict]) -> tuple[list[Finding], list[dict]]:
    """Findings the baseline records become suppressed; returns them and the entries that matched nothing."""
    recorded = {e["fingerprint"]: e for e in entries}
    matched: set[str] = set()
    out = []
    for f, fp in zip(findings, fingerprints(findings), strict=True):
        if fp in recorded and f.suppressed is None:
            f = dataclasses.replace(f, suppressed=BASELINED)
            matched.add(fp)
        out.append(f)
    return out, [e for fp, e in recorded.items() if fp not in matched]


def with_baseline(report: Report, path: Path) -> Report:
    """The report with the findings the baseline records suppressed, and the baseline's stale entries listed."""
    findings, unmatched = apply_baseline(report.findings, read_baseline(path))
    return dataclasses.replace(report, findings=tuple(findings), baseline_file=str(path),
                               baseline_unmatched=tuple(json.dumps(e, ensure_ascii=False) for e in unmatched))
