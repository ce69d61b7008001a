"""Output formats: each module writes the report's records; the CLI picks one by name or file suffix."""

from __future__ import annotations

from collections.abc import Callable

from tongzhou_check.formats import github, html, json_format, junit, markdown, sarif, table
from tongzhou_check.model import Report

Writer = Callable[[Report, str], str]

FORMATS: dict[str, Writer] = {
    "json": json_format.render,
    "table": table.render_text,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
    "markdown": markdown.render,
    "html": html.render,
}
BYTES: dict[str, Callable[[Report, str], bytes]] = {  # formats that write UTF-8 bytes directly (large reports)
    "json": json_format.render_bytes,
    "sarif": sarif.render_bytes,
}
SUFFIXES: dict[str, str] = {".json": "json", ".txt": "table", ".sarif": "sarif", ".xml": "junit", ".md": "markdown",
                           ".html": "html"}
