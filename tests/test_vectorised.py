"""What is done over a whole column at once (joined, encoded, one regex scan) equals what each cell gives alone."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tongzhou_check.privacy import CANDIDATE
from tongzhou_check.reader.workbook import ColumnTexts, first_characters
from tongzhou_check.text import HEADER_MAX, squash, squash_all

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
                          st.integers()), max_size=12))
def test_a_columns_short_texts_are_its_distinct_texts_that_may_be_headers(cells: list[object]) -> None:
    column = np.empty(len(cells), dtype=object)
    column[:] = cells
    texts = ColumnTexts.of(column)
    short = {c for c in cells if isinstance(c, str) and 0 < len(c) <= HEADER_MAX and not c.isspace()}
    assert sorted(texts.short.tolist()) == sorted(short)
    assert texts.points.tolist() == [ord(t.lstrip()[0]) for t in texts.short.tolist()]
    assert texts.first_points.tolist() == sorted({ord(t.lstrip()[0]) for t in short})
