"""The one masking step every string that echoes a cell passes through before it reaches any output."""

from __future__ import annotations

import re

from tongzhou_check.privacy import CANDIDATE, mask_text
from tongzhou_check.text import visible

# Long digit runs (half- or full-width, an ID's final X included) are masked even before the privacy rule's
# detectors know what they are: a report that echoes a cell must never become the leak.
_DIGIT_RUN = re.compile(r"(?<![0-9０-９])[0-9０-９]{11,}[XxＸｘ]?(?![0-9０-９])")


def mask_run(run: str) -> str:
    """Mask one identifier-like run: 18 → first 6 + last 4, 11 → first 3 + last 4, others → last 4."""
    n = len(run)
    if n == 18:
        return run[:6] + "*" * 8 + run[-4:]
    if n == 11:
        return run[:3] + "****" + run[-4:]
    return "*" * (n - 4) + run[-4:]


def mask(text: str | None) -> str | None:
    """The text with every personal identifier the privacy detectors find, and every long digit run, masked, and
    every control or bidi-override character shown as an escape (text.visible)."""
    if not text:
        return text
    text = visible(text)
    if CANDIDATE.search(text) is None:  # no 6-digit run and no label: nothing either step would change
        return text
    return _DIGIT_RUN.sub(lambda m: mask_run(m.group(0)), mask_text(text))
