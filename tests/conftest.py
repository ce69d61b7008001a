from __future__ import annotations

import os
import tempfile

import pytest

from tongzhou_check.pack import CACHE_ENV, load_pack
from tongzhou_check.packtypes import Pack

# validated packs are kept between runs in the user's cache directory; the tests keep theirs apart
os.environ[CACHE_ENV] = tempfile.mkdtemp(prefix="tzcheck-test-cache-")


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack()
