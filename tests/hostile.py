"""Hostile workbooks, written byte by byte: each is a class of input that once crashed, hung or bloated a reader."""

from __future__ import annotations

import zipfile
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def package(path: Path, sheet_xml: bytes | str, extra: dict[str, bytes | str] | None = None,
            compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A minimal .xlsx: one sheet 意见征集 holding `sheet_xml`, plus any `extra` parts (name → content)."""
    with zipfile.ZipFile(path, "w", compression) as z:
        z.writestr("[Content_Types].xml",
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("_rels/.rels", f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                   f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                   '<sheet name="意见征集" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                   f'Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


FAR_CELLS = ('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="1048576">'
             '<c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c></row>')


def dense_range(path: Path) -> Path:
    """1.6 KB: cells at A1 and XFD1048576 only, no <dimension>; calamine would allocate 512 GiB and abort."""
    return package(path, f'<worksheet xmlns="{MAIN}"><sheetData>{FAR_CELLS}</sheetData></worksheet>')


def dense_range_declared(path: Path) -> Path:
    """The same range, declared: <dimension ref="A1:XFD1048576">."""
    return package(path, f'<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD1048576"/><sheetData>{FAR_CELLS}'
                         '</sheetData></worksheet>')


def dense_range_liar(path: Path) -> Path:
    """~2 KB: a 1 MiB sheet part (whitespace, so it compresses 1000×, far below the zip-bomb floor) that declares
    A1:B2 but holds XFD1048576. Too big for the reader to read through before calamine (limits.SCAN_BELOW), so it
    reaches calamine and aborts the process: what only process isolation (a worker per file) survives."""
    padding = " " * (1 << 20)
    return package(path, f'<worksheet xmlns="{MAIN}"><dimension ref="A1:B2"/><sheetData>{padding}{FAR_CELLS}'
                         '</sheetData></worksheet>')
