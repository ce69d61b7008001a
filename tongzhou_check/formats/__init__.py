"""Output formats: each module writes the report's records; the CLI picks one by name or file suffix."""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from tongzhou_check.formats import concise, github, html, json_format, junit, markdown, sarif, table
from tongzhou_check.model import Report

Writer = Callable[[Report, str], str]

FORMATS: dict[str, Writer] = {
    "json": json_format.render,
    "table": table.render_text,
    "concise": concise.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
    "markdown": markdown.render,
    "html": html.render,
}
STREAMS: dict[str, Callable[[Report, str, BinaryIO], None]] = {  # formats written as UTF-8 bytes, a part at a time
    "json": json_format.write,
    "sarif": sarif.write,
}
HUMAN = frozenset({"table", "concise"})  # formats for a person: they end with the year, as-of and summary lines
SUFFIXES: dict[str, str] = {".json": "json", ".txt": "table", ".sarif": "sarif", ".xml": "junit", ".md": "markdown",
                           ".html": "html"}
EXPORT_SUFFIXES = (".xlsx", ".csv")  # the findings export (export.py, loaded when written): one row per finding
