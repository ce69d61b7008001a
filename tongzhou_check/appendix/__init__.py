"""The annual-report appendix (tzcheck report): facts from workbooks, the tables, and one writer per file format."""

from __future__ import annotations

from pathlib import Path

from tongzhou_check.appendix.grid import Appendix

SUFFIXES = (".xlsx", ".html", ".md")


def write(appendix: Appendix, target: Path) -> None:
    """Write the appendix in the format its file suffix names (.xlsx, .html or .md)."""
    from tongzhou_check.appendix import html, markdown, xlsx  # openpyxl loads only when an appendix is written

    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        xlsx.write(appendix, target)
        return
    render = html.render if suffix == ".html" else markdown.render
    target.write_text(render(appendix), encoding="utf-8")
