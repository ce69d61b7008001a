"""Which files an audit reads: files, directories (sorted, recursive), glob patterns, fsspec URLs and `-` (stdin),
less those excluded; a named file that is no workbook (README.md from a shell's `sample_lists/*`) is skipped with a
note."""

from __future__ import annotations

import fnmatch
import glob
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from tongzhou_check.reader.opening import SUFFIXES
from tongzhou_check.sources import Source, SourceError, expand_url, is_url
from tongzhou_check.text import visible

STDIN = "-"


class NoInput(Exception):
    """Nothing to audit (exit 2)."""


@dataclass(frozen=True)
class Expanded:
    files: list[tuple[Source, str]]  # (path or URL, as shown in reports)
    skipped: list[str] = field(default_factory=list)  # named files that are no workbook (by their suffix)
    excluded: int = 0  # files left out by --exclude
    irregular: list[str] = field(default_factory=list)  # named workbooks that are no regular file (a FIFO, a device)


def excluded(shown: str, patterns: Sequence[str]) -> bool:
    """Whether a file matches an --exclude glob: its path as shown (matched from the right, or whole with `*`
    spanning folders), its name, or a folder it is in (`drafts`, `drafts/`)."""
    path = PurePosixPath(shown)
    for pattern in patterns:
        bare = pattern.rstrip("/")
        if path.match(bare) or fnmatch.fnmatchcase(shown, bare) or bare in path.parts[:-1]:
            return True
    return False


def _workbooks_in(directory: Path) -> list[Path]:
    found = [
        p for p in directory.rglob("*")
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(("~$", ".~lock", "."))
    ]
    return sorted(found, key=lambda p: p.as_posix())


def expand(patterns: list[str]) -> list[tuple[Source, str]]:
    """(path or URL, as shown in reports) for every file to audit, in the order given."""
    return gather(patterns).files


def gather(patterns: list[str], exclude: Sequence[str] = (), stdin: Path | None = None) -> Expanded:
    """Every file to audit (a path or URL, as shown in reports), in the order given; `stdin` is where `-` was saved
    (its path shown as `-`)."""
    files: list[tuple[Source, str]] = []
    skipped: list[str] = []
    irregular: list[str] = []

    def named(path: Path) -> None:
        if path.suffix.lower() not in SUFFIXES:
            skipped.append(visible(path.as_posix()))
        elif not path.is_file():  # a FIFO, a device, a socket (or a link to one) would hang the reader
            irregular.append(visible(path.as_posix()))
        else:
            files.append((path, visible(path.as_posix())))

    for pattern in patterns:
        path = Path(pattern)
        if pattern == STDIN and stdin is not None:
            files.append((stdin, STDIN))
        elif is_url(pattern):
            try:
                urls = expand_url(pattern, tuple(SUFFIXES))
            except SourceError as exc:
                raise NoInput(str(exc)) from None
            if not urls and not glob.has_magic(pattern):
                raise NoInput(f"找不到文件或目录 / no such file or directory: {pattern}")
            files += [(url, visible(url)) for url in urls]
        elif path.is_dir():
            files += [(p, visible(p.as_posix())) for p in _workbooks_in(path)]
        elif path.exists() or path.is_symlink():
            named(path)
        elif glob.has_magic(pattern):
            for match in sorted(glob.glob(pattern, recursive=True)):
                m = Path(match)
                if m.is_dir():
                    files += [(p, visible(p.as_posix())) for p in _workbooks_in(m)]
                elif not m.name.startswith(("~$", ".~lock")):
                    named(m)
        else:
            raise NoInput(f"找不到文件或目录 / no such file or directory: {pattern}")
    seen: set[Source] = set()
    unique = []
    left_out = 0
    for source, shown in files:
        key = source if is_url(source) else Path(source).resolve()
        if shown != STDIN and excluded(shown, exclude):
            left_out += 1
        elif key not in seen:
            seen.add(key)
            unique.append((source, shown))
    if not unique:
        raise NoInput(f"没有可检查的工作簿 / nothing to audit: no workbook ({', '.join(SUFFIXES)}) in "
                      + ", ".join(patterns) + (f" ({left_out} excluded)" if left_out else ""))
    return Expanded(unique, skipped, left_out, irregular)


def save_stdin(data: bytes, folder: Path) -> Path:
    """The workbook read from stdin (`tzcheck audit -`) saved in folder, its suffix from its first bytes: a zip is an
    .xlsx, an OLE file an .xls, anything else .csv."""
    if not data:
        raise NoInput("标准输入为空 / stdin is empty: nothing to audit")
    suffix = ".xlsx" if data.startswith(b"PK\x03\x04") else ".xls" if data.startswith(b"\xd0\xcf\x11\xe0") else ".csv"
    path = folder / f"stdin{suffix}"
    path.write_bytes(data)
    return path
