"""Which files an audit reads: files, directories (sorted, recursive), glob patterns and fsspec URLs."""

from __future__ import annotations

import glob
from pathlib import Path

from tongzhou_check.reader.workbook import SUFFIXES
from tongzhou_check.sources import Source, SourceError, expand_url, is_url


class NoInput(Exception):
    """Nothing to audit (exit 2)."""


def _workbooks_in(directory: Path) -> list[Path]:
    found = [
        p for p in directory.rglob("*")
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(("~$", ".~lock", "."))
    ]
    return sorted(found, key=lambda p: p.as_posix())


def expand(patterns: list[str]) -> list[tuple[Source, str]]:
    """(path or URL, as shown in reports) for every file to audit, in the order given."""
    files: list[tuple[Source, str]] = []
    for pattern in patterns:
        path = Path(pattern)
        if is_url(pattern):
            try:
                urls = expand_url(pattern, tuple(SUFFIXES))
            except SourceError as exc:
                raise NoInput(str(exc)) from None
            if not urls and not glob.has_magic(pattern):
                raise NoInput(f"找不到文件或目录 / no such file or directory: {pattern}")
            files += [(url, url) for url in urls]
        elif path.is_dir():
            files += [(p, p.as_posix()) for p in _workbooks_in(path)]
        elif path.exists():
            files.append((path, path.as_posix()))
        elif glob.has_magic(pattern):
            for match in sorted(glob.glob(pattern, recursive=True)):
                m = Path(match)
                files += [(p, p.as_posix()) for p in _workbooks_in(m)] if m.is_dir() else [(m, m.as_posix())]
        else:
            raise NoInput(f"找不到文件或目录 / no such file or directory: {pattern}")
    seen: set[Source] = set()
    unique = []
    for source, shown in files:
        key = source if is_url(source) else Path(source).resolve()
        if key not in seen:
            seen.add(key)
            unique.append((source, shown))
    if not unique:
        raise NoInput(f"没有可检查的工作簿 / nothing to audit: no workbook ({', '.join(SUFFIXES)}) in "
                      + ", ".join(patterns))
    return unique
