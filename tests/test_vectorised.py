"""What is done over a whole column at once (joined, encoded, one regex scan) equals what each cell gives alone;
what a long report's writer makes a part at a time equals the part of what is made for all."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest
from helpers import ROOT, audit_report
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tongzhou_check.baseline import Identities, _masked_key, fingerprint_texts
from tongzhou_check.model import Finding, Severity
from tongzhou_check.privacy import CANDIDATE
from tongzhou_check.reader.workbook import ColumnTexts, first_characters
from tongzhou_check.text import HEADER_MAX, may_be_header, squash, squash_all

# characters where normalisation, spaces and the privacy patterns have something to do
TRICKY = st.sampled_from(["a", "e", "\u0301", "\u0308", "\u1100", "\u1161", "\u11a8", "\uac00", " ", "\u3000", "\xa0",
                          "\t", "\n", "\x1f", "\u2460", "\uff21", "\ufb01", "ｶ", "\uff9e", "\u212b", "名", "姓", "住",
                          "址", "0", "7", "１", "９", "-", "X", "\x00", "\ud800"])
TEXTS = st.lists(st.text(TRICKY, max_size=12), max_size=8)

# the candidate pattern as first written, before it was reshaped to start with one character class
PLAIN_CANDIDATE = re.compile(r"[0-9０-９]{3}(?:[0-9０-９]{3}|[\s-][0-9０-９]{4})|姓\s*名|住\s*址")


@settings(max_examples=500)
@given(TEXTS)
def test_squashing_texts_together_is_squashing_each(texts: list[str]) -> None:
    assert squash_all(texts) == [squash(text) for text in texts]


@settings(max_examples=500)
@given(TEXTS)
def test_first_characters_are_each_texts_first_after_spaces(texts: list[str]) -> None:
    expected = [ord(text.lstrip()[0]) if text.strip() else -1 for text in texts]
    assert first_characters(texts).tolist() == expected


@settings(max_examples=1000)
@given(st.text(TRICKY, max_size=20))
def test_the_candidate_pattern_finds_what_the_plain_one_finds(text: str) -> None:
    found, plain = CANDIDATE.search(text), PLAIN_CANDIDATE.search(text)
    assert (found and found.span()) == (plain and plain.span())


@settings(max_examples=300)
@given(st.lists(st.one_of(st.text(TRICKY, max_size=HEADER_MAX + 2), st.just(""), st.floats(allow_nan=False),
                          st.integers()), max_size=12),
       st.frozensets(st.sampled_from(["名", "姓", "a", "X", "0"])), st.integers(0, 4), st.one_of(st.none(), st.integers(0, 14)))
def test_header_like_cells_are_those_each_cell_alone_gives(cells: list[object], firsts: frozenset[str], start: int,
                                                         end: int | None) -> None:
    column = np.empty(len(cells), dtype=object)
    column[:] = cells
    texts = ColumnTexts.of(column)
    assert texts.rows.tolist() == [i for i, c in enumerate(cells)
                                   if isinstance(c, str) and 0 < len(c) <= HEADER_MAX and not c.isspace()]
    assert texts.points.tolist() == [ord(cells[i].lstrip()[0]) for i in texts.rows.tolist()]  # type: ignore[union-attr]
    tested: list[str] = []

    def test(text: str) -> bool:
        tested.append(text)
        return len(text) % 2 == 0

    expected = [may_be_header(c, firsts) and test(c) and not c.isspace() for c in cells[start:end]]  # type: ignore[arg-type]
    tested.clear()
    assert texts.where(firsts, test, start, end).tolist() == expected
    assert len(tested) == len(set(tested))  # once per distinct text


@pytest.fixture(scope="module")
def findings():  # type: ignore[no-untyped-def]
    """The samples' findings: many blocks (one per hit), in report order, not the order they were made."""
    table = audit_report(*sorted((ROOT / "sample_lists").glob("*.xlsx"))).findings
    assert len(table) > 30
    return table


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_messages_of_a_part_are_that_part_of_all_messages(findings, lang: str) -> None:  # type: ignore[no-untyped-def]
    parts = [slice(0, 7), slice(7, 25), slice(25, None), slice(None, None, 3), slice(5, 5)]
    made = [findings.messages_of(lang, part).tolist() for part in parts]  # before all are rendered
    whole = findings.messages(lang).tolist()
    assert made == [whole[part] for part in parts]


def test_fingerprint_texts_of_a_part_are_that_part_of_all(findings) -> None:  # type: ignore[no-untyped-def]
    doubled = [*findings, *findings]  # every finding repeated exactly: counted from the first part into the second
    for table in (findings, doubled):
        whole = fingerprint_texts(table)
        identities = Identities.of(table)
        half = len(whole) // 2
        assert identities.texts(slice(0, half)) + identities.texts(slice(half, None)) == whole
    assert Identities.of(doubled).repeats is not None and fingerprint_texts(doubled)[-1].endswith("\x1d1")


def _identity_texts(findings: list[Finding]) -> list[str]:
    """What `fingerprint_texts` says each finding's text is, one finding at a time: its parts joined by \\x1e (the key
    masked), then \\x1d and how many findings before it have the same joined parts."""
    seen: dict[str, int] = {}
    texts = []
    for f in findings:
        base = "\x1e".join([f.rule, f.file.rsplit("/", 1)[-1], f.sheet or "", _masked_key(f.key), f.header or "",
                            f.subject or ""])
        texts.append(f"{base}\x1d{seen.get(base, 0)}")
        seen[base] = seen.get(base, 0) + 1
    return texts


# parts that repeat, that mask alike (two resident IDs differing only where they are masked), that hold the separator
PART = st.sampled_from([None, "", "a", "表", "\x1e", "a\x1e", "\x1ea", "110101199003071234", "110101199103081234",
                        "2018-01-01\x1f110101199003071234", "2018-01-01\x1f110101199103081234", "姓名", "x\x1fy"])


@settings(max_examples=300)
@example([("TZ004", "m.xlsx", "s", "110101199003071234", None, None),  # keys masked alike: a repeat
          ("TZ004", "m.xlsx", "s", "110101199103081234", None, None)])
@example([("TZ004", "m.xlsx", "a\x1e", "", None, None), ("TZ004", "m.xlsx", "a", "\x1e", None, None)])  # joined alike
@example([("TZ004", "a/l.xlsx", None, "k", "", None), ("TZ004", "b/l.xlsx", "", "k", None, "")])  # None as ""
@given(st.lists(st.tuples(st.sampled_from(["TZ004", "TZ008"]), st.sampled_from(["a/l.xlsx", "b/l.xlsx", "m.xlsx"]),
                          PART, PART, PART, PART), max_size=14))
def test_fingerprint_texts_are_each_findings_parts_and_earlier_repeats(rows: list[tuple]) -> None:  # type: ignore[type-arg]
    findings = [Finding(rule=rule, name="n", severity=Severity.error, file=file, clause="c", message_zh="m",
                        message_en="m", sheet=sheet, header=header, subject=subject, key=key)
                for rule, file, sheet, key, header, subject in rows]
    assert fingerprint_texts(findings) == _identity_texts(findings)


_SEARCHED_IN_HALVES = """
from tongzhou_check import baseline, forked
from tongzhou_check.model import Finding, Severity

assert forked.can_fork()  # a fresh interpreter: Linux, one thread
keys = [f"记录{i}\\x1f{'110101199003071234' if i % 7 == 0 else '无'}" for i in range(40)]
findings = [Finding(rule="TZ004", name="n", severity=Severity.error, file="m.xlsx", clause="c", message_zh="m",
                    message_en="m", sheet="s", key=key) for key in [*keys, *keys[::3]]]
serial = baseline.fingerprint_texts(findings)
searched = []
search = baseline.holding_candidates
baseline.SHARED_SEARCH = 10
baseline.holding_candidates = lambda keys: searched.append(len(keys)) or search(keys)
assert baseline.fingerprint_texts(findings) == serial
assert searched == [20], searched  # this process searched half of the 40 distinct keys; the copy, the other half
assert sum("*" in text for text in serial) == 6 + 2
print("ok")
"""


def test_many_keys_are_searched_half_here_half_by_a_forked_copy() -> None:
    # in a fresh interpreter: this one may have threads of other tests' (a cluster's, a server's), and then nothing
    # is forked (forked.can_fork) and the test would prove nothing
    done = subprocess.run([sys.executable, "-c", _SEARCHED_IN_HALVES], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
