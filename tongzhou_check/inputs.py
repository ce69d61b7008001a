"""Which files an audit reads: files, directories (sorted, recursive) and glob patterns."""

from __future__ import annotations

import glob
from pathlib import Path

from tongzhou_check.reader.workbook import SUFFIXES


class NoInput(Exception):
    """Nothing to audit (exit 2)."""


def _workbooks_in(directory: Path) -> list[Path]:
    found = [
        p for p in directory.rglob("*")
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(("~$", ".~lock", "."))
    ]
    return sorted(found, key=lambda p: p.as_posix())


def expand(patterns: list[str]) -> list[tuple[Path, str]]:
    """(path, path as shown in reports) for every file to audit, in the order given."""
    files: list[tuple[Path, str]] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            files += [(p, p.as_posix()) for p in _workbooks_in(path)]
        elif path.exists():
            files.append((path, path.as_posix()))
        elif glob.has_magic(pattern):
            for match in sorted(glob.glob(pattern, recursive=True)):
                m = Path(match)
                files += [(p, p.as_posix()) for p in _workbooks_in(m)] if m.is_dir() else [(m, m.as_posix())]
        else:
            raise NoInput(f"找不到文件或目录 / no such file or directory: {pattern}")
    seen: set[Path] = set()
    unique = []
    for path, shown in files:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append((path, shown))
    if not unique:
        raise NoInput(f"没有可检查的工作簿 / nothing to audit: no workbook ({', '.join(SUFFIXES)}) in "
                      + ", ".join(patterns))
    return unique
