"""The HTML appendix: parsed back with html.parser, its tables, merges, chart, escaping and self-containment."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

import pytest

from tongzhou_check.grids import Chart, Document, Merge, Table
from tongzhou_check.grids.html import render

SCRIPT = "<script>alert(1)</script>"
BREAKER = '" onmouseover="x'
XMLNS = 'xmlns="http://www.w3.org/2000/svg"'
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr", "source"}

LABEL = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
N = None
TABLE_3 = Table(
    sheet="附表3 申请情况",
    title="三、收到和处理政府信息公开申请情况（2024年度）",
    grid=(
        (LABEL, N, N, "申请人情况", N, N, N, N, N, N),
        (N, N, N, "自然人", "法人或其他组织", N, N, N, N, "总计"),
        (N, N, N, N, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", N),
        ("一、本年新收政府信息公开申请数量", N, N, 10, 3, 0, 1, 0, 0, 14),
        ("二、上年结转政府信息公开申请数量", N, N, 1, 0, 0, 0, 0, 0, 1),
        ("三、本年度办理结果", "（一）予以公开", N, 6, 2, 0, 1, 0, 0, 9),
        (N, "（二）部分公开", N, 2, 1, 0, 0, 0, 0, 3),
        (N, "（三）不予公开", "1.属于国家秘密", 1, 0, 0, 0, 0, 0, 1),
        (N, N, "2.其他法律行政法规禁止公开", 12.0, 0, 0, 0, 0, 0, 12.0),
    ),
    header_rows=3,
    formats=("text", "text", "text") + ("int",) * 7,
    label_columns=3,
    merges=(
        Merge(0, 0, 2, 2), Merge(0, 3, 0, 9), Merge(1, 3, 2, 3), Merge(1, 4, 1, 8), Merge(1, 9, 2, 9),
        Merge(3, 0, 3, 2), Merge(4, 0, 4, 2), Merge(5, 0, 8, 0), Merge(5, 1, 5, 2), Merge(6, 1, 6, 2), Merge(7, 1, 8, 1),
    ),
    notes=("勾稽关系：一 + 二 = 三（各项之和）。", "未归入本表的记录 2 条 & 已另行说明。"),
    footer="2024年度 · 规则包 tongzhou-2024 · tzcheck 0.1.0 · 截至 2025-01-15",
)
# (row, column) of each merge's top-left cell → (rowspan, colspan), written out by hand from the merges above
SPANS_3 = {
    (0, 0): (3, 3), (0, 3): (1, 7), (1, 3): (2, 1), (1, 4): (1, 5), (1, 9): (2, 1),
    (3, 0): (1, 3), (4, 0): (1, 3), (5, 0): (4, 1), (5, 1): (1, 2), (6, 1): (1, 2), (7, 1): (2, 1),
}
RATES = Table(
    sheet="附表2 公开率",
    title="各单位主动公开率（2024年度）",
    grid=(
        ("单位", "应公开事项", "公开率"),
        ("区政府办公室", 20, 0.95),
        (SCRIPT, 10, 0.5),
        (BREAKER, 4, 1.0),
        ("区教委", 0, 0.0),
    ),
    header_rows=1,
    formats=("text", "int", "percent"),
    notes=("公开率 = 已公开事项 ÷ 应公开事项。",),
    footer="数据截至 2025-01-15 & 以报送为准",
    chart=Chart(title="各单位主动公开率 <图>", label_column=0, value_column=2),
)
APPENDIX = Document(
    title="北京市通州区2024年政府信息公开工作年度报告 附表",
    tables=(TABLE_3, RATES),
    meta=(("年度", "2024"), ("截至", "2025-01-15"), ("规则包", "tongzhou-2024 <v3>"), ("文件", "各单位报表.xlsx")),
)


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag, self.attrs, self.children = tag, attrs, []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                found += [child] * (child.tag == tag) + child.all(tag)
        return found

    def nodes(self) -> list[Node]:
        return [self] + [n for c in self.children if isinstance(c, Node) for n in c.nodes()]


class Tree(HTMLParser):
    """The page as a tree of Nodes, with every start tag and declaration seen."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.decls: list[str] = []
        self.feed(page)
        self.close()

    def handle_decl(self, decl: str) -> None:
        self.decls.append(decl)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        assert len(node.attrs) == len(attrs), f"duplicate attribute in <{tag}>"
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def layout(section: Node) -> tuple[dict[tuple[int, int], Node], int]:
    """The cells of rendered rows at their grid positions (the HTML table algorithm), and the number of header rows."""
    head, body = section.all("thead")[0].all("tr"), section.all("tbody")[0].all("tr")
    cells, taken = {}, set()
    for r, tr in enumerate(head + body):
        c = 0
        for cell in (n for n in tr.children if isinstance(n, Node)):
            while (r, c) in taken:
                c += 1
            rows, cols = int(cell.attrs.get("rowspan", "1")), int(cell.attrs.get("colspan", "1"))
            cells[(r, c)] = cell
            taken |= {(r + i, c + j) for i in range(rows) for j in range(cols)}
            c += cols
    return cells, len(head)


@pytest.fixture(scope="module")
def page() -> str:
    return render(APPENDIX)


@pytest.fixture(scope="module")
def tree(page: str) -> Node:
    return Tree(page).root


def test_page_head_and_meta(page: str, tree: Node) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert Tree(page).decls == ["DOCTYPE html"]
    assert tree.all("html")[0].attrs["lang"] == "zh-CN"
    assert tree.all("meta")[0].attrs == {"charset": "utf-8"}
    assert tree.all("title")[0].text() == APPENDIX.title
    assert tree.all("h1")[0].text() == APPENDIX.title
    dl = tree.all("dl")[0]
    pairs = list(zip([n.text() for n in dl.all("dt")], [n.text() for n in dl.all("dd")], strict=True))
    assert tuple(pairs) == APPENDIX.meta  # "<v3>" comes back as text
    css = tree.all("style")[0].text()
    for needle in ("Noto Sans CJK SC", "Microsoft YaHei", "border-collapse: collapse", "tabular-nums", "size: A4;",
                   "table-header-group", "break-inside: avoid"):
        assert needle in css


def test_tables_rows_and_merges(tree: Node) -> None:
    sections = tree.all("section")
    assert len(tree.all("table")) == len(sections) == 2
    assert [s.all("h2")[0].text() for s in sections] == [TABLE_3.title, RATES.title]
    section = sections[0]
    assert len(section.all("thead")[0].all("tr")) == 3
    assert len(section.all("tbody")[0].all("tr")) == 6
    cells, header_rows = layout(section)
    spans = {pos: (int(n.attrs.get("rowspan", "1")), int(n.attrs.get("colspan", "1"))) for pos, n in cells.items()}
    assert {pos: span for pos, span in spans.items() if span != (1, 1)} == SPANS_3
    assert all(n.attrs.get(a) != "1" for n in cells.values() for a in ("rowspan", "colspan"))
    # every grid position is either a rendered cell or covered by one, and the cells hold the grid's text
    covered = {(r + i, c + j) for (r, c), (rows, cols) in spans.items() for i in range(rows) for j in range(cols)}
    assert covered == {(r, c) for r in range(len(TABLE_3.grid)) for c in range(TABLE_3.width)}
    expected = {pos: TABLE_3.grid[pos[0]][pos[1]] for pos in cells}
    assert {pos: n.text() for pos, n in cells.items()} == {
        pos: "" if v is None else str(int(v)) if isinstance(v, float) else str(v) for pos, v in expected.items()
    }
    assert cells[(8, 3)].text() == "12"  # 12.0 in an int column
    for (r, c), n in cells.items():
        if r < header_rows:
            assert (n.tag, n.attrs.get("scope")) == ("th", "colgroup" if spans[(r, c)][1] > 1 else "col")
        elif c < TABLE_3.label_columns:
            assert (n.tag, n.attrs.get("scope")) == ("th", "row")
        else:
            assert (n.tag, n.attrs.get("class")) == ("td", "num")
    assert cells[(5, 0)].text() == "三、本年度办理结果"
    assert spans[(5, 0)] == (4, 1)


def test_percent_notes_and_footer(tree: Node) -> None:
    first, second = tree.all("section")
    cells, _ = layout(second)
    assert [cells[(r, 2)].text() for r in range(1, 5)] == ["95.0%", "50.0%", "100.0%", "0.0%"]
    assert [cells[(r, 1)].text() for r in range(1, 5)] == ["20", "10", "4", "0"]
    assert (cells[(1, 0)].tag, cells[(1, 0)].attrs.get("scope"), cells[(1, 0)].text()) == ("th", "row", "区政府办公室")
    for section, table in ((first, TABLE_3), (second, RATES)):
        [ul] = section.all("ul")
        assert ul.attrs["class"] == "notes"
        assert [li.text() for li in ul.all("li")] == list(table.notes)
        [p] = [p for p in section.all("p") if p.attrs.get("class") == "footer"]
        assert p.text() == table.footer


def test_chart(tree: Node) -> None:
    first, second = tree.all("section")
    assert first.all("svg") == []
    [svg] = second.all("svg")
    assert svg.attrs["role"] == "img"
    assert svg.attrs["aria-label"] == RATES.chart.title
    assert svg.all("title")[0].text() == RATES.chart.title
    bars = svg.all("rect")
    assert len(bars) == len(RATES.body) == 4
    widths = [float(b.attrs["width"]) for b in bars]
    assert widths[2] > 0 and widths[3] == 0
    assert widths[0] / widths[2] == pytest.approx(0.95) and widths[1] / widths[2] == pytest.approx(0.5)
    texts = [t.text() for t in svg.all("text")]
    assert [row[0] for row in RATES.body] == texts[0::2]
    assert texts[1::2] == ["95.0%", "50.0%", "100.0%", "0.0%"]
    assert float(svg.attrs["height"]) >= 28 * 4
    # the table appears before its chart, which is a figure with the chart's title as caption
    kinds = [n.tag for n in second.children if isinstance(n, Node)]
    assert kinds.index("table") < kinds.index("figure")
    assert second.all("figcaption")[0].text() == RATES.chart.title


def test_agency_text_is_escaped(page: str, tree: Node) -> None:
    assert tree.all("script") == []
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    cells, _ = layout(tree.all("section")[1])
    assert cells[(2, 0)].text() == SCRIPT
    assert cells[(3, 0)].text() == BREAKER
    assert all("onmouseover" not in n.attrs for n in tree.nodes())
    assert all(not name.startswith("on") for n in tree.nodes() for name in n.attrs)
    label = RATES.chart.title
    assert f'aria-label="{label.replace("<", "&lt;").replace(">", "&gt;")}"' in page


def test_self_contained(page: str, tree: Node) -> None:
    tags = {n.tag for n in tree.nodes()}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "base"}
    assert all(not {"src", "href", "xlink:href", "srcset", "action"} & n.attrs.keys() for n in tree.nodes())
    assert page.count("http") == page.count(XMLNS) == len(tree.all("svg")) == 1
    assert "http" not in page.replace(XMLNS, "")
    assert "url(" not in page and "@import" not in page
    assert "src=" not in page and "href=" not in page


def test_deterministic(page: str) -> None:
    fresh = dataclasses.replace(APPENDIX, tables=tuple(dataclasses.replace(t) for t in APPENDIX.tables))
    assert fresh == APPENDIX and fresh.tables[0] is not TABLE_3
    assert render(APPENDIX) == page == render(fresh)


def test_link_in_agency_text_stays_text() -> None:
    table = Table(sheet="附表", title="链接", grid=(("单位", "网址"), ("区政府", "https://example.org/a?b=1&c=2")),
                  header_rows=1, formats=("text", "text"), footer="见 http://example.org")
    tree = Tree(render(Document(title="附表", tables=(table,), meta=()))).root
    assert all(not {"src", "href"} & n.attrs.keys() for n in tree.nodes()) and tree.all("a") == []
    assert tree.all("td")[0].text() == "https://example.org/a?b=1&c=2"
    assert tree.all("dl") == []


def test_attribute_breaking_chart_title() -> None:
    """The chart title is the one piece of agency-reachable text that lands in an attribute (aria-label)."""
    rates = dataclasses.replace(RATES, chart=Chart(title=BREAKER + SCRIPT, label_column=0, value_column=2))
    tree = Tree(render(dataclasses.replace(APPENDIX, tables=(rates,)))).root
    [svg] = tree.all("svg")
    assert svg.attrs["aria-label"] == BREAKER + SCRIPT
    assert svg.all("title")[0].text() == BREAKER + SCRIPT
    assert all("onmouseover" not in n.attrs for n in tree.nodes()) and tree.all("script") == []
