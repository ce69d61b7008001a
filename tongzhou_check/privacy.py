"""Personal information in published text: resident IDs, mobile numbers, bank cards, labelled names and addresses.

Detection is a regex over the whole column to find candidate cells, then exact patterns and checksums on the
candidates only. Everything found is reported in masked form; `mask_text` is what the one masking step
(masking.mask) applies, so that no output ever echoes a detected value in clear.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from itertools import repeat
from operator import is_not

import numpy as np
import pandas as pd
from stdnum import luhn
from stdnum.cn import uscc

from tongzhou_check.text import are_texts, nfkc

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
MIN_MASKED = 8  # an 18-character ID with fewer masked characters is insufficiently de-identified

# a cell is a candidate when it holds a run of 6+ digits (half- or full-width), or 3 then a space or hyphen and 4
# more, or a personal-field label. Written to start with one character class (then the branch that character
# begins): `re` then skips to the next character that may start a match, four times faster over long text than
# trying the branches at every character.
_DIGIT = "[0-9０-９]"
CANDIDATE = re.compile(rf"[0-9０-９姓住](?:(?<={_DIGIT}){_DIGIT}{{2}}(?:{_DIGIT}{{3}}|[\s-]{_DIGIT}{{4}})"
                       r"|(?<=姓)\s*名|(?<=住)\s*址)")
_ID18 = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_ID_MASKED = re.compile(r"(?<![0-9A-Za-z*])([\d*]{17}[\dXx*])(?![0-9A-Za-z*])")
_ID15 = re.compile(r"(?:身份证号码|身份证号|身份证|公民身份号码|证件号码)\s*[::]?\s*(\d{15})(?!\d)")
_MOBILE = re.compile(r"(?<![\d+])(?:\+86[\s-]?|86[\s-])?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_CARD = re.compile(r"(?<!\d)(\d{4}(?:[\s-]?\d{4}){3}(?:[\s-]?\d{1,3})?)(?!\d)")
_LABELLED = re.compile(r"(家庭住址|住址|姓名)\s*[::]\s*([^\s,,;;。、)()]+)")
_USCC_LABEL = re.compile(r"(?:统一社会信用代码|信用代码|社会信用代码)\s*[::]?\s*$")
_MASK_CHARS = set("*某×xX")
KINDS = {
    "resident_id": {"zh": "身份证号码", "en": "resident ID number"},
    "resident_id_partial": {"zh": "身份证号码(遮蔽不足)", "en": "insufficiently masked resident ID number"},
    "mobile": {"zh": "手机号码", "en": "mobile number"},
    "bank_card": {"zh": "银行卡号", "en": "bank card number"},
    "name": {"zh": "姓名", "en": "name"},
    "address": {"zh": "住址", "en": "address"},
}


@dataclass(frozen=True)
class Match:
    kind: str  # a key of KINDS
    start: int
    end: int
    masked: str


def _real_date(year: int, month: int, day: int, latest: dt.date) -> bool:
    try:
        return dt.date(year, month, day) <= latest
    except ValueError:
        return False


def is_resident_id(text: str, latest: dt.date | None = None) -> bool:
    """GB 11643-1999: ISO 7064 MOD 11-2 check character and a real birth date not after `latest`."""
    if len(text) != 18 or not text[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(text[:17], _WEIGHTS, strict=True))
    if _CHECK[total % 11] != text[17].upper():
        return False
    return _real_date(int(text[6:10]), int(text[10:12]), int(text[12:14]), latest or dt.date.today())


def mask_id(text: str) -> str:
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def _overlaps(found: list[Match], start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for m in found)


def detect(text: str, latest: dt.date | None = None) -> list[Match]:
    """Every identifier in one text (already NFKC-normalised), IDs first: an ID is never also a card."""
    latest = latest or dt.date.today()
    found: list[Match] = []
    for m in _ID18.finditer(text):
        run = m[1]
        resident = is_resident_id(run, latest)  # checked first: stdnum's USCC check is the slower one
        if _USCC_LABEL.search(text[: m.start()]) or (not resident and uscc.is_valid(run)):
            continue
        if resident:
            found.append(Match("resident_id", m.start(), m.end(), mask_id(run.upper())))
        else:  # an 18-character run is judged only as an ID: a failed one is nothing (and never a card)
            found.append(Match("", m.start(), m.end(), ""))
    for m in _ID_MASKED.finditer(text):
        run = m[1]
        masked = run.count("*")
        if 0 < masked < MIN_MASKED and not _overlaps(found, m.start(), m.end()) and run[:6].isdigit():
            found.append(Match("resident_id_partial", m.start(), m.end(), run[:6] + "*" * 8 + run[-4:]))
    for m in _ID15.finditer(text):
        run = m[1]
        if _real_date(1900 + int(run[6:8]), int(run[8:10]), int(run[10:12]), latest):
            found.append(Match("resident_id", m.start(1), m.end(1), run[:6] + "*" * 5 + run[-4:]))
    for m in _MOBILE.finditer(text):
        if not _overlaps(found, m.start(), m.end()):
            found.append(Match("mobile", m.start(), m.end(), f"{m[1]}****{m[3]}"))
    for m in _CARD.finditer(text):
        digits = re.sub(r"[\s-]", "", m[1])
        card_like = len(digits) in (16, 17, 19) and digits.startswith(("62", "3", "4", "5"))
        if card_like and luhn.is_valid(digits) and not _overlaps(found, m.start(), m.end()):
            found.append(Match("bank_card", m.start(), m.end(), "*" * (len(digits) - 4) + digits[-4:]))
    for m in _LABELLED.finditer(text):
        label, value = m[1], m[2]
        if _MASK_CHARS & set(value) or _overlaps(found, m.start(2), m.end(2)):
            continue
        if label == "姓名" and 2 <= len(value) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in value):
            found.append(Match("name", m.start(2), m.end(2), value[0] + "*"))
        elif label != "姓名" and len(value) >= 4:
            found.append(Match("address", m.start(2), m.end(2), value[:3] + "****"))
    return sorted((f for f in found if f.kind), key=lambda f: f.start)


def mask_text(text: str) -> str:
    """The text with every detected identifier replaced by its masked form."""
    if CANDIDATE.search(text) is None:  # most message fields hold no long digit run and no label
        return text
    normalised = nfkc(text)
    matches = detect(normalised)
    if not matches:
        return text
    out, last = [], 0
    for m in matches:
        out += [normalised[last : m.start], m.masked]
        last = m.end
    return "".join(out) + normalised[last:]



def holding_candidates(texts: list[str]) -> np.ndarray:
    """Which texts CANDIDATE finds something in, as booleans, searched in one C-level pass."""
    return np.fromiter(map(is_not, map(CANDIDATE.search, texts), repeat(None)), dtype=bool, count=len(texts))


def scan(values: pd.Series, latest: dt.date) -> pd.DataFrame:
    """Detections in a text column: one row per (cell, kind) with the masked forms joined; index = Excel row."""
    cells = values.tolist()
    texts = are_texts(cells)
    if not texts.all():  # empty cells, numbers
        values = values[texts]
        cells = values.tolist()
    candidates = values[holding_candidates(cells)]
    records = []
    for row, cell in candidates.items():  # candidate cells only: few in a real column
        by_kind: dict[str, list[str]] = {}
        for m in detect(nfkc(cell), latest):
            by_kind.setdefault(m.kind, []).append(m.masked)
        records += [(row, kind, "、".join(dict.fromkeys(masked))) for kind, masked in by_kind.items()]
    return pd.DataFrame(records, columns=["row", "kind", "evidence"]).set_index("row")
