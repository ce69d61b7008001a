"""Where a file to audit lives: a local path, or an fsspec URL (`s3://bucket/2024/x.xlsx`, `file:///srv/x.xlsx`).

A URL is read where the audit runs — a cluster's worker reads the bytes itself, so file contents never travel
through a scheduler. The audit reads a local copy under the file's own name (its name may say whose workbook it is)
and removes it afterwards. fsspec is the `cluster` extra; a URL without it is a usage error, never a traceback.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

Source = Path | str  # a local path, or an fsspec URL (always a str)

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")


class SourceError(Exception):
    """A URL that cannot be listed or opened; the message names it."""


def is_url(text: str | Path) -> bool:
    """`proto://…` with a protocol of two or more letters (so `C:\\x.xlsx` stays a Windows path)."""
    return isinstance(text, str) and _URL.match(text) is not None


def _fsspec():
    try:
        import fsspec
    except ImportError:
        raise SourceError("读取 URL 需要安装 fsspec(pip install 'tzcheck[cluster]')/ "
                          "auditing URLs needs fsspec: pip install 'tzcheck[cluster]'") from None
    return fsspec


def expand_url(pattern: str, suffixes: tuple[str, ...]) -> list[str]:
    """The workbook URLs a URL names: itself, every workbook below a folder, or a glob's matches, sorted."""
    fsspec = _fsspec()
    try:
        fs, path = fsspec.core.url_to_fs(pattern)
        if fsspec.core.has_magic(path):
            found = fs.glob(path, detail=True)
            paths = [p for p, info in found.items() if info.get("type") != "directory"]
        elif fs.isdir(path):
            paths = fs.find(path)
        elif fs.exists(path):
            return [pattern]
        else:
            return []
    except (OSError, ValueError, ImportError) as exc:
        raise SourceError(f"无法列出 / cannot list {pattern}: {exc}") from None
    names = [p for p in paths if PurePosixPath(p).suffix.lower() in suffixes
             and not PurePosixPath(p).name.startswith(("~$", ".~lock", "."))]
    return sorted(fs.unstrip_protocol(p) for p in names)


@contextmanager
def local_copy(source: Source) -> Iterator[Path]:
    """A local path holding the source's bytes: the path itself, or a temporary copy of a URL under its own name.

    A URL that cannot be opened yields a path that does not exist, so the reader reports it as it reports any
    missing file (TZ001, "the file cannot be opened").
    """
    if not is_url(source):
        yield Path(source)
        return
    folder = Path(tempfile.mkdtemp(prefix="tzcheck-"))
    target = folder / (PurePosixPath(source.split("?", 1)[0]).name or "workbook")
    try:
        try:
            with _fsspec().open(source, "rb") as remote, target.open("wb") as local:
                shutil.copyfileobj(remote, local, 1 << 20)
        except (OSError, ValueError, SourceError):
            target.unlink(missing_ok=True)
        yield target
    finally:
        shutil.rmtree(folder, ignore_errors=True)
