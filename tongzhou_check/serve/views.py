"""What the pages show, built from the stored reports: findings grouped by sheet with previews of the rows at
fault, the changes since the agency's previous submission, the office's dashboard and an agency's trend."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from tongzhou_check.masking import mask
from tongzhou_check.serve.db import DONE, Submission
from tongzhou_check.serve.storage import Store


def report_of(store: Store, submission: Submission, lang: str) -> bytes | None:
    sha = submission.report_en if lang == "en" else submission.report_zh
    return store.read(sha, ".json") if sha else None


def details_of(store: Store, submission: Submission) -> dict:
    return json.loads(store.read(submission.details, ".json")) if submission.details else {}


@dataclass
class Group:
    sheet: str | None
    findings: list[dict] = field(default_factory=list)
    preview: dict | None = None


def groups(report: dict, details: dict) -> list[Group]:
    """The findings by sheet, in report order (file-level ones first), each with its fingerprint and preview."""
    prints = details.get("fingerprints", [])
    previews = details.get("previews", {})
    by_sheet: dict[str | None, Group] = {}
    for i, f in enumerate(report.get("findings", [])):
        group = by_sheet.setdefault(f.get("sheet"), Group(f.get("sheet"), preview=previews.get(f.get("sheet") or "")))
        group.findings.append({**f, "fingerprint": prints[i] if i < len(prints) else None})
    return list(by_sheet.values())


def previous(db: DbSession, submission: Submission) -> Submission | None:
    """The agency's last audited submission of the same year before this one."""
    if submission.agency is None:
        return None
    return db.scalar(select(Submission).where(
        Submission.agency == submission.agency, Submission.year == submission.year, Submission.status == DONE,
        Submission.id < submission.id).order_by(Submission.id.desc()).limit(1))


def changes(current: list[Group], before: dict, before_details: dict) -> dict[str, Any]:
    """fixed / new / still open, by the baseline's fingerprints (rows may move; a renamed file is the same)."""
    now_prints = {f["fingerprint"] for g in current for f in g.findings if f["fingerprint"]}
    old = groups(before, before_details)
    old_prints = {f["fingerprint"] for g in old for f in g.findings if f["fingerprint"]}
    fixed = [f for g in old for f in g.findings if f["fingerprint"] not in now_prints]
    for g in current:
        for f in g.findings:
            f["change"] = "still" if f["fingerprint"] in old_prints else "new"
    return {"fixed": fixed, "new": len(now_prints - old_prints), "still": len(now_prints & old_prints)}


def masked(text: str | None) -> str:
    return mask(text) or ""


@dataclass
class AgencyRow:
    id: str
    name: str
    latest: Submission | None
    count: int
    last: Any
    trend: list[int]


def dashboard(db: DbSession, agencies: dict[str, str], year: int) -> list[AgencyRow]:
    """Every agency of the duty map (and any other that submitted), the year's submissions of each."""
    subs = list(db.scalars(select(Submission).where(Submission.year == year).order_by(Submission.id)))
    by_agency: dict[str | None, list[Submission]] = defaultdict(list)
    for s in subs:
        by_agency[s.agency].append(s)
    names = dict(agencies)
    for s in subs:
        if s.agency and s.agency not in names:
            names[s.agency] = s.agency_name or s.agency
    rows = []
    for agency_id, name in names.items():
        mine = by_agency.get(agency_id, [])
        done = [s for s in mine if s.status == DONE]
        rows.append(AgencyRow(agency_id, name, mine[-1] if mine else None, len(mine),
                              max((s.finished_at or s.created_at for s in mine), default=None),
                              [s.errors or 0 for s in done]))
    return rows


def years(db: DbSession) -> list[int]:
    return list(db.scalars(select(Submission.year).distinct().order_by(Submission.year.desc())))


def sparkline(values: list[int], width: int = 120, height: int = 24) -> str:
    """An SVG polyline of the values (errors per submission), as points for a template."""
    if not values:
        return ""
    top = max(values) or 1
    step = width / max(1, len(values) - 1)
    return " ".join(f"{i * step:.1f},{height - 2 - (v / top) * (height - 4):.1f}" for i, v in enumerate(values))


def latest_of_year(db: DbSession, year: int) -> list[Submission]:
    """Each agency's latest audited, readable submission of the year (the appendix's inputs)."""
    subs = db.scalars(select(Submission).where(Submission.year == year, Submission.status == DONE)
                      .order_by(Submission.id))
    latest: dict[str, Submission] = {}
    for s in subs:
        latest[s.agency or f"#{s.id}"] = s
    return list(latest.values())
