"""tzcheck template: a blank workbook every sheet kind of the pack recognises, with drop-downs that parse."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests.helpers import AS_OF, cli
from tongzhou_check.packtypes import Pack
from tongzhou_check.reader.parse import parse_column
from tongzhou_check.template import HEADER_ROW, choices

STRUCTURE = {"TZ002", "TZ003", "TZ004", "TZ005", "TZ006", "TZ007", "TZ012"}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("template") / "模板.xlsx"
    code, _, err = cli("template", "-o", str(target))
    assert code == 0, err
    return target


def _audit(path: Path) -> dict:
    code, out, err = cli("audit", str(path), "--as-of", AS_OF, "--format", "json", "--fail-on", "never")
    assert code == 0, err
    return json.loads(out)


def test_every_kind_is_a_recognised_sheet_with_every_column(template: Path, pack: Pack) -> None:
    report = _audit(template)
    sheets = report["files"][0]["sheets"]
    assert [s["kind"] for s in sheets] == list(pack.kinds)
    assert all(s["header_row"] == HEADER_ROW and s["rows"] == 0 for s in sheets)
    assert not {f["rule"] for f in report["findings"]} & STRUCTURE
    book = openpyxl.load_workbook(template)
    for kind in pack.kinds.values():
        ws = book[kind.names[0]]
        headers = [c.value for c in ws[HEADER_ROW]]
        assert headers == [c.header + ("*" if c.required else "") for c in kind.columns.values()]  # 豁免说明 last
        assert headers[-1] == "豁免说明"
        assert all(c.comment is not None and c.comment.text for c in ws[HEADER_ROW])
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"


def test_drop_downs_offer_values_the_reader_accepts(template: Path, pack: Pack) -> None:
    book = openpyxl.load_workbook(template)
    enums = [(kind, key, column) for kind in pack.kinds.values() for key, column in kind.columns.items()
             if column.type == "enum"]
    assert any(column.tree for _, _, column in enums)  # 处理结果: the Table 三 tree
    for kind, key, column in enums:
        ws = book[kind.names[0]]
        letter = openpyxl.utils.get_column_letter(list(kind.columns).index(key) + 1)
        lists = [v for v in ws.data_validations.dataValidation if v.type == "list" and letter + "4" in str(v.sqref)]
        assert len(lists) == 1, (kind.key, key)
        offered = lists[0].formula1.strip('"').split(",")
        assert offered == choices(column)
        parsed = parse_column(pd.Series(offered), column, pack.reading)
        assert not parsed.invalid.any(), [v for v, bad in zip(offered, parsed.invalid, strict=True) if bad]
        assert sorted(set(parsed.values)) == sorted(set(column.values))  # every value, each reachable


def test_a_filled_in_template_reads_cleanly(template: Path, pack: Pack, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(template)
    for kind in pack.kinds.values():
        ws = book[kind.names[0]]
        for i, column in enumerate(kind.columns.values(), start=1):
            value = column.sample
            if column.type == "date" and value:
                value = dt.date.fromisoformat(str(value))
            ws.cell(HEADER_ROW + 1, i, value if value != "" else None)
    book["公开清单"]["A2"] = "填报单位:北京市通州区教育委员会"
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    report = _audit(filled)
    assert report["files"][0]["agency"]["name"] == "区教委"
    assert [s["rows"] for s in report["files"][0]["sheets"]] == [1] * len(pack.kinds)
    assert not {f["rule"] for f in report["findings"]} & STRUCTURE, report["findings"]


def test_template_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "mine.xlsx"
    target.write_bytes(b"a clerk's workbook")
    code, _, err = cli("template", "-o", str(target))
    assert code == 2 and "--force" in err
    assert target.read_bytes() == b"a clerk's workbook"
    code, _, err = cli("template", "-o", str(target), "--force", "--lang", "en")
    assert code == 0, err
    assert openpyxl.load_workbook(target)["公开清单"]["A1"].value.startswith("公开清单 (headers marked * are required")
    code, _, err = cli("template", "-o", str(tmp_path / "x.csv"))
    assert code == 2 and ".xlsx" in err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_input_prompts_fit_excel_and_end_at_a_sentence(tmp_path: Path, pack: Pack, lang: str) -> None:
    target = tmp_path / f"模板-{lang}.xlsx"
    code, _, err = cli("template", "-o", str(target), "--lang", lang)
    assert code == 0, err
    book = openpyxl.load_workbook(target)
    shortened = []
    for ws in book.worksheets:
        comments = {c.column_letter: c.comment.text for c in ws[HEADER_ROW]}
        for validation in ws.data_validations.dataValidation:
            letter = str(validation.sqref).split(":")[0].rstrip("0123456789")
            text, comment = validation.prompt, comments[letter]
            assert text and len(text) <= 255, (ws.title, letter, len(text))
            if text != comment.rstrip():  # shortened: the values counted, not listed; the rest whole, nothing cut off
                counted = re.search(r"从下拉列表中选择\(共 \d+ 项,完整列表见表头批注\)。" if lang == "zh" else
                                    r"Pick from the list \(\d+ values; the header's comment lists them all\)\. ", text)
                assert counted, (ws.title, letter, text)
                head, tail = text[:counted.start()], text[counted.end():]
                assert comment.startswith(head) and comment.rstrip().endswith(tail) and len(tail) > 10
                shortened.append((ws.title, ws[f"{letter}{HEADER_ROW}"].value, len(comment)))
    # 处理结果 lists 20-odd outcomes: too long for a prompt, so it is the one shortened (it was cut mid-word at 255)
    assert [(sheet, header) for sheet, header, _ in shortened] == [("依申请公开", "处理结果")]
    assert shortened[0][2] > 255


def test_titles_wrap_within_narrow_tables(template: Path, pack: Pack) -> None:
    from tongzhou_check.linebreak import cells

    book = openpyxl.load_workbook(template)
    for ws in book.worksheets:
        title = ws["A1"]
        merged = next(r for r in ws.merged_cells.ranges if "A1" in r)
        units = sum(ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
                    for c in range(merged.min_col, merged.max_col + 1))
        lines = int(ws.row_dimensions[1].height // (title.font.size * 1.25))  # lines the row has room for
        assert title.alignment.wrap_text and lines >= 1, ws.title
        assert cells(title.value) * title.font.size / 11 <= lines * units, (ws.title, lines, units)
    assert book["网民纠错"].row_dimensions[1].height >= 2 * 14 * 1.25  # the narrow sheets: two lines
    assert book["网站巡查"].row_dimensions[1].height >= 2 * 14 * 1.25
