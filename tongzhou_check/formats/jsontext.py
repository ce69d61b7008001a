"""JSON text, fast and exact: indented dumps, many objects of one build made from columns, documents streamed.

Every function here writes, byte for byte, what `json.dumps(doc, ensure_ascii=False, indent=2)` writes for the
whole document (tests compare them); they differ only in how much Python work and memory it takes.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, BinaryIO

import numpy as np
import orjson

from tongzhou_check.formats.twofold import write_runs

INDENT = b"  "


def dump_bytes(doc: Any) -> bytes:
    """A document as indented JSON in UTF-8, exactly as `json.dumps(doc, ensure_ascii=False, indent=2)` writes it,
    fast. What orjson refuses the standard library writes: an integer past 64 bits, or a lone surrogate (from a
    damaged cell), which UTF-8 cannot hold and is written as its JSON escape `\\udXXX`."""
    try:
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except (TypeError, orjson.JSONEncodeError):
        return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8", "backslashreplace")


def dumps(doc: Any) -> str:
    """dump_bytes as text."""
    return dump_bytes(doc).decode("utf-8")


def texts(values: Sequence[Any], absent: bool = False) -> list[bytes | None]:
    """Each value's JSON text as a document of its own writes it (without the final newline), from one dump of the
    whole column when its values are scalars. `absent`: None stays None (a member left out) instead of `null`."""
    if not len(values):
        return []
    body = dump_bytes(list(values))[4:-3]  # without "[\n  " and "\n]\n": one value a line, when all are scalars
    if body.count(b"\n") == len(values) - 1:  # a JSON string never holds a raw line break
        out: list[bytes | None] = body.split(b",\n  ")
    else:  # objects or arrays among them: one by one
        out = [dump_bytes(v)[:-1] for v in values]
    return [None if v is None else t for v, t in zip(values, out, strict=True)] if absent else out


def _marker(i: int) -> str:
    return f"\x00{i}\x00"


def objects(build: Callable[..., Any], columns: Sequence[Sequence[bytes | None]], indent: bytes) -> bytes:
    """JSON objects, one per row, as the items of an indented array whose items' lines start with `indent`
    (joined by ",\\n"): each `build(*row)`, from columns of JSON texts (`texts`); None leaves a value out, as
    `build` treats None.

    `build` is called once per shape (which of a row's values are None) with a marker string for each value; the
    dump of what it returns is that shape's template. `build` must place each marker in the object as a value,
    unchanged and in the order of its arguments. The rows are then filled in without Python work per row: a grid
    of each row's template pieces and values, joined once.
    """
    width = len(columns)
    n = len(columns[0]) if columns else 0
    if not n:
        return b""
    grid = np.empty((n, 2 * width + 2), dtype=object)
    optional = [i for i, column in enumerate(columns) if None in column]
    shapes = np.zeros(n, dtype=np.int64)
    for i, column in enumerate(columns):
        grid[:, 2 * i + 1] = column
        if i in optional:
            present = np.not_equal(grid[:, 2 * i + 1], None)
            shapes |= present.astype(np.int64) << optional.index(i)
            grid[~present, 2 * i + 1] = b""
    found, codes = np.unique(shapes, return_inverse=True)
    pieces = np.empty((len(found), width + 1), dtype=object)  # per shape: the literal text before each value, and after
    pads: dict[int, bytes] = {}
    for s, shape in enumerate(found.tolist()):
        absent = {optional[k] for k in range(len(optional)) if not shape >> k & 1}
        literals, shape_pads = _template(build, width, absent, indent)
        pieces[s] = literals
        pads.update(shape_pads)
    for i in range(width + 1):
        grid[:, 2 * i] = pieces[codes, i]
    for i, column in enumerate(columns):
        if b"\n" in b"".join(filter(None, column)):  # values spanning lines (objects, arrays): their lines move right
            grid[:, 2 * i + 1] = _reindented(grid[:, 2 * i + 1].tolist(), pads[i])
    grid[:, 2 * width + 1] = b",\n"
    grid[-1, 2 * width + 1] = b""
    return b"".join(grid.ravel().tolist())


def _template(build: Callable[..., Any], width: int, absent: set[int], indent: bytes
              ) -> tuple[list[bytes], dict[int, bytes]]:
    """One shape's template as the literal text before each value (b"" for an absent one) and after the last, and
    the indentation of each value's line (a value spanning lines is indented from it)."""
    doc = build(*(None if i in absent else _marker(i) for i in range(width)))
    text = indent + dump_bytes(doc)[:-1].replace(b"\n", b"\n" + indent)
    markers = {i: dump_bytes(_marker(i))[:-1] for i in range(width) if i not in absent}
    found = {i: text.find(m) for i, m in markers.items()}
    at = list(found.values())
    if min(at, default=0) < 0 or at != sorted(at) or any(text.count(m) != 1 for m in markers.values()):
        raise ValueError("build must place each value once, unchanged, in the order of its arguments")
    literals, pads, done = [], {}, 0
    for i in range(width):
        if i in absent:
            literals.append(b"")
            continue
        line = text[text.rfind(b"\n", 0, found[i]) + 1:found[i]]
        pads[i] = line[:len(line) - len(line.lstrip(b" "))]
        literals.append(text[done:found[i]])
        done = found[i] + len(markers[i])
    return [*literals, text[done:]], pads


def _reindented(column: list[bytes], pad: bytes) -> list[bytes]:
    """A column's texts placed on a line indented by `pad`: the lines of a value that spans several move right."""
    return [v.replace(b"\n", b"\n" + pad) if b"\n" in v else v for v in column]


@dataclass(frozen=True)
class Items:
    """An array's items in `count` runs: `run(i, indent)` is the i-th run as JSON text, items whose lines start with
    `indent` joined by ",\\n" (`objects`); no run is empty."""

    count: int
    run: Callable[[int, bytes], bytes]


def dumped(chunks: Sequence[list[Any]]) -> Items:
    """Items from lists of values, each list dumped alone and moved right."""
    full = [chunk for chunk in chunks if chunk]

    def run(i: int, indent: bytes) -> bytes:
        pad = indent[len(INDENT):]
        return pad + dump_bytes(full[i])[2:-3].replace(b"\n", b"\n" + pad)
    return Items(len(full), run)


class Streamed:
    """A document whose large arrays are written a run of items at a time: bytes identical to dump_bytes of the
    whole document, with the memory of a run or two. `array(items)` is a placeholder that stands in the document
    for an array; `write(doc, out)` writes the document with each array's items in its place, the runs made on
    both cores (`twofold`).
    """

    def __init__(self) -> None:
        self._arrays: dict[bytes, Items] = {}

    def array(self, items: Items) -> str:
        marker = f"\x00{secrets.token_hex(16)}\x00"  # no text of the document can hold it by chance
        self._arrays[dump_bytes(marker).rstrip(b"\n")] = items
        return marker

    def write(self, doc: Any, out: BinaryIO) -> None:
        rest = dump_bytes(doc)
        for marker, items in self._arrays.items():
            head, rest = rest.split(marker, 1)
            out.write(head)
            line = head[head.rfind(b"\n") + 1:]
            pad = b" " * (len(line) - len(line.lstrip(b" ")))
            if not items.count:
                out.write(b"[]")
                continue
            out.write(b"[\n")
            write_runs([partial(_separated, items.run, i, pad + INDENT) for i in range(items.count)], out)
            out.write(b"\n" + pad + b"]")
        out.write(rest)


def _separated(run: Callable[[int, bytes], bytes], i: int, indent: bytes) -> bytes:
    return run(i, indent) if i == 0 else b",\n" + run(i, indent)
