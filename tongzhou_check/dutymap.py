"""The plan's duty map: agencies, the duties of each, whose workbook a file is, which duties a catalogue lists."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tongzhou_check.text import squash


@dataclass(frozen=True)
class Agency:
    id: str
    short: str
    full: str
    aliases: tuple[str, ...] = ()
    successors: tuple[str, ...] = ()  # names of 2019+ successor bodies, accepted for files of any year

    @property
    def names(self) -> tuple[str, ...]:
        return (self.short, self.full, *self.aliases, *self.successors)


@dataclass(frozen=True)
class Duty:
    id: str
    clause: str
    text: str
    rec: str
    expected: tuple[tuple[str, bool], ...]  # (agency id or "*", uncertain)
    keywords: tuple[tuple[tuple[str, ...], ...], ...]  # groups of slots of alternative words
    hedged: bool = False  # ◇: the plan says 编制/推行…, publication only implied
    part: str | None = None

    @property
    def checked(self) -> bool:
        """TZ120 checks duties whose record belongs in the catalogue (`C` is one of the rec's parts)."""
        return "C" in self.rec.split("+")

    @property
    def by_workbook(self) -> bool:
        """`[workbook]+C`: covered by the presence of a catalogue sheet."""
        return "[workbook]" in self.rec


@dataclass(frozen=True)
class AgencyMatch:
    id: str
    name: str
    source: str  # option | cell | title | filename


def norm(text: str) -> str:
    """Names and catalogue text as matched: NFKC, whitespace removed, Latin upper-cased."""
    return squash(text).upper()


class DutyMap:
    """Agencies and duties of a pack, with the lookups built once."""

    def __init__(self, agencies: tuple[Agency, ...], duties: tuple[Duty, ...]) -> None:
        self.agencies = {a.id: a for a in agencies}
        self.duties = duties
        owners: dict[str, set[str]] = {}
        for agency in agencies:
            for name in agency.names:
                owners.setdefault(norm(name), set()).add(agency.id)
        self._owners = owners
        self._names = sorted(owners, key=len, reverse=True)
        words = sorted({norm(w) for d in duties for g in d.keywords for slot in g for w in slot}, key=len, reverse=True)
        # a zero-width lookahead finds a keyword at every position; words starting at the same position that are
        # prefixes of the one found are added from `_prefixes`, so overlapping keywords are all seen in one pass
        self._pattern = re.compile("(?=(" + "|".join(map(re.escape, words)) + "))") if words else None
        self._prefixes = {w: {p for p in words if w.startswith(p)} for w in words}

    # ---- which agency ----
    def agency_in(self, text: str) -> str | None:
        """The agency a text names: the longest name it contains; a name shared by several agencies names none."""
        text = norm(text)
        longest = next((name for name in self._names if name and name in text), None)
        if longest is None or len(self._owners[longest]) != 1:
            return None
        return next(iter(self._owners[longest]))

    def lookup(self, name: str) -> str | None:
        """An agency by id or by one of its names."""
        return name if name in self.agencies else self.agency_in(name)

    def identify(self, option: str | None, cells: list[str], titles: list[str], path: Path) -> AgencyMatch | None:
        """The first source that names an agency: --agency, a 填报单位 cell, the title rows, the file name."""
        candidates = [("option", [option] if option else []), ("cell", cells), ("title", titles),
                      ("filename", [path.stem])]
        for source, texts in candidates:
            for text in texts:
                found = self.lookup(text) if source == "option" else self.agency_in(text)
                if found:
                    return AgencyMatch(found, self.agencies[found].short, source)
        return None

    # ---- which duties ----
    def duties_of(self, agency: str) -> list[tuple[Duty, bool]]:
        """The duties that apply to an agency, each with whether it is uncertain."""
        out = []
        for duty in self.duties:
            named = [u for a, u in duty.expected if a == agency]
            everyone = [u for a, u in duty.expected if a == "*"]
            if named or everyone:
                uncertain = duty.hedged or (min(named) if named else min(everyone))
                out.append((duty, bool(uncertain)))
        return out

    def covered(self, texts: pd.Series, duties: list[Duty]) -> set[str]:
        """Ids of the duties some record covers: all slots of one keyword group occur in one record's text."""
        if self._pattern is None or texts.empty:
            return set()
        found = [set().union(*(self._prefixes[w] for w in words)) if words else set()
                 for words in texts.map(norm).str.findall(self._pattern)]
        covered = set()
        for duty in duties:
            for group in duty.keywords:
                slots = [{norm(w) for w in slot} for slot in group]
                if any(all(slot & words for slot in slots) for words in found):
                    covered.add(duty.id)
                    break
        return covered


def label_value(row: list[str], labels: tuple[str, ...]) -> str | None:
    """The agency written after a 填报单位/报送单位 label: after the colon, or in the next non-empty cell."""
    for i, cell in enumerate(row):
        text = squash(cell)
        label = next((lb for lb in labels if text.startswith(lb)), None)
        if label is not None:
            value = text[len(label) :].lstrip(":")
            if value:
                return value
            return next((squash(c) for c in row[i + 1 :] if squash(c)), None)
    return None
