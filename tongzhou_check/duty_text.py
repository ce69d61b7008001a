"""`tzcheck duties`: the disclosure duties the plan assigns to agencies, as records, a JSON document or a table."""

from __future__ import annotations

import json

from rich.table import Table

from tongzhou_check.dutymap import DutyMap


def records(duty_map: DutyMap, ids: list[str]) -> list[dict]:
    """One record per (agency, duty), in the duty map's order."""
    return [
        {"agency": a, "name": duty_map.agencies[a].short, "duty": d.id, "clause": d.clause, "text": d.text,
         "item": d.item, "sentence": d.sentence, "rec": d.rec, "checked": d.checked, "uncertain": uncertain,
         "keywords": [["/".join(slot) for slot in group] for group in d.keywords]}
        for a in ids for d, uncertain in duty_map.duties_of(a)
    ]


def as_json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def as_table(rows: list[dict], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for name in ("单位", "职责", "条款", "要点原文", "清单", "确定"):
        table.add_column(name, overflow="fold")
    for r in rows:
        table.add_row(r["name"], r["duty"], r["clause"], r["text"], r["rec"], "否" if r["uncertain"] else "是")
    return table
