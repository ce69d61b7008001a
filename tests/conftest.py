from __future__ import annotations

import pytest

from tongzhou_check.pack import load_pack
from tongzhou_check.packtypes import Pack


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack()
