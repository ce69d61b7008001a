"""Baselines: fingerprints that survive inserted rows, and suppressing the findings a baseline file records."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePath

import numpy as np

from tongzhou_check.masking import mask
from tongzhou_check.model import BASELINED, Finding, FindingTable, Report
from tongzhou_check.privacy import CANDIDATE
from tongzhou_check.text import TextFileError, read_text_file

BASELINE_VERSION = 1


def _masked_key(key: str | None) -> str:
    """A record key as fingerprints use it: each part masked (no identifier enters a baseline file in clear)."""
    if isinstance(key, str) and CANDIDATE.search(key) is None:  # no part holds anything masking would change
        return key
    return "\x1f".join(mask(part) or "" for part in key.split("\x1f")) if isinstance(key, str) else ""


@lru_cache(maxsize=4096)
def _name(path: str) -> str:
    return PurePath(path).name


def fingerprints(findings: FindingTable | Sequence[Finding]) -> list[str]:
    """One stable fingerprint per finding, in the same order; exact repeats get an occurrence index.

    What identifies a finding without its row: rule, file name, sheet, record key (masked once per distinct key),
    column header, subject.
    """
    return hashed(fingerprint_texts(findings))


def fingerprint_texts(findings: FindingTable | Sequence[Finding]) -> list[str]:
    """What each finding's fingerprint is the hash of (`fingerprints`), in the same order."""
    return Identities.of(findings).texts()


@dataclass(frozen=True)
class Identities:
    """What identifies each finding without its row (`fingerprints`), found for all findings at once with how many
    exact repeats came before each; `texts` makes the texts hashed a part at a time (a long report's writer: each
    part where it is written)."""

    bases: list[str]
    repeats: list[int] | None  # None: no finding repeats another exactly

    @classmethod
    def of(cls, findings: FindingTable | Sequence[Finding]) -> Identities:
        table = findings if isinstance(findings, FindingTable) else FindingTable.of(findings)
        if not len(table):
            return cls([], None)
        raw = table.column("key").tolist()
        masked = {k: _masked_key(k) for k in dict.fromkeys(raw)}  # a record's findings share its key: masked once
        keys = list(map(masked.__getitem__, raw))
        names = list(map(_name, table.column("file").tolist()))
        parts = (table.column("rule").tolist(), names, _texts(table.column("sheet")), keys,
                 _texts(table.column("header")), _texts(table.column("subject")))
        bases = list(map("\x1e".join, zip(*parts, strict=True)))
        if len(set(bases)) == len(bases):
            return cls(bases, None)
        seen: dict[str, int] = {}  # exact repeats: how many came before
        repeats = []
        for base in bases:
            n = seen.get(base, 0)
            seen[base] = n + 1
            repeats.append(n)
        return cls(bases, repeats)

    def texts(self, part: slice = slice(None)) -> list[str]:
        """The texts of a part of the findings: each one's base and its count of exact repeats before it."""
        if self.repeats is None:
            return [f"{base}\x1d0" for base in self.bases[part]]
        return [f"{base}\x1d{n}" for base, n in zip(self.bases[part], self.repeats[part], strict=True)]


def hashed(texts: Sequence[str]) -> list[str]:
    """Fingerprints of `fingerprint_texts`. surrogatepass: a lone surrogate from a damaged cell (a sheet name, a
    header) is hashed, not refused."""
    return [hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32] for text in texts]


def _texts(values: np.ndarray) -> list[str]:
    """A column of texts with None as ""."""
    return [v or "" for v in values.tolist()]


def write_baseline(findings: Sequence[Finding], path: Path) -> int:
    """Record the active (unsuppressed) findings; returns how many."""
    active = [f for f in findings if f.suppressed is None]
    prints = fingerprints(findings)
    entries = [
        {"fingerprint": fp, "rule": f.rule, "file": PurePath(f.file).name, "sheet": f.sheet, "subject": f.subject}
        for f, fp in zip(findings, prints, strict=True) if f.suppressed is None
    ]
    path.write_text(json.dumps({"version": BASELINE_VERSION, "findings": entries}, ensure_ascii=False, indent=2)
                    + "\n", encoding="utf-8", errors="backslashreplace")  # a lone surrogate: its JSON escape
    return len(active)


class BaselineError(Exception):
    """A baseline file that cannot be read."""


def read_baseline(path: Path) -> list[dict]:
    try:
        doc = json.loads(read_text_file(path, limit=256 << 20))
        entries = doc["findings"]
        if not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries):
            raise ValueError("every entry needs a fingerprint")
        return entries
    except (TextFileError, ValueError, KeyError, TypeError) as exc:
        raise BaselineError(f"{path}: not a tzcheck baseline ({exc})") from None
    except RecursionError:
        raise BaselineError(f"{path}: not a tzcheck baseline (nested too deeply)") from None


def apply_baseline(findings: FindingTable, entries: list[dict]) -> tuple[FindingTable, list[dict]]:
    """Findings the baseline records become suppressed; returns them and the entries that matched nothing."""
    recorded = {e["fingerprint"]: e for e in entries}
    matched: set[str] = set()
    suppressed = findings.column("suppressed").tolist()
    for i, fp in enumerate(fingerprints(findings)):
        if fp in recorded and suppressed[i] is None:
            suppressed[i] = BASELINED
            matched.add(fp)
    return findings.with_column("suppressed", suppressed), [e for fp, e in recorded.items() if fp not in matched]


def with_baseline(report: Report, path: Path) -> Report:
    """The report with the findings the baseline records suppressed, and the baseline's stale entries listed."""
    findings, unmatched = apply_baseline(report.findings, read_baseline(path))
    return dataclasses.replace(report, findings=findings, baseline_file=str(path),
                               baseline_unmatched=tuple(json.dumps(e, ensure_ascii=False) for e in unmatched))
