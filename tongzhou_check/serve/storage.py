"""Files kept content-addressed under the data directory: files/ab/abcdef….suffix, written once, atomically
(a temporary file in tmp/, fsync, rename), never changed. Uploads, reports, annotated copies and page data."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


class TooLarge(Exception):
    """An upload over the size cap."""


class Store:
    def __init__(self, root: Path, tmp: Path) -> None:
        self.root, self.tmp = root, tmp
        root.mkdir(parents=True, exist_ok=True)
        tmp.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str, suffix: str = "") -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256")
        return self.root / sha256[:2] / f"{sha256}{suffix}"

    def _commit(self, temp: Path, sha256: str, suffix: str) -> Path:
        target = self.path(sha256, suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            temp.unlink()
        else:
            os.replace(temp, target)
            _fsync_dir(target.parent)
        return target

    def _temp(self, prefix: str) -> tuple[BinaryIO, Path]:
        """A temporary file: `upload-` for an upload being received, `stored-` for bytes the desk writes itself (an
        audit's reports, written while other uploads arrive)."""
        fd, name = tempfile.mkstemp(dir=self.tmp, prefix=prefix)
        return os.fdopen(fd, "wb"), Path(name)

    def put_bytes(self, data: bytes, suffix: str = "") -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        if self.path(sha256, suffix).exists():
            return sha256
        fh, temp = self._temp("stored-")
        with fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        self._commit(temp, sha256, suffix)
        return sha256

    async def put_stream(self, chunks: AsyncIterator[bytes], suffix: str, limit: int) -> tuple[str, int, bytes]:
        """Store a stream; returns (sha256, size, its first bytes). Over `limit` bytes: TooLarge, nothing kept."""
        digest, size, head = hashlib.sha256(), 0, b""
        fh, temp = self._temp("upload-")
        try:
            with fh:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > limit:
                        raise TooLarge(size)
                    if len(head) < 16:
                        head = (head + chunk)[:16]
                    digest.update(chunk)
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        sha256 = digest.hexdigest()
        self._commit(temp, sha256, suffix)
        return sha256, size, head

    def read(self, sha256: str, suffix: str = "") -> bytes:
        return self.path(sha256, suffix).read_bytes()

    def clean_tmp(self) -> None:
        """Temporary files an interrupted upload or write left behind."""
        for pattern in ("upload-*", "stored-*"):
            for leftover in self.tmp.glob(pattern):
                leftover.unlink(missing_ok=True)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
