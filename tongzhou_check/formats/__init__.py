"""Output formats: each module writes the report's records; the CLI picks one by name or file suffix."""

from __future__ import annotations

from collections.abc import Callable

from tongzhou_check.formats import json_format, table
from tongzhou_check.model import Report

Writer = Callable[[Report, str], str]

FORMATS: dict[str, Writer] = {
    "json": json_format.render,
    "table": table.render_text,
}
SUFFIXES: dict[str, str] = {".json": "json", ".txt": "table"}
