"""Text normalisation shared by header matching, value parsing and comparison."""

from __future__ import annotations

import re
import stat
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    import numpy as np

_QUOTES = re.compile(r"[\"'“”‘’「」『』]")


# Characters a terminal acts on instead of showing (C0 and C1 controls but tab and line breaks, DEL) and those that
# reorder the text around them (bidi embeddings, overrides, isolates, marks): echoed text shows them escaped.
_UNSEEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """The text with every control and bidi-override character shown as an escape (`\\x1b`, `\\u202e`), so a cell,
    a sheet or a file name cannot move a terminal's cursor, retitle its window or reverse the text after it."""
    if _UNSEEN.search(text) is None:
        return text
    return _UNSEEN.sub(lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100 else
                       f"\\u{ord(m.group(0)):04x}", text)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """NFKC with all whitespace and line breaks removed."""
    if not unicodedata.is_normalized("NFKC", text):  # most cells already are: the check is cheaper
        text = unicodedata.normalize("NFKC", text)
    return "".join(text.split())


def are_texts(values: Sequence[Any]) -> np.ndarray:
    """Which values are texts, as booleans, in one pass in C (a cell may also be a number, a date or empty)."""
    import numpy as np  # here: this module is imported before a workbook's parse starts (reader.limits), numpy not

    return np.fromiter(map(str.__instancecheck__, values), dtype=bool, count=len(values))


def squash_all(texts: list[str]) -> list[str]:
    """`squash` of each text, done once over them all joined by NUL: normalisation never joins NUL to a neighbour,
    and it is not whitespace, so it still parts them after."""
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:  # a text holds NUL itself (or there are none)
        return [squash(text) for text in texts]
    return squash(joined).split("\x00")


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


HEADER_MAX = 60  # no header, with its notes and spaces, is longer


def initials(texts: Iterable[str]) -> frozenset[str]:
    """The first characters of some normalised header texts, for `may_be_header`."""
    return frozenset(t[0] for t in texts if t)


def may_be_header(value: object, firsts: frozenset[str]) -> bool:
    """A cheap test before normalising a cell to compare it with headers: a short text whose first character
    starts one of them (or may after NFKC: a full-width or compatibility character)."""
    if not isinstance(value, str) or len(value) > HEADER_MAX:
        return False
    return may_start_header(value.lstrip()[:1], firsts)


def may_start_header(first: str, firsts: frozenset[str]) -> bool:
    """`may_be_header` of a text by its first character (after leading spaces)."""
    return bool(first) and (first in firsts or (not first.isascii() and not unicodedata.is_normalized("NFKC", first)))


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
MAX_TEXT_FILE = 16 << 20  # a rule pack's, configuration's, calendar's or baseline's file: far below this
MAX_YAML_NODES = 1_000_000  # nodes a YAML document may expand to through its aliases (the whole pack: ~30,000)


class TextFileError(Exception):
    """A settings file that cannot be read as text; the message says why, without the file's contents."""


def read_text_file(path: Path, limit: int = MAX_TEXT_FILE) -> str:
    """A regular file of at most `limit` bytes, as UTF-8 (a byte-order mark is dropped)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise TextFileError("不是普通文件 / not a regular file")
        if info.st_size > limit:
            raise TextFileError(f"文件过大 / too large: {info.st_size:,} bytes (at most {limit:,})")
        data = path.read_bytes()
    except OSError as exc:
        raise TextFileError(exc.strerror or type(exc).__name__) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TextFileError(f"不是 UTF-8 文本 / not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
                            ) from None


def _expanded(node: yaml.Node, budget: list[int], seen: dict[int, int]) -> int:
    """How many nodes a node stands for once its aliases are followed (memoised: a shared node counted once per
    use, computed once); stops as soon as the budget is spent."""
    if id(node) in seen:
        size = seen[id(node)]
    else:
        size = 1
        if isinstance(node, yaml.SequenceNode):
            size += sum(_expanded(child, budget, seen) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            size += sum(_expanded(k, budget, seen) + _expanded(v, budget, seen) for k, v in node.value)
        seen[id(node)] = size
    budget[0] -= size
    if budget[0] < 0:
        raise yaml.YAMLError(f"aliases expand to more than {MAX_YAML_NODES:,} nodes (an alias bomb?)")
    return size


def load_yaml(text: str) -> Any:
    """Safe YAML (YamlLoader), refusing a document whose aliases expand past MAX_YAML_NODES; too deep a nesting is
    a YAMLError too."""
    loader = YamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded(node, [MAX_YAML_NODES], {})
        return loader.construct_document(node)
    except RecursionError:
        raise yaml.YAMLError("nested too deeply") from None
    finally:
        loader.dispose()
