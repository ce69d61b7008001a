"""The plan's duty map: agencies, the duties of each, whose workbook a file is, which duties a catalogue lists."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tongzhou_check.text import squash

_LEVELS = ("区", "县", "市")  # a short name starting with its level: 区民政局, 市规划国土委通州分局
_CJK_TAIL = re.compile(r"[\u3400-\u9fff]{1,8}$")
_WORD_ENDS = set("年月日的于和与及为共度")  # `2018年区民政局`, `关于区民政局`, `中共区委宣传部`: no place before
# another place's agency: a place of 2-4 characters with its level, then the body's name (大兴县商务局)
_PLACE_AGENCY = re.compile(
    r"([\u3400-\u9fff]{2,4}?(?:自治县|县|区))(?:人民政府)?[\u3400-\u9fff]{1,12}?(?:局|委员会|委|办公室|办)"
)


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
    sentence: str = ""  # the plan sentence it comes from, verbatim: duties sharing one share it exactly
    item: str = ""  # what the catalogue should list, in plain words

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

    def __init__(self, agencies: tuple[Agency, ...], duties: tuple[Duty, ...], home: tuple[str, ...] = ()) -> None:
        self.agencies = {a.id: a for a in agencies}
        self.home = tuple(sorted((norm(h) for h in home), key=len, reverse=True))
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
        """The agency a text names: the longest whole name it contains; a name shared by several agencies names
        none. A short name that starts with its level (区民政局) is whole at the start, after the home place
        (通州区民政局) or after a word such as 年; after another place (门头沟区民政局) it is not this map's agency."""
        return self._agency_in(norm(text))[0]

    def _agency_in(self, text: str) -> tuple[str | None, bool]:
        """(the agency a normalised text names, whether it names an agency of another place)."""
        rejected: list[str] = []  # names found qualified by another place: a shorter name inside one is no match
        for name in self._names:
            if not name or name not in text or any(name in r for r in rejected):
                continue
            if not any(self._whole(text, name, m.start()) for m in re.finditer(re.escape(name), text)):
                rejected.append(name)
                continue
            if len(self._owners[name]) != 1:
                return None, bool(rejected)
            return next(iter(self._owners[name])), bool(rejected)
        return None, bool(rejected) or self._other_place(text)

    def _whole(self, text: str, name: str, at: int) -> bool:
        if not name.startswith(_LEVELS):
            return True
        before = _CJK_TAIL.search(text[:at])
        if before is None:
            return True
        run = before.group()
        return run[-1] in _WORD_ENDS or run.endswith(self.home)

    def _other_place(self, text: str) -> bool:
        """Whether a text names an agency of another district or county (大兴县商务局, 门头沟区民政局)."""
        for m in _PLACE_AGENCY.finditer(text):
            place = m.group(1)
            if not place.endswith(self.home) and not any(h.endswith(place) for h in self.home):
                return True
        return False

    def lookup(self, name: str) -> str | None:
        """An agency by id or by one of its names."""
        return name if name in self.agencies else self.agency_in(name)

    def identify(self, option: str | None, cells: list[str], titles: list[str], path: Path) -> AgencyMatch | None:
        """The first source that names an agency: --agency, a 填报单位 cell, the title rows, the file name."""
        candidates = [("option", [option] if option else []), ("cell", cells), ("title", titles),
                      ("filename", [path.stem])]
        for source, texts in candidates:
            for text in texts:
                if source == "option":
                    found, foreign = self.lookup(text), False
                else:
                    found, foreign = self._agency_in(norm(text))
                if found:
                    return AgencyMatch(found, self.agencies[found].short, source)
                if foreign:  # the workbook of another place's agency: none of this map's (TZ121, no TZ120)
                    return None
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
