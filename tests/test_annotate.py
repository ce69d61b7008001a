"""audit --output F.xlsx: the annotated copy of one workbook — comments on the cells at fault, the input untouched."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment

from tests.helpers import AS_OF, ROOT, cli, write_xlsx

HEAD = ["信息名称", "发布单位", "形成日期", "公开日期", "内容摘要"]
ID_NUMBER = "11010519491231002X"


def _book(tmp_path: Path) -> Path:
    path = write_xlsx(tmp_path / "区民政局-2018.xlsx", {"信息发布登记": [
        HEAD,
        ["低保名单", "区民政局", "2018-03-01", "2018-03-02", f"张三 身份证 {ID_NUMBER}"],  # TZ402 on E3
        ["救助政策", "区民政局", "2018-02-30", "2018-03-02", "政策全文"],  # TZ005 on C3
        ["合并格", "区民政局", "2018-03-01", "2018-03-02", "正文"],
    ]})
    book = openpyxl.load_workbook(path)
    ws = book["信息发布登记"]
    ws["C3"].comment = Comment("经办人备注:原件日期", "区民政局")  # the agency's own comment, kept
    book.save(path)
    return path


def test_annotated_copy(tmp_path: Path) -> None:
    source = _book(tmp_path)
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    target = tmp_path / "out" / "批注副本.xlsx"
    target.parent.mkdir()
    code, _, err = cli("audit", str(source), "--as-of", AS_OF, "--format", "json", "-o", str(target))
    assert code == 1, err
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before  # the input is only read
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["tzcheck检查结果", "信息发布登记"]
    ws = book["信息发布登记"]
    assert ws["E2"].value == f"张三 身份证 {ID_NUMBER}"  # the agency's own cells, as they are
    note = ws["E2"].comment.text
    assert note.startswith("TZ402 personal-info-exposed [错误] 五(二)") and ID_NUMBER not in note
    assert "110105********002X" in note
    assert ws["E2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["C3"].comment.text.startswith("经办人备注:原件日期\n\nTZ005 invalid-date")
    assert ws["C4"].comment is None and ws["C4"].fill.fill_type is None
    listing = book["tzcheck检查结果"]
    rows = list(listing.iter_rows(min_row=2, values_only=True))
    assert ("信息发布登记!E2", "TZ402 personal-info-exposed", "错误", "五(二)") in [r[:4] for r in rows]
    links = {c.value: c.hyperlink.location for c in listing["A"][1:] if c.hyperlink}
    assert links["信息发布登记!E2"] == "'信息发布登记'!E2"
    assert all(ID_NUMBER not in str(v) for r in rows for v in r)


def test_annotated_copy_needs_one_xlsx_workbook(tmp_path: Path) -> None:
    source = _book(tmp_path)
    other = write_xlsx(tmp_path / "区教委-2018.xlsx", {"信息发布登记": [HEAD]})
    code, _, err = cli("audit", str(source), str(other), "--as-of", AS_OF, "-o", str(tmp_path / "export.xlsx"))
    assert code == 1 and openpyxl.load_workbook(tmp_path / "export.xlsx").sheetnames[0] == "问题清单"  # the export
    csv = tmp_path / "c" / "区民政局.csv"
    csv.parent.mkdir()
    csv.write_text(",".join(HEAD) + "\n低保名单,区民政局,2018-03-01,2018-03-02,正文\n", encoding="utf-8")
    code, _, err = cli("audit", str(csv), "--as-of", AS_OF, "-o", str(tmp_path / "copy.xlsx"))
    assert code == 2 and "only .xlsx and .xlsm" in err
    assert not (tmp_path / "copy.xlsx").exists()
    code, _, err = cli("audit", str(source), "--as-of", AS_OF, "-o", str(source))
    assert code == 2 and "overwrite" in err


def _links(book: openpyxl.Workbook) -> list[tuple[str, str]]:
    """Every hyperlink of the findings sheet, as (sheet, cell)."""
    found = []
    for cell in book["tzcheck检查结果"]["A"][1:]:
        if cell.hyperlink:
            sheet, ref = cell.hyperlink.location.rsplit("!", 1)
            found.append((sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet, ref))
    return found


def test_every_link_lands_on_a_visible_sheet_and_an_existing_cell(tmp_path: Path) -> None:
    # 区民政局's 网站巡查 is a hidden sheet with two TZ902 findings: links to it went nowhere in Excel and LibreOffice
    source = ROOT / "sample_lists" / "区民政局-2018.xlsx"
    assert openpyxl.load_workbook(source)["网站巡查"].sheet_state == "hidden"
    target = tmp_path / "区民政局-2018-checked.xlsx"
    code, _, err = cli("audit", str(source), "--as-of", AS_OF, "--format", "json", "-o", str(target))
    assert code == 1, err
    assert "工作表“网站巡查”在原工作簿中是隐藏的,副本中已取消隐藏" in err  # said, not done silently
    book = openpyxl.load_workbook(target)
    links = _links(book)
    assert len(links) > 20 and ("网站巡查", "A1") in links
    for sheet, ref in links:
        ws = book[sheet]
        assert ws.sheet_state == "visible", sheet
        row, column = openpyxl.utils.cell.coordinate_to_tuple(ref)
        assert row <= ws.max_row and column <= ws.max_column, (sheet, ref)
    listing = book["tzcheck检查结果"]
    assert listing.sheet_view.tabSelected and book.active.title == "tzcheck检查结果"
    assert not any(ws.sheet_view.tabSelected for ws in book.worksheets[1:])  # one tab selected: none grouped
    notes = [r for r in listing.iter_rows(values_only=True) if r[0] == "副本说明"]
    assert len(notes) == 1 and "网站巡查" in notes[0][4]


def test_the_findings_sheet_wraps_colours_filters_and_prints_on_a4(tmp_path: Path) -> None:
    source = _book(tmp_path)
    target = tmp_path / "copy.xlsx"
    code, _, err = cli("audit", str(source), "--as-of", AS_OF, "-o", str(target), "--lang", "en")
    assert code == 1, err
    ws = openpyxl.load_workbook(target)["tzcheck findings"]
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) >= 3 and ws.auto_filter.ref == f"A1:E{ws.max_row}"
    assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"
    fills = {row[2].value: {c.fill.fgColor.rgb[-6:] for c in row} for row in rows}
    # the whole row, by severity (TZ120 of this log-only workbook is info: issue 16)
    assert fills == {"error": {"FFC7CE"}, "info": {"DDEBF7"}}
    assert all(c.alignment.wrap_text and c.alignment.vertical == "top" for row in rows for c in row)
    long = max(rows, key=lambda row: len(row[4].value))
    assert len(long[4].value) > 80 and ws.row_dimensions[long[0].row].height >= 2 * 15  # tall enough to show
    setup = ws.page_setup
    assert (setup.paperSize, setup.orientation) == (9, "landscape")  # 9: A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth, setup.fitToHeight) == (1, 0)


def _png(path: Path) -> bytes:
    from PIL import Image as PILImage

    PILImage.new("RGB", (48, 48), (200, 16, 16)).save(path)  # an agency's red seal
    return path.read_bytes()


def _with_image(tmp_path: Path) -> tuple[Path, bytes]:
    from openpyxl.drawing.image import Image

    source = _book(tmp_path)
    png = _png(tmp_path / "seal.png")
    book = openpyxl.load_workbook(source)
    book["信息发布登记"].add_image(Image(tmp_path / "seal.png"), "G2")
    book.save(source)
    return source, png


def test_images_are_carried_into_the_copy(tmp_path: Path) -> None:
    import tomllib
    import zipfile

    # openpyxl drops every image, silently, unless pillow is installed: it is a dependency, not an accident
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    assert any(d.lower().startswith("pillow>=") for d in dependencies)

    source, png = _with_image(tmp_path)
    target = tmp_path / "copy.xlsx"
    code, _, err = cli("audit", str(source), "--as-of", AS_OF, "-o", str(target))
    assert code == 1, err
    with zipfile.ZipFile(target) as archive:
        media = [name for name in archive.namelist() if name.startswith("xl/media/")]
        assert [archive.read(name) for name in media] == [png]
    ws = openpyxl.load_workbook(target)["信息发布登记"]
    assert len(ws._images) == 1 and ws._images[0].anchor._from.col == 6  # still at G2
    assert "副本" not in err.replace("批注副本", "")  # nothing lost, nothing to say


SHAPE = ('<xdr:twoCellAnchor xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
         'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:from><xdr:col>8</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row>'
         '<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>10</xdr:col><xdr:colOff>0</xdr:colOff>'
         '<xdr:row>3</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp macro="" textlink=""><xdr:nvSpPr>'
         '<xdr:cNvPr id="9" name="文本框 1"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="0" y="0"/>'
         '<a:ext cx="1219200" cy="381000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>'
         '<xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>经办人:张某</a:t></a:r></a:p></xdr:txBody></xdr:sp>'
         '<xdr:clientData/></xdr:twoCellAnchor>')


def test_what_the_copy_cannot_carry_is_said(tmp_path: Path) -> None:
    """openpyxl keeps images and charts but no shapes: a text box beside the seal is named, in the CLI's notes and on
    the findings sheet, never dropped silently."""
    import zipfile

    source, _ = _with_image(tmp_path)
    shaped = tmp_path / "shaped.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(shaped, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "xl/drawings/drawing1.xml":
                data, count = re.subn(rb"(</(?:\w+:)?wsDr>)$", SHAPE.encode("utf-8") + rb"\1", data.rstrip())
                assert count == 1
            new.writestr(item, data)
    target = tmp_path / "copy.xlsx"
    code, _, err = cli("audit", str(shaped), "--as-of", AS_OF, "-o", str(target))
    assert code == 1, err
    said = "工作表“信息发布登记”中的 1 个形状、文本框或控件无法复制到副本"
    assert said in err
    book = openpyxl.load_workbook(target)
    notes = [r[4] for r in book["tzcheck检查结果"].iter_rows(values_only=True) if r[0] == "副本说明"]
    assert len(notes) == 1 and notes[0].startswith(said)
    assert len(book["信息发布登记"]._images) == 1  # the seal itself is kept
    code, _, err = cli("audit", str(shaped), "--as-of", AS_OF, "-o", str(tmp_path / "en.xlsx"), "--lang", "en")
    assert "1 shapes, text boxes or controls on sheet “信息发布登记” could not be copied" in err


def test_a_fixed_copy_audits_clean_and_annotates_afresh(tmp_path: Path) -> None:
    """The clerk's round trip: the copy audits as its original (its findings sheet is tzcheck's own, marked); fixing
    cells in it clears their findings; the office's next copy of it carries no stale comments or colours."""
    source = _book(tmp_path)
    copy = tmp_path / "区民政局-2018-checked.xlsx"
    code, out, err = cli("audit", str(source), "--as-of", AS_OF, "--format", "json", "-o", str(copy))
    assert code == 1, err
    before = json.loads(out)
    code, out, err = cli("audit", str(copy), "--as-of", AS_OF, "--format", "json")
    again = json.loads(out)
    assert [(f["rule"], f["sheet"], f["cell"]) for f in again["findings"]] == \
        [(f["rule"], f["sheet"], f["cell"]) for f in before["findings"]]
    assert [s["name"] for s in again["files"][0]["sheets"]] == ["信息发布登记"]  # no TZ002 on the findings sheet
    book = openpyxl.load_workbook(copy)  # the clerk fixes the cells at fault
    ws = book["信息发布登记"]
    ws["E2"] = "张三 身份证 110105********002X"
    ws["C3"] = "2018-02-28"
    book.save(copy)
    code, out, err = cli("audit", str(copy), "--as-of", AS_OF, "--format", "json", "-o", str(tmp_path / "再查.xlsx"))
    fixed = json.loads(out)
    cells = {(f["rule"], f["cell"]) for f in fixed["findings"]}
    assert ("TZ402", "E2") in {(f["rule"], f["cell"]) for f in before["findings"]} and ("TZ402", "E2") not in cells
    assert ("TZ005", "C3") in {(f["rule"], f["cell"]) for f in before["findings"]} and ("TZ005", "C3") not in cells
    assert not any(f["sheet"] == "tzcheck检查结果" for f in fixed["findings"])
    book = openpyxl.load_workbook(tmp_path / "再查.xlsx")
    assert book.sheetnames == ["tzcheck检查结果", "信息发布登记"]  # one findings sheet, the old one replaced
    ws = book["信息发布登记"]
    assert ws["E2"].comment is None and ws["E2"].fill.fill_type is None
    assert ws["C3"].comment.text == "经办人备注:原件日期" and ws["C3"].fill.fill_type is None  # the agency's own
    assert len(list(book["tzcheck检查结果"].iter_rows(min_row=2))) == len(fixed["findings"])


def test_only_the_marked_findings_sheet_is_ignored(tmp_path: Path) -> None:
    """An agency's own sheet that happens to bear the findings sheet's name is audited like any other and kept."""
    source = write_xlsx(tmp_path / "区民政局-2018.xlsx", {"tzcheck检查结果": [
        HEAD, ["救助政策", "区民政局", "2018-02-30", "2018-03-02", "政策全文"],  # TZ005 on C2
    ]})
    target = tmp_path / "copy.xlsx"
    code, out, err = cli("audit", str(source), "--as-of", AS_OF, "--format", "json", "-o", str(target))
    report = json.loads(out)
    assert ("TZ005", "tzcheck检查结果", "C2") in [(f["rule"], f["sheet"], f["cell"]) for f in report["findings"]]
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["tzcheck检查结果(2)", "tzcheck检查结果"]
    assert book["tzcheck检查结果"]["C2"].value == "2018-02-30"
    code, out, err = cli("audit", str(target), "--as-of", AS_OF, "--format", "json")
    assert code == 1, err
    assert [s["name"] for s in json.loads(out)["files"][0]["sheets"]] == ["tzcheck检查结果"]  # the agency's, still
