"""Baselines: fingerprints that survive inserted rows, and suppressing the findings a baseline file records."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

import numpy as np
import pandas as pd

from tongzhou_check.forked import beside, can_fork
from tongzhou_check.masking import mask
from tongzhou_check.model import BASELINED, Finding, FindingTable, Report
from tongzhou_check.privacy import CANDIDATE, holding_candidates
from tongzhou_check.text import TextFileError, read_text_file

BASELINE_VERSION = 1


def _masked_key(key: str | None) -> str:
    """A record key as fingerprints use it: each part masked (no identifier enters a baseline file in clear)."""
    if isinstance(key, str) and CANDIDATE.search(key) is None:  # no part holds anything masking would change
        return key
    return "\x1f".join(mask(part) or "" for part in key.split("\x1f")) if isinstance(key, str) else ""


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
    """What identifies each finding without its row (`fingerprints`), for all findings at once: each part of the
    identity as codes into its distinct texts, and how many exact repeats came before each finding. The repeats are
    counted on the codes (so every finding's texts are never made at once); `texts` makes the texts hashed a part of
    the findings at a time (a long report's writer: each part where it is written)."""

    parts: tuple[tuple[np.ndarray, np.ndarray], ...]  # rule, file name, sheet, masked key, header, subject
    repeats: np.ndarray | None  # None: no finding repeats another exactly

    @classmethod
    def of(cls, findings: FindingTable | Sequence[Finding]) -> Identities:
        table = findings if isinstance(findings, FindingTable) else FindingTable.of(findings)
        parts = (_distinct(table.column("rule")), _distinct(table.column("file"), _names),
                 _distinct(table.column("sheet")), _distinct(table.column("key"), _masked_keys),
                 _distinct(table.column("header")), _distinct(table.column("subject")))
        if any(SEPARATOR in "".join(texts.tolist()) for _, texts in parts):
            same = pd.factorize(np.array(_bases(parts, slice(None)), dtype=object))[0]  # a separator inside a part
        else:
            same = _combined([codes for codes, _ in parts], [len(texts) for _, texts in parts])
        repeats = pd.Series(same).groupby(same, sort=False).cumcount().to_numpy() if len(pd.unique(same)) < len(
            same) else None
        return cls(parts, repeats)

    def texts(self, part: slice = slice(None)) -> list[str]:
        """The texts of a part of the findings: each one's base and its count of exact repeats before it."""
        bases = _bases(self.parts, part)
        if self.repeats is None:
            return [f"{base}\x1d0" for base in bases]
        return [f"{base}\x1d{n}" for base, n in zip(bases, self.repeats[part].tolist(), strict=True)]


SEPARATOR = "\x1e"  # between the parts of a finding's identity


def _bases(parts: tuple[tuple[np.ndarray, np.ndarray], ...], rows: slice) -> list[str]:
    """The identities of some findings as texts, their parts joined."""
    return list(map(SEPARATOR.join, zip(*(texts[codes[rows]].tolist() for codes, texts in parts), strict=True)))


def _distinct(values: np.ndarray, text: Callable[[list[str]], list[str]] | None = None) -> tuple[np.ndarray,
                                                                                                 np.ndarray]:
    """A column as codes into its distinct texts (None as ""; `text` makes the texts of the distinct values, all
    at once): findings share a file, a rule, a record's key, so each is made once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    texts = [u if isinstance(u, str) else "" for u in uniques.tolist()]
    if text is not None:
        texts = text(texts)
    if len(set(texts)) == len(texts):
        return codes, np.array(texts, dtype=object)
    recoded, distinct = pd.factorize(np.array(texts, dtype=object))  # equal texts (None and "", masked keys): one
    return recoded[codes], distinct


def _combined(codes: list[np.ndarray], sizes: list[int]) -> np.ndarray:
    """One code per distinct combination of the columns' codes."""
    combined, size = np.zeros(len(codes[0]) if codes else 0, dtype=np.int64), 1
    for column, count in zip(codes, sizes, strict=True):
        if size * max(count, 1) >= 1 << 62:  # kept within 64 bits: renumbered by the combinations that occur
            combined, seen = pd.factorize(combined)
            size = len(seen)
        combined, size = combined * max(count, 1) + column, size * max(count, 1)
    return combined


def _masked_keys(keys: list[str]) -> list[str]:
    """Record keys as fingerprints use them (`_masked_key`), the candidate search run over all of them at once."""
    masked = list(keys)
    for i in np.flatnonzero(_candidates_on_both_cores(keys)).tolist():
        masked[i] = _masked_key(keys[i])
    return masked


SHARED_SEARCH = 200_000  # distinct keys searched on both cores from this many (~0.1 s each side; a fork: ~30 ms)


def _candidates_on_both_cores(keys: list[str]) -> np.ndarray:
    """Which keys the candidate pattern finds something in; a long list searched half here, half by a forked copy
    (the search is most of the time the fingerprints of a long report take before any can be written)."""
    if len(keys) < SHARED_SEARCH or not can_fork():
        return holding_candidates(keys)
    half = len(keys) // 2
    with beside(lambda spool: spool.write(holding_candidates(keys[half:]).tobytes())) as theirs:
        mine = holding_candidates(keys[:half])
        made = theirs()
        rest = holding_candidates(keys[half:]) if made is None else np.frombuffer(made.read(), dtype=bool)
    return np.concatenate([mine, rest])


def _names(paths: list[str]) -> list[str]:
    return [PurePath(p).name for p in paths]


def hashed(texts: Sequence[str]) -> list[str]:
    """Fingerprints of `fingerprint_texts`. surrogatepass: a lone surrogate from a damaged cell (a sheet name, a
    header) is hashed, not refused."""
    return [hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32] for text in texts]


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
