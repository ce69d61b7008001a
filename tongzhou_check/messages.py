"""Message templates rendered for many findings at once: each field formatted once per distinct value (masked where
it echoes text), the template's pieces joined as columns. The text equals `template.format_map(fields)` row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as default
from functools import lru_cache
from string import Formatter
from typing import Any

import numpy as np
import pandas as pd

from tongzhou_check.masking import mask

LANGS = ("zh", "en")
Piece = tuple[str, str | None, str | None, str, str | None]  # literal, field, [key], format spec, conversion
Indexed = Callable[[str, str], "np.ndarray | str"]  # (field, key) → the rows' text: values[...] and headers[...]
_CONVERT = {"r": repr, "s": str, "a": ascii}


@lru_cache(maxsize=1024)
def parse(template: str) -> tuple[Piece, ...]:
    """A template as pieces: the literal text before each field, the field, its [key], spec and conversion."""
    pieces = []
    for literal, name, spec, conversion in Formatter().parse(template):
        field, key = None, None
        if name is not None:
            field, _, rest = name.partition("[")
            key = rest[:-1] if rest else None
        pieces.append((literal, field, key, spec or "", conversion))
    return tuple(pieces)


def pick(value: Any, lang: str) -> Any:
    """A field as one language shows it: a {zh, en} label in that language, text masked, anything else as is."""
    if isinstance(value, dict) and set(value) == set(LANGS):
        return value[lang]
    return mask(value) if isinstance(value, str) else value


def _format(value: Any, spec: str, conversion: str | None) -> str:
    if conversion:
        value = _CONVERT[conversion](value)
    return format(value, spec)


def per_distinct(values: np.ndarray, show: Callable[[Any], Any]) -> np.ndarray:
    """show() applied once per distinct value of a column.

    Labels ({zh, en} dicts) cannot be factorised, and factorising takes True for 1: such columns are memoised by
    type and value instead.
    """
    if any(v.__class__ is dict or v.__class__ is bool for v in values):
        shown: dict[Any, Any] = {}
        out = np.empty(len(values), dtype=object)
        for i, v in enumerate(values):
            k = tuple(sorted(v.items())) if isinstance(v, dict) else (v.__class__, v)
            if k not in shown:
                shown[k] = show(v)
            out[i] = shown[k]
        return out
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    out = np.array([*(show(u) for u in uniques), None], dtype=object)[codes]
    by_type: dict[type, Any] = {}  # None and NaN are told apart: each shown as it is, once per type
    for i in np.flatnonzero(codes == -1):
        kind = values[i].__class__
        if kind not in by_type:
            by_type[kind] = show(values[i])
        out[i] = by_type[kind]
    return out


def _shown(value: Any, lang: str | None, spec: str, conversion: str | None) -> np.ndarray | str:
    """A field's text: a column once per distinct value, or one value; picked (and masked) unless lang is None."""
    def show(v: Any) -> str:
        return _format(v if lang is None else pick(v, lang), spec, conversion)

    if isinstance(value, np.ndarray):
        return per_distinct(value, show) if lang is not None or spec or conversion else value
    return show(value)


def render(template: str, lang: str, n: int, scalars: dict[str, Any], columns: dict[str, np.ndarray],
           indexed: Indexed) -> np.ndarray:
    """The message of n findings: `scalars` hold for all, `columns` per finding (already aligned)."""
    out: Any = ""
    for literal, field, key, spec, conversion in parse(template):
        out = out + literal if literal else out
        if field is None:
            continue
        if key is not None:  # values[...] come masked, headers[...] as written
            part = _shown(indexed(field, key), None, spec, conversion)
        elif field in columns:
            part = _shown(columns[field], lang, spec, conversion)
        elif field in scalars:
            part = _shown(scalars[field], lang, spec, conversion)
        else:  # the loader refuses unknown fields; shown rather than failing
            part = "{" + field + "}"
        out = out + part
    if isinstance(out, str):
        return np.full(n, out, dtype=object)
    return out


def indexed_fields(templates: Mapping[str, str]) -> set[tuple[str, str]]:
    """The `{values[...]}` and `{headers[...]}` fields the templates use, as (field, key)."""
    return {(f, k) for t in templates.values() for _, f, k, _, _ in parse(t) if f is not None and k is not None}


@dataclass(frozen=True)
class Texts:
    """The messages of n findings, rendered for one language when it is asked for (only what is output).

    `templates` (per language) with their fields: `scalars` for all, `columns` per finding, `indexed` the text of
    each `values[...]`/`headers[...]` field, captured while the sheet existed; or `done`, messages already rendered.
    Plain data: picklable, for worker processes.
    """

    n: int
    templates: Mapping[str, str] = default(default_factory=dict)
    scalars: Mapping[str, Any] = default(default_factory=dict)
    columns: Mapping[str, np.ndarray] = default(default_factory=dict)
    indexed: Mapping[tuple[str, str], np.ndarray | str] = default(default_factory=dict)
    done: Mapping[str, np.ndarray] | None = None

    def render(self, lang: str, rows: np.ndarray | None = None) -> np.ndarray:
        """The messages in one language: all n, or those of some rows (positions in the block)."""
        if self.done is not None:
            return self.done[lang] if rows is None else self.done[lang][rows]
        if rows is None:
            return render(self.templates[lang], lang, self.n, self.scalars, self.columns,
                          lambda f, k: self.indexed.get((f, k), ""))
        columns = {name: values[rows] for name, values in self.columns.items()}

        def indexed(field: str, key: str) -> np.ndarray | str:
            values = self.indexed.get((field, key), "")
            return values[rows] if isinstance(values, np.ndarray) else values
        return render(self.templates[lang], lang, len(rows), self.scalars, columns, indexed)
