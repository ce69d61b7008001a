"""Line breaking for the terminal: Chinese text wrapped to a width in cells, preferably after punctuation, never
starting a line with closing punctuation or ending one with an opening bracket, never splitting a number or word."""

from __future__ import annotations

import unicodedata

CLOSING = frozenset(",。;:、?!)》」』】〕〉”’…·%,.;:?!)]}")  # never at the start of a line
OPENING = frozenset("(《「『【〔〈“‘([{")  # never at the end of a line
BREAK_AFTER = frozenset(",。;:、?!)》」』】” ")  # where a line breaks best
_WORD = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_./:+*#")


def cells(text: str) -> int:
    """The width of text on a terminal: 2 for wide (CJK) characters, 0 for combining marks, else 1."""
    return sum(_width(ch) for ch in text)


def _width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def wrap(text: str, width: int) -> list[str]:
    """The lines of text at most `width` cells wide (a line break in the text is kept)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += _wrap_one(paragraph, max(width, 4))
    return lines


def _fits(text: str, width: int) -> int:
    """How many characters of text fit in width cells."""
    used = 0
    for n, ch in enumerate(text):
        used += _width(ch)
        if used > width:
            return n
    return len(text)


def _cut(text: str, width: int) -> int:
    n = max(_fits(text, width), 1)
    if n >= len(text):
        return n
    cut = n
    for i in range(n, max(2 * n // 3, 1) - 1, -1):  # a break after punctuation in the line's last third
        if text[i - 1] in BREAK_AFTER:
            cut = i
            break
    else:
        start = cut
        while start > 0 and text[start - 1] in _WORD and text[start] in _WORD:  # a number or word stays whole
            start -= 1
        if start > n // 3:
            cut = start
    while 1 < cut < len(text) and (text[cut] in CLOSING or text[cut - 1] in OPENING):
        cut -= 1  # the character before the closing mark goes down with it
    return cut


def _wrap_one(text: str, width: int) -> list[str]:
    lines = []
    while cells(text) > width:
        cut = _cut(text, width)
        lines.append(text[:cut].rstrip(" "))
        text = text[cut:].lstrip(" ")
    return [*lines, text]
