from __future__ import annotations

import pytest

from tongzhou_check.pack import Pack, load_pack


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack()
