"""Text normalisation shared by header matching, value parsing and comparison."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import yaml

_QUOTES = re.compile(r"[\"'“”‘’「」『』]")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """NFKC with all whitespace and line breaks removed."""
    if not unicodedata.is_normalized("NFKC", text):  # most cells already are: the check is cheaper
        text = unicodedata.normalize("NFKC", text)
    return "".join(text.split())


def norm_header(text: object, suffixes: tuple[str, ...] = ("*", "(必填)")) -> str:
    """A header as matched: NFKC, no whitespace, a trailing `*` or `(必填)` removed."""
    if text is None:
        return ""
    out = squash(str(text))
    changed = True
    while changed:
        changed = False
        for suffix in suffixes:
            if suffix and out.endswith(suffix) and len(out) > len(suffix):
                out = out[: -len(suffix)]
                changed = True
    return out


def enum_key(text: str) -> str:
    """An enumeration value as compared: NFKC, no whitespace or quotes, Latin upper-cased."""
    return _QUOTES.sub("", squash(text)).upper()


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class YamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when PyYAML has it
    """Safe YAML as JSON Schema sees it: dates stay strings (`2018-09-03`), parsed where they are used."""


YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """` (是否要找 X? / did you mean X?)` for the closest of the choices to a mistyped name, or ""."""
    import difflib

    options = {choice.lower(): choice for choice in choices}
    close = difflib.get_close_matches(name.lower(), list(options), n=1, cutoff=0.6)
    if not close:
        return ""
    found = options[close[0]]
    return f"(是否要找 {found}? / did you mean {found}?)"
